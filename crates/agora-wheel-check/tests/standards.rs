//! What the packaging standards and auditwheel put in wheels on purpose passes; what is a
//! real mistake (a stray copy, a second package) still fails, grouped one finding per pattern.
//!
//! The shapes are those of the ecosystem's own wheels: PEP 639 licence files repeated in
//! `.dist-info/licenses/`, auditwheel's `<name>.libs/` of vendored shared libraries, numpy's
//! `typing/tests/data/pass/` data folder and PyInstaller hook, scikit-learn's identical
//! `__init__.py` markers and identical test fixtures.

mod support;

use agora_wheel_check::{Options, Settings, Severity, check_bytes_with};
use support::{WheelBuilder, codes, compile};

/// The errors of a report, as codes.
fn errors(report: &agora_wheel_check::Report) -> Vec<&'static str> {
    report
        .findings
        .iter()
        .filter(|finding| finding.severity == Severity::Error)
        .map(|finding| finding.code)
        .collect()
}

#[test]
fn licence_files_in_dist_info_are_no_duplicates() {
    let licence = b"Copyright (c) 2005-2025, NumPy Developers.\nAll rights reserved.\n";
    let report = WheelBuilder::pure()
        .file("demo/random/LICENSE.md", licence)
        .file(
            "demo-1.0.dist-info/licenses/demo/random/LICENSE.md",
            licence,
        )
        // The same text licensing a second vendored part, under another path.
        .file(
            "demo-1.0.dist-info/licenses/demo/include/libdivide/LICENSE.txt",
            licence,
        )
        .check();
    assert_eq!(report.findings, vec![], "{report:#?}");
}

#[test]
fn package_markers_and_fixtures_are_no_duplicates_but_a_stray_copy_is() {
    let header = b"# Authors: The demo developers\n# SPDX-License-Identifier: BSD-3-Clause\n";
    let fixture = b"\x1f\x8b\x08\x00 identical gzip bytes";
    let report = WheelBuilder::pure()
        .file("demo/a/__init__.py", header)
        .file("demo/b/__init__.py", header)
        .file("demo/tests/data/response-292.json.gz", fixture)
        .file("demo/tests/data/response-40981.json.gz", fixture)
        .check();
    assert_eq!(report.findings, vec![], "{report:#?}");
    // A module copied under another name is a stray copy.
    let report = WheelBuilder::pure()
        .file("demo/copy.py", b"def answer():\n    return 42\n")
        .check();
    assert_eq!(codes(&report), ["WC302"], "{report:#?}");
    // A tree copied where it was meant to be moved: one finding for the pair of folders.
    let report = WheelBuilder::pure()
        .file("demo/old/core.py", b"def answer():\n    return 42\n")
        .file("demo/old/data.csv", b"a,b\n1,2\n")
        .file("demo/data.csv", b"a,b\n1,2\n")
        .file("demo/old/__init__.py", b"from demo.core import answer\n")
        .check();
    let duplicates: Vec<_> = report
        .findings
        .iter()
        .filter(|finding| finding.code == "WC302")
        .collect();
    assert_eq!(duplicates.len(), 1, "{report:#?}");
    assert!(
        duplicates[0]
            .message
            .contains("2 files repeated across demo/, demo/old/"),
        "{:?}",
        duplicates[0]
    );
}

#[test]
fn auditwheels_libs_folder_is_no_second_package() {
    let dir = tempfile::tempdir().expect("tempdir");
    let Some(library) = compile(
        dir.path(),
        "libgfortran",
        "int gfortran_answer(void) { return 42; }\n",
        &[],
    ) else {
        panic!("cc is needed to build a vendored library (CI has gcc)");
    };
    let Some(extension) = compile(
        dir.path(),
        "ext",
        "int ext_answer(void) { return 1; }\n",
        &[],
    ) else {
        panic!("cc is needed to build an extension");
    };
    let library = std::fs::read(library).expect("read the library");
    let extension = std::fs::read(extension).expect("read the extension");
    let tag = format!("cp311-cp311-manylinux_2_17_{}", std::env::consts::ARCH);
    let wheel = WheelBuilder::new("demo", "1.0", &tag, &[tag.as_str()], false)
        .file("demo/__init__.py", b"from demo._ext import ext_answer\n")
        .file("demo/_ext.cpython-311-x86_64-linux-gnu.so", &extension)
        .file("demo.libs/libgfortran-040039e1.so.5.0.0", &library)
        .file("demo.libs/libscipy_openblas64_-ff651d7f.so", &library);
    let report = wheel.check();
    assert_eq!(errors(&report), Vec::<&str>::new(), "{report:#?}");
    for code in ["WC304", "WC309", "WC310"] {
        assert!(!report.codes().contains(&code), "{code}: {report:#?}");
    }
    // A second package under a `.libs` name is still a second package.
    let report = wheel
        .clone()
        .file("other.libs/__init__.py", b"x = 1\n")
        .check();
    assert!(report.codes().contains(&"WC309"), "{report:#?}");
    assert!(report.codes().contains(&"WC304"), "{report:#?}");
    // And so is a plain second package.
    let report = wheel.file("other/__init__.py", b"y = 2\n").check();
    assert!(report.codes().contains(&"WC309"), "{report:#?}");
}

#[test]
fn data_folders_and_hooks_are_not_unimportable_packages() {
    let mut wheel = WheelBuilder::pure()
        .file("demo/typing/__init__.py", b"")
        .file("demo/typing/tests/__init__.py", b"")
        .file("demo/_pyinstaller/__init__.py", b"")
        .file("demo/_pyinstaller/hook-demo.py", b"hiddenimports = []\n");
    for index in 0..35 {
        wheel = wheel.file(
            &format!("demo/typing/tests/data/pass/case_{index}.py"),
            format!("x{index}: int = {index}\n").as_bytes(),
        );
    }
    let report = wheel.check();
    assert_eq!(errors(&report), Vec::<&str>::new(), "{report:#?}");
    // The hook is a warning, once.
    assert_eq!(codes(&report), ["WC313"], "{report:#?}");
    // A package nobody can import is still an error, one finding for its folder.
    let report = WheelBuilder::pure()
        .file("demo/my-pkg/__init__.py", b"")
        .file("demo/my-pkg/a.py", b"a = 1\n")
        .file("demo/my-pkg/b.py", b"b = 2\n")
        .check();
    let unimportable: Vec<_> = report
        .findings
        .iter()
        .filter(|finding| finding.code == "WC304")
        .collect();
    assert_eq!(unimportable.len(), 1, "{report:#?}");
    assert_eq!(unimportable[0].path.as_deref(), Some("demo/my-pkg/"));
    assert!(
        unimportable[0].message.starts_with("3 files"),
        "{report:#?}"
    );
    // So is a top-level module under a name that is no identifier.
    let report = WheelBuilder::pure()
        .file("my-module.py", b"z = 3\n")
        .check();
    assert!(report.codes().contains(&"WC304"), "{report:#?}");
}

#[test]
fn select_ignore_and_toplevel() {
    let wheel = WheelBuilder::pure()
        .file("demo/core.cpython-311.pyc", b"\x0d\x0d\x0a\x00")
        .file("demo/sub/core.cpython-311.pyc", b"\x0d\x0d\x0a\x01")
        .file("extra/__init__.py", b"e = 1\n");
    let bytes = wheel.bytes();
    let run = |settings: Settings| {
        check_bytes_with(
            &wheel.filename,
            "test",
            &bytes,
            &Options {
                settings,
                ..Options::default()
            },
        )
    };
    assert_eq!(codes(&run(Settings::default())), ["WC301", "WC309"]);
    let Ok(ignoring) = Settings::default().with_command_line(&[], &["W001".to_string()]) else {
        panic!("W001 names WC301");
    };
    assert_eq!(codes(&run(ignoring)), ["WC309"]);
    let Ok(selecting) = Settings::default().with_command_line(&["WC301".to_string()], &[]) else {
        panic!("WC301 is a code");
    };
    assert_eq!(codes(&run(selecting)), ["WC301"]);
    // Declared top-level entries replace the one-package rule.
    let declared = Settings {
        toplevel: Some(vec!["demo".to_string(), "extra/".to_string()]),
        ..Settings::default()
    };
    assert_eq!(codes(&run(declared)), ["WC301"]);
    let too_few = Settings {
        toplevel: Some(vec!["demo".to_string(), "gone".to_string()]),
        ..Settings::default()
    };
    assert_eq!(codes(&run(too_few)), ["WC301", "WC311", "WC312"]);
    // Bytecode is one finding per folder, not per file.
    let report = run(Settings::default());
    let bytecode = report.findings.iter().filter(|f| f.code == "WC301").count();
    assert_eq!(bytecode, 2, "{report:#?}");
}
