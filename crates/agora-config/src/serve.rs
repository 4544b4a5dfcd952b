//! `[serve]` in `agora.toml`: where `agora serve` listens, what it serves, and its limits.

use std::path::PathBuf;

use serde::{Deserialize, Serialize};

/// The settings of `agora serve`; every key is optional and defaults as documented.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case", default)]
pub struct ServeSettings {
    /// The address to listen on [default: 127.0.0.1:8080].
    pub bind: String,
    /// A static site folder to serve at `/` (relative to `agora.toml`) [default: none].
    pub site: Option<PathBuf>,
    /// The largest request body accepted, in bytes [default: 64 MiB]; more gets 413.
    pub max_body_bytes: u64,
    /// The most bytes an uploaded tarball may unpack to [default: 512 MiB]; more gets 400.
    pub max_unpacked_bytes: u64,
    /// The most entries an uploaded tarball may hold [default: 20,000]; more gets 400.
    pub max_entries: u64,
    /// The longest a request may take, in seconds [default: 300]; longer gets 408.
    pub request_timeout_secs: u64,
    /// Uploads accepted per token per minute [default: 30]; more gets 429.
    pub uploads_per_minute: u32,
    /// The environment variable holding the GitHub webhook secret
    /// [default: AGORA_WEBHOOK_SECRET]; webhooks are refused while it is unset.
    pub webhook_secret_env: String,
    /// The GitHub API the webhook-triggered syncs read [default: https://api.github.com].
    pub github_api_url: String,
    /// How the log lines on stderr are written [default: text].
    pub log_format: LogFormat,
}

/// How `agora serve` writes its log lines.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum LogFormat {
    /// `level=info msg="…" key=value …`, for people and `grep`.
    #[default]
    Text,
    /// One JSON object a line (`ts`, `level`, `msg` and the fields), for log collectors.
    Json,
}

impl Default for ServeSettings {
    fn default() -> Self {
        ServeSettings {
            bind: "127.0.0.1:8080".into(),
            site: None,
            max_body_bytes: 64 << 20,
            max_unpacked_bytes: 512 << 20,
            max_entries: 20_000,
            request_timeout_secs: 300,
            uploads_per_minute: 30,
            webhook_secret_env: "AGORA_WEBHOOK_SECRET".into(),
            github_api_url: "https://api.github.com".into(),
            log_format: LogFormat::Text,
        }
    }
}
