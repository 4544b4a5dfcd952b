//! What the fake server sends back: a status, headers and a body, or a scripted failure.
//!
//! A [`Reply`] is a plain value built with chained methods. The server adds `Content-Length`
//! (unless the reply sets one, or the status has no body) and `Connection: close`; everything
//! else is up to the reply. A reply's [`Reply::delay`] is waited out before anything is written;
//! the failure modes replace the normal write: a truncated reply announces the full length and
//! sends only a prefix, a dropped connection sends nothing at all, a trickling reply sends its
//! body one byte at a time with a pause before each.

use std::time::Duration;

/// How the reply is put on the wire.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Mode {
    /// Status line, headers, the whole body.
    Normal,
    /// The full `Content-Length`, then only the first `sent` bytes of the body, then close.
    Truncated {
        /// How many body bytes are actually written.
        sent: usize,
    },
    /// Close the connection without writing anything.
    Drop,
    /// Status line and headers at once, then the body one byte per `interval` (a server that
    /// trickles, to test total deadlines).
    Trickle {
        /// The pause before each byte.
        interval: Duration,
    },
}

/// A scripted answer to one request.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Reply {
    pub(crate) status: u16,
    pub(crate) headers: Vec<(String, String)>,
    pub(crate) body: Vec<u8>,
    pub(crate) delay: Duration,
    pub(crate) mode: Mode,
}

impl Reply {
    /// A reply with `status`, no headers and an empty body.
    pub fn new(status: u16) -> Self {
        Reply {
            status,
            headers: Vec::new(),
            body: Vec::new(),
            delay: Duration::ZERO,
            mode: Mode::Normal,
        }
    }

    /// A 200 reply with an empty body.
    pub fn ok() -> Self {
        Reply::new(200)
    }

    /// A 304 Not Modified reply.
    pub fn not_modified() -> Self {
        Reply::new(304)
    }

    /// A reply with `Content-Type: application/json` and `value` serialized as its body.
    pub fn json(status: u16, value: &serde_json::Value) -> Self {
        Reply::json_text(status, value.to_string())
    }

    /// A reply with `Content-Type: application/json` and `text` as its body, verbatim.
    pub fn json_text(status: u16, text: impl Into<String>) -> Self {
        Reply::new(status)
            .header("Content-Type", "application/json")
            .body(text.into())
    }

    /// A reply with `Content-Type: text/plain; charset=utf-8`.
    pub fn text(status: u16, text: impl Into<String>) -> Self {
        Reply::new(status)
            .header("Content-Type", "text/plain; charset=utf-8")
            .body(text.into())
    }

    /// A reply with `Content-Type: text/html; charset=utf-8`.
    pub fn html(status: u16, html: impl Into<String>) -> Self {
        Reply::new(status)
            .header("Content-Type", "text/html; charset=utf-8")
            .body(html.into())
    }

    /// A reply that announces `Content-Length: body.len()` but sends only `sent` bytes, then closes.
    pub fn truncated(status: u16, body: impl Into<Vec<u8>>, sent: usize) -> Self {
        Reply::new(status).body(body).truncate_after(sent)
    }

    /// A "reply" that closes the connection after reading the request, without answering.
    pub fn drop_connection() -> Self {
        Reply {
            mode: Mode::Drop,
            ..Reply::new(0)
        }
    }

    /// Adds a header (several with the same name are all sent).
    pub fn header(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.headers.push((name.into(), value.into()));
        self
    }

    /// Replaces the body.
    pub fn body(mut self, body: impl Into<Vec<u8>>) -> Self {
        self.body = body.into();
        self
    }

    /// Waits `delay` before answering (or dropping), to test client timeouts.
    pub fn delay(mut self, delay: Duration) -> Self {
        self.delay = delay;
        self
    }

    /// Sends the body one byte per `interval` after the headers (a trickling server).
    pub fn trickle(mut self, interval: Duration) -> Self {
        self.mode = Mode::Trickle { interval };
        self
    }

    /// Sends only the first `sent` bytes of the body while announcing its full length.
    pub fn truncate_after(mut self, sent: usize) -> Self {
        self.mode = Mode::Truncated { sent };
        self
    }

    /// The status code of this reply (0 for a dropped connection).
    pub fn status(&self) -> u16 {
        self.status
    }

    /// Whether a reply with this status carries no body (1xx, 204, 304).
    pub(crate) fn bodyless_status(&self) -> bool {
        (100..200).contains(&self.status) || self.status == 204 || self.status == 304
    }

    /// The status line and headers, as written on the wire.
    pub(crate) fn head_bytes(&self) -> Vec<u8> {
        let mut head = format!("HTTP/1.1 {} {}\r\n", self.status, reason(self.status));
        let mut has_length = false;
        for (name, value) in &self.headers {
            if name.eq_ignore_ascii_case("connection") {
                continue;
            }
            if name.eq_ignore_ascii_case("content-length") {
                has_length = true;
            }
            head.push_str(&format!("{name}: {value}\r\n"));
        }
        if !has_length && !self.bodyless_status() {
            head.push_str(&format!("Content-Length: {}\r\n", self.body.len()));
        }
        head.push_str("Connection: close\r\n\r\n");
        head.into_bytes()
    }
}

/// The reason phrase for the common statuses ("Unknown" for others; clients ignore it).
fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        201 => "Created",
        204 => "No Content",
        301 => "Moved Permanently",
        302 => "Found",
        304 => "Not Modified",
        400 => "Bad Request",
        401 => "Unauthorized",
        403 => "Forbidden",
        404 => "Not Found",
        410 => "Gone",
        422 => "Unprocessable Entity",
        429 => "Too Many Requests",
        500 => "Internal Server Error",
        501 => "Not Implemented",
        502 => "Bad Gateway",
        503 => "Service Unavailable",
        504 => "Gateway Timeout",
        _ => "Unknown",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn head_has_length_and_close() {
        let head = String::from_utf8(Reply::text(200, "hi").head_bytes()).expect("utf-8");
        assert!(head.starts_with("HTTP/1.1 200 OK\r\n"));
        assert!(head.contains("Content-Length: 2\r\n"));
        assert!(head.ends_with("Connection: close\r\n\r\n"));
    }

    #[test]
    fn not_modified_has_no_length() {
        let head = String::from_utf8(Reply::not_modified().head_bytes()).expect("utf-8");
        assert!(!head.contains("Content-Length"));
    }

    #[test]
    fn explicit_length_wins() {
        let reply = Reply::ok().header("content-length", "99").body("x");
        let head = String::from_utf8(reply.head_bytes()).expect("utf-8");
        assert_eq!(head.matches("ontent-").count(), 1);
    }
}
