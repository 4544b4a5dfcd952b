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

/// An environment with only the given variables.
fn env_of(vars: &[(&str, &std::path::Path)]) -> impl Fn(&str) -> Option<std::ffi::OsString> {
    let vars: Vec<(String, std::ffi::OsString)> = vars
        .iter()
        .map(|(k, v)| (k.to_string(), v.as_os_str().to_owned()))
        .collect();
    move |name| vars.iter().find(|(k, _)| k == name).map(|(_, v)| v.clone())
}

#[test]
fn without_config_the_store_goes_to_the_repository_root() {
    // networkx/classes in a checkout whose `.git` is two levels up.
    let dir = tempfile::tempdir().expect("tempdir");
    let repo = dir.path().join("networkx");
    let nested = repo.join("networkx/classes");
    std::fs::create_dir_all(&nested).expect("mkdir");
    std::fs::create_dir(repo.join(".git")).expect("mkdir .git");
    let cache = dir.path().join("xdg-cache");
    let paths = Paths::locate(&nested, None, None, env_of(&[("XDG_CACHE_HOME", &cache)]));
    assert_eq!(paths.placement, Placement::Repository);
    assert_eq!(paths.root, repo);
    assert_eq!(paths.db, repo.join(".agora/agora.db"));
    assert_eq!(paths.http_cache, repo.join(".agora/cache/http"));
    // A worktree or submodule has a `.git` file, not a folder: its root counts the same.
    let worktree = dir.path().join("wt");
    std::fs::create_dir_all(worktree.join("src")).expect("mkdir");
    std::fs::write(
        worktree.join(".git"),
        "gitdir: ../networkx/.git/worktrees/wt\n",
    )
    .expect("write");
    let paths = Paths::locate(&worktree.join("src"), None, None, env_of(&[]));
    assert_eq!(paths.db, worktree.join(".agora/agora.db"));
    // Creating the state folder writes a .gitignore that ignores everything in it.
    let paths = Paths::locate(&nested, None, None, env_of(&[]));
    paths.create_state_dir().expect("create");
    let ignore = std::fs::read_to_string(repo.join(".agora/.gitignore")).expect("gitignore");
    assert!(ignore.lines().any(|l| l == "*"), "{ignore}");
    assert!(!nested.join(".agora").exists());
}

#[test]
fn outside_a_repository_the_store_goes_to_the_user_cache() {
    let dir = tempfile::tempdir().expect("tempdir");
    let work = dir.path().join("somewhere/deep");
    std::fs::create_dir_all(&work).expect("mkdir");
    let cache = dir.path().join("xdg-cache");
    let home = dir.path().join("home");
    let paths = Paths::locate(
        &work,
        None,
        None,
        env_of(&[("XDG_CACHE_HOME", &cache), ("HOME", &home)]),
    );
    assert_eq!(paths.placement, Placement::UserCache);
    assert_eq!(paths.db, cache.join("agora/agora.db"));
    assert_eq!(paths.http_cache, cache.join("agora/cache/http"));
    paths.create_state_dir().expect("create");
    assert!(cache.join("agora").is_dir());
    assert!(!work.join(".agora").exists());
    // Without XDG_CACHE_HOME (or with a relative one, which XDG says to ignore): ~/.cache.
    let relative = std::path::Path::new("relative/cache");
    let paths = Paths::locate(
        &work,
        None,
        None,
        env_of(&[("XDG_CACHE_HOME", relative), ("HOME", &home)]),
    );
    assert_eq!(paths.db, home.join(".cache/agora/agora.db"));
    // No home either: the working directory, as before.
    let paths = Paths::locate(&work, None, None, env_of(&[]));
    assert_eq!(paths.placement, Placement::WorkingDirectory);
    assert_eq!(paths.db, work.join(".agora/agora.db"));
}

#[test]
fn a_config_and_db_take_precedence() {
    let dir = tempfile::tempdir().expect("tempdir");
    let nested = dir.path().join("a/b");
    std::fs::create_dir_all(&nested).expect("mkdir");
    std::fs::create_dir(dir.path().join(".git")).expect("mkdir .git");
    let config = dir.path().join("a").join(CONFIG_FILE);
    let paths = Paths::locate(&nested, Some(&config), None, env_of(&[]));
    assert_eq!(paths.placement, Placement::Config);
    assert_eq!(paths.db, dir.path().join("a/.agora/agora.db"));
    let db = dir.path().join("elsewhere.db");
    let paths = Paths::locate(&nested, None, Some(&db), env_of(&[]));
    assert_eq!(paths.db, db);
    assert_eq!(paths.http_cache, dir.path().join(".agora/cache/http"));
}

#[test]
fn serve_settings_default_and_resolve_the_site_beside_the_file() {
    let text = "[serve]\nbind = \"0.0.0.0:9000\"\nsite = \"public\"\nuploads-per-minute = 5\n";
    let parsed = Ecosystem::parse(text, Path::new("/srv/agora/agora.toml")).expect("parses");
    assert_eq!(parsed.serve.bind, "0.0.0.0:9000");
    assert_eq!(
        parsed.serve.site.as_deref(),
        Some(Path::new("/srv/agora/public"))
    );
    assert_eq!(parsed.serve.uploads_per_minute, 5);
    assert_eq!(
        parsed.serve.max_body_bytes,
        ServeSettings::default().max_body_bytes
    );
    assert_eq!(Ecosystem::builtin().serve, ServeSettings::default());
    let error = Ecosystem::parse("[serve]\nport = 1\n", Path::new("agora.toml"))
        .expect_err("unknown keys are refused");
    assert!(error.to_string().contains("port"), "{error}");
}
