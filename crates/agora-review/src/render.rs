//! Views of a [`Report`]: text for people, repo-review-compatible JSON, and markdown.
//!
//! Renderers never compute anything; they only format the report. The JSON follows
//! repo-review 1.3's `--format json` (`status`, `families` in display order, `checks` keyed by
//! code with `family`, `description`, `result` (true/false/null), `skip_reason`, `err_msg`,
//! `url`). As in repo-review, `skip_reason` is only set for checks ignored with a reason; the
//! text and markdown views also say why other checks were skipped.

use std::fmt::Write as _;

use serde::Serialize;
use serde::ser::{SerializeMap, Serializer};

use crate::check::{Outcome, SkipReason};
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

/// The families that have reported checks or a description, in order.
fn shown_families(report: &Report) -> impl Iterator<Item = (&FamilyReport, Vec<&CheckReport>)> {
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
