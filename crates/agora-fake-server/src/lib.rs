//! A scripted HTTP/1.1 server on 127.0.0.1 for agora's tests.
//!
//! [`FakeServer::start`] binds a random port on the loopback address and accepts connections in
//! a background thread; each connection is served by its own thread, so slow or delayed replies
//! never block other requests. A connection carries exactly one request: the server reads the
//! request head (and a `Content-Length` body if any), records it, asks the handler for a
//! [`Reply`] and writes it with `Connection: close`, so clients never reuse a connection and
//! every request a client makes shows up in [`FakeServer::requests`]. Replies can also misbehave
//! on purpose: [`Reply::truncated`] declares a longer `Content-Length` than it sends,
//! [`Reply::drop_connection`] closes without answering, [`Reply::delay`] waits first, and
//! [`Reply::trickle`] sends the body a byte at a time.
//!
//! A handler is any `Fn(&RecordedRequest) -> Reply`; [`Routes`] is a ready-made one that maps
//! paths to a [`Sequence`] of replies ("first 500, then 200"). [`github::FakeGithub`] is a
//! fake GitHub REST API built on it; [`pulls::FakePulls`] one whose PRs and forks requests
//! create, for campaigns. Dropping the server stops the
//! accept thread and waits for the connection threads, which poll a shutdown flag, so a test
//! never leaves a thread behind.

pub mod github;
mod paging;
pub mod pulls;
mod reply;
mod request;
mod routes;
pub mod scripted;
mod server;

pub use reply::Reply;
pub use request::RecordedRequest;
pub use routes::{Routes, Sequence};
pub use server::FakeServer;
