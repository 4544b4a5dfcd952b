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

use std::collections::HashMap;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use jiff::Timestamp;
use reqwest::header::{HeaderMap, HeaderName, HeaderValue};
use serde::de::DeserializeOwned;

use crate::cache::{Cache, Entry, Meta, sha256_hex};
use crate::error::HttpError;
use crate::headers::{self, CacheControl};
use crate::redact::{origin_of, redact_url, userinfo};

/// The `User-Agent` sent with every request.
pub const USER_AGENT: &str = concat!("agora/", env!("CARGO_PKG_VERSION"));

/// How many characters of an error body go into error messages.
const EXCERPT_CHARS: usize = 200;

/// How many bytes of an error body are read for the excerpt.
const ERROR_BODY_LIMIT: u64 = 64 * 1024;

/// The default body cap: 64 MiB, several times PyPI's largest project page.
pub const DEFAULT_MAX_BODY: u64 = 64 * 1024 * 1024;

/// The most redirects followed for one request.
const MAX_REDIRECTS: usize = 10;

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
    /// The time allowed for one attempt, from connecting to the end of the body: a server that
    /// trickles its body is cut off here (checked after every read, so a read that stalls
    /// entirely can add at most one more `timeout`).
    pub timeout: Duration,
    /// The time allowed for connecting (DNS, TCP, TLS).
    pub connect_timeout: Duration,
    /// After this many timeouts in a row on one host (no success in between), further requests
    /// to that host fail at once with [`HttpError::HostUnresponsive`] instead of each waiting
    /// out its own timeouts, so a dead server costs one timeout, not one per URL; `0` disables.
    pub max_host_timeouts: u32,
    /// The largest body accepted (after decompression) when the request sets no
    /// [`Request::max_body`]; a larger one is refused with [`HttpError::TooLarge`].
    pub max_body: u64,
    /// Follow redirects to another origin (scheme, host, port). `Authorization` and cookies are
    /// dropped on such a redirect either way; clients that send credentials of their own (the
    /// GitHub client) refuse them altogether. A redirect from https to http is always refused.
    pub cross_origin_redirects: bool,
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
            connect_timeout: Duration::from_secs(10),
            max_host_timeouts: 2,
            max_body: DEFAULT_MAX_BODY,
            cross_origin_redirects: true,
            heuristic_max_age: None,
        }
    }
}

/// The method of a request that [`HttpClient::send`] makes (GETs go through [`HttpClient::get`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Method {
    /// `POST`: creates something; not repeated after a failure that may have done it.
    Post,
    /// `PATCH`: changes fields to given values; safe to repeat.
    Patch,
    /// `PUT`: replaces a resource; safe to repeat.
    Put,
    /// `DELETE`: removes a resource; safe to repeat.
    Delete,
}

impl Method {
    /// Whether sending it twice does what sending it once does.
    pub fn is_idempotent(self) -> bool {
        !matches!(self, Method::Post)
    }

    /// The method's name on the wire.
    pub fn as_str(self) -> &'static str {
        match self {
            Method::Post => "POST",
            Method::Patch => "PATCH",
            Method::Put => "PUT",
            Method::Delete => "DELETE",
        }
    }

    fn as_reqwest(self) -> reqwest::Method {
        match self {
            Method::Post => reqwest::Method::POST,
            Method::Patch => reqwest::Method::PATCH,
            Method::Put => reqwest::Method::PUT,
            Method::Delete => reqwest::Method::DELETE,
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
    /// The largest body accepted for this request (after decompression); `None`: the client's
    /// [`ClientOptions::max_body`].
    pub max_body: Option<u64>,
    /// Do not store the download in the cache: the caller validates it first and then calls
    /// [`HttpClient::commit`] (what fails validation is never cached).
    pub commit_after_validation: bool,
}

impl Request {
    /// A GET of `url`.
    pub fn new(url: impl Into<String>) -> Self {
        Request {
            url: url.into(),
            accept: None,
            expect_json: false,
            headers: Vec::new(),
            max_body: None,
            commit_after_validation: false,
        }
    }

    /// Caps the body of this request at `bytes` (after decompression).
    pub fn max_body(mut self, bytes: u64) -> Self {
        self.max_body = Some(bytes);
        self
    }

    /// Leaves the download out of the cache until the caller has validated it and calls
    /// [`HttpClient::commit`].
    pub fn commit_after_validation(mut self) -> Self {
        self.commit_after_validation = true;
        self
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
    /// The URL requested with any credentials (`user:pass@`) replaced by `****` (the cache key;
    /// redirects are followed but not reflected here).
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
    /// Timeouts in a row per host (reset by any answer from it).
    host_timeouts: Mutex<HashMap<String, u32>>,
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
        let cross_origin = options.cross_origin_redirects;
        let policy = reqwest::redirect::Policy::custom(move |attempt| {
            redirect_decision(attempt, cross_origin)
        });
        let inner = reqwest::blocking::Client::builder()
            .user_agent(USER_AGENT)
            .timeout(options.timeout)
            .connect_timeout(options.connect_timeout.min(options.timeout))
            .redirect(policy)
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
            host_timeouts: Mutex::new(HashMap::new()),
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
    ///
    /// Credentials in the URL (`https://user:pass@host/…`) are sent, but never written to the
    /// cache or put into an error or a [`Response`]: those carry the URL with `****` instead.
    pub fn get(&self, req: &Request) -> Result<Response, HttpError> {
        let secret = userinfo(&req.url).map(str::to_string);
        let result = self.get_redacted(req);
        match secret {
            Some(secret) => result.map_err(|err| err.scrubbed(&secret)),
            None => result,
        }
    }

    /// Sends `req` with `method` and, if given, a JSON `body`, never through the cache.
    ///
    /// Rate-limit answers (429, 503 and GitHub's 403 with `Retry-After` or an exhausted
    /// budget) are waited out and retried as for a GET: the server did nothing. Other failures
    /// are retried only for methods that are safe to repeat ([`Method::is_idempotent`]); a
    /// `POST` that failed with a 5xx or a broken connection may have been carried out, so it
    /// is reported at once and the caller looks before sending it again.
    pub fn send(
        &self,
        method: Method,
        req: &Request,
        body: Option<&[u8]>,
    ) -> Result<Response, HttpError> {
        let secret = userinfo(&req.url).map(str::to_string);
        let result = self.send_redacted(method, req, body);
        match secret {
            Some(secret) => result.map_err(|err| err.scrubbed(&secret)),
            None => result,
        }
    }

    /// [`HttpClient::send`] once the secret to scrub from errors is known.
    fn send_redacted(
        &self,
        method: Method,
        req: &Request,
        body: Option<&[u8]>,
    ) -> Result<Response, HttpError> {
        let url = parse_url(&req.url)?;
        // `commit_after_validation` keeps the answer out of the cache.
        let shown = Request {
            url: redact_url(&req.url),
            commit_after_validation: true,
            ..req.clone()
        };
        let req = &shown;
        let host = url.host_str().unwrap_or("").to_string();
        let mut attempts: u32 = 0;
        loop {
            if let Some(timeouts) = self.host_given_up(&host) {
                return Err(HttpError::HostUnresponsive {
                    url: req.url.clone(),
                    host,
                    timeouts,
                    timeout: self.options.timeout,
                });
            }
            attempts = attempts.saturating_add(1);
            let outcome = self.attempt(req, &url, None, Some((method, body)));
            self.note_host_outcome(&host, &outcome);
            let (failure, wait) = match outcome {
                Attempt::Done(result) => return result,
                Attempt::Retry { failure, wait } => (failure, wait),
            };
            let rate_limited = matches!(
                failure,
                Failure::Status {
                    status: 429 | 403 | 503,
                    ..
                }
            ) && wait.is_some();
            if attempts > self.options.retries
                || self.host_given_up(&host).is_some()
                || !(rate_limited || method.is_idempotent())
            {
                return Err(failure.into_error(&req.url, attempts, self.options.timeout));
            }
            let wait = wait.unwrap_or_else(|| self.backoff(attempts));
            bump(&self.counters.retries, 1);
            std::thread::sleep(wait);
        }
    }

    /// [`HttpClient::get`] once the secret to scrub from errors is known.
    fn get_redacted(&self, req: &Request) -> Result<Response, HttpError> {
        let url = parse_url(&req.url)?;
        // Everything below speaks of (and caches under) the redacted URL; only `url` has the
        // credentials, and only the request sent uses it.
        let shown = Request {
            url: redact_url(&req.url),
            ..req.clone()
        };
        let req = &shown;
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

        let host = url.host_str().unwrap_or("").to_string();
        let mut attempts: u32 = 0;
        loop {
            if let Some(timeouts) = self.host_given_up(&host) {
                return Err(HttpError::HostUnresponsive {
                    url: req.url.clone(),
                    host,
                    timeouts,
                    timeout: self.options.timeout,
                });
            }
            attempts = attempts.saturating_add(1);
            let outcome = self.attempt(req, &url, cached.as_ref(), None);
            self.note_host_outcome(&host, &outcome);
            let (failure, wait) = match outcome {
                Attempt::Done(result) => return result,
                Attempt::Retry { failure, wait } => (failure, wait),
            };
            // Out of retries, or the host stopped answering: report this URL's own failure.
            if attempts > self.options.retries || self.host_given_up(&host).is_some() {
                return Err(failure.into_error(&req.url, attempts, self.options.timeout));
            }
            let wait = wait.unwrap_or_else(|| self.backoff(attempts));
            bump(&self.counters.retries, 1);
            std::thread::sleep(wait);
        }
    }

    /// Stores a response fetched with [`Request::commit_after_validation`] once the caller has
    /// validated it. Responses that came from the cache, or that the cache would not keep
    /// (not a 200, `no-store`), are left alone; without a cache this does nothing.
    pub fn commit(&self, req: &Request, response: &Response) -> Result<(), HttpError> {
        let Some(cache) = &self.cache else {
            return Ok(());
        };
        if response.origin != Origin::Network
            || response.status != 200
            || CacheControl::from_headers(&response.headers).no_store
        {
            return Ok(());
        }
        let meta = Meta::new(
            &response.url,
            response.status,
            req.accept_header(),
            &response.headers,
            &response.body,
            Timestamp::now(),
        );
        cache
            .store(&meta, &response.body)
            .map_err(|source| HttpError::Cache {
                path: cache.dir().to_path_buf(),
                source,
            })
    }

    /// Removes the cached entry for `url`, e.g. a body that failed the caller's validation, so
    /// the next request downloads it again. Returns whether there was one.
    pub fn evict(&self, url: &str) -> Result<bool, HttpError> {
        let Some(cache) = &self.cache else {
            return Ok(false);
        };
        cache
            .remove(&redact_url(url))
            .map_err(|source| HttpError::Cache {
                path: cache.dir().to_path_buf(),
                source,
            })
    }

    /// The cache directory, if the client caches.
    pub fn cache_dir(&self) -> Option<&Path> {
        self.cache.as_ref().map(Cache::dir)
    }

    /// `Some(timeouts in a row)` when requests to `host` are given up.
    fn host_given_up(&self, host: &str) -> Option<u32> {
        let limit = self.options.max_host_timeouts;
        if limit == 0 {
            return None;
        }
        let map = self.host_timeouts.lock().ok()?;
        map.get(host).copied().filter(|n| *n >= limit)
    }

    /// Counts a timeout of `host`, or forgets its timeouts after any answer.
    fn note_host_outcome(&self, host: &str, outcome: &Attempt) {
        let Ok(mut map) = self.host_timeouts.lock() else {
            return;
        };
        let answered = match outcome {
            Attempt::Retry {
                failure: Failure::Timeout,
                ..
            } => {
                *map.entry(host.to_string()).or_insert(0) += 1;
                return;
            }
            Attempt::Retry {
                failure: Failure::Status { .. },
                ..
            }
            | Attempt::Done(Ok(_)) => true,
            Attempt::Done(Err(err)) => err.status().is_some(),
            Attempt::Retry { .. } => false,
        };
        if answered {
            map.remove(host);
        }
    }

    /// The wait before retry number `retry` (1-based) when the server did not say.
    fn backoff(&self, retry: u32) -> Duration {
        let factor = 2u32.saturating_pow(retry.saturating_sub(1));
        let cap = self.options.max_retry_after.max(self.options.backoff);
        self.options.backoff.saturating_mul(factor).min(cap)
    }

    /// Sends one request and classifies the outcome.
    fn attempt(
        &self,
        req: &Request,
        url: &reqwest::Url,
        cached: Option<&Entry>,
        call: Option<(Method, Option<&[u8]>)>,
    ) -> Attempt {
        let headers = match request_headers(req, cached) {
            Ok(headers) => headers,
            Err(err) => return Attempt::Done(Err(err)),
        };
        bump(&self.counters.requests, 1);
        let deadline = Instant::now() + self.options.timeout;
        let builder = match call {
            None => self.inner.get(url.clone()),
            Some((method, body)) => {
                let builder = self.inner.request(method.as_reqwest(), url.clone());
                match body {
                    Some(body) => builder
                        .header(reqwest::header::CONTENT_TYPE, "application/json")
                        .body(body.to_vec()),
                    None => builder,
                }
            }
        };
        let mut resp = match builder.headers(headers).send() {
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
            200..=299 => self.download(req, status, resp_headers, &mut resp, deadline),
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

    /// A 2xx: read the whole body (within the size cap and the deadline), check it, store it.
    fn download(
        &self,
        req: &Request,
        status: u16,
        resp_headers: Vec<(String, String)>,
        resp: &mut reqwest::blocking::Response,
        deadline: Instant,
    ) -> Attempt {
        let limit = req.max_body.unwrap_or(self.options.max_body);
        let too_large = |declared: Option<u64>| {
            Attempt::Done(Err(HttpError::TooLarge {
                url: req.url.clone(),
                limit,
                declared,
            }))
        };
        // reqwest drops Content-Length when it decompresses, so a remaining one counts body bytes.
        let declared = if headers::get(&resp_headers, "content-encoding").is_some() {
            None
        } else {
            headers::get(&resp_headers, "content-length").and_then(|v| v.trim().parse::<u64>().ok())
        };
        if let Some(declared) = declared
            && declared > limit
        {
            return too_large(Some(declared));
        }
        let mut body = Vec::with_capacity(
            declared
                .and_then(|n| usize::try_from(n).ok())
                .unwrap_or(0)
                .min(16 * 1024 * 1024),
        );
        let mut chunk = [0u8; 64 * 1024];
        loop {
            if Instant::now() > deadline {
                return Attempt::Retry {
                    failure: Failure::Timeout,
                    wait: None,
                };
            }
            match resp.read(&mut chunk) {
                Ok(0) => break,
                Ok(n) => {
                    // Counted after decompression, so a small gzip bomb is stopped too.
                    if body.len() as u64 + n as u64 > limit {
                        return too_large(declared);
                    }
                    body.extend_from_slice(&chunk[..n]);
                }
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
            && !req.commit_after_validation
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

/// Whether to follow one redirect: at most [`MAX_REDIRECTS`], never from https to http, and
/// to another origin only when `cross_origin` allows it.
fn redirect_decision(
    attempt: reqwest::redirect::Attempt<'_>,
    cross_origin: bool,
) -> reqwest::redirect::Action {
    match redirect_refusal(attempt.url(), attempt.previous(), cross_origin) {
        Some(reason) => attempt.error(reason),
        None => attempt.follow(),
    }
}

/// Why a redirect to `next` after `previous` (the first is the URL asked) is refused, if it is.
fn redirect_refusal(
    next: &reqwest::Url,
    previous: &[reqwest::Url],
    cross_origin: bool,
) -> Option<String> {
    if previous.len() > MAX_REDIRECTS {
        return Some(format!("more than {MAX_REDIRECTS} redirects"));
    }
    let last = previous.last()?;
    if last.scheme() == "https" && next.scheme() != "https" {
        return Some(format!(
            "refusing a redirect from https to {} (the request would leave TLS)",
            redact_url(next.as_str())
        ));
    }
    let first = previous.first().unwrap_or(last);
    if !cross_origin && origin_of(first) != origin_of(next) {
        return Some(format!(
            "refusing a redirect to another origin, {}: credentials are only sent to {}",
            redact_url(next.as_str()),
            origin_of(first)
        ));
    }
    None
}

/// Parses and checks an http(s) URL.
fn parse_url(url: &str) -> Result<reqwest::Url, HttpError> {
    let parsed = reqwest::Url::parse(url).map_err(|e| HttpError::InvalidUrl {
        url: redact_url(url),
        reason: e.to_string(),
    })?;
    if !matches!(parsed.scheme(), "http" | "https") {
        return Err(HttpError::InvalidUrl {
            url: redact_url(url),
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
    fn redirects_never_leave_tls_and_stay_home_when_asked() {
        let url = |u: &str| reqwest::Url::parse(u).expect("url");
        let home = [url("https://api.example.org/a")];
        assert_eq!(
            redirect_refusal(&url("https://api.example.org/b"), &home, false),
            None
        );
        assert!(
            redirect_refusal(&url("http://api.example.org/b"), &home, true)
                .is_some_and(|r| r.contains("leave TLS"))
        );
        assert!(
            redirect_refusal(&url("https://u:p@evil.example/b"), &home, false)
                .is_some_and(|r| r.contains("another origin") && !r.contains("u:p"))
        );
        assert_eq!(
            redirect_refusal(&url("https://cdn.example/b"), &home, true),
            None
        );
        let many: Vec<reqwest::Url> = (0..=MAX_REDIRECTS).map(|_| home[0].clone()).collect();
        assert!(redirect_refusal(&home[0], &many, true).is_some());
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
