//! `agora docs lint`: numpydoc validation of Python files, a drop-in for `numpydoc lint`.
//!
//! The paths are expanded first (a file is taken as given, a directory is searched for `.py`
//! files honouring `.gitignore`, hidden folders included but `.git`-style version-control
//! folders left out, in sorted order), the project's
//! settings are read once from the root numpydoc would pick, and `--ignore` is applied. Files
//! are then read, parsed and linted on worker threads pulling from a shared counter; results
//! land in their file's slot, so the output is in path order whatever the scheduling. A file
//! that cannot be read or parsed is reported on stderr and the others go on.

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

use agora_numpydoc::report::{self, FileError, Report};
use agora_numpydoc::{Config, Finding, decode_python, find_project_root, lint_source};
use anyhow::Context as _;

use crate::cli::{DocsLintArgs, DocsLintFormat};
use crate::progress;

/// One file's findings, or why it could not be linted.
type FileResult = Result<Vec<Finding>, FileError>;

/// The Python files under the given paths, in order, each once.
fn expand(paths: &[PathBuf]) -> anyhow::Result<Vec<PathBuf>> {
    let mut files = Vec::new();
    for path in paths {
        if path.is_dir() {
            let mut found = Vec::new();
            // Hidden folders are linted too (`.spin/cmds.py`, as numpydoc lints every file
            // it is given), except version-control folders; .gitignore is honoured.
            let walk = ignore::WalkBuilder::new(path)
                .require_git(false)
                .hidden(false)
                .filter_entry(|entry| !is_vcs_folder(entry))
                .build();
            for entry in walk {
                let entry = entry.with_context(|| format!("cannot walk {}", path.display()))?;
                let is_file = entry.file_type().is_some_and(|t| t.is_file());
                if is_file && entry.path().extension().is_some_and(|e| e == "py") {
                    found.push(entry.into_path());
                }
            }
            found.sort();
            files.extend(found);
        } else if path.exists() {
            files.push(path.clone());
        } else {
            anyhow::bail!("{}: no such file or directory", path.display());
        }
    }
    let mut seen = std::collections::HashSet::new();
    files.retain(|file| seen.insert(file.clone()));
    Ok(files)
}

/// Version-control folders, never walked into.
const VCS_FOLDERS: &[&str] = &[".git", ".hg", ".svn", ".jj"];

/// Whether a walked entry is a version-control folder.
fn is_vcs_folder(entry: &ignore::DirEntry) -> bool {
    entry.file_type().is_some_and(|t| t.is_dir())
        && entry
            .file_name()
            .to_str()
            .is_some_and(|name| VCS_FOLDERS.contains(&name))
}

/// Splits `--ignore` values as numpydoc does (on any run of non-word characters).
fn ignored_codes(values: &[String]) -> Vec<String> {
    values
        .iter()
        .flat_map(|value| value.split(|c: char| !(c.is_alphanumeric() || c == '_')))
        .filter(|code| !code.is_empty())
        .map(str::to_string)
        .collect()
}

fn display(path: &Path) -> String {
    let text = path.display().to_string();
    text.strip_prefix("./").map(str::to_string).unwrap_or(text)
}

fn lint_file(path: &Path, config: &Config) -> FileResult {
    let shown = display(path);
    let bytes = agora_python::read_source(path).map_err(|error| FileError {
        path: shown.clone(),
        line: None,
        message: error.to_string(),
    })?;
    let source = decode_python(&bytes).map_err(|error| FileError {
        path: shown.clone(),
        line: Some(error.line),
        message: error.message,
    })?;
    lint_source(&shown, &source, config).map_err(|error| FileError {
        path: shown.clone(),
        line: Some(error.line),
        message: format!("cannot parse: {}", error.message),
    })
}

/// Appends the run's Markdown summary to the job's step summary file (GitHub sets
/// `GITHUB_STEP_SUMMARY`; other steps may have written to it already).
fn append_step_summary(file: &Path, markdown: &str) -> anyhow::Result<()> {
    use std::io::Write as _;
    let mut out = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(file)
        .with_context(|| format!("cannot open the step summary {}", file.display()))?;
    out.write_all(markdown.as_bytes())
        .with_context(|| format!("cannot write the step summary {}", file.display()))
}

/// Stack for a worker beyond what parsing needs: the linting around it.
const WORKER_STACK_MARGIN: usize = 1024 * 1024;

/// [`lint_file`], with a panic (a bug, on some input) reported as that file's error so the
/// other files' findings are still printed.
fn lint_file_or_report_panic(path: &Path, config: &Config) -> FileResult {
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| lint_file(path, config)))
        .unwrap_or_else(|_| {
            Err(FileError {
                path: display(path),
                line: None,
                message: "internal error while linting (agora panicked; please report it)"
                    .to_string(),
            })
        })
}

/// `agora docs lint [PATH…]`.
pub fn lint(args: &DocsLintArgs, quiet: bool) -> anyhow::Result<ExitCode> {
    let paths = if args.paths.is_empty() {
        vec![PathBuf::from(".")]
    } else {
        args.paths.clone()
    };
    let root = find_project_root(&paths);
    let mut config = Config::load(&root)?;
    config.ignore(&ignored_codes(&args.ignore))?;
    let files: Vec<PathBuf> = expand(&paths)?
        .into_iter()
        .filter(|file| !config.excludes_file(&display(file)))
        .collect();

    let bar = progress::bar(files.len(), "linting", quiet);
    let slots: Mutex<Vec<Option<FileResult>>> =
        Mutex::new((0..files.len()).map(|_| None).collect());
    let next = AtomicUsize::new(0);
    let workers = args
        .jobs
        .unwrap_or_else(|| std::thread::available_parallelism().map_or(2, |n| n.get()))
        .clamp(1, 64)
        .min(files.len().max(1));
    let work = || {
        loop {
            let index = next.fetch_add(1, Ordering::Relaxed);
            let Some(file) = files.get(index) else { break };
            let result = lint_file_or_report_panic(file, &config);
            if let Ok(mut slots) = slots.lock()
                && let Some(slot) = slots.get_mut(index)
            {
                *slot = Some(result);
            }
            bar.inc(1);
        }
    };
    std::thread::scope(|scope| {
        let mut started = 0;
        for _ in 0..workers {
            // Parsing wants `agora_python::STACK_BYTES` of stack; a worker that has it
            // never needs `parse_module` to switch to a stack of its own.
            let worker = std::thread::Builder::new()
                .name("docs-lint".to_string())
                .stack_size(agora_python::STACK_BYTES + WORKER_STACK_MARGIN)
                .spawn_scoped(scope, work);
            if worker.is_ok() {
                started += 1;
            }
        }
        if started == 0 {
            work();
        }
    });
    bar.finish_and_clear();

    let mut run = Report {
        files: files.len(),
        ..Report::default()
    };
    let slots = slots.into_inner().unwrap_or_default();
    for (file, slot) in files.iter().zip(slots) {
        match slot {
            Some(Ok(findings)) => run.findings.extend(findings),
            Some(Err(error)) => run.errors.push(error),
            None => run.errors.push(FileError {
                path: display(file),
                line: None,
                message: "the linter never reported back".to_string(),
            }),
        }
    }

    let out = match (args.format, args.statistics) {
        (DocsLintFormat::Json, true) => report::statistics_json(&run),
        (_, true) => report::statistics_text(&run),
        (DocsLintFormat::Text, false) => report::text(&run),
        (DocsLintFormat::Json, false) => report::json(&run),
        (DocsLintFormat::Github, false) => report::github(&run, args.max_annotations_per_file),
    };
    crate::output::print(&out)?;
    if args.format == DocsLintFormat::Github
        && let Some(file) = std::env::var_os("GITHUB_STEP_SUMMARY").filter(|f| !f.is_empty())
    {
        // The findings are out already: a summary that cannot be written is a warning.
        if let Err(error) =
            append_step_summary(Path::new(&file), &report::github_step_summary(&run))
        {
            eprintln!("warning: {error:#}");
        }
    }
    if args.format != DocsLintFormat::Github {
        eprint!("{}", report::errors_text(&run));
    }
    if !quiet && progress::interactive(quiet) {
        eprintln!(
            "{} findings in {} files ({} could not be linted)",
            run.findings.len(),
            run.files,
            run.errors.len()
        );
    }
    Ok(ExitCode::from(run.exit_code()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ignore_values_split_like_numpydoc() {
        let values = ["ES01,SA01".to_string(), "EX01 GL08".to_string()];
        assert_eq!(ignored_codes(&values), ["ES01", "SA01", "EX01", "GL08"]);
    }
}
