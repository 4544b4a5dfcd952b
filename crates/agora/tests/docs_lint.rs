//! `agora docs lint` end to end: the configuration keys of pyproject.toml and setup.cfg, the
//! ignore comment, `--ignore`, the output formats, `--statistics`, directories with
//! `.gitignore`, syntax errors and exit codes. The fixture projects are in
//! `tests/fixtures/docs/`; where numpydoc 1.11.0 can run on them, its output (recorded by
//! running `numpydoc lint` in the fixture folder) is the expectation.

use std::path::{Path, PathBuf};

use assert_cmd::Command;

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/docs")
        .join(name)
}

fn agora(dir: &Path) -> Command {
    let mut command = Command::cargo_bin("agora").unwrap_or_else(|e| panic!("{e}"));
    command
        .current_dir(dir)
        .env("CI", "true")
        .env_remove("AGORA_CONFIG");
    command
}

fn run(dir: &Path, args: &[&str]) -> (String, String, Option<i32>) {
    let output = agora(dir)
        .args(["docs", "lint"])
        .args(args)
        .output()
        .unwrap_or_else(|e| panic!("{e}"));
    (
        String::from_utf8_lossy(&output.stdout).into_owned(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
        output.status.code(),
    )
}

#[test]
fn pyproject_keys_and_ignore_comments_as_numpydoc() {
    // numpydoc 1.11.0 in this folder (without override_GL08, on which it crashes: it searches
    // the override regex in the docstring of objects that have none).
    let numpydoc = "pkg/mod.py:14: SS05 Summary must start with infinitive verb, not third person (e.g. use \"Generate\" instead of \"Generates\")\n\
                    pkg/mod.py:29: GL08 The object does not have a docstring\n";
    let (out, err, code) = run(&fixture("pyproject"), &["pkg/mod.py", "skipped/bad.py"]);
    assert_eq!(out, numpydoc, "{err}");
    assert_eq!(code, Some(1));
    // A directory: skipped/ is left out by exclude_files too.
    let (out, _, _) = run(&fixture("pyproject"), &["."]);
    assert_eq!(out, numpydoc);
}

#[test]
fn setup_cfg_keys() {
    let (out, err, code) = run(&fixture("setupcfg"), &["pkg/mod.py", "pkg/excluded.py"]);
    assert_eq!(code, Some(1), "{err}");
    insta::assert_snapshot!("setup_cfg", out);
    // exclude_files: nothing from pkg/excluded.py; exclude: not skip_me; checks: only the
    // three codes; override_SS03 silences keep() only.
    assert!(!out.contains("excluded.py"));
    assert!(out.contains("pkg/mod.py:9: SS03"));
    assert!(!out.contains("pkg/mod.py:5: SS03"));
}

#[test]
fn ignore_option_and_formats() {
    let dir = fixture("pyproject");
    let (out, _, code) = run(&dir, &["pkg/mod.py", "--ignore", "SS05,GL08"]);
    assert_eq!((out.as_str(), code), ("", Some(0)));
    let (out, _, _) = run(&dir, &["pkg/mod.py", "--ignore", "SS05"]);
    assert!(out.starts_with("pkg/mod.py:29: GL08"), "{out}");

    let (json, _, code) = run(&dir, &["pkg/mod.py", "--format", "json"]);
    assert_eq!(code, Some(1));
    let parsed: serde_json::Value = serde_json::from_str(&json).unwrap_or_default();
    assert_eq!(parsed[1]["name"], "mod.Hidden.method");
    insta::assert_snapshot!("json", json);

    let (github, _, _) = run(&dir, &["pkg/mod.py", "--format", "github"]);
    insta::assert_snapshot!("github", github);

    let (statistics, _, _) = run(&dir, &["pkg/mod.py", "--statistics"]);
    insta::assert_snapshot!("statistics", statistics);
    let (statistics, _, _) = run(&dir, &["pkg/mod.py", "--statistics", "--format", "json"]);
    let parsed: serde_json::Value = serde_json::from_str(&statistics).unwrap_or_default();
    assert_eq!(parsed.as_array().map(Vec::len), Some(2));
}

#[test]
fn usage_errors_exit_2() {
    let dir = fixture("pyproject");
    let (_, err, code) = run(&dir, &["pkg/mod.py", "--ignore", "XX01"]);
    assert_eq!(code, Some(2));
    assert!(err.contains("XX01"), "{err}");
    let (_, err, code) = run(&dir, &["no/such/file.py"]);
    assert_eq!(code, Some(2));
    assert!(err.contains("no/such/file.py"), "{err}");
}

#[test]
fn directories_honour_gitignore_and_syntax_errors_do_not_stop_the_run() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let root = dir.path();
    std::fs::write(
        root.join("pyproject.toml"),
        "[tool.numpydoc_validation]\nchecks = [\"GL08\"]\n",
    )
    .unwrap_or_else(|e| panic!("{e}"));
    std::fs::write(root.join(".gitignore"), "build/\n").unwrap_or_else(|e| panic!("{e}"));
    for sub in ["src", "build"] {
        std::fs::create_dir(root.join(sub)).unwrap_or_else(|e| panic!("{e}"));
        std::fs::write(root.join(sub).join("a.py"), "def f():\n    pass\n")
            .unwrap_or_else(|e| panic!("{e}"));
    }
    std::fs::write(root.join("src/broken.py"), "x = 1\ndef g(:\n")
        .unwrap_or_else(|e| panic!("{e}"));
    std::fs::write(root.join("src/clean.py"), "\"\"\"Doc.\"\"\"\n")
        .unwrap_or_else(|e| panic!("{e}"));
    let (out, err, code) = run(root, &["."]);
    assert_eq!(
        out,
        "src/a.py:1: GL08 The object does not have a docstring\nsrc/a.py:1: GL08 The object does not have a docstring\n"
    );
    assert!(
        err.contains("src/broken.py:2: error: cannot parse"),
        "{err}"
    );
    assert_eq!(code, Some(1));
    let (out, _, code) = run(root, &["src/clean.py"]);
    assert_eq!((out.as_str(), code), ("", Some(0)));
}
