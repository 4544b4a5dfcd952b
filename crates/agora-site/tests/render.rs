//! The views of the sample health report (`agora_health::sample`): Markdown, JSON and HTML
//! snapshots, the text view, and the HTML page's structure. minijinja escapes `/` in text as
//! `&#x2f;`, which the assertions on the pages spell out.

use agora_health::report::HealthReport;
use agora_health::{EcosystemSummary, Measure, sample};
use agora_site::{dashboard, health};

fn report() -> HealthReport {
    HealthReport::compute(&sample::dataset(), &sample::options())
}

#[test]
fn markdown_snapshot() {
    insta::assert_snapshot!(health::markdown(&report()));
}

#[test]
fn json_snapshot() {
    insta::assert_snapshot!(health::json(&report()));
}

#[test]
fn dashboard_markdown_snapshot() {
    let summary = EcosystemSummary::from_reports(&[
        ("example/demo".into(), Some(report())),
        ("example/missing".into(), None),
    ]);
    insta::assert_snapshot!(dashboard::markdown(&summary));
}

#[test]
fn text_shows_the_facts_in_sections() {
    let text = health::text(&report());
    assert!(text.starts_with("Health of example/demo\n"));
    let line = |label: &str| {
        text.lines()
            .find(|l| l.trim_start().starts_with(label))
            .map(|l| l.trim_end().to_string())
            .unwrap_or_default()
    };
    assert!(line("Closed ").ends_with(" 3 (50%)"), "{text}");
    assert!(
        line("Median time to first response").ends_with(" 7.50 h"),
        "{text}"
    );
    assert!(line("Pony factor").ends_with(" 1"), "{text}");
    assert!(text.contains("\nPull requests\n"), "{text}");
}

#[test]
fn json_carries_every_number_the_page_shows() {
    let report = report();
    let json: serde_json::Value = serde_json::from_str(&health::json(&report)).expect("valid JSON");
    assert_eq!(json["pulls"]["pony_factor"], 1);
    assert_eq!(json["issues"]["answered_within"][0]["count"], 1);
    assert_eq!(json["pulls"]["merged_over_time"][0]["merged"], 2);
    assert_eq!(
        json["contributors"]["months"][0]["returned_6m"],
        serde_json::Value::Null
    );
    // Every value in a fact line of the page appears in the JSON.
    let page = health::html(&report).expect("renders");
    for fact in health::facts(&report) {
        assert!(
            page.contains(&fact.value.replace('/', "&#x2f;")),
            "{fact:?}"
        );
    }
}

#[test]
fn html_is_self_contained_with_charts_and_hover_values() {
    let page = health::html(&report()).expect("renders");
    assert!(page.starts_with("<!DOCTYPE html>"));
    assert!(!page.contains("<script"));
    assert!(
        !page.contains("http://")
            || page.matches("http://").count()
                == page.matches("xmlns=\"http://www.w3.org/2000/svg\"").count()
    );
    assert!(!page.contains("https://"));
    // Issues: lifetime, answered within. PRs: two merge charts, survival of merged and of
    // open PRs (each on its own axis), authors, mergeability, participants. Contributors: one.
    assert_eq!(page.matches("<svg class=\"chart\"").count(), 10);
    assert!(
        page.contains("<title>≥ 30 d — closed issues: 1</title>"),
        "{page}"
    );
    assert!(
        page.contains(">≥ 30 d</text>"),
        "the overflow bin is labelled"
    );
    assert!(page.contains("<title>2024-01-01 — merged: 2</title>"));
    assert!(
        page.contains("<title>2 participants: 2 PRs, quartiles 30 h to 42 h, median 36 h</title>")
    );
    insta::assert_snapshot!("health_page", page);
}

#[test]
fn unknown_values_read_not_in_the_data_on_every_view() {
    let mut data = sample::dataset();
    for issue in &mut data.issues {
        issue.comments = None;
    }
    let report = HealthReport::compute(&data, &sample::options());
    assert_eq!(report.issues.response_median_hours, Measure::NotInData);
    let text = health::text(&report);
    assert!(
        text.lines()
            .any(|l| l.contains("Median time to first response") && l.ends_with(" not in the data")),
        "{text}"
    );
    assert!(
        health::markdown(&report).contains("| Median time to first response | not in the data |")
    );
    let page = health::html(&report).expect("renders");
    assert!(page.contains(r#"<td class="unknown">not in the data</td>"#));
    assert!(page.contains("Time to first response: not in the data."));
}

#[test]
fn dashboard_page_links_reports_and_marks_projects_without_data() {
    let summary = EcosystemSummary::from_reports(&[
        ("example/demo".into(), Some(report())),
        ("example/missing".into(), None),
    ]);
    let page = dashboard::html(&summary).expect("renders");
    assert!(page.contains(r#"<a href="example-demo.html">example&#x2f;demo</a> <small>(<a href="example-demo.json">data</a>)</small>"#));
    assert!(page.contains(
        "example&#x2f;missing <span class=\"unknown\">(no GitHub data in the store)</span>"
    ));
    assert!(page.contains("<title>example&#x2f;demo merged PRs: 2, 1, 2, 0, 0, 0</title>"));
    assert!(page.contains("Pony factor by project"));
    assert!(!page.contains("<script"));
    let text = dashboard::text(&summary);
    assert!(text.lines().any(|l| l.starts_with("median")), "{text}");
}

/// One unit rule for durations: hours below two days, days from two days, on every fact,
/// so the same duration never reads "362 h" in one line and "15.1 d" in the next.
#[test]
fn durations_follow_one_unit_rule() {
    let report = report();
    let facts = health::facts(&report);
    let value = |label: &str| {
        facts
            .iter()
            .find(|f| f.label == label)
            .map(|f| f.value.clone())
            .unwrap_or_default()
    };
    // The median lifetime of closed issues is the median time to close, in other words.
    let lifetime = value("Median lifetime of closed issues");
    let close = value("Time to close (mean / median)");
    assert_eq!(
        close.split(" / ").nth(1),
        Some(lifetime.as_str()),
        "{facts:?}"
    );
    let mut durations = 0;
    for fact in &facts {
        for part in fact.value.split(" / ") {
            let (number, unit) = match part.rsplit_once(' ') {
                Some((n, u @ ("h" | "d"))) => (n, u),
                _ => continue,
            };
            let Ok(number) = number.parse::<f64>() else {
                continue;
            };
            durations += 1;
            let hours = if unit == "h" { number } else { number * 24.0 };
            assert_eq!(
                unit == "h",
                hours < health::SHOWN_IN_HOURS_BELOW,
                "{}: {}",
                fact.label,
                fact.value
            );
        }
    }
    assert!(durations >= 4, "{facts:?}");
}
