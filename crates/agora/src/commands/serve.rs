//! `agora serve` and `agora token`: the server, and the tokens it accepts.
//!
//! Both parse their arguments and call `agora-server`: [`serve`] fills its configuration from
//! `[serve]` in agora.toml and the flags, [`token`] creates, lists and revokes tokens in the
//! store (a new token's secret is printed once, on standard output).

use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;

use agora_config::LogFormat;
use agora_server::tokens::{self, Action};
use agora_server::{ServerConfig, run_until_signal};
use anyhow::{Context as _, bail};
use clap::{Args, Subcommand, ValueEnum};

use crate::context::Context;

/// `agora serve`.
#[derive(Debug, Args)]
pub struct ServeArgs {
    /// The address to listen on [default: `bind` under [serve] in agora.toml, else 127.0.0.1:8080]
    #[arg(long, value_name = "ADDR")]
    pub bind: Option<String>,
    /// A static site folder to serve at / (what `agora bench publish` or `agora portal build` wrote)
    #[arg(long, value_name = "DIR")]
    pub site: Option<PathBuf>,
    /// How log lines are written on stderr [default: `log-format` under [serve], else text]
    #[arg(long, value_enum, value_name = "FORMAT")]
    pub log_format: Option<LogFormatArg>,
}

/// How `agora serve` writes its log lines.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum LogFormatArg {
    /// `level=info msg="…" key=value …`
    Text,
    /// One JSON object a line
    Json,
}

/// `agora token …`.
#[derive(Debug, Subcommand)]
pub enum TokenCommand {
    /// Create a token; its secret is printed once and only its hash is stored
    Create(TokenCreateArgs),
    /// List the tokens (never their secrets)
    List(TokenListArgs),
    /// Revoke a token by its number
    Revoke(TokenRevokeArgs),
}

/// What a token may do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum TokenAction {
    /// Upload benchmark results
    Upload,
}

/// `agora token create`.
#[derive(Debug, Args)]
pub struct TokenCreateArgs {
    /// The project it may act on
    #[arg(long)]
    pub project: String,
    /// What it may do
    #[arg(long, value_enum, default_value_t = TokenAction::Upload)]
    pub action: TokenAction,
    /// Days until it expires (0: never)
    #[arg(long, default_value_t = 365)]
    pub days: u32,
    /// What it is for (shown by `agora token list`)
    #[arg(long, default_value = "")]
    pub note: String,
    /// Print the token and its details as JSON
    #[arg(long)]
    pub json: bool,
}

/// `agora token list`.
#[derive(Debug, Args)]
pub struct TokenListArgs {
    /// Print JSON
    #[arg(long)]
    pub json: bool,
}

/// `agora token revoke`.
#[derive(Debug, Args)]
pub struct TokenRevokeArgs {
    /// The token's number (from `agora token list`)
    pub id: i64,
}

/// Runs `agora serve` until Ctrl-C or SIGTERM.
pub fn serve(context: &Context, args: &ServeArgs) -> anyhow::Result<ExitCode> {
    let mut settings = context.ecosystem.serve.clone();
    if let Some(bind) = &args.bind {
        settings.bind = bind.clone();
    }
    if let Some(site) = &args.site {
        settings.site = Some(site.clone());
    }
    match args.log_format {
        Some(LogFormatArg::Text) => settings.log_format = LogFormat::Text,
        Some(LogFormatArg::Json) => settings.log_format = LogFormat::Json,
        None => {}
    }
    // The store is created (and migrated) before the first request.
    drop(context.store()?);
    let webhook_secret = std::env::var(&settings.webhook_secret_env)
        .ok()
        .filter(|s| !s.is_empty())
        .map(String::into_bytes);
    if webhook_secret.is_none() && !context.quiet {
        eprintln!(
            "note: ${} is unset, so POST /hooks/github answers 503",
            settings.webhook_secret_env
        );
    }
    let config = ServerConfig {
        db: context.paths.db.clone(),
        ecosystem: context.ecosystem.clone(),
        settings,
        webhook_secret,
        github_token: agora_github::client::token_from_env(),
    };
    let quiet = context.quiet;
    run_until_signal(config, |addr: SocketAddr| {
        if !quiet {
            eprintln!("agora serve: listening on http://{addr}");
        }
    })?;
    Ok(ExitCode::SUCCESS)
}

/// Runs an `agora token` subcommand.
pub fn token(context: &Context, command: &TokenCommand) -> anyhow::Result<ExitCode> {
    let store = context.store()?;
    let now = jiff::Timestamp::now();
    match command {
        TokenCommand::Create(args) => {
            let action = match args.action {
                TokenAction::Upload => Action::Upload,
            };
            let expires = match args.days {
                0 => None,
                days => Some(
                    now.checked_add(jiff::SignedDuration::from_hours(24 * i64::from(days)))
                        .context("--days is too far ahead")?,
                ),
            };
            let created = tokens::create(&store, &args.project, action, &args.note, expires, now)
                .context("--project")?;
            if args.json {
                crate::output::println(&serde_json::to_string_pretty(&created)?)?;
            } else {
                crate::output::println(&created.secret)?;
                if !context.quiet {
                    eprintln!(
                        "token {} for {} ({}), expires {}; the secret above is not shown again",
                        created.token.id,
                        created.token.project,
                        created.token.action,
                        created
                            .token
                            .expires_at
                            .map_or_else(|| "never".to_owned(), |t| t.to_string())
                    );
                }
            }
            Ok(ExitCode::SUCCESS)
        }
        TokenCommand::List(args) => {
            let list = tokens::list(&store)?;
            if args.json {
                crate::output::println(&serde_json::to_string_pretty(&list)?)?;
            } else {
                for token in &list {
                    let state = match (token.revoked_at, token.expires_at) {
                        (Some(_), _) => "revoked".to_owned(),
                        (None, Some(at)) if at <= now => "expired".to_owned(),
                        (None, Some(at)) => format!("expires {at}"),
                        (None, None) => "no expiry".to_owned(),
                    };
                    crate::output::println(&format!(
                        "{:>4}  {}  {}  {}  {}  {}",
                        token.id, token.hint, token.project, token.action, state, token.note
                    ))?;
                }
            }
            Ok(ExitCode::SUCCESS)
        }
        TokenCommand::Revoke(args) => {
            if !tokens::revoke(&store, args.id, now)? {
                bail!("no valid token {}: see `agora token list`", args.id);
            }
            if !context.quiet {
                eprintln!("token {} revoked", args.id);
            }
            Ok(ExitCode::SUCCESS)
        }
    }
}
