//! `agora schedule check --fix`: raises the floors SPEC 0 lets a project raise, as
//! spec0-action's pull requests do, keeping the rest of `pyproject.toml` byte for byte.
//!
//! The floors to raise are the findings of [`crate::check`] (the one rule of the schedule) with
//! [`Status::MayRaise`]: `requires-python` and the requirement strings of
//! `project.dependencies`, `project.optional-dependencies` and `[dependency-groups]`. A floor
//! at or above SPEC 0's minimum is never touched. Only the version specifier of a requirement
//! is rewritten: the name, extras, marker, spacing and quotes stay, and so do upper bounds and
//! exclusions (`numpy>=1.26,<3; python_version<'3.13'` becomes
//! `numpy>=2.1.0,<3; python_version<'3.13'`). The string literals are replaced in place, at
//! the spans `toml_edit` reports, so comments, ordering and formatting survive; a missing
//! `requires-python` is added to `[project]` with `toml_edit`'s document model. A floor given
//! by a pin (`==`, `~=`, `===`) or a direct URL is left alone and reported as not fixed.

use std::fmt::Write as _;
use std::ops::Range;
use std::path::{Path, PathBuf};

use jiff::Timestamp;
use pep440_rs::Version;
use toml_edit::{DocumentMut, ImDocument, Item, Value};

use crate::PYTHON;
use crate::PackageReleases;
use crate::check::{Finding, Status, findings};
use crate::pyproject::{self, PyprojectError, REQUIRES_PYTHON, line_at};

/// One floor raised.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Change {
    /// Where it is declared (`project.dependencies`, …).
    pub source: String,
    /// The 1-based line.
    pub line: usize,
    /// The requirement (or `requires-python` value) before.
    pub before: String,
    /// And after.
    pub after: String,
}

/// The result of fixing one pyproject.toml.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fixed {
    /// The file.
    pub path: PathBuf,
    /// The new text of the file (the old one when nothing changed).
    pub text: String,
    /// The floors raised, in file order.
    pub changes: Vec<Change>,
    /// The findings that may be raised but could not be rewritten (a pin, a URL).
    pub skipped: Vec<Finding>,
}

/// Raises the floors of the pyproject.toml text `text` (read from `path`) that SPEC 0 lets a
/// project raise at `at`. A file that is not TOML is an error naming the file and line.
pub fn fix(
    path: &Path,
    text: &str,
    packages: &[PackageReleases],
    at: Timestamp,
) -> Result<Fixed, PyprojectError> {
    let declared = pyproject::parse(path, text)?;
    let document = ImDocument::parse(text).map_err(|error| pyproject::Problem {
        path: path.to_path_buf(),
        line: error.span().map_or(1, |span| line_at(text, span.start)),
        kind: pyproject::ProblemKind::Toml(error.message().to_string()),
    })?;
    let strings = strings(&document);

    let mut edits: Vec<(Range<usize>, String)> = Vec::new();
    let mut changes = Vec::new();
    let mut skipped = Vec::new();
    let mut add_requires_python = None;
    for declaration in &declared.declarations {
        let Some(finding) = findings(std::slice::from_ref(declaration), packages, at).pop() else {
            continue;
        };
        let (Status::MayRaise, Some(allowed)) = (finding.status, &finding.allowed) else {
            continue;
        };
        let is_python = declaration.package == PYTHON;
        if is_python
            && declaration.written.is_empty()
            && !strings.iter().any(|s| s.source == REQUIRES_PYTHON)
        {
            let after = format!(">={allowed}");
            changes.push(Change {
                source: declaration.source.clone(),
                line: declaration.line,
                before: String::new(),
                after: after.clone(),
            });
            add_requires_python = Some(after);
            continue;
        }
        let found = strings.iter().find(|s| {
            s.source == declaration.source
                && s.line == declaration.line
                && s.value.trim() == declaration.written
        });
        let rewritten = found.and_then(|s| {
            let after = raise(&s.value, allowed, is_python)?;
            Some((s, after))
        });
        match rewritten {
            Some((string, after)) => {
                edits.push((
                    string.span.clone(),
                    literal(&text[string.span.clone()], &after),
                ));
                changes.push(Change {
                    source: declaration.source.clone(),
                    line: declaration.line,
                    before: string.value.trim().to_string(),
                    after: after.trim().to_string(),
                });
            }
            None => skipped.push(finding),
        }
    }

    let mut new_text = text.to_string();
    edits.sort_by_key(|(span, _)| std::cmp::Reverse(span.start));
    for (span, replacement) in edits {
        new_text.replace_range(span, &replacement);
    }
    if let Some(requires_python) = add_requires_python {
        let mut document: DocumentMut =
            new_text
                .parse()
                .map_err(|error: toml_edit::TomlError| pyproject::Problem {
                    path: path.to_path_buf(),
                    line: 1,
                    kind: pyproject::ProblemKind::Toml(error.message().to_string()),
                })?;
        if let Some(project) = document
            .get_mut("project")
            .and_then(Item::as_table_like_mut)
        {
            project.insert("requires-python", toml_edit::value(requires_python));
            new_text = document.to_string();
        }
    }
    Ok(Fixed {
        path: declared.path,
        text: new_text,
        changes,
        skipped,
    })
}

/// One line per change (`fixed pyproject.toml:4 (project.requires-python): >=3.10 -> >=3.12`)
/// and per floor that could not be rewritten; one line saying so when there was nothing to do.
pub fn render_changes(fixed: &Fixed) -> String {
    let file = fixed.path.display();
    let mut lines = String::new();
    for change in &fixed.changes {
        let before = if change.before.is_empty() {
            "(none)"
        } else {
            &change.before
        };
        let _ = writeln!(
            lines,
            "fixed {file}:{} ({}): {before} -> {}",
            change.line, change.source, change.after
        );
    }
    for finding in &fixed.skipped {
        let _ = writeln!(
            lines,
            "not fixed {file}:{} ({}): {}{} is a pin or a URL; raise it by hand",
            finding.line, finding.source, finding.package, finding.declared
        );
    }
    if fixed.changes.is_empty() && fixed.skipped.is_empty() {
        let _ = writeln!(lines, "{file}: no floor to raise");
    }
    lines
}

/// A string value of the file that may hold a floor.
struct StringAt {
    source: String,
    line: usize,
    value: String,
    span: Range<usize>,
}

/// Every string of `requires-python`, `project.dependencies`, the optional dependencies and
/// the dependency groups, with its span.
fn strings(document: &ImDocument<&str>) -> Vec<StringAt> {
    let text = document.raw();
    let mut out = Vec::new();
    let mut push = |source: String, value: &Value| {
        if let (Some(string), Some(span)) = (value.as_str(), value.span()) {
            out.push(StringAt {
                source,
                line: line_at(text, span.start),
                value: string.to_string(),
                span,
            });
        }
    };
    let root = document.as_table();
    if let Some(project) = root.get("project").and_then(Item::as_table_like) {
        if let Some(value) = project.get("requires-python").and_then(Item::as_value) {
            push(REQUIRES_PYTHON.to_string(), value);
        }
        if let Some(array) = project.get("dependencies").and_then(Item::as_array) {
            for value in array {
                push("project.dependencies".to_string(), value);
            }
        }
        if let Some(extras) = project
            .get("optional-dependencies")
            .and_then(Item::as_table_like)
        {
            for (extra, list) in extras.iter() {
                for value in list.as_array().into_iter().flatten() {
                    push(format!("project.optional-dependencies.{extra}"), value);
                }
            }
        }
    }
    if let Some(groups) = root.get("dependency-groups").and_then(Item::as_table_like) {
        for (group, list) in groups.iter() {
            for value in list.as_array().into_iter().flatten() {
                push(format!("dependency-groups.{group}"), value);
            }
        }
    }
    out
}

/// The TOML literal for `value`, in the quote style of `original` when it can hold it.
fn literal(original: &str, value: &str) -> String {
    let simple = !value.contains(['\n', '\r', '\\']);
    if original.starts_with('\'') && !original.starts_with("'''") && simple && !value.contains('\'')
    {
        format!("'{value}'")
    } else if original.starts_with('"')
        && !original.starts_with("\"\"\"")
        && simple
        && !value.contains('"')
        && !original.contains('\\')
    {
        format!("\"{value}\"")
    } else {
        Value::from(value).to_string().trim().to_string()
    }
}

/// `requirement` (or, for Python, a `requires-python` value) with its lower bound raised to
/// `minimum`; `None` when the floor is a pin or the requirement a URL.
pub fn raise(requirement: &str, minimum: &Version, is_python: bool) -> Option<String> {
    let (start, end) = if is_python {
        (0, requirement.len())
    } else {
        specifier_region(requirement)?
    };
    let region = &requirement[start..end];
    let new_region = raise_region(region, minimum)?;
    Some(format!(
        "{}{new_region}{}",
        &requirement[..start],
        &requirement[end..]
    ))
}

/// The byte range of a requirement's version specifiers: after the name and extras, before
/// the marker. `None` for a direct URL.
fn specifier_region(requirement: &str) -> Option<(usize, usize)> {
    let bytes = requirement.as_bytes();
    let mut i = 0;
    while i < bytes.len() && bytes[i].is_ascii_whitespace() {
        i += 1;
    }
    while i < bytes.len() && (bytes[i].is_ascii_alphanumeric() || b"._-".contains(&bytes[i])) {
        i += 1;
    }
    let mut j = i;
    while j < bytes.len() && bytes[j].is_ascii_whitespace() {
        j += 1;
    }
    if bytes.get(j) == Some(&b'[') {
        i = j + requirement[j..].find(']')? + 1;
    }
    let end = requirement[i..]
        .find(';')
        .map_or(requirement.len(), |k| i + k);
    if requirement[i..end].contains('@') {
        return None;
    }
    Some((i, end))
}

/// A specifier list (`>=1.26, <3`, `(>=1.26)`, empty) with its lower bound raised.
fn raise_region(region: &str, minimum: &Version) -> Option<String> {
    let core = region.trim();
    let lead = &region[..region.len() - region.trim_start().len()];
    let trail = &region[region.trim_end().len()..];
    let (open, inner, close) = match core.strip_prefix('(').and_then(|c| c.strip_suffix(')')) {
        Some(inner) => ("(", inner, ")"),
        None => ("", core, ""),
    };
    let new_floor = format!(">={minimum}");
    let mut parts: Vec<String> = Vec::new();
    let mut replaced = false;
    if !inner.trim().is_empty() {
        for part in inner.split(',') {
            let spec = part.trim();
            if spec.starts_with("==") || spec.starts_with("~=") {
                return None;
            }
            let operator = if spec.starts_with(">=") {
                2
            } else if spec.starts_with('>') {
                1
            } else {
                parts.push(part.to_string());
                continue;
            };
            if replaced {
                continue;
            }
            replaced = true;
            // Keep the spacing around the operator and the version.
            let lead_ws = &part[..part.len() - part.trim_start().len()];
            let trail_ws = &part[part.trim_end().len()..];
            let after_operator = &spec[operator..];
            let gap = &after_operator[..after_operator.len() - after_operator.trim_start().len()];
            parts.push(format!("{lead_ws}>={gap}{minimum}{trail_ws}"));
        }
    }
    let mut joined = parts.join(",");
    if !replaced {
        joined = if joined.trim().is_empty() {
            new_floor
        } else {
            format!("{new_floor},{joined}")
        };
    }
    let joined = joined.trim();
    // A requirement written without a specifier (`numpy; marker`) gets none before the `;`.
    let lead = if core.is_empty() { "" } else { lead };
    let trail = if core.is_empty() && !region.is_empty() {
        region
    } else {
        trail
    };
    Some(format!("{lead}{open}{joined}{close}{trail}"))
}

#[cfg(test)]
mod tests {
    use std::str::FromStr;

    use super::*;

    fn raised(requirement: &str, minimum: &str) -> Option<String> {
        raise(
            requirement,
            &Version::from_str(minimum).expect("version"),
            false,
        )
    }

    #[test]
    fn only_the_specifier_changes() {
        assert_eq!(
            raised("numpy>=1.26", "2.1.0").as_deref(),
            Some("numpy>=2.1.0")
        );
        assert_eq!(
            raised("numpy >= 1.26, <3 ; python_version < '3.13'", "2.1.0").as_deref(),
            Some("numpy >= 2.1.0, <3 ; python_version < '3.13'")
        );
        assert_eq!(
            raised("dask[array, dataframe]>1.0,!=2.0", "2024.1.0").as_deref(),
            Some("dask[array, dataframe]>=2024.1.0,!=2.0")
        );
        assert_eq!(
            raised("numpy (>=1.2)", "2.1.0").as_deref(),
            Some("numpy (>=2.1.0)")
        );
        assert_eq!(
            raised("numpy<3", "2.1.0").as_deref(),
            Some("numpy>=2.1.0,<3")
        );
        assert_eq!(
            raised("numpy; sys_platform == 'linux'", "2.1.0").as_deref(),
            Some("numpy>=2.1.0; sys_platform == 'linux'")
        );
        assert_eq!(raised("numpy~=1.26", "2.1.0"), None);
        assert_eq!(raised("numpy==1.26.4", "2.1.0"), None);
        assert_eq!(raised("numpy @ https://example.org/n.whl", "2.1.0"), None);
        assert_eq!(
            raise(">=3.10, <4", &Version::from_str("3.12").expect("v"), true).as_deref(),
            Some(">=3.12, <4")
        );
    }

    #[test]
    fn literals_keep_their_quotes() {
        assert_eq!(literal("'numpy>=1'", "numpy>=2"), "'numpy>=2'");
        assert_eq!(literal("\"numpy>=1\"", "numpy>=2"), "\"numpy>=2\"");
        assert_eq!(
            literal(
                "\"numpy; os_name == \\\"nt\\\"\"",
                "numpy>=2; os_name == \"nt\""
            ),
            "'numpy>=2; os_name == \"nt\"'"
        );
    }
}
