//! The community's pages of the portal, end to end on the real data: the practices manual
//! over the three review trees (each check's pass/fail list against repo-review's own output
//! on them), the content folder (the sample builds; a broken file of each kind is named with
//! its line and the rest builds), the calendars and the feed (parsed by Python's `icalendar`
//! and `feedparser` when `AGORA_COMMUNITY_PYTHON` names a Python that has them; `.ci/run`
//! sets it; UIDs stable across rebuilds), `agora content check`, and a bug day over scipy's
//! dumps (its lists against counts made here from the JSON). With `AGORA_BROWSER_TESTS`,
//! `site-tests/manual.mjs` follows a failing check from a project's page to its manual page
//! and back in chromium.

mod support;

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use support::{agora, broken_links, corpus, fake_pypi, stderr, stdout};

const TREES: [&str; 3] = ["scipy", "networkx", "scikit-image"];

fn sample_content() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../agora-content/tests/fixtures")
}

fn copy_tree(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("mkdir");
    for entry in std::fs::read_dir(from).expect("read_dir").flatten() {
        let target = to.join(entry.file_name());
        if entry.path().is_dir() {
            copy_tree(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).expect("copy");
        }
    }
}

/// A folder with an agora.toml naming the review trees as checkouts (scipy with its GitHub
/// repository) and the sample content folder beside it.
fn project(corpus: &Path) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tempdir");
    let review = corpus.join("repo-review");
    let toml = format!(
        "[ecosystem]\nname = \"Scientific Python\"\n\n\
         [[project]]\nname = \"scipy\"\nrepo = \"scipy/scipy\"\ncheckout = {:?}\n\n\
         [[project]]\nname = \"networkx\"\ncheckout = {:?}\n\n\
         [[project]]\nname = \"scikit-image\"\ncheckout = {:?}\n",
        review.join("scipy"),
        review.join("networkx"),
        review.join("scikit-image"),
    );
    std::fs::write(dir.path().join("agora.toml"), toml).expect("agora.toml");
    copy_tree(
        &sample_content().join("content"),
        &dir.path().join("content"),
    );
    dir
}

/// `agora portal build --out OUT --date 2026-12-07 --format json`.
fn build(dir: &Path, out: &str, extra: &[&str]) -> serde_json::Value {
    let output = agora(dir, "http://127.0.0.1:9/simple")
        .args(["portal", "build", "--out", out, "--date", "2026-12-07"])
        .args(["--format", "json"])
        .args(extra)
        .output()
        .expect("runs");
    assert!(output.status.success(), "{}", stderr(&output));
    serde_json::from_slice(&output.stdout).unwrap_or_else(|e| panic!("{e}: {}", stdout(&output)))
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path)
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()))
        .replace("&#x2f;", "/")
}

/// repo-review's results on a tree: code → `Some(true)` pass, `Some(false)` fail, `None` skip.
fn reference(corpus: &Path, tree: &str) -> BTreeMap<String, Option<bool>> {
    let path = corpus.join(format!("repo-review/{tree}.expected.json"));
    let json: serde_json::Value =
        serde_json::from_slice(&std::fs::read(&path).expect("expected.json")).expect("json");
    json["checks"]
        .as_object()
        .expect("checks")
        .iter()
        .map(|(code, check)| (code.clone(), check["result"].as_bool()))
        .collect()
}

/// The UIDs of an .ics file, in order.
fn uids(ics: &str) -> Vec<String> {
    ics.split("\r\n")
        .filter_map(|l| l.strip_prefix("UID:"))
        .map(str::to_string)
        .collect()
}

#[test]
fn the_manual_content_calendars_and_feed_of_the_real_data() {
    let Some(corpus) = corpus() else { return };
    let dir = project(&corpus);
    // The three projects' PyPI pages, for their releases and SPEC 0's drops.
    let (server, _overrides) = fake_pypi(&corpus, 0);
    let index = server.url("/simple");
    let sync = agora(dir.path(), &index)
        .args(["pypi", "sync"])
        .output()
        .expect("runs");
    assert!(sync.status.success(), "{}", stderr(&sync));
    let summary = build(dir.path(), "site", &[]);
    let site = dir.path().join("site");
    println!("built {} pages", summary["pages"]);

    // Every check has its page, and its results are repo-review's on the three trees.
    let mut compared = 0;
    let mut failing_on_scipy = Vec::new();
    for code in agora_review::checks::all().iter().map(|c| c.code) {
        let page = read(&site.join(format!("manual/{code}.html")));
        assert!(page.contains("How to comply"), "{code}");
        for tree in TREES {
            let expected = reference(&corpus, tree);
            let Some(result) = expected.get(code) else {
                continue;
            };
            let row = format!("projects/{tree}/index.html#review\">{tree}</a></td>");
            let at = page
                .find(&row)
                .unwrap_or_else(|| panic!("{code}: no row for {tree}"));
            let cell = &page[at + row.len()..];
            let cell = &cell[..cell.find("</td>").unwrap_or(cell.len())];
            let word = match result {
                Some(true) => ">pass",
                Some(false) => ">fail",
                None => ">skip",
            };
            assert!(
                cell.ends_with(word),
                "{code} on {tree}: repo-review says {word}, the manual {cell}"
            );
            compared += 1;
            if tree == "scipy" && *result == Some(false) {
                failing_on_scipy.push(code);
            }
        }
    }
    assert!(compared > 150, "{compared} results compared");
    // The project's page links each failing check to its manual page.
    let scipy = read(&site.join("projects/scipy/index.html"));
    assert!(!failing_on_scipy.is_empty());
    for code in &failing_on_scipy {
        assert!(
            scipy.contains(&format!("href=\"../../manual/{code}.html\"")),
            "scipy's page does not link {code} to the manual"
        );
    }
    let index = read(&site.join("manual/index.html"));
    for topic in [
        "Packaging",
        "Testing with pytest",
        "Community and governance documents",
    ] {
        assert!(index.contains(topic), "the manual has no topic {topic}");
    }
    let governance = read(&site.join("community/governance.html"));
    assert!(governance.contains("Code of conduct") && governance.contains("Citation"));

    // The collections' pages.
    for (page, needle) in [
        ("community/plan.html", "Bringing in the next maintainers"),
        ("community/videos.html", "1:02:45"),
        ("community/grants.html", "Sovereign Tech Fund"),
        ("community/grants.html", "Shared release infrastructure"),
        ("community/events.html", "Scientific Python Summit 2027"),
        ("community/events/summit-2027.html", "Seattle, WA"),
        ("community/news/community-pages.html", "content check"),
    ] {
        assert!(read(&site.join(page)).contains(needle), "{page}: {needle}");
    }
    assert!(summary["missing"].as_array().is_some_and(|m| {
        m.iter()
            .all(|l| !l.as_str().unwrap_or_default().starts_with("content:"))
    }));
    let broken = broken_links(&site);
    assert!(broken.is_empty(), "{broken:?}");

    // Calendars: one for everything, one per project; UIDs unique and stable.
    let all = read(&site.join("calendars/all.ics"));
    let first = uids(&all);
    let unique: BTreeSet<&String> = first.iter().collect();
    assert_eq!(unique.len(), first.len(), "duplicate UIDs");
    for uid in [
        "event-summit-2027@agora.scientific-python.org",
        "deadline-czi-eoss@agora.scientific-python.org",
        "decision-release-infrastructure@agora.scientific-python.org",
    ] {
        assert!(first.iter().any(|u| u == uid), "{uid} not in all.ics");
    }
    // A past release is dated by its first upload on PyPI, read here from the page itself.
    let page: serde_json::Value = serde_json::from_slice(
        &std::fs::read(corpus.join("pypi/simple/scipy.json")).expect("scipy's page"),
    )
    .expect("json");
    let first_upload = page["files"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|f| {
            f["filename"]
                .as_str()
                .is_some_and(|n| n.starts_with("scipy-1.11.0-") || n == "scipy-1.11.0.tar.gz")
        })
        .filter_map(|f| f["upload-time"].as_str())
        .min()
        .expect("scipy 1.11.0 files");
    let day = first_upload[..10].replace('-', "");
    let release = all
        .split("BEGIN:VEVENT")
        .find(|e| e.contains("UID:release-scipy-1.11.0@agora.scientific-python.org\r\n"))
        .expect("scipy 1.11.0 in all.ics");
    assert!(
        release.contains(&format!("DTSTART;VALUE=DATE:{day}\r\n")),
        "{release}"
    );
    let releases = first.iter().filter(|u| u.starts_with("release-")).count();
    let drops = first.iter().filter(|u| u.starts_with("spec0-")).count();
    assert!(
        releases > 100 && drops > 0,
        "{releases} releases, {drops} drops"
    );
    println!(
        "all.ics: {} entries, {releases} releases, {drops} SPEC 0 drops",
        first.len()
    );
    let scipy_ics = read(&site.join("calendars/scipy.ics"));
    assert!(
        uids(&scipy_ics)
            .iter()
            .any(|u| u.starts_with("event-scipy-bug-day"))
    );
    // Built again into the same folder, the releases come from the cache of the PyPI pages
    // read last time: the same calendar, byte for byte.
    let manifest: serde_json::Value =
        serde_json::from_str(&read(&site.join(".agora-portal.json"))).expect("manifest");
    assert!(
        manifest["calendar_releases"]["scipy"]["releases"]
            .as_array()
            .is_some_and(|r| !r.is_empty()),
        "{}",
        manifest["calendar_releases"]
    );
    build(dir.path(), "site", &[]);
    assert_eq!(read(&site.join("calendars/all.ics")), all);
    let again = build(dir.path(), "site2", &["--full"]);
    assert_eq!(again["pages"], summary["pages"]);
    assert_eq!(
        uids(&read(&dir.path().join("site2/calendars/all.ics"))),
        first
    );

    // A real parser reads the calendars and the feed.
    match std::env::var_os("AGORA_COMMUNITY_PYTHON") {
        Some(python) => parse_with_python(&python, &site, first.len()),
        None if std::env::var("CI").is_ok_and(|v| v == "true") => {
            panic!("CI must set AGORA_COMMUNITY_PYTHON (.ci/run makes the venv)")
        }
        None => println!(
            "note: AGORA_COMMUNITY_PYTHON is not set: the .ics and Atom files were not parsed by \
             icalendar and feedparser (.ci/run sets it)"
        ),
    }

    support::browser_test("manual", &site);
}

/// Parses every .ics of `site` with `icalendar` and its feed with `feedparser`, and checks
/// what they read.
fn parse_with_python(python: &std::ffi::OsStr, site: &Path, events_in_all: usize) {
    let script = r#"
import json, pathlib, sys
import feedparser, icalendar
site = pathlib.Path(sys.argv[1])
out = {"calendars": {}}
for path in sorted((site / "calendars").glob("*.ics")):
    cal = icalendar.Calendar.from_ical(path.read_bytes())
    events = [c for c in cal.walk("VEVENT")]
    for e in events:
        assert e.get("DTSTART") is not None and e.get("DTEND") is not None, path
        assert e.decoded("DTEND") > e.decoded("DTSTART"), (path, str(e.get("UID")))
    out["calendars"][path.name] = {
        "events": len(events),
        "uids": len({str(e.get("UID")) for e in events}),
        "summaries": [str(e.get("SUMMARY")) for e in events],
    }
feed = feedparser.parse(str(site / "feed.atom"))
out["feed"] = {
    "bozo": bool(feed.bozo),
    "error": str(feed.get("bozo_exception", "")),
    "entries": [{"id": e.id, "title": e.title, "link": e.link} for e in feed.entries],
}
print(json.dumps(out))
"#;
    let output = std::process::Command::new(python)
        .arg("-c")
        .arg(script)
        .arg(site)
        .output()
        .expect("python runs");
    assert!(output.status.success(), "{}", stderr(&output));
    let parsed: serde_json::Value = serde_json::from_slice(&output.stdout).expect("json");
    let all = &parsed["calendars"]["all.ics"];
    assert_eq!(all["events"], events_in_all, "{all}");
    assert_eq!(all["uids"], events_in_all);
    assert!(
        all["summaries"].as_array().is_some_and(|s| s
            .iter()
            .any(|t| t == "Deadline: Sovereign Tech Fund investment (Sovereign Tech Agency)")),
        "icalendar did not read the escaped summaries back: {all}"
    );
    for name in ["scipy.ics", "networkx.ics", "scikit-image.ics"] {
        let calendar = &parsed["calendars"][name];
        assert_eq!(calendar["events"], calendar["uids"], "{name}");
    }
    let feed = &parsed["feed"];
    assert_eq!(feed["bozo"], false, "{feed}");
    assert!(
        feed["entries"]
            .as_array()
            .is_some_and(|e| e.iter().any(|e| e["title"]
                == "The community's pages move to the portal"
                && e["link"]
                    .as_str()
                    .is_some_and(|l| l.ends_with("community/news/community-pages.html")))),
        "the post is not in the feed: {feed}"
    );
    println!(
        "icalendar read {} calendars ({} events in all.ics); feedparser read {} entries",
        parsed["calendars"].as_object().map_or(0, |c| c.len()),
        events_in_all,
        feed["entries"].as_array().map_or(0, Vec::len)
    );
}

#[test]
fn content_check_names_each_broken_file_and_the_build_keeps_the_rest() {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::write(
        dir.path().join("agora.toml"),
        "[ecosystem]\nname = \"Test\"\n\n[[project]]\nname = \"scipy\"\n",
    )
    .expect("agora.toml");
    let content = dir.path().join("content");
    copy_tree(&sample_content().join("content"), &content);
    let check = |format: &str| {
        agora(dir.path(), "http://127.0.0.1:9/simple")
            .args(["content", "check", "--format", format])
            .output()
            .expect("runs")
    };
    let clean = check("text");
    assert_eq!(clean.status.code(), Some(0), "{}", stderr(&clean));
    assert!(
        stdout(&clean).contains("13 items accepted"),
        "{}",
        stdout(&clean)
    );

    copy_tree(&sample_content().join("broken"), &content);
    let broken = check("text");
    assert_eq!(broken.status.code(), Some(1), "{}", stderr(&broken));
    let text = stdout(&broken);
    for place in [
        "content/events/end-before-start.md:5: ",
        "content/grants/bad-deadline.md:5: ",
        "content/news/no-date.md:1: ",
        "content/plan/bad-revision.md:7: ",
        "content/proposals/no-funder.md:1: ",
        "content/videos/bad-duration.md:7: ",
    ] {
        assert!(text.contains(place), "{place} not in:\n{text}");
    }
    assert!(
        text.contains("13 items accepted") && text.contains("6 refused"),
        "{text}"
    );
    let json: serde_json::Value =
        serde_json::from_slice(&check("json").stdout).expect("json output");
    assert_eq!(json["refused"], 6);
    assert_eq!(json["accepted"]["videos"], 3);
    assert_eq!(json["problems"].as_array().map(Vec::len), Some(6));

    // The portal is built with the rest, and says what it left out.
    let summary = build(dir.path(), "site", &[]);
    let refused: Vec<&str> = summary["missing"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|l| l.as_str())
        .filter(|l| l.starts_with("content:"))
        .collect();
    assert_eq!(refused.len(), 6, "{refused:?}");
    let videos = read(&dir.path().join("site/community/videos.html"));
    assert!(videos.contains("Free-threaded wheels for everyone"));
    assert!(!videos.contains("A talk of unknown length"));

    let missing = agora(dir.path(), "http://127.0.0.1:9/simple")
        .args(["content", "check", "nowhere"])
        .output()
        .expect("runs");
    assert_eq!(missing.status.code(), Some(2));
    assert!(stderr(&missing).contains("nowhere: no content folder"));
}

/// The devstats node's label names.
fn labels(node: &serde_json::Value) -> Vec<String> {
    let labels = &node["labels"];
    let list = labels["edges"]
        .as_array()
        .or_else(|| labels["nodes"].as_array());
    list.into_iter()
        .flatten()
        .filter_map(|l| {
            l["node"]["name"]
                .as_str()
                .or_else(|| l["name"].as_str())
                .map(str::to_string)
        })
        .collect()
}

/// The numbers in a table of `html` after the caption `caption`.
fn numbers_under(html: &str, caption: &str) -> BTreeSet<u64> {
    let Some(at) = html.find(&format!("<caption>{caption}</caption>")) else {
        return BTreeSet::new();
    };
    let table = &html[at..];
    let table = &table[..table.find("</table>").unwrap_or(table.len())];
    table
        .split(">#")
        .skip(1)
        .filter_map(|rest| {
            rest.split(|c: char| !c.is_ascii_digit())
                .next()
                .and_then(|n| n.parse().ok())
        })
        .collect()
}

#[test]
fn a_bug_day_over_the_scipy_dumps_lists_the_right_issues() {
    let Some(corpus) = corpus() else { return };
    let dir = project(&corpus);
    let devstats = corpus.join("github/devstats");
    for dump in ["scipy_issues.json", "scipy_prs.json"] {
        let output = agora(dir.path(), "http://127.0.0.1:9/simple")
            .args(["github", "import"])
            .arg(devstats.join(dump))
            .output()
            .expect("runs");
        assert!(output.status.success(), "{}", stderr(&output));
    }
    build(dir.path(), "site", &[]);
    let page = read(&dir.path().join("site/community/events/scipy-bug-day.html"));

    // The same lists, made here from the JSON dumps.
    let read_dump = |name: &str| -> Vec<serde_json::Value> {
        let json: serde_json::Value =
            serde_json::from_slice(&std::fs::read(devstats.join(name)).expect("dump"))
                .expect("json");
        json.as_array()
            .expect("a list")
            .iter()
            .map(|edge| edge["node"].clone())
            .collect()
    };
    let wanted = ["good first issue", "sprint", "documentation"];
    let (from, until) = ("2021-11-20T00:00:00Z", "2021-11-22T00:00:00Z");
    let during = |at: &serde_json::Value| at.as_str().is_some_and(|t| t >= from && t < until);
    let issues = read_dump("scipy_issues.json");
    let open: BTreeSet<u64> = issues
        .iter()
        .filter(|n| n["state"] == "OPEN")
        .filter(|n| {
            labels(n)
                .iter()
                .any(|l| wanted.contains(&l.to_lowercase().as_str()))
        })
        .filter_map(|n| n["number"].as_u64())
        .collect();
    let closed: BTreeSet<u64> = issues
        .iter()
        .filter(|n| during(&n["closedAt"]))
        .filter_map(|n| n["number"].as_u64())
        .collect();
    let merged: BTreeSet<u64> = read_dump("scipy_prs.json")
        .iter()
        .filter(|n| during(&n["mergedAt"]))
        .filter_map(|n| n["number"].as_u64())
        .collect();
    assert!(open.len() > 50 && !closed.is_empty() && !merged.is_empty());

    assert_eq!(numbers_under(&page, "Open issues to work on"), open);
    assert_eq!(
        numbers_under(&page, "Issues closed during the event"),
        closed
    );
    assert_eq!(
        numbers_under(&page, "Pull requests merged during the event"),
        merged
    );
    assert!(
        page.contains(&format!(
            "{} open issues labelled “good first issue” or “sprint” or “documentation”; during the event, {} issues closed and {} pull requests merged.",
            open.len(),
            closed.len(),
            merged.len()
        )),
        "the lead does not give the counts"
    );
    println!(
        "bug day 2021-11-20..21: {} open labelled issues, {} closed, {} merged",
        open.len(),
        closed.len(),
        merged.len()
    );
}
