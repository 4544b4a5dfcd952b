//! What a commit message says about pull requests and authors.
//!
//! GitHub writes two kinds of messages when it merges a PR: a merge commit's subject
//! `Merge pull request #N from OWNER/BRANCH` (the PR's title is the message's body), and a
//! squash commit's subject `TITLE (#N)`. Only the last `(#N)` at the end of the subject is the
//! PR: an earlier one is the title's own reference to an issue (networkx 3.5 has
//! "Fix … from `edge_subgraph` (#7724). (#7729)", PR #7729). `Co-authored-by: NAME <EMAIL>`
//! trailers name co-authors; GitHub's private addresses (`ID+LOGIN@users.noreply.github.com`)
//! carry the account's login.

/// The PR a commit message names as the one it merges, if any.
pub fn pr_of_message(message: &str) -> Option<u64> {
    let subject = message.lines().next()?.trim();
    if let Some(rest) = subject.strip_prefix("Merge pull request #") {
        let digits: String = rest.chars().take_while(char::is_ascii_digit).collect();
        return digits.parse().ok().filter(|n| *n > 0);
    }
    let inner = subject.strip_suffix(')')?;
    let open = inner.rfind("(#")?;
    let digits = &inner[open + 2..];
    if digits.is_empty() || digits.len() > 9 || !digits.chars().all(|c| c.is_ascii_digit()) {
        return None;
    }
    digits.parse().ok().filter(|n| *n > 0)
}

/// The title GitHub gave a PR, as far as a merge's message tells: the body's first line of a
/// `Merge pull request` commit, else the subject without its trailing `(#N)`.
pub fn title_of_message(message: &str) -> String {
    let mut lines = message.lines();
    let subject = lines.next().unwrap_or("").trim();
    if subject.starts_with("Merge pull request #") {
        if let Some(title) = lines.map(str::trim).find(|l| !l.is_empty()) {
            return title.to_string();
        }
        return subject.to_string();
    }
    if let (Some(_), Some(open)) = (pr_of_message(subject), subject.rfind("(#")) {
        return subject[..open].trim_end().to_string();
    }
    subject.to_string()
}

/// A co-author named by a `Co-authored-by:` trailer.
#[derive(Debug, Clone, PartialEq, Eq, Hash, serde::Serialize)]
pub struct CoAuthor {
    /// The name.
    pub name: String,
    /// The email.
    pub email: String,
}

/// The co-authors a message names (at most 100, as changelist's GraphQL query asks).
pub fn co_authors(message: &str) -> Vec<CoAuthor> {
    let mut out = Vec::new();
    for line in message.lines() {
        let line = line.trim();
        let Some((key, value)) = line.split_once(':') else {
            continue;
        };
        if !key.trim().eq_ignore_ascii_case("co-authored-by") {
            continue;
        }
        let value = value.trim();
        let (name, email) = match (value.rfind('<'), value.rfind('>')) {
            (Some(open), Some(close)) if open < close => {
                (value[..open].trim(), value[open + 1..close].trim())
            }
            _ => (value, ""),
        };
        let co = CoAuthor {
            name: name.to_string(),
            email: email.to_string(),
        };
        if !out.contains(&co) {
            out.push(co);
        }
        if out.len() == 100 {
            break;
        }
    }
    out
}

/// The login in one of GitHub's private addresses (`ID+LOGIN@…` or `LOGIN@…` at
/// `users.noreply.github.com`).
pub fn login_of_noreply(email: &str) -> Option<String> {
    let local = email
        .to_ascii_lowercase()
        .strip_suffix("@users.noreply.github.com")
        .map(|_| email[..email.len() - "@users.noreply.github.com".len()].to_string())?;
    let login = match local.split_once('+') {
        Some((id, login)) if id.chars().all(|c| c.is_ascii_digit()) => login.to_string(),
        _ => local,
    };
    let valid = !login.is_empty()
        && login.len() <= 39
        && login
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '[' || c == ']');
    valid.then_some(login)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn squash_and_merge_subjects_name_their_pr() {
        assert_eq!(pr_of_message("Fix a thing (#12)\n\nbody (#3)"), Some(12));
        assert_eq!(
            pr_of_message("Fix views from `edge_subgraph` (#7724). (#7729)"),
            Some(7729)
        );
        assert_eq!(
            pr_of_message("Merge pull request #7797 from jarrodmillman/precommit"),
            Some(7797)
        );
        assert_eq!(pr_of_message("Fix for issue #7645: do not"), None);
        assert_eq!(pr_of_message("Bump (#)"), None);
        assert_eq!(pr_of_message("(#99999999999999999999)"), None);
        assert_eq!(pr_of_message(""), None);
    }

    #[test]
    fn titles_come_from_subjects_or_merge_bodies() {
        assert_eq!(title_of_message("Fix a thing (#12)"), "Fix a thing");
        assert_eq!(
            title_of_message("Merge pull request #7 from a/b\n\nUpdate linting"),
            "Update linting"
        );
        assert_eq!(title_of_message("Run ruff"), "Run ruff");
    }

    #[test]
    fn co_author_trailers() {
        let message = "x\n\nCo-authored-by: Dan Schult <dschult@colgate.edu>\nco-authored-by: R <1+r@users.noreply.github.com>\nCo-authored-by: broken";
        let found = co_authors(message);
        assert_eq!(found.len(), 3);
        assert_eq!(found[0].email, "dschult@colgate.edu");
        assert_eq!(login_of_noreply(&found[1].email).as_deref(), Some("r"));
        assert_eq!(found[2].email, "");
        assert_eq!(
            login_of_noreply("32012898+Schwarf@users.noreply.github.com").as_deref(),
            Some("Schwarf")
        );
        assert_eq!(login_of_noreply("a@example.org"), None);
        assert_eq!(login_of_noreply("é@users.noreply.github.com"), None);
    }
}
