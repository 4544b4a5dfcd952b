//! The client against GitHub's own recorded answers (`$AGORA_CORPUS/github/rest-samples/`,
//! octokit's paginate-issues fixture): it follows the real `Link` headers (whose next pages
//! live under `/repositories/ID/…`, not the URL first asked) to the end, reads every issue
//! into the model, and keeps the rate-limit budget the headers report.

use std::path::PathBuf;

use agora_fake_server::{FakeServer, RecordedRequest, Reply};
use agora_github::client::{ClientConfig, GithubClient};
use agora_github::rest::Issue;
use serde_json::Value;

fn samples() -> Option<PathBuf> {
    agora_corpus::folder("github/rest-samples")
}

#[test]
fn recorded_pagination_is_followed_to_the_end() {
    let Some(dir) = samples() else { return };
    let bytes = std::fs::read(dir.join("octokit-paginate-issues.json")).expect("fixture");
    let scenarios: Vec<Value> = serde_json::from_slice(&bytes).expect("JSON");
    let expected: Vec<u64> = scenarios
        .iter()
        .flat_map(|s| s["response"].as_array().cloned().unwrap_or_default())
        .filter_map(|issue| issue["number"].as_u64())
        .collect();
    let server = FakeServer::start(move |request: &RecordedRequest| {
        let Some(scenario) = scenarios
            .iter()
            .find(|s| s["path"] == request.path.as_str())
        else {
            return Reply::json_text(404, "{\"message\": \"Not Found\"}");
        };
        let base = request.base_url().unwrap_or_default();
        let mut reply = Reply::json_text(
            scenario["status"].as_u64().unwrap_or(200) as u16,
            scenario["response"].to_string(),
        );
        for (name, value) in scenario["headers"].as_object().into_iter().flatten() {
            let value = match value {
                Value::String(s) => s.replace("https://api.github.com", &base),
                other => other.to_string(),
            };
            if !matches!(
                name.as_str(),
                "content-length" | "connection" | "content-type"
            ) {
                reply = reply.header(name.clone(), value);
            }
        }
        reply
    });
    let client = GithubClient::new(ClientConfig {
        api_url: server.base_url(),
        token: None,
        no_wait: true,
        ..ClientConfig::new(None)
    })
    .expect("client");
    let mut numbers = Vec::new();
    let mut url = Some("/repos/octokit-fixture-org/paginate-issues/issues?per_page=3".to_string());
    while let Some(next) = url {
        let page = client.get_page(&next, None, &mut |_| {}).expect("page");
        let issues: Vec<Issue> = serde_json::from_value(page.body).expect("issues");
        numbers.extend(issues.iter().map(|i| i.to_item().number));
        assert_eq!(
            page.etag.as_deref(),
            Some("\"00000000000000000000000000000000\"")
        );
        url = page.next;
    }
    assert_eq!(numbers, expected);
    assert_eq!(numbers.len(), 13);
    assert_eq!(server.request_count(), 5);
    assert_eq!(client.budget().remaining, Some(4999));
    assert_eq!(client.budget().limit, Some(5000));
}
