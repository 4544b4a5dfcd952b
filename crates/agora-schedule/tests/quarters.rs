//! The quarters of a schedule and their new minimums, on hand-made release histories (drop
//! times add 730 days for packages and 1095 for Python, so a leap day in between moves the
//! calendar date by one).

use std::str::FromStr;

use agora_schedule::{PackageReleases, Release, Schedule, render};
use jiff::civil::date;
use pep440_rs::Version;

fn v(text: &str) -> Version {
    Version::from_str(text).expect("version")
}

fn release(version: &str, at: &str) -> Release {
    let released = if at.len() == 10 {
        format!("{at}T00:00:00Z")
    } else {
        at.to_string()
    };
    Release {
        version: v(version),
        released: released.parse().expect("timestamp"),
    }
}

/// Python 3.11 (drops 2025-10-23), 3.12 (2026-10-01), 3.13 (2027-10-07).
fn python() -> PackageReleases {
    PackageReleases::python(vec![
        release("3.11", "2022-10-24"),
        release("3.12", "2023-10-02"),
        release("3.13", "2024-10-07"),
    ])
}

#[test]
fn new_minimum_is_never_among_the_dropped_releases() {
    // Like xarray in 2028 Q3: 2026.7.0 and 2026.9.0 (the newest known) drop together. The
    // minimum from 2028-07-01 is the release after 2026.9.0, which does not exist yet: "–",
    // as for a newest release dropped alone, never 2026.9.0, which the same row drops.
    let packages = vec![PackageReleases::package(
        "xarray",
        vec![
            release("2026.4.0", "2026-04-13T19:45:34Z"), // drops 2028-04-12: 2028 Q2
            release("2026.7.0", "2026-07-09T17:38:24Z"), // drops 2028-07-08
            release("2026.9.0", "2026-09-29T23:06:23Z"), // drops 2028-09-28
        ],
    )];
    let schedule = Schedule::compute(&packages, date(2026, 11, 24));
    let q3 = schedule
        .quarters
        .iter()
        .find(|q| q.quarter.to_string() == "2028 - Quarter 3")
        .expect("2028 Q3");
    assert_eq!(q3.packages[0].versions, [v("2026.7.0"), v("2026.9.0")]);
    assert_eq!(q3.packages[0].new_minimum, None);
    // 2028 Q2 drops 2026.4.0: its successor 2026.7.0 is the minimum from 2028-04-01.
    let q2 = &schedule.quarters[0];
    assert_eq!(q2.quarter.to_string(), "2028 - Quarter 2");
    assert_eq!(q2.packages[0].new_minimum, Some(v("2026.7.0")));
    // Left out of spec0-action's JSON, as a package without a new minimum is.
    let json = render::json(&schedule);
    assert!(!json.contains("2026.9.0"), "{json}");
    let text = render::text(&schedule);
    assert!(
        text.lines()
            .any(|l| l.contains("2026.7.0 to 2026.9.0") && l.trim_end().ends_with('–')),
        "{text}"
    );
}

#[test]
fn a_new_minimum_is_newer_than_every_release_its_quarter_drops() {
    // An older line released later (ipython 8.38.0 after 9.0.0) dropped in a quarter of its
    // own: the minimum stays where the newer line put it, never lower.
    let packages = vec![PackageReleases::package(
        "ipython",
        vec![
            release("8.37.0", "2024-10-01T00:00:00Z"), // drops 2026-10-01: 2026 Q4
            release("8.38.0", "2025-05-01T00:00:00Z"), // drops 2027-05-01: 2027 Q2, alone
            release("9.0.0", "2025-01-10T00:00:00Z"),  // drops 2027-01-10: 2027 Q1
            release("9.1.0", "2025-08-01T00:00:00Z"),  // drops 2027-08-01: 2027 Q3
            release("9.2.0", "2025-09-01T00:00:00Z"),  // drops 2027-09-01: 2027 Q3
            release("9.3.0", "2025-12-01T00:00:00Z"),  // drops 2027-12-01: 2027 Q4
        ],
    )];
    let schedule = Schedule::compute(&packages, date(2026, 11, 24));
    for quarter in &schedule.quarters {
        for drop in &quarter.packages {
            if let Some(minimum) = &drop.new_minimum {
                assert!(minimum > drop.max_version(), "{quarter:?}");
            }
        }
    }
    // 2027 Q2 drops only 8.38.0, whose successor by version, 9.0.0, was dropped in Q1
    // already: the minimum stays 9.1.0 (spec0-action's "successor of what this quarter
    // drops" would write 9.0.0 and move the floor back).
    let q2 = schedule
        .quarters
        .iter()
        .find(|q| q.quarter.to_string() == "2027 - Quarter 2")
        .expect("2027 Q2");
    assert_eq!(q2.packages[0].versions, [v("8.38.0")]);
    assert_eq!(q2.packages[0].new_minimum, Some(v("9.1.0")));
}

#[test]
fn the_quarter_after_the_cutoff_is_kept_whatever_drops_in_the_cutoffs_own() {
    // Python alone (as with `--offline` and nothing stored): on 2026-12-07 the cutoff is
    // 2026-01-01, 2026 Q1; 3.11 drops before it, 3.12 on 2026-10-01 (2026 Q4). Nothing drops
    // in 2026 Q1, so 2026 Q4 is the first quarter with drops, and it must stay.
    let packages = vec![python()];
    let schedule = Schedule::compute(&packages, date(2026, 12, 7));
    let quarters: Vec<String> = schedule
        .quarters
        .iter()
        .map(|q| q.quarter.to_string())
        .collect();
    assert_eq!(quarters, ["2026 - Quarter 4", "2027 - Quarter 4"]);
    assert_eq!(schedule.quarters[0].packages[0].versions, [v("3.12")]);
    assert_eq!(
        schedule.quarters[0].packages[0].new_minimum,
        Some(v("3.13"))
    );
    // What drops in the cutoff's own quarter is still left out, as the published table does.
    let with_q1 = vec![PackageReleases::package(
        "numpy",
        vec![
            release("2.0.0", "2024-02-01"), // drops 2026-01-31: 2026 Q1, the cutoff's
            release("2.1.0", "2024-06-01"), // drops 2026-06-01: 2026 Q2
            release("2.2.0", "2024-09-01"),
        ],
    )];
    let schedule = Schedule::compute(&with_q1, date(2026, 12, 7));
    assert_eq!(schedule.quarters[0].quarter.to_string(), "2026 - Quarter 2");
    assert!(!render::markdown(&schedule).contains("2026 - Quarter 1"));
    // spec0-action's schedule.json keeps that quarter: a project following it learns its
    // minimum (2.1.0 from 2026-01-01) even when no later quarter names the package.
    let json: serde_json::Value = serde_json::from_str(&render::json(&schedule)).expect("json");
    assert_eq!(json[0]["start_date"], "2026-01-01T00:00:00Z");
    assert_eq!(json[0]["packages"]["numpy"], "2.1.0");
}
