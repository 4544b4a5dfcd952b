//! networkx 3.4.2..3.5 (the corpus' `changelog/`): from git alone, agora finds the PRs of the
//! notes networkx published (written by changelist 0.5); with a mirror made from those notes
//! (each PR's section becomes its label, its item its title), it writes the same sections
//! with the same items in the same order.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::Command;

use agora_changelog::{Config, Extras, Format, Request, changelog, git, render};
use agora_store::Store;
use agora_store::github::{GhItem, GithubPage, ItemKind, Source};
use jiff::Timestamp;

const REPO: &str = "networkx/networkx";

/// The bare repository imported from the fast-import stream, and the published notes.
fn corpus(dir: &Path) -> Option<(PathBuf, String)> {
    let folder = agora_corpus::folder("changelog")?;
    let stream = std::fs::read(folder.join("networkx-3.4.2..3.5.fi")).expect("the stream");
    let git_dir = dir.join("nx.git");
    let status = Command::new("git")
        .args(["init", "-q", "--bare"])
        .arg(&git_dir)
        .status()
        .expect("git init");
    assert!(status.success());
    let mut child = Command::new("git")
        .arg("--git-dir")
        .arg(&git_dir)
        .args(["fast-import", "--quiet"])
        .stdin(std::process::Stdio::piped())
        .spawn()
        .expect("git fast-import");
    std::io::Write::write_all(child.stdin.as_mut().expect("stdin"), &stream).expect("feed");
    drop(child.stdin.take());
    assert!(child.wait().expect("fast-import").success());
    let notes = std::fs::read_to_string(folder.join("networkx-release_3.5.rst")).expect("notes");
    Some((git_dir, notes))
}

/// The published sections: (title, [(number, text)]) in order, up to Contributors.
fn published_sections(notes: &str) -> Vec<(String, Vec<(u64, String)>)> {
    let lines: Vec<&str> = notes.lines().collect();
    let mut sections: Vec<(String, Vec<(u64, String)>)> = Vec::new();
    for (i, line) in lines.iter().enumerate() {
        let underline = lines.get(i + 1).copied().unwrap_or("");
        if !underline.is_empty() && underline.chars().all(|c| c == '-') {
            if *line == "Contributors" {
                break;
            }
            sections.push((line.to_string(), Vec::new()));
        } else if let (Some(item), Some(section)) = (line.strip_prefix("- "), sections.last_mut()) {
            let open = item.rfind(" (`#").expect("an item ends with its link");
            let number: u64 = item[open + 4..]
                .split(' ')
                .next()
                .and_then(|n| n.parse().ok())
                .expect("a PR number");
            section.1.push((number, item[..open].to_string()));
        }
    }
    sections
}

#[test]
fn git_alone_finds_the_published_prs() {
    let dir = tempfile::tempdir().expect("tmp");
    let Some((git_dir, published)) = corpus(dir.path()) else {
        return;
    };
    let request = Request {
        repo: REPO,
        start: "networkx-3.4.2",
        stop: "networkx-3.5",
        version: "3.5",
        git: &git_dir,
        config: None,
    };
    let notes = changelog(&request, None).expect("notes from git");
    let found: BTreeSet<u64> = notes.pull_requests.iter().map(|p| p.number).collect();
    let expected: BTreeSet<u64> = published_sections(&published)
        .into_iter()
        .flat_map(|(_, items)| items.into_iter().map(|(n, _)| n))
        .collect();
    assert_eq!(expected.len(), 175, "the published notes list 175 PRs");
    let missing: Vec<_> = expected.difference(&found).collect();
    let extra: Vec<_> = found.difference(&expected).collect();
    // The messages also mention #7645 ("Fix for issue #7645: …") and #7724 (an issue named in
    // the title of #7729): neither is a PR the range merged, and neither may be listed.
    assert!(
        missing.is_empty() && extra.is_empty(),
        "missing {missing:?}, extra {extra:?}"
    );
    assert!(!found.contains(&7645) && !found.contains(&7724));
    assert_eq!(notes.commits.len(), 182);
    // The three commits of the one merge (#7797) belong to it through the history.
    let by_history = notes
        .commits
        .iter()
        .filter(|c| c.link == Some(agora_changelog::notes::Link::History))
        .count();
    assert_eq!(by_history, 3);
    // Git alone says what it could not know, in the output too.
    let text = render(&notes, Format::Rst, Extras::default());
    assert!(text.contains("What agora could not know"));
    assert!(notes.reviewers.is_empty());
}

#[test]
fn a_mirror_made_from_the_notes_reproduces_their_sections_and_items() {
    let dir = tempfile::tempdir().expect("tmp");
    let Some((git_dir, published)) = corpus(dir.path()) else {
        return;
    };
    let sections = published_sections(&published);
    let range = git::read_range(&git_dir, "networkx-3.4.2", "networkx-3.5").expect("range");
    // Each PR's labels (a PR listed in two sections has both), merge commit and merge time
    // (the commit that names it).
    let mut prs: std::collections::BTreeMap<u64, (String, Vec<String>)> = Default::default();
    for (section, items) in &sections {
        for (number, text) in items {
            let entry = prs
                .entry(*number)
                .or_insert_with(|| (text.replace("``", "`"), Vec::new()));
            entry.1.push(section.clone());
        }
    }
    let mut page = GithubPage::new(Source::Rest, Timestamp::now());
    for (number, (title, labels)) in prs {
        let commit = range
            .commits
            .iter()
            .find(|c| agora_changelog::refs::pr_of_message(&c.message) == Some(number))
            .unwrap_or_else(|| panic!("a commit names #{number}"));
        let mut pr = GhItem::new(number, ItemKind::Pr);
        pr.title = Some(title);
        pr.labels = Some(labels);
        pr.merged = Some(true);
        pr.merged_at = Some(commit.committed_at);
        pr.merge_commit_sha = Some(commit.sha.clone());
        pr.html_url = Some(format!("https://github.com/{REPO}/pull/{number}"));
        page.items.push(pr);
    }
    let mut store = Store::open_in_memory().expect("store");
    store.save_github_page(REPO, &page).expect("save");
    let request = Request {
        repo: REPO,
        start: "networkx-3.4.2",
        stop: "networkx-3.5",
        version: "3.5",
        git: &git_dir,
        config: None,
    };
    let notes = changelog(&request, Some(&store)).expect("notes");
    let text = render(&notes, Format::Rst, Extras::default());
    let ours = published_sections(&text);
    assert_eq!(ours.len(), sections.len());
    for ((title, items), (our_title, our_items)) in sections.iter().zip(&ours) {
        assert_eq!(title, our_title);
        assert_eq!(items, our_items, "section {title}");
    }
    // The title and intro are changelist's defaults, byte for byte.
    let head = published.split("API Changes").next().unwrap_or("");
    assert!(text.starts_with(head), "{}", &text[..200.min(text.len())]);
    let _ = Config::default();
}
