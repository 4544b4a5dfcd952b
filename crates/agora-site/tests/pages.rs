//! Every page of the rendering layer from small fixtures: snapshots of the review, wheels and
//! benchmark pages, and the properties every page keeps (one layout and stylesheet, escaped
//! text, no script, accessible charts, no `NaN`).

use std::path::PathBuf;

use agora_bench::regressions::Jump;
use agora_bench::series::{Graph, Point};
use agora_bench::{
    AsvConfig, Benchmark, Benchmarks, Commit, History, Regression, RegressionReport, Step,
};
use agora_review::{CheckReport, FamilyReport, Outcome, Report, SkipReason};
use agora_site::{bench, review, wheels};
use agora_store::pypi::{FileKind, PypiFile};
use agora_wheels::{ProjectFiles, Selection, WheelsReport};

/// What every page shares: the base layout, the stylesheet, no script, no NaN.
fn assert_page(page: &str) {
    assert!(
        page.starts_with("<!DOCTYPE html>\n<html lang=\"en\">"),
        "{page}"
    );
    assert!(page.contains("prefers-color-scheme:dark"), "one stylesheet");
    assert!(page.contains("@media print"));
    assert!(page.contains("<meta name=\"viewport\""));
    assert!(!page.contains("<script"));
    for bad in ["NaN", "inf<", ">inf"] {
        assert!(!page.contains(bad), "{bad}");
    }
    for svg in page.split("<svg ").skip(1) {
        assert!(svg.starts_with("class="), "{svg}");
        // An image, or a group when its points are links (axe: nested-interactive).
        let head = &svg[..svg.find('>').unwrap_or(svg.len())];
        assert!(
            head.contains("role=\"img\"")
                || (head.contains("role=\"group\"") && head.contains("aria-label=")),
            "{svg}"
        );
        assert!(svg.contains("<title>") && svg.contains("<desc>"), "{svg}");
    }
}

/// The page without the stylesheet, for snapshots of what differs between pages.
fn body(page: &str) -> String {
    match (page.find("<style>"), page.find("</style>")) {
        (Some(start), Some(end)) => {
            format!("{}<style>…</style>{}", &page[..start], &page[end + 8..])
        }
        _ => page.to_string(),
    }
}

fn family(key: &'static str, name: &'static str, order: i32) -> FamilyReport {
    FamilyReport {
        key,
        name,
        order,
        description: None,
        readme_note: None,
    }
}

fn check(code: &'static str, family: &'static str, outcome: Outcome) -> CheckReport {
    let (description, url) = match code {
        "PY001" => (
            "Has a pyproject.toml",
            "https://learn.scientific-python.org/development/guides/packaging-simple#PY001",
        ),
        "PY002" => ("Has a README.(md|rst) file", ""),
        _ => (
            "Has citation metadata (CITATION.cff)",
            "https://citation-file-format.github.io/",
        ),
    };
    CheckReport {
        code,
        family,
        description,
        url,
        outcome,
    }
}

/// A pass, a failure whose message has Markdown, a table and raw HTML, and a skip.
fn review_report(name: &str) -> Report {
    let mut general = family("general", "General", -3);
    general.description = Some("- Build backend: `hatchling.build`".to_string());
    Report {
        name: name.to_string(),
        root: PathBuf::from(name),
        families: vec![general, family("agora", "agora: ecosystem practices", 10)],
        checks: vec![
            check("PY001", "general", Outcome::Pass),
            check(
                "PY002",
                "general",
                Outcome::Fail(
                    "Add a `README.md` <b>now</b>:\n\n| package | status |\n|---|---|\n| numpy | may raise |"
                        .into(),
                ),
            ),
            check(
                "AG105",
                "agora",
                Outcome::Skip(SkipReason::Requires(vec!["PY001".into()])),
            ),
        ],
    }
}

#[test]
fn review_page() {
    let page = review::html(&review_report("demo <repo>")).expect("renders");
    assert_page(&page);
    assert!(page.contains("<h1>demo &lt;repo&gt;</h1>"));
    assert!(
        page.contains("&lt;b&gt;now&lt;/b&gt;"),
        "raw HTML in a message is text"
    );
    assert!(page.contains("<th>package</th>") && page.contains("<td>may raise</td>"));
    insta::assert_snapshot!(body(&page));
}

#[test]
fn review_matrix_page() {
    let mut other = review_report("other");
    other.checks.remove(0);
    let page = review::matrix_html(&[review_report("demo"), other]).expect("renders");
    assert_page(&page);
    assert!(page.contains("<td title=\"not reported\">—</td>"));
    insta::assert_snapshot!(body(&page));
}

fn file(filename: &str, uploaded: &str) -> PypiFile {
    let stem = filename.trim_end_matches(".whl");
    let parts: Vec<&str> = stem.split('-').collect();
    PypiFile {
        filename: filename.into(),
        version: parts.get(1).map(|v| (*v).to_string()),
        kind: FileKind::Wheel,
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

fn wheels_report(selection: Selection) -> WheelsReport {
    let compiled = ProjectFiles {
        project: "fast<lib>".into(),
        files: vec![
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
    let pure = ProjectFiles {
        project: "slow".into(),
        files: vec![file("slow-2.0-py3-none-any.whl", "2024-01-01T00:00:00Z")],
    };
    let releases = [("3.13".to_string(), jiff::civil::date(2024, 10, 7))]
        .into_iter()
        .collect();
    WheelsReport::compute(&[compiled, pure], &selection, &releases)
}

#[test]
fn wheels_page() {
    let page = wheels::html(&wheels_report(Selection::Latest)).expect("renders");
    assert_page(&page);
    assert!(
        page.contains("<h2>fast&lt;lib&gt; 1.0 (2024-10-10)"),
        "{page}"
    );
    assert!(page.contains("<td class=\"abi3\">abi3 ✓</td>"));
    assert!(page.contains("<td class=\"soon\">3</td>"));
    insta::assert_snapshot!(body(&page));
    let history = wheels::html(&wheels_report(Selection::History)).expect("renders");
    assert!(history.contains("<td class=\"pure\">any</td>"), "{history}");
}

/// One benchmark (`bench_core.Time.time_add`, parameter `n`, one value) over 20 daily commits:
/// 1 ms until commit 10, 2 ms from there (a regression), a release tag at commit 5.
fn bench_fixture() -> (
    AsvConfig,
    History,
    Benchmarks,
    Graph,
    Vec<Point>,
    Vec<Vec<Step>>,
    RegressionReport,
) {
    let config = AsvConfig {
        show_commit_url: "https://example.org/c/".into(),
        hash_length: 8,
        ..AsvConfig::default()
    };
    let commits = (0..20)
        .map(|i| Commit {
            sha: format!("c{i:02}{}", "f".repeat(37)),
            time: 1_700_000_000 + i64::from(i) * 86_400,
        })
        .collect();
    let history = History::new(
        commits,
        Vec::new(),
        vec![("v1.0".into(), format!("c05{}", "f".repeat(37)))],
    );
    let name = "bench_core.Time.time_add";
    let mut benchmarks = Benchmarks::new();
    benchmarks.insert(
        name.into(),
        Benchmark {
            name: name.into(),
            params: vec![vec!["100".into()]],
            param_names: vec!["n".into()],
            version: None,
            unit: "seconds".into(),
            kind: "time".into(),
        },
    );
    let graph: Graph = serde_json::from_value(serde_json::json!({
        "benchmark": name,
        "params": {"machine": "m", "branch": "main", "python": "3.12"},
        "path": format!("graphs/branch-main/machine-m/python-3.12/{name}"),
        "parameterized": true,
        "width": 1
    }))
    .expect("a series");
    let points = (0..20)
        .map(|r| Point {
            revision: r,
            values: vec![Some(if r < 10 { 1e-3 } else { 2e-3 })],
            weights: vec![Some(1.0)],
        })
        .collect();
    let steps = vec![vec![
        Step {
            left: 0,
            right: 10,
            value: 1e-3,
            min: 1e-3,
            error: 0.0,
        },
        Step {
            left: 10,
            right: 20,
            value: 2e-3,
            min: 2e-3,
            error: 0.0,
        },
    ]];
    let report = RegressionReport {
        project: "demo".into(),
        regressions: vec![Regression {
            name: format!("{name}(100)"),
            benchmark: name.into(),
            graph_path: format!("graphs/branch-main/machine-m/python-3.12/{name}.json"),
            graph_params: Default::default(),
            param_index: Some(0),
            machine: Some("m".into()),
            branch: Some("main".into()),
            latest: 2e-3,
            best: 1e-3,
            jumps: vec![Jump {
                before: Some(9),
                after: 10,
                value_before: 1e-3,
                value_after: 2e-3,
            }],
            unit: "seconds".into(),
        }],
        warnings: Vec::new(),
    };
    (config, history, benchmarks, graph, points, steps, report)
}

#[test]
fn bench_pages() {
    let (config, history, benchmarks, graph, points, steps, report) = bench_fixture();
    let site = bench::Site {
        project: "demo",
        config: &config,
        history: &history,
        benchmarks: &benchmarks,
        graphs: vec![(&graph, points, steps)],
        report: &report,
        feed: "<feed/>".into(),
    };
    let files = site.render().expect("renders");
    let names: Vec<&str> = files.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(
        names,
        [
            "index.html",
            "summary.html",
            "bench/bench_core.html",
            "regressions.json",
            "regressions.xml"
        ]
    );
    let text = |name: &str| {
        let bytes = &files.iter().find(|(n, _)| n == name).expect("a file").1;
        String::from_utf8(bytes.clone()).expect("UTF-8")
    };
    let index = text("index.html");
    assert_page(&index);
    assert!(
        index.contains("<td>2023-11-24</td>"),
        "the date of commit 10: {index}"
    );
    let module = text("bench/bench_core.html");
    assert_page(&module);
    // The title names the benchmark and its parameters readably; the axis is in ms.
    assert!(
        module.contains(
            "bench_core.Time.time_add (n = 100 · branch = main, machine = m, python = 3.12)"
        ),
        "{module}"
    );
    assert!(module.contains("time (ms)"), "{module}");
    assert!(module.contains(">v1.0</text>"), "the release tag: {module}");
    assert!(
        module.contains("<title>regression: 1ms → 2ms (×2.00)</title>"),
        "{module}"
    );
    assert!(
        module.contains("<title>2 ms — commit c10fffff (r10), 2023-11-24</title>"),
        "{module}"
    );
    assert!(
        module.contains("<title>step: 1 ms from 2023-11-14 to 2023-11-23</title>"),
        "{module}"
    );
    insta::assert_snapshot!("bench_index", body(&index));
    insta::assert_snapshot!("bench_module", body(&module));
    let by_commit = site.render_by(bench::XOrder::Commits).expect("renders");
    let module = String::from_utf8(by_commit[2].1.clone()).expect("UTF-8");
    assert!(
        module.contains("commit (position in the history)"),
        "{module}"
    );
}

#[test]
fn an_all_zero_benchmark_has_a_flat_chart_and_no_nan() {
    let (config, history, benchmarks, graph, mut points, _, _) = bench_fixture();
    for point in &mut points {
        point.values = vec![Some(0.0)];
    }
    let site = bench::Site {
        project: "demo",
        config: &config,
        history: &history,
        benchmarks: &benchmarks,
        graphs: vec![(&graph, points, vec![Vec::new()])],
        report: &RegressionReport::default(),
        feed: String::new(),
    };
    let files = site.render().expect("renders");
    for (name, bytes) in files.iter().filter(|(n, _)| n.ends_with(".html")) {
        let page = String::from_utf8(bytes.clone()).expect("UTF-8");
        assert_page(&page);
        assert!(!page.contains("e-12"), "{name}: {page}");
    }
}

#[test]
fn projects_index_links_each_dashboard() {
    let page = bench::projects_index(&[("a&b".into(), "a_b/index.html".into())]).expect("renders");
    assert_page(&page);
    assert!(
        page.contains("<a href=\"a_b&#x2f;index.html\">a&amp;b</a>"),
        "{page}"
    );
}
