//! A campaign end to end on local bare repositories (the remotes) and the fake GitHub: clone,
//! apply, open the PRs, follow and close them.

mod support;

use std::path::{Path, PathBuf};
use std::time::Duration;

use agora_fake_server::pulls::{FakePulls, FakeRepo};
use agora_github::{ClientConfig, GithubClient};
use agora_http::ClientOptions;
use agora_repos::apply::{Applied, Change, SedExpr, globs};
use agora_repos::campaign::{self, CampaignRepo, PrOptions, PrOutcome};
use agora_repos::clone::{CloneAction, CloneOptions, sync_all};
use agora_repos::grep::{GrepOptions, grep};
use agora_repos::targets::RepoTarget;
use agora_store::Store;
use support::git;

const BRANCH: &str = "agora/bump-floor";

/// A bare repository `remotes/OWNER/NAME.git` whose `main` has a pyproject.toml requiring
/// `numpy>=1.{minor}` (minor 26 is already at the floor: no diff there).
fn bare_repo(base: &Path, owner: &str, name: &str, minor: u32) -> PathBuf {
    let work = base.join("work").join(owner).join(name);
    std::fs::create_dir_all(&work).expect("mkdir");
    git(&work, &["init", "--quiet", "--initial-branch=main"]);
    std::fs::write(
        work.join("pyproject.toml"),
        format!("[project]\nname = \"{name}\"\ndependencies = [\"numpy>=1.{minor}\"]\n"),
    )
    .expect("write");
    std::fs::write(work.join("README.md"), format!("# {name}\n")).expect("write");
    git(&work, &["add", "."]);
    git(&work, &["commit", "--quiet", "-m", "Initial commit"]);
    let bare = base.join("remotes").join(owner).join(format!("{name}.git"));
    std::fs::create_dir_all(bare.parent().expect("parent")).expect("mkdir");
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
    bare
}

struct Setup {
    _dir: tempfile::TempDir,
    root: PathBuf,
    targets: Vec<RepoTarget>,
    bares: Vec<PathBuf>,
    fake: FakePulls,
}

fn setup(minors: &[u32]) -> Setup {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut targets = Vec::new();
    let mut bares = Vec::new();
    let mut fake_repos = Vec::new();
    for (index, minor) in minors.iter().enumerate() {
        let name = format!("pkg{index}");
        let bare = bare_repo(dir.path(), "org", &name, *minor);
        let url = format!("file://{}", bare.display());
        fake_repos.push(FakeRepo {
            full_name: format!("org/{name}"),
            default_branch: "main".into(),
            clone_url: url.clone(),
            parent: None,
        });
        targets.push(RepoTarget {
            name: format!("org/{name}"),
            url,
        });
        bares.push(bare);
    }
    let forks = dir.path().join("forks");
    let template = format!("file://{}/{{owner}}/{{name}}.git", forks.display());
    let fake = FakePulls::start(fake_repos, "octocat", &template);
    Setup {
        root: dir.path().join("clones"),
        _dir: dir,
        targets,
        bares,
        fake,
    }
}

fn client(fake: &FakePulls) -> GithubClient {
    GithubClient::new(ClientConfig {
        api_url: fake.url(),
        token: Some("test-token".into()),
        no_wait: false,
        max_wait: Duration::from_secs(60),
        http: ClientOptions {
            retries: 2,
            backoff: Duration::from_millis(50),
            ..ClientOptions::default()
        },
    })
    .expect("client")
}

fn clone_and_apply(setup: &Setup, store: &mut Store) -> Vec<Applied> {
    let options = CloneOptions {
        depth: None,
        jobs: 3,
        update_only: false,
    };
    let outcomes = sync_all(&setup.targets, &setup.root, options, |_| {});
    for outcome in &outcomes {
        assert_eq!(outcome.result, Ok(CloneAction::Cloned), "{}", outcome.repo);
        assert!(outcome.head.is_some());
    }
    let change = Change::Sed {
        expr: SedExpr::parse(r#"s/numpy>=1\.2[0-5]"/numpy>=1.26"/"#).expect("expr"),
        files: globs("pyproject.toml").expect("glob"),
    };
    campaign::start_campaign(store, BRANCH, "Raise the numpy floor\n\nTo SPEC 0.").expect("start");
    let list: Vec<(String, PathBuf, Option<String>)> = setup
        .targets
        .iter()
        .map(|t| (t.name.clone(), t.dir(&setup.root), None))
        .collect();
    let mut results = vec![None; list.len()];
    agora_repos::apply::apply_all(
        &list,
        BRANCH,
        &change,
        "Raise the numpy floor\n\nTo SPEC 0.",
        false,
        2,
        |index, result| {
            campaign::record_applied(store, BRANCH, &list[index].0, &result).expect("record");
            results[index] = Some(result.expect("applied"));
        },
    );
    results
        .into_iter()
        .map(|r| r.expect("every repo"))
        .collect()
}

fn repos(setup: &Setup) -> Vec<CampaignRepo> {
    setup
        .targets
        .iter()
        .map(|t| CampaignRepo {
            repo: t.name.clone(),
            dir: t.dir(&setup.root),
        })
        .collect()
}

#[test]
fn five_prs_spaced_a_second_apart_through_a_secondary_rate_limit() {
    let setup = setup(&[20, 21, 22, 23, 24, 26]);
    let mut store = Store::open_in_memory().expect("store");
    let applied = clone_and_apply(&setup, &mut store);
    assert!(
        matches!(applied[5], Applied::Unchanged { .. }),
        "{:?}",
        applied[5]
    );
    assert!(
        applied[..5]
            .iter()
            .all(|a| matches!(a, Applied::Committed { .. }))
    );

    // The first content-creating request meets GitHub's secondary rate limit.
    setup.fake.secondary_limit(1, 1);
    let client = client(&setup.fake);
    let options = PrOptions {
        branch: BRANCH.into(),
        ..PrOptions::default()
    };
    let outcomes = campaign::open_pulls(&mut store, &client, &repos(&setup), &options, &mut |_| {})
        .expect("campaign");
    let opened = outcomes
        .iter()
        .filter(|(_, o)| matches!(o, PrOutcome::Opened { .. }))
        .count();
    assert_eq!(opened, 5, "{outcomes:?}");
    assert!(matches!(outcomes[5].1, PrOutcome::Skipped { .. }));

    let pulls = setup.fake.pulls();
    assert_eq!(pulls.len(), 5);
    for (index, pull) in pulls.iter().enumerate() {
        assert_eq!(pull.repo, format!("org/pkg{index}"));
        assert_eq!(pull.head, format!("org:{BRANCH}"));
        assert_eq!(pull.base, "main");
        assert_eq!(pull.title, "Raise the numpy floor");
        assert_eq!(pull.body, "To SPEC 0.");
        // The pushed branch is the commit apply made, on the remote.
        let Applied::Committed { commit, .. } = &applied[index] else {
            panic!("applied");
        };
        let remote = git(
            &setup.bares[index],
            &["rev-parse", &format!("refs/heads/{BRANCH}")],
        );
        assert_eq!(remote.trim(), commit);
        let text = git(
            &setup.bares[index],
            &["show", &format!("{BRANCH}:pyproject.toml")],
        );
        assert!(text.contains("numpy>=1.26"), "{text}");
    }
    assert!(
        git(&setup.bares[5], &["branch", "--list", BRANCH])
            .trim()
            .is_empty(),
        "no branch pushed where nothing changed"
    );

    // The 403 was answered once and waited out; every write is a second after the last.
    let writes = setup.fake.writes();
    assert_eq!(writes.iter().filter(|w| w.status == 403).count(), 1);
    assert_eq!(writes.iter().filter(|w| w.status == 201).count(), 5);
    for pair in writes.windows(2) {
        let gap = pair[1].at.duration_since(pair[0].at);
        assert!(
            gap >= Duration::from_millis(1000),
            "{gap:?} between {pair:?}"
        );
    }

    // Every step is in the store; a second run opens nothing.
    for target in store
        .campaign_targets(BRANCH)
        .expect("targets")
        .iter()
        .take(5)
    {
        assert!(
            target.pr_number.is_some() && target.pushed_sha.is_some(),
            "{target:?}"
        );
    }
    let again = campaign::open_pulls(&mut store, &client, &repos(&setup), &options, &mut |_| {})
        .expect("rerun");
    assert!(
        again
            .iter()
            .all(|(_, o)| !matches!(o, PrOutcome::Opened { .. }))
    );
    assert_eq!(setup.fake.pulls().len(), 5);
}

#[test]
fn forks_labels_reviewers_canary_and_grep() {
    let setup = setup(&[20, 21]);
    let mut store = Store::open_in_memory().expect("store");
    clone_and_apply(&setup, &mut store);
    // The fork of pkg0 exists as a bare repository; GitHub makes it on request.
    for index in 0..2 {
        let fork = setup
            .fake
            .fork_clone_url("octocat", &format!("pkg{index}"))
            .trim_start_matches("file://")
            .to_string();
        std::fs::create_dir_all(&fork).expect("mkdir");
        git(Path::new(&fork), &["init", "--quiet", "--bare"]);
    }
    let client = client(&setup.fake);
    let options = PrOptions {
        branch: BRANCH.into(),
        draft: true,
        labels: vec!["dependencies".into()],
        reviewers: vec!["maintainer".into()],
        fork: true,
        canary: Some(1),
        ..PrOptions::default()
    };
    let outcomes = campaign::open_pulls(&mut store, &client, &repos(&setup), &options, &mut |_| {})
        .expect("canary");
    assert!(
        matches!(outcomes[0].1, PrOutcome::Opened { .. }),
        "{outcomes:?}"
    );
    assert_eq!(outcomes[1].1, PrOutcome::Waiting);
    let pulls = setup.fake.pulls();
    assert_eq!(pulls.len(), 1);
    assert_eq!(pulls[0].head, format!("octocat:{BRANCH}"));
    assert!(pulls[0].draft);
    assert_eq!(pulls[0].labels, ["dependencies"]);
    assert_eq!(pulls[0].reviewers, ["maintainer"]);
    let fork0 = setup.fake.fork_clone_url("octocat", "pkg0");
    let pushed = git(
        Path::new(fork0.trim_start_matches("file://")),
        &["branch", "--list", BRANCH],
    );
    assert!(!pushed.trim().is_empty(), "pushed to the fork");

    // Go ahead: the rest, with the first one left alone.
    let rest = PrOptions {
        canary: None,
        ..options
    };
    let outcomes = campaign::open_pulls(&mut store, &client, &repos(&setup), &rest, &mut |_| {})
        .expect("rest");
    assert!(matches!(outcomes[0].1, PrOutcome::Existing { .. }));
    assert!(matches!(outcomes[1].1, PrOutcome::Opened { .. }));
    assert_eq!(setup.fake.pulls().len(), 2);
    let forks = setup
        .fake
        .writes()
        .iter()
        .filter(|w| w.path.ends_with("/forks"))
        .count();
    assert_eq!(forks, 2, "one fork request per repository");

    // grep across the clones, as git grep prints it.
    let clones: Vec<(String, PathBuf)> = setup
        .targets
        .iter()
        .map(|t| (t.name.clone(), t.dir(&setup.root)))
        .collect();
    let report = grep(
        &clones,
        r"numpy>=1\.\d+",
        GrepOptions {
            jobs: 2,
            ..GrepOptions::default()
        },
    )
    .expect("grep");
    let lines: Vec<String> = report.matches.iter().map(|m| m.render()).collect();
    // The clones are on the campaign branch after apply.
    assert_eq!(
        lines,
        [
            "org/pkg0:pyproject.toml:3:dependencies = [\"numpy>=1.26\"]",
            "org/pkg1:pyproject.toml:3:dependencies = [\"numpy>=1.26\"]",
        ]
    );

    // Status, then withdrawal.
    let rows = campaign::refresh_status(&mut store, Some(&client), BRANCH).expect("status");
    assert_eq!(rows.iter().filter(|r| r.state == "open").count(), 2);
    let (closed, failed) =
        campaign::close_all(&mut store, &client, BRANCH, &mut |_| {}).expect("close");
    assert_eq!((closed.len(), failed.len()), (2, 0));
    assert!(setup.fake.pulls().iter().all(|p| p.state == "closed"));
    assert!(
        store
            .campaign(BRANCH)
            .expect("read")
            .expect("campaign")
            .closed_at
            .is_some()
    );
}
