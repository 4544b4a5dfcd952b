//! Hostile input and hostile readers, end to end (issue 15, items 3, 6 and 8): a file nested
//! deep enough to overflow the stack, a FIFO or an oversized file among normal ones costs one
//! error for that file while the others are linted as if alone; a closed standard output
//! ends the run quietly with exit 141 instead of a panic.

use std::path::Path;
use std::process::{Command as StdCommand, Stdio};
use std::time::Duration;

use assert_cmd::Command;

/// Two ordinary modules with findings (GL08, SS05, PR01 …).
const NORMAL: [(&str, &str); 2] = [
    (
        "alpha.py",
        "\"\"\"Alpha.\"\"\"\n\n\ndef undocumented(x):\n    return x\n\n\ndef summary(y):\n    \"\"\"Returns y.\"\"\"\n    return y\n",
    ),
    (
        "omega.py",
        "\"\"\"Omega.\"\"\"\n\n\nclass Thing:\n    \"\"\"A thing.\"\"\"\n\n    def method(self, a, b):\n        \"\"\"Do it\"\"\"\n",
    ),
];

fn agora(dir: &Path) -> Command {
    let mut command = Command::cargo_bin("agora").unwrap_or_else(|e| panic!("{e}"));
    command
        .current_dir(dir)
        .env("CI", "true")
        .env_remove("AGORA_CONFIG")
        // A guard against the old behaviour (a FIFO blocked for ever), not a measurement.
        .timeout(Duration::from_secs(120));
    command
}

/// `agora docs lint ARGS --format json` in `dir`: the findings, stderr and the exit code.
fn lint(dir: &Path, args: &[&str]) -> (serde_json::Value, String, Option<i32>) {
    let output = agora(dir)
        .args(["docs", "lint", "--format", "json"])
        .args(args)
        .output()
        .unwrap_or_else(|e| panic!("{e}"));
    let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
    let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
    let findings = serde_json::from_str(&stdout).unwrap_or(serde_json::Value::Null);
    (findings, stderr, output.status.code())
}

fn project() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let pkg = dir.path().join("pkg");
    std::fs::create_dir(&pkg).unwrap_or_else(|e| panic!("{e}"));
    for (name, text) in NORMAL {
        std::fs::write(pkg.join(name), text).unwrap_or_else(|e| panic!("{e}"));
    }
    dir
}

/// The nesting of issue 15 that aborted the whole run with a stack overflow.
fn hostile_sources() -> Vec<(&'static str, String)> {
    let mut ifs = String::new();
    for level in 0..2_200 {
        ifs.push_str(&format!("{}if x:\n", " ".repeat(level)));
    }
    ifs.push_str(&format!("{}pass\n", " ".repeat(2_200)));
    vec![
        (
            "a 40,000-term sum",
            format!("\"\"\"Deep.\"\"\"\nx = {}\n", vec!["a"; 40_000].join("+")),
        ),
        (
            "40,000 attributes",
            format!("\"\"\"Deep.\"\"\"\nx = a{}\n", ".b".repeat(40_000)),
        ),
        (
            "50,000 unary minus",
            format!("\"\"\"Deep.\"\"\"\nx = {}a\n", "- ".repeat(50_000)),
        ),
        ("2,200 nested ifs", format!("\"\"\"Deep.\"\"\"\n{ifs}")),
    ]
}

#[test]
fn a_hostile_file_among_normal_ones_costs_one_error_and_nothing_else() {
    let dir = project();
    let alone = lint(dir.path(), &["pkg/alpha.py", "pkg/omega.py"]);
    let (expected, alone_err, alone_code) = alone;
    assert_eq!(alone_code, Some(1), "{alone_err}");
    assert!(
        expected.as_array().is_some_and(|a| a.len() >= 3),
        "the normal files have findings: {expected}"
    );
    for (what, source) in hostile_sources() {
        // `middle.py` sorts between the two normal files.
        std::fs::write(dir.path().join("pkg/middle.py"), &source).unwrap_or_else(|e| panic!("{e}"));
        let (found, stderr, code) = lint(dir.path(), &["pkg"]);
        assert_eq!(code, Some(1), "{what}: exit code; stderr: {stderr}");
        assert_eq!(found, expected, "{what}: the normal files' findings");
        let errors: Vec<&str> = stderr.lines().filter(|l| l.contains("error")).collect();
        assert_eq!(errors.len(), 1, "{what}: one error: {stderr}");
        assert!(
            errors[0].starts_with("pkg/middle.py:") && errors[0].contains("cannot parse"),
            "{what}: {}",
            errors[0]
        );
    }
}

#[test]
fn the_nesting_error_names_the_line() {
    let dir = project();
    let source = format!("\"\"\"Deep.\"\"\"\nok = 1\nx = {}a\n", "- ".repeat(50_000));
    std::fs::write(dir.path().join("pkg/middle.py"), source).unwrap_or_else(|e| panic!("{e}"));
    let (_, stderr, _) = lint(dir.path(), &["pkg/middle.py"]);
    assert!(
        stderr.contains("pkg/middle.py:3: error: cannot parse: expression nested too deeply"),
        "{stderr}"
    );
}

#[cfg(unix)]
#[test]
fn fifos_and_oversized_files_are_refused_and_the_others_linted() {
    let dir = project();
    let (expected, _, _) = lint(dir.path(), &["pkg/alpha.py", "pkg/omega.py"]);
    // A FIFO named like a module: reading it would block until a writer comes.
    let fifo = dir.path().join("pkg/fifo.py");
    let made = StdCommand::new("mkfifo")
        .arg(&fifo)
        .status()
        .is_ok_and(|s| s.success());
    assert!(made, "mkfifo");
    // 17 MiB of comments: past the 16 MiB a source file may have.
    let big = "# padding padding padding padding padding padding padding padding\n"
        .repeat(17 * 1024 * 1024 / 66 + 1);
    std::fs::write(dir.path().join("pkg/huge.py"), big).unwrap_or_else(|e| panic!("{e}"));
    let (found, stderr, code) = lint(
        dir.path(),
        &["pkg/alpha.py", "pkg/fifo.py", "pkg/huge.py", "pkg/omega.py"],
    );
    assert_eq!(code, Some(1), "{stderr}");
    assert_eq!(found, expected);
    assert!(
        stderr.contains("pkg/fifo.py: error: not a regular file"),
        "{stderr}"
    );
    assert!(
        stderr.contains("pkg/huge.py: error: larger than the 16 MiB"),
        "{stderr}"
    );
}

/// `agora docs lint … | head`: the reader is gone before agora writes.
#[test]
fn a_closed_standard_output_ends_the_run_quietly() {
    let dir = project();
    let (reader, writer) = std::io::pipe().unwrap_or_else(|e| panic!("{e}"));
    drop(reader);
    let output = StdCommand::new(env!("CARGO_BIN_EXE_agora"))
        .args(["docs", "lint", "pkg"])
        .current_dir(dir.path())
        .env("CI", "true")
        .env_remove("AGORA_CONFIG")
        .stdout(writer)
        .stderr(Stdio::piped())
        .output()
        .unwrap_or_else(|e| panic!("{e}"));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(141), "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert!(!stderr.contains("error"), "{stderr}");
}
