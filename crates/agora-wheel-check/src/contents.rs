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

/// Runs the contents checks.
pub fn check(
    archive: &Archive,
    dist_info: Option<&str>,
    data_dir: &str,
    findings: &mut Vec<Finding>,
) {
    // W001: compiled bytecode anywhere.
    for member in &archive.members {
        if member.name.ends_with(".pyc") || member.name.ends_with(".pyo") {
            findings.push(Finding::new(
                "WC301",
                Some(&member.name),
                "compiled bytecode in the wheel".to_string(),
            ));
        }
    }
    // W002: the same contents twice.
    let trivial: BTreeSet<[u8; 32]> = TRIVIAL_CONTENTS
        .iter()
        .map(|content| Sha256::digest(content).into())
        .collect();
    let mut by_content: BTreeMap<([u8; 32], u64), Vec<&str>> = BTreeMap::new();
    for member in &archive.members {
        if !trivial.contains(&member.sha256) {
            by_content
                .entry((member.sha256, member.size))
                .or_default()
                .push(&member.name);
        }
    }
    for paths in by_content.values().filter(|paths| paths.len() > 1) {
        findings.push(Finding::new(
            "WC302",
            Some(paths[0]),
            format!("the same contents as {}", paths[1..].join(", ")),
        ));
    }
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
    let mut toplevel: BTreeMap<&str, bool> = BTreeMap::new(); // name → is a directory
    for (full, relative) in &library {
        let (top, is_dir) = match relative.split_once('/') {
            Some((top, _)) => (top, true),
            None => (*relative, false),
        };
        toplevel.insert(top, is_dir);
        let filename = relative.rsplit('/').next().unwrap_or(relative);
        let module = module_basename(filename);
        if !is_dir {
            // W003: a file at the top that is not a module or .pth.
            if module.is_none() && !(filename.len() > 4 && filename.ends_with(".pth")) {
                findings.push(Finding::new(
                    "WC303",
                    Some(full),
                    "not a Python module or .pth file".to_string(),
                ));
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
        // W004: modules at paths `import` cannot reach.
        if let Some(module) = module {
            let mut parts: Vec<&str> = relative.split('/').collect();
            parts.pop();
            parts.push(module);
            if let Some(bad) = parts.iter().find(|part| !is_identifier(part)) {
                findings.push(Finding::new(
                    "WC304",
                    Some(full),
                    format!("`{bad}` is not a valid Python identifier"),
                ));
            }
        }
    }
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
    // W009: more than one top-level entry (ignoring .pth files and `_`-prefixed names).
    let counted: Vec<String> = toplevel
        .iter()
        .filter(|(name, is_dir)| {
            !name.starts_with('_') && (**is_dir || !(name.len() > 4 && name.ends_with(".pth")))
        })
        .map(|(name, is_dir)| {
            if *is_dir {
                format!("{name}/")
            } else {
                (*name).to_string()
            }
        })
        .collect();
    if counted.len() > 1 {
        findings.push(Finding::new(
            "WC309",
            None,
            format!("top-level entries: {}", counted.join(", ")),
        ));
    }
    // W010: a top-level directory without any module (type-stub packages excepted).
    for (name, is_dir) in &toplevel {
        if !is_dir || name.strip_suffix("-stubs").is_some_and(is_identifier) {
            continue;
        }
        let prefix = format!("{name}/");
        let has_module = library.iter().any(|(_, relative)| {
            relative.strip_prefix(&prefix).is_some_and(|rest| {
                module_basename(rest.rsplit('/').next().unwrap_or(rest)).is_some()
            })
        });
        if !has_module {
            findings.push(Finding::new(
                "WC310",
                Some(&prefix),
                "holds no Python module".to_string(),
            ));
        }
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
