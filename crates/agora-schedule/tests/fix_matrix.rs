//! `agora schedule matrix` and `agora schedule check --fix` on fixtures, with the release data
//! of `tests/check.rs` (real release dates), on 2026-05-01 (2026 Q2): SPEC 0's minimums in
//! force are Python 3.12, numpy 2.1.0 and scipy 1.15.0.

mod support;

use std::path::Path;
use std::str::FromStr;

use agora_schedule::check::{self, Status};
use agora_schedule::{PackageReleases, fix, matrix, pyproject};
use jiff::Timestamp;
use jiff::civil::Date;
use support::release;

/// The shared release data, with Python 3.15 (2026-10-01), not yet out on [`DATE`].
fn packages() -> Vec<PackageReleases> {
    let mut python = support::python();
    python.push(release("3.15", "2026-10-01"));
    support::packages_with(python)
}

const DATE: &str = "2026-05-01";

fn at() -> Timestamp {
    Timestamp::from_str("2026-05-01T00:00:00Z").expect("test date")
}

const FIXTURE: &str = include_str!("fixtures/spec0_fix.toml");

fn fixed(text: &str) -> fix::Fixed {
    fix::fix(Path::new("pyproject.toml"), text, &packages(), at())
        .unwrap_or_else(|error| panic!("unexpected error: {error}"))
}

fn matrix_of(text: &str) -> matrix::Matrix {
    let declared = pyproject::parse(Path::new("pyproject.toml"), text)
        .unwrap_or_else(|error| panic!("unexpected error: {error}"));
    matrix::matrix(
        &declared,
        &packages(),
        Date::from_str(DATE).expect("test date"),
    )
}

#[test]
fn matrix_github() {
    // Python 3.10 (requires-python's floor) to 3.13 (3.15 is not out); the oldest job pins
    // numpy at 2.1.0 and scipy at 1.15.0, keeping the marker and extras; requests as written.
    insta::assert_snapshot!("matrix_github", matrix::render_github(&matrix_of(FIXTURE)));
}

#[test]
fn matrix_json() {
    insta::assert_snapshot!("matrix_json", matrix::render_json(&matrix_of(FIXTURE)));
}

#[test]
fn matrix_pins_the_projects_own_floor_when_higher() {
    // numpy>=2.1.3 is above SPEC 0's 2.1.0: the oldest job must still satisfy it. Without
    // requires-python the versions start at SPEC 0's minimum, 3.12; `<3.13` leaves out 3.13.
    let m = matrix_of(
        "[project]\nname = \"x\"\nrequires-python = \"<3.13\"\ndependencies = [\"numpy>=2.1.3\"]\n",
    );
    let versions: Vec<&str> = m
        .include
        .iter()
        .map(|e| e.python_version.as_str())
        .collect();
    assert_eq!(versions, ["3.12", "3.12"]);
    assert_eq!(
        m.include[1].dependencies.as_deref(),
        Some(&["numpy==2.1.3".to_string()][..])
    );
}

#[test]
fn fix_round_trip() {
    let result = fixed(FIXTURE);
    // The exact text: comments, key order, quotes and spacing survive; only floors move.
    insta::assert_snapshot!("fixed_pyproject", result.text);
    let changes: Vec<(usize, &str, &str)> = result
        .changes
        .iter()
        .map(|c| (c.line, c.before.as_str(), c.after.as_str()))
        .collect();
    assert_eq!(
        changes,
        [
            (6, ">= 3.10", ">= 3.12"),
            (
                9,
                "numpy >=1.26, <3 ; python_version < '3.14'",
                "numpy >=2.1.0, <3 ; python_version < '3.14'"
            ),
            (10, "scipy[fft]>1.11", "scipy[fft]>=1.15.0"),
            (19, "numpy>=2.0", "numpy>=2.1.0"),
        ]
    );
    assert!(result.skipped.is_empty());
    // Floors already at or above the minimum are untouched.
    assert!(
        result
            .text
            .contains("plot = [\"numpy>=2.1.3\"]  # already above the minimum")
    );
    assert!(result.text.contains("extra = [\"scipy>=1.15.0\"]"));

    // The fixed file passes the check of the same day.
    let declared = pyproject::parse(Path::new("pyproject.toml"), &result.text)
        .unwrap_or_else(|error| panic!("unexpected error: {error}"));
    let report = check::check(&declared, &packages(), at());
    assert!(!report.needs_action(), "{}", check::render_text(&report));
    assert_eq!(report.count(Status::Fine), report.findings.len());
    // Markers and extras read back the same.
    let numpy = &declared.declarations[1];
    assert_eq!(numpy.marker.as_deref(), Some("python_version < '3.14'"));
    let scipy = &declared.declarations[2];
    assert_eq!(scipy.extras, ["fft"]);

    // Fixing again changes nothing.
    let again = fixed(&result.text);
    assert!(again.changes.is_empty());
    assert_eq!(again.text, result.text);
}

#[test]
fn fix_adds_a_missing_requires_python() {
    let text =
        "[project]\nname = \"x\"  # the name\ndependencies = [\"numpy>=2.1\"]\n\n[tool.x]\na = 1\n";
    let result = fixed(text);
    assert_eq!(
        result.text,
        "[project]\nname = \"x\"  # the name\ndependencies = [\"numpy>=2.1\"]\nrequires-python = \">=3.12\"\n\n[tool.x]\na = 1\n"
    );
    assert_eq!(result.changes.len(), 1);
}

#[test]
fn pins_are_reported_not_rewritten() {
    let text = "[project]\nname = \"x\"\nrequires-python = \">=3.12\"\ndependencies = [\"numpy==1.26.4\"]\n";
    let result = fixed(text);
    assert_eq!(result.text, text);
    assert!(result.changes.is_empty());
    assert_eq!(result.skipped.len(), 1);
    assert_eq!(result.skipped[0].line, 4);
}

#[test]
fn malformed_pyproject_is_an_error_with_file_and_line() {
    let text = "[project]\nname = \"x\"\ndependencies = [\"numpy>=1.26\"\n\n[tool.x]\n";
    let error =
        fix::fix(Path::new("sub/pyproject.toml"), text, &packages(), at()).expect_err("not TOML");
    let message = error.to_string();
    assert!(
        message.starts_with("sub/pyproject.toml:") && message.contains("invalid TOML"),
        "{message}"
    );
    // A requirement that is not PEP 508 is left alone; the rest is fixed.
    let text = "[project]\nname = \"x\"\nrequires-python = \">=3.12\"\ndependencies = [\"numpy>>1\", \"scipy>=1.11\"]\n";
    let result = fixed(text);
    assert!(
        result.text.contains("[\"numpy>>1\", \"scipy>=1.15.0\"]"),
        "{}",
        result.text
    );
}

/// Every line `--fix` did not report as changed is byte for byte the same (comments, blank
/// lines, key order, quoting), and a changed line differs only where its requirement was.
#[test]
fn fix_changes_only_the_reported_lines() {
    let result = fixed(FIXTURE);
    let before: Vec<&str> = FIXTURE.lines().collect();
    let after: Vec<&str> = result.text.lines().collect();
    assert_eq!(before.len(), after.len(), "lines were added or removed");
    let changed: Vec<usize> = result.changes.iter().map(|c| c.line).collect();
    assert!(!changed.is_empty());
    for (i, (old, new)) in before.iter().zip(&after).enumerate() {
        let line = i + 1;
        match result.changes.iter().find(|c| c.line == line) {
            None => assert_eq!(old, new, "line {line} changed but was not reported"),
            Some(change) => {
                assert_ne!(old, new, "line {line} reported but unchanged");
                assert_eq!(
                    old.replacen(&change.before, &change.after, 1),
                    *new,
                    "line {line}: more than the requirement changed"
                );
            }
        }
    }
    // The comments of the fixture are all still there, in the same order.
    let comments = |text: &str| -> Vec<String> {
        text.lines()
            .filter_map(|l| l.find('#').map(|i| l[i..].to_string()))
            .collect()
    };
    assert!(!comments(FIXTURE).is_empty());
    assert_eq!(comments(FIXTURE), comments(&result.text));
}
