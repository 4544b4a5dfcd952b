//! Findings on small fixture files: `every_code.py` triggers every numpydoc code and must give
//! exactly what numpydoc 1.11.0 printed for it (`every_code.numpydoc.txt`, recorded with
//! `numpydoc lint every_code.py`); `malformed.py` holds the docstrings numpydoc aborts on,
//! which agora reports as GL90 and still checks.

use std::collections::BTreeSet;
use std::path::Path;

use agora_numpydoc::validate::all_codes;
use agora_numpydoc::{Config, Finding, lint_source};

fn lint(name: &str) -> Vec<Finding> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name);
    let source = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{name}: {e}"));
    lint_source(name, &source, &Config::default()).unwrap_or_else(|e| panic!("{name}: {e}"))
}

fn text(findings: &[Finding]) -> String {
    findings
        .iter()
        .map(|f| format!("{}:{}: {} {}\n", f.path, f.line, f.code, f.message))
        .collect()
}

#[test]
fn every_code_as_numpydoc_reports_it() {
    let findings = lint("every_code.py");
    let expected = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/every_code.numpydoc.txt"),
    )
    .unwrap_or_default();
    assert_eq!(text(&findings), expected);
    let codes: BTreeSet<&str> = findings.iter().map(|f| f.code).collect();
    let every: BTreeSet<&str> = all_codes().into_iter().filter(|c| *c != "GL90").collect();
    assert_eq!(codes, every, "the fixture covers every numpydoc code");
    insta::assert_snapshot!("every_code", text(&findings));
}

fn gl90(findings: &[Finding], line: u32) -> Vec<String> {
    findings
        .iter()
        .filter(|f| f.line == line && f.code == "GL90")
        .map(|f| f.message.clone())
        .collect()
}

#[test]
fn backticked_name_in_see_also() {
    let findings = lint("malformed.py");
    let module = gl90(&findings, 1);
    assert_eq!(module.len(), 1, "{findings:#?}");
    assert!(module[0].contains("Error parsing See Also entry '`numpy.polynomial`'"));
}

#[test]
fn section_given_twice() {
    let findings = lint("malformed.py");
    let twice = gl90(&findings, 9);
    assert_eq!(twice.len(), 1, "{findings:#?}");
    assert!(twice[0].contains("The section See Also appears twice"));
    // The rest is still checked: x is undocumented.
    assert!(findings.iter().any(|f| f.line == 9 && f.code == "PR01"));
}

#[test]
fn template_placeholder_in_see_also() {
    let findings = lint("malformed.py");
    let template = gl90(&findings, 24);
    assert_eq!(template.len(), 1, "{findings:#?}");
    assert!(template[0].contains("'%(example)s'"));
    // With the bad line left out, See Also is empty: SA01 as for a missing section.
    assert!(findings.iter().any(|f| f.line == 24 && f.code == "SA01"));
}

#[test]
fn receives_without_yields() {
    let findings = lint("malformed.py");
    let receives = gl90(&findings, 35);
    assert_eq!(receives.len(), 1, "{findings:#?}");
    assert!(receives[0].contains("Receives section but not Yields"));
}

#[test]
fn malformed_file_snapshot() {
    let findings = lint("malformed.py");
    // The well-formed function after the bad ones is checked as usual.
    assert!(findings.iter().any(|f| f.line == 47 && f.code == "PR06"));
    insta::assert_snapshot!("malformed", text(&findings));
}
