//! What the wheel installs: the checks check-wheel-contents calls W001–W010 (`WC301`–`WC310`).
//!
//! The library is what lands in site-packages: the archive root minus `.dist-info` and `.data`
//! when `Root-Is-Purelib` is true (else `{data}/purelib/`), plus `{data}/platlib/` (or the root
//! when it is false). A Python module is a file ending `.py`, `.so`, `.pyd` or
//! `.<tag>.so`/`.<tag>.pyd` with something before the extension; its path is importable when
//! every directory and the module name are non-keyword identifiers. Duplicate files are found
//! by content (SHA-256 and size) over the whole archive, except trivially common contents
//! (empty, a lone newline, a coding line).

use std::collections::{BTreeMap, BTreeSet};

use sha2::{Digest, Sha256};

use crate::archive::Archive;
use crate::finding::Finding;

/// Top-level names that belong to a repository, not to an installed library (W005).
const COMMON_NAMES: [&str; 19] = [
    ".eggs", ".nox", ".tox", ".venv", "app", "build", "cli", "data", "dist", "doc", "docs",
    "example", "examples", "lib", "scripts", "src", "test", "tests", "venv",
];

const KEYWORDS: [&str; 35] = [
    "False", "None", "True", "and", "as", "assert", "async", "await", "break", "class", "continue",
    "def", "del", "elif", "else", "except", "finally", "for", "from", "global", "if", "import",
    "in", "is", "lambda", "nonlocal", "not", "or", "pass", "raise", "return", "try", "while",
    "with", "yield",
];

/// Contents that are allowed to repeat (W002).
const TRIVIAL_CONTENTS: [&[u8]; 6] = [
    b"",
    b"\n",
    b"\r\n",
    b"# -*- coding: utf-8 -*-",
    b"# -*- coding: utf-8 -*-\n",
    b"# -*- coding: utf-8 -*-\n\r",
];

/// Whether `name` is a Python identifier that is not a keyword (ASCII identifiers, and any
/// non-ASCII letter accepted as Python accepts most).
pub fn is_identifier(name: &str) -> bool {
    let mut chars = name.chars();
    let Some(first) = chars.next() else {
        return false;
    };
    (first == '_' || first.is_alphabetic())
        && chars.all(|c| c == '_' || c.is_alphanumeric())
        && !KEYWORDS.contains(&name)
}

/// The module name of a file name with a module extension (`.py`, `.so`, `.pyd`,
/// `.cpython-311-x86_64-linux-gnu.so`), or `None`.
pub fn module_basename(filename: &str) -> Option<&str> {
    let cut = |stem: &str| (!stem.is_empty()).then_some(());
    for ext in [".py", ".so", ".pyd"] {
        if let Some(stem) = filename.strip_suffix(ext) {
            cut(stem)?;
            if ext == ".py" {
                return Some(stem);
            }
            // `.<abi tag>.so`: the last dot-part of the stem may be a tag of [-A-Za-z0-9_].
            if let Some((base, tag)) = stem.rsplit_once('.')
                && !base.is_empty()
                && !tag.is_empty()
                && tag
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
            {
                return Some(base);
            }
            return Some(stem);
        }
    }
    None
}

/// Whether `filename` is a shared library as auditwheel, delocate and delvewheel vendor them
/// (`libfoo-1a2b3c4d.so.1.2`, `foo.dll`, `libbar.dylib`), or delvewheel's load-order file.
pub fn is_shared_library(filename: &str) -> bool {
    filename.ends_with(".so")
        || filename.contains(".so.")
        || filename.ends_with(".dll")
        || filename.ends_with(".dylib")
        || filename.starts_with(".load-order-")
}

/// The directory part of an archive path (`""` at the top).
fn parent(path: &str) -> &str {
    path.rsplit_once('/').map_or("", |(dir, _)| dir)
}

/// The file-name part of an archive path.
fn file_name(path: &str) -> &str {
    path.rsplit('/').next().unwrap_or(path)
}

/// A short list of names: the first three, then how many more.
fn sample(names: &[&str]) -> String {
    const SHOWN: usize = 3;
    let mut out = names
        .iter()
        .take(SHOWN)
        .copied()
        .collect::<Vec<_>>()
        .join(", ");
    if names.len() > SHOWN {
        out.push_str(&format!(" and {} more", names.len() - SHOWN));
    }
    out
}

/// How a directory is shown in a finding (`pkg/sub/`, or the archive root).
fn shown_dir(dir: &str) -> String {
    if dir.is_empty() {
        String::from("(archive root)")
    } else {
        format!("{dir}/")
    }
}

/// One finding per directory and reason for the `(path, reason)` pairs a check flagged: a
/// lone file is named, several are counted with a sample of their names.
fn grouped(code: &'static str, flagged: &[(&str, String)], findings: &mut Vec<Finding>) {
    let mut groups: BTreeMap<(&str, &str), Vec<&str>> = BTreeMap::new();
    for (path, reason) in flagged {
        groups
            .entry((parent(path), reason.as_str()))
            .or_default()
            .push(path);
    }
    for ((dir, reason), paths) in groups {
        if let [path] = paths.as_slice() {
            findings.push(Finding::new(code, Some(path), reason.to_string()));
        } else {
            let names: Vec<&str> = paths.iter().map(|path| file_name(path)).collect();
            findings.push(Finding::new(
                code,
                Some(&shown_dir(dir)),
                format!("{} files: {reason} ({})", names.len(), sample(&names)),
            ));
        }
    }
}

/// Why `part` of a module path cannot be imported.
fn not_importable(part: &str) -> String {
    if KEYWORDS.contains(&part) {
        format!("`{part}` is a Python keyword")
    } else {
        format!("`{part}` is not a valid Python identifier")
    }
}

/// Runs the contents checks; `toplevel` is the declared list of top-level library entries
/// (check-wheel-contents' `--toplevel`), when the project gave one.
pub fn check(
    archive: &Archive,
    dist_info: Option<&str>,
    data_dir: &str,
    toplevel_declared: Option<&[String]>,
    findings: &mut Vec<Finding>,
) {
    // W001: compiled bytecode anywhere, one finding per directory.
    let bytecode: Vec<(&str, String)> = archive
        .members
        .iter()
        .map(|member| member.name.as_str())
        .filter(|name| name.ends_with(".pyc") || name.ends_with(".pyo"))
        .map(|name| (name, "compiled bytecode in the wheel".to_string()))
        .collect();
    grouped("WC301", &bytecode, findings);
    check_duplicates(archive, findings);
    // The library: (path in the archive, path relative to the library root).
    let purelib_prefix = format!("{data_dir}/purelib/");
    let platlib_prefix = format!("{data_dir}/platlib/");
    let library: Vec<(&str, &str)> = archive
        .members
        .iter()
        .filter_map(|member| {
            let name = member.name.as_str();
            let top = name.split('/').next().unwrap_or_default();
            if let Some(rest) = name.strip_prefix(&purelib_prefix) {
                return Some((name, rest));
            }
            if let Some(rest) = name.strip_prefix(&platlib_prefix) {
                return Some((name, rest));
            }
            // The root is purelib or platlib (Root-Is-Purelib decides which); either way it
            // is library.
            (Some(top) != dist_info && top != data_dir).then_some((name, name))
        })
        .collect();
    if archive
        .members
        .iter()
        .all(|member| member.name.split('/').next() == dist_info)
    {
        findings.push(Finding::new(
            "WC308",
            None,
            "nothing outside the .dist-info directory".to_string(),
        ));
    }
    if library.is_empty() {
        findings.push(Finding::new(
            "WC307",
            None,
            "no files in purelib or platlib".to_string(),
        ));
        return;
    }
    // Top-level entries: name → is a directory; and which directories hold only vendored
    // shared libraries (auditwheel's `<name>.libs/`, delvewheel's too).
    let mut toplevel: BTreeMap<&str, bool> = BTreeMap::new();
    let mut only_libraries: BTreeMap<&str, bool> = BTreeMap::new();
    // Directories (relative to the library root) that are regular packages.
    let mut packages: BTreeSet<&str> = BTreeSet::new();
    // Top-level directories that hold a module somewhere below.
    let mut with_modules: BTreeSet<&str> = BTreeSet::new();
    for (_, relative) in &library {
        let filename = file_name(relative);
        match relative.split_once('/') {
            Some((top, _)) => {
                toplevel.insert(top, true);
                let libraries = only_libraries.entry(top).or_insert(true);
                *libraries = *libraries && is_shared_library(filename);
                if module_basename(filename).is_some() {
                    with_modules.insert(top);
                }
            }
            None => {
                toplevel.insert(relative, false);
            }
        }
        if filename == "__init__.py" {
            packages.insert(parent(relative));
        }
    }
    let vendored: BTreeSet<&str> = only_libraries
        .iter()
        .filter(|(name, only)| **only && name.ends_with(".libs"))
        .map(|(name, _)| *name)
        .collect();
    let mut stray_files = Vec::new();
    let mut unimportable = Vec::new();
    let mut unreachable_in_package = Vec::new();
    for (full, relative) in &library {
        let filename = file_name(relative);
        let module = module_basename(filename);
        let top = relative.split('/').next().unwrap_or(relative);
        if vendored.contains(top) {
            continue;
        }
        let at_top = !relative.contains('/');
        if at_top {
            // W003: a file at the top that is not a module or .pth.
            if module.is_none() && !(filename.len() > 4 && filename.ends_with(".pth")) {
                stray_files.push(*full);
            }
            // W006
            if filename == "__init__.py" {
                findings.push(Finding::new(
                    "WC306",
                    Some(full),
                    "would install site-packages/__init__.py".to_string(),
                ));
            }
        }
        let Some(module) = module else { continue };
        // W004: modules `import` cannot reach. A package (a directory with `__init__.py`)
        // or a top-level module or directory under a name that is no identifier is meant to
        // be imported and cannot be; below the top, a non-identifier directory without
        // `__init__.py` is data (test inputs such as numpy's `typing/tests/data/pass/`), and a
        // non-identifier file inside a package is a script or hook run by its path
        // (PyInstaller's `hook-<name>.py`): a warning.
        let dirs: Vec<&str> = relative.split('/').collect();
        let dirs = &dirs[..dirs.len() - 1];
        let mut prefix_end = 0usize;
        // Some(true): an error; Some(false): a warning.
        let mut verdict: Option<bool> = None;
        let mut in_data_folder = false;
        let mut reason = String::new();
        for (depth, part) in dirs.iter().enumerate() {
            prefix_end += part.len() + usize::from(depth > 0);
            if is_identifier(part) {
                continue;
            }
            let dir = relative.get(..prefix_end).unwrap_or_default();
            if depth == 0 || packages.contains(dir) {
                verdict = Some(true);
                reason = not_importable(part);
            } else {
                in_data_folder = true;
            }
            break;
        }
        if verdict.is_none() && !in_data_folder && !is_identifier(module) {
            verdict = Some(at_top);
            reason = not_importable(module);
        }
        match verdict {
            Some(true) => unimportable.push((*full, reason)),
            Some(false) => unreachable_in_package.push((*full, reason)),
            None => {}
        }
    }
    if !stray_files.is_empty() {
        findings.push(Finding::new(
            "WC303",
            None,
            format!(
                "{} at the top level: {}",
                if stray_files.len() == 1 {
                    "a file that is not a Python module or .pth file"
                } else {
                    "files that are not Python modules or .pth files"
                },
                sample(&stray_files)
            ),
        ));
    }
    grouped("WC304", &unimportable, findings);
    grouped("WC313", &unreachable_in_package, findings);
    // W005
    for (name, is_dir) in &toplevel {
        if COMMON_NAMES.contains(name) {
            let shown = if *is_dir {
                format!("{name}/")
            } else {
                (*name).to_string()
            };
            findings.push(Finding::new(
                "WC305",
                Some(&shown),
                format!("`{name}` at the top level of site-packages"),
            ));
        }
    }
    let entry = |name: &str, is_dir: bool| {
        if is_dir {
            format!("{name}/")
        } else {
            name.to_string()
        }
    };
    match toplevel_declared {
        // W009: more than one top-level entry (ignoring .pth files, `_`-prefixed names and
        // vendored shared-library directories).
        None => {
            let counted: Vec<String> = toplevel
                .iter()
                .filter(|(name, is_dir)| {
                    !name.starts_with('_')
                        && !vendored.contains(*name)
                        && (**is_dir || name.len() <= 4 || !name.ends_with(".pth"))
                })
                .map(|(name, is_dir)| entry(name, *is_dir))
                .collect();
            if counted.len() > 1 {
                findings.push(Finding::new(
                    "WC309",
                    None,
                    format!("top-level entries: {}", counted.join(", ")),
                ));
            }
        }
        // W201/W202: the declared entries, no more and no fewer.
        Some(declared) => {
            let wanted: BTreeSet<&str> = declared
                .iter()
                .map(|name| name.trim().trim_end_matches('/'))
                .filter(|name| !name.is_empty())
                .collect();
            let missing: Vec<&str> = wanted
                .iter()
                .copied()
                .filter(|name| !toplevel.contains_key(name))
                .collect();
            let extra: Vec<String> = toplevel
                .iter()
                .filter(|(name, _)| !wanted.contains(*name) && !vendored.contains(*name))
                .map(|(name, is_dir)| entry(name, *is_dir))
                .collect();
            if !missing.is_empty() {
                findings.push(Finding::new(
                    "WC311",
                    None,
                    format!("declared but not in the wheel: {}", missing.join(", ")),
                ));
            }
            if !extra.is_empty() {
                findings.push(Finding::new(
                    "WC312",
                    None,
                    format!("in the wheel but not declared: {}", extra.join(", ")),
                ));
            }
        }
    }
    // W010: a top-level directory without any module (type-stub packages and vendored
    // shared libraries excepted).
    for (name, is_dir) in &toplevel {
        if !is_dir
            || vendored.contains(name)
            || with_modules.contains(name)
            || name.strip_suffix("-stubs").is_some_and(is_identifier)
        {
            continue;
        }
        findings.push(Finding::new(
            "WC310",
            Some(&format!("{name}/")),
            "holds no Python module".to_string(),
        ));
    }
}

/// W002: the same contents twice. Copies that the standards and build tools make on purpose
/// are left out: everything in `.dist-info` (PEP 639 keeps each licence file there, under the
/// path it has in the source tree, so it often repeats one shipped in the package), and
/// `__init__.py` files (package markers commonly carry the same licence header). What is left
/// is a stray copy when the repeated files are Python modules or share their file name (a file
/// or tree copied where it was meant to be moved); identical data files under different names
/// (test fixtures) are not. One finding per set of directories involved.
fn check_duplicates(archive: &Archive, findings: &mut Vec<Finding>) {
    let trivial: BTreeSet<[u8; 32]> = TRIVIAL_CONTENTS
        .iter()
        .map(|content| Sha256::digest(content).into())
        .collect();
    let mut by_content: BTreeMap<([u8; 32], u64), Vec<&str>> = BTreeMap::new();
    for member in &archive.members {
        let name = member.name.as_str();
        let in_dist_info = name
            .split('/')
            .next()
            .is_some_and(|top| top.ends_with(".dist-info"));
        if in_dist_info
            || file_name(name) == "__init__.py"
            || !member.readable
            || trivial.contains(&member.sha256)
        {
            continue;
        }
        by_content
            .entry((member.sha256, member.size))
            .or_default()
            .push(name);
    }
    // Directories involved → (file, copies) pairs.
    let mut groups: BTreeMap<Vec<&str>, Vec<(&str, Vec<&str>)>> = BTreeMap::new();
    for paths in by_content.values().filter(|paths| paths.len() > 1) {
        let modules = paths
            .iter()
            .filter(|path| module_basename(file_name(path)).is_some())
            .count();
        let names: BTreeSet<&str> = paths.iter().map(|path| file_name(path)).collect();
        if modules < 2 && names.len() == paths.len() {
            continue;
        }
        let mut dirs: Vec<&str> = paths.iter().map(|path| parent(path)).collect();
        dirs.sort_unstable();
        dirs.dedup();
        groups
            .entry(dirs)
            .or_default()
            .push((paths[0], paths[1..].to_vec()));
    }
    for (dirs, copies) in groups {
        let first = copies.first().map(|(path, _)| *path).unwrap_or_default();
        let message = if copies.len() == 1 {
            let others = copies
                .first()
                .map(|(_, others)| others.join(", "))
                .unwrap_or_default();
            format!("the same contents as {others}")
        } else {
            let shown: Vec<String> = dirs.iter().map(|dir| shown_dir(dir)).collect();
            let names: Vec<&str> = copies.iter().map(|(path, _)| file_name(path)).collect();
            format!(
                "{} files repeated across {}: {}",
                copies.len(),
                shown.join(", "),
                sample(&names)
            )
        };
        let place = if copies.len() == 1 {
            first.to_string()
        } else {
            shown_dir(parent(first))
        };
        findings.push(Finding::new("WC302", Some(&place), message));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn module_names() {
        assert_eq!(module_basename("a.py"), Some("a"));
        assert_eq!(
            module_basename("_core.cpython-311-x86_64-linux-gnu.so"),
            Some("_core")
        );
        assert_eq!(module_basename("x.pyd"), Some("x"));
        assert_eq!(module_basename(".py"), None);
        assert_eq!(module_basename("libfoo.so.1"), None);
        assert_eq!(module_basename("README.md"), None);
    }

    #[test]
    fn identifiers() {
        assert!(is_identifier("numpy"));
        assert!(is_identifier("_x1"));
        assert!(!is_identifier("1x"));
        assert!(!is_identifier("hook-numpy"));
        assert!(!is_identifier("class"));
        assert!(!is_identifier("numpy.libs"));
    }
}
