//! Keeping the HTTP cache bounded: entries unused for too long go, then the least recently
//! used ones until the cache fits its size cap.
//!
//! An entry is its `<key>.meta.json` and `<key>.body`; its last use is the later modification
//! time of the two (a cache hit touches the meta). Pruning removes the meta first, so a body
//! without a meta (never served) is an orphan and goes too, as do temporary files left by a
//! killed write once they are an hour old. Files that are not the cache's are left alone.

use std::collections::BTreeMap;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

use crate::HttpError;

/// How large and how old the cache may grow.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PruneLimits {
    /// Total bytes of entries kept; the least recently used go first. `None`: no size cap.
    pub max_size: Option<u64>,
    /// Entries not used for longer than this are removed. `None`: no age cap.
    pub max_age: Option<Duration>,
}

impl PruneLimits {
    /// The cap applied after every sync: 2 GiB, and 90 days without use.
    pub const AUTOMATIC: PruneLimits = PruneLimits {
        max_size: Some(2 * 1024 * 1024 * 1024),
        max_age: Some(Duration::from_secs(90 * 24 * 3600)),
    };
}

/// What a prune did.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, serde::Serialize)]
pub struct PruneReport {
    /// Entries before.
    pub entries_before: u64,
    /// Bytes of entries before.
    pub bytes_before: u64,
    /// Entries removed (too old, or over the size cap).
    pub removed_entries: u64,
    /// Bytes removed, orphans and stale temporary files included.
    pub removed_bytes: u64,
    /// Entries kept.
    pub entries_after: u64,
    /// Bytes of entries kept.
    pub bytes_after: u64,
}

/// How old a temporary file must be before it counts as left behind.
const STALE_TEMPORARY: Duration = Duration::from_secs(3600);

/// One entry's files.
#[derive(Default)]
struct EntryFiles {
    meta: Option<(PathBuf, u64, SystemTime)>,
    body: Option<(PathBuf, u64, SystemTime)>,
}

impl EntryFiles {
    fn bytes(&self) -> u64 {
        self.meta.as_ref().map_or(0, |m| m.1) + self.body.as_ref().map_or(0, |b| b.1)
    }

    fn last_used(&self) -> SystemTime {
        let times = [&self.meta, &self.body];
        times
            .iter()
            .filter_map(|f| f.as_ref().map(|f| f.2))
            .max()
            .unwrap_or(SystemTime::UNIX_EPOCH)
    }

    /// Removes the files, meta first; returns the bytes freed.
    fn remove(&self) -> io::Result<u64> {
        let mut freed = 0;
        for (path, len, _) in [&self.meta, &self.body].into_iter().flatten() {
            match fs::remove_file(path) {
                Ok(()) => freed += len,
                Err(err) if err.kind() == io::ErrorKind::NotFound => {}
                Err(err) => return Err(err),
            }
        }
        Ok(freed)
    }
}

/// Whether `name` is a 64-hex-digit key.
fn is_key(name: &str) -> bool {
    name.len() == 64 && name.bytes().all(|b| b.is_ascii_hexdigit())
}

/// Prunes the cache in `dir` to `limits` as of `now`; a missing directory is an empty cache.
pub fn prune_cache(
    dir: &Path,
    limits: &PruneLimits,
    now: SystemTime,
) -> Result<PruneReport, HttpError> {
    let error = |source: io::Error| HttpError::Cache {
        path: dir.to_path_buf(),
        source,
    };
    let mut report = PruneReport::default();
    let listing = match fs::read_dir(dir) {
        Ok(listing) => listing,
        Err(err) if err.kind() == io::ErrorKind::NotFound => return Ok(report),
        Err(err) => return Err(error(err)),
    };
    let mut entries: BTreeMap<String, EntryFiles> = BTreeMap::new();
    for item in listing {
        let item = item.map_err(error)?;
        let name = item.file_name().to_string_lossy().into_owned();
        let Ok(metadata) = item.metadata() else {
            continue;
        };
        if !metadata.is_file() {
            continue;
        }
        let modified = metadata.modified().unwrap_or(SystemTime::UNIX_EPOCH);
        let file = (item.path(), metadata.len(), modified);
        if name.starts_with('.') && name.ends_with(".tmp") {
            let age = now.duration_since(modified).unwrap_or_default();
            if age > STALE_TEMPORARY && fs::remove_file(&file.0).is_ok() {
                report.removed_bytes += file.1;
            }
            continue;
        }
        if let Some(key) = name.strip_suffix(".meta.json").filter(|k| is_key(k)) {
            entries.entry(key.to_string()).or_default().meta = Some(file);
        } else if let Some(key) = name.strip_suffix(".body").filter(|k| is_key(k)) {
            entries.entry(key.to_string()).or_default().body = Some(file);
        }
    }
    // Orphans (a body or meta without its partner) are never served: remove them.
    let mut kept: Vec<EntryFiles> = Vec::new();
    for (_, files) in entries {
        if files.meta.is_none() || files.body.is_none() {
            report.removed_bytes += files.remove().map_err(error)?;
        } else {
            kept.push(files);
        }
    }
    report.entries_before = kept.len() as u64;
    report.bytes_before = kept.iter().map(EntryFiles::bytes).sum();
    // Most recently used first: the tail is what goes.
    kept.sort_by_key(|files| std::cmp::Reverse(files.last_used()));
    let mut total = 0u64;
    for files in kept {
        let too_old = limits
            .max_age
            .is_some_and(|max| now.duration_since(files.last_used()).unwrap_or_default() > max);
        let over_size = limits
            .max_size
            .is_some_and(|max| total.saturating_add(files.bytes()) > max);
        if too_old || over_size {
            report.removed_bytes += files.remove().map_err(error)?;
            report.removed_entries += 1;
        } else {
            total += files.bytes();
            report.entries_after += 1;
        }
    }
    report.bytes_after = total;
    Ok(report)
}

/// Reads a size: a number of bytes with an optional unit, `B`, `K`/`KB`/`KiB`, `M`/`MB`/`MiB`,
/// `G`/`GB`/`GiB`, `T`/`TB`/`TiB` (all binary: `1K` is 1024 bytes), case-insensitive, e.g.
/// `500M`, `2GiB`, `1.5G`, `4096`.
pub fn parse_size(text: &str) -> Result<u64, String> {
    let trimmed = text.trim();
    let split = trimmed
        .find(|c: char| !(c.is_ascii_digit() || c == '.'))
        .unwrap_or(trimmed.len());
    let (number, unit) = trimmed.split_at(split);
    let value: f64 = number
        .parse()
        .map_err(|_| format!("{text:?} is not a size: expected a number like 500M or 2GiB"))?;
    let shift = match unit.trim().to_ascii_lowercase().as_str() {
        "" | "b" => 0,
        "k" | "kb" | "kib" => 10,
        "m" | "mb" | "mib" => 20,
        "g" | "gb" | "gib" => 30,
        "t" | "tb" | "tib" => 40,
        other => {
            return Err(format!(
                "{text:?}: unknown size unit {other:?}; use B, K, M, G or T"
            ));
        }
    };
    let bytes = value * (1u64 << shift) as f64;
    if !bytes.is_finite() || bytes >= u64::MAX as f64 {
        return Err(format!("{text:?} is too large a size"));
    }
    Ok(bytes as u64)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes() {
        assert_eq!(parse_size("4096"), Ok(4096));
        assert_eq!(parse_size("500M"), Ok(500 << 20));
        assert_eq!(parse_size("2GiB"), Ok(2 << 30));
        assert_eq!(parse_size("1.5g"), Ok(3 << 29));
        assert_eq!(parse_size(" 10 kb "), Ok(10 << 10));
        assert!(parse_size("lots").is_err());
        assert!(parse_size("5 parsecs").is_err());
        assert!(parse_size("99999999999T").is_err());
    }
}
