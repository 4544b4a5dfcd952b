//! agora's own family (AG): pass, fail and skip of every check on small trees written to
//! temporary directories. AG100 gets hand-built release data; the arithmetic of SPEC 0's
//! support windows is spelled out where it decides the result.

use agora_review::{Options, Outcome, Report, SkipReason, Spec0Data, review};
use agora_schedule::PackageReleases;
use common::{day, release, tree};

mod common;

fn run(files: &[(&str, &str)], options: &Options) -> Report {
    let dir = tree(files);
    review(dir.path(), options)
}

fn outcome(report: &Report, code: &str) -> Outcome {
    match report.get(code) {
        Some(c) => c.outcome.clone(),
        None => panic!("{code} not reported"),
    }
}

/// The outcome of `code` on a tree of `files`, without release data.
fn check(code: &str, files: &[(&str, &str)]) -> Outcome {
    outcome(&run(files, &Options::default()), code)
}

#[track_caller]
fn assert_pass(code: &str, files: &[(&str, &str)]) {
    assert_eq!(check(code, files), Outcome::Pass, "{code} on {files:?}");
}

/// Asserts that `code` fails and returns its message.
#[track_caller]
fn assert_fail(code: &str, files: &[(&str, &str)]) -> String {
    match check(code, files) {
        Outcome::Fail(msg) => msg,
        other => panic!("{code}: expected a failure on {files:?}, got {other:?}"),
    }
}

/// Asserts that `code` does not apply and returns why.
#[track_caller]
fn assert_not_applicable(code: &str, files: &[(&str, &str)]) -> String {
    match check(code, files) {
        Outcome::Skip(SkipReason::NotApplicable(why)) => why,
        other => panic!("{code}: expected a skip on {files:?}, got {other:?}"),
    }
}

// ---------------------------------------------------------------------------------------------
// AG100

/// Python and numpy releases, reviewed on 2026-11-24 (2026 Q4).
///
/// SPEC 0 publishes its drops by quarter: a release may be dropped from the first day of
/// the quarter that holds the end of its support, and the floor is the release after the
/// newest one that may be dropped (the schedule's "new minimum").
///
/// numpy (supported 365 × 2 = 730 days after release):
/// - 2.1.0, 2024-08-18: + 730 days = 2026-08-18, 2026 Q3: may be dropped.
/// - 2.2.0, 2024-12-08: + 730 days = 2026-12-08, 2026 Q4: may be dropped from 2026-10-01.
/// - 2.3.0, 2025-06-07: until 2027-06-07, 2027 Q2.
/// - 2.4.0, 2025-12-20: until 2027-12-20.
///
/// So on 2026-11-24 SPEC 0's numpy floor is 2.3.0, the schedule's minimum from 2026-10-01:
/// `numpy>=2.1` may raise, `numpy>=2.3` is fine, `numpy>=2.4` drops 2.3.0 too early (below
/// policy).
///
/// Python (supported 365 × 3 = 1095 days):
/// - 3.12.0, 2023-10-02: + 1095 days = 2026-10-01 (2024 has a 29 February), 2026 Q4.
/// - 3.13.0, 2024-10-07: + 1095 days = 2027-10-07.
///
/// So the Python floor is 3.13: `requires-python = ">=3.12"` may raise.
fn spec0() -> Options {
    Options {
        spec0: Some(Spec0Data {
            packages: vec![
                PackageReleases::python(vec![
                    release("3.12", "2023-10-02"),
                    release("3.13", "2024-10-07"),
                ]),
                PackageReleases::package(
                    "numpy",
                    vec![
                        release("2.1.0", "2024-08-18"),
                        release("2.2.0", "2024-12-08"),
                        release("2.3.0", "2025-06-07"),
                        release("2.4.0", "2025-12-20"),
                    ],
                ),
            ],
            at: day("2026-11-24"),
        }),
        ..Options::default()
    }
}

fn pyproject(requires_python: &str, deps: &str) -> String {
    format!(
        "[project]\nname = \"demo\"\nrequires-python = \"{requires_python}\"\ndependencies = [\n    {deps},\n]\n"
    )
}

#[test]
fn ag100_skips_without_release_data_or_pyproject() {
    let py = pyproject(">=3.13", "\"numpy>=2.3\"");
    assert_eq!(
        assert_not_applicable("AG100", &[("pyproject.toml", &py)]),
        "no release data: run `agora pypi sync`"
    );
    let report = run(&[("README.md", "# demo\n")], &spec0());
    assert_eq!(
        outcome(&report, "AG100"),
        Outcome::Skip(SkipReason::NotApplicable("no `pyproject.toml`".into()))
    );
}

#[test]
fn ag100_passes_on_spec0_floors() {
    // The floors of the schedule's 2026 Q4 entry pass on any day of that quarter, even
    // before 2.2.0's support ends on 2026-12-08.
    let py = pyproject(">=3.13", "\"numpy>=2.3\"");
    let report = run(&[("pyproject.toml", &py)], &spec0());
    assert_eq!(outcome(&report, "AG100"), Outcome::Pass);
    // A package SPEC 0 does not track, and one without a lower bound, are fine.
    let py = pyproject(">=3.13", "\"numpy\", \"requests>=2\"");
    let report = run(&[("pyproject.toml", &py)], &spec0());
    assert_eq!(outcome(&report, "AG100"), Outcome::Pass);
}

#[test]
fn ag100_fails_on_floors_that_may_be_raised() {
    let py = pyproject(">=3.12", "\"numpy>=2.1\"");
    let report = run(&[("pyproject.toml", &py)], &spec0());
    let Outcome::Fail(msg) = outcome(&report, "AG100") else {
        panic!("AG100 should fail");
    };
    let expected = "\
Dependency floors in `pyproject.toml` are not those of [SPEC 0](https://scientific-python.org/specs/spec-0000/) on 2026-11-24:

| package | declared | SPEC 0 floor | status | where |
|---|---|---|---|---|
| python | >=3.12 | 3.13 | may raise | project.requires-python line 3 |
| numpy | >=2.1 | 2.3.0 | may raise | project.dependencies line 5 |

- requires-python = \">=3.12\" still supports Python 3.12, which SPEC 0 lets projects drop from 2026-10-01; the floor may be raised to requires-python = \">=3.13\"
- numpy>=2.1 still supports numpy 2.1.0 and 2.2.0, which SPEC 0 lets projects drop from 2026-10-01; the floor may be raised to numpy>=2.3.0

Raise the floors marked \"may raise\" (dropping releases SPEC 0 no longer asks to support) and lower those \"below policy\"; `agora schedule check` shows the details.";
    assert_eq!(msg, expected);
}

#[test]
fn ag100_fails_on_floors_below_policy() {
    // numpy 2.3.0 may be dropped only from 2027-04-01: requiring 2.4 drops it too early.
    let py = pyproject(">=3.13", "\"numpy>=2.4\"");
    let report = run(&[("pyproject.toml", &py)], &spec0());
    let Outcome::Fail(msg) = outcome(&report, "AG100") else {
        panic!("AG100 should fail");
    };
    assert!(
        msg.contains("| numpy | >=2.4 | 2.3.0 | below policy | project.dependencies line 5 |"),
        "{msg}"
    );
    assert!(
        msg.contains(
            "which SPEC 0 lets projects drop only from 2027-04-01; lower the floor to numpy>=2.3.0"
        ),
        "{msg}"
    );
    assert!(!msg.contains("| python |"), "Python is fine: {msg}");
}

#[test]
fn ag100_reports_unreadable_values_and_invalid_toml() {
    let py = pyproject(">=3.13", "\"numpy>=2.3\", \"not a [requirement\"");
    let report = run(&[("pyproject.toml", &py)], &spec0());
    let Outcome::Fail(msg) = outcome(&report, "AG100") else {
        panic!("AG100 should fail");
    };
    assert!(
        msg.contains("Some values of `pyproject.toml` could not be read:"),
        "{msg}"
    );
    assert!(
        msg.contains("- pyproject.toml:5: invalid requirement"),
        "{msg}"
    );
    assert!(!msg.contains("| package |"), "no floor is off: {msg}");

    let report = run(&[("pyproject.toml", "[project\n")], &spec0());
    let Outcome::Fail(msg) = outcome(&report, "AG100") else {
        panic!("AG100 should fail");
    };
    assert!(
        msg.starts_with("`pyproject.toml` line 1: invalid TOML"),
        "{msg}"
    );
}

// ---------------------------------------------------------------------------------------------
// AG101

const NUMPYDOC_HOOK: &str = "repos:
  - repo: https://github.com/numpy/numpydoc
    rev: v1.10.0
    hooks:
      - id: numpydoc-validation
";

#[test]
fn ag101_numpydoc_validation() {
    assert_pass(
        "AG101",
        &[(
            "pyproject.toml",
            "[tool.numpydoc_validation]\nchecks = [\"all\"]\n",
        )],
    );
    assert_pass("AG101", &[(".pre-commit-config.yaml", NUMPYDOC_HOOK)]);
    assert_pass(
        "AG101",
        &[("setup.cfg", "[tool:numpydoc_validation]\nchecks = all\n")],
    );
    let msg = assert_fail(
        "AG101",
        &[(
            "pyproject.toml",
            "[project]\nname = \"x\"\noptional-dependencies.docs = [\"numpydoc\"]\n",
        )],
    );
    assert!(msg.contains("[tool.numpydoc_validation]"), "{msg}");
    assert!(msg.contains("id: numpydoc-validation"), "{msg}");
    // The suggested hook is the numpydoc release `agora docs lint` matches, not an older one.
    let rev = format!("rev: v{}\n", agora_numpydoc::NUMPYDOC_VERSION);
    assert!(msg.contains(&rev), "{msg}");
    // numpydoc's repository with another hook is not the validation hook.
    assert_fail(
        "AG101",
        &[(
            ".pre-commit-config.yaml",
            "repos:\n  - repo: https://github.com/numpy/numpydoc\n    hooks:\n      - id: other\n",
        )],
    );
    // A broken pre-commit config without the pyproject table fails naming the file.
    let msg = assert_fail("AG101", &[(".pre-commit-config.yaml", "repos: [\n")]);
    assert!(msg.starts_with("`.pre-commit-config.yaml` line"), "{msg}");
}

// ---------------------------------------------------------------------------------------------
// AG102–AG106

#[test]
fn ag102_code_of_conduct() {
    assert_pass("AG102", &[("CODE_OF_CONDUCT.md", "Be kind.\n")]);
    assert_pass("AG102", &[(".github/CODE_OF_CONDUCT.rst", "Be kind.\n")]);
    assert_pass("AG102", &[("docs/code_of_conduct.md", "Be kind.\n")]);
    let msg = assert_fail("AG102", &[("CONTRIBUTING.md", "Send PRs.\n")]);
    assert!(msg.contains("`CODE_OF_CONDUCT.md`"), "{msg}");
}

#[test]
fn ag103_governance() {
    assert_pass("AG103", &[("GOVERNANCE.md", "Decisions.\n")]);
    assert_pass("AG103", &[(".github/GOVERNANCE.rst", "Decisions.\n")]);
    assert_pass(
        "AG103",
        &[("docs/about/team/governance.rst", "Decisions.\n")],
    );
    assert_pass("AG103", &[("doc/source/governance/people.md", "x\n")]);
    let msg = assert_fail("AG103", &[("docs/index.md", "# Docs\n")]);
    assert!(msg.contains("`GOVERNANCE.md`"), "{msg}");
}

#[test]
fn ag103_governance_pages_found_by_name_or_title() {
    // scikit-image keeps it as SKIP 1, the file name says governance but does not start with it.
    assert_pass(
        "AG103",
        &[("doc/source/skips/1-governance.rst", "Decisions.\n")],
    );
    // NetworkX's NXEP 1: only its reStructuredText title (with overline) says governance.
    let nxep = ".. _governance:\n\n====\nNXEP 1 — Governance and Decision Making\n====\n\nText.\n";
    assert_pass("AG103", &[("doc/developer/nxeps/nxep-0001.rst", nxep)]);
    // A Markdown heading, and a MyST front-matter title, anywhere in the tree.
    assert_pass(
        "AG103",
        &[("community/decisions.md", "# Project governance\n\nText.\n")],
    );
    assert_pass(
        "AG103",
        &[(
            "docs/about/how.md",
            "---\ntitle: \"Governance\"\n---\n\nText.\n",
        )],
    );
    // A proposal about something else, a governance word below the title, a hidden folder,
    // build output and non-documentation files do not count.
    let nxep0 = "====\nNXEP 0 — Purpose and Process\n====\n\nSee our governance.\n";
    let msg = assert_fail(
        "AG103",
        &[
            ("doc/developer/nxeps/nxep-0000.rst", nxep0),
            ("docs/index.md", "# Docs\n\n## Governance\n"),
            (".tox/governance.md", "# Governance\n"),
            ("docs/_build/governance.md", "# Governance\n"),
            ("src/pkg/governance.py", "\"\"\"Governance.\"\"\"\n"),
        ],
    );
    assert!(msg.contains("title"), "{msg}");
}

#[test]
fn ag104_security_policy() {
    assert_pass("AG104", &[("SECURITY.md", "Mail us.\n")]);
    assert_pass("AG104", &[(".github/SECURITY.md", "Mail us.\n")]);
    let msg = assert_fail("AG104", &[("README.md", "# x\n")]);
    assert!(msg.contains("`SECURITY.md`"), "{msg}");
}

#[test]
fn ag105_citation() {
    assert_pass("AG105", &[("CITATION.cff", "cff-version: 1.2.0\n")]);
    let msg = assert_fail("AG105", &[("README.md", "# x\n")]);
    assert!(msg.contains("`CITATION.cff`"), "{msg}");
    assert!(!msg.contains("There is a"), "{msg}");
    let msg = assert_fail("AG105", &[("CITATION.bib", "@article{x}\n")]);
    assert!(msg.contains("There is a `CITATION.bib`"), "{msg}");
    // Only at the root.
    assert_fail("AG105", &[("docs/CITATION.cff", "cff-version: 1.2.0\n")]);
}

#[test]
fn ag106_asv() {
    assert_pass("AG106", &[("asv.conf.json", "{}\n")]);
    assert_pass("AG106", &[("asv.conf.jsonc", "{}\n")]);
    assert_pass("AG106", &[("benchmarks/asv.conf.json", "{}\n")]);
    let msg = assert_fail("AG106", &[("benchmarks/bench_x.py", "\n")]);
    assert!(msg.contains("asv.conf.json"), "{msg}");
}

// ---------------------------------------------------------------------------------------------
// AG107

const MESON: (&str, &str) = (
    "pyproject.toml",
    "[build-system]\nrequires = [\"meson-python\"]\nbuild-backend = \"mesonpy\"\n[project]\nname = \"x\"\n",
);

/// A workflow building wheels with the cibuildwheel action at `reference`, with `env` (YAML
/// lines, indented for the step's `env:`) on the step.
fn cibw_workflow(reference: &str, env: &str) -> String {
    format!(
        "name: wheels
on: push
jobs:
  build:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v5
      - uses: pypa/cibuildwheel@{reference}
        env:
          CIBW_ARCHS: auto
{env}"
    )
}

/// cibuildwheel 2.x, skipping the 3.13 free-threaded builds.
fn cibw2_skipping() -> String {
    cibw_workflow("v2.23.3", "          CIBW_SKIP: \"cp313t-*\"\n")
}

#[test]
fn ag107_skips_pure_python() {
    let why = assert_not_applicable(
        "AG107",
        &[
            (
                "pyproject.toml",
                "[build-system]\nrequires = [\"hatchling\"]\nbuild-backend = \"hatchling.build\"\n",
            ),
            ("src/x/__init__.py", ""),
        ],
    );
    assert!(why.contains("no compiled code"), "{why}");
    assert_not_applicable("AG107", &[]);
}

#[test]
fn ag107_fails_without_cibuildwheel() {
    let msg = assert_fail("AG107", &[MESON]);
    assert!(
        msg.starts_with(
            "The project has compiled code (its build backend is `mesonpy`) but no workflow runs `cibuildwheel`."
        ),
        "{msg}"
    );
    // Compiled code found from sources or setup.py, with a setuptools backend.
    let msg = assert_fail("AG107", &[("src/x/_speedups.pyx", "")]);
    assert!(msg.contains("(it has `src/x/_speedups.pyx`)"), "{msg}");
    let msg = assert_fail(
        "AG107",
        &[(
            "setup.py",
            "from setuptools import Extension, setup\nsetup(ext_modules=[Extension('x', ['x.c'])])\n",
        )],
    );
    assert!(msg.contains("`setup.py` builds extension modules"), "{msg}");
    let msg = assert_fail(
        "AG107",
        &[(
            "pyproject.toml",
            "[build-system]\nrequires = [\"setuptools\", \"pybind11>=2.12\"]\nbuild-backend = \"setuptools.build_meta\"\n",
        )],
    );
    assert!(msg.contains("its build requires `pybind11`"), "{msg}");
}

/// The AG107 failure on a compiled project (meson-python, plus `pyproject` lines) with the
/// workflow `wheels.yml`.
#[track_caller]
fn ag107_gap(pyproject_extra: &str, workflow: &str) -> String {
    let pyproject = format!("{}{pyproject_extra}", MESON.1);
    let msg = assert_fail(
        "AG107",
        &[
            ("pyproject.toml", &pyproject),
            (".github/workflows/wheels.yml", workflow),
        ],
    );
    assert!(
        msg.starts_with(
            "Wheels are built with cibuildwheel, but no free-threaded CPython build:\n\n* `wheels.yml`, job `build`, "
        ),
        "{msg}"
    );
    msg
}

#[test]
fn ag107_fails_without_free_threaded_wheels() {
    // cibuildwheel 2: free-threaded builds only on request; CIBW_SKIP mentions cp313t, but it
    // skips those builds rather than asking for them.
    let msg = ag107_gap("", &cibw2_skipping());
    assert!(
        msg.contains("uses cibuildwheel 2.23, which builds free-threaded CPython only when asked"),
        "{msg}"
    );
    assert!(msg.contains("cpython-freethreading"), "{msg}");
    // cibuildwheel 3.0 did not build 3.14 (nor 3.14t) by default yet.
    let msg = ag107_gap("", &cibw_workflow("v3.0.1", ""));
    assert!(msg.contains("uses cibuildwheel 3.0,"), "{msg}");
    // A commit SHA: the version comes from the comment after it.
    let sha = "0123456789abcdef0123456789abcdef01234567 # v2.22.0";
    let msg = ag107_gap("", &cibw_workflow(sha, ""));
    assert!(msg.contains("uses cibuildwheel 2.22,"), "{msg}");
    // Run from the shell without a version: its defaults are unknown.
    let unpinned = "on: push
jobs:
  build:
    runs-on: ubuntu-latest
    steps:
      - run: pipx run cibuildwheel --output-dir wheelhouse
";
    let msg = ag107_gap("", unpinned);
    assert!(msg.contains("does not pin a cibuildwheel version"), "{msg}");
}

#[test]
fn ag107_fails_when_selectors_leave_out_the_default_cp314t() {
    // cibuildwheel 3.3 builds cp314t by default, unless the selectors leave it out: a skip
    // in the step's environment,
    let skip = cibw_workflow("v3.3.1", "          CIBW_SKIP: \"pp* cp31?t-*\"\n");
    let msg = ag107_gap("", &skip);
    assert!(
        msg.contains("uses cibuildwheel 3.3, which builds `cp314t` by default, but `CIBW_SKIP` of the step in `wheels.yml` (`pp* cp31?t-*`) skips it."),
        "{msg}"
    );
    // a build list in pyproject.toml (a TOML list),
    let msg = ag107_gap(
        "[tool.cibuildwheel]\nbuild = [\"cp312-*\", \"cp313-*\"]\n",
        &cibw_workflow("v3.3.1", ""),
    );
    assert!(
        msg.contains(
            "but `build` in `[tool.cibuildwheel]` (`cp312-* cp313-*`) does not select it."
        ),
        "{msg}"
    );
    // a workflow-level CIBW_BUILD overriding pyproject's (brace alternatives expanded),
    let workflow = cibw_workflow("v3.3.1", "").replace(
        "on: push\n",
        "on: push\nenv:\n  CIBW_BUILD: \"cp31{2,3,4}-*\"\n",
    );
    let msg = ag107_gap("[tool.cibuildwheel]\nbuild = \"*\"\n", &workflow);
    assert!(
        msg.contains(
            "`CIBW_BUILD` of the workflow in `wheels.yml` (`cp31{2,3,4}-*`) does not select it"
        ),
        "{msg}"
    );
    // requires-python excluding 3.14,
    let capped = MESON.1.replace(
        "name = \"x\"\n",
        "name = \"x\"\nrequires-python = \">=3.11,<3.14\"\n",
    );
    let failed = assert_fail(
        "AG107",
        &[
            ("pyproject.toml", &capped),
            (".github/workflows/wheels.yml", &cibw_workflow("v3.3.1", "")),
        ],
    );
    assert!(
        failed.contains("but `project.requires-python` (`>=3.11, <3.14`) excludes Python 3.14"),
        "{failed}"
    );
    // and a build selector agora cannot evaluate.
    let matrix = cibw_workflow("v3.3.1", "          CIBW_BUILD: cp${{ matrix.python }}-*\n")
        .replace(
            "    runs-on:",
            "    strategy:\n      matrix:\n        python: [\"312\", \"313\"]\n    runs-on:",
        );
    let msg = ag107_gap("", &matrix);
    assert!(msg.contains("depends on `${{ … }}`"), "{msg}");
}

#[test]
fn ag107_passes_with_cibuildwheel_3_defaults() {
    let pass = |workflow: &str, pyproject_extra: &str| {
        let pyproject = format!("{}{pyproject_extra}", MESON.1);
        assert_pass(
            "AG107",
            &[
                ("pyproject.toml", &pyproject),
                (".github/workflows/wheels.yml", workflow),
            ],
        );
    };
    // 3.1+ builds cp314t unasked; skipping cp313t does not touch it.
    pass(
        &cibw_workflow("v3.3.1", "          CIBW_SKIP: \"cp313t-*\"\n"),
        "",
    );
    pass(&cibw_workflow("v3.1", ""), "");
    // `@v3` follows the newest 3.x.
    pass(&cibw_workflow("v3", ""), "");
    // A SHA with its version comment.
    pass(
        &cibw_workflow("0123456789abcdef0123456789abcdef01234567 # v3.2.1", ""),
        "",
    );
    // Selectors that keep cp314t: `cp3*` matches it, the skip does not.
    pass(
        &cibw_workflow("v3.3.1", ""),
        "[tool.cibuildwheel]\nbuild = \"cp3*\"\nskip = [\"pp*\", \"*musllinux*\"]\n",
    );
    // A version pinned in the job's `run:`.
    let shell = "on: push
jobs:
  build:
    runs-on: ubuntu-latest
    steps:
      - run: python -m pip install cibuildwheel==3.1.4
      - run: python -m cibuildwheel --output-dir wheelhouse
";
    let shell = shell.replace("python -m cibuildwheel", "cibuildwheel");
    pass(&shell, "");
}

#[test]
fn ag107_passes_with_free_threaded_wheels() {
    // In [tool.cibuildwheel], with cibuildwheel 2.
    let pyproject = format!(
        "{}[tool.cibuildwheel]\nenable = [\"cpython-freethreading\"]\n",
        MESON.1
    );
    assert_pass(
        "AG107",
        &[
            ("pyproject.toml", &pyproject),
            (".github/workflows/wheels.yml", &cibw2_skipping()),
        ],
    );
    // A free-threaded build selector in the workflow.
    let workflow = cibw2_skipping().replace("CIBW_SKIP: \"cp313t-*\"", "CIBW_BUILD: \"cp314t-*\"");
    assert_pass(
        "AG107",
        &[MESON, (".github/workflows/wheels.yml", &workflow)],
    );
    // A matrix of Python versions including 3.14t, with cibuildwheel run from the shell.
    let workflow = "on: push
jobs:
  build:
    strategy:
      matrix:
        python: [\"313\", \"314\", \"314t\"]
    runs-on: ubuntu-latest
    steps:
      - run: pipx run cibuildwheel --output-dir wheelhouse
        env:
          CIBW_BUILD: cp${{ matrix.python }}-*
";
    assert_pass(
        "AG107",
        &[
            ("src/x/_core.c", "int x;\n"),
            (".github/workflows/wheels.yaml", workflow),
        ],
    );
}

// ---------------------------------------------------------------------------------------------
// AG108

const PUBLISH_JOB: &str = "name: release
on:
  release:
    types: [published]
jobs:
  publish:
    runs-on: ubuntu-latest
    environment: pypi
    permissions:
      id-token: write
    steps:
      - uses: actions/download-artifact@v5
      - uses: pypa/gh-action-pypi-publish@release/v1
";

#[test]
fn ag108_trusted_publishing() {
    assert_pass("AG108", &[(".github/workflows/release.yml", PUBLISH_JOB)]);
    // Workflow-level permissions, when the job sets none.
    let top = "on: push
permissions:
  id-token: write
jobs:
  publish:
    runs-on: ubuntu-latest
    steps:
      - uses: pypa/gh-action-pypi-publish@v1.13.0
";
    assert_pass("AG108", &[(".github/workflows/cd.yml", top)]);
    // A reusable workflow whose caller grants id-token.
    let callee = "on: workflow_call
jobs:
  upload:
    runs-on: ubuntu-latest
    steps:
      - uses: pypa/gh-action-pypi-publish@release/v1
";
    let caller = "on: push
jobs:
  release:
    permissions:
      id-token: write
    uses: ./.github/workflows/upload.yml
";
    assert_pass(
        "AG108",
        &[
            (".github/workflows/upload.yml", callee),
            (".github/workflows/release.yml", caller),
        ],
    );
}

#[test]
fn ag108_fails_on_tokens_missing_permission_or_no_publishing() {
    let token = PUBLISH_JOB.replace(
        "pypa/gh-action-pypi-publish@release/v1\n",
        "pypa/gh-action-pypi-publish@release/v1\n        with:\n          password: ${{ secrets.PYPI_TOKEN }}\n",
    );
    let msg = assert_fail("AG108", &[(".github/workflows/release.yml", &token)]);
    assert_eq!(
        msg,
        "* `release.yml`, job `publish`, passes `password:` (an API token) to `pypa/gh-action-pypi-publish`: remove it and the secret, and register the workflow as a trusted publisher on PyPI."
    );

    // Job permissions replace the workflow's: contents only, no id-token.
    let no_id = "on: push
permissions:
  id-token: write
jobs:
  publish:
    permissions:
      contents: read
    runs-on: ubuntu-latest
    steps:
      - uses: pypa/gh-action-pypi-publish@release/v1
";
    let msg = assert_fail("AG108", &[(".github/workflows/release.yml", no_id)]);
    assert_eq!(
        msg,
        "* `release.yml`, job `publish`, lacks the `id-token: write` permission that Trusted Publishing needs: add `permissions: {id-token: write}` to the job."
    );

    let msg = assert_fail("AG108", &[]);
    assert!(
        msg.starts_with("No workflow publishes to PyPI (with `pypa/gh-action-pypi-publish`, `twine upload` or `uv publish`)."),
        "{msg}"
    );
    assert!(msg.contains("id-token: write"), "{msg}");

    // A workflow that is not a mapping fails naming it.
    let msg = assert_fail("AG108", &[(".github/workflows/ci.yml", "- a\n- b\n")]);
    assert!(
        msg.starts_with("`.github/workflows/ci.yml` line 1:"),
        "{msg}"
    );
}

/// A release job that builds and uploads with `run` (YAML lines for the step), with
/// `id-token: write` and the step's `env` lines.
fn upload_job(run: &str, env: &str) -> String {
    format!(
        "on:
  release:
    types: [published]
jobs:
  publish:
    runs-on: ubuntu-latest
    permissions:
      id-token: write
    steps:
      - run: python -m pip install build twine
      - run: python -m build
      - run: {run}
{env}"
    )
}

#[test]
fn ag108_twine_and_uv_use_trusted_publishing_without_a_credential() {
    // twine 6.1+ and uv exchange the job's OIDC token themselves when given no credential.
    let release = ".github/workflows/release.yml";
    assert_pass(
        "AG108",
        &[(release, &upload_job("python -m twine upload dist/*", ""))],
    );
    assert_pass("AG108", &[(release, &upload_job("uv publish", ""))]);
    assert_pass(
        "AG108",
        &[(
            release,
            &upload_job(
                "twine upload --repository-url https://upload.pypi.org/legacy/ dist/*",
                "",
            ),
        )],
    );
    // A token minted by hand from the OIDC token (PyPI's documented manual exchange).
    let manual = upload_job(
        "twine upload dist/*",
        "        env:\n          TWINE_PASSWORD: ${{ steps.mint.outputs.token }}\n",
    )
    .replace(
        "      - run: python -m build\n",
        "      - run: python -m build\n      - id: mint\n        run: |\n          oidc=$(curl -sH \"Authorization: bearer $ACTIONS_ID_TOKEN_REQUEST_TOKEN\" \"$ACTIONS_ID_TOKEN_REQUEST_URL&audience=pypi\" | jq -r .value)\n          curl -s -X POST https://pypi.org/_/oidc/mint-token -d \"{\\\"token\\\":\\\"$oidc\\\"}\" | jq -r '\"token=\" + .token' >> \"$GITHUB_OUTPUT\"\n",
    );
    assert_pass("AG108", &[(release, &manual)]);
}

#[test]
fn ag108_twine_and_uv_fail_with_tokens_old_pins_or_no_permission() {
    let release = ".github/workflows/release.yml";
    // An API token from the secrets, in the environment or on the command line.
    let msg = assert_fail(
        "AG108",
        &[(
            release,
            &upload_job(
                "twine upload dist/*",
                "        env:\n          TWINE_USERNAME: __token__\n          TWINE_PASSWORD: ${{ secrets.PYPI_API_TOKEN }}\n",
            ),
        )],
    );
    assert_eq!(
        msg,
        "* `release.yml`, job `publish`, passes a credential to `twine upload` (`TWINE_PASSWORD`): remove it and the secret, and register the workflow as a trusted publisher on PyPI; with no credential, `twine upload` uses Trusted Publishing."
    );
    let msg = assert_fail(
        "AG108",
        &[(
            release,
            &upload_job("uv publish --token ${{ secrets.PYPI }}", ""),
        )],
    );
    assert!(
        msg.contains("passes a credential to `uv publish` (`--token`)"),
        "{msg}"
    );
    let msg = assert_fail(
        "AG108",
        &[(
            release,
            &upload_job("uv publish --trusted-publishing never", ""),
        )],
    );
    assert!(msg.contains("turns Trusted Publishing off"), "{msg}");
    // twine before 6.1 cannot do it.
    let old = upload_job("twine upload dist/*", "")
        .replace("pip install build twine", "pip install build twine==5.1.1");
    let msg = assert_fail("AG108", &[(release, &old)]);
    assert!(
        msg.contains(
            "pins twine==5.1.1, older than 6.1, the first release that can use Trusted Publishing"
        ),
        "{msg}"
    );
    // Without id-token.
    let no_id = upload_job("twine upload dist/*", "")
        .replace("      id-token: write\n", "      contents: read\n");
    let msg = assert_fail("AG108", &[(release, &no_id)]);
    assert!(
        msg.contains("lacks the `id-token: write` permission"),
        "{msg}"
    );
    // An upload to another index is not a PyPI release.
    let msg = assert_fail(
        "AG108",
        &[(
            release,
            &upload_job(
                "twine upload --repository-url https://pkgs.example.org/simple dist/*",
                "",
            ),
        )],
    );
    assert!(msg.starts_with("No workflow publishes to PyPI"), "{msg}");
}

// ---------------------------------------------------------------------------------------------
// The family as a whole

#[test]
fn agora_family_is_always_reported_and_selectable() {
    let report = run(&[], &Options::default());
    let codes: Vec<&str> = report
        .checks
        .iter()
        .filter(|c| c.family == "agora")
        .map(|c| c.code)
        .collect();
    assert_eq!(
        codes,
        [
            "AG100", "AG101", "AG102", "AG103", "AG104", "AG105", "AG106", "AG107", "AG108"
        ]
    );
    for c in report.checks.iter().filter(|c| c.family == "agora") {
        assert!(c.url.starts_with("https://"), "{}", c.code);
        assert!(!c.description.is_empty(), "{}", c.code);
    }
    // Last in display order.
    assert_eq!(report.checks.last().map(|c| c.code), Some("AG108"));
    // `[tool.agora.review]` and `--ignore AG` work by prefix like the other families.
    let report = run(
        &[("pyproject.toml", "[tool.agora.review]\nignore = [\"AG\"]\n")],
        &Options::default(),
    );
    assert!(report.checks.iter().all(|c| c.family != "agora"));
    let report = run(
        &[],
        &Options {
            select: vec!["AG10".into(), "AG105".into()],
            ..Options::default()
        },
    );
    let codes: Vec<&str> = report.checks.iter().map(|c| c.code).collect();
    assert_eq!(codes, ["AG105"], "AG10 is not a prefix selector");
}
