//! The server's log: one line per event on stderr, as `key=value` pairs or as one JSON object
//! (`[serve] log-format`). Callers pass only what they choose to log: a request is logged by
//! its method, route, status and time, never its headers or query, so a token never reaches
//! the log.

use std::fmt::Write as _;
use std::io::Write as _;

use agora_config::LogFormat;

/// A value of a log line.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Field<'a> {
    /// Text (quoted in the text format).
    Str(&'a str),
    /// A count.
    Int(u64),
    /// A measurement.
    Num(f64),
}

/// Writes log lines in one format.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Log(pub(crate) LogFormat);

impl Log {
    /// Writes one line: `level`, `msg` and `fields`.
    pub(crate) fn event(&self, level: &str, msg: &str, fields: &[(&str, Field<'_>)]) {
        let line = self.line(level, msg, fields, jiff::Timestamp::now());
        // One write per line, so lines of concurrent requests do not interleave.
        let _ = std::io::stderr().lock().write_all(line.as_bytes());
    }

    /// The text of one line, ending in a newline.
    fn line(
        &self,
        level: &str,
        msg: &str,
        fields: &[(&str, Field<'_>)],
        now: jiff::Timestamp,
    ) -> String {
        match self.0 {
            LogFormat::Text => {
                let mut out = format!("level={level} msg={msg:?}");
                for (key, value) in fields {
                    let _ = match value {
                        Field::Str(text) => write!(out, " {key}={text:?}"),
                        Field::Int(n) => write!(out, " {key}={n}"),
                        Field::Num(x) => write!(out, " {key}={x:.1}"),
                    };
                }
                out.push('\n');
                out
            }
            LogFormat::Json => {
                let mut object = serde_json::Map::new();
                object.insert("ts".into(), now.to_string().into());
                object.insert("level".into(), level.into());
                object.insert("msg".into(), msg.into());
                for (key, value) in fields {
                    let value = match value {
                        Field::Str(text) => serde_json::Value::from(*text),
                        Field::Int(n) => serde_json::Value::from(*n),
                        Field::Num(x) => serde_json::Value::from((x * 10.0).round() / 10.0),
                    };
                    object.insert((*key).to_owned(), value);
                }
                let mut out = serde_json::Value::Object(object).to_string();
                out.push('\n');
                out
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_are_key_value_or_json() {
        let now: jiff::Timestamp = "2026-12-07T20:00:00Z".parse().expect("time");
        let fields = [
            ("route", Field::Str("/api/v1/search")),
            ("status", Field::Int(200)),
            ("ms", Field::Num(1.5)),
        ];
        assert_eq!(
            Log(LogFormat::Text).line("info", "request", &fields, now),
            "level=info msg=\"request\" route=\"/api/v1/search\" status=200 ms=1.5\n"
        );
        let json: serde_json::Value =
            serde_json::from_str(&Log(LogFormat::Json).line("info", "a \"b\"", &fields, now))
                .expect("one JSON object");
        assert_eq!(
            json,
            serde_json::json!({"ts": "2026-12-07T20:00:00Z", "level": "info", "msg": "a \"b\"",
                "route": "/api/v1/search", "status": 200, "ms": 1.5})
        );
    }
}
