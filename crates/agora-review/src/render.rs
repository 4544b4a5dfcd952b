//! Views of a [`Report`]: text for people, repo-review-compatible JSON and markdown; and of
//! several reports side by side ([`matrix_text`], [`matrix_markdown`]: one row per check, one
//! column per repository). The HTML pages come from `agora-site`, which reads the same report
//! through [`shown_families`], [`matrix_rows`], [`word`] and [`symbol`].
//!
//! Renderers never compute anything; they only format the report. The JSON follows
//! repo-review 1.3's `--format json` (`status`, `families` in display order, `checks` keyed by
//! code with `family`, `description`, `result` (true/false/null), `skip_reason`, `err_msg`,
//! `url`). As in repo-review, `skip_reason` is only set for checks ignored with a reason; the
//! text and markdown views also say why other checks were skipped.

use std::fmt::Write as _;

use serde::Serialize;
use serde::ser::{SerializeMap, Serializer};

use crate::check::{FamilyInfo, Outcome, SkipReason};
use crate::report::{CheckReport, FamilyReport, Report};

#[derive(Serialize)]
struct JsonFamily<'a> {
    name: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    order: Option<i32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    description: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    readme_note: Option<&'a str>,
}

#[derive(Serialize)]
struct JsonCheck<'a> {
    family: &'a str,
    description: &'a str,
    result: Option<bool>,
    skip_reason: String,
    err_msg: &'a str,
    url: &'a str,
}

struct Families<'a>(&'a [FamilyReport]);

impl Serialize for Families<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(self.0.len()))?;
        for f in self.0 {
            let family = JsonFamily {
                name: f.name,
                order: (f.order != 0).then_some(f.order),
                description: f.description.as_deref(),
                readme_note: f.readme_note,
            };
            map.serialize_entry(f.key, &family)?;
        }
        map.end()
    }
}

struct Checks<'a>(&'a [CheckReport]);

impl Serialize for Checks<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(self.0.len()))?;
        for c in self.0 {
            let (err_msg, skip_reason) = match &c.outcome {
                Outcome::Fail(msg) => (msg.as_str(), String::new()),
                Outcome::Skip(SkipReason::Ignored(why)) => ("", why.clone()),
                Outcome::Pass | Outcome::Skip(_) => ("", String::new()),
            };
            let check = JsonCheck {
                family: c.family,
                description: c.description,
                result: c.outcome.as_bool(),
                skip_reason,
                err_msg,
                url: c.url,
            };
            map.serialize_entry(c.code, &check)?;
        }
        map.end()
    }
}

#[derive(Serialize)]
struct JsonReport<'a> {
    status: &'a str,
    families: Families<'a>,
    checks: Checks<'a>,
}

fn json_report(report: &Report) -> JsonReport<'_> {
    JsonReport {
        status: report.status().as_str(),
        families: Families(&report.families),
        checks: Checks(&report.checks),
    }
}

/// The report as repo-review's JSON (pretty-printed, two-space indent).
pub fn json(report: &Report) -> String {
    serde_json::to_string_pretty(&json_report(report)).unwrap_or_default()
}

/// Several reports as one JSON object keyed by repository name (repo-review's multi-path form).
pub fn json_many(reports: &[Report]) -> String {
    struct Many<'a>(&'a [Report]);
    impl Serialize for Many<'_> {
        fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
            let mut map = serializer.serialize_map(Some(self.0.len()))?;
            for r in self.0 {
                map.serialize_entry(&r.name, &json_report(r))?;
            }
            map.end()
        }
    }
    serde_json::to_string_pretty(&Many(reports)).unwrap_or_default()
}

/// Indents every non-empty line of `text` by `pad`.
fn indent(text: &str, pad: &str) -> String {
    text.trim_matches('\n')
        .lines()
        .map(|l| {
            if l.trim().is_empty() {
                String::new()
            } else {
                format!("{pad}{l}")
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// The families that have reported checks or a description, in order, with their checks.
pub fn shown_families(report: &Report) -> impl Iterator<Item = (&FamilyReport, Vec<&CheckReport>)> {
    report.families.iter().filter_map(|f| {
        let checks: Vec<&CheckReport> =
            report.checks.iter().filter(|c| c.family == f.key).collect();
        let described = f.description.as_deref().is_some_and(|d| !d.is_empty());
        (described || !checks.is_empty()).then_some((f, checks))
    })
}

/// Plain text for a terminal: checks grouped by family, failures with message and URL.
pub fn text(report: &Report) -> String {
    let mut out = String::new();
    let (passed, failed, skipped) = report.counts();
    let _ = writeln!(
        out,
        "{}: {passed} passed, {failed} failed, {skipped} skipped",
        report.name
    );
    for (family, checks) in shown_families(report) {
        let _ = writeln!(out, "\n{}", family.name);
        if let Some(d) = family.description.as_deref().filter(|d| !d.is_empty()) {
            let _ = writeln!(out, "{}", indent(d, "  "));
        }
        for c in checks {
            let mark = match c.outcome {
                Outcome::Pass => "pass",
                Outcome::Fail(_) => "FAIL",
                Outcome::Skip(_) => "skip",
            };
            let _ = writeln!(out, "  [{mark}] {} {}", c.code, c.description);
            match &c.outcome {
                Outcome::Fail(msg) => {
                    let _ = writeln!(out, "{}", indent(msg, "         "));
                    if !c.url.is_empty() {
                        let _ = writeln!(out, "         See {}", c.url);
                    }
                }
                Outcome::Skip(reason) => {
                    let _ = writeln!(out, "         skipped: {}", reason.message());
                }
                Outcome::Pass => {}
            }
        }
    }
    out.push_str(&ignore_footer(report));
    out
}

/// After failures: how to ignore the failed checks in `pyproject.toml`, one table per reader.
fn ignore_footer(report: &Report) -> String {
    let tables = report.failed_codes_by_table();
    if tables.is_empty() {
        return String::new();
    }
    let mut out = String::from(
        "\nTo ignore the failed checks, list them in pyproject.toml (a table of CODE = \"reason\"\n\
         instead of a list keeps them in the report as skipped, with the reason):\n",
    );
    for (table, codes) in tables {
        let quoted: Vec<String> = codes.iter().map(|code| format!("\"{code}\"")).collect();
        let _ = write!(out, "\n[{table}]\nignore = [{}]\n", quoted.join(", "));
    }
    out
}

/// Markdown (for a CI step summary): a heading per family, a list item per check.
pub fn markdown(report: &Report) -> String {
    let mut out = String::new();
    let (passed, failed, skipped) = report.counts();
    let _ = writeln!(
        out,
        "## {}\n\n{passed} passed, {failed} failed, {skipped} skipped",
        report.name
    );
    for (family, checks) in shown_families(report) {
        let _ = writeln!(out, "\n### {}\n", family.name);
        if let Some(d) = family.description.as_deref().filter(|d| !d.is_empty()) {
            let _ = writeln!(out, "{d}\n");
        }
        for c in checks {
            let mark = match c.outcome {
                Outcome::Pass => "✅",
                Outcome::Fail(_) => "❌",
                Outcome::Skip(_) => "⚪",
            };
            let code = if c.url.is_empty() {
                format!("**{}**", c.code)
            } else {
                format!("[**{}**]({})", c.code, c.url)
            };
            let _ = writeln!(out, "- {mark} {code} {}", c.description);
            match &c.outcome {
                Outcome::Fail(msg) => {
                    let _ = writeln!(out, "\n{}\n", indent(msg, "  "));
                }
                Outcome::Skip(reason) => {
                    let _ = writeln!(out, "  _skipped: {}_", reason.message());
                }
                Outcome::Pass => {}
            }
        }
    }
    out
}

/// GitHub Actions workflow commands: an `::error` annotation per failed check (titled with
/// its code and description, the message as its text), then one `::notice` with the counts.
pub fn github(report: &Report) -> String {
    use agora_schedule::check::{escape_data, escape_property};
    let mut out = String::new();
    for c in &report.checks {
        if let Outcome::Fail(message) = &c.outcome {
            let _ = writeln!(
                out,
                "::error title={}::{}",
                escape_property(&format!("{} {}: {}", report.name, c.code, c.description)),
                escape_data(message)
            );
        }
    }
    let (passed, failed, skipped) = report.counts();
    let _ = writeln!(
        out,
        "::notice title={}::{passed} passed, {failed} failed, {skipped} skipped",
        escape_property(&format!("agora review {}", report.name))
    );
    out
}

/// The status symbol of an outcome (as in the markdown view).
pub fn symbol(outcome: &Outcome) -> &'static str {
    match outcome {
        Outcome::Pass => "✅",
        Outcome::Fail(_) => "❌",
        Outcome::Skip(_) => "⚪",
    }
}

/// The status word of an outcome (`pass`, `fail`, `skip`).
pub fn word(outcome: &Outcome) -> &'static str {
    match outcome {
        Outcome::Pass => "pass",
        Outcome::Fail(_) => "fail",
        Outcome::Skip(_) => "skip",
    }
}

/// One row of a matrix: a check and its outcome in each report (`None`: not reported there).
pub struct Row<'a> {
    /// The check's code.
    pub code: &'static str,
    /// What it checks.
    pub description: &'static str,
    /// Its guide page; empty when it has none.
    pub url: &'static str,
    /// Its outcome in each report, in report order.
    pub cells: Vec<Option<&'a Outcome>>,
}

/// The union of the reports' checks in display order (family order, family key, code).
pub fn matrix_rows(reports: &[Report]) -> Vec<Row<'_>> {
    let mut keys: Vec<(i32, &'static str, &'static str, &'static str, &'static str)> = Vec::new();
    for r in reports {
        for c in &r.checks {
            if !keys.iter().any(|k| k.2 == c.code) {
                let order = FamilyInfo::get(c.family).map_or(0, |f| f.order);
                keys.push((order, c.family, c.code, c.description, c.url));
            }
        }
    }
    keys.sort();
    keys.into_iter()
        .map(|(_, _, code, description, url)| Row {
            code,
            description,
            url,
            cells: reports
                .iter()
                .map(|r| r.get(code).map(|c| &c.outcome))
                .collect(),
        })
        .collect()
}

/// Several reports as a plain-text table: one row per check code, one column per repository
/// (`pass`, `FAIL`, `skip`, or `-` where the check was not reported), then the description.
pub fn matrix_text(reports: &[Report]) -> String {
    let rows = matrix_rows(reports);
    let cell = |o: Option<&Outcome>| match o {
        Some(Outcome::Pass) => "pass",
        Some(Outcome::Fail(_)) => "FAIL",
        Some(Outcome::Skip(_)) => "skip",
        None => "-",
    };
    let code_width = rows.iter().map(|r| r.code.len()).max().unwrap_or(0).max(4);
    let widths: Vec<usize> = reports
        .iter()
        .map(|r| r.name.chars().count().max(4))
        .collect();
    let mut out = String::new();
    let mut line = format!("{:<code_width$}", "code");
    for (r, w) in reports.iter().zip(&widths) {
        let _ = write!(line, "  {:<w$}", r.name);
    }
    line.push_str("  description");
    let _ = writeln!(out, "{line}");
    for row in &rows {
        let mut line = format!("{:<code_width$}", row.code);
        for (o, w) in row.cells.iter().zip(&widths) {
            let _ = write!(line, "  {:<w$}", cell(*o));
        }
        let _ = write!(line, "  {}", row.description);
        let _ = writeln!(out, "{line}");
    }
    out
}

/// Escapes a markdown table cell (`|`, and `<` `>` so that no HTML gets through).
fn md_cell(text: &str) -> String {
    text.replace('|', "\\|")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

/// Several reports as a markdown table: one row per check (code linked to the guide,
/// description), one column per repository with ✅ ❌ ⚪ (— where not reported).
pub fn matrix_markdown(reports: &[Report]) -> String {
    let mut out = String::new();
    let mut header = "| check | description |".to_string();
    let mut rule = "|---|---|".to_string();
    for r in reports {
        let _ = write!(header, " {} |", md_cell(&r.name));
        rule.push_str(":-:|");
    }
    let _ = writeln!(out, "{header}\n{rule}");
    for row in matrix_rows(reports) {
        let code = if row.url.is_empty() {
            row.code.to_string()
        } else {
            format!("[{}]({})", row.code, row.url)
        };
        let _ = write!(out, "| {code} | {} |", md_cell(row.description));
        for o in &row.cells {
            let _ = write!(out, " {} |", o.map_or("—", symbol));
        }
        out.push('\n');
    }
    out
}
