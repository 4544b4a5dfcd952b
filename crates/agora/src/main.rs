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
            let _ = writeln!(std::io::stderr(), "error: {error:#}");
            ExitCode::from(2)
        }
    }
}
