//! The client: one `get` that consults the cache, sends at most a few requests, and explains.
//!
//! [`HttpClient::get`] first looks the URL up in the cache (an entry stored with another `Accept`
//! does not count). Offline, the entry is the answer whatever its age, and no entry is
//! [`HttpError::OfflineMiss`]. Online, a fresh entry is the answer without a request; a stale
//! one turns the request conditional (`If-None-Match`, `If-Modified-Since`) and a 304 serves it
//! with refreshed freshness. Otherwise the response is downloaded, checked (complete body,
//! JSON when asked), stored, and returned.
//!
//! Failures that may pass (5xx, 429, timeouts, broken connections, truncated bodies) are retried
//! up to [`ClientOptions::retries`] times, waiting `backoff × 2^(n−1)` before retry n, or what
//! `Retry-After` (or an exhausted GitHub rate limit) asks for, when it asks for no more than
//! [`ClientOptions::max_retry_after`]; asking for more fails at once with
//! [`HttpError::RateLimited`], which says when to try again. 4xx answers are not retried.
//! Counters are atomics, so one client is shared by reference across threads.

use std::io::Read;
use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use jiff::Timestamp;
use reqwest::header::{HeaderMap, HeaderName, HeaderValue};
use serde::de::DeserializeOwned;

use crate::cache::{Cache, Entry, Meta, sha256_hex};
use crate::error::HttpError;
use crate::headers::{self, CacheControl};

/// The `User-Agent` sent with every request.
pub const USER_AGENT: &str = concat!("agora/", env!("CARGO_PKG_VERSION"));

/// How many characters of an error body go into error messages.
const EXCERPT_CHARS: usize = 200;

/// How many bytes of an error body are read for the excerpt.
const ERROR_BODY_LIMIT: u64 = 64 * 1024;

/// How an [`HttpClient`] behaves.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ClientOptions {
    /// Directory of the on-disk cache (e.g. `.agora/cache/http`); `None` disables caching.
    pub cache_dir: Option<PathBuf>,
    /// Serve only from the cache, whatever the age of entries; never touch the network.
    pub offline: bool,
    /// How many times a failed request is retried (so at most `retries + 1` requests).
    pub retries: u32,
    /// The wait before the first retry; it doubles for each further retry.
    pub backoff: Duration,
    /// The longest wait honoured (Retry-After, rate-limit reset, and the backoff cap).
    pub max_retry_after: Duration,
    /// The time allowed for one request, from connecting to the end of the body.
    pub timeout: Duration,
    /// How long a response that says nothing about caching (no `Cache-Control`, no `Expires`)
    /// is served without asking again; `None` revalidates (or refetches) it every time.
    pub heuristic_max_age: Option<Duration>,
}

impl Default for ClientOptions {
    fn default() -> Self {
        ClientOptions {
            cache_dir: None,
            offline: false,
            retries: 3,
            backoff: Duration::from_millis(500),
            max_retry_after: Duration::from_secs(60),
            timeout: Duration::from_secs(30),
            heuristic_max_age: None,
        }
    }
}

/// A GET request: URL, content negotiation and extra headers.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Request {
    /// The absolute http(s) URL; also the cache key.
    pub url: String,
    /// The `Accept` header; `application/json` by default when [`Request::expect_json`] is set.
    pub accept: Option<String>,
    /// Fail with [`HttpError::NotJson`] / [`HttpError::Json`] unless the answer is JSON.
    pub expect_json: bool,
    /// More headers to send (e.g. `Authorization`); not part of the cache key.
    pub headers: Vec<(String, String)>,
}

impl Request {
    /// A GET of `url`.
    pub fn new(url: impl Into<String>) -> Self {
        Request {
            url: url.into(),
            accept: None,
            expect_json: false,
            headers: Vec::new(),
        }
    }

    /// Sets the `Accept` header.
    pub fn accept(mut self, accept: impl Into<String>) -> Self {
        self.accept = Some(accept.into());
        self
    }

    /// Requires a JSON answer (`application/json` or `application/*+json`, parseable).
    pub fn expect_json(mut self) -> Self {
        self.expect_json = true;
        self
    }

    /// Adds a header to send.
    pub fn header(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.headers.push((name.into(), value.into()));
        self
    }

    /// Whether the caller set `If-None-Match` or `If-Modified-Since` itself.
    fn has_own_validators(&self) -> bool {
        self.headers.iter().any(|(name, _)| {
            name.eq_ignore_ascii_case("if-none-match")
                || name.eq_ignore_ascii_case("if-modified-since")
        })
    }

    /// The `Accept` value actually sent.
    fn accept_header(&self) -> Option<&str> {
        match &self.accept {
            Some(accept) => Some(accept),
            None if self.expect_json => Some("application/json"),
            None => None,
        }
    }
}

/// Where a response's body came from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Origin {
    /// Downloaded now (a 200 with a body).
    Network,
    /// From the cache after the server answered 304 Not Modified: unchanged, nothing downloaded.
    Revalidated,
    /// From the cache without a request, because the entry was fresh.
    Fresh,
    /// From the cache without a request, because the client is offline.
    Offline,
    /// A 304 to validators the caller sent itself (no cache entry): the body is empty.
    NotModified,
}

/// A successful answer.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Response {
    /// The URL requested (the cache key; redirects are followed but not reflected here).
    pub url: String,
    /// The status of the response the body came from (200 for cached bodies).
    pub status: u16,
    /// Response headers, names lowercased (for cached bodies: as stored and revalidated).
    pub headers: Vec<(String, String)>,
    /// The body, decompressed.
    pub body: Vec<u8>,
    /// Where the body came from.
    pub origin: Origin,
    /// Hex SHA-256 of the body, to tell whether it changed since last time.
    pub body_sha256: String,
}

impl Response {
    /// The first value of header `name` (case-insensitive).
    pub fn header(&self, name: &str) -> Option<&str> {
        headers::get(&self.headers, name)
    }

    /// Whether the body was served from the cache (fresh, revalidated or offline).
    pub fn from_cache(&self) -> bool {
        self.origin != Origin::Network
    }

    /// The body as text, invalid UTF-8 replaced.
    pub fn text(&self) -> std::borrow::Cow<'_, str> {
        String::from_utf8_lossy(&self.body)
    }

    /// The body parsed as JSON into `T`; the error names the URL, line and column.
    pub fn json<T: DeserializeOwned>(&self) -> Result<T, HttpError> {
        serde_json::from_slice(&self.body).map_err(|e| json_error(&self.url, &e))
    }

    /// A response built from a cache entry.
    fn from_entry(url: &str, entry: Entry, origin: Origin) -> Self {
        Response {
            url: url.to_string(),
            status: entry.meta.status,
            headers: entry.meta.headers,
            body: entry.body,
            origin,
            body_sha256: entry.meta.body_sha256,
        }
    }
}

/// What the client did, for the caller to report.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct RequestStats {
    /// Requests sent over the network (including retries and revalidations).
    pub requests: u64,
    /// Full downloads: responses whose body came over the network.
    pub downloads: u64,
    /// Bytes of body downloaded.
    pub bytes: u64,
    /// Cached bodies confirmed by a 304.
    pub revalidated: u64,
    /// Fresh cached bodies served without a request.
    pub fresh: u64,
    /// Cached bodies served in offline mode.
    pub offline: u64,
    /// Retries after a failed attempt.
    pub retries: u64,
}

/// The atomic counters behind [`RequestStats`].
#[derive(Debug, Default)]
struct Counters {
    requests: AtomicU64,
    downloads: AtomicU64,
    bytes: AtomicU64,
    revalidated: AtomicU64,
    fresh: AtomicU64,
    offline: AtomicU64,
    retries: AtomicU64,
}

/// Adds `n` to a counter.
fn bump(counter: &AtomicU64, n: u64) {
    counter.fetch_add(n, Ordering::Relaxed);
}

/// agora's HTTP client; `&HttpClient` can be shared across threads.
#[derive(Debug)]
pub struct HttpClient {
    inner: reqwest::blocking::Client,
    options: ClientOptions,
    cache: Option<Cache>,
    counters: Counters,
}

/// Why one attempt failed in a way worth retrying.
#[derive(Debug)]
enum Failure {
    Status { status: u16, excerpt: String },
    Timeout,
    Truncated { expected: u64, received: u64 },
    Transport(String),
}

impl Failure {
    /// The error to report when no retry is left.
    fn into_error(self, url: &str, attempts: u32, timeout: Duration) -> HttpError {
        let url = url.to_string();
        match self {
            Failure::Status { status, excerpt } => HttpError::Server {
                url,
                status,
                attempts,
                excerpt,
            },
            Failure::Timeout => HttpError::Timeout {
                url,
                timeout,
                attempts,
            },
            Failure::Truncated { expected, received } => HttpError::Truncated {
                url,
                expected,
                received,
                attempts,
            },
            Failure::Transport(message) => HttpError::Transport {
                url,
                attempts,
                message,
            },
        }
    }
}

/// The result of one attempt.
enum Attempt {
    /// Final: success or an error not worth retrying.
    Done(Result<Response, HttpError>),
    /// Worth retrying, after `wait` if the server said how long.
    Retry {
        failure: Failure,
        wait: Option<Duration>,
    },
}

impl HttpClient {
    /// A client with `options`; creates the cache directory.
    pub fn new(options: ClientOptions) -> Result<Self, HttpError> {
        let inner = reqwest::blocking::Client::builder()
            .user_agent(USER_AGENT)
            .timeout(options.timeout)
            .connect_timeout(options.timeout)
            .build()
            .map_err(|e| HttpError::Setup {
                message: error_chain(&e),
            })?;
        let cache = match &options.cache_dir {
            Some(dir) => Some(Cache::open(dir).map_err(|source| HttpError::Cache {
                path: dir.clone(),
                source,
            })?),
            None => None,
        };
        Ok(HttpClient {
            inner,
            options,
            cache,
            counters: Counters::default(),
        })
    }

    /// The options the client was made with.
    pub fn options(&self) -> &ClientOptions {
        &self.options
    }

    /// The counters so far.
    pub fn stats(&self) -> RequestStats {
        let c = &self.counters;
        let load = |a: &AtomicU64| a.load(Ordering::Relaxed);
        RequestStats {
            requests: load(&c.requests),
            downloads: load(&c.downloads),
            bytes: load(&c.bytes),
            revalidated: load(&c.revalidated),
            fresh: load(&c.fresh),
            offline: load(&c.offline),
            retries: load(&c.retries),
        }
    }

    /// GETs `req.url` through the cache, retrying as configured (see the module docs).
    pub fn get(&self, req: &Request) -> Result<Response, HttpError> {
        let url = parse_url(&req.url)?;
        let cached = self
            .cache
            .as_ref()
            .and_then(|cache| cache.load(&req.url))
            .filter(|entry| entry.meta.accept.as_deref() == req.accept_header());

        if self.options.offline {
            let Some(entry) = cached else {
                return Err(HttpError::OfflineMiss {
                    url: req.url.clone(),
                });
            };
            bump(&self.counters.offline, 1);
            return check_json(req, Response::from_entry(&req.url, entry, Origin::Offline));
        }
        let cached = match cached {
            Some(entry)
                if entry.meta.is_fresh(
                    Timestamp::now(),
                    self.options.heuristic_max_age.map(|d| d.as_secs()),
                ) =>
            {
                bump(&self.counters.fresh, 1);
                return check_json(req, Response::from_entry(&req.url, entry, Origin::Fresh));
            }
            stale => stale,
        };

        let mut attempts: u32 = 0;
        loop {
            attempts = attempts.saturating_add(1);
            let (failure, wait) = match self.attempt(req, &url, cached.as_ref()) {
                Attempt::Done(result) => return result,
                Attempt::Retry { failure, wait } => (failure, wait),
            };
            if attempts > self.options.retries {
                return Err(failure.into_error(&req.url, attempts, self.options.timeout));
            }
            let wait = wait.unwrap_or_else(|| self.backoff(attempts));
            bump(&self.counters.retries, 1);
            std::thread::sleep(wait);
        }
    }

    /// The wait before retry number `retry` (1-based) when the server did not say.
    fn backoff(&self, retry: u32) -> Duration {
        let factor = 2u32.saturating_pow(retry.saturating_sub(1));
        let cap = self.options.max_retry_after.max(self.options.backoff);
        self.options.backoff.saturating_mul(factor).min(cap)
    }

    /// Sends one request and classifies the outcome.
    fn attempt(&self, req: &Request, url: &reqwest::Url, cached: Option<&Entry>) -> Attempt {
        let headers = match request_headers(req, cached) {
            Ok(headers) => headers,
            Err(err) => return Attempt::Done(Err(err)),
        };
        bump(&self.counters.requests, 1);
        let mut resp = match self.inner.get(url.clone()).headers(headers).send() {
            Ok(resp) => resp,
            Err(err) => return self.send_failure(&req.url, &err),
        };
        let status = resp.status().as_u16();
        let resp_headers = collect_headers(resp.headers());
        match status {
            304 => match cached {
                Some(entry) => self.not_modified(req, entry, &resp_headers),
                // The caller sent its own validators (it keeps its ETags elsewhere): tell it.
                None if req.has_own_validators() => {
                    bump(&self.counters.revalidated, 1);
                    Attempt::Done(Ok(Response {
                        url: req.url.clone(),
                        status,
                        headers: resp_headers,
                        body: Vec::new(),
                        origin: Origin::NotModified,
                        body_sha256: sha256_hex(&[]),
                    }))
                }
                None => Attempt::Done(Err(HttpError::UnexpectedStatus {
                    url: req.url.clone(),
                    status,
                })),
            },
            200..=299 => self.download(req, status, resp_headers, &mut resp),
            429 | 503 => self.rate_limited(req, status, &resp_headers, &mut resp),
            // GitHub's primary limit (budget used up) and secondary limits (Retry-After).
            403 if headers::get(&resp_headers, "x-ratelimit-remaining") == Some("0")
                || headers::get(&resp_headers, "retry-after").is_some() =>
            {
                self.rate_limited(req, status, &resp_headers, &mut resp)
            }
            500..=599 => Attempt::Retry {
                failure: Failure::Status {
                    status,
                    excerpt: error_excerpt(&mut resp),
                },
                wait: None,
            },
            400..=499 => Attempt::Done(Err(HttpError::Client {
                url: req.url.clone(),
                status,
                excerpt: error_excerpt(&mut resp),
            })),
            _ => Attempt::Done(Err(HttpError::UnexpectedStatus {
                url: req.url.clone(),
                status,
            })),
        }
    }

    /// Classifies an error from sending the request (before any response arrived).
    fn send_failure(&self, url: &str, err: &reqwest::Error) -> Attempt {
        if err.is_timeout() {
            return Attempt::Retry {
                failure: Failure::Timeout,
                wait: None,
            };
        }
        if err.is_builder() || err.is_redirect() {
            return Attempt::Done(Err(HttpError::Transport {
                url: url.to_string(),
                attempts: 1,
                message: error_chain(err),
            }));
        }
        Attempt::Retry {
            failure: Failure::Transport(error_chain(err)),
            wait: None,
        }
    }

    /// A 304: the cached body is current; refresh its meta.
    fn not_modified(&self, req: &Request, entry: &Entry, update: &[(String, String)]) -> Attempt {
        let meta = entry.meta.revalidated(update, Timestamp::now());
        if let Some(cache) = &self.cache
            && let Err(source) = cache.store_meta(&meta)
        {
            return Attempt::Done(Err(HttpError::Cache {
                path: cache.dir().to_path_buf(),
                source,
            }));
        }
        bump(&self.counters.revalidated, 1);
        let entry = Entry {
            meta,
            body: entry.body.clone(),
        };
        let response = Response::from_entry(&req.url, entry, Origin::Revalidated);
        Attempt::Done(check_json(req, response))
    }

    /// A 2xx: read the whole body, check it, store it.
    fn download(
        &self,
        req: &Request,
        status: u16,
        resp_headers: Vec<(String, String)>,
        resp: &mut reqwest::blocking::Response,
    ) -> Attempt {
        // reqwest drops Content-Length when it decompresses, so a remaining one counts body bytes.
        let declared = if headers::get(&resp_headers, "content-encoding").is_some() {
            None
        } else {
            headers::get(&resp_headers, "content-length").and_then(|v| v.trim().parse::<u64>().ok())
        };
        let mut body = Vec::with_capacity(
            declared
                .and_then(|n| usize::try_from(n).ok())
                .unwrap_or(0)
                .min(16 * 1024 * 1024),
        );
        let mut chunk = [0u8; 64 * 1024];
        loop {
            match resp.read(&mut chunk) {
                Ok(0) => break,
                Ok(n) => body.extend_from_slice(&chunk[..n]),
                Err(err) if err.kind() == std::io::ErrorKind::Interrupted => {}
                Err(err) => {
                    let received = body.len() as u64;
                    let failure = if is_timeout(&err) {
                        Failure::Timeout
                    } else {
                        match declared {
                            Some(expected) if received < expected => {
                                Failure::Truncated { expected, received }
                            }
                            _ => Failure::Transport(format!(
                                "reading the body failed: {}",
                                error_chain(&err)
                            )),
                        }
                    };
                    return Attempt::Retry {
                        failure,
                        wait: None,
                    };
                }
            }
        }
        let received = body.len() as u64;
        if let Some(expected) = declared
            && received < expected
        {
            return Attempt::Retry {
                failure: Failure::Truncated { expected, received },
                wait: None,
            };
        }
        bump(&self.counters.downloads, 1);
        bump(&self.counters.bytes, received);

        let now = Timestamp::now();
        let response = Response {
            url: req.url.clone(),
            status,
            body_sha256: sha256_hex(&body),
            headers: resp_headers,
            body,
            origin: Origin::Network,
        };
        let response = match check_json(req, response) {
            Ok(response) => response,
            Err(err) => return Attempt::Done(Err(err)),
        };
        if let Some(cache) = &self.cache
            && status == 200
            && !CacheControl::from_headers(&response.headers).no_store
        {
            let meta = Meta::new(
                &req.url,
                status,
                req.accept_header(),
                &response.headers,
                &response.body,
                now,
            );
            if let Err(source) = cache.store(&meta, &response.body) {
                return Attempt::Done(Err(HttpError::Cache {
                    path: cache.dir().to_path_buf(),
                    source,
                }));
            }
        }
        Attempt::Done(Ok(response))
    }

    /// A 429/503 (or a GitHub 403 rate limit): wait as asked if allowed, else fail saying when.
    fn rate_limited(
        &self,
        req: &Request,
        status: u16,
        resp_headers: &[(String, String)],
        resp: &mut reqwest::blocking::Response,
    ) -> Attempt {
        let excerpt = error_excerpt(resp);
        let now = Timestamp::now();
        let wait = headers::retry_after(resp_headers, now);
        if let Some(wait) = wait
            && wait > self.options.max_retry_after
        {
            let secs = i64::try_from(wait.as_secs()).unwrap_or(i64::MAX);
            let retry_at = Timestamp::from_second(now.as_second().saturating_add(secs))
                .unwrap_or(Timestamp::MAX);
            return Attempt::Done(Err(HttpError::RateLimited {
                url: req.url.clone(),
                status,
                wait,
                max_wait: self.options.max_retry_after,
                retry_at: retry_at.to_string(),
            }));
        }
        if status == 403 && wait.is_none() {
            // Rate limit without a reset time: nothing tells us waiting helps.
            return Attempt::Done(Err(HttpError::Client {
                url: req.url.clone(),
                status,
                excerpt,
            }));
        }
        Attempt::Retry {
            failure: Failure::Status { status, excerpt },
            // Retry-After: 0 still gets the ordinary backoff.
            wait: wait.filter(|w| !w.is_zero()),
        }
    }
}

/// Parses and checks an http(s) URL.
fn parse_url(url: &str) -> Result<reqwest::Url, HttpError> {
    let parsed = reqwest::Url::parse(url).map_err(|e| HttpError::InvalidUrl {
        url: url.to_string(),
        reason: e.to_string(),
    })?;
    if !matches!(parsed.scheme(), "http" | "https") {
        return Err(HttpError::InvalidUrl {
            url: url.to_string(),
            reason: format!("scheme {:?} is not http or https", parsed.scheme()),
        });
    }
    Ok(parsed)
}

/// The headers of one attempt: Accept, the caller's, and validators of a cached entry.
fn request_headers(req: &Request, cached: Option<&Entry>) -> Result<HeaderMap, HttpError> {
    let invalid = |message: String| HttpError::InvalidRequest {
        url: req.url.clone(),
        message,
    };
    let mut map = HeaderMap::new();
    if let Some(accept) = req.accept_header() {
        let value = HeaderValue::from_str(accept).map_err(|_| {
            invalid(format!(
                "the Accept value {accept:?} is not a valid header value"
            ))
        })?;
        map.insert(reqwest::header::ACCEPT, value);
    }
    for (name, value) in &req.headers {
        let header_name = HeaderName::from_bytes(name.as_bytes())
            .map_err(|_| invalid(format!("{name:?} is not a valid header name")))?;
        let header_value = HeaderValue::from_str(value).map_err(|_| {
            invalid(format!(
                "the value of header {name} is not a valid header value"
            ))
        })?;
        map.append(header_name, header_value);
    }
    if let Some(entry) = cached {
        // Validators come from a server; one we cannot send back is simply not used.
        if let Some(value) = entry
            .meta
            .etag
            .as_deref()
            .and_then(|v| HeaderValue::from_str(v).ok())
        {
            map.insert(reqwest::header::IF_NONE_MATCH, value);
        }
        if let Some(value) = entry
            .meta
            .last_modified
            .as_deref()
            .and_then(|v| HeaderValue::from_str(v).ok())
        {
            map.insert(reqwest::header::IF_MODIFIED_SINCE, value);
        }
    }
    Ok(map)
}

/// Response headers as (lowercase name, value) pairs; non-UTF-8 bytes replaced.
fn collect_headers(map: &HeaderMap) -> Vec<(String, String)> {
    map.iter()
        .map(|(name, value)| {
            let value = match value.to_str() {
                Ok(v) => v.to_string(),
                Err(_) => String::from_utf8_lossy(value.as_bytes()).into_owned(),
            };
            (name.as_str().to_string(), value)
        })
        .collect()
}

/// The start of an error response's body, read with a size limit; read errors give what came.
fn error_excerpt(resp: &mut reqwest::blocking::Response) -> String {
    let mut bytes = Vec::new();
    let _ = resp.take(ERROR_BODY_LIMIT).read_to_end(&mut bytes);
    headers::excerpt(&bytes, EXCERPT_CHARS)
}

/// `response` if it satisfies the request's JSON expectation, else the reason it does not.
fn check_json(req: &Request, response: Response) -> Result<Response, HttpError> {
    if !req.expect_json {
        return Ok(response);
    }
    let content_type = response.header("content-type").unwrap_or("");
    if !headers::is_json_content_type(content_type) {
        return Err(HttpError::NotJson {
            url: req.url.clone(),
            content_type: content_type.to_string(),
            excerpt: headers::excerpt(&response.body, 80),
        });
    }
    if let Err(err) = serde_json::from_slice::<serde::de::IgnoredAny>(&response.body) {
        return Err(json_error(&req.url, &err));
    }
    Ok(response)
}

/// A JSON error naming the URL and position.
fn json_error(url: &str, err: &serde_json::Error) -> HttpError {
    HttpError::Json {
        url: url.to_string(),
        line: err.line(),
        column: err.column(),
        message: err.to_string(),
    }
}

/// Whether an I/O error from reading a body is a timeout.
fn is_timeout(err: &std::io::Error) -> bool {
    if err.kind() == std::io::ErrorKind::TimedOut {
        return true;
    }
    let mut source: Option<&(dyn std::error::Error + 'static)> = err.get_ref().map(|e| e as _);
    while let Some(e) = source {
        if let Some(reqwest_err) = e.downcast_ref::<reqwest::Error>()
            && reqwest_err.is_timeout()
        {
            return true;
        }
        if let Some(io_err) = e.downcast_ref::<std::io::Error>()
            && io_err.kind() == std::io::ErrorKind::TimedOut
        {
            return true;
        }
        source = e.source();
    }
    false
}

/// An error and its sources, joined with `": "`, without the repeated URL reqwest adds.
fn error_chain(err: &(dyn std::error::Error + 'static)) -> String {
    let mut parts: Vec<String> = Vec::new();
    let mut current = Some(err);
    while let Some(e) = current {
        let text = match e.downcast_ref::<reqwest::Error>() {
            Some(r) if r.url().is_some() => {
                // reqwest's message is "error sending request for url (…)": keep the words only.
                let text = e.to_string();
                text.split(" for url (").next().unwrap_or("").to_string()
            }
            _ => e.to_string(),
        };
        if !text.is_empty() && parts.last() != Some(&text) {
            parts.push(text);
        }
        current = e.source();
    }
    // hyper's wrappers say nothing a person needs; keep the specific causes under them.
    let specific: Vec<&String> = parts
        .iter()
        .filter(|p| *p != "error sending request" && !p.starts_with("client error ("))
        .collect();
    if specific.is_empty() {
        parts.join(": ")
    } else {
        specific
            .iter()
            .map(|p| p.as_str())
            .collect::<Vec<_>>()
            .join(": ")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn client_is_shareable_across_threads() {
        fn assert_send_sync<T: Send + Sync>() {}
        assert_send_sync::<HttpClient>();
        assert_send_sync::<HttpError>();
    }

    #[test]
    fn backoff_doubles_and_is_capped() {
        let client = HttpClient::new(ClientOptions {
            backoff: Duration::from_millis(100),
            max_retry_after: Duration::from_millis(350),
            ..ClientOptions::default()
        })
        .expect("client");
        let waits: Vec<u128> = (1..=5).map(|n| client.backoff(n).as_millis()).collect();
        assert_eq!(waits, [100, 200, 350, 350, 350]);
        assert_eq!(client.backoff(u32::MAX).as_millis(), 350);
    }

    #[test]
    fn bad_urls_are_rejected_before_any_request() {
        let client = HttpClient::new(ClientOptions::default()).expect("client");
        for url in ["not a url", "ftp://example.org/x", ""] {
            match client.get(&Request::new(url)) {
                Err(HttpError::InvalidUrl { url: got, .. }) => assert_eq!(got, url),
                other => panic!("{url}: {other:?}"),
            }
        }
        assert_eq!(client.stats().requests, 0);
    }

    #[test]
    fn bad_request_headers_are_an_error_not_a_panic() {
        let client = HttpClient::new(ClientOptions::default()).expect("client");
        let req = Request::new("http://127.0.0.1:9/").header("bad name", "v");
        assert!(matches!(
            client.get(&req),
            Err(HttpError::InvalidRequest { .. })
        ));
        let req = Request::new("http://127.0.0.1:9/").accept("a\nb");
        assert!(matches!(
            client.get(&req),
            Err(HttpError::InvalidRequest { .. })
        ));
    }

    #[test]
    fn expect_json_defaults_the_accept_header() {
        assert_eq!(
            Request::new("u").expect_json().accept_header(),
            Some("application/json")
        );
        assert_eq!(
            Request::new("u")
                .accept("text/html")
                .expect_json()
                .accept_header(),
            Some("text/html")
        );
        assert_eq!(Request::new("u").accept_header(), None);
    }
}
