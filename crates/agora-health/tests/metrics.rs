//! Every metric of the sample dataset (`agora_health::sample`), checked against values worked
//! out by hand (the working is in the comments), plus the unknown-field and edge cases.

use agora_health::measure::Measure;
use agora_health::model::{Author, Dataset, Issue, IssueState, Pull, PullState};
use agora_health::report::{HealthReport, Options};
use agora_health::{EcosystemSummary, sample};
use jiff::Timestamp;

fn report() -> HealthReport {
    HealthReport::compute(&sample::dataset(), &sample::options())
}

fn value<T: Clone + std::fmt::Debug>(measure: &Measure<T>) -> T {
    measure
        .value()
        .cloned()
        .unwrap_or_else(|| panic!("unknown: {measure:?}"))
}

fn close(actual: f64, expected: f64) {
    assert!(
        (actual - expected).abs() < 1e-9,
        "{actual} is not {expected}"
    );
}

fn at(text: &str) -> Timestamp {
    text.parse().expect("timestamp")
}

#[test]
fn issues_opened_closed_and_lifetimes() {
    let issues = report().issues;
    // #1 #2 #3 #4 #5 #7 opened in the window (#6 is from 2023); #1 #3 #7 closed.
    assert_eq!(issues.opened, 6);
    assert_eq!(issues.closed, 3);
    close(value(&issues.closed_percent), 50.0);
    // Lifetimes 48 h, 240 h, 960 h.
    close(value(&issues.lifetime_median_hours), 240.0);
    // 2, 10 and 40 days: mean 52/3, median 10.
    close(value(&issues.time_to_close_mean_days), 52.0 / 3.0);
    close(value(&issues.time_to_close_median_days), 10.0);
    let histogram = value(&issues.lifetime_days);
    assert_eq!(histogram.len(), 31);
    let nonzero: Vec<(String, usize)> = histogram
        .iter()
        .filter(|b| b.count > 0)
        .map(|b| (b.label.clone(), b.count))
        .collect();
    assert_eq!(
        nonzero,
        [("2".into(), 1), ("10".into(), 1), ("≥30".into(), 1)]
    );
}

#[test]
fn issues_first_response_skips_the_author_and_young_issues() {
    let issues = report().issues;
    // #5 is 12 hours old on 2024-07-01: left out. Five day-old issues.
    assert_eq!(issues.day_old, 5);
    assert!(issues.response_excludes_author);
    // #1: alice's own comment skipped, bob after 2 h; #2: 0.5 h; #3: 100 h; #7: 13 h;
    // #4: no comment.
    assert_eq!(value(&issues.responded), 4);
    close(value(&issues.responded_percent), 80.0);
    close(value(&issues.response_median_hours), 7.5);
    let within: Vec<(String, usize, f64)> = value(&issues.answered_within)
        .iter()
        .map(|c| (c.label.clone(), c.count, c.percent))
        .collect();
    assert_eq!(
        within,
        [
            ("1 h".into(), 1, 20.0),
            ("12 h".into(), 2, 40.0),
            ("24 h".into(), 3, 60.0),
            ("3 d".into(), 3, 60.0),
            ("7 d".into(), 4, 80.0),
            ("14 d".into(), 4, 80.0),
        ]
    );
    let responders: Vec<(String, usize)> = value(&issues.first_responders)
        .iter()
        .map(|r| (r.name.clone(), r.count))
        .collect();
    assert_eq!(
        responders,
        [("bob".into(), 2), ("alice".into(), 1), ("erin".into(), 1)]
    );
}

#[test]
fn pulls_filters_authors_and_pony_factor() {
    let pulls = report().pulls;
    let filter = &pulls.filter;
    assert_eq!(
        (
            filter.total,
            filter.other_branch,
            filter.by_bots,
            filter.deleted_author,
            filter.considered
        ),
        (12, 1, 1, 1, 9)
    );
    // Opened in the window: #10–#14, #18, #19, #20.
    assert_eq!(pulls.opened, 8);
    assert_eq!(pulls.merged, 5);
    assert_eq!(pulls.open, 2);
    // alice 3, bob 1, carol 1.
    assert_eq!(value(&pulls.unique_authors), 3);
    assert_eq!(value(&pulls.flyby_authors), 2);
    close(value(&pulls.flyby_percent), 200.0 / 3.0);
    assert_eq!(value(&pulls.pony_factor), 1);
    let histogram: Vec<usize> = value(&pulls.merged_per_author)
        .iter()
        .map(|b| b.count)
        .collect();
    assert_eq!(histogram, [2, 0, 1, 0, 0, 0, 0, 0, 0]);
    let top = value(&pulls.top_authors);
    assert_eq!(
        top.first().map(|t| (t.name.as_str(), t.count)),
        Some(("alice", 3))
    );
    // Reviews 1, 2, 1, 3, 0.
    close(value(&pulls.reviews_median), 1.0);
}

#[test]
fn pulls_merged_per_30_day_bin_with_first_timers_and_moving_average() {
    let bins = value(&report().pulls.merged_over_time);
    // 182 days from 2024-01-01 to 2024-07-01: six full bins.
    assert_eq!(bins.len(), 6);
    assert_eq!(bins[1].start.to_string(), "2024-01-31");
    let merged: Vec<usize> = bins.iter().map(|b| b.merged).collect();
    assert_eq!(merged, [2, 1, 2, 0, 0, 0]);
    // bob's first merge was in 2023: only alice (#10) and carol (#14) are first-timers.
    let first: Vec<usize> = bins.iter().map(|b| b.first_time).collect();
    assert_eq!(first, [1, 0, 1, 0, 0, 0]);
    // Bins i-2 … i+1 over four.
    let average: Vec<f64> = bins.iter().map(|b| b.merged_average).collect();
    assert_eq!(average, [0.75, 1.25, 1.25, 0.75, 0.5, 0.0]);
    let average: Vec<f64> = bins.iter().map(|b| b.first_time_average).collect();
    assert_eq!(average, [0.25, 0.5, 0.5, 0.25, 0.25, 0.0]);
}

#[test]
fn pulls_lifetimes_survival_mergeability_participants() {
    let pulls = report().pulls;
    let lifetimes = &pulls.lifetimes;
    // Merged after 1, 10, 2, 41, 1 days; open for 30 and 61 days on 2024-07-01.
    close(value(&lifetimes.merged_median_days), 2.0);
    close(value(&lifetimes.open_median_days), 45.5);
    // At 30 days: 1 merged PR took that long, 2 open PRs are that old.
    close(value(&lifetimes.open_outlast_merged_from_days), 30.0);
    let at = |label: &str| {
        lifetimes
            .survival
            .iter()
            .find(|p| p.label == label)
            .map(|p| (p.merged, p.open))
    };
    assert_eq!(at("0"), Some((5, 2)));
    assert_eq!(at("2 d"), Some((3, 2)));
    assert_eq!(at("1 mo"), Some((1, 2)));
    assert_eq!(at("2 mo"), Some((0, 1)));
    let years = value(&pulls.mergeability);
    assert_eq!(years.len(), 1);
    assert_eq!(
        (
            years[0].year,
            years[0].mergeable,
            years[0].conflicting,
            years[0].unknown
        ),
        (2024, 1, 1, 0)
    );
    let rows: Vec<(String, usize, f64, f64, f64)> = value(&pulls.participants)
        .iter()
        .map(|r| {
            (
                r.participants.clone(),
                r.prs,
                r.lifetime_q1_hours,
                r.lifetime_median_hours,
                r.lifetime_q3_hours,
            )
        })
        .collect();
    assert_eq!(
        rows,
        [
            ("1".into(), 1, 24.0, 24.0, 24.0),
            ("2".into(), 2, 30.0, 36.0, 42.0),
            ("3".into(), 1, 240.0, 240.0, 240.0),
            ("4".into(), 1, 984.0, 984.0, 984.0),
        ]
    );
}

#[test]
fn contributors_months_recent_and_unknown_retention() {
    let contributors = report().contributors;
    let months = value(&contributors.months);
    let new: Vec<(String, usize)> = months.iter().map(|m| (m.month.clone(), m.new)).collect();
    assert_eq!(
        new,
        [
            ("2024-01".into(), 1),
            ("2024-02".into(), 0),
            ("2024-03".into(), 1),
            ("2024-04".into(), 0),
            ("2024-05".into(), 0),
            ("2024-06".into(), 0),
        ]
    );
    // No month is six months past its end by 2024-07-01: retention unknown, not zero.
    assert!(months.iter().all(|m| m.returned_6m.is_none()));
    assert_eq!(contributors.retention_6m_percent, Measure::NoneToMeasure);
    // alice and carol joined in the last six months; alice merged again.
    let recent = value(&contributors.last_six_months);
    assert_eq!((recent.new, recent.returned), (2, 1));
}

#[test]
fn contributors_retention_once_known() {
    let options = Options {
        until: Some(at("2025-06-01T00:00:00Z")),
        ..sample::options()
    };
    let contributors = HealthReport::compute(&sample::dataset(), &options).contributors;
    let months = value(&contributors.months);
    // January (alice, back on Jan 15) and March (carol, never back) are known at 6 and 12
    // months (2024-08-01, 2025-02-01, 2024-10-01, 2025-04-01 ≤ 2025-06-01).
    assert_eq!(months[0].returned_6m, Some(1));
    assert_eq!(months[0].returned_12m, Some(1));
    assert_eq!(months[2].returned_6m, Some(0));
    assert_eq!(months[2].returned_12m, Some(0));
    // The last month, 2025-05, is not known yet (2025-12-01 > 2025-06-01).
    assert_eq!(months.last().map(|m| m.returned_6m), Some(None));
    close(value(&contributors.retention_6m_percent), 50.0);
    close(value(&contributors.retention_12m_percent), 50.0);
}

/// A merged PR by `login` at `when`.
fn merged(number: u64, login: &str, when: &str) -> Pull {
    Pull {
        number,
        created_at: at(when),
        state: PullState::Merged,
        author: Some(Author::Login(login.to_string())),
        merged_at: Some(at(when)),
        closed_at: None,
        base_branch: Some("main".to_string()),
        mergeable: None,
        participants: None,
        reviews: None,
    }
}

#[test]
fn a_sprint_spike_is_found_and_judged_against_overall_retention() {
    let mut pulls = Vec::new();
    // One newcomer a month for 2020-01 … 2020-08, each back the next month.
    for month in 1..=8u64 {
        pulls.push(merged(
            month,
            &format!("steady{month}"),
            &format!("2020-{month:02}-01T00:00:00Z"),
        ));
        pulls.push(merged(
            100 + month,
            &format!("steady{month}"),
            &format!("2020-{:02}-15T00:00:00Z", month + 1),
        ));
    }
    // 2020-09: a sprint of five newcomers, none comes back.
    for who in 0..5u64 {
        pulls.push(merged(
            200 + who,
            &format!("sprinter{who}"),
            "2020-09-10T00:00:00Z",
        ));
    }
    let data = Dataset {
        repo: "example/sprint".into(),
        issues: Vec::new(),
        pulls,
    };
    let options = Options {
        until: Some(at("2021-12-01T00:00:00Z")),
        ..Options::default()
    };
    let report = HealthReport::compute(&data, &options);
    let spikes = value(&report.contributors.spikes);
    assert_eq!(spikes.len(), 1, "{spikes:?}");
    let spike = &spikes[0];
    assert_eq!((spike.month.as_str(), spike.new), ("2020-09", 5));
    close(spike.baseline, 1.0);
    assert_eq!(spike.returned_6m_percent, Some(0.0));
    // 8 of 13 newcomers came back overall; the sprint's did not.
    close(
        value(&report.contributors.retention_6m_percent),
        800.0 / 13.0,
    );
    assert_eq!(spike.lasting, Some(false));
}

#[test]
fn fields_not_in_the_data_are_unknown_never_zero() {
    // A devstats-like source: issues without authors or comments, PRs without
    // participants, reviews or mergeability.
    let mut data = sample::dataset();
    for issue in &mut data.issues {
        issue.author = None;
        issue.comments = None;
    }
    for pull in &mut data.pulls {
        pull.participants = None;
        pull.reviews = None;
        pull.mergeable = None;
    }
    let report = HealthReport::compute(&data, &sample::options());
    assert_eq!(report.issues.responded, Measure::NotInData);
    assert_eq!(report.issues.response_median_hours, Measure::NotInData);
    assert_eq!(report.issues.answered_within, Measure::NotInData);
    assert_eq!(report.issues.first_responders, Measure::NotInData);
    assert_eq!(report.pulls.participants, Measure::NotInData);
    assert_eq!(report.pulls.reviews_median, Measure::NotInData);
    assert_eq!(report.pulls.mergeability, Measure::NotInData);
    // What is there is still computed.
    assert_eq!(report.issues.closed, 3);
    assert_eq!(value(&report.pulls.pony_factor), 1);
    let missing: Vec<&str> = report.gaps.iter().map(|g| g.missing.as_str()).collect();
    for field in [
        "issue comments",
        "PR participants",
        "PR reviews",
        "PR mergeability",
    ] {
        assert!(missing.contains(&field), "{field} not in {missing:?}");
    }
    let json = serde_json::to_value(&report).expect("json");
    assert!(json["issues"]["response_median_hours"].is_null());
    assert!(json["pulls"]["participants"].is_null());
}

#[test]
fn issues_without_authors_count_any_first_comment_and_say_so() {
    let mut data = sample::dataset();
    for issue in &mut data.issues {
        issue.author = None;
    }
    let report = HealthReport::compute(&data, &sample::options());
    assert!(!report.issues.response_excludes_author);
    // #1's first comment is now alice's own, after 0.5 h: 0.5, 0.5, 13, 100 → median 6.75.
    close(value(&report.issues.response_median_hours), 6.75);
    assert!(report.gaps.iter().any(|g| g.missing == "issue authors"));
}

#[test]
fn an_empty_window_has_nothing_to_measure() {
    let options = Options {
        since: Some(at("2030-01-01T00:00:00Z")),
        until: Some(at("2031-01-01T00:00:00Z")),
        ..Options::default()
    };
    let report = HealthReport::compute(&sample::dataset(), &options);
    assert_eq!(report.issues.opened, 0);
    assert_eq!(report.issues.closed_percent, Measure::NoneToMeasure);
    assert_eq!(report.issues.responded, Measure::NoneToMeasure);
    assert_eq!(report.pulls.merged, 0);
    assert_eq!(report.pulls.pony_factor, Measure::NoneToMeasure);
    assert!(report.gaps.is_empty(), "{:?}", report.gaps);
    let empty = HealthReport::compute(&Dataset::default(), &Options::default());
    assert_eq!(empty.window.as_of, None);
    assert_eq!(empty.pulls.merged_over_time, Measure::NoneToMeasure);
}

#[test]
fn closed_issues_without_close_times_have_unknown_lifetimes() {
    let data = Dataset {
        repo: "x/y".into(),
        issues: vec![Issue {
            number: 1,
            created_at: at("2024-01-01T00:00:00Z"),
            state: IssueState::Closed,
            closed_at: None,
            author: None,
            comments: None,
        }],
        pulls: Vec::new(),
    };
    let report = HealthReport::compute(&data, &Options::default());
    assert_eq!(report.issues.closed, 1);
    assert_eq!(report.issues.lifetime_median_hours, Measure::NotInData);
    assert_eq!(report.issues.time_to_close_mean_days, Measure::NotInData);
}

#[test]
fn the_dashboard_rows_and_medians() {
    let demo = report();
    let summary = EcosystemSummary::from_reports(&[
        ("example/demo".into(), Some(demo.clone())),
        ("example/none".into(), None),
    ]);
    assert_eq!(summary.projects.len(), 2);
    let row = &summary.projects[0];
    assert_eq!(row.report, "example-demo.html");
    assert_eq!(row.sparkline, [2, 1, 2, 0, 0, 0]);
    assert_eq!(value(&row.pony_factor), 1);
    assert!(!summary.projects[1].has_data);
    assert_eq!(summary.projects[1].pony_factor, Measure::NotInData);
    // Medians over the one project with data.
    close(value(&summary.medians.pony_factor), 1.0);
    close(value(&summary.medians.merge_median_days), 2.0);
}

#[test]
fn pony_factor_is_the_fewest_authors_covering_half() {
    use agora_health::pulls::pony_factor;
    // 10 PRs: 4 + 1 = 5 is half exactly.
    assert_eq!(pony_factor(&[1, 4, 1, 1, 1, 1, 1]), Some(2));
    // 11 PRs: 4 + 1 = 5 < 5.5, a third author is needed.
    assert_eq!(pony_factor(&[1, 4, 1, 1, 1, 1, 1, 1]), Some(3));
    assert_eq!(pony_factor(&[7]), Some(1));
    assert_eq!(pony_factor(&[]), None);
}

#[test]
fn prs_without_authors_leave_author_metrics_unknown() {
    let mut data = sample::dataset();
    for pull in &mut data.pulls {
        if pull.author != Some(Author::Deleted) {
            pull.author = None;
        }
    }
    let report = HealthReport::compute(&data, &sample::options());
    // The bot's PR is no longer recognisable as a bot's: 6 merged in the window.
    assert_eq!(report.pulls.merged, 6);
    assert_eq!(report.pulls.unique_authors, Measure::NotInData);
    assert_eq!(report.pulls.pony_factor, Measure::NotInData);
    assert_eq!(report.pulls.flyby_percent, Measure::NotInData);
    assert_eq!(report.contributors.months, Measure::NotInData);
    assert!(report.gaps.iter().any(|g| g.missing == "PR authors"));
    // Merges over time do not need authors.
    assert!(report.pulls.merged_over_time.value().is_some());
}

#[test]
fn merged_prs_without_merge_times_count_only_in_an_unbounded_window() {
    let mut data = sample::dataset();
    for pull in &mut data.pulls {
        pull.merged_at = None;
    }
    let all = HealthReport::compute(&data, &Options::default());
    // #5 #10 #11 #12 #13 #14 are merged (the bot's, the deleted account's and the
    // maintenance branch's are left out).
    assert_eq!(all.pulls.merged, 6);
    assert_eq!(all.pulls.merged_over_time, Measure::NotInData);
    assert_eq!(all.pulls.lifetimes.merged_median_days, Measure::NotInData);
    let windowed = HealthReport::compute(&data, &sample::options());
    assert_eq!(windowed.pulls.merged, 0);
}
