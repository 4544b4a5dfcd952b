//! API tokens: created with a random secret that is shown once, stored as its SHA-256, scoped
//! to one project and one action, with an expiry.
//!
//! A secret is `agora_upl_` followed by 43 characters of URL-safe base 64 (32 random bytes), so
//! that a secret scanner can recognise it by its prefix. The store keeps the SHA-256 of the
//! whole secret (hex); a presented secret is hashed, looked up by that hash, and the two hashes
//! are compared again in constant time.

use agora_bench::project::check_project_name;
use agora_store::Store;
use agora_store::serve::{NewToken, StoredToken};
use jiff::Timestamp;
use rand::RngCore as _;
use serde::Serialize;
use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq as _;

use crate::ServerError;

/// The prefix of every upload token's secret.
pub const UPLOAD_PREFIX: &str = "agora_upl_";

/// What a token may do.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    /// Upload benchmark results for its project.
    Upload,
}

impl Action {
    /// The action's name in the store and on the command line.
    pub fn name(self) -> &'static str {
        match self {
            Action::Upload => "upload",
        }
    }

    /// The action called `name`.
    pub fn parse(name: &str) -> Option<Action> {
        match name {
            "upload" => Some(Action::Upload),
            _ => None,
        }
    }
}

/// A token as `agora token list` shows it: everything but the secret.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TokenInfo {
    /// Its number, which `agora token revoke` takes.
    pub id: i64,
    /// Its prefix and first characters.
    pub hint: String,
    /// The project it may act on.
    pub project: String,
    /// What it may do.
    pub action: String,
    /// What it is for.
    pub note: String,
    /// When it was created.
    pub created_at: Timestamp,
    /// When it stops working; `None` never.
    pub expires_at: Option<Timestamp>,
    /// When it was revoked.
    pub revoked_at: Option<Timestamp>,
    /// When it was last accepted.
    pub last_used_at: Option<Timestamp>,
}

impl From<StoredToken> for TokenInfo {
    fn from(token: StoredToken) -> Self {
        TokenInfo {
            id: token.id,
            hint: token.hint,
            project: token.project,
            action: token.action,
            note: token.note,
            created_at: token.created_at,
            expires_at: token.expires_at,
            revoked_at: token.revoked_at,
            last_used_at: token.last_used_at,
        }
    }
}

/// A token just created: its secret (to show once) and what is stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CreatedToken {
    /// The secret; it cannot be shown again.
    pub secret: String,
    /// The stored token.
    pub token: TokenInfo,
}

/// Why a presented token is refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum Refusal {
    /// No `Authorization: Bearer …` header.
    #[error("no token: send Authorization: Bearer <token>")]
    Missing,
    /// The secret is not one the store knows.
    #[error("unknown token")]
    Unknown,
    /// The token expired.
    #[error("the token has expired")]
    Expired,
    /// The token was revoked.
    #[error("the token was revoked")]
    Revoked,
    /// The token is for another project or another action.
    #[error("the token does not allow this on this project")]
    Forbidden,
}

/// The SHA-256 of `secret`, hex.
pub fn digest(secret: &str) -> String {
    format!("{:x}", Sha256::digest(secret.as_bytes()))
}

/// Creates a token for `project` and `action`, valid until `expires_at` (`None`: no expiry),
/// and stores its hash; the returned secret is the only copy.
pub fn create(
    store: &Store,
    project: &str,
    action: Action,
    note: &str,
    expires_at: Option<Timestamp>,
    now: Timestamp,
) -> Result<CreatedToken, ServerError> {
    check_project_name(project).map_err(|e| ServerError::BadInput(e.to_string()))?;
    let mut bytes = [0u8; 32];
    rand::rng().fill_bytes(&mut bytes);
    let secret = format!("{UPLOAD_PREFIX}{}", base64_url(&bytes));
    let sha256 = digest(&secret);
    let hint = format!("{}…", &secret[..UPLOAD_PREFIX.len() + 4]);
    let id = store.insert_token(&NewToken {
        sha256: &sha256,
        hint: &hint,
        project,
        action: action.name(),
        note,
        created_at: now,
        expires_at,
    })?;
    Ok(CreatedToken {
        secret,
        token: TokenInfo {
            id,
            hint,
            project: project.to_owned(),
            action: action.name().to_owned(),
            note: note.to_owned(),
            created_at: now,
            expires_at,
            revoked_at: None,
            last_used_at: None,
        },
    })
}

/// Every stored token, oldest first.
pub fn list(store: &Store) -> Result<Vec<TokenInfo>, ServerError> {
    Ok(store.tokens()?.into_iter().map(TokenInfo::from).collect())
}

/// Revokes token `id`; false when there is no such token or it was revoked before.
pub fn revoke(store: &Store, id: i64, now: Timestamp) -> Result<bool, ServerError> {
    Ok(store.revoke_token(id, now)?)
}

/// The token `secret` if it may do `action` on `project` at `now`, else why not.
pub fn authenticate(
    store: &Store,
    secret: Option<&str>,
    project: &str,
    action: Action,
    now: Timestamp,
) -> Result<Result<TokenInfo, Refusal>, ServerError> {
    let Some(secret) = secret else {
        return Ok(Err(Refusal::Missing));
    };
    let wanted = digest(secret);
    let Some(token) = store.token_by_sha256(&wanted)? else {
        return Ok(Err(Refusal::Unknown));
    };
    if !bool::from(token.sha256.as_bytes().ct_eq(wanted.as_bytes())) {
        return Ok(Err(Refusal::Unknown));
    }
    if token.revoked_at.is_some() {
        return Ok(Err(Refusal::Revoked));
    }
    if token.expires_at.is_some_and(|at| at <= now) {
        return Ok(Err(Refusal::Expired));
    }
    if token.project != project || token.action != action.name() {
        return Ok(Err(Refusal::Forbidden));
    }
    store.touch_token(token.id, now)?;
    Ok(Ok(TokenInfo::from(token)))
}

/// URL-safe base 64 without padding.
fn base64_url(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    let mut out = String::with_capacity(bytes.len() * 4 / 3 + 2);
    for chunk in bytes.chunks(3) {
        let n = chunk
            .iter()
            .enumerate()
            .fold(0u32, |n, (i, &b)| n | (u32::from(b) << (16 - 8 * i)));
        let chars = chunk.len() + 1;
        for i in 0..chars {
            out.push(char::from(ALPHABET[((n >> (18 - 6 * i)) & 63) as usize]));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secrets_are_prefixed_hashed_and_checked() {
        let store = Store::open_in_memory().expect("store");
        let now = Timestamp::from_second(1_700_000_000).expect("time");
        let created = create(&store, "kedro", Action::Upload, "ci", None, now).expect("create");
        assert!(created.secret.starts_with(UPLOAD_PREFIX));
        assert_eq!(created.secret.len(), UPLOAD_PREFIX.len() + 43);
        let stored = store.tokens().expect("tokens");
        assert_eq!(stored[0].sha256, digest(&created.secret));
        assert!(!stored[0].hint.contains(&created.secret[14..]));
        let ok = authenticate(&store, Some(&created.secret), "kedro", Action::Upload, now);
        assert!(ok.expect("store").is_ok());
        let other = authenticate(&store, Some(&created.secret), "numpy", Action::Upload, now);
        assert_eq!(other.expect("store"), Err(Refusal::Forbidden));
        let wrong = authenticate(&store, Some("agora_upl_x"), "kedro", Action::Upload, now);
        assert_eq!(wrong.expect("store"), Err(Refusal::Unknown));
        assert!(revoke(&store, created.token.id, now).expect("revoke"));
        let revoked = authenticate(&store, Some(&created.secret), "kedro", Action::Upload, now);
        assert_eq!(revoked.expect("store"), Err(Refusal::Revoked));
    }

    #[test]
    fn base64_matches_the_standard() {
        assert_eq!(base64_url(b"foobar"), "Zm9vYmFy");
        assert_eq!(base64_url(b"fooba"), "Zm9vYmE");
        assert_eq!(base64_url(&[0xfb, 0xff]), "-_8");
    }
}
