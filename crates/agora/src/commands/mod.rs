//! One module per subcommand; [`run`] dispatches.

pub mod bench;
mod cache;
mod changelog;
mod content;
mod docs;
mod docs_build;
mod github;
mod health;
mod init;
pub mod manual;
pub mod new;
mod portal;
mod pypi;
mod repos;
mod review;
mod schedule;
mod search;
pub mod serve;
mod store;
mod wheel_check;
mod wheels;

use std::process::ExitCode;

use crate::cli::{
    CacheCommand, Cli, Command, ContentCommand, DocsCommand, GithubCommand, PortalCommand,
    PypiCommand, ScheduleCommand, StoreCommand, WheelCommand,
};
use crate::context::Context;

/// Runs the parsed command line; `Err` means it could not run at all (exit 2).
pub fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    match cli.command {
        Command::Init(args) => init::run(&args),
        Command::Pypi(PypiCommand::Sync(args)) => pypi::sync(&Context::load(&cli.global)?, &args),
        Command::Review(args) => review::run(&Context::load(&cli.global)?, &args),
        Command::Wheels(args) => wheels::run(&Context::load(&cli.global)?, &args),
        Command::Wheel(WheelCommand::Check(args)) => {
            wheel_check::run(&Context::load(&cli.global)?, &args)
        }
        Command::Health(args) => health::run(&Context::load(&cli.global)?, &args),
        Command::Changelog(args) => changelog::run(&Context::load(&cli.global)?, &args),
        Command::Github(GithubCommand::Sync(args)) => {
            github::sync(&Context::load(&cli.global)?, &args)
        }
        Command::Github(GithubCommand::Import(args)) => {
            github::import(&Context::load(&cli.global)?, &args)
        }
        Command::Cache(CacheCommand::Prune(args)) => {
            cache::prune(&Context::load(&cli.global)?, &args)
        }
        Command::Store(StoreCommand::Migrate(args)) => store::migrate(&args),
        Command::Repos(command) => repos::run(&Context::load(&cli.global)?, &command),
        Command::Search(args) => search::run(&Context::load(&cli.global)?, &args),
        Command::Docs(DocsCommand::Lint(args)) => docs::lint(&args, cli.global.quiet),
        Command::Docs(DocsCommand::Build(args)) => docs_build::build(&args),
        Command::Bench(command) => bench::run(&Context::load(&cli.global)?, &command),
        Command::Portal(PortalCommand::Build(args)) => {
            portal::build(&Context::load(&cli.global)?, &args)
        }
        Command::Serve(args) => serve::serve(&Context::load(&cli.global)?, &args),
        Command::Token(command) => serve::token(&Context::load(&cli.global)?, &command),
        Command::Content(ContentCommand::Check(args)) => {
            content::check(&Context::load(&cli.global)?, &args)
        }
        Command::New(args) => new::run(&Context::load(&cli.global)?, &args),
        Command::Completions(args) => manual::completions(&args),
        Command::Man(args) => manual::man(&args),
        Command::Schedule(args) => {
            let context = Context::load(&cli.global)?;
            match &args.command {
                Some(ScheduleCommand::Check(check)) => schedule::check(&context, check),
                Some(ScheduleCommand::Matrix(matrix)) => schedule::matrix(&context, matrix),
                None => schedule::schedule(&context, &args),
            }
        }
    }
}
