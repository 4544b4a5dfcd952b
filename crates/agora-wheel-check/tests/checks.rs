//! Every check on small wheels built here: a good one passes, each broken one gets its code.

mod support;

use agora_wheel_check::{RULES, Severity, check_bytes};
use support::{WheelBuilder, codes, metadata};

#[test]
fn a_good_wheel_has_no_findings() {
    let report = WheelBuilder::pure().check();
    assert_eq!(report.findings, vec![], "{report:#?}");
    assert_eq!(report.files, 6);
    assert!(!report.has_errors());
}

#[test]
fn archive_problems() {
    let good = WheelBuilder::pure().bytes();
    // Truncated: the central directory is gone.
    let half = &good[..good.len() / 2];
    let report = check_bytes("demo-1.0-py3-none-any.whl", "test", half);
    assert_eq!(codes(&report), ["WC001"]);
    assert_eq!(report.files, 0);
    // Not a zip at all.
    let report = check_bytes("demo-1.0-py3-none-any.whl", "test", b"<html>404</html>");
    assert_eq!(codes(&report), ["WC001"]);
    // A member's data corrupted in place: its CRC no longer matches.
    let wheel = WheelBuilder::new("demo", "1.0", "py3-none-any", &["py3-none-any"], true)
        .file("demo/__init__.py", &[b'x'; 4000]);
    let mut bytes = wheel.bytes();
    let marker = b"demo/__init__.py";
    let at = bytes
        .windows(marker.len())
        .position(|w| w == marker)
        .expect("the local header names the member");
    // Past the local header's name, into the deflated data.
    bytes[at + marker.len() + 3] ^= 0xff;
    let report = check_bytes(&wheel.filename, "test", &bytes);
    assert!(report.codes().contains(&"WC002"), "{report:#?}");
    // The same name twice: write `demo/b.py`, then rename it in the headers to `demo/a.py`.
    let wheel = WheelBuilder::pure()
        .file("demo/a.py", b"a = 1\n")
        .file("demo/b.py", b"b = 2\n");
    let mut bytes = wheel.bytes();
    let mut renamed = 0;
    for at in 0..bytes.len().saturating_sub(9) {
        if &bytes[at..at + 9] == b"demo/b.py" {
            bytes[at + 5] = b'a';
            renamed += 1;
        }
    }
    assert_eq!(
        renamed, 2,
        "the local header and the central directory (RECORD is deflated)"
    );
    let report = check_bytes(&wheel.filename, "test", &bytes);
    assert!(report.codes().contains(&"WC004"), "{report:#?}");
    // An unsafe path.
    let report = WheelBuilder::pure().file("../evil.py", b"x = 1\n").check();
    assert!(report.codes().contains(&"WC003"), "{report:#?}");
}

#[test]
fn file_name_problems() {
    let cases = [
        ("demo-1.0.whl", "WC010"),
        ("Demo-1.0-py3-none-any.whl", "WC011"),
        ("demo-1.0.post-x-py3-none-any.whl", "WC014"),
        ("demo-1.0-py3-none-weird_os.whl", "WC016"),
    ];
    for (filename, code) in cases {
        let report = WheelBuilder::pure().named(filename).check();
        assert!(report.codes().contains(&code), "{filename}: {report:#?}");
    }
    let report = WheelBuilder::new("demo", "1.0-RC1", "py3-none-any", &["py3-none-any"], true)
        .file("demo/__init__.py", b"x = 1\n")
        .named("demo-1.0RC1-py3-none-any.whl")
        .check();
    assert!(report.codes().contains(&"WC013"), "{report:#?}");
    let report = WheelBuilder::new("demo", "one", "py3-none-any", &["py3-none-any"], true)
        .file("demo/__init__.py", b"x = 1\n")
        .check();
    assert!(report.codes().contains(&"WC012"), "{report:#?}");
}

#[test]
fn tags_must_agree_with_wheel() {
    let report = WheelBuilder::pure()
        .dist_file(
            "WHEEL",
            &support::wheel_file(&["py2-none-any", "py3-none-any"], true),
        )
        .check();
    assert_eq!(codes(&report), ["WC017"]);
    assert!(report.findings[0].message.contains("py2-none-any"));
    let report = WheelBuilder::pure()
        .named("demo-1.0-py2.py3-none-any.whl")
        .dist_file(
            "WHEEL",
            &support::wheel_file(&["py2-none-any", "py3-none-any"], true),
        )
        .check();
    assert_eq!(report.findings, vec![], "compressed tag sets expand");
}

#[test]
fn record_problems() {
    let pure = WheelBuilder::pure();
    let record = pure.computed_record();
    // No RECORD at all is another wheel: write one without it by naming RECORD elsewhere.
    let tampered = record.replace(",28\n", ",29\n");
    assert_ne!(tampered, record, "the fixture has a 28-byte file");
    let cases: Vec<(String, &str)> = vec![
        (tampered, "WC106"),
        (record.replacen("sha256=", "sha256=AAAA", 1), "WC105"),
        (record.replacen("sha256=", "md5=", 1), "WC108"),
        (
            record.replace(
                "demo-1.0.dist-info/RECORD,,",
                "demo-1.0.dist-info/RECORD,sha256=abc,10",
            ),
            "WC109",
        ),
        (record.replace("demo-1.0.dist-info/RECORD,,\n", ""), "WC109"),
        (format!("{record}demo/gone.py,sha256=abc,3\n"), "WC104"),
        (format!("{record}demo/core.py,,\n"), "WC110"),
        (format!("{record}a,b\n"), "WC102"),
        (format!("{record}\"unterminated,sha256=x,1\n"), "WC102"),
    ];
    for (record, code) in cases {
        let report = WheelBuilder::pure().record(&record).check();
        assert_eq!(codes(&report), [code], "{record}\n{report:#?}");
    }
    let report = WheelBuilder::pure().unlisted("demo/core.py").check();
    assert_eq!(codes(&report), ["WC103"]);
    let unhashed = record.replace(
        &record
            .lines()
            .find(|l| l.starts_with("demo/core.py"))
            .expect("core.py row")
            .to_string(),
        "demo/core.py,,",
    );
    let report = WheelBuilder::pure().record(&unhashed).check();
    assert_eq!(codes(&report), ["WC107"]);
    // RECORD missing: a wheel whose RECORD lives in another directory.
    let mut wheel = WheelBuilder::pure();
    wheel.dist_info = "other-1.0.dist-info".to_string();
    let report = check_bytes(&wheel.filename, "test", &wheel.bytes());
    assert!(report.codes().contains(&"WC101"), "{report:#?}");
}

#[test]
fn wheel_and_metadata_problems() {
    let meta = metadata("demo", "1.0");
    let cases: Vec<(WheelBuilder, &str)> = vec![
        (
            WheelBuilder::pure().without("demo-1.0.dist-info/WHEEL"),
            "WC202",
        ),
        (
            WheelBuilder::pure().dist_file(
                "WHEEL",
                "Wheel-Version: 2.0\nRoot-Is-Purelib: true\nTag: py3-none-any\n",
            ),
            "WC203",
        ),
        (
            WheelBuilder::pure().dist_file("WHEEL", "Wheel-Version: 1.0\nTag: py3-none-any\n"),
            "WC204",
        ),
        (
            WheelBuilder::pure().without("demo-1.0.dist-info/METADATA"),
            "WC205",
        ),
        (
            WheelBuilder::pure().dist_file("METADATA", "this is not email headers\n"),
            "WC205",
        ),
        (
            WheelBuilder::pure().dist_file(
                "METADATA",
                &meta.replace("Metadata-Version: 2.4", "Metadata-Version: 9.9"),
            ),
            "WC206",
        ),
        (
            WheelBuilder::pure().dist_file("METADATA", &meta.replace("Name: demo", "Name: other")),
            "WC207",
        ),
        (
            WheelBuilder::pure().dist_file(
                "METADATA",
                &meta.replace("Version: 1.0\n", "Version: 1.1\n"),
            ),
            "WC208",
        ),
        (
            WheelBuilder::pure().dist_file("METADATA", &meta.replace(">=3.11", ">=3.11,,<4")),
            "WC209",
        ),
        (
            WheelBuilder::pure().dist_file("METADATA", &meta.replace("numpy>=1.25", "numpy>>1.25")),
            "WC210",
        ),
        (
            WheelBuilder::pure().dist_file("METADATA", &meta.replace("text/markdown", "text/html")),
            "WC211",
        ),
        (
            WheelBuilder::pure().dist_file(
                "METADATA",
                &meta.replace("Description-Content-Type: text/markdown\n", ""),
            ),
            "WC212",
        ),
        (
            WheelBuilder::pure()
                .dist_file("METADATA", meta.split("\n\n").next().unwrap_or_default()),
            "WC213",
        ),
        (
            WheelBuilder::pure().dist_file("METADATA", &meta.replace("Name: demo\n", "")),
            "WC214",
        ),
    ];
    for (wheel, code) in cases {
        let report = wheel.check();
        assert_eq!(codes(&report), [code], "{report:#?}");
    }
    // A .dist-info named unlike the file name.
    let mut wheel = WheelBuilder::pure();
    wheel.files = wheel
        .files
        .into_iter()
        .map(|(p, c)| (p.replace("demo-1.0.dist-info", "demo-2.0.dist-info"), c))
        .collect();
    wheel.dist_info = "demo-2.0.dist-info".into();
    assert_eq!(codes(&wheel.check()), ["WC201"]);
}

#[test]
fn contents_problems_as_check_wheel_contents() {
    let cases: Vec<(WheelBuilder, &str)> = vec![
        (
            WheelBuilder::pure().file("demo/core.cpython-311.pyc", b"\x0d\x0d\x0a\x00"),
            "WC301",
        ),
        (
            WheelBuilder::pure().file("demo/copy.py", b"def answer():\n    return 42\n"),
            "WC302",
        ),
        (WheelBuilder::pure().file("README.md", b"# demo\n"), "WC303"),
        (
            WheelBuilder::pure().file("my-module.py", b"x = 1\n"),
            "WC304",
        ),
        (
            WheelBuilder::pure().file("demo/my-module.py", b"x = 1\n"),
            "WC313",
        ),
        (
            WheelBuilder::pure()
                .file("demo/class/__init__.py", b"")
                .file("demo/class/x.py", b"x = 1\n"),
            "WC304",
        ),
        (
            WheelBuilder::pure()
                .file("_tests/test_x.py", b"y = 2\n")
                .file("_tests/x.txt", b"z"),
            "WC305_skip",
        ),
        (
            WheelBuilder::pure().file("__init__.py", b"q = 3\n"),
            "WC306",
        ),
        (
            WheelBuilder::pure()
                .file("_extra.py", b"w = 4\n")
                .file("other/data.txt", b"d"),
            "WC310",
        ),
    ];
    for (wheel, code) in cases {
        let report = wheel.check();
        if code == "WC305_skip" {
            // `_`-prefixed names are neither common names nor counted top-level entries.
            assert_eq!(codes(&report), Vec::<&str>::new(), "{report:#?}");
            continue;
        }
        assert!(codes(&report).contains(&code), "{code}: {report:#?}");
    }
    let report = WheelBuilder::pure()
        .file("tests/test_demo.py", b"import demo\n")
        .check();
    assert_eq!(codes(&report), ["WC305", "WC309"]);
    let report = WheelBuilder::pure()
        .file("docs/index.txt", b"docs\n")
        .check();
    assert_eq!(codes(&report), ["WC305", "WC309", "WC310"]);
    let report = WheelBuilder::pure()
        .file("src/demo2/__init__.py", b"v = 5\n")
        .check();
    assert_eq!(codes(&report), ["WC305", "WC309"]);
    // .pth files and -stubs packages are fine.
    let report = WheelBuilder::pure()
        .file("demo.pth", b"import demo\n")
        .check();
    assert_eq!(report.findings, vec![], "{report:#?}");
    // Empty library, empty wheel.
    let empty = WheelBuilder::new("demo", "1.0", "py3-none-any", &["py3-none-any"], true);
    assert_eq!(codes(&empty.check()), ["WC307", "WC308"]);
    let scripts = empty.file("demo-1.0.data/scripts/demo", b"#!python\nprint(1)\n");
    assert_eq!(codes(&scripts.check()), ["WC307"]);
}

#[test]
fn every_code_is_documented_and_used() {
    let checks = include_str!("../CHECKS.md");
    for rule in RULES {
        assert!(
            checks.contains(&format!("## {}", rule.code)),
            "{} is not documented in CHECKS.md",
            rule.code
        );
    }
    let sources = [
        include_str!("../src/archive.rs"),
        include_str!("../src/filename.rs"),
        include_str!("../src/record.rs"),
        include_str!("../src/metadata.rs"),
        include_str!("../src/contents.rs"),
        include_str!("../src/platform.rs"),
        include_str!("../src/lib.rs"),
    ];
    let mut used = std::collections::BTreeSet::new();
    for source in sources {
        for piece in source.split('"').skip(1).step_by(2) {
            if piece.len() == 5
                && piece.starts_with("WC")
                && piece[2..].chars().all(|c| c.is_ascii_digit())
            {
                used.insert(piece.to_string());
            }
        }
    }
    for code in &used {
        assert!(
            RULES.iter().any(|r| r.code == code),
            "{code} is used but not in RULES"
        );
    }
    for rule in RULES {
        assert!(
            used.contains(rule.code),
            "{} is in RULES but never reported",
            rule.code
        );
    }
    assert!(RULES.iter().any(|r| r.severity == Severity::Info));
}
