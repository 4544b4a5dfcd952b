//! kedro's real asv results (`$AGORA_CORPUS/asv/kedro`): the series and the regressions must be
//! the ones `asv publish` (asv 0.6.6) wrote into `expected/`.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use agora_bench::format::{read_benchmarks, read_config, read_result_file};
use agora_bench::history::{History, read_branch_list, read_revisions, read_tags};
use agora_bench::{ResultFile, regressions, series};
use serde_json::Value;

fn corpus() -> Option<PathBuf> {
    agora_corpus::folder("asv/kedro")
}

fn close(a: f64, b: f64) -> bool {
    a == b || (a - b).abs() <= 1e-9 * a.abs().max(b.abs())
}

fn same_json(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => close(
            x.as_f64().unwrap_or(f64::NAN),
            y.as_f64().unwrap_or(f64::NAN),
        ),
        (Value::Array(x), Value::Array(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(p, q)| same_json(p, q))
        }
        (Value::Object(x), Value::Object(y)) => {
            x.len() == y.len()
                && x.iter()
                    .all(|(k, v)| y.get(k).is_some_and(|w| same_json(v, w)))
        }
        _ => a == b,
    }
}

struct Kedro {
    root: PathBuf,
    files: Vec<ResultFile>,
    history: History,
}

fn load(root: &Path) -> Kedro {
    let dir = root.join("results/github-actions");
    let mut paths: Vec<PathBuf> = std::fs::read_dir(&dir)
        .expect("results folder")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "json") && !p.ends_with("machine.json"))
        .collect();
    paths.sort();
    let files = paths
        .iter()
        .map(|p| read_result_file(p).expect("result file"))
        .collect();
    let history = History::new(
        read_revisions(&root.join("revisions.tsv")).expect("revisions"),
        vec![(
            "main".to_owned(),
            read_branch_list(&root.join("branch-main-first-parent.txt")).expect("branch"),
        )],
        read_tags(&root.join("tags.tsv")).expect("tags"),
    );
    Kedro {
        root: root.to_path_buf(),
        files,
        history,
    }
}

#[test]
fn kedro_series_and_regressions_match_asv_publish() {
    let Some(root) = corpus() else { return };
    let kedro = load(&root);
    let config = read_config(&root.join("asv.conf.json")).expect("config");
    let benchmarks = read_benchmarks(&root.join("results/benchmarks.json")).expect("benchmarks");
    let set = series::build(&kedro.files, &benchmarks, &kedro.history, &config);
    // asv warns about the same one result, whose commit is on no branch.
    assert_eq!(
        set.warnings,
        vec!["commit 0de01c9d is on none of the branches (main)"]
    );

    // Series: every graph asv wrote, value for value.
    let mut compared = 0;
    for graph in &set.graphs {
        let path = kedro
            .root
            .join("expected")
            .join(format!("{}.json", graph.path));
        let text =
            std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let expected: Value = serde_json::from_str(&text).expect("graph json");
        let ours: Vec<Value> = graph
            .points()
            .iter()
            .map(|p| {
                let values: Vec<Value> = p.values.iter().map(|v| serde_json::json!(v)).collect();
                if graph.parameterized {
                    serde_json::json!([p.revision, values])
                } else {
                    serde_json::json!([p.revision, values[0]])
                }
            })
            .collect();
        assert!(
            same_json(&Value::Array(ours.clone()), &expected),
            "{}: series differ\nours {:?}\nasv  {:?}",
            graph.path,
            &ours[..ours.len().min(3)],
            expected.as_array().map(|a| &a[..a.len().min(3)])
        );
        compared += 1;
    }
    let expected_graphs =
        agora_corpus::files_under(&kedro.root.join("expected/graphs/branch-main"));
    assert_eq!(
        compared,
        expected_graphs
            .iter()
            .filter(|p| !p.ends_with("summary.json"))
            .count()
    );

    // Regressions: same set (asv's order follows the directory listing).
    let report = regressions::find("kedro", &set, &benchmarks, &kedro.history, &config);
    let ours = report.asv_json();
    let expected: Value = serde_json::from_str(
        &std::fs::read_to_string(kedro.root.join("expected/regressions.json")).expect("expected"),
    )
    .expect("json");
    let key = |v: &Value| format!("{}|{}|{}", v[0], v[1], v[3]);
    let ours: BTreeMap<String, Value> = ours["regressions"]
        .as_array()
        .expect("list")
        .iter()
        .map(|v| (key(v), v.clone()))
        .collect();
    let theirs: BTreeMap<String, Value> = expected["regressions"]
        .as_array()
        .expect("list")
        .iter()
        .map(|v| (key(v), v.clone()))
        .collect();
    assert_eq!(
        ours.keys().collect::<Vec<_>>(),
        theirs.keys().collect::<Vec<_>>()
    );
    for (k, v) in &ours {
        assert!(
            same_json(v, &theirs[k]),
            "{k}:\nours {v}\nasv  {}",
            theirs[k]
        );
    }
    assert_eq!(ours.len(), 12);
}
