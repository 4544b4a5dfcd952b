//! `agora`: the command line of the scientific-Python ecosystem's shared infrastructure.
//!
//! A thin layer: it parses arguments ([`cli`]), finds `agora.toml` and opens the store and
//! HTTP client ([`context`]), calls a library crate, and prints one of its views. Exit codes:
//! 0 when all is well, 1 when the result asks for action (a check found something, some
//! projects failed to sync), 2 when the command could not run at all, 141 when standard
//! output was closed before everything was written (see [`output`]).

mod cli;
mod commands;
mod context;
mod output;
mod progress;

use std::io::Write as _;
use std::process::ExitCode;

use clap::Parser;

/// mimalloc instead of the system allocator: parsing Python (`agora docs lint`) and reading asv
/// results (`agora bench`) allocate and free millions of small objects, and glibc's malloc
/// cost a fifth of those runs' time.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let cli = cli::Cli::parse();
    match commands::run(cli) {
        Ok(code) => code,
        Err(error) if output::is_closed(&error) => ExitCode::from(output::CLOSED_PIPE_EXIT),
        Err(error) => {
            // Not `eprintln!`: it panics when standard error is closed too.
            let _ = writeln!(std::io::stderr(), "error: {}", error_line(&error));
            ExitCode::from(2)
        }
    }
}

/// The error and its causes on one line, each cause once: a cause whose text is already in
/// the line (a library error that prints its source in its own message) is not repeated.
fn error_line(error: &anyhow::Error) -> String {
    let mut line = String::new();
    for cause in error.chain() {
        let text = cause.to_string();
        if line.contains(&text) {
            continue;
        }
        if !line.is_empty() {
            line.push_str(": ");
        }
        line.push_str(&text);
    }
    line
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A library error that prints its source, wrapped in context: the source once.
    #[test]
    fn each_cause_once() {
        #[derive(Debug)]
        struct Read {
            source: std::io::Error,
        }
        impl std::fmt::Display for Read {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                write!(f, "cannot read agora.toml: {}", self.source)
            }
        }
        impl std::error::Error for Read {
            fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
                Some(&self.source)
            }
        }
        let io = std::io::Error::from(std::io::ErrorKind::NotFound);
        let io_text = io.to_string();
        let error = anyhow::Error::new(Read { source: io }).context("loading the ecosystem");
        let line = error_line(&error);
        assert_eq!(line.matches(&io_text).count(), 1, "{line}");
        assert!(
            line.starts_with("loading the ecosystem: cannot read agora.toml: "),
            "{line}"
        );
    }
}
