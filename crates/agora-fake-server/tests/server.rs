//! The fake server driven by a raw std::net client, so its wire behaviour is checked directly.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::{Duration, Instant};

use agora_fake_server::{FakeServer, Reply, Routes};

/// Sends `request` verbatim and returns everything the server wrote before closing.
fn raw(server: &FakeServer, request: &str) -> String {
    let mut stream = TcpStream::connect(server.addr()).expect("connect");
    stream
        .set_read_timeout(Some(Duration::from_secs(5)))
        .expect("timeout");
    stream.write_all(request.as_bytes()).expect("write");
    let mut out = Vec::new();
    let _ = stream.read_to_end(&mut out);
    String::from_utf8_lossy(&out).into_owned()
}

fn get(server: &FakeServer, path: &str) -> String {
    raw(
        server,
        &format!(
            "GET {path} HTTP/1.1\r\nHost: {}\r\nX-Test: yes\r\n\r\n",
            server.addr()
        ),
    )
}

#[test]
fn answers_and_records() {
    let server = FakeServer::start(|req| Reply::text(200, format!("you asked {}", req.path)));
    let out = get(&server, "/a?b=c");
    assert!(out.starts_with("HTTP/1.1 200 OK\r\n"), "{out}");
    assert!(out.contains("Connection: close\r\n"), "{out}");
    assert!(out.ends_with("\r\n\r\nyou asked /a?b=c"), "{out}");
    let reqs = server.requests();
    assert_eq!(reqs.len(), 1);
    assert_eq!(reqs[0].method, "GET");
    assert_eq!(reqs[0].path, "/a?b=c");
    assert_eq!(reqs[0].header("x-test"), Some("yes"));
    assert_eq!(server.requests_to("/a").len(), 1);
    assert!(server.url("/x").starts_with("http://127.0.0.1:"));
    server.clear_requests();
    assert_eq!(server.request_count(), 0);
}

#[test]
fn records_a_body() {
    let server = FakeServer::start(|req| Reply::ok().body(req.body.clone()));
    let out = raw(
        &server,
        "POST /p HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\nhello",
    );
    assert!(out.ends_with("hello"), "{out}");
    assert_eq!(server.requests()[0].body, b"hello");
}

#[test]
fn routes_answer_in_sequence() {
    let server = FakeServer::with_routes(Routes::new().on_seq(
        "/s",
        [
            Reply::new(500),
            Reply::json(200, &serde_json::json!({"a": 1})),
        ],
    ));
    assert!(get(&server, "/s").starts_with("HTTP/1.1 500"));
    let second = get(&server, "/s");
    assert!(second.starts_with("HTTP/1.1 200"), "{second}");
    assert!(
        second.contains("Content-Type: application/json"),
        "{second}"
    );
    assert!(second.ends_with(r#"{"a":1}"#), "{second}");
    assert!(get(&server, "/other").starts_with("HTTP/1.1 404"));
    assert_eq!(server.request_count(), 3);
}

#[test]
fn truncated_announces_more_than_it_sends() {
    let server = FakeServer::start(|_| Reply::truncated(200, "0123456789", 4));
    let out = get(&server, "/t");
    assert!(out.contains("Content-Length: 10\r\n"), "{out}");
    assert!(out.ends_with("\r\n\r\n0123"), "{out}");
}

#[test]
fn drop_connection_sends_nothing() {
    let server = FakeServer::start(|_| Reply::drop_connection());
    assert_eq!(get(&server, "/d"), "");
    assert_eq!(server.request_count(), 1);
}

#[test]
fn delay_waits_and_drop_does_not() {
    let server = FakeServer::start(|req| {
        if req.path == "/slow" {
            Reply::ok().delay(Duration::from_secs(30))
        } else {
            Reply::ok().delay(Duration::from_millis(150))
        }
    });
    let start = Instant::now();
    assert!(get(&server, "/fast").starts_with("HTTP/1.1 200"));
    assert!(start.elapsed() >= Duration::from_millis(150));

    // A client waiting on a 30 s reply must not keep the server's Drop waiting.
    let mut stream = TcpStream::connect(server.addr()).expect("connect");
    stream
        .write_all(b"GET /slow HTTP/1.1\r\nHost: x\r\n\r\n")
        .expect("write");
    while server.request_count() < 2 {
        std::thread::sleep(Duration::from_millis(5));
    }
    let start = Instant::now();
    drop(server);
    assert!(start.elapsed() < Duration::from_secs(5));
}

#[test]
fn malformed_requests_get_400_and_are_not_recorded() {
    let server = FakeServer::start(|_| Reply::ok());
    assert!(raw(&server, "NONSENSE\r\n\r\n").starts_with("HTTP/1.1 400"));
    assert!(
        raw(&server, "GET / HTTP/1.1\r\nContent-Length: x\r\n\r\n").starts_with("HTTP/1.1 400")
    );
    assert_eq!(server.request_count(), 0);
}

#[test]
fn a_panicking_handler_answers_500() {
    let server = FakeServer::start(|req| {
        if req.path == "/boom" {
            panic!("handler failure on purpose");
        }
        Reply::ok()
    });
    assert!(get(&server, "/boom").starts_with("HTTP/1.1 500"));
    assert!(get(&server, "/fine").starts_with("HTTP/1.1 200"));
}
