//! The server's log: one line per event on stderr, as `key=value` pairs or as one JSON object
//! (`[serve] log-format`). Callers pass only what they choose to log: a request is logged by
//! its method, route, status and time, never its headers or query, so a token never reaches
//! the log.
//!
//! Lines go through a bounded channel to one writer thread, which writes whatever has queued
//! up in one `write` (under load, one system call for many requests instead of one each); when
//! the queue is full, the line is written directly, so memory stays bounded and no line is
//! dropped. The thread drains the queue and ends when the last [`Log`] is dropped.

use std::fmt::Write as _;
use std::io::Write as _;
use std::sync::mpsc::{Receiver, SyncSender, TrySendError};

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

/// Lines queued for the writer thread, at most.
const QUEUE: usize = 16_384;
/// Bytes written in one go, at most.
const BATCH: usize = 256 << 10;

/// Writes log lines in one format.
#[derive(Debug, Clone)]
pub(crate) struct Log {
    format: LogFormat,
    /// The writer thread's queue; `None` writes each line directly.
    queue: Option<SyncSender<Queued>>,
}

/// What the writer thread is sent.
#[derive(Debug)]
enum Queued {
    /// A line to write.
    Line(String),
    /// Answer once every line queued before is written.
    Flush(std::sync::mpsc::Sender<()>),
}

impl Log {
    /// A log in `format` with its writer thread (lines are written directly if the thread
    /// cannot be started).
    pub(crate) fn start(format: LogFormat) -> Log {
        let (sender, receiver) = std::sync::mpsc::sync_channel::<Queued>(QUEUE);
        let spawned = std::thread::Builder::new()
            .name("agora-log".into())
            .spawn(move || write_queued(&receiver));
        Log {
            format,
            queue: spawned.is_ok().then_some(sender),
        }
    }

    /// Writes one line: `level`, `msg` and `fields`.
    pub(crate) fn event(&self, level: &str, msg: &str, fields: &[(&str, Field<'_>)]) {
        let line = self.line(level, msg, fields, jiff::Timestamp::now());
        let line = match &self.queue {
            Some(queue) => match queue.try_send(Queued::Line(line)) {
                Ok(()) => return,
                Err(
                    TrySendError::Full(Queued::Line(line))
                    | TrySendError::Disconnected(Queued::Line(line)),
                ) => line,
                Err(_) => return,
            },
            None => line,
        };
        // One write per line, so lines of concurrent requests do not interleave; a failed
        // write (stderr closed) is no reason to fail a request.
        let _ = std::io::stderr().lock().write_all(line.as_bytes());
    }

    /// Waits (a second at most) until every line logged so far is written.
    pub(crate) fn flush(&self) {
        if let Some(queue) = &self.queue {
            let (done, written) = std::sync::mpsc::channel();
            if queue.send(Queued::Flush(done)).is_ok() {
                let _ = written.recv_timeout(std::time::Duration::from_secs(1));
            }
        }
    }

    /// The text of one line, ending in a newline.
    fn line(
        &self,
        level: &str,
        msg: &str,
        fields: &[(&str, Field<'_>)],
        now: jiff::Timestamp,
    ) -> String {
        match self.format {
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

/// The writer thread: writes each line as it comes, with every line queued behind it.
fn write_queued(receiver: &Receiver<Queued>) {
    let mut batch = String::new();
    let mut flushes = Vec::new();
    while let Ok(first) = receiver.recv() {
        let mut next = Some(first);
        while let Some(queued) = next.take() {
            match queued {
                Queued::Line(line) => batch.push_str(&line),
                Queued::Flush(done) => flushes.push(done),
            }
            if batch.len() < BATCH {
                next = receiver.try_recv().ok();
            }
        }
        let _ = std::io::stderr().lock().write_all(batch.as_bytes());
        batch.clear();
        for done in flushes.drain(..) {
            let _ = done.send(());
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
        let text = Log {
            format: LogFormat::Text,
            queue: None,
        };
        let json = Log {
            format: LogFormat::Json,
            queue: None,
        };
        assert_eq!(
            text.line("info", "request", &fields, now),
            "level=info msg=\"request\" route=\"/api/v1/search\" status=200 ms=1.5\n"
        );
        let json: serde_json::Value =
            serde_json::from_str(&json.line("info", "a \"b\"", &fields, now))
                .expect("one JSON object");
        assert_eq!(
            json,
            serde_json::json!({"ts": "2026-12-07T20:00:00Z", "level": "info", "msg": "a \"b\"",
                "route": "/api/v1/search", "status": 200, "ms": 1.5})
        );
    }
}
