//! The static site folder: files with ETags, `Last-Modified`, gzip and a short public cache
//! lifetime.
//!
//! Files up to [`MAX_CACHED_FILE`] bytes are kept in memory (up to [`MAX_CACHED_BYTES`] in
//! all) with their gzip-compressed bytes and a strong ETag (the SHA-256 of their content), so
//! a request costs no read, compression or hashing, and at most one `stat` of the file a
//! [`RECHECK_MS`] (which notices a file a rebuild rewrote or removed). Anything else (folders without their `/`, missing files,
//! range requests, larger files, paths with encoded separators or dot segments) goes to
//! tower-http's `ServeDir`, whose answers get a weak ETag from the modification time and
//! length.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, RwLock};
use std::time::{Instant, SystemTime};

use axum::Router;
use axum::body::{Body, Bytes};
use axum::extract::{Request, State};
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use sha2::{Digest, Sha256};
use tower_http::services::ServeDir;
use tower_http::set_header::SetResponseHeaderLayer;

use crate::Shared;

/// The largest file kept in memory.
pub(crate) const MAX_CACHED_FILE: u64 = 4 << 20;
/// The most bytes (plain and gzip) kept in memory in all.
pub(crate) const MAX_CACHED_BYTES: u64 = 256 << 20;
/// How long a file in memory is served without looking at the file again, in milliseconds.
pub(crate) const RECHECK_MS: u64 = 1_000;

/// A file as kept in memory.
struct Cached {
    /// Its length and modification time when read: a `stat` that differs means it changed.
    len: u64,
    modified: SystemTime,
    /// When the file was last seen unchanged, in milliseconds since [`SiteFiles::epoch`].
    checked: AtomicU64,
    body: Bytes,
    /// The gzip-compressed body, when the type compresses and it came out smaller.
    gzip: Option<Bytes>,
    etag: HeaderValue,
    content_type: HeaderValue,
    last_modified: HeaderValue,
}

/// The site folder and the files of it kept in memory.
struct SiteFiles {
    root: PathBuf,
    /// The clock of [`Cached::checked`].
    epoch: Instant,
    cache: RwLock<HashMap<PathBuf, Arc<Cached>>>,
    cached_bytes: AtomicU64,
}

/// The routes serving `site`'s files (`index.html` for a folder).
pub(crate) fn routes(site: &Path) -> Router<Shared> {
    let files = Arc::new(SiteFiles {
        root: site.to_path_buf(),
        epoch: Instant::now(),
        cache: RwLock::default(),
        cached_bytes: AtomicU64::new(0),
    });
    Router::new()
        .fallback(move |request: Request| {
            let files = Arc::clone(&files);
            async move { serve(State(files), request).await }
        })
        .layer(axum::middleware::from_fn(etag))
        .layer(SetResponseHeaderLayer::if_not_present(
            header::CACHE_CONTROL,
            HeaderValue::from_static("public, max-age=300"),
        ))
}

/// The file under `root` that a clean request path names (`index.html` for one ending in
/// `/`); `None` for anything [`ServeDir`] should judge.
fn clean_path(root: &Path, path: &str) -> Option<PathBuf> {
    let mut out = root.to_path_buf();
    for raw in path.split('/').skip(1) {
        if raw.is_empty() {
            continue;
        }
        let segment = percent_encoding::percent_decode_str(raw)
            .decode_utf8()
            .ok()?;
        if segment == "."
            || segment == ".."
            || segment.contains(['/', '\\', '\0'])
            || segment.starts_with('.')
        {
            return None;
        }
        out.push(segment.as_ref());
    }
    if path.ends_with('/') {
        out.push("index.html");
    }
    Some(out)
}

/// Whether a type is worth compressing.
fn compresses(content_type: &str) -> bool {
    content_type.starts_with("text/")
        || content_type.contains("json")
        || content_type.contains("javascript")
        || content_type.contains("xml")
        || content_type.contains("svg")
}

/// Whether the client takes gzip.
fn accepts_gzip(headers: &HeaderMap) -> bool {
    headers
        .get_all(header::ACCEPT_ENCODING)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .any(|item| {
            let mut parts = item.split(';').map(str::trim);
            parts.next().is_some_and(|e| e.eq_ignore_ascii_case("gzip"))
                && !parts.any(|p| p.replace(' ', "") == "q=0")
        })
}

/// Whether `If-None-Match` names `etag` (weak comparison, as for GET).
fn none_match(headers: &HeaderMap, etag: &str) -> bool {
    let bare = etag.trim_start_matches("W/");
    headers
        .get_all(header::IF_NONE_MATCH)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .map(str::trim)
        .any(|tag| tag == "*" || tag.trim_start_matches("W/") == bare)
}

/// Reads `path` into a [`Cached`].
fn load(path: &Path, len: u64, modified: SystemTime, now: u64) -> std::io::Result<Cached> {
    let body = std::fs::read(path)?;
    let content_type = mime_guess::from_path(path)
        .first_raw()
        .unwrap_or("application/octet-stream");
    let content_type = if content_type.starts_with("text/") {
        format!("{content_type}; charset=utf-8")
    } else {
        content_type.to_owned()
    };
    let gzip = (compresses(&content_type) && body.len() >= 256)
        .then(|| {
            use std::io::Write as _;
            let mut encoder = flate2::write::GzEncoder::new(
                Vec::with_capacity(body.len() / 3),
                flate2::Compression::default(),
            );
            encoder.write_all(&body).ok()?;
            encoder.finish().ok()
        })
        .flatten()
        .filter(|gz| gz.len() < body.len())
        .map(Bytes::from);
    let digest = Sha256::digest(&body);
    let hex: String = digest[..10].iter().map(|b| format!("{b:02x}")).collect();
    let invalid = |e| std::io::Error::new(std::io::ErrorKind::InvalidData, e);
    Ok(Cached {
        len,
        modified,
        checked: AtomicU64::new(now),
        etag: HeaderValue::from_str(&format!("\"{hex}\"")).map_err(invalid)?,
        content_type: HeaderValue::from_str(&content_type).map_err(invalid)?,
        last_modified: HeaderValue::from_str(&httpdate::fmt_http_date(modified))
            .map_err(invalid)?,
        body: Bytes::from(body),
        gzip,
    })
}

/// Answers from memory when it can, else through [`ServeDir`].
async fn serve(State(files): State<Arc<SiteFiles>>, request: Request) -> Response {
    let (parts, body) = request.into_parts();
    match cached(&files, &parts).await {
        Some(file) => answer(&file, &parts),
        None => match ServeDir::new(&files.root)
            .try_call(Request::from_parts(parts, body))
            .await
        {
            Ok(response) => response.map(Body::new),
            Err(error) => crate::error::ApiError::internal(error).into_response(),
        },
    }
}

/// The file a plain GET or HEAD names, from memory (read into it first if needed).
async fn cached(files: &SiteFiles, request: &Parts) -> Option<Arc<Cached>> {
    if !matches!(request.method, Method::GET | Method::HEAD)
        || request.headers.contains_key(header::RANGE)
    {
        return None;
    }
    let path = clean_path(&files.root, request.uri.path())?;
    let now = u64::try_from(files.epoch.elapsed().as_millis()).unwrap_or(u64::MAX);
    let held = files
        .cache
        .read()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
        .get(&path)
        .cloned();
    if let Some(held) = &held
        && now.saturating_sub(held.checked.load(Ordering::Relaxed)) < RECHECK_MS
    {
        return Some(Arc::clone(held));
    }
    // A file not looked at for a while: one stat notices it rewritten (or removed).
    let meta = std::fs::metadata(&path).ok()?;
    if !meta.is_file() || meta.len() > MAX_CACHED_FILE {
        return None;
    }
    let modified = meta.modified().ok()?;
    if let Some(held) = held.filter(|c| c.len == meta.len() && c.modified == modified) {
        held.checked.store(now, Ordering::Relaxed);
        return Some(held);
    }
    let reading = path.clone();
    let loaded = tokio::task::spawn_blocking(move || load(&reading, meta.len(), modified, now))
        .await
        .ok()?
        .ok()?;
    let loaded = Arc::new(loaded);
    let size = loaded.body.len() as u64 + loaded.gzip.as_ref().map_or(0, |g| g.len() as u64);
    let mut cache = files
        .cache
        .write()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    let replaced = cache.get(&path).map_or(0, |old| {
        old.body.len() as u64 + old.gzip.as_ref().map_or(0, |g| g.len() as u64)
    });
    let total = files
        .cached_bytes
        .load(Ordering::Relaxed)
        .saturating_sub(replaced);
    if total + size <= MAX_CACHED_BYTES {
        cache.insert(path, Arc::clone(&loaded));
        files.cached_bytes.store(total + size, Ordering::Relaxed);
    }
    Some(loaded)
}

/// The answer to a GET or HEAD of a file held in memory.
fn answer(file: &Cached, request: &Parts) -> Response {
    let headers = &request.headers;
    let mut response = if none_match(headers, file.etag.to_str().unwrap_or_default()) {
        StatusCode::NOT_MODIFIED.into_response()
    } else {
        let gzip = file.gzip.as_ref().filter(|_| accepts_gzip(headers));
        let body = gzip.unwrap_or(&file.body);
        let length = HeaderValue::from(body.len());
        let mut response = if request.method == Method::HEAD {
            Response::new(Body::empty())
        } else {
            Response::new(Body::from(body.clone()))
        };
        let out = response.headers_mut();
        out.insert(header::CONTENT_TYPE, file.content_type.clone());
        out.insert(header::CONTENT_LENGTH, length);
        if gzip.is_some() {
            out.insert(header::CONTENT_ENCODING, HeaderValue::from_static("gzip"));
        }
        if file.gzip.is_some() {
            out.insert(header::VARY, HeaderValue::from_static("accept-encoding"));
        }
        response
    };
    let out = response.headers_mut();
    out.insert(header::ETAG, file.etag.clone());
    out.insert(header::LAST_MODIFIED, file.last_modified.clone());
    response
}

/// Adds a weak ETag (from the file's modification time and length) to a file `ServeDir`
/// answered, and answers 304 when the client's `If-None-Match` names it.
async fn etag(request: Request, next: Next) -> Response {
    let if_none_match = request.headers().get(header::IF_NONE_MATCH).cloned();
    let mut response = next.run(request).await;
    if response.status() != StatusCode::OK || response.headers().contains_key(header::ETAG) {
        return response;
    }
    let headers = response.headers();
    let (Some(modified), Some(length)) = (
        headers.get(header::LAST_MODIFIED),
        headers.get(header::CONTENT_LENGTH),
    ) else {
        return response;
    };
    let mut hasher = Sha256::new();
    hasher.update(modified.as_bytes());
    hasher.update(b"\0");
    hasher.update(length.as_bytes());
    let digest = format!("{:x}", hasher.finalize());
    let tag = format!("W/\"{}\"", &digest[..20]);
    let Ok(value) = HeaderValue::from_str(&tag) else {
        return response;
    };
    let matches = if_none_match
        .as_ref()
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| {
            v.split(',')
                .map(str::trim)
                .any(|t| t == "*" || t == tag || t.trim_start_matches("W/") == &tag[2..])
        });
    if matches {
        let mut not_modified = StatusCode::NOT_MODIFIED.into_response();
        let out = not_modified.headers_mut();
        out.insert(header::ETAG, value);
        if let Some(modified) = response.headers().get(header::LAST_MODIFIED) {
            out.insert(header::LAST_MODIFIED, modified.clone());
        }
        return not_modified;
    }
    response.headers_mut().insert(header::ETAG, value);
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_clean_paths_are_served_from_memory() {
        let root = Path::new("/site");
        assert_eq!(
            clean_path(root, "/a/b.html"),
            Some(PathBuf::from("/site/a/b.html"))
        );
        assert_eq!(
            clean_path(root, "/a/"),
            Some(PathBuf::from("/site/a/index.html"))
        );
        assert_eq!(
            clean_path(root, "/"),
            Some(PathBuf::from("/site/index.html"))
        );
        assert_eq!(
            clean_path(root, "/a%20b.html"),
            Some(PathBuf::from("/site/a b.html"))
        );
        for bad in [
            "/../etc/passwd",
            "/a/%2e%2e/b",
            "/a%2Fb",
            "/a%5Cb",
            "/.git/config",
            "/%ff",
        ] {
            assert_eq!(clean_path(root, bad), None, "{bad}");
        }
    }

    #[test]
    fn gzip_is_taken_unless_refused() {
        let mut headers = HeaderMap::new();
        assert!(!accepts_gzip(&headers));
        headers.insert(
            header::ACCEPT_ENCODING,
            HeaderValue::from_static("br, gzip"),
        );
        assert!(accepts_gzip(&headers));
        headers.insert(
            header::ACCEPT_ENCODING,
            HeaderValue::from_static("gzip;q=0"),
        );
        assert!(!accepts_gzip(&headers));
    }
}
