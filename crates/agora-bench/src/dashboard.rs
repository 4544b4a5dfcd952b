//! The static dashboard of one project: an index with the regressions and a summary of
//! geometric means, and one page per benchmark module (`bench/<module>.html`, the part of the
//! benchmark names before their first dot) with a section per benchmark and an SVG chart per
//! series (points linked to their commits, detected steps drawn over them, regressions marked in
//! red); each benchmark is linked as `bench/<module>.html#<name>`. asv's `regressions.json` and
//! `regressions.xml` are written beside it for tools that read them. A page per module rather
//! than per benchmark keeps a site to a few files (kedro's 47 benchmarks make 6 pages), so a
//! publish into a fresh folder creates few files.
//!
//! [`Site::render`] turns the model into `(relative path, bytes)` pairs and never touches the
//! disk; [`write_changed`] writes only the files whose bytes differ from what is there, so a
//! second publish after one new result rewrites only the pages that changed. The summary series
//! is asv's: per revision, the geometric mean of all series of a benchmark, each series' short
//! gaps (at most a tenth of its points) filled by linear interpolation first.

use crate::regressions::escape_xml as escape;
use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::Path;

use crate::display::{factor_text, human_value, percent_text};
use crate::format::{AsvConfig, Benchmarks};
use crate::history::History;
use crate::regressions::{Regression, RegressionReport};
use crate::series::{Graph, Point, sanitize_filename};
use crate::steps::Step;

/// One series as the dashboard draws it: the series, its points, its steps per value column.
pub type DrawnSeries<'a> = (&'a Graph, Vec<Point>, Vec<Vec<Step>>);

/// A benchmark on its module's page: its name and the positions of its series.
type ModuleEntry<'a> = (&'a str, &'a [usize]);

/// Everything one project's dashboard shows.
pub struct Site<'a> {
    /// The project's name.
    pub project: &'a str,
    /// Its asv configuration (commit links).
    pub config: &'a AsvConfig,
    /// Its commit history (hashes of revisions).
    pub history: &'a History,
    /// Its benchmarks.
    pub benchmarks: &'a Benchmarks,
    /// Every series with its points and fitted steps (one list of steps per value column).
    pub graphs: Vec<DrawnSeries<'a>>,
    /// The regressions.
    pub report: &'a RegressionReport,
    /// The Atom feed text.
    pub feed: String,
}

const STYLE: &str = "body{font-family:system-ui,sans-serif;margin:2em;max-width:72em}\
table{border-collapse:collapse}td,th{padding:.2em .6em;border-bottom:1px solid #ddd;text-align:left}\
.num{text-align:right;font-variant-numeric:tabular-nums}svg{background:#fafafa;border:1px solid #eee}\
.bad{color:#b00}h2{margin-top:1.5em}";

fn page(title: &str, body: &str) -> Vec<u8> {
    let mut html = page_start(title, body.len());
    html.push_str(body);
    page_end(html)
}

/// The start of a page up to its body, with room for `body_len` more bytes (a page is built
/// in one buffer: the module pages are large, and growing or copying them costs fresh memory).
fn page_start(title: &str, body_len: usize) -> String {
    let mut html = String::with_capacity(body_len + STYLE.len() + 256);
    let _ = write!(
        html,
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>{}</title><style>{STYLE}</style></head><body>\n",
        escape(title)
    );
    html
}

/// Closes a page begun with [`page_start`].
fn page_end(mut html: String) -> Vec<u8> {
    html.push_str("</body></html>\n");
    html.into_bytes()
}

/// asv's geometric mean with missing values skipped, the sign of the sum kept.
fn geom_mean(values: &[f64]) -> Option<f64> {
    if values.is_empty() {
        return None;
    }
    let exponent = 1.0 / values.len() as f64;
    let mut product = 1.0;
    let mut sum = 0.0;
    for &v in values {
        product *= v.abs().powf(exponent);
        sum += v;
    }
    Some(if sum >= 0.0 { product } else { -product })
}

/// Fills gaps of at most a tenth of the known points by linear interpolation.
fn fill_gaps(y: &[Option<f64>]) -> Vec<Option<f64>> {
    let known = y.iter().filter(|v| v.is_some()).count();
    let max_gap = (0.1 * known as f64).ceil() as usize;
    let mut filled = y.to_vec();
    let mut previous: Option<f64> = None;
    let mut previous_index = 0usize;
    for (i, v) in y.iter().enumerate() {
        if let Some(v) = *v {
            let gap = i.saturating_sub(previous_index + 1);
            if gap > 0
                && gap <= max_gap
                && let Some(p) = previous
            {
                for k in 1..=gap {
                    filled[previous_index + k] =
                        Some((v * k as f64 + (gap + 1 - k) as f64 * p) / (gap + 1) as f64);
                }
            }
            previous = Some(v);
            previous_index = i;
        }
    }
    filled
}

/// The summary series of one benchmark: per revision, the geometric mean over its series.
pub fn summary_series(graphs: &[&[Point]]) -> Vec<(u32, f64)> {
    let mut revisions: Vec<u32> = graphs
        .iter()
        .flat_map(|points| points.iter().map(|p| p.revision))
        .collect();
    revisions.sort_unstable();
    revisions.dedup();
    let position: BTreeMap<u32, usize> =
        revisions.iter().enumerate().map(|(i, &r)| (r, i)).collect();
    let mut columns: Vec<Vec<Option<f64>>> = Vec::new();
    for points in graphs {
        let width = points.first().map_or(1, |p| p.values.len());
        for j in 0..width {
            let mut column = vec![None; revisions.len()];
            for p in points.iter() {
                column[position[&p.revision]] =
                    p.values.get(j).copied().flatten().filter(|v| !v.is_nan());
            }
            columns.push(column);
        }
    }
    let filled: Vec<Vec<Option<f64>>> = columns.iter().map(|c| fill_gaps(c)).collect();
    let mut out = Vec::new();
    for (i, &revision) in revisions.iter().enumerate() {
        if columns.iter().all(|c| c[i].is_none()) {
            continue;
        }
        let values: Vec<f64> = filled.iter().filter_map(|c| c[i]).collect();
        if let Some(mean) = geom_mean(&values) {
            out.push((revision, mean));
        }
    }
    out
}

impl Site<'_> {
    /// Draws one value column of a series: points (linked to their commits) and steps.
    fn chart(
        &self,
        svg: &mut String,
        points: &[Point],
        column: usize,
        steps: &[Step],
        regressed: &[(Option<u32>, u32)],
        unit: &str,
    ) {
        let (config, history) = (self.config, self.history);
        const W: f64 = 720.0;
        const H: f64 = 220.0;
        const PAD: f64 = 40.0;
        let data: Vec<(u32, f64)> = points
            .iter()
            .filter_map(|p| {
                p.values
                    .get(column)
                    .copied()
                    .flatten()
                    .filter(|v| v.is_finite())
                    .map(|v| (p.revision, v))
            })
            .collect();
        if data.is_empty() {
            svg.push_str("<p>No data.</p>");
            return;
        }
        let (x_min, x_max) = (data[0].0 as f64, data[data.len() - 1].0 as f64);
        let (mut y_min, mut y_max) = data
            .iter()
            .fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), &(_, v)| {
                (lo.min(v), hi.max(v))
            });
        if y_min == y_max {
            y_min -= y_min.abs() * 0.1 + 1e-12;
            y_max += y_max.abs() * 0.1 + 1e-12;
        }
        let x = |r: f64| {
            if x_max > x_min {
                PAD + (r - x_min) / (x_max - x_min) * (W - 2.0 * PAD)
            } else {
                W / 2.0
            }
        };
        let y = |v: f64| H - PAD / 2.0 - (v - y_min) / (y_max - y_min) * (H - PAD);
        let _ = write!(
            svg,
            "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{W}\" height=\"{H}\" viewBox=\"0 0 {W} {H}\">"
        );
        let commit_url = escape(&config.show_commit_url);
        let _ = write!(
            svg,
            "<text x=\"2\" y=\"14\" font-size=\"11\">{}</text><text x=\"2\" y=\"{}\" font-size=\"11\">{}</text>",
            escape(&human_value(y_max, unit)),
            H - 4.0,
            escape(&human_value(y_min, unit))
        );
        for &(revision, value) in &data {
            let sha = history.sha(revision).unwrap_or("");
            let short = &sha[..sha.len().min(config.hash_length.max(1))];
            let _ = write!(
                svg,
                "<a href=\"{}{}\"><circle cx=\"{:.1}\" cy=\"{:.1}\" r=\"2\" fill=\"#4a7ab5\"><title>{} r{} {}</title></circle></a>",
                commit_url,
                sha,
                x(revision as f64),
                y(value),
                short,
                revision,
                escape(&human_value(value, unit))
            );
        }
        for step in steps {
            let _ = write!(
                svg,
                "<line x1=\"{:.1}\" x2=\"{:.1}\" y1=\"{:.1}\" y2=\"{:.1}\" stroke=\"#e08020\" stroke-width=\"2\"/>",
                x(step.left as f64),
                x((step.right - 1) as f64),
                y(step.value),
                y(step.value)
            );
        }
        for &(before, after) in regressed {
            let from = x(before.unwrap_or(after) as f64);
            let _ = write!(
                svg,
                "<rect x=\"{:.1}\" y=\"0\" width=\"{:.1}\" height=\"{H}\" fill=\"#c00\" fill-opacity=\"0.15\"/>",
                from - 1.5,
                (x(after as f64) - from).max(0.0) + 3.0
            );
        }
        svg.push_str("</svg>");
    }

    fn commit_link(&self, revision: u32) -> String {
        let sha = self.history.sha(revision).unwrap_or("");
        let short = &sha[..sha.len().min(self.config.hash_length.max(1))];
        format!(
            "<a href=\"{}{}\">{}</a>",
            escape(&self.config.show_commit_url),
            sha,
            escape(short)
        )
    }

    /// The date (UTC) of a revision's commit, `YYYY-MM-DD`; `?` when unknown.
    fn commit_date(&self, revision: u32) -> String {
        self.history
            .commits
            .get(revision as usize)
            .and_then(|c| jiff::Timestamp::from_second(c.time).ok())
            .map_or_else(|| "?".to_owned(), |t| t.strftime("%Y-%m-%d").to_string())
    }

    /// The regressions, one row per jump: the series (the benchmark with its parameters, and
    /// where it ran), the date of the commit where the regression appears, the commits, the
    /// levels before and after and the change.
    fn regressions_table(&self) -> String {
        let mut html = String::from(
            "<table><tr><th>series</th><th>date</th><th>commits</th><th class=\"num\">before</th><th class=\"num\">after</th><th class=\"num\">change</th></tr>\n",
        );
        for r in &self.report.regressions {
            let series = regression_series(r, self.benchmarks);
            for jump in &r.jumps {
                let commits = match jump.before {
                    Some(b) => format!("{}…{}", self.commit_link(b), self.commit_link(jump.after)),
                    None => self.commit_link(jump.after),
                };
                let _ = writeln!(
                    html,
                    "<tr><td><a href=\"{}\">{}</a>{}</td><td>{}</td><td>{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num bad\">{}</td></tr>",
                    benchmark_page(&r.benchmark),
                    escape(&series.0),
                    if series.1.is_empty() {
                        String::new()
                    } else {
                        format!(" <small>{}</small>", escape(&series.1))
                    },
                    self.commit_date(jump.after),
                    commits,
                    escape(&human_value(jump.value_before, &r.unit)),
                    escape(&human_value(jump.value_after, &r.unit)),
                    escape(&factor_text(jump.value_before, jump.value_after, &r.unit))
                );
            }
        }
        html.push_str("</table>\n");
        html
    }

    /// Every file of the dashboard, by path relative to the output folder.
    pub fn render(&self) -> Vec<(String, Vec<u8>)> {
        let mut files = Vec::new();
        let mut by_benchmark: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
        for (i, (graph, _, _)) in self.graphs.iter().enumerate() {
            by_benchmark
                .entry(graph.benchmark.as_str())
                .or_default()
                .push(i);
        }

        // Summary: geometric means per benchmark.
        let mut summary = String::from(
            "<table><tr><th>benchmark</th><th class=\"num\">latest geometric mean</th><th class=\"num\">first</th><th class=\"num\">change</th><th>series</th></tr>\n",
        );
        for (name, indices) in &by_benchmark {
            let point_lists: Vec<&[Point]> = indices
                .iter()
                .map(|&i| self.graphs[i].1.as_slice())
                .collect();
            let series = summary_series(&point_lists);
            let unit = self.benchmarks.get(*name).map_or("", |b| b.unit.as_str());
            let (Some(first), Some(last)) = (series.first(), series.last()) else {
                continue;
            };
            let _ = writeln!(
                summary,
                "<tr><td><a href=\"{}\">{}</a></td><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td></tr>",
                benchmark_page(name),
                escape(name),
                escape(&human_value(last.1, unit)),
                escape(&human_value(first.1, unit)),
                escape(&percent_text(first.1, last.1, unit)),
                indices.len()
            );
        }
        summary.push_str("</table>\n");

        let index = format!(
            "<h1>{} benchmarks</h1>\n<p>{} benchmarks, {} series, {} regressions. <a href=\"summary.html\">Summary</a> · <a href=\"regressions.json\">regressions.json</a> · <a href=\"regressions.xml\">feed</a></p>\n<h2>Regressions</h2>\n{}<h2>Benchmarks</h2>\n{}",
            escape(self.project),
            by_benchmark.len(),
            self.graphs.len(),
            self.report.regressions.len(),
            self.regressions_table(),
            summary
        );
        files.push(("index.html".to_owned(), page(self.project, &index)));
        files.push((
            "summary.html".to_owned(),
            page(
                &format!("{} summary", self.project),
                &format!("<h1>{} — geometric means</h1>\n<p><a href=\"index.html\">back</a></p>\n{summary}", escape(self.project)),
            ),
        ));

        // The module pages are independent: rendered on all cores, in name order.
        let mut by_module: BTreeMap<&str, Vec<ModuleEntry<'_>>> = BTreeMap::new();
        for (name, indices) in &by_benchmark {
            by_module
                .entry(module_of(name))
                .or_default()
                .push((name, indices));
        }
        let pages: Vec<(&str, &[ModuleEntry<'_>])> = by_module
            .iter()
            .map(|(module, entries)| (*module, entries.as_slice()))
            .collect();
        files.extend(crate::parallel::map_on_all_cores(
            &pages,
            |(module, benchmarks)| self.module_file(module, benchmarks),
        ));
        let json = serde_json::to_vec(&self.report.asv_json()).unwrap_or_default();
        files.push(("regressions.json".to_owned(), json));
        files.push(("regressions.xml".to_owned(), self.feed.clone().into_bytes()));
        files
    }

    /// The page of one module: a section per benchmark, a chart per series and value column.
    fn module_file(&self, module: &str, benchmarks: &[ModuleEntry<'_>]) -> (String, Vec<u8>) {
        // About 200 bytes per drawn point (a linked circle with its title), plus headings.
        let drawn: usize = benchmarks
            .iter()
            .flat_map(|(_, indices)| indices.iter())
            .map(|&i| {
                let (graph, points, _) = &self.graphs[i];
                points.len() * graph.width.max(1) * 200 + 2048
            })
            .sum();
        let mut body = page_start(module, drawn);
        let _ = write!(
            body,
            "<h1>{}</h1>\n<p><a href=\"../index.html\">{}</a> · {}</p>\n<ul>\n",
            escape(module),
            escape(self.project),
            if benchmarks.len() == 1 {
                "1 benchmark".to_owned()
            } else {
                format!("{} benchmarks", benchmarks.len())
            }
        );
        for (name, _) in benchmarks {
            let _ = writeln!(
                body,
                "<li><a href=\"#{}\">{}</a></li>",
                escape(name),
                escape(name)
            );
        }
        body.push_str("</ul>\n");
        for (name, indices) in benchmarks {
            self.benchmark_section(&mut body, name, indices);
        }
        (
            format!("bench/{}.html", sanitize_filename(module)),
            page_end(body),
        )
    }

    /// The section of one benchmark: a chart per series and value column.
    fn benchmark_section(&self, body: &mut String, name: &str, indices: &[usize]) {
        let benchmark = self.benchmarks.get(name);
        let unit = benchmark.map_or("", |b| b.unit.as_str());
        let _ = writeln!(
            body,
            "<section id=\"{}\">\n<h2>{}</h2>\n<p>unit: {}</p>",
            escape(name),
            escape(name),
            escape(unit)
        );
        for &i in indices {
            let (graph, points, steps) = &self.graphs[i];
            let params: Vec<String> = graph
                .params
                .iter()
                .map(|(k, v)| format!("{k}={}", v.as_deref().unwrap_or("null")))
                .collect();
            let _ = writeln!(body, "<h3>{}</h3>", escape(&params.join(" ")));
            let width = graph.width.max(1);
            for column in 0..width {
                if let Some(b) = benchmark.filter(|b| !b.params.is_empty()) {
                    let combo = crate::series::combination(&b.params, column);
                    let _ = writeln!(body, "<h4>({})</h4>", escape(&combo.join(", ")));
                }
                let path = format!("{}.json", graph.path);
                let regressed: Vec<(Option<u32>, u32)> = self
                    .report
                    .regressions
                    .iter()
                    .filter(|r| r.graph_path == path && r.param_index.unwrap_or(0) == column)
                    .flat_map(|r| r.jumps.iter().map(|j| (j.before, j.after)))
                    .collect();
                let no_steps = Vec::new();
                self.chart(
                    body,
                    points,
                    column,
                    steps.get(column).unwrap_or(&no_steps),
                    &regressed,
                    unit,
                );
                body.push('\n');
            }
        }
        body.push_str("</section>\n");
    }
}

/// How the regressions table names a regression's series: the benchmark with its parameters
/// (`name(n=100, kind='a')`, or asv's name when the parameter names are unknown), and where it
/// ran (`machine m, branch main`, then the parameters that tell its series apart).
pub fn regression_series(regression: &Regression, benchmarks: &Benchmarks) -> (String, String) {
    let named = regression.param_index.and_then(|index| {
        let benchmark = benchmarks.get(&regression.benchmark)?;
        if benchmark.param_names.len() != benchmark.params.len() {
            return None;
        }
        let values = crate::series::combination(&benchmark.params, index);
        let pairs: Vec<String> = benchmark
            .param_names
            .iter()
            .zip(values)
            .map(|(name, value)| format!("{name}={value}"))
            .collect();
        Some(format!("{}({})", regression.benchmark, pairs.join(", ")))
    });
    let mut place = Vec::new();
    if let Some(machine) = &regression.machine {
        place.push(format!("machine {machine}"));
    }
    if let Some(branch) = &regression.branch {
        place.push(format!("branch {branch}"));
    }
    for (key, value) in &regression.graph_params {
        if key != "machine" && key != "branch" {
            place.push(format!("{key}={}", value.as_deref().unwrap_or("null")));
        }
    }
    (
        named.unwrap_or_else(|| regression.name.clone()),
        place.join(", "),
    )
}

/// The module of a benchmark: its name up to the first dot (the whole name when it has none).
pub fn module_of(name: &str) -> &str {
    name.split_once('.').map_or(name, |(module, _)| module)
}

/// Where one benchmark is shown, relative to the site's root: its section on its module's page.
pub fn benchmark_page(name: &str) -> String {
    format!(
        "bench/{}.html#{}",
        sanitize_filename(module_of(name)),
        escape(name)
    )
}

/// Writes the files whose bytes differ from those on disk (on all cores); returns how many were
/// written.
pub fn write_changed(out: &Path, files: &[(String, Vec<u8>)]) -> std::io::Result<usize> {
    let outcomes =
        crate::parallel::map_on_all_cores(files, |(relative, bytes)| -> std::io::Result<bool> {
            let path = out.join(relative);
            if std::fs::read(&path).is_ok_and(|old| old == *bytes) {
                return Ok(false);
            }
            if let Some(parent) = path.parent() {
                std::fs::create_dir_all(parent)?;
            }
            std::fs::write(&path, bytes)?;
            Ok(true)
        });
    let mut written = 0;
    for outcome in outcomes {
        if outcome? {
            written += 1;
        }
    }
    Ok(written)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gaps_are_filled_linearly_when_short() {
        let y = [
            Some(1.0),
            None,
            Some(3.0),
            Some(3.0),
            Some(3.0),
            Some(3.0),
            Some(3.0),
            Some(3.0),
            Some(3.0),
            Some(3.0),
            Some(3.0),
        ];
        let filled = fill_gaps(&y);
        assert_eq!(filled[1], Some(2.0));
        // A gap longer than a tenth of the points stays open.
        let y = [Some(1.0), None, None, Some(4.0)];
        assert_eq!(fill_gaps(&y)[1], None);
    }

    #[test]
    fn benchmarks_are_shown_on_the_page_of_their_module() {
        assert_eq!(module_of("bench_core.Core.time_add"), "bench_core");
        assert_eq!(module_of("toplevel"), "toplevel");
        assert_eq!(
            benchmark_page("bench_core.Core.time_add"),
            "bench/bench_core.html#bench_core.Core.time_add"
        );
        assert_eq!(benchmark_page("a<b>.t"), "bench/a_b_.html#a&lt;b&gt;.t");
    }

    #[test]
    fn geometric_mean_keeps_the_sign_of_the_sum() {
        assert_eq!(geom_mean(&[4.0, 1.0]), Some(2.0));
        assert_eq!(geom_mean(&[-4.0, -1.0]), Some(-2.0));
        assert_eq!(geom_mean(&[]), None);
    }
}
