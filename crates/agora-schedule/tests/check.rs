//! `agora schedule check` end to end on small pyproject.toml fixtures: parse, compare with
//! SPEC 0 on 2026-05-01 (2026 Q2), render.
//!
//! Release dates are the real ones; drop times were worked out by hand:
//! - Python (1095 days): 3.10.0 2021-10-04 → 2024-10-03 (the third year holds 2024-02-29, so
//!   three years are 1096 days and 1095 lands a day early); 3.11.0 2022-10-24 → 2025-10-23
//!   (same); 3.12.0 2023-10-02 → 2026-10-01 (same); 3.13.0 2024-10-07 → 2027-10-07.
//!   A release may be dropped from the first day of the quarter of its drop date: on
//!   2026-05-01 3.10 and 3.11 may be dropped (since 2025-10-01): SPEC 0's floor is 3.12.
//! - numpy (730 days): 1.26.0 2023-09-16 → 2025-09-15 (2024-02-29 inside); 2.0.0 2024-06-16 →
//!   2026-06-16; 2.1.0 2024-08-18 → 2026-08-18; 2.2.0 2024-12-08 → 2026-12-08.
//!   On 2026-05-01 1.26 and 2.0 may be dropped (2.0.0 since 2026-04-01): the floor is 2.1.0.
//! - scipy (730 days): 1.11.0 2023-06-25 → 2025-06-24 (2024-02-29 inside); 1.12.0 2024-01-20
//!   → 2026-01-19 (same); 1.13.0 2024-04-02 → 2026-04-02; 1.14.0 2024-06-24 → 2026-06-24;
//!   1.15.0 2025-01-03 → 2027-01-03. On 2026-05-01 1.11 to 1.14 may be dropped
//!   (since 2026-04-01): the floor is 1.15.0.

mod support;

use std::path::Path;
use std::str::FromStr;

use agora_schedule::PackageReleases;
use agora_schedule::check::{self, CheckReport, Status};
use agora_schedule::pyproject::{self, DeclaredFloors, ProblemKind, PyprojectError};
use jiff::Timestamp;
use pep440_rs::Version;

/// Python 3.10 to 3.13, numpy and scipy, on their real release dates.
fn packages() -> Vec<PackageReleases> {
    support::packages_with(support::python())
}

fn v(text: &str) -> Version {
    Version::from_str(text).expect("test version")
}

fn at() -> Timestamp {
    Timestamp::from_str("2026-05-01T00:00:00Z").expect("test date")
}

fn parse(text: &str) -> DeclaredFloors {
    match pyproject::parse(Path::new("pyproject.toml"), text) {
        Ok(floors) => floors,
        Err(error) => panic!("unexpected error: {error}"),
    }
}

fn report(text: &str) -> CheckReport {
    check::check(&parse(text), &packages(), at())
}

/// (package, declared, status, line) of every finding.
fn summary(report: &CheckReport) -> Vec<(&str, &str, Status, usize)> {
    report
        .findings
        .iter()
        .map(|f| (f.package.as_str(), f.declared.as_str(), f.status, f.line))
        .collect()
}

#[test]
fn scikit_image_like() {
    let floors = parse(include_str!("fixtures/skimage.toml"));
    assert!(floors.problems.is_empty(), "{:?}", floors.problems);
    // Every requirement string of the project, the extras and the groups is read once, where it
    // is written; the include-group entries add none; build-system is not read.
    // 1 requires-python + 8 dependencies + 7 optional + 6 build + 8 test + 3 docs + 3 dev.
    assert_eq!(floors.declarations.len(), 36);
    let tomli = floors
        .declarations
        .iter()
        .find(|d| d.package == "tomli")
        .expect("tomli");
    assert_eq!(tomli.source, "dependency-groups.dev");
    assert_eq!(tomli.line, 63);
    assert_eq!(tomli.marker.as_deref(), Some("python_version < '3.11'"));

    let report = check::check(&floors, &packages(), at());
    assert_eq!(
        summary(&report),
        vec![
            // 3.11 < 3.12.
            ("python", ">=3.11", Status::MayRaise, 12),
            // 1.24 is below every known release; 1.26.0 and 2.0.0 lie between it and 2.1.0.
            ("numpy", ">=1.24", Status::MayRaise, 14),
            // 1.11.4 is the 1.11.0 series < 1.15.0.
            ("scipy", ">=1.11.4", Status::MayRaise, 15),
            // 2.1 == 2.1.0.
            ("numpy", ">=2.1", Status::Fine, 42),
        ]
    );
    assert_eq!(report.findings[3].source, "dependency-groups.build");
    assert_eq!(
        report.findings[2].releases,
        vec![v("1.11.0"), v("1.12.0"), v("1.13.0"), v("1.14.0")]
    );
    assert!(report.needs_action());

    assert_eq!(
        check::render_github(&report),
        concat!(
            "::warning file=pyproject.toml,line=12,title=SPEC 0::requires-python = \">=3.11\" still supports Python 3.11, which SPEC 0 lets projects drop from 2025-10-01; the floor may be raised to requires-python = \">=3.12\"\n",
            "::warning file=pyproject.toml,line=14,title=SPEC 0::numpy>=1.24 still supports numpy 1.26.0 and 2.0.0, which SPEC 0 lets projects drop from 2026-04-01; the floor may be raised to numpy>=2.1.0\n",
            "::warning file=pyproject.toml,line=15,title=SPEC 0::scipy>=1.11.4 still supports scipy 1.11.0, 1.12.0, 1.13.0 and 1.14.0, which SPEC 0 lets projects drop from 2026-04-01; the floor may be raised to scipy>=1.15.0\n",
        )
    );

    assert_eq!(
        check::render_text(&report),
        concat!(
            "SPEC 0 check of pyproject.toml as of 2026-05-01: 1 fine, 3 may raise, 0 below policy\n",
            "\n",
            "package  declared  SPEC 0 floor  status     where\n",
            "python   >=3.11    3.12          may raise  pyproject.toml:12\n",
            "numpy    >=1.24    2.1.0         may raise  pyproject.toml:14\n",
            "scipy    >=1.11.4  1.15.0        may raise  pyproject.toml:15\n",
            "numpy    >=2.1     2.1.0         fine       pyproject.toml:42\n",
            "\n",
            "pyproject.toml:12 (project.requires-python): requires-python = \">=3.11\" still supports Python 3.11, which SPEC 0 lets projects drop from 2025-10-01; the floor may be raised to requires-python = \">=3.12\"\n",
            "pyproject.toml:14 (project.dependencies): numpy>=1.24 still supports numpy 1.26.0 and 2.0.0, which SPEC 0 lets projects drop from 2026-04-01; the floor may be raised to numpy>=2.1.0\n",
            "pyproject.toml:15 (project.dependencies): scipy>=1.11.4 still supports scipy 1.11.0, 1.12.0, 1.13.0 and 1.14.0, which SPEC 0 lets projects drop from 2026-04-01; the floor may be raised to scipy>=1.15.0\n",
        )
    );
}

#[test]
fn optional_dependencies() {
    let report = report(include_str!("fixtures/optional.toml"));
    assert!(report.problems.is_empty());
    assert_eq!(
        summary(&report),
        vec![
            ("python", ">=3.12", Status::Fine, 3),
            // 2.2.0 > 2.1.0: drops 2.1.0, which may be dropped from 2026-07-01 (2026 Q3).
            ("numpy", ">=2.2", Status::BelowPolicy, 8),
            // 1.15 == 1.15.0; `!=` does not move the floor.
            ("scipy", ">=1.15, !=1.15.1", Status::Fine, 9),
            // No lower bound at all: supports more than SPEC 0 asks, no action needed.
            ("numpy", "", Status::Fine, 13),
        ]
    );
    assert_eq!(
        report.findings[1].source,
        "project.optional-dependencies.default"
    );
    assert_eq!(report.findings[1].releases, vec![v("2.1.0")]);
    assert_eq!(
        report.findings[3].source,
        "project.optional-dependencies.test"
    );
    assert_eq!(report.findings[3].releases, vec![v("1.26.0"), v("2.0.0")]);
    assert_eq!(
        check::render_github(&report),
        "::error file=pyproject.toml,line=8,title=SPEC 0::numpy>=2.2 drops numpy 2.1.0, which SPEC 0 lets projects drop only from 2026-07-01; lower the floor to numpy>=2.1.0\n"
    );
}

#[test]
fn markers_and_extras() {
    let report = report(include_str!("fixtures/markers.toml"));
    assert!(report.problems.is_empty());
    assert_eq!(
        summary(&report),
        vec![
            // `>3.10` lets 3.10.1 in: the 3.10 series, below 3.12.
            ("python", ">3.10", Status::MayRaise, 3),
            // Both numpy lines are compared whatever their markers say.
            ("numpy", ">=1.26", Status::MayRaise, 5),
            ("numpy", ">=2.1", Status::Fine, 6),
            ("scipy", ">=1.15.0", Status::Fine, 7),
        ]
    );
    assert_eq!(
        report.findings[1].marker.as_deref(),
        Some("python_version<'3.13'")
    );
    assert_eq!(report.findings[3].extras, vec!["test".to_string()]);
    assert_eq!(
        check::render_github(&report),
        concat!(
            "::warning file=pyproject.toml,line=3,title=SPEC 0::requires-python = \">3.10\" still supports Python 3.10 and 3.11, which SPEC 0 lets projects drop from 2025-10-01; the floor may be raised to requires-python = \">=3.12\"\n",
            "::warning file=pyproject.toml,line=5,title=SPEC 0::numpy>=1.26 still supports numpy 1.26.0 and 2.0.0, which SPEC 0 lets projects drop from 2026-04-01; the floor may be raised to numpy>=2.1.0 (it applies only where `python_version<'3.13'`; compared all the same)\n",
        )
    );

    let json: serde_json::Value =
        serde_json::from_str(&check::render_json(&report)).expect("valid JSON");
    assert_eq!(json["path"], "pyproject.toml");
    assert_eq!(json["date"], "2026-05-01T00:00:00Z");
    assert_eq!(json["needs_action"], true);
    assert_eq!(json["findings"][1]["status"], "may_raise");
    assert_eq!(json["findings"][1]["floor"], "1.26");
    assert_eq!(json["findings"][1]["allowed"], "2.1.0");
    assert_eq!(
        json["findings"][1]["releases"],
        serde_json::json!(["1.26.0", "2.0.0"])
    );
    assert_eq!(json["findings"][1]["marker"], "python_version<'3.13'");
    assert_eq!(json["findings"][1]["line"], 5);
    assert_eq!(json["findings"][3]["package"], "scipy");
    assert_eq!(json["findings"][3]["extras"], serde_json::json!(["test"]));
    assert_eq!(json["findings"][3]["status"], "fine");
    assert_eq!(json["problems"], serde_json::json!([]));
}

#[test]
fn bad_requirement_is_reported_and_the_rest_read() {
    let floors = parse(include_str!("fixtures/bad_requirement.toml"));
    let lines: Vec<usize> = floors.problems.iter().map(|p| p.line).collect();
    assert_eq!(lines, vec![6, 11]);
    match &floors.problems[0].kind {
        ProblemKind::Requirement {
            requirement,
            location,
            ..
        } => {
            assert_eq!(requirement, "scipy>=>1.15");
            assert_eq!(location, "project.dependencies");
        }
        other => panic!("unexpected problem {other:?}"),
    }
    let first = floors.problems[0].to_string();
    assert!(
        first.starts_with(
            "pyproject.toml:6: invalid requirement `scipy>=>1.15` in project.dependencies: "
        ),
        "{first}"
    );
    assert_eq!(
        floors.problems[1].to_string(),
        "pyproject.toml:11: dependency-groups.test: includes unknown group `lint`"
    );
    // python, numpy, matplotlib and pytest are still read.
    let packages_read: Vec<&str> = floors
        .declarations
        .iter()
        .map(|d| d.package.as_str())
        .collect();
    assert_eq!(
        packages_read,
        vec!["python", "numpy", "matplotlib", "pytest"]
    );

    let report = check::check(&floors, &packages(), at());
    // Both floors are fine (3.12 and 2.1.0), but the file needs fixing.
    assert_eq!(report.count(Status::Fine), 2);
    assert!(report.needs_action());
    let github = check::render_github(&report);
    let lines: Vec<&str> = github.lines().collect();
    assert_eq!(lines.len(), 2);
    assert!(
        lines[0].starts_with("::error file=pyproject.toml,line=6,title=invalid pyproject.toml::invalid requirement `scipy>=>1.15` in project.dependencies: "),
        "{}",
        lines[0]
    );
    assert_eq!(
        lines[1],
        "::error file=pyproject.toml,line=11,title=invalid pyproject.toml::dependency-groups.test: includes unknown group `lint`"
    );
    assert!(
        check::render_text(&report).contains("\nproblems:\npyproject.toml:6: invalid requirement")
    );
}

#[test]
fn malformed_toml_names_file_and_line() {
    let error = pyproject::parse(
        Path::new("pkg/pyproject.toml"),
        include_str!("fixtures/malformed.toml"),
    )
    .expect_err("malformed TOML");
    match &error {
        PyprojectError::Invalid(problem) => {
            // The missing comma after "scipy>=1.15" (line 6) is noticed at "matplotlib", line 7.
            assert_eq!(problem.line, 7);
            assert!(matches!(problem.kind, ProblemKind::Toml(_)));
        }
        other => panic!("unexpected error {other:?}"),
    }
    assert!(
        error
            .to_string()
            .starts_with("pkg/pyproject.toml:7: invalid TOML: "),
        "{error}"
    );
}

#[test]
fn reads_a_directory_or_a_file() {
    let dir = tempfile::tempdir().expect("temp dir");
    let file = dir.path().join("pyproject.toml");
    std::fs::write(&file, include_str!("fixtures/optional.toml")).expect("write fixture");
    let from_dir = pyproject::read(dir.path()).expect("read dir");
    let from_file = pyproject::read(&file).expect("read file");
    assert_eq!(from_dir, from_file);
    assert_eq!(from_dir.path, file);
    assert_eq!(from_dir.declarations.len(), 7);

    let missing = pyproject::read(&dir.path().join("nope.toml")).expect_err("missing file");
    assert!(matches!(missing, PyprojectError::Read { .. }));
    assert!(missing.to_string().contains("nope.toml"));
}

#[test]
fn nothing_to_report_exits_clean() {
    let report = report("[tool.black]\nline-length = 88\n");
    assert!(report.findings.is_empty());
    assert!(!report.needs_action());
    assert_eq!(check::render_github(&report), "");
    assert_eq!(
        check::render_text(&report),
        "SPEC 0 check of pyproject.toml as of 2026-05-01: 0 fine, 0 may raise, 0 below policy\nno floors of Python or of a core package are declared\n"
    );
}
