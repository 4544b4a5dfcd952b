//! Shared pieces of the CLI tests: the corpus, a fake PyPI serving it, and the binary.

#![allow(dead_code)]

use std::collections::{BTreeSet, HashMap, VecDeque};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use agora_fake_server::{FakeServer, RecordedRequest, Reply};
use assert_cmd::Command;

/// The real data folder from `AGORA_CORPUS`, or `None` (with a note) when it is not set.
pub fn corpus() -> Option<PathBuf> {
    agora_corpus::folder("pypi/simple")?;
    agora_corpus::root()
}

/// Replies queued per path, served before the corpus answers.
pub type Overrides = Arc<Mutex<HashMap<String, VecDeque<Reply>>>>;

/// A fake PEP 691 index serving `corpus/pypi/simple/<name>.json` at `/simple/<name>/`, with an
/// ETag, `Cache-Control: max-age=<max_age>` and 304 answers to a matching If-None-Match.
pub fn fake_pypi(corpus: &Path, max_age: u32) -> (FakeServer, Overrides) {
    let overrides: Overrides = Arc::default();
    let queued = Arc::clone(&overrides);
    let folder = corpus.join("pypi/simple");
    let server = FakeServer::start(move |request: &RecordedRequest| {
        let path = request.path_only().to_string();
        if let Some(reply) = queued
            .lock()
            .ok()
            .and_then(|mut q| q.get_mut(&path).and_then(VecDeque::pop_front))
        {
            return reply;
        }
        let name = path.trim_start_matches("/simple/").trim_end_matches('/');
        let Ok(body) = std::fs::read(folder.join(format!("{name}.json"))) else {
            return Reply::text(404, "Not Found");
        };
        let etag = format!("\"{}-{}\"", name, body.len());
        if request.header("if-none-match") == Some(etag.as_str()) {
            return Reply::not_modified().header("etag", etag);
        }
        Reply::new(200)
            .header("content-type", "application/vnd.pypi.simple.v1+json")
            .header("etag", etag)
            .header("cache-control", format!("max-age={max_age}, public"))
            .body(body)
    });
    (server, overrides)
}

/// Queues `reply` for the next request to `path`.
pub fn queue(overrides: &Overrides, path: &str, reply: Reply) {
    if let Ok(mut queued) = overrides.lock() {
        queued.entry(path.to_string()).or_default().push_back(reply);
    }
}

/// The user cache folder that [`agora`] gives a run in `dir` (a temporary folder is no git
/// repository and has no agora.toml, so the store goes to the user cache).
pub fn user_cache(dir: &Path) -> PathBuf {
    dir.join(".cache")
}

/// Where the store of a run of [`agora`] in `dir` lives: the user cache's `agora/`.
pub fn state_dir(dir: &Path) -> PathBuf {
    user_cache(dir).join("agora")
}

/// `agora` run in `dir` against `index`, with its store and cache in `dir` (see
/// [`state_dir`]), no CI noise.
pub fn agora(dir: &Path, index: &str) -> Command {
    let mut command = Command::cargo_bin("agora").expect("the agora binary");
    command
        .current_dir(dir)
        .env("XDG_CACHE_HOME", user_cache(dir))
        .env_remove("AGORA_DB")
        .env_remove("AGORA_CONFIG")
        .env("AGORA_INDEX_URL", index)
        .env("CI", "true");
    if let Some(url) = postgres_url_of(dir) {
        command.env("AGORA_DB", url);
    }
    command
}

/// The PostgreSQL database the runs of [`agora`] in `dir` use instead of the SQLite store in
/// its state folder: the URL in its `postgres-url` file, when there is one.
pub fn postgres_url_of(dir: &Path) -> Option<String> {
    std::fs::read_to_string(dir.join("postgres-url")).ok()
}

/// A test folder per backend: SQLite, then PostgreSQL (a fresh schema of the server of
/// `AGORA_TEST_POSTGRES`, named in the folder's `postgres-url`) when there is a test server.
pub fn backends(label: &str) -> Vec<tempfile::TempDir> {
    let mut dirs = vec![tempfile::tempdir().expect("tempdir")];
    if let Some(url) = agora_store::scratch::postgres_url(label) {
        let dir = tempfile::tempdir().expect("tempdir");
        std::fs::write(dir.path().join("postgres-url"), url).expect("write the URL");
        dirs.push(dir);
    }
    dirs
}

/// stdout of a finished command as text.
pub fn stdout(output: &std::process::Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

/// stderr of a finished command as text.
pub fn stderr(output: &std::process::Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

/// Asserts that `text` (a command's output) contains `needle`, showing the whole text when not.
#[track_caller]
pub fn assert_contains(text: &str, needle: &str) {
    assert!(text.contains(needle), "{needle:?} is not in:\n{text}");
}

/// Every file under `root`, relative, sorted.
pub fn files(root: &Path) -> BTreeSet<PathBuf> {
    agora_corpus::files_under(root)
        .into_iter()
        .filter_map(|p| p.strip_prefix(root).ok().map(Path::to_path_buf))
        .collect()
}

/// The `href` and `src` values of an HTML page.
pub fn links(html: &str) -> Vec<String> {
    let mut out = Vec::new();
    for attribute in ["href=\"", "src=\""] {
        let mut rest = html;
        while let Some(at) = rest.find(attribute) {
            rest = &rest[at + attribute.len()..];
            if let Some(end) = rest.find('"') {
                out.push(rest[..end].replace("&amp;", "&").replace("&#x2f;", "/"));
            }
        }
    }
    out
}

/// Broken internal links of the site at `root`: (page, link).
pub fn broken_links(root: &Path) -> Vec<(PathBuf, String)> {
    let mut broken = Vec::new();
    for page in files(root) {
        if page.extension().is_none_or(|e| e != "html") {
            continue;
        }
        let html = std::fs::read_to_string(root.join(&page)).expect("page");
        for link in links(&html) {
            if link.contains("://") || link.starts_with("mailto:") || link.starts_with("data:") {
                continue;
            }
            let target = link.split(['#', '?']).next().unwrap_or_default();
            if target.is_empty() {
                continue;
            }
            let base = page.parent().unwrap_or(Path::new(""));
            let mut resolved = PathBuf::new();
            for part in base.join(target).components() {
                match part {
                    std::path::Component::ParentDir => {
                        resolved.pop();
                    }
                    std::path::Component::Normal(p) => resolved.push(p),
                    _ => {}
                }
            }
            let exists =
                root.join(&resolved).is_file() || root.join(&resolved).join("index.html").is_file();
            if !exists {
                broken.push((page.clone(), link));
            }
        }
    }
    broken
}

/// Runs the browser test `site-tests/NAME.mjs` on the built site at `site` when
/// `AGORA_BROWSER_TESTS` is set (`.ci/run` sets it), failing with its output when it fails.
pub fn browser_test(name: &str, site: &Path) {
    if std::env::var_os("AGORA_BROWSER_TESTS").is_none() {
        return;
    }
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join(format!("../../site-tests/{name}.mjs"));
    let output = std::process::Command::new("node")
        .arg(&script)
        .arg(site)
        .output()
        .expect("node runs");
    assert!(
        output.status.success(),
        "{}\n{}",
        stdout(&output),
        stderr(&output)
    );
    println!("{}", stdout(&output));
}
