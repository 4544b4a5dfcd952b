//! The real numpy 2.4.6 and scipy 1.17.1 cp311 manylinux wheels (the downloads of the
//! numpydoc reference data): RECORD verifies, and the manylinux tag agora computes from the
//! ELF files is the one in the file name (auditwheel show says `manylinux_2_27_x86_64` for both).
//!
//! Runs when `AGORA_CORPUS` is set. The wheels come from `agora_corpus::numpy_scipy_wheels`,
//! cached in `<workspace>/target/corpus-wheels/`
//! (shared with the docs-lint corpus test); a missing one is fetched with
//! `pip download --no-deps --only-binary=:all: --python-version 3.11 numpy==2.4.6 scipy==1.17.1`
//! into a temporary folder beside it and renamed into place, so concurrent test binaries never
//! see a half-written wheel.

use agora_wheel_check::check_path;
use agora_wheel_check::filename::{LinuxTag, linux_tag};

#[test]
fn numpy_and_scipy_wheels_verify_and_qualify_for_their_tag() {
    if std::env::var_os("AGORA_CORPUS").is_none() {
        eprintln!(
            "skip: AGORA_CORPUS is not set (the corpus test downloads numpy and scipy wheels)"
        );
        return;
    }
    for path in agora_corpus::numpy_scipy_wheels() {
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

/// The ecosystem's own wheels pass: what PEP 639, auditwheel and the projects' test data put
/// there on purpose is no error (numpy 2.4.6, scipy 1.17.1 and scikit-learn 1.7.2 failed with
/// licence "duplicates", `<name>.libs/` as a second package and numpy's
/// `typing/tests/data/pass/` file by file).
#[test]
fn the_ecosystems_official_wheels_pass() {
    if std::env::var_os("AGORA_CORPUS").is_none() {
        eprintln!("skip: AGORA_CORPUS is not set (the corpus test downloads the wheels)");
        return;
    }
    let wheels = agora_corpus::ecosystem_wheels();
    assert_eq!(wheels.len(), 5);
    for path in wheels {
        let report = check_path(&path).expect("read the wheel");
        let errors: Vec<_> = report
            .findings
            .iter()
            .filter(|f| f.severity == agora_wheel_check::Severity::Error)
            .collect();
        assert!(errors.is_empty(), "{}: {errors:#?}", report.wheel);
        assert!(!report.has_errors());
        eprintln!(
            "{}: {} files, {} findings: {:?}",
            report.wheel,
            report.files,
            report.findings.len(),
            report.codes()
        );
    }
}
