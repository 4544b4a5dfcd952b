//! `POST /hooks/github`: GitHub's webhooks, verified, deduplicated, and turned into queued
//! incremental syncs that one background worker runs.
//!
//! The body's HMAC-SHA256 under the webhook secret must match `X-Hub-Signature-256` (compared
//! in constant time), else 401. A delivery id (`X-GitHub-Delivery`) seen before is answered
//! 200 and ignored. An `issues`, `pull_request`, `issue_comment`, `release` or `push` event
//! queues a sync of its repository unless one is already waiting (202); other events are
//! acknowledged and ignored. The worker, a thread of its own, syncs each queued repository
//! with `agora_github::sync_repo` (its rate-limit handling included) and then brings the
//! search index up to date, so the change is searchable at once.

use std::sync::atomic::Ordering;
use std::sync::{Arc, Mutex, Weak};
use std::time::Duration;

use agora_github::client::{ClientConfig, GithubClient};
use agora_github::{SyncOptions, check_repo, sync_repo};
use agora_store::Store;
use axum::Router;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use hmac::{Hmac, Mac};
use serde_json::{Value, json};
use sha2::Sha256;

use crate::api::with_store;
use crate::error::ApiError;
use crate::log::Field::Str;
use crate::{AppState, Shared, lock};

/// The events that queue a sync of their repository.
pub const SYNC_EVENTS: [&str; 5] = ["issues", "pull_request", "issue_comment", "release", "push"];

/// The sending end of the worker's queue.
#[derive(Default)]
pub(crate) struct SyncQueue(Mutex<Option<std::sync::mpsc::Sender<String>>>);

/// The webhook routes.
pub(crate) fn routes() -> Router<Shared> {
    Router::new().route("/hooks/github", post(github))
}

/// Whether `signature` (`sha256=HEX`) is the HMAC-SHA256 of `body` under `secret`, compared in
/// constant time.
pub fn verify_signature(secret: &[u8], body: &[u8], signature: &str) -> bool {
    let Some(hex) = signature.strip_prefix("sha256=") else {
        return false;
    };
    let Some(expected) = decode_hex(hex) else {
        return false;
    };
    let Ok(mut mac) = Hmac::<Sha256>::new_from_slice(secret) else {
        return false;
    };
    mac.update(body);
    mac.verify_slice(&expected).is_ok()
}

/// `sha256=HEX`, the signature GitHub sends for `body` under `secret`.
pub fn sign(secret: &[u8], body: &[u8]) -> String {
    let mut mac = match Hmac::<Sha256>::new_from_slice(secret) {
        Ok(mac) => mac,
        Err(_) => return String::new(),
    };
    mac.update(body);
    format!("sha256={:x}", mac.finalize().into_bytes())
}

fn decode_hex(text: &str) -> Option<Vec<u8>> {
    if !text.len().is_multiple_of(2) || !text.is_ascii() {
        return None;
    }
    (0..text.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&text[i..i + 2], 16).ok())
        .collect()
}

fn header<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers.get(name).and_then(|v| v.to_str().ok())
}

/// Receive a GitHub webhook delivery.
#[utoipa::path(post, path = "/hooks/github",
    responses((status = 202, description = "a sync of the repository is queued"),
              (status = 200, description = "acknowledged: a redelivery, a ping or an event that needs no sync"),
              (status = 401, description = "a missing or wrong signature", body = crate::api::ErrorBody),
              (status = 503, description = "no webhook secret is configured", body = crate::api::ErrorBody)))]
pub(crate) async fn github(
    State(state): State<Shared>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, ApiError> {
    let Some(secret) = &state.config.webhook_secret else {
        return Err(ApiError::new(
            StatusCode::SERVICE_UNAVAILABLE,
            "webhooks are off: no secret is configured",
        ));
    };
    let signed = header(&headers, "x-hub-signature-256")
        .is_some_and(|signature| verify_signature(secret, &body, signature));
    if !signed {
        return Err(ApiError::new(
            StatusCode::UNAUTHORIZED,
            "X-Hub-Signature-256 does not match the body",
        ));
    }
    let (Some(event), Some(delivery)) = (
        header(&headers, "x-github-event").map(str::to_owned),
        header(&headers, "x-github-delivery").map(str::to_owned),
    ) else {
        return Err(ApiError::new(
            StatusCode::BAD_REQUEST,
            "X-GitHub-Event and X-GitHub-Delivery are needed",
        ));
    };
    let payload: Value = serde_json::from_slice(&body)
        .map_err(|e| ApiError::new(StatusCode::BAD_REQUEST, format!("not JSON: {e}")))?;
    let repo = payload["repository"]["full_name"]
        .as_str()
        .filter(|name| check_repo(name).is_ok())
        .map(str::to_owned);
    let (id, kind, name) = (delivery.clone(), event.clone(), repo.clone());
    let new = with_store(&state, move |store| {
        Ok(store.record_delivery(&id, &kind, name.as_deref(), jiff::Timestamp::now())?)
    })
    .await?;
    if !new {
        return Ok(acknowledged(
            json!({ "status": "duplicate", "delivery": delivery }),
        ));
    }
    match repo {
        Some(repo) if SYNC_EVENTS.contains(&event.as_str()) => {
            let queued = enqueue(&state, &repo);
            Ok((
                StatusCode::ACCEPTED,
                axum::Json(json!({ "status": if queued { "queued" } else { "already-queued" }, "repo": repo })),
            )
                .into_response())
        }
        _ => Ok(acknowledged(json!({ "status": "ignored", "event": event }))),
    }
}

/// A 200 answer with `value`.
fn acknowledged(value: Value) -> Response {
    axum::Json(value).into_response()
}

/// Queues a sync of `repo`; false when one is already waiting.
fn enqueue(state: &AppState, repo: &str) -> bool {
    if !lock(&state.queued).insert(repo.to_owned()) {
        return false;
    }
    let sent = lock(&state.syncs.0)
        .as_ref()
        .is_some_and(|sender| sender.send(repo.to_owned()).is_ok());
    if sent {
        state.metrics.sync_queued.fetch_add(1, Ordering::Relaxed);
    } else {
        lock(&state.queued).remove(repo);
    }
    sent
}

/// Starts the worker thread that runs queued syncs; it ends when the server's state is
/// dropped.
pub(crate) fn start_worker(state: &Arc<AppState>) {
    let (sender, receiver) = std::sync::mpsc::channel::<String>();
    *lock(&state.syncs.0) = Some(sender);
    let weak: Weak<AppState> = Arc::downgrade(state);
    let spawned = std::thread::Builder::new()
        .name("agora-sync".into())
        .spawn(move || {
            let mut client: Option<GithubClient> = None;
            while let Ok(repo) = receiver.recv() {
                let Some(state) = weak.upgrade() else { break };
                lock(&state.queued).remove(&repo);
                state.metrics.sync_queued.fetch_sub(1, Ordering::Relaxed);
                match sync_one(&state, &mut client, &repo) {
                    Ok((line, changed)) => {
                        state.metrics.syncs_done.fetch_add(1, Ordering::Relaxed);
                        if changed {
                            state.rebuilds.request();
                        }
                        state.log.event(
                            "info",
                            "synced",
                            &[("repo", Str(&repo)), ("counts", Str(&line))],
                        );
                    }
                    Err(error) => {
                        state.metrics.syncs_failed.fetch_add(1, Ordering::Relaxed);
                        state.log.event(
                            "error",
                            "sync failed",
                            &[("repo", Str(&repo)), ("error", Str(&error))],
                        );
                    }
                }
            }
        });
    if let Err(error) = spawned {
        let error = error.to_string();
        state.log.event(
            "error",
            "cannot start the sync worker",
            &[("error", Str(&error))],
        );
    }
}

/// Syncs `repo` incrementally and brings the search index up to date; returns a log line and
/// whether the store changed.
fn sync_one(
    state: &AppState,
    client: &mut Option<GithubClient>,
    repo: &str,
) -> Result<(String, bool), String> {
    let client = match client {
        Some(client) => client,
        None => client.insert(
            GithubClient::new(ClientConfig {
                api_url: state.config.settings.github_api_url.clone(),
                token: state.config.github_token.clone(),
                no_wait: false,
                max_wait: Duration::from_secs(15 * 60),
                http: agora_http::ClientOptions::default(),
            })
            .map_err(|e| e.to_string())?,
        ),
    };
    // Replicas on one PostgreSQL database sync a repository one at a time.
    let lock_store = Store::open(&state.config.db).map_err(|e| e.to_string())?;
    let _lock = lock_store
        .lock_work(&format!("repo:{}", repo.to_ascii_lowercase()))
        .map_err(|e| e.to_string())?;
    let mut store = Store::open(&state.config.db).map_err(|e| e.to_string())?;
    let report = sync_repo(
        client,
        &mut store,
        repo,
        SyncOptions::default(),
        &mut |_| {},
    )
    .map_err(|e| e.to_string())?;
    let indexed = match agora_search::feed::open_beside(&store) {
        Ok(opened) => opened.summary.indexed,
        Err(error) => {
            let error = error.to_string();
            state.log.event(
                "warn",
                "search index not updated",
                &[("error", Str(&error))],
            );
            0
        }
    };
    let line = format!(
        "items={} comments={} requests={} indexed={indexed}",
        report.items, report.comments, report.requests
    );
    Ok((line, report.items + report.comments > 0))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn signatures_verify_like_githubs() {
        // GitHub's documented example.
        let secret = b"It's a Secret to Everybody";
        let body = b"Hello, World!";
        let expected = "sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17";
        assert_eq!(sign(secret, body), expected);
        assert!(verify_signature(secret, body, expected));
        assert!(!verify_signature(secret, b"Hello, World?", expected));
        assert!(!verify_signature(secret, body, "sha256=zz"));
        assert!(!verify_signature(secret, body, "sha1=00"));
    }
}
