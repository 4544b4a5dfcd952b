//! Scratch PostgreSQL databases for tests, of this crate and of the crates above it.
//!
//! Tests that run against PostgreSQL read the server's URL from `AGORA_TEST_POSTGRES`
//! (`.ci/run` starts a throwaway cluster and sets it). Each test gets a schema of its own,
//! named after the test, the process, the thread and the clock, made fresh on the server, and a URL whose
//! `search_path` points at it, so tests running at once never see each other's rows. Without
//! the variable the PostgreSQL half is skipped with a printed note, except under `CI=true`,
//! where a missing server is a failure: CI never skips it.

/// The URL of a fresh, empty schema on the test server, or `None` (after a note on stderr)
/// when `AGORA_TEST_POSTGRES` is not set.
///
/// # Panics
/// When `CI` is `true` and `AGORA_TEST_POSTGRES` is not set, or the server cannot be reached:
/// this is for tests, which must fail then.
pub fn postgres_url(label: &str) -> Option<String> {
    let Some(base) = std::env::var("AGORA_TEST_POSTGRES")
        .ok()
        .filter(|s| !s.is_empty())
    else {
        assert!(
            std::env::var("CI").as_deref() != Ok("true"),
            "CI=true needs AGORA_TEST_POSTGRES (a PostgreSQL server; .ci/run starts one)"
        );
        eprintln!(
            "note: AGORA_TEST_POSTGRES is not set; the PostgreSQL half of {label} is skipped"
        );
        return None;
    };
    let clean: String = label
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                '_'
            }
        })
        .take(20)
        .collect();
    let thread: String = format!("{:?}", std::thread::current().id())
        .chars()
        .filter(char::is_ascii_digit)
        .collect();
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos());
    let schema = format!("t_{clean}_{}_{thread}_{nanos}", std::process::id());
    let mut client = postgres::Client::connect(&base, postgres::NoTls)
        .unwrap_or_else(|e| panic!("cannot reach AGORA_TEST_POSTGRES ({base}): {e}"));
    client
        .batch_execute(&format!(
            "DROP SCHEMA IF EXISTS {schema} CASCADE; CREATE SCHEMA {schema}"
        ))
        .unwrap_or_else(|e| panic!("cannot create schema {schema}: {e}"));
    let separator = if base.contains('?') { '&' } else { '?' };
    Some(format!("{base}{separator}options=-csearch_path%3D{schema}"))
}
