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
//! **JSON.** [`Request::expect_json`] makes a non-JSON content type ([`HttpError::NotJson`]; JSON
//! is `application/json` or `application/*+json`, e.g. PEP 691's
//! `application/vnd.pypi.simple.v1+json`) or an unparseable body ([`HttpError::Json`]) an
//! error, and such a response is never cached.
//!
//! **Counting.** [`HttpClient::stats`] reports requests, downloads, revalidations, fresh and
//! offline hits and retries. The client is `Sync`: share `&HttpClient` across threads. It is
//! blocking (it runs its own small runtime thread), so call it from plain threads, not from
//! inside an async runtime (use `spawn_blocking` there).

mod cache;
mod client;
mod error;
mod headers;

pub use client::{ClientOptions, HttpClient, Origin, Request, RequestStats, Response, USER_AGENT};
pub use error::HttpError;
