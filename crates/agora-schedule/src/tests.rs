//! Schedules worked out by hand. Drop times add exact days: 730 for packages, 1095 for
//! Python, so a leap day in between moves the calendar date by one.

use std::str::FromStr;

use jiff::civil::date;

use super::*;

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

fn sample() -> Vec<PackageReleases> {
    vec![
        PackageReleases::python(vec![
            release("3.11", "2022-10-24"), // drops 2025-10-23: before the cutoff
            release("3.12", "2023-10-02"), // drops 2026-10-01 (2024 is a leap year)
            release("3.13", "2024-10-07"), // drops 2027-10-07
        ]),
        PackageReleases::package(
            "numpy",
            vec![
                release("1.26.0", "2023-09-16T19:00:00Z"), // drops 2025-09-15: before the cutoff
                release("2.0.0", "2024-06-16T20:00:00Z"), // drops 2026-06-16: Q2, the first quarter
                release("2.1.0", "2024-08-18T15:00:00Z"), // drops 2026-08-18: Q3
                release("2.2.0", "2024-12-08T14:00:00Z"), // drops 2026-12-08: Q4
                release("2.3.0", "2025-06-07T12:00:00Z"), // drops 2027-06-07: Q2 2027
            ],
        ),
    ]
}

#[test]
fn cutoff_is_the_quarter_start_minus_nine_months() {
    assert_eq!(
        cutoff_for(date(2026, 11, 24)).to_string(),
        "2026-01-01T00:00:00Z"
    );
    assert_eq!(
        cutoff_for(date(2026, 10, 1)).to_string(),
        "2026-01-01T00:00:00Z"
    );
    assert_eq!(
        cutoff_for(date(2026, 9, 30)).to_string(),
        "2025-10-01T00:00:00Z"
    );
    assert_eq!(
        cutoff_for(date(2026, 2, 1)).to_string(),
        "2025-04-01T00:00:00Z"
    );
}

#[test]
fn feature_releases_are_finals_with_micro_zero() {
    assert!(is_feature_release(&v("2.1.0")));
    assert!(is_feature_release(&v("3.2")));
    assert!(!is_feature_release(&v("2.1.1")));
    assert!(!is_feature_release(&v("2.1.0rc1")));
    assert!(!is_feature_release(&v("2.1.0.dev0")));
    assert!(is_feature_release(&v("2.1.0.post1")));
}

#[test]
fn quarters_group_drops_after_the_cutoffs_quarter() {
    let schedule = Schedule::compute(&sample(), date(2026, 11, 24));
    let quarters: Vec<String> = schedule
        .quarters
        .iter()
        .map(|q| q.quarter.to_string())
        .collect();
    // The cutoff is 2026-01-01: 2026 Q1 is left out (nothing of the sample drops in it), and
    // 2026 Q2, numpy 2.0.0's, is the first quarter printed.
    assert_eq!(
        quarters,
        [
            "2026 - Quarter 2",
            "2026 - Quarter 3",
            "2026 - Quarter 4",
            "2027 - Quarter 2",
            "2027 - Quarter 4"
        ]
    );
    assert!(schedule.cutoff_quarter.is_none());
    let q4 = &schedule.quarters[2];
    let names: Vec<&str> = q4.packages.iter().map(|p| p.package.as_str()).collect();
    assert_eq!(names, ["numpy", "python"]);
    assert_eq!(q4.packages[0].new_minimum, Some(v("2.3.0")));
    assert_eq!(q4.packages[1].new_minimum, Some(v("3.13")));
    // The newest release of a package, dropped alone, has no successor.
    assert_eq!(schedule.quarters[3].packages[0].new_minimum, None);
    // Windows keep every release after the cutoff, python's and numpy's, by version.
    let kept: Vec<Vec<String>> = schedule
        .windows
        .iter()
        .map(|w| w.iter().map(|w| w.version.to_string()).collect())
        .collect();
    assert_eq!(
        kept,
        [
            vec!["3.12", "3.13"],
            vec!["2.0.0", "2.1.0", "2.2.0", "2.3.0"]
        ]
    );
    assert_eq!(
        schedule.windows[0][0].drops.to_string(),
        "2026-10-01T00:00:00Z"
    );
}

#[test]
fn a_drop_exactly_at_the_cutoff_is_left_out() {
    // 2023-01-02 + 1095 days = 2026-01-01, the cutoff for any date in 2026 Q4.
    let packages = vec![PackageReleases::python(vec![
        release("3.90", "2023-01-02"),
        release("3.91", "2023-01-03"),
    ])];
    let schedule = Schedule::compute(&packages, date(2026, 11, 24));
    let kept: Vec<String> = schedule.windows[0]
        .iter()
        .map(|w| w.version.to_string())
        .collect();
    assert_eq!(kept, ["3.91"]);
}

#[test]
fn markdown_matches_the_published_layout() {
    let schedule = Schedule::compute(&sample(), date(2026, 11, 24));
    let markdown = render::markdown(&schedule);
    let expected = "\
#### 2026 - Quarter 2:

###### Recommend drop support for:

|       |       |                   |
| ----- | ----- | ----------------- |
| numpy | 2.0.0 | released Jun 2024 |

#### 2026 - Quarter 3:

###### Recommend drop support for:

|       |       |                   |
| ----- | ----- | ----------------- |
| numpy | 2.1.0 | released Aug 2024 |

#### 2026 - Quarter 4:

###### Recommend drop support for:

|        |       |                   |
| ------ | ----- | ----------------- |
| numpy  | 2.2.0 | released Dec 2024 |
| python | 3.12  | released Oct 2023 |

#### 2027 - Quarter 2:

###### Recommend drop support for:

|       |       |                   |
| ----- | ----- | ----------------- |
| numpy | 2.3.0 | released Jun 2025 |

#### 2027 - Quarter 4:

###### Recommend drop support for:

|        |      |                   |
| ------ | ---- | ----------------- |
| python | 3.13 | released Oct 2024 |
";
    assert_eq!(markdown, expected);
}

#[test]
fn ranges_take_versions_and_dates_separately() {
    // Like ipython: 8.38.0 came out after 9.0.0. Both drop in 2027 Q1 here.
    let packages = vec![PackageReleases::package(
        "ipython",
        vec![
            release("8.30.0", "2024-11-29T00:00:00Z"), // 2026-11-29: 2026 Q4
            release("8.38.0", "2025-01-20T00:00:00Z"), // 2027-01-20
            release("9.0.0", "2025-03-01T00:00:00Z"),  // 2027-03-01
            release("9.1.0", "2025-04-01T00:00:00Z"),  // 2027-04-01
        ],
    )];
    // On 2026-02-01 the cutoff is 2025-04-01 (2025 Q2): every quarter after it is printed.
    let schedule = Schedule::compute(&packages, date(2026, 2, 1));
    let quarters: Vec<String> = schedule
        .quarters
        .iter()
        .map(|q| q.quarter.to_string())
        .collect();
    assert_eq!(
        quarters,
        ["2026 - Quarter 4", "2027 - Quarter 1", "2027 - Quarter 2"]
    );
    let q = &schedule.quarters[1];
    let markdown = render::markdown(&schedule);
    assert!(
        markdown.contains("| ipython | 8.38.0 to 9.0.0 | released Jan 2025 and Mar 2025 |"),
        "{markdown}"
    );
    assert_eq!(q.packages[0].new_minimum, Some(v("9.1.0")));
    // 8.30.0's successor by version is 8.38.0, in force from 2026 Q4.
    assert_eq!(
        schedule.quarters[0].packages[0].new_minimum,
        Some(v("8.38.0"))
    );
}

#[test]
fn json_is_spec0_actions_schedule() {
    let schedule = Schedule::compute(&sample(), date(2026, 11, 24));
    let value: serde_json::Value = serde_json::from_str(&render::json(&schedule)).expect("json");
    let expected = serde_json::json!([
        {"packages": {"numpy": "2.1.0"}, "start_date": "2026-04-01T00:00:00Z"},
        {"packages": {"numpy": "2.2.0"}, "start_date": "2026-07-01T00:00:00Z"},
        {"packages": {"numpy": "2.3.0", "python": "3.13"}, "start_date": "2026-10-01T00:00:00Z"}
    ]);
    assert_eq!(value, expected);
}

#[test]
fn mermaid_lists_windows_per_section() {
    let schedule = Schedule::compute(&sample(), date(2026, 11, 24));
    let chart = render::mermaid(&schedule);
    assert!(chart.starts_with("gantt\ndateFormat YYYY-MM-DD\naxisFormat %m / %Y\ntitle Support Window\n\nsection python\n3.12 : 2023-10-02,2026-10-01\n3.13 : 2024-10-07,2027-10-07\n\nsection numpy\n2.0.0 : 2024-06-16,2026-06-16\n"), "{chart}");
}

#[test]
fn ics_has_one_event_per_quarter_with_folded_crlf_lines() {
    let schedule = Schedule::compute(&sample(), date(2026, 11, 24));
    let ics = render::ics(&schedule);
    assert_eq!(ics.matches("BEGIN:VEVENT").count(), 5);
    assert!(ics.contains("DTSTART;VALUE=DATE:20261001\r\n"));
    assert!(
        ics.contains("SUMMARY:SPEC 0: drop support for numpy 2.2.0\\, python 3.12\r\n"),
        "{ics}"
    );
    assert!(ics.lines().all(|line| line.len() <= 76), "{ics}");
    assert!(ics.ends_with("END:VCALENDAR\r\n"));
    assert!(!ics.replace("\r\n", "").contains('\n'));
}

#[test]
fn the_minimum_in_force_moves_on_the_first_day_of_the_drop_quarter() {
    // numpy 2.0.0 drops 2026-06-16 (2026 Q2), 2.1.0 2026-08-18 (Q3), 2.2.0 2026-12-08 (Q4),
    // 2.3.0 2027-06-07 (2027 Q2). A release may be dropped from the first day of the
    // quarter that holds its drop date, as the published schedule says.
    let numpy = &sample()[1];
    assert_eq!(numpy.minimum_in_force(date(2025, 1, 1)), Some(v("1.26.0")));
    assert_eq!(numpy.minimum_in_force(date(2025, 7, 1)), Some(v("2.0.0")));
    assert_eq!(numpy.minimum_in_force(date(2026, 3, 31)), Some(v("2.0.0")));
    assert_eq!(numpy.minimum_in_force(date(2026, 4, 1)), Some(v("2.1.0")));
    assert_eq!(numpy.minimum_in_force(date(2026, 9, 30)), Some(v("2.2.0")));
    // 2026-12-07: 2.2.0's support ends the next day, but 2026 Q4 has begun.
    assert_eq!(numpy.minimum_in_force(date(2026, 10, 1)), Some(v("2.3.0")));
    assert_eq!(numpy.minimum_in_force(date(2026, 12, 7)), Some(v("2.3.0")));
    // 2.3.0, the newest known, can be dropped from 2027 Q2: its successor is not out yet.
    assert_eq!(numpy.minimum_in_force(date(2027, 4, 1)), None);
    let in_force = minimums_in_force(&sample(), date(2026, 12, 7));
    let got: Vec<(String, Option<String>, Option<String>)> = in_force
        .iter()
        .map(|m| {
            (
                m.package.clone(),
                m.version.as_ref().map(ToString::to_string),
                m.since.map(|q| q.start().to_string()),
            )
        })
        .collect();
    assert_eq!(
        got,
        [
            (
                "python".into(),
                Some("3.13".into()),
                Some("2026-10-01".into())
            ),
            (
                "numpy".into(),
                Some("2.3.0".into()),
                Some("2026-10-01".into())
            ),
        ]
    );
}

#[test]
fn the_schedule_and_the_minimum_in_force_agree_on_2026_12_07() {
    // The schedule's 2026 Q4 entry and the minimum in force on any day of 2026 Q4 are one.
    let packages = sample();
    let schedule = Schedule::compute(&packages, date(2026, 12, 7));
    let q4 = schedule
        .quarters
        .iter()
        .find(|q| q.quarter.to_string() == "2026 - Quarter 4")
        .expect("2026 Q4");
    for drop in &q4.packages {
        let package = packages
            .iter()
            .find(|p| p.name == drop.package)
            .expect("package");
        assert_eq!(
            drop.new_minimum,
            package.minimum_in_force(date(2026, 12, 7))
        );
    }
    let text = render::text(&schedule);
    assert!(text.contains("Minimums in force on 2026-12-07"), "{text}");
    assert!(
        text.lines().any(|l| l.trim_start().starts_with("numpy")
            && l.contains("2.3.0")
            && l.contains("from 2026-10-01")),
        "{text}"
    );
}

#[test]
fn text_table_lists_every_drop() {
    let schedule = Schedule::compute(&sample(), date(2026, 11, 24));
    let text = render::text(&schedule);
    assert!(text.contains("2026 Q4 (from 2026-10-01)  numpy"), "{text}");
    assert!(
        text.lines()
            .any(|l| l.contains("python") && l.contains("3.12") && l.contains("3.13")),
        "{text}"
    );
}

#[test]
fn an_older_line_dropped_later_does_not_move_the_minimum_back() {
    let packages = [PackageReleases::package(
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
    let minimum = |y, m, d| packages[0].minimum_in_force(date(y, m, d));
    assert_eq!(minimum(2027, 1, 1), Some(v("9.1.0")));
    assert_eq!(minimum(2027, 4, 1), Some(v("9.1.0")));
    assert_eq!(minimum(2027, 7, 1), Some(v("9.3.0")));
}
