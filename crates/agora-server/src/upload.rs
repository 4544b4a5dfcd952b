//! `POST /api/v1/projects/{project}/bench`: a tarball of asv results and their commit order,
//! ingested into the store.
//!
//! In order: the upload token is checked (401 missing, unknown, expired or revoked; 403 for
//! another project or action) before the body is read; the token's uploads this minute are
//! counted (429 over the limit); the body is read up to the size limit (413). With an
//! `Idempotency-Key`, uploads with the same key run one at a time and a key whose upload
//! finished answers the stored outcome again (422 if the body differs). The tarball is
//! unpacked into a temporary folder with strict checks (400, nothing stored), then
//! `agora_bench_hosting::ingest` stores the new files and recomputes the project's
//! regressions. The outcome (and the key) is stored last; a server killed before that point
//! has stored whole files or none, and the client's retry ingests again, finding the files
//! already there. Replicas on one PostgreSQL database ingest a project one upload at a time
//! under an advisory lock in the store, and check the key's outcome again under it.

use agora_bench_hosting::{IngestOptions, IngestSummary, Progress};
use agora_store::serve::StoredOutcome;
use axum::body::Body;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use sha2::{Digest, Sha256};
use utoipa::ToSchema;

use crate::Shared;
use crate::api::{hosting_error, with_store};
use crate::bundle::{self, Limits};
use crate::error::ApiError;
use crate::log::{Field, Log};
use crate::tokens::{self, Action, Refusal};

/// The header naming an upload's idempotency key.
pub const IDEMPOTENCY_KEY: &str = "idempotency-key";

/// What an upload did.
#[derive(Debug, Serialize, ToSchema)]
pub struct UploadOutcome {
    /// The project.
    pub project: String,
    /// What the ingest added, replaced, left unchanged and skipped.
    #[schema(value_type = Object)]
    pub summary: IngestSummary,
    /// The regressions of the project after the upload.
    pub regressions: usize,
}

/// Logs an ingest's warnings.
struct LogProgress<'a>(&'a str, Log);

impl Progress for LogProgress<'_> {
    fn warning(&self, message: &str) {
        self.1.event(
            "warn",
            "ingest warning",
            &[
                ("project", Field::Str(self.0)),
                ("warning", Field::Str(message)),
            ],
        );
    }
}

/// The bearer token of `headers`, if any.
fn bearer(headers: &HeaderMap) -> Option<String> {
    let value = headers.get(header::AUTHORIZATION)?.to_str().ok()?;
    let (scheme, token) = value.split_once(' ')?;
    scheme
        .eq_ignore_ascii_case("bearer")
        .then(|| token.trim().to_owned())
}

/// Upload asv results (a .tar.gz of `results/`, `revisions.tsv`, `branch-NAME-first-parent.txt`,
/// `tags.tsv`, `asv.conf.json`) for a project.
#[utoipa::path(post, path = "/api/v1/projects/{project}/bench",
    params(("project" = String, Path, description = "the project"),
           ("Idempotency-Key" = Option<String>, Header, description = "makes a retry a no-op")),
    request_body(content = Vec<u8>, content_type = "application/gzip"),
    security(("bearer" = [])),
    responses((status = 200, description = "ingested", body = UploadOutcome),
              (status = 400, description = "a bad tarball; nothing stored", body = crate::api::ErrorBody),
              (status = 401, description = "no valid token", body = crate::api::ErrorBody),
              (status = 403, description = "a token of another project", body = crate::api::ErrorBody),
              (status = 413, description = "the body is too large", body = crate::api::ErrorBody),
              (status = 429, description = "too many uploads this minute", body = crate::api::ErrorBody)))]
pub(crate) async fn upload(
    State(state): State<Shared>,
    Path(project): Path<String>,
    headers: HeaderMap,
    body: Body,
) -> Response {
    match upload_inner(&state, project, &headers, body).await {
        Ok(response) => response,
        Err(error) => {
            state.metrics.upload(match error.status.as_u16() {
                500.. => "failed",
                _ => "refused",
            });
            error.into_response()
        }
    }
}

async fn upload_inner(
    state: &Shared,
    project: String,
    headers: &HeaderMap,
    body: Body,
) -> Result<Response, ApiError> {
    agora_bench::project::check_project_name(&project)
        .map_err(|e| ApiError::new(StatusCode::BAD_REQUEST, e.to_string()))?;
    let secret = bearer(headers);
    let who = project.clone();
    let token = with_store(state, move |store| {
        Ok(tokens::authenticate(
            store,
            secret.as_deref(),
            &who,
            Action::Upload,
            jiff::Timestamp::now(),
        )?)
    })
    .await?
    .map_err(|refusal| {
        let status = match refusal {
            Refusal::Forbidden => StatusCode::FORBIDDEN,
            _ => StatusCode::UNAUTHORIZED,
        };
        ApiError::new(status, refusal.to_string())
    })?;
    if !state.allow_upload(token.id) {
        return Err(ApiError::new(
            StatusCode::TOO_MANY_REQUESTS,
            "too many uploads this minute for this token",
        ));
    }
    let limit = usize::try_from(state.config.settings.max_body_bytes).unwrap_or(usize::MAX);
    let bytes = axum::body::to_bytes(body, limit).await.map_err(|_| {
        ApiError::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            format!("the body is larger than {limit} bytes"),
        )
    })?;
    let digest = format!("{:x}", Sha256::digest(&bytes));
    let key = headers
        .get(IDEMPOTENCY_KEY)
        .map(|v| {
            v.to_str()
                .ok()
                .filter(|k| !k.is_empty() && k.len() <= 200)
                .map(str::to_owned)
                .ok_or_else(|| {
                    ApiError::new(
                        StatusCode::BAD_REQUEST,
                        "Idempotency-Key: give 1 to 200 visible characters",
                    )
                })
        })
        .transpose()?;
    // Uploads with one key run one at a time, so a retry waits for the first and replays it.
    let key_lock = key.as_ref().map(|key| state.key_lock(&project, key));
    let _key_guard = match &key_lock {
        Some(lock) => Some(lock.lock().await),
        None => None,
    };
    if let Some(key) = &key {
        let (p, k) = (project.clone(), key.clone());
        let stored = with_store(state, move |store| Ok(store.upload_outcome(&p, &k)?)).await?;
        if let Some(stored) = stored {
            return replay(state, stored, &digest);
        }
    }
    let project_lock = state.project_lock(&project);
    let _project_guard = project_lock.lock().await;
    let limits = Limits {
        max_bytes: state.config.settings.max_unpacked_bytes,
        max_entries: state.config.settings.max_entries,
    };
    let db = state.config.db.clone();
    let name = project.clone();
    let ingesting = crate::metrics::Ingesting::start(&state.metrics);
    let log = state.log.clone();
    let replay_key = key.clone();
    let outcome = tokio::task::spawn_blocking(move || {
        ingest(&bytes, &name, &db, replay_key.as_deref(), limits, log)
    })
    .await?;
    let (status, body) = match outcome {
        // Another replica finished this key while this one waited for the project.
        Ok(Ingested::Replay(stored)) => return replay(state, stored, &digest),
        Ok(Ingested::Done(outcome)) => {
            let body = serde_json::to_string(&outcome).map_err(ApiError::internal)?;
            state.metrics.upload("ingested");
            let summary = &outcome.summary;
            if summary.added + summary.replaced > 0
                || summary.history_updated
                || summary.settings_updated
            {
                state.rebuilds.request();
            }
            state.log.event(
                "info",
                "upload ingested",
                &[
                    ("project", Field::Str(&project)),
                    ("token_id", Field::Int(token.id.unsigned_abs())),
                    ("added", Field::Int(outcome.summary.added as u64)),
                    ("replaced", Field::Int(outcome.summary.replaced as u64)),
                    ("unchanged", Field::Int(outcome.summary.unchanged as u64)),
                ],
            );
            (StatusCode::OK, body)
        }
        Err(error) if error.status.is_client_error() => {
            state.metrics.upload("refused");
            let body = serde_json::json!({ "error": error.message }).to_string();
            (error.status, body)
        }
        Err(error) => return Err(error),
    };
    if let Some(key) = key {
        let outcome = StoredOutcome {
            request_sha256: digest,
            status: status.as_u16(),
            response: body.clone(),
        };
        with_store(state, move |store| {
            Ok(store.record_upload_outcome(&project, &key, &outcome, jiff::Timestamp::now())?)
        })
        .await?;
    }
    drop(ingesting);
    Ok((status, [(header::CONTENT_TYPE, "application/json")], body).into_response())
}

/// The stored outcome of an idempotency key, answered again (422 when the body differs).
fn replay(state: &Shared, stored: StoredOutcome, digest: &str) -> Result<Response, ApiError> {
    if stored.request_sha256 != digest {
        return Err(ApiError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "this Idempotency-Key was used for another body",
        ));
    }
    state.metrics.upload("replayed");
    let status = StatusCode::from_u16(stored.status).unwrap_or(StatusCode::OK);
    let mut response = (
        status,
        [(header::CONTENT_TYPE, "application/json")],
        stored.response,
    )
        .into_response();
    response
        .headers_mut()
        .insert("idempotent-replayed", HeaderValue::from_static("true"));
    Ok(response)
}

/// What the ingest of an upload came to.
enum Ingested {
    /// It ran.
    Done(UploadOutcome),
    /// Its idempotency key's outcome was stored (by another replica) while it waited.
    Replay(StoredOutcome),
}

/// Unpacks `body` into a temporary folder and ingests it as `project`, holding the project's
/// lock in the store: replicas on one PostgreSQL database ingest a project one upload at a
/// time (the server releases the lock of a replica that dies). Under the lock, an upload whose
/// `key` got an outcome meanwhile is not ingested again.
fn ingest(
    body: &[u8],
    project: &str,
    db: &std::path::Path,
    key: Option<&str>,
    limits: Limits,
    log: Log,
) -> Result<Ingested, ApiError> {
    let lock_store = agora_store::Store::open(db).map_err(ApiError::from)?;
    let _lock = lock_store
        .lock_work(&format!("project:{project}"))
        .map_err(ApiError::from)?;
    if let Some(key) = key
        && let Some(stored) = lock_store
            .upload_outcome(project, key)
            .map_err(ApiError::from)?
    {
        return Ok(Ingested::Replay(stored));
    }
    let dir = tempfile::tempdir().map_err(ApiError::internal)?;
    let bad = |e: bundle::BundleError| match e {
        bundle::BundleError::Write(error) => ApiError::internal(error),
        other => ApiError::new(StatusCode::BAD_REQUEST, other.to_string()),
    };
    bundle::unpack(body, dir.path(), limits).map_err(bad)?;
    let commit_order = bundle::commit_order(dir.path()).map_err(bad)?;
    let config = dir.path().join("asv.conf.json");
    let options = IngestOptions {
        dir: dir.path().join("results"),
        project: project.to_owned(),
        asv_config: config.is_file().then_some(config),
        commit_order,
    };
    let ingested = agora_bench_hosting::ingest(
        &options,
        || agora_store::Store::open(db),
        &LogProgress(project, log),
    )
    .map_err(hosting_error)?;
    let regressions = match &ingested.analysis {
        Some(snapshot) => snapshot.report.regressions.len(),
        None => {
            let mut store = agora_store::Store::open(db).map_err(ApiError::from)?;
            let analyses = agora_bench_hosting::regressions(
                &mut store,
                &[project.to_owned()],
                agora_bench_hosting::Reading::Report,
                &agora_bench_hosting::Silent,
            )
            .map_err(hosting_error)?;
            analyses[0].found.report.regressions.len()
        }
    };
    Ok(Ingested::Done(UploadOutcome {
        project: project.to_owned(),
        summary: ingested.summary,
        regressions,
    }))
}
