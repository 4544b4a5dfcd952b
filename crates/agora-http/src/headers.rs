//! Reading the response headers that steer caching, retrying and the JSON check.
//!
//! These are pure functions over header values (and, where time matters, an explicit "now"), so
//! they are tested without a server. `Cache-Control` yields the freshness lifetime (`max-age`
//! minus the `Age` the response already had, or none when `no-cache` or no `max-age`);
//! `Retry-After` is either delay-seconds or an HTTP-date; GitHub's rate limit arrives as
//! `x-ratelimit-remaining: 0` with `x-ratelimit-reset` in epoch seconds. Unparseable values are
//! ignored rather than treated as errors: a bad header must never fail a good response.

use std::time::Duration;

use jiff::Timestamp;

/// The first value of header `name` (names are stored lowercased).
pub(crate) fn get<'a>(headers: &'a [(String, String)], name: &str) -> Option<&'a str> {
    headers
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case(name))
        .map(|(_, v)| v.as_str())
}

/// What `Cache-Control` says about storing and reusing a response.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) struct CacheControl {
    /// `max-age` in seconds, if given and valid.
    pub(crate) max_age: Option<u64>,
    /// `no-cache`: always revalidate before reuse.
    pub(crate) no_cache: bool,
    /// `no-store`: never write the response to the cache.
    pub(crate) no_store: bool,
}

impl CacheControl {
    /// Parses every `Cache-Control` header in `headers`.
    pub(crate) fn from_headers(headers: &[(String, String)]) -> Self {
        let mut cc = CacheControl::default();
        let values = headers
            .iter()
            .filter(|(k, _)| k.eq_ignore_ascii_case("cache-control"));
        for (_, value) in values {
            for directive in value.split(',') {
                let (name, arg) = match directive.split_once('=') {
                    Some((n, a)) => (n, Some(a.trim().trim_matches('"'))),
                    None => (directive, None),
                };
                match name.trim().to_ascii_lowercase().as_str() {
                    "max-age" if cc.max_age.is_none() => {
                        cc.max_age = arg.and_then(parse_seconds);
                    }
                    "no-cache" => cc.no_cache = true,
                    "no-store" => cc.no_store = true,
                    _ => {}
                }
            }
        }
        cc
    }
}

/// How long, in seconds, a response with these headers may be served without asking again:
/// `max-age` less the `Age` it already had; `None` when it must always be revalidated.
pub(crate) fn freshness_lifetime(headers: &[(String, String)]) -> Option<u64> {
    let cc = CacheControl::from_headers(headers);
    if cc.no_cache {
        return None;
    }
    let age = get(headers, "age").and_then(parse_seconds).unwrap_or(0);
    cc.max_age.map(|max_age| max_age.saturating_sub(age))
}

/// Delay-seconds: ASCII digits only; too large to fit saturates rather than failing.
fn parse_seconds(value: &str) -> Option<u64> {
    let value = value.trim();
    if value.is_empty() || !value.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    Some(value.parse().unwrap_or(u64::MAX))
}

/// How long the server asks us to wait, from `Retry-After` (seconds or HTTP-date) or, failing
/// that, from an exhausted GitHub-style rate limit (`x-ratelimit-reset`).
pub(crate) fn retry_after(headers: &[(String, String)], now: Timestamp) -> Option<Duration> {
    if let Some(value) = get(headers, "retry-after") {
        if let Some(secs) = parse_seconds(value) {
            return Some(Duration::from_secs(secs));
        }
        if let Ok(at) = jiff::fmt::rfc2822::DateTimeParser::new().parse_timestamp(value.trim()) {
            return Some(until(now, at));
        }
    }
    let exhausted = get(headers, "x-ratelimit-remaining").map(str::trim) == Some("0");
    if exhausted {
        let reset = get(headers, "x-ratelimit-reset").and_then(parse_seconds)?;
        let reset = i64::try_from(reset).unwrap_or(i64::MAX);
        let at = Timestamp::from_second(reset).unwrap_or(Timestamp::MAX);
        return Some(until(now, at));
    }
    None
}

/// The time from `now` to `at`, zero if `at` has passed.
fn until(now: Timestamp, at: Timestamp) -> Duration {
    let secs = at.as_second().saturating_sub(now.as_second());
    Duration::from_secs(u64::try_from(secs).unwrap_or(0))
}

/// Whether a `Content-Type` is JSON: `application/json` or `application/<anything>+json`.
pub(crate) fn is_json_content_type(content_type: &str) -> bool {
    let media = content_type
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase();
    match media.strip_prefix("application/") {
        Some("json") => true,
        Some(subtype) => subtype.ends_with("+json") && subtype.len() > "+json".len(),
        None => false,
    }
}

/// `s` with whitespace runs collapsed, cut to at most `max` characters (with `…` when cut).
pub(crate) fn excerpt(bytes: &[u8], max: usize) -> String {
    let text = String::from_utf8_lossy(bytes);
    let collapsed = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if collapsed.is_empty() {
        return "(empty body)".to_string();
    }
    if collapsed.chars().count() <= max {
        return collapsed;
    }
    let mut cut: String = collapsed.chars().take(max).collect();
    cut.push('…');
    cut
}

/// Header pairs from string slices, for tests.
#[cfg(test)]
pub(crate) fn test_headers(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
    pairs
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    use super::test_headers as h;

    #[test]
    fn cache_control_directives() {
        let cc = CacheControl::from_headers(&h(&[
            ("cache-control", "public, Max-Age=\"600\""),
            ("cache-control", "no-store"),
        ]));
        assert_eq!(
            cc,
            CacheControl {
                max_age: Some(600),
                no_cache: false,
                no_store: true
            }
        );
        assert_eq!(CacheControl::from_headers(&h(&[])).max_age, None);
        assert_eq!(
            CacheControl::from_headers(&h(&[("cache-control", "max-age=-1")])).max_age,
            None
        );
    }

    #[test]
    fn freshness_subtracts_age_and_respects_no_cache() {
        assert_eq!(
            freshness_lifetime(&h(&[("cache-control", "max-age=600"), ("age", "100")])),
            Some(500)
        );
        assert_eq!(
            freshness_lifetime(&h(&[("cache-control", "max-age=60"), ("age", "100")])),
            Some(0)
        );
        assert_eq!(
            freshness_lifetime(&h(&[("cache-control", "max-age=600, no-cache")])),
            None
        );
        assert_eq!(freshness_lifetime(&h(&[("etag", "\"x\"")])), None);
        assert_eq!(
            freshness_lifetime(&h(&[("cache-control", "max-age=99999999999999999999999")])),
            Some(u64::MAX)
        );
    }

    #[test]
    fn retry_after_seconds_and_dates() {
        let now: Timestamp = "2024-01-10T10:00:00Z".parse().expect("timestamp");
        assert_eq!(
            retry_after(&h(&[("retry-after", " 7 ")]), now),
            Some(Duration::from_secs(7))
        );
        assert_eq!(
            retry_after(&h(&[("retry-after", "Wed, 10 Jan 2024 10:01:30 GMT")]), now),
            Some(Duration::from_secs(90))
        );
        assert_eq!(
            retry_after(&h(&[("retry-after", "Wed, 10 Jan 2024 09:00:00 GMT")]), now),
            Some(Duration::ZERO)
        );
        assert_eq!(retry_after(&h(&[("retry-after", "soon")]), now), None);
        assert_eq!(retry_after(&h(&[]), now), None);
    }

    #[test]
    fn github_rate_limit_reset() {
        let now = Timestamp::from_second(1_000).expect("timestamp");
        let limited = h(&[
            ("x-ratelimit-remaining", "0"),
            ("x-ratelimit-reset", "1060"),
        ]);
        assert_eq!(retry_after(&limited, now), Some(Duration::from_secs(60)));
        let fine = h(&[
            ("x-ratelimit-remaining", "12"),
            ("x-ratelimit-reset", "1060"),
        ]);
        assert_eq!(retry_after(&fine, now), None);
        let huge = h(&[
            ("x-ratelimit-remaining", "0"),
            ("x-ratelimit-reset", "99999999999999999999"),
        ]);
        assert!(retry_after(&huge, now).is_some());
    }

    #[test]
    fn json_content_types() {
        assert!(is_json_content_type("application/json"));
        assert!(is_json_content_type("Application/JSON; charset=utf-8"));
        assert!(is_json_content_type("application/vnd.pypi.simple.v1+json"));
        assert!(is_json_content_type("application/vnd.github+json"));
        assert!(!is_json_content_type("application/+json"));
        assert!(!is_json_content_type("text/html"));
        assert!(!is_json_content_type("application/vnd.pypi.simple.v1+html"));
        assert!(!is_json_content_type("text/json"));
        assert!(!is_json_content_type(""));
    }

    #[test]
    fn excerpts_are_short_and_safe() {
        assert_eq!(excerpt(b"  a \n\n b  ", 10), "a b");
        assert_eq!(excerpt(b"", 10), "(empty body)");
        assert_eq!(excerpt("ééééé".as_bytes(), 3), "ééé…");
        assert_eq!(excerpt(&[0xff, 0xfe], 10), "\u{fffd}\u{fffd}");
    }
}
