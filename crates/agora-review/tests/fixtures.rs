//! Fixture trees for the checks' pass, fail and skip cases.
//!
//! `fixtures/good` passes every check and `fixtures/bad` fails nearly every one; their
//! `*.expected.json` were produced by repo-review 1.3.0 + sp-repo-review 2026.8.14, so these
//! tests compare with the reference like the corpus test (results, descriptions, URLs,
//! families; the messages are agora's own and are asserted on their dynamic parts here). `fixtures/broken` has an
//! invalid `pyproject.toml`, an invalid `.pre-commit-config.yaml` and a workflow that is not
//! a mapping (repo-review crashes on it): the checks needing those files fail naming file and
//! line, the others still run. `fixtures/bad2` (no `pyproject.toml`, no workflows, a
//! pre-commit config with only `ruff-format`, an RTD config without a Python version) and
//! `fixtures/bad3` (a workflow and a Dependabot config not updating actions) fail the checks
//! that `bad` skips or passes; their `*.expected.json` come from the same reference. Smaller
//! cases are written to temporary directories.

mod common;

use common::tree;

use std::path::{Path, PathBuf};

use agora_review::{CheckReport, Options, Outcome, SkipReason, Status, checks, render, review};

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}

fn outcome<'a>(report: &'a agora_review::Report, code: &str) -> &'a Outcome {
    match report.get(code) {
        Some(CheckReport { outcome, .. }) => outcome,
        None => panic!("{code} not reported"),
    }
}

fn fail_message<'a>(report: &'a agora_review::Report, code: &str) -> &'a str {
    match outcome(report, code) {
        Outcome::Fail(msg) => msg,
        other => panic!("{code}: expected a failure, got {other:?}"),
    }
}

#[test]
fn good_and_bad_match_the_reference() {
    let mut problems = Vec::new();
    for name in ["good", "bad", "bad2", "bad3"] {
        let expected = fixture(&format!("{name}.expected.json"));
        let (mut diffs, missing) = common::compare(name, &fixture(name), &expected);
        problems.append(&mut diffs);
        assert!(missing.is_empty(), "{name}: not implemented {missing:?}");
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn good_passes_every_check() {
    // agora's own family (AG) is tested in `tests/agora.rs`; `good` is sp-repo-review's.
    let options = Options {
        ignore: vec!["AG".into()],
        ..Options::default()
    };
    let report = review(&fixture("good"), &options);
    let sp_checks = checks::all().iter().filter(|c| c.family != "agora").count();
    assert_eq!(report.checks.len(), sp_checks);
    for c in &report.checks {
        assert_eq!(c.outcome, Outcome::Pass, "{}", c.code);
    }
    assert_eq!(report.status(), Status::Passed);
    assert_eq!(report.exit_code(), 0);
    // Without the ignore, AG is reported too (AG100 skipped: no release data).
    let all = review(&fixture("good"), &Options::default());
    assert_eq!(all.checks.len(), checks::all().len());
}

#[test]
fn bad_fails_with_specific_messages() {
    let report = review(&fixture("bad"), &Options::default());
    assert_eq!(report.exit_code(), 3);
    // The renamed hook repository, old and new.
    let pc110 = fail_message(&report, "PC110");
    assert!(
        pc110.contains("uses `https://github.com/psf/black`: switch to `https://github.com/psf/black-pre-commit-mirror`"),
        "{pc110}"
    );
    // Each offending job, by workflow file and job name.
    let gh104 = fail_message(&report, "GH104");
    assert!(
        gh104.contains("* `wheels.yml`, job `build`: a matrix job uploads under a fixed name"),
        "{gh104}"
    );
    assert!(
        gh104.contains("* `wheels.yml`, job `build`: several uploads use the same name."),
        "{gh104}"
    );
    assert!(
        fail_message(&report, "GH105").contains("* `wheels.yml`, job `publish`"),
        "GH105"
    );
    // The workflow without a name.
    assert!(
        fail_message(&report, "GH101").starts_with("Workflows without a `name:`: `wheels.yml`."),
        "GH101"
    );
    // Each dashed option and its underscore spelling.
    let scfg = fail_message(&report, "SCFG001");
    assert!(
        scfg.ends_with(
            "`metadata.long-description` → `long_description`, `options.install-requires` → `install_requires`."
        ),
        "{scfg}"
    );
    // The top-level lint settings, sorted.
    let rf202 = fail_message(&report, "RF202");
    assert!(
        rf202.starts_with(
            "Lint settings at the top level of the Ruff configuration: `extend-ignore`, `select`."
        ),
        "{rf202}"
    );
    // The declared values that fail.
    let pp004 = fail_message(&report, "PP004");
    assert!(
        pp004.starts_with("`requires-python = \">=3.8,<4\"` caps"),
        "{pp004}"
    );
    let pp005 = fail_message(&report, "PP005");
    assert!(
        pp005
            .contains("remove `License :: OSI Approved :: MIT License` from `project.classifiers`"),
        "{pp005}"
    );
    // pytest fixes name the table this project uses (`[tool.pytest]`, pytest 9).
    let pp302 = fail_message(&report, "PP302");
    assert!(
        pp302.contains("not set to 9 or later")
            && pp302.contains("[tool.pytest]\nminversion = \"9\""),
        "{pp302}"
    );
    // The ReadTheDocs file is named as it is spelled (`.yml` here).
    assert!(
        fail_message(&report, "RTD101").starts_with("`.readthedocs.yml` "),
        "RTD101"
    );
    assert_eq!(
        outcome(&report, "PC111"),
        &Outcome::Skip(SkipReason::Requires(vec!["PC110".into()]))
    );
    assert_eq!(
        outcome(&report, "RTD103"),
        &Outcome::Skip(SkipReason::Requires(vec!["RTD102".into()]))
    );
}

#[test]
fn bad2_and_bad3_fail_what_bad_cannot() {
    let report = review(&fixture("bad2"), &Options::default());
    for code in ["PY001", "PY007", "GH100", "PC111", "PC190", "RTD103"] {
        assert!(matches!(outcome(&report, code), Outcome::Fail(_)), "{code}");
    }
    for code in ["PC110", "RTD100", "RTD102"] {
        assert_eq!(outcome(&report, code), &Outcome::Pass, "{code}");
    }
    let report = review(&fixture("bad3"), &Options::default());
    assert_eq!(outcome(&report, "GH200"), &Outcome::Pass);
    assert!(matches!(outcome(&report, "GH210"), Outcome::Fail(_)));
}

#[test]
fn broken_inputs_fail_only_the_checks_that_need_them() {
    let report = review(&fixture("broken"), &Options::default());
    for code in ["PY001", "PY002", "PY003", "PY006", "PY008"] {
        assert_eq!(outcome(&report, code), &Outcome::Pass, "{code}");
    }
    assert!(
        fail_message(&report, "PY004").starts_with("There is no `docs/` folder"),
        "PY004"
    );
    for code in ["PP002", "PP006", "PP301", "MY100", "RF001", "PY007"] {
        let msg = fail_message(&report, code);
        assert!(
            msg.starts_with("`pyproject.toml` line 3: invalid TOML"),
            "{code}: {msg}"
        );
    }
    for code in ["PC100", "PC110", "PC190", "PC901"] {
        let msg = fail_message(&report, code);
        assert!(
            msg.starts_with("`.pre-commit-config.yaml` line "),
            "{code}: {msg}"
        );
        assert!(msg.contains("invalid YAML"), "{code}: {msg}");
    }
    let gh100 = fail_message(&report, "GH100");
    assert!(
        gh100.starts_with("`.github/workflows/ci.yml` line 1:"),
        "{gh100}"
    );
    assert!(gh100.contains("mapping"), "{gh100}");
    assert!(matches!(
        outcome(&report, "GH101"),
        Outcome::Skip(SkipReason::Requires(r)) if r == &["GH100".to_string()]
    ));
}

#[test]
fn empty_tree_skips_dependents_and_hides_conditional_families() {
    let dir = tree(&[]);
    let report = review(dir.path(), &Options::default());
    assert!(matches!(outcome(&report, "PY001"), Outcome::Fail(_)));
    assert_eq!(
        outcome(&report, "PP002"),
        &Outcome::Skip(SkipReason::Requires(vec!["PY001".into()]))
    );
    // No requires-python anywhere: PP004 does not apply.
    assert!(matches!(
        outcome(&report, "PP004"),
        Outcome::Skip(SkipReason::NotApplicable(_))
    ));
    for absent in ["NOX101", "RTD100", "SCFG001"] {
        assert!(
            report.get(absent).is_none(),
            "{absent} should not be reported"
        );
    }
    // The JSON still lists every family, as repo-review does (its ten, and agora's).
    let json: serde_json::Value = serde_json::from_str(&render::json(&report)).expect("valid JSON");
    assert_eq!(json["families"].as_object().map(|f| f.len()), Some(11));
    assert_eq!(
        json["families"]["agora"]["name"],
        "agora: scientific-Python ecosystem practices"
    );
    assert_eq!(json["checks"]["PP002"]["result"], serde_json::Value::Null);
    assert_eq!(json["status"], "errors");
}

#[test]
fn lefthook_hides_pre_commit() {
    let dir = tree(&[("lefthook.yml", "pre-commit:\n  commands: {}\n")]);
    let report = review(dir.path(), &Options::default());
    assert!(report.checks.iter().all(|c| c.family != "pre-commit"));
}

#[test]
fn select_and_ignore_from_pyproject_and_options() {
    let pyproject = r#"
[tool.repo-review]
select = ["PY", "PP0"]
ignore = { PY004 = "docs live elsewhere", PY005 = "" }
"#;
    let dir = tree(&[("pyproject.toml", pyproject)]);
    let report = review(dir.path(), &Options::default());
    let codes: Vec<&str> = report.checks.iter().map(|c| c.code).collect();
    assert!(codes.contains(&"PY001"));
    assert!(
        !codes.contains(&"PY005"),
        "ignored without reason: not reported"
    );
    assert!(
        !codes.contains(&"PP002"),
        "PP0 is not a prefix selector of PP002"
    );
    assert!(!codes.contains(&"GH100"));
    assert_eq!(
        outcome(&report, "PY004"),
        &Outcome::Skip(SkipReason::Ignored("docs live elsewhere".into()))
    );
    let json: serde_json::Value = serde_json::from_str(&render::json(&report)).expect("valid JSON");
    assert_eq!(
        json["checks"]["PY004"]["skip_reason"],
        "docs live elsewhere"
    );

    // Command-line lists replace the project's; extend adds to them.
    let options = Options {
        select: vec!["GH".into()],
        extend_select: vec!["PY001".into()],
        ..Options::default()
    };
    let report = review(dir.path(), &options);
    let codes: Vec<&str> = report.checks.iter().map(|c| c.code).collect();
    assert!(codes.contains(&"GH100") && codes.contains(&"PY001"));
    assert!(!codes.contains(&"PY002"));

    // [tool.agora.review] adds to [tool.repo-review].
    let dir = tree(&[(
        "pyproject.toml",
        "[tool.repo-review]\nignore = [\"GH\"]\n[tool.agora.review]\nignore = [\"PP\"]\n",
    )]);
    let report = review(dir.path(), &Options::default());
    assert!(
        report
            .checks
            .iter()
            .all(|c| c.family != "github" && c.family != "pyproject")
    );
}

#[test]
fn alternative_config_homes() {
    // ruff.toml extending pyproject, pytest.toml, legacy ini_options.
    let dir = tree(&[
        (
            "pyproject.toml",
            "[project]\nname='x'\n[tool.ruff.lint]\nselect = ['B']\n[tool.pytest.ini_options]\nminversion = '6.0'\naddopts = '-ra --strict-config'\n",
        ),
        (
            "ruff.toml",
            "extend = \"pyproject.toml\"\ntarget-version = \"py311\"\n",
        ),
    ]);
    let report = review(dir.path(), &Options::default());
    assert_eq!(outcome(&report, "RF001"), &Outcome::Pass);
    assert_eq!(
        outcome(&report, "RF101"),
        &Outcome::Pass,
        "merged from pyproject"
    );
    assert_eq!(
        outcome(&report, "RF002"),
        &Outcome::Pass,
        "target-version in ruff.toml"
    );
    assert_eq!(outcome(&report, "PP302"), &Outcome::Pass, "legacy needs 6");
    assert_eq!(
        outcome(&report, "PP306"),
        &Outcome::Pass,
        "substring of addopts"
    );
    assert_eq!(
        outcome(&report, "PP308"),
        &Outcome::Pass,
        "legacy addopts string is split"
    );
    assert!(matches!(
        outcome(&report, "RF003"),
        Outcome::Skip(SkipReason::NotApplicable(_))
    ));

    let dir = tree(&[("pytest.toml", "[pytest]\nminversion = \"8\"\n")]);
    let report = review(dir.path(), &Options::default());
    assert_eq!(outcome(&report, "PP301"), &Outcome::Pass);
    assert!(
        matches!(outcome(&report, "PP302"), Outcome::Fail(_)),
        "pytest.toml needs 9"
    );
}

#[test]
fn conditional_skips_and_variants() {
    let dir = tree(&[
        ("pyproject.toml", "[tool.ty]\n"),
        (
            ".pre-commit-config.yaml",
            "repos:\n  - repo: https://github.com/astral-sh/ruff-pre-commit\n    hooks:\n      - id: ruff-format\n        types_or: [python]\n",
        ),
        (
            ".github/workflows/ci.yml",
            "name: x\non: workflow_dispatch\njobs: {}\n",
        ),
        (
            ".github/dependabot.yml",
            "version: 2\nupdates:\n  - package-ecosystem: pre-commit\n    directory: /\n",
        ),
    ]);
    let report = review(dir.path(), &Options::default());
    assert_eq!(outcome(&report, "MY100"), &Outcome::Pass);
    assert!(matches!(
        outcome(&report, "MY101"),
        Outcome::Skip(SkipReason::NotApplicable(_))
    ));
    assert!(matches!(
        outcome(&report, "MY103"),
        Outcome::Skip(SkipReason::NotApplicable(_))
    ));
    assert_eq!(outcome(&report, "PC110"), &Outcome::Pass);
    assert!(fail_message(&report, "PC111").contains("blacken-docs"));
    assert_eq!(
        outcome(&report, "GH103"),
        &Outcome::Pass,
        "`on:` as a plain string"
    );
    assert_eq!(outcome(&report, "GH200"), &Outcome::Pass);
    assert!(matches!(outcome(&report, "GH210"), Outcome::Fail(_)));
    for code in ["PC901", "PC902", "PC903"] {
        assert!(
            matches!(
                outcome(&report, code),
                Outcome::Skip(SkipReason::NotApplicable(_))
            ),
            "{code}: dependabot updates pre-commit"
        );
    }
    assert!(matches!(outcome(&report, "PC192"), Outcome::Skip(_)));
}

#[test]
fn renderers_share_the_model() {
    let report = review(&fixture("bad"), &Options::default());
    let text = render::text(&report);
    assert!(text.contains("\nGeneral\n"));
    assert!(text.contains("[FAIL] PY002 Has a README.(md|rst) file"));
    assert!(text.contains(
        "See https://learn.scientific-python.org/development/guides/packaging-simple#PY002"
    ));
    assert!(text.contains("skipped: requires `PC110` to pass"));
    let md = render::markdown(&report);
    assert!(md.contains("### Pre-commit"));
    assert!(md.contains("❌ [**PY002**](https://learn.scientific-python.org/development/guides/packaging-simple#PY002)"));
    let many: serde_json::Value =
        serde_json::from_str(&render::json_many(std::slice::from_ref(&report)))
            .expect("valid JSON");
    assert_eq!(many["bad"]["status"], "errors");
}

#[test]
fn the_copied_wording_guard_can_fail() {
    // The reference's own messages, checked against themselves, are caught: the comparison
    // in `common::compare` would notice sp-repo-review's wording coming back.
    let text = std::fs::read_to_string(fixture("bad.expected.json")).expect("readable");
    let expected: serde_json::Value = serde_json::from_str(&text).expect("valid JSON");
    let empty = serde_json::Map::new();
    let mut caught = 0;
    for (code, check) in expected["checks"].as_object().unwrap_or(&empty) {
        let message = check["err_msg"].as_str().unwrap_or_default();
        if !common::prose_phrases(message).is_empty() {
            assert!(
                !common::copied_prose(message, message).is_empty(),
                "{code}: {message:?}"
            );
            caught += 1;
        }
    }
    assert!(caught >= 50, "only {caught} messages checked");
}

/// The governance documents of scikit-image (SKIP 1) and NetworkX (NXEP 1), their real paths
/// and first lines, in `fixtures/governance/NAME`: AG103 finds them where those projects keep
/// them (`corpus.rs` lays them over the real trees).
#[test]
fn ag103_finds_scikit_image_and_networkx_governance() {
    for name in ["scikit-image", "networkx"] {
        let report = review(&fixture("governance").join(name), &Options::default());
        assert_eq!(outcome(&report, "AG103"), &Outcome::Pass, "{name}");
    }
}
