//! `agora repos` as a person runs it: clone five repositories from local bare remotes, apply a
//! change, open the PRs on the fake GitHub; a `pr` process killed mid-campaign and run again
//! opens what is missing and nothing twice; grep's output and exit codes.

mod support;

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use agora_fake_server::pulls::{FakePulls, FakeRepo};
use support::{agora, stderr, stdout};

const BRANCH: &str = "agora/readme";

fn git(dir: &Path, args: &[&str]) -> String {
    let output = Command::new("git")
        .arg("-C")
        .arg(dir)
        .args(["-c", "user.name=Test", "-c", "user.email=test@example.org"])
        .args(args)
        .output()
        .expect("git runs");
    assert!(
        output.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8_lossy(&output.stdout).into_owned()
}

/// Five bare remotes `remotes/org/pkgN.git` (pkg2's default branch is `develop`), a list file
/// naming them, and the fake GitHub knowing them.
fn remotes(base: &Path) -> (PathBuf, FakePulls) {
    let mut list = String::from("# five test repositories\n");
    let mut fake_repos = Vec::new();
    for index in 0..5 {
        let name = format!("pkg{index}");
        let branch = if index == 2 { "develop" } else { "main" };
        let work = base.join("work").join(&name);
        std::fs::create_dir_all(&work).expect("mkdir");
        git(
            &work,
            &["init", "--quiet", &format!("--initial-branch={branch}")],
        );
        std::fs::write(
            work.join("README.md"),
            format!("# {name}\n\nSee the docs.\n"),
        )
        .expect("write");
        std::fs::write(work.join("data.bin"), b"\0\x01See the docs\n").expect("write");
        git(&work, &["add", "."]);
        git(&work, &["commit", "--quiet", "-m", "Initial commit"]);
        let bare = base.join("remotes/org").join(format!("{name}.git"));
        git(
            base,
            &[
                "clone",
                "--quiet",
                "--bare",
                &work.display().to_string(),
                &bare.display().to_string(),
            ],
        );
        list.push_str(&format!("org/{name} file://{}\n", bare.display()));
        fake_repos.push(FakeRepo {
            full_name: format!("org/{name}"),
            default_branch: branch.into(),
            clone_url: format!("file://{}", bare.display()),
            parent: None,
        });
    }
    let file = base.join("repos.txt");
    std::fs::write(&file, list).expect("write");
    let template = format!("file://{}/forks/{{owner}}/{{name}}.git", base.display());
    (file, FakePulls::start(fake_repos, "octocat", &template))
}

fn repos_cmd(dir: &Path, list: &Path, args: &[&str]) -> assert_cmd::Command {
    let mut command = agora(dir, "http://127.0.0.1:9/simple");
    command
        .arg("repos")
        .args(args)
        .arg("--repos-file")
        .arg(list)
        .arg("--root")
        .arg(dir.join("clones"))
        .env("GITHUB_TOKEN", "test-token")
        .env_remove("GH_TOKEN");
    command
}

fn clone_and_apply(dir: &Path, list: &Path) {
    let output = repos_cmd(dir, list, &["clone"]).output().expect("runs");
    assert!(output.status.success(), "{}", stderr(&output));
    assert_eq!(
        stdout(&output).matches("cloned").count(),
        5,
        "{}",
        stdout(&output)
    );
    // The one change of the campaign: the same sed on every README.
    let apply = || {
        let mut command = repos_cmd(
            dir,
            list,
            &["apply", "--sed", "s/See the docs/Read the docs/"],
        );
        command.args(["--files", "*.md", "--branch", BRANCH]);
        command
    };
    // A dry run shows the diff and leaves nothing behind.
    let output = apply()
        .args(["--message", "Say read", "--dry-run"])
        .output()
        .expect("runs");
    assert!(output.status.success(), "{}", stderr(&output));
    assert!(
        stdout(&output).contains("+Read the docs."),
        "{}",
        stdout(&output)
    );
    let output = apply()
        .args(["--message", "Say read\n\nWords matter."])
        .output()
        .expect("runs");
    assert!(output.status.success(), "{}", stderr(&output));
    assert_eq!(
        stdout(&output).matches("committed").count(),
        5,
        "{}",
        stdout(&output)
    );
}

/// Runs `agora repos pr` and kills it once `fake` holds `pulls` PRs.
fn kill_pr_after(dir: &Path, list: &Path, fake: &FakePulls, pulls: usize) {
    let mut command = Command::new(assert_cmd::cargo::cargo_bin("agora"));
    command
        .current_dir(dir)
        .env("XDG_CACHE_HOME", support::user_cache(dir))
        .env_remove("AGORA_DB")
        .env_remove("AGORA_CONFIG")
        .env("CI", "true")
        .env("GITHUB_TOKEN", "test-token")
        .args(["repos", "pr", "--branch", BRANCH, "--api-url", &fake.url()])
        .arg("--repos-file")
        .arg(list)
        .arg("--root")
        .arg(dir.join("clones"))
        .stdout(Stdio::null())
        .stderr(Stdio::null());
    let mut child = command.spawn().expect("spawns");
    let deadline = Instant::now() + Duration::from_secs(60);
    while fake.pulls().len() < pulls {
        assert!(Instant::now() < deadline, "no {pulls} PRs within a minute");
        if let Ok(Some(status)) = child.try_wait() {
            panic!("agora repos pr ended ({status}) before {pulls} PRs");
        }
        std::thread::sleep(Duration::from_millis(5));
    }
    child.kill().expect("kill");
    let _ = child.wait();
}

fn check_five(fake: &FakePulls) {
    let pulls = fake.pulls();
    assert_eq!(pulls.len(), 5, "{pulls:#?}");
    for index in 0..5 {
        let pull = pulls
            .iter()
            .find(|p| p.repo == format!("org/pkg{index}"))
            .unwrap_or_else(|| panic!("a PR on pkg{index}"));
        assert_eq!(pull.head, format!("org:{BRANCH}"));
        assert_eq!(pull.base, if index == 2 { "develop" } else { "main" });
        assert_eq!(pull.title, "Say read");
        assert_eq!(pull.body, "Words matter.");
    }
}

#[test]
fn a_killed_campaign_rerun_opens_the_rest_and_nothing_twice() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (list, fake) = remotes(dir.path());
    clone_and_apply(dir.path(), &list);

    kill_pr_after(dir.path(), &list, &fake, 3);
    assert_eq!(fake.pulls().len(), 3, "killed after the third PR");

    let output = repos_cmd(
        dir.path(),
        &list,
        &["pr", "--branch", BRANCH, "--api-url", &fake.url()],
    )
    .output()
    .expect("runs");
    assert!(output.status.success(), "{}", stderr(&output));
    let text = stdout(&output);
    assert_eq!(text.matches(": opened #").count(), 2, "{text}");
    assert_eq!(text.matches(": exists #").count(), 3, "{text}");
    check_five(&fake);
    let creations = fake
        .writes()
        .iter()
        .filter(|w| w.method == "POST" && w.path.ends_with("/pulls"))
        .count();
    assert_eq!(creations, 5, "one creation request per PR");
    for pair in fake.writes().windows(2) {
        assert!(pair[1].at.duration_since(pair[0].at) >= Duration::from_secs(1));
    }

    // status reads each PR back; the bare remotes hold the branch.
    let output = agora(dir.path(), "http://127.0.0.1:9/simple")
        .args(["repos", "status", "--branch", BRANCH])
        .args(["--api-url", &fake.url(), "--format", "json"])
        .output()
        .expect("runs");
    assert!(output.status.success(), "{}", stderr(&output));
    let rows: serde_json::Value = serde_json::from_slice(&output.stdout).expect("json");
    let states: Vec<&str> = rows
        .as_array()
        .expect("rows")
        .iter()
        .filter_map(|r| r["state"].as_str())
        .collect();
    assert_eq!(states, ["open"; 5]);
    let pushed = git(
        &dir.path().join("remotes/org/pkg4.git"),
        &["log", "--format=%s", BRANCH],
    );
    assert_eq!(pushed.lines().next(), Some("Say read"));
}

#[test]
fn a_pr_created_but_never_answered_is_found_not_opened_again() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (list, fake) = remotes(dir.path());
    clone_and_apply(dir.path(), &list);

    // The fourth PR is made on GitHub, but its answer never reaches the killed process.
    fake.hang_pull_creation_after(Some(3));
    kill_pr_after(dir.path(), &list, &fake, 4);
    fake.hang_pull_creation_after(None);

    let output = repos_cmd(
        dir.path(),
        &list,
        &["pr", "--branch", BRANCH, "--api-url", &fake.url()],
    )
    .output()
    .expect("runs");
    assert!(output.status.success(), "{}", stderr(&output));
    let text = stdout(&output);
    assert_eq!(text.matches(": opened #").count(), 1, "{text}");
    assert_eq!(text.matches(": exists #").count(), 4, "{text}");
    check_five(&fake);
}

#[test]
fn grep_and_find_files_as_git_grep() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (list, _fake) = remotes(dir.path());
    let output = repos_cmd(dir.path(), &list, &["clone", "--depth", "1"])
        .output()
        .expect("runs");
    assert!(output.status.success(), "{}", stderr(&output));
    let root = dir.path().join("clones");
    let grep = |args: &[&str]| {
        let mut command = agora(dir.path(), "http://127.0.0.1:9/simple");
        command
            .args(["repos", "grep"])
            .args(args)
            .arg("--root")
            .arg(&root);
        command.output().expect("runs")
    };
    let output = grep(&["See the (docs)"]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let text = stdout(&output);
    assert_eq!(text.lines().count(), 10, "{text}");
    assert!(
        text.contains("org/pkg0:README.md:3:See the docs.\n"),
        "{text}"
    );
    assert!(
        text.contains("org/pkg3:Binary file data.bin matches\n"),
        "{text}"
    );
    // Each repository's lines are the same as `git grep -n` in its clone.
    let ours: Vec<&str> = text
        .lines()
        .filter(|l| l.starts_with("org/pkg1:"))
        .map(|l| l.trim_start_matches("org/pkg1:"))
        .collect();
    let theirs = git(
        &root.join("org/pkg1"),
        &["grep", "-n", "-E", "See the (docs)"],
    );
    assert_eq!(ours, theirs.lines().collect::<Vec<_>>());

    assert_eq!(grep(&["no such text anywhere"]).status.code(), Some(1));
    let bad = grep(&["(unclosed"]);
    assert_eq!(bad.status.code(), Some(2));
    assert!(stderr(&bad).contains("unclosed"), "{}", stderr(&bad));

    let output = grep(&["-l", "-i", "see THE"]);
    assert_eq!(stdout(&output).lines().count(), 10);
    let json = grep(&["docs", "--format", "json"]);
    let report: serde_json::Value = serde_json::from_slice(&json.stdout).expect("json");
    assert_eq!(report["repos"], 5);
    assert_eq!(report["matches"].as_array().map(Vec::len), Some(10));

    let mut command = agora(dir.path(), "http://127.0.0.1:9/simple");
    let output = command
        .args(["repos", "find-files", r"\.md$", "--root"])
        .arg(&root)
        .output()
        .expect("runs");
    assert_eq!(output.status.code(), Some(0));
    assert_eq!(
        stdout(&output),
        "org/pkg0:README.md\norg/pkg1:README.md\norg/pkg2:README.md\norg/pkg3:README.md\norg/pkg4:README.md\n"
    );

    // update: a new commit on a remote moves its clone.
    let work = dir.path().join("work/pkg0");
    std::fs::write(work.join("NEW.md"), "new\n").expect("write");
    git(&work, &["add", "."]);
    git(&work, &["commit", "--quiet", "-m", "New"]);
    git(
        &work,
        &[
            "push",
            "--quiet",
            &dir.path()
                .join("remotes/org/pkg0.git")
                .display()
                .to_string(),
            "main",
        ],
    );
    let output = repos_cmd(dir.path(), &list, &["update"])
        .output()
        .expect("runs");
    assert!(output.status.success(), "{}", stderr(&output));
    let text = stdout(&output);
    assert_eq!(text.matches("up to date").count(), 4, "{text}");
    assert!(
        text.lines()
            .any(|l| l.starts_with("org/pkg0") && l.contains("updated")),
        "{text}"
    );
    assert!(root.join("org/pkg0/NEW.md").is_file());
}

#[test]
fn spec0_floor_bump_is_schedule_check_fix_in_every_repository() {
    let dir = tempfile::tempdir().expect("tempdir");
    let project = "# keep me\n[project]\nname = \"demo\"\nrequires-python = \">=3.10\"  # floor\ndependencies = [\"numpy>=1.26\"]\n";
    let mut list = String::new();
    for (name, text) in [
        ("old", project.to_string()),
        ("new", project.replace(">=3.10", ">=3.13")),
    ] {
        let work = dir.path().join("work").join(name);
        std::fs::create_dir_all(&work).expect("mkdir");
        git(&work, &["init", "--quiet", "--initial-branch=main"]);
        std::fs::write(work.join("pyproject.toml"), text).expect("write");
        git(&work, &["add", "."]);
        git(&work, &["commit", "--quiet", "-m", "Initial commit"]);
        list.push_str(&format!("org/{name} {}\n", work.display()));
    }
    let file = dir.path().join("repos.txt");
    std::fs::write(&file, list).expect("write");
    let run = |args: &[&str]| {
        let mut command = agora(dir.path(), "http://127.0.0.1:9/simple");
        command
            .arg("--offline")
            .args(args)
            .arg("--repos-file")
            .arg(&file)
            .arg("--root")
            .arg(dir.path().join("clones"));
        command.output().expect("runs")
    };
    assert!(run(&["repos", "clone"]).status.success());
    let output = run(&[
        "repos",
        "apply",
        "--spec0",
        "--date",
        "2026-05-01",
        "--branch",
        "spec0",
    ]);
    assert!(output.status.success(), "{}", stderr(&output));
    let text = stdout(&output);
    assert!(text.contains("org/old: committed"), "{text}");
    assert!(
        text.contains("pyproject.toml:4: >=3.10 -> >=3.12"),
        "{text}"
    );
    assert!(text.contains("org/new: no diff, skipped"), "{text}");

    // The reference: `agora schedule check --fix` on the same file.
    let reference = dir.path().join("reference");
    std::fs::create_dir_all(&reference).expect("mkdir");
    std::fs::write(reference.join("pyproject.toml"), project).expect("write");
    agora(&reference, "http://127.0.0.1:9/simple")
        .args([
            "--offline",
            "schedule",
            "check",
            "--fix",
            "--date",
            "2026-05-01",
        ])
        .output()
        .expect("runs");
    let fixed = std::fs::read_to_string(reference.join("pyproject.toml")).expect("read");
    assert_ne!(fixed, project);
    let committed = git(
        &dir.path().join("clones/org/old"),
        &["show", "spec0:pyproject.toml"],
    );
    assert_eq!(committed, fixed);
    let message = git(
        &dir.path().join("clones/org/old"),
        &["log", "-1", "--format=%s", "spec0"],
    );
    assert_eq!(message.trim(), "Raise dependency floors to SPEC 0");
}
