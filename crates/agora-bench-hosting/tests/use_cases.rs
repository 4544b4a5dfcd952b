//! The use cases called directly, as a server would: ingest into a temporary store, read the
//! regressions and the feed back, the progress a front end receives, and the errors by
//! variant; on a small made-up project and on kedro's real results
//! (`$AGORA_CORPUS/asv/kedro`), uploaded in three batches.

use std::path::{Path, PathBuf};
use std::sync::Mutex;

use agora_bench_hosting::{
    CommitOrder, HostingError, IngestOptions, Progress, Reading, Silent, Stage, feed, ingest,
    projects, regressions,
};
use agora_store::Store;
use serde_json::json;

/// The made-up asv project ([`agora_corpus::asv_demo`]) with results of its first `count`
/// commits, in a history of 30.
fn make_project(root: &Path, count: usize) -> PathBuf {
    agora_corpus::asv_demo::make_project(root, count, 30)
}

/// The options of an ingest of `results` as `project`, the commit order from the lists in
/// `root` (the made-up project and kedro's corpus folder name them alike).
fn options(project: &str, root: &Path, results: &Path) -> IngestOptions {
    IngestOptions {
        dir: results.to_path_buf(),
        project: project.to_owned(),
        asv_config: Some(root.join("asv.conf.json")),
        commit_order: CommitOrder::Lists {
            revisions: root.join("revisions.tsv"),
            branches: vec![("main".to_owned(), root.join("branch-main-first-parent.txt"))],
            tags: Some(root.join("tags.tsv")),
        },
    }
}

/// What a front end was told, in order.
#[derive(Debug, Clone, PartialEq)]
enum Event {
    Start(Stage, Option<u64>),
    Advance(Stage),
    Finish(Stage),
    Warning(String),
}

/// A [`Progress`] that records every event.
#[derive(Default)]
struct Recorder(Mutex<Vec<Event>>);

impl Recorder {
    fn events(&self) -> Vec<Event> {
        self.0.lock().expect("lock").clone()
    }

    fn push(&self, event: Event) {
        self.0.lock().expect("lock").push(event);
    }
}

impl Progress for Recorder {
    fn start(&self, stage: Stage, total: Option<u64>) {
        self.push(Event::Start(stage, total));
    }
    fn advance(&self, stage: Stage) {
        self.push(Event::Advance(stage));
    }
    fn finish(&self, stage: Stage) {
        self.push(Event::Finish(stage));
    }
    fn warning(&self, message: &str) {
        self.push(Event::Warning(message.to_owned()));
    }
}

fn store_at(db: &Path) -> impl FnOnce() -> Result<Store, agora_store::StoreError> + Send + '_ {
    move || Store::open(db)
}

#[test]
fn ingest_reports_its_outcome_and_its_progress_and_stores_the_analysis() {
    let dir = tempfile::tempdir().expect("tempdir");
    let root = dir.path().join("demo");
    let results = make_project(&root, 20);
    let db = dir.path().join("agora.db");

    let recorder = Recorder::default();
    let first =
        ingest(&options("demo", &root, &results), store_at(&db), &recorder).expect("ingest");
    assert_eq!(first.summary.project, "demo");
    assert_eq!(
        (
            first.summary.added,
            first.summary.replaced,
            first.summary.unchanged
        ),
        (20, 0, 0)
    );
    assert!(first.summary.skipped.is_empty());
    assert!(first.summary.history_updated && first.summary.settings_updated);
    let analysis = first.analysis.expect("computed by this ingest");
    assert_eq!(analysis.report.regressions.len(), 1);
    assert_eq!(analysis.report.regressions[0].name, "b.time_x");

    let events = recorder.events();
    let count = |wanted: &Event| events.iter().filter(|e| *e == wanted).count();
    assert_eq!(count(&Event::Start(Stage::ReadingResults, Some(20))), 1);
    assert_eq!(count(&Event::Advance(Stage::ReadingResults)), 20);
    for stage in [
        Stage::ReadingResults,
        Stage::ReadingHistory,
        Stage::Storing,
        Stage::Analysing,
    ] {
        assert_eq!(count(&Event::Finish(stage)), 1, "{stage:?} in {events:?}");
    }
    let position = |wanted: &Event| events.iter().position(|e| e == wanted);
    assert!(
        position(&Event::Finish(Stage::ReadingResults))
            < position(&Event::Start(Stage::Storing, None))
    );
    assert!(!events.iter().any(|e| matches!(e, Event::Warning(_))));

    // Again: nothing new, and the stored analysis is already the one of these inputs.
    let again = ingest(&options("demo", &root, &results), store_at(&db), &Silent).expect("again");
    assert_eq!(
        (
            again.summary.added,
            again.summary.unchanged,
            again.summary.history_updated
        ),
        (0, 20, false)
    );
    assert!(again.analysis.is_none());

    // The summary is the JSON front ends show.
    let shown = serde_json::to_value(&again.summary).expect("json");
    assert_eq!(shown["unchanged"], 20);
    assert_eq!(shown["skipped"], json!([]));
}

#[test]
fn regressions_and_the_feed_read_the_stored_analysis_back() {
    let dir = tempfile::tempdir().expect("tempdir");
    let root = dir.path().join("demo");
    let results = make_project(&root, 20);
    let db = dir.path().join("agora.db");
    ingest(&options("demo", &root, &results), store_at(&db), &Silent).expect("ingest");

    let mut store = Store::open(&db).expect("store");
    let recorder = Recorder::default();
    let names = projects(&store, None, &recorder).expect("projects");
    assert_eq!(names, ["demo"]);
    let analyses =
        regressions(&mut store, &names, Reading::Report, &recorder).expect("regressions");
    assert_eq!(analyses.len(), 1);
    let report = &analyses[0].found.report;
    assert_eq!(report.project, "demo");
    assert_eq!(report.regressions.len(), 1);
    let jump = &report.regressions[0].jumps[0];
    assert_eq!(
        (jump.after, jump.value_before, jump.value_after),
        (10, 1.0, 2.0)
    );
    // The report reading leaves the points out; the dashboard's reading has them.
    assert!(analyses[0].found.points.is_empty());
    let everything =
        agora_bench_hosting::analyse(&mut store, "demo", Reading::Everything).expect("everything");
    assert_eq!(everything.found.points.len(), everything.found.graphs.len());
    assert!(!everything.found.points[0].is_empty());
    assert_eq!(
        recorder.events(),
        [
            Event::Start(Stage::Analysing, Some(1)),
            Event::Advance(Stage::Analysing),
            Event::Finish(Stage::Analysing),
        ]
    );
    assert!(feed(&analyses[0]).contains("100.00% b.time_x"));
}

#[test]
fn malformed_files_are_skipped_and_listed_while_the_rest_is_stored() {
    let dir = tempfile::tempdir().expect("tempdir");
    let root = dir.path().join("demo");
    let results = make_project(&root, 12);
    std::fs::write(results.join("m/bad-py3.11.json"), "{ not json").expect("bad");
    // A folder without machine.json: its files are skipped with it.
    std::fs::create_dir_all(results.join("lost")).expect("mkdir");
    std::fs::write(results.join("lost/x-py3.11.json"), "{}").expect("lost");
    let db = dir.path().join("agora.db");
    let ingested =
        ingest(&options("demo", &root, &results), store_at(&db), &Silent).expect("ingest");
    assert_eq!(ingested.summary.added, 12);
    let skipped: Vec<&str> = ingested
        .summary
        .skipped
        .iter()
        .map(|s| s.path.as_str())
        .collect();
    assert_eq!(skipped.len(), 2, "{skipped:?}");
    assert!(skipped.iter().any(|p| p.ends_with("bad-py3.11.json")));
    assert!(skipped.iter().any(|p| p.ends_with("lost/x-py3.11.json")));
    assert!(
        ingested.summary.skipped[0]
            .error
            .contains("skipped with its folder")
    );
}

#[test]
fn errors_are_variants_a_front_end_can_word_its_own_way() {
    let dir = tempfile::tempdir().expect("tempdir");
    let root = dir.path().join("demo");
    let results = make_project(&root, 3);
    let db = dir.path().join("agora.db");

    let bad_name = ingest(&options("../x", &root, &results), store_at(&db), &Silent);
    assert!(matches!(bad_name, Err(HostingError::ProjectName(_))));

    let nowhere = ingest(
        &options("demo", &root, &dir.path().join("nowhere")),
        store_at(&db),
        &Silent,
    );
    assert!(matches!(nowhere, Err(HostingError::NotAFolder(_))));

    let mut no_branch = options("demo", &root, &results);
    no_branch.commit_order = CommitOrder::Lists {
        revisions: root.join("revisions.tsv"),
        branches: Vec::new(),
        tags: None,
    };
    let no_branch = ingest(&no_branch, store_at(&db), &Silent);
    assert!(matches!(no_branch, Err(HostingError::NoBranchHistory)));

    // The front end's own store opener fails: its error is carried, and nothing is stored.
    let refused = ingest(
        &options("demo", &root, &results),
        || Err::<Store, _>(std::io::Error::other("the disk is full")),
        &Silent,
    );
    match refused {
        Err(error @ HostingError::OpenStore(_)) => {
            assert_eq!(error.to_string(), "the disk is full")
        }
        other => panic!("{other:?}"),
    }

    let mut store = Store::open(&db).expect("store");
    assert!(matches!(
        projects(&store, None, &Silent),
        Err(HostingError::NoProjects)
    ));
    assert!(matches!(
        regressions(&mut store, &["demo".to_owned()], Reading::Report, &Silent),
        Err(HostingError::ProjectNotStored(name)) if name == "demo"
    ));
    assert!(matches!(
        projects(&store, Some("a/b"), &Silent),
        Err(HostingError::ProjectName(_))
    ));
}

/// kedro's 424 result files uploaded in three batches (as a CI job would, one run at a time)
/// give the regressions of asv's `expected/regressions.json`.
#[test]
fn kedro_ingested_in_three_batches_gives_asvs_regressions() {
    let Some(root) = agora_corpus::folder("asv/kedro") else {
        return;
    };
    let dir = tempfile::tempdir().expect("tempdir");
    let source = root.join("results");
    let results = dir.path().join("results");
    let mut files: Vec<PathBuf> = agora_corpus::files_under(&source)
        .into_iter()
        .filter(|p| {
            let name = p.file_name().and_then(|n| n.to_str()).unwrap_or("");
            name != "machine.json" && name != "benchmarks.json"
        })
        .collect();
    files.sort();
    for fixed in ["benchmarks.json", "github-actions/machine.json"] {
        let target = results.join(fixed);
        std::fs::create_dir_all(target.parent().expect("parent")).expect("mkdir");
        std::fs::copy(source.join(fixed), target).expect("copy");
    }
    let db = dir.path().join("agora.db");
    let third = files.len().div_ceil(3);
    let mut total = 0;
    for (batch, chunk) in files.chunks(third).enumerate() {
        for file in chunk {
            let target = results.join(file.strip_prefix(&source).expect("inside"));
            std::fs::create_dir_all(target.parent().expect("parent")).expect("mkdir");
            std::fs::copy(file, &target).expect("copy");
        }
        let ingested =
            ingest(&options("kedro", &root, &results), store_at(&db), &Silent).expect("ingest");
        assert_eq!(ingested.summary.added, chunk.len(), "batch {batch}");
        assert_eq!(ingested.summary.unchanged, total, "batch {batch}");
        assert!(
            ingested.summary.skipped.is_empty(),
            "{:?}",
            ingested.summary
        );
        total += chunk.len();
    }
    assert_eq!(total, 424);

    let mut store = Store::open(&db).expect("store");
    let analyses = regressions(&mut store, &["kedro".to_owned()], Reading::Report, &Silent)
        .expect("regressions");
    let ours = analyses[0].found.report.asv_json();
    agora_corpus::asv_demo::assert_regressions_as_expected(&ours, &root);
}
