//! The errors of the HTTP client, written for the person reading them.
//!
//! Every variant that concerns a request carries its URL, and its message names it; messages
//! start lowercase so callers can prefix context ("cannot sync numpy: …"). Variants that are
//! reached only after retrying say how many attempts were made. [`HttpError::status`] and
//! [`HttpError::url`] let callers branch (a 404 from PyPI means "no such project") without
//! matching on every variant.

use std::path::PathBuf;
use std::time::Duration;

/// An HTTP request that could not be answered as asked.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum HttpError {
    /// The URL does not parse or is not http(s).
    #[error("invalid URL {url:?}: {reason}")]
    InvalidUrl {
        /// The URL as given.
        url: String,
        /// Why it was rejected.
        reason: String,
    },

    /// The request could not be built (e.g. a header value with control characters).
    #[error("cannot build the request for {url}: {message}")]
    InvalidRequest {
        /// The URL of the request.
        url: String,
        /// What was wrong.
        message: String,
    },

    /// The HTTP client itself could not be set up (e.g. no usable trust store).
    #[error("cannot set up the HTTP client: {message}")]
    Setup {
        /// What failed.
        message: String,
    },

    /// Offline mode and the URL is not in the cache.
    #[error(
        "{url} is not in the cache and offline mode allows no downloads; run again without --offline to fetch it"
    )]
    OfflineMiss {
        /// The URL asked for.
        url: String,
    },

    /// The server answered 4xx (not retried, except rate limits).
    #[error("got HTTP {status}{} from {url}: {excerpt}", reason(*status))]
    Client {
        /// The URL of the request.
        url: String,
        /// The status code.
        status: u16,
        /// The start of the response body.
        excerpt: String,
    },

    /// The server answered 5xx (or 429) on every attempt.
    #[error("server error HTTP {status}{} from {url} after {attempts} attempts: {excerpt}", reason(*status))]
    Server {
        /// The URL of the request.
        url: String,
        /// The status code of the last attempt.
        status: u16,
        /// How many requests were sent.
        attempts: u32,
        /// The start of the last response body.
        excerpt: String,
    },

    /// The server asked to wait (Retry-After or rate-limit reset) longer than we are allowed to.
    #[error(
        "{url} asks to wait {} before retrying (HTTP {status}), more than the {} allowed; try again after {retry_at}",
        human(*wait),
        human(*max_wait)
    )]
    RateLimited {
        /// The URL of the request.
        url: String,
        /// The status code (429, 503 or 403).
        status: u16,
        /// The wait the server asked for.
        wait: Duration,
        /// The longest wait allowed by [`crate::ClientOptions::max_retry_after`].
        max_wait: Duration,
        /// When to try again, RFC 3339 UTC.
        retry_at: String,
    },

    /// No complete answer within the timeout, on every attempt.
    #[error("timed out after {}ms waiting for {url} ({attempts} attempts)", timeout.as_millis())]
    Timeout {
        /// The URL of the request.
        url: String,
        /// The per-request timeout.
        timeout: Duration,
        /// How many requests were sent.
        attempts: u32,
    },

    /// The body was shorter than its `Content-Length`, on every attempt.
    #[error(
        "truncated response from {url}: Content-Length is {expected} bytes but only {received} arrived ({attempts} attempts)"
    )]
    Truncated {
        /// The URL of the request.
        url: String,
        /// The declared `Content-Length`.
        expected: u64,
        /// The bytes received before the connection ended.
        received: u64,
        /// How many requests were sent.
        attempts: u32,
    },

    /// The connection failed (refused, reset, TLS, …), on every attempt that was allowed.
    #[error("cannot fetch {url} ({attempts} attempts): {message}")]
    Transport {
        /// The URL of the request.
        url: String,
        /// How many requests were sent.
        attempts: u32,
        /// The underlying error chain.
        message: String,
    },

    /// JSON was expected but the response's content type is not JSON.
    #[error(
        "expected JSON from {url} but got content type {content_type:?}; the body starts: {excerpt}"
    )]
    NotJson {
        /// The URL of the request.
        url: String,
        /// The content type received (`""` when none).
        content_type: String,
        /// The start of the body.
        excerpt: String,
    },

    /// The body is not valid JSON (or not of the expected shape).
    #[error("invalid JSON from {url} at line {line}, column {column}: {message}")]
    Json {
        /// The URL of the request.
        url: String,
        /// 1-based line of the error.
        line: usize,
        /// 1-based column of the error.
        column: usize,
        /// What serde_json reported.
        message: String,
    },

    /// A status this client does not handle (1xx, unfollowed 3xx, 304 without a cache entry).
    #[error("unexpected HTTP {status}{} from {url}", reason(*status))]
    UnexpectedStatus {
        /// The URL of the request.
        url: String,
        /// The status code.
        status: u16,
    },

    /// The body is larger than the cap for this kind of request.
    #[error(
        "refusing the response from {url}: its body is larger than the {} limit{}",
        bytes(*limit),
        declared.map(|d| format!(" (Content-Length: {})", bytes(d))).unwrap_or_default()
    )]
    TooLarge {
        /// The URL of the request.
        url: String,
        /// The cap, in bytes (after decompression).
        limit: u64,
        /// The `Content-Length` the server announced, if any.
        declared: Option<u64>,
    },

    /// Earlier requests to this host timed out, so this one was not sent.
    #[error(
        "not fetching {url}: {host} did not answer within {} {timeouts} times in a row; check the network or the URL and run again",
        human(*timeout)
    )]
    HostUnresponsive {
        /// The URL not fetched.
        url: String,
        /// The host given up on.
        host: String,
        /// Timeouts in a row on that host.
        timeouts: u32,
        /// The per-request timeout.
        timeout: Duration,
    },

    /// The cache directory could not be created or written.
    #[error("cannot write the HTTP cache in {}: {source}", path.display())]
    Cache {
        /// The cache directory.
        path: PathBuf,
        /// The I/O error.
        source: std::io::Error,
    },
}

impl HttpError {
    /// The URL the error is about, if it is about one.
    pub fn url(&self) -> Option<&str> {
        match self {
            HttpError::InvalidUrl { url, .. }
            | HttpError::InvalidRequest { url, .. }
            | HttpError::OfflineMiss { url }
            | HttpError::Client { url, .. }
            | HttpError::Server { url, .. }
            | HttpError::RateLimited { url, .. }
            | HttpError::Timeout { url, .. }
            | HttpError::Truncated { url, .. }
            | HttpError::Transport { url, .. }
            | HttpError::NotJson { url, .. }
            | HttpError::Json { url, .. }
            | HttpError::UnexpectedStatus { url, .. }
            | HttpError::TooLarge { url, .. }
            | HttpError::HostUnresponsive { url, .. } => Some(url),
            HttpError::Setup { .. } | HttpError::Cache { .. } => None,
        }
    }

    /// The HTTP status the server answered, for errors caused by one.
    pub fn status(&self) -> Option<u16> {
        match self {
            HttpError::Client { status, .. }
            | HttpError::Server { status, .. }
            | HttpError::RateLimited { status, .. }
            | HttpError::UnexpectedStatus { status, .. } => Some(*status),
            _ => None,
        }
    }
}

impl HttpError {
    /// This error with every occurrence of `secret` (a URL's userinfo) in its texts replaced
    /// by `****`.
    pub(crate) fn scrubbed(self, secret: &str) -> HttpError {
        let clean = |text: String| crate::redact::scrub(&text, secret);
        match self {
            HttpError::InvalidUrl { url, reason } => HttpError::InvalidUrl {
                url: clean(url),
                reason: clean(reason),
            },
            HttpError::InvalidRequest { url, message } => HttpError::InvalidRequest {
                url: clean(url),
                message: clean(message),
            },
            HttpError::Setup { message } => HttpError::Setup {
                message: clean(message),
            },
            HttpError::Client {
                url,
                status,
                excerpt,
            } => HttpError::Client {
                url: clean(url),
                status,
                excerpt: clean(excerpt),
            },
            HttpError::Server {
                url,
                status,
                attempts,
                excerpt,
            } => HttpError::Server {
                url: clean(url),
                status,
                attempts,
                excerpt: clean(excerpt),
            },
            HttpError::Transport {
                url,
                attempts,
                message,
            } => HttpError::Transport {
                url: clean(url),
                attempts,
                message: clean(message),
            },
            HttpError::NotJson {
                url,
                content_type,
                excerpt,
            } => HttpError::NotJson {
                url: clean(url),
                content_type,
                excerpt: clean(excerpt),
            },
            HttpError::Json {
                url,
                line,
                column,
                message,
            } => HttpError::Json {
                url: clean(url),
                line,
                column,
                message: clean(message),
            },
            other => other,
        }
    }
}

/// A byte count for people: `64 MiB`, `1.5 GiB`, `512 B`.
pub(crate) fn bytes(n: u64) -> String {
    const UNITS: [&str; 5] = ["B", "KiB", "MiB", "GiB", "TiB"];
    let mut value = n as f64;
    let mut unit = 0;
    while value >= 1024.0 && unit + 1 < UNITS.len() {
        value /= 1024.0;
        unit += 1;
    }
    if unit == 0 {
        format!("{n} B")
    } else if value.fract() == 0.0 {
        format!("{value} {}", UNITS[unit])
    } else {
        format!("{value:.1} {}", UNITS[unit])
    }
}

/// A duration for people: `1h 5m`, `30s`, `250ms`.
fn human(duration: Duration) -> String {
    match jiff::SignedDuration::try_from(duration) {
        Ok(d) if d.is_zero() => "0s".to_string(),
        Ok(d) => format!("{d:#}"),
        Err(_) => format!("{}s", duration.as_secs()),
    }
}

/// `" Not Found"` for 404, or nothing for statuses without a well-known reason.
fn reason(status: u16) -> String {
    reqwest::StatusCode::from_u16(status)
        .ok()
        .and_then(|s| s.canonical_reason())
        .map(|r| format!(" {r}"))
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_name_the_url_and_start_lowercase() {
        let errors = [
            HttpError::OfflineMiss {
                url: "https://x/a".into(),
            },
            HttpError::Client {
                url: "https://x/a".into(),
                status: 404,
                excerpt: "nope".into(),
            },
            HttpError::Truncated {
                url: "https://x/a".into(),
                expected: 10,
                received: 4,
                attempts: 4,
            },
        ];
        for err in errors {
            let msg = err.to_string();
            assert!(msg.contains("https://x/a"), "{msg}");
            assert!(
                msg.starts_with(|c: char| !c.is_uppercase()),
                "{msg} starts uppercase"
            );
            assert_eq!(err.url(), Some("https://x/a"));
        }
        let not_found = HttpError::Client {
            url: "u".into(),
            status: 404,
            excerpt: "e".into(),
        };
        assert_eq!(not_found.to_string(), "got HTTP 404 Not Found from u: e");
        assert_eq!(not_found.status(), Some(404));
        assert_eq!(reason(799), "");
        assert_eq!(human(Duration::from_secs(3600)), "1h");
        assert_eq!(human(Duration::from_millis(250)), "250ms");
        assert_eq!(human(Duration::ZERO), "0s");
        assert_eq!(bytes(64 * 1024 * 1024), "64 MiB");
        assert_eq!(bytes(1536 * 1024 * 1024), "1.5 GiB");
        assert_eq!(bytes(512), "512 B");
    }
}
