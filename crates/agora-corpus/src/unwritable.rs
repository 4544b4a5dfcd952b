//! Files and folders made unwritable for a test, even for root, and restored when dropped.
//!
//! Tests of read-only stores run as root in CI, where permissions alone stop nothing: the
//! guard sets the immutable attribute with `chattr +i` where it can, else drops the write
//! bits. A test should still probe whether writing fails, and skip with a note when not.

use std::os::unix::fs::PermissionsExt as _;
use std::path::PathBuf;

/// Keeps `paths` unwritable (`chattr +i`, else permissions) until dropped.
pub struct Unwritable(Vec<PathBuf>);

impl Unwritable {
    /// Makes each of `paths` unwritable.
    pub fn new(paths: Vec<PathBuf>) -> Unwritable {
        for path in &paths {
            let immutable = std::process::Command::new("chattr")
                .arg("+i")
                .arg(path)
                .status()
                .is_ok_and(|s| s.success());
            if !immutable {
                let mode = if path.is_dir() { 0o555 } else { 0o444 };
                let _ = std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode));
            }
        }
        Unwritable(paths)
    }
}

impl Drop for Unwritable {
    fn drop(&mut self) {
        for path in &self.0 {
            let _ = std::process::Command::new("chattr")
                .arg("-i")
                .arg(path)
                .status();
            let mode = if path.is_dir() { 0o755 } else { 0o644 };
            let _ = std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode));
        }
    }
}
