//! The PEP 691 JSON form of a project's simple-index page, with PEP 700's `upload-time`,
//! `versions` and `size`, PEP 592's `yanked`, and PEP 658's metadata flags ignored.
//!
//! [`parse_project_page`] reads the page leniently where the PEPs allow variation (`yanked` is
//! a boolean or a reason; `upload-time` has fractional seconds or not) and turns every file
//! into a [`PypiFile`] ready for the store. A file whose name or upload time cannot be read is
//! kept with what could be read, and reported as a [`FileProblem`]; a page that is not the JSON
//! it should be is an error naming the URL and the place in the body.

use std::collections::BTreeMap;

use agora_store::pypi::{FileKind, PypiFile};
use jiff::Timestamp;
use serde::Deserialize;

use crate::filename::{is_not_a_plain_name, parse_filename};

/// The media type of the PEP 691 JSON simple API, version 1.
pub const SIMPLE_JSON: &str = "application/vnd.pypi.simple.v1+json";

/// A project page as the index sends it.
#[derive(Debug, Clone, Deserialize)]
pub struct ProjectPage {
    /// API metadata.
    pub meta: Meta,
    /// The project's name as the index spells it.
    pub name: String,
    /// The files.
    pub files: Vec<FileEntry>,
    /// All versions (PEP 700), including those with no files.
    #[serde(default)]
    pub versions: Vec<String>,
}

/// The `meta` object of a page.
#[derive(Debug, Clone, Deserialize)]
pub struct Meta {
    /// `1.0`, `1.1`, …
    #[serde(rename = "api-version")]
    pub api_version: String,
    /// PyPI's serial of the project's last change.
    #[serde(rename = "_last-serial", default, deserialize_with = "serial")]
    pub last_serial: Option<i64>,
}

/// One entry of `files`.
#[derive(Debug, Clone, Deserialize)]
pub struct FileEntry {
    /// The file name.
    pub filename: String,
    /// Its URL, possibly relative to the page.
    pub url: String,
    /// Hashes by algorithm name.
    #[serde(default)]
    pub hashes: BTreeMap<String, String>,
    /// `Requires-Python`.
    #[serde(rename = "requires-python", default)]
    pub requires_python: Option<String>,
    /// `false`, `true`, or the reason for the yank; `None` when absent or null.
    #[serde(default)]
    pub yanked: Option<Yanked>,
    /// PEP 700 upload time, ISO 8601 in UTC.
    #[serde(rename = "upload-time", default)]
    pub upload_time: Option<String>,
    /// Size in bytes (PEP 700).
    #[serde(default)]
    pub size: Option<u64>,
}

/// PEP 592 `yanked`: a boolean, or a string giving the reason.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(untagged)]
pub enum Yanked {
    /// `true` or `false`.
    Flag(bool),
    /// Yanked, with this reason.
    Reason(String),
}

fn serial<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<i64>, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum Serial {
        Number(i64),
        Text(String),
    }
    Ok(match Option::<Serial>::deserialize(d)? {
        Some(Serial::Number(n)) => Some(n),
        Some(Serial::Text(text)) => text.trim().parse().ok(),
        None => None,
    })
}

/// Something about one file that could not be read; the file is kept without it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileProblem {
    /// The file.
    pub filename: String,
    /// What could not be read.
    pub message: String,
}

/// A page turned into rows for the store.
#[derive(Debug, Clone)]
pub struct ParsedPage {
    /// The page as sent.
    pub page: ProjectPage,
    /// One row per file.
    pub files: Vec<PypiFile>,
    /// Files that were kept with missing fields.
    pub problems: Vec<FileProblem>,
}

/// Why a page could not be read at all.
#[derive(Debug, thiserror::Error)]
#[error("{url}: not a PEP 691 project page: {message} (line {line}, column {column})")]
pub struct PageError {
    /// Where the page came from.
    pub url: String,
    /// serde's message.
    pub message: String,
    /// 1-based line in the body.
    pub line: usize,
    /// 1-based column.
    pub column: usize,
}

/// Parses a PEP 700 upload time: `2024-08-18T15:36:00Z` or `2024-08-18T15:36:00.123456Z`.
pub fn parse_upload_time(text: &str) -> Option<Timestamp> {
    text.parse::<Timestamp>().ok()
}

/// Parses a project page fetched from `url` (used to resolve relative file URLs and in errors).
pub fn parse_project_page(body: &[u8], url: &str) -> Result<ParsedPage, PageError> {
    let page: ProjectPage = serde_json::from_slice(body).map_err(|e| PageError {
        url: url.to_string(),
        message: e
            .to_string()
            .split(" at line ")
            .next()
            .unwrap_or_default()
            .to_string(),
        line: e.line(),
        column: e.column(),
    })?;
    check_api_version(&page.meta.api_version, body, url)?;
    let mut problems = Vec::new();
    let files = page
        .files
        .iter()
        .filter_map(|entry| {
            // A name that is a path (`../../X-9.9-py3-none-any.whl`) names no file of this
            // project: it is reported and not stored, so nothing counts or fetches it.
            if is_not_a_plain_name(&entry.filename) {
                problems.push(FileProblem {
                    filename: entry.filename.clone(),
                    message:
                        "refused: a file name with a path separator, `..` or control characters"
                            .into(),
                });
                return None;
            }
            let parsed = parse_filename(&entry.filename, Some(&page.name));
            let parsed = match parsed {
                Ok(parsed) => Some(parsed),
                Err(error) => {
                    problems.push(FileProblem {
                        filename: entry.filename.clone(),
                        message: error.reason,
                    });
                    None
                }
            };
            let upload_time = entry.upload_time.as_deref().and_then(|text| {
                let time = parse_upload_time(text);
                if time.is_none() {
                    problems.push(FileProblem {
                        filename: entry.filename.clone(),
                        message: format!("unreadable upload-time `{text}`"),
                    });
                }
                time
            });
            let (yanked, yanked_reason) = match &entry.yanked {
                Some(Yanked::Flag(flag)) => (*flag, None),
                Some(Yanked::Reason(reason)) => {
                    (true, Some(reason.clone()).filter(|r| !r.is_empty()))
                }
                None => (false, None),
            };
            Some(PypiFile {
                filename: entry.filename.clone(),
                version: parsed.as_ref().map(|p| p.version_text.clone()),
                kind: parsed.as_ref().map_or(FileKind::Other, |p| p.kind),
                url: resolve_url(url, &entry.url),
                sha256: entry.hashes.get("sha256").cloned(),
                size: entry.size,
                upload_time,
                yanked,
                yanked_reason,
                requires_python: entry.requires_python.clone().filter(|r| !r.is_empty()),
                python_tag: parsed.as_ref().and_then(|p| p.python_tag.clone()),
                abi_tag: parsed.as_ref().and_then(|p| p.abi_tag.clone()),
                platform_tag: parsed.as_ref().and_then(|p| p.platform_tag.clone()),
            })
        })
        .collect();
    Ok(ParsedPage {
        page,
        files,
        problems,
    })
}

/// The major version of the simple API this reader understands (PEP 691's `1.x`).
pub const SUPPORTED_API_MAJOR: u32 = 1;

/// Refuses a page whose `api-version` has another major version than
/// [`SUPPORTED_API_MAJOR`]: PEP 629 asks clients to fail on a major version they do not know,
/// since it may change the meaning of fields (a newer minor version is read as 1.x).
fn check_api_version(version: &str, body: &[u8], url: &str) -> Result<(), PageError> {
    let major = version.trim().split('.').next().unwrap_or_default();
    if major.parse::<u32>().ok() == Some(SUPPORTED_API_MAJOR) {
        return Ok(());
    }
    // Point at the value in the body.
    let at = body
        .windows(b"api-version".len())
        .position(|w| w == b"api-version")
        .unwrap_or(0);
    let before = &body[..at];
    let line = before.iter().filter(|&&b| b == b'\n').count() + 1;
    let column = at
        - before
            .iter()
            .rposition(|&b| b == b'\n')
            .map_or(0, |i| i + 1)
        + 1;
    Err(PageError {
        url: url.to_string(),
        message: format!(
            "unsupported api-version `{version}`: this agora reads major version {SUPPORTED_API_MAJOR} of the simple API (PEP 691); PEP 629 requires refusing another major version"
        ),
        line,
        column,
    })
}

/// Resolves a file URL against the page URL (absolute, host-relative, or path-relative).
fn resolve_url(page: &str, file: &str) -> String {
    if file.contains("://") {
        return file.to_string();
    }
    let origin_end = page
        .find("://")
        .map(|i| i + 3)
        .and_then(|start| page[start..].find('/').map(|j| start + j));
    if let Some(path) = file.strip_prefix('/') {
        let origin = origin_end.map_or(page, |end| &page[..end]);
        return format!("{origin}/{path}");
    }
    let base = page.rfind('/').map_or(page, |i| &page[..=i]);
    format!("{base}{file}")
}

#[cfg(test)]
mod tests {
    use super::*;

    const PAGE: &str = r#"{
      "meta": {"api-version": "1.1", "_last-serial": "41298931"},
      "name": "networkx",
      "versions": ["3.2", "3.2.1"],
      "files": [
        {"filename": "networkx-3.2-py3-none-any.whl", "url": "https://files.example/networkx-3.2-py3-none-any.whl",
         "hashes": {"sha256": "ab"}, "requires-python": ">=3.9", "size": 10, "upload-time": "2023-10-19T08:43:16.813464Z", "yanked": false},
        {"filename": "networkx-3.2.tar.gz", "url": "../../packages/networkx-3.2.tar.gz",
         "hashes": {}, "upload-time": "2023-10-19T08:43:15Z", "yanked": "broken metadata"},
        {"filename": "networkx-3.2.1.weird", "url": "/x/networkx-3.2.1.weird", "hashes": {}, "upload-time": "yesterday", "yanked": true}
      ]
    }"#;

    #[test]
    fn reads_a_page_and_keeps_what_it_can() {
        let parsed = parse_project_page(PAGE.as_bytes(), "https://pypi.example/simple/networkx/")
            .expect("page");
        assert_eq!(parsed.page.meta.last_serial, Some(41298931));
        let [wheel, sdist, weird] = parsed.files.as_slice() else {
            panic!("three files")
        };
        assert_eq!(
            wheel.upload_time,
            Some("2023-10-19T08:43:16.813464Z".parse().expect("ts"))
        );
        assert_eq!(
            (wheel.kind, wheel.python_tag.as_deref(), wheel.yanked),
            (FileKind::Wheel, Some("py3"), false)
        );
        assert_eq!(
            sdist.upload_time,
            Some("2023-10-19T08:43:15Z".parse().expect("ts"))
        );
        assert_eq!(
            (sdist.yanked, sdist.yanked_reason.as_deref()),
            (true, Some("broken metadata"))
        );
        assert_eq!(
            sdist.url,
            "https://pypi.example/simple/networkx/../../packages/networkx-3.2.tar.gz"
        );
        assert_eq!(
            (weird.version.as_deref(), weird.kind, weird.upload_time),
            (None, FileKind::Other, None)
        );
        assert_eq!(weird.url, "https://pypi.example/x/networkx-3.2.1.weird");
        assert_eq!(parsed.problems.len(), 2);
        assert!(
            parsed
                .problems
                .iter()
                .all(|p| p.filename == "networkx-3.2.1.weird")
        );
    }

    #[test]
    fn another_major_api_version_is_refused_and_a_newer_minor_read() {
        let page = |version: &str| {
            format!(
                "{{\"meta\": {{\"api-version\": \"{version}\"}}, \"name\": \"x\", \"files\": []}}"
            )
        };
        for version in ["2.0", "0.9", "x"] {
            let error = parse_project_page(page(version).as_bytes(), "http://x/simple/x/")
                .expect_err(version);
            assert!(error.message.contains("api-version"), "{version}: {error}");
            assert!(
                error.to_string().starts_with("http://x/simple/x/"),
                "{error}"
            );
        }
        for version in ["1.0", "1.1", "1.4"] {
            parse_project_page(page(version).as_bytes(), "http://x/simple/x/").expect(version);
        }
    }

    #[test]
    fn a_file_name_that_is_a_path_is_refused_and_not_stored() {
        let body = r#"{"meta": {"api-version": "1.1"}, "name": "x", "files": [
            {"filename": "../../X-9.9-py3-none-any.whl", "url": "https://f/a.whl", "hashes": {}},
            {"filename": "x-1.0-py3-none-any.whl", "url": "https://f/x-1.0-py3-none-any.whl", "hashes": {}}]}"#;
        let parsed = parse_project_page(body.as_bytes(), "http://x/simple/x/").expect("page");
        let names: Vec<&str> = parsed.files.iter().map(|f| f.filename.as_str()).collect();
        assert_eq!(names, vec!["x-1.0-py3-none-any.whl"]);
        let wheels = parsed
            .files
            .iter()
            .filter(|f| f.kind == FileKind::Wheel)
            .count();
        assert_eq!(wheels, 1);
        assert_eq!(parsed.problems.len(), 1);
        assert_eq!(parsed.problems[0].filename, "../../X-9.9-py3-none-any.whl");
    }

    #[test]
    fn a_page_that_is_not_pep_691_names_the_place() {
        let error = parse_project_page(
            b"{\"meta\": {\"api-version\": \"1.0\"},\n \"files\": 3}",
            "http://x/simple/a/",
        )
        .expect_err("bad page");
        assert_eq!(error.line, 2);
        assert!(
            error
                .to_string()
                .starts_with("http://x/simple/a/: not a PEP 691 project page"),
            "{error}"
        );
        let error = parse_project_page(b"{\"meta\": {\"api-vers", "http://x/simple/a/")
            .expect_err("truncated");
        assert!(error.message.contains("EOF"), "{error}");
    }
}
