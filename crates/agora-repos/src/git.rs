//! git for campaigns: gix to read references, the `git` program for what gix cannot do.
//!
//! [`Git`] runs `git -C DIR …` with no terminal prompts (`GIT_TERMINAL_PROMPT=0`), in the C
//! locale, and returns stdout or an error with git's stderr. Its arguments never carry a
//! credential. [`Git::push`] is the one command that may need one: over https to the host a
//! token belongs to ([`PushAuth`]), the token is handed to that one `git` process in an
//! environment variable that a credential helper given through `GIT_CONFIG_*` variables
//! (not arguments) prints; the helper's text names the variable, never the token, and git
//! does not log either. Any other URL is pushed with the user's own git setup.
//!
//! References are read with gix: [`default_branch`] is what `refs/remotes/origin/HEAD` points
//! to (set when agora clones), and [`resolve`] gives the commit a reference names.

use std::path::Path;
use std::process::{Command, Stdio};

use crate::ReposError;

/// The environment variable the push credential helper reads.
const TOKEN_VARIABLE: &str = "AGORA_GIT_PUSH_TOKEN";

/// A token for pushing over https, and the one host it may be sent to.
#[derive(Clone)]
pub struct PushAuth {
    /// The host (`github.com`).
    pub host: String,
    /// The token.
    pub token: String,
}

impl std::fmt::Debug for PushAuth {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PushAuth")
            .field("host", &self.host)
            .field("token", &"****")
            .finish()
    }
}

impl PushAuth {
    /// Whether `url` is https on this host (only then is the token used).
    pub fn applies_to(&self, url: &str) -> bool {
        let Some(rest) = url.strip_prefix("https://") else {
            return false;
        };
        let authority = rest.split('/').next().unwrap_or("");
        // Userinfo in the URL is someone else's credential: leave such a URL alone.
        !authority.contains('@') && authority.eq_ignore_ascii_case(&self.host)
    }
}

/// The `git` program in one repository's folder.
#[derive(Debug, Clone)]
pub struct Git<'a> {
    dir: &'a Path,
    label: &'a str,
}

impl<'a> Git<'a> {
    /// `git -C dir`; `label` (`owner/name`) names the repository in errors.
    pub fn new(dir: &'a Path, label: &'a str) -> Git<'a> {
        Git { dir, label }
    }

    fn command(&self) -> Command {
        let mut command = Command::new("git");
        command
            .arg("-C")
            .arg(self.dir)
            .env("GIT_TERMINAL_PROMPT", "0")
            .env("LC_ALL", "C")
            .stdin(Stdio::null());
        command
    }

    fn error(&self, message: String) -> ReposError {
        ReposError::Git {
            repo: self.label.to_string(),
            message,
        }
    }

    /// Runs `git ARGS` and returns its stdout; a failure carries git's stderr.
    pub fn run(&self, args: &[&str]) -> Result<String, ReposError> {
        self.run_with(args, &[])
    }

    fn run_with(&self, args: &[&str], env: &[(&str, &str)]) -> Result<String, ReposError> {
        let mut command = self.command();
        command.args(args);
        for (name, value) in env {
            command.env(name, value);
        }
        let output = command
            .output()
            .map_err(|e| self.error(format!("cannot run git: {e}")))?;
        if output.status.success() {
            Ok(String::from_utf8_lossy(&output.stdout).into_owned())
        } else {
            let stderr = String::from_utf8_lossy(&output.stderr);
            Err(self.error(format!(
                "`git {}` failed: {}",
                args.join(" "),
                stderr.trim()
            )))
        }
    }

    /// Whether `git ARGS` succeeds (for questions such as `diff --quiet`).
    pub fn succeeds(&self, args: &[&str]) -> Result<bool, ReposError> {
        let status = self
            .command()
            .args(args)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .map_err(|e| self.error(format!("cannot run git: {e}")))?;
        Ok(status.success())
    }

    /// Commits the staged changes with `message`; without a configured identity, as agora.
    pub fn commit(&self, message: &str) -> Result<(), ReposError> {
        let has_identity = self
            .run(&["config", "user.email"])
            .is_ok_and(|email| !email.trim().is_empty());
        let fallback = [
            ("GIT_AUTHOR_NAME", "agora"),
            ("GIT_AUTHOR_EMAIL", "agora@localhost"),
            ("GIT_COMMITTER_NAME", "agora"),
            ("GIT_COMMITTER_EMAIL", "agora@localhost"),
        ];
        let env: &[(&str, &str)] = if has_identity { &[] } else { &fallback };
        self.run_with(&["commit", "--quiet", "--no-verify", "-m", message], env)
            .map(|_| ())
    }

    /// Pushes local `branch` to `branch` at `url`, replacing what is there (the branch is the
    /// campaign's own). `auth` is used only when it applies to `url`.
    pub fn push(&self, url: &str, branch: &str, auth: Option<&PushAuth>) -> Result<(), ReposError> {
        let refspec = format!("+refs/heads/{branch}:refs/heads/{branch}");
        let helper = format!(
            "!f() {{ test \"$1\" = get || exit 0; echo username=x-access-token; echo \"password=${TOKEN_VARIABLE}\"; }}; f"
        );
        let env: Vec<(&str, &str)> = match auth.filter(|a| a.applies_to(url)) {
            Some(auth) => vec![
                ("GIT_CONFIG_COUNT", "1"),
                ("GIT_CONFIG_KEY_0", "credential.helper"),
                ("GIT_CONFIG_VALUE_0", helper.as_str()),
                (TOKEN_VARIABLE, auth.token.as_str()),
            ],
            None => Vec::new(),
        };
        self.run_with(&["push", "--quiet", "--porcelain", url, &refspec], &env)
            .map(|_| ())
    }
}

/// The default branch of the clone at `dir`: the target of `refs/remotes/origin/HEAD`, else the
/// branch checked out.
pub fn default_branch(dir: &Path, label: &str) -> Result<String, ReposError> {
    let error = |message: String| ReposError::Git {
        repo: label.to_string(),
        message,
    };
    let repo = gix::open(dir).map_err(|e| error(format!("cannot open the clone: {e}")))?;
    if let Ok(Some(reference)) = repo.try_find_reference("refs/remotes/origin/HEAD")
        && let Some(name) = reference.target().try_name()
    {
        let name = name.as_bstr().to_string();
        if let Some(branch) = name.strip_prefix("refs/remotes/origin/") {
            return Ok(branch.to_string());
        }
    }
    let head = repo
        .head_name()
        .map_err(|e| error(format!("cannot read HEAD: {e}")))?
        .ok_or_else(|| error("HEAD is detached and origin/HEAD is not set".into()))?;
    Ok(head.shorten().to_string())
}

/// The commit `reference` names in the clone at `dir`, if it exists.
pub fn resolve(dir: &Path, label: &str, reference: &str) -> Result<Option<String>, ReposError> {
    let repo = gix::open(dir).map_err(|e| ReposError::Git {
        repo: label.to_string(),
        message: format!("cannot open the clone: {e}"),
    })?;
    let Ok(Some(mut found)) = repo.try_find_reference(reference) else {
        return Ok(None);
    };
    Ok(found.peel_to_id().ok().map(|id| id.to_string()))
}

/// The subject and body of the commit `reference` names.
pub fn commit_message(
    dir: &Path,
    label: &str,
    reference: &str,
) -> Result<(String, String), ReposError> {
    let repo = gix::open(dir).map_err(|e| ReposError::Git {
        repo: label.to_string(),
        message: format!("cannot open the clone: {e}"),
    })?;
    let error = |e: String| ReposError::Git {
        repo: label.to_string(),
        message: format!("cannot read the commit of {reference}: {e}"),
    };
    let mut found = repo
        .find_reference(reference)
        .map_err(|e| error(e.to_string()))?;
    let commit = found.peel_to_commit().map_err(|e| error(e.to_string()))?;
    let message = commit.message_raw().map_err(|e| error(e.to_string()))?;
    let text = message.to_string();
    let (subject, body) = text.split_once('\n').unwrap_or((text.as_str(), ""));
    Ok((subject.trim().to_string(), body.trim().to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_token_goes_to_its_host_only() {
        let auth = PushAuth {
            host: "github.com".into(),
            token: "ghp_secret".into(),
        };
        assert!(auth.applies_to("https://github.com/o/n.git"));
        assert!(auth.applies_to("https://GitHub.com/o/n.git"));
        for other in [
            "http://github.com/o/n.git",
            "https://github.com.evil.example/o/n.git",
            "https://user:pw@github.com/o/n.git",
            "git@github.com:o/n.git",
            "/srv/git/o/n.git",
        ] {
            assert!(!auth.applies_to(other), "{other}");
        }
        assert!(!format!("{auth:?}").contains("ghp_secret"));
    }
}
