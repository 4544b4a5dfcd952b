//! The result of linting many files, and its views: numpydoc's text lines, JSON, GitHub
//! workflow annotations, and counts by code.
//!
//! [`Report`] is the one model; every renderer reads it and computes nothing but layout.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::lint::Finding;
use crate::validate::code_description;

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
    /// What the code is about ([`code_description`]).
    pub description: String,
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
                description: code_description(code),
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

/// How many findings one file has.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FileCount {
    /// The file, as given.
    pub path: String,
    /// How many findings.
    pub count: usize,
}

impl Report {
    /// Counts by file, most findings first (then by path).
    pub fn by_file(&self) -> Vec<FileCount> {
        let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
        for finding in &self.findings {
            *counts.entry(finding.path.as_str()).or_default() += 1;
        }
        let mut out: Vec<FileCount> = counts
            .into_iter()
            .map(|(path, count)| FileCount {
                path: path.to_string(),
                count,
            })
            .collect();
        out.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.path.cmp(&b.path)));
        out
    }
}

/// GitHub Actions workflow commands: an `::error` annotation per finding (at most
/// `per_file` in one file when given: one more annotation on that file says how many were
/// left out) and per file error, then one `::notice` summing the run up (findings, files,
/// counts by code), which GitHub shows even when it hides the errors past its limit.
pub fn github(report: &Report, per_file: Option<usize>) -> String {
    let mut out = String::new();
    let mut shown: BTreeMap<&str, usize> = BTreeMap::new();
    let mut left_out: BTreeMap<&str, usize> = BTreeMap::new();
    for f in &report.findings {
        let seen = shown.entry(f.path.as_str()).or_default();
        if per_file.is_some_and(|max| *seen >= max) {
            *left_out.entry(f.path.as_str()).or_default() += 1;
            continue;
        }
        *seen += 1;
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
    for (path, count) in &left_out {
        out.push_str(&format!(
            "::error file={},title=agora docs lint::{}\n",
            escape_property(path),
            escape_data(&format!(
                "{count} more findings in this file are not annotated (at most {} a file); the step summary and the text output list them all",
                per_file.unwrap_or_default()
            ))
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
    out.push_str(&format!(
        "::notice title=agora docs lint::{}\n",
        escape_data(&summary_line(report))
    ));
    out
}

/// The run in one line: findings, files, files not linted, counts by code.
pub fn summary_line(report: &Report) -> String {
    let files_with = report.by_file().len();
    let mut line = format!(
        "{} findings in {files_with} of {} files",
        report.findings.len(),
        report.files
    );
    if !report.errors.is_empty() {
        line.push_str(&format!(
            ", {} files could not be linted",
            report.errors.len()
        ));
    }
    let codes: Vec<String> = report
        .statistics()
        .iter()
        .map(|c| format!("{} {}", c.code, c.count))
        .collect();
    if !codes.is_empty() {
        line.push_str(&format!(" (by code: {})", codes.join(", ")));
    }
    line
}

/// How many files the step summary lists by name (the others are counted).
pub const SUMMARY_FILES: usize = 30;

/// A Markdown table cell: `|` escaped, line breaks as spaces.
fn md_cell(text: &str) -> String {
    text.replace('|', "\\|").replace(['\r', '\n'], " ")
}

/// The step summary (Markdown, for `$GITHUB_STEP_SUMMARY`): the summary line, counts by
/// code with what each is about, the files with the most findings ([`SUMMARY_FILES`]), and
/// the files that could not be linted.
pub fn github_step_summary(report: &Report) -> String {
    let mut out = format!("## agora docs lint\n\n{}\n", summary_line(report));
    let statistics = report.statistics();
    if !statistics.is_empty() {
        out.push_str("\n| code | findings | what it checks |\n|---|---:|---|\n");
        for c in &statistics {
            out.push_str(&format!(
                "| {} | {} | {} |\n",
                c.code,
                c.count,
                md_cell(&c.description)
            ));
        }
        let files = report.by_file();
        out.push_str("\n| file | findings |\n|---|---:|\n");
        for f in files.iter().take(SUMMARY_FILES) {
            out.push_str(&format!("| `{}` | {} |\n", md_cell(&f.path), f.count));
        }
        if files.len() > SUMMARY_FILES {
            let rest: usize = files.iter().skip(SUMMARY_FILES).map(|f| f.count).sum();
            out.push_str(&format!(
                "\n{} more files have {rest} findings.\n",
                files.len() - SUMMARY_FILES
            ));
        }
    }
    if !report.errors.is_empty() {
        out.push_str("\n| could not be linted | why |\n|---|---|\n");
        for e in &report.errors {
            let place = match e.line {
                Some(line) => format!("{}:{line}", e.path),
                None => e.path.clone(),
            };
            out.push_str(&format!(
                "| `{}` | {} |\n",
                md_cell(&place),
                md_cell(&e.message)
            ));
        }
    }
    out
}

/// Counts by code as a table: count, code, what the code is about, and the total.
pub fn statistics_text(report: &Report) -> String {
    let mut out = String::new();
    for count in report.statistics() {
        out.push_str(&format!(
            "{:>7}  {}  {}\n",
            count.count, count.code, count.description
        ));
    }
    out.push_str(&format!("{:>7}  total\n", report.findings.len()));
    out
}

/// Counts by code as JSON: `[{"code", "count", "description"}, …]`.
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
            github(&report, None).lines().next(),
            Some("::error file=a%2Cb.py,line=3,title=GL08::GL08 100%25 wrong (m.f)")
        );
        assert_eq!(
            statistics_text(&report),
            "      2  GL08  The object does not have a docstring\n      1  EX01  No examples section found\n      3  total\n"
        );
        assert_eq!(report.exit_code(), 1);
        assert_eq!(Report::default().exit_code(), 0);
    }

    #[test]
    fn every_code_has_a_description_without_placeholders() {
        for code in crate::validate::all_codes() {
            let description = code_description(code);
            assert!(!description.is_empty(), "{code}");
            assert!(!description.contains(['{', '}']), "{code}: {description}");
        }
        assert_eq!(code_description("PR01"), "Parameters … not documented");
    }

    #[test]
    fn github_ends_with_a_summary_and_caps_annotations_per_file() {
        let report = report();
        let all = github(&report, None);
        let last = all.lines().last().unwrap_or_default();
        assert_eq!(
            last,
            "::notice title=agora docs lint::3 findings in 1 of 1 files (by code: GL08 2, EX01 1)"
        );
        assert_eq!(all.lines().filter(|l| l.starts_with("::error")).count(), 3);
        let capped = github(&report, Some(1));
        let errors: Vec<&str> = capped
            .lines()
            .filter(|l| l.starts_with("::error"))
            .collect();
        assert_eq!(errors.len(), 2, "{capped}");
        assert!(
            errors[1].contains("2 more findings in this file"),
            "{capped}"
        );
        let summary = github_step_summary(&report);
        assert!(
            summary.contains("| GL08 | 2 | The object does not have a docstring |"),
            "{summary}"
        );
        assert!(summary.contains("| `a,b.py` | 3 |"), "{summary}");
    }
}
