//! Corpus test: agora's results equal sp-repo-review's on real repository trees.
//!
//! Reads `$AGORA_CORPUS/repo-review/NAME` and `NAME.expected.json` (made with
//! `repo-review NAME --format json`, repo-review 1.3.0 + sp-repo-review 2026.8.14). For every
//! code agora implements, the result (pass/fail/skip), description, URL, family, error message
//! and skip reason must match exactly, as must the status and the families; codes of the
//! reference that agora does not implement are listed. `AGORA_CORPUS` may be relative to the
//! current directory or to the workspace root. Skipped with a note when it is not set.

mod common;

use std::path::{Path, PathBuf};

fn corpus_dir() -> Option<PathBuf> {
    let given = PathBuf::from(std::env::var_os("AGORA_CORPUS")?);
    let workspace = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    [given.clone(), workspace.join(&given)]
        .into_iter()
        .map(|p| p.join("repo-review"))
        .find(|p| p.is_dir())
}

#[test]
fn corpus_matches_sp_repo_review() {
    let Some(dir) = corpus_dir() else {
        println!("note: AGORA_CORPUS not set (or has no repo-review/); corpus test skipped");
        return;
    };
    let mut trees = 0;
    let mut problems = Vec::new();
    for name in ["networkx", "scikit-image", "scipy"] {
        let tree = dir.join(name);
        let expected = dir.join(format!("{name}.expected.json"));
        if !expected.is_file() || !tree.is_dir() {
            println!("note: {name} missing from {}, skipped", dir.display());
            continue;
        }
        trees += 1;
        let (mut diffs, missing) = common::compare(name, &tree, &expected);
        problems.append(&mut diffs);
        let missing = if missing.is_empty() {
            "none".to_string()
        } else {
            missing.join(" ")
        };
        println!("{name}: not yet implemented: {missing}");
    }
    assert!(
        trees > 0,
        "AGORA_CORPUS is set but no tree was found in {}",
        dir.display()
    );
    assert!(
        problems.is_empty(),
        "{} differences:\n{}",
        problems.len(),
        problems.join("\n")
    );
}
