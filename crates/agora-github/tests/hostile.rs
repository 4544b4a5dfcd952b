//! `github sync` against a hostile or broken GitHub (issue 15): a `Link` to another host must
//! not get the token, a `Link` back to a page already read must not loop, and rate limits that
//! reset years ahead must stop the sync with a message instead of sleeping for years.
//!
//! The servers are plain scripted routes (no corpus needed); every test bounds its run with a
//! watchdog, since the behaviours tested used to loop or sleep for ever.

use std::sync::mpsc;
use std::time::Duration;

use agora_fake_server::{FakeServer, Reply, Routes};
use agora_github::client::{ClientConfig, GithubClient};
use agora_github::{GithubError, SyncOptions, sync_repo};
use agora_http::ClientOptions;
use agora_store::Store;

const REPO: &str = "octo/hostile";
const TOKEN: &str = "ghp_test_token_never_leaves";

fn config(api_url: String, no_wait: bool) -> ClientConfig {
    ClientConfig {
        api_url,
        token: Some(TOKEN.into()),
        no_wait,
        max_wait: Duration::from_secs(60),
        http: ClientOptions {
            retries: 1,
            backoff: Duration::from_millis(1),
            max_retry_after: Duration::from_secs(2),
            timeout: Duration::from_secs(5),
            ..ClientOptions::default()
        },
    }
}

/// Runs a sync of [`REPO`] against `api_url` on a thread; fails the test if it has not ended
/// after 60 s (it used to loop or wait for ever).
fn sync_within_a_minute(api_url: String) -> Result<(), GithubError> {
    let (sender, receiver) = mpsc::channel();
    std::thread::spawn(move || {
        let client = GithubClient::new(config(api_url, false)).expect("client");
        let mut store = Store::open_in_memory().expect("store");
        let result = sync_repo(
            &client,
            &mut store,
            REPO,
            SyncOptions::default(),
            &mut |_| {},
        );
        let _ = sender.send(result.map(|_| ()));
    });
    receiver
        .recv_timeout(Duration::from_secs(60))
        .expect("the sync is still running after a minute: unbounded loop or wait")
}

fn issues_path() -> String {
    format!("/repos/{REPO}/issues")
}

#[test]
fn a_link_to_another_host_gets_no_token_and_stops_the_sync() {
    let thief = FakeServer::with_routes(Routes::new().fallback(Reply::json_text(200, "[]")));
    let next = format!(
        "<{}>; rel=\"next\"",
        thief.url("/latest/meta-data/iam?page=2")
    );
    let github = FakeServer::with_routes(Routes::new().on(
        issues_path(),
        Reply::json_text(200, "[]").header("link", next),
    ));
    let error = sync_within_a_minute(github.base_url()).expect_err("refused");
    match &error {
        GithubError::ForeignLink { url, api } => {
            assert!(url.contains(&thief.addr().to_string()), "{url}");
            assert_eq!(api, &github.base_url());
        }
        other => panic!("{other:?}"),
    }
    assert!(
        error.to_string().contains("not on the API's origin"),
        "{error}"
    );
    assert!(
        thief
            .requests()
            .iter()
            .all(|r| r.header("authorization").is_none()),
        "the token went to another host"
    );
    assert_eq!(
        thief.request_count(),
        0,
        "no request at all to another origin"
    );
    // The home server did get the token.
    assert!(
        github.requests()[0]
            .header("authorization")
            .is_some_and(|v| v.ends_with(TOKEN))
    );
}

#[test]
fn a_redirect_to_another_host_is_not_followed() {
    let thief = FakeServer::with_routes(Routes::new().fallback(Reply::json_text(200, "[]")));
    let github = FakeServer::with_routes(Routes::new().on(
        issues_path(),
        Reply::new(301).header("location", thief.url("/moved")),
    ));
    let error = sync_within_a_minute(github.base_url()).expect_err("refused");
    assert!(error.to_string().contains("another origin"), "{error}");
    assert_eq!(thief.request_count(), 0);
}

#[test]
fn a_link_back_to_the_same_page_is_a_loop_error() {
    // Every answer names itself as the next page.
    let github = FakeServer::start(move |request| {
        if request.path_only().ends_with("/issues") {
            let me = format!(
                "<http://{}{}>; rel=\"next\"",
                request.header("host").unwrap_or(""),
                request.path
            );
            Reply::json_text(200, "[]").header("link", me)
        } else {
            Reply::json_text(200, "[]")
        }
    });
    let error = sync_within_a_minute(github.base_url()).expect_err("loop");
    assert!(
        matches!(error, GithubError::PaginationLoop { .. }),
        "{error:?}"
    );
    assert!(error.to_string().contains("already read"), "{error}");
    assert!(github.request_count() <= 3, "{}", github.request_count());
}

#[test]
fn a_link_cycle_over_two_pages_is_a_loop_error() {
    let github = FakeServer::start(move |request| {
        let host = request.header("host").unwrap_or("").to_string();
        let path = request.path_only();
        if path.ends_with("/issues") {
            let next = if request.path.contains("page=2") {
                "1"
            } else {
                "2"
            };
            let link = format!("<http://{host}{path}?page={next}>; rel=\"next\"");
            Reply::json_text(200, "[]").header("link", link)
        } else {
            Reply::json_text(200, "[]")
        }
    });
    let error = sync_within_a_minute(github.base_url()).expect_err("loop");
    assert!(
        matches!(error, GithubError::PaginationLoop { .. }),
        "{error:?}"
    );
}

/// `get_page` of the issues listing against `reply`, with waiting allowed.
fn first_page_error(reply: Reply, no_wait: bool) -> (GithubError, usize) {
    let github = FakeServer::with_routes(Routes::new().on(issues_path(), reply));
    let api = github.base_url();
    let (sender, receiver) = mpsc::channel();
    std::thread::spawn(move || {
        let client = GithubClient::new(config(api, no_wait)).expect("client");
        let _ = sender.send(client.get_page(&issues_path(), None, &mut |_| {}));
    });
    let result = receiver
        .recv_timeout(Duration::from_secs(60))
        .expect("still waiting after a minute: the wait is not capped");
    (result.expect_err("refused"), github.request_count())
}

fn seconds_from_now(secs: u64) -> String {
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .expect("clock")
        .as_secs();
    (now + secs).to_string()
}

#[test]
fn a_rate_limit_reset_ten_years_ahead_stops_with_when_to_retry() {
    let reply = Reply::json_text(403, r#"{"message": "API rate limit exceeded"}"#)
        .header("x-ratelimit-limit", "5000")
        .header("x-ratelimit-remaining", "0")
        .header("x-ratelimit-reset", seconds_from_now(10 * 365 * 24 * 3600));
    let (error, requests) = first_page_error(reply, false);
    match &error {
        GithubError::WaitTooLong {
            wait_secs,
            max_wait_secs,
            ..
        } => {
            assert!(*wait_secs > 9 * 365 * 24 * 3600, "{wait_secs}");
            assert_eq!(*max_wait_secs, 60);
        }
        other => panic!("{other:?}"),
    }
    let message = error.to_string();
    assert!(
        message.contains("run again after") && message.contains("--max-wait"),
        "{message}"
    );
    assert_eq!(requests, 1, "no retry of a limit that far ahead");
}

#[test]
fn a_huge_retry_after_stops_with_when_to_retry() {
    let reply =
        Reply::json_text(429, r#"{"message": "slow down"}"#).header("retry-after", "999999999");
    let (error, _) = first_page_error(reply, false);
    assert!(
        matches!(error, GithubError::WaitTooLong { .. }),
        "{error:?}"
    );
    // --no-wait keeps its own message.
    let reply =
        Reply::json_text(429, r#"{"message": "slow down"}"#).header("retry-after", "999999999");
    let (error, _) = first_page_error(reply, true);
    assert!(
        matches!(error, GithubError::RateLimited { .. }),
        "{error:?}"
    );
}

#[test]
fn an_api_page_over_the_cap_is_refused() {
    let huge = format!("[{}\"x\"]", "\"x\",".repeat(9 << 20));
    let reply = Reply::json_text(200, huge);
    let (error, _) = first_page_error(reply, false);
    assert!(
        matches!(
            &error,
            GithubError::Http(agora_http::HttpError::TooLarge { .. })
        ),
        "{error:?}"
    );
}
