//! Regressions: upward steps in a fitted series that are not noise, as `asv publish` reports them.
//!
//! [`detect_regressions`] walks the steps from the newest back, tracking the best (lowest)
//! level that still has to be explained. An earlier level lower than the tracked one by more
//! than `max(its error, the tracked level's error, threshold × its value)` is a regression
//! between the two levels. A segment of fewer than two points is trusted only conditionally:
//! when the level before it is back within the threshold of the level it replaced, the jump is
//! withdrawn. [`find`] applies this to every series and value column, with the per-benchmark
//! thresholds (default 5%) and first-commit cut-offs of `asv.conf.json`, and reports a jump
//! between neighbouring commits as a single commit. [`RegressionReport::asv_json`] is asv's
//! `regressions.json`; [`atom_feed`] its `regressions.xml`.

use std::collections::BTreeMap;

use regex::Regex;
use serde_json::{Value, json};

use crate::format::{AsvConfig, Benchmarks};
use crate::history::History;
use crate::series::{SeriesSet, combination, sanitize_filename};
use crate::steps::Step;

/// One upward jump: between the last point of a level and the first of a higher one.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Jump {
    /// Revision of the last point before the jump; `None` when the jump is one commit.
    pub before: Option<u32>,
    /// Revision of the first point after the jump.
    pub after: u32,
    /// The level before.
    pub value_before: f64,
    /// The best level after.
    pub value_after: f64,
}

/// The outcome of [`detect_regressions`] on one series of steps.
#[derive(Debug, Clone, PartialEq)]
pub struct Detected {
    /// The latest level.
    pub latest: f64,
    /// The best (lowest) level.
    pub best: f64,
    /// `(last position before, first position after, value before, best value after)`.
    pub jumps: Vec<(i64, i64, f64, f64)>,
}

/// Finds the upward steps that made the latest level worse than the best one.
pub fn detect_regressions(steps: &[Step], threshold: f64, min_size: i64) -> Option<Detected> {
    let last = steps.last()?;
    let mut jumps: Vec<(i64, i64, f64, f64)> = Vec::new();
    let mut best = last.value;
    let mut tracked = last.value;
    let mut tracked_error = last.error;
    let mut previous_left: Option<i64> = None;
    let mut short_previous: Option<(f64, f64)> = None;
    for step in steps.iter().rev() {
        let margin = step.error.max(tracked_error).max(threshold * step.value);
        if tracked > step.value + margin {
            if step.right - step.left < min_size {
                short_previous = Some((tracked, tracked_error));
            }
            jumps.push((
                step.right - 1,
                previous_left.unwrap_or(step.right),
                step.value,
                best,
            ));
            tracked = step.value;
            tracked_error = step.error;
        } else if let Some((level, error)) = short_previous.take()
            && level <= step.value + margin
        {
            jumps.pop();
            tracked = level;
            tracked_error = error;
        }
        previous_left = Some(step.left);
        if step.value < best {
            best = step.value;
        }
    }
    jumps.reverse();
    if jumps.is_empty() {
        return None;
    }
    Some(Detected {
        latest: last.value,
        best,
        jumps,
    })
}

/// One reported regression: a benchmark (and parameter combination) on one series.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Regression {
    /// `benchmark` or `benchmark(param, …)`, as asv names it.
    pub name: String,
    /// The benchmark.
    pub benchmark: String,
    /// asv's path of the series file (with `.json`).
    pub graph_path: String,
    /// The series' parameters that tell it apart from other series.
    pub graph_params: BTreeMap<String, Option<String>>,
    /// The parameter combination's index, for parameterised benchmarks.
    pub param_index: Option<usize>,
    /// The machine.
    pub machine: Option<String>,
    /// The branch.
    pub branch: Option<String>,
    /// The latest level.
    pub latest: f64,
    /// The best level.
    pub best: f64,
    /// The jumps, oldest first.
    pub jumps: Vec<Jump>,
    /// The benchmark's unit.
    pub unit: String,
}

impl Regression {
    /// How many times worse the latest level is than the best; `None` when the best is zero or
    /// either is not a finite number ([`crate::display::ratio`]).
    pub fn factor(&self) -> Option<f64> {
        crate::display::ratio(self.best, self.latest)
    }
}

/// Every regression of a project.
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct RegressionReport {
    /// The project.
    pub project: String,
    /// The regressions, by series path and parameter index.
    pub regressions: Vec<Regression>,
    /// Settings that could not be applied (bad regular expressions, unknown commits).
    pub warnings: Vec<String>,
}

impl RegressionReport {
    /// asv's `regressions.json`.
    pub fn asv_json(&self) -> Value {
        let list: Vec<Value> = self
            .regressions
            .iter()
            .map(|r| {
                let jumps: Vec<Value> = r
                    .jumps
                    .iter()
                    .map(|j| json!([j.before, j.after, j.value_before, j.value_after]))
                    .collect();
                json!([
                    r.name,
                    r.graph_path,
                    r.graph_params,
                    r.param_index,
                    r.latest,
                    r.best,
                    jumps
                ])
            })
            .collect();
        json!({ "regressions": list })
    }
}

struct Rules {
    thresholds: Vec<(Regex, f64)>,
    first_commits: Vec<(Regex, Option<String>)>,
}

fn anchored(pattern: &str) -> Result<Regex, regex::Error> {
    Regex::new(&format!("^(?:{pattern})"))
}

/// Finds the regressions of every series.
pub fn find(
    project: &str,
    set: &SeriesSet,
    benchmarks: &Benchmarks,
    history: &History,
    config: &AsvConfig,
) -> RegressionReport {
    let mut refused = Vec::new();
    let steps: Vec<Vec<Vec<Step>>> = set
        .graphs
        .iter()
        .map(|graph| {
            graph
                .steps()
                .into_iter()
                .map(|column| {
                    column.unwrap_or_else(|error| {
                        refused.push(format!(
                            "{}: series {} is left without steps: {error}",
                            graph.benchmark, graph.path
                        ));
                        Vec::new()
                    })
                })
                .collect()
        })
        .collect();
    let mut report = find_with_steps(project, set, &steps, benchmarks, history, config);
    report.warnings.extend(refused);
    report
}

/// [`find`], with the steps of each series already computed (`steps[i]` for `set.graphs[i]`).
pub fn find_with_steps(
    project: &str,
    set: &SeriesSet,
    steps: &[Vec<Vec<Step>>],
    benchmarks: &Benchmarks,
    history: &History,
    config: &AsvConfig,
) -> RegressionReport {
    let mut report = RegressionReport {
        project: project.to_owned(),
        ..RegressionReport::default()
    };
    let mut rules = Rules {
        thresholds: Vec::new(),
        first_commits: Vec::new(),
    };
    for (pattern, threshold) in &config.regressions_thresholds {
        match anchored(pattern) {
            Ok(re) => rules.thresholds.push((re, *threshold)),
            Err(e) => report.warnings.push(format!(
                "regressions_thresholds: bad pattern {pattern:?}: {e}"
            )),
        }
    }
    for (pattern, commit) in &config.regressions_first_commits {
        match anchored(pattern) {
            Ok(re) => rules.first_commits.push((re, commit.clone())),
            Err(e) => report.warnings.push(format!(
                "regressions_first_commits: bad pattern {pattern:?}: {e}"
            )),
        }
    }
    // The revisions asv knows: those with results, and tags.
    let mut first_revision: Option<u32> = None;
    let mut known = std::collections::HashSet::new();
    for graph in &set.graphs {
        known.extend(graph.revisions());
    }
    for (_, sha) in &history.tags {
        if let Some(rev) = history.revision(sha) {
            known.insert(rev);
        }
    }
    for &rev in &known {
        first_revision = Some(first_revision.map_or(rev, |f: u32| f.min(rev)));
    }
    let first_revision = first_revision.unwrap_or(0) as i64;
    let mut start_cache: BTreeMap<(String, Option<String>), i64> = BTreeMap::new();

    // A parameter tells series apart when it takes more than one non-empty value.
    let distinguishing: Vec<&String> = set
        .param_values
        .iter()
        .filter(|(_, values)| values.iter().flatten().filter(|v| !v.is_empty()).count() > 1)
        .map(|(k, _)| k)
        .collect();

    for (graph, graph_steps) in set.graphs.iter().zip(steps) {
        let Some(benchmark) = benchmarks.get(&sanitize_filename(&graph.benchmark)) else {
            continue;
        };
        let branch = graph.params.get("branch").cloned().flatten();
        let suffix = match &branch {
            Some(b) if !b.is_empty() => format!("@{b}"),
            _ => String::new(),
        };
        let graph_params: BTreeMap<String, Option<String>> = graph
            .params
            .iter()
            .filter(|(k, _)| distinguishing.contains(k))
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect();
        let columns: Vec<(Option<usize>, String)> = if benchmark.params.is_empty() {
            vec![(None, benchmark.name.clone())]
        } else {
            let count: usize = benchmark.params.iter().map(Vec::len).product();
            (0..count)
                .map(|i| {
                    let combo = combination(&benchmark.params, i);
                    (Some(i), format!("{}({})", benchmark.name, combo.join(", ")))
                })
                .collect()
        };
        for (column, (param_index, name)) in columns.into_iter().enumerate() {
            let Some(series_steps) = graph_steps.get(column) else {
                continue;
            };
            let subject = format!("{name}{suffix}");
            // First commit: the newest cut-off that applies.
            let mut start = Some(first_revision);
            for (re, commit) in &rules.first_commits {
                if !re.is_match(&subject) {
                    continue;
                }
                let Some(commit) = commit else {
                    start = None;
                    break;
                };
                let key = (commit.clone(), branch.clone());
                let cut = *start_cache.entry(key).or_insert_with(|| {
                    start_revision_after(
                        history,
                        commit,
                        branch.as_deref(),
                        &known,
                        &mut report.warnings,
                    )
                });
                start = start.map(|s| s.max(cut + 1));
            }
            let Some(start) = start else {
                continue;
            };
            let mut threshold: Option<f64> = None;
            for (re, value) in &rules.thresholds {
                if re.is_match(&subject) {
                    threshold = Some(threshold.map_or(*value, |t: f64| t.max(*value)));
                }
            }
            let threshold = threshold.unwrap_or(0.05);
            let kept: Vec<Step> = series_steps
                .iter()
                .filter(|s| s.right >= start)
                .copied()
                .collect();
            let Some(detected) = detect_regressions(&kept, threshold, 2) else {
                continue;
            };
            let jumps = detected
                .jumps
                .iter()
                .map(|&(before, after, value_before, value_after)| {
                    let before = before as u32;
                    let after = after as u32;
                    let single = match (history.sha(before), history.sha(after)) {
                        (Some(a), Some(b)) => history.first_parent_range(a, b).len() == 1,
                        _ => false,
                    };
                    Jump {
                        before: (!single).then_some(before),
                        after,
                        value_before,
                        value_after,
                    }
                })
                .collect();
            report.regressions.push(Regression {
                name,
                benchmark: benchmark.name.clone(),
                graph_path: format!("{}.json", graph.path),
                graph_params: graph_params.clone(),
                param_index,
                machine: graph.params.get("machine").cloned().flatten(),
                branch: branch.clone(),
                latest: detected.latest,
                best: detected.best,
                jumps,
                unit: benchmark.unit.clone(),
            });
        }
    }
    report
        .regressions
        .sort_by(|a, b| (&a.graph_path, a.param_index).cmp(&(&b.graph_path, b.param_index)));
    report
}

/// The revision of `commit` (or, when it has no results, of the newest branch commit after it
/// that has), as asv resolves `regressions_first_commits`; -1 when none is found.
fn start_revision_after(
    history: &History,
    commit: &str,
    branch: Option<&str>,
    known: &std::collections::HashSet<u32>,
    warnings: &mut Vec<String>,
) -> i64 {
    let Some(sha) = history.resolve(commit) else {
        warnings.push(format!(
            "regressions_first_commits: commit {commit} not found"
        ));
        return -1;
    };
    let tip = branch
        .and_then(|b| history.branches.iter().find(|(name, _)| name == b))
        .or(history.branches.first())
        .and_then(|(_, list)| list.first().cloned());
    let mut candidates = vec![sha.clone()];
    if let Some(tip) = tip {
        candidates.extend(history.first_parent_range(&sha, &tip));
    }
    for candidate in candidates {
        if let Some(rev) = history.revision(&candidate)
            && known.contains(&rev)
        {
            return rev as i64;
        }
    }
    warnings.push(format!(
        "regressions_first_commits: commit {commit} not found in the branch"
    ));
    -1
}

/// Escapes text for XML and HTML (element content and double-quoted attributes).
pub(crate) fn escape_xml(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// asv's Atom feed of regressions (`regressions.xml`): one entry per jump, newest first.
///
/// `run_times` gives, per benchmark and revision, when it was run (milliseconds), falling back
/// to the commit time.
pub fn atom_feed(
    report: &RegressionReport,
    config: &AsvConfig,
    history: &History,
    run_times: &dyn Fn(&str, u32) -> Option<i64>,
) -> String {
    struct Entry {
        title: String,
        updated: i64,
        link: String,
        content: String,
        id: String,
    }
    let commit_ms = |rev: u32| {
        history
            .commits
            .get(rev as usize)
            .map_or(0, |c| c.time * 1000)
    };
    let mut entries = Vec::new();
    for r in &report.regressions {
        for jump in &r.jumps {
            let updated = [jump.before, Some(jump.after)]
                .into_iter()
                .flatten()
                .map(|rev| run_times(&r.benchmark, rev).unwrap_or_else(|| commit_ms(rev)))
                .max()
                .unwrap_or(0);
            let sha = |rev: u32| history.sha(rev).unwrap_or("").to_owned();
            let change = if jump.value_before != 0.0 {
                format!(
                    "{:.2}%",
                    100.0 * (jump.value_after - jump.value_before) / jump.value_before
                )
            } else {
                // asv's fallback when it would divide by zero.
                format!(
                    "{} units",
                    crate::display::python_g2(jump.value_after - jump.value_before)
                )
            };
            let best_change = if r.best != 0.0 {
                format!("{:.2}%", 100.0 * (r.latest - r.best) / r.best)
            } else {
                format!("{} units", crate::display::python_g2(r.latest - r.best))
            };
            let mut query: Vec<(String, String)> = r
                .graph_params
                .iter()
                .map(|(k, v)| (k.clone(), v.clone().unwrap_or_default()))
                .collect();
            let commits = match jump.before {
                Some(before) => format!("{}-{}", sha(before), sha(jump.after)),
                None => sha(jump.after),
            };
            query.push(("commits".into(), commits));
            let query: Vec<String> = query
                .iter()
                .map(|(k, v)| format!("{}={}", url_encode(k), url_encode(v)))
                .collect();
            let link = format!("index.html#{}?{}", r.benchmark, query.join("&"));
            let commit_ref = match jump.before {
                Some(before) => {
                    // asv links GitHub ranges to the compare view.
                    let url = if config.show_commit_url.contains("github.com") {
                        format!(
                            "{}../compare/{}...{}",
                            config.show_commit_url,
                            sha(before),
                            sha(jump.after)
                        )
                    } else {
                        format!("{}{}", config.show_commit_url, sha(before))
                    };
                    format!(
                        "in commits <a href=\"{url}\">{}...{}</a>",
                        short(&sha(before)),
                        short(&sha(jump.after))
                    )
                }
                None => format!(
                    "in commit <a href=\"{}{}\">{}</a>",
                    config.show_commit_url,
                    sha(jump.after),
                    short(&sha(jump.after))
                ),
            };
            let content = format!(
                "<a href=\"{link}\">{change} regression</a> {commit_ref}.<br>New value: {}, old value: {}.<br>Latest value: {} ({best_change} worse than best value {}).",
                crate::display::human_value(jump.value_after, &r.unit),
                crate::display::human_value(jump.value_before, &r.unit),
                crate::display::human_value(r.latest, &r.unit),
                crate::display::human_value(r.best, &r.unit),
            );
            let id = atom_id(
                &format!("{}.asv", config.project),
                commit_ms(jump.after),
                &[
                    "entry",
                    &r.name,
                    &jump.before.map(sha).unwrap_or_default(),
                    &sha(jump.after),
                ],
            );
            entries.push(Entry {
                title: format!("{change} {}", r.name),
                updated,
                link,
                content,
                id,
            });
        }
    }
    entries.sort_by_key(|e| std::cmp::Reverse(e.updated));
    let feed_updated = entries.iter().map(|e| e.updated).max().unwrap_or(0);
    let mut out = String::from("<?xml version='1.0' encoding='utf-8'?>\n");
    out.push_str("<feed xmlns=\"http://www.w3.org/2005/Atom\">");
    let title = format!("{} performance regressions", config.project);
    out.push_str(&format!(
        "<id>{}</id><author><name>Airspeed Velocity</name></author><title xml:lang=\"en\">{}</title><updated>{}</updated>",
        atom_id(&format!("{}.asv", config.project), 0, &["feed", "Airspeed Velocity", &title]),
        escape_xml(&title),
        iso_time(feed_updated)
    ));
    for e in entries {
        out.push_str(&format!(
            "<entry><id>{}</id><title xml:lang=\"en\">{}</title><updated>{}</updated><link href=\"{}\" /><content type=\"html\" xml:lang=\"en\">{}</content></entry>",
            e.id,
            escape_xml(&e.title),
            iso_time(e.updated),
            escape_xml(&e.link),
            escape_xml(&e.content)
        ));
    }
    out.push_str("</feed>");
    out
}

fn short(sha: &str) -> &str {
    &sha[..sha.len().min(8)]
}

fn iso_time(ms: i64) -> String {
    jiff::Timestamp::from_millisecond(ms)
        .map(|t| t.strftime("%Y-%m-%dT%H:%M:%SZ").to_string())
        .unwrap_or_else(|_| "1970-01-01T00:00:00Z".into())
}

fn url_encode(text: &str) -> String {
    let mut out = String::new();
    for b in text.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'_' | b'.' | b'-' | b'~' => {
                out.push(b as char)
            }
            b' ' => out.push('+'),
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

fn atom_id(owner: &str, ms: i64, content: &[&str]) -> String {
    use sha2::{Digest, Sha256};
    let mut hasher = Sha256::new();
    hasher.update(b"github.com/spacetelescope/asv");
    for part in content {
        hasher.update(part.as_bytes());
        hasher.update(b",");
    }
    let digest = hasher.finalize();
    let hex: String = digest.iter().map(|b| format!("{b:02x}")).collect();
    let date = jiff::Timestamp::from_millisecond(ms)
        .map(|t| t.strftime("%Y-%m-%d").to_string())
        .unwrap_or_else(|_| "1970-01-01".into());
    format!("tag:{owner},{date}:/{hex}")
}

#[cfg(test)]
mod tests;
