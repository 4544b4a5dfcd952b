//! Why the server could not start or a request could not be answered.

use axum::Json;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde_json::json;

/// Why the server, or one of its use cases, failed.
#[derive(Debug, thiserror::Error)]
pub enum ServerError {
    /// The address could not be bound.
    #[error("cannot listen on {addr}: {source}")]
    Bind {
        /// The address.
        addr: String,
        /// The I/O error.
        source: std::io::Error,
    },
    /// Serving failed.
    #[error("the server failed: {0}")]
    Serve(std::io::Error),
    /// The static site folder is not a folder.
    #[error("the site folder {0} is not a folder")]
    NoSite(std::path::PathBuf),
    /// An input (a project name, say) is not acceptable.
    #[error("{0}")]
    BadInput(String),
    /// The store refused a read or a write.
    #[error(transparent)]
    Store(#[from] agora_store::StoreError),
    /// The async runtime could not be started.
    #[error("cannot start the async runtime: {0}")]
    Runtime(std::io::Error),
}

/// An API error: an HTTP status and a message, answered as `{"error": message}`.
#[derive(Debug)]
pub(crate) struct ApiError {
    pub(crate) status: StatusCode,
    pub(crate) message: String,
    /// What went wrong on the server's side, for the log (never answered).
    pub(crate) detail: Option<String>,
}

/// The detail of a server-side failure, carried by its response to the request log.
#[derive(Debug, Clone)]
pub(crate) struct Failure(pub(crate) String);

impl ApiError {
    /// An error with `status` and `message`.
    pub(crate) fn new(status: StatusCode, message: impl Into<String>) -> ApiError {
        ApiError {
            status,
            message: message.into(),
            detail: None,
        }
    }

    /// A server-side failure (answered 500; `error` goes to the request's log line).
    pub(crate) fn internal(error: impl std::fmt::Display) -> ApiError {
        ApiError {
            detail: Some(error.to_string()),
            ..ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, "internal error")
        }
    }
}

impl From<agora_store::StoreError> for ApiError {
    fn from(error: agora_store::StoreError) -> Self {
        ApiError::internal(error)
    }
}

impl From<ServerError> for ApiError {
    fn from(error: ServerError) -> Self {
        match error {
            ServerError::BadInput(message) => ApiError::new(StatusCode::BAD_REQUEST, message),
            other => ApiError::internal(other),
        }
    }
}

impl From<tokio::task::JoinError> for ApiError {
    fn from(error: tokio::task::JoinError) -> Self {
        ApiError::internal(error)
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let mut response = (self.status, Json(json!({ "error": self.message }))).into_response();
        if let Some(detail) = self.detail {
            response.extensions_mut().insert(Failure(detail));
        }
        response
    }
}
