//! The repository model: every input file read and parsed once, shared by all checks.
//!
//! [`Repo::load`] reads `pyproject.toml`, `.pre-commit-config.yaml`, the GitHub workflows,
//! `dependabot.yml`, the ReadTheDocs config, the ruff config (`.ruff.toml`, `ruff.toml` or
//! `[tool.ruff]`, honouring `extend = "pyproject.toml"`), the pytest config (`pytest.toml`,
//! `.pytest.toml` or `[tool.pytest]`), `setup.cfg` and `noxfile.py`. Each parsed input is an
//! [`Input`]: the value, or the [`InputError`] naming file and line. A missing file is not an
//! error: like sp-repo-review, a missing mapping input is an empty mapping, and inputs whose
//! absence matters (`setup.cfg`, `noxfile.py`, ruff) are `Option`s.

use std::path::{Path, PathBuf};

use crate::error::{InputError, line_of};
use crate::parse::ini::Ini;
use crate::parse::python::Noxfile;
use crate::parse::yaml_depth;
use crate::value::{self, Value};

/// A parsed input, or the error that stopped it being parsed.
pub type Input<T> = Result<T, InputError>;

/// Where the pytest configuration was found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PytestFile {
    /// `pytest.toml` or `.pytest.toml` (pytest 9+).
    PytestToml,
    /// `[tool.pytest]` in `pyproject.toml` (pytest 9+).
    ModernPyproject,
    /// `[tool.pytest.ini_options]` in `pyproject.toml` (pytest 6+).
    LegacyPyproject,
    /// No TOML pytest configuration.
    None,
}

/// One GitHub Actions workflow file.
#[derive(Debug, Clone, PartialEq)]
pub struct Workflow {
    /// The file stem (`ci` for `ci.yml`), as `uses: ./.github/workflows/…` callers and
    /// sp-repo-review name workflows.
    pub name: String,
    /// The file name in `.github/workflows/` (`ci.yml`), for messages.
    pub file: String,
    /// The parsed document (always a mapping).
    pub doc: Value,
    /// The text of the file (for what parsing drops: the version comment after a pinned SHA).
    pub text: String,
}

/// A repository's inputs, parsed once.
#[derive(Debug, Clone)]
pub struct Repo {
    /// The repository root.
    pub root: PathBuf,
    /// `pyproject.toml` (an empty mapping if missing).
    pub pyproject: Input<Value>,
    /// The text of `pyproject.toml` (`None` if missing), for checks that need lines and spans.
    pub pyproject_text: Input<Option<String>>,
    /// `.pre-commit-config.yaml` (an empty mapping if missing).
    pub precommit: Input<Value>,
    /// `.github/workflows/*.{yml,yaml}`, sorted by file name.
    pub workflows: Input<Vec<Workflow>>,
    /// `.github/dependabot.{yml,yaml}` (an empty mapping if missing).
    pub dependabot: Input<Value>,
    /// `.readthedocs.{yaml,yml}` (an empty mapping if missing).
    pub readthedocs: Input<Value>,
    /// The ruff configuration, `None` if there is none.
    pub ruff: Input<Option<Value>>,
    /// The pytest configuration and where it came from.
    pub pytest: Input<(PytestFile, Value)>,
    /// `setup.cfg`, `None` if missing.
    pub setupcfg: Option<Input<Ini>>,
    /// `noxfile.py`, `None` if missing.
    pub noxfile: Option<Input<Noxfile>>,
}

impl Repo {
    /// Reads and parses every input under `root`. Never fails: problems are kept per input.
    pub fn load(root: &Path) -> Self {
        let root = root.to_path_buf();
        let pyproject_text = read_text(&root, "pyproject.toml");
        let pyproject = match &pyproject_text {
            Ok(Some(text)) => parse_toml(text, "pyproject.toml"),
            Ok(None) => Ok(empty_if_missing(None)),
            Err(e) => Err(e.clone()),
        };
        let precommit = read_yaml(&root, ".pre-commit-config.yaml")
            .and_then(|v| mapping_or_empty(v, ".pre-commit-config.yaml"));
        let dependabot = first_yaml(
            &root,
            &[".github/dependabot.yml", ".github/dependabot.yaml"],
        );
        let readthedocs = first_yaml(&root, &[".readthedocs.yaml", ".readthedocs.yml"]);
        let workflows = read_workflows(&root);
        let ruff = read_ruff(&root, &pyproject);
        let pytest = read_pytest(&root, &pyproject);
        let setupcfg = read_text(&root, "setup.cfg")
            .transpose()
            .map(|text| text.and_then(|t| Ini::parse(&t, "setup.cfg")));
        let noxfile = read_text(&root, "noxfile.py")
            .transpose()
            .map(|text| text.and_then(|t| Noxfile::parse(&t, "noxfile.py")));
        Self {
            root,
            pyproject,
            pyproject_text,
            precommit,
            workflows,
            dependabot,
            readthedocs,
            ruff,
            pytest,
            setupcfg,
            noxfile,
        }
    }

    /// Whether `rel` (relative to the root) is a file.
    pub fn is_file(&self, rel: &str) -> bool {
        self.root.join(rel).is_file()
    }

    /// Whether `rel` (relative to the root) is a directory.
    pub fn is_dir(&self, rel: &str) -> bool {
        self.root.join(rel).is_dir()
    }

    /// The entries of directory `rel` as (name, is a directory); empty if unreadable.
    pub fn entries(&self, rel: &str) -> Vec<(String, bool)> {
        let dir = if rel.is_empty() {
            self.root.clone()
        } else {
            self.root.join(rel)
        };
        let Ok(read) = std::fs::read_dir(dir) else {
            return Vec::new();
        };
        let mut entries: Vec<(String, bool)> = read
            .filter_map(Result::ok)
            .map(|e| {
                (
                    e.file_name().to_string_lossy().into_owned(),
                    e.path().is_dir(),
                )
            })
            .collect();
        entries.sort();
        entries
    }

    /// The `pyproject.toml` document, or its error.
    pub fn pyproject(&self) -> Result<&Value, InputError> {
        self.pyproject.as_ref().map_err(Clone::clone)
    }

    /// The `.pre-commit-config.yaml` document, or its error.
    pub fn precommit(&self) -> Result<&Value, InputError> {
        self.precommit.as_ref().map_err(Clone::clone)
    }

    /// The workflows, or the first error among them.
    pub fn workflows(&self) -> Result<&[Workflow], InputError> {
        self.workflows
            .as_ref()
            .map(Vec::as_slice)
            .map_err(Clone::clone)
    }

    /// The dependabot document, or its error.
    pub fn dependabot(&self) -> Result<&Value, InputError> {
        self.dependabot.as_ref().map_err(Clone::clone)
    }

    /// The ReadTheDocs document, or its error.
    pub fn readthedocs(&self) -> Result<&Value, InputError> {
        self.readthedocs.as_ref().map_err(Clone::clone)
    }

    /// The ruff configuration (`None` when absent), or its error.
    pub fn ruff(&self) -> Result<Option<&Value>, InputError> {
        self.ruff.as_ref().map(Option::as_ref).map_err(Clone::clone)
    }

    /// The pytest configuration, or its error.
    pub fn pytest(&self) -> Result<(PytestFile, &Value), InputError> {
        self.pytest
            .as_ref()
            .map(|(kind, v)| (*kind, v))
            .map_err(Clone::clone)
    }

    /// `setup.cfg` (`None` when absent), or its error.
    pub fn setupcfg(&self) -> Result<Option<&Ini>, InputError> {
        self.setupcfg
            .as_ref()
            .map(|r| r.as_ref())
            .transpose()
            .map_err(Clone::clone)
    }

    /// `noxfile.py` (`None` when absent), or its error.
    pub fn noxfile(&self) -> Result<Option<&Noxfile>, InputError> {
        self.noxfile
            .as_ref()
            .map(|r| r.as_ref())
            .transpose()
            .map_err(Clone::clone)
    }

    /// `requires-python` from `[project]`, Poetry, or `setup.cfg`'s `python_requires`.
    pub fn requires_python(&self) -> Option<String> {
        if let Ok(pyproject) = &self.pyproject {
            if let Some(r) = value::string(pyproject, &["project", "requires-python"]) {
                return Some(r.to_string());
            }
            let deps = value::get(pyproject, &["tool", "poetry", "dependencies"]);
            if let Some(deps) = deps {
                for key in ["python", "version"] {
                    if let Some(r) = value::string(deps, &[key]) {
                        return Some(r.to_string());
                    }
                }
            }
        }
        if let Ok(Some(cfg)) = self.setupcfg() {
            return cfg
                .get("options", "python_requires")
                .filter(|r| !r.is_empty())
                .map(str::to_string);
        }
        None
    }
}

/// The largest input file read (a `pyproject.toml` or workflow is a few kilobytes).
const MAX_INPUT_BYTES: u64 = 16 * 1024 * 1024;

/// Reads `rel` as UTF-8 text: `Ok(None)` if it is not a file (a symlink to one is; a
/// device, FIFO or directory is not), an error if it is larger than [`MAX_INPUT_BYTES`].
fn read_text(root: &Path, rel: &str) -> Result<Option<String>, InputError> {
    let path = root.join(rel);
    if !path.is_file() {
        return Ok(None);
    }
    let capped = std::fs::File::open(&path).and_then(|file| {
        let mut bytes = Vec::new();
        std::io::Read::read_to_end(
            &mut std::io::Read::take(file, MAX_INPUT_BYTES + 1),
            &mut bytes,
        )?;
        Ok(bytes)
    });
    if capped
        .as_ref()
        .is_ok_and(|bytes| bytes.len() as u64 > MAX_INPUT_BYTES)
    {
        return Err(InputError::new(
            rel,
            None,
            format!(
                "larger than the {} MiB an input file may have",
                MAX_INPUT_BYTES / 1024 / 1024
            ),
        ));
    }
    match capped {
        Ok(bytes) => String::from_utf8(bytes)
            .map(Some)
            .map_err(|_| InputError::new(rel, None, "not valid UTF-8 text")),
        Err(e) => Err(InputError::new(rel, None, format!("cannot be read: {e}"))),
    }
}

fn read_toml(root: &Path, rel: &str) -> Result<Option<Value>, InputError> {
    let Some(text) = read_text(root, rel)? else {
        return Ok(None);
    };
    parse_toml(&text, rel).map(Some)
}

/// Parses TOML text; `file` names it in errors.
pub(crate) fn parse_toml(text: &str, file: &str) -> Result<Value, InputError> {
    match toml::from_str::<toml::Value>(text) {
        Ok(v) => Ok(value::from_toml(v)),
        Err(e) => {
            let line = e.span().map(|s| line_of(text, s.start));
            Err(InputError::new(
                file,
                line,
                format!("invalid TOML: {}", one_line(e.message())),
            ))
        }
    }
}

fn read_yaml(root: &Path, rel: &str) -> Result<Option<Value>, InputError> {
    let Some(text) = read_text(root, rel)? else {
        return Ok(None);
    };
    parse_yaml(&text, rel).map(Some)
}

/// Parses YAML text; `file` names it in errors.
pub(crate) fn parse_yaml(text: &str, file: &str) -> Result<Value, InputError> {
    if let Some(line) = yaml_depth::first_line_beyond(text) {
        return Err(InputError::new(
            file,
            Some(line),
            format!(
                "invalid YAML: flow collections (`[`, `{{`) nested more than {} deep",
                yaml_depth::MAX_FLOW_DEPTH
            ),
        ));
    }
    match serde_yaml_ng::from_str::<serde_yaml_ng::Value>(text) {
        Ok(mut v) => {
            // `<<: *anchor` merge keys, as PyYAML applies them.
            let _ = v.apply_merge();
            Ok(value::from_yaml(v))
        }
        Err(e) => {
            let line = e.location().map(|l| l.line());
            let mut message = e.to_string();
            if let Some(at) = message.find(" at line ") {
                message.truncate(at);
            }
            Err(InputError::new(
                file,
                line,
                format!("invalid YAML: {}", one_line(&message)),
            ))
        }
    }
}

/// A parser message on one line (`; ` between its lines).
pub(crate) fn one_line(message: &str) -> String {
    message
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect::<Vec<_>>()
        .join("; ")
}

fn empty_if_missing(v: Option<Value>) -> Value {
    v.unwrap_or_else(|| Value::Object(Default::default()))
}

/// A missing or empty document is an empty mapping; anything else must be a mapping.
fn mapping_or_empty(v: Option<Value>, file: &str) -> Result<Value, InputError> {
    match v {
        None | Some(Value::Null) => Ok(Value::Object(Default::default())),
        Some(v @ Value::Object(_)) => Ok(v),
        Some(_) => Err(InputError::new(
            file,
            Some(1),
            "expected a mapping at the top level",
        )),
    }
}

fn first_yaml(root: &Path, candidates: &[&str]) -> Result<Value, InputError> {
    for rel in candidates {
        if root.join(rel).is_file() {
            return mapping_or_empty(read_yaml(root, rel)?, rel);
        }
    }
    Ok(Value::Object(Default::default()))
}

fn read_workflows(root: &Path) -> Result<Vec<Workflow>, InputError> {
    let dir = root.join(".github/workflows");
    let Ok(read) = std::fs::read_dir(&dir) else {
        return Ok(Vec::new());
    };
    let mut names: Vec<String> = read
        .filter_map(Result::ok)
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".yml") || n.ends_with(".yaml"))
        .collect();
    names.sort();
    let mut workflows: Vec<Workflow> = Vec::new();
    for file_name in names {
        let rel = format!(".github/workflows/{file_name}");
        let stem = file_name
            .rsplit_once('.')
            .map_or(file_name.as_str(), |(stem, _)| stem)
            .to_string();
        let text = read_text(root, &rel)?.unwrap_or_default();
        let doc = match parse_yaml(&text, &rel)? {
            doc @ Value::Object(_) => doc,
            _ => {
                return Err(InputError::new(
                    rel,
                    Some(1),
                    "a workflow must be a mapping (with `on:` and `jobs:`)",
                ));
            }
        };
        // A later `.yml`/`.yaml` with the same stem replaces the earlier one.
        workflows.retain(|w| w.name != stem);
        workflows.push(Workflow {
            name: stem,
            file: file_name,
            doc,
            text,
        });
    }
    Ok(workflows)
}

/// Deep-merges `add` into `start` (mappings merge, anything else replaces).
fn merge(start: &Value, add: &Value) -> Value {
    let mut merged = start.as_object().cloned().unwrap_or_default();
    if let Some(add) = add.as_object() {
        for (key, value) in add {
            let new = if value.is_object() {
                let base = start
                    .get(key)
                    .cloned()
                    .unwrap_or_else(|| Value::Object(Default::default()));
                merge(&base, value)
            } else {
                value.clone()
            };
            merged.insert(key.clone(), new);
        }
    }
    Value::Object(merged)
}

fn read_ruff(root: &Path, pyproject: &Input<Value>) -> Input<Option<Value>> {
    for rel in [".ruff.toml", "ruff.toml"] {
        if let Some(contents) = read_toml(root, rel)? {
            if value::string(&contents, &["extend"]) == Some("pyproject.toml") {
                let pyproject = pyproject.as_ref().map_err(Clone::clone)?;
                let base = value::get(pyproject, &["tool", "ruff"])
                    .cloned()
                    .unwrap_or_else(|| Value::Object(Default::default()));
                return Ok(Some(merge(&base, &contents)));
            }
            return Ok(Some(contents));
        }
    }
    let pyproject = pyproject.as_ref().map_err(Clone::clone)?;
    Ok(value::get(pyproject, &["tool", "ruff"]).cloned())
}

fn read_pytest(root: &Path, pyproject: &Input<Value>) -> Input<(PytestFile, Value)> {
    for rel in ["pytest.toml", ".pytest.toml"] {
        if let Some(contents) = read_toml(root, rel)? {
            let config = value::get(&contents, &["pytest"])
                .cloned()
                .unwrap_or_else(|| Value::Object(Default::default()));
            return Ok((PytestFile::PytestToml, config));
        }
    }
    let pyproject = pyproject.as_ref().map_err(Clone::clone)?;
    if let Some(pytest) = value::table(pyproject, &["tool", "pytest"]) {
        if let Some(config) = pytest.get("ini_options") {
            return Ok((PytestFile::LegacyPyproject, config.clone()));
        }
        return Ok((PytestFile::ModernPyproject, Value::Object(pytest.clone())));
    }
    Ok((PytestFile::None, Value::Object(Default::default())))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn toml_and_yaml_errors_carry_lines() {
        let e = parse_toml("[a]\nb = 1\nc = \n", "pyproject.toml").expect_err("bad");
        assert_eq!(e.line, Some(3));
        assert!(
            e.to_string()
                .starts_with("`pyproject.toml` line 3: invalid TOML")
        );
        let e = parse_yaml("a: 1\nb: [\n", "x.yaml").expect_err("bad");
        assert!(e.line.is_some());
        assert!(e.message.starts_with("invalid YAML"));
    }

    #[test]
    fn merge_is_deep() {
        let a = serde_json::json!({"lint": {"select": ["A"]}, "x": 1});
        let b = serde_json::json!({"lint": {"ignore": ["B"]}, "x": 2});
        let m = merge(&a, &b);
        assert_eq!(
            m,
            serde_json::json!({"lint": {"select": ["A"], "ignore": ["B"]}, "x": 2})
        );
    }
}
