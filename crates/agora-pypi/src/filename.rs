//! Distribution file names: wheels (`name-ver(-build)?-py-abi-plat.whl`), source
//! distributions (`name-ver.tar.gz`, `.zip`, …) and the legacy formats PyPI still lists
//! (`.egg`, `.exe`, `.msi`, `.dmg`, `.rpm`).
//!
//! A wheel name is unambiguous: its name part never holds a hyphen. Source distributions and
//! legacy files were often named with the project's hyphenated name (`scikit-image-0.19.0.tar.gz`),
//! so the split between name and version is found by matching the project's normalized name
//! when it is known, and otherwise by the first hyphen after which a PEP 440 version follows.

use std::str::FromStr;

use pep440_rs::Version;

/// The kind of a distribution file, from its extension.
pub use agora_store::pypi::FileKind;

/// What a file name says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParsedFilename {
    /// The distribution name as spelled in the file name.
    pub name: String,
    /// The version as spelled in the file name.
    pub version_text: String,
    /// The version, parsed.
    pub version: Version,
    /// Wheel, sdist or other.
    pub kind: FileKind,
    /// For wheels: python tag(s), `cp312` or `py2.py3`.
    pub python_tag: Option<String>,
    /// For wheels: ABI tag(s).
    pub abi_tag: Option<String>,
    /// For wheels: platform tag(s).
    pub platform_tag: Option<String>,
    /// For wheels: the optional build number.
    pub build: Option<String>,
}

/// Why a file name could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("cannot read the distribution file name `{filename}`: {reason}")]
pub struct FilenameError {
    /// The file name.
    pub filename: String,
    /// What was wrong.
    pub reason: String,
}

const SDIST_EXTENSIONS: [&str; 6] = [".tar.gz", ".zip", ".tar.bz2", ".tar.xz", ".tgz", ".tar"];
const LEGACY_EXTENSIONS: [&str; 5] = [".egg", ".exe", ".msi", ".dmg", ".rpm"];

/// Platform suffixes that bdist_wininst/bdist_dumb glued to the version with a dot.
const LEGACY_PLATFORM_MARKERS: [&str; 8] = [
    ".win32",
    ".win-amd64",
    ".linux-",
    ".macosx-",
    ".src",
    ".noarch",
    ".py2-",
    ".py3-",
];

/// Reads a distribution file name; `project` (any spelling) helps split legacy names.
pub fn parse_filename(
    filename: &str,
    project: Option<&str>,
) -> Result<ParsedFilename, FilenameError> {
    let error = |reason: &str| FilenameError {
        filename: filename.to_string(),
        reason: reason.to_string(),
    };
    if is_not_a_plain_name(filename) {
        return Err(error(
            "a distribution file name is one plain name, without `/`, `\\`, `..` or control characters",
        ));
    }
    if let Some(stem) = filename.strip_suffix(".whl") {
        return parse_wheel(filename, stem).map_err(|reason| error(&reason));
    }
    if let Some(ext) = SDIST_EXTENSIONS.iter().find(|ext| filename.ends_with(*ext)) {
        let stem = &filename[..filename.len() - ext.len()];
        let (name, version_text, version) =
            split_name_version(stem, project).ok_or_else(|| error("no version after the name"))?;
        return Ok(plain(name, version_text, version, FileKind::Sdist));
    }
    if let Some(ext) = LEGACY_EXTENSIONS
        .iter()
        .find(|ext| filename.ends_with(*ext))
    {
        let stem = &filename[..filename.len() - ext.len()];
        // `name-ver-py2.7.egg`, `name-ver.win32-py2.7.exe`, `name-ver-1.x86_64.rpm`: the version
        // is the token after the name, up to the next hyphen or platform marker.
        let (name, rest) =
            split_name(stem, project).ok_or_else(|| error("no version after the name"))?;
        let mut token = rest;
        for marker in LEGACY_PLATFORM_MARKERS {
            if let Some(at) = token.find(marker) {
                token = &token[..at];
            }
        }
        token = token.split('-').next().unwrap_or(token);
        if *ext == ".rpm" {
            token = token.split(".x86_64").next().unwrap_or(token);
        }
        let version = Version::from_str(token).map_err(|_| error("no version after the name"))?;
        return Ok(plain(name, token, version, FileKind::Other));
    }
    Err(error("unknown extension"))
}

/// Whether `filename` could name another place than a file of its own (a path, `..`) or
/// holds characters no distribution file name has.
pub fn is_not_a_plain_name(filename: &str) -> bool {
    filename.is_empty()
        || filename.contains(['/', '\\'])
        || filename.contains("..")
        || filename.chars().any(char::is_control)
}

fn plain(name: &str, version_text: &str, version: Version, kind: FileKind) -> ParsedFilename {
    ParsedFilename {
        name: name.to_string(),
        version_text: version_text.to_string(),
        version,
        kind,
        python_tag: None,
        abi_tag: None,
        platform_tag: None,
        build: None,
    }
}

fn parse_wheel(filename: &str, stem: &str) -> Result<ParsedFilename, String> {
    let parts: Vec<&str> = stem.split('-').collect();
    let (name, version_text, build, tags) = match parts.as_slice() {
        [name, version, python, abi, platform] => {
            (*name, *version, None, [*python, *abi, *platform])
        }
        [name, version, build, python, abi, platform] => {
            if !build.starts_with(|c: char| c.is_ascii_digit()) {
                return Err(format!("build tag `{build}` must start with a digit"));
            }
            (
                *name,
                *version,
                Some((*build).to_string()),
                [*python, *abi, *platform],
            )
        }
        _ => {
            return Err(format!(
                "a wheel name has 5 or 6 hyphen-separated parts, `{filename}` has {}",
                parts.len()
            ));
        }
    };
    if name.is_empty() || tags.iter().any(|t| t.is_empty()) {
        return Err("empty name or tag".into());
    }
    let version = Version::from_str(version_text)
        .map_err(|e| format!("invalid version `{version_text}`: {e}"))?;
    Ok(ParsedFilename {
        name: name.to_string(),
        version_text: version_text.to_string(),
        version,
        kind: FileKind::Wheel,
        python_tag: Some(tags[0].to_string()),
        abi_tag: Some(tags[1].to_string()),
        platform_tag: Some(tags[2].to_string()),
        build,
    })
}

/// Splits `name-version` where the version is the whole rest.
fn split_name_version<'a>(
    stem: &'a str,
    project: Option<&str>,
) -> Option<(&'a str, &'a str, Version)> {
    let (name, rest) = split_name(stem, project)?;
    Version::from_str(rest)
        .ok()
        .map(|version| (name, rest, version))
}

/// Splits `stem` after the project's name: at the hyphen where the normalized prefix equals
/// the normalized project name, or else at the first hyphen followed by a digit.
fn split_name<'a>(stem: &'a str, project: Option<&str>) -> Option<(&'a str, &'a str)> {
    let hyphens = stem.match_indices('-').map(|(i, _)| i);
    if let Some(project) = project {
        let wanted = agora_config::normalize(project);
        for at in hyphens.clone() {
            if agora_config::normalize(&stem[..at]) == wanted {
                return Some((&stem[..at], &stem[at + 1..]));
            }
        }
    }
    let mut hyphens = stem.match_indices('-').map(|(i, _)| i);
    let at =
        hyphens.find(|&at| stem[at + 1..].starts_with(|c: char| c.is_ascii_digit() || c == 'v'))?;
    Some((&stem[..at], &stem[at + 1..]))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parsed(filename: &str, project: Option<&str>) -> ParsedFilename {
        parse_filename(filename, project).unwrap_or_else(|e| panic!("{e}"))
    }

    #[test]
    fn wheels() {
        let p = parsed(
            "numpy-2.1.0-cp313-cp313t-manylinux_2_17_x86_64.manylinux2014_x86_64.whl",
            None,
        );
        assert_eq!(
            (p.name.as_str(), p.version_text.as_str(), p.kind),
            ("numpy", "2.1.0", FileKind::Wheel)
        );
        assert_eq!(p.abi_tag.as_deref(), Some("cp313t"));
        assert_eq!(
            p.platform_tag.as_deref(),
            Some("manylinux_2_17_x86_64.manylinux2014_x86_64")
        );
        let p = parsed("scikit_image-0.25.0-1-cp312-abi3-win_amd64.whl", None);
        assert_eq!(
            (p.name.as_str(), p.build.as_deref()),
            ("scikit_image", Some("1"))
        );
        assert!(parse_filename("numpy-2.1.0-x-cp313-cp313-linux.whl", None).is_err());
        assert!(parse_filename("numpy-2.1.0-cp313.whl", None).is_err());
        assert!(parse_filename("numpy-two-cp313-cp313-any.whl", None).is_err());
    }

    #[test]
    fn sdists_with_hyphenated_names() {
        let p = parsed("scikit-image-0.19.0.tar.gz", Some("scikit-image"));
        assert_eq!(
            (p.name.as_str(), p.version.to_string().as_str(), p.kind),
            ("scikit-image", "0.19.0", FileKind::Sdist)
        );
        let p = parsed("scikit_learn-1.6.0.tar.gz", Some("scikit-learn"));
        assert_eq!(p.version_text, "1.6.0");
        let p = parsed("networkx-3.2.zip", None);
        assert_eq!(p.version_text, "3.2");
        let p = parsed("scikit-image-0.19.0rc0.tar.gz", None);
        assert_eq!(p.name, "scikit-image");
        assert!(parse_filename("numpy.tar.gz", None).is_err());
        assert!(parse_filename("numpy-latest.tar.gz", Some("numpy")).is_err());
    }

    #[test]
    fn names_that_are_paths_are_refused() {
        for name in [
            "../../X-9.9-py3-none-any.whl",
            "sub/X-9.9-py3-none-any.whl",
            "..\\X-9.9-py3-none-any.whl",
            "X-9.9..tar.gz",
            "X-9.9-py3-none-any.whl\n",
        ] {
            let error = parse_filename(name, Some("x")).expect_err(name);
            assert!(error.reason.contains("plain name"), "{name}: {error}");
        }
    }

    #[test]
    fn legacy_files() {
        let p = parsed("networkx-0.34-py2.4.egg", Some("networkx"));
        assert_eq!((p.version_text.as_str(), p.kind), ("0.34", FileKind::Other));
        let p = parsed("numpy-1.9.0.win32-py2.7.exe", Some("numpy"));
        assert_eq!(p.version_text, "1.9.0");
        let p = parsed("scikit-learn-0.9.win-amd64-py2.7.exe", Some("scikit-learn"));
        assert_eq!(p.version_text, "0.9");
        let p = parsed("ipython-0.13.1.py2-win32-PROPER.exe", Some("ipython"));
        assert_eq!(p.version_text, "0.13.1");
        let p = parsed("ipython-0.10-1.noarch.rpm", Some("ipython"));
        assert_eq!(p.version_text, "0.10");
        assert!(parse_filename("README.txt", None).is_err());
    }
}
