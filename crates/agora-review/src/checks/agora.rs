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
use std::str::FromStr as _;

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

/// AG101's failure: `{NUMPYDOC_VERSION}` stands for the numpydoc release to suggest.
const AG101_MSG: &str = r#"
numpydoc validation is not configured: configure it in `pyproject.toml`

```toml
[tool.numpydoc_validation]
checks = ["all", "EX01", "SA01", "ES01"]
exclude = ['\.__init__$', '\._[a-z_]+$']
```

and run it with pre-commit (or `agora docs lint`):

```yaml
- repo: https://github.com/numpy/numpydoc
  rev: v{NUMPYDOC_VERSION}
  hooks:
    - id: numpydoc-validation
```
"#;

/// AG101's failure, suggesting the numpydoc release that `agora docs lint` matches (the
/// current one, [`agora_numpydoc::NUMPYDOC_VERSION`]) as the hook's `rev`.
fn ag101_message() -> String {
    AG101_MSG.replace("{NUMPYDOC_VERSION}", agora_numpydoc::NUMPYDOC_VERSION)
}

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
        None => Ok(Outcome::fail(&ag101_message())),
    }
}

// ---------------------------------------------------------------------------------------------
// AG102–AG106: community files and benchmarks

const AG102_MSG: &str = r#"
There is no code of conduct: add a `CODE_OF_CONDUCT.md` (or `.rst`, `.txt`) at the root, in
`.github/` or in `docs/`, so that GitHub shows it and contributors know what to expect and
how to report a problem. Many scientific-Python projects adapt the
[Contributor Covenant](https://www.contributor-covenant.org) or
[SciPy's code of conduct](https://docs.scipy.org/doc/scipy/dev/conduct/code_of_conduct.html).
"#;

const DOC_DIRS: &[&str] = &["", ".github", "docs", "doc"];

fn ag102(repo: &Repo, _options: &Options) -> CheckResult {
    let names = [
        "CODE_OF_CONDUCT.md",
        "CODE_OF_CONDUCT.rst",
        "CODE_OF_CONDUCT.txt",
        "CODE_OF_CONDUCT",
        "CODE-OF-CONDUCT.md",
    ];
    Ok(Outcome::from_bool(
        find_file(repo, DOC_DIRS, &names).is_some(),
        AG102_MSG,
    ))
}

const AG103_MSG: &str = r#"
There is no governance document saying how decisions are made and who makes them: add a
`GOVERNANCE.md` (or `.rst`) at the root or in `.github/`, or a documentation page whose file
name or title says "governance" (for example `docs/governance.md`, or an enhancement proposal
titled "Governance and Decision Making" as NumPy's NEPs, scikit-image's SKIPs and NetworkX's
NXEPs do). The governance documents of NumPy, SciPy or scikit-image are good starting points.
"#;

/// The file extensions of documentation pages that AG103 looks at.
const DOC_PAGE_EXTENSIONS: &[&str] = &["md", "markdown", "rst", "txt", "mdx", "qmd"];

/// How deep below the root AG103 looks for a governance page.
const GOVERNANCE_MAX_DEPTH: usize = 6;

/// How many directory entries AG103 looks at before giving up (the search is bounded).
const GOVERNANCE_MAX_ENTRIES: usize = 20_000;

/// How many pages' first lines AG103 reads for a title before giving up.
const GOVERNANCE_MAX_TITLES: usize = 500;

/// How much of a page's beginning is read for its title.
const TITLE_HEAD_BYTES: u64 = 4096;

/// Folders AG103 never enters: build output, environments, dependencies.
const NOT_DOCUMENTATION_DIRS: &[&str] = &[
    "build",
    "_build",
    "dist",
    "target",
    "node_modules",
    "venv",
    "site-packages",
    "__pycache__",
];

/// Top-level folders searched first, where projects keep their documentation.
const DOCUMENTATION_DIRS: &[&str] = &[".github", "docs", "doc", "documentation", "governance"];

/// Whether `name` is a documentation page (by extension).
fn is_doc_page(name: &str) -> bool {
    name.rsplit_once('.').is_some_and(|(_, ext)| {
        DOC_PAGE_EXTENSIONS
            .iter()
            .any(|e| e.eq_ignore_ascii_case(ext))
    })
}

/// Whether `text` mentions governance (any case).
fn says_governance(text: &str) -> bool {
    text.to_lowercase().contains("governance")
}

/// Whether a line is a reStructuredText section adornment (or a Markdown setext underline):
/// one punctuation character repeated, at least three times.
fn is_adornment(line: &str) -> bool {
    let line = line.trim_end();
    let mut chars = line.chars();
    let Some(first) = chars.next() else {
        return false;
    };
    "=-`:'\"~^_*+#<>.".contains(first) && line.chars().count() >= 3 && chars.all(|c| c == first)
}

/// The title of a documentation page from its first lines: a `title:` in front matter, the
/// first Markdown `#` heading, or the first reStructuredText (or setext) section title.
pub(crate) fn page_title(head: &str) -> Option<String> {
    let lines: Vec<&str> = head.lines().take(40).collect();
    let mut start = 0;
    if lines.first().is_some_and(|l| l.trim() == "---") {
        let end = lines
            .iter()
            .skip(1)
            .position(|l| l.trim() == "---")
            .map_or(lines.len(), |i| i + 1);
        for line in lines.iter().take(end).skip(1) {
            if let Some(title) = line.trim().strip_prefix("title:") {
                return Some(title.trim().trim_matches(['"', '\'']).to_string());
            }
        }
        start = end + 1;
    }
    for (i, line) in lines.iter().enumerate().skip(start) {
        let text = line.trim();
        if text.is_empty() || is_adornment(text) || text.starts_with("..") {
            continue;
        }
        if let Some(heading) = text.strip_prefix('#') {
            let heading = heading.trim_start_matches('#');
            if heading.starts_with(' ') {
                return Some(heading.trim().to_string());
            }
        }
        if lines.get(i + 1).is_some_and(|next| is_adornment(next)) {
            return Some(text.to_string());
        }
    }
    None
}

/// The first lines of a file (at most [`TITLE_HEAD_BYTES`]), decoded lossily.
fn head_of(path: &Path) -> Option<String> {
    use std::io::Read as _;
    let file = std::fs::File::open(path).ok()?;
    let mut bytes = Vec::new();
    file.take(TITLE_HEAD_BYTES).read_to_end(&mut bytes).ok()?;
    Some(String::from_utf8_lossy(&bytes).into_owned())
}

/// A documentation page whose path (a folder or the file name) or title says governance,
/// looked for breadth first from the root (documentation folders first), bounded in depth,
/// entries and titles read.
fn find_governance_page(repo: &Repo) -> Option<String> {
    let mut queue: std::collections::VecDeque<(String, usize)> = std::collections::VecDeque::new();
    queue.push_back((String::new(), 0));
    let mut entries_seen = 0;
    let mut titles_read = 0;
    let mut titled = Vec::new();
    while let Some((dir, depth)) = queue.pop_front() {
        let entries = repo.entries(&dir);
        let mut subdirs: Vec<String> = Vec::new();
        for (name, is_dir) in entries {
            entries_seen += 1;
            if entries_seen > GOVERNANCE_MAX_ENTRIES {
                return None;
            }
            let path = join(&dir, &name);
            if is_dir {
                let hidden = name.starts_with('.') && name != ".github";
                if depth < GOVERNANCE_MAX_DEPTH
                    && !hidden
                    && !NOT_DOCUMENTATION_DIRS.contains(&name.as_str())
                {
                    subdirs.push(path);
                }
            } else if is_doc_page(&name) {
                if path.split('/').any(says_governance) {
                    return Some(path);
                }
                titled.push(path);
            }
        }
        // Documentation folders at the top are searched before the others.
        if dir.is_empty() {
            subdirs.sort_by_key(|sub| {
                DOCUMENTATION_DIRS
                    .iter()
                    .position(|d| d.eq_ignore_ascii_case(sub))
                    .unwrap_or(DOCUMENTATION_DIRS.len())
            });
        }
        queue.extend(subdirs.into_iter().map(|sub| (sub, depth + 1)));
        for path in titled.drain(..) {
            titles_read += 1;
            if titles_read > GOVERNANCE_MAX_TITLES {
                return None;
            }
            let title = head_of(&repo.root.join(&path)).and_then(|head| page_title(&head));
            if title.is_some_and(|t| says_governance(&t)) {
                return Some(path);
            }
        }
    }
    None
}

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
    Ok(Outcome::from_bool(
        find_governance_page(repo).is_some(),
        AG103_MSG,
    ))
}

const AG104_MSG: &str = r#"
There is no security policy telling people how to report a vulnerability privately: add a
`SECURITY.md` at the root or in `.github/` (GitHub shows it in the Security tab), naming a
contact address or enabling [private vulnerability
reporting](https://docs.github.com/en/code-security/security-advisories/working-with-repository-security-advisories/configuring-private-vulnerability-reporting-for-a-repository).
"#;

fn ag104(repo: &Repo, _options: &Options) -> CheckResult {
    let names = ["SECURITY.md", "SECURITY.rst", "SECURITY.txt"];
    Ok(Outcome::from_bool(
        find_file(repo, &["", ".github", "docs"], &names).is_some(),
        AG104_MSG,
    ))
}

const AG105_MSG: &str = r#"
There is no `CITATION.cff` saying how to cite the project: add one at the root
([Citation File Format](https://citation-file-format.github.io/)). GitHub shows a "Cite this
repository" button for it, and Zenodo and reference managers read it;
[cffinit](https://citation-file-format.github.io/cff-initializer-javascript/) writes one.
"#;

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

const AG106_MSG: &str = r#"
There are no asv benchmarks: add an `asv.conf.json` (at the root or in `benchmarks/`) and
benchmarks, run them in CI and publish the results (`agora bench ingest` reads them), so
that performance changes are seen. `asv quickstart` writes a starting configuration.
"#;

fn ag106(repo: &Repo, _options: &Options) -> CheckResult {
    let names = ["asv.conf.json", "asv.conf.jsonc", "asv.conf.json5"];
    let dirs = ["", "benchmarks", "benchmark", "bench", "asv_bench"];
    Ok(Outcome::from_bool(
        find_file(repo, &dirs, &names).is_some(),
        AG106_MSG,
    ))
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

/// Whether a step runs cibuildwheel: the action, or in a `run:` the command (`cibuildwheel`,
/// or a pinned `pipx run cibuildwheel==3.2.1` / `uvx cibuildwheel@3.2.1` outside an install).
fn runs_cibuildwheel(step: &Value) -> bool {
    uses(step).starts_with("pypa/cibuildwheel")
        || value::string(step, &["run"]).is_some_and(|r| {
            let installs = r.contains("install");
            words(r).iter().any(|w| {
                *w == "cibuildwheel"
                    || (!installs
                        && (w.starts_with("cibuildwheel==") || w.starts_with("cibuildwheel@")))
            })
        })
}

/// A cibuildwheel version as a workflow pins it: the major, and the minor when given (`@v3`
/// follows the newest 3.x).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CibwVersion {
    /// The major version.
    pub major: u64,
    /// The minor version, `None` for a major-only tag.
    pub minor: Option<u64>,
}

impl CibwVersion {
    /// Parses `v3`, `v3.1`, `3.2.1` (a leading `v` is optional; the patch is ignored).
    pub fn parse(text: &str) -> Option<CibwVersion> {
        let text = text.trim();
        let text = text.strip_prefix('v').unwrap_or(text);
        let mut parts = text.split('.');
        let major = parts.next()?.parse().ok()?;
        let minor = match parts.next() {
            Some(minor) => Some(minor.parse().ok()?),
            None => None,
        };
        Some(CibwVersion { major, minor })
    }

    /// Whether this version builds free-threaded CPython 3.14 (`cp314t`) without being asked:
    /// from 3.1 on (3.0 only with the `cpython-prerelease` enable; 2.x never without
    /// `free-threaded-support` or `enable`). Later majors are taken to keep that default.
    pub fn builds_cp314t_by_default(self) -> bool {
        self.major > 3 || (self.major == 3 && self.minor.is_none_or(|minor| minor >= 1))
    }
}

impl std::fmt::Display for CibwVersion {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.minor {
            Some(minor) => write!(f, "{}.{minor}", self.major),
            None => write!(f, "{}.x", self.major),
        }
    }
}

/// The cibuildwheel version a step pins: the action's ref (`pypa/cibuildwheel@v3.2.1`, or a
/// commit SHA followed by a `# v3.2.1` comment in the workflow text), or
/// `cibuildwheel==3.2.1` / `cibuildwheel@3.2.1` in a `run:` of the job.
fn pinned_cibuildwheel(workflow: &Workflow, job: &Value, step: &Value) -> Option<CibwVersion> {
    if let Some(reference) = uses(step).strip_prefix("pypa/cibuildwheel@") {
        if let Some(version) = CibwVersion::parse(reference) {
            return Some(version);
        }
        // A pinned SHA: the version is in the comment after it.
        return workflow
            .text
            .lines()
            .find(|line| line.contains(&format!("pypa/cibuildwheel@{reference}")))
            .and_then(|line| line.split_once('#'))
            .and_then(|(_, comment)| comment.split_whitespace().find_map(CibwVersion::parse));
    }
    steps(job)
        .filter_map(|s| value::string(s, &["run"]))
        .flat_map(|run| run.split(|c: char| c.is_whitespace() || c == '"' || c == '\''))
        .find_map(|word| {
            let version = word
                .strip_prefix("cibuildwheel==")
                .or_else(|| word.strip_prefix("cibuildwheel@"))?;
            CibwVersion::parse(version)
        })
}

/// Free-threaded CPython 3.14 build identifiers, one per common platform.
const CP314T_BUILDS: &[&str] = &[
    "cp314t-manylinux_x86_64",
    "cp314t-manylinux_aarch64",
    "cp314t-musllinux_x86_64",
    "cp314t-macosx_arm64",
    "cp314t-macosx_x86_64",
    "cp314t-win_amd64",
    "cp314t-win_arm64",
];

/// The most patterns one selector word expands to (`{a,b}` groups multiply).
const MAX_EXPANSIONS: usize = 256;

/// Expands `{a,b}` alternatives in a selector word (cibuildwheel accepts them), up to
/// [`MAX_EXPANSIONS`] patterns; groups beyond that stay as written.
fn expand_braces(pattern: &str) -> Vec<String> {
    let mut done = Vec::new();
    let mut pending = vec![pattern.to_string()];
    while let Some(p) = pending.pop() {
        let group = p
            .find('{')
            .and_then(|open| Some((open, open + p[open..].find('}')?)));
        match group {
            Some((open, close)) if done.len() + pending.len() < MAX_EXPANSIONS => {
                let (head, tail) = (&p[..open], &p[close + 1..]);
                for alternative in p[open + 1..close].split(',') {
                    pending.push(format!("{head}{alternative}{tail}"));
                }
            }
            _ => done.push(p),
        }
    }
    done
}

/// One element of a shell-style pattern.
#[derive(Debug, Clone, PartialEq, Eq)]
enum GlobToken {
    /// `*`: any run of characters.
    Any,
    /// `?`: one character.
    One,
    /// `[…]` (`[!…]` negated): one character in (or not in) the ranges.
    Class(bool, Vec<(u8, u8)>),
    /// A literal character.
    Literal(u8),
}

/// Splits a pattern into [`GlobToken`]s (an unclosed `[` is a literal).
fn glob_tokens(pattern: &[u8]) -> Vec<GlobToken> {
    let mut tokens = Vec::new();
    let mut i = 0;
    while i < pattern.len() {
        match pattern[i] {
            b'*' => tokens.push(GlobToken::Any),
            b'?' => tokens.push(GlobToken::One),
            b'[' => {
                let start = i + 1;
                let negated = pattern.get(start) == Some(&b'!');
                let body = if negated { start + 1 } else { start };
                // The first character of the set may be `]` itself.
                let close = pattern
                    .get(body + 1..)
                    .and_then(|rest| rest.iter().position(|&b| b == b']'))
                    .map(|p| body + 1 + p);
                match close {
                    Some(close) => {
                        let set = &pattern[body..close];
                        let mut ranges = Vec::new();
                        let mut j = 0;
                        while j < set.len() {
                            if j + 2 < set.len() && set[j + 1] == b'-' {
                                ranges.push((set[j], set[j + 2]));
                                j += 3;
                            } else {
                                ranges.push((set[j], set[j]));
                                j += 1;
                            }
                        }
                        tokens.push(GlobToken::Class(negated, ranges));
                        i = close;
                    }
                    None => tokens.push(GlobToken::Literal(b'[')),
                }
            }
            c => tokens.push(GlobToken::Literal(c)),
        }
        i += 1;
    }
    tokens
}

/// Shell-style matching of `name` against `pattern` (`*`, `?`, `[…]`, `[!…]`), in time
/// proportional to the product of their lengths whatever the pattern.
fn glob_match(pattern: &[u8], name: &[u8]) -> bool {
    let tokens = glob_tokens(pattern);
    // matched[j]: the tokens so far match the first j characters of `name`.
    let mut matched = vec![false; name.len() + 1];
    matched[0] = true;
    for token in &tokens {
        let mut next = vec![false; name.len() + 1];
        for j in 0..=name.len() {
            next[j] = match token {
                GlobToken::Any => matched[j] || (j > 0 && next[j - 1]),
                _ if j == 0 => false,
                GlobToken::One => matched[j - 1],
                GlobToken::Literal(c) => matched[j - 1] && name[j - 1] == *c,
                GlobToken::Class(negated, ranges) => {
                    let c = name[j - 1];
                    matched[j - 1]
                        && ranges.iter().any(|(lo, hi)| (*lo..=*hi).contains(&c)) != *negated
                }
            };
        }
        matched = next;
    }
    matched[name.len()]
}

/// Whether a cibuildwheel selector (space-separated patterns) matches build `identifier`.
pub fn selector_matches(selector: &str, identifier: &str) -> bool {
    selector
        .to_lowercase()
        .split_whitespace()
        .flat_map(expand_braces)
        .any(|pattern| glob_match(pattern.as_bytes(), identifier.as_bytes()))
}

/// A cibuildwheel option's value as one selector string (a TOML list is joined).
fn selector_text(value: &Value) -> Option<String> {
    match value {
        Value::String(s) => Some(s.clone()),
        Value::Array(items) => Some(
            items
                .iter()
                .filter_map(Value::as_str)
                .collect::<Vec<_>>()
                .join(" "),
        ),
        _ => None,
    }
}

/// A build or skip selector and where it was set (markdown).
struct Selector {
    text: String,
    place: String,
}

/// Where a step's cibuildwheel option is set: the environment variable of the step, the
/// job or the workflow (in that order), else `[tool.cibuildwheel]` in `pyproject.toml`.
fn cibw_option(
    workflow: &Workflow,
    job: &Value,
    step: &Value,
    env_name: &str,
    toml_key: &str,
    pyproject: Option<&Value>,
) -> Option<Selector> {
    for (scope, doc) in [("step", step), ("job", job), ("workflow", &workflow.doc)] {
        if let Some(v) = value::get(doc, &["env", env_name]) {
            let text = match v {
                Value::String(s) => s.clone(),
                other => other.to_string(),
            };
            return Some(Selector {
                text,
                place: format!("`{env_name}` of the {scope} in `{}`", workflow.file),
            });
        }
    }
    let text = selector_text(value::get(pyproject?, &["tool", "cibuildwheel", toml_key])?)?;
    Some(Selector {
        text,
        place: format!("`{toml_key}` in `[tool.cibuildwheel]`"),
    })
}

/// Why a cibuildwheel step does not build `cp314t` by default, or `None` when it does.
fn default_cp314t_gap(
    workflow: &Workflow,
    job: &Value,
    step: &Value,
    pyproject: Option<&Value>,
) -> Option<String> {
    let Some(version) = pinned_cibuildwheel(workflow, job, step) else {
        return Some(
            "does not pin a cibuildwheel version (`pypa/cibuildwheel@v3.x`), so its default \
             builds are unknown"
                .to_string(),
        );
    };
    if !version.builds_cp314t_by_default() {
        return Some(format!(
            "uses cibuildwheel {version}, which builds free-threaded CPython only when asked \
             (cibuildwheel 3.1 and later build `cp314t` by default)"
        ));
    }
    let only = value::string(step, &["with", "only"]);
    if let Some(only) = only.filter(|o| !o.trim().is_empty()) {
        return (!CP314T_BUILDS.iter().any(|id| selector_matches(only, id))).then(|| {
            format!("uses cibuildwheel {version}, but its `only: {only}` leaves out `cp314t`")
        });
    }
    let option = |env: &str, key: &str| cibw_option(workflow, job, step, env, key, pyproject);
    let build = option("CIBW_BUILD", "build");
    let skip = option("CIBW_SKIP", "skip");
    for selector in build.iter().chain(skip.iter()) {
        if selector.text.contains("${{") {
            return Some(format!(
                "uses cibuildwheel {version}, but {} depends on `${{{{ … }}}}`, so agora cannot tell \
                 whether `cp314t` is built",
                selector.place
            ));
        }
    }
    let built = |id: &&str| build.as_ref().is_none_or(|b| selector_matches(&b.text, id));
    let skipped = |id: &&str| skip.as_ref().is_some_and(|s| selector_matches(&s.text, id));
    if !CP314T_BUILDS.iter().any(built) {
        let build = build.as_ref()?;
        return Some(format!(
            "uses cibuildwheel {version}, which builds `cp314t` by default, but {} (`{}`) does \
             not select it",
            build.place, build.text
        ));
    }
    if !CP314T_BUILDS.iter().any(|id| built(id) && !skipped(id)) {
        let skip = skip.as_ref()?;
        return Some(format!(
            "uses cibuildwheel {version}, which builds `cp314t` by default, but {} (`{}`) \
             skips it",
            skip.place, skip.text
        ));
    }
    let requires = value::get(step, &["env", "CIBW_PROJECT_REQUIRES_PYTHON"])
        .or_else(|| value::get(job, &["env", "CIBW_PROJECT_REQUIRES_PYTHON"]))
        .or_else(|| value::get(&workflow.doc, &["env", "CIBW_PROJECT_REQUIRES_PYTHON"]))
        .and_then(Value::as_str)
        .map(|r| (r, "`CIBW_PROJECT_REQUIRES_PYTHON`"))
        .or_else(|| {
            value::string(pyproject?, &["project", "requires-python"])
                .map(|r| (r, "`project.requires-python`"))
        });
    if let Some((specifiers, place)) = requires
        && let Ok(specifiers) = pep440_rs::VersionSpecifiers::from_str(specifiers)
        && let Ok(python) = pep440_rs::Version::from_str("3.14")
        && !specifiers.contains(&python)
    {
        return Some(format!(
            "uses cibuildwheel {version}, but {place} (`{specifiers}`) excludes Python 3.14"
        ));
    }
    None
}

const AG107_NO_CIBW: &str = "
Build the wheels with [cibuildwheel](https://cibuildwheel.pypa.io) in a workflow, for every
CPython version the project supports, on Linux, macOS and Windows, so that users do not
compile it:

```yaml
- uses: pypa/cibuildwheel@v3.3.1
```

cibuildwheel 3.1 and later build the free-threaded CPython 3.14 wheels (`cp314t`) too.
";

const AG107_NO_FT: &str = "
Build free-threaded CPython wheels as well: pin cibuildwheel 3.1 or later
(`pypa/cibuildwheel@v3.3.1`), which builds `cp314t` unless a `build`/`skip` selector leaves
it out, or select them explicitly (`CIBW_BUILD: cp314t-*`; `cp313t` also needs
`enable = [\"cpython-freethreading\"]` in `[tool.cibuildwheel]`). See
https://py-free-threading.github.io for making the extension free-threading compatible.
";

fn ag107(repo: &Repo, _options: &Options) -> CheckResult {
    let Some(why) = compiled_code(repo) else {
        return Ok(Outcome::not_applicable(
            "no compiled code detected (a pure-Python project needs no cibuildwheel)",
        ));
    };
    let workflows = repo.workflows()?;
    let building: Vec<&Workflow> = workflows
        .iter()
        .filter(|w| jobs(&w.doc).any(|(_, job)| steps(job).any(runs_cibuildwheel)))
        .collect();
    if building.is_empty() {
        return Ok(Outcome::Fail(format!(
            "The project has compiled code ({why}) but no workflow runs `cibuildwheel`.\n\n{}",
            AG107_NO_CIBW.trim()
        )));
    }
    // Free-threaded builds selected or enabled explicitly.
    let pyproject = repo.pyproject().ok();
    let in_workflow = building.iter().any(|w| enables_free_threading(&w.doc));
    let in_pyproject = pyproject.is_some_and(|py| {
        value::get(py, &["tool", "cibuildwheel"]).is_some_and(enables_free_threading)
    });
    if in_workflow || in_pyproject {
        return Ok(Outcome::Pass);
    }
    // cibuildwheel's own default.
    let mut gaps = Vec::new();
    for workflow in &building {
        for (job_name, job) in jobs(&workflow.doc) {
            for step in steps(job).filter(|s| runs_cibuildwheel(s)) {
                match default_cp314t_gap(workflow, job, step, pyproject) {
                    None => return Ok(Outcome::Pass),
                    Some(gap) => {
                        gaps.push(format!("* `{}`, job `{job_name}`, {gap}.", workflow.file))
                    }
                }
            }
        }
    }
    gaps.dedup();
    Ok(Outcome::Fail(format!(
        "Wheels are built with cibuildwheel, but no free-threaded CPython build:\n\n{}\n\n{}",
        gaps.join("\n"),
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
Publishing](https://docs.pypi.org/trusted-publishers/), so that there is no API token to
store or leak: register the workflow as a trusted publisher on PyPI, then

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

`twine upload` (6.1 or later) and `uv publish` given no credential in such a job use
Trusted Publishing too.
";

/// A command-line uploader that can do Trusted Publishing itself when given no credential.
struct Uploader {
    /// The command words (`["twine", "upload"]`).
    command: [&'static str; 2],
    /// Environment variables and options that pass a credential.
    secret_env: &'static [&'static str],
    secret_flags: &'static [&'static str],
    /// Environment variable and options that choose another index.
    url_env: &'static str,
    url_flags: &'static [&'static str],
    /// The package name, to find pins of it.
    package: &'static str,
    /// The oldest release that can do Trusted Publishing, when older ones exist.
    since: Option<(u64, u64)>,
}

/// twine 6.1+ exchanges the GitHub OIDC token for a PyPI token when it has no password.
const TWINE: Uploader = Uploader {
    command: ["twine", "upload"],
    secret_env: &["TWINE_PASSWORD"],
    secret_flags: &["-p", "--password"],
    url_env: "TWINE_REPOSITORY_URL",
    url_flags: &["--repository-url"],
    package: "twine",
    since: Some((6, 1)),
};

/// `uv publish` tries Trusted Publishing on GitHub Actions unless given a credential (since
/// the command exists).
const UV: Uploader = Uploader {
    command: ["uv", "publish"],
    secret_env: &["UV_PUBLISH_TOKEN", "UV_PUBLISH_PASSWORD"],
    secret_flags: &["-t", "--token", "-p", "--password"],
    url_env: "UV_PUBLISH_URL",
    url_flags: &["--publish-url"],
    package: "uv",
    since: None,
};

/// The words of a `run:` script, split at whitespace and shell separators, quotes removed.
fn words(run: &str) -> Vec<&str> {
    run.split(|c: char| c.is_whitespace() || c == ';' || c == '&' || c == '|')
        .map(|w| w.trim_matches(|c| c == '"' || c == '\''))
        .filter(|w| !w.is_empty())
        .collect()
}

/// The value of `flag` among `args` (`--flag value` or `--flag=value`).
fn flag_value<'a>(args: &[&'a str], flag: &str) -> Option<&'a str> {
    args.iter().enumerate().find_map(|(i, arg)| {
        if *arg == flag {
            Some(args.get(i + 1).copied().unwrap_or_default())
        } else {
            arg.strip_prefix(flag)?.strip_prefix('=')
        }
    })
}

/// An environment variable as the step sees it (step, else job, else workflow).
fn env_var<'a>(
    workflow: &'a Workflow,
    job: &'a Value,
    step: &'a Value,
    name: &str,
) -> Option<&'a str> {
    [step, job, &workflow.doc]
        .into_iter()
        .find_map(|doc| value::get(doc, &["env", name]))
        .map(|v| v.as_str().unwrap_or("(set)"))
}

/// Whether a credential comes from a step of the job that mints a PyPI token from the OIDC
/// token itself (`${{ steps.ID.outputs… }}` of a `run:` posting to `/_/oidc/mint-token`).
fn minted_in_job(job: &Value, credential: &str) -> bool {
    let Some(id) = credential
        .split("steps.")
        .nth(1)
        .and_then(|rest| rest.split('.').next())
    else {
        return false;
    };
    steps(job).any(|s| {
        value::string(s, &["id"]) == Some(id)
            && value::string(s, &["run"]).is_some_and(|r| r.contains("/_/oidc/mint-token"))
    })
}

/// A version pinned with `==` for `package` in the job's `run:` scripts (`twine==5.1.1`).
fn pinned_in_job(job: &Value, package: &str) -> Option<(String, (u64, u64))> {
    let prefix = format!("{package}==");
    steps(job)
        .filter_map(|s| value::string(s, &["run"]))
        .flat_map(words)
        .find_map(|w| {
            let version = w.strip_prefix(&prefix)?;
            let mut parts = version.split('.');
            let major = parts.next()?.parse().ok()?;
            let minor = parts.next().and_then(|m| m.parse().ok()).unwrap_or(0);
            Some((version.to_string(), (major, minor)))
        })
}

/// Whether an index URL is PyPI's or TestPyPI's.
fn is_pypi(url: &str) -> bool {
    url.contains("//upload.pypi.org") || url.contains("//test.pypi.org")
}

/// How a `run:` step uploads with `uploader`: `None` when it does not (or uploads to another
/// index), else the problems found (empty when it uses Trusted Publishing).
fn uploader_problems(
    uploader: &Uploader,
    workflow: &Workflow,
    job: &Value,
    step: &Value,
) -> Option<Vec<String>> {
    let run = value::string(step, &["run"])?;
    let words = words(run);
    let at = words.windows(2).position(|w| w == uploader.command)?;
    let args = &words[at + 2..];
    let url = uploader
        .url_flags
        .iter()
        .find_map(|f| flag_value(args, f))
        .or_else(|| env_var(workflow, job, step, uploader.url_env));
    if url.is_some_and(|u| !is_pypi(u)) {
        return None;
    }
    let name = uploader.command.join(" ");
    let mut problems = Vec::new();
    let credential = uploader
        .secret_flags
        .iter()
        .find_map(|f| flag_value(args, f).map(|v| (*f, v)))
        .or_else(|| {
            uploader
                .secret_env
                .iter()
                .find_map(|e| env_var(workflow, job, step, e).map(|v| (*e, v)))
        });
    if let Some((how, credential)) = credential
        && !minted_in_job(job, credential)
    {
        problems.push(format!(
            "passes a credential to `{name}` (`{how}`): remove it and the secret, and register \
             the workflow as a trusted publisher on PyPI; with no credential, `{name}` uses \
             Trusted Publishing."
        ));
    }
    if words
        .windows(2)
        .any(|w| w == ["--trusted-publishing", "never"])
        || run.contains("--trusted-publishing=never")
    {
        problems.push(format!(
            "turns Trusted Publishing off (`--trusted-publishing never`): remove that option from `{name}`."
        ));
    }
    if let Some((major, minor)) = uploader.since
        && let Some((version, pinned)) = pinned_in_job(job, uploader.package)
        && pinned < (major, minor)
    {
        problems.push(format!(
            "pins {}=={version}, older than {major}.{minor}, the first release that can use \
             Trusted Publishing: upgrade it.",
            uploader.package
        ));
    }
    Some(problems)
}

fn ag108(repo: &Repo, _options: &Options) -> CheckResult {
    let workflows = repo.workflows()?;
    let mut publishing = 0;
    let mut problems = Vec::new();
    for workflow in workflows {
        let top = value::get(&workflow.doc, &["permissions"]);
        for (job_name, job) in jobs(&workflow.doc) {
            let place = format!("`{}`, job `{job_name}`,", workflow.file);
            for step in steps(job) {
                let mut found = Vec::new();
                if uses(step).starts_with("pypa/gh-action-pypi-publish") {
                    if value::has(step, &["with", "password"]) {
                        found.push(
                            "passes `password:` (an API token) to `pypa/gh-action-pypi-publish`: \
                             remove it and the secret, and register the workflow as a trusted \
                             publisher on PyPI."
                                .to_string(),
                        );
                    }
                } else if let Some(more) = uploader_problems(&TWINE, workflow, job, step)
                    .or_else(|| uploader_problems(&UV, workflow, job, step))
                {
                    found = more;
                } else {
                    continue;
                }
                publishing += 1;
                // Job permissions replace the workflow's; a reusable workflow gets its caller's.
                let id_token = value::get(job, &["permissions"])
                    .or(top)
                    .is_some_and(grants_id_token)
                    || called_with_id_token(workflows, workflow);
                if !id_token {
                    found.push(
                        "lacks the `id-token: write` permission that Trusted Publishing needs: \
                         add `permissions: {id-token: write}` to the job."
                            .to_string(),
                    );
                }
                problems.extend(found.into_iter().map(|p| format!("* {place} {p}")));
            }
        }
    }
    if publishing == 0 {
        return Ok(Outcome::Fail(format!(
            "No workflow publishes to PyPI (with `pypa/gh-action-pypi-publish`, `twine upload` \
             or `uv publish`).\n\n{}",
            AG108_NO_PUBLISH.trim()
        )));
    }
    problems.dedup();
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
    fn selectors_match_like_fnmatch() {
        for (selector, id, expected) in [
            ("*", "cp314t-win_amd64", true),
            ("cp3*", "cp314t-manylinux_x86_64", true),
            ("cp31?-*", "cp314t-manylinux_x86_64", false),
            ("cp31?t-*", "cp314t-manylinux_x86_64", true),
            ("*t-*", "cp314t-macosx_arm64", true),
            ("cp314-*", "cp314t-win_amd64", false),
            ("pp* cp312-*", "cp314t-win_amd64", false),
            ("cp31{2,3,4}t-*", "cp314t-win_amd64", true),
            ("cp31{2,3}-*", "cp314t-win_amd64", false),
            ("cp31[0-4]t-*", "cp314t-win_amd64", true),
            ("cp31[!4]t-*", "cp314t-win_amd64", false),
            ("*-manylinux_*", "cp314t-manylinux_x86_64", true),
            ("*-musllinux_*", "cp314t-manylinux_x86_64", false),
            ("CP314T-*", "cp314t-win_amd64", true),
            ("cp31[4", "cp31[4", true),
        ] {
            assert_eq!(
                selector_matches(selector, id),
                expected,
                "{selector} ~ {id}"
            );
        }
        // Many brace groups are expanded only so far.
        let braces = "{a,b}".repeat(30);
        assert!(expand_braces(&braces).len() <= MAX_EXPANSIONS + 2);
        // Many stars do not make matching slow (a recursive matcher takes exponential time).
        let stars = format!("{}x", "*".repeat(40));
        assert!(!selector_matches(&stars, &"a".repeat(60)));
    }

    #[test]
    fn cibuildwheel_versions_and_defaults() {
        let v = |s: &str| CibwVersion::parse(s);
        assert_eq!(
            v("v3.2.1"),
            Some(CibwVersion {
                major: 3,
                minor: Some(2)
            })
        );
        assert_eq!(
            v("v3"),
            Some(CibwVersion {
                major: 3,
                minor: None
            })
        );
        assert_eq!(v("main"), None);
        assert_eq!(v("release/v1"), None);
        let default = |s: &str| v(s).is_some_and(CibwVersion::builds_cp314t_by_default);
        assert!(default("v3") && default("3.1.0") && default("v3.4.1") && default("4.0"));
        assert!(!default("v3.0.1") && !default("v2.23.3") && !default("main"));
    }

    #[test]
    fn command_line_words_and_flags() {
        let w = words("python -m twine upload --repository-url=https://x/ -p \"$TOKEN\" dist/*");
        assert_eq!(w[2..4], ["twine", "upload"]);
        assert_eq!(flag_value(&w, "--repository-url"), Some("https://x/"));
        assert_eq!(flag_value(&w, "-p"), Some("$TOKEN"));
        assert_eq!(flag_value(&w, "--password"), None);
    }

    #[test]
    fn id_token_permissions() {
        assert!(grants_id_token(&serde_json::json!("write-all")));
        assert!(grants_id_token(&serde_json::json!({"id-token": "write"})));
        assert!(!grants_id_token(&serde_json::json!({"contents": "write"})));
        assert!(!grants_id_token(&serde_json::json!("read-all")));
    }
}
