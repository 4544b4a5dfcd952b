//! An upload's tarball unpacked into a folder, with strict checks.
//!
//! An upload is a gzip-compressed tar holding the asv results folder under `results/` and the
//! commit order beside it, as `agora bench ingest --revisions` takes it: `revisions.tsv`, one
//! `branch-NAME-first-parent.txt` per branch, `tags.tsv` (optional) and `asv.conf.json`
//! (optional). Only regular files and folders are accepted; a path that is absolute or climbs
//! out (`..`), a link of either kind, a device, more entries than allowed or more bytes than
//! allowed once decompressed refuse the whole upload before anything is stored.

use std::fs;
use std::io::{self, Read};
use std::path::{Component, Path, PathBuf};

use agora_bench_hosting::CommitOrder;

/// Why a tarball was refused.
#[derive(Debug, thiserror::Error)]
pub enum BundleError {
    /// An entry's path is absolute or climbs out of the folder.
    #[error("entry {0:?}: absolute paths and `..` are not allowed")]
    UnsafePath(String),
    /// An entry is a link, a device or a fifo.
    #[error("entry {0:?}: only regular files and folders are allowed (no links)")]
    NotAFile(String),
    /// More entries than allowed.
    #[error("more than {0} entries")]
    TooManyEntries(u64),
    /// More bytes than allowed once decompressed.
    #[error("more than {0} bytes once decompressed")]
    TooLarge(u64),
    /// The body is not a gzip-compressed tar.
    #[error("not a .tar.gz: {0}")]
    Corrupt(io::Error),
    /// The tarball has no `results/benchmarks.json`.
    #[error("no results/benchmarks.json in the tarball")]
    NoResults,
    /// The tarball has no `revisions.tsv`.
    #[error("no revisions.tsv in the tarball: the commit order is needed")]
    NoRevisions,
    /// The temporary folder could not be written.
    #[error("cannot unpack: {0}")]
    Write(io::Error),
}

/// The limits of an unpacking.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// The most bytes the tar (decompressed) may hold.
    pub max_bytes: u64,
    /// The most entries.
    pub max_entries: u64,
}

/// A reader that fails once more than `left` bytes were read through it.
struct Capped<R> {
    inner: R,
    left: u64,
    max: u64,
}

impl<R: Read> Read for Capped<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        if n as u64 > self.left {
            return Err(io::Error::other(TooLarge(self.max)));
        }
        self.left -= n as u64;
        Ok(n)
    }
}

#[derive(Debug)]
struct TooLarge(u64);

impl std::fmt::Display for TooLarge {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "more than {} bytes", self.0)
    }
}

impl std::error::Error for TooLarge {}

/// The relative path of an entry, or why it is unsafe.
fn safe_path(raw: &Path) -> Result<PathBuf, BundleError> {
    let shown = raw.display().to_string();
    let mut out = PathBuf::new();
    for component in raw.components() {
        match component {
            Component::Normal(part) => out.push(part),
            Component::CurDir => {}
            Component::ParentDir | Component::RootDir | Component::Prefix(_) => {
                return Err(BundleError::UnsafePath(shown));
            }
        }
    }
    Ok(out)
}

/// Unpacks the gzip-compressed tar `body` into `dir` (an empty folder).
pub fn unpack(body: &[u8], dir: &Path, limits: Limits) -> Result<(), BundleError> {
    // Tar headers and padding count too: a bomb made of empty entries is still refused.
    let decoder = Capped {
        inner: flate2::read::GzDecoder::new(body),
        left: limits.max_bytes.saturating_add(1 << 20),
        max: limits.max_bytes,
    };
    let mut archive = tar::Archive::new(decoder);
    let mut entries = 0u64;
    let mut written = 0u64;
    let corrupt =
        |error: io::Error| match error.get_ref().and_then(|e| e.downcast_ref::<TooLarge>()) {
            Some(_) => BundleError::TooLarge(limits.max_bytes),
            None => BundleError::Corrupt(error),
        };
    for entry in archive.entries().map_err(corrupt)? {
        let mut entry = entry.map_err(corrupt)?;
        entries += 1;
        if entries > limits.max_entries {
            return Err(BundleError::TooManyEntries(limits.max_entries));
        }
        let raw = entry.path().map_err(corrupt)?.into_owned();
        let relative = safe_path(&raw)?;
        let kind = entry.header().entry_type();
        if kind.is_dir() {
            fs::create_dir_all(dir.join(&relative)).map_err(BundleError::Write)?;
            continue;
        }
        if !kind.is_file() {
            return Err(BundleError::NotAFile(raw.display().to_string()));
        }
        let size = entry.header().size().map_err(corrupt)?;
        written = written.saturating_add(size);
        if written > limits.max_bytes {
            return Err(BundleError::TooLarge(limits.max_bytes));
        }
        if relative.as_os_str().is_empty() {
            continue;
        }
        let target = dir.join(&relative);
        if let Some(parent) = target.parent() {
            fs::create_dir_all(parent).map_err(BundleError::Write)?;
        }
        let mut file = fs::File::create_new(&target).map_err(BundleError::Write)?;
        io::copy(&mut (&mut entry).take(size), &mut file).map_err(corrupt)?;
    }
    Ok(())
}

/// The commit order of an unpacked upload in `dir`.
pub fn commit_order(dir: &Path) -> Result<CommitOrder, BundleError> {
    if !dir.join("results/benchmarks.json").is_file() {
        return Err(BundleError::NoResults);
    }
    let revisions = dir.join("revisions.tsv");
    if !revisions.is_file() {
        return Err(BundleError::NoRevisions);
    }
    let mut branches = Vec::new();
    for entry in fs::read_dir(dir).map_err(BundleError::Write)? {
        let entry = entry.map_err(BundleError::Write)?;
        let name = entry.file_name();
        let Some(name) = name.to_str() else { continue };
        if let Some(branch) = name
            .strip_prefix("branch-")
            .and_then(|n| n.strip_suffix("-first-parent.txt"))
        {
            branches.push((branch.to_owned(), entry.path()));
        }
    }
    branches.sort();
    let tags = dir.join("tags.tsv");
    Ok(CommitOrder::Lists {
        revisions,
        branches,
        tags: tags.is_file().then_some(tags),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unsafe_paths_are_refused() {
        assert!(safe_path(Path::new("results/a.json")).is_ok());
        assert!(safe_path(Path::new("./results/a.json")).is_ok());
        assert!(safe_path(Path::new("../a.json")).is_err());
        assert!(safe_path(Path::new("results/../../a.json")).is_err());
        assert!(safe_path(Path::new("/etc/passwd")).is_err());
    }
}
