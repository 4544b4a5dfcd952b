//! Locates the shared real-data corpus that agora's tests compare against.
//!
//! CI sets `AGORA_CORPUS`, usually to `../shared/data`, a path relative to the workspace root,
//! while `cargo test` runs each test binary inside its own crate's folder. [`folder`] therefore
//! takes an absolute path as it is and tries a relative one against the working directory, then
//! against the workspace root. When the variable is unset, the test is skipped with a printed note.
//! When it is set but the folder a test needs is missing, the setup is broken: the test fails,
//! instead of passing without having looked at anything.

use std::path::{Path, PathBuf};
use std::process::Command;

pub mod asv_demo;
mod unwritable;
pub use unwritable::Unwritable;

/// The environment variable that names the corpus.
pub const VARIABLE: &str = "AGORA_CORPUS";

/// The workspace root, two levels above this crate.
pub fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// The corpus root, or `None` (with a note on stderr) when `AGORA_CORPUS` is not set.
///
/// # Panics
/// When `AGORA_CORPUS` is set but names no folder: a corpus test must not pass unseen.
pub fn root() -> Option<PathBuf> {
    let Some(value) = std::env::var_os(VARIABLE) else {
        eprintln!("note: {VARIABLE} is not set; skipping a corpus test");
        return None;
    };
    let given = PathBuf::from(value);
    let candidates = if given.is_absolute() {
        vec![given.clone()]
    } else {
        vec![given.clone(), workspace_root().join(&given)]
    };
    match candidates.into_iter().find(|path| path.is_dir()) {
        Some(found) => Some(found),
        None => panic!(
            "{VARIABLE}={} is not a folder (tried it as given and against the workspace root {})",
            given.display(),
            workspace_root().display()
        ),
    }
}

/// The corpus sub-folder `relative` (such as `github/devstats`), or `None` when `AGORA_CORPUS`
/// is not set.
///
/// # Panics
/// When `AGORA_CORPUS` is set but the sub-folder is missing.
pub fn folder(relative: &str) -> Option<PathBuf> {
    let root = root()?;
    let folder = root.join(relative);
    assert!(
        folder.is_dir(),
        "{VARIABLE} is set but {} is missing: the corpus is incomplete",
        folder.display()
    );
    Some(folder)
}

/// Every file under `dir`, at any depth, sorted; none when `dir` cannot be listed.
pub fn files_under(dir: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    if let Ok(entries) = std::fs::read_dir(dir) {
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                files.extend(files_under(&path));
            } else {
                files.push(path);
            }
        }
    }
    files.sort();
    files
}

/// The wheels whose contents the numpydoc reference findings were made from.
/// The official wheels of the ecosystem's core projects that `wheel check` must pass: (file
/// name prefix, pip requirement). The cp311 manylinux x86_64 wheels, and networkx's pure one.
const ECOSYSTEM_WHEELS: [(&str, &str); 5] = [
    ("numpy-2.4.6-cp311-cp311-", "numpy==2.4.6"),
    ("scipy-1.17.1-cp311-cp311-", "scipy==1.17.1"),
    ("scikit_learn-1.7.2-cp311-cp311-", "scikit-learn==1.7.2"),
    ("scikit_image-0.26.0-cp311-cp311-", "scikit-image==0.26.0"),
    ("networkx-3.6.1-py3-none-any", "networkx==3.6.1"),
];

/// The newest manylinux (or pure) wheel in `dir` whose name starts with `prefix`.
fn wheel_in(dir: &Path, prefix: &str) -> Option<PathBuf> {
    let mut found: Vec<PathBuf> = std::fs::read_dir(dir)
        .ok()?
        .filter_map(Result::ok)
        .map(|entry| entry.path())
        .filter(|path| {
            path.file_name()
                .and_then(|name| name.to_str())
                .is_some_and(|name| {
                    name.starts_with(prefix)
                        && (name.contains("manylinux") || name.contains("-none-any"))
                        && name.ends_with(".whl")
                })
        })
        .collect();
    found.sort();
    found.pop()
}

/// The numpy 2.4.6 and scipy 1.17.1 cp311 manylinux wheels, in that order, cached in
/// `<workspace>/target/corpus-wheels/`.
///
/// A missing one is fetched with `pip download --no-deps --only-binary=:all: --python-version
/// 3.11 numpy==2.4.6 scipy==1.17.1` (`$PYTHON`, default `python3`) into a temporary folder in
/// `target/` and renamed into place, so test binaries running at once never see half a wheel.
///
/// # Panics
/// When pip cannot fetch them.
pub fn numpy_scipy_wheels() -> Vec<PathBuf> {
    corpus_wheels(&ECOSYSTEM_WHEELS[..2])
}

/// The official numpy 2.4.6, scipy 1.17.1, scikit-learn 1.7.2, scikit-image 0.26.0 (cp311,
/// manylinux x86_64) and networkx 3.6.1 wheels, in that order, cached in
/// `<workspace>/target/corpus-wheels/` as [`numpy_scipy_wheels`] does.
///
/// # Panics
/// When pip cannot fetch them.
pub fn ecosystem_wheels() -> Vec<PathBuf> {
    corpus_wheels(&ECOSYSTEM_WHEELS)
}

/// The wheels of `wheels` ((file name prefix, pip requirement)), downloading those missing
/// from `<workspace>/target/corpus-wheels/` with pip in one go.
fn corpus_wheels(wheels: &[(&str, &str)]) -> Vec<PathBuf> {
    let target = workspace_root().join("target");
    let dir = target.join("corpus-wheels");
    std::fs::create_dir_all(&dir).expect("create target/corpus-wheels");
    let missing: Vec<&str> = wheels
        .iter()
        .filter(|(prefix, _)| wheel_in(&dir, prefix).is_none())
        .map(|(_, requirement)| *requirement)
        .collect();
    if !missing.is_empty() {
        let tmp = tempfile::tempdir_in(&target).expect("a temporary folder in target/");
        let python = std::env::var("PYTHON").unwrap_or_else(|_| "python3".to_string());
        let status = Command::new(&python)
            .args(["-m", "pip", "download", "--quiet", "--no-deps"])
            .args(["--only-binary=:all:", "--python-version", "3.11"])
            .args(&missing)
            .arg("-d")
            .arg(tmp.path())
            .status()
            .expect("run pip download");
        assert!(status.success(), "pip download of {missing:?} failed");
        for entry in std::fs::read_dir(tmp.path())
            .expect("read the download folder")
            .flatten()
        {
            let destination = dir.join(entry.file_name());
            if !destination.exists() {
                // A rename within target/ is atomic: another test binary sees all or nothing.
                std::fs::rename(entry.path(), &destination).expect("move the wheel into place");
            }
        }
    }
    wheels
        .iter()
        .map(|(prefix, _)| wheel_in(&dir, prefix).unwrap_or_else(|| panic!("no {prefix}* wheel")))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_workspace_root_holds_the_workspace_manifest() {
        let manifest = std::fs::read_to_string(workspace_root().join("Cargo.toml"))
            .expect("the workspace manifest is readable");
        assert!(manifest.contains("[workspace]"));
    }
}
