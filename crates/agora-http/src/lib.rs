//! agora's one HTTP client: system trust store, an on-disk cache with revalidation, retries.
//!
//! Everything in agora that talks to the network (PyPI, GitHub) goes through [`HttpClient`], a
//! blocking client (reqwest with rustls and the system's trust store, so `SSL_CERT_FILE` and
//! corporate roots work) that sends `User-Agent: agora/<version>`. One call does it all:
//!
//! ```no_run
//! use agora_http::{ClientOptions, HttpClient, Origin, Request};
//!
//! let client = HttpClient::new(ClientOptions {
//!     cache_dir: Some(".agora/cache/http".into()),
//!     ..ClientOptions::default()
//! })?;
//! let req = Request::new("https://pypi.org/simple/numpy/")
//!     .accept("application/vnd.pypi.simple.v1+json")
//!     .expect_json();
//! let resp = client.get(&req)?;
//! if resp.origin != Origin::Network {
//!     // unchanged since the last sync: nothing was downloaded
//! }
//! let page: serde_json::Value = resp.json()?;
//! # let _ = page;
//! # Ok::<(), agora_http::HttpError>(())
//! ```
//!
//! **Cache.** With [`ClientOptions::cache_dir`], every 200 is stored under the SHA-256 of its
//! URL (body plus a JSON meta: URL, status, validators, content type, fetch time, `max-age`,
//! body hash), written atomically; a corrupt entry is ignored and fetched again. A response
//! within its `max-age` is served with no request ([`Origin::Fresh`]); after that, or with
//! `no-cache` or no `max-age`, the request carries `If-None-Match`/`If-Modified-Since` and a
//! 304 serves the stored body ([`Origin::Revalidated`], nothing downloaded). `no-store`
//! responses are not stored. An entry is for one `Accept`; another `Accept` fetches anew.
//!
//! **Offline.** With [`ClientOptions::offline`], the cache answers whatever its age
//! ([`Origin::Offline`]), and a missing entry is [`HttpError::OfflineMiss`].
//!
//! **Retries.** 5xx, 429, timeouts, broken connections and truncated bodies are retried
//! ([`ClientOptions::retries`], exponential backoff from [`ClientOptions::backoff`]);
//! `Retry-After` and GitHub's `x-ratelimit-reset` are honoured up to
//! [`ClientOptions::max_retry_after`], beyond which [`HttpError::RateLimited`] says when to
//! come back. 4xx is reported at once with the URL and the start of the body.
//!
//! **Bounds.** An attempt has [`ClientOptions::connect_timeout`] to connect and
//! [`ClientOptions::timeout`] in all, body included, so a server that trickles its body is cut
//! off ([`HttpError::Timeout`] names the URL). After [`ClientOptions::max_host_timeouts`]
//! timeouts in a row on one host, further requests to it fail at once
//! ([`HttpError::HostUnresponsive`]), so a dead server costs one timeout per sync, not one per
//! URL. A body (counted after decompression, so gzip bombs too) larger than
//! [`Request::max_body`] or [`ClientOptions::max_body`] is refused with [`HttpError::TooLarge`]
//! and never cached.
//!
//! **Credentials.** Userinfo in a URL (`https://user:token@host/`) is sent, but every error,
//! every [`Response::url`] and the cache (keys and metadata) carry the URL with `****` in its
//! place ([`redact_url`]). Redirects from https to http are refused; `Authorization` is
//! dropped on a redirect to another host, and with
//! [`ClientOptions::cross_origin_redirects`] off such redirects are refused.
//!
//! **Validation before caching.** With [`Request::commit_after_validation`] a download is not
//! stored until the caller, having checked it, calls [`HttpClient::commit`]; a cached body that
//! fails the caller's checks is dropped with [`HttpClient::evict`]. [`prune_cache`] keeps the
//! cache within a size and an age ([`PruneLimits::AUTOMATIC`]: 2 GiB, 90 days unused; a cache
//! hit counts as use).
//!
//! **JSON.** [`Request::expect_json`] makes a non-JSON content type ([`HttpError::NotJson`]; JSON
//! is `application/json` or `application/*+json`, e.g. PEP 691's
//! `application/vnd.pypi.simple.v1+json`) or an unparseable body ([`HttpError::Json`]) an
//! error, and such a response is never cached.
//!
//! **Other methods.** [`HttpClient::send`] sends a `POST`, `PATCH`, `PUT` or `DELETE` with a
//! JSON body, past the cache; rate-limit answers are waited out as for a GET, but a `POST`
//! that may have been carried out (a 5xx, a dropped connection) is not sent again.
//!
//! **Counting.** [`HttpClient::stats`] reports requests, downloads, revalidations, fresh and
//! offline hits and retries. The client is `Sync`: share `&HttpClient` across threads. It is
//! blocking (it runs its own small runtime thread), so call it from plain threads, not from
//! inside an async runtime (use `spawn_blocking` there).

mod cache;
mod client;
mod error;
mod headers;
mod prune;
mod redact;

pub use client::{
    ClientOptions, DEFAULT_MAX_BODY, HttpClient, Method, Origin, Request, RequestStats, Response,
    USER_AGENT,
};
pub use error::HttpError;
pub use prune::{PruneLimits, PruneReport, parse_size, prune_cache};
pub use redact::{REDACTED, redact_url, url_origin, userinfo};
