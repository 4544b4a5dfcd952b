//! Renderers on a small hand-built report: exact output of the matrices; and
//! the text and markdown reports of the failing fixture trees as snapshots (they hold every
//! failure message of the sp-repo-review families, in agora's words, for review).

use std::path::{Path, PathBuf};

use agora_review::{
    CheckReport, FamilyReport, Options, Outcome, Report, SkipReason, render, review,
};

fn family(key: &'static str, name: &'static str, order: i32) -> FamilyReport {
    FamilyReport {
        key,
        name,
        order,
        description: None,
        readme_note: None,
    }
}

fn check(code: &'static str, family: &'static str, outcome: Outcome) -> CheckReport {
    let (description, url) = match code {
        "PY001" => (
            "Has a pyproject.toml",
            "https://learn.scientific-python.org/development/guides/packaging-simple#PY001",
        ),
        "PY002" => (
            "Has a README.(md|rst) file",
            "https://learn.scientific-python.org/development/guides/packaging-simple#PY002",
        ),
        "AG105" => (
            "Has citation metadata (CITATION.cff)",
            "https://citation-file-format.github.io/",
        ),
        _ => ("Something else", ""),
    };
    CheckReport {
        code,
        family,
        description,
        url,
        outcome,
    }
}

/// Two families; a pass, a failure whose message has markdown and raw HTML, a skip.
fn report(name: &str, py002: Outcome, ag105: Outcome) -> Report {
    let mut general = family("general", "General", -3);
    general.description = Some("- Build backend: `hatchling.build`".to_string());
    Report {
        name: name.to_string(),
        root: PathBuf::from(name),
        families: vec![
            general,
            family("ruff", "Ruff", 0),
            family("agora", "agora: scientific-Python ecosystem practices", 10),
        ],
        checks: vec![
            check("PY001", "general", Outcome::Pass),
            check("PY002", "general", py002),
            check("AG105", "agora", ag105),
        ],
    }
}

fn small() -> Report {
    report(
        "demo",
        Outcome::Fail("Add a `README.md` <b>now</b>:\n\n```\n# demo\n\nText.\n```".to_string()),
        Outcome::Skip(SkipReason::Requires(vec!["PY001".into()])),
    )
}

/// The same report and a second one (`other <x>`: no PY001, PY002 passes, AG105 fails).
fn two() -> [Report; 2] {
    let mut other = report("other <x>", Outcome::Pass, Outcome::Fail("m".into()));
    other.checks.remove(0);
    [small(), other]
}

#[test]
fn matrix_text_has_a_row_per_code_and_a_column_per_repository() {
    let expected = "\
code   demo  other <x>  description
PY001  pass  -          Has a pyproject.toml
PY002  FAIL  pass       Has a README.(md|rst) file
AG105  skip  FAIL       Has citation metadata (CITATION.cff)
";
    assert_eq!(render::matrix_text(&two()), expected);
}

#[test]
fn matrix_markdown_escapes_cells() {
    let expected = "\
| check | description | demo | other &lt;x&gt; |
|---|---|:-:|:-:|
| [PY001](https://learn.scientific-python.org/development/guides/packaging-simple#PY001) | Has a pyproject.toml | ✅ | — |
| [PY002](https://learn.scientific-python.org/development/guides/packaging-simple#PY002) | Has a README.(md\\|rst) file | ❌ | ✅ |
| [AG105](https://citation-file-format.github.io/) | Has citation metadata (CITATION.cff) | ⚪ | ❌ |
";
    assert_eq!(render::matrix_markdown(&two()), expected);
}

#[test]
fn matrices_of_nothing() {
    assert_eq!(render::matrix_text(&[]), "code  description\n");
    assert_eq!(
        render::matrix_markdown(&[]),
        "| check | description |\n|---|---|\n"
    );
}

/// The review of a fixture tree, without agora's own family (tested in `tests/agora.rs`).
fn fixture_report(name: &str) -> Report {
    let tree = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name);
    let options = Options {
        ignore: vec!["AG".into()],
        ..Options::default()
    };
    review(&tree, &options)
}

#[test]
fn failing_fixtures_as_text() {
    for name in ["bad", "bad2", "bad3"] {
        let report = fixture_report(name);
        insta::assert_snapshot!(format!("{name}_text"), render::text(&report));
    }
}

#[test]
fn failing_fixture_as_markdown() {
    insta::assert_snapshot!("bad_markdown", render::markdown(&fixture_report("bad")));
}

/// The text report ends with how to ignore its failures; written into the tree's
/// `pyproject.toml`, that configuration leaves nothing failing (AG codes included, in
/// agora's own table), and a report without failures has no such footer.
#[test]
fn text_footer_ignores_exactly_the_failures() {
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    let work = tempfile::tempdir().expect("temporary directory");
    for name in ["pyproject.toml", "setup.cfg", "noxfile.py"] {
        std::fs::copy(fixtures.join("bad").join(name), work.path().join(name)).expect("copy");
    }
    let before = review(work.path(), &Options::default());
    let (_, failed, _) = before.counts();
    assert!(failed > 0);
    let text = render::text(&before);
    let (_, footer) = text
        .split_once("\nTo ignore the failed checks")
        .expect("a footer after failures");
    let config: String = footer
        .lines()
        .filter(|line| line.starts_with('[') || line.starts_with("ignore = "))
        .map(|line| format!("{line}\n"))
        .collect();
    assert!(config.contains("[tool.repo-review]\n"), "{footer}");
    assert!(config.contains("[tool.agora.review]\n"), "{footer}");
    let pyproject = work.path().join("pyproject.toml");
    let mut text = std::fs::read_to_string(&pyproject).expect("read pyproject.toml");
    text.push('\n');
    text.push_str(&config);
    std::fs::write(&pyproject, text).expect("write pyproject.toml");
    let after = review(work.path(), &Options::default());
    let still: Vec<&str> = after
        .checks
        .iter()
        .filter(|c| matches!(c.outcome, Outcome::Fail(_)))
        .map(|c| c.code)
        .collect();
    assert!(still.is_empty(), "still failing: {still:?}");
    assert!(!render::text(&after).contains("To ignore"));
}
