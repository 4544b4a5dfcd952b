//! Shared by the review tests: compare agora's JSON with repo-review's (results, families,
//! descriptions and URLs; the failure messages are agora's own words, so they are only
//! checked to be present and not copied), write small trees, and build release data for the
//! SPEC 0 check.
//!
//! Only sp-repo-review's codes are compared: agora's own family (`AG`, key `agora`) is
//! ignored for the comparison, so that it changes neither the reported codes, the status nor
//! the families. The AG results are asserted separately.

// Each test binary uses a part of this module.
#![allow(dead_code)]

use std::collections::BTreeSet;
use std::path::Path;

use agora_review::{Options, checks, render, review};

/// agora's own family: not in repo-review's output.
pub const AGORA_FAMILY: &str = "agora";
use serde_json::Value;

/// The values of a family description's `- label: value` lines, labels left out.
fn description_facts(description: &str) -> Vec<String> {
    description
        .lines()
        .map(|line| {
            line.split_once(": ")
                .map_or(line, |(_, value)| value)
                .to_string()
        })
        .collect()
}

/// The set of rule names in the Ruff family description (its order is random in Python).
fn ruff_rules(description: &str) -> BTreeSet<String> {
    description
        .split(['`', ',', ' '])
        .filter(|s| s.starts_with('"'))
        .map(|s| s.trim_matches('"').to_string())
        .collect()
}

/// The prose of a markdown message, code (fenced blocks, and inline spans as `CODE`) left
/// out, as lower-case phrases (split at sentence and clause ends) of at least four words.
pub fn prose_phrases(message: &str) -> Vec<String> {
    let mut prose = String::new();
    let mut in_code = false;
    for line in message.lines() {
        if line.trim_start().starts_with("```") {
            in_code = !in_code;
        } else if !in_code {
            for (i, part) in line.split('`').enumerate() {
                prose.push_str(if i % 2 == 0 { part } else { "CODE" });
            }
            prose.push(' ');
        }
    }
    prose
        .to_lowercase()
        .split(['.', ':', ';', '(', ')', '!', '?'])
        .map(|p| p.split_whitespace().collect::<Vec<_>>().join(" "))
        .filter(|p| p.split(' ').count() >= 4)
        .collect()
}

/// The phrases of our message that also appear in the reference's (sp-repo-review's wording
/// must not be copied; configuration snippets may be the same).
pub fn copied_prose(ours: &str, theirs: &str) -> Vec<String> {
    let theirs: String = prose_phrases(theirs).join(" | ");
    prose_phrases(ours)
        .into_iter()
        .filter(|p| theirs.contains(p.as_str()))
        .collect()
}

/// Reviews `tree` and compares with repo-review's JSON in `expected_path`. Returns the
/// differences and the reference codes agora does not implement.
pub fn compare(name: &str, tree: &Path, expected_path: &Path) -> (Vec<String>, Vec<String>) {
    let implemented: BTreeSet<&str> = checks::all().iter().map(|c| c.code).collect();
    let mut problems = Vec::new();
    let mut missing = Vec::new();
    let text = std::fs::read_to_string(expected_path).expect("expected JSON is readable");
    let expected: Value = serde_json::from_str(&text).expect("expected JSON parses");
    let options = Options {
        extend_ignore: vec!["AG".to_string()],
        ..Options::default()
    };
    let report = review(tree, &options);
    let ours: Value = serde_json::from_str(&render::json(&report)).expect("our JSON parses");

    let empty = serde_json::Map::new();
    let exp_checks = expected["checks"].as_object().unwrap_or(&empty);
    let our_checks = ours["checks"].as_object().unwrap_or(&empty);
    for (code, exp) in exp_checks {
        if !implemented.contains(code.as_str()) {
            missing.push(code.clone());
            continue;
        }
        let Some(got) = our_checks.get(code) else {
            problems.push(format!("{name} {code}: not reported, expected {exp}"));
            continue;
        };
        // The messages are agora's own words: compared for presence, not equality.
        for field in ["result", "family", "description", "url", "skip_reason"] {
            if got[field] != exp[field] {
                problems.push(format!(
                    "{name} {code} {field}: got {} expected {}",
                    got[field], exp[field]
                ));
            }
        }
        let ours = got["err_msg"].as_str().unwrap_or_default();
        let theirs = exp["err_msg"].as_str().unwrap_or_default();
        if got["result"] == false && ours.trim().is_empty() {
            problems.push(format!("{name} {code}: a failure without a message"));
        }
        if got["result"] != false && !ours.is_empty() {
            problems.push(format!(
                "{name} {code}: a message without a failure: {ours:?}"
            ));
        }
        for phrase in copied_prose(ours, theirs) {
            problems.push(format!(
                "{name} {code}: message copies the reference's wording: {phrase:?}"
            ));
        }
    }
    for code in our_checks.keys() {
        if !exp_checks.contains_key(code) {
            problems.push(format!("{name} {code}: reported but not by repo-review"));
        }
    }
    if ours["status"] != expected["status"] {
        problems.push(format!(
            "{name} status: got {} expected {}",
            ours["status"], expected["status"]
        ));
    }
    let exp_fam = expected["families"].as_object().unwrap_or(&empty);
    let our_fam = ours["families"].as_object().unwrap_or(&empty);
    let exp_keys: Vec<&String> = exp_fam.keys().collect();
    let our_keys: Vec<&String> = our_fam.keys().filter(|k| *k != AGORA_FAMILY).collect();
    if exp_keys != our_keys {
        problems.push(format!(
            "{name} families: got {our_keys:?} expected {exp_keys:?}"
        ));
    }
    for (key, exp) in exp_fam {
        let got = &our_fam[key];
        // The family texts are agora's own words: compare the facts they carry.
        let e = exp["description"].as_str();
        let g = got["description"].as_str();
        let same_facts = if key == "ruff" {
            let (e, g) = (e.unwrap_or_default(), g.unwrap_or_default());
            ruff_rules(e) == ruff_rules(g) && e.contains(':') == g.contains(':')
        } else {
            e.map(description_facts) == g.map(description_facts)
        };
        if !same_facts {
            problems.push(format!(
                "{name} {key} description: got {g:?} expected {e:?}"
            ));
        }
        if got["name"] != exp["name"] {
            problems.push(format!(
                "{name} {key} name: got {} expected {}",
                got["name"], exp["name"]
            ));
        }
        if got["readme_note"].is_null() != exp["readme_note"].is_null() {
            problems.push(format!(
                "{name} {key} readme_note: got {} expected {}",
                got["readme_note"], exp["readme_note"]
            ));
        }
    }
    (problems, missing)
}

/// Writes `files` (path, content) under a new temporary directory.
pub fn tree(files: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tempdir");
    for (path, content) in files {
        let full = dir.path().join(path);
        if let Some(parent) = full.parent() {
            std::fs::create_dir_all(parent).expect("mkdir");
        }
        std::fs::write(full, content).expect("write");
    }
    dir
}

/// A day at midnight UTC.
pub fn day(date: &str) -> jiff::Timestamp {
    let date: jiff::civil::Date = date.parse().expect("a valid date");
    date.to_zoned(jiff::tz::TimeZone::UTC)
        .expect("in range")
        .timestamp()
}

/// A release of `version` at midnight UTC on `date`.
pub fn release(version: &str, date: &str) -> agora_schedule::Release {
    agora_schedule::Release {
        version: version.parse().expect("a valid version"),
        released: day(date),
    }
}
