//! `agora schedule` end to end: a fake PyPI serving the real PEP 691 pages of the ten core
//! projects (as of 2026-11-24), the store, the cache, and the published formats.
//!
//! Expected rows were worked out by hand from the corpus: the earliest upload of each
//! release (listed in the comments), plus 730 days for packages and 1095 for Python.

mod support;

use support::{agora, corpus, fake_pypi, stdout};

/// Runs `agora schedule --date DATE --format FORMAT` against a fresh store.
fn schedule(date: &str, format: &str) -> Option<String> {
    let corpus = corpus()?;
    let (server, _) = fake_pypi(&corpus, 600);
    let dir = tempfile::tempdir().expect("tempdir");
    let output = agora(dir.path(), &server.url("/simple"))
        .args(["schedule", "--date", date, "--format", format])
        .output()
        .expect("runs");
    assert!(
        output.status.success(),
        "{:?} {}",
        output.status,
        support::stderr(&output)
    );
    Some(stdout(&output))
}

fn quarters(markdown: &str) -> Vec<&str> {
    markdown
        .lines()
        .filter(|l| l.starts_with("#### "))
        .collect()
}

#[test]
fn schedule_on_2026_11_24() {
    let Some(markdown) = schedule("2026-11-24", "markdown") else {
        return;
    };
    // Cutoff 2026-01-01; 2026 Q1 (ipython 8.20-8.23, released Jan-Mar 2024) is the first
    // quarter of the grouping and is left out. Python 3.15 (2026-10-01) drops 2029-09-30.
    let q = quarters(&markdown);
    assert_eq!(q.first(), Some(&"#### 2026 - Quarter 2:"));
    assert_eq!(q.last(), Some(&"#### 2029 - Quarter 3:"));
    assert_eq!(q.len(), 12, "{q:?}");
    // numpy 2.0.0: first upload 2024-06-16T13:06:46Z, drops 2026-06-16 (2026 Q2).
    assert!(
        markdown
            .contains("| numpy        | 2.0.0                | released Jun 2024              |"),
        "{markdown}"
    );
    // xarray 2024.7.0 (2024-07-30) and 2024.9.0 (2024-09-11; there is no 2024.8.0) drop in Q3.
    assert!(
        markdown.contains("| xarray  | 2024.7.0 to 2024.9.0 | released Jul 2024 and Sep 2024 |"),
        "{markdown}"
    );
    // Python 3.12 (2023-10-02) + 1095 days = 2026-10-01, 2026 Q4; networkx 3.4 spelled as on PyPI.
    let q4 = markdown
        .split("#### 2026 - Quarter 4:")
        .nth(1)
        .and_then(|s| s.split("\n#### ").next())
        .expect("Q4");
    assert!(
        q4.contains("| python       | 3.12                   | released Oct 2023              |"),
        "{q4}"
    );
    assert!(
        q4.contains("| networkx     | 3.4                    | released Oct 2024              |"),
        "{q4}"
    );
    // ipython 8.38.0 came out (2026-01-05) after 9.0.0 (2025-02-28): versions and dates are
    // ranged separately; 2028 Q1 holds 8.38.0 … 9.12.0 (2026-01-05 … 2026-03-27).
    assert!(
        markdown.contains("| ipython | 8.38.0 to 9.12.0     | released Jan 2026 and Mar 2026 |"),
        "{markdown}"
    );
}

#[test]
fn json_on_2026_11_24_is_spec0_action_shaped() {
    let Some(json) = schedule("2026-11-24", "json") else {
        return;
    };
    let value: serde_json::Value = serde_json::from_str(&json).expect("json");
    let quarters = value.as_array().expect("a list");
    let q4 = quarters
        .iter()
        .find(|q| q["start_date"] == "2026-10-01T00:00:00Z")
        .expect("2026 Q4");
    // Dropped in 2026 Q4: numpy 2.2.0 → 2.3.0, networkx 3.4 → 3.5, python 3.12 → 3.13,
    // xarray 2024.10.0-2024.11.0 → 2025.1.0, ipython 8.28-8.31 → 8.32.0.
    assert_eq!(q4["packages"]["numpy"], "2.3.0");
    assert_eq!(q4["packages"]["networkx"], "3.5");
    assert_eq!(q4["packages"]["python"], "3.13");
    assert_eq!(q4["packages"]["xarray"], "2025.1.0");
    assert_eq!(q4["packages"]["ipython"], "8.32.0");
    // As spec0-action writes it, the cutoff's own quarter (2026 Q1, left out of the table)
    // is the first entry: ipython 8.20.0 to 8.23.0 → 8.24.0.
    assert_eq!(quarters[0]["start_date"], "2026-01-01T00:00:00Z");
    assert_eq!(quarters[0]["packages"]["ipython"], "8.24.0");
    assert_eq!(quarters[1]["start_date"], "2026-04-01T00:00:00Z");
    // 2028 Q3: xarray drops 2026.7.0 and its newest, 2026.9.0; zarr 3.3.0 and its newest,
    // 3.4.0. Their next minimum is a release not out yet, so they have no entry (spec0-action
    // writes the newest release, which the same quarter drops; see docs/spec0.md).
    let q = quarters
        .iter()
        .find(|q| q["start_date"] == "2028-07-01T00:00:00Z")
        .expect("2028 Q3");
    assert!(q["packages"].get("xarray").is_none(), "{q}");
    assert!(q["packages"].get("zarr").is_none(), "{q}");
    assert_eq!(q["packages"]["ipython"], "9.18.0");
    // Python 3.15, the newest known, dropped alone, has no successor: 2029 Q3 has no entry.
    assert!(
        quarters
            .iter()
            .all(|q| q["start_date"] != "2029-07-01T00:00:00Z")
    );
}

#[test]
fn schedule_on_2025_08_15() {
    let Some(markdown) = schedule("2025-08-15", "markdown") else {
        return;
    };
    // Cutoff 2024-10-01: Python 3.10 (2021-10-04, drops 2024-10-03) sits in 2024 Q4, the
    // first quarter, left out; 2025 Q1 is the first printed.
    assert_eq!(quarters(&markdown).first(), Some(&"#### 2025 - Quarter 1:"));
    // numpy 1.26.0: 2023-09-16T19:58Z + 730 days = 2025-09-15 (2024 is a leap year), Q3.
    let q3 = markdown
        .split("#### 2025 - Quarter 3:")
        .nth(1)
        .and_then(|s| s.split("\n#### ").next())
        .expect("Q3");
    assert!(q3.contains("| numpy "), "{q3}");
    assert!(q3.contains("| 1.26.0 "), "{q3}");
    // networkx 3.2: 2023-10-19 + 730 days = 2025-10-18, Q4, beside Python 3.11 (2025-10-23).
    let q4 = markdown
        .split("#### 2025 - Quarter 4:")
        .nth(1)
        .and_then(|s| s.split("\n#### ").next())
        .expect("Q4");
    assert!(
        q4.lines()
            .any(|l| l.starts_with("| networkx ") && l.contains("| 3.2 ")),
        "{q4}"
    );
    assert!(
        q4.lines().any(|l| l.starts_with("| python ")
            && l.contains("| 3.11 ")
            && l.contains("released Oct 2022")),
        "{q4}"
    );
}

#[test]
fn schedule_on_2027_02_01() {
    let Some(markdown) = schedule("2027-02-01", "markdown") else {
        return;
    };
    // Cutoff 2026-04-01: numpy 2.0.0's quarter (2026 Q2) is the first, left out; 2026 Q3
    // opens with numpy 2.1.0 (2024-08-18T21:39Z, drops 2026-08-18).
    let q = quarters(&markdown);
    assert_eq!(q.first(), Some(&"#### 2026 - Quarter 3:"));
    assert!(!markdown.contains("| 2.0.0 "), "{markdown}");
    let q3 = markdown
        .split("#### 2026 - Quarter 3:")
        .nth(1)
        .and_then(|s| s.split("\n#### ").next())
        .expect("Q3");
    assert!(
        q3.lines().any(|l| l.starts_with("| numpy ")
            && l.contains("| 2.1.0 ")
            && l.contains("released Aug 2024")),
        "{q3}"
    );
}

#[test]
fn text_ics_and_mermaid_views_agree() {
    let Some(text) = schedule("2026-11-24", "text") else {
        return;
    };
    assert!(
        text.starts_with("SPEC 0 drop schedule as of 2026-11-24"),
        "{text}"
    );
    assert!(
        text.lines()
            .any(|l| l.contains("numpy") && l.contains("2.2.0") && l.contains("2.3.0")),
        "{text}"
    );
    let Some(ics) = schedule("2026-11-24", "ics") else {
        return;
    };
    // One event per printed quarter: 12, as in the markdown.
    assert_eq!(ics.matches("BEGIN:VEVENT").count(), 12);
    let Some(chart) = schedule("2026-11-24", "mermaid") else {
        return;
    };
    // python's section keeps every version whose drop is after the cutoff (2026-01-01).
    assert!(chart.contains("section python\n3.12 : 2023-10-02,2026-10-01\n3.13 : 2024-10-07,2027-10-07\n3.14 : 2025-10-07,2028-10-06\n3.15 : 2026-10-01,2029-09-30\n"), "{chart}");
    assert!(chart.contains("\nsection zarr\n"), "{chart}");
}

#[test]
fn a_project_on_the_schedules_minimums_passes_check_on_2026_12_07() {
    let Some(corpus) = corpus() else {
        return;
    };
    let (server, _) = fake_pypi(&corpus, 600);
    let dir = tempfile::tempdir().expect("tempdir");
    // The schedule of 2026-12-07: from 2026-10-01 (2026 Q4) the minimums are numpy 2.3.0
    // (2.2.0, released 2024-12-08, is supported until 2026-12-08, in that quarter), ipython
    // 8.32.0 and Python 3.13; the same figures are listed as in force on the day.
    let output = agora(dir.path(), &server.url("/simple"))
        .args(["schedule", "--date", "2026-12-07"])
        .output()
        .expect("runs");
    assert!(output.status.success(), "{}", support::stderr(&output));
    let text = stdout(&output);
    let q4_row = |package: &str| {
        let mut in_q4 = false;
        text.lines()
            .find(|l| {
                if l.starts_with("2026 Q4") {
                    in_q4 = true;
                } else if !l.starts_with(' ') {
                    in_q4 = false;
                }
                in_q4 && l.split_whitespace().any(|w| w == package)
            })
            .map(str::to_string)
            .unwrap_or_default()
    };
    assert!(q4_row("numpy").trim_end().ends_with("2.3.0"), "{text}");
    assert!(q4_row("ipython").trim_end().ends_with("8.32.0"), "{text}");
    let in_force = text
        .split("Minimums in force on 2026-12-07")
        .nth(1)
        .unwrap_or_default();
    for (package, version) in [
        ("numpy", "2.3.0"),
        ("ipython", "8.32.0"),
        ("python", "3.13"),
    ] {
        assert!(
            in_force.lines().any(|l| {
                let words: Vec<&str> = l.split_whitespace().collect();
                words.first() == Some(&package) && words.get(1) == Some(&version)
            }),
            "{package} {version}: {text}"
        );
    }
    // A pyproject with exactly those floors passes the check of the same day.
    std::fs::write(
        dir.path().join("pyproject.toml"),
        "[project]\nname = \"follower\"\nrequires-python = \">=3.13\"\ndependencies = [\"numpy>=2.3\", \"ipython>=8.32\"]\n",
    )
    .expect("write");
    let output = agora(dir.path(), &server.url("/simple"))
        .args(["schedule", "check", "--date", "2026-12-07"])
        .output()
        .expect("runs");
    assert_eq!(
        output.status.code(),
        Some(0),
        "{}{}",
        stdout(&output),
        support::stderr(&output)
    );
    assert!(
        stdout(&output).contains("3 fine, 0 may raise, 0 below policy"),
        "{}",
        stdout(&output)
    );
    // And review's AG100, reading the store the two commands filled, agrees.
    let output = agora(dir.path(), &server.url("/simple"))
        .args([
            "--offline",
            "review",
            "--date",
            "2026-12-07",
            "--select",
            "AG100",
            "--format",
            "json",
        ])
        .arg(dir.path())
        .output()
        .expect("runs");
    let review: serde_json::Value = serde_json::from_slice(&output.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}", support::stderr(&output)));
    assert_eq!(
        review["checks"]["AG100"]["result"], true,
        "{}",
        review["checks"]["AG100"]
    );
}

#[test]
fn offline_without_data_keeps_python_3_12_in_2026_q4() {
    // No stored data: only Python's dates are known. The cutoff of 2026-12-07 is 2026-01-01
    // (2026 Q1); 3.12 drops 2026-10-01, in 2026 Q4, which must not be taken for the quarter
    // the published table leaves out.
    let dir = tempfile::tempdir().expect("tempdir");
    let output = agora(dir.path(), "http://127.0.0.1:9/simple")
        .args([
            "--offline",
            "schedule",
            "--date",
            "2026-12-07",
            "--format",
            "markdown",
        ])
        .output()
        .expect("runs");
    assert_eq!(
        output.status.code(),
        Some(1),
        "{}",
        support::stderr(&output)
    );
    let markdown = stdout(&output);
    let q = quarters(&markdown);
    assert_eq!(q.first(), Some(&"#### 2026 - Quarter 4:"), "{markdown}");
    assert!(
        markdown.contains("| python | 3.12 | released Oct 2023 |"),
        "{markdown}"
    );
    assert!(
        support::stderr(&output).contains("no release data for"),
        "{}",
        support::stderr(&output)
    );
}

#[test]
fn no_new_minimum_lies_inside_its_own_dropped_range() {
    let Some(text) = schedule("2026-11-24", "text") else {
        return;
    };
    // 2028 Q3 drops xarray 2026.7.0 to 2026.9.0 and zarr 3.3.0 to 3.4.0, each up to its
    // newest release: the new minimum is "–" (not yet released), as for numpy 2.5.0.
    for row in ["2026.7.0 to 2026.9.0", "3.3.0 to 3.4.0"] {
        let line = text.lines().find(|l| l.contains(row)).unwrap_or_default();
        assert!(line.trim_end().ends_with('–'), "{row}: {text}");
    }
    // Everywhere: a new minimum is newer than the newest version its row drops.
    for line in text.lines().filter(|l| l.contains(" to ")) {
        let words: Vec<&str> = line.split_whitespace().collect();
        let Some(to) = words.iter().position(|w| *w == "to") else {
            continue;
        };
        let (Some(newest), Some(minimum)) = (words.get(to + 1), words.last()) else {
            continue;
        };
        if *minimum == "–" {
            continue;
        }
        let newest: pep440_rs::Version = newest.parse().expect("version");
        let minimum: pep440_rs::Version = minimum.parse().expect("version");
        assert!(minimum > newest, "{line}");
    }
}

/// A pyproject.toml for the offline CLI tests: only Python's dates are known offline without a
/// store, so only requires-python has a SPEC 0 floor; numpy is left as written.
const SPEC0_PROJECT: &str = "# keep me\n[project]\nname = \"demo\"\nrequires-python = \">=3.10\"  # floor\ndependencies = [\n    \"numpy>=1.26; python_version < '3.14'\",  # numerics\n]\n\n[tool.z]\nb = 1\na = 2\n";

fn offline_schedule(dir: &std::path::Path, args: &[&str]) -> std::process::Output {
    agora(dir, "http://127.0.0.1:9/simple")
        .arg("--offline")
        .arg("schedule")
        .args(args)
        .output()
        .expect("runs")
}

#[test]
fn matrix_offline_github_and_json() {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::write(dir.path().join("pyproject.toml"), SPEC0_PROJECT).expect("write");
    // Python 3.10 (the floor) to 3.14, the newest out on 2026-05-01; exit 1 because the core
    // projects have no data offline, which stderr says.
    let output = offline_schedule(dir.path(), &["matrix", "--date", "2026-05-01"]);
    assert_eq!(
        output.status.code(),
        Some(1),
        "{}",
        support::stderr(&output)
    );
    assert!(support::stderr(&output).contains("no release data for"));
    insta::assert_snapshot!("matrix_github_offline", stdout(&output));
    let output = offline_schedule(
        dir.path(),
        &[
            "matrix",
            "--date",
            "2026-05-01",
            "--format",
            "json",
            "pyproject.toml",
        ],
    );
    let json = stdout(&output);
    let value: serde_json::Value = serde_json::from_str(&json).expect("json");
    assert_eq!(value["include"][0]["python-version"], "3.10");
    insta::assert_snapshot!("matrix_json_offline", json);
}

#[test]
fn check_fix_offline_raises_requires_python_and_keeps_the_file() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("pyproject.toml");
    std::fs::write(&path, SPEC0_PROJECT).expect("write");
    let output = offline_schedule(dir.path(), &["check", "--fix", "--date", "2026-05-01"]);
    let out = stdout(&output);
    assert!(
        out.starts_with("fixed pyproject.toml:4 (project.requires-python): >=3.10 -> >=3.12\n"),
        "{out}"
    );
    assert!(out.contains("1 fine, 0 may raise, 0 below policy"), "{out}");
    assert_eq!(
        std::fs::read_to_string(&path).expect("read"),
        SPEC0_PROJECT.replace(">=3.10", ">=3.12")
    );
    // Run again: nothing left to raise, the file is unchanged.
    let output = offline_schedule(dir.path(), &["check", "--fix", "--date", "2026-05-01"]);
    assert!(
        stdout(&output).starts_with("pyproject.toml: no floor to raise\n"),
        "{}",
        stdout(&output)
    );
}

#[test]
fn check_fix_on_malformed_toml_names_file_and_line() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("pyproject.toml");
    let broken = "[project]\nname = \"demo\"\ndependencies = [\"numpy>=1.26\"\n\n[tool.z]\n";
    std::fs::write(&path, broken).expect("write");
    let output = offline_schedule(dir.path(), &["check", "--fix"]);
    let stderr = support::stderr(&output);
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("pyproject.toml:") && stderr.contains("invalid TOML"),
        "{stderr}"
    );
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert_eq!(std::fs::read_to_string(&path).expect("read"), broken);
    let output = offline_schedule(dir.path(), &["matrix"]);
    assert_eq!(
        output.status.code(),
        Some(2),
        "{}",
        support::stderr(&output)
    );
}

#[test]
fn check_fix_then_check_passes_on_2026_12_07() {
    let Some(corpus) = corpus() else {
        return;
    };
    let (server, _) = fake_pypi(&corpus, 600);
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("pyproject.toml");
    // The minimums in force on 2026-12-07 (see the test above): numpy 2.3.0, ipython 8.32.0,
    // Python 3.13.
    std::fs::write(
        &path,
        "[project]\nname = \"follower\"\n# floor\nrequires-python = \">=3.10\"\ndependencies = [\n  \"numpy>=1.26,<3\",  # n\n  \"ipython[test]>=8.0; python_version >= '3.11'\",\n]\n",
    )
    .expect("write");
    let output = agora(dir.path(), &server.url("/simple"))
        .args(["schedule", "check", "--fix", "--date", "2026-12-07"])
        .output()
        .expect("runs");
    assert_eq!(
        output.status.code(),
        Some(0),
        "{}{}",
        stdout(&output),
        support::stderr(&output)
    );
    assert_eq!(
        std::fs::read_to_string(&path).expect("read"),
        "[project]\nname = \"follower\"\n# floor\nrequires-python = \">=3.13\"\ndependencies = [\n  \"numpy>=2.3.0,<3\",  # n\n  \"ipython[test]>=8.32.0; python_version >= '3.11'\",\n]\n"
    );
    let output = agora(dir.path(), &server.url("/simple"))
        .args(["--offline", "schedule", "check", "--date", "2026-12-07"])
        .output()
        .expect("runs");
    assert_eq!(output.status.code(), Some(0), "{}", stdout(&output));
}
