//! Which CPython builds and platforms a wheel installs on, from the three tags of its name.
//!
//! A wheel name carries compressed tag sets (`cp312-cp312-manylinux_2_17_x86_64.manylinux2014_x86_64`,
//! `py2.py3-none-any`): each tag is split on `.` and the wheel covers every combination. For one
//! CPython row ([`CPython`]) the interpreter and ABI tags decide how the wheel applies, in the
//! order installers prefer them ([`Kind`]):
//!
//! - `cpXY-cpXY` is built for that CPython (`cpXY-cpXYt` for its free-threaded build);
//! - `cpXY-abi3` is built against the stable ABI: it installs on CPython X.Y and later, but
//!   never on a free-threaded build, which has no stable ABI;
//! - `cpXY-none`, `py3-none` and `py3X-none` (X.Y and later) need no particular ABI; on the
//!   `any` platform they are pure Python and install everywhere.
//!
//! The platform tag names a column ([`Platform`]) and, where the platform has one, the oldest
//! system the wheel supports ([`Floor`]): the glibc of `manylinux_X_Y` (with the legacy aliases
//! `manylinux1` = 2.5, `manylinux2010` = 2.12, `manylinux2014` = 2.17), the musl of
//! `musllinux_X_Y`, the macOS of `macosx_X_Y` (`universal2` and `intel` cover x86_64 too),
//! the iOS of `ios_X_Y_*` (PEP 730), the Android API level of `android_N_*` (PEP 738), and the
//! Pyodide ABI of `pyodide_YYYY_N` / `pyemscripten_YYYY_N` (PEP 783) or the Emscripten version
//! of the older `emscripten_X_Y_Z` tags. Tags for other systems (`win32`, `i686`, PyPy) cover
//! no column.

use std::fmt;

use serde::Serialize;

/// One row of the matrix: a CPython feature version, default or free-threaded build.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct CPython {
    /// The minor version: 13 for 3.13.
    pub minor: u8,
    /// Whether this is the free-threaded build (`cp313t`).
    pub free_threaded: bool,
}

impl CPython {
    /// The rows agora reports: 3.9 to 3.15, then the free-threaded 3.13t to 3.15t.
    pub const ROWS: [CPython; 10] = [
        CPython::default_build(9),
        CPython::default_build(10),
        CPython::default_build(11),
        CPython::default_build(12),
        CPython::default_build(13),
        CPython::default_build(14),
        CPython::default_build(15),
        CPython::free_threaded_build(13),
        CPython::free_threaded_build(14),
        CPython::free_threaded_build(15),
    ];

    /// The default (GIL) build of 3.`minor`.
    pub const fn default_build(minor: u8) -> CPython {
        CPython {
            minor,
            free_threaded: false,
        }
    }

    /// The free-threaded build of 3.`minor`.
    pub const fn free_threaded_build(minor: u8) -> CPython {
        CPython {
            minor,
            free_threaded: true,
        }
    }

    /// The feature version, `3.13`, as CPython's release dates are keyed.
    pub fn version(self) -> String {
        format!("3.{}", self.minor)
    }

    /// What people call it: `3.13` or `3.13t`.
    pub fn label(self) -> String {
        format!(
            "3.{}{}",
            self.minor,
            if self.free_threaded { "t" } else { "" }
        )
    }

    /// Its ABI tag: `cp313` or `cp313t`.
    pub fn abi_tag(self) -> String {
        format!(
            "cp3{}{}",
            self.minor,
            if self.free_threaded { "t" } else { "" }
        )
    }
}

impl fmt::Display for CPython {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.label())
    }
}

impl Serialize for CPython {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.label())
    }
}

/// One column of the matrix: an operating system and architecture.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Platform {
    /// glibc Linux on x86_64 (`manylinux*_x86_64`).
    ManylinuxX86_64,
    /// glibc Linux on 64-bit ARM (`manylinux*_aarch64`).
    ManylinuxAarch64,
    /// musl Linux on x86_64 (`musllinux_*_x86_64`).
    MusllinuxX86_64,
    /// musl Linux on 64-bit ARM (`musllinux_*_aarch64`).
    MusllinuxAarch64,
    /// macOS on Intel (`macosx_*_x86_64`, `universal2`, `intel`).
    MacosX86_64,
    /// macOS on Apple silicon (`macosx_*_arm64`, `universal2`).
    MacosArm64,
    /// 64-bit Windows on x86 (`win_amd64`).
    WinAmd64,
    /// Windows on ARM (`win_arm64`).
    WinArm64,
    /// iOS, devices or simulator (`ios_*`).
    Ios,
    /// Android (`android_*`).
    Android,
    /// Pyodide in the browser (`pyodide_*`, `pyemscripten_*`, `emscripten_*_wasm32`).
    Pyodide,
}

impl Platform {
    /// Every column, in the order reports show them.
    pub const ALL: [Platform; 11] = [
        Platform::ManylinuxX86_64,
        Platform::ManylinuxAarch64,
        Platform::MusllinuxX86_64,
        Platform::MusllinuxAarch64,
        Platform::MacosX86_64,
        Platform::MacosArm64,
        Platform::WinAmd64,
        Platform::WinArm64,
        Platform::Ios,
        Platform::Android,
        Platform::Pyodide,
    ];

    /// The identifier JSON uses: `manylinux_x86_64`.
    pub fn id(self) -> &'static str {
        match self {
            Platform::ManylinuxX86_64 => "manylinux_x86_64",
            Platform::ManylinuxAarch64 => "manylinux_aarch64",
            Platform::MusllinuxX86_64 => "musllinux_x86_64",
            Platform::MusllinuxAarch64 => "musllinux_aarch64",
            Platform::MacosX86_64 => "macos_x86_64",
            Platform::MacosArm64 => "macos_arm64",
            Platform::WinAmd64 => "win_amd64",
            Platform::WinArm64 => "win_arm64",
            Platform::Ios => "ios",
            Platform::Android => "android",
            Platform::Pyodide => "pyodide",
        }
    }

    /// A short column header for tables: `linux x86_64`.
    pub fn label(self) -> &'static str {
        match self {
            Platform::ManylinuxX86_64 => "linux x86_64",
            Platform::ManylinuxAarch64 => "linux aarch64",
            Platform::MusllinuxX86_64 => "musl x86_64",
            Platform::MusllinuxAarch64 => "musl aarch64",
            Platform::MacosX86_64 => "macos x86_64",
            Platform::MacosArm64 => "macos arm64",
            Platform::WinAmd64 => "win amd64",
            Platform::WinArm64 => "win arm64",
            Platform::Ios => "ios",
            Platform::Android => "android",
            Platform::Pyodide => "pyodide",
        }
    }
}

/// The oldest system a wheel supports on its platform.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Floor {
    /// glibc major.minor (manylinux).
    Glibc(u16, u16),
    /// musl major.minor (musllinux).
    Musl(u16, u16),
    /// macOS major.minor.
    Macos(u16, u16),
    /// iOS major.minor.
    Ios(u16, u16),
    /// Android API level.
    AndroidApi(u16),
    /// Emscripten version of an `emscripten_X_Y_Z_wasm32` wheel (before PEP 783).
    Emscripten(u16, u16, u16),
    /// Pyodide ABI year and patch (`pyodide_2025_0`).
    Pyodide(u16, u16),
}

impl fmt::Display for Floor {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Floor::Glibc(major, minor)
            | Floor::Musl(major, minor)
            | Floor::Macos(major, minor)
            | Floor::Ios(major, minor)
            | Floor::Pyodide(major, minor) => write!(f, "{major}.{minor}"),
            Floor::AndroidApi(level) => write!(f, "{level}"),
            Floor::Emscripten(a, b, c) => write!(f, "{a}.{b}.{c}"),
        }
    }
}

impl Serialize for Floor {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

/// How a wheel applies to one CPython row, best first (the order installers prefer).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    /// Built for exactly this CPython build (`cp313-cp313`, `cp313-cp313t`).
    Specific,
    /// Built against the stable ABI of an earlier or equal CPython (`cp39-abi3`).
    Abi3,
    /// No ABI needed, but tied to a platform (`py3-none-win_amd64`).
    Generic,
    /// Pure Python (`py3-none-any`).
    Pure,
}

/// What one platform tag says: every platform, some columns with a floor, or none of ours.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PlatformMatch {
    /// `any`.
    Any,
    /// The columns this tag installs on, with the oldest system it supports there.
    Columns(Vec<(Platform, Option<Floor>)>),
}

/// One cell a wheel covers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Cover {
    /// The CPython row.
    pub python: CPython,
    /// The platform column.
    pub platform: Platform,
    /// How the wheel applies.
    pub kind: Kind,
    /// The oldest system it supports there; `None` for platforms without one and for `any`.
    pub floor: Option<Floor>,
}

/// How an interpreter tag and an ABI tag apply to a CPython row.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum AbiMatch {
    Specific,
    Abi3,
    NoAbi,
}

/// The digits after `prefix` (`cp3`, `py3`) as a minor version: `cp313` → 13.
fn minor_after(tag: &str, prefix: &str) -> Option<u8> {
    let digits = tag.strip_prefix(prefix)?;
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    digits.parse().ok()
}

fn abi_match(python: &str, abi: &str, row: CPython) -> Option<AbiMatch> {
    match abi {
        "none" => {
            let applies = python == "py3"
                || minor_after(python, "py3").is_some_and(|minor| minor <= row.minor)
                || minor_after(python, "cp3") == Some(row.minor);
            applies.then_some(AbiMatch::NoAbi)
        }
        "abi3" => {
            let applies = !row.free_threaded
                && minor_after(python, "cp3").is_some_and(|minor| minor <= row.minor);
            applies.then_some(AbiMatch::Abi3)
        }
        _ => {
            let rest = abi.strip_prefix("cp3")?;
            let digits_end = rest
                .find(|c: char| !c.is_ascii_digit())
                .unwrap_or(rest.len());
            let minor: u8 = rest[..digits_end].parse().ok()?;
            let free_threaded = match &rest[digits_end..] {
                "" | "m" | "mu" | "u" => false,
                "t" => true,
                _ => return None,
            };
            let applies = minor == row.minor
                && free_threaded == row.free_threaded
                && minor_after(python, "cp3") == Some(minor);
            applies.then_some(AbiMatch::Specific)
        }
    }
}

/// Splits `major_minor_rest` into two numbers and the rest: `2_17_x86_64` → (2, 17, `x86_64`).
fn two_numbers(text: &str) -> Option<(u16, u16, &str)> {
    let (major, rest) = text.split_once('_')?;
    let (minor, rest) = rest.split_once('_')?;
    Some((major.parse().ok()?, minor.parse().ok()?, rest))
}

fn linux_column(arch: &str, x86_64: Platform, aarch64: Platform) -> Vec<Platform> {
    match arch {
        "x86_64" => vec![x86_64],
        "aarch64" => vec![aarch64],
        _ => Vec::new(),
    }
}

/// What one platform tag (no dots) installs on.
pub fn platform_match(tag: &str) -> PlatformMatch {
    let columns = |platforms: Vec<Platform>, floor: Option<Floor>| {
        PlatformMatch::Columns(platforms.into_iter().map(|p| (p, floor)).collect())
    };
    let none = PlatformMatch::Columns(Vec::new());
    if tag == "any" {
        return PlatformMatch::Any;
    }
    let manylinux = |arch: &str, major, minor| {
        columns(
            linux_column(arch, Platform::ManylinuxX86_64, Platform::ManylinuxAarch64),
            Some(Floor::Glibc(major, minor)),
        )
    };
    for (alias, major, minor) in [
        ("manylinux1_", 2, 5),
        ("manylinux2010_", 2, 12),
        ("manylinux2014_", 2, 17),
    ] {
        if let Some(arch) = tag.strip_prefix(alias) {
            return manylinux(arch, major, minor);
        }
    }
    if let Some(rest) = tag.strip_prefix("manylinux_") {
        return match two_numbers(rest) {
            Some((major, minor, arch)) => manylinux(arch, major, minor),
            None => none,
        };
    }
    if let Some(rest) = tag.strip_prefix("musllinux_") {
        return match two_numbers(rest) {
            Some((major, minor, arch)) => columns(
                linux_column(arch, Platform::MusllinuxX86_64, Platform::MusllinuxAarch64),
                Some(Floor::Musl(major, minor)),
            ),
            None => none,
        };
    }
    if let Some(rest) = tag.strip_prefix("macosx_") {
        let Some((major, minor, arch)) = two_numbers(rest) else {
            return none;
        };
        let platforms = match arch {
            "x86_64" | "intel" | "fat64" | "fat3" | "universal" => vec![Platform::MacosX86_64],
            "arm64" => vec![Platform::MacosArm64],
            "universal2" => vec![Platform::MacosX86_64, Platform::MacosArm64],
            _ => Vec::new(),
        };
        return columns(platforms, Some(Floor::Macos(major, minor)));
    }
    match tag {
        "win_amd64" => return columns(vec![Platform::WinAmd64], None),
        "win_arm64" => return columns(vec![Platform::WinArm64], None),
        _ => {}
    }
    if let Some(rest) = tag.strip_prefix("ios_") {
        let Some((major, minor, rest)) = two_numbers(rest) else {
            return none;
        };
        if !(rest.ends_with("_iphoneos") || rest.ends_with("_iphonesimulator")) {
            return none;
        }
        return columns(vec![Platform::Ios], Some(Floor::Ios(major, minor)));
    }
    if let Some(rest) = tag.strip_prefix("android_") {
        let Some((level, abi)) = rest.split_once('_') else {
            return none;
        };
        let known = ["arm64_v8a", "armeabi_v7a", "x86_64", "x86"].contains(&abi);
        return match level.parse() {
            Ok(level) if known => columns(vec![Platform::Android], Some(Floor::AndroidApi(level))),
            _ => none,
        };
    }
    for prefix in ["pyodide_", "pyemscripten_"] {
        if let Some(rest) = tag.strip_prefix(prefix) {
            return match two_numbers(rest) {
                Some((year, patch, "wasm32")) => {
                    columns(vec![Platform::Pyodide], Some(Floor::Pyodide(year, patch)))
                }
                _ => none,
            };
        }
    }
    if let Some(rest) = tag.strip_prefix("emscripten_") {
        let parts: Vec<&str> = rest.split('_').collect();
        if let [a, b, c, "wasm32"] = parts.as_slice()
            && let (Ok(a), Ok(b), Ok(c)) = (a.parse(), b.parse(), c.parse())
        {
            return columns(vec![Platform::Pyodide], Some(Floor::Emscripten(a, b, c)));
        }
        return none;
    }
    none
}

/// Every cell a wheel with these (possibly compressed) tags covers, one [`Cover`] per
/// combination of tags that applies; a cell may appear more than once.
pub fn covers(python_tag: &str, abi_tag: &str, platform_tag: &str) -> Vec<Cover> {
    let platforms: Vec<PlatformMatch> = platform_tag.split('.').map(platform_match).collect();
    let mut out = Vec::new();
    for row in CPython::ROWS {
        for python in python_tag.split('.') {
            for abi in abi_tag.split('.') {
                let Some(matched) = abi_match(python, abi, row) else {
                    continue;
                };
                for platform in &platforms {
                    match platform {
                        PlatformMatch::Any => {
                            let kind = match matched {
                                AbiMatch::Specific => Kind::Specific,
                                AbiMatch::Abi3 => Kind::Abi3,
                                AbiMatch::NoAbi => Kind::Pure,
                            };
                            out.extend(Platform::ALL.into_iter().map(|platform| Cover {
                                python: row,
                                platform,
                                kind,
                                floor: None,
                            }));
                        }
                        PlatformMatch::Columns(columns) => {
                            let kind = match matched {
                                AbiMatch::Specific => Kind::Specific,
                                AbiMatch::Abi3 => Kind::Abi3,
                                AbiMatch::NoAbi => Kind::Generic,
                            };
                            out.extend(columns.iter().map(|(platform, floor)| Cover {
                                python: row,
                                platform: *platform,
                                kind,
                                floor: *floor,
                            }));
                        }
                    }
                }
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const CP313: CPython = CPython::default_build(13);
    const CP313T: CPython = CPython::free_threaded_build(13);

    /// The cells of a wheel as `(row label, platform id, kind, floor)`, deduplicated.
    fn cells(filename_tags: &str) -> Vec<(String, &'static str, Kind, Option<String>)> {
        let parts: Vec<&str> = filename_tags.split('-').collect();
        let [python, abi, platform] = parts.as_slice() else {
            panic!("three tags expected in {filename_tags}");
        };
        let mut out: Vec<_> = covers(python, abi, platform)
            .into_iter()
            .map(|c| {
                (
                    c.python.label(),
                    c.platform.id(),
                    c.kind,
                    c.floor.map(|f| f.to_string()),
                )
            })
            .collect();
        out.sort();
        out.dedup();
        out
    }

    fn rows(filename_tags: &str) -> Vec<String> {
        let mut rows: Vec<String> = cells(filename_tags).into_iter().map(|c| c.0).collect();
        rows.dedup();
        rows
    }

    #[test]
    fn specific_wheels_cover_their_own_build_only() {
        assert_eq!(
            cells("cp313-cp313-win_amd64"),
            vec![("3.13".into(), "win_amd64", Kind::Specific, None)]
        );
        assert_eq!(
            cells("cp313-cp313t-win_arm64"),
            vec![("3.13t".into(), "win_arm64", Kind::Specific, None)]
        );
        // A cp313 ABI under a cp312 interpreter tag is inconsistent and installs nowhere.
        assert!(cells("cp312-cp313-win_amd64").is_empty());
        // Debug builds and CPython 2 are not rows.
        assert!(cells("cp313-cp313d-win_amd64").is_empty());
        assert!(cells("cp27-cp27mu-manylinux1_x86_64").is_empty());
        assert_eq!(
            abi_match("cp37", "cp37m", CPython::default_build(7)),
            Some(AbiMatch::Specific)
        );
    }

    #[test]
    fn abi3_covers_later_cpythons_but_not_free_threaded_ones() {
        assert_eq!(
            rows("cp311-abi3-macosx_11_0_arm64"),
            ["3.11", "3.12", "3.13", "3.14", "3.15"]
        );
        assert!(
            cells("cp39-abi3-win_amd64")
                .iter()
                .all(|c| c.2 == Kind::Abi3 && !c.0.ends_with('t'))
        );
        assert_eq!(abi_match("cp39", "abi3", CP313T), None);
        assert_eq!(abi_match("cp314", "abi3", CP313), None);
        // abi3 needs a CPython interpreter tag.
        assert!(cells("py3-abi3-win_amd64").is_empty());
    }

    #[test]
    fn pure_wheels_cover_everything() {
        let all = cells("py3-none-any");
        assert_eq!(all.len(), CPython::ROWS.len() * Platform::ALL.len());
        assert!(all.iter().all(|c| c.2 == Kind::Pure && c.3.is_none()));
        assert_eq!(cells("py2.py3-none-any").len(), all.len());
        assert!(cells("py2-none-any").is_empty());
        // `py3X` means X and later: py311 leaves out 3.9 and 3.10.
        assert_eq!(rows("py311-none-any")[..2], ["3.11", "3.12"]);
        assert!(!rows("py311-none-any").contains(&"3.10".to_string()));
        // `cpXY-none` is that CPython only, either build.
        assert_eq!(rows("cp313-none-any"), ["3.13", "3.13t"]);
        // A Python-independent binary for one platform.
        let generic = cells("py3-none-win_amd64");
        assert_eq!(generic.len(), CPython::ROWS.len());
        assert!(
            generic
                .iter()
                .all(|c| c.1 == "win_amd64" && c.2 == Kind::Generic)
        );
    }

    #[test]
    fn compressed_tag_sets_cover_the_union() {
        let both = cells("cp313-cp313-manylinux_2_17_aarch64.manylinux2014_aarch64");
        assert_eq!(
            both,
            vec![(
                "3.13".into(),
                "manylinux_aarch64",
                Kind::Specific,
                Some("2.17".into())
            )]
        );
        // numpy 1.x shipped one macOS wheel for several interpreters and platforms.
        let mac = cells("cp39.cp310-cp39.cp310-macosx_10_9_x86_64.macosx_11_0_arm64");
        assert_eq!(mac.len(), 4, "{mac:?}");
        assert!(mac.contains(&(
            "3.10".into(),
            "macos_arm64",
            Kind::Specific,
            Some("11.0".into())
        )));
        // Interpreter and ABI tags combine pairwise: cp39 + cp310 ABI applies nowhere.
        assert!(!mac.iter().any(|c| c.0 == "3.11"));
        let py = cells("py2.py3-none-manylinux1_x86_64.win_amd64");
        assert!(py.iter().any(|c| c.1 == "win_amd64" && c.0 == "3.15t"));
    }

    #[test]
    fn manylinux_aliases_and_glibc_floors() {
        let floor = |tag: &str| match platform_match(tag) {
            PlatformMatch::Columns(columns) => columns
                .into_iter()
                .map(|(p, f)| {
                    format!(
                        "{} {}",
                        p.id(),
                        f.map(|f| f.to_string()).unwrap_or_default()
                    )
                })
                .collect::<Vec<_>>(),
            PlatformMatch::Any => vec!["any".into()],
        };
        assert_eq!(floor("manylinux1_x86_64"), ["manylinux_x86_64 2.5"]);
        assert_eq!(floor("manylinux2010_x86_64"), ["manylinux_x86_64 2.12"]);
        assert_eq!(floor("manylinux2014_aarch64"), ["manylinux_aarch64 2.17"]);
        assert_eq!(floor("manylinux_2_28_aarch64"), ["manylinux_aarch64 2.28"]);
        assert_eq!(floor("musllinux_1_2_x86_64"), ["musllinux_x86_64 1.2"]);
        assert_eq!(floor("musllinux_1_1_aarch64"), ["musllinux_aarch64 1.1"]);
        // Architectures without a column, and malformed tags, cover nothing.
        assert!(floor("manylinux2014_i686").is_empty());
        assert!(floor("manylinux_2_17_ppc64le").is_empty());
        assert!(floor("manylinux_x_17_x86_64").is_empty());
        assert!(floor("linux_x86_64").is_empty());
        assert!(floor("win32").is_empty());
        assert_eq!(floor("any"), ["any"]);
        assert!(Floor::Glibc(2, 5) < Floor::Glibc(2, 17));
        assert!(Floor::Glibc(2, 17) < Floor::Glibc(2, 28));
    }

    #[test]
    fn macos_floors_and_fat_binaries() {
        let columns = |tag: &str| match platform_match(tag) {
            PlatformMatch::Columns(columns) => columns,
            PlatformMatch::Any => Vec::new(),
        };
        assert_eq!(
            columns("macosx_10_9_universal2"),
            vec![
                (Platform::MacosX86_64, Some(Floor::Macos(10, 9))),
                (Platform::MacosArm64, Some(Floor::Macos(10, 9)))
            ]
        );
        assert_eq!(
            columns("macosx_14_0_arm64"),
            vec![(Platform::MacosArm64, Some(Floor::Macos(14, 0)))]
        );
        assert_eq!(
            columns("macosx_10_6_intel"),
            vec![(Platform::MacosX86_64, Some(Floor::Macos(10, 6)))]
        );
        assert!(columns("macosx_10_6_i386").is_empty());
        assert!(columns("macosx_eleven_arm64").is_empty());
        // 10.9 sorts before 10.13 (numerically, not as text) and before 11.0.
        assert!(Floor::Macos(10, 9) < Floor::Macos(10, 13));
        assert!(Floor::Macos(10, 16) < Floor::Macos(11, 0));
    }

    #[test]
    fn windows_ios_android_and_pyodide() {
        assert_eq!(
            cells("cp313-cp313-ios_13_0_arm64_iphoneos"),
            vec![("3.13".into(), "ios", Kind::Specific, Some("13.0".into()))]
        );
        assert_eq!(
            cells("cp314-cp314-ios_13_0_x86_64_iphonesimulator")[0]
                .3
                .as_deref(),
            Some("13.0")
        );
        assert!(cells("cp314-cp314-ios_13_0_arm64_watchos").is_empty());
        assert_eq!(
            cells("cp314-cp314-android_24_arm64_v8a"),
            vec![("3.14".into(), "android", Kind::Specific, Some("24".into()))]
        );
        assert_eq!(cells("cp313-cp313-android_21_x86_64").len(), 1);
        assert!(cells("cp313-cp313-android_xx_x86_64").is_empty());
        assert_eq!(
            cells("cp312-cp312-pyemscripten_2024_0_wasm32"),
            vec![(
                "3.12".into(),
                "pyodide",
                Kind::Specific,
                Some("2024.0".into())
            )]
        );
        assert_eq!(
            cells("cp313-cp313-pyodide_2025_0_wasm32")[0].3.as_deref(),
            Some("2025.0")
        );
        assert_eq!(
            cells("cp311-cp311-emscripten_3_1_46_wasm32")[0]
                .3
                .as_deref(),
            Some("3.1.46")
        );
        assert!(Floor::Emscripten(3, 1, 58) < Floor::Pyodide(2024, 0));
        assert!(cells("cp311-cp311-emscripten_3_1_wasm32").is_empty());
        assert!(cells("cp313-cp313-win32").is_empty());
        assert_eq!(cells("cp313-cp313-win_arm64")[0].1, "win_arm64");
        // PyPy wheels are not CPython rows.
        assert!(cells("pp310-pypy310_pp73-win_amd64").is_empty());
    }

    #[test]
    fn rows_and_labels() {
        assert_eq!(CP313T.label(), "3.13t");
        assert_eq!(CP313T.abi_tag(), "cp313t");
        assert_eq!(CP313T.version(), "3.13");
        let labels: Vec<String> = CPython::ROWS.iter().map(|r| r.label()).collect();
        assert_eq!(labels.first().map(String::as_str), Some("3.9"));
        assert_eq!(labels.last().map(String::as_str), Some("3.15t"));
        assert_eq!(
            serde_json::to_string(&Platform::ManylinuxX86_64)
                .ok()
                .as_deref(),
            Some("\"manylinux_x86_64\"")
        );
        assert!(Platform::ALL.iter().all(
            |p| serde_json::to_value(p).ok() == Some(serde_json::Value::String(p.id().into()))
        ));
    }
}
