//! A finding: one problem in one wheel, with its code, severity, place and fix hint.

use serde::Serialize;

use crate::rules::{Severity, rule_for};

/// One problem found in a wheel.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Finding {
    /// The stable code (`WC105`), see `CHECKS.md`.
    pub code: &'static str,
    /// How much it matters.
    pub severity: Severity,
    /// The archive member it is about, if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub path: Option<String>,
    /// What exactly is wrong.
    pub message: String,
    /// How to fix it.
    pub hint: &'static str,
}

impl Finding {
    /// A finding of the catalog's rule `code` (an unknown code is an error without a hint).
    pub fn new(code: &'static str, path: Option<&str>, message: String) -> Finding {
        let rule = rule_for(code);
        Finding {
            code,
            severity: rule.map_or(Severity::Error, |rule| rule.severity),
            path: path.map(str::to_string),
            message,
            hint: rule.map_or("", |rule| rule.hint),
        }
    }
}
