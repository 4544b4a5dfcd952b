//! The CI side of an upload (`agora bench upload`): packs an asv results folder and the commit
//! order into the tarball the server takes, and posts it with a token and an idempotency key,
//! retrying with the same key until the server answers.

use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::time::Duration;

use rand::RngCore as _;

/// What to upload.
#[derive(Debug, Clone)]
pub struct UploadRequest {
    /// The server's base URL (`https://bench.example.org`).
    pub server: String,
    /// The project.
    pub project: String,
    /// asv's results folder (with `benchmarks.json`).
    pub results: PathBuf,
    /// `asv.conf.json`, if any.
    pub asv_config: Option<PathBuf>,
    /// `index<TAB>sha<TAB>unix-time` lines (`bench ingest --revisions`).
    pub revisions: PathBuf,
    /// Each branch's name and its `git rev-list --first-parent` file.
    pub branches: Vec<(String, PathBuf)>,
    /// `tag<TAB>sha` lines, if any.
    pub tags: Option<PathBuf>,
    /// The upload token.
    pub token: String,
    /// The idempotency key [default: a random one, the same for every retry].
    pub idempotency_key: Option<String>,
    /// Attempts before giving up on network errors and 5xx answers.
    pub attempts: u32,
}

/// The server's answer.
#[derive(Debug, Clone)]
pub struct UploadReply {
    /// The HTTP status.
    pub status: u16,
    /// The body (JSON).
    pub body: String,
    /// Whether the server replayed a finished upload with the same key.
    pub replayed: bool,
}

/// Why an upload could not be made.
#[derive(Debug, thiserror::Error)]
pub enum ClientError {
    /// A file could not be read or packed.
    #[error("cannot pack {path}: {source}")]
    Pack {
        /// The file or folder.
        path: PathBuf,
        /// The I/O error.
        source: std::io::Error,
    },
    /// The server could not be reached, every attempt.
    #[error("cannot reach {url}: {message}")]
    Network {
        /// The URL.
        url: String,
        /// What went wrong last.
        message: String,
    },
}

/// Packs the upload's tarball: `results/…`, `revisions.tsv`, `branch-NAME-first-parent.txt`,
/// `tags.tsv` and `asv.conf.json`, gzip-compressed.
pub fn pack(request: &UploadRequest) -> Result<Vec<u8>, ClientError> {
    let pack_error = |path: &Path| {
        let path = path.to_path_buf();
        move |source| ClientError::Pack { path, source }
    };
    let encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    let mut builder = tar::Builder::new(encoder);
    builder.follow_symlinks(true);
    builder
        .append_dir_all("results", &request.results)
        .map_err(pack_error(&request.results))?;
    let mut files: Vec<(String, &Path)> = vec![("revisions.tsv".into(), &request.revisions)];
    for (name, path) in &request.branches {
        files.push((format!("branch-{name}-first-parent.txt"), path));
    }
    if let Some(tags) = &request.tags {
        files.push(("tags.tsv".into(), tags));
    }
    if let Some(config) = &request.asv_config {
        files.push(("asv.conf.json".into(), config));
    }
    for (name, path) in files {
        builder
            .append_path_with_name(path, &name)
            .map_err(pack_error(path))?;
    }
    let encoder = builder.into_inner().map_err(pack_error(&request.results))?;
    let mut encoder = encoder;
    encoder.flush().map_err(pack_error(&request.results))?;
    encoder.finish().map_err(pack_error(&request.results))
}

/// A fresh random idempotency key.
pub fn new_key() -> String {
    let mut bytes = [0u8; 16];
    rand::rng().fill_bytes(&mut bytes);
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Packs and posts the upload, retrying network errors and 5xx answers with the same key
/// (waiting 1, 2, 4… seconds between attempts).
pub fn upload(request: &UploadRequest) -> Result<UploadReply, ClientError> {
    let body = pack(request)?;
    let key = request.idempotency_key.clone().unwrap_or_else(new_key);
    post(request, &body, &key)
}

/// Posts a packed upload `body` with idempotency key `key` (see [`upload`]).
pub fn post(request: &UploadRequest, body: &[u8], key: &str) -> Result<UploadReply, ClientError> {
    let url = format!(
        "{}/api/v1/projects/{}/bench",
        request.server.trim_end_matches('/'),
        request.project
    );
    let network = |message: String| ClientError::Network {
        url: url.clone(),
        message,
    };
    let client = reqwest::blocking::Client::builder()
        .timeout(Duration::from_secs(600))
        .build()
        .map_err(|e| network(e.to_string()))?;
    let attempts = request.attempts.max(1);
    let mut last = String::new();
    for attempt in 0..attempts {
        if attempt > 0 {
            std::thread::sleep(Duration::from_secs(1 << (attempt - 1).min(5)));
        }
        let sent = client
            .post(&url)
            .bearer_auth(&request.token)
            .header("idempotency-key", key)
            .header("content-type", "application/gzip")
            .body(body.to_vec())
            .send();
        match sent {
            Ok(response) => {
                let status = response.status().as_u16();
                let replayed = response.headers().contains_key("idempotent-replayed");
                let text = response.text().unwrap_or_default();
                if status >= 500 && attempt + 1 < attempts {
                    last = format!("HTTP {status}");
                    continue;
                }
                return Ok(UploadReply {
                    status,
                    body: text,
                    replayed,
                });
            }
            // The error names the URL, never the headers, so the token stays out of it.
            Err(error) => last = error.to_string(),
        }
    }
    Err(network(last))
}
