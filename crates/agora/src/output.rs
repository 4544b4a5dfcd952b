//! Standard output for every command, so that a reader who stops reading ends the run
//! quietly.
//!
//! Rust ignores SIGPIPE, so writing to a pipe whose reader has gone (`agora search … | head`)
//! is an `EPIPE` error, and `print!` panics on it (exit 101, a panic message on stderr). The
//! commands write through [`print`] and [`stdout`] instead, which turn that error into
//! [`StdoutClosed`]; `main` ends the run on it without a message and with exit code 141
//! ([`CLOSED_PIPE_EXIT`]), what a shell reports for a program a closed pipe stops, so that
//! `set -o pipefail` still sees that the output was cut short. Any other write error (a full
//! disk behind a redirection) is an ordinary error, exit 2.

use std::io::{self, Write};

/// The exit code when standard output was closed under us: 128 + SIGPIPE, as a shell
/// reports a program a closed pipe stopped.
pub const CLOSED_PIPE_EXIT: u8 = 141;

/// Standard output's reader went away (`EPIPE`): nothing more can be shown.
#[derive(Debug)]
pub struct StdoutClosed;

impl std::fmt::Display for StdoutClosed {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("standard output was closed")
    }
}

impl std::error::Error for StdoutClosed {}

/// Standard output as a writer whose broken-pipe errors carry [`StdoutClosed`].
pub struct Stdout(io::StdoutLock<'static>);

/// Standard output, locked, for commands that write piece by piece.
pub fn stdout() -> Stdout {
    Stdout(io::stdout().lock())
}

/// Marks a broken pipe as [`StdoutClosed`]; other errors pass unchanged.
fn mark(error: io::Error) -> io::Error {
    if error.kind() == io::ErrorKind::BrokenPipe {
        io::Error::new(io::ErrorKind::BrokenPipe, StdoutClosed)
    } else {
        error
    }
}

impl Write for Stdout {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.0.write(buf).map_err(mark)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.0.flush().map_err(mark)
    }
}

/// Writes `text` to standard output and flushes it.
pub fn print(text: &str) -> anyhow::Result<()> {
    let mut out = stdout();
    out.write_all(text.as_bytes())
        .and_then(|()| out.flush())
        .map_err(into_anyhow)
}

/// Writes `text` and a newline to standard output.
pub fn println(text: &str) -> anyhow::Result<()> {
    let mut out = stdout();
    out.write_all(text.as_bytes())
        .and_then(|()| out.write_all(b"\n"))
        .and_then(|()| out.flush())
        .map_err(into_anyhow)
}

/// A write error as the command's error: [`StdoutClosed`] itself when the pipe is closed.
fn into_anyhow(error: io::Error) -> anyhow::Error {
    if is_closed_io(&error) {
        anyhow::Error::new(StdoutClosed)
    } else {
        anyhow::Error::new(error).context("cannot write to standard output")
    }
}

fn is_closed_io(error: &io::Error) -> bool {
    error
        .get_ref()
        .is_some_and(|inner| inner.downcast_ref::<StdoutClosed>().is_some())
}

/// Whether a command's error is standard output having been closed.
pub fn is_closed(error: &anyhow::Error) -> bool {
    error.chain().any(|cause| {
        cause.downcast_ref::<StdoutClosed>().is_some()
            || cause.downcast_ref::<io::Error>().is_some_and(is_closed_io)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_broken_pipe_is_recognised_and_nothing_else_is() {
        let closed = mark(io::Error::from(io::ErrorKind::BrokenPipe));
        assert!(is_closed(&into_anyhow(closed)));
        let from_a_writer = anyhow::Error::new(mark(io::Error::from(io::ErrorKind::BrokenPipe)));
        assert!(is_closed(&from_a_writer.context("writing the feed")));
        // A broken pipe elsewhere (a socket, a child process) is not our standard output.
        let socket = anyhow::Error::new(io::Error::from(io::ErrorKind::BrokenPipe));
        assert!(!is_closed(&socket));
        let full = mark(io::Error::other("No space left on device"));
        assert!(!is_closed(&into_anyhow(full)));
    }
}
