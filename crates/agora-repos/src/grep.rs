//! `agora repos grep` and `find-files`: every clone searched at once, answered as `git grep`.
//!
//! The files searched are those git tracks (its index, read with gix), as `git grep` searches;
//! a folder that is no git repository is walked with `ignore` instead (`.gitignore` honoured,
//! `.ignore` files not, hidden files searched). First every clone's files are listed, a few
//! clones at a time; then all threads search the files of all clones together, taking them in
//! small batches. Each thread keeps one read buffer and one searcher from file to file. A file
//! is read whole (files over [`MAX_FILE_BYTES`] are left out and reported) and searched with
//! `grep-searcher` and a `grep-regex` matcher (Rust's regex syntax, which reads like
//! `git grep -E`): the regex runs over the whole file at once, its literal prefilter skipping
//! to candidate lines, and only those are confirmed line by line. As in git, a file with a NUL
//! byte in its first 8000 bytes is binary: a match in it is reported as one
//! `Binary file PATH matches` line instead of its lines. Matches are in clone order, then by
//! path and line, so the output is the same from run to run.
//!
//! `find-files` matches the regex against each file's path relative to its clone.

use std::io::Read as _;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use grep_matcher::Matcher;
use grep_regex::{RegexMatcher, RegexMatcherBuilder};
use grep_searcher::{BinaryDetection, Searcher, SearcherBuilder, sinks::Bytes};

use crate::ReposError;
use crate::parallel::{for_each_bounded, for_each_bounded_with};

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

/// What one thread keeps from file to file: the searcher and the buffer files are read into.
struct Scratch {
    searcher: Searcher,
    buffer: Vec<u8>,
}

impl Scratch {
    fn new() -> Scratch {
        Scratch {
            searcher: SearcherBuilder::new()
                .line_number(true)
                .binary_detection(BinaryDetection::none())
                .build(),
            buffer: Vec::new(),
        }
    }
}

/// Searches one file's bytes; returns the matching lines, or a binary notice.
fn search_bytes(
    searcher: &mut Searcher,
    matcher: &RegexMatcher,
    bytes: &[u8],
) -> Result<Vec<(u64, String)>, String> {
    let probe = &bytes[..bytes.len().min(BINARY_PROBE)];
    if probe.contains(&0) {
        return match matcher.is_match(bytes) {
            Ok(true) => Ok(vec![(0, String::new())]),
            Ok(false) => Ok(Vec::new()),
            Err(e) => Err(e.to_string()),
        };
    }
    let mut found = Vec::new();
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

/// Reads the regular file at `path` into `buffer` (emptied first): `Ok(false)` when there is
/// none there (a tracked file deleted from the work tree, or replaced by a folder), an error
/// for a file over [`MAX_FILE_BYTES`]. One `open`, one `fstat`, as many `read`s as the size
/// needs and no more: with thousands of small files, the system calls are much of the cost.
fn read_file(path: &Path, buffer: &mut Vec<u8>) -> Result<bool, String> {
    let file = match std::fs::File::open(path) {
        Ok(file) => file,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(false),
        Err(e) => return Err(e.to_string()),
    };
    let meta = file.metadata().map_err(|e| e.to_string())?;
    if !meta.is_file() {
        return Ok(false);
    }
    let len = meta.len();
    if len > MAX_FILE_BYTES {
        return Err(format!(
            "not searched: {len} bytes, over the {MAX_FILE_BYTES}-byte limit"
        ));
    }
    // The size is below MAX_FILE_BYTES, so it fits a usize. A file that grew since the
    // fstat is read up to its size then; one that shrank, to its end.
    let len_bytes = usize::try_from(len).unwrap_or(0);
    if len_bytes > buffer.capacity() {
        *buffer = Vec::new();
        *buffer = Vec::with_capacity(buffer_capacity(len_bytes));
    }
    buffer.clear();
    file.take(len)
        .read_to_end(buffer)
        .map_err(|e| e.to_string())?;
    Ok(true)
}

/// The smallest read buffer a thread keeps.
const MIN_BUFFER_BYTES: usize = 1 << 20;

/// The capacity of a read buffer that must hold `len` bytes: at least [`MIN_BUFFER_BYTES`],
/// else the next power of two. A thread's buffer so grows a few times at most, each time to
/// fresh memory without copying the old (a `Vec` grown by `reserve` at each larger file
/// copies its old bytes into newly mapped pages, which the kernel zeroes first: a fifth of the
/// search's time once, measured with perf).
fn buffer_capacity(len: usize) -> usize {
    len.checked_next_power_of_two()
        .unwrap_or(len)
        .max(MIN_BUFFER_BYTES)
}

/// The regular files (and executables) git tracks in the clone at `dir`, from its index,
/// sorted as git sorts them (by bytes); `None` when `dir` is no git repository with a
/// readable index.
///
/// A plain clone (`.git` a folder, SHA-1 objects, as `agora repos clone` makes) has its
/// `.git/index` read directly, without opening the repository (whose configuration, with the
/// user's and the system's, costs more to read than the index) and without verifying the
/// index's checksum (it is only listed); anything else (a work tree whose `.git` is a file,
/// SHA-256 objects) is opened with gix.
fn tracked_files(dir: &Path) -> Option<Vec<String>> {
    let git_dir = dir.join(".git");
    if git_dir.is_dir() && sha1_repository(&git_dir) {
        let options = gix::index::decode::Options {
            thread_limit: Some(1),
            ..Default::default()
        };
        let path = git_dir.join("index");
        match gix::index::File::at(&path, gix::hash::Kind::Sha1, true, options) {
            Ok(index) => return Some(index_files(&index)),
            // A repository with no commit checked out has no index: nothing is tracked.
            Err(gix::index::file::init::Error::Io(e))
                if e.kind() == std::io::ErrorKind::NotFound =>
            {
                return Some(Vec::new());
            }
            Err(_) => {}
        }
    }
    let repo = gix::open(dir).ok()?;
    let index = repo.index_or_empty().ok()?;
    Some(index_files(&index))
}

/// The regular files and executables of `index` (no symbolic links, no submodules, no
/// conflicted entries), in its order.
fn index_files(index: &gix::index::State) -> Vec<String> {
    use gix::index::entry::Mode;
    index
        .entries()
        .iter()
        .filter(|entry| matches!(entry.mode, Mode::FILE | Mode::FILE_EXECUTABLE))
        .filter(|entry| entry.stage_raw() == 0)
        .map(|entry| entry.path(index).to_string())
        .collect()
}

/// Whether the repository at `git_dir` uses SHA-1 object names: its `config` names no other
/// `objectformat` (the only place git records it).
fn sha1_repository(git_dir: &Path) -> bool {
    let Ok(config) = std::fs::read_to_string(git_dir.join("config")) else {
        return false;
    };
    !config.lines().any(|line| {
        let line = line.trim().to_ascii_lowercase();
        line.starts_with("objectformat") && !line.ends_with("sha1")
    })
}

/// The files to search in one clone, relative to it, and what went wrong listing them.
#[derive(Default)]
struct Listing {
    paths: Vec<String>,
    errors: Vec<String>,
}

/// The files of the clone at `dir`: those git tracks (its index), as `git grep` searches;
/// a folder that is no git repository is walked instead, honouring `.gitignore`.
fn list_files(repo: &str, dir: &Path) -> Listing {
    if !dir.is_dir() {
        return Listing {
            paths: Vec::new(),
            errors: vec![format!("{repo}: no clone at {}", dir.display())],
        };
    }
    if let Some(paths) = tracked_files(dir) {
        return Listing {
            paths,
            errors: Vec::new(),
        };
    }
    let found = Mutex::new(Vec::new());
    let errors = walk_files(dir, 1, |_, relative| {
        if let Ok(mut found) = found.lock() {
            found.push(relative.to_string());
        }
    });
    let mut paths = found.into_inner().unwrap_or_default();
    paths.sort();
    Listing {
        paths,
        errors: errors.into_iter().map(|e| format!("{repo}: {e}")).collect(),
    }
}

/// How many files a thread takes at a time: few enough that the threads end together, enough
/// that taking them costs nothing.
const BATCH: usize = 32;

/// What one batch of files gave: matches, errors, and how many files were searched.
type BatchFindings = (Vec<GrepMatch>, Vec<String>, u64);

/// Searches every clone in `clones` (`owner/name` and folder) for `pattern`.
///
/// First every clone's files are listed (a few clones at a time); then the files of all
/// clones are searched by all threads together, in batches of [`BATCH`], so one large clone
/// does not leave the other threads idle at the end. Each thread keeps its searcher and its
/// read buffer from file to file.
pub fn grep(
    clones: &[(String, PathBuf)],
    pattern: &str,
    options: GrepOptions,
) -> Result<GrepReport, ReposError> {
    let matcher = matcher(pattern, options)?;
    let jobs = options.jobs.max(1);
    let mut listings: Vec<Listing> = Vec::new();
    listings.resize_with(clones.len(), Listing::default);
    for_each_bounded(
        clones,
        jobs,
        |(repo, dir)| list_files(repo, dir),
        |index, listing| listings[index] = listing,
    );
    // Batches in order: by clone, then by path.
    let batches: Vec<(usize, std::ops::Range<usize>)> = listings
        .iter()
        .enumerate()
        .flat_map(|(clone, listing)| {
            (0..listing.paths.len())
                .step_by(BATCH)
                .map(move |start| (clone, start..(start + BATCH).min(listing.paths.len())))
        })
        .collect();
    let mut per_batch: Vec<Option<BatchFindings>> = vec![None; batches.len()];
    for_each_bounded_with(
        &batches,
        jobs,
        Scratch::new,
        |scratch, (clone, range)| {
            let (repo, dir) = &clones[*clone];
            search_batch(
                scratch,
                &matcher,
                repo,
                dir,
                &listings[*clone].paths[range.clone()],
            )
        },
        |index, findings| per_batch[index] = Some(findings),
    );
    let mut report = GrepReport {
        repos: clones.len(),
        ..GrepReport::default()
    };
    // Listing errors first, then each clone's file errors; both sorted per clone.
    let mut errors: Vec<Vec<String>> = listings.into_iter().map(|l| l.errors).collect();
    for ((clone, _), (matches, batch_errors, files)) in batches
        .iter()
        .zip(per_batch.into_iter().map(Option::unwrap_or_default))
    {
        report.matches.extend(matches);
        errors[*clone].extend(batch_errors);
        report.files += files;
    }
    for mut clone_errors in errors {
        clone_errors.sort();
        report.errors.extend(clone_errors);
    }
    Ok(report)
}

/// Searches the files `paths` (relative to the clone `dir` of `repo`), in order.
fn search_batch(
    scratch: &mut Scratch,
    matcher: &RegexMatcher,
    repo: &str,
    dir: &Path,
    paths: &[String],
) -> BatchFindings {
    let mut found = Vec::new();
    let mut errors = Vec::new();
    let mut files = 0;
    for relative in paths {
        let path = dir.join(relative);
        match read_file(&path, &mut scratch.buffer) {
            Ok(true) => {}
            Ok(false) => continue,
            Err(e) => {
                errors.push(format!("{repo}:{relative}: {e}"));
                continue;
            }
        }
        files += 1;
        match search_bytes(&mut scratch.searcher, matcher, &scratch.buffer) {
            Ok(lines) => found.extend(lines.into_iter().map(|(line, text)| GrepMatch {
                repo: repo.to_string(),
                path: relative.clone(),
                binary: line == 0,
                line,
                text,
            })),
            Err(e) => errors.push(format!("{repo}:{relative}: {e}")),
        }
    }
    (found, errors, files)
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

    /// A thread's read buffer: the whole file each time, whatever the sizes before it; a
    /// missing file or a folder is no file; the buffer grows by powers of two from 1 MiB.
    #[test]
    fn files_read_whole_into_one_buffer() {
        let dir = tempfile::tempdir().expect("tempdir");
        let big: Vec<u8> = (0..3_000_000u32).map(|n| b'a' + (n % 26) as u8).collect();
        std::fs::write(dir.path().join("big"), &big).expect("write");
        std::fs::write(dir.path().join("small"), b"small\n").expect("write");
        std::fs::write(dir.path().join("empty"), b"").expect("write");
        let mut buffer = Vec::new();
        assert_eq!(read_file(&dir.path().join("small"), &mut buffer), Ok(true));
        assert_eq!(buffer, b"small\n");
        assert_eq!(buffer.capacity(), MIN_BUFFER_BYTES);
        assert_eq!(read_file(&dir.path().join("big"), &mut buffer), Ok(true));
        assert_eq!(buffer, big);
        assert_eq!(buffer.capacity(), 4 << 20);
        assert_eq!(read_file(&dir.path().join("small"), &mut buffer), Ok(true));
        assert_eq!(buffer, b"small\n");
        assert_eq!(buffer.capacity(), 4 << 20, "kept, not shrunk");
        assert_eq!(read_file(&dir.path().join("empty"), &mut buffer), Ok(true));
        assert!(buffer.is_empty());
        assert_eq!(
            read_file(&dir.path().join("missing"), &mut buffer),
            Ok(false)
        );
        assert_eq!(read_file(dir.path(), &mut buffer), Ok(false));
        assert_eq!(buffer_capacity(MIN_BUFFER_BYTES + 1), 2 * MIN_BUFFER_BYTES);
    }

    #[test]
    fn lines_and_binary_files() {
        let m = matcher(r"np\.float_\b", GrepOptions::default()).expect("pattern");
        let mut searcher = Scratch::new().searcher;
        let found = search_bytes(
            &mut searcher,
            &m,
            b"a\nx = np.float_(1)\r\nnp.float_64\ny = np.float_\n",
        )
        .expect("search");
        assert_eq!(
            found,
            vec![
                (2, "x = np.float_(1)\r".to_string()),
                (4, "y = np.float_".to_string())
            ]
        );
        let binary = search_bytes(&mut searcher, &m, b"\0\x01np.float_ here").expect("search");
        assert_eq!(binary, vec![(0, String::new())]);
        assert!(
            search_bytes(&mut searcher, &m, b"\0nothing")
                .expect("search")
                .is_empty()
        );
        assert!(matcher("(", GrepOptions::default()).is_err());
        let fixed = GrepOptions {
            fixed_strings: true,
            ignore_case: true,
            ..GrepOptions::default()
        };
        let m = matcher("A(", fixed).expect("literal");
        assert_eq!(
            search_bytes(&mut searcher, &m, b"xa(y\n")
                .expect("search")
                .len(),
            1
        );
    }
}
