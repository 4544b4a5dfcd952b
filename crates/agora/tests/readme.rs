//! The README stands on its own: every document it points to is in the repository.

use std::path::{Component, Path, PathBuf};

fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .ancestors()
        .nth(2)
        .expect("crates/agora sits two levels below the workspace root")
        .to_path_buf()
}

/// The Markdown documents `text` points to: targets of `[…](…)` links that are not URLs or
/// anchors, and `code spans` naming a `.md` file by its path (`docs/x.md`, not a bare name).
fn referenced_documents(text: &str) -> Vec<String> {
    let mut found = Vec::new();
    for piece in text.split("](").skip(1) {
        let target = piece.split(')').next().unwrap_or_default();
        let target = target.split('#').next().unwrap_or_default();
        if !target.is_empty() && !target.contains("://") && !target.starts_with("mailto:") {
            found.push(target.to_string());
        }
    }
    for (i, span) in text.split('`').enumerate() {
        if i % 2 == 1
            && span.ends_with(".md")
            && span.contains('/')
            && !span.contains(char::is_whitespace)
        {
            found.push(span.to_string());
        }
    }
    found
}

#[test]
fn every_document_the_readme_points_to_is_in_the_repository() {
    let root = workspace_root();
    let readme = std::fs::read_to_string(root.join("README.md")).expect("README.md");
    let documents = referenced_documents(&readme);
    assert!(!documents.is_empty(), "the README points to no document");
    let mut problems = Vec::new();
    for document in &documents {
        let path = Path::new(document);
        if path.components().any(|c| c == Component::ParentDir) || path.is_absolute() {
            problems.push(format!("{document}: outside the repository"));
        } else if !root.join(path).is_file() {
            problems.push(format!("{document}: no such file in the repository"));
        }
    }
    assert!(problems.is_empty(), "{problems:#?}");
}
