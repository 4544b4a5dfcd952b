//! Reads the floors a project declares in its `pyproject.toml`.
//!
//! The text is parsed with `toml_edit`'s span-keeping parser, so every value can be traced back
//! to the 1-based line it starts on. Four places declare requirements: `project.requires-python`
//! (Python's floor, cut to `X.Y`), `project.dependencies`, every list of
//! `project.optional-dependencies`, and every PEP 735 group of `[dependency-groups]`. Each
//! requirement string is parsed as PEP 508 and becomes one [`Declaration`] at the line where it
//! is written, with its PEP 503-normalized name, extras, marker and the lowest version its
//! specifiers allow ([`floor_of`]). A `{include-group = "…"}` entry adds no new requirement
//! strings (the included group's are read where they are written, once) but is checked: the
//! group must exist and includes must not form a cycle. A requirement, a `requires-python` or a
//! value of the wrong type that cannot be read becomes a [`Problem`] naming the file and the
//! line, and reading goes on with the rest; only a file that cannot be read or is not TOML at
//! all is an error ([`PyprojectError`]). A file without `[project]` declares nothing.

use std::collections::{BTreeMap, BTreeSet};
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::str::FromStr;

use pep440_rs::{Operator, Version, VersionSpecifiers};
use pep508_rs::{Requirement, VersionOrUrl};
use toml_edit::{ImDocument, Item, Table, Value};

use crate::PYTHON;

/// Where `requires-python` declarations say they come from.
pub const REQUIRES_PYTHON: &str = "project.requires-python";

/// One floor declared in a pyproject.toml: a requirement string or `requires-python`.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Declaration {
    /// The PEP 503-normalized package name (`scikit-image`), or `python` for `requires-python`.
    pub package: String,
    /// The version specifiers as written after the name (`>=2.0,<3`), empty when there are none.
    pub specifier: String,
    /// The lowest version the specifiers allow (see [`floor_of`]); for Python cut to `X.Y`.
    #[serde(serialize_with = "crate::serde_version::optional")]
    pub floor: Option<Version>,
    /// The environment marker after `;`, as written, if any.
    pub marker: Option<String>,
    /// The extras requested (`dask[array]` gives `array`), normalized.
    pub extras: Vec<String>,
    /// Where it was declared (`project.dependencies`, `dependency-groups.dev`, …).
    pub source: String,
    /// The 1-based line of pyproject.toml on which the requirement string starts.
    pub line: usize,
    /// The requirement (or `requires-python` value) as written, trimmed; empty when nothing
    /// is written (a missing `requires-python`).
    #[serde(skip)]
    pub written: String,
}

/// Everything read from one pyproject.toml: the declarations and what could not be read.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct DeclaredFloors {
    /// The file the declarations were read from, as given.
    pub path: PathBuf,
    /// The declarations, in the order they appear in the file.
    pub declarations: Vec<Declaration>,
    /// Values that could not be read; the rest of the file was read all the same.
    pub problems: Vec<Problem>,
}

/// Something in a pyproject.toml that could not be read, with the file and line.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{}:{line}: {kind}", path.display())]
pub struct Problem {
    /// The file.
    pub path: PathBuf,
    /// The 1-based line.
    pub line: usize,
    /// What is wrong.
    pub kind: ProblemKind,
}

/// What is wrong with one value of a pyproject.toml.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ProblemKind {
    /// The file is not valid TOML.
    #[error("invalid TOML: {0}")]
    Toml(String),
    /// A requirement string is not valid PEP 508.
    #[error("invalid requirement `{requirement}` in {location}: {message}")]
    Requirement {
        /// The requirement as written.
        requirement: String,
        /// Where it was declared (`project.dependencies`, …).
        location: String,
        /// What the PEP 508 parser expected.
        message: String,
    },
    /// `requires-python` is not a valid PEP 440 specifier set.
    #[error("invalid requires-python `{value}`: {message}")]
    RequiresPython {
        /// The value as written.
        value: String,
        /// What the PEP 440 parser expected.
        message: String,
    },
    /// A value has the wrong type.
    #[error("{location}: expected {expected}")]
    Shape {
        /// Which value (`project.dependencies`, `dependency-groups.dev`, …).
        location: String,
        /// What it should have been.
        expected: String,
    },
    /// An `{include-group = …}` entry names a group that does not exist or forms a cycle.
    #[error("{location}: {message}")]
    IncludeGroup {
        /// The group that holds the entry (`dependency-groups.dev`).
        location: String,
        /// What is wrong with it.
        message: String,
    },
}

/// Why a pyproject.toml could not be read at all.
#[derive(Debug, thiserror::Error)]
pub enum PyprojectError {
    /// The file could not be read.
    #[error("cannot read {}: {source}", path.display())]
    Read {
        /// The file.
        path: PathBuf,
        /// The I/O error.
        #[source]
        source: std::io::Error,
    },
    /// The file is not valid TOML (or another problem that stops reading).
    #[error(transparent)]
    Invalid(#[from] Problem),
}

/// Reads the pyproject.toml at `path`, or `path/pyproject.toml` when `path` is a directory.
pub fn read(path: &Path) -> Result<DeclaredFloors, PyprojectError> {
    let file = if path.is_dir() {
        path.join("pyproject.toml")
    } else {
        path.to_path_buf()
    };
    // `./pyproject.toml` is named `pyproject.toml`, as GitHub annotations expect paths
    // relative to the repository root.
    let file = file
        .strip_prefix(".")
        .map(Path::to_path_buf)
        .unwrap_or(file);
    let text = std::fs::read_to_string(&file).map_err(|source| PyprojectError::Read {
        path: file.clone(),
        source,
    })?;
    parse(&file, &text)
}

/// Parses the text of a pyproject.toml; `path` is only used to name the file in problems.
pub fn parse(path: &Path, text: &str) -> Result<DeclaredFloors, PyprojectError> {
    let document = ImDocument::parse(text).map_err(|error| Problem {
        path: path.to_path_buf(),
        line: error.span().map_or(1, |span| line_at(text, span.start)),
        kind: ProblemKind::Toml(one_line(error.message())),
    })?;
    let mut reader = Reader {
        path,
        text,
        floors: DeclaredFloors::default(),
    };
    reader.floors.path = path.to_path_buf();
    let root = document.as_table();
    reader.project(root);
    reader.dependency_groups(root);
    // A project's own extras (`scikit-image[data]` inside scikit-image) are not dependencies.
    let own_name = root
        .get("project")
        .and_then(|project| project.get("name"))
        .and_then(|name| name.as_str())
        .map(normalize_name);
    if let Some(own_name) = own_name {
        reader.floors.declarations.retain(|d| d.package != own_name);
    }
    Ok(reader.floors)
}

/// The declaration of `python` that a release's `Requires-Python` (`>=3.10`) makes, as
/// `pyproject.toml`'s `requires-python` would; `None` when it is not a version specifier.
pub fn requires_python_declaration(requires_python: &str) -> Option<Declaration> {
    let specifiers = VersionSpecifiers::from_str(requires_python.trim()).ok()?;
    Some(Declaration {
        package: PYTHON.to_string(),
        specifier: requires_python.trim().to_string(),
        floor: floor_of(&specifiers).map(|floor| feature_version(&floor)),
        marker: None,
        extras: Vec::new(),
        source: "Requires-Python".to_string(),
        line: 0,
        written: requires_python.trim().to_string(),
    })
}

/// The PEP 503 normalized form of a package name: lowercase, runs of `-`, `_`, `.` as one `-`.
pub fn normalize_name(name: &str) -> String {
    agora_config::normalize(name.trim())
}

/// The lowest version a specifier set lets in: the highest of its `>=`, `>`, `~=`, `==`,
/// `==X.*` and `===` versions (pre-, post- and dev-parts kept); `None` when it has none
/// (no specifiers, or only `<`, `<=`, `!=`).
pub fn floor_of(specifiers: &VersionSpecifiers) -> Option<Version> {
    specifiers
        .iter()
        .filter(|specifier| {
            matches!(
                specifier.operator(),
                Operator::GreaterThanEqual
                    | Operator::GreaterThan
                    | Operator::TildeEqual
                    | Operator::Equal
                    | Operator::EqualStar
                    | Operator::ExactEqual
            )
        })
        .map(|specifier| specifier.version().clone())
        .max()
}

/// A version cut (or padded with zeros) to its first two release components, as Python's
/// feature releases are named (`3.10.2` → `3.10`, `3` → `3.0`).
pub fn feature_version(version: &Version) -> Version {
    let release = version.release();
    let major = release.first().copied().unwrap_or(0);
    let minor = release.get(1).copied().unwrap_or(0);
    Version::new([major, minor])
}

/// Walks the parsed document and collects declarations and problems.
struct Reader<'a> {
    path: &'a Path,
    text: &'a str,
    floors: DeclaredFloors,
}

impl Reader<'_> {
    fn line(&self, span: Option<Range<usize>>, fallback: usize) -> usize {
        span.map_or(fallback, |span| line_at(self.text, span.start))
    }

    fn problem(&mut self, line: usize, kind: ProblemKind) {
        self.floors.problems.push(Problem {
            path: self.path.to_path_buf(),
            line,
            kind,
        });
    }

    fn shape(&mut self, line: usize, location: &str, expected: &str) {
        self.problem(
            line,
            ProblemKind::Shape {
                location: location.to_string(),
                expected: expected.to_string(),
            },
        );
    }

    /// The line of `key` in `table`: the key's own span, else the value's, else `fallback`.
    fn key_line(&self, table: &Table, key: &str, fallback: usize) -> usize {
        let key_span = table.get_key_value(key).and_then(|(key, _)| key.span());
        let value_span = table.get(key).and_then(Item::span);
        self.line(key_span.or(value_span), fallback)
    }

    fn project(&mut self, root: &Table) {
        let Some(item) = root.get("project") else {
            return;
        };
        let line = self.key_line(root, "project", 1);
        let Some(project) = item.as_table_like() else {
            self.shape(line, "project", "a table");
            return;
        };
        let dynamic: Vec<String> = project
            .get("dynamic")
            .and_then(Item::as_array)
            .map(|array| {
                array
                    .iter()
                    .filter_map(Value::as_str)
                    .map(str::to_string)
                    .collect()
            })
            .unwrap_or_default();

        match project.get("requires-python") {
            Some(value) => self.requires_python(value, line),
            None if !dynamic.iter().any(|d| d == "requires-python") => {
                // No requires-python at all: Python has no declared floor.
                self.floors.declarations.push(Declaration {
                    package: PYTHON.to_string(),
                    specifier: String::new(),
                    floor: None,
                    marker: None,
                    extras: Vec::new(),
                    source: REQUIRES_PYTHON.to_string(),
                    line,
                    written: String::new(),
                });
            }
            None => {}
        }

        if let Some(dependencies) = project.get("dependencies") {
            self.requirement_list(dependencies, "project.dependencies", line);
        }

        if let Some(optional) = project.get("optional-dependencies") {
            let location = "project.optional-dependencies";
            let optional_line = self.line(optional.span(), line);
            match optional.as_table_like() {
                Some(extras) => {
                    for (extra, list) in extras.iter() {
                        self.requirement_list(list, &format!("{location}.{extra}"), optional_line);
                    }
                }
                None => self.shape(optional_line, location, "a table of requirement lists"),
            }
        }
    }

    fn requires_python(&mut self, item: &Item, fallback: usize) {
        let line = self.line(item.span(), fallback);
        let Some(value) = item.as_str() else {
            self.shape(line, REQUIRES_PYTHON, "a string");
            return;
        };
        match VersionSpecifiers::from_str(value) {
            Ok(specifiers) => self.floors.declarations.push(Declaration {
                package: PYTHON.to_string(),
                specifier: value.trim().to_string(),
                floor: floor_of(&specifiers).map(|floor| feature_version(&floor)),
                marker: None,
                extras: Vec::new(),
                source: REQUIRES_PYTHON.to_string(),
                line,
                written: value.trim().to_string(),
            }),
            Err(error) => self.problem(
                line,
                ProblemKind::RequiresPython {
                    value: value.to_string(),
                    message: one_line(&error.to_string()),
                },
            ),
        }
    }

    /// Reads an array of requirement strings (`project.dependencies`, one extra's list).
    fn requirement_list(&mut self, item: &Item, location: &str, fallback: usize) {
        let line = self.line(item.span(), fallback);
        let Some(array) = item.as_array() else {
            self.shape(line, location, "an array of requirement strings");
            return;
        };
        for value in array.iter() {
            let value_line = self.line(value.span(), line);
            match value.as_str() {
                Some(requirement) => self.requirement(requirement, location, value_line),
                None => self.shape(value_line, location, "requirement strings only"),
            }
        }
    }

    fn requirement(&mut self, text: &str, location: &str, line: usize) {
        // pep508_rs recurses on markers and panics on some names: screen before it sees them.
        if let Err(hazard) = agora_pypi::requirement::screen(text) {
            self.problem(
                line,
                ProblemKind::Requirement {
                    requirement: text.to_string(),
                    location: location.to_string(),
                    message: hazard.to_string(),
                },
            );
            return;
        }
        match Requirement::<pep508_rs::VerbatimUrl>::from_str(text) {
            Ok(requirement) => {
                let (specifier, floor) = match &requirement.version_or_url {
                    Some(VersionOrUrl::VersionSpecifier(specifiers)) => {
                        (specifiers.to_string(), floor_of(specifiers))
                    }
                    Some(VersionOrUrl::Url(url)) => (format!("@ {url}"), None),
                    None => (String::new(), None),
                };
                let marker = if requirement.marker.is_true() {
                    None
                } else {
                    raw_marker(text, &requirement).or_else(|| requirement.marker.try_to_string())
                };
                self.floors.declarations.push(Declaration {
                    package: normalize_name(requirement.name.as_ref()),
                    specifier,
                    floor,
                    marker,
                    extras: requirement.extras.iter().map(ToString::to_string).collect(),
                    source: location.to_string(),
                    line,
                    written: text.trim().to_string(),
                });
            }
            Err(error) => self.problem(
                line,
                ProblemKind::Requirement {
                    requirement: text.to_string(),
                    location: location.to_string(),
                    message: format!(
                        "{} (at character {})",
                        one_line(&error.message.to_string()),
                        error.start + 1
                    ),
                },
            ),
        }
    }

    fn dependency_groups(&mut self, root: &Table) {
        let Some(item) = root.get("dependency-groups") else {
            return;
        };
        let line = self.key_line(root, "dependency-groups", 1);
        let Some(groups) = item.as_table_like() else {
            self.shape(line, "dependency-groups", "a table of group lists");
            return;
        };

        // Normalized group name -> (groups it includes, with the line of each include).
        let mut includes: BTreeMap<String, Vec<(String, usize)>> = BTreeMap::new();
        let mut names: BTreeMap<String, String> = BTreeMap::new();
        for (group, list) in groups.iter() {
            let location = format!("dependency-groups.{group}");
            let group_line = self.line(list.span(), line);
            let normalized = normalize_name(group);
            if let Some(first) = names.insert(normalized.clone(), group.to_string()) {
                self.problem(
                    group_line,
                    ProblemKind::IncludeGroup {
                        location: location.clone(),
                        message: format!("group name duplicates `{first}` once normalized"),
                    },
                );
            }
            let Some(array) = list.as_array() else {
                self.shape(
                    group_line,
                    &location,
                    "an array of requirements and include-groups",
                );
                continue;
            };
            let group_includes = includes.entry(normalized).or_default();
            for value in array.iter() {
                let value_line = self.line(value.span(), group_line);
                match value {
                    Value::String(requirement) => {
                        self.requirement(requirement.value(), &location, value_line);
                    }
                    Value::InlineTable(table) => {
                        match table.get("include-group").and_then(Value::as_str) {
                            Some(name) if table.len() == 1 => {
                                group_includes.push((normalize_name(name), value_line));
                            }
                            _ => self.shape(
                                value_line,
                                &location,
                                "a requirement string or `{include-group = \"name\"}`",
                            ),
                        }
                    }
                    _ => self.shape(
                        value_line,
                        &location,
                        "a requirement string or `{include-group = \"name\"}`",
                    ),
                }
            }
        }
        self.check_includes(&names, &includes);
    }

    /// Reports includes of unknown groups and include cycles (PEP 735 makes both errors).
    fn check_includes(
        &mut self,
        names: &BTreeMap<String, String>,
        includes: &BTreeMap<String, Vec<(String, usize)>>,
    ) {
        let mut reported_cycles: BTreeSet<String> = BTreeSet::new();
        for (group, group_includes) in includes {
            let written = names.get(group).map_or(group.as_str(), String::as_str);
            let location = format!("dependency-groups.{written}");
            for (target, line) in group_includes {
                if !names.contains_key(target) {
                    self.problem(
                        *line,
                        ProblemKind::IncludeGroup {
                            location: location.clone(),
                            message: format!("includes unknown group `{target}`"),
                        },
                    );
                } else if reaches(includes, target, group) && reported_cycles.insert(group.clone())
                {
                    self.problem(
                        *line,
                        ProblemKind::IncludeGroup {
                            location: location.clone(),
                            message: format!("including `{target}` forms a cycle"),
                        },
                    );
                }
            }
        }
    }
}

/// Whether group `to` can be reached from group `from` through include-group entries.
fn reaches(includes: &BTreeMap<String, Vec<(String, usize)>>, from: &str, to: &str) -> bool {
    let mut seen: BTreeSet<&str> = BTreeSet::new();
    let mut stack = vec![from];
    while let Some(group) = stack.pop() {
        if group == to {
            return true;
        }
        if !seen.insert(group) {
            continue;
        }
        if let Some(next) = includes.get(group) {
            stack.extend(next.iter().map(|(name, _)| name.as_str()));
        }
    }
    false
}

/// The marker of a requirement as written: the text after the `;` that starts it. Names,
/// extras and specifiers cannot hold a `;`, so for those it is the first one; a URL can, so
/// there PEP 508's `;` after whitespace is looked for, and `None` returned when unsure.
fn raw_marker(text: &str, requirement: &Requirement) -> Option<String> {
    let start = match requirement.version_or_url {
        Some(VersionOrUrl::Url(_)) => {
            let at = text.find(" ;").or_else(|| text.find("\t;"))?;
            at + 2
        }
        _ => text.find(';')? + 1,
    };
    let marker = text.get(start..)?.trim();
    (!marker.is_empty()).then(|| marker.to_string())
}

/// The 1-based line on which byte `offset` of `text` falls.
pub(crate) fn line_at(text: &str, offset: usize) -> usize {
    let before = text.as_bytes().get(..offset).unwrap_or(text.as_bytes());
    before.iter().filter(|&&b| b == b'\n').count() + 1
}

/// A multi-line parser message on one line.
fn one_line(message: &str) -> String {
    message
        .lines()
        .map(str::trim)
        .filter(|line| !line.is_empty())
        .collect::<Vec<_>>()
        .join("; ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse_ok(text: &str) -> DeclaredFloors {
        match parse(Path::new("pyproject.toml"), text) {
            Ok(floors) => floors,
            Err(error) => panic!("unexpected error: {error}"),
        }
    }

    /// Found by fuzz/pyproject_floors: pep508_rs 0.9.2 panicked on a name ending in `-`.
    #[test]
    fn a_name_ending_in_a_separator_is_a_problem_not_a_panic() {
        for name in ["scipy-", "spin.", "pytest_"] {
            let text = format!("[project]\nname = \"demo\"\ndependencies = [\"{name} >=1.10\"]\n");
            let floors = parse_ok(&text);
            // Only Python's own (absent) floor is declared: the requirement was not parsed.
            assert!(
                floors.declarations.iter().all(|d| d.package == PYTHON),
                "{name}: {:?}",
                floors.declarations
            );
            assert_eq!(floors.problems.len(), 1, "{name}: {:?}", floors.problems);
            assert_eq!(floors.problems[0].line, 3, "{name}");
            let message = floors.problems[0].to_string();
            assert!(
                message.contains("must end with a letter or digit"),
                "{message}"
            );
        }
    }

    fn v(text: &str) -> Version {
        Version::from_str(text).expect("test version")
    }

    fn floor(specifiers: &str) -> Option<String> {
        let specifiers = VersionSpecifiers::from_str(specifiers).expect("test specifiers");
        floor_of(&specifiers).map(|v| v.to_string())
    }

    #[test]
    fn floors_from_operators() {
        assert_eq!(floor(">=2.0.2"), Some("2.0.2".into()));
        assert_eq!(floor(">=1.0,<3"), Some("1.0".into()));
        assert_eq!(floor("~=3.11"), Some("3.11".into()));
        assert_eq!(floor("==2.1.*"), Some("2.1".into()));
        assert_eq!(floor("==1.26.4"), Some("1.26.4".into()));
        assert_eq!(floor(">3.9"), Some("3.9".into()));
        // Two lower bounds: the higher one wins.
        assert_eq!(floor(">=1.5,>1.7"), Some("1.7".into()));
        assert_eq!(floor("<3"), None);
        assert_eq!(floor("!=2.0.0,<=3"), None);
        assert_eq!(floor(""), None);
    }

    #[test]
    fn feature_versions() {
        assert_eq!(feature_version(&v("3.10.2")), v("3.10"));
        assert_eq!(feature_version(&v("3")), v("3.0"));
        assert_eq!(feature_version(&v("3.13rc1")).to_string(), "3.13");
    }

    #[test]
    fn normalizes_names() {
        assert_eq!(normalize_name("Scikit_Image"), "scikit-image");
        assert_eq!(normalize_name("zope.interface"), "zope-interface");
        assert_eq!(normalize_name("a-_.b"), "a-b");
        assert_eq!(normalize_name("NumPy"), "numpy");
    }

    #[test]
    fn lines_of_offsets() {
        let text = "a\nbc\n\nd";
        assert_eq!(line_at(text, 0), 1);
        assert_eq!(line_at(text, 2), 2);
        assert_eq!(line_at(text, 6), 4);
        assert_eq!(line_at(text, 999), 4);
    }

    #[test]
    fn requires_python_forms() {
        for (value, expected) in [
            (">=3.10", Some("3.10")),
            (">=3.10,<4", Some("3.10")),
            ("~=3.11", Some("3.11")),
            (">3.9", Some("3.9")),
            (">=3.11.4", Some("3.11")),
            ("<3.13", None),
        ] {
            let floors = parse_ok(&format!("[project]\nrequires-python = \"{value}\"\n"));
            assert_eq!(floors.problems, vec![]);
            assert_eq!(floors.declarations.len(), 1, "{value}");
            let declaration = &floors.declarations[0];
            assert_eq!(declaration.package, "python");
            assert_eq!(declaration.line, 2);
            assert_eq!(
                declaration
                    .floor
                    .as_ref()
                    .map(ToString::to_string)
                    .as_deref(),
                expected
            );
        }
    }

    #[test]
    fn missing_project_declares_nothing() {
        let floors = parse_ok("[tool.ruff]\nline-length = 88\n");
        assert!(floors.declarations.is_empty());
        assert!(floors.problems.is_empty());
    }

    #[test]
    fn a_releases_requires_python_is_a_python_declaration() {
        let declaration = requires_python_declaration(">=3.11, <4").expect("a specifier");
        assert_eq!(declaration.package, "python");
        assert_eq!(declaration.floor, Some("3.11".parse().expect("version")));
        assert!(requires_python_declaration("three").is_none());
    }

    #[test]
    fn missing_requires_python_is_a_floorless_declaration() {
        let floors = parse_ok("# header\n[project]\nname = \"x\"\n");
        assert_eq!(floors.declarations.len(), 1);
        assert_eq!(floors.declarations[0].package, "python");
        assert_eq!(floors.declarations[0].floor, None);
        assert_eq!(floors.declarations[0].line, 2);
        // Dynamic requires-python is not reported.
        let floors = parse_ok("[project]\ndynamic = [\"requires-python\"]\n");
        assert!(floors.declarations.is_empty());
    }

    #[test]
    fn markers_and_extras_are_kept_as_written() {
        let text = "[project]\nrequires-python = \">=3.11\"\ndependencies = [\n  \"NumPy[Dev] >=1.26; python_version<'3.12'\",\n  \"dask[array,dataframe]>=2024.8\",\n]\n";
        let floors = parse_ok(text);
        assert!(floors.problems.is_empty());
        let numpy = &floors.declarations[1];
        assert_eq!(numpy.package, "numpy");
        assert_eq!(numpy.specifier, ">=1.26");
        assert_eq!(numpy.marker.as_deref(), Some("python_version<'3.12'"));
        assert_eq!(numpy.extras, vec!["dev".to_string()]);
        assert_eq!(numpy.line, 4);
        let dask = &floors.declarations[2];
        assert_eq!(
            dask.extras,
            vec!["array".to_string(), "dataframe".to_string()]
        );
        assert_eq!(dask.marker, None);
        assert_eq!(dask.line, 5);
    }

    #[test]
    fn wrong_types_are_problems_not_panics() {
        let text = "[project]\nrequires-python = 3\ndependencies = \"numpy\"\noptional-dependencies = [1]\n[dependency-groups]\ndev = [1, {include = \"x\"}]\ntest = \"pytest\"\n";
        let floors = parse_ok(text);
        let lines: Vec<usize> = floors.problems.iter().map(|p| p.line).collect();
        assert_eq!(lines, vec![2, 3, 4, 6, 6, 7]);
        assert!(floors.declarations.is_empty());
    }

    #[test]
    fn include_group_problems() {
        let text = "[project]\nrequires-python = \">=3.12\"\n[dependency-groups]\na = [{include-group = \"b\"}]\nb = [{include-group = \"A\"}]\nc = [{include-group = \"missing\"}]\n";
        let floors = parse_ok(text);
        let messages: Vec<String> = floors.problems.iter().map(ToString::to_string).collect();
        assert_eq!(
            messages,
            vec![
                "pyproject.toml:4: dependency-groups.a: including `b` forms a cycle",
                "pyproject.toml:5: dependency-groups.b: including `a` forms a cycle",
                "pyproject.toml:6: dependency-groups.c: includes unknown group `missing`",
            ]
        );
    }

    #[test]
    fn url_requirement_has_no_floor() {
        let text = "[project]\nrequires-python = \">=3.12\"\ndependencies = [\"numpy @ https://example.org/numpy-2.0.0.tar.gz ; sys_platform == 'linux'\"]\n";
        let floors = parse_ok(text);
        assert!(floors.problems.is_empty());
        let numpy = &floors.declarations[1];
        assert_eq!(numpy.floor, None);
        assert_eq!(numpy.marker.as_deref(), Some("sys_platform == 'linux'"));
    }
}
