//! The JSON API under `/api/v1/` (projects, search, a project's health, benchmark series and
//! regressions, the SPEC 0 schedule), `/healthz`, `/metrics`, and the OpenAPI document that
//! describes the API.
//!
//! Handlers open the store on tokio's blocking pool, call the use cases of the library crates
//! (`agora-bench-hosting`, `agora-search`, `agora-health`, `agora-ecosystem` with
//! `agora-schedule`) and answer their models as JSON, the same JSON as the command line's
//! `--format json`; errors are
//! `{"error": "…"}` with a status that says whose fault it was.

use std::collections::BTreeMap;

use agora_bench_hosting::{HostingError, Reading, Silent};
use agora_search::render;
use agora_search::{Query, SearchError, SearchIndex, SearchOptions, Sort, feed};
use agora_store::Store;
use axum::extract::{Path, Query as QueryParams, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, OpenApi, ToSchema};

use crate::Shared;
use crate::error::ApiError;

/// The OpenAPI document of the API.
#[derive(OpenApi)]
#[openapi(
    info(
        title = "agora",
        description = "The JSON API of agora serve",
        version = "1"
    ),
    paths(
        projects,
        search,
        health,
        series,
        regressions,
        schedule,
        crate::upload::upload,
        crate::hooks::github,
        healthz
    ),
    components(schemas(ProjectEntry, ErrorBody, crate::upload::UploadOutcome))
)]
pub struct ApiDoc;

/// The API's routes.
pub(crate) fn routes() -> Router<Shared> {
    Router::new()
        .route("/healthz", get(healthz))
        .route("/metrics", get(metrics))
        .route("/api/v1/openapi.json", get(openapi))
        .route("/api/v1/projects", get(projects))
        .route("/api/v1/search", get(search))
        .route("/api/v1/schedule", get(schedule))
        .route("/api/v1/projects/{project}/health", get(health))
        .route(
            "/api/v1/projects/{project}/bench/series/{benchmark}",
            get(series),
        )
        .route(
            "/api/v1/projects/{project}/bench/regressions",
            get(regressions),
        )
        .route(
            "/api/v1/projects/{project}/bench",
            post(crate::upload::upload),
        )
}

/// An error's body.
#[derive(Debug, Serialize, ToSchema)]
pub struct ErrorBody {
    /// What went wrong.
    pub error: String,
}

/// A project of the ecosystem, or one with benchmarks in the store.
#[derive(Debug, Serialize, ToSchema)]
pub struct ProjectEntry {
    /// Its name in agora.
    pub name: String,
    /// Its name on PyPI.
    pub pypi: Option<String>,
    /// Its GitHub repository, `owner/name`.
    pub repo: Option<String>,
    /// Its documentation.
    pub docs: Option<String>,
    /// `core` or `member`; none for a project only the store knows.
    pub role: Option<String>,
    /// Whether the store holds benchmark results for it.
    pub benchmarks: bool,
}

/// Runs `work` with the store on the blocking pool.
pub(crate) async fn with_store<T: Send + 'static>(
    state: &Shared,
    work: impl FnOnce(&mut Store) -> Result<T, ApiError> + Send + 'static,
) -> Result<T, ApiError> {
    let db = state.config.db.clone();
    tokio::task::spawn_blocking(move || {
        let mut store = Store::open(&db)?;
        work(&mut store)
    })
    .await?
}

/// Liveness: the process answers.
#[utoipa::path(get, path = "/healthz", responses((status = 200, description = "ok")))]
async fn healthz() -> &'static str {
    "ok\n"
}

/// Prometheus' text format.
async fn metrics(State(state): State<Shared>) -> Response {
    (
        [(header::CONTENT_TYPE, "text/plain; version=0.0.4")],
        state.metrics.render(),
    )
        .into_response()
}

/// The OpenAPI document.
async fn openapi() -> Response {
    match ApiDoc::openapi().to_json() {
        Ok(text) => ([(header::CONTENT_TYPE, "application/json")], text).into_response(),
        Err(error) => ApiError::internal(error).into_response(),
    }
}

/// The ecosystem's projects and the benchmarked ones, by name.
#[utoipa::path(get, path = "/api/v1/projects",
    responses((status = 200, description = "the projects", body = [ProjectEntry])))]
async fn projects(State(state): State<Shared>) -> Result<Json<Vec<ProjectEntry>>, ApiError> {
    let benched = with_store(&state, |store| Ok(store.bench_projects()?)).await?;
    let mut out: BTreeMap<String, ProjectEntry> = BTreeMap::new();
    for project in &state.config.ecosystem.projects {
        out.insert(
            project.name.clone(),
            ProjectEntry {
                name: project.name.clone(),
                pypi: Some(project.pypi.clone()),
                repo: project.repo.clone(),
                docs: project.docs.clone(),
                role: serde_json::to_value(project.role)
                    .ok()
                    .and_then(|v| v.as_str().map(str::to_owned)),
                benchmarks: false,
            },
        );
    }
    for name in benched {
        out.entry(name.clone())
            .or_insert_with(|| ProjectEntry {
                name,
                pypi: None,
                repo: None,
                docs: None,
                role: None,
                benchmarks: false,
            })
            .benchmarks = true;
    }
    Ok(Json(out.into_values().collect()))
}

/// The search's parameters.
#[derive(Debug, Deserialize, IntoParams)]
pub struct SearchParams {
    /// The query, in GitHub's syntax (`repo:`, `is:pr`, `state:`, `label:`, `author:`, …).
    pub q: String,
    /// At most this many hits [default: 20, at most 100].
    pub limit: Option<usize>,
    /// Skip this many hits first.
    pub offset: Option<usize>,
    /// `relevance` (default), `updated`, `created` or `comments`.
    pub sort: Option<String>,
}

/// Full-text search of the mirrored issues and pull requests.
#[utoipa::path(get, path = "/api/v1/search", params(SearchParams),
    responses((status = 200, description = "the hits, as `agora search --format json` prints them"),
              (status = 400, description = "a bad query", body = ErrorBody)))]
async fn search(
    State(state): State<Shared>,
    QueryParams(params): QueryParams<SearchParams>,
) -> Result<Response, ApiError> {
    let query = Query::parse(&params.q)
        .map_err(|e| ApiError::new(StatusCode::BAD_REQUEST, format!("bad query: {e}")))?;
    let sort = match params.sort.as_deref() {
        None | Some("relevance") => Sort::Relevance,
        Some("updated") => Sort::Updated,
        Some("created") => Sort::Created,
        Some("comments") => Sort::Comments,
        Some(other) => {
            return Err(ApiError::new(
                StatusCode::BAD_REQUEST,
                format!("sort {other:?}: give relevance, updated, created or comments"),
            ));
        }
    };
    let options = SearchOptions {
        sort,
        limit: params.limit.unwrap_or(20).min(100),
        offset: params.offset.unwrap_or(0),
        ..SearchOptions::default()
    };
    let text = params.q.clone();
    let body = with_store(&state, move |store| {
        let index = match feed::open_beside(store) {
            Ok(opened) => opened.index,
            // Another writer is updating the index: answer from what it has committed.
            Err(SearchError::Locked { .. }) => {
                SearchIndex::open(&feed::index_dir_for(store.path())).map_err(ApiError::internal)?
            }
            Err(error) => return Err(ApiError::internal(error)),
        };
        let results = index
            .search(&text, &query, &options)
            .map_err(ApiError::internal)?;
        Ok(render::json(&results))
    })
    .await?;
    Ok(([(header::CONTENT_TYPE, "application/json")], body).into_response())
}

/// The regressions' parameters.
#[derive(Debug, Deserialize, IntoParams)]
pub struct RegressionsParams {
    /// `agora` (default: agora's report) or `asv` (asv's regressions.json).
    pub format: Option<String>,
}

/// A project's benchmark regressions, from the stored analysis.
#[utoipa::path(get, path = "/api/v1/projects/{project}/bench/regressions",
    params(("project" = String, Path, description = "the project"), RegressionsParams),
    responses((status = 200, description = "the regressions"),
              (status = 404, description = "no results stored for the project", body = ErrorBody)))]
async fn regressions(
    State(state): State<Shared>,
    Path(project): Path<String>,
    QueryParams(params): QueryParams<RegressionsParams>,
) -> Result<Response, ApiError> {
    let asv = match params.format.as_deref() {
        None | Some("agora") => false,
        Some("asv") => true,
        Some(other) => {
            return Err(ApiError::new(
                StatusCode::BAD_REQUEST,
                format!("format {other:?}: give agora or asv"),
            ));
        }
    };
    let value = with_store(&state, move |store| {
        let analyses = agora_bench_hosting::regressions(
            store,
            std::slice::from_ref(&project),
            Reading::Report,
            &Silent,
        )
        .map_err(hosting_error)?;
        let report = &analyses[0].found.report;
        let value = if asv {
            report.asv_json()
        } else {
            serde_json::to_value(report).map_err(ApiError::internal)?
        };
        Ok(value)
    })
    .await?;
    Ok(Json(value).into_response())
}

/// A project's health report (`agora health PROJECT --format json`): response times,
/// lifetimes, contributors, pony factor, … of its GitHub repository as mirrored in the store.
#[utoipa::path(get, path = "/api/v1/projects/{project}/health",
    params(("project" = String, Path, description = "a project of the ecosystem")),
    responses((status = 200, description = "the report, as `agora health --format json` prints it"),
              (status = 404, description = "no such project, no repository, or no data for it", body = ErrorBody)))]
async fn health(
    State(state): State<Shared>,
    Path(project): Path<String>,
) -> Result<Response, ApiError> {
    let not_found = |message: String| ApiError::new(StatusCode::NOT_FOUND, message);
    if state.config.ecosystem.project(&project).is_none() {
        return Err(not_found(format!(
            "`{project}` is not a project of the ecosystem"
        )));
    }
    let repo = agora_ecosystem::health::repository(&state.config.ecosystem, &project)
        .map_err(|e| not_found(e.to_string()))?;
    let body = with_store(&state, move |store| {
        let options = agora_health::report::Options::default();
        let Some(found) = agora_ecosystem::health::report(store, &repo, &options)? else {
            return Err(not_found(format!(
                "no GitHub data for {repo} in the store; sync or import it first"
            )));
        };
        let mut text = serde_json::to_string_pretty(&found.report).map_err(ApiError::internal)?;
        text.push('\n');
        Ok(text)
    })
    .await?;
    Ok(([(header::CONTENT_TYPE, "application/json")], body).into_response())
}

/// The series of one benchmark of a project: each environment, machine and branch with its
/// points (revision, commit, values) and fitted steps.
#[utoipa::path(get, path = "/api/v1/projects/{project}/bench/series/{benchmark}",
    params(("project" = String, Path, description = "the project"),
           ("benchmark" = String, Path, description = "the benchmark's name, as in benchmarks.json")),
    responses((status = 200, description = "the series"),
              (status = 404, description = "no results stored for the project, or no such benchmark", body = ErrorBody)))]
async fn series(
    State(state): State<Shared>,
    Path((project, benchmark)): Path<(String, String)>,
) -> Result<Response, ApiError> {
    let value = with_store(&state, move |store| {
        let found =
            agora_bench_hosting::series(store, &project, &benchmark).map_err(hosting_error)?;
        if found.is_empty() {
            return Err(ApiError::new(
                StatusCode::NOT_FOUND,
                format!("{project} has no benchmark {benchmark:?}"),
            ));
        }
        serde_json::to_value(found).map_err(ApiError::internal)
    })
    .await?;
    Ok(Json(value).into_response())
}

/// The schedule's parameters.
#[derive(Debug, Deserialize, IntoParams)]
pub struct ScheduleParams {
    /// The day (`YYYY-MM-DD`) [default: today, UTC].
    pub date: Option<String>,
}

/// The SPEC 0 support schedule (`agora schedule --format json`) from the PyPI releases in
/// the store; core projects without stored releases are left out.
#[utoipa::path(get, path = "/api/v1/schedule", params(ScheduleParams),
    responses((status = 200, description = "the quarters, as `agora schedule --format json` prints them"),
              (status = 400, description = "a bad date", body = ErrorBody)))]
async fn schedule(
    State(state): State<Shared>,
    QueryParams(params): QueryParams<ScheduleParams>,
) -> Result<Response, ApiError> {
    let date = match params.date.as_deref() {
        Some(text) => text.parse::<jiff::civil::Date>().map_err(|_| {
            ApiError::new(
                StatusCode::BAD_REQUEST,
                format!("date {text:?}: give a day like 2026-04-01"),
            )
        })?,
        None => jiff::Timestamp::now()
            .to_zoned(jiff::tz::TimeZone::UTC)
            .date(),
    };
    let ecosystem = state.config.ecosystem.clone();
    let body = with_store(&state, move |store| {
        let (packages, _missing) =
            agora_ecosystem::releases::stored(store, &ecosystem).map_err(ApiError::internal)?;
        let schedule = agora_schedule::Schedule::compute(&packages, date);
        Ok(agora_schedule::render::json(&schedule))
    })
    .await?;
    Ok(([(header::CONTENT_TYPE, "application/json")], body).into_response())
}

/// A use case's error as an HTTP answer.
pub(crate) fn hosting_error(error: HostingError) -> ApiError {
    match error {
        HostingError::ProjectName(_)
        | HostingError::NotAFolder(_)
        | HostingError::NoBenchmarks(_)
        | HostingError::Format(_)
        | HostingError::NoBranchHistory => {
            ApiError::new(StatusCode::BAD_REQUEST, error.to_string())
        }
        HostingError::ProjectNotStored(_) | HostingError::NoProjects => {
            ApiError::new(StatusCode::NOT_FOUND, error.to_string())
        }
        other => ApiError::internal(other),
    }
}
