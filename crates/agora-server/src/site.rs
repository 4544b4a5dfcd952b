//! The static site folder: files with ETags, `Last-Modified`, gzip (by the router) and a short
//! public cache lifetime.

use std::path::Path;

use axum::Router;
use axum::extract::Request;
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use sha2::{Digest, Sha256};
use tower_http::services::ServeDir;
use tower_http::set_header::SetResponseHeaderLayer;

use crate::Shared;

/// The routes serving `site`'s files (`index.html` for a folder).
pub(crate) fn routes(site: &Path) -> Router<Shared> {
    Router::new()
        .fallback_service(ServeDir::new(site).precompressed_gzip())
        .layer(axum::middleware::from_fn(etag))
        .layer(SetResponseHeaderLayer::if_not_present(
            header::CACHE_CONTROL,
            HeaderValue::from_static("public, max-age=300"),
        ))
}

/// Adds a weak ETag (from the file's modification time and length) to a file, and answers
/// 304 when the client's `If-None-Match` names it.
async fn etag(request: Request, next: Next) -> Response {
    let if_none_match = request.headers().get(header::IF_NONE_MATCH).cloned();
    let mut response = next.run(request).await;
    if response.status() != StatusCode::OK {
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
