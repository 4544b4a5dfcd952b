//! Writing files under a folder without ever overwriting one.
//!
//! Every target is checked first, so a refused run writes nothing; then each file is created
//! with `create_new`, so a file that appears in between is not overwritten either (that run
//! stops with an error naming it, and the files written before it stay).

use std::io::Write as _;
use std::path::{Component, Path, PathBuf};

use crate::File;

/// Why the files could not be written.
#[derive(Debug, thiserror::Error)]
pub enum WriteError {
    /// Some files are there already; nothing was written.
    #[error("{} already exist{}: agora new never overwrites a file; move {} away or write elsewhere", list(.0), if .0.len() == 1 { "s" } else { "" }, if .0.len() == 1 { "it" } else { "them" })]
    Exists(Vec<PathBuf>),
    /// A path that would leave the folder (a bug: paths come from the templates).
    #[error("{0} is not a relative path inside the folder")]
    OutsideFolder(String),
    /// The file system refused.
    #[error("cannot write {path}: {source}")]
    Io {
        /// The file or folder.
        path: PathBuf,
        /// The error.
        #[source]
        source: std::io::Error,
    },
}

/// At most five paths, then how many more.
fn list(paths: &[PathBuf]) -> String {
    let mut shown: Vec<String> = paths
        .iter()
        .take(5)
        .map(|p| p.display().to_string())
        .collect();
    if paths.len() > 5 {
        shown.push(format!("and {} more", paths.len() - 5));
    }
    shown.join(", ")
}

/// Writes `files` under `root` (created if missing) and returns the paths written, in order.
pub fn write_tree(root: &Path, files: &[File]) -> Result<Vec<PathBuf>, WriteError> {
    let mut targets = Vec::with_capacity(files.len());
    for file in files {
        let relative = Path::new(&file.path);
        if !relative
            .components()
            .all(|c| matches!(c, Component::Normal(_)))
        {
            return Err(WriteError::OutsideFolder(file.path.clone()));
        }
        targets.push(root.join(relative));
    }
    let existing: Vec<PathBuf> = targets
        .iter()
        .filter(|t| t.symlink_metadata().is_ok())
        .cloned()
        .collect();
    if !existing.is_empty() {
        return Err(WriteError::Exists(existing));
    }
    for (file, target) in files.iter().zip(&targets) {
        if let Some(parent) = target.parent() {
            std::fs::create_dir_all(parent).map_err(|source| WriteError::Io {
                path: parent.to_path_buf(),
                source,
            })?;
        }
        let io = |source| WriteError::Io {
            path: target.clone(),
            source,
        };
        let mut out = std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(target)
            .map_err(io)?;
        out.write_all(file.contents.as_bytes()).map_err(io)?;
    }
    Ok(targets)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(path: &str) -> File {
        File {
            path: path.into(),
            contents: format!("{path}\n"),
        }
    }

    #[test]
    fn writes_then_refuses_to_overwrite() {
        let dir = tempfile::tempdir().expect("temp dir");
        let files = [file("a/b.txt"), file("c.txt")];
        let written = write_tree(dir.path(), &files).expect("written");
        assert_eq!(written.len(), 2);
        assert_eq!(
            std::fs::read_to_string(dir.path().join("a/b.txt")).expect("read"),
            "a/b.txt\n"
        );
        std::fs::write(dir.path().join("c.txt"), "mine").expect("write");
        std::fs::remove_file(dir.path().join("a/b.txt")).expect("remove");
        let error = write_tree(dir.path(), &files).expect_err("refused");
        assert!(
            matches!(&error, WriteError::Exists(p) if p.len() == 1),
            "{error}"
        );
        assert!(
            error.to_string().contains("c.txt already exists"),
            "{error}"
        );
        // Nothing written when refused, and the existing file is untouched.
        assert!(!dir.path().join("a/b.txt").exists());
        assert_eq!(
            std::fs::read_to_string(dir.path().join("c.txt")).expect("read"),
            "mine"
        );
    }

    #[test]
    fn refuses_paths_leaving_the_folder() {
        let dir = tempfile::tempdir().expect("temp dir");
        for bad in ["../x", "/etc/x", "a/../../x"] {
            assert!(matches!(
                write_tree(dir.path(), &[file(bad)]),
                Err(WriteError::OutsideFolder(_))
            ));
        }
    }
}
