//! `agora serve`: one HTTP server for a static site, a versioned JSON API, benchmark uploads
//! and GitHub webhooks, on axum and tokio.
//!
//! [`Server::bind`] listens on the configured address and [`Server::run`] answers until its
//! shutdown future resolves, then stops accepting and lets requests in flight (an upload being
//! ingested, say) finish. Requests that read or write the store run on tokio's blocking pool
//! and open the SQLite store for themselves, so readers never wait for a writer; ingests of
//! one project are serialised. The JSON API lives under `/api/v1/` and is described by the
//! OpenAPI document at `/api/v1/openapi.json` ([`api`]); uploads (`POST
//! /api/v1/projects/{project}/bench`, [`upload`]) take a tarball of asv results and the commit
//! order, authenticated by an upload token ([`tokens`]) and made idempotent by an
//! `Idempotency-Key`; `POST /hooks/github` ([`hooks`]) verifies GitHub's signature and queues
//! an incremental sync of the repository for the one background worker. `/healthz` answers
//! `ok`, `/metrics` Prometheus' text format ([`metrics`]). Anything else is a file of the
//! static site folder, if one is given, kept in memory with its gzip bytes and ETags; when
//! that folder is a portal (`agora portal build` wrote it), it is rebuilt in the background
//! after an upload or a webhook sync changed the store. Every request is logged as one line on
//! stderr (`key=value`, or JSON with `log-format = "json"`) with its route, never its headers
//! or query, so a token never reaches a log.

pub mod api;
mod bundle;
pub mod client;
mod error;
pub mod hooks;
mod log;
pub mod metrics;
mod portal;
mod site;
pub mod tokens;
pub mod upload;

use std::collections::{HashMap, HashSet, VecDeque};
use std::future::Future;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use agora_config::{Ecosystem, ServeSettings};
use axum::Router;
use axum::extract::{DefaultBodyLimit, Request, State};
use axum::http::{HeaderValue, header};
use axum::middleware::Next;
use axum::response::Response;
use tower_http::compression::CompressionLayer;
use tower_http::limit::RequestBodyLimitLayer;
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::timeout::TimeoutLayer;

pub use bundle::BundleError;
pub use error::ServerError;

/// Everything the server needs to start.
#[derive(Debug, Clone)]
pub struct ServerConfig {
    /// The store: a SQLite file, or a `postgres://…` URL (replicas share one database).
    pub db: PathBuf,
    /// The ecosystem (its projects are listed by the API).
    pub ecosystem: Ecosystem,
    /// `[serve]` of `agora.toml`, with the command line's overrides applied.
    pub settings: ServeSettings,
    /// The GitHub webhook secret; webhooks are refused (503) without one.
    pub webhook_secret: Option<Vec<u8>>,
    /// The GitHub token the webhook-triggered syncs use.
    pub github_token: Option<String>,
}

/// What every handler shares.
pub(crate) struct AppState {
    pub(crate) config: ServerConfig,
    /// The log, in the configured format.
    pub(crate) log: log::Log,
    pub(crate) metrics: metrics::Metrics,
    /// Upload times per token in the last minute.
    uploads_by_token: Mutex<HashMap<i64, VecDeque<Instant>>>,
    /// One lock per project, held while it is ingested.
    project_locks: Locks<String>,
    /// One lock per (project, idempotency key), held while such an upload runs.
    key_locks: Locks<(String, String)>,
    /// The queue of repository syncs.
    pub(crate) syncs: hooks::SyncQueue,
    /// Repositories queued and not yet synced.
    pub(crate) queued: Mutex<HashSet<String>>,
    /// The portal's background rebuilds.
    pub(crate) rebuilds: portal::Rebuilds,
}

pub(crate) type Shared = Arc<AppState>;

/// A lock held across awaits, one per key.
type Locks<K> = Mutex<HashMap<K, Arc<tokio::sync::Mutex<()>>>>;

pub(crate) fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

impl AppState {
    /// Whether the token `id` may upload once more this minute (and counts it if so).
    pub(crate) fn allow_upload(&self, id: i64) -> bool {
        let limit = self.config.settings.uploads_per_minute as usize;
        let now = Instant::now();
        let mut map = lock(&self.uploads_by_token);
        let times = map.entry(id).or_default();
        while times
            .front()
            .is_some_and(|t| now.duration_since(*t) >= Duration::from_secs(60))
        {
            times.pop_front();
        }
        if times.len() >= limit {
            return false;
        }
        times.push_back(now);
        true
    }

    /// The lock of `project`'s ingests.
    pub(crate) fn project_lock(&self, project: &str) -> Arc<tokio::sync::Mutex<()>> {
        lock(&self.project_locks)
            .entry(project.to_owned())
            .or_default()
            .clone()
    }

    /// The lock of uploads with idempotency key `key` to `project`.
    pub(crate) fn key_lock(&self, project: &str, key: &str) -> Arc<tokio::sync::Mutex<()>> {
        lock(&self.key_locks)
            .entry((project.to_owned(), key.to_owned()))
            .or_default()
            .clone()
    }
}

/// A bound server, ready to run.
pub struct Server {
    listener: tokio::net::TcpListener,
    app: Router,
    log: log::Log,
}

impl Server {
    /// Binds `config.settings.bind` and builds the routes; starts the sync worker.
    pub async fn bind(config: ServerConfig) -> Result<Server, ServerError> {
        if let Some(site) = &config.settings.site
            && !site.is_dir()
        {
            return Err(ServerError::NoSite(site.clone()));
        }
        let addr = config.settings.bind.clone();
        let listener = tokio::net::TcpListener::bind(&addr)
            .await
            .map_err(|source| ServerError::Bind { addr, source })?;
        let syncs = hooks::SyncQueue::default();
        let state = Arc::new(AppState {
            log: log::Log::start(config.settings.log_format),
            config,
            metrics: metrics::Metrics::default(),
            uploads_by_token: Mutex::default(),
            project_locks: Mutex::default(),
            key_locks: Mutex::default(),
            syncs,
            queued: Mutex::default(),
            rebuilds: portal::Rebuilds::default(),
        });
        hooks::start_worker(&state);
        portal::start_worker(&state);
        Ok(Server {
            listener,
            log: state.log.clone(),
            app: router(state),
        })
    }

    /// The address it listens on (the port chosen when the configuration said 0).
    pub fn local_addr(&self) -> Result<SocketAddr, ServerError> {
        self.listener.local_addr().map_err(ServerError::Serve)
    }

    /// Answers requests until `shutdown` resolves, then finishes the requests in flight.
    pub async fn run(
        self,
        shutdown: impl Future<Output = ()> + Send + 'static,
    ) -> Result<(), ServerError> {
        let served = axum::serve(self.listener, self.app)
            .with_graceful_shutdown(shutdown)
            .await
            .map_err(ServerError::Serve);
        self.log.flush();
        served
    }
}

/// Resolves on Ctrl-C or SIGTERM.
pub async fn shutdown_signal() {
    let interrupt = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = interrupt => {},
        () = terminate => {},
    }
}

/// Runs a server on a runtime of its own until Ctrl-C or SIGTERM; `ready` is told the address
/// once it listens.
pub fn run_until_signal(
    config: ServerConfig,
    ready: impl FnOnce(SocketAddr),
) -> Result<(), ServerError> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(ServerError::Runtime)?;
    runtime.block_on(async {
        let server = Server::bind(config).await?;
        ready(server.local_addr()?);
        server.run(shutdown_signal()).await
    })
}

/// A server running on a thread of its own (for tests and embedding).
pub struct Running {
    addr: SocketAddr,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
    thread: Option<std::thread::JoinHandle<Result<(), ServerError>>>,
}

impl Running {
    /// Starts a server on a thread with its own runtime.
    pub fn start(config: ServerConfig) -> Result<Running, ServerError> {
        let (addr_tx, addr_rx) = std::sync::mpsc::channel();
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        let thread = std::thread::spawn(move || {
            let runtime = tokio::runtime::Builder::new_multi_thread()
                .worker_threads(2)
                .enable_all()
                .build()
                .map_err(ServerError::Runtime)?;
            runtime.block_on(async move {
                let server = match Server::bind(config).await {
                    Ok(server) => server,
                    Err(error) => {
                        let _ = addr_tx.send(Err(error.to_string()));
                        return Err(error);
                    }
                };
                let _ = addr_tx.send(server.local_addr().map_err(|e| e.to_string()));
                server
                    .run(async {
                        let _ = stopped.await;
                    })
                    .await
            })
        });
        let addr = addr_rx
            .recv()
            .map_err(|_| ServerError::BadInput("the server thread ended".into()))?
            .map_err(ServerError::BadInput)?;
        Ok(Running {
            addr,
            stop: Some(stop),
            thread: Some(thread),
        })
    }

    /// The address it listens on.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// The base URL, `http://127.0.0.1:PORT`.
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// Stops it gracefully and waits for the requests in flight.
    pub fn stop(mut self) -> Result<(), ServerError> {
        self.shutdown()
    }

    fn shutdown(&mut self) -> Result<(), ServerError> {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        match self.thread.take() {
            Some(thread) => thread.join().unwrap_or_else(|_| {
                Err(ServerError::BadInput("the server thread panicked".into()))
            }),
            None => Ok(()),
        }
    }
}

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.shutdown();
    }
}

/// Every route, with the limits, compression, cache headers and request log around them.
fn router(state: Shared) -> Router {
    let settings = &state.config.settings;
    let max_body = usize::try_from(settings.max_body_bytes).unwrap_or(usize::MAX);
    let timeout = Duration::from_secs(settings.request_timeout_secs.max(1));
    let dynamic = Router::new()
        .merge(api::routes())
        .merge(hooks::routes())
        .layer(SetResponseHeaderLayer::if_not_present(
            header::CACHE_CONTROL,
            HeaderValue::from_static("no-cache"),
        ));
    let mut app = dynamic;
    if let Some(site) = &settings.site {
        app = app.merge(site::routes(site));
    }
    app.layer(DefaultBodyLimit::max(max_body))
        .layer(RequestBodyLimitLayer::new(max_body))
        .layer(CompressionLayer::new())
        .layer(TimeoutLayer::with_status_code(
            axum::http::StatusCode::REQUEST_TIMEOUT,
            timeout,
        ))
        .layer(axum::middleware::from_fn_with_state(state.clone(), observe))
        .with_state(state)
}

/// The route of `path` for metrics and logs: a project's name becomes `{project}`, and the
/// static site's files are one route.
fn route_label(path: &str, status: u16) -> String {
    if path.starts_with("/api/") {
        if status == 404 && !path.starts_with("/api/v1/projects/") {
            return "unmatched".into();
        }
        let mut parts: Vec<&str> = path.split('/').collect();
        if parts.len() > 4 && parts[3] == "projects" {
            parts[4] = "{project}";
        }
        return parts.join("/");
    }
    match path {
        "/healthz" | "/metrics" | "/hooks/github" => path.into(),
        _ => "static".into(),
    }
}

/// Counts and logs every request (method, route, status, time; never headers or query).
async fn observe(State(state): State<Shared>, request: Request, next: Next) -> Response {
    let started = Instant::now();
    let method = request.method().as_str().to_owned();
    let path = request.uri().path().to_owned();
    let response = next.run(request).await;
    let elapsed = started.elapsed();
    let status = response.status().as_u16();
    let route = route_label(&path, status);
    state.metrics.request(&method, &route, status, elapsed);
    let failure = response.extensions().get::<error::Failure>();
    let mut fields = vec![
        ("method", log::Field::Str(&method)),
        ("route", log::Field::Str(&route)),
        ("status", log::Field::Int(u64::from(status))),
        ("ms", log::Field::Num(elapsed.as_secs_f64() * 1000.0)),
    ];
    if let Some(failure) = failure {
        fields.push(("error", log::Field::Str(&failure.0)));
    }
    let level = if failure.is_some() { "error" } else { "info" };
    state.log.event(level, "request", &fields);
    response
}
