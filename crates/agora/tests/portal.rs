//! `agora portal build` end to end on the real data: the PyPI pages of the ten core projects
//! (a fake index), the scipy devstats dumps, kedro's asv results and the three review trees.
//! The built site must link only to files it holds, rebuild nothing when nothing changed, and
//! rebuild one project's pages (and the summaries) when only that project's data changed
//! (scipy's PRs imported after its issues), and of that project only the part whose data
//! changed; what the rebuilds leave equals a full build byte for byte.
//! With `AGORA_BROWSER_TESTS` (set by `.ci/run`), `site-tests/portal.mjs` then drives the
//! site in Debian's chromium.

mod support;

use std::path::{Path, PathBuf};

use support::{agora, broken_links, corpus, fake_pypi, files, stderr, stdout};

/// A project folder with an agora.toml naming the review trees' checkouts and kedro.
fn project(corpus: &Path) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tempdir");
    let review = corpus.join("repo-review");
    let toml = format!(
        "[ecosystem]\nname = \"Scientific Python\"\n\n\
         [[project]]\nname = \"scipy\"\ncheckout = {:?}\n\n\
         [[project]]\nname = \"networkx\"\ncheckout = {:?}\n\n\
         [[project]]\nname = \"scikit-image\"\ncheckout = {:?}\n\n\
         [[project]]\nname = \"kedro\"\nrepo = \"kedro-org/kedro\"\n",
        review.join("scipy"),
        review.join("networkx"),
        review.join("scikit-image"),
    );
    std::fs::write(dir.path().join("agora.toml"), toml).expect("agora.toml");
    dir
}

/// Fills the store of `dir`: PyPI from `index`, scipy's issues (its PRs come later, as the
/// change of one project's data), kedro's results.
fn fill_store(dir: &Path, corpus: &Path, index: &str) {
    let run = |args: &[&std::ffi::OsStr]| {
        let output = agora(dir, index).args(args).output().expect("runs");
        assert!(
            output.status.code().is_some_and(|c| c <= 1),
            "{args:?}: {}",
            stderr(&output)
        );
    };
    run(&["pypi".as_ref(), "sync".as_ref()]);
    let devstats = corpus.join("github/devstats");
    run(&[
        "github".as_ref(),
        "import".as_ref(),
        devstats.join("scipy_issues.json").as_os_str(),
    ]);
    let kedro = corpus.join("asv/kedro");
    let results = kedro.join("results");
    let revisions = kedro.join("revisions.tsv");
    let branch = kedro.join("branch-main-first-parent.txt");
    let tags = kedro.join("tags.tsv");
    run(&[
        "bench".as_ref(),
        "ingest".as_ref(),
        results.as_os_str(),
        "--project".as_ref(),
        "kedro".as_ref(),
        "--revisions".as_ref(),
        revisions.as_os_str(),
        "--branch-file".as_ref(),
        branch.as_os_str(),
        "--tags".as_ref(),
        tags.as_os_str(),
    ]);
}

/// `agora portal build --out site --date 2026-12-07 --format json`.
fn build(dir: &Path, index: &str, extra: &[&str]) -> serde_json::Value {
    let started = std::time::Instant::now();
    let output = agora(dir, index)
        .args(["portal", "build", "--out", "site", "--date", "2026-12-07"])
        .args(["--format", "json"])
        .args(extra)
        .output()
        .expect("runs");
    assert!(output.status.success(), "{}", stderr(&output));
    let summary: serde_json::Value = serde_json::from_slice(&output.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}", stdout(&output)));
    println!(
        "portal build in {:.2} s: rebuilt {}, written {}, unchanged {}, removed {}, pages {}",
        started.elapsed().as_secs_f64(),
        summary["projects_rebuilt"],
        summary["written"],
        summary["unchanged"],
        summary["removed"],
        summary["pages"]
    );
    summary
}

#[test]
fn the_portal_of_the_real_data_links_whole_and_rebuilds_only_what_changed() {
    let Some(corpus) = corpus() else { return };
    let (server, overrides) = fake_pypi(&corpus, 0);
    let index = server.url("/simple");
    let dir = project(&corpus);
    fill_store(dir.path(), &corpus, &index);

    let first = build(dir.path(), &index, &[]);
    let site = dir.path().join("site");
    assert_eq!(first["projects_rebuilt"].as_array().map(Vec::len), Some(11));
    // minijinja's escaping writes `/` in attributes as `&#x2f;`.
    let home = std::fs::read_to_string(site.join("index.html"))
        .expect("home")
        .replace("&#x2f;", "/");
    for name in ["numpy", "scipy", "networkx", "scikit-image", "kedro"] {
        assert!(
            home.contains(&format!("projects/{name}/index.html")),
            "no tile links {name}"
        );
    }
    // Data that is missing is said once, in words.
    let numpy = std::fs::read_to_string(site.join("projects/numpy/index.html")).expect("page");
    assert!(numpy.contains("no benchmark results"), "numpy's page");
    let scipy = std::fs::read_to_string(site.join("projects/scipy/index.html")).expect("page");
    assert!(!scipy.contains("no GitHub data"), "scipy has health data");
    assert!(site.join("feed.atom").is_file());

    let broken = broken_links(&site);
    assert!(
        broken.is_empty(),
        "{} broken links: {broken:?}",
        broken.len()
    );

    // Nothing changed: nothing is rendered or written again.
    let mtimes = |root: &Path| -> Vec<(PathBuf, std::time::SystemTime)> {
        files(root)
            .into_iter()
            .map(|f| {
                let t = std::fs::metadata(root.join(&f))
                    .and_then(|m| m.modified())
                    .expect("mtime");
                (f, t)
            })
            .collect()
    };
    let before = mtimes(&site);
    let second = build(dir.path(), &index, &[]);
    assert_eq!(second["projects_rebuilt"].as_array().map(Vec::len), Some(0));
    assert_eq!(second["written"], 0, "{second}");
    assert_eq!(mtimes(&site), before);

    // Only scipy's data changes (its PRs arrive): scipy is rebuilt, nobody else.
    let output = agora(dir.path(), &index)
        .args(["github", "import"])
        .arg(corpus.join("github/devstats/scipy_prs.json"))
        .output()
        .expect("runs");
    assert!(output.status.success(), "{}", stderr(&output));
    let third = build(dir.path(), &index, &[]);
    assert_eq!(
        third["projects_rebuilt"],
        serde_json::json!(["scipy"]),
        "{third}"
    );
    // Of scipy, only the health part is read and rendered again; its review and wheels pages
    // stand, and so do the community pages (nothing they show changed).
    assert_eq!(
        third["parts_rebuilt"],
        serde_json::json!({"scipy": ["health"]}),
        "{third}"
    );
    assert_eq!(third["community_rebuilt"], false, "{third}");
    let after = mtimes(&site);
    let touched: Vec<&PathBuf> = after
        .iter()
        .zip(&before)
        .filter(|(a, b)| a.1 != b.1)
        .map(|(a, _)| &a.0)
        .collect();
    assert!(
        touched
            .iter()
            .all(|f| !f.starts_with("projects") || f.starts_with("projects/scipy")),
        "{touched:?}"
    );

    // A PyPI page changes (networkx 3.7.1, a bug-fix release: SPEC 0 does not change): networkx is rebuilt, and the
    // ecosystem's wheels page, kept while no page changed, is made again.
    let wheels_before = std::fs::read_to_string(site.join("wheels.html")).expect("wheels");
    let mut page: serde_json::Value = serde_json::from_slice(
        &std::fs::read(corpus.join("pypi/simple/networkx.json")).expect("networkx page"),
    )
    .expect("json");
    let released: Vec<serde_json::Value> = page["files"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|f| f["filename"].as_str().is_some_and(|n| n.contains("-3.7")))
        .map(|f| {
            let mut f = f.clone();
            for key in ["filename", "url"] {
                let renamed = f[key]
                    .as_str()
                    .unwrap_or_default()
                    .replace("-3.7", "-3.7.1");
                f[key] = renamed.into();
            }
            f["upload-time"] = "2026-12-01T10:00:00.000000Z".into();
            f
        })
        .collect();
    assert!(!released.is_empty(), "no networkx 3.7 files to copy");
    if let Some(files) = page["files"].as_array_mut() {
        files.extend(released);
    }
    if let Some(versions) = page["versions"].as_array_mut() {
        versions.push("3.7.1".into());
    }
    overrides.lock().expect("lock").insert(
        "/simple/networkx/".into(),
        std::collections::VecDeque::from([agora_fake_server::Reply::new(200)
            .header("content-type", "application/vnd.pypi.simple.v1+json")
            .header("etag", "\"networkx-3.7.1\"")
            .body(serde_json::to_vec(&page).expect("json"))]),
    );
    let output = agora(dir.path(), &index)
        .args(["pypi", "sync", "networkx"])
        .output()
        .expect("runs");
    assert!(output.status.success(), "{}", stderr(&output));
    let fourth = build(dir.path(), &index, &[]);
    assert_eq!(
        fourth["projects_rebuilt"],
        serde_json::json!(["networkx"]),
        "{fourth}"
    );
    assert_eq!(
        fourth["parts_rebuilt"],
        serde_json::json!({"networkx": ["pypi"]}),
        "{fourth}"
    );
    // The new release is on the calendars: the community pages are made again.
    assert_eq!(fourth["community_rebuilt"], true, "{fourth}");
    let wheels_after = std::fs::read_to_string(site.join("wheels.html")).expect("wheels");
    assert!(
        wheels_before.contains("networkx 3.7 (")
            && wheels_after.contains("networkx 3.7.1 (2026-12-01)"),
        "the wheels page does not show networkx 3.7.1"
    );

    // What the rebuilds kept and made equals, byte for byte, a full build of the same store.
    let output = agora(dir.path(), &index)
        .args([
            "portal",
            "build",
            "--full",
            "--out",
            "site-full",
            "--date",
            "2026-12-07",
        ])
        .output()
        .expect("runs");
    assert!(output.status.success(), "{}", stderr(&output));
    let full = dir.path().join("site-full");
    let listed = |root: &Path| -> Vec<PathBuf> {
        files(root)
            .into_iter()
            .filter(|f| f.as_os_str() != ".agora-portal.json")
            .collect()
    };
    assert_eq!(listed(&site), listed(&full), "the files differ");
    for file in listed(&site) {
        assert!(
            std::fs::read(site.join(&file)).ok() == std::fs::read(full.join(&file)).ok(),
            "{} differs from the full build's",
            file.display()
        );
    }

    support::browser_test("portal", &site);
}
