//! The hub-scale corpora of `bench/hub_corpus.py` (made from `$AGORA_CORPUS/asv/kedro-synthetic`):
//! kedro's results on ten machines must give asv's regressions, and one new result file in a
//! hub of fifty projects must refit only the series it touches.
//!
//! The generator is run here (python3, standard library only, and git for the commit history),
//! so the tests read the very bytes the benchmark times. asv itself is not: `asv publish` takes
//! about 14 s on the ten-machine corpus and needs a venv, so its answer is the committed
//! `tests/data/hub-regressions.json` (asv 0.6.6's `html/regressions.json` on that corpus, its
//! entries sorted; regenerate it with `python3 bench/hub_corpus.py machines DIR`, `asv publish
//! --no-pull` in DIR, then `python3 bench/hub_corpus.py reference DIR/html/regressions.json
//! crates/agora-bench-hosting/tests/data/hub-regressions.json`). `bench/bench-publish.sh`
//! compares against asv run live on the same corpus before it times anything.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

use agora_bench_hosting::{CommitOrder, IngestOptions, Reading, Silent, analyse, ingest};
use agora_store::Store;

/// kedro-synthetic, when the corpus is there.
fn synthetic() -> Option<PathBuf> {
    agora_corpus::folder("asv/kedro-synthetic")
}

/// Runs `bench/hub_corpus.py ARGS… --source SOURCE` into `out`.
fn generate(source: &Path, out: &Path, args: &[&str]) {
    let script = agora_corpus::workspace_root().join("bench/hub_corpus.py");
    let status = Command::new("python3")
        .arg(&script)
        .args(args)
        .arg(out)
        .arg("--source")
        .arg(source)
        .status()
        .unwrap_or_else(|e| panic!("python3 {}: {e}", script.display()));
    assert!(status.success(), "{} {args:?} failed", script.display());
}

fn store_at(db: &Path) -> impl FnOnce() -> Result<Store, agora_store::StoreError> + Send + '_ {
    move || Store::open(db)
}

/// The ingest of the asv project in `dir` as `project`, its commit order from `repo`.
fn options(dir: &Path, project: &str, repo: &Path) -> IngestOptions {
    IngestOptions {
        dir: dir.to_path_buf(),
        project: project.to_owned(),
        asv_config: None,
        commit_order: CommitOrder::Repository(repo.to_path_buf()),
    }
}

#[test]
fn ten_machines_give_asvs_regressions() {
    let Some(source) = synthetic() else { return };
    let dir = tempfile::tempdir().expect("tempdir");
    let corpus = dir.path().join("hub");
    generate(&source, &corpus, &["machines"]);
    let db = dir.path().join("agora.db");
    let ingested = ingest(
        &options(&corpus, "kedro-hub", &corpus.join("history.git")),
        store_at(&db),
        &Silent,
    )
    .expect("ingest");
    assert_eq!(ingested.summary.added, 4240, "{:?}", ingested.summary);
    assert!(ingested.summary.skipped.is_empty());
    // asv's regressions are found by the analysis ingest stored, and by one computed anew.
    let mut store = Store::open(&db).expect("store");
    let stored = analyse(&mut store, "kedro-hub", Reading::Report).expect("stored analysis");
    let reference = agora_corpus::workspace_root()
        .join("crates/agora-bench-hosting/tests/data/hub-regressions.json");
    agora_corpus::asv_demo::assert_regressions_match(&stored.found.report.asv_json(), &reference);
    let computed = ingested.analysis.expect("ingest computed the analysis");
    agora_corpus::asv_demo::assert_regressions_match(&computed.report.asv_json(), &reference);
    assert_eq!(computed.report.regressions.len(), 128);
}

/// One new result file in one project of a hub of fifty refits only the series whose points
/// it changes (counted by comparing the project's points before and after), and leaves every
/// other project's stored analysis as it was.
#[test]
fn one_new_file_in_a_hub_of_fifty_projects_refits_only_its_series() {
    let Some(source) = synthetic() else { return };
    let dir = tempfile::tempdir().expect("tempdir");
    let hub = dir.path().join("hub");
    // Fifty projects; twenty files each keep the debug-build test short (every project still
    // has all of kedro's benchmarks, so as many series as with a hundred).
    generate(
        &source,
        &hub,
        &["projects", "--projects", "50", "--files", "20"],
    );
    let repo = hub.join("history.git");
    let target = "p07";
    let folder = hub.join(target).join("results/ci");
    let mut names: Vec<String> = std::fs::read_dir(&folder)
        .expect("folder")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .filter(|n| n != "machine.json")
        .collect();
    names.sort();
    // The file held back: the last by name (a commit in the middle of the history).
    let held = names.last().expect("files").clone();
    let aside = dir.path().join(&held);
    std::fs::rename(folder.join(&held), &aside).expect("hold back");

    let db = dir.path().join("agora.db");
    let projects: Vec<String> = (0..50).map(|p| format!("p{p:02}")).collect();
    for project in &projects {
        let ingested = ingest(
            &options(&hub.join(project), project, &repo),
            store_at(&db),
            &Silent,
        )
        .expect("ingest");
        assert!(
            ingested.summary.skipped.is_empty(),
            "{:?}",
            ingested.summary
        );
        // An empty store's step cache is empty: every series is fitted.
        assert_eq!(ingested.summary.series_fitted, ingested.summary.series);
    }
    let mut store = Store::open(&db).expect("store");
    let before_analyses = stored_analyses(&store, &projects);
    let before = analyse(&mut store, target, Reading::Everything).expect("analysis");
    drop(store);

    std::fs::rename(&aside, folder.join(&held)).expect("put back");
    let ingested = ingest(
        &options(&hub.join(target), target, &repo),
        store_at(&db),
        &Silent,
    )
    .expect("ingest");
    assert_eq!(ingested.summary.added, 1);
    assert_eq!(ingested.summary.unchanged, 19);
    let after = ingested.analysis.expect("the analysis was redone");

    // The series the file touched: new ones, and those whose points changed.
    let old: BTreeMap<&str, &Vec<agora_bench::series::Point>> = before
        .found
        .graphs
        .iter()
        .zip(&before.found.points)
        .map(|(graph, points)| (graph.path.as_str(), points))
        .collect();
    let touched = after
        .graphs
        .iter()
        .zip(&after.points)
        .filter(|(graph, points)| old.get(graph.path.as_str()) != Some(points))
        .count();
    assert!(touched > 0, "the new file changed no series");
    assert!(
        touched < after.graphs.len() / 2,
        "{touched} of {}",
        after.graphs.len()
    );
    assert_eq!(ingested.summary.series, after.graphs.len());
    assert_eq!(
        ingested.summary.series_fitted,
        touched,
        "series fitted, of {}",
        after.graphs.len()
    );

    // Every other project's stored analysis is the one stored before.
    let store = Store::open(&db).expect("store");
    let after_analyses = stored_analyses(&store, &projects);
    for (project, (was, now)) in projects
        .iter()
        .zip(before_analyses.iter().zip(&after_analyses))
    {
        if project == target {
            assert_ne!(was, now, "{project}");
        } else {
            assert_eq!(was, now, "{project}");
        }
    }
}

/// Each project's stored analysis: the digest of its inputs and its bytes.
fn stored_analyses(store: &Store, projects: &[String]) -> Vec<Option<(String, Vec<u8>)>> {
    projects
        .iter()
        .map(|p| store.bench_analysis(p).expect("analysis"))
        .collect()
}
