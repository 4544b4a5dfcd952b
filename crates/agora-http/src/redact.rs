//! Keeping credentials in URLs (`https://user:token@host/…`) out of anything shown or stored.
//!
//! An index URL may carry a user name and password (pip's `--index-url` convention, and a
//! private index's token is often the user name). The request needs them, but nothing else
//! does: [`redact_url`] replaces the whole userinfo with `****` (as pip redacts a token-only
//! userinfo), working on the text so that even a URL that does not parse is redacted.

/// What replaces a URL's userinfo.
pub const REDACTED: &str = "****";

/// The byte range of the userinfo (before the `@`) in `url`, if it has one.
fn userinfo_range(url: &str) -> Option<(usize, usize)> {
    let start = url.find("://")? + 3;
    let rest = &url[start..];
    let authority_end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let at = rest[..authority_end].rfind('@')?;
    Some((start, start + at))
}

/// The userinfo (`user:pass`) of `url`, if it has a non-empty one.
pub fn userinfo(url: &str) -> Option<&str> {
    let (start, end) = userinfo_range(url)?;
    Some(&url[start..end]).filter(|u| !u.is_empty())
}

/// `url` with its userinfo replaced by `****`: `https://****@host/simple/`; URLs without
/// credentials are returned unchanged.
pub fn redact_url(url: &str) -> String {
    match userinfo_range(url) {
        Some((start, end)) => format!("{}{REDACTED}{}", &url[..start], &url[end..]),
        None => url.to_string(),
    }
}

/// `text` with every occurrence of `secret` replaced by `****` (for messages that may quote a
/// URL with its credentials, e.g. from the TLS or connection layers).
pub(crate) fn scrub(text: &str, secret: &str) -> String {
    if secret.is_empty() {
        return text.to_string();
    }
    text.replace(secret, REDACTED)
}

/// The origin of an absolute http(s) URL (`scheme://host[:port]`, the default port left out),
/// what credentials are scoped to; `None` for anything else.
pub fn url_origin(url: &str) -> Option<String> {
    let parsed = reqwest::Url::parse(url).ok()?;
    matches!(parsed.scheme(), "http" | "https").then(|| origin_of(&parsed))
}

/// The origin of `url` (`scheme://host:port`), what credentials are scoped to.
pub(crate) fn origin_of(url: &reqwest::Url) -> String {
    url.origin().ascii_serialization()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn userinfo_is_redacted_wherever_it_is() {
        assert_eq!(
            redact_url("https://user:s3cret@example.org/simple/"),
            "https://****@example.org/simple/"
        );
        assert_eq!(
            redact_url("https://__token__@example.org"),
            "https://****@example.org"
        );
        assert_eq!(
            redact_url("https://example.org/a@b?c=d@e"),
            "https://example.org/a@b?c=d@e",
            "an @ after the authority is not userinfo"
        );
        assert_eq!(
            redact_url("not a url://u:p@x y/"),
            "not a url://****@x y/",
            "unparseable URLs are redacted too"
        );
        assert_eq!(userinfo("https://u:p@h/x"), Some("u:p"));
        assert_eq!(userinfo("https://h/x"), None);
        assert_eq!(
            scrub("for url (https://u:p@h/)", "u:p"),
            "for url (https://****@h/)"
        );
    }

    #[test]
    fn origins_include_scheme_and_port() {
        let a = reqwest::Url::parse("http://127.0.0.1:8080/x").expect("url");
        let b = reqwest::Url::parse("http://127.0.0.1:8081/x").expect("url");
        let c = reqwest::Url::parse("https://127.0.0.1:8080/y").expect("url");
        assert_eq!(origin_of(&a), "http://127.0.0.1:8080");
        assert_ne!(origin_of(&a), origin_of(&b));
        assert_ne!(origin_of(&a), origin_of(&c));
    }
}
