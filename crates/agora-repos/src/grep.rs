//! `agora repos grep` and `find-files`: every clone searched at once, answered as `git grep`.
//!
//! The files searched are those git tracks (its index, read with gix), as `git grep` searches;
//! a folder that is no git repository is walked with `ignore` instead (`.gitignore` honoured,
//! `.ignore` files not, hidden files searched). A few repositories are searched at once, and
//! a few files of each. A file is read whole (files over [`MAX_FILE_BYTES`] are
//! left out and reported) and searched line by line with `grep-searcher` and a `grep-regex`
//! matcher (Rust's regex syntax, which reads like `git grep -E`). As in git, a file with a
//! NUL byte in its first 8000 bytes is binary: a match in it is reported as one
//! `Binary file PATH matches` line instead of its lines. Matches are sorted by repository,
//! path and line, so the output is the same from run to run.
//!
//! `find-files` matches the regex against each file's path relative to its clone.

use std::path::{Path, PathBuf};
use std::sync::Mutex;

use grep_matcher::Matcher;
use grep_regex::{RegexMatcher, RegexMatcherBuilder};
use grep_searcher::{BinaryDetection, SearcherBuilder, sinks::Bytes};

use crate::ReposError;
use crate::parallel::for_each_bounded;

/// The largest file searched: 64 MiB.
pub const MAX_FILE_BYTES: u64 = 64 * 1024 * 1024;

/// How many leading bytes git looks at to call a file binary.
const BINARY_PROBE: usize = 8000;

/// How to search.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct GrepOptions {
    /// Ignore case.
    pub ignore_case: bool,
    /// The pattern is a literal string, not a regex.
    pub fixed_strings: bool,
    /// Match whole words only.
    pub word: bool,
    /// Threads to use.
    pub jobs: usize,
}

/// One match.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct GrepMatch {
    /// `owner/name`.
    pub repo: String,
    /// The file, relative to the clone, with `/`.
    pub path: String,
    /// The 1-based line (0 for a binary file).
    pub line: u64,
    /// The line without its `\n` (lossy UTF-8); empty for a binary file.
    pub text: String,
    /// The file is binary; `text` and `line` are empty.
    pub binary: bool,
}

impl GrepMatch {
    /// The match as `git grep` prints it, after `repo:`.
    pub fn render(&self) -> String {
        if self.binary {
            format!("{}:Binary file {} matches", self.repo, self.path)
        } else {
            format!("{}:{}:{}:{}", self.repo, self.path, self.line, self.text)
        }
    }
}

/// What a search found.
#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct GrepReport {
    /// The matches, by repository, path and line.
    pub matches: Vec<GrepMatch>,
    /// Files that could not be searched, with why.
    pub errors: Vec<String>,
    /// Repositories searched.
    pub repos: usize,
    /// Files searched.
    pub files: u64,
}

/// Builds the matcher for `pattern`.
pub fn matcher(pattern: &str, options: GrepOptions) -> Result<RegexMatcher, ReposError> {
    RegexMatcherBuilder::new()
        .case_insensitive(options.ignore_case)
        .fixed_strings(options.fixed_strings)
        .word(options.word)
        .line_terminator(Some(b'\n'))
        .build(pattern)
        .map_err(|e| ReposError::Pattern {
            what: format!("the pattern {pattern:?}"),
            message: e.to_string(),
        })
}

/// Walks the clone at `dir` and calls `visit(path, relative)` for every file, in parallel.
fn walk_files<F>(dir: &Path, jobs: usize, visit: F) -> Vec<String>
where
    F: Fn(&Path, &str) + Sync,
{
    let errors = Mutex::new(Vec::new());
    let walker = ignore::WalkBuilder::new(dir)
        .hidden(false)
        .ignore(false)
        .parents(false)
        .require_git(false)
        .filter_entry(|entry| entry.file_name() != ".git")
        .threads(jobs.max(1))
        .build_parallel();
    walker.run(|| {
        let visit = &visit;
        let errors = &errors;
        Box::new(move |entry| {
            match entry {
                Ok(entry) => {
                    if entry.file_type().is_some_and(|t| t.is_file()) {
                        let relative = entry
                            .path()
                            .strip_prefix(dir)
                            .unwrap_or(entry.path())
                            .to_string_lossy()
                            .replace('\\', "/");
                        visit(entry.path(), &relative);
                    }
                }
                Err(error) => {
                    if let Ok(mut errors) = errors.lock() {
                        errors.push(error.to_string());
                    }
                }
            }
            ignore::WalkState::Continue
        })
    });
    errors.into_inner().unwrap_or_default()
}

/// Searches one file's bytes; returns the matching lines, or a binary notice.
fn search_bytes(matcher: &RegexMatcher, bytes: &[u8]) -> Result<Vec<(u64, String)>, String> {
    let probe = &bytes[..bytes.len().min(BINARY_PROBE)];
    if probe.contains(&0) {
        return match matcher.is_match(bytes) {
            Ok(true) => Ok(vec![(0, String::new())]),
            Ok(false) => Ok(Vec::new()),
            Err(e) => Err(e.to_string()),
        };
    }
    let mut found = Vec::new();
    let mut searcher = SearcherBuilder::new()
        .line_number(true)
        .binary_detection(BinaryDetection::none())
        .build();
    searcher
        .search_slice(
            matcher,
            bytes,
            Bytes(|line, text| {
                let text = text.strip_suffix(b"\n").unwrap_or(text);
                found.push((line, String::from_utf8_lossy(text).into_owned()));
                Ok(true)
            }),
        )
        .map_err(|e| e.to_string())?;
    Ok(found)
}

/// The regular files (and executables) git tracks in the clone at `dir`, from its index;
/// `None` when `dir` is no git repository with a readable index.
fn tracked_files(dir: &Path) -> Option<Vec<String>> {
    use gix::index::entry::Mode;
    let repo = gix::open(dir).ok()?;
    let index = repo.index_or_empty().ok()?;
    let paths = index
        .entries()
        .iter()
        .filter(|entry| matches!(entry.mode, Mode::FILE | Mode::FILE_EXECUTABLE))
        .filter(|entry| entry.stage_raw() == 0)
        .map(|entry| entry.path(&index).to_string())
        .collect();
    Some(paths)
}

/// One repository's matches, errors and number of files searched.
type RepoFindings = (Vec<GrepMatch>, Vec<String>, u64);

/// Searches every clone in `clones` (`owner/name` and folder) for `pattern`.
pub fn grep(
    clones: &[(String, PathBuf)],
    pattern: &str,
    options: GrepOptions,
) -> Result<GrepReport, ReposError> {
    let matcher = matcher(pattern, options)?;
    let jobs = options.jobs.max(1);
    let mut report = GrepReport {
        repos: clones.len(),
        ..GrepReport::default()
    };
    // Repositories a few at a time, and each walked with the threads left.
    let outer = jobs.min(clones.len()).max(1);
    let inner = (jobs / outer).max(1);
    let mut per_repo: Vec<Option<RepoFindings>> = vec![None; clones.len()];
    for_each_bounded(
        clones,
        outer,
        |(repo, dir)| search_repo(&matcher, repo, dir, inner),
        |index, result| per_repo[index] = Some(result),
    );
    for (matches, errors, files) in per_repo.into_iter().flatten() {
        report.matches.extend(matches);
        report.errors.extend(errors);
        report.files += files;
    }
    Ok(report)
}

fn search_repo(matcher: &RegexMatcher, repo: &str, dir: &Path, jobs: usize) -> RepoFindings {
    let found = Mutex::new(Vec::new());
    let errors = Mutex::new(Vec::new());
    let files = std::sync::atomic::AtomicU64::new(0);
    if !dir.is_dir() {
        return (
            Vec::new(),
            vec![format!("{repo}: no clone at {}", dir.display())],
            0,
        );
    }
    let search_file = |path: &Path, relative: &str| {
        let push_error = |message: String| {
            if let Ok(mut errors) = errors.lock() {
                errors.push(format!("{repo}:{relative}: {message}"));
            }
        };
        match std::fs::metadata(path) {
            Ok(meta) if meta.len() > MAX_FILE_BYTES => {
                push_error(format!(
                    "not searched: {} bytes, over the {MAX_FILE_BYTES}-byte limit",
                    meta.len()
                ));
                return;
            }
            Ok(_) => {}
            Err(e) => return push_error(e.to_string()),
        }
        let bytes = match std::fs::read(path) {
            Ok(bytes) => bytes,
            Err(e) => return push_error(e.to_string()),
        };
        files.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        match search_bytes(matcher, &bytes) {
            Ok(lines) if lines.is_empty() => {}
            Ok(lines) => {
                let matches = lines.into_iter().map(|(line, text)| GrepMatch {
                    repo: repo.to_string(),
                    path: relative.to_string(),
                    binary: line == 0,
                    line,
                    text,
                });
                if let Ok(mut found) = found.lock() {
                    found.extend(matches);
                }
            }
            Err(e) => push_error(e),
        }
    };
    // As git grep: the files git tracks (in its index), where the clone has them; a folder
    // that is no git repository is walked instead, honouring .gitignore.
    let walk_errors = match tracked_files(dir) {
        Some(paths) => {
            for_each_bounded(
                &paths,
                jobs,
                |relative| {
                    let path = dir.join(relative);
                    if path.is_file() {
                        search_file(&path, relative);
                    }
                },
                |_, ()| {},
            );
            Vec::new()
        }
        None => walk_files(dir, jobs, search_file),
    };
    let mut matches = found.into_inner().unwrap_or_default();
    matches.sort_by(|a, b| a.path.cmp(&b.path).then(a.line.cmp(&b.line)));
    let mut errors = errors.into_inner().unwrap_or_default();
    errors.extend(walk_errors.into_iter().map(|e| format!("{repo}: {e}")));
    errors.sort();
    (
        matches,
        errors,
        files.load(std::sync::atomic::Ordering::Relaxed),
    )
}

/// A file whose path matched.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct FoundFile {
    /// `owner/name`.
    pub repo: String,
    /// The path relative to the clone.
    pub path: String,
}

/// The files of every clone whose path (relative to the clone) matches `pattern`, by
/// repository and path; and the errors met.
pub fn find_files(
    clones: &[(String, PathBuf)],
    pattern: &str,
    options: GrepOptions,
) -> Result<(Vec<FoundFile>, Vec<String>), ReposError> {
    let matcher = matcher(pattern, options)?;
    let jobs = options.jobs.max(1);
    let mut files = Vec::new();
    let mut errors = Vec::new();
    let mut per_repo: Vec<Option<(Vec<FoundFile>, Vec<String>)>> = vec![None; clones.len()];
    for_each_bounded(
        clones,
        jobs.min(clones.len()).max(1),
        |(repo, dir)| {
            if !dir.is_dir() {
                return (
                    Vec::new(),
                    vec![format!("{repo}: no clone at {}", dir.display())],
                );
            }
            let found = Mutex::new(Vec::new());
            let errors = walk_files(dir, 1, |_, relative| {
                if matcher.is_match(relative.as_bytes()).unwrap_or(false)
                    && let Ok(mut found) = found.lock()
                {
                    found.push(FoundFile {
                        repo: repo.clone(),
                        path: relative.to_string(),
                    });
                }
            });
            let mut found = found.into_inner().unwrap_or_default();
            found.sort_by(|a, b| a.path.cmp(&b.path));
            (found, errors)
        },
        |index, result| per_repo[index] = Some(result),
    );
    for (found, errs) in per_repo.into_iter().flatten() {
        files.extend(found);
        errors.extend(errs);
    }
    Ok((files, errors))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_and_binary_files() {
        let m = matcher(r"np\.float_\b", GrepOptions::default()).expect("pattern");
        let found = search_bytes(&m, b"a\nx = np.float_(1)\r\nnp.float_64\ny = np.float_\n")
            .expect("search");
        assert_eq!(
            found,
            vec![
                (2, "x = np.float_(1)\r".to_string()),
                (4, "y = np.float_".to_string())
            ]
        );
        let binary = search_bytes(&m, b"\0\x01np.float_ here").expect("search");
        assert_eq!(binary, vec![(0, String::new())]);
        assert!(search_bytes(&m, b"\0nothing").expect("search").is_empty());
        assert!(matcher("(", GrepOptions::default()).is_err());
        let fixed = GrepOptions {
            fixed_strings: true,
            ignore_case: true,
            ..GrepOptions::default()
        };
        let m = matcher("A(", fixed).expect("literal");
        assert_eq!(search_bytes(&m, b"xa(y\n").expect("search").len(), 1);
    }
}
