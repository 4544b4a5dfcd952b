//! The result of linting many files, and its views: numpydoc's text lines, JSON, GitHub
//! workflow annotations, and counts by code.
//!
//! [`Report`] is the one model; every renderer reads it and computes nothing but layout.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::lint::Finding;

/// A file that could not be linted.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FileError {
    /// The file, as given.
    pub path: String,
    /// The line of a syntax error.
    pub line: Option<u32>,
    /// What went wrong.
    pub message: String,
}

/// The findings of one run, in file order then source order.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Report {
    /// How many files were linted.
    pub files: usize,
    /// The findings.
    pub findings: Vec<Finding>,
    /// Files that could not be read or parsed.
    pub errors: Vec<FileError>,
}

/// How often one code was found.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CodeCount {
    /// The code.
    pub code: String,
    /// How many findings.
    pub count: usize,
}

impl Report {
    /// Counts by code, most frequent first (then by code).
    pub fn statistics(&self) -> Vec<CodeCount> {
        let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
        for finding in &self.findings {
            *counts.entry(finding.code).or_default() += 1;
        }
        let mut out: Vec<CodeCount> = counts
            .into_iter()
            .map(|(code, count)| CodeCount {
                code: code.to_string(),
                count,
            })
            .collect();
        out.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.code.cmp(&b.code)));
        out
    }

    /// 1 when there is something to act on (a finding or a file that could not be linted).
    pub fn exit_code(&self) -> u8 {
        u8::from(!self.findings.is_empty() || !self.errors.is_empty())
    }
}

/// numpydoc's format: `path:line: CODE message`, one finding a line.
pub fn text(report: &Report) -> String {
    let mut out = String::new();
    for f in &report.findings {
        out.push_str(&format!(
            "{}:{}: {} {}\n",
            f.path, f.line, f.code, f.message
        ));
    }
    out
}

/// The file errors as `path:line: error: message` lines (for stderr).
pub fn errors_text(report: &Report) -> String {
    let mut out = String::new();
    for e in &report.errors {
        match e.line {
            Some(line) => out.push_str(&format!("{}:{line}: error: {}\n", e.path, e.message)),
            None => out.push_str(&format!("{}: error: {}\n", e.path, e.message)),
        }
    }
    out
}

/// A JSON array, one object per finding (path, line, name, code, message).
pub fn json(report: &Report) -> String {
    let mut out = serde_json::to_string_pretty(&report.findings).unwrap_or_else(|_| "[]".into());
    out.push('\n');
    out
}

fn escape_data(s: &str) -> String {
    s.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

fn escape_property(s: &str) -> String {
    escape_data(s).replace(':', "%3A").replace(',', "%2C")
}

/// GitHub Actions workflow commands: an `::error` annotation per finding and per file error.
pub fn github(report: &Report) -> String {
    let mut out = String::new();
    for f in &report.findings {
        out.push_str(&format!(
            "::error file={},line={},title={}::{} {} ({})\n",
            escape_property(&f.path),
            f.line,
            escape_property(f.code),
            f.code,
            escape_data(&f.message),
            escape_data(&f.name),
        ));
    }
    for e in &report.errors {
        let line = e.line.map(|l| format!(",line={l}")).unwrap_or_default();
        out.push_str(&format!(
            "::error file={}{line},title=agora docs lint::{}\n",
            escape_property(&e.path),
            escape_data(&e.message)
        ));
    }
    out
}

/// Counts by code as a table: count, code, and the total.
pub fn statistics_text(report: &Report) -> String {
    let mut out = String::new();
    for count in report.statistics() {
        out.push_str(&format!("{:>7}  {}\n", count.count, count.code));
    }
    out.push_str(&format!("{:>7}  total\n", report.findings.len()));
    out
}

/// Counts by code as JSON: `[{"code", "count"}, …]`.
pub fn statistics_json(report: &Report) -> String {
    let mut out =
        serde_json::to_string_pretty(&report.statistics()).unwrap_or_else(|_| "[]".into());
    out.push('\n');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn report() -> Report {
        let finding = |line, code| Finding {
            path: "a,b.py".into(),
            line,
            name: "m.f".into(),
            code,
            message: "100% wrong".into(),
        };
        Report {
            files: 1,
            findings: vec![finding(3, "GL08"), finding(4, "GL08"), finding(4, "EX01")],
            errors: vec![],
        }
    }

    #[test]
    fn views() {
        let report = report();
        assert_eq!(
            text(&report).lines().next(),
            Some("a,b.py:3: GL08 100% wrong")
        );
        assert_eq!(
            github(&report).lines().next(),
            Some("::error file=a%2Cb.py,line=3,title=GL08::GL08 100%25 wrong (m.f)")
        );
        assert_eq!(
            statistics_text(&report),
            "      2  GL08\n      1  EX01\n      3  total\n"
        );
        assert_eq!(report.exit_code(), 1);
        assert_eq!(Report::default().exit_code(), 0);
    }
}
