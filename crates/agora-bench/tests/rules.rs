//! asv.conf.json's regression settings on a small made-up project: thresholds, first-commit
//! cut-offs, disabled detection, single-commit jumps, versions and branches.

use std::collections::BTreeMap;

use agora_bench::format::{AsvConfig, Benchmark, BenchmarkRun, Benchmarks, ResultFile};
use agora_bench::history::{Commit, History};
use agora_bench::{regressions, series};

fn sha(i: usize) -> String {
    format!("{i:040x}")
}

/// 30 commits on main; `time_x` is 1.0 up to revision 9 and 2.0 from 10 on.
fn project(every: usize) -> (Vec<ResultFile>, Benchmarks, History) {
    let commits: Vec<Commit> = (0..30)
        .map(|i| Commit {
            sha: sha(i),
            time: 1_000 + i as i64,
        })
        .collect();
    let main: Vec<String> = (0..30).rev().map(sha).collect();
    let history = History::new(
        commits,
        vec![("main".into(), main)],
        vec![("v1".into(), sha(3))],
    );
    let mut benchmarks = Benchmarks::new();
    benchmarks.insert(
        "b.time_x".into(),
        Benchmark {
            name: "b.time_x".into(),
            params: Vec::new(),
            param_names: Vec::new(),
            version: Some("1".into()),
            unit: "seconds".into(),
            kind: "time".into(),
        },
    );
    let files = (0..30)
        .step_by(every)
        .map(|i| ResultFile {
            commit_hash: sha(i),
            env_name: "py3.11".into(),
            date: Some(1_000_000),
            params: BTreeMap::from([
                ("machine".into(), Some("m".into())),
                ("python".into(), Some("3.11".into())),
            ]),
            env_vars: BTreeMap::new(),
            runs: vec![BenchmarkRun {
                name: "b.time_x".into(),
                result: Some(vec![Some(if i < 10 { 1.0 } else { 2.0 })]),
                params: Vec::new(),
                version: Some("1".into()),
                started_at: None,
                duration: None,
                ci_99_a: None,
                ci_99_b: None,
            }],
        })
        .collect();
    (files, benchmarks, history)
}

fn config() -> AsvConfig {
    AsvConfig {
        branches: vec![Some("main".into())],
        ..AsvConfig::default()
    }
}

fn jumps(config: &AsvConfig, every: usize) -> Vec<(Option<u32>, u32, f64, f64)> {
    let (files, benchmarks, history) = project(every);
    let set = series::build(&files, &benchmarks, &history, config);
    let report = regressions::find("p", &set, &benchmarks, &history, config);
    report
        .regressions
        .iter()
        .flat_map(|r| {
            r.jumps
                .iter()
                .map(|j| (j.before, j.after, j.value_before, j.value_after))
        })
        .collect()
}

#[test]
fn a_jump_between_neighbouring_commits_is_one_commit() {
    assert_eq!(jumps(&config(), 1), vec![(None, 10, 1.0, 2.0)]);
}

#[test]
fn a_jump_across_untested_commits_is_a_range() {
    assert_eq!(jumps(&config(), 4), vec![(Some(8), 12, 1.0, 2.0)]);
}

#[test]
fn the_threshold_is_the_largest_matching_one() {
    let mut c = config();
    c.regressions_thresholds = vec![("b\\..*".into(), 0.5), ("b\\.time".into(), 1.5)];
    assert!(jumps(&c, 1).is_empty());
    c.regressions_thresholds = vec![("b\\..*".into(), 0.5), ("other".into(), 1.5)];
    assert_eq!(jumps(&c, 1).len(), 1);
    // Patterns match at the start of `name@branch`.
    c.regressions_thresholds = vec![("time_x".into(), 1.5)];
    assert_eq!(jumps(&c, 1).len(), 1);
    c.regressions_thresholds = vec![(".*@main".into(), 1.5)];
    assert!(jumps(&c, 1).is_empty());
}

#[test]
fn regressions_before_the_first_commit_are_ignored() {
    let mut c = config();
    c.regressions_first_commits = vec![("b\\.".into(), Some(sha(15)))];
    assert!(jumps(&c, 1).is_empty());
    c.regressions_first_commits = vec![("b\\.".into(), Some(sha(5)))];
    assert_eq!(jumps(&c, 1).len(), 1);
    // A tag name works too, and null switches detection off.
    c.regressions_first_commits = vec![("b\\.".into(), Some("v1".into()))];
    assert_eq!(jumps(&c, 1).len(), 1);
    c.regressions_first_commits = vec![("b\\.".into(), None)];
    assert!(jumps(&c, 1).is_empty());
}

#[test]
fn results_of_another_benchmark_version_are_skipped() {
    let (mut files, benchmarks, history) = project(1);
    for file in files.iter_mut().filter(|f| f.commit_hash >= sha(10)) {
        file.runs[0].version = Some("0".into());
    }
    let set = series::build(&files, &benchmarks, &history, &config());
    let report = regressions::find("p", &set, &benchmarks, &history, &config());
    assert!(report.regressions.is_empty());
    assert_eq!(set.graphs[0].points().len(), 10);
}

#[test]
fn commits_off_every_branch_are_reported() {
    let (mut files, benchmarks, history) = project(1);
    files[0].commit_hash = "f".repeat(40);
    let set = series::build(&files, &benchmarks, &history, &config());
    assert_eq!(set.warnings.len(), 1, "{:?}", set.warnings);
    assert!(
        set.graphs[0]
            .path
            .starts_with("graphs/branch-main/machine-m/python-3.11/")
    );
}
