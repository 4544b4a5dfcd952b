//! The listening socket, its accept thread and the per-connection threads.
//!
//! The accept thread blocks in `accept`; to stop it, `Drop` raises a shutdown flag and makes one
//! throw-away connection so `accept` returns and the loop sees the flag. Connection threads read
//! with a short socket timeout and check the same flag between reads and while waiting out a
//! [`Reply::delay`] or a trickled body, so they end promptly too; `Drop` joins all of them. Reading is bounded: a
//! request head over 64 KiB, a body over 16 MiB or a client silent for 10 s ends the connection,
//! so no client behaviour can hang or exhaust the server.

use std::io::{self, ErrorKind, Read, Write};
use std::net::{Shutdown, SocketAddr, TcpListener, TcpStream};
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::thread::{self, JoinHandle};
use std::time::{Duration, Instant};

use crate::reply::Mode;
use crate::request::parse_head;
use crate::{RecordedRequest, Reply, Routes};

/// The largest request head accepted.
const MAX_HEAD: usize = 64 * 1024;
/// The largest request body accepted.
const MAX_BODY: usize = 16 * 1024 * 1024;
/// How long a client may take to send its request.
const READ_DEADLINE: Duration = Duration::from_secs(10);
/// How often blocked reads and delays look at the shutdown flag.
const POLL: Duration = Duration::from_millis(20);

/// The handler type: turns a request into a reply.
type Handler = dyn Fn(&RecordedRequest) -> Reply + Send + Sync;

/// State shared by the server handle, the accept thread and the connection threads.
struct Shared {
    handler: Box<Handler>,
    requests: Mutex<Vec<RecordedRequest>>,
    shutdown: AtomicBool,
    workers: Mutex<Vec<JoinHandle<()>>>,
}

/// Locks a mutex, ignoring poisoning (a panicking handler must not break the server).
fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// A running fake HTTP server; stops when dropped.
pub struct FakeServer {
    addr: SocketAddr,
    shared: Arc<Shared>,
    accept: Option<JoinHandle<()>>,
}

impl std::fmt::Debug for FakeServer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("FakeServer")
            .field("addr", &self.addr)
            .finish_non_exhaustive()
    }
}

impl FakeServer {
    /// Starts a server on 127.0.0.1 (random port) answering every request with `handler`.
    ///
    /// # Panics
    ///
    /// If no loopback port can be bound or no thread spawned; use [`FakeServer::try_start`]
    /// to get the error instead.
    pub fn start(handler: impl Fn(&RecordedRequest) -> Reply + Send + Sync + 'static) -> Self {
        match FakeServer::try_start(handler) {
            Ok(server) => server,
            Err(err) => panic!("fake server: cannot start on 127.0.0.1: {err}"),
        }
    }

    /// Starts a server answering from a route table (see [`Routes`]).
    ///
    /// # Panics
    ///
    /// Like [`FakeServer::start`].
    pub fn with_routes(routes: Routes) -> Self {
        FakeServer::start(move |req| routes.reply(req))
    }

    /// Starts a server, returning the error if the port or the thread cannot be had.
    pub fn try_start(
        handler: impl Fn(&RecordedRequest) -> Reply + Send + Sync + 'static,
    ) -> io::Result<Self> {
        let listener = TcpListener::bind(("127.0.0.1", 0))?;
        let addr = listener.local_addr()?;
        let shared = Arc::new(Shared {
            handler: Box::new(handler),
            requests: Mutex::new(Vec::new()),
            shutdown: AtomicBool::new(false),
            workers: Mutex::new(Vec::new()),
        });
        let accept_shared = Arc::clone(&shared);
        let accept = thread::Builder::new()
            .name(format!("fake-server-{}", addr.port()))
            .spawn(move || accept_loop(&listener, &accept_shared))?;
        Ok(FakeServer {
            addr,
            shared,
            accept: Some(accept),
        })
    }

    /// The socket address the server listens on.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// `http://127.0.0.1:PORT`, without a trailing slash.
    pub fn base_url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// The absolute URL of `path` on this server (`path` should start with `/`).
    pub fn url(&self, path: &str) -> String {
        if path.starts_with('/') {
            format!("{}{path}", self.base_url())
        } else {
            format!("{}/{path}", self.base_url())
        }
    }

    /// Every request received so far, in order of arrival.
    pub fn requests(&self) -> Vec<RecordedRequest> {
        lock(&self.shared.requests).clone()
    }

    /// The requests whose path (ignoring the query) is `path`.
    pub fn requests_to(&self, path: &str) -> Vec<RecordedRequest> {
        lock(&self.shared.requests)
            .iter()
            .filter(|r| r.path_only() == path)
            .cloned()
            .collect()
    }

    /// How many requests were received so far.
    pub fn request_count(&self) -> usize {
        lock(&self.shared.requests).len()
    }

    /// Forgets the requests received so far.
    pub fn clear_requests(&self) {
        lock(&self.shared.requests).clear();
    }
}

impl Drop for FakeServer {
    fn drop(&mut self) {
        self.shared.shutdown.store(true, Ordering::SeqCst);
        // Wake the accept thread; if this fails the listener is already gone.
        let _ = TcpStream::connect_timeout(&self.addr, Duration::from_secs(1));
        if let Some(accept) = self.accept.take() {
            let _ = accept.join();
        }
        let workers = std::mem::take(&mut *lock(&self.shared.workers));
        for worker in workers {
            let _ = worker.join();
        }
    }
}

/// Accepts connections until shutdown, one thread per connection.
fn accept_loop(listener: &TcpListener, shared: &Arc<Shared>) {
    for stream in listener.incoming() {
        if shared.shutdown.load(Ordering::SeqCst) {
            break;
        }
        let stream = match stream {
            Ok(stream) => stream,
            Err(_) => {
                // E.g. out of file descriptors: back off instead of spinning.
                thread::sleep(POLL);
                continue;
            }
        };
        let conn_shared = Arc::clone(shared);
        let spawned = thread::Builder::new()
            .name("fake-server-conn".to_string())
            .spawn(move || serve_connection(stream, &conn_shared));
        let mut workers = lock(&shared.workers);
        workers.retain(|w| !w.is_finished());
        if let Ok(handle) = spawned {
            workers.push(handle);
        }
    }
}

/// Reads one request from `stream`, records it and writes the handler's reply.
fn serve_connection(mut stream: TcpStream, shared: &Shared) {
    let _ = stream.set_read_timeout(Some(POLL));
    let _ = stream.set_nodelay(true);
    let deadline = Instant::now() + READ_DEADLINE;
    let mut buf = Vec::new();
    let head_end = loop {
        if let Some(pos) = find(&buf, b"\r\n\r\n") {
            break pos;
        }
        if buf.len() > MAX_HEAD {
            write_reply(
                &mut stream,
                &Reply::text(431, "request head too large"),
                false,
            );
            return;
        }
        if !read_some(&mut stream, &mut buf, shared, deadline) {
            return;
        }
    };
    let Some(head) = parse_head(&buf[..head_end]) else {
        write_reply(&mut stream, &Reply::text(400, "malformed request"), false);
        return;
    };
    if head.is_chunked() {
        let reply = Reply::text(501, "chunked request bodies are not supported");
        write_reply(&mut stream, &reply, false);
        return;
    }
    let length = match head.content_length() {
        Ok(length) if length <= MAX_BODY => length,
        _ => {
            write_reply(&mut stream, &Reply::text(400, "bad Content-Length"), false);
            return;
        }
    };
    let mut body = buf.split_off(head_end + 4);
    while body.len() < length {
        if !read_some(&mut stream, &mut body, shared, deadline) {
            return;
        }
    }
    body.truncate(length);

    let request = RecordedRequest {
        method: head.method,
        path: head.path,
        headers: head.headers,
        body,
    };
    lock(&shared.requests).push(request.clone());
    let reply = catch_unwind(AssertUnwindSafe(|| (shared.handler)(&request)))
        .unwrap_or_else(|_| Reply::text(500, "fake server: the handler panicked"));

    let until = Instant::now() + reply.delay;
    while Instant::now() < until {
        if shared.shutdown.load(Ordering::SeqCst) {
            return;
        }
        thread::sleep(POLL.min(until.saturating_duration_since(Instant::now())));
    }
    let head_only = request.method.eq_ignore_ascii_case("HEAD");
    if let Mode::Trickle { interval } = reply.mode
        && !head_only
        && !reply.bodyless_status()
    {
        trickle(&mut stream, &reply, interval, shared);
        return;
    }
    write_reply(&mut stream, &reply, head_only);
}

/// Writes the head, then the body a byte at a time, `interval` before each, until the client
/// hangs up or the server shuts down.
fn trickle(stream: &mut TcpStream, reply: &Reply, interval: Duration, shared: &Shared) {
    if stream.write_all(&reply.head_bytes()).is_err() {
        return;
    }
    for byte in &reply.body {
        let until = Instant::now() + interval;
        while Instant::now() < until {
            if shared.shutdown.load(Ordering::SeqCst) {
                return;
            }
            thread::sleep(POLL.min(until.saturating_duration_since(Instant::now())));
        }
        if stream.write_all(std::slice::from_ref(byte)).is_err() || stream.flush().is_err() {
            return;
        }
    }
    let _ = stream.shutdown(Shutdown::Write);
}

/// Reads more bytes into `buf`; false when the connection should be abandoned.
fn read_some(
    stream: &mut TcpStream,
    buf: &mut Vec<u8>,
    shared: &Shared,
    deadline: Instant,
) -> bool {
    let mut chunk = [0u8; 8192];
    loop {
        if shared.shutdown.load(Ordering::SeqCst) || Instant::now() > deadline {
            return false;
        }
        match stream.read(&mut chunk) {
            Ok(0) => return false,
            Ok(n) => {
                buf.extend_from_slice(&chunk[..n]);
                return true;
            }
            Err(e)
                if matches!(
                    e.kind(),
                    ErrorKind::WouldBlock | ErrorKind::TimedOut | ErrorKind::Interrupted
                ) => {}
            Err(_) => return false,
        }
    }
}

/// Writes `reply` as its mode says, then closes our side; write errors are ignored (the client
/// may have given up, which is what timeout tests do).
fn write_reply(stream: &mut TcpStream, reply: &Reply, head_only: bool) {
    let body: &[u8] = match reply.mode {
        Mode::Drop => {
            let _ = stream.shutdown(Shutdown::Both);
            return;
        }
        _ if head_only || reply.bodyless_status() => &[],
        Mode::Normal | Mode::Trickle { .. } => &reply.body,
        Mode::Truncated { sent } => &reply.body[..sent.min(reply.body.len())],
    };
    let _ = stream.write_all(&reply.head_bytes());
    let _ = stream.write_all(body);
    let _ = stream.flush();
    let _ = stream.shutdown(Shutdown::Write);
}

/// The position of `needle` in `haystack`.
fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}
