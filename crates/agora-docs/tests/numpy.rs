//! agora's reference of numpy 2.4.6, built from the sdist, against numpy's published 2.4
//! inventory (`docs/numpy-2.4-objects.inv` in the corpus): at least 97 % of its `py:*` entries
//! must be in agora's inventory with the same name and role, and at least 99 % of the See
//! Also names that point into numpy must resolve. The misses are printed grouped by cause.
//!
//! The sdist is named by `AGORA_NUMPY_SDIST` (`.ci/run` downloads it and checks its sha256);
//! without it the test is skipped with a note, except in CI, where it fails.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::PathBuf;

use agora_docs::xref::see_also_report;

fn sdist() -> Option<PathBuf> {
    match std::env::var_os("AGORA_NUMPY_SDIST") {
        Some(path) => Some(PathBuf::from(path)),
        None if std::env::var_os("CI").is_some() => {
            panic!("AGORA_NUMPY_SDIST must be set in CI (.ci/run downloads numpy's sdist)")
        }
        None => {
            eprintln!("note: AGORA_NUMPY_SDIST is not set; skipping the numpy inventory test");
            None
        }
    }
}

/// Why a published entry is missing from agora's inventory, guessed from what agora has.
fn cause(
    name: &str,
    role: &str,
    ours: &HashMap<String, String>,
    problems: &HashMap<String, String>,
) -> String {
    if let Some(our_role) = ours.get(name) {
        return format!("other role (agora: {our_role}, published: {role})");
    }
    if let Some(cause) = problems.get(name) {
        return cause.clone();
    }
    let parent = name.rsplit_once('.').map_or("", |(p, _)| p);
    match ours.get(parent).map(String::as_str) {
        Some("class" | "exception") => {
            "member not found in the class (runtime-made or from a compiled base)".to_string()
        }
        Some("module") => "name not public in the module's source".to_string(),
        Some(other) => format!("parent is a {other}"),
        None => "parent not documented".to_string(),
    }
}

#[test]
fn numpy_inventory_and_see_also() {
    let Some(sdist) = sdist() else { return };
    let Some(corpus) = agora_corpus::root() else {
        return;
    };
    let reference = agora_docs::build_reference(&sdist, None).expect("numpy's sdist loads");
    let inventory = agora_docs::inventory(&reference, "NumPy", "2.4.6");
    let bytes =
        std::fs::read(corpus.join("docs/numpy-2.4-objects.inv")).expect("the published inventory");
    let published = agora_docs::Inventory::parse(&bytes).expect("the published inventory parses");

    let ours: HashMap<String, String> = inventory
        .entries
        .iter()
        .map(|e| (e.name.clone(), e.role.clone()))
        .collect();
    let ours_pairs: HashSet<(String, String)> = inventory
        .entries
        .iter()
        .map(|e| (e.name.clone(), e.role.clone()))
        .collect();
    let problems: HashMap<String, String> = reference
        .problems
        .iter()
        .map(|p| (p.object.clone(), p.cause.clone()))
        .collect();
    let wanted: Vec<_> = published
        .entries
        .iter()
        .filter(|e| e.domain == "py")
        .collect();
    let mut misses: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let mut found = 0;
    for entry in &wanted {
        if ours_pairs.contains(&(entry.name.clone(), entry.role.clone())) {
            found += 1;
        } else {
            misses
                .entry(cause(&entry.name, &entry.role, &ours, &problems))
                .or_default()
                .push(format!("{} ({})", entry.name, entry.role));
        }
    }
    let canonical: Vec<&str> = inventory
        .entries
        .iter()
        .filter(|e| reference.get(&e.name).is_none())
        .map(|e| e.name.as_str())
        .collect();
    println!(
        "{} canonical names of classes documented under another name: {}",
        canonical.len(),
        canonical.join(", ")
    );
    let coverage = found as f64 / wanted.len() as f64;
    println!(
        "numpy 2.4: {found} of {} py entries of the published inventory ({:.2} %)",
        wanted.len(),
        100.0 * coverage
    );
    for (cause, names) in &misses {
        println!("  {} missing: {cause}", names.len());
        for name in names {
            println!("    {name}");
        }
    }

    let see_also = see_also_report(&reference);
    let resolved = see_also.resolved as f64 / see_also.internal.max(1) as f64;
    println!(
        "See Also: {} of {} names into numpy resolved ({:.2} %); {} to other projects",
        see_also.resolved,
        see_also.internal,
        100.0 * resolved,
        see_also.external.len()
    );
    for unresolved in &see_also.unresolved {
        println!(
            "  unresolved: {} in {} ({})",
            unresolved.target,
            unresolved.object,
            unresolved.location.as_deref().unwrap_or("?")
        );
    }
    assert!(
        see_also.internal > 1000,
        "numpy has thousands of See Also names, found {}",
        see_also.internal
    );
    // The bar. The misses printed above are mostly entries numpy's hand-written rst
    // gives another role than the source has (the DType classes and platform aliases as
    // attributes, some properties as attributes), members made by C slots only, and names
    // documented under private paths.
    assert!(
        coverage >= 0.97,
        "only {:.2} % of numpy's published py entries",
        100.0 * coverage
    );
    assert!(
        resolved >= 0.99,
        "only {:.2} % of See Also names resolve",
        100.0 * resolved
    );
}
