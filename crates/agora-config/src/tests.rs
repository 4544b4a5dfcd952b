use std::path::Path;

use super::*;

#[test]
fn starter_file_spells_out_the_builtin_ecosystem() {
    let parsed =
        Ecosystem::parse(&starter_toml(), Path::new("agora.toml")).expect("starter parses");
    let builtin = Ecosystem::builtin();
    assert_eq!(parsed.projects, builtin.projects);
    assert_eq!(parsed.python, builtin.python);
    assert_eq!(parsed.index_url, builtin.index_url);
    assert_eq!(builtin.core_projects().count(), 10);
    assert_eq!(
        builtin.python.first().map(|p| p.version.as_str()),
        Some("3.8")
    );
    assert_eq!(
        builtin.python.last().map(|p| p.version.as_str()),
        Some("3.15")
    );
}

#[test]
fn file_overrides_and_extends_the_defaults() {
    let text = r#"
[ecosystem]
index-url = "http://127.0.0.1:9/simple"

[python]
"3.14" = 2025-10-08
"3.16" = 2027-10-01

[[project]]
name = "numpy"
docs = "https://example.org/numpy"

[[project]]
name = "astropy"
repo = "astropy/astropy"
checkout = "src/astropy"
"#;
    let eco = Ecosystem::parse(text, Path::new("agora.toml")).expect("parses");
    assert_eq!(eco.index_url, "http://127.0.0.1:9/simple");
    let numpy = eco.project("NumPy").expect("numpy");
    assert_eq!(numpy.docs.as_deref(), Some("https://example.org/numpy"));
    assert_eq!(numpy.repo.as_deref(), Some("numpy/numpy"));
    let astropy = eco.project("astropy").expect("astropy");
    assert_eq!(
        (astropy.role, astropy.pypi.as_str()),
        (Role::Member, "astropy")
    );
    assert_eq!(eco.core_projects().count(), 10);
    let versions: Vec<&str> = eco.python.iter().map(|p| p.version.as_str()).collect();
    assert_eq!(versions.last(), Some(&"3.16"));
    let py314 = eco
        .python
        .iter()
        .find(|p| p.version == "3.14")
        .expect("3.14");
    assert_eq!(py314.released.to_string(), "2025-10-08");
}

#[test]
fn without_defaults_only_the_file_counts() {
    let text =
        "[ecosystem]\ninclude-defaults = false\n[[project]]\nname = \"zarr\"\nrole = \"core\"\n";
    let eco = Ecosystem::parse(text, Path::new("a.toml")).expect("parses");
    assert_eq!(eco.projects.len(), 1);
    assert!(eco.python.is_empty());
}

fn error_of(text: &str) -> String {
    match Ecosystem::parse(text, Path::new("agora.toml")) {
        Ok(_) => panic!("expected an error for {text:?}"),
        Err(e) => e.to_string(),
    }
}

#[test]
fn bad_role_names_line_and_key() {
    let text = "[[project]]\nname = \"numpy\"\n\n[[project]]\nname = \"x\"\nrole = \"cor\"\n";
    let message = error_of(text);
    assert!(
        message.starts_with("agora.toml:6:8: project[1].role: "),
        "{message}"
    );
    assert!(message.contains("unknown variant `cor`"), "{message}");
}

#[test]
fn unknown_key_is_named() {
    let message = error_of("[ecosystem]\nname = \"x\"\nindex_url = \"y\"\n");
    assert!(
        message.starts_with("agora.toml:3:1: ecosystem"),
        "{message}"
    );
    assert!(message.contains("unknown field `index_url`"), "{message}");
}

#[test]
fn broken_toml_names_line() {
    let message = error_of("[ecosystem]\nname = \"x\n");
    assert!(message.starts_with("agora.toml:2:"), "{message}");
}

#[test]
fn python_dates_are_checked() {
    let message = error_of("[python]\n\"3.x\" = 2020-01-01\n");
    assert!(
        message.starts_with("agora.toml:2:1: python.\"3.x\": "),
        "{message}"
    );
    let message = error_of("[python]\n\"3.20\" = 2020-01-01T10:00:00Z\n");
    assert!(message.contains("expected a date"), "{message}");
    let message = error_of("[python]\n\"3.20\" = \"soon\"\n");
    assert!(message.starts_with("agora.toml:2:"), "{message}");
}

#[test]
fn names_normalize_like_pep_503() {
    assert_eq!(normalize("Scikit_Image"), "scikit-image");
    assert_eq!(normalize("a.-_b"), "a-b");
}

#[test]
fn config_is_found_upward() {
    let dir = tempfile::tempdir().expect("tempdir");
    let nested = dir.path().join("a/b");
    std::fs::create_dir_all(&nested).expect("mkdir");
    assert_eq!(find_config(&nested), None);
    std::fs::write(dir.path().join(CONFIG_FILE), "").expect("write");
    assert_eq!(find_config(&nested), Some(dir.path().join(CONFIG_FILE)));
    let paths = Paths::new(dir.path(), None);
    assert_eq!(paths.db, dir.path().join(".agora/agora.db"));
}
