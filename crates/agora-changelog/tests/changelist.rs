//! agora's notes against changelist 0.5's own, byte for byte, on a scripted repository served
//! by the fake GitHub: labels, release-note blocks with labels, co-authors, an ignored bot, a
//! commit whose message names no PR (found through the PR's `merge_commit_sha`), commits that
//! GitHub associates with two PRs (a branch merged by two merge commits), an unlabeled PR with
//! a malformed release-note block, a direct push, and two configurations (the repository's
//! `pyproject.toml` and a `--config` file).
//!
//! The same git history is written into a local repository (agora reads it with gix) and
//! served by the fake (changelist reads it through the API). agora mirrors the fake with
//! `sync_repo(release_notes)` and writes the notes offline; changelist runs from a venv
//! (`AGORA_CHANGELIST_PYTHON`, else `<workspace>/.venv-changelist/bin/python`, which
//! `.ci/run` creates), pointed at the fake by `run_changelist.py`. Without that Python the
//! comparison is skipped with a note; agora's side still runs.
//!
//! One thing is left out on purpose: two notes of one PR in the same section. They share a
//! merge time, and changelist then orders them as Python iterates a set of them, which
//! changes from run to run (string hashing is randomized); agora orders them by text.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

use agora_changelog::{Extras, Format, Request, changelog, render};
use agora_fake_server::scripted::{
    Script, ScriptedCommit, ScriptedGithub, ScriptedPr, ScriptedReview, ScriptedUser,
};
use agora_github::{ClientConfig, GithubClient, SyncOptions, sync_repo};
use agora_store::Store;
use jiff::Timestamp;

const REPO: &str = "foo-group/foolib";
const T0: i64 = 1_700_000_000;

const PYPROJECT: &str = r#"[project]
name = "foolib"

[tool.changelist]
ignored_user_logins = ["web-flow", "dependabot[bot]"]
intro_template = """
Intro with `literal` for {repo_name} {version}!
"""
"#;

const LOCAL_CONFIG: &str = r#"[tool.changelist]
title_template = "Release {version} of {repo_name} {{draft}}"
outro_template = "Thanks to all!"
ignored_user_logins = ["web-flow"]

[tool.changelist.label_section_map]
"type: new feature" = "Features"
"type: enhancement" = "Features"
"(type: )?bug" = "Fixes"
"dependencies" = "Dependencies"
"type: perf" = "Performance"
"#;

struct C {
    mark: u32,
    branch: &'static str,
    from: Option<u32>,
    merge: Option<u32>,
    author: (&'static str, &'static str),
    committer: (&'static str, &'static str),
    message: &'static str,
}

const ALICE: (&str, &str) = ("Alice Liddell", "alice@example.org");
const BOB: (&str, &str) = ("Bob", "bob@example.org");
const CAROL: (&str, &str) = ("Carol C", "carol@uni.edu");
const DAVE: (&str, &str) = ("Dave D", "dave@example.org");
const BOT: (&str, &str) = (
    "dependabot[bot]",
    "49699333+dependabot[bot]@users.noreply.github.com",
);
const WEB: (&str, &str) = ("GitHub", "noreply@github.com");

fn history() -> Vec<C> {
    let c = |mark, branch, from, merge, author, committer, message| C {
        mark,
        branch,
        from,
        merge,
        author,
        committer,
        message,
    };
    vec![
        c(1, "main", None, None, ALICE, ALICE, "Initial commit"),
        c(
            2,
            "main",
            Some(1),
            None,
            ALICE,
            WEB,
            "Add `foo` function (#10)\n\n* add foo\n* test foo",
        ),
        c(
            3,
            "main",
            Some(2),
            None,
            BOB,
            WEB,
            "Fix bar for negative numbers (#11)\n\nCo-authored-by: Carol C <111+carol@users.noreply.github.com>\nCo-authored-by: Dave D <dave@example.org>",
        ),
        c(
            4,
            "main",
            Some(3),
            None,
            BOT,
            WEB,
            "Bump actions/checkout from 3 to 4 (#12)",
        ),
        c(
            5,
            "main",
            Some(4),
            None,
            CAROL,
            WEB,
            "Improve the tutorial's docs",
        ),
        c(
            6,
            "frob",
            Some(5),
            None,
            DAVE,
            DAVE,
            "Start the frobnicator",
        ),
        c(
            7,
            "frob",
            Some(6),
            None,
            DAVE,
            DAVE,
            "Finish the frobnicator",
        ),
        c(
            8,
            "frob-docs",
            Some(7),
            None,
            DAVE,
            DAVE,
            "Document the frobnicator",
        ),
        c(
            9,
            "main",
            Some(5),
            Some(7),
            ALICE,
            WEB,
            "Merge pull request #14 from dave/frob\n\nAdd the frobnicator",
        ),
        c(
            10,
            "main",
            Some(9),
            Some(8),
            ALICE,
            WEB,
            "Merge pull request #15 from dave/frob-docs\n\nDocument the frobnicator",
        ),
        c(11, "main", Some(10), None, ALICE, ALICE, "Release 1.1"),
    ]
}

fn time(mark: u32) -> i64 {
    T0 + i64::from(mark) * 3600
}

fn rfc3339(seconds: i64) -> String {
    Timestamp::from_second(seconds).expect("a time").to_string()
}

/// Writes the history into a bare repository; returns it and the hash of each mark.
fn git_repository(dir: &Path) -> (PathBuf, BTreeMap<u32, String>) {
    let mut stream = String::new();
    for c in history() {
        stream.push_str(&format!(
            "commit refs/heads/{}\nmark :{}\n",
            c.branch, c.mark
        ));
        let t = time(c.mark);
        stream.push_str(&format!(
            "author {} <{}> {t} +0000\n",
            c.author.0, c.author.1
        ));
        stream.push_str(&format!(
            "committer {} <{}> {t} +0000\n",
            c.committer.0, c.committer.1
        ));
        stream.push_str(&format!("data {}\n{}\n", c.message.len(), c.message));
        if let Some(from) = c.from {
            stream.push_str(&format!("from :{from}\n"));
        }
        if let Some(merge) = c.merge {
            stream.push_str(&format!("merge :{merge}\n"));
        }
        if c.mark == 1 {
            stream.push_str(&format!(
                "M 100644 inline pyproject.toml\ndata {}\n{PYPROJECT}\n",
                PYPROJECT.len()
            ));
        }
        stream.push('\n');
    }
    stream.push_str("reset refs/tags/v1.0\nfrom :1\n\nreset refs/tags/v1.1\nfrom :11\n\n");
    let git_dir = dir.join("foolib.git");
    let marks = dir.join("marks");
    assert!(
        Command::new("git")
            .args(["init", "-q", "--bare"])
            .arg(&git_dir)
            .status()
            .expect("git init")
            .success()
    );
    let mut child = Command::new("git")
        .arg("--git-dir")
        .arg(&git_dir)
        .args(["fast-import", "--quiet"])
        .arg(format!("--export-marks={}", marks.display()))
        .stdin(std::process::Stdio::piped())
        .spawn()
        .expect("git fast-import");
    std::io::Write::write_all(child.stdin.as_mut().expect("stdin"), stream.as_bytes())
        .expect("feed");
    drop(child.stdin.take());
    assert!(child.wait().expect("fast-import").success());
    let shas = std::fs::read_to_string(&marks)
        .expect("marks")
        .lines()
        .filter_map(|l| {
            let (mark, sha) = l.split_once(' ')?;
            Some((mark.trim_start_matches(':').parse().ok()?, sha.to_string()))
        })
        .collect();
    (git_dir, shas)
}

fn user(login: &str, id: u64, name: Option<&str>, emails: &[&str]) -> ScriptedUser {
    ScriptedUser {
        login: login.into(),
        id,
        name: name.map(str::to_string),
        emails: emails.iter().map(|e| e.to_string()).collect(),
    }
}

fn review(id: u64, login: &str, state: &str, mark: u32) -> ScriptedReview {
    ScriptedReview {
        id,
        login: login.into(),
        state: state.into(),
        submitted_at: rfc3339(time(mark) - 600),
    }
}

fn script(shas: &BTreeMap<u32, String>) -> Script {
    let sha = |mark: u32| shas[&mark].clone();
    let commits = history()
        .iter()
        .map(|c| ScriptedCommit {
            sha: sha(c.mark),
            parents: c
                .from
                .iter()
                .chain(c.merge.iter())
                .map(|m| sha(*m))
                .collect(),
            message: format!("{}\n", c.message),
            author_name: c.author.0.into(),
            author_email: c.author.1.into(),
            author_date: rfc3339(time(c.mark)),
            committer_name: c.committer.0.into(),
            committer_email: c.committer.1.into(),
            committer_date: rfc3339(time(c.mark)),
        })
        .collect();
    let pr = |number: u64,
              title: &str,
              body: Option<&str>,
              labels: &[&str],
              login: &str,
              merge: u32,
              branch: &[u32],
              reviews: Vec<ScriptedReview>| ScriptedPr {
        number,
        title: title.into(),
        body: body.map(str::to_string),
        labels: labels.iter().map(|l| l.to_string()).collect(),
        user: login.into(),
        created_at: rfc3339(T0 - 86_400 + number as i64),
        merged_at: Some(rfc3339(time(merge))),
        merge_commit_sha: Some(sha(merge)),
        commits: branch.iter().map(|m| sha(*m)).collect(),
        reviews,
    };
    let blocks = "Fixes negative numbers.\r\n\r\n```release-note {label=\"Bug fix\"}\r\nMake `bar()` work for negative numbers.\r\n```\r\n\r\n```release-note\r\nDeprecate `baz`; use `bar` instead. {label=\"API, Highlight\"}\r\n```\r\n";
    let mut refs = BTreeMap::new();
    refs.insert("main".to_string(), sha(11));
    refs.insert("v1.0".to_string(), sha(1));
    refs.insert("v1.1".to_string(), sha(11));
    Script {
        repo: REPO.into(),
        default_branch: "main".into(),
        refs,
        commits,
        prs: vec![
            pr(
                10,
                "Add `foo` function",
                Some("Adds foo.\r\n\r\nCloses #3."),
                &["type: New feature"],
                "alice",
                2,
                &[],
                vec![
                    review(1001, "bob", "APPROVED", 2),
                    review(1002, "dave", "COMMENTED", 2),
                ],
            ),
            pr(
                11,
                "Fix bar for negative numbers",
                Some(blocks),
                &["type: Bug fix"],
                "bob",
                3,
                &[],
                vec![review(1101, "alice", "APPROVED", 3)],
            ),
            pr(
                12,
                "Bump actions/checkout from 3 to 4",
                Some("Bumps [actions/checkout](https://github.com/actions/checkout) from 3 to 4."),
                &["type: Maintenance", "dependencies"],
                "dependabot[bot]",
                4,
                &[],
                vec![review(1201, "alice", "APPROVED", 4)],
            ),
            pr(
                13,
                "Improve the tutorial's docs.",
                None,
                &["type: Documentation"],
                "carol",
                5,
                &[],
                vec![review(1301, "alice", "APPROVED", 5)],
            ),
            pr(
                14,
                "Add the frobnicator",
                Some("```release-note\nAdd the `frobnicator`\nwith a second line.\n```"),
                &["type: Enhancement", "type: Performance"],
                "dave",
                9,
                &[6, 7],
                vec![review(1401, "carol", "APPROVED", 9)],
            ),
            pr(
                15,
                "Document the frobnicator",
                Some("```release-note\nUnclosed note"),
                &[],
                "dave",
                10,
                &[6, 7, 8],
                Vec::new(),
            ),
        ],
        users: vec![
            user("alice", 101, Some("Alice Liddell"), &["alice@example.org"]),
            user("bob", 102, None, &["bob@example.org"]),
            user(
                "carol",
                111,
                Some("Carol C"),
                &["carol@uni.edu", "111+carol@users.noreply.github.com"],
            ),
            user("dave", 104, Some("Dave D"), &["dave@example.org"]),
            user(
                "dependabot[bot]",
                49_699_333,
                None,
                &["49699333+dependabot[bot]@users.noreply.github.com"],
            ),
            user(
                "web-flow",
                19_864_447,
                Some("GitHub Web Flow"),
                &["noreply@github.com"],
            ),
        ],
        pyproject: Some(PYPROJECT.into()),
    }
}

/// The Python that has changelist 0.5, if any.
fn changelist_python() -> Option<PathBuf> {
    let python = std::env::var_os("AGORA_CHANGELIST_PYTHON")
        .map(PathBuf::from)
        .unwrap_or_else(|| agora_corpus::workspace_root().join(".venv-changelist/bin/python"));
    python.exists().then_some(python)
}

/// changelist's notes for the scenario, written with `--out`.
fn run_changelist(python: &Path, api: &str, args: &[&str], dir: &Path, out: &str) -> String {
    let cache = dir.join(format!("cache-{out}"));
    std::fs::create_dir_all(&cache).expect("cache dir");
    let path = dir.join(out);
    let output = Command::new(python)
        .arg(Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/run_changelist.py"))
        .args([REPO, "v1.0", "v1.1", "--version", "1.1"])
        .args(args)
        .arg("--out")
        .arg(&path)
        .env("CHANGELIST_API_URL", api)
        .env("GH_TOKEN", "fake-token")
        .env("TMPDIR", &cache)
        .output()
        .expect("run changelist");
    assert!(
        output.status.success(),
        "changelist failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    std::fs::read_to_string(&path).expect("changelist's notes")
}

fn client(fake: &ScriptedGithub) -> GithubClient {
    GithubClient::new(ClientConfig {
        api_url: fake.api_url(),
        token: Some("fake-token".into()),
        http: agora_http::ClientOptions {
            retries: 0,
            timeout: Duration::from_secs(20),
            ..agora_http::ClientOptions::default()
        },
        ..ClientConfig::new(None)
    })
    .expect("client")
}

fn notes_sync() -> SyncOptions {
    SyncOptions {
        release_notes: true,
        ..SyncOptions::default()
    }
}

fn synced_store(fake: &ScriptedGithub) -> Store {
    let mut store = Store::open_in_memory().expect("store");
    sync_repo(&client(fake), &mut store, REPO, notes_sync(), &mut |_| {}).expect("sync");
    store
}

#[test]
fn agora_writes_changelists_notes_byte_for_byte() {
    let dir = tempfile::tempdir().expect("tmp");
    let (git_dir, shas) = git_repository(dir.path());
    let fake = ScriptedGithub::start(script(&shas));
    let store = synced_store(&fake);
    let before = fake.server().request_count();
    let config_path = dir.path().join("changelist.toml");
    std::fs::write(&config_path, LOCAL_CONFIG).expect("config");
    let mut ours = Vec::new();
    for config in [None, Some(config_path.as_path())] {
        let request = Request {
            repo: REPO,
            start: "v1.0",
            stop: "v1.1",
            version: "1.1",
            git: &git_dir,
            config,
        };
        let notes = changelog(&request, Some(&store)).expect("notes");
        assert!(notes.unknown.is_empty(), "{:?}", notes.unknown);
        for format in [Format::Markdown, Format::Rst] {
            ours.push(render(&notes, format, Extras::default()));
        }
    }
    assert_eq!(
        fake.server().request_count(),
        before,
        "the notes are written offline"
    );
    let Some(python) = changelist_python() else {
        eprintln!(
            "note: no Python with changelist 0.5 (set AGORA_CHANGELIST_PYTHON or run .ci/run to create .venv-changelist); skipping the comparison with changelist"
        );
        insta::assert_snapshot!("foolib_pyproject_md", ours[0]);
        return;
    };
    let api = fake.api_url();
    let config_arg = config_path.display().to_string();
    let theirs = [
        run_changelist(&python, &api, &["--format", "md"], dir.path(), "a.md"),
        run_changelist(&python, &api, &["--format", "rst"], dir.path(), "a.rst"),
        run_changelist(
            &python,
            &api,
            &["--format", "md", "--config", &config_arg],
            dir.path(),
            "b.md",
        ),
        run_changelist(
            &python,
            &api,
            &["--format", "rst", "--config", &config_arg],
            dir.path(),
            "b.rst",
        ),
    ];
    for (i, (ours, theirs)) in ours.iter().zip(&theirs).enumerate() {
        assert_eq!(ours, theirs, "output {i} differs from changelist's");
    }
    insta::assert_snapshot!("foolib_pyproject_md", ours[0]);
}

#[test]
fn check_names_unlabeled_prs_and_malformed_blocks_and_json_is_the_model() {
    let dir = tempfile::tempdir().expect("tmp");
    let (git_dir, shas) = git_repository(dir.path());
    let fake = ScriptedGithub::start(script(&shas));
    let mut store = synced_store(&fake);
    // A second sync of the unchanged repository writes nothing new and is revalidation only.
    let again = sync_repo(&client(&fake), &mut store, REPO, notes_sync(), &mut |_| {})
        .expect("second sync");
    assert_eq!((again.commits, again.users, again.items), (0, 0, 0));
    assert!(again.not_modified >= 4, "{again:?}");
    let request = Request {
        repo: REPO,
        start: "v1.0",
        stop: "v1.1",
        version: "1.1",
        git: &git_dir,
        config: None,
    };
    let notes = changelog(&request, Some(&store)).expect("notes");
    let problems: Vec<(u64, &str)> = notes
        .findings
        .iter()
        .map(|f| (f.number, f.problem.as_str()))
        .collect();
    assert_eq!(problems.len(), 2, "{problems:?}");
    assert!(problems.iter().all(|(n, _)| *n == 15));
    assert!(problems.iter().any(|(_, p)| p.contains("not closed")));
    // #13's commit names no PR: the mirror's merge_commit_sha finds it; the frobnicator's
    // branch commits belong to #14 through the history, as GitHub associates them.
    let link_of = |sha: &str| {
        notes
            .commits
            .iter()
            .find(|c| c.sha == sha)
            .map(|c| (c.prs.clone(), c.link))
    };
    use agora_changelog::notes::Link;
    assert_eq!(
        link_of(&shas[&5]),
        Some((vec![13], Some(Link::MergeCommit)))
    );
    assert_eq!(link_of(&shas[&6]), Some((vec![14], Some(Link::History))));
    assert_eq!(link_of(&shas[&8]), Some((vec![15], Some(Link::History))));
    assert_eq!(link_of(&shas[&11]), Some((vec![], None)));
    let new: Vec<_> = notes
        .new_contributors
        .iter()
        .filter_map(|c| c.login.clone())
        .collect();
    assert_eq!(new, vec!["alice", "bob", "carol", "dave"]);
    let json = serde_json::to_value(&notes).expect("json");
    assert_eq!(json["sections"][0]["title"], "Highlights");
    assert_eq!(json["origin"], "mirror");
    // Nothing about the range is asked of GitHub while writing the notes; the second sync of
    // an unchanged repository is only revalidation.
    let before = fake.server().request_count();
    let _ = changelog(&request, Some(&store)).expect("again");
    assert_eq!(fake.server().request_count(), before);
}
