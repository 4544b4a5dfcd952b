//! The GitHub Action's runner script (`action/run.sh`): annotations capped as GitHub shows them
//! (10 of each type per step, 50 per job), a closing `::notice` with the totals, the job
//! summary and the step outputs, with a stand-in for `agora` that prints known annotations.

use std::path::Path;
use std::process::Command;

/// A stand-in `agora` printing `errors` errors, `warnings` warnings, `notices` notices and a
/// plain line, then exiting with `code`.
fn fake_agora(dir: &Path, errors: usize, warnings: usize, notices: usize, code: i32) -> String {
    let path = dir.join("agora");
    let script = format!(
        "#!/usr/bin/env bash\necho \"args: $*\"\nfor i in $(seq 1 {errors}); do echo \"::error file=a.py,line=$i::GL08 a | b $i\"; done\nfor i in $(seq 1 {warnings}); do echo \"::warning::w $i\"; done\nfor i in $(seq 1 {notices}); do echo \"::notice::n $i\"; done\nexit {code}\n"
    );
    std::fs::write(&path, script).expect("write");
    let made = Command::new("chmod")
        .arg("+x")
        .arg(&path)
        .status()
        .expect("chmod");
    assert!(made.success());
    path.to_string_lossy().into_owned()
}

struct Run {
    code: Option<i32>,
    stderr: String,
    stdout: String,
    summary: String,
    outputs: String,
}

fn run(dir: &Path, agora: &str, command: &str) -> Run {
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../action/run.sh");
    let output = Command::new("bash")
        .arg(script)
        .env("AGORA", agora)
        .env("AGORA_COMMAND", command)
        .env("AGORA_ARGS", "src --ignore ES01")
        .env("GITHUB_STEP_SUMMARY", dir.join("summary.md"))
        .env("GITHUB_OUTPUT", dir.join("output.txt"))
        .env("RUNNER_TEMP", dir)
        .output()
        .expect("bash runs");
    let read = |name: &str| std::fs::read_to_string(dir.join(name)).unwrap_or_default();
    Run {
        code: output.status.code(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        summary: read("summary.md"),
        outputs: read("output.txt"),
    }
}

fn count(text: &str, prefix: &str) -> usize {
    text.lines().filter(|l| l.starts_with(prefix)).count()
}

#[test]
fn annotations_are_capped_and_counted() {
    let dir = tempfile::tempdir().expect("temp dir");
    let agora = fake_agora(dir.path(), 25, 3, 12, 1);
    let first = run(dir.path(), &agora, "docs-lint");
    assert_eq!(
        first.code,
        Some(1),
        "agora's exit code is the step's: {}",
        first.stderr
    );
    assert!(
        first
            .stdout
            .contains("args: docs lint --format github src --ignore ES01")
    );
    assert_eq!(count(&first.stdout, "::error"), 10);
    assert_eq!(count(&first.stdout, "::warning"), 3);
    // Ten of agora's notices, then the closing one.
    assert_eq!(count(&first.stdout, "::notice"), 11);
    let closing = first.stdout.lines().last().expect("a closing line");
    assert!(
        closing.starts_with("::notice title=agora docs-lint::agora docs-lint: exit 1; 40 annotations (25 errors, 3 warnings, 12 notices), 17 not shown"),
        "{closing}"
    );
    assert!(first.summary.contains("## agora docs-lint"));
    // Every annotation is in the summary's table, with `|` escaped.
    assert_eq!(count(&first.summary, "| error | "), 25);
    assert!(
        first.summary.contains("GL08 a \\| b 25"),
        "{}",
        first.summary
    );
    assert!(first.outputs.contains("exit-code=1\n"));
    assert!(first.outputs.contains("annotations=40\n"));

    // A second step of the same job: 24 were shown already, so 25 remain for the job (one
    // kept for the closing notice): 10 errors, 3 warnings, 10 notices, then the closing one.
    let second = run(dir.path(), &agora, "review");
    assert_eq!(
        count(&second.stdout, "::error")
            + count(&second.stdout, "::warning")
            + count(&second.stdout, "::notice"),
        24
    );
    // A third: 48 shown, so one for agora's and one for the closing notice: 50 in the job.
    let third = run(dir.path(), &agora, "review");
    assert_eq!(count(&third.stdout, "::error"), 1);
    assert_eq!(count(&third.stdout, "::warning"), 0);
    assert_eq!(count(&third.stdout, "::notice"), 1);
    assert!(third.stdout.contains("39 not shown"), "{}", third.stdout);
    let shown =
        std::fs::read_to_string(dir.path().join("agora-annotations-shown")).expect("counter");
    assert_eq!(shown.trim(), "50");
}

#[test]
fn unknown_command_is_refused() {
    let dir = tempfile::tempdir().expect("temp dir");
    let agora = fake_agora(dir.path(), 0, 0, 0, 0);
    let result = run(dir.path(), &agora, "deploy");
    assert_eq!(result.code, Some(2), "{}", result.stderr);
    assert!(result.stdout.contains("unknown command 'deploy'"));
}

#[test]
fn clean_run_says_so() {
    let dir = tempfile::tempdir().expect("temp dir");
    let agora = fake_agora(dir.path(), 0, 0, 0, 0);
    let result = run(dir.path(), &agora, "schedule-check");
    assert_eq!(result.code, Some(0), "{}", result.stderr);
    assert!(
        result.stdout.contains(
            "agora schedule-check: exit 0; 0 annotations (0 errors, 0 warnings, 0 notices)"
        ),
        "{}",
        result.stdout
    );
    assert!(!result.stdout.contains("not shown"));
    assert!(result.outputs.contains("annotations=0\n"));
}
