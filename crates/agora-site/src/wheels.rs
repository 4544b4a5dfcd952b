//! The page of `agora wheels`: a colour grid per release (or per project's history) and the
//! readiness tables.
//!
//! Cell texts and table rows come from `agora_wheels::render`, the same ones the text and
//! Markdown views print; this module adds only the tint of each cell (which kind of wheel
//! covers it, how soon a CPython got wheels), which is how the grid reads at a glance.

use agora_wheels::WheelsReport;
use agora_wheels::matrix::{Cell, Readiness, ReleaseMatrix};
use agora_wheels::render::{self, Milestone};
use agora_wheels::tags::{CPython, Kind, Platform};
use serde::Serialize;

use crate::page::Frame;
use crate::page::{self, RenderError};

/// Days after a CPython's release up to which wheels count as soon.
const SOON_DAYS: i64 = 90;

/// The tint of a grid cell: the kind of wheel that covers it.
fn kind_tint(cell: Option<&Cell>) -> &'static str {
    match cell.map(|c| c.kind) {
        Some(Kind::Specific) => "specific",
        Some(Kind::Abi3) => "abi3",
        Some(Kind::Generic) | Some(Kind::Pure) => "pure",
        None => "missing",
    }
}

/// The tint of a readiness cell: before the release, soon after, late, or not at all.
fn readiness_tint(readiness: &Readiness, milestone: Milestone) -> &'static str {
    let days = match (readiness, milestone) {
        (Readiness::Ready { days, .. }, Milestone::First) => *days,
        (Readiness::Ready { all_major_days, .. }, Milestone::AllMajor) => *all_major_days,
        (Readiness::Pure, _) => return "pure",
        (Readiness::Missing, _) => return "missing",
    };
    match days {
        Some(d) if d <= 0 => "early",
        Some(d) if d <= SOON_DAYS => "soon",
        Some(_) => "late",
        None if milestone == Milestone::AllMajor => "partial",
        None => "late",
    }
}

/// The tint of a history cell: how many platforms have wheels, and which kind.
fn history_tint(release: &ReleaseMatrix, python: CPython) -> &'static str {
    match (release.platforms_covered(python), release.best_kind(python)) {
        (0, _) => "missing",
        (_, Some(Kind::Pure | Kind::Generic)) => "pure",
        (_, Some(Kind::Abi3)) => "abi3",
        (n, _) if n >= 6 => "specific",
        _ => "partial",
    }
}

/// A tinted cell.
#[derive(Serialize)]
struct CellView {
    text: String,
    tint: &'static str,
}

/// A table: its heading, an optional line under it, its header and rows (a name, then cells).
#[derive(Serialize)]
struct GridView {
    heading: String,
    line: String,
    header: Vec<String>,
    rows: Vec<(String, Vec<CellView>)>,
    footer: Vec<Vec<String>>,
}

/// The page.
#[derive(Serialize)]
struct WheelsPage {
    title: &'static str,
    grid_note: &'static str,
    readiness_note: &'static str,
    history: bool,
    grids: Vec<GridView>,
    readiness: Vec<GridView>,
    problems: Vec<(String, String)>,
}

/// The grids of the latest (or one) release of each project.
fn release_grids(report: &WheelsReport) -> Vec<GridView> {
    report
        .releases
        .iter()
        .map(|release| GridView {
            heading: render::heading(release),
            line: render::pure_line(release).unwrap_or_default().to_string(),
            header: std::iter::once("CPython".to_string())
                .chain(Platform::ALL.iter().map(|p| p.label().to_string()))
                .collect(),
            rows: if render::pure_line(release).is_some() {
                Vec::new()
            } else {
                release
                    .rows
                    .iter()
                    .map(|row| {
                        let cells = Platform::ALL
                            .iter()
                            .map(|p| CellView {
                                text: render::cell_text(row.cell(*p)),
                                tint: kind_tint(row.cell(*p)),
                            })
                            .collect();
                        (row.python.label(), cells)
                    })
                    .collect()
            },
            footer: Vec::new(),
        })
        .collect()
}

/// One grid per project: a row per release, platforms covered per CPython.
fn history_grids(report: &WheelsReport) -> Vec<GridView> {
    render::by_project(report)
        .into_iter()
        .map(|(project, releases)| GridView {
            heading: project.to_string(),
            line: format!(
                "{} final releases; platforms (of {}) with a wheel for each CPython.",
                releases.len(),
                Platform::ALL.len()
            ),
            header: ["version", "released"]
                .into_iter()
                .map(String::from)
                .chain(CPython::ROWS.iter().map(|p| p.label()))
                .collect(),
            rows: releases
                .iter()
                .map(|release| {
                    let cells = std::iter::once(CellView {
                        text: render::day(release),
                        tint: "",
                    })
                    .chain(CPython::ROWS.iter().map(|python| CellView {
                        text: render::history_cell(release, *python),
                        tint: history_tint(release, *python),
                    }))
                    .collect();
                    (release.version.clone(), cells)
                })
                .collect(),
            footer: Vec::new(),
        })
        .collect()
}

/// The two readiness tables: a tinted row per project, then how many are ready and the median.
fn readiness_grids(report: &WheelsReport) -> Vec<GridView> {
    render::MILESTONES
        .iter()
        .map(|(milestone, title)| {
            let (_, rows) = render::readiness_table(report, *milestone);
            let names: Vec<&str> = report
                .readiness
                .first()
                .map(|r| r.projects.iter().map(|p| p.project.as_str()).collect())
                .unwrap_or_default();
            GridView {
                heading: (*title).to_string(),
                line: String::new(),
                header: std::iter::once("project".to_string())
                    .chain(report.readiness.iter().map(|row| match row.released {
                        Some(day) => format!("{} ({day})", row.python.label()),
                        None => row.python.label(),
                    }))
                    .collect(),
                rows: names
                    .iter()
                    .enumerate()
                    .map(|(i, name)| {
                        let cells = report
                            .readiness
                            .iter()
                            .filter_map(|row| row.projects.get(i))
                            .map(|p| CellView {
                                text: render::readiness_cell(&p.readiness, *milestone),
                                tint: readiness_tint(&p.readiness, *milestone),
                            })
                            .collect();
                        ((*name).to_string(), cells)
                    })
                    .collect(),
                // `ready` and `median days`, the table's last two rows.
                footer: rows.iter().skip(1 + names.len()).cloned().collect(),
            }
        })
        .collect()
}

/// The report as a page: a colour grid per release (or per project's history) and readiness.
pub fn html(report: &WheelsReport) -> Result<String, RenderError> {
    html_in(report, None)
}

/// Like [`html`], inside the portal's `frame` when given.
pub fn html_in(report: &WheelsReport, frame: Option<&Frame>) -> Result<String, RenderError> {
    let history = report.view == "history";
    page::render_in(
        "wheels.html",
        &WheelsPage {
            title: "Wheel coverage",
            grid_note: render::GRID_NOTE,
            readiness_note: render::READINESS_NOTE,
            history,
            grids: if history {
                history_grids(report)
            } else {
                release_grids(report)
            },
            readiness: readiness_grids(report),
            problems: report
                .problems
                .iter()
                .map(|p| (p.project.clone(), p.message.clone()))
                .collect(),
        },
        frame,
    )
}
