//! The Python files of one package, read from a source tree or an sdist (`.tar.gz`) without
//! unpacking it to disk.
//!
//! Only `.py` and `.pyi` files under the package folder are kept, keyed by dotted module name
//! (`numpy/_core/fromnumeric.py` → `numpy._core.fromnumeric`); `tests` folders and files over
//! [`agora_python::MAX_SOURCE_BYTES`] are skipped. The package is the folder named by
//! `--package`, else the only top-level (or `src/`) folder with an `__init__.py` that is not a
//! test or tooling folder, else the one named like the project in `pyproject.toml`.

use std::collections::BTreeMap;
use std::io::Read as _;
use std::path::{Path, PathBuf};

/// One source file: its path relative to the project root and its text.
#[derive(Debug, Clone)]
pub struct SourceFile {
    /// Path relative to the project root, `/`-separated (`numpy/_core/fromnumeric.py`).
    pub path: String,
    /// The decoded text.
    pub text: String,
}

/// The `.py` and `.pyi` files of one module.
#[derive(Debug, Clone, Default)]
pub struct ModuleFiles {
    /// The implementation.
    pub py: Option<SourceFile>,
    /// The stub.
    pub pyi: Option<SourceFile>,
    /// Whether the module is a package (`__init__`).
    pub is_package: bool,
}

/// The files of a package, by dotted module name.
#[derive(Debug, Clone, Default)]
pub struct PackageSource {
    /// The import name of the top-level package (`numpy`).
    pub name: String,
    /// Modules by dotted name.
    pub modules: BTreeMap<String, ModuleFiles>,
    /// Files that could not be read or decoded: path and why.
    pub unreadable: Vec<(String, String)>,
    /// `pyproject.toml`'s text, when present.
    pub pyproject: Option<String>,
}

/// Why a package could not be loaded at all.
#[derive(Debug, thiserror::Error)]
pub enum LoadError {
    /// The path cannot be read.
    #[error("{path}: {source}")]
    Io {
        /// The path.
        path: String,
        /// The error.
        source: std::io::Error,
    },
    /// No package folder was found, or several and none chosen.
    #[error("{0}")]
    NoPackage(String),
}

/// Folders that are never the package.
const NOT_PACKAGES: &[&str] = &[
    "tests",
    "test",
    "doc",
    "docs",
    "benchmarks",
    "tools",
    "examples",
];

/// Loads the package from a directory or an sdist; `package` names it when there is a choice.
pub fn load(path: &Path, package: Option<&str>) -> Result<PackageSource, LoadError> {
    let io = |source| LoadError::Io {
        path: path.display().to_string(),
        source,
    };
    let mut files: Vec<(String, Vec<u8>)> = Vec::new();
    let name = path
        .file_name()
        .and_then(|n| n.to_str())
        .unwrap_or_default();
    if path.is_file() && (name.ends_with(".tar.gz") || name.ends_with(".tgz")) {
        let file = std::fs::File::open(path).map_err(io)?;
        let mut archive = tar::Archive::new(flate2::read::GzDecoder::new(file));
        for entry in archive.entries().map_err(io)? {
            let mut entry = entry.map_err(io)?;
            if !entry.header().entry_type().is_file() {
                continue;
            }
            let entry_path = entry
                .path()
                .map_err(io)?
                .to_string_lossy()
                .replace('\\', "/");
            // Drop the sdist's top folder (`numpy-2.4.6/`).
            let Some((_, relative)) = entry_path.split_once('/') else {
                continue;
            };
            if !wanted(relative)
                || entry.header().size().unwrap_or(u64::MAX) > agora_python::MAX_SOURCE_BYTES
            {
                continue;
            }
            let mut bytes = Vec::new();
            entry.read_to_end(&mut bytes).map_err(io)?;
            files.push((relative.to_string(), bytes));
        }
    } else if path.is_dir() {
        walk(path, path, &mut files).map_err(io)?;
    } else {
        return Err(LoadError::NoPackage(format!(
            "{}: neither a source directory nor an sdist (.tar.gz)",
            path.display()
        )));
    }
    assemble(files, package)
}

/// Whether an archive or tree path is one we read.
fn wanted(relative: &str) -> bool {
    (relative.ends_with(".py") || relative.ends_with(".pyi") || relative == "pyproject.toml")
        && !relative
            .split('/')
            .any(|part| part == "tests" || part == ".git")
}

fn walk(root: &Path, dir: &Path, files: &mut Vec<(String, Vec<u8>)>) -> std::io::Result<()> {
    let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .collect();
    entries.sort();
    for entry in entries {
        let name = entry
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or_default();
        if name.starts_with('.') || name == "tests" || name == "node_modules" {
            continue;
        }
        let file_type = std::fs::symlink_metadata(&entry)?.file_type();
        if file_type.is_dir() {
            walk(root, &entry, files)?;
        } else if file_type.is_file() {
            let relative = entry
                .strip_prefix(root)
                .map(|p| p.to_string_lossy().replace('\\', "/"))
                .unwrap_or_default();
            if wanted(&relative) {
                match agora_python::read_source(&entry) {
                    Ok(bytes) => files.push((relative, bytes)),
                    Err(_) => continue,
                }
            }
        }
    }
    Ok(())
}

/// Picks the package folder and keys its files by module.
fn assemble(
    files: Vec<(String, Vec<u8>)>,
    package: Option<&str>,
) -> Result<PackageSource, LoadError> {
    let pyproject = files
        .iter()
        .find(|(path, _)| path == "pyproject.toml")
        .map(|(_, bytes)| String::from_utf8_lossy(bytes).into_owned());
    let mut candidates: Vec<String> = files
        .iter()
        .filter_map(|(path, _)| {
            let folder = path.strip_suffix("/__init__.py")?;
            let depth = folder.matches('/').count();
            let name = folder.rsplit('/').next()?;
            let top = depth == 0 || (depth == 1 && folder.starts_with("src/"));
            (top && !NOT_PACKAGES.contains(&name)).then(|| folder.to_string())
        })
        .collect();
    candidates.sort();
    candidates.dedup();
    let project_name = pyproject.as_deref().and_then(project_name);
    let chosen = match package {
        Some(name) => candidates
            .iter()
            .find(|c| c.rsplit('/').next() == Some(name))
            .cloned(),
        None if candidates.len() == 1 => candidates.first().cloned(),
        None => project_name.as_ref().and_then(|project| {
            let wanted = project.to_lowercase().replace('-', "_");
            candidates
                .iter()
                .find(|c| c.rsplit('/').next() == Some(wanted.as_str()))
                .cloned()
        }),
    };
    let Some(folder) = chosen else {
        return Err(LoadError::NoPackage(if candidates.is_empty() {
            "no package folder (a top-level or src/ folder with an __init__.py) found".to_string()
        } else {
            format!(
                "several package folders ({}); choose one with --package",
                candidates.join(", ")
            )
        }));
    };
    let prefix = folder
        .strip_suffix(folder.rsplit('/').next().unwrap_or_default())
        .unwrap_or_default()
        .to_string();
    let mut source = PackageSource {
        name: folder.rsplit('/').next().unwrap_or_default().to_string(),
        pyproject,
        ..PackageSource::default()
    };
    for (path, bytes) in files {
        let Some(inside) = path.strip_prefix(&prefix) else {
            continue;
        };
        if !(inside.starts_with(&format!("{}/", source.name))) {
            continue;
        }
        let (stem, stub) = match inside.strip_suffix(".pyi") {
            Some(stem) => (stem, true),
            None => match inside.strip_suffix(".py") {
                Some(stem) => (stem, false),
                None => continue,
            },
        };
        // Only importable names: every part an identifier.
        let parts: Vec<&str> = stem.split('/').collect();
        if parts.iter().any(|p| !is_identifier(p)) {
            continue;
        }
        let is_package = parts.last() == Some(&"__init__");
        let dotted = if is_package {
            parts[..parts.len() - 1].join(".")
        } else {
            parts.join(".")
        };
        let text = match agora_numpydoc::decode_python(&bytes) {
            Ok(text) => text,
            Err(error) => {
                source
                    .unreadable
                    .push((format!("{path}:{}", error.line), error.message));
                continue;
            }
        };
        let entry = source.modules.entry(dotted).or_default();
        entry.is_package |= is_package;
        let file = SourceFile { path, text };
        if stub {
            entry.pyi = Some(file);
        } else {
            entry.py = Some(file);
        }
    }
    Ok(source)
}

/// `[project] name` from pyproject text (a line scan; the file is only a hint here).
fn project_name(pyproject: &str) -> Option<String> {
    let mut in_project = false;
    for line in pyproject.lines() {
        let line = line.trim();
        if line.starts_with('[') {
            in_project = line == "[project]";
        } else if in_project && let Some(rest) = line.strip_prefix("name") {
            let value = rest.trim_start().strip_prefix('=')?.trim();
            return Some(value.trim_matches(['"', '\'']).to_string());
        }
    }
    None
}

/// A Python identifier (ASCII letters, digits, `_`; not starting with a digit).
fn is_identifier(text: &str) -> bool {
    let mut chars = text.chars();
    chars.next().is_some_and(|c| c.is_alphabetic() || c == '_')
        && chars.all(|c| c.is_alphanumeric() || c == '_')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn picks_the_package_and_keys_modules() {
        let files = vec![
            (
                "pyproject.toml".to_string(),
                b"[project]\nname = \"my-pkg\"\n".to_vec(),
            ),
            ("my_pkg/__init__.py".to_string(), b"x = 1\n".to_vec()),
            (
                "my_pkg/_core/mod.pyi".to_string(),
                b"def f() -> int: ...\n".to_vec(),
            ),
            (
                "my_pkg/_core/mod.py".to_string(),
                b"def f(): pass\n".to_vec(),
            ),
            ("my_pkg/data-files/x.py".to_string(), b"".to_vec()),
            ("docs/__init__.py".to_string(), b"".to_vec()),
            ("other/__init__.py".to_string(), b"".to_vec()),
        ];
        let source = assemble(files, None).expect("chosen by the project name");
        assert_eq!(source.name, "my_pkg");
        let keys: Vec<&String> = source.modules.keys().collect();
        assert_eq!(keys, ["my_pkg", "my_pkg._core.mod"]);
        let module = &source.modules["my_pkg._core.mod"];
        assert!(module.py.is_some() && module.pyi.is_some());
        assert!(source.modules["my_pkg"].is_package);
    }

    #[test]
    fn several_packages_need_a_choice() {
        let files = vec![
            ("a/__init__.py".to_string(), b"".to_vec()),
            ("b/__init__.py".to_string(), b"".to_vec()),
        ];
        let error = assemble(files.clone(), None).expect_err("ambiguous");
        assert!(error.to_string().contains("--package"), "{error}");
        assert_eq!(assemble(files, Some("b")).expect("chosen").name, "b");
    }
}
