//! AG: agora's own family, the scientific-Python ecosystem's practices that sp-repo-review
//! does not check.
//!
//! - AG100: `requires-python` and the core packages' floors within SPEC 0, with the release
//!   data the caller passes in [`Options::spec0`] (the review never fetches; without data the
//!   check is skipped).
//! - AG101: numpydoc validation configured (`[tool.numpydoc_validation]` or the hook).
//! - AG102–AG105: community files: code of conduct, governance, security policy, `CITATION.cff`.
//! - AG106: asv benchmarks configured.
//! - AG107: wheels built with cibuildwheel, including free-threaded CPython, when the project
//!   has compiled code (skipped for pure-Python projects).
//! - AG108: releases published to PyPI with Trusted Publishing.
//!
//! Every failure message ends with what to do about it.

use std::fmt::Write as _;
use std::path::Path;

use agora_schedule::check::Status as FloorStatus;

use crate::check::{Check, CheckResult, Outcome};
use crate::checks::github::{jobs, steps, uses};
use crate::error::InputError;
use crate::repo::{Repo, Workflow};
use crate::select::Options;
use crate::value::{self, Value};

/// Builds an AG [`Check`] (no requirements; `url` is the full URL).
macro_rules! ag {
    ($code:literal, $url:literal, $desc:literal, $run:expr) => {
        Check {
            code: $code,
            family: "agora",
            description: $desc,
            url: $url,
            requires: &[],
            run: $run,
        }
    };
}

/// The AG checks.
pub const CHECKS: &[Check] = &[
    ag!(
        "AG100",
        "https://scientific-python.org/specs/spec-0000/",
        "requires-python and core-package dependency floors within SPEC 0",
        ag100
    ),
    ag!(
        "AG101",
        "https://numpydoc.readthedocs.io/en/latest/validation.html",
        "numpydoc docstring validation configured",
        ag101
    ),
    ag!(
        "AG102",
        "https://docs.github.com/en/communities/setting-up-your-project-for-healthy-contributions/adding-a-code-of-conduct-to-your-project",
        "Has a code of conduct",
        ag102
    ),
    ag!(
        "AG103",
        "https://opensource.guide/leadership-and-governance/",
        "Has a governance document",
        ag103
    ),
    ag!(
        "AG104",
        "https://docs.github.com/en/code-security/getting-started/adding-a-security-policy-to-your-repository",
        "Has a security policy",
        ag104
    ),
    ag!(
        "AG105",
        "https://citation-file-format.github.io/",
        "Has citation metadata (CITATION.cff)",
        ag105
    ),
    ag!(
        "AG106",
        "https://asv.readthedocs.io/",
        "asv benchmarks configured",
        ag106
    ),
    ag!(
        "AG107",
        "https://learn.scientific-python.org/development/guides/gha-wheels/",
        "Compiled code: wheels built with cibuildwheel, including free-threaded CPython",
        ag107
    ),
    ag!(
        "AG108",
        "https://docs.pypi.org/trusted-publishers/",
        "Releases published to PyPI with Trusted Publishing",
        ag108
    ),
];

/// A pass when `ok`, else a failure with `message` (trimmed of the blank lines around it).
fn pass_or(ok: bool, message: &str) -> Outcome {
    Outcome::from_bool(ok, message.trim())
}

/// `dir/name`, or `name` at the root.
fn join(dir: &str, name: &str) -> String {
    if dir.is_empty() {
        name.to_string()
    } else {
        format!("{dir}/{name}")
    }
}

/// The first file in one of `dirs` (in order) whose name is one of `names`, ignoring ASCII
/// case, as a path relative to the root.
fn find_file(repo: &Repo, dirs: &[&str], names: &[&str]) -> Option<String> {
    dirs.iter().find_map(|dir| {
        repo.entries(dir)
            .into_iter()
            .find(|(name, is_dir)| !is_dir && names.iter().any(|n| n.eq_ignore_ascii_case(name)))
            .map(|(name, _)| join(dir, &name))
    })
}

/// The first file under `dir` (depth-first, sorted, at most `depth` levels below it) whose
/// path relative to the root satisfies `wanted`; hidden directories and those named in `skip`
/// are left out.
fn find_below(
    repo: &Repo,
    dir: &str,
    depth: usize,
    skip: &[&str],
    wanted: &dyn Fn(&str) -> bool,
) -> Option<String> {
    let mut subdirs = Vec::new();
    for (name, is_dir) in repo.entries(dir) {
        if is_dir {
            if !name.starts_with('.') && !skip.contains(&name.as_str()) {
                subdirs.push(name);
            }
        } else {
            let path = join(dir, &name);
            if wanted(&path) {
                return Some(path);
            }
        }
    }
    if depth == 0 {
        return None;
    }
    subdirs
        .iter()
        .find_map(|sub| find_below(repo, &join(dir, sub), depth - 1, skip, wanted))
}

// ---------------------------------------------------------------------------------------------
// AG100: SPEC 0 floors

/// The day of a timestamp (`2026-11-24`).
fn day(at: jiff::Timestamp) -> String {
    at.strftime("%Y-%m-%d").to_string()
}

/// A table cell: `|` escaped, empty shown as `(none)`.
fn cell(text: &str) -> String {
    if text.is_empty() {
        "(none)".to_string()
    } else {
        text.replace('|', "\\|")
    }
}

fn ag100(repo: &Repo, options: &Options) -> CheckResult {
    let Some(data) = &options.spec0 else {
        return Ok(Outcome::not_applicable(
            "no release data: run `agora pypi sync`",
        ));
    };
    let text = repo.pyproject_text.as_ref().map_err(Clone::clone)?;
    let Some(text) = text else {
        return Ok(Outcome::not_applicable("no `pyproject.toml`"));
    };
    // Invalid TOML is reported as every pyproject check reports it.
    repo.pyproject()?;
    let declared = match agora_schedule::pyproject::parse(Path::new("pyproject.toml"), text) {
        Ok(declared) => declared,
        Err(e) => return Err(InputError::new("pyproject.toml", None, e.to_string())),
    };
    let report = agora_schedule::check::check(&declared, &data.packages, data.at);
    if !report.needs_action() {
        return Ok(Outcome::Pass);
    }
    let mut msg = String::new();
    let off: Vec<_> = report
        .findings
        .iter()
        .filter(|f| f.status != FloorStatus::Fine)
        .collect();
    if !off.is_empty() {
        let _ = writeln!(
            msg,
            "Dependency floors in `pyproject.toml` are not those of [SPEC 0](https://scientific-python.org/specs/spec-0000/) on {}:\n",
            day(data.at)
        );
        let _ = writeln!(
            msg,
            "| package | declared | SPEC 0 floor | status | where |"
        );
        let _ = writeln!(msg, "|---|---|---|---|---|");
        for f in &off {
            let allowed = f
                .allowed
                .as_ref()
                .map(ToString::to_string)
                .unwrap_or_default();
            let _ = writeln!(
                msg,
                "| {} | {} | {} | {} | {} line {} |",
                cell(&f.package),
                cell(&f.declared),
                cell(&allowed),
                f.status.label(),
                cell(&f.source),
                f.line
            );
        }
        msg.push('\n');
        for f in &off {
            let _ = writeln!(msg, "- {}", f.message);
        }
        msg.push('\n');
    }
    if !report.problems.is_empty() {
        let _ = writeln!(msg, "Some values of `pyproject.toml` could not be read:\n");
        for p in &report.problems {
            let _ = writeln!(msg, "- {p}");
        }
        msg.push('\n');
    }
    msg.push_str(
        "Raise the floors marked \"may raise\" (dropping releases SPEC 0 no longer asks to \
         support) and lower those \"below policy\"; `agora schedule check` shows the details.",
    );
    Ok(Outcome::Fail(msg))
}

// ---------------------------------------------------------------------------------------------
// AG101: numpydoc validation

const AG101_MSG: &str = "
Check the docstrings with numpydoc's validation, configured in `pyproject.toml`:

```toml
[tool.numpydoc_validation]
checks = [\"all\", \"EX01\", \"SA01\", \"ES01\"]
exclude = ['\\.__init__$', '\\._[a-z_]+$']
```

and run by pre-commit (or `agora docs lint`):

```yaml
- repo: https://github.com/numpy/numpydoc
  rev: v1.10.0
  hooks:
    - id: numpydoc-validation
```
";

/// Whether a pre-commit `repo:` URL is numpydoc's.
fn is_numpydoc_repo(url: &str) -> bool {
    let url = url.trim_end_matches('/').to_lowercase();
    let url = url.trim_end_matches(".git");
    url == "https://github.com/numpy/numpydoc"
}

fn ag101(repo: &Repo, _options: &Options) -> CheckResult {
    let mut error = None;
    match repo.pyproject() {
        Ok(py) if value::has(py, &["tool", "numpydoc_validation"]) => return Ok(Outcome::Pass),
        Ok(_) => {}
        Err(e) => error = Some(e),
    }
    match repo.precommit() {
        Ok(pc) => {
            let hook = value::list(pc, &["repos"]).iter().any(|r| {
                value::string(r, &["repo"]).is_some_and(is_numpydoc_repo)
                    && value::list(r, &["hooks"])
                        .iter()
                        .any(|h| value::string(h, &["id"]) == Some("numpydoc-validation"))
            });
            if hook {
                return Ok(Outcome::Pass);
            }
        }
        Err(e) => error = error.or(Some(e)),
    }
    // numpydoc also reads `[tool:numpydoc_validation]` from setup.cfg.
    if let Ok(Some(cfg)) = repo.setupcfg()
        && cfg.has_section("tool:numpydoc_validation")
    {
        return Ok(Outcome::Pass);
    }
    match error {
        Some(e) => Err(e),
        None => Ok(pass_or(false, AG101_MSG)),
    }
}

// ---------------------------------------------------------------------------------------------
// AG102–AG106: community files and benchmarks

const AG102_MSG: &str = "
Projects should have a code of conduct, in `CODE_OF_CONDUCT.md` (or `.rst`, `.txt`) at the
root, in `.github/` or in `docs/`, so that GitHub shows it and contributors know what to
expect and how to report a problem. Many scientific-Python projects adapt the
[Contributor Covenant](https://www.contributor-covenant.org) or
[SciPy's code of conduct](https://docs.scipy.org/doc/scipy/dev/conduct/code_of_conduct.html).
";

const DOC_DIRS: &[&str] = &["", ".github", "docs", "doc"];

fn ag102(repo: &Repo, _options: &Options) -> CheckResult {
    let names = [
        "CODE_OF_CONDUCT.md",
        "CODE_OF_CONDUCT.rst",
        "CODE_OF_CONDUCT.txt",
        "CODE_OF_CONDUCT",
        "CODE-OF-CONDUCT.md",
    ];
    Ok(pass_or(
        find_file(repo, DOC_DIRS, &names).is_some(),
        AG102_MSG,
    ))
}

const AG103_MSG: &str = "
Projects should say how decisions are made and who makes them: add a `GOVERNANCE.md` (or
`.rst`) at the root or in `.github/`, or a `governance` page in the documentation
(`docs/**/governance*`). The governance documents of NumPy, SciPy or scikit-image are good
starting points.
";

fn ag103(repo: &Repo, _options: &Options) -> CheckResult {
    let names = [
        "GOVERNANCE.md",
        "GOVERNANCE.rst",
        "GOVERNANCE.txt",
        "GOVERNANCE",
    ];
    if find_file(repo, &["", ".github"], &names).is_some() {
        return Ok(Outcome::Pass);
    }
    // A `governance*` file, or any file in a `governance*` directory.
    let governance = |path: &str| {
        path.split('/')
            .skip(1)
            .any(|part| part.to_lowercase().starts_with("governance"))
    };
    let found = ["docs", "doc"]
        .iter()
        .any(|dir| repo.is_dir(dir) && find_below(repo, dir, 6, &[], &governance).is_some());
    Ok(pass_or(found, AG103_MSG))
}

const AG104_MSG: &str = "
Projects should tell people how to report a vulnerability privately: add a `SECURITY.md` at
the root or in `.github/` (GitHub shows it in the Security tab), naming a contact address or
enabling [private vulnerability
reporting](https://docs.github.com/en/code-security/security-advisories/working-with-repository-security-advisories/configuring-private-vulnerability-reporting-for-a-repository).
";

fn ag104(repo: &Repo, _options: &Options) -> CheckResult {
    let names = ["SECURITY.md", "SECURITY.rst", "SECURITY.txt"];
    Ok(pass_or(
        find_file(repo, &["", ".github", "docs"], &names).is_some(),
        AG104_MSG,
    ))
}

const AG105_MSG: &str = "
Projects should say how to cite them in a `CITATION.cff` file at the root
([Citation File Format](https://citation-file-format.github.io/)): GitHub shows a \"Cite
this repository\" button for it, and Zenodo and reference managers read it. `cffinit`
(https://citation-file-format.github.io/cff-initializer-javascript/) writes one.
";

fn ag105(repo: &Repo, _options: &Options) -> CheckResult {
    if repo.is_file("CITATION.cff") {
        return Ok(Outcome::Pass);
    }
    let other = repo
        .entries("")
        .into_iter()
        .find(|(name, is_dir)| !is_dir && name.to_uppercase().starts_with("CITATION"))
        .map(|(name, _)| name);
    let mut msg = AG105_MSG.trim().to_string();
    if let Some(other) = other {
        let _ = write!(
            msg,
            "\n\nThere is a `{other}`; keep it if you like, but add the `CITATION.cff` that the tools read."
        );
    }
    Ok(Outcome::Fail(msg))
}

const AG106_MSG: &str = "
Projects should track their performance with [asv](https://asv.readthedocs.io/): add an
`asv.conf.json` (at the root or in `benchmarks/`) and benchmarks, run them in CI, and
publish the results (`agora bench ingest` reads them). `asv quickstart` writes a starting
configuration.
";

fn ag106(repo: &Repo, _options: &Options) -> CheckResult {
    let names = ["asv.conf.json", "asv.conf.jsonc", "asv.conf.json5"];
    let dirs = ["", "benchmarks", "benchmark", "bench", "asv_bench"];
    Ok(pass_or(find_file(repo, &dirs, &names).is_some(), AG106_MSG))
}

// ---------------------------------------------------------------------------------------------
// AG107: cibuildwheel and free-threaded wheels

/// File extensions of compiled sources.
const COMPILED_EXTENSIONS: &[&str] = &["pyx", "c", "cc", "cpp", "cxx", "rs"];

/// Directories never searched for compiled sources.
const NOT_SOURCES: &[&str] = &[
    "node_modules",
    "target",
    "build",
    "dist",
    "venv",
    "__pycache__",
    "site-packages",
];

/// Why the project looks like it has compiled code (a markdown phrase), or `None` if it looks
/// like pure Python.
pub fn compiled_code(repo: &Repo) -> Option<String> {
    if let Ok(py) = repo.pyproject() {
        let backend = value::string(py, &["build-system", "build-backend"]).unwrap_or_default();
        let compiled_backend = backend == "mesonpy"
            || backend.starts_with("scikit_build_core")
            || backend == "maturin";
        if compiled_backend {
            return Some(format!("its build backend is `{backend}`"));
        }
        let builders = [
            "cython",
            "pybind11",
            "nanobind",
            "setuptools-rust",
            "setuptools_rust",
        ];
        for req in value::list(py, &["build-system", "requires"]) {
            let name = req.as_str().unwrap_or_default().to_lowercase();
            if let Some(b) = builders.iter().find(|b| name.starts_with(**b)) {
                return Some(format!("its build requires `{b}`"));
            }
        }
        if value::has(py, &["tool", "setuptools", "ext-modules"]) {
            return Some("`[tool.setuptools] ext-modules` is set".to_string());
        }
    }
    if let Ok(setup) = std::fs::read_to_string(repo.root.join("setup.py"))
        && ["ext_modules", "Extension(", "cythonize"]
            .iter()
            .any(|hint| setup.contains(hint))
    {
        return Some("`setup.py` builds extension modules".to_string());
    }
    let source = |path: &str| {
        let name = path.rsplit('/').next().unwrap_or(path);
        name == "meson.build"
            || name
                .rsplit_once('.')
                .is_some_and(|(_, ext)| COMPILED_EXTENSIONS.contains(&ext))
    };
    find_below(repo, "", 10, NOT_SOURCES, &source).map(|file| format!("it has `{file}`"))
}

/// Whether `s` selects or enables free-threaded CPython builds: `cpython-freethreading`, a
/// build identifier such as `cp313t-*` or `cp3??t-*`, or a bare `3.14t` / `314t` (a matrix
/// value).
pub fn mentions_free_threading(s: &str) -> bool {
    let lower = s.to_lowercase();
    if lower.contains("cpython-freethreading") {
        return true;
    }
    let bytes = lower.as_bytes();
    let mut start = 0;
    while let Some(pos) = lower[start..].find("cp3") {
        let mut i = start + pos + 3;
        let run = i;
        while i < bytes.len() && (bytes[i].is_ascii_digit() || bytes[i] == b'?' || bytes[i] == b'*')
        {
            i += 1;
        }
        if i > run
            && bytes.get(i) == Some(&b't')
            && bytes.get(i + 1).is_none_or(|b| !b.is_ascii_alphanumeric())
        {
            return true;
        }
        start = start + pos + 3;
    }
    let bare = lower.trim();
    bare.strip_suffix('t')
        .and_then(|v| v.strip_prefix('3'))
        .map(|v| v.strip_prefix('.').unwrap_or(v))
        .is_some_and(|minor| {
            (2..=3).contains(&minor.len()) && minor.bytes().all(|b| b.is_ascii_digit())
        })
}

/// Whether some string in `value` (outside keys that skip builds) enables free-threaded
/// builds; `CIBW_FREE_THREADED_SUPPORT` / `free-threaded-support` (cibuildwheel 2) count too.
fn enables_free_threading(value: &Value) -> bool {
    match value {
        Value::String(s) => mentions_free_threading(s),
        Value::Array(items) => items.iter().any(enables_free_threading),
        Value::Object(map) => map.iter().any(|(key, v)| {
            let key = key.to_lowercase();
            if key.contains("skip") {
                return false;
            }
            if key.replace('_', "-").ends_with("free-threaded-support") && value::truthy(v) {
                return true;
            }
            enables_free_threading(v)
        }),
        _ => false,
    }
}

/// Whether a workflow runs cibuildwheel (the action, or `cibuildwheel` in a `run:`).
fn runs_cibuildwheel(workflow: &Workflow) -> bool {
    jobs(&workflow.doc).any(|(_, job)| {
        steps(job).any(|s| {
            uses(s).starts_with("pypa/cibuildwheel")
                || value::string(s, &["run"]).is_some_and(|r| {
                    r.split(|c: char| c.is_whitespace() || c == ';' || c == '&')
                        .any(|w| w == "cibuildwheel")
                })
        })
    })
}

const AG107_NO_CIBW: &str = "
Build the wheels with [cibuildwheel](https://cibuildwheel.pypa.io) in a workflow, for every
CPython version the project supports, on Linux, macOS and Windows, so that users do not
compile it:

```yaml
- uses: pypa/cibuildwheel@v3.3.1
```

and build the free-threaded CPython wheels too (see below).
";

const AG107_NO_FT: &str = "
Build free-threaded CPython wheels as well (`cp314t`; `cp313t` with cibuildwheel's
`cpython-freethreading`), in `pyproject.toml`:

```toml
[tool.cibuildwheel]
enable = [\"cpython-freethreading\"]
```

or with `CIBW_ENABLE: cpython-freethreading` / a `CIBW_BUILD` selector such as `cp314t-*` in
the workflow. See https://py-free-threading.github.io for making the extension
free-threading compatible.
";

fn ag107(repo: &Repo, _options: &Options) -> CheckResult {
    let Some(why) = compiled_code(repo) else {
        return Ok(Outcome::not_applicable(
            "no compiled code detected (a pure-Python project needs no cibuildwheel)",
        ));
    };
    let workflows = repo.workflows()?;
    let building: Vec<&Workflow> = workflows.iter().filter(|w| runs_cibuildwheel(w)).collect();
    if building.is_empty() {
        return Ok(Outcome::Fail(format!(
            "The project has compiled code ({why}) but no workflow runs `cibuildwheel`.\n\n{}",
            AG107_NO_CIBW.trim()
        )));
    }
    let in_workflow = building.iter().any(|w| enables_free_threading(&w.doc));
    let in_pyproject = repo.pyproject().is_ok_and(|py| {
        value::get(py, &["tool", "cibuildwheel"]).is_some_and(enables_free_threading)
    });
    if in_workflow || in_pyproject {
        return Ok(Outcome::Pass);
    }
    let names: Vec<String> = building.iter().map(|w| format!("`{}`", w.name)).collect();
    Ok(Outcome::Fail(format!(
        "Wheels are built with cibuildwheel ({}), but no free-threaded CPython build is enabled.\n\n{}",
        names.join(", "),
        AG107_NO_FT.trim()
    )))
}

// ---------------------------------------------------------------------------------------------
// AG108: Trusted Publishing

/// Whether a `permissions:` value grants `id-token: write`.
fn grants_id_token(permissions: &Value) -> bool {
    match permissions {
        Value::String(s) => s == "write-all",
        Value::Object(_) => value::string(permissions, &["id-token"]) == Some("write"),
        _ => false,
    }
}

/// Whether another workflow calls `callee` (`uses: ./.github/workflows/NAME.yml`) from a job
/// that grants `id-token: write`.
fn called_with_id_token(workflows: &[Workflow], callee: &Workflow) -> bool {
    let targets = [
        format!(".github/workflows/{}.yml", callee.name),
        format!(".github/workflows/{}.yaml", callee.name),
    ];
    workflows.iter().any(|w| {
        let top = value::get(&w.doc, &["permissions"]);
        jobs(&w.doc).any(|(_, job)| {
            let calls = value::string(job, &["uses"])
                .is_some_and(|u| targets.iter().any(|t| u.ends_with(t.as_str())));
            calls
                && value::get(job, &["permissions"])
                    .or(top)
                    .is_some_and(grants_id_token)
        })
    })
}

const AG108_NO_PUBLISH: &str = "
Publish releases to PyPI from a workflow with [Trusted
Publishing](https://docs.pypi.org/trusted-publishers/): no API token to store or leak.
Register the workflow as a trusted publisher on PyPI, then:

```yaml
jobs:
  publish:
    environment: pypi
    permissions:
      id-token: write
    steps:
      - uses: actions/download-artifact@v5
        with:
          path: dist
          merge-multiple: true
      - uses: pypa/gh-action-pypi-publish@release/v1
```
";

fn ag108(repo: &Repo, _options: &Options) -> CheckResult {
    let workflows = repo.workflows()?;
    let mut publishing = 0;
    let mut problems = Vec::new();
    for workflow in workflows {
        let top = value::get(&workflow.doc, &["permissions"]);
        for (job_name, job) in jobs(&workflow.doc) {
            for step in steps(job) {
                if !uses(step).starts_with("pypa/gh-action-pypi-publish") {
                    continue;
                }
                publishing += 1;
                let place = format!("`{}.yml:{job_name}`", workflow.name);
                if value::has(step, &["with", "password"]) {
                    problems.push(format!(
                        "* {place} passes `password:` (an API token): remove it and the secret, and register the workflow as a trusted publisher on PyPI."
                    ));
                }
                // Job permissions replace the workflow's; a reusable workflow gets its caller's.
                let id_token = value::get(job, &["permissions"])
                    .or(top)
                    .is_some_and(grants_id_token)
                    || called_with_id_token(workflows, workflow);
                if !id_token {
                    problems.push(format!(
                        "* {place} lacks the `id-token: write` permission that Trusted Publishing needs: add `permissions: {{id-token: write}}` to the job."
                    ));
                }
            }
        }
    }
    if publishing == 0 {
        return Ok(Outcome::Fail(format!(
            "No workflow publishes with `pypa/gh-action-pypi-publish`.\n\n{}",
            AG108_NO_PUBLISH.trim()
        )));
    }
    Ok(Outcome::from_message(problems.join("\n")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn free_threading_selectors() {
        for yes in [
            "cp313t-*",
            "cp3??t-*",
            "cp314t-manylinux_x86_64",
            "cpython-freethreading cpython-prerelease",
            "CPYTHON-FREETHREADING",
            "313t",
            "3.14t",
            "cp312-* cp313t-*",
        ] {
            assert!(mentions_free_threading(yes), "{yes}");
        }
        for no in [
            "cp313-*",
            "cp3*",
            "cp314-pyodide_wasm32",
            "3.14",
            "test",
            "cp313*musllinux*",
            "cp313-win_amd64 text",
        ] {
            assert!(!mentions_free_threading(no), "{no}");
        }
    }

    #[test]
    fn skip_keys_do_not_enable() {
        let v = serde_json::json!({"skip": ["cp313t-*"], "build": "cp312-*"});
        assert!(!enables_free_threading(&v));
        let v = serde_json::json!({"overrides": [{"select": "cp3??t-*"}]});
        assert!(enables_free_threading(&v));
        let v = serde_json::json!({"env": {"CIBW_FREE_THREADED_SUPPORT": true}});
        assert!(enables_free_threading(&v));
    }

    #[test]
    fn id_token_permissions() {
        assert!(grants_id_token(&serde_json::json!("write-all")));
        assert!(grants_id_token(&serde_json::json!({"id-token": "write"})));
        assert!(!grants_id_token(&serde_json::json!({"contents": "write"})));
        assert!(!grants_id_token(&serde_json::json!("read-all")));
    }
}
