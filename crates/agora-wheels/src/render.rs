//! Views of a [`WheelsReport`]: a terminal table, JSON and Markdown; the HTML colour grid comes
//! from `agora-site`, which reads the same cells through the public functions here. Each view
//! renders the same model.
//!
//! A release's grid has a row per CPython and a column per platform. A cell shows the oldest
//! system the wheels support there (glibc `2.17`, macOS `11.0`, Android API `24`, …), `✓` where
//! the platform has no such floor (Windows), prefixed `abi3` when only a stable-ABI wheel
//! covers it, `any` for pure Python; `-` means no wheel. A release that has only pure-Python
//! wheels is one line. History views show, per release, how many platforms have a wheel for
//! each CPython; releases whose wheels cover none of the rows are counted, not listed.

use std::fmt::Write as _;

use crate::matrix::{Cell, Readiness, ReadinessRow, ReleaseMatrix, WheelsReport};
use crate::tags::{CPython, Kind, Platform};

/// The text of one cell.
pub fn cell_text(cell: Option<&Cell>) -> String {
    let Some(cell) = cell else {
        return "-".into();
    };
    let floor = cell
        .floor
        .map_or_else(|| "✓".to_string(), |f| f.to_string());
    match cell.kind {
        Kind::Specific => floor,
        Kind::Abi3 => format!("abi3 {floor}"),
        Kind::Generic => format!("py3 {floor}"),
        Kind::Pure => "any".into(),
    }
}

/// The day a release was published, `YYYY-MM-DD` (`undated` when unknown).
pub fn day(release: &ReleaseMatrix) -> String {
    release.released.map_or_else(
        || "undated".to_string(),
        |t| t.to_string()[..10].to_string(),
    )
}

/// The one-line heading of a release.
pub fn heading(release: &ReleaseMatrix) -> String {
    let plural = if release.wheels == 1 { "" } else { "s" };
    let mut parts = vec![format!("{} wheel{plural}", release.wheels)];
    if release.other_wheels > 0 {
        parts.push(format!(
            "{} for other interpreters or platforms",
            release.other_wheels
        ));
    }
    parts.push(if release.sdist { "sdist" } else { "no sdist" }.to_string());
    format!(
        "{} {} ({}): {}",
        release.project,
        release.version,
        day(release),
        parts.join(", ")
    )
}

/// The line that stands for a release's grid when it has none to show (pure Python, or no
/// wheel for the rows).
pub fn pure_line(release: &ReleaseMatrix) -> Option<&'static str> {
    if release.pure {
        Some("pure Python: every CPython on every platform")
    } else if release.wheels == release.other_wheels {
        Some("no wheel for CPython 3.9 or later on these platforms")
    } else {
        None
    }
}

/// Pads `text` to `width` characters (not bytes: `✓` is one).
fn pad(text: &str, width: usize) -> String {
    let len = text.chars().count();
    format!("{text}{}", " ".repeat(width.saturating_sub(len)))
}

/// One table as aligned text.
fn text_table(header: &[String], rows: &[Vec<String>]) -> String {
    let mut widths: Vec<usize> = header.iter().map(|h| h.chars().count()).collect();
    for row in rows {
        for (i, cell) in row.iter().enumerate() {
            if let Some(w) = widths.get_mut(i) {
                *w = (*w).max(cell.chars().count());
            }
        }
    }
    let mut out = String::new();
    for row in std::iter::once(header).chain(rows.iter().map(Vec::as_slice)) {
        let line: Vec<String> = row
            .iter()
            .zip(&widths)
            .map(|(cell, width)| pad(cell, *width))
            .collect();
        let _ = writeln!(out, "{}", line.join("  ").trim_end());
    }
    out
}

fn markdown_table(header: &[String], rows: &[Vec<String>]) -> String {
    let mut out = format!("| {} |\n", header.join(" | "));
    let _ = writeln!(
        out,
        "|{}|",
        header.iter().map(|_| "---").collect::<Vec<_>>().join("|")
    );
    for row in rows {
        let _ = writeln!(out, "| {} |", row.join(" | "));
    }
    out
}

fn grid_header() -> Vec<String> {
    std::iter::once("CPython".to_string())
        .chain(Platform::ALL.iter().map(|p| p.label().to_string()))
        .collect()
}

fn grid_rows(release: &ReleaseMatrix) -> Vec<Vec<String>> {
    release
        .rows
        .iter()
        .map(|row| {
            std::iter::once(row.python.label())
                .chain(Platform::ALL.iter().map(|p| cell_text(row.cell(*p))))
                .collect()
        })
        .collect()
}

/// A history cell: platforms with a wheel for `python`, `any` for pure, `-` for none.
pub fn history_cell(release: &ReleaseMatrix, python: CPython) -> String {
    match release.platforms_covered(python) {
        0 => "-".into(),
        n if release.best_kind(python) == Some(Kind::Pure) => {
            if n == Platform::ALL.len() {
                "any".into()
            } else {
                n.to_string()
            }
        }
        n if release.best_kind(python) == Some(Kind::Abi3) => format!("{n} abi3"),
        n => n.to_string(),
    }
}

fn history_header() -> Vec<String> {
    ["version", "released"]
        .into_iter()
        .map(String::from)
        .chain(CPython::ROWS.iter().map(|p| p.label()))
        .collect()
}

/// Releases of one project in the report, in report order, grouped by project.
pub fn by_project(report: &WheelsReport) -> Vec<(&str, Vec<&ReleaseMatrix>)> {
    let mut groups: Vec<(&str, Vec<&ReleaseMatrix>)> = Vec::new();
    for release in &report.releases {
        match groups.last_mut() {
            Some((project, list)) if *project == release.project => list.push(release),
            _ => groups.push((&release.project, vec![release])),
        }
    }
    groups
}

/// The history rows of one project: releases covering some row, and how many cover none.
fn history_rows(releases: &[&ReleaseMatrix]) -> (Vec<Vec<String>>, usize) {
    let mut skipped = 0;
    let mut rows = Vec::new();
    for release in releases {
        if CPython::ROWS
            .iter()
            .all(|p| release.platforms_covered(*p) == 0)
        {
            skipped += 1;
            continue;
        }
        rows.push(
            [release.version.clone(), day(release)]
                .into_iter()
                .chain(CPython::ROWS.iter().map(|p| history_cell(release, *p)))
                .collect(),
        );
    }
    (rows, skipped)
}

/// Which day of readiness a table shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Milestone {
    /// The first wheel built for the CPython, on any platform.
    First,
    /// Wheels on all of the major platforms.
    AllMajor,
}

/// A readiness cell: days to the milestone, `✓` (ready, no release date to count from), `pure`
/// or `-`.
pub fn readiness_cell(readiness: &Readiness, milestone: Milestone) -> String {
    match (readiness, milestone) {
        (
            Readiness::Ready {
                days: Some(days), ..
            },
            Milestone::First,
        ) => days.to_string(),
        (Readiness::Ready { days: None, .. }, Milestone::First) => "✓".into(),
        (
            Readiness::Ready {
                all_major_days: Some(days),
                ..
            },
            Milestone::AllMajor,
        ) => days.to_string(),
        (
            Readiness::Ready {
                all_major: Some(_), ..
            },
            Milestone::AllMajor,
        ) => "✓".into(),
        (Readiness::Ready { .. }, Milestone::AllMajor) => "-".into(),
        (Readiness::Pure, _) => "pure".into(),
        (Readiness::Missing, _) => "-".into(),
    }
}

/// The median of sorted days, rounded down.
fn median(days: &[i64]) -> Option<i64> {
    match days.len() {
        0 => None,
        n if n % 2 == 1 => Some(days[n / 2]),
        n => Some((days[n / 2 - 1] + days[n / 2]).div_euclid(2)),
    }
}

/// The readiness table of a milestone: a header (`project` and a column per CPython) and rows:
/// `released`, one per project, then `ready` (how many of them) and `median days`.
pub fn readiness_table(
    report: &WheelsReport,
    milestone: Milestone,
) -> (Vec<String>, Vec<Vec<String>>) {
    let header: Vec<String> = std::iter::once("project".to_string())
        .chain(report.readiness.iter().map(|r| r.python.label()))
        .collect();
    let projects: Vec<&str> = report
        .readiness
        .first()
        .map(|r| r.projects.iter().map(|p| p.project.as_str()).collect())
        .unwrap_or_default();
    let mut rows: Vec<Vec<String>> = Vec::new();
    rows.push(
        std::iter::once("released".to_string())
            .chain(report.readiness.iter().map(|r| {
                r.released
                    .map_or_else(|| "?".into(), |d| d.strftime("%Y-%m").to_string())
            }))
            .collect(),
    );
    for (i, project) in projects.iter().enumerate() {
        rows.push(
            std::iter::once((*project).to_string())
                .chain(report.readiness.iter().map(|r| {
                    r.projects
                        .get(i)
                        .map_or_else(String::new, |p| readiness_cell(&p.readiness, milestone))
                }))
                .collect(),
        );
    }
    rows.push(
        std::iter::once("ready".to_string())
            .chain(report.readiness.iter().map(|r| {
                let ready = match milestone {
                    Milestone::First => r.ready(),
                    Milestone::AllMajor => r.ready_on_all_major(),
                };
                format!("{ready}/{}", r.projects.len())
            }))
            .collect(),
    );
    rows.push(
        std::iter::once("median days".to_string())
            .chain(report.readiness.iter().map(|r: &ReadinessRow| {
                let curve = match milestone {
                    Milestone::First => r.curve(),
                    Milestone::AllMajor => r.all_major_curve(),
                };
                median(&curve).map_or_else(|| "-".into(), |d| d.to_string())
            }))
            .collect(),
    );
    (header, rows)
}

/// What the readiness tables count.
pub const READINESS_NOTE: &str = "Days from each CPython's X.Y.0 release to the first wheel built \
for it (specific or abi3) in a final release, and to the day such wheels existed on Linux \
x86_64, macOS arm64 and Windows amd64 alike; negative: before the release; pure: no wheel \
needed; -: not yet.";

/// The two readiness tables and their titles.
pub const MILESTONES: [(Milestone, &str); 2] = [
    (
        Milestone::First,
        "Readiness: days to the first wheel for each CPython",
    ),
    (
        Milestone::AllMajor,
        "Readiness: days to wheels on Linux x86_64, macOS arm64 and Windows amd64",
    ),
];

/// What a grid's cells say.
pub const GRID_NOTE: &str = "Cells: the oldest glibc, musl, macOS, iOS, Android API or Pyodide ABI \
the wheels support; ✓ a wheel (no floor on that platform); abi3: only a stable-ABI wheel; \
any: pure Python; -: no wheel.";

fn problems_text(report: &WheelsReport, out: &mut String) {
    for problem in &report.problems {
        let _ = writeln!(out, "{}: {}", problem.project, problem.message);
    }
}

/// The report as text for the terminal.
pub fn text(report: &WheelsReport) -> String {
    let mut out = String::new();
    if report.view == "history" {
        for (project, releases) in by_project(report) {
            let _ = writeln!(
                out,
                "{project}: {} final releases; platforms (of {}) with a wheel for each CPython",
                releases.len(),
                Platform::ALL.len()
            );
            let (rows, skipped) = history_rows(&releases);
            out.push_str(&text_table(&history_header(), &rows));
            if skipped > 0 {
                let _ = writeln!(out, "({skipped} releases have no wheel for these CPythons)");
            }
            out.push('\n');
        }
    } else {
        for release in &report.releases {
            let _ = writeln!(out, "{}", heading(release));
            match pure_line(release) {
                Some(line) => {
                    let _ = writeln!(out, "  {line}");
                }
                None => out.push_str(&text_table(&grid_header(), &grid_rows(release))),
            }
            out.push('\n');
        }
        let _ = writeln!(out, "{GRID_NOTE}\n");
    }
    for (milestone, title) in MILESTONES {
        let (header, rows) = readiness_table(report, milestone);
        let _ = writeln!(out, "{title}");
        out.push_str(&text_table(&header, &rows));
        out.push('\n');
    }
    let _ = writeln!(out, "{READINESS_NOTE}");
    if !report.problems.is_empty() {
        out.push('\n');
        problems_text(report, &mut out);
    }
    out
}

/// The report as one JSON document.
pub fn json(report: &WheelsReport) -> String {
    let mut out = serde_json::to_string_pretty(report).unwrap_or_else(|e| {
        // Serializing plain structs cannot fail; say so if it ever does rather than panic.
        format!("{{\"error\": \"{e}\"}}")
    });
    out.push('\n');
    out
}

/// The report as Markdown (GitHub-flavoured tables).
pub fn markdown(report: &WheelsReport) -> String {
    let mut out = String::from("# Wheel coverage\n\n");
    if report.view == "history" {
        for (project, releases) in by_project(report) {
            let _ = writeln!(out, "## {project}\n");
            let _ = writeln!(
                out,
                "{} final releases; platforms (of {}) with a wheel for each CPython.\n",
                releases.len(),
                Platform::ALL.len()
            );
            let (rows, skipped) = history_rows(&releases);
            if !rows.is_empty() {
                out.push_str(&markdown_table(&history_header(), &rows));
            }
            if skipped > 0 {
                let _ = writeln!(
                    out,
                    "\n{skipped} releases have no wheel for these CPythons."
                );
            }
            out.push('\n');
        }
    } else {
        let _ = writeln!(out, "{GRID_NOTE}\n");
        for release in &report.releases {
            let _ = writeln!(out, "## {}\n", heading(release));
            match pure_line(release) {
                Some(line) => {
                    let _ = writeln!(out, "{line}.");
                }
                None => out.push_str(&markdown_table(&grid_header(), &grid_rows(release))),
            }
            out.push('\n');
        }
    }
    let _ = writeln!(out, "## Readiness for each CPython\n\n{READINESS_NOTE}");
    for (milestone, title) in MILESTONES {
        let (header, rows) = readiness_table(report, milestone);
        let _ = writeln!(out, "\n### {title}\n");
        out.push_str(&markdown_table(&header, &rows));
    }
    if !report.problems.is_empty() {
        out.push('\n');
        for problem in &report.problems {
            let _ = writeln!(out, "- {}: {}", problem.project, problem.message);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tags::Floor;

    #[test]
    fn cells_say_floor_kind_and_absence() {
        let cell = |kind, floor| Cell {
            kind,
            floor,
            wheels: 1,
        };
        assert_eq!(cell_text(None), "-");
        assert_eq!(
            cell_text(Some(&cell(Kind::Specific, Some(Floor::Glibc(2, 17))))),
            "2.17"
        );
        assert_eq!(cell_text(Some(&cell(Kind::Specific, None))), "✓");
        assert_eq!(
            cell_text(Some(&cell(Kind::Abi3, Some(Floor::Macos(11, 0))))),
            "abi3 11.0"
        );
        assert_eq!(cell_text(Some(&cell(Kind::Pure, None))), "any");
        assert_eq!(pad("✓", 3), "✓  ");
        assert_eq!(median(&[1, 2, 10]), Some(2));
        assert_eq!(median(&[1, 2]), Some(1));
        assert_eq!(median(&[]), None);
    }

    fn file(filename: &str, uploaded: &str) -> agora_store::pypi::PypiFile {
        let stem = filename.trim_end_matches(".whl");
        let parts: Vec<&str> = stem.split('-').collect();
        agora_store::pypi::PypiFile {
            filename: filename.into(),
            version: parts.get(1).map(|v| (*v).to_string()),
            kind: agora_store::pypi::FileKind::Wheel,
            url: String::new(),
            sha256: None,
            size: None,
            upload_time: uploaded.parse().ok(),
            yanked: false,
            yanked_reason: None,
            requires_python: None,
            python_tag: parts.get(2).map(|t| (*t).to_string()),
            abi_tag: parts.get(3).map(|t| (*t).to_string()),
            platform_tag: parts.get(4).map(|t| (*t).to_string()),
        }
    }

    fn report(selection: crate::Selection) -> WheelsReport {
        let compiled = crate::ProjectFiles {
            project: "fast<lib>".into(),
            files: vec![
                file(
                    "fast-0.1-cp27-cp27mu-manylinux1_x86_64.whl",
                    "2019-01-01T00:00:00Z",
                ),
                file(
                    "fast-1.0-cp313-cp313-manylinux2014_x86_64.whl",
                    "2024-10-10T00:00:00Z",
                ),
                file("fast-1.0-cp39-abi3-win_amd64.whl", "2024-10-10T00:00:00Z"),
                file(
                    "fast-1.0-cp313-cp313t-macosx_11_0_arm64.whl",
                    "2024-10-10T00:00:00Z",
                ),
            ],
        };
        let pure = crate::ProjectFiles {
            project: "slow".into(),
            files: vec![file("slow-2.0-py3-none-any.whl", "2024-01-01T00:00:00Z")],
        };
        let releases = [("3.13".to_string(), jiff::civil::date(2024, 10, 7))]
            .into_iter()
            .collect();
        WheelsReport::compute(&[compiled, pure], &selection, &releases)
    }

    #[test]
    fn latest_views_show_the_grid_the_pure_line_and_readiness() {
        let report = report(crate::Selection::Latest);
        let text = text(&report);
        let row = |label: &str| {
            text.lines()
                .filter(|l| !l.contains("wheel"))
                .find(|l| l.split_whitespace().next() == Some(label))
                .map(|l| l.split_whitespace().collect::<Vec<_>>())
                .unwrap_or_default()
        };
        // linux x86_64, then 4 columns, macOS arm64, Windows amd64: specific, abi3, free-threaded.
        assert_eq!(
            row("3.13")[..8],
            ["3.13", "2.17", "-", "-", "-", "-", "-", "abi3"]
        );
        assert_eq!(
            row("3.13t")[..7],
            ["3.13t", "-", "-", "-", "-", "-", "11.0"]
        );
        assert_eq!(
            row("3.9")[..8],
            ["3.9", "-", "-", "-", "-", "-", "-", "abi3"]
        );
        assert!(text.contains("slow 2.0 (2024-01-01): 1 wheel, no sdist\n  pure Python"));
        // Readiness: 3 days after 3.13.0 for fast, on all three platforms too; the abi3 wheel
        // makes 3.12 ready without a release date to count from.
        assert_eq!(
            row("fast<lib>")[..6],
            ["fast<lib>", "✓", "✓", "✓", "✓", "3"]
        );
        assert_eq!(row("slow")[1], "pure");
        let markdown = markdown(&report);
        assert!(markdown.contains("| 3.13 | 2.17 | - | - | - | - | - | abi3 ✓ | - | - | - | - |"));
        let json: serde_json::Value = serde_json::from_str(&json(&report)).unwrap_or_default();
        assert_eq!(
            json["releases"][0]["rows"][4]["cells"]["win_amd64"]["kind"],
            "abi3"
        );
        assert_eq!(json["readiness"][4]["projects"][0]["days"], 3);
        assert_eq!(json["readiness"][4]["projects"][1]["status"], "pure");
    }

    #[test]
    fn history_views_count_platforms_and_fold_releases_without_rows() {
        let report = report(crate::Selection::History);
        let text = text(&report);
        assert!(text.contains("fast<lib>: 2 final releases"), "{text}");
        assert!(
            text.contains("(1 releases have no wheel for these CPythons)"),
            "{text}"
        );
        let line = text
            .lines()
            .find(|l| l.starts_with("1.0 "))
            .map(|l| {
                l.split("  ")
                    .map(str::trim)
                    .filter(|c| !c.is_empty())
                    .collect::<Vec<_>>()
            })
            .unwrap_or_default();
        // 3.9-3.12 and 3.14-3.15: the abi3 Windows wheel; 3.13: Linux and Windows; 3.13t:
        // macOS arm64; nothing for 3.14t and 3.15t.
        assert_eq!(
            line,
            [
                "1.0",
                "2024-10-10",
                "1 abi3",
                "1 abi3",
                "1 abi3",
                "1 abi3",
                "2",
                "1 abi3",
                "1 abi3",
                "1",
                "-",
                "-"
            ]
        );
        assert!(text.contains("2.0      2024-01-01  any"), "{text}");
        let markdown = markdown(&report);
        assert!(markdown.contains("1 releases have no wheel for these CPythons."));
    }
}
