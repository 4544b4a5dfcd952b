//! The catalog of checks: every finding has a stable code from this table, a severity, a
//! one-line title and a fix hint.
//!
//! Codes are grouped by what they look at: `WC0xx` the archive and its file name, `WC1xx`
//! `RECORD`, `WC2xx` `WHEEL` and `METADATA`, `WC3xx` the contents (`WC301`–`WC310` are the
//! checks check-wheel-contents calls `W001`–`W010`), `WC4xx` ELF binaries and the
//! manylinux/musllinux policies, `WC5xx` Mach-O binaries and the macOS tag. `CHECKS.md` in this
//! crate documents each one; a test keeps it in step with this table.

use serde::Serialize;

/// How much a finding matters.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Worth knowing; nothing is wrong.
    Info,
    /// Probably a mistake, but installers cope.
    Warning,
    /// The wheel is broken, mislabelled, or PyPI/installers reject it.
    Error,
}

impl Severity {
    /// The lowercase name, as in the JSON output.
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }
}

/// One check of the catalog.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rule {
    /// The stable code, `WC001`.
    pub code: &'static str,
    /// How much it matters.
    pub severity: Severity,
    /// What it finds, in a few words.
    pub title: &'static str,
    /// How to fix it.
    pub hint: &'static str,
    /// The check-wheel-contents code it corresponds to, if any.
    pub check_wheel_contents: Option<&'static str>,
}

const fn rule(
    code: &'static str,
    severity: Severity,
    title: &'static str,
    hint: &'static str,
) -> Rule {
    Rule {
        code,
        severity,
        title,
        hint,
        check_wheel_contents: None,
    }
}

const fn cwc(code: &'static str, w: &'static str, title: &'static str, hint: &'static str) -> Rule {
    Rule {
        code,
        severity: Severity::Error,
        title,
        hint,
        check_wheel_contents: Some(w),
    }
}

use Severity::{Error, Info, Warning};

/// Every check agora's wheel checker knows, in code order.
pub const RULES: &[Rule] = &[
    // The archive and its name.
    rule(
        "WC001",
        Error,
        "not a readable zip archive (truncated or corrupt)",
        "download or build the wheel again; a wheel is a zip file whose central directory is at its end",
    ),
    rule(
        "WC002",
        Error,
        "an archive member cannot be read (bad CRC, truncated data, unsupported compression)",
        "rebuild the wheel; members must be stored or deflate-compressed and intact",
    ),
    rule(
        "WC003",
        Error,
        "an archive member has an unsafe or non-normalized path",
        "member paths must be relative, use `/`, and hold no `.`, `..` or empty components",
    ),
    rule(
        "WC004",
        Error,
        "the archive names the same member more than once",
        "rebuild the wheel; an installer would silently keep only one of the copies",
    ),
    rule(
        "WC005",
        Error,
        "the archive exceeds a resource limit (entries, inflated size, compression ratio)",
        "a real wheel stays far below the limits (100,000 entries, 4 GiB a member, 16 GiB in all, 100:1 for members over 16 MiB); this one is damaged or a zip bomb",
    ),
    rule(
        "WC010",
        Error,
        "the file name is not `{name}-{version}(-{build})?-{python}-{abi}-{platform}.whl`",
        "let the build backend name the wheel, or rename it to the PEP 427 pattern",
    ),
    rule(
        "WC011",
        Warning,
        "the distribution name in the file name is not escaped as the binary distribution format asks",
        "write the name normalized, lowercase, with runs of `-_.` replaced by one `_` (PEP 427/491/503)",
    ),
    rule(
        "WC012",
        Error,
        "the version in the file name is not a valid PEP 440 version",
        "use a PEP 440 version (and `_` for any `-` in it)",
    ),
    rule(
        "WC013",
        Warning,
        "the version in the file name is not in its normalized form",
        "write the version the way PEP 440 normalizes it (e.g. `1.0rc1`, not `1.0-RC1`)",
    ),
    rule(
        "WC014",
        Error,
        "the build tag does not start with a digit",
        "build tags are a number optionally followed by letters, e.g. `1` or `2abc`",
    ),
    rule(
        "WC015",
        Error,
        "a compatibility tag in the file name is malformed",
        "tags are lowercase letters, digits and `_`, compressed sets joined with `.`",
    ),
    rule(
        "WC016",
        Warning,
        "a platform tag is not one installers or PyPI know",
        "use manylinux_X_Y_arch, musllinux_X_Y_arch, macosx_X_Y_arch, win_amd64, … (packaging.tags)",
    ),
    rule(
        "WC017",
        Error,
        "the tags in the file name differ from the `Tag:` lines of WHEEL",
        "rename the wheel or fix WHEEL so both list the same tags (`wheel tags` rewrites both)",
    ),
    rule(
        "WC018",
        Error,
        "a pure-Python tag on a wheel that ships compiled binaries",
        "build a platform wheel (a compiled extension needs a platform and ABI tag)",
    ),
    rule(
        "WC019",
        Error,
        "the platform tag is `linux_*`, which PyPI rejects",
        "run `auditwheel repair` to vendor libraries and retag the wheel as manylinux/musllinux",
    ),
    // RECORD.
    rule(
        "WC101",
        Error,
        "the wheel has no RECORD",
        "rebuild the wheel with a PEP 517 backend; installers refuse wheels without RECORD",
    ),
    rule(
        "WC102",
        Error,
        "a RECORD row is malformed",
        "each row is `path,sha256=<urlsafe-b64 digest without padding>,size` in CSV",
    ),
    rule(
        "WC103",
        Error,
        "a file in the archive is not listed in RECORD",
        "add the file to RECORD (only RECORD.jws and RECORD.p7s may be left out)",
    ),
    rule(
        "WC104",
        Error,
        "RECORD lists a file the archive does not hold",
        "remove the row or add the file",
    ),
    rule(
        "WC105",
        Error,
        "a file's sha256 differs from its RECORD row",
        "the wheel was modified after it was built; rebuild it or regenerate RECORD",
    ),
    rule(
        "WC106",
        Error,
        "a file's size differs from its RECORD row",
        "the wheel was modified after it was built; rebuild it or regenerate RECORD",
    ),
    rule(
        "WC107",
        Error,
        "a file is listed in RECORD without a hash",
        "every file but RECORD itself (and its signatures) needs a hash and a size",
    ),
    rule(
        "WC108",
        Error,
        "a RECORD hash uses an unknown or too weak algorithm",
        "use sha256 (md5 and sha1 are not allowed)",
    ),
    rule(
        "WC109",
        Warning,
        "RECORD lists itself with a hash or size, or not at all",
        "RECORD's own row is `<dist-info>/RECORD,,`",
    ),
    rule(
        "WC110",
        Error,
        "RECORD lists the same path twice",
        "keep one row per file",
    ),
    // WHEEL and METADATA.
    rule(
        "WC201",
        Error,
        "the `.dist-info` directory is missing, repeated, or named unlike the file name",
        "one `{name}-{version}.dist-info` directory, with the name and version of the file name",
    ),
    rule(
        "WC202",
        Error,
        "WHEEL is missing or unreadable",
        "WHEEL holds `Wheel-Version`, `Generator`, `Root-Is-Purelib` and `Tag` lines",
    ),
    rule(
        "WC203",
        Error,
        "WHEEL's Wheel-Version is missing or of a major version installers do not support",
        "write `Wheel-Version: 1.0`",
    ),
    rule(
        "WC204",
        Warning,
        "WHEEL lacks `Root-Is-Purelib`, or says true for a platform wheel",
        "`Root-Is-Purelib: false` for wheels with compiled code, `true` for pure ones",
    ),
    rule(
        "WC205",
        Error,
        "METADATA is missing or unreadable",
        "rebuild the wheel; METADATA holds the core metadata as email headers",
    ),
    rule(
        "WC206",
        Error,
        "METADATA's Metadata-Version is missing or unknown",
        "use a core metadata version installers know (1.0–1.2, 2.1–2.5)",
    ),
    rule(
        "WC207",
        Error,
        "METADATA's Name differs from the file name's",
        "the wheel's file name must carry the project's (normalized) name",
    ),
    rule(
        "WC208",
        Error,
        "METADATA's Version differs from the file name's",
        "the wheel's file name must carry the project's version",
    ),
    rule(
        "WC209",
        Error,
        "Requires-Python is not a valid PEP 440 specifier set",
        "write e.g. `>=3.11`; separate clauses with commas",
    ),
    rule(
        "WC210",
        Error,
        "a Requires-Dist is not a valid PEP 508 requirement",
        "write e.g. `numpy>=1.25; python_version >= \"3.11\"`",
    ),
    rule(
        "WC211",
        Error,
        "Description-Content-Type is not a type PyPI renders",
        "use text/plain, text/x-rst or text/markdown (variant=GFM or CommonMark), optionally with charset=UTF-8",
    ),
    rule(
        "WC212",
        Warning,
        "Description-Content-Type is missing; PyPI renders the description as reStructuredText",
        "set `readme` in pyproject.toml (or long_description_content_type)",
    ),
    rule(
        "WC213",
        Warning,
        "the long description is missing",
        "set `readme` in pyproject.toml so PyPI shows a project description",
    ),
    rule(
        "WC214",
        Error,
        "METADATA lacks a required field (Name or Version)",
        "rebuild the wheel with a standards-compliant backend",
    ),
    // Contents, as check-wheel-contents.
    cwc(
        "WC301",
        "W001",
        "the wheel contains .pyc/.pyo files",
        "exclude compiled bytecode (`global-exclude *.py[co]`); installers compile .py files themselves",
    ),
    cwc(
        "WC302",
        "W002",
        "the wheel contains duplicate files (same contents)",
        "a copy was probably meant to be a move; delete one copy (or a stale build/ directory)",
    ),
    cwc(
        "WC303",
        "W003",
        "a non-module file sits at the top level of the library",
        "move data into a package, licenses into .dist-info (license-files)",
    ),
    cwc(
        "WC304",
        "W004",
        "a module is not at an importable path",
        "rename directories/modules to valid, non-keyword Python identifiers",
    ),
    cwc(
        "WC305",
        "W005",
        "a common name (tests, docs, src, build, …) sits at the top level of the library",
        "exclude it from the packages the build finds (e.g. `exclude = [\"tests*\"]`), or fix the src layout",
    ),
    cwc(
        "WC306",
        "W006",
        "`__init__.py` at the top level of the library",
        "packages are directories; list single-file modules as modules, not packages",
    ),
    cwc(
        "WC307",
        "W007",
        "the wheel's library (purelib and platlib) is empty",
        "check the build's package discovery (a package without __init__.py, a module listed as a package)",
    ),
    cwc(
        "WC308",
        "W008",
        "the wheel holds nothing besides its .dist-info",
        "check the build's package discovery",
    ),
    cwc(
        "WC309",
        "W009",
        "the library has more than one top-level entry",
        "ship one top-level package named after the project (auditwheel's vendored `<name>.libs/` does not count), or declare the entries with `toplevel` in [tool.agora.wheel-check]",
    ),
    cwc(
        "WC310",
        "W010",
        "a top-level library directory holds no Python modules",
        "check that the directory was meant to be shipped, and where its modules went",
    ),
    cwc(
        "WC311",
        "W201",
        "a top-level entry declared in `toplevel` is missing from the library",
        "check the build's package discovery, or update `toplevel` in [tool.agora.wheel-check]",
    ),
    cwc(
        "WC312",
        "W202",
        "the library has a top-level entry that `toplevel` does not declare",
        "exclude it from the build, or add it to `toplevel` in [tool.agora.wheel-check]",
    ),
    rule(
        "WC313",
        Warning,
        "a Python file inside a package has a name `import` cannot reach (a script or hook run by path?)",
        "rename it to a valid identifier if it is meant to be imported; scripts and hooks loaded by path (PyInstaller's `hook-<name>.py`) are fine",
    ),
    // ELF and the manylinux/musllinux policies.
    rule(
        "WC401",
        Error,
        "an ELF file needs a shared library that is neither allowed by the policy nor vendored",
        "run `auditwheel repair` to vendor it, or link it statically",
    ),
    rule(
        "WC402",
        Error,
        "an ELF file needs newer symbol versions (or libraries) than the claimed manylinux tag allows",
        "build in an older manylinux image (or claim the tag the binaries qualify for)",
    ),
    rule(
        "WC403",
        Info,
        "the binaries qualify for an older, more compatible manylinux tag than the one claimed",
        "add the older tag (`auditwheel addtag`) so more systems can install the wheel",
    ),
    rule(
        "WC404",
        Error,
        "an ELF file's architecture differs from the platform tag's",
        "build for the architecture the tag names",
    ),
    rule(
        "WC405",
        Error,
        "an ELF file is linked against a different C library (glibc/musl) than the tag claims",
        "build manylinux wheels against glibc and musllinux wheels against musl",
    ),
    rule(
        "WC406",
        Error,
        "an ELF or Mach-O file cannot be parsed, or a file named as a shared object is no binary",
        "rebuild the wheel; the binary is truncated, corrupt, or something else saved under its name",
    ),
    rule(
        "WC407",
        Error,
        "a binary's format does not match the platform tag (ELF in a macOS/Windows wheel, Mach-O in a Linux one)",
        "build each platform's wheel on (or for) that platform",
    ),
    // Mach-O and the macOS tag.
    rule(
        "WC501",
        Error,
        "a Mach-O file needs a newer macOS than the platform tag claims",
        "set MACOSX_DEPLOYMENT_TARGET to the tag's version when building (or retag with delocate)",
    ),
    rule(
        "WC502",
        Error,
        "a Mach-O file lacks an architecture the platform tag claims",
        "build for every architecture of the tag (universal2 = x86_64 + arm64)",
    ),
    rule(
        "WC503",
        Info,
        "the Mach-O files run on an older macOS than the platform tag claims",
        "the tag could name the older version so more systems install the wheel",
    ),
];

/// The rule with this code.
pub fn rule_for(code: &str) -> Option<&'static Rule> {
    RULES.iter().find(|rule| rule.code == code)
}
