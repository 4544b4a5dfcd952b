//! `WHEEL` and `METADATA`: email-header files, read and checked against the file name.
//!
//! Both are RFC 822-style headers (`Key: value`, continuation lines start with whitespace); in
//! METADATA a blank line ends the headers and the rest is the long description (Metadata-Version
//! 2.1 and later). WHEEL must carry a supported `Wheel-Version` (major 1), `Root-Is-Purelib`,
//! and `Tag` lines that equal the file name's expanded tags. METADATA must carry a known
//! Metadata-Version, Name and Version equal to the file name's, PEP 440 `Requires-Python`,
//! PEP 508 `Requires-Dist`, and a `Description-Content-Type` PyPI can render.

use std::collections::BTreeSet;
use std::str::FromStr;

use pep440_rs::{Version, VersionSpecifiers};
use pep508_rs::Requirement;

use crate::filename::{WheelName, escape_name};
use crate::finding::Finding;

/// Headers in file order, and the body after the blank line.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Headers {
    /// `(name, value)` pairs; continuation lines joined with `\n`.
    pub fields: Vec<(String, String)>,
    /// The text after the first blank line, if any.
    pub body: Option<String>,
    /// The 1-based line each field starts on, parallel to `fields`.
    pub lines: Vec<usize>,
}

impl Headers {
    /// The first value of `name` (case-insensitive).
    pub fn get(&self, name: &str) -> Option<&str> {
        self.fields
            .iter()
            .find(|(key, _)| key.eq_ignore_ascii_case(name))
            .map(|(_, value)| value.as_str())
    }

    /// Every value of `name` (case-insensitive).
    pub fn get_all<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a str> + 'a {
        self.fields
            .iter()
            .filter(move |(key, _)| key.eq_ignore_ascii_case(name))
            .map(|(_, value)| value.as_str())
    }
}

/// Parses email-style headers; `Err` names the first line that is neither a header nor a
/// continuation.
pub fn parse_headers(text: &str) -> Result<Headers, String> {
    let mut headers = Headers::default();
    let mut lines = text.split_inclusive('\n').enumerate();
    for (number, raw) in lines.by_ref() {
        let line = raw.trim_end_matches(['\n', '\r']);
        if line.is_empty() {
            let rest: String = text
                .split_inclusive('\n')
                .skip(number + 1)
                .collect::<String>();
            headers.body = Some(rest);
            break;
        }
        if line.starts_with([' ', '\t']) {
            match headers.fields.last_mut() {
                Some((_, value)) => {
                    value.push('\n');
                    value.push_str(line.trim_start());
                }
                None => {
                    return Err(format!(
                        "line {}: continuation before any header",
                        number + 1
                    ));
                }
            }
            continue;
        }
        match line.split_once(':') {
            Some((key, value)) if !key.is_empty() && !key.contains(' ') => {
                headers
                    .fields
                    .push((key.to_string(), value.trim().to_string()));
                headers.lines.push(number + 1);
            }
            _ => return Err(format!("line {}: `{line}` is not `Key: value`", number + 1)),
        }
    }
    Ok(headers)
}

/// What WHEEL says that other checks need.
#[derive(Debug, Clone, Default)]
pub struct WheelFile {
    /// `Root-Is-Purelib`, when present.
    pub root_is_purelib: Option<bool>,
}

/// Checks WHEEL (`data` is `None` when the archive has none).
pub fn check_wheel_file(
    path: &str,
    data: Option<&[u8]>,
    name: Option<&WheelName>,
    findings: &mut Vec<Finding>,
) -> WheelFile {
    let Some(data) = data else {
        findings.push(Finding::new(
            "WC202",
            Some(path),
            "no WHEEL file".to_string(),
        ));
        return WheelFile::default();
    };
    let headers = match std::str::from_utf8(data)
        .map_err(|error| format!("not UTF-8: {error}"))
        .and_then(parse_headers)
    {
        Ok(headers) => headers,
        Err(reason) => {
            findings.push(Finding::new("WC202", Some(path), reason));
            return WheelFile::default();
        }
    };
    match headers.get("Wheel-Version") {
        None => findings.push(Finding::new(
            "WC203",
            Some(path),
            "no Wheel-Version".to_string(),
        )),
        Some(version) if version.split('.').next() != Some("1") => findings.push(Finding::new(
            "WC203",
            Some(path),
            format!("Wheel-Version {version}: installers support major version 1"),
        )),
        Some(_) => {}
    }
    let root_is_purelib = match headers.get("Root-Is-Purelib") {
        None => {
            findings.push(Finding::new(
                "WC204",
                Some(path),
                "no Root-Is-Purelib".to_string(),
            ));
            None
        }
        Some(value) => Some(value.eq_ignore_ascii_case("true")),
    };
    if let Some(name) = name {
        let declared: BTreeSet<String> = headers.get_all("Tag").map(str::to_string).collect();
        let expected = name.tags();
        if declared != expected {
            let missing: Vec<&String> = expected.difference(&declared).collect();
            let extra: Vec<&String> = declared.difference(&expected).collect();
            let mut parts = Vec::new();
            if !missing.is_empty() {
                parts.push(format!("missing from WHEEL: {}", join(&missing)));
            }
            if !extra.is_empty() {
                parts.push(format!("not in the file name: {}", join(&extra)));
            }
            findings.push(Finding::new("WC017", Some(path), parts.join("; ")));
        }
        if root_is_purelib == Some(true) && !name.is_pure() {
            findings.push(Finding::new(
                "WC204",
                Some(path),
                "Root-Is-Purelib is true for a platform-specific wheel".to_string(),
            ));
        }
        let build = headers.get("Build");
        if build != name.build.as_deref() && build.is_some() {
            findings.push(Finding::new(
                "WC017",
                Some(path),
                format!(
                    "Build: {} but the file name's build tag is {}",
                    build.unwrap_or("(none)"),
                    name.build.as_deref().unwrap_or("(none)")
                ),
            ));
        }
    }
    WheelFile { root_is_purelib }
}

fn join(items: &[&String]) -> String {
    items
        .iter()
        .map(|item| item.as_str())
        .collect::<Vec<_>>()
        .join(", ")
}

const METADATA_VERSIONS: [&str; 8] = ["1.0", "1.1", "1.2", "2.1", "2.2", "2.3", "2.4", "2.5"];

/// Checks METADATA (`data` is `None` when the archive has none).
pub fn check_metadata(
    path: &str,
    data: Option<&[u8]>,
    name: Option<&WheelName>,
    findings: &mut Vec<Finding>,
) {
    let Some(data) = data else {
        findings.push(Finding::new(
            "WC205",
            Some(path),
            "no METADATA file".to_string(),
        ));
        return;
    };
    let headers = match std::str::from_utf8(data)
        .map_err(|error| format!("not UTF-8: {error}"))
        .and_then(parse_headers)
    {
        Ok(headers) => headers,
        Err(reason) => {
            findings.push(Finding::new("WC205", Some(path), reason));
            return;
        }
    };
    match headers.get("Metadata-Version") {
        None => findings.push(Finding::new(
            "WC206",
            Some(path),
            "no Metadata-Version".to_string(),
        )),
        Some(version) if !METADATA_VERSIONS.contains(&version) => findings.push(Finding::new(
            "WC206",
            Some(path),
            format!(
                "Metadata-Version {version} is not one of {}",
                METADATA_VERSIONS.join(", ")
            ),
        )),
        Some(_) => {}
    }
    match (headers.get("Name"), name) {
        (None, _) => findings.push(Finding::new("WC214", Some(path), "no Name".to_string())),
        (Some(declared), Some(name)) if escape_name(declared) != escape_name(&name.name) => {
            findings.push(Finding::new(
                "WC207",
                Some(path),
                format!("Name: {declared}, but the file name says {}", name.name),
            ));
        }
        _ => {}
    }
    match (headers.get("Version"), name) {
        (None, _) => findings.push(Finding::new("WC214", Some(path), "no Version".to_string())),
        (Some(declared), Some(name)) => {
            let same = match (Version::from_str(declared), &name.version) {
                (Ok(declared), Some(version)) => &declared == version,
                _ => declared == name.version_text,
            };
            if !same {
                findings.push(Finding::new(
                    "WC208",
                    Some(path),
                    format!(
                        "Version: {declared}, but the file name says {}",
                        name.version_text
                    ),
                ));
            }
        }
        _ => {}
    }
    if let Some(spec) = headers.get("Requires-Python")
        && let Err(error) = VersionSpecifiers::from_str(spec)
    {
        findings.push(Finding::new(
            "WC209",
            Some(path),
            format!("Requires-Python: {spec}: {error}"),
        ));
    }
    for (index, (key, requirement)) in headers.fields.iter().enumerate() {
        if !key.eq_ignore_ascii_case("Requires-Dist") {
            continue;
        }
        let line = headers.lines.get(index).copied().unwrap_or_default();
        // pep508_rs recurses on markers and panics on some names: screen before it sees them.
        if let Err(hazard) = agora_pypi::requirement::screen(requirement) {
            findings.push(Finding::new(
                "WC210",
                Some(path),
                format!("line {line}: Requires-Dist {hazard}"),
            ));
            continue;
        }
        if let Err(error) = Requirement::<pep508_rs::VerbatimUrl>::from_str(requirement) {
            let first = error.to_string();
            let first = first.lines().next().unwrap_or_default().to_string();
            findings.push(Finding::new(
                "WC210",
                Some(path),
                format!("line {line}: Requires-Dist: {requirement}: {first}"),
            ));
        }
    }
    let description = headers
        .body
        .as_deref()
        .filter(|body| !body.trim().is_empty())
        .or_else(|| headers.get("Description").filter(|d| !d.trim().is_empty()));
    match headers.get("Description-Content-Type") {
        Some(content_type) => {
            if let Err(reason) = check_content_type(content_type) {
                findings.push(Finding::new(
                    "WC211",
                    Some(path),
                    format!("Description-Content-Type: {content_type}: {reason}"),
                ));
            }
        }
        None if description.is_some() => findings.push(Finding::new(
            "WC212",
            Some(path),
            "no Description-Content-Type".to_string(),
        )),
        None => {}
    }
    if description.is_none() {
        findings.push(Finding::new(
            "WC213",
            Some(path),
            "no long description (neither a body nor a Description field)".to_string(),
        ));
    }
}

/// Whether a Description-Content-Type is one PyPI renders.
fn check_content_type(value: &str) -> Result<(), String> {
    let mut parts = value.split(';').map(str::trim);
    let mime = parts.next().unwrap_or_default().to_ascii_lowercase();
    if !["text/plain", "text/x-rst", "text/markdown"].contains(&mime.as_str()) {
        return Err(format!(
            "`{mime}` is not text/plain, text/x-rst or text/markdown"
        ));
    }
    for parameter in parts.filter(|p| !p.is_empty()) {
        let (key, val) = parameter
            .split_once('=')
            .ok_or_else(|| format!("parameter `{parameter}` is not key=value"))?;
        let val = val.trim().trim_matches('"');
        match key.trim().to_ascii_lowercase().as_str() {
            "charset" if val.eq_ignore_ascii_case("utf-8") => {}
            "charset" => return Err(format!("charset `{val}`: PyPI reads UTF-8 only")),
            "variant" if mime == "text/markdown" && ["GFM", "CommonMark"].contains(&val) => {}
            "variant" => {
                return Err(format!(
                    "variant `{val}`: only GFM or CommonMark, for text/markdown"
                ));
            }
            other => return Err(format!("unknown parameter `{other}`")),
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headers_and_body() {
        let Ok(headers) = parse_headers("Name: a\nSummary: x\n  more\nTag: a\nTag: b\n\nBody\n")
        else {
            panic!("parses")
        };
        assert_eq!(headers.get("name"), Some("a"));
        assert_eq!(headers.get("Summary"), Some("x\nmore"));
        assert_eq!(headers.get_all("Tag").count(), 2);
        assert_eq!(headers.body.as_deref(), Some("Body\n"));
        assert!(parse_headers("no colon here\n").is_err());
    }

    #[test]
    fn content_types() {
        assert!(check_content_type("text/markdown; charset=UTF-8; variant=GFM").is_ok());
        assert!(check_content_type("text/x-rst").is_ok());
        assert!(check_content_type("text/html").is_err());
        assert!(check_content_type("text/markdown; variant=foo").is_err());
    }
}
