//! Counters in Prometheus' text format: requests by route and status, their latencies, uploads
//! and the webhook sync queue.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

/// The upper bounds of the latency histogram's buckets, in seconds.
const BUCKETS: [f64; 10] = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 5.0, 30.0];

#[derive(Default)]
struct Histogram {
    counts: [u64; BUCKETS.len()],
    count: u64,
    sum: f64,
}

/// The server's counters.
#[derive(Default)]
pub(crate) struct Metrics {
    requests: Mutex<BTreeMap<(String, String, u16), u64>>,
    latency: Mutex<BTreeMap<String, Histogram>>,
    /// Uploads by outcome (`ingested`, `replayed`, `refused`, `failed`).
    uploads: Mutex<BTreeMap<&'static str, u64>>,
    /// Uploads being ingested now (their bodies read, their outcomes not yet stored).
    pub(crate) ingesting: AtomicU64,
    /// Syncs waiting in the queue.
    pub(crate) sync_queued: AtomicU64,
    /// Syncs done since the start.
    pub(crate) syncs_done: AtomicU64,
    /// Syncs failed since the start.
    pub(crate) syncs_failed: AtomicU64,
    /// Portal rebuilds done since the start.
    pub(crate) portal_builds: AtomicU64,
    /// Portal rebuilds failed since the start.
    pub(crate) portal_build_failures: AtomicU64,
}

fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

impl Metrics {
    /// Counts a request to `route` answered with `status` after `elapsed`.
    pub(crate) fn request(&self, method: &str, route: &str, status: u16, elapsed: Duration) {
        *lock(&self.requests)
            .entry((method.to_owned(), route.to_owned(), status))
            .or_default() += 1;
        let seconds = elapsed.as_secs_f64();
        let mut latency = lock(&self.latency);
        let histogram = latency.entry(route.to_owned()).or_default();
        for (bound, count) in BUCKETS.iter().zip(histogram.counts.iter_mut()) {
            if seconds <= *bound {
                *count += 1;
            }
        }
        histogram.count += 1;
        histogram.sum += seconds;
    }

    /// Counts an upload with `outcome`.
    pub(crate) fn upload(&self, outcome: &'static str) {
        *lock(&self.uploads).entry(outcome).or_default() += 1;
    }

    /// Everything, in Prometheus' text exposition format.
    pub(crate) fn render(&self) -> String {
        let mut out = String::new();
        out.push_str("# HELP agora_http_requests_total HTTP requests answered.\n");
        out.push_str("# TYPE agora_http_requests_total counter\n");
        for ((method, route, status), count) in lock(&self.requests).iter() {
            let _ = writeln!(
                out,
                "agora_http_requests_total{{method=\"{method}\",route=\"{}\",status=\"{status}\"}} {count}",
                escape(route)
            );
        }
        out.push_str("# HELP agora_http_request_duration_seconds Time to answer a request.\n");
        out.push_str("# TYPE agora_http_request_duration_seconds histogram\n");
        for (route, histogram) in lock(&self.latency).iter() {
            let route = escape(route);
            for (bound, count) in BUCKETS.iter().zip(histogram.counts.iter()) {
                let _ = writeln!(
                    out,
                    "agora_http_request_duration_seconds_bucket{{route=\"{route}\",le=\"{bound}\"}} {count}"
                );
            }
            let _ = writeln!(
                out,
                "agora_http_request_duration_seconds_bucket{{route=\"{route}\",le=\"+Inf\"}} {}",
                histogram.count
            );
            let _ = writeln!(
                out,
                "agora_http_request_duration_seconds_sum{{route=\"{route}\"}} {}",
                histogram.sum
            );
            let _ = writeln!(
                out,
                "agora_http_request_duration_seconds_count{{route=\"{route}\"}} {}",
                histogram.count
            );
        }
        out.push_str("# HELP agora_uploads_total Benchmark uploads by outcome.\n");
        out.push_str("# TYPE agora_uploads_total counter\n");
        for (outcome, count) in lock(&self.uploads).iter() {
            let _ = writeln!(out, "agora_uploads_total{{outcome=\"{outcome}\"}} {count}");
        }
        let gauges = [
            (
                "agora_uploads_ingesting",
                "gauge",
                "Uploads being ingested now.",
                &self.ingesting,
            ),
            (
                "agora_sync_queue_length",
                "gauge",
                "Repository syncs waiting.",
                &self.sync_queued,
            ),
            (
                "agora_syncs_total",
                "counter",
                "Repository syncs done.",
                &self.syncs_done,
            ),
            (
                "agora_sync_failures_total",
                "counter",
                "Repository syncs failed.",
                &self.syncs_failed,
            ),
            (
                "agora_portal_builds_total",
                "counter",
                "Portal rebuilds done.",
                &self.portal_builds,
            ),
            (
                "agora_portal_build_failures_total",
                "counter",
                "Portal rebuilds failed.",
                &self.portal_build_failures,
            ),
        ];
        for (name, kind, help, value) in gauges {
            let _ = writeln!(out, "# HELP {name} {help}\n# TYPE {name} {kind}");
            let _ = writeln!(out, "{name} {}", value.load(Ordering::Relaxed));
        }
        out
    }
}

/// Counts an upload as being ingested while it lives.
pub(crate) struct Ingesting<'a>(&'a AtomicU64);

impl<'a> Ingesting<'a> {
    /// Counts one more upload being ingested, until the value is dropped.
    pub(crate) fn start(metrics: &'a Metrics) -> Ingesting<'a> {
        metrics.ingesting.fetch_add(1, Ordering::Relaxed);
        Ingesting(&metrics.ingesting)
    }
}

impl Drop for Ingesting<'_> {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::Relaxed);
    }
}

/// A label value with Prometheus' escapes.
fn escape(value: &str) -> String {
    value
        .replace('\\', "\\\\")
        .replace('"', "\\\"")
        .replace('\n', "\\n")
}
