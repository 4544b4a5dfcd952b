//! Corpus test: agora's results equal sp-repo-review's on real repository trees.
//!
//! Reads `$AGORA_CORPUS/repo-review/NAME` and `NAME.expected.json` (made with
//! `repo-review NAME --format json`, repo-review 1.3.0 + sp-repo-review 2026.8.14). For every
//! code agora implements, the result (pass/fail/skip), description, URL, family and skip reason
//! must match exactly, as must the status and the families; a failure must have a message,
//! in agora's own words (no phrase of sp-repo-review's message in it); codes of the reference
//! that agora does not implement are listed. `AGORA_CORPUS` may be relative to the
//! current directory or to the workspace root. Skipped with a note when it is not set.
//!
//! agora's own family (AG) is not in the reference; it is left out of the comparison and
//! asserted on its own below, against what the trees contain (checked by looking at them).

mod common;

use std::path::PathBuf;

use agora_review::{Options, Outcome, SkipReason, Spec0Data, review};
use agora_schedule::PackageReleases;
use common::{day, release};

fn corpus_dir() -> Option<PathBuf> {
    agora_corpus::folder("repo-review")
}

#[test]
fn corpus_matches_sp_repo_review() {
    let Some(dir) = corpus_dir() else {
        println!("note: AGORA_CORPUS not set (or has no repo-review/); corpus test skipped");
        return;
    };
    let mut trees = 0;
    let mut problems = Vec::new();
    for name in ["networkx", "scikit-image", "scipy"] {
        let tree = dir.join(name);
        let expected = dir.join(format!("{name}.expected.json"));
        if !expected.is_file() || !tree.is_dir() {
            println!("note: {name} missing from {}, skipped", dir.display());
            continue;
        }
        trees += 1;
        let (mut diffs, missing) = common::compare(name, &tree, &expected);
        problems.append(&mut diffs);
        let missing = if missing.is_empty() {
            "none".to_string()
        } else {
            missing.join(" ")
        };
        println!("{name}: not yet implemented: {missing}");
    }
    assert!(
        trees > 0,
        "AGORA_CORPUS is set but no tree was found in {}",
        dir.display()
    );
    assert!(
        problems.is_empty(),
        "{} differences:\n{}",
        problems.len(),
        problems.join("\n")
    );
}

/// `p` pass, `f` fail, `s` skip.
fn letter(outcome: &Outcome) -> char {
    match outcome {
        Outcome::Pass => 'p',
        Outcome::Fail(_) => 'f',
        Outcome::Skip(_) => 's',
    }
}

/// What each tree contains, as seen by looking at it (AG100 … AG108, `p`/`f`/`s`):
///
/// - networkx: `CODE_OF_CONDUCT.rst` at the root; no governance, `SECURITY.md` or
///   `CITATION.cff`; `benchmarks/asv.conf.json`; pure Python (setuptools, no `setup.py`, no
///   C/Cython/Rust sources), so AG107 does not apply; `release.yml` publishes with
///   `pypa/gh-action-pypi-publish` from a job with `id-token: write` and no password.
/// - scikit-image: `CODE_OF_CONDUCT.md`, `SECURITY.md`, `CITATION.cff` and `asv.conf.json` at
///   the root, no governance document; meson-python with wheels from cibuildwheel
///   (`wheels-recipe.yaml`) and a free-threaded override (`select = "cp3??t-*"`) in
///   `[tool.cibuildwheel]`; the `deploy` job of `wheels-test-and-release.yaml` has
///   `id-token: write` and publishes without a password.
/// - scipy: `.github/CODE_OF_CONDUCT.md`; no governance, `SECURITY.md`; `CITATION.bib` but no
///   `CITATION.cff`; `benchmarks/asv.conf.json`; meson-python with `wheels.yml` running
///   cibuildwheel with `CIBW_ENABLE: cpython-freethreading`; no workflow publishes to PyPI.
///
/// No tree configures numpydoc validation (`numpydoc` is only a docs dependency), and AG100
/// is skipped without release data.
const AGORA_EXPECTED: &[(&str, &str)] = &[
    ("networkx", "sfpfffpsp"),
    ("scikit-image", "sfpfppppp"),
    ("scipy", "sfpfffppf"),
];

#[test]
fn corpus_agora_family() {
    let Some(dir) = corpus_dir() else {
        println!("note: AGORA_CORPUS not set (or has no repo-review/); corpus test skipped");
        return;
    };
    let codes = [
        "AG100", "AG101", "AG102", "AG103", "AG104", "AG105", "AG106", "AG107", "AG108",
    ];
    for (name, expected) in AGORA_EXPECTED {
        let tree = dir.join(name);
        if !tree.is_dir() {
            println!("note: {name} missing from {}, skipped", dir.display());
            continue;
        }
        let report = review(&tree, &Options::default());
        let got: String = codes
            .iter()
            .map(|code| report.get(code).map_or('-', |c| letter(&c.outcome)))
            .collect();
        assert_eq!(&got, expected, "{name}: AG100..AG108");
        assert_eq!(
            report.get("AG100").map(|c| &c.outcome),
            Some(&Outcome::Skip(SkipReason::NotApplicable(
                "no release data: run `agora pypi sync`".into()
            )))
        );
        if *name == "scipy" {
            let Some(Outcome::Fail(msg)) = report.get("AG105").map(|c| &c.outcome) else {
                panic!("scipy AG105 should fail");
            };
            assert!(msg.contains("There is a `CITATION.bib`"), "{msg}");
        }
    }
}

#[test]
fn corpus_spec0_on_scikit_image() {
    let Some(dir) = corpus_dir() else {
        println!("note: AGORA_CORPUS not set (or has no repo-review/); corpus test skipped");
        return;
    };
    let tree = dir.join("scikit-image");
    if !tree.is_dir() {
        println!("note: scikit-image missing from {}, skipped", dir.display());
        return;
    }
    // scikit-image declares `numpy>=2.1` (line 28, `project.dependencies`) and, for building,
    // `numpy>=2.0` (line 53, `project.optional-dependencies.build`). Each numpy feature
    // release is supported for 730 days: 2.0.0 (2024-06-16) until 2026-06-16, 2.1.0
    // (2024-08-18) until 2026-08-18, 2.2.0 (2024-12-08) until 2026-12-08.
    // A release may be dropped from the first day of the quarter in which its support ends.
    // - On 2026-05-01 (2026 Q2) 2.0.0 may be dropped, 2.1.0 not yet: the floor is 2.1.0, so
    //   the runtime floor is fine and the build floor may be raised.
    // - On 2026-07-01 (2026 Q3) 2.1.0 may be dropped too: the floor is 2.2.0 and both may be
    //   raised.
    let packages = vec![PackageReleases::package(
        "numpy",
        vec![
            release("2.0.0", "2024-06-16"),
            release("2.1.0", "2024-08-18"),
            release("2.2.0", "2024-12-08"),
        ],
    )];
    let at = |date: &str| Options {
        spec0: Some(Spec0Data {
            packages: packages.clone(),
            at: day(date),
        }),
        ..Options::default()
    };
    let message = |date: &str| {
        let report = review(&tree, &at(date));
        match report.get("AG100").map(|c| &c.outcome) {
            Some(Outcome::Fail(msg)) => msg.clone(),
            other => panic!("AG100 should fail on {date}: {other:?}"),
        }
    };
    let build = "| numpy | >=2.0 | {} | may raise | project.optional-dependencies.build line 53 |";
    let msg = message("2026-05-01");
    assert!(msg.contains(&build.replace("{}", "2.1.0")), "{msg}");
    assert!(!msg.contains("line 28"), "{msg}");
    let msg = message("2026-07-01");
    assert!(
        msg.contains("| numpy | >=2.1 | 2.2.0 | may raise | project.dependencies line 28 |"),
        "{msg}"
    );
    assert!(msg.contains(&build.replace("{}", "2.2.0")), "{msg}");
}

/// Copies the tree at `from` into `to` (files and folders; anything else is left out).
fn copy_tree(from: &std::path::Path, to: &std::path::Path) -> std::io::Result<()> {
    std::fs::create_dir_all(to)?;
    for entry in std::fs::read_dir(from)? {
        let entry = entry?;
        let kind = entry.file_type()?;
        let target = to.join(entry.file_name());
        if kind.is_dir() {
            copy_tree(&entry.path(), &target)?;
        } else if kind.is_file() {
            std::fs::copy(entry.path(), &target)?;
        }
    }
    Ok(())
}

/// The corpus trees of scikit-image and NetworkX leave out their governance documents (SKIP 1
/// and NXEP 1); laid over the trees from `fixtures/governance/NAME` (real paths, real first
/// lines), AG103 passes, the other AG results stay those of `AGORA_EXPECTED`, and the
/// comparison with sp-repo-review's JSON stays exact.
#[test]
fn corpus_governance_documents_pass_ag103() {
    let Some(dir) = corpus_dir() else {
        println!("note: AGORA_CORPUS not set (or has no repo-review/); corpus test skipped");
        return;
    };
    let fixtures =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/governance");
    let codes = [
        "AG100", "AG101", "AG102", "AG103", "AG104", "AG105", "AG106", "AG107", "AG108",
    ];
    for (name, expected) in AGORA_EXPECTED {
        if *name == "scipy" {
            continue;
        }
        let tree = dir.join(name);
        if !tree.is_dir() {
            println!("note: {name} missing from {}, skipped", dir.display());
            continue;
        }
        let work = tempfile::tempdir().expect("temporary directory");
        copy_tree(&tree, work.path()).expect("copy the corpus tree");
        copy_tree(&fixtures.join(name), work.path()).expect("lay the governance files over it");
        let report = review(work.path(), &Options::default());
        let got: String = codes
            .iter()
            .map(|code| report.get(code).map_or('-', |c| letter(&c.outcome)))
            .collect();
        let mut want: Vec<char> = expected.chars().collect();
        want[3] = 'p';
        assert_eq!(
            got,
            want.into_iter().collect::<String>(),
            "{name}: AG100..AG108"
        );
        let (diffs, _) = common::compare(
            name,
            work.path(),
            &dir.join(format!("{name}.expected.json")),
        );
        assert!(diffs.is_empty(), "{name}: {}", diffs.join("\n"));
    }
}
