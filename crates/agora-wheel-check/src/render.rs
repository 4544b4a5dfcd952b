//! Views of a run: text for people, JSON for machines. Both render the same [`Run`].
//!
//! Text gives, per wheel, a line with the platform verdict (what the binaries need against what
//! the name claims) and then each finding as `CODE severity path: message` with its hint.
//! JSON is one document: `{"wheels": [Report…], "failures": […], "summary": {…}}`.

use std::fmt::Write as _;

use serde::Serialize;

use crate::{Report, Severity};

/// A target that could not be checked.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Failure {
    /// The argument or URL.
    pub target: String,
    /// Why.
    pub error: String,
}

/// Everything one `agora wheel check` run produced.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Run {
    /// A report per wheel checked.
    pub wheels: Vec<Report>,
    /// Targets that could not be checked.
    pub failures: Vec<Failure>,
}

/// Totals over a run.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Summary {
    /// Wheels checked.
    pub wheels: usize,
    /// Wheels with at least one error.
    pub failing: usize,
    /// Error findings.
    pub errors: usize,
    /// Warning findings.
    pub warnings: usize,
    /// Info findings.
    pub infos: usize,
    /// Targets that could not be checked.
    pub failures: usize,
}

impl Run {
    /// The totals.
    pub fn summary(&self) -> Summary {
        Summary {
            wheels: self.wheels.len(),
            failing: self.wheels.iter().filter(|w| w.has_errors()).count(),
            errors: self.wheels.iter().map(|w| w.count(Severity::Error)).sum(),
            warnings: self.wheels.iter().map(|w| w.count(Severity::Warning)).sum(),
            infos: self.wheels.iter().map(|w| w.count(Severity::Info)).sum(),
            failures: self.failures.len(),
        }
    }

    /// 0 clean, 1 an error finding or some target failed, 2 nothing could be checked.
    pub fn exit_code(&self) -> u8 {
        if self.wheels.is_empty() && !self.failures.is_empty() {
            2
        } else if !self.failures.is_empty() || self.wheels.iter().any(Report::has_errors) {
            1
        } else {
            0
        }
    }
}

/// The JSON document.
pub fn json(run: &Run) -> String {
    #[derive(Serialize)]
    struct Document<'a> {
        wheels: &'a [Report],
        failures: &'a [Failure],
        summary: Summary,
    }
    serde_json::to_string_pretty(&Document {
        wheels: &run.wheels,
        failures: &run.failures,
        summary: run.summary(),
    })
    .unwrap_or_else(|error| format!("{{\"error\": \"{error}\"}}"))
        + "\n"
}

/// The text report.
pub fn text(run: &Run) -> String {
    let mut out = String::new();
    for report in &run.wheels {
        let _ = writeln!(out, "{} ({} files)", report.wheel, report.files);
        if let Some(linux) = &report.linux {
            let newest: Vec<&str> = linux.newest.values().map(String::as_str).collect();
            let _ = writeln!(
                out,
                "  {} {}: claims {}, qualifies for {}",
                linux.libc,
                linux.arch,
                linux.claimed.join("."),
                linux.computed
            );
            if !newest.is_empty() {
                let _ = writeln!(out, "  newest symbol versions: {}", newest.join(", "));
            }
            if !linux.external_libraries.is_empty() {
                let libs: Vec<&str> = linux
                    .external_libraries
                    .iter()
                    .map(String::as_str)
                    .collect();
                let _ = writeln!(out, "  system libraries: {}", libs.join(", "));
            }
        }
        if let Some(macos) = &report.macos {
            let mins: Vec<String> = macos
                .min_macos
                .iter()
                .map(|(arch, version)| format!("{arch} {version}"))
                .collect();
            let _ = writeln!(
                out,
                "  macOS: claims {}, binaries need {}, qualifies for {}",
                macos.claimed.join("."),
                mins.join(", "),
                macos.computed.join(".")
            );
        }
        let mut hinted = std::collections::BTreeSet::new();
        for finding in &report.findings {
            let place = finding
                .path
                .as_deref()
                .map(|path| format!("{path}: "))
                .unwrap_or_default();
            let _ = writeln!(
                out,
                "  {} {:<7} {place}{}",
                finding.code,
                finding.severity.as_str(),
                finding.message
            );
            // A code's hint once per wheel, after its first finding.
            if !finding.hint.is_empty() && hinted.insert(finding.code) {
                let _ = writeln!(out, "        hint: {}", finding.hint);
            }
        }
        if report.findings.is_empty() {
            let _ = writeln!(out, "  no findings");
        }
    }
    for failure in &run.failures {
        let _ = writeln!(
            out,
            "{}: could not be checked: {}",
            failure.target, failure.error
        );
    }
    let summary = run.summary();
    let _ = writeln!(
        out,
        "{} wheel{} checked, {} with errors: {} error{}, {} warning{}, {} info{}",
        summary.wheels,
        if summary.wheels == 1 { "" } else { "s" },
        summary.failing,
        summary.errors,
        if summary.errors == 1 { "" } else { "s" },
        summary.warnings,
        if summary.warnings == 1 { "" } else { "s" },
        summary.infos,
        if summary.failures > 0 {
            format!("; {} could not be checked", summary.failures)
        } else {
            String::new()
        }
    );
    out
}
