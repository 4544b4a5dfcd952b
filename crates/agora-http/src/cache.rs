//! The on-disk response cache: one body file and one JSON meta file per URL.
//!
//! An entry for URL `u` is `<dir>/<sha256(u)>.body` plus `<dir>/<sha256(u)>.meta.json`. Each file
//! is written to a temporary name in the same directory and renamed into place, so a reader
//! sees either the old or the new file, never a partial one. The two renames are not one atomic
//! step, so the meta records the body's length and SHA-256 and a load checks both: a body and
//! meta from different writes (a crash between the renames, two threads racing) do not match
//! and the entry counts as missing. So does anything unreadable, unparseable or of another
//! format version: a corrupt entry costs one download, never an error.

use std::fs;
use std::io::{self, Write};
use std::path::{Path, PathBuf};

use jiff::Timestamp;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::headers;

/// The meta format version written by this code; others are ignored.
const FORMAT: u32 = 1;

/// Response headers never stored: per-connection, or not ours to keep.
const UNSTORED: &[&str] = &[
    "connection",
    "keep-alive",
    "transfer-encoding",
    "set-cookie",
    "content-length",
];

/// What the cache knows about a stored response.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct Meta {
    /// Format version ([`FORMAT`]).
    pub(crate) format: u32,
    /// The URL the entry is for (checked on load).
    pub(crate) url: String,
    /// The status of the stored response (200).
    pub(crate) status: u16,
    /// `ETag`, for `If-None-Match`.
    pub(crate) etag: Option<String>,
    /// `Last-Modified`, for `If-Modified-Since`.
    pub(crate) last_modified: Option<String>,
    /// `Content-Type` of the body.
    pub(crate) content_type: Option<String>,
    /// The `Accept` the request was made with; another `Accept` is another representation.
    pub(crate) accept: Option<String>,
    /// When the response was fetched or last revalidated.
    pub(crate) fetched_at: Timestamp,
    /// Seconds after `fetched_at` during which the entry is fresh; `None`: always revalidate.
    pub(crate) max_age: Option<u64>,
    /// Hex SHA-256 of the body file.
    pub(crate) body_sha256: String,
    /// Length of the body file.
    pub(crate) body_len: u64,
    /// The stored response headers, names lowercased.
    pub(crate) headers: Vec<(String, String)>,
}

impl Meta {
    /// The meta for a response with `headers` and `body`, fetched at `now`.
    pub(crate) fn new(
        url: &str,
        status: u16,
        accept: Option<&str>,
        headers: &[(String, String)],
        body: &[u8],
        now: Timestamp,
    ) -> Self {
        let headers: Vec<(String, String)> = headers
            .iter()
            .filter(|(k, _)| !UNSTORED.contains(&k.as_str()))
            .cloned()
            .collect();
        Meta {
            format: FORMAT,
            url: url.to_string(),
            status,
            etag: headers::get(&headers, "etag").map(str::to_string),
            last_modified: headers::get(&headers, "last-modified").map(str::to_string),
            content_type: headers::get(&headers, "content-type").map(str::to_string),
            accept: accept.map(str::to_string),
            fetched_at: now,
            max_age: headers::freshness_lifetime(&headers),
            body_sha256: sha256_hex(body),
            body_len: body.len() as u64,
            headers,
        }
    }

    /// This meta after a 304 with `update` headers at `now`: the 304's headers replace the
    /// stored ones of the same name (a missing `Age` means none), then validators and
    /// freshness are derived again.
    pub(crate) fn revalidated(&self, update: &[(String, String)], now: Timestamp) -> Self {
        let replaced = |name: &str| {
            name == "age"
                || update
                    .iter()
                    .any(|(k, _)| k.eq_ignore_ascii_case(name) && !UNSTORED.contains(&k.as_str()))
        };
        let mut merged: Vec<(String, String)> = self
            .headers
            .iter()
            .filter(|(k, _)| !replaced(k))
            .cloned()
            .collect();
        merged.extend(update.iter().cloned());
        let mut meta = Meta::new(
            &self.url,
            self.status,
            self.accept.as_deref(),
            &merged,
            &[],
            now,
        );
        meta.body_sha256.clone_from(&self.body_sha256);
        meta.body_len = self.body_len;
        // A 304 describes the stored body: keep its content type if the 304 has none.
        if meta.content_type.is_none() {
            meta.content_type.clone_from(&self.content_type);
        }
        meta
    }

    /// Whether the entry may be served at `now` without asking the server. `heuristic` is the
    /// lifetime given to responses that say nothing about caching (no `Cache-Control`, no
    /// `Expires`), as RFC 9111 §4.2.2 allows; an explicit `no-cache` is always revalidated.
    pub(crate) fn is_fresh(&self, now: Timestamp, heuristic: Option<u64>) -> bool {
        let silent = headers::get(&self.headers, "cache-control").is_none()
            && headers::get(&self.headers, "expires").is_none();
        let Some(max_age) = self.max_age.or(if silent { heuristic } else { None }) else {
            return false;
        };
        let age = now.as_second().saturating_sub(self.fetched_at.as_second());
        // A negative age means the clock went back: do not trust the entry.
        u64::try_from(age).is_ok_and(|age| age < max_age)
    }
}

/// A stored response: meta and a body that matches it.
#[derive(Clone, Debug)]
pub(crate) struct Entry {
    /// What we know about the body.
    pub(crate) meta: Meta,
    /// The body bytes, verified against `meta`.
    pub(crate) body: Vec<u8>,
}

/// The cache directory.
#[derive(Debug)]
pub(crate) struct Cache {
    dir: PathBuf,
}

impl Cache {
    /// Opens (creating if needed) the cache in `dir`.
    pub(crate) fn open(dir: &Path) -> io::Result<Self> {
        fs::create_dir_all(dir)?;
        Ok(Cache {
            dir: dir.to_path_buf(),
        })
    }

    /// The cache directory.
    pub(crate) fn dir(&self) -> &Path {
        &self.dir
    }

    /// The meta and body paths for `url`.
    fn paths(&self, url: &str) -> (PathBuf, PathBuf) {
        let key = sha256_hex(url.as_bytes());
        (
            self.dir.join(format!("{key}.meta.json")),
            self.dir.join(format!("{key}.body")),
        )
    }

    /// The entry for `url`, or `None` if missing, unreadable or inconsistent.
    pub(crate) fn load(&self, url: &str) -> Option<Entry> {
        let (meta_path, body_path) = self.paths(url);
        let meta: Meta = serde_json::from_slice(&fs::read(&meta_path).ok()?).ok()?;
        if meta.format != FORMAT || meta.url != url {
            return None;
        }
        let body = fs::read(body_path).ok()?;
        if body.len() as u64 != meta.body_len || sha256_hex(&body) != meta.body_sha256 {
            return None;
        }
        // The meta file's modification time is the entry's last use, which pruning goes by;
        // failing to record it only makes the entry look older.
        if let Ok(file) = fs::File::options().append(true).open(&meta_path) {
            let _ = file.set_modified(std::time::SystemTime::now());
        }
        Some(Entry { meta, body })
    }

    /// Removes the entry for `url`; returns whether there was one.
    pub(crate) fn remove(&self, url: &str) -> io::Result<bool> {
        let (meta_path, body_path) = self.paths(url);
        let mut removed = false;
        // The meta first: without it the body is never served.
        for path in [meta_path, body_path] {
            match fs::remove_file(&path) {
                Ok(()) => removed = true,
                Err(err) if err.kind() == io::ErrorKind::NotFound => {}
                Err(err) => return Err(err),
            }
        }
        Ok(removed)
    }

    /// Stores `body` and its `meta` (body first, so a meta never names a body not yet written).
    pub(crate) fn store(&self, meta: &Meta, body: &[u8]) -> io::Result<()> {
        let (meta_path, body_path) = self.paths(&meta.url);
        write_atomic(&body_path, body)?;
        self.write_meta(&meta_path, meta)
    }

    /// Replaces only the meta of an entry (after a 304).
    pub(crate) fn store_meta(&self, meta: &Meta) -> io::Result<()> {
        let (meta_path, _) = self.paths(&meta.url);
        self.write_meta(&meta_path, meta)
    }

    fn write_meta(&self, path: &Path, meta: &Meta) -> io::Result<()> {
        let json = serde_json::to_vec_pretty(meta).map_err(io::Error::other)?;
        write_atomic(path, &json)
    }
}

/// Writes `bytes` to `path` through a temporary file in the same directory and a rename.
fn write_atomic(path: &Path, bytes: &[u8]) -> io::Result<()> {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    // Unique per process and thread; one thread writes one file at a time.
    let thread: String = format!("{:?}", std::thread::current().id())
        .chars()
        .filter(char::is_ascii_digit)
        .collect();
    let tmp = path.with_file_name(format!(".{name}.{}-{thread}.tmp", std::process::id()));
    let result = (|| {
        let mut file = fs::File::create(&tmp)?;
        file.write_all(bytes)?;
        file.flush()?;
        drop(file);
        fs::rename(&tmp, path)
    })();
    if result.is_err() {
        let _ = fs::remove_file(&tmp);
    }
    result
}

/// Lowercase hex SHA-256 of `bytes`.
pub(crate) fn sha256_hex(bytes: &[u8]) -> String {
    let digest = Sha256::digest(bytes);
    let mut hex = String::with_capacity(64);
    for byte in digest {
        hex.push(char::from(b"0123456789abcdef"[usize::from(byte >> 4)]));
        hex.push(char::from(b"0123456789abcdef"[usize::from(byte & 0xf)]));
    }
    hex
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::headers::test_headers as h;

    fn now() -> Timestamp {
        "2024-05-01T12:00:00Z".parse().expect("timestamp")
    }

    #[test]
    fn sha256_of_empty() {
        assert_eq!(
            sha256_hex(b""),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
        );
    }

    #[test]
    fn store_and_load_round_trip() {
        let dir = tempfile::tempdir().expect("tempdir");
        let cache = Cache::open(&dir.path().join("http")).expect("open");
        let headers = h(&[
            ("etag", "\"v1\""),
            ("content-type", "application/json"),
            ("cache-control", "max-age=60"),
            ("set-cookie", "secret"),
        ]);
        let meta = Meta::new("https://x/a", 200, None, &headers, b"{}", now());
        cache.store(&meta, b"{}").expect("store");
        let entry = cache.load("https://x/a").expect("entry");
        assert_eq!(entry.body, b"{}");
        assert_eq!(entry.meta, meta);
        assert_eq!(entry.meta.etag.as_deref(), Some("\"v1\""));
        assert_eq!(entry.meta.max_age, Some(60));
        assert!(headers::get(&entry.meta.headers, "set-cookie").is_none());
        assert!(cache.load("https://x/b").is_none());
        // Only the two entry files remain, no temporary ones.
        assert_eq!(fs::read_dir(cache.dir()).expect("dir").count(), 2);
    }

    #[test]
    fn mismatched_or_corrupt_entries_are_missing() {
        let dir = tempfile::tempdir().expect("tempdir");
        let cache = Cache::open(dir.path()).expect("open");
        let meta = Meta::new("u", 200, None, &[], b"body", now());
        cache.store(&meta, b"body").expect("store");
        let (meta_path, body_path) = cache.paths("u");

        fs::write(&body_path, b"bodY").expect("write");
        assert!(cache.load("u").is_none(), "same length, other bytes");
        fs::write(&body_path, b"body").expect("write");
        assert!(cache.load("u").is_some());
        fs::write(&meta_path, b"{not json").expect("write");
        assert!(cache.load("u").is_none(), "bad meta");
        fs::remove_file(&meta_path).expect("rm");
        assert!(cache.load("u").is_none(), "no meta");
    }

    #[test]
    fn freshness() {
        let fresh = Meta::new(
            "u",
            200,
            None,
            &h(&[("cache-control", "max-age=60")]),
            b"",
            now(),
        );
        assert!(fresh.is_fresh(now(), None));
        assert!(fresh.is_fresh(now() + jiff::SignedDuration::from_secs(59), None));
        assert!(!fresh.is_fresh(now() + jiff::SignedDuration::from_secs(60), None));
        assert!(!fresh.is_fresh(now() - jiff::SignedDuration::from_secs(1), None));
        let no_cache = Meta::new(
            "u",
            200,
            None,
            &h(&[("cache-control", "no-cache")]),
            b"",
            now(),
        );
        assert!(!no_cache.is_fresh(now(), None));
        // A heuristic lifetime applies only to responses silent about caching.
        assert!(!no_cache.is_fresh(now(), Some(600)));
        let silent = Meta::new(
            "u",
            200,
            None,
            &h(&[("content-type", "text/plain")]),
            b"",
            now(),
        );
        assert!(!silent.is_fresh(now(), None));
        assert!(silent.is_fresh(now() + jiff::SignedDuration::from_secs(599), Some(600)));
        assert!(!silent.is_fresh(now() + jiff::SignedDuration::from_secs(600), Some(600)));
    }

    #[test]
    fn revalidation_merges_headers() {
        let old = Meta::new(
            "u",
            200,
            Some("application/json"),
            &h(&[
                ("etag", "\"v1\""),
                ("content-type", "application/json"),
                ("cache-control", "max-age=10"),
                ("age", "5"),
                ("x-keep", "yes"),
            ]),
            b"body",
            now(),
        );
        let later = now() + jiff::SignedDuration::from_secs(100);
        let new = old.revalidated(&h(&[("cache-control", "max-age=600")]), later);
        assert_eq!(new.fetched_at, later);
        assert_eq!(new.max_age, Some(600), "the stale Age does not survive");
        assert_eq!(new.etag.as_deref(), Some("\"v1\""));
        assert_eq!(new.content_type.as_deref(), Some("application/json"));
        assert_eq!(new.body_sha256, old.body_sha256);
        assert_eq!(new.body_len, 4);
        assert_eq!(new.accept.as_deref(), Some("application/json"));
        assert_eq!(headers::get(&new.headers, "x-keep"), Some("yes"));
        let new_tag = old.revalidated(&h(&[("etag", "\"v2\"")]), later);
        assert_eq!(new_tag.etag.as_deref(), Some("\"v2\""));
        assert_eq!(
            new_tag.max_age,
            Some(10),
            "old Cache-Control kept, Age dropped"
        );
    }
}
