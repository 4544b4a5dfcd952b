//! Checks built wheels before (or after) they reach users: the file name, `RECORD`, `WHEEL` and
//! `METADATA`, the contents, and for compiled wheels the platform tag the binaries qualify for.
//!
//! [`check_bytes`] takes a wheel's bytes and file name and returns a [`Report`]: findings with
//! stable codes from [`rules::RULES`] (documented in `CHECKS.md`), each with a fix hint, plus
//! what the binaries need ([`platform::LinuxReport`], [`platform::MacosReport`]). The work is
//! one pass over the archive ([`archive`]) that hashes every member and parses binaries as it
//! goes, then checks that read only what was kept: [`filename`], [`record`], [`metadata`],
//! [`contents`] (check-wheel-contents' W001–W010), and [`platform`] (auditwheel's manylinux
//! policy reasoning over [`policy`]'s table, and the macOS floor of Mach-O files). A corrupt or
//! truncated archive is a finding, never a panic. [`fetch`] resolves URLs and
//! `PROJECT==VERSION` to wheel files through `agora-http`'s cache; [`render`] prints reports.

pub mod archive;
pub mod binary;
pub mod contents;
pub mod fetch;
pub mod filename;
pub mod finding;
pub mod metadata;
pub mod platform;
pub mod policy;
pub mod record;
pub mod render;
pub mod rules;
pub mod settings;

use std::path::Path;

use serde::Serialize;

pub use finding::Finding;
pub use rules::{RULES, Rule, Severity};

pub use archive::Limits;
pub use settings::Settings;

use crate::filename::escape_name;
use crate::platform::{LinuxReport, MacosReport};

/// What checking one wheel found.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Report {
    /// The wheel's file name.
    pub wheel: String,
    /// Where it was read from (a path or URL).
    pub source: String,
    /// Files in the archive.
    pub files: usize,
    /// The findings, in check order.
    pub findings: Vec<Finding>,
    /// What the ELF files need, for Linux wheels with binaries.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub linux: Option<LinuxReport>,
    /// What the Mach-O files need, for macOS wheels with binaries.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub macos: Option<MacosReport>,
}

impl Report {
    /// Whether any finding is an error.
    pub fn has_errors(&self) -> bool {
        self.findings
            .iter()
            .any(|finding| finding.severity == Severity::Error)
    }

    /// How many findings have `severity`.
    pub fn count(&self, severity: Severity) -> usize {
        self.findings
            .iter()
            .filter(|finding| finding.severity == severity)
            .count()
    }

    /// The codes found, in order, repeated as often as found.
    pub fn codes(&self) -> Vec<&'static str> {
        self.findings.iter().map(|finding| finding.code).collect()
    }
}

/// Why a wheel could not be checked at all.
#[derive(Debug, thiserror::Error)]
pub enum CheckError {
    /// The file could not be read.
    #[error("cannot read {path}: {source}")]
    Read {
        /// The path.
        path: String,
        /// What went wrong.
        source: std::io::Error,
    },
}

/// How to check: which checks report, what the project declares, the archive's limits.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Options {
    /// `select`/`ignore`/`toplevel`, from `pyproject.toml` and the command line.
    pub settings: Settings,
    /// What reading the archive may cost.
    pub limits: Limits,
}

/// Checks the wheel file at `path` with the default options.
pub fn check_path(path: &Path) -> Result<Report, CheckError> {
    check_path_with(path, &Options::default())
}

/// Checks the wheel file at `path`.
pub fn check_path_with(path: &Path, options: &Options) -> Result<Report, CheckError> {
    let bytes = std::fs::read(path).map_err(|source| CheckError::Read {
        path: path.display().to_string(),
        source,
    })?;
    let filename = path
        .file_name()
        .map(|name| name.to_string_lossy().into_owned())
        .unwrap_or_default();
    Ok(check_bytes_with(
        &filename,
        &path.display().to_string(),
        &bytes,
        options,
    ))
}

/// Checks a wheel held in memory with the default options; `filename` is its file name,
/// `source` where it came from.
pub fn check_bytes(filename: &str, source: &str, bytes: &[u8]) -> Report {
    check_bytes_with(filename, source, bytes, &Options::default())
}

/// Checks a wheel held in memory; `filename` is its file name, `source` where it came from.
pub fn check_bytes_with(filename: &str, source: &str, bytes: &[u8], options: &Options) -> Report {
    let mut findings = Vec::new();
    let name = filename::parse(filename, &mut findings);
    let mut report = Report {
        wheel: filename.to_string(),
        source: source.to_string(),
        files: 0,
        findings: Vec::new(),
        linux: None,
        macos: None,
    };
    let Some(archive) = archive::read_with_limits(bytes, &options.limits, &mut findings) else {
        findings.retain(|finding| options.settings.enabled(finding.code));
        report.findings = findings;
        return report;
    };
    report.files = archive.members.len();
    let dist_info = find_dist_info(&archive, name.as_ref(), &mut findings);
    let (data_dir, wheel_path, metadata_path, record_path) = match &dist_info {
        Some(dir) => {
            let stem = dir.trim_end_matches(".dist-info");
            (
                format!("{stem}.data"),
                format!("{dir}/WHEEL"),
                format!("{dir}/METADATA"),
                Some(format!("{dir}/RECORD")),
            )
        }
        None => (
            String::from("(none).data"),
            String::from("WHEEL"),
            String::from("METADATA"),
            None,
        ),
    };
    let data_of = |path: &str| archive.get(path).and_then(|member| member.data.as_deref());
    // A member that exists but could not be read (its compression, a limit) was reported
    // already; the checks of its contents are skipped rather than calling it missing.
    let unread = |path: &str| archive.get(path).is_some_and(|member| !member.readable);
    if dist_info.is_some() {
        if !unread(&wheel_path) {
            metadata::check_wheel_file(
                &wheel_path,
                data_of(&wheel_path),
                name.as_ref(),
                &mut findings,
            );
        }
        if !unread(&metadata_path) {
            metadata::check_metadata(
                &metadata_path,
                data_of(&metadata_path),
                name.as_ref(),
                &mut findings,
            );
        }
    }
    if let Some(record_path) = &record_path
        && !unread(record_path)
    {
        record::check(&archive, record_path, &mut findings);
    }
    contents::check(
        &archive,
        dist_info.as_deref(),
        &data_dir,
        options.settings.toplevel.as_deref(),
        &mut findings,
    );
    let (linux, macos) = platform::check(&archive, name.as_ref(), &mut findings);
    report.linux = linux;
    report.macos = macos;
    findings.retain(|finding| options.settings.enabled(finding.code));
    // Grouped by code (a stable sort keeps each code's findings in archive order).
    findings.sort_by_key(|finding| finding.code);
    report.findings = findings;
    report
}

/// The one `.dist-info` directory, reporting a missing, repeated or misnamed one (`WC201`).
fn find_dist_info(
    archive: &archive::Archive,
    name: Option<&filename::WheelName>,
    findings: &mut Vec<Finding>,
) -> Option<String> {
    let mut dirs: Vec<&str> = archive
        .members
        .iter()
        .filter_map(|member| member.name.split_once('/').map(|(top, _)| top))
        .filter(|top| top.ends_with(".dist-info"))
        .collect();
    dirs.sort_unstable();
    dirs.dedup();
    let dir = match dirs.as_slice() {
        [] => {
            findings.push(Finding::new(
                "WC201",
                None,
                "no .dist-info directory".to_string(),
            ));
            return None;
        }
        [one] => *one,
        many => {
            // Prefer the one matching the file name.
            let wanted =
                name.map(|name| format!("{}-{}", escape_name(&name.name), name.version_text));
            findings.push(Finding::new(
                "WC201",
                None,
                format!("{} .dist-info directories: {}", many.len(), many.join(", ")),
            ));
            many.iter()
                .find(|dir| {
                    wanted.as_deref().is_some_and(|wanted| {
                        escape_name(dir.trim_end_matches(".dist-info")) == escape_name(wanted)
                    })
                })
                .copied()
                .unwrap_or(many[0])
        }
    };
    if let Some(name) = name {
        let stem = dir.trim_end_matches(".dist-info");
        let matches = stem.rsplit_once('-').is_some_and(|(dist, version)| {
            escape_name(dist) == escape_name(&name.name)
                && (version == name.version_text
                    || name.version.as_ref().is_some_and(|v| {
                        version.parse::<pep440_rs::Version>().ok().as_ref() == Some(v)
                    }))
        });
        if !matches {
            findings.push(Finding::new(
                "WC201",
                Some(dir),
                format!(
                    "named `{dir}`, but the file name says {}-{}",
                    name.name, name.version_text
                ),
            ));
        }
    }
    Some(dir.to_string())
}
