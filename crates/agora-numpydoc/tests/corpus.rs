//! The numpy 2.4.6 and scipy 1.17.1 `.py` files against numpydoc 1.11.0's own findings on
//! them (`numpydoc/*_all.findings.tsv` of the corpus): the sets of `(path, line, code)` must
//! agree to 99.5% precision and recall on each, leaving out the objects numpydoc crashed on.
//!
//! Runs when `AGORA_CORPUS` is set. The wheels come from `agora_corpus::numpy_scipy_wheels`,
//! cached in `<workspace>/target/corpus-wheels/`
//! (shared with the wheel-check corpus test); a missing one is fetched with
//! `pip download --no-deps --only-binary=:all: --python-version 3.11 numpy==2.4.6 scipy==1.17.1`
//! into a temporary folder beside it and renamed into place. The `.py` files are read straight
//! from the wheels (no unzip to disk).

use std::collections::{BTreeMap, BTreeSet, HashSet};
use std::io::Read;
use std::path::{Path, PathBuf};

use agora_numpydoc::{Config, lint_source};

fn corpus_dir() -> Option<PathBuf> {
    agora_corpus::root()
}

type Key = (String, u32, String);

/// A finding with its message; the items of PR01/PR02's `{…}` sorted, since numpydoc prints a
/// Python set whose order changes from run to run.
type Full = (String, u32, String, String);

/// An object numpydoc crashed on: path, line, dotted name.
type Crash = (String, u64, String);

fn normalized(code: &str, message: &str) -> String {
    if !(code == "PR01" || code == "PR02") {
        return message.to_string();
    }
    match (message.find('{'), message.rfind('}')) {
        (Some(open), Some(close)) if open < close => {
            let mut items: Vec<&str> = message[open + 1..close].split(", ").collect();
            items.sort_unstable();
            format!(
                "{}{{{}}}{}",
                &message[..open],
                items.join(", "),
                &message[close + 1..]
            )
        }
        _ => message.to_string(),
    }
}

/// The reference findings and the objects numpydoc crashed on (path, line, dotted name).
fn reference(data: &Path, project: &str) -> (BTreeSet<Key>, Vec<Full>, HashSet<Crash>) {
    let tsv = std::fs::read_to_string(data.join(format!("{project}_all.findings.tsv")))
        .expect("read the reference findings");
    let mut findings = BTreeSet::new();
    let mut full = Vec::new();
    for line in tsv.lines() {
        let fields: Vec<&str> = line.split('\t').collect();
        let (location, code, message) = (fields[0], fields[2], fields[3]);
        let (path, number) = location.rsplit_once(':').expect("path:line");
        let number: u32 = number.parse().expect("a line number");
        findings.insert((path.to_string(), number, code.to_string()));
        full.push((
            path.to_string(),
            number,
            code.to_string(),
            normalized(code, message),
        ));
    }
    let json: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(data.join(format!("{project}_all.json"))).expect("read json"),
    )
    .expect("parse json");
    let crashes = json["crashes"]
        .as_array()
        .expect("crashes")
        .iter()
        .map(|crash| {
            (
                crash[0].as_str().unwrap_or_default().to_string(),
                crash[1].as_u64().unwrap_or_default(),
                crash[2].as_str().unwrap_or_default().to_string(),
            )
        })
        .collect();
    full.sort();
    (findings, full, crashes)
}

fn compare(project: &str, wheel: &Path, data: &Path) -> (f64, f64, usize) {
    let files = std::fs::read_to_string(data.join(format!("{project}_files.txt")))
        .expect("read the file list");
    let wanted: HashSet<&str> = files.lines().filter(|l| !l.is_empty()).collect();
    let mut archive =
        zip::ZipArchive::new(std::fs::File::open(wheel).expect("open wheel")).expect("read zip");
    let config = Config::default();
    let (expected, expected_full, crashes) = reference(data, project);
    let mut ours = BTreeSet::new();
    let mut ours_full = Vec::new();
    let mut seen = 0;
    for index in 0..archive.len() {
        let mut entry = archive.by_index(index).expect("zip entry");
        let name = entry.name().expect("entry name").to_string();
        if !wanted.contains(name.as_str()) {
            continue;
        }
        seen += 1;
        let mut source = String::new();
        entry.read_to_string(&mut source).expect("utf-8 source");
        let findings =
            lint_source(&name, &source, &config).unwrap_or_else(|error| panic!("{name}: {error}"));
        for finding in findings {
            if crashes.contains(&(
                finding.path.clone(),
                u64::from(finding.line),
                finding.name.clone(),
            )) {
                continue;
            }
            ours_full.push((
                finding.path.clone(),
                finding.line,
                finding.code.to_string(),
                normalized(finding.code, &finding.message),
            ));
            ours.insert((finding.path, finding.line, finding.code.to_string()));
        }
    }
    assert_eq!(seen, wanted.len(), "{project}: files found in the wheel");
    let common = ours.intersection(&expected).count();
    let precision = common as f64 / ours.len().max(1) as f64;
    let recall = common as f64 / expected.len().max(1) as f64;
    let extra: Vec<&Key> = ours.difference(&expected).collect();
    let missing: Vec<&Key> = expected.difference(&ours).collect();
    let mut by_code: BTreeMap<(&str, &str), usize> = BTreeMap::new();
    for (path, line, code) in &extra {
        let _ = (path, line);
        *by_code.entry(("extra", code.as_str())).or_default() += 1;
    }
    for (_, _, code) in &missing {
        *by_code.entry(("missing", code.as_str())).or_default() += 1;
    }
    eprintln!(
        "{project}: {} reference, {} ours, {common} common; precision {:.4}%, recall {:.4}%",
        expected.len(),
        ours.len(),
        precision * 100.0,
        recall * 100.0
    );
    eprintln!("{project}: differences by code: {by_code:?}");
    for (path, line, code) in extra.iter().take(60) {
        eprintln!("  extra   {path}:{line} {code}");
    }
    for (path, line, code) in missing.iter().take(60) {
        eprintln!("  missing {path}:{line} {code}");
    }
    // Beyond the set of (path, line, code): every finding with its message, duplicates counted.
    ours_full.sort();
    let message_differences = ours_full
        .iter()
        .zip(&expected_full)
        .filter(|(a, b)| a != b)
        .count()
        + ours_full.len().abs_diff(expected_full.len());
    if let Some((a, b)) = ours_full.iter().zip(&expected_full).find(|(a, b)| a != b) {
        eprintln!("{project}: first message difference:\n  ours   {a:?}\n  theirs {b:?}");
    }
    eprintln!(
        "{project}: {} findings with messages, {} theirs, {message_differences} differ",
        ours_full.len(),
        expected_full.len()
    );
    (precision, recall, message_differences)
}

#[test]
fn numpy_and_scipy_match_numpydoc() {
    let Some(corpus) = corpus_dir() else {
        eprintln!(
            "skip: AGORA_CORPUS is not set (the corpus test downloads numpy and scipy wheels)"
        );
        return;
    };
    let data = corpus.join("numpydoc");
    for (project, wheel) in ["numpy", "scipy"]
        .into_iter()
        .zip(agora_corpus::numpy_scipy_wheels())
    {
        let (precision, recall, message_differences) = compare(project, &wheel, &data);
        assert!(
            precision >= 0.995 && recall >= 0.995,
            "{project}: precision {precision:.4}, recall {recall:.4} (see the differences above)"
        );
        assert_eq!(message_differences, 0, "{project}: messages (see above)");
    }
}

/// The numpydoc release agora names (AG101's suggested hook `rev`) is the one whose findings
/// the corpus holds: its README says which numpydoc made them.
#[test]
fn numpydoc_version_is_the_corpus_reference() {
    let Some(root) = corpus_dir() else {
        println!("note: AGORA_CORPUS not set; corpus test skipped");
        return;
    };
    let readme = std::fs::read_to_string(root.join("README.md")).unwrap_or_default();
    let said = readme
        .split("findings of numpydoc ")
        .nth(1)
        .and_then(|rest| rest.split('\'').next());
    assert_eq!(
        said,
        Some(agora_numpydoc::NUMPYDOC_VERSION),
        "corpus README"
    );
}
