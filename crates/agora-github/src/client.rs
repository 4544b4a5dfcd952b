//! The GitHub REST client: authentication, conditional requests, `Link` pages, rate limits.
//!
//! [`GithubClient::get_page`] sends one GET through `agora-http` (which retries 5xx, dropped
//! connections and truncated bodies with backoff, and waits out short `Retry-After`s) with
//! `Authorization: Bearer` when a token is set, `If-None-Match` when the caller has an ETag,
//! and returns the page's JSON, its ETag and the `rel="next"` URL of its `Link` header — the
//! client never builds page URLs itself. After every answer it records the primary rate-limit
//! budget (`x-ratelimit-remaining`/`-reset`); before the next request, an exhausted budget is
//! waited out (the caller is told, to show a message) or, with `no_wait`, reported as
//! [`GithubError::RateLimited`]. A rate-limit answer that `agora-http` would not wait for
//! (a reset far ahead) is handled the same way. No wait is longer than
//! [`ClientConfig::max_wait`] (15 minutes by default): a reset or `Retry-After` further ahead
//! stops the sync with a message saying when to run again.
//!
//! The token goes only to the API's own origin (scheme, host and port of
//! [`ClientConfig::api_url`]): a `Link` naming another origin is refused with
//! [`GithubError::ForeignLink`] before any request, and redirects to another origin are not
//! followed (agora-http's `cross_origin_redirects: false`).
//!
//! [`GithubClient::send_json`] sends a `POST`, `PATCH`, `PUT` or `DELETE` with the same token,
//! origin check and rate-limit handling. GitHub asks integrations to make content-creating
//! requests (a `POST`, `PATCH`, `PUT` or `DELETE`) one at a time and at least a second apart,
//! or it answers with a secondary rate limit: the client keeps the time of the last one and
//! sleeps until [`GithubClient::content_spacing`] has passed (one lock held across the sleep
//! and the request, so threads sharing the client queue up); a new client counts as having
//! just sent one, so a process started right after another keeps the spacing as well. A
//! secondary-limit answer (403 or
//! 429 with `Retry-After`) is waited out and sent again, as for a GET.

use std::sync::Mutex;
use std::time::{Duration, Instant};

use agora_http::{ClientOptions, HttpClient, HttpError, Method, Origin, Request};
use jiff::Timestamp;

use crate::GithubError;

/// The default cap on waiting for a rate limit: 15 minutes.
pub const DEFAULT_MAX_WAIT: Duration = Duration::from_secs(15 * 60);

/// The largest API page accepted: 100 items with long bodies stay far below it.
pub const MAX_PAGE_BYTES: u64 = 32 * 1024 * 1024;

/// The least time between two content-creating requests, as GitHub's best practices ask.
pub const CONTENT_SPACING: Duration = Duration::from_secs(1);

/// GitHub's public API.
pub const DEFAULT_API_URL: &str = "https://api.github.com";

/// How a [`GithubClient`] is set up.
#[derive(Debug, Clone)]
pub struct ClientConfig {
    /// The API root, `https://api.github.com` (a fake server's URL in tests).
    pub api_url: String,
    /// The token (`GITHUB_TOKEN` / `GH_TOKEN`); `None` works at 60 requests an hour.
    pub token: Option<String>,
    /// Stop with an error instead of waiting for the rate limit to reset.
    pub no_wait: bool,
    /// The longest wait for a rate limit; a reset further ahead stops with an error.
    pub max_wait: Duration,
    /// The HTTP client's options (retries, backoff, timeout).
    pub http: ClientOptions,
}

impl ClientConfig {
    /// The public API with `token`, default HTTP options, waiting allowed.
    pub fn new(token: Option<String>) -> ClientConfig {
        ClientConfig {
            api_url: DEFAULT_API_URL.into(),
            token,
            no_wait: false,
            max_wait: DEFAULT_MAX_WAIT,
            http: ClientOptions::default(),
        }
    }
}

/// The token from `GITHUB_TOKEN`, else `GH_TOKEN` (empty values ignored).
pub fn token_from_env() -> Option<String> {
    ["GITHUB_TOKEN", "GH_TOKEN"]
        .into_iter()
        .filter_map(|name| std::env::var(name).ok())
        .map(|v| v.trim().to_string())
        .find(|v| !v.is_empty())
}

/// The primary rate-limit budget as the last answer gave it.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct RateBudget {
    /// Requests per window.
    pub limit: Option<u64>,
    /// Requests left.
    pub remaining: Option<u64>,
    /// When the window resets.
    pub reset: Option<Timestamp>,
}

/// One answer of a list or object endpoint.
#[derive(Debug, Clone)]
pub struct Page {
    /// The URL asked.
    pub url: String,
    /// `false` when the server said 304 Not Modified (then `body` is `Null`).
    pub modified: bool,
    /// The JSON.
    pub body: serde_json::Value,
    /// The answer's ETag.
    pub etag: Option<String>,
    /// The next page, from `Link: <…>; rel="next"`.
    pub next: Option<String>,
}

/// A GitHub REST client; share it by reference.
#[derive(Debug)]
pub struct GithubClient {
    http: HttpClient,
    config: ClientConfig,
    /// `scheme://host:port` of the API root: the only origin the token is sent to.
    origin: String,
    budget: Mutex<RateBudget>,
    /// When the last content-creating request was answered; held while one is in flight.
    last_content: Mutex<Option<Instant>>,
    /// The least time between two content-creating requests.
    content_spacing: Duration,
}

/// The answer to a request sent with [`GithubClient::send_json`].
#[derive(Debug, Clone)]
pub struct Sent {
    /// The URL.
    pub url: String,
    /// The HTTP status (2xx).
    pub status: u16,
    /// The JSON body (`Null` when empty, as for a 204).
    pub body: serde_json::Value,
}

/// `scheme://host[:port]` of an absolute http(s) URL.
fn origin_of(url: &str) -> Option<String> {
    agora_http::url_origin(url)
}

/// The URL with `rel="next"` in a `Link` header.
pub fn next_link(header: &str) -> Option<String> {
    header.split(',').find_map(|part| {
        let mut pieces = part.split(';');
        let target = pieces.next()?.trim();
        let url = target.strip_prefix('<')?.strip_suffix('>')?;
        let is_next = pieces.any(|p| {
            let p = p.trim();
            p == "rel=\"next\"" || p == "rel=next"
        });
        is_next.then(|| url.to_string())
    })
}

impl GithubClient {
    /// A client for `config`.
    pub fn new(config: ClientConfig) -> Result<GithubClient, GithubError> {
        let mut http_options = config.http.clone();
        // ETags live in the store, next to the cursor they belong to: no disk cache here.
        http_options.cache_dir = None;
        if config.no_wait {
            http_options.max_retry_after = Duration::ZERO;
        }
        http_options.max_retry_after = http_options.max_retry_after.min(config.max_wait);
        // Never follow the token to another host.
        http_options.cross_origin_redirects = false;
        let origin = origin_of(&config.api_url).ok_or_else(|| GithubError::Response {
            url: agora_http::redact_url(&config.api_url),
            message: "the API URL is not an absolute http(s) URL".into(),
        })?;
        Ok(GithubClient {
            http: HttpClient::new(http_options)?,
            config,
            origin,
            budget: Mutex::new(RateBudget::default()),
            // As if one had just been sent: a run started right after another (a rerun after a
            // crash) keeps the spacing too, for one spacing's wait.
            last_content: Mutex::new(Some(Instant::now())),
            content_spacing: CONTENT_SPACING,
        })
    }

    /// The same client with another least time between content-creating requests; GitHub
    /// asks for [`CONTENT_SPACING`], and nothing shorter is allowed against its API.
    pub fn with_content_spacing(mut self, spacing: Duration) -> GithubClient {
        self.content_spacing = spacing;
        self
    }

    /// The least time between two content-creating requests.
    pub fn content_spacing(&self) -> Duration {
        self.content_spacing
    }

    /// The API root.
    pub fn api_url(&self) -> &str {
        self.config.api_url.trim_end_matches('/')
    }

    /// Whether a token is used.
    pub fn authenticated(&self) -> bool {
        self.config.token.is_some()
    }

    /// The rate-limit budget as last seen.
    pub fn budget(&self) -> RateBudget {
        self.budget.lock().map(|b| *b).unwrap_or_default()
    }

    /// Requests sent so far (retries included).
    pub fn requests(&self) -> u64 {
        self.http.stats().requests
    }

    fn hint(&self) -> &'static str {
        if self.authenticated() {
            ""
        } else {
            " (set GITHUB_TOKEN for 5,000 requests an hour instead of 60)"
        }
    }

    /// Waits for (or refuses) an exhausted budget before a request.
    fn before_request(&self, on_wait: &mut dyn FnMut(Timestamp)) -> Result<(), GithubError> {
        let budget = self.budget();
        if budget.remaining != Some(0) {
            return Ok(());
        }
        let Some(reset) = budget.reset else {
            return Ok(());
        };
        self.wait_until(reset, on_wait)?;
        if let Ok(mut b) = self.budget.lock() {
            b.remaining = None;
        }
        Ok(())
    }

    fn wait_until(
        &self,
        reset: Timestamp,
        on_wait: &mut dyn FnMut(Timestamp),
    ) -> Result<(), GithubError> {
        let now = Timestamp::now();
        let secs = reset.as_second().saturating_sub(now.as_second());
        if secs <= 0 {
            return Ok(());
        }
        let wait_secs = secs as u64;
        if self.config.no_wait {
            return Err(GithubError::RateLimited {
                reset,
                wait_secs,
                hint: self.hint(),
            });
        }
        if Duration::from_secs(wait_secs) > self.config.max_wait {
            return Err(GithubError::WaitTooLong {
                reset,
                wait_secs,
                max_wait_secs: self.config.max_wait.as_secs(),
                hint: self.hint(),
            });
        }
        on_wait(reset);
        // One second more: GitHub's reset is whole seconds.
        std::thread::sleep(Duration::from_secs(wait_secs + 1));
        Ok(())
    }

    fn record_budget(&self, headers: &[(String, String)]) {
        let get = |name: &str| {
            headers
                .iter()
                .find(|(n, _)| n.eq_ignore_ascii_case(name))
                .and_then(|(_, v)| v.trim().parse::<u64>().ok())
        };
        let (limit, remaining, reset) = (
            get("x-ratelimit-limit"),
            get("x-ratelimit-remaining"),
            get("x-ratelimit-reset"),
        );
        if remaining.is_none() {
            return;
        }
        if let Ok(mut b) = self.budget.lock() {
            b.limit = limit.or(b.limit);
            b.remaining = remaining;
            b.reset = reset
                .and_then(|r| i64::try_from(r).ok())
                .and_then(|r| Timestamp::from_second(r).ok())
                .or(b.reset);
        }
    }

    /// The absolute URL of `url` (a path under the API root, or an absolute URL on its origin).
    fn resolve(&self, url: &str) -> Result<String, GithubError> {
        let url = if url.starts_with("http://") || url.starts_with("https://") {
            url.to_string()
        } else {
            format!("{}{}", self.api_url(), url)
        };
        // A Link (or anything else) naming another origin gets no request, so no token.
        if origin_of(&url).as_deref() != Some(self.origin.as_str()) {
            return Err(GithubError::ForeignLink {
                url: agora_http::redact_url(&url),
                api: self.origin.clone(),
            });
        }
        Ok(url)
    }

    /// Sends `method` to `url` (a path under the API root) with the JSON `body`, at least
    /// [`GithubClient::content_spacing`] after the previous such request, waiting out rate
    /// limits as [`GithubClient::get_page`] does. `on_wait` is told of every rate-limit wait.
    pub fn send_json(
        &self,
        method: Method,
        url: &str,
        body: Option<&serde_json::Value>,
        on_wait: &mut dyn FnMut(Timestamp),
    ) -> Result<Sent, GithubError> {
        let url = self.resolve(url)?;
        let mut request = Request::new(url.clone())
            .accept("application/vnd.github+json")
            .max_body(MAX_PAGE_BYTES)
            .header("X-GitHub-Api-Version", "2022-11-28");
        if let Some(token) = &self.config.token {
            request = request.header("Authorization", format!("Bearer {token}"));
        }
        let bytes = match body {
            Some(value) => Some(
                serde_json::to_vec(value).map_err(|e| GithubError::Response {
                    url: url.clone(),
                    message: format!("cannot encode the request body: {e}"),
                })?,
            ),
            None => None,
        };
        // One content-creating request at a time, spaced: the lock is held until it is answered.
        let mut last = self
            .last_content
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        let mut rate_limit_rounds = 0;
        let response = loop {
            self.before_request(on_wait)?;
            if let Some(previous) = *last {
                let since = previous.elapsed();
                if since < self.content_spacing {
                    std::thread::sleep(self.content_spacing - since);
                }
            }
            let result = self.http.send(method, &request, bytes.as_deref());
            *last = Some(Instant::now());
            match result {
                Ok(response) => break response,
                Err(HttpError::RateLimited { retry_at, .. }) if rate_limit_rounds < 3 => {
                    rate_limit_rounds += 1;
                    let reset = retry_at
                        .parse::<Timestamp>()
                        .unwrap_or_else(|_| Timestamp::now());
                    self.wait_until(reset, on_wait)?;
                }
                Err(err) => return Err(err.into()),
            }
        };
        drop(last);
        self.record_budget(&response.headers);
        let body = if response.body.iter().all(u8::is_ascii_whitespace) {
            serde_json::Value::Null
        } else {
            response.json()?
        };
        Ok(Sent {
            url,
            status: response.status,
            body,
        })
    }

    /// GETs `url` (absolute, or a path under the API root), conditionally on `etag`.
    /// `on_wait` is told when the client waits for the rate limit to reset.
    pub fn get_page(
        &self,
        url: &str,
        etag: Option<&str>,
        on_wait: &mut dyn FnMut(Timestamp),
    ) -> Result<Page, GithubError> {
        let url = self.resolve(url)?;
        let mut request = Request::new(url.clone())
            .accept("application/vnd.github+json")
            .expect_json()
            .max_body(MAX_PAGE_BYTES)
            .header("X-GitHub-Api-Version", "2022-11-28");
        if let Some(token) = &self.config.token {
            request = request.header("Authorization", format!("Bearer {token}"));
        }
        if let Some(etag) = etag {
            request = request.header("If-None-Match", etag);
        }
        let mut rate_limit_rounds = 0;
        let response = loop {
            self.before_request(on_wait)?;
            match self.http.get(&request) {
                Ok(response) => break response,
                Err(HttpError::RateLimited { retry_at, .. }) if rate_limit_rounds < 3 => {
                    rate_limit_rounds += 1;
                    let reset = retry_at
                        .parse::<Timestamp>()
                        .unwrap_or_else(|_| Timestamp::now());
                    self.wait_until(reset, on_wait)?;
                }
                Err(err) => return Err(err.into()),
            }
        };
        self.record_budget(&response.headers);
        let etag = response.header("etag").map(str::to_string);
        let next = response.header("link").and_then(next_link);
        if response.origin == Origin::NotModified {
            return Ok(Page {
                url,
                modified: false,
                body: serde_json::Value::Null,
                etag,
                next: None,
            });
        }
        let body: serde_json::Value = response.json()?;
        Ok(Page {
            url,
            modified: true,
            body,
            etag,
            next,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn link_headers() {
        let header = "<https://api.github.com/repositories/1/issues?page=2>; rel=\"next\", \
                      <https://api.github.com/repositories/1/issues?page=5>; rel=\"last\"";
        assert_eq!(
            next_link(header).as_deref(),
            Some("https://api.github.com/repositories/1/issues?page=2")
        );
        assert_eq!(
            origin_of("https://api.github.com/x").as_deref(),
            Some("https://api.github.com")
        );
        assert_eq!(
            origin_of("HTTPS://API.github.com:443"),
            origin_of("https://api.github.com/")
        );
        assert_eq!(
            origin_of("http://127.0.0.1:8080/a?b").as_deref(),
            Some("http://127.0.0.1:8080")
        );
        assert_eq!(
            origin_of("http://t@169.254.169.254/latest").as_deref(),
            Some("http://169.254.169.254")
        );
        assert_eq!(origin_of("ftp://x/"), None);
        assert_eq!(origin_of("/relative"), None);
        assert_eq!(
            next_link("<https://x/?page=1>; rel=\"prev\", <https://x/?page=1>; rel=\"first\""),
            None
        );
        assert_eq!(next_link("garbage"), None);
    }
}
