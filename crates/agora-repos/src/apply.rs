//! `agora repos apply`: one change, one commit, on a fresh branch of every clone.
//!
//! For each clone: the campaign branch is made (again) from `origin/DEFAULT` and checked out,
//! with the work tree cleaned of what a previous run left; the [`Change`] runs; everything it
//! changed is staged. No diff: the repository is skipped and left on its default branch.
//! Otherwise one commit with the campaign's message, or with `dry_run` the staged diff is
//! returned and the clone put back as it was. A repository whose branch was already pushed in
//! this campaign (the store says so) is not touched again, so rerunning `apply` after `pr`
//! never rewrites a branch a pull request shows.
//!
//! Changes: [`SedExpr`] (`s/REGEX/REPLACEMENT/FLAGS` over the files a glob selects; `\1` and
//! `&` in the replacement as in sed), a shell command run in the clone (`sh -c`, with
//! `AGORA_REPO=owner/name`), or a function the caller provides (how `--spec0` raises floors).

use std::path::{Path, PathBuf};
use std::process::Command;

use globset::{Glob, GlobSet, GlobSetBuilder};
use regex::Regex;

use crate::ReposError;
use crate::git::{Git, default_branch, resolve};
use crate::parallel::for_each_bounded;

/// `s/REGEX/REPLACEMENT/FLAGS`, parsed.
#[derive(Debug, Clone)]
pub struct SedExpr {
    regex: Regex,
    replacement: String,
    global: bool,
}

impl SedExpr {
    /// Parses `s/REGEX/REPLACEMENT/FLAGS`: any delimiter after `s`, `\DELIM` for a literal one,
    /// flags `g` (every match on a line, not the first) and `i` (ignore case).
    pub fn parse(expr: &str) -> Result<SedExpr, ReposError> {
        let error = |message: String| ReposError::Pattern {
            what: format!("--sed {expr:?}"),
            message,
        };
        let mut chars = expr.chars();
        if chars.next() != Some('s') {
            return Err(error("expected s/REGEX/REPLACEMENT/FLAGS".into()));
        }
        let delimiter = chars
            .next()
            .filter(|c| !c.is_alphanumeric() && *c != '\\' && *c != '\n')
            .ok_or_else(|| error("expected a delimiter after `s`".into()))?;
        let mut parts = vec![String::new()];
        let mut escaped = false;
        for c in chars {
            let part = parts.last_mut().expect("parts is never empty");
            if escaped {
                if c != delimiter {
                    part.push('\\');
                }
                part.push(c);
                escaped = false;
            } else if c == '\\' {
                escaped = true;
            } else if c == delimiter {
                parts.push(String::new());
            } else {
                part.push(c);
            }
        }
        if escaped {
            return Err(error("it ends with a lone backslash".into()));
        }
        if parts.len() != 3 {
            return Err(error(format!(
                "expected s{delimiter}REGEX{delimiter}REPLACEMENT{delimiter}FLAGS"
            )));
        }
        let flags = &parts[2];
        if let Some(bad) = flags.chars().find(|c| !"gi".contains(*c)) {
            return Err(error(format!("unknown flag {bad:?} (known: g, i)")));
        }
        let pattern = if flags.contains('i') {
            format!("(?i){}", parts[0])
        } else {
            parts[0].clone()
        };
        let regex = regex::RegexBuilder::new(&pattern)
            .multi_line(true)
            .build()
            .map_err(|e| error(e.to_string()))?;
        Ok(SedExpr {
            regex,
            replacement: sed_replacement(&parts[1]),
            global: flags.contains('g'),
        })
    }

    /// `text` with the substitution made on every line.
    pub fn apply(&self, text: &str) -> String {
        let mut out = String::with_capacity(text.len());
        for line in text.split_inclusive('\n') {
            let (body, end) = match line.strip_suffix('\n') {
                Some(body) => (body, "\n"),
                None => (line, ""),
            };
            let replaced = if self.global {
                self.regex.replace_all(body, self.replacement.as_str())
            } else {
                self.regex.replace(body, self.replacement.as_str())
            };
            out.push_str(&replaced);
            out.push_str(end);
        }
        out
    }
}

/// sed's replacement syntax (`\1`, `&`, `\&`) in the regex crate's (`${1}`, `${0}`, `&`).
fn sed_replacement(sed: &str) -> String {
    let mut out = String::new();
    let mut chars = sed.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' => match chars.next() {
                Some(d) if d.is_ascii_digit() => out.push_str(&format!("${{{d}}}")),
                Some('n') => out.push('\n'),
                Some('t') => out.push('\t'),
                Some('$') => out.push_str("$$"),
                Some(other) => out.push(other),
                None => out.push('\\'),
            },
            '&' => out.push_str("${0}"),
            '$' => out.push_str("$$"),
            other => out.push(other),
        }
    }
    out
}

/// A function that changes a clone's files; returns a line for each thing it did, or why not.
pub type ChangeFn<'f> = dyn Fn(&Path, &str) -> Result<Vec<String>, String> + Sync + 'f;

/// What to do in each clone.
pub enum Change<'a> {
    /// A substitution in the files (relative paths) matching a glob.
    Sed {
        /// The substitution.
        expr: SedExpr,
        /// Which files.
        files: GlobSet,
    },
    /// A shell command run in the clone.
    Script {
        /// The command, for `sh -c`.
        command: String,
    },
    /// A function given the clone's folder and `owner/name`.
    Function(&'a ChangeFn<'a>),
}

impl std::fmt::Debug for Change<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Change::Sed { expr, .. } => write!(f, "Sed({})", expr.regex.as_str()),
            Change::Script { command } => write!(f, "Script({command})"),
            Change::Function(_) => f.write_str("Function"),
        }
    }
}

/// A glob set from comma- or space-separated globs (`*.toml,**/*.cfg`), matched against paths
/// relative to the clone.
pub fn globs(text: &str) -> Result<GlobSet, ReposError> {
    let mut builder = GlobSetBuilder::new();
    for glob in text.split([',', ' ']).filter(|g| !g.is_empty()) {
        builder.add(Glob::new(glob).map_err(|e| ReposError::Pattern {
            what: format!("--files {glob:?}"),
            message: e.to_string(),
        })?);
    }
    builder.build().map_err(|e| ReposError::Pattern {
        what: format!("--files {text:?}"),
        message: e.to_string(),
    })
}

/// What `apply` did in one repository.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[serde(tag = "outcome", rename_all = "snake_case")]
pub enum Applied {
    /// Committed on the branch.
    Committed {
        /// The default branch it was made from.
        base: String,
        /// The commit.
        commit: String,
        /// What the change reported.
        notes: Vec<String>,
    },
    /// The dry run's diff.
    Diff {
        /// The default branch.
        base: String,
        /// `git diff` of the change.
        diff: String,
    },
    /// No diff.
    Unchanged {
        /// The default branch.
        base: String,
    },
    /// The branch was pushed already in this campaign; left alone.
    AlreadyPushed {
        /// Its commit.
        commit: String,
    },
}

/// Applies `change` on `branch` in one clone. `pushed` is the commit already pushed for this
/// repository in the campaign, if any.
pub fn apply_one(
    repo: &str,
    dir: &Path,
    branch: &str,
    change: &Change<'_>,
    message: &str,
    dry_run: bool,
    pushed: Option<&str>,
) -> Result<Applied, ReposError> {
    if !dir.join(".git").exists() {
        return Err(ReposError::Git {
            repo: repo.to_string(),
            message: format!(
                "no clone at {}; run `agora repos clone` first",
                dir.display()
            ),
        });
    }
    let git = Git::new(dir, repo);
    if let Some(pushed) = pushed
        && resolve(dir, repo, &format!("refs/heads/{branch}"))?.as_deref() == Some(pushed)
    {
        return Ok(Applied::AlreadyPushed {
            commit: pushed.to_string(),
        });
    }
    let base = default_branch(dir, repo)?;
    let start = format!("refs/remotes/origin/{base}");
    git.run(&["checkout", "--quiet", "--force", "-B", branch, &start])?;
    git.run(&["clean", "--quiet", "--force", "-d"])?;
    let notes = match change {
        Change::Sed { expr, files } => sed_files(dir, expr, files)?,
        Change::Script { command } => run_script(repo, dir, command)?,
        Change::Function(function) => function(dir, repo).map_err(|message| ReposError::Git {
            repo: repo.to_string(),
            message,
        })?,
    };
    git.run(&["add", "--all"])?;
    let unchanged = git.succeeds(&["diff", "--cached", "--quiet"])?;
    let put_back = |git: &Git<'_>| -> Result<(), ReposError> {
        git.run(&["reset", "--quiet", "--hard"])?;
        git.run(&["checkout", "--quiet", "--force", &base])?;
        git.run(&["branch", "--quiet", "-D", branch])?;
        Ok(())
    };
    if unchanged {
        put_back(&git)?;
        return Ok(Applied::Unchanged { base });
    }
    if dry_run {
        let diff = git.run(&["diff", "--cached", "--no-color", "--no-ext-diff"])?;
        put_back(&git)?;
        return Ok(Applied::Diff { base, diff });
    }
    git.commit(message)?;
    let commit =
        resolve(dir, repo, &format!("refs/heads/{branch}"))?.ok_or_else(|| ReposError::Git {
            repo: repo.to_string(),
            message: format!("branch {branch} is missing after the commit"),
        })?;
    Ok(Applied::Committed {
        base,
        commit,
        notes,
    })
}

/// Applies `change` in every clone, a few at a time; `done(index, result)` runs on the calling
/// thread as each finishes (to record it).
#[allow(clippy::too_many_arguments)]
pub fn apply_all(
    clones: &[(String, PathBuf, Option<String>)],
    branch: &str,
    change: &Change<'_>,
    message: &str,
    dry_run: bool,
    jobs: usize,
    done: impl FnMut(usize, Result<Applied, ReposError>),
) {
    for_each_bounded(
        clones,
        jobs,
        |(repo, dir, pushed)| {
            apply_one(
                repo,
                dir,
                branch,
                change,
                message,
                dry_run,
                pushed.as_deref(),
            )
        },
        done,
    );
}

fn sed_files(dir: &Path, expr: &SedExpr, files: &GlobSet) -> Result<Vec<String>, ReposError> {
    let mut changed = Vec::new();
    let walker = ignore::WalkBuilder::new(dir)
        .hidden(false)
        .ignore(false)
        .parents(false)
        .require_git(false)
        .filter_entry(|entry| entry.file_name() != ".git")
        .build();
    for entry in walker {
        let entry = entry.map_err(|e| ReposError::Pattern {
            what: dir.display().to_string(),
            message: e.to_string(),
        })?;
        if !entry.file_type().is_some_and(|t| t.is_file()) {
            continue;
        }
        let relative = entry.path().strip_prefix(dir).unwrap_or(entry.path());
        if !files.is_match(relative) {
            continue;
        }
        let io = |source| ReposError::Io {
            path: entry.path().to_path_buf(),
            source,
        };
        let bytes = std::fs::read(entry.path()).map_err(io)?;
        // Binary or non-UTF-8 files are not edited.
        let Ok(text) = String::from_utf8(bytes) else {
            continue;
        };
        if text.contains('\0') {
            continue;
        }
        let new = expr.apply(&text);
        if new != text {
            std::fs::write(entry.path(), new).map_err(io)?;
            changed.push(relative.display().to_string());
        }
    }
    changed.sort();
    Ok(changed)
}

fn run_script(repo: &str, dir: &Path, command: &str) -> Result<Vec<String>, ReposError> {
    let output = Command::new("sh")
        .arg("-c")
        .arg(command)
        .current_dir(dir)
        .env("AGORA_REPO", repo)
        .stdin(std::process::Stdio::null())
        .output()
        .map_err(|e| ReposError::Git {
            repo: repo.to_string(),
            message: format!("cannot run sh: {e}"),
        })?;
    if !output.status.success() {
        return Err(ReposError::Git {
            repo: repo.to_string(),
            message: format!(
                "the script failed ({}): {}",
                output.status,
                String::from_utf8_lossy(&output.stderr).trim()
            ),
        });
    }
    Ok(String::from_utf8_lossy(&output.stdout)
        .lines()
        .map(str::to_string)
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sed_expressions() {
        let e = SedExpr::parse(r"s/cibuildwheel@v(\d+)/cibuildwheel@v3 (was \1)/").expect("ok");
        assert_eq!(
            e.apply("uses: pypa/cibuildwheel@v2.1\nuses: pypa/cibuildwheel@v2.2 cibuildwheel@v2\n"),
            "uses: pypa/cibuildwheel@v3 (was 2).1\nuses: pypa/cibuildwheel@v3 (was 2).2 cibuildwheel@v2\n"
        );
        let g = SedExpr::parse("s|a/b|[&]|gi").expect("ok");
        assert_eq!(g.apply("A/B a/b\nno"), "[A/B] [a/b]\nno");
        let escaped = SedExpr::parse(r"s/1\/2/$x/").expect("ok");
        assert_eq!(escaped.apply("1/2"), "$x");
        for bad in ["x/a/b/", "s/a/b", "s/a/b/q", "s/(/b/", "s", r"s/a/b/\"] {
            assert!(SedExpr::parse(bad).is_err(), "{bad}");
        }
        let set = globs("pyproject.toml, .github/**/*.yml").expect("globs");
        assert!(set.is_match(".github/workflows/wheels.yml"));
        assert!(!set.is_match("src/pyproject.toml"));
    }
}
