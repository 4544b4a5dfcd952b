//! The wheel's file name: `{name}-{version}(-{build})?-{python}-{abi}-{platform}.whl`.
//!
//! PEP 427 (with PEP 491's escaping, now the binary distribution format specification) says
//! the name is escaped to letters, digits and `_` (normalized: lowercase, runs of `-_.` as one
//! `_`), the version is PEP 440, the optional build tag starts with a digit, and each of the
//! three tags is a `.`-separated compressed set. The platform tags are checked against the
//! families installers know (PEP 600 manylinux, PEP 656 musllinux, macOS, Windows, iOS,
//! Android, pyodide/emscripten, and `linux_*`, which PyPI refuses).

use std::collections::BTreeSet;
use std::str::FromStr;

use pep440_rs::Version;

use crate::finding::Finding;

/// What a wheel file name says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WheelName {
    /// The distribution name as spelled.
    pub name: String,
    /// The version as spelled.
    pub version_text: String,
    /// The version, when it parses.
    pub version: Option<Version>,
    /// The build tag.
    pub build: Option<String>,
    /// Python tags (`cp311`, `py3`).
    pub python: Vec<String>,
    /// ABI tags (`cp311`, `abi3`, `none`).
    pub abi: Vec<String>,
    /// Platform tags (`manylinux_2_17_x86_64`, `any`).
    pub platform: Vec<String>,
}

impl WheelName {
    /// Every `python-abi-platform` triple the compressed sets expand to.
    pub fn tags(&self) -> BTreeSet<String> {
        let mut tags = BTreeSet::new();
        for python in &self.python {
            for abi in &self.abi {
                for platform in &self.platform {
                    tags.insert(format!("{python}-{abi}-{platform}"));
                }
            }
        }
        tags
    }

    /// Whether the wheel claims to run anywhere (`any` platform).
    pub fn is_pure(&self) -> bool {
        self.platform.iter().all(|platform| platform == "any")
    }
}

/// Reads a wheel file name, reporting what is wrong; `None` when it cannot be split at all.
pub fn parse(filename: &str, findings: &mut Vec<Finding>) -> Option<WheelName> {
    let Some(stem) = filename.strip_suffix(".whl") else {
        findings.push(Finding::new(
            "WC010",
            None,
            format!("`{filename}` does not end in `.whl`"),
        ));
        return None;
    };
    let parts: Vec<&str> = stem.split('-').collect();
    let (name, version_text, build, python, abi, platform) = match parts.as_slice() {
        [name, version, python, abi, platform] => (*name, *version, None, *python, *abi, *platform),
        [name, version, build, python, abi, platform] => {
            (*name, *version, Some(*build), *python, *abi, *platform)
        }
        _ => {
            findings.push(Finding::new(
                "WC010",
                None,
                format!(
                    "`{filename}` has {} `-`-separated parts where 5 or 6 are expected",
                    parts.len()
                ),
            ));
            return None;
        }
    };
    if name.is_empty()
        || !name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '.')
    {
        findings.push(Finding::new(
            "WC010",
            None,
            format!(
                "the name part `{name}` holds characters other than letters, digits, `_` and `.`"
            ),
        ));
    } else if name != escape_name(name) {
        findings.push(Finding::new(
            "WC011",
            None,
            format!(
                "the name is `{name}`; escaped it is `{}`",
                escape_name(name)
            ),
        ));
    }
    let version = match Version::from_str(version_text) {
        Ok(version) => {
            if version.to_string() != version_text {
                findings.push(Finding::new(
                    "WC013",
                    None,
                    format!("version `{version_text}` normalizes to `{version}`"),
                ));
            }
            Some(version)
        }
        Err(error) => {
            findings.push(Finding::new(
                "WC012",
                None,
                format!("version `{version_text}`: {error}"),
            ));
            None
        }
    };
    if let Some(build) = build
        && !build.starts_with(|c: char| c.is_ascii_digit())
    {
        findings.push(Finding::new(
            "WC014",
            None,
            format!("build tag `{build}` does not start with a digit"),
        ));
    }
    let split = |set: &str| -> Vec<String> { set.split('.').map(str::to_string).collect() };
    let wheel = WheelName {
        name: name.to_string(),
        version_text: version_text.to_string(),
        version,
        build: build.map(str::to_string),
        python: split(python),
        abi: split(abi),
        platform: split(platform),
    };
    for tag in wheel.python.iter().chain(&wheel.abi).chain(&wheel.platform) {
        if tag.is_empty()
            || !tag
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
        {
            findings.push(Finding::new(
                "WC015",
                None,
                format!("tag `{tag}` is not lowercase letters, digits and `_`"),
            ));
        }
    }
    for python in &wheel.python {
        let letters = python.trim_end_matches(|c: char| c.is_ascii_digit());
        if !["py", "cp", "pp", "ip", "jy", "graalpy"].contains(&letters) {
            findings.push(Finding::new(
                "WC015",
                None,
                format!("python tag `{python}` is not an implementation (py, cp, pp, …) followed by a version"),
            ));
        }
    }
    for platform in &wheel.platform {
        if !known_platform(platform) {
            findings.push(Finding::new(
                "WC016",
                None,
                format!("platform tag `{platform}` is not one installers know"),
            ));
        }
    }
    Some(wheel)
}

/// The PEP 427/491 escaping of a distribution name: normalized, `_` for separators.
pub fn escape_name(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    let mut in_separator = false;
    for c in name.chars() {
        if matches!(c, '-' | '_' | '.') {
            if !in_separator {
                out.push('_');
            }
            in_separator = true;
        } else {
            out.push(c.to_ascii_lowercase());
            in_separator = false;
        }
    }
    out
}

/// The Linux architectures of manylinux and musllinux tags.
pub const LINUX_ARCHES: [&str; 9] = [
    "x86_64",
    "i686",
    "aarch64",
    "armv7l",
    "ppc64",
    "ppc64le",
    "s390x",
    "riscv64",
    "loongarch64",
];

const MACOS_ARCHES: [&str; 11] = [
    "x86_64",
    "arm64",
    "universal2",
    "intel",
    "universal",
    "fat",
    "fat3",
    "fat32",
    "fat64",
    "i386",
    "ppc",
];

/// A Linux platform tag, split.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LinuxTag {
    /// `manylinux_X_Y_arch` or a legacy alias, as the glibc version it stands for.
    Manylinux {
        /// glibc (major, minor).
        glibc: (u32, u32),
        /// The architecture.
        arch: String,
    },
    /// `musllinux_X_Y_arch`.
    Musllinux {
        /// musl (major, minor).
        musl: (u32, u32),
        /// The architecture.
        arch: String,
    },
    /// `linux_arch`.
    Linux {
        /// The architecture.
        arch: String,
    },
}

/// Reads a Linux platform tag (`manylinux2014_x86_64`, `manylinux_2_28_aarch64`, …).
pub fn linux_tag(tag: &str) -> Option<LinuxTag> {
    let legacy = [
        ("manylinux1_", (2, 5)),
        ("manylinux2010_", (2, 12)),
        ("manylinux2014_", (2, 17)),
    ];
    for (prefix, glibc) in legacy {
        if let Some(arch) = tag.strip_prefix(prefix) {
            return LINUX_ARCHES.contains(&arch).then(|| LinuxTag::Manylinux {
                glibc,
                arch: arch.to_string(),
            });
        }
    }
    let versioned = |rest: &str| -> Option<((u32, u32), String)> {
        let mut parts = rest.splitn(3, '_');
        let major = parts.next()?.parse().ok()?;
        let minor = parts.next()?.parse().ok()?;
        let arch = parts.next()?;
        LINUX_ARCHES
            .contains(&arch)
            .then(|| ((major, minor), arch.to_string()))
    };
    if let Some(rest) = tag.strip_prefix("manylinux_") {
        let (glibc, arch) = versioned(rest)?;
        return Some(LinuxTag::Manylinux { glibc, arch });
    }
    if let Some(rest) = tag.strip_prefix("musllinux_") {
        let (musl, arch) = versioned(rest)?;
        return Some(LinuxTag::Musllinux { musl, arch });
    }
    let arch = tag.strip_prefix("linux_")?;
    LINUX_ARCHES.contains(&arch).then(|| LinuxTag::Linux {
        arch: arch.to_string(),
    })
}

/// Reads a macOS platform tag: ((major, minor), arch).
pub fn macos_tag(tag: &str) -> Option<((u32, u32), String)> {
    let rest = tag.strip_prefix("macosx_")?;
    let mut parts = rest.splitn(3, '_');
    let major = parts.next()?.parse().ok()?;
    let minor = parts.next()?.parse().ok()?;
    let arch = parts.next()?;
    MACOS_ARCHES
        .contains(&arch)
        .then(|| ((major, minor), arch.to_string()))
}

/// The CPU architectures a macOS tag's arch stands for.
pub fn macos_arches(arch: &str) -> &'static [&'static str] {
    match arch {
        "universal2" => &["x86_64", "arm64"],
        "intel" => &["x86_64", "i386"],
        "fat" => &["i386", "ppc"],
        "fat3" => &["x86_64", "i386", "ppc"],
        "fat32" => &["i386", "ppc"],
        "fat64" => &["x86_64", "ppc64"],
        "universal" => &["x86_64", "i386", "ppc", "ppc64"],
        "x86_64" => &["x86_64"],
        "arm64" => &["arm64"],
        "i386" => &["i386"],
        "ppc" => &["ppc"],
        _ => &[],
    }
}

fn all_digits(text: &str) -> bool {
    !text.is_empty() && text.chars().all(|c| c.is_ascii_digit())
}

/// Whether a platform tag is of a family installers know.
pub fn known_platform(tag: &str) -> bool {
    if tag == "any" || linux_tag(tag).is_some() || macos_tag(tag).is_some() {
        return true;
    }
    if ["win32", "win_amd64", "win_arm64", "win_ia64"].contains(&tag) {
        return true;
    }
    let parts: Vec<&str> = tag.split('_').collect();
    match parts.as_slice() {
        ["ios", major, minor, rest @ ..] => {
            all_digits(major)
                && all_digits(minor)
                && matches!(
                    rest,
                    ["arm64", "iphoneos"]
                        | ["arm64", "iphonesimulator"]
                        | ["x86", "64", "iphonesimulator"]
                )
        }
        ["android", level, rest @ ..] => {
            all_digits(level)
                && matches!(
                    rest,
                    ["arm64", "v8a"] | ["armeabi", "v7a"] | ["x86", "64"] | ["x86"]
                )
        }
        ["pyodide", major, minor, "wasm32"] => all_digits(major) && all_digits(minor),
        ["emscripten", major, minor, patch, "wasm32"] => {
            all_digits(major) && all_digits(minor) && all_digits(patch)
        }
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn codes(filename: &str) -> Vec<&'static str> {
        let mut findings = Vec::new();
        parse(filename, &mut findings);
        findings.iter().map(|f| f.code).collect()
    }

    #[test]
    fn good_names_pass() {
        assert!(
            codes("numpy-2.4.6-cp311-cp311-manylinux_2_27_x86_64.manylinux_2_28_x86_64.whl")
                .is_empty()
        );
        assert!(codes("six-1.17.0-py2.py3-none-any.whl").is_empty());
        assert!(codes("pkg-1.0-1-cp313-cp313t-macosx_11_0_arm64.whl").is_empty());
        assert!(codes("pkg-1.0-cp313-cp313-ios_13_0_arm64_iphoneos.whl").is_empty());
        assert!(codes("pkg-1.0-cp313-cp313-android_24_arm64_v8a.whl").is_empty());
        assert!(codes("pkg-1.0-cp312-cp312-pyodide_2024_0_wasm32.whl").is_empty());
    }

    #[test]
    fn bad_names_are_reported() {
        assert_eq!(codes("pkg-1.0.tar.gz"), ["WC010"]);
        assert_eq!(codes("pkg-1.0-py3-none.whl"), ["WC010"]);
        assert_eq!(codes("My.Pkg-1.0-py3-none-any.whl"), ["WC011"]);
        assert_eq!(codes("pkg-1.0.x-py3-none-any.whl"), ["WC012"]);
        assert_eq!(codes("pkg-1.0RC1-py3-none-any.whl"), ["WC013"]);
        assert_eq!(codes("pkg-1.0-abc-py3-none-any.whl"), ["WC014"]);
        assert_eq!(codes("pkg-1.0-Py3-none-any.whl"), ["WC015", "WC015"]);
        assert_eq!(codes("pkg-1.0-py3-none-solaris_x.whl"), ["WC016"]);
    }

    #[test]
    fn tags_expand_and_read() {
        let mut findings = Vec::new();
        let Some(name) = parse("a-1-py2.py3-none-any.whl", &mut findings) else {
            panic!("parses");
        };
        assert_eq!(name.tags().len(), 2);
        assert_eq!(
            linux_tag("manylinux2014_aarch64"),
            Some(LinuxTag::Manylinux {
                glibc: (2, 17),
                arch: "aarch64".into()
            })
        );
        assert_eq!(
            macos_tag("macosx_10_9_universal2"),
            Some(((10, 9), "universal2".into()))
        );
        assert_eq!(escape_name("Foo.Bar--baz"), "foo_bar_baz");
    }
}
