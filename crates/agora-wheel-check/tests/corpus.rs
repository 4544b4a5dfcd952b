//! The real numpy 2.4.6 and scipy 1.17.1 cp311 manylinux wheels (the downloads of the
//! numpydoc reference data): RECORD verifies, and the manylinux tag agora computes from the
//! ELF files is the one in the file name (auditwheel show says `manylinux_2_27_x86_64` for both).
//!
//! Runs when `AGORA_CORPUS` is set. The wheels are cached in `<workspace>/target/corpus-wheels/`
//! (shared with the docs-lint corpus test); a missing one is fetched with
//! `pip download --no-deps --only-binary=:all: --python-version 3.11 numpy==2.4.6 scipy==1.17.1`
//! into a temporary folder beside it and renamed into place, so concurrent test binaries never
//! see a half-written wheel.

use std::path::{Path, PathBuf};
use std::process::Command;

use agora_wheel_check::check_path;
use agora_wheel_check::filename::{LinuxTag, linux_tag};

const WANTED: [&str; 2] = ["numpy-2.4.6-cp311-cp311-", "scipy-1.17.1-cp311-cp311-"];

fn find(dir: &Path, prefix: &str) -> Option<PathBuf> {
    let mut found: Vec<PathBuf> = std::fs::read_dir(dir)
        .ok()?
        .filter_map(Result::ok)
        .map(|entry| entry.path())
        .filter(|path| {
            path.file_name()
                .and_then(|name| name.to_str())
                .is_some_and(|name| {
                    name.starts_with(prefix) && name.contains("manylinux") && name.ends_with(".whl")
                })
        })
        .collect();
    found.sort();
    found.pop()
}

fn corpus_wheels() -> Vec<PathBuf> {
    let workspace = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let dir = workspace.join("target").join("corpus-wheels");
    std::fs::create_dir_all(&dir).expect("create target/corpus-wheels");
    if WANTED.iter().any(|prefix| find(&dir, prefix).is_none()) {
        let tmp = tempfile::tempdir_in(workspace.join("target")).expect("temp dir in target/");
        let python = std::env::var("PYTHON").unwrap_or_else(|_| "python3".to_string());
        let status = Command::new(&python)
            .args([
                "-m",
                "pip",
                "download",
                "--quiet",
                "--no-deps",
                "--only-binary=:all:",
            ])
            .args([
                "--python-version",
                "3.11",
                "numpy==2.4.6",
                "scipy==1.17.1",
                "-d",
            ])
            .arg(tmp.path())
            .status()
            .expect("run pip download");
        assert!(status.success(), "pip download of the corpus wheels failed");
        for entry in std::fs::read_dir(tmp.path())
            .expect("read the download dir")
            .flatten()
        {
            let target = dir.join(entry.file_name());
            if !target.exists() {
                // A rename within target/ is atomic: another test binary sees all or nothing.
                std::fs::rename(entry.path(), &target).expect("move the wheel into place");
            }
        }
    }
    WANTED
        .iter()
        .map(|prefix| find(&dir, prefix).unwrap_or_else(|| panic!("no {prefix}* wheel")))
        .collect()
}

#[test]
fn numpy_and_scipy_wheels_verify_and_qualify_for_their_tag() {
    if std::env::var_os("AGORA_CORPUS").is_none() {
        eprintln!(
            "skip: AGORA_CORPUS is not set (the corpus test downloads numpy and scipy wheels)"
        );
        return;
    }
    for path in corpus_wheels() {
        let report = check_path(&path).expect("read the wheel");
        assert!(
            report.files > 1000,
            "{}: {} files",
            report.wheel,
            report.files
        );
        let broken: Vec<_> = report
            .findings
            .iter()
            .filter(|f| {
                f.code.starts_with("WC0") || f.code.starts_with("WC1") || f.code.starts_with("WC2")
            })
            .collect();
        assert!(broken.is_empty(), "{}: {broken:#?}", report.wheel);
        let Some(linux) = &report.linux else {
            panic!("{}: no Linux report", report.wheel);
        };
        // The oldest manylinux tag in the file name is the one the binaries must meet.
        let stem = report.wheel.trim_end_matches(".whl");
        let platforms = stem.rsplit('-').next().unwrap_or_default();
        let oldest = platforms
            .split('.')
            .filter_map(|tag| match linux_tag(tag) {
                Some(LinuxTag::Manylinux { glibc, arch }) => Some((glibc, arch, tag.to_string())),
                _ => None,
            })
            .min()
            .map(|(glibc, arch, _)| format!("manylinux_{}_{}_{arch}", glibc.0, glibc.1));
        assert_eq!(Some(linux.computed.clone()), oldest, "{}", report.wheel);
        assert_eq!(linux.libc, "glibc");
        assert!(linux.external_libraries.contains("libc.so.6"));
        assert!(
            !linux.vendored_libraries.is_empty(),
            "both vendor OpenBLAS and gfortran"
        );
        assert!(
            report.findings.iter().all(|f| f.code.starts_with("WC3")),
            "{}: only check-wheel-contents findings expected: {:#?}",
            report.wheel,
            report.findings
        );
        eprintln!(
            "{}: {} files, {} findings, qualifies for {}, newest {:?}",
            report.wheel,
            report.files,
            report.findings.len(),
            linux.computed,
            linux.newest
        );
    }
}
