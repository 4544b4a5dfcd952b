//! The sample content folder (`tests/fixtures/content`) is read whole; a copy with one broken
//! file of each kind (`tests/fixtures/broken`) refuses exactly those six, each with its
//! file and line, and keeps everything else.

use std::path::{Path, PathBuf};

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

fn copy_tree(from: &Path, to: &Path) {
    for entry in std::fs::read_dir(from).expect("read_dir").flatten() {
        let target = to.join(entry.file_name());
        if entry.path().is_dir() {
            std::fs::create_dir_all(&target).expect("mkdir");
            copy_tree(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).expect("copy");
        }
    }
}

#[test]
fn the_sample_folder_is_read_whole() {
    let content = agora_content::load(&fixtures().join("content"));
    assert!(content.problems.is_empty(), "{:#?}", content.problems);
    assert_eq!(content.plan.len(), 2);
    assert_eq!(content.videos.len(), 3);
    assert_eq!(content.grants.len(), 3);
    assert_eq!(content.proposals.len(), 2);
    assert_eq!(content.events.len(), 2);
    assert_eq!(content.news.len(), 1);
    assert_eq!(content.files, content.items());

    // The plan in its order, each section's revisions oldest first, both table forms read.
    let titles: Vec<&str> = content.plan.iter().map(|s| s.slug.as_str()).collect();
    assert_eq!(titles, ["01-shared-infrastructure", "02-newcomers"]);
    assert_eq!(content.plan[0].status, "adopted");
    assert_eq!(content.plan[1].revisions.len(), 2);
    assert_eq!(
        content.plan[1].revisions[1].date,
        jiff::civil::date(2026, 6, 30)
    );
    // Videos newest first, durations in seconds.
    assert_eq!(content.videos[0].slug, "free-threaded-wheels");
    assert_eq!(content.videos[0].duration_seconds, 3765);
    assert_eq!(content.videos[0].speakers.len(), 2);
    // Grants by deadline.
    assert_eq!(content.grants[0].slug, "sovereign-tech");
    // A one-day event ends the day it starts; the default labels apply without `labels`.
    let summit = &content.events[1];
    assert_eq!(summit.slug, "summit-2027");
    assert_eq!(
        summit.labels,
        ["good first issue", "sprint", "documentation"]
    );
    let proposal = &content.proposals[1];
    assert_eq!(proposal.status, "funded");
    assert_eq!(proposal.decision, Some(jiff::civil::date(2025, 12, 10)));
}

#[test]
fn a_broken_file_of_each_kind_is_refused_with_its_line_and_the_rest_is_kept() {
    let dir = tempfile::tempdir().expect("tempdir");
    let content_dir = dir.path().join("content");
    std::fs::create_dir_all(&content_dir).expect("mkdir");
    copy_tree(&fixtures().join("content"), &content_dir);
    copy_tree(&fixtures().join("broken"), &content_dir);
    let good = agora_content::load(&fixtures().join("content"));
    let content = agora_content::load(&content_dir);

    let places: Vec<String> = content
        .problems
        .iter()
        .map(|p| format!("{}:{}", p.file, p.line))
        .collect();
    assert_eq!(
        places,
        [
            "content/events/end-before-start.md:5",
            "content/grants/bad-deadline.md:5",
            "content/news/no-date.md:1",
            "content/plan/bad-revision.md:7",
            "content/proposals/no-funder.md:1",
            "content/videos/bad-duration.md:7",
        ],
        "{:#?}",
        content.problems
    );
    let said = |file: &str| {
        content
            .problems
            .iter()
            .find(|p| p.file.ends_with(file))
            .map(|p| p.message.clone())
            .unwrap_or_default()
    };
    assert!(said("no-date.md").contains("missing field `date`"));
    assert!(said("no-funder.md").contains("missing field `funder`"));
    assert!(said("bad-revision.md").contains("not a date"));
    assert!(said("bad-deadline.md").contains("\"end of March\""));
    assert!(said("bad-duration.md").contains("h:mm:ss"));
    assert!(said("end-before-start.md").contains("before `start`"));
    assert_eq!(content.refused(), 6);

    // Everything else is exactly what the sample folder gives.
    assert_eq!(content.files, good.files + 6);
    assert_eq!(
        content.items(),
        good.items(),
        "the refused items are left out"
    );
    assert_eq!(content.plan, good.plan);
    assert_eq!(content.videos, good.videos);
    assert_eq!(content.grants, good.grants);
    assert_eq!(content.proposals, good.proposals);
    assert_eq!(content.events, good.events);
    assert_eq!(content.news, good.news);
}

#[test]
fn more_mistakes_are_named() {
    let dir = tempfile::tempdir().expect("tempdir");
    let root = dir.path().join("content");
    let write = |rel: &str, text: &str| {
        let path = root.join(rel);
        std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
        std::fs::write(path, text).expect("write");
    };
    write("news/no-fence.md", "title = \"x\"\n");
    write("news/unclosed.md", "+++\ntitle = \"x\"\n");
    write("news/bad-toml.md", "+++\ntitle = \"x\"\nauthors = [\n+++\n");
    write(
        "news/typo.md",
        "+++\ntitle = \"x\"\ndate = 2026-01-01\nauthors = [\"a\"]\nauthor = \"b\"\n+++\n",
    );
    write("news/Upper.md", "+++\n+++\n");
    write(
        "events/nowhere.md",
        "+++\ntitle = \"x\"\nkind = \"party\"\nstart = 2026-01-01\nprojects = []\n+++\n",
    );
    write(
        "videos/bad-link.md",
        "+++\ntitle = \"x\"\nspeakers = \"a\"\nevent = \"e\"\ndate = 2026-01-01\nlink = \"youtube\"\nduration = \"1:00\"\n+++\n",
    );
    write("sermons/x.md", "+++\n+++\n");
    std::fs::write(root.join("news/binary.md"), [0xff, 0xfe, 0x00]).expect("write");
    let content = agora_content::load(&root);
    let found: Vec<String> = content.problems.iter().map(ToString::to_string).collect();
    let has = |needle: &str| found.iter().any(|p| p.contains(needle));
    assert!(
        has("content/news/no-fence.md:1: the file must open"),
        "{found:#?}"
    );
    assert!(
        has("content/news/unclosed.md:1: the front matter"),
        "{found:#?}"
    );
    assert!(
        has("content/news/bad-toml.md:4: invalid TOML"),
        "{found:#?}"
    );
    assert!(
        has("content/news/typo.md:5: unknown field `author`"),
        "{found:#?}"
    );
    assert!(has("content/news/Upper.md:1: the file name"), "{found:#?}");
    assert!(
        has("content/news/binary.md:1: not valid UTF-8"),
        "{found:#?}"
    );
    assert!(
        has("content/events/nowhere.md:3: `kind` is \"party\""),
        "{found:#?}"
    );
    assert!(
        has("content/events/nowhere.md:5: `projects` is empty"),
        "{found:#?}"
    );
    assert!(
        has("content/events/nowhere.md:1: missing field `place` or `link`"),
        "{found:#?}"
    );
    assert!(
        has("content/videos/bad-link.md:6: `link` must be an http(s)"),
        "{found:#?}"
    );
    assert!(has("content/sermons/:1: unknown collection"), "{found:#?}");
    assert_eq!(content.items(), 0);
}
