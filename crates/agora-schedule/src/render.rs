//! Views of a [`Schedule`]: the formats SPEC 0 publishes and the ones agora adds.
//!
//! Every renderer reads the same [`Schedule`]; none computes anything of its own beyond
//! layout. `markdown` reproduces the published `schedule.md` byte for byte (the padded table
//! of scientific-python/specs), `json` the `schedule.json` of scientific-python/spec0-action,
//! `mermaid` the Gantt chart of support windows (`chart.md`), `ics` one calendar event per
//! quarter, and `text` an aligned table for the terminal.

use std::fmt::Write as _;

use jiff::Timestamp;
use jiff::tz::TimeZone;

use crate::{PackageDrop, QuarterDrops, Schedule};

/// `Mon YYYY` of a release time, in UTC.
fn month_year(timestamp: Timestamp) -> String {
    timestamp
        .to_zoned(TimeZone::UTC)
        .strftime("%b %Y")
        .to_string()
}

/// `YYYY-MM-DD` of a time, in UTC.
fn day(timestamp: Timestamp) -> String {
    timestamp.to_zoned(TimeZone::UTC).date().to_string()
}

/// `A` or `A to B`.
fn version_range(drop: &PackageDrop) -> String {
    let (min, max) = (drop.min_version(), drop.max_version());
    if min == max {
        min.to_string()
    } else {
        format!("{min} to {max}")
    }
}

/// `released Mon YYYY` or `released Mon YYYY and Mon YYYY`.
fn release_range(drop: &PackageDrop) -> String {
    if drop.first_released == drop.last_released {
        format!("released {}", month_year(drop.first_released))
    } else {
        format!(
            "released {} and {}",
            month_year(drop.first_released),
            month_year(drop.last_released)
        )
    }
}

/// The schedule as SPEC 0's `schedule.md`.
pub fn markdown(schedule: &Schedule) -> String {
    let blocks: Vec<String> = schedule.quarters.iter().map(markdown_quarter).collect();
    let mut out = blocks.join("\n\n");
    out.push('\n');
    out
}

fn markdown_quarter(quarter: &QuarterDrops) -> String {
    let rows: Vec<[String; 3]> = quarter
        .packages
        .iter()
        .map(|drop| {
            [
                drop.package.clone(),
                version_range(drop),
                release_range(drop),
            ]
        })
        .collect();
    // Columns are as wide as their widest cell, and never narrower than the four dashes of
    // the published table's separator row.
    let mut widths = [4usize; 3];
    for row in &rows {
        for (width, cell) in widths.iter_mut().zip(row) {
            *width = (*width).max(cell.chars().count());
        }
    }
    let line = |cells: [&str; 3]| {
        let mut line = String::new();
        for (cell, width) in cells.iter().zip(widths) {
            let _ = write!(line, "| {cell:<width$} ");
        }
        line.push('|');
        line
    };
    let mut lines = vec![
        format!("#### {}:\n", quarter.quarter),
        "###### Recommend drop support for:\n".to_string(),
        line(["", "", ""]),
        line([
            "-".repeat(widths[0]).as_str(),
            &"-".repeat(widths[1]),
            &"-".repeat(widths[2]),
        ]),
    ];
    lines.extend(rows.iter().map(|[a, b, c]| line([a, b, c])));
    lines.join("\n")
}

/// One quarter of spec0-action's `schedule.json`.
#[derive(Debug, serde::Serialize)]
pub struct JsonQuarter {
    /// The new minimum version per package that drops something this quarter.
    pub packages: std::collections::BTreeMap<String, String>,
    /// The quarter's first day, `YYYY-MM-DDT00:00:00Z`.
    pub start_date: String,
}

/// The schedule in the shape of spec0-action's `schedule.json`: per quarter, the new minimum
/// version of each package that drops releases in it (packages whose newest release is dropped
/// have no new minimum and are left out; so are quarters left empty by that). As spec0-action
/// does, the cutoff's own quarter, left out of the table, is included.
pub fn json_quarters(schedule: &Schedule) -> Vec<JsonQuarter> {
    schedule
        .cutoff_quarter
        .iter()
        .chain(&schedule.quarters)
        .filter_map(|quarter| {
            let packages: std::collections::BTreeMap<String, String> = quarter
                .packages
                .iter()
                .filter_map(|drop| {
                    drop.new_minimum
                        .as_ref()
                        .map(|v| (drop.package.clone(), v.to_string()))
                })
                .collect();
            (!packages.is_empty()).then(|| JsonQuarter {
                packages,
                start_date: format!("{}T00:00:00Z", quarter.quarter.start()),
            })
        })
        .collect()
}

/// [`json_quarters`] as pretty-printed JSON.
pub fn json(schedule: &Schedule) -> String {
    let mut out = serde_json::to_string_pretty(&json_quarters(schedule)).unwrap_or_default();
    out.push('\n');
    out
}

/// The support windows as a Mermaid Gantt chart, like SPEC 0's `chart.md`.
pub fn mermaid(schedule: &Schedule) -> String {
    let mut out =
        String::from("gantt\ndateFormat YYYY-MM-DD\naxisFormat %m / %Y\ntitle Support Window");
    for windows in &schedule.windows {
        let Some(first) = windows.first() else {
            continue;
        };
        let _ = write!(out, "\n\nsection {}", first.package);
        for window in windows {
            let _ = write!(
                out,
                "\n{} : {},{}",
                window.version,
                day(window.released),
                day(window.drops)
            );
        }
    }
    out.push('\n');
    out
}

/// An iCalendar file with one all-day event per quarter, on the quarter's first day.
pub fn ics(schedule: &Schedule) -> String {
    let stamp = format!("{}T000000Z", schedule.date.strftime("%Y%m%d"));
    let mut lines = vec![
        "BEGIN:VCALENDAR".to_string(),
        "VERSION:2.0".to_string(),
        "PRODID:-//scientific-python//agora//EN".to_string(),
        "CALSCALE:GREGORIAN".to_string(),
        "X-WR-CALNAME:SPEC 0 drop schedule".to_string(),
    ];
    for quarter in &schedule.quarters {
        let start = quarter.quarter.start();
        let end = start.checked_add(jiff::ToSpan::days(1)).unwrap_or(start);
        let names: Vec<String> = quarter
            .packages
            .iter()
            .map(|drop| format!("{} {}", drop.package, version_range(drop)))
            .collect();
        let description: Vec<String> = quarter
            .packages
            .iter()
            .map(|drop| {
                let minimum = drop
                    .new_minimum
                    .as_ref()
                    .map(|v| format!("; new minimum {v}"))
                    .unwrap_or_default();
                format!(
                    "{}: {} ({}){minimum}",
                    drop.package,
                    version_range(drop),
                    release_range(drop)
                )
            })
            .collect();
        lines.extend([
            "BEGIN:VEVENT".to_string(),
            format!(
                "UID:spec0-{}-q{}@agora.scientific-python.org",
                quarter.quarter.year, quarter.quarter.number
            ),
            format!("DTSTAMP:{stamp}"),
            format!("DTSTART;VALUE=DATE:{}", start.strftime("%Y%m%d")),
            format!("DTEND;VALUE=DATE:{}", end.strftime("%Y%m%d")),
            format!(
                "SUMMARY:{}",
                ics_escape(&format!("SPEC 0: drop support for {}", names.join(", ")))
            ),
            format!("DESCRIPTION:{}", ics_escape(&description.join("\n"))),
            "END:VEVENT".to_string(),
        ]);
    }
    lines.push("END:VCALENDAR".to_string());
    let mut out = String::new();
    for line in lines {
        fold_ics_line(&line, &mut out);
    }
    out
}

/// Escapes text for an iCalendar TEXT value (RFC 5545 §3.3.11); a carriage return is
/// dropped and other control characters, which TEXT may not hold, become spaces.
pub fn ics_escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            ';' => out.push_str("\\;"),
            ',' => out.push_str("\\,"),
            '\n' => out.push_str("\\n"),
            '\r' => {}
            c if c.is_control() => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

/// Writes `line` folded at 75 octets, CRLF-terminated (RFC 5545 §3.1).
pub fn fold_ics_line(line: &str, out: &mut String) {
    let mut width = 0;
    for ch in line.chars() {
        let len = ch.len_utf8();
        if width + len > 75 {
            out.push_str("\r\n ");
            width = 1;
        }
        out.push(ch);
        width += len;
    }
    out.push_str("\r\n");
}

/// A table for the terminal: one line per package and quarter.
pub fn text(schedule: &Schedule) -> String {
    let mut rows: Vec<[String; 5]> = vec![[
        "quarter".into(),
        "package".into(),
        "drop".into(),
        "released".into(),
        "new minimum".into(),
    ]];
    for quarter in &schedule.quarters {
        for (i, drop) in quarter.packages.iter().enumerate() {
            let label = if i == 0 {
                format!(
                    "{} Q{} (from {})",
                    quarter.quarter.year,
                    quarter.quarter.number,
                    quarter.quarter.start()
                )
            } else {
                String::new()
            };
            let released = if drop.first_released == drop.last_released {
                month_year(drop.first_released)
            } else {
                format!(
                    "{} – {}",
                    month_year(drop.first_released),
                    month_year(drop.last_released)
                )
            };
            rows.push([
                label,
                drop.package.clone(),
                version_range(drop),
                released,
                drop.new_minimum
                    .as_ref()
                    .map(ToString::to_string)
                    .unwrap_or_else(|| "–".into()),
            ]);
        }
    }
    let widths = column_widths(&rows);
    let mut out = format!(
        "SPEC 0 drop schedule as of {} (releases whose support ended before {} are left out)\n\n",
        schedule.date,
        day(schedule.cutoff)
    );
    for (n, row) in rows.iter().enumerate() {
        out.push_str(&aligned_row(row, &widths));
        out.push('\n');
        if n == 0 {
            let rule: Vec<String> = widths.iter().map(|w| "─".repeat(*w)).collect();
            out.push_str(&rule.join("  "));
            out.push('\n');
        }
    }
    if schedule.quarters.is_empty() {
        out.push_str("(nothing to drop in the window)\n");
    }
    out.push_str(&in_force_text(schedule));
    out
}

/// The width in characters of each column of `rows`.
fn column_widths<const N: usize>(rows: &[[String; N]]) -> [usize; N] {
    let mut widths = [0usize; N];
    for row in rows {
        for (width, cell) in widths.iter_mut().zip(row) {
            *width = (*width).max(cell.chars().count());
        }
    }
    widths
}

/// `row`'s cells padded to `widths`, two spaces apart, without trailing blanks.
fn aligned_row<const N: usize>(row: &[String; N], widths: &[usize; N]) -> String {
    let cells: Vec<String> = row
        .iter()
        .zip(widths)
        .map(|(cell, width)| {
            let pad = width.saturating_sub(cell.chars().count());
            format!("{cell}{}", " ".repeat(pad))
        })
        .collect();
    cells.join("  ").trim_end().to_string()
}

/// The minimums in force on the schedule's date, as `schedule check` and AG100 use them.
fn in_force_text(schedule: &Schedule) -> String {
    if schedule.in_force.is_empty() {
        return String::new();
    }
    let rows: Vec<[String; 3]> = schedule
        .in_force
        .iter()
        .map(|minimum| {
            let (version, since) = match (&minimum.version, minimum.since) {
                (Some(version), Some(since)) => {
                    (version.to_string(), format!("from {}", since.start()))
                }
                (Some(version), None) => (version.to_string(), "nothing dropped yet".into()),
                (None, Some(_)) => ("–".into(), "every known release can be dropped".into()),
                (None, None) => ("–".into(), "no releases known".into()),
            };
            [minimum.package.clone(), version, since]
        })
        .collect();
    let widths = column_widths(&rows);
    let mut out = format!(
        "\nMinimums in force on {} (what `schedule check` compares floors with):\n",
        schedule.date
    );
    for row in &rows {
        out.push_str("  ");
        out.push_str(&aligned_row(row, &widths));
        out.push('\n');
    }
    out
}
