//! The request as the fake server saw it, and the parser that reads it off the wire.
//!
//! The parser works on the bytes of the request head (everything before the first blank line):
//! a request line `METHOD TARGET HTTP/1.x` followed by `name: value` header lines. Header names
//! are lowercased; values are trimmed. Anything malformed yields `None`, and the server answers
//! such a request with 400 without recording it.

/// One request received by the fake server.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RecordedRequest {
    /// The method, as sent (`GET`, `POST`, …).
    pub method: String,
    /// The request target: the path with its query string, e.g. `/simple/numpy/?x=1`.
    pub path: String,
    /// The headers in the order sent, names lowercased.
    pub headers: Vec<(String, String)>,
    /// The request body (empty for a GET).
    pub body: Vec<u8>,
}

impl RecordedRequest {
    /// The first value of header `name` (case-insensitive), if present.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// The path without its query string.
    pub fn path_only(&self) -> &str {
        self.path
            .split_once('?')
            .map_or(self.path.as_str(), |(p, _)| p)
    }

    /// The query string (after `?`), if any.
    pub fn query(&self) -> Option<&str> {
        self.path.split_once('?').map(|(_, q)| q)
    }

    /// `http://HOST` from the request's `Host` header, to build absolute links in replies.
    pub fn base_url(&self) -> Option<String> {
        self.header("host").map(|h| format!("http://{h}"))
    }
}

/// The parsed request head: the request without its body.
pub(crate) struct Head {
    pub(crate) method: String,
    pub(crate) path: String,
    pub(crate) headers: Vec<(String, String)>,
}

impl Head {
    /// The declared body length; `Err(())` when it is not a number.
    pub(crate) fn content_length(&self) -> Result<usize, ()> {
        match self
            .headers
            .iter()
            .find(|(k, _)| k == "content-length")
            .map(|(_, v)| v)
        {
            None => Ok(0),
            Some(v) => v.trim().parse().map_err(|_| ()),
        }
    }

    /// Whether the body is sent with chunked transfer coding (not supported here).
    pub(crate) fn is_chunked(&self) -> bool {
        self.headers
            .iter()
            .any(|(k, v)| k == "transfer-encoding" && v.to_ascii_lowercase().contains("chunked"))
    }
}

/// Parses a request head (without the terminating blank line).
pub(crate) fn parse_head(bytes: &[u8]) -> Option<Head> {
    let text = std::str::from_utf8(bytes).ok()?;
    let mut lines = text.split("\r\n");
    let request_line = lines.next()?;
    let mut parts = request_line.split(' ');
    let method = parts.next().filter(|m| !m.is_empty())?;
    let path = parts.next().filter(|p| !p.is_empty())?;
    let version = parts.next()?;
    if parts.next().is_some() || !version.starts_with("HTTP/1.") {
        return None;
    }
    let mut headers = Vec::new();
    for line in lines {
        if line.is_empty() {
            continue;
        }
        let (name, value) = line.split_once(':')?;
        if name.is_empty() || name.contains(' ') {
            return None;
        }
        headers.push((name.to_ascii_lowercase(), value.trim().to_string()));
    }
    Some(Head {
        method: method.to_string(),
        path: path.to_string(),
        headers,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_a_get() {
        let head =
            parse_head(b"GET /a/b?x=1 HTTP/1.1\r\nHost: h:1\r\nAccept: */*").expect("parses");
        assert_eq!(head.method, "GET");
        assert_eq!(head.path, "/a/b?x=1");
        assert_eq!(
            head.headers,
            vec![
                ("host".to_string(), "h:1".to_string()),
                ("accept".to_string(), "*/*".to_string())
            ]
        );
        assert_eq!(head.content_length(), Ok(0));
    }

    #[test]
    fn rejects_garbage() {
        assert!(parse_head(b"").is_none());
        assert!(parse_head(b"GET /").is_none());
        assert!(parse_head(b"GET / SPDY/3").is_none());
        assert!(parse_head(b"GET / HTTP/1.1\r\nno colon here").is_none());
        assert!(parse_head(&[0xff, 0xfe]).is_none());
    }

    #[test]
    fn path_helpers() {
        let req = RecordedRequest {
            method: "GET".into(),
            path: "/p?q=1".into(),
            headers: vec![("host".into(), "127.0.0.1:9".into())],
            body: Vec::new(),
        };
        assert_eq!(req.path_only(), "/p");
        assert_eq!(req.query(), Some("q=1"));
        assert_eq!(req.header("HOST"), Some("127.0.0.1:9"));
        assert_eq!(req.base_url().as_deref(), Some("http://127.0.0.1:9"));
    }
}
