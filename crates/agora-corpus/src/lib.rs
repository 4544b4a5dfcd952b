//! Locates the shared real-data corpus that agora's tests compare against.
//!
//! CI sets `AGORA_CORPUS`, usually to `../shared/data`, a path relative to the workspace root,
//! while `cargo test` runs each test binary inside its own crate's folder. [`folder`] therefore
//! takes an absolute path as it is and tries a relative one against the working directory, then
//! against the workspace root. When the variable is unset, the test is skipped with a printed note.
//! When it is set but the folder a test needs is missing, the setup is broken: the test fails,
//! instead of passing without having looked at anything.

use std::path::{Path, PathBuf};

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
