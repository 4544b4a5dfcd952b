//! The benchmark dashboard of `agora bench publish`: an index, a summary, a page per module.
//!
//! [`Site`] holds one project's analysis (its series with their points and fitted steps, the
//! regressions, the commit history and asv's configuration); [`Site::render`] turns it into
//! `(relative path, bytes)` pairs and never touches the disk (`agora_bench::dashboard::
//! write_changed` writes those that changed). The index lists the regressions (with the date
//! of the commit where each appears) and a geometric-mean summary per benchmark; a module's page
//! has a section per benchmark and a chart per series and parameter combination. Each chart
//! puts the commits' dates (or their order, [`XOrder`]) on x and the value in the unit its
//! magnitude calls for on y, marks the release tags, draws the detected steps and highlights
//! the regressions; every point links to its commit and says its value, commit and date on
//! hover. asv's `regressions.json` and the Atom feed are written beside the pages.

use std::collections::BTreeMap;

use agora_bench::dashboard::{
    DrawnSeries, benchmark_page, module_of, regression_series, summary_series,
};
use agora_bench::display::{factor_text, human_value, percent_text};
use agora_bench::series::{Point, combination, sanitize_filename};
use agora_bench::steps::Step;
use agora_bench::{AsvConfig, Benchmarks, History, RegressionReport};
use serde::Serialize;

use crate::chart::{Chart, Datum, Marker, Marks, Quantity, Segment, Span, XAxis, YAxis, time};
use crate::page::{self, Frame, RenderError};

/// The page (relative to a dashboard's folder, with its anchor) of a benchmark's charts.
pub fn series_page(benchmark: &str) -> String {
    benchmark_page(benchmark)
}

/// A benchmark on its module's page: its name and the positions of its series.
type ModuleEntry<'a> = (&'a str, &'a [usize]);

/// What a benchmark chart puts along x.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum XOrder {
    /// The dates of the commits (asv's default view).
    #[default]
    Dates,
    /// The commits' positions in the history (revision numbers), evenly spaced.
    Commits,
}

/// Everything one project's dashboard shows.
pub struct Site<'a> {
    /// The project's name.
    pub project: &'a str,
    /// Its asv configuration (commit links).
    pub config: &'a AsvConfig,
    /// Its commit history (hashes, dates and tags of revisions).
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

/// A commit as a table cell: its short hash and the link to it.
#[derive(Serialize)]
struct CommitView {
    short: String,
    href: String,
}

/// One jump of the regressions table.
#[derive(Serialize)]
struct RegressionRow {
    series: String,
    place: String,
    link: String,
    date: String,
    before: Option<CommitView>,
    after: CommitView,
    value_before: String,
    value_after: String,
    change: String,
}

/// One benchmark in the summary table.
#[derive(Serialize)]
struct SummaryRow {
    name: String,
    link: String,
    latest: String,
    first: String,
    change: String,
    series: usize,
}

/// The index (and the summary page, which shows only the summary).
#[derive(Serialize)]
struct IndexPage<'a> {
    title: String,
    project: &'a str,
    summary_only: bool,
    benchmarks: usize,
    series: usize,
    regressions: Vec<RegressionRow>,
    regression_count: usize,
    summary: Vec<SummaryRow>,
}

/// A chart of one series' value column, with its heading.
#[derive(Serialize)]
struct ChartView {
    heading: String,
    svg: minijinja::Value,
    empty: bool,
}

/// A benchmark's section on its module's page.
#[derive(Serialize)]
struct BenchmarkView {
    name: String,
    unit: String,
    charts: Vec<ChartView>,
    /// The series as JSON for the interactive chart (portal pages only), `<` escaped.
    data: Option<minijinja::Value>,
}

/// One series (one value column of one graph) of the interactive chart.
#[derive(Serialize)]
struct Line {
    /// The value of each of the chart's keys, in the keys' order.
    keys: Vec<String>,
    /// The revisions with a value.
    r: Vec<u32>,
    /// The values.
    y: Vec<f64>,
    /// Regressions as (revision before, revision after).
    regressions: Vec<(u32, u32)>,
}

/// Everything the interactive chart of one benchmark needs.
#[derive(Serialize)]
struct Interactive {
    name: String,
    unit: String,
    /// Each key (machine, python, branch, the benchmark's parameters) and its values.
    keys: Vec<(String, Vec<String>)>,
    lines: Vec<Line>,
    /// Revision → (full hash, commit time in seconds), for the revisions drawn.
    commits: BTreeMap<u32, (String, i64)>,
    /// Release tags as (revision, name).
    tags: Vec<(u32, String)>,
    /// The commit link prefix.
    commit_url: String,
}

/// A module's page.
#[derive(Serialize)]
struct ModulePage<'a> {
    title: String,
    project: &'a str,
    module: &'a str,
    benchmarks: Vec<BenchmarkView>,
}

/// The index of several projects' dashboards.
#[derive(Serialize)]
struct ProjectsPage<'a> {
    title: &'static str,
    projects: &'a [(String, String)],
}

/// The page listing every project's dashboard: `(name, link)` pairs, in order.
pub fn projects_index(projects: &[(String, String)]) -> Result<String, RenderError> {
    page::render(
        "bench_projects.html",
        &ProjectsPage {
            title: "Benchmarks",
            projects,
        },
    )
}

/// `key = value` pairs for a heading: `machine = m, python = 3.11`.
fn readable_params<'p>(pairs: impl Iterator<Item = (&'p str, String)>) -> String {
    pairs
        .map(|(key, value)| format!("{key} = {value}"))
        .collect::<Vec<_>>()
        .join(", ")
}

impl Site<'_> {
    /// The short hash of a revision and its link.
    fn commit(&self, revision: u32) -> CommitView {
        let sha = self.history.sha(revision).unwrap_or("");
        CommitView {
            short: sha[..sha.len().min(self.config.hash_length.max(1))].to_string(),
            href: format!("{}{sha}", self.commit_url()),
        }
    }

    /// The commit link prefix of asv's configuration, GitHub's over HTTPS.
    fn commit_url(&self) -> String {
        let url = &self.config.show_commit_url;
        match url.strip_prefix("http://github.com/") {
            Some(rest) => format!("https://github.com/{rest}"),
            None => url.clone(),
        }
    }

    /// The commit time of a revision (seconds since the epoch), when known.
    fn commit_time(&self, revision: u32) -> Option<i64> {
        self.history.commits.get(revision as usize).map(|c| c.time)
    }

    /// The date (UTC) of a revision's commit, `YYYY-MM-DD`; `?` when unknown.
    fn commit_date(&self, revision: u32) -> String {
        self.commit_time(revision)
            .and_then(|t| jiff::Timestamp::from_second(t).ok())
            .map_or_else(|| "?".to_owned(), |t| t.strftime("%Y-%m-%d").to_string())
    }

    /// Where a revision sits along x.
    fn x_of(&self, revision: u32, order: XOrder) -> f64 {
        match (order, self.commit_time(revision)) {
            (XOrder::Dates, Some(seconds)) => time::day_of_seconds(seconds),
            _ => f64::from(revision),
        }
    }

    /// Whether every revision has a date, so that dates can go on x.
    fn dated(&self) -> bool {
        !self.history.commits.is_empty()
    }

    fn regression_rows(&self) -> Vec<RegressionRow> {
        let mut rows = Vec::new();
        for r in &self.report.regressions {
            let (series, place) = regression_series(r, self.benchmarks);
            for jump in &r.jumps {
                rows.push(RegressionRow {
                    series: series.clone(),
                    place: place.clone(),
                    link: benchmark_page(&r.benchmark),
                    date: self.commit_date(jump.after),
                    before: jump.before.map(|b| self.commit(b)),
                    after: self.commit(jump.after),
                    value_before: human_value(jump.value_before, &r.unit),
                    value_after: human_value(jump.value_after, &r.unit),
                    change: factor_text(jump.value_before, jump.value_after, &r.unit),
                });
            }
        }
        rows
    }

    fn summary_rows(&self, by_benchmark: &BTreeMap<&str, Vec<usize>>) -> Vec<SummaryRow> {
        let mut rows = Vec::new();
        for (name, indices) in by_benchmark {
            let point_lists: Vec<&[Point]> = indices
                .iter()
                .map(|&i| self.graphs[i].1.as_slice())
                .collect();
            let series = summary_series(&point_lists);
            let unit = self.benchmarks.get(*name).map_or("", |b| b.unit.as_str());
            let (Some(first), Some(last)) = (series.first(), series.last()) else {
                continue;
            };
            rows.push(SummaryRow {
                name: (*name).to_string(),
                link: benchmark_page(name),
                latest: human_value(last.1, unit),
                first: human_value(first.1, unit),
                change: percent_text(first.1, last.1, unit),
                series: indices.len(),
            });
        }
        rows
    }

    /// Every file of the dashboard, by path relative to the output folder, x by dates.
    pub fn render(&self) -> Result<Vec<(String, Vec<u8>)>, RenderError> {
        self.render_by(XOrder::Dates)
    }

    /// Every file of the dashboard, with the charts' x in the given order.
    pub fn render_by(&self, order: XOrder) -> Result<Vec<(String, Vec<u8>)>, RenderError> {
        self.render_in(order, None)
    }

    /// Every file of the dashboard inside the portal: `frame` is the frame of the dashboard's
    /// index; module pages, one folder deeper, also get interactive charts.
    pub fn render_in(
        &self,
        order: XOrder,
        frame: Option<&Frame>,
    ) -> Result<Vec<(String, Vec<u8>)>, RenderError> {
        self.render_each(order, frame, &|path, bytes| Ok((path, bytes)))
    }

    /// Every file of the dashboard as [`Site::render_in`] makes it, handed to `each` (with its
    /// path) as soon as it is made, module pages on all cores; what `each` returned, in the
    /// files' order. A caller that writes each file and drops it holds no more than one page
    /// per core, instead of the whole dashboard.
    pub fn render_each<T: Send, E: From<RenderError> + Send>(
        &self,
        order: XOrder,
        frame: Option<&Frame>,
        each: &(dyn Fn(String, Vec<u8>) -> Result<T, E> + Sync),
    ) -> Result<Vec<T>, E> {
        let order = if self.dated() { order } else { XOrder::Commits };
        let mut by_benchmark: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
        for (i, (graph, _, _)) in self.graphs.iter().enumerate() {
            by_benchmark
                .entry(graph.benchmark.as_str())
                .or_default()
                .push(i);
        }
        let summary = self.summary_rows(&by_benchmark);
        let regressions = self.regression_rows();
        let index = IndexPage {
            title: format!("{} benchmarks", self.project),
            project: self.project,
            summary_only: false,
            benchmarks: by_benchmark.len(),
            series: self.graphs.len(),
            regression_count: self.report.regressions.len(),
            regressions,
            summary,
        };
        let mut files = vec![each(
            "index.html".to_owned(),
            page::render_in("bench_index.html", &index, frame)?.into_bytes(),
        )?];
        let summary_page = IndexPage {
            title: format!("{} — geometric means", self.project),
            summary_only: true,
            regressions: Vec::new(),
            ..index
        };
        files.push(each(
            "summary.html".to_owned(),
            page::render_in("bench_index.html", &summary_page, frame)?.into_bytes(),
        )?);

        // The module pages are independent: rendered on all cores, in name order.
        let mut by_module: BTreeMap<&str, Vec<ModuleEntry<'_>>> = BTreeMap::new();
        for (name, indices) in &by_benchmark {
            by_module
                .entry(module_of(name))
                .or_default()
                .push((name, indices));
        }
        let module_frame = frame.map(|f| Frame {
            charts: true,
            ..f.deeper()
        });
        let pages: Vec<(&str, &[ModuleEntry<'_>])> = by_module
            .iter()
            .map(|(module, entries)| (*module, entries.as_slice()))
            .collect();
        for page in agora_bench::parallel::map_on_all_cores(&pages, |(module, benchmarks)| {
            let (path, bytes) =
                self.module_file(module, benchmarks, order, module_frame.as_ref())?;
            each(path, bytes)
        }) {
            files.push(page?);
        }
        let json = serde_json::to_vec(&self.report.asv_json()).unwrap_or_default();
        files.push(each("regressions.json".to_owned(), json)?);
        files.push(each(
            "regressions.xml".to_owned(),
            self.feed.clone().into_bytes(),
        )?);
        Ok(files)
    }

    /// The page of one module: a section per benchmark, a chart per series and value column.
    fn module_file(
        &self,
        module: &str,
        benchmarks: &[ModuleEntry<'_>],
        order: XOrder,
        frame: Option<&Frame>,
    ) -> Result<(String, Vec<u8>), RenderError> {
        let mut views = Vec::new();
        for (name, indices) in benchmarks {
            let benchmark = self.benchmarks.get(*name);
            let unit = benchmark.map_or("", |b| b.unit.as_str());
            let mut charts = Vec::new();
            for &i in indices.iter() {
                let (graph, points, steps) = &self.graphs[i];
                let place =
                    readable_params(graph.params.iter().map(|(k, v)| {
                        (k.as_str(), v.clone().unwrap_or_else(|| "none".to_string()))
                    }));
                for column in 0..graph.width.max(1) {
                    let combo = benchmark
                        .filter(|b| !b.params.is_empty())
                        .map(|b| {
                            let values = combination(&b.params, column);
                            let names = b.param_names.iter().map(String::as_str);
                            if b.param_names.len() == values.len() {
                                readable_params(names.zip(values.iter().map(|v| v.to_string())))
                            } else {
                                values.join(", ")
                            }
                        })
                        .unwrap_or_default();
                    let heading = match (combo.is_empty(), place.is_empty()) {
                        (true, _) => place.clone(),
                        (false, true) => combo.clone(),
                        (false, false) => format!("{combo} · {place}"),
                    };
                    let path = format!("{}.json", graph.path);
                    let regressed: Vec<(Option<u32>, u32, String)> = self
                        .report
                        .regressions
                        .iter()
                        .filter(|r| r.graph_path == path && r.param_index.unwrap_or(0) == column)
                        .flat_map(|r| {
                            r.jumps.iter().map(|j| {
                                (
                                    j.before,
                                    j.after,
                                    format!(
                                        "regression: {} → {} ({})",
                                        human_value(j.value_before, &r.unit),
                                        human_value(j.value_after, &r.unit),
                                        factor_text(j.value_before, j.value_after, &r.unit)
                                    ),
                                )
                            })
                        })
                        .collect();
                    let no_steps = Vec::new();
                    let chart = self.series_chart(
                        name,
                        &heading,
                        points,
                        column,
                        steps.get(column).unwrap_or(&no_steps),
                        &regressed,
                        unit,
                        order,
                    );
                    charts.push(match chart {
                        Some(chart) => ChartView {
                            heading,
                            svg: page::safe(chart.draw().svg()),
                            empty: false,
                        },
                        None => ChartView {
                            heading,
                            svg: minijinja::Value::from(()),
                            empty: true,
                        },
                    });
                }
            }
            views.push(BenchmarkView {
                name: (*name).to_string(),
                unit: unit.to_string(),
                charts,
                data: frame
                    .is_some()
                    .then(|| self.interactive(name, indices, unit))
                    .map(page::safe),
            });
        }
        let html = page::render_in(
            "bench_module.html",
            &ModulePage {
                title: format!("{module} — {}", self.project),
                project: self.project,
                module,
                benchmarks: views,
            },
            frame,
        )?;
        Ok((
            format!("bench/{}.html", sanitize_filename(module)),
            html.into_bytes(),
        ))
    }

    /// The JSON of a benchmark's interactive chart: every series and value column, with the
    /// keys to choose one by (as asv's machine, parameter and branch selectors), the commits
    /// drawn, the release tags and the regressions. `<` is escaped so that it can sit in a
    /// `<script>` element.
    fn interactive(&self, name: &str, indices: &[usize], unit: &str) -> String {
        let benchmark = self.benchmarks.get(name);
        let mut key_names: Vec<String> = Vec::new();
        for &i in indices {
            for key in self.graphs[i].0.params.keys() {
                if !key_names.contains(key) {
                    key_names.push(key.clone());
                }
            }
        }
        let param_names: Vec<String> = benchmark
            .filter(|b| !b.params.is_empty())
            .map(|b| {
                (0..b.params.len())
                    .map(|k| {
                        b.param_names
                            .get(k)
                            .cloned()
                            .unwrap_or_else(|| format!("param{}", k + 1))
                    })
                    .collect()
            })
            .unwrap_or_default();
        let mut lines = Vec::new();
        let mut commits = BTreeMap::new();
        for &i in indices {
            let (graph, points, _) = &self.graphs[i];
            let path = format!("{}.json", graph.path);
            for column in 0..graph.width.max(1) {
                let mut keys: Vec<String> = key_names
                    .iter()
                    .map(|k| {
                        graph
                            .params
                            .get(k)
                            .cloned()
                            .flatten()
                            .unwrap_or_else(|| "none".into())
                    })
                    .collect();
                if let Some(b) = benchmark.filter(|b| !b.params.is_empty()) {
                    let values = combination(&b.params, column);
                    keys.extend(values.iter().map(|v| v.to_string()));
                    keys.resize(key_names.len() + param_names.len(), String::new());
                }
                let (mut r, mut y) = (Vec::new(), Vec::new());
                for p in points {
                    if let Some(value) = p.values.get(column).copied().flatten()
                        && value.is_finite()
                    {
                        r.push(p.revision);
                        y.push(value);
                        if let (Some(sha), Some(time)) =
                            (self.history.sha(p.revision), self.commit_time(p.revision))
                        {
                            commits.insert(p.revision, (sha.to_string(), time));
                        }
                    }
                }
                let regressions = self
                    .report
                    .regressions
                    .iter()
                    .filter(|g| g.graph_path == path && g.param_index.unwrap_or(0) == column)
                    .flat_map(|g| {
                        g.jumps
                            .iter()
                            .map(|j| (j.before.unwrap_or(j.after), j.after))
                    })
                    .collect();
                lines.push(Line {
                    keys,
                    r,
                    y,
                    regressions,
                });
            }
        }
        let all_names: Vec<String> = key_names.into_iter().chain(param_names).collect();
        let keys = all_names
            .iter()
            .enumerate()
            .map(|(k, key)| {
                let mut values: Vec<String> = Vec::new();
                for line in &lines {
                    if let Some(v) = line.keys.get(k)
                        && !values.contains(v)
                    {
                        values.push(v.clone());
                    }
                }
                (key.clone(), values)
            })
            .collect();
        let tags = self
            .history
            .tags
            .iter()
            .filter_map(|(tag, sha)| Some((self.history.revision(sha)?, tag.clone())))
            .collect();
        let view = Interactive {
            name: name.to_string(),
            unit: unit.to_string(),
            keys,
            lines,
            commits,
            tags,
            commit_url: self.commit_url(),
        };
        serde_json::to_string(&view)
            .unwrap_or_default()
            .replace('<', "\\u003c")
    }

    /// The chart of one value column of a series; `None` when it has no finite value.
    #[allow(clippy::too_many_arguments)]
    fn series_chart(
        &self,
        name: &str,
        heading: &str,
        points: &[Point],
        column: usize,
        steps: &[Step],
        regressed: &[(Option<u32>, u32, String)],
        unit: &str,
        order: XOrder,
    ) -> Option<Chart> {
        let quantity = Quantity::from_asv(unit);
        let data: Vec<Datum> = points
            .iter()
            .filter_map(|p| {
                let value = p.values.get(column).copied().flatten()?;
                value.is_finite().then(|| {
                    let commit = self.commit(p.revision);
                    Datum {
                        x: self.x_of(p.revision, order),
                        y: value,
                        tip: format!(
                            "{} — commit {} (r{}), {}",
                            quantity.format(value),
                            commit.short,
                            p.revision,
                            self.commit_date(p.revision)
                        ),
                        href: Some(commit.href),
                    }
                })
            })
            .collect();
        if data.is_empty() {
            return None;
        }
        let (first, last) = (
            data.iter().map(|d| d.x).fold(f64::INFINITY, f64::min),
            data.iter().map(|d| d.x).fold(f64::NEG_INFINITY, f64::max),
        );
        let segments = steps
            .iter()
            .map(|step| {
                let (from, to) = (step.left.max(0) as u32, (step.right - 1).max(0) as u32);
                Segment {
                    from: self.x_of(from, order),
                    to: self.x_of(to, order),
                    y: step.value,
                    tip: format!(
                        "step: {} from {} to {}",
                        quantity.format(step.value),
                        self.commit_date(from),
                        self.commit_date(to)
                    ),
                }
            })
            .collect();
        let spans = regressed
            .iter()
            .map(|(before, after, tip)| Span {
                from: self.x_of(before.unwrap_or(*after), order),
                to: self.x_of(*after, order),
                tip: tip.clone(),
            })
            .collect();
        let markers = self
            .history
            .tags
            .iter()
            .filter_map(|(tag, sha)| {
                let x = self.x_of(self.history.revision(sha)?, order);
                (x >= first && x <= last).then(|| Marker {
                    x,
                    label: tag.clone(),
                })
            })
            .collect();
        let x = match order {
            XOrder::Dates => XAxis::Time {
                title: "commit date".into(),
            },
            XOrder::Commits => XAxis::Numbers {
                title: "commit (position in the history)".into(),
            },
        };
        let y_title = match quantity {
            Quantity::Seconds => "time",
            Quantity::Bytes => "size",
            _ => "value",
        };
        let title = if heading.is_empty() {
            name.to_string()
        } else {
            format!("{name} ({heading})")
        };
        let mut chart = Chart::new(
            &title,
            x,
            YAxis {
                include_zero: false,
                ..YAxis::new(y_title, quantity)
            },
        )
        .layer("result", Marks::Points { data })
        .layer("detected step", Marks::Steps { data: segments });
        chart.markers = markers;
        chart.spans = spans;
        chart.marker_name = "release tag".into();
        chart.span_name = "regression".into();
        Some(chart)
    }
}
