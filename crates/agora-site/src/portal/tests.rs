//! The portal's pages from a small hand-built view.

use super::*;
use model::{
    BenchSummary, HealthSummary, Medians, RegressionSummary, ReleaseSummary, ReviewSummary,
    Spec0Summary, WheelPython, WheelSummary,
};

fn tile(name: &str) -> Tile {
    Tile {
        name: name.into(),
        slug: name.to_lowercase(),
        pypi: name.to_lowercase(),
        repo: None,
        docs: None,
        role: "core".into(),
        release: Section::Known {
            value: ReleaseSummary {
                version: "2.1.0".into(),
                released: "2026-10-01T12:00:00Z".parse().ok(),
                requires_python: Some(">=3.11".into()),
                releases: 40,
            },
        },
        spec0: Section::Known {
            value: Spec0Summary {
                source: "Requires-Python of 2.1.0".into(),
                follows: true,
                findings: Vec::new(),
            },
        },
        review: Section::missing("no checkout in agora.toml to review"),
        wheels: Section::Known {
            value: WheelSummary {
                version: "2.1.0".into(),
                pure: false,
                pythons: vec![WheelPython {
                    python: "3.14t".into(),
                    covered: vec!["manylinux x86_64".into()],
                    missing: vec!["windows x86_64".into()],
                }],
            },
        },
        bench: Section::missing("no benchmark results have been ingested"),
        health: Section::missing("no GitHub repository in agora.toml"),
    }
}

fn view_of<'a>(tiles: &'a [Tile], medians: &'a Medians, changes: &'a [Change]) -> PortalView<'a> {
    PortalView {
        ecosystem: "Example <Ecosystem>",
        as_of: jiff::civil::date(2026, 12, 7),
        generator: "agora 0.0.0",
        tiles,
        medians,
        schedule: None,
        wheels: None,
        changes,
    }
}

fn pages_of(view: &PortalView<'_>) -> Vec<Page> {
    shared_pages(view).expect("renders")
}

fn text(pages: &[Page], path: &str) -> String {
    let page = pages.iter().find(|p| p.path == path).expect(path);
    String::from_utf8(page.bytes.clone()).expect("utf-8")
}

#[test]
fn the_home_page_shows_a_tile_per_project() {
    let mut kedro = tile("Kedro");
    kedro.review = Section::Known {
        value: ReviewSummary {
            passed: 30,
            failed: 2,
            skipped: 4,
            failures: vec![("PP003".into(), "Does not list wheel".into())],
        },
    };
    kedro.bench = Section::Known {
        value: BenchSummary {
            series: 12,
            regressions: vec![RegressionSummary {
                benchmark: "benchmark_datacatalog.TimeDataCatalog.time_get".into(),
                params: Vec::new(),
                machine: Some("ci".into()),
                factor: Some(1.5),
                commit: Some("0123456789abcdef".into()),
                commit_url: Some(
                    "https://github.com/kedro-org/kedro/commit/0123456789abcdef".into(),
                ),
                at: "2026-11-02T00:00:00Z".parse().ok(),
                page: "projects/kedro/bench/bench/benchmark_datacatalog.html#x".into(),
            }],
        },
    };
    kedro.health = Section::Known {
        value: HealthSummary {
            since: None,
            until: None,
            merged: Some(120),
            open: Some(14),
            response_median_hours: Some(3.25),
            merge_median_days: Some(2.0),
            issue_close_median_days: None,
            pony_factor: Some(3),
            unique_authors: Some(25),
            sparkline: vec![1, 4, 2],
        },
    };
    let tiles = vec![tile("NumPy"), kedro];
    let changes = vec![Change {
        kind: "release".into(),
        project: "NumPy".into(),
        title: "NumPy 2.1.0 released".into(),
        at: "2026-10-01T12:00:00Z".parse().expect("timestamp"),
        page: "projects/numpy/index.html".into(),
    }];
    let medians = Medians::default();
    let pages = pages_of(&view_of(&tiles, &medians, &changes));
    let home = text(&pages, "index.html");
    assert!(home.contains("Example &lt;Ecosystem&gt;"), "escaped");
    insta::assert_snapshot!("portal_home", home);
    let health = text(&pages, "health.html");
    assert!(
        !health.contains("median of the projects"),
        "one project: no median"
    );
    let feed = text(&pages, "feed.atom");
    assert!(
        feed.contains("<entry>") && feed.contains("NumPy 2.1.0 released"),
        "{feed}"
    );
}

#[test]
fn search_entries_hold_titles_and_text_without_markup() {
    let tiles = vec![tile("NumPy")];
    let medians = Medians::default();
    let pages = pages_of(&view_of(&tiles, &medians, &[]));
    let entries: Vec<SearchEntry> = pages.iter().filter_map(search_entry).collect();
    let home = entries
        .iter()
        .find(|e| e.path == "index.html")
        .expect("home");
    assert!(home.title.contains("Example <Ecosystem>"), "{}", home.title);
    assert!(
        home.text.contains("NumPy") && !home.text.contains("<dt") && !home.text.contains("<a "),
        "{}",
        home.text
    );
    let index = search_index(&entries).expect("index");
    assert_eq!(index.len(), 2);
    let js = String::from_utf8(index[1].bytes.clone()).expect("utf-8");
    assert!(
        js.starts_with("window.AGORA_SEARCH = [") && !js.contains("</"),
        "{js}"
    );
}

#[test]
fn search_text_skips_charts_and_scripts_whole_and_keeps_what_follows() {
    let marks: String = (0..5_000)
        .map(|i| format!("<circle cx=\"{i}\" cy=\"1\"><title>point {i}</title></circle>"))
        .collect();
    let html = format!(
        "<html><head><title>time_get &amp; co</title></head><body><main><h1>Benchmarks</h1>\
         <svg viewBox=\"0 0 10 10\">{marks}</svg><p>after the chart</p>\
         <script>var AGORA = \"<not text>\";</script><p>and the script</p></main></body></html>"
    );
    let entry = search_entry(&Page {
        path: "bench/x.html".into(),
        bytes: html.into_bytes(),
    })
    .expect("an entry");
    assert_eq!(entry.title, "time_get & co");
    assert_eq!(entry.text, "Benchmarks after the chart and the script");
}

#[test]
fn feed_entry_ids_stay_the_same_when_newer_changes_arrive() {
    let change = |title: &str, at: &str| Change {
        kind: "release".into(),
        project: "NumPy".into(),
        title: title.into(),
        at: at.parse().expect("timestamp"),
        page: "projects/numpy/index.html".into(),
    };
    let ids = |changes: &[Change]| -> Vec<String> {
        let tiles = vec![tile("NumPy")];
        let medians = Medians::default();
        let feed = text(&pages_of(&view_of(&tiles, &medians, changes)), "feed.atom");
        feed.split("<entry>")
            .skip(1)
            .filter_map(|entry| between(entry, "<id>", "</id>").map(str::to_owned))
            .collect()
    };
    let older = change("NumPy 2.1.0 released", "2026-10-01T12:00:00Z");
    let before = ids(std::slice::from_ref(&older));
    let after = ids(&[
        change("NumPy 2.1.1 released", "2026-11-01T12:00:00Z"),
        older,
    ]);
    assert_eq!(after.len(), 2);
    assert_eq!(after[1], before[0], "the older entry's id changed");
    assert_ne!(after[0], after[1]);
}
