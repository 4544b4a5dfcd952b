//! Which repositories a campaign covers, and where their clones live.
//!
//! A repository is `owner/name` with the URL to clone it from. Lists come from `agora.toml`
//! (each project's `repo`), from `--repos owner/name,…`, or from a file with one repository a
//! line: `owner/name`, optionally followed by whitespace and the URL to clone (a local path,
//! `file://`, ssh or https); `#` starts a comment. Without a URL, the clone URL is
//! `GIT_BASE/owner/name.git` (`GIT_BASE` is `https://github.com` unless told otherwise). Names
//! are checked (letters, digits, `-_.`, no `.`/`..` component), so a list can never place a
//! clone outside the folder. The clone of `owner/name` is `ROOT/owner/name`.

use std::path::{Path, PathBuf};

use crate::ReposError;

/// GitHub, where repositories are cloned from by default.
pub const DEFAULT_GIT_BASE: &str = "https://github.com";

/// One repository of a campaign.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct RepoTarget {
    /// `owner/name`.
    pub name: String,
    /// Where to clone it from.
    pub url: String,
}

impl RepoTarget {
    /// `owner/name` cloned from `GIT_BASE/owner/name.git`.
    pub fn from_name(name: &str, git_base: &str) -> Result<RepoTarget, String> {
        check_name(name)?;
        Ok(RepoTarget {
            name: name.to_string(),
            url: format!("{}/{name}.git", git_base.trim_end_matches('/')),
        })
    }

    /// The clone's folder under `root`.
    pub fn dir(&self, root: &Path) -> PathBuf {
        let mut dir = root.to_path_buf();
        for part in self.name.split('/') {
            dir.push(part);
        }
        dir
    }
}

/// Checks `owner/name`: two non-empty parts of letters, digits and `-_.`, neither `.` nor `..`.
pub fn check_name(name: &str) -> Result<(), String> {
    let parts: Vec<&str> = name.split('/').collect();
    let ok = parts.len() == 2
        && parts.iter().all(|p| {
            !p.is_empty()
                && *p != "."
                && *p != ".."
                && p.chars()
                    .all(|c| c.is_ascii_alphanumeric() || "-_.".contains(c))
        });
    if ok {
        Ok(())
    } else {
        Err(format!("{name:?} is not a repository: expected OWNER/NAME"))
    }
}

/// Reads a repository list (see the module docs); `source_name` names it in errors.
pub fn parse_list(
    text: &str,
    source_name: &str,
    git_base: &str,
) -> Result<Vec<RepoTarget>, ReposError> {
    let mut targets: Vec<RepoTarget> = Vec::new();
    for (index, line) in text.lines().enumerate() {
        let line = line.split('#').next().unwrap_or("").trim();
        if line.is_empty() {
            continue;
        }
        let error = |message: String| ReposError::List {
            source_name: source_name.to_string(),
            line: index + 1,
            message,
        };
        let mut words = line.split_whitespace();
        let name = words.next().unwrap_or("");
        let mut target = RepoTarget::from_name(name, git_base).map_err(error)?;
        if let Some(url) = words.next() {
            target.url = url.to_string();
        }
        if words.next().is_some() {
            return Err(error(format!(
                "expected `OWNER/NAME [URL]`, found more words in {line:?}"
            )));
        }
        if targets
            .iter()
            .any(|t| t.name.eq_ignore_ascii_case(&target.name))
        {
            return Err(error(format!("{} is listed twice", target.name)));
        }
        targets.push(target);
    }
    Ok(targets)
}

/// The clones found under `root` (`ROOT/owner/name` holding `.git`), by name.
pub fn discover(root: &Path) -> Result<Vec<RepoTarget>, ReposError> {
    let read = |dir: &Path| {
        std::fs::read_dir(dir).map_err(|source| ReposError::Io {
            path: dir.to_path_buf(),
            source,
        })
    };
    let mut found = Vec::new();
    for owner in read(root)? {
        let owner = owner.map_err(|source| ReposError::Io {
            path: root.to_path_buf(),
            source,
        })?;
        if !owner.path().is_dir() {
            continue;
        }
        for repo in read(&owner.path())? {
            let Ok(repo) = repo else { continue };
            let path = repo.path();
            // An unfinished clone (`name.partial`) is not a clone.
            if !path.join(".git").exists()
                || repo.file_name().to_string_lossy().ends_with(".partial")
            {
                continue;
            }
            let name = format!(
                "{}/{}",
                owner.file_name().to_string_lossy(),
                repo.file_name().to_string_lossy()
            );
            if check_name(&name).is_ok() {
                found.push(RepoTarget {
                    url: path.display().to_string(),
                    name,
                });
            }
        }
    }
    found.sort_by(|a, b| a.name.cmp(&b.name));
    Ok(found)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists() {
        let text = "# the core\nnumpy/numpy\nscipy/scipy  /srv/git/scipy.git  # local\n\n";
        let targets = parse_list(text, "repos.txt", "https://github.com/").expect("parses");
        assert_eq!(targets[0].url, "https://github.com/numpy/numpy.git");
        assert_eq!(targets[1].url, "/srv/git/scipy.git");
        assert_eq!(
            targets[1].dir(Path::new("/c")),
            PathBuf::from("/c/scipy/scipy")
        );
        let error = parse_list("a/b\n../etc\n", "r.txt", DEFAULT_GIT_BASE)
            .expect_err("a path component")
            .to_string();
        assert!(error.starts_with("r.txt:2: "), "{error}");
        assert!(parse_list("a/b\nA/B\n", "r", DEFAULT_GIT_BASE).is_err());
        assert!(parse_list("a/b c d\n", "r", DEFAULT_GIT_BASE).is_err());
        for bad in ["a", "a/b/c", "./b", "a/..", "a b/c", "a/"] {
            assert!(check_name(bad).is_err(), "{bad}");
        }
    }
}
