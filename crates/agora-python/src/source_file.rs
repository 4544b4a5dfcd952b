//! Reading a Python source file from disk: a regular file (a symlink to one is fine) of at
//! most [`MAX_SOURCE_BYTES`], so a link to `/dev/zero`, a FIFO or a multi-gigabyte file is
//! an error naming what is wrong instead of a read that never ends.

use std::io::Read as _;
use std::path::Path;

/// The largest source file read: 16 MiB (the largest `.py` file of numpy and scipy is
/// about 1.3 MiB).
pub const MAX_SOURCE_BYTES: u64 = 16 * 1024 * 1024;

/// Why a source file was not read.
#[derive(Debug, thiserror::Error)]
pub enum ReadError {
    /// The path is a directory, device, FIFO or socket (after following symlinks).
    #[error("not a regular file")]
    NotAFile,
    /// The file is larger than [`MAX_SOURCE_BYTES`].
    #[error("larger than the {} MiB a source file may have", MAX_SOURCE_BYTES / 1024 / 1024)]
    TooLarge,
    /// The file system refused.
    #[error("cannot be read: {0}")]
    Io(#[from] std::io::Error),
}

/// The bytes of the regular file at `path`, refusing anything else and anything larger than
/// [`MAX_SOURCE_BYTES`].
pub fn read_source(path: &Path) -> Result<Vec<u8>, ReadError> {
    // `metadata` follows symlinks, and looking before opening means a FIFO is never opened
    // (opening one blocks until a writer comes).
    let metadata = std::fs::metadata(path)?;
    if !metadata.is_file() {
        return Err(ReadError::NotAFile);
    }
    if metadata.len() > MAX_SOURCE_BYTES {
        return Err(ReadError::TooLarge);
    }
    let file = std::fs::File::open(path)?;
    let mut bytes = Vec::with_capacity(usize::try_from(metadata.len()).unwrap_or(0));
    // The file may grow between the look and the read: read one byte past the cap at most.
    file.take(MAX_SOURCE_BYTES + 1).read_to_end(&mut bytes)?;
    if bytes.len() as u64 > MAX_SOURCE_BYTES {
        return Err(ReadError::TooLarge);
    }
    Ok(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn regular_files_and_links_to_them_are_read() {
        let dir = std::env::temp_dir().join(format!("agora-python-read-{}", std::process::id()));
        let _ = std::fs::create_dir_all(&dir);
        let file = dir.join("m.py");
        assert!(std::fs::write(&file, "x = 1\n").is_ok());
        assert_eq!(read_source(&file).ok(), Some(b"x = 1\n".to_vec()));
        #[cfg(unix)]
        {
            let link = dir.join("link.py");
            let _ = std::fs::remove_file(&link);
            assert!(std::os::unix::fs::symlink(&file, &link).is_ok());
            assert_eq!(read_source(&link).ok(), Some(b"x = 1\n".to_vec()));
        }
        assert!(matches!(read_source(&dir), Err(ReadError::NotAFile)));
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[cfg(unix)]
    #[test]
    fn devices_and_links_to_them_are_refused() {
        let dir = std::env::temp_dir().join(format!("agora-python-dev-{}", std::process::id()));
        let _ = std::fs::create_dir_all(&dir);
        let link = dir.join("zero.py");
        let _ = std::fs::remove_file(&link);
        assert!(std::os::unix::fs::symlink("/dev/zero", &link).is_ok());
        assert!(matches!(read_source(&link), Err(ReadError::NotAFile)));
        let _ = std::fs::remove_dir_all(&dir);
    }
}
