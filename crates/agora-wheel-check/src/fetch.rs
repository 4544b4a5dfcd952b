//! Where wheels come from: a file, a URL, or `PROJECT==VERSION` (every wheel PyPI serves for
//! that release).
//!
//! URLs and release files download through [`HttpClient`], so they land in agora's HTTP cache
//! and a second check of the same wheel downloads nothing. A release is found on the PEP 691
//! project page of the index; each wheel's bytes are checked against the page's sha256 (and a
//! URL's `#sha256=` fragment), so a truncated or altered download is an error naming the URL,
//! not a confusing set of findings. A download enters the cache only once it passed those
//! checks and is a zip archive at all (an HTML error page served with 200 is not cached), and
//! a cached file that fails them is evicted, so the next run downloads it again.

use std::path::PathBuf;
use std::str::FromStr;

use agora_http::{HttpClient, HttpError, Request};
use agora_pypi::filename::{FileKind, parse_filename};
use agora_pypi::simple::parse_project_page;
use agora_pypi::sync::{PypiClient, SyncError};
use pep440_rs::Version;
use sha2::{Digest, Sha256};

/// One thing to check, as given on the command line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    /// A wheel file on disk.
    File(PathBuf),
    /// A wheel at an http(s) URL.
    Url(String),
    /// Every wheel of a release on the index.
    Release {
        /// The project, as given.
        project: String,
        /// The version, as given.
        version: String,
    },
}

impl Target {
    /// Reads a command-line argument: `https://…`, `PROJECT==VERSION`, or a path.
    pub fn parse(argument: &str) -> Target {
        if argument.starts_with("https://") || argument.starts_with("http://") {
            return Target::Url(argument.to_string());
        }
        if let Some((project, version)) = argument.split_once("==")
            && !project.is_empty()
            && !version.is_empty()
            && !argument.ends_with(".whl")
        {
            return Target::Release {
                project: project.trim().to_string(),
                version: version.trim().to_string(),
            };
        }
        Target::File(PathBuf::from(argument))
    }
}

/// A downloaded wheel.
#[derive(Debug, Clone)]
pub struct Fetched {
    /// Its file name.
    pub filename: String,
    /// Its URL.
    pub url: String,
    /// Its bytes.
    pub bytes: Vec<u8>,
}

/// Why a wheel could not be fetched.
#[derive(Debug, thiserror::Error)]
pub enum FetchError {
    /// The download failed.
    #[error("{0}")]
    Http(#[from] HttpError),
    /// The project page could not be read.
    #[error("{0}")]
    Index(#[from] SyncError),
    /// The project page is malformed.
    #[error("{0}")]
    Page(#[from] agora_pypi::simple::PageError),
    /// The release has no wheels (or does not exist).
    #[error("{project}=={version}: {reason}")]
    NoWheels {
        /// The project.
        project: String,
        /// The version.
        version: String,
        /// What was found instead.
        reason: String,
    },
    /// What arrived is not a zip archive (e.g. an HTML error page served with 200).
    #[error(
        "{url}: not a wheel (content type {content_type:?}, not a zip archive); the body starts: {excerpt}"
    )]
    NotAWheel {
        /// The URL.
        url: String,
        /// The content type the server gave.
        content_type: String,
        /// The start of the body.
        excerpt: String,
    },
    /// The bytes differ from the hash the index (or URL) gave.
    #[error(
        "{url}: the download's sha256 is {actual}, the index says {expected} (truncated or altered download)"
    )]
    HashMismatch {
        /// The URL.
        url: String,
        /// The expected hex digest.
        expected: String,
        /// The digest of what arrived.
        actual: String,
    },
}

/// The file name in a wheel URL (the last path segment, percent-decoded).
pub fn url_filename(url: &str) -> String {
    let path = url.split(['?', '#']).next().unwrap_or(url);
    let last = path.rsplit('/').next().unwrap_or(path);
    percent_decode(last)
}

fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%'
            && let Some(hex) = text.get(i + 1..i + 3)
            && let Ok(value) = u8::from_str_radix(hex, 16)
        {
            out.push(value);
            i += 3;
            continue;
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Downloads a wheel, verifying `expected_sha256` (hex) or the URL's `#sha256=` fragment.
/// `filename` is the file's name as the index gives it (a URL's last segment need not be
/// one: mirrors serve files under hashes or `/download`); without it, the URL's last segment.
pub fn download(
    http: &HttpClient,
    url: &str,
    expected_sha256: Option<&str>,
    filename: Option<&str>,
) -> Result<Fetched, FetchError> {
    let fragment = url
        .split_once("#sha256=")
        .map(|(_, digest)| digest.to_string());
    let bare = url.split('#').next().unwrap_or(url);
    let request = Request::new(bare)
        .max_body(MAX_WHEEL_BYTES)
        .commit_after_validation();
    let response = http.get(&request)?;
    let expected = expected_sha256.map(str::to_string).or(fragment);
    if let Err(error) = validate(&response, expected) {
        // A bad file already in the cache must not answer again.
        if response.from_cache() {
            let _ = http.evict(bare);
        }
        return Err(error);
    }
    http.commit(&request, &response)?;
    Ok(Fetched {
        filename: filename.map_or_else(|| url_filename(bare), str::to_string),
        // Credentials in the URL stay out of reports (the response's URL is redacted).
        url: response.url,
        bytes: response.body,
    })
}

/// The largest wheel downloaded (the biggest CUDA wheels on PyPI stay below it).
pub const MAX_WHEEL_BYTES: u64 = 2 * 1024 * 1024 * 1024;

/// Checks a downloaded wheel: a zip archive, with the expected sha256 if one is known.
fn validate(response: &agora_http::Response, expected: Option<String>) -> Result<(), FetchError> {
    if !response.body.starts_with(b"PK\x03\x04") {
        let excerpt: String = response.text().chars().take(80).collect();
        return Err(FetchError::NotAWheel {
            url: response.url.clone(),
            content_type: response.header("content-type").unwrap_or("").to_string(),
            excerpt: excerpt.split_whitespace().collect::<Vec<_>>().join(" "),
        });
    }
    if let Some(expected) = expected {
        let actual = hex(&Sha256::digest(&response.body));
        if !actual.eq_ignore_ascii_case(&expected) {
            return Err(FetchError::HashMismatch {
                url: response.url.clone(),
                expected,
                actual,
            });
        }
    }
    Ok(())
}

/// The wheels of `project==version` on the index: (file name, URL, sha256 hex).
pub fn release_wheels(
    http: &HttpClient,
    index_url: &str,
    project: &str,
    version: &str,
) -> Result<Vec<(String, String, Option<String>)>, FetchError> {
    let client = PypiClient::new(http, index_url);
    let response = client.fetch(project)?;
    let page = parse_project_page(&response.body, &client.project_url(project))?;
    let wanted = Version::from_str(version).ok();
    let mut wheels = Vec::new();
    let mut versions_seen = 0usize;
    for file in &page.files {
        if file.kind != FileKind::Wheel {
            continue;
        }
        versions_seen += 1;
        let Ok(parsed) = parse_filename(&file.filename, Some(project)) else {
            continue;
        };
        let same = match &wanted {
            Some(wanted) => &parsed.version == wanted,
            None => parsed.version_text == version,
        };
        if same {
            wheels.push((file.filename.clone(), file.url.clone(), file.sha256.clone()));
        }
    }
    if wheels.is_empty() {
        return Err(FetchError::NoWheels {
            project: project.to_string(),
            version: version.to_string(),
            reason: if versions_seen == 0 {
                "the project has no wheels on the index".to_string()
            } else {
                "no wheel of this version on the index".to_string()
            },
        });
    }
    Ok(wheels)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn targets() {
        assert_eq!(
            Target::parse("numpy==2.4.6"),
            Target::Release {
                project: "numpy".into(),
                version: "2.4.6".into()
            }
        );
        assert!(matches!(Target::parse("https://x/y.whl"), Target::Url(_)));
        assert!(matches!(
            Target::parse("dist/a-1-py3-none-any.whl"),
            Target::File(_)
        ));
        assert_eq!(
            url_filename("https://files/x/pkg-1.0%2Blocal-py3-none-any.whl#sha256=ab"),
            "pkg-1.0+local-py3-none-any.whl"
        );
    }
}
