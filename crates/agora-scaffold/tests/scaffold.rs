//! The generated project and documents: pinned by snapshots, and reviewed by agora-review.

use agora_review::{Options, Outcome, review};
use agora_scaffold::{Backend, Document, File, Project, document, project_tree, write_tree};

/// The project the snapshots pin (fixed values: no date, no environment).
fn demo(backend: Backend) -> Project {
    Project {
        name: "demo".into(),
        module: "demo".into(),
        description: "A demonstration of the community's practices.".into(),
        author: "The demo developers".into(),
        email: Some("demo-maintainers@example.org".into()),
        repository: "demo-org/demo".into(),
        docs_url: "https://demo.readthedocs.io".into(),
        backend,
        python_versions: vec!["3.12".into(), "3.13".into(), "3.14".into()],
        year: 2026,
        agora_version: "0.1.0".into(),
    }
}

/// The whole tree as one text: each file's path, then its contents.
fn listing(files: &[File]) -> String {
    let mut out = String::new();
    for file in files {
        out.push_str(&format!("===== {} =====\n{}", file.path, file.contents));
        if !file.contents.ends_with('\n') && !file.contents.is_empty() {
            out.push('\n');
        }
    }
    out
}

fn failures(root: &std::path::Path, options: &Options) -> Vec<String> {
    review(root, options)
        .checks
        .iter()
        .filter_map(|c| match &c.outcome {
            Outcome::Fail(message) => Some(format!("{}: {message}", c.code)),
            _ => None,
        })
        .collect()
}

#[test]
fn hatchling_tree() {
    let files = project_tree(&demo(Backend::Hatchling)).expect("rendered");
    insta::assert_snapshot!(listing(&files));
}

#[test]
fn meson_python_tree() {
    let files = project_tree(&demo(Backend::MesonPython)).expect("rendered");
    insta::assert_snapshot!(listing(&files));
}

/// A new project passes every review check (AG100 needs release data and is skipped), with
/// either backend; with meson-python, AG107 (cibuildwheel with free-threaded wheels) runs.
#[test]
fn new_project_passes_review() {
    for backend in [Backend::Hatchling, Backend::MesonPython] {
        let dir = tempfile::tempdir().expect("temp dir");
        let files = project_tree(&demo(backend)).expect("rendered");
        write_tree(dir.path(), &files).expect("written");
        let report = review(dir.path(), &Options::default());
        let failed = failures(dir.path(), &Options::default());
        assert!(failed.is_empty(), "{backend:?}: {failed:#?}");
        let ag107 = report.get("AG107").expect("AG107 reported");
        match backend {
            Backend::MesonPython => assert_eq!(ag107.outcome, Outcome::Pass),
            Backend::Hatchling => assert!(matches!(ag107.outcome, Outcome::Skip(_))),
        }
        // Enough checks ran for "no failure" to mean something.
        let passed = report
            .checks
            .iter()
            .filter(|c| c.outcome == Outcome::Pass)
            .count();
        assert!(passed >= 70, "{backend:?}: only {passed} checks passed");
    }
}

/// Each document alone makes its AG check pass, where the empty folder fails it.
#[test]
fn each_document_passes_its_check() {
    let project = demo(Backend::Hatchling);
    for doc in Document::ALL {
        let file = document(doc, &project).expect("rendered");
        insta::assert_snapshot!(format!("document_{}", doc.keyword()), file.contents);
        let Some(code) = doc.review_check() else {
            continue;
        };
        let options = Options {
            select: vec![code.to_string()],
            ..Options::default()
        };
        let dir = tempfile::tempdir().expect("temp dir");
        // A pyproject.toml so that the review has a project to look at.
        std::fs::write(
            dir.path().join("pyproject.toml"),
            "[project]\nname = \"demo\"\n",
        )
        .expect("write");
        let before = review(dir.path(), &options);
        assert!(
            matches!(before.get(code).map(|c| &c.outcome), Some(Outcome::Fail(_))),
            "{code} passes without {}",
            doc.file_name()
        );
        write_tree(dir.path(), std::slice::from_ref(&file)).expect("written");
        let after = review(dir.path(), &options);
        assert_eq!(
            after.get(code).map(|c| &c.outcome),
            Some(&Outcome::Pass),
            "{code} with {}",
            doc.file_name()
        );
    }
}

/// Without a contact address, the documents point to private channels that exist.
#[test]
fn documents_without_email() {
    let project = Project {
        email: None,
        ..demo(Backend::Hatchling)
    };
    let security = document(Document::Security, &project).expect("rendered");
    assert!(
        security
            .contents
            .contains("https://github.com/demo-org/demo/security/advisories/new")
    );
    assert!(!security.contents.contains("by email"));
    let conduct = document(Document::Conduct, &project).expect("rendered");
    assert!(conduct.contents.contains("steering council listed in"));
    let citation = document(Document::Citation, &project).expect("rendered");
    assert!(!citation.contents.contains("email"));
}

/// The project's documents are the ones `agora new <document>` writes: one source.
#[test]
fn project_documents_are_the_documents() {
    let project = demo(Backend::MesonPython);
    let tree = project_tree(&project).expect("rendered");
    for doc in Document::ALL {
        let alone = document(doc, &project).expect("rendered");
        assert!(tree.contains(&alone), "{}", doc.file_name());
    }
}
