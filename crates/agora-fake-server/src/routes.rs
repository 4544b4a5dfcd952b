//! A route table for the common case: "this path answers these replies, in turn".
//!
//! [`Routes`] is checked in the order routes were added; the first route whose method (if given)
//! and path match the request answers it. A route path with a `?` must equal the request target
//! exactly; one without a `?` is compared with the request's path only, ignoring its query.
//! Each route owns a [`Sequence`]: the n-th request to that route gets the n-th reply, and once
//! the replies run out the last one repeats. Requests no route matches get the fallback reply
//! (404 unless set).

use std::sync::atomic::{AtomicUsize, Ordering};

use crate::{RecordedRequest, Reply};

/// Replies handed out in turn; the last one repeats forever.
#[derive(Debug)]
pub struct Sequence {
    replies: Vec<Reply>,
    next: AtomicUsize,
}

impl Sequence {
    /// A sequence of `replies` (an empty one answers 500 to say it was misconfigured).
    pub fn new(replies: impl IntoIterator<Item = Reply>) -> Self {
        Sequence {
            replies: replies.into_iter().collect(),
            next: AtomicUsize::new(0),
        }
    }

    /// The next reply; thread-safe.
    pub fn next_reply(&self) -> Reply {
        let i = self.next.fetch_add(1, Ordering::SeqCst);
        match self.replies.get(i).or_else(|| self.replies.last()) {
            Some(reply) => reply.clone(),
            None => Reply::text(500, "fake server: empty reply sequence"),
        }
    }

    /// How many replies have been handed out so far.
    pub fn served(&self) -> usize {
        self.next.load(Ordering::SeqCst)
    }
}

/// One entry of the route table.
#[derive(Debug)]
struct Route {
    method: Option<String>,
    path: String,
    replies: Sequence,
}

/// A handler that maps method and path to a sequence of replies.
#[derive(Debug)]
pub struct Routes {
    routes: Vec<Route>,
    fallback: Reply,
}

impl Default for Routes {
    fn default() -> Self {
        Routes::new()
    }
}

impl Routes {
    /// An empty table: every request gets 404.
    pub fn new() -> Self {
        Routes {
            routes: Vec::new(),
            fallback: Reply::text(404, "fake server: no route"),
        }
    }

    /// Answers every request (any method) to `path` with `reply`.
    pub fn on(self, path: impl Into<String>, reply: Reply) -> Self {
        self.route(None, path.into(), [reply])
    }

    /// Answers successive requests (any method) to `path` with `replies` in turn, the last repeating.
    pub fn on_seq(self, path: impl Into<String>, replies: impl IntoIterator<Item = Reply>) -> Self {
        self.route(None, path.into(), replies)
    }

    /// Like [`Routes::on_seq`], but only for requests with `method` (case-insensitive).
    pub fn on_method(
        self,
        method: impl Into<String>,
        path: impl Into<String>,
        replies: impl IntoIterator<Item = Reply>,
    ) -> Self {
        self.route(Some(method.into()), path.into(), replies)
    }

    /// The reply for requests that match no route (default: 404).
    pub fn fallback(mut self, reply: Reply) -> Self {
        self.fallback = reply;
        self
    }

    /// The reply for `req`: from the first matching route, else the fallback.
    pub fn reply(&self, req: &RecordedRequest) -> Reply {
        let matched = self.routes.iter().find(|route| {
            let method_ok = route
                .method
                .as_deref()
                .is_none_or(|m| m.eq_ignore_ascii_case(&req.method));
            let path_ok = if route.path.contains('?') {
                route.path == req.path
            } else {
                route.path == req.path_only()
            };
            method_ok && path_ok
        });
        match matched {
            Some(route) => route.replies.next_reply(),
            None => self.fallback.clone(),
        }
    }

    fn route(
        mut self,
        method: Option<String>,
        path: String,
        replies: impl IntoIterator<Item = Reply>,
    ) -> Self {
        self.routes.push(Route {
            method,
            path,
            replies: Sequence::new(replies),
        });
        self
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn get(path: &str) -> RecordedRequest {
        RecordedRequest {
            method: "GET".into(),
            path: path.into(),
            headers: Vec::new(),
            body: Vec::new(),
        }
    }

    #[test]
    fn sequence_repeats_last() {
        let seq = Sequence::new([Reply::new(500), Reply::new(200)]);
        let got: Vec<u16> = (0..4).map(|_| seq.next_reply().status()).collect();
        assert_eq!(got, [500, 200, 200, 200]);
        assert_eq!(seq.served(), 4);
        assert_eq!(Sequence::new([]).next_reply().status(), 500);
    }

    #[test]
    fn routes_match_path_and_method() {
        let routes = Routes::new()
            .on("/a", Reply::new(201))
            .on("/q?x=1", Reply::new(202))
            .on_method("POST", "/p", [Reply::new(203)])
            .fallback(Reply::new(418));
        assert_eq!(routes.reply(&get("/a?ignored")).status(), 201);
        assert_eq!(routes.reply(&get("/q?x=1")).status(), 202);
        assert_eq!(routes.reply(&get("/q?x=2")).status(), 418);
        assert_eq!(routes.reply(&get("/p")).status(), 418);
        let post = RecordedRequest {
            method: "post".into(),
            ..get("/p")
        };
        assert_eq!(routes.reply(&post).status(), 203);
    }
}
