//! Series ("graphs" in asv): one benchmark × environment parameters × machine × branch, with
//! one point per revision, built exactly as `asv publish` builds them.
//!
//! Each result file contributes, for every branch its commit is on (a tagged commit counts as
//! on every branch), one point per benchmark whose version matches `benchmarks.json`. A
//! parameterised benchmark's series carries one value per combination of today's parameters
//! (a run's values are matched to them by parameter values, so runs made with other parameter
//! lists still line up). A point's weight is `2/|ci_99_b − ci_99_a|` (missing when the interval
//! is infinite or empty). Points on the same revision are averaged, value by value and weight
//! by weight; revisions with no value at either end of a series are dropped. The path of a
//! series is asv's (`graphs/branch-main/…/machine-x/…/benchmark.json`), so links and the
//! regressions file stay compatible.

use std::collections::{BTreeMap, BTreeSet};

use rustc_hash::FxHashMap as HashMap;

use crate::format::{AsvConfig, BenchmarkRun, Benchmarks, ResultFile};
use crate::history::History;
use crate::steps::{FitError, Step, detect_steps};

/// Replaces the characters asv replaces to make a name safe as a file name.
pub fn sanitize_filename(name: &str) -> String {
    let mut out: String = name
        .chars()
        .map(|c| match c {
            '<' | '>' | ':' | '"' | '/' | '^' | '|' | '?' | '*' => '_',
            c if (c as u32) < 0x20 => '_',
            c => c,
        })
        .collect();
    const FORBIDDEN: [&str; 22] = [
        "CON", "PRN", "AUX", "NUL", "COM1", "COM2", "COM3", "COM4", "COM5", "COM6", "COM7", "COM8",
        "COM9", "LPT1", "LPT2", "LPT3", "LPT4", "LPT5", "LPT6", "LPT7", "LPT8", "LPT9",
    ];
    if FORBIDDEN.contains(&out.to_uppercase().as_str()) {
        out.push('_');
    }
    out
}

/// The path of a series' file (without `.json`), as asv and its web page compute it.
pub fn graph_path(params: &BTreeMap<String, Option<String>>, benchmark: &str) -> String {
    let mut path = params_path(params);
    path.push('/');
    path.push_str(&sanitize_filename(benchmark));
    path
}

/// The folder part of a series' path: `graphs/` and the sorted `key-value` parts.
fn params_path(params: &BTreeMap<String, Option<String>>) -> String {
    let mut parts: Vec<String> = params
        .iter()
        .map(|(key, value)| {
            let part = match value {
                None => format!("{key}-null"),
                Some(v) if v.is_empty() => key.clone(),
                Some(v) => format!("{key}-{v}"),
            };
            sanitize_filename(&part)
        })
        .collect();
    parts.sort();
    let mut path = String::from("graphs");
    for part in parts {
        path.push('/');
        path.push_str(&part);
    }
    path
}

/// One revision of a series after averaging: a value and a weight per parameter combination.
#[derive(Debug, Clone, PartialEq)]
pub struct Point {
    /// The revision number.
    pub revision: u32,
    /// One value per parameter combination (one for a benchmark without parameters).
    pub values: Vec<Option<f64>>,
    /// The matching weights.
    pub weights: Vec<Option<f64>>,
}

/// The runs of one revision before averaging: values and weights of each run.
type RevisionRuns = Vec<(Vec<Option<f64>>, Vec<Option<f64>>)>;

/// One series: a benchmark in one environment on one machine and branch.
///
/// Serialized, a series is only its description: its results are left out (a stored analysis
/// keeps the points and steps beside it), and read back as none.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Graph {
    /// The benchmark's name.
    pub benchmark: String,
    /// The environment parameters, machine and branch (`None`: the parameter is not set).
    pub params: BTreeMap<String, Option<String>>,
    /// asv's path of the series (without `.json`).
    pub path: String,
    /// Whether the benchmark has parameters (then each point holds a list of values).
    pub parameterized: bool,
    /// How many values each point holds.
    pub width: usize,
    #[serde(skip)]
    raw: BTreeMap<u32, RevisionRuns>,
}

fn mean(values: impl Iterator<Item = Option<f64>>) -> Option<f64> {
    let mut sum = 0.0;
    let mut count = 0usize;
    for value in values.flatten() {
        if value.is_nan() {
            continue;
        }
        sum += value;
        count += 1;
    }
    (count > 0).then(|| sum / count as f64)
}

impl Graph {
    fn new(
        benchmark: &str,
        params: BTreeMap<String, Option<String>>,
        path: String,
        parameterized: bool,
    ) -> Graph {
        Graph {
            benchmark: benchmark.to_owned(),
            path,
            params,
            parameterized,
            width: 0,
            raw: BTreeMap::new(),
        }
    }

    fn add(&mut self, revision: u32, values: Vec<Option<f64>>, weights: Vec<Option<f64>>) {
        let entry = self.raw.entry(revision).or_default();
        if !self.parameterized && values.first().copied().flatten().is_none_or(f64::is_nan) {
            return;
        }
        if self.width == 0 {
            self.width = values.len();
        } else if self.width != values.len() {
            return;
        }
        entry.push((values, weights));
    }

    /// Drops the runs placed on this series, keeping the revisions they were placed on (what
    /// [`Graph::revisions`] lists): once its points are taken, a series needs no more of
    /// them, and a project's runs take as much memory as its points. [`Graph::points`] gives
    /// no values afterwards.
    pub fn forget_runs(&mut self) {
        for runs in self.raw.values_mut() {
            *runs = Vec::new();
        }
    }

    /// Every revision a result was placed on, with or without a value.
    pub fn revisions(&self) -> impl Iterator<Item = u32> + '_ {
        self.raw.keys().copied()
    }

    /// The points: averaged per revision, in revision order, without empty revisions at the ends.
    pub fn points(&self) -> Vec<Point> {
        let width = self.width.max(1);
        let mut points: Vec<Point> = self
            .raw
            .iter()
            .map(|(&revision, entries)| {
                let column = |j: usize, weights: bool| {
                    if entries.is_empty() {
                        return None;
                    }
                    mean(entries.iter().map(|(v, w)| {
                        let list = if weights { w } else { v };
                        list.get(j).copied().flatten()
                    }))
                };
                Point {
                    revision,
                    values: (0..width).map(|j| column(j, false)).collect(),
                    weights: (0..width).map(|j| column(j, true)).collect(),
                }
            })
            .collect();
        let has_value = |p: &Point| p.values.iter().any(|v| v.is_some_and(|x| !x.is_nan()));
        let first = points.iter().position(has_value).unwrap_or(points.len());
        let mut last = first;
        let mut k = points.len();
        while k > first + 1 {
            k -= 1;
            last = k;
            if has_value(&points[k]) {
                break;
            }
        }
        points.truncate((last + 1).min(points.len()));
        points.drain(..first.min(points.len()));
        points
    }

    /// The fitted steps of each value column, in revision coordinates, or why a column could
    /// not be fitted.
    pub fn steps(&self) -> Vec<Result<Vec<Step>, FitError>> {
        let points = self.points();
        (0..self.width.max(1))
            .map(|j| column_steps(&points, j))
            .collect()
    }
}

/// The fitted steps of value column `j` of a series' points, in revision coordinates (also
/// the position of a refused point).
pub fn column_steps(points: &[Point], j: usize) -> Result<Vec<Step>, FitError> {
    let y: Vec<Option<f64>> = points
        .iter()
        .map(|p| p.values.get(j).copied().flatten())
        .collect();
    let w: Vec<Option<f64>> = points
        .iter()
        .map(|p| p.weights.get(j).copied().flatten())
        .collect();
    let revision = |position: i64| {
        usize::try_from(position)
            .ok()
            .and_then(|i| points.get(i))
            .map_or(position, |p| i64::from(p.revision))
    };
    match detect_steps(&y, Some(&w)) {
        Ok(steps) => Ok(steps
            .into_iter()
            .map(|step| Step {
                left: revision(step.left),
                right: revision(step.right - 1) + 1,
                ..step
            })
            .collect()),
        Err(FitError::Overflow {
            position,
            value,
            weight,
        }) => Err(FitError::Overflow {
            position: revision(position),
            value,
            weight,
        }),
    }
}

/// The steps of many series (each given by its points and its number of value columns), the
/// columns fitted on all cores: the same result as [`Graph::steps`] on each, in order.
///
/// Columns are handed out longest first, so a few long series do not leave a core idle at the
/// end.
pub fn fit_steps_parallel(series: &[(&[Point], usize)]) -> Vec<Vec<Result<Vec<Step>, FitError>>> {
    let mut jobs: Vec<(usize, usize)> = series
        .iter()
        .enumerate()
        .flat_map(|(i, (_, width))| (0..(*width).max(1)).map(move |j| (i, j)))
        .collect();
    jobs.sort_by_key(|&(i, _)| std::cmp::Reverse(series[i].0.len()));
    let fitted = crate::parallel::map_on_all_cores(&jobs, |&(i, j)| column_steps(series[i].0, j));
    let mut out: Vec<Vec<Result<Vec<Step>, FitError>>> = series
        .iter()
        .map(|(_, width)| vec![Ok(Vec::new()); (*width).max(1)])
        .collect();
    for ((i, j), steps) in jobs.into_iter().zip(fitted) {
        out[i][j] = steps;
    }
    out
}

/// All series of a project, and what the regressions need to know about them.
#[derive(Debug, Clone, Default)]
pub struct SeriesSet {
    /// The series, in the order their first point was met.
    pub graphs: Vec<Graph>,
    /// Every parameter and the values it takes across all series (`None`: unset).
    pub param_values: BTreeMap<String, BTreeSet<Option<String>>>,
    /// Results that could not be placed (unknown commit, not on a branch).
    pub warnings: Vec<String>,
}

/// The number of combinations of a benchmark's parameters.
fn combinations(params: &[Vec<String>]) -> usize {
    params.iter().map(Vec::len).product()
}

/// The values (and their CI ends) of `run` for each combination of `params`, matched by value.
fn compatible(run: &BenchmarkRun, params: &[Vec<String>]) -> Vec<(Option<f64>, Option<f64>)> {
    let count = combinations(params);
    let weight_at = |i: usize| -> Option<f64> {
        let a = run.ci_99_a.as_ref()?.get(i).copied().flatten()?;
        let b = run.ci_99_b.as_ref()?.get(i).copied().flatten()?;
        if a.is_infinite() || b.is_infinite() {
            return None;
        }
        let width = (b - a).abs();
        if width == 0.0 {
            return None;
        }
        Some(2.0 / width)
    };
    let Some(result) = &run.result else {
        return vec![(None, None); count];
    };
    let stats = run.ci_99_a.is_some();
    let entry = |i: usize| {
        (
            result.get(i).copied().flatten(),
            if stats { weight_at(i) } else { None },
        )
    };
    let own = combinations(&run.params).min(result.len());
    if run.params == params {
        return (0..count)
            .map(|i| if i < own { entry(i) } else { (None, None) })
            .collect();
    }
    let mut by_key: HashMap<Vec<&str>, usize> = HashMap::default();
    for i in 0..own {
        by_key.insert(combination(&run.params, i), i);
    }
    (0..count)
        .map(|i| match by_key.get(&combination(params, i)) {
            Some(&k) => entry(k),
            None => (None, None),
        })
        .collect()
}

/// The `index`-th combination of the cartesian product (first parameter slowest).
pub fn combination(params: &[Vec<String>], mut index: usize) -> Vec<&str> {
    let mut out = vec![""; params.len()];
    for (slot, values) in params.iter().enumerate().rev() {
        let len = values.len().max(1);
        out[slot] = values.get(index % len).map_or("", String::as_str);
        index /= len;
    }
    out
}

/// The branch names of a configuration, with the default branch spelled out.
pub fn branch_names(config: &AsvConfig, history: &History) -> Vec<String> {
    config
        .branches
        .iter()
        .map(|b| match b {
            Some(name) => name.clone(),
            None => history
                .branches
                .first()
                .map_or_else(|| "main".to_owned(), |(name, _)| name.clone()),
        })
        .collect()
}

/// Builds every series from the result files.
pub fn build(
    files: &[ResultFile],
    benchmarks: &Benchmarks,
    history: &History,
    config: &AsvConfig,
) -> SeriesSet {
    let mut keys = BTreeSet::new();
    for file in files {
        add_parameter_keys(&mut keys, &file.params, &file.env_vars);
    }
    let mut builder = SeriesBuilder::new(benchmarks, history, config, keys);
    for file in files {
        builder.add(file);
    }
    builder.finish()
}

/// Adds the series parameters a result file names (its environment parameters and its
/// environment variables as `env-NAME`) to `keys`.
///
/// Every series carries every key of the project (unset ones as `None`), so the keys of all
/// files must be known before the first file is placed.
pub fn add_parameter_keys(
    keys: &mut BTreeSet<String>,
    params: &BTreeMap<String, Option<String>>,
    env_vars: &BTreeMap<String, String>,
) {
    for key in params.keys() {
        if !keys.contains(key) {
            keys.insert(key.clone());
        }
    }
    for key in env_vars.keys() {
        let key = format!("env-{key}");
        if !keys.contains(&key) {
            keys.insert(key);
        }
    }
}

/// Builds the series one result file at a time, so that a caller can decode files in batches
/// and drop each batch once it is placed: the same [`SeriesSet`] as [`build`] over the files
/// in the same order.
pub struct SeriesBuilder<'a> {
    history: &'a History,
    hash_length: usize,
    /// Branch names with their position in the history's branch lists.
    branches: Vec<(String, Option<usize>)>,
    /// Every series parameter of the project.
    keys: BTreeSet<String>,
    /// Benchmarks by name: their position, description and file-name-safe name.
    lookup: HashMap<&'a str, (usize, &'a crate::format::Benchmark, String)>,
    width: usize,
    /// Series by path (two parameter sets may sanitize to the same path, as in asv).
    by_path: HashMap<String, usize>,
    /// Folders (the parameter part of a path) by path, numbered.
    folders: HashMap<String, usize>,
    /// A direct table (folder, benchmark) -> series for the common case.
    slots: Vec<Option<usize>>,
    set: SeriesSet,
}

impl<'a> SeriesBuilder<'a> {
    /// A builder for a project whose files name the series parameters `keys` (see
    /// [`add_parameter_keys`]).
    pub fn new(
        benchmarks: &'a Benchmarks,
        history: &'a History,
        config: &AsvConfig,
        keys: BTreeSet<String>,
    ) -> SeriesBuilder<'a> {
        let branches = branch_names(config, history)
            .into_iter()
            .map(|name| {
                let index = history.branches.iter().position(|(b, _)| *b == name);
                (name, index)
            })
            .collect();
        let lookup = benchmarks
            .iter()
            .enumerate()
            .map(|(i, (name, b))| (name.as_str(), (i, b, sanitize_filename(name))))
            .collect();
        SeriesBuilder {
            history,
            hash_length: config.hash_length,
            branches,
            keys,
            lookup,
            width: benchmarks.len().max(1),
            by_path: HashMap::default(),
            folders: HashMap::default(),
            slots: Vec::new(),
            set: SeriesSet::default(),
        }
    }

    /// The revision `file` is placed at, `None` (with a warning) when its commit is not in the
    /// history.
    fn revision_of(&mut self, file: &ResultFile) -> Option<u32> {
        let revision = self.history.revision(&file.commit_hash);
        if revision.is_none() {
            let short = &file.commit_hash[..file.commit_hash.len().min(self.hash_length)];
            self.set
                .warnings
                .push(format!("commit {short} is not in the repository's history"));
        }
        revision
    }

    /// Places the runs of one result file on the series of every branch its commit is on.
    pub fn add(&mut self, file: &ResultFile) {
        let Some(revision) = self.revision_of(file) else {
            return;
        };
        let history = self.history;
        let mut on: Vec<&str> = self
            .branches
            .iter()
            .filter(|(_, i)| i.is_some_and(|i| history.on_branch(i, &file.commit_hash)))
            .map(|(name, _)| name.as_str())
            .collect();
        if on.is_empty() && history.is_tagged(&file.commit_hash) {
            on = self
                .branches
                .iter()
                .map(|(name, _)| name.as_str())
                .collect();
        }
        if on.is_empty() {
            let short = &file.commit_hash[..file.commit_hash.len().min(self.hash_length)];
            let names: Vec<&str> = self.branches.iter().map(|(n, _)| n.as_str()).collect();
            self.set.warnings.push(format!(
                "commit {short} is on none of the branches ({})",
                names.join(", ")
            ));
            return;
        }
        let width = self.width;
        // The series parameters and folder of this file on each of its branches.
        let placed: Vec<(BTreeMap<String, Option<String>>, String, usize)> = on
            .iter()
            .map(|branch| {
                let mut params: BTreeMap<String, Option<String>> = file
                    .params
                    .iter()
                    .map(|(k, v)| (k.clone(), Some(v.clone().unwrap_or_default())))
                    .collect();
                for (k, v) in &file.env_vars {
                    params.insert(format!("env-{k}"), Some(v.clone()));
                }
                params.insert("branch".into(), Some((*branch).to_owned()));
                for key in &self.keys {
                    if !params.contains_key(key) {
                        params.insert(key.clone(), None);
                    }
                }
                let folder = params_path(&params);
                let next = self.folders.len();
                let id = *self.folders.entry(folder.clone()).or_insert(next);
                if self.slots.len() < (id + 1) * width {
                    self.slots.resize((id + 1) * width, None);
                }
                (params, folder, id)
            })
            .collect();
        for run in &file.runs {
            let Some((bench_id, benchmark, name)) = self.lookup.get(run.name.as_str()) else {
                continue;
            };
            if run.version.is_some() && run.version != benchmark.version {
                continue;
            }
            let pairs = compatible(run, &benchmark.params);
            let (mut values, mut weights): (Vec<_>, Vec<_>) = pairs.into_iter().unzip();
            let parameterized = !benchmark.params.is_empty();
            for (k, (params, folder, folder_id)) in placed.iter().enumerate() {
                let cell = folder_id * width + bench_id;
                let slot = match self.slots[cell] {
                    Some(slot) => slot,
                    None => {
                        let mut path = String::with_capacity(folder.len() + name.len() + 1);
                        path.push_str(folder);
                        path.push('/');
                        path.push_str(name);
                        let slot = match self.by_path.get(&path) {
                            Some(&slot) => slot,
                            None => {
                                for (key, value) in params {
                                    self.set
                                        .param_values
                                        .entry(key.clone())
                                        .or_default()
                                        .insert(value.clone());
                                }
                                self.set.graphs.push(Graph::new(
                                    &run.name,
                                    params.clone(),
                                    path.clone(),
                                    parameterized,
                                ));
                                self.by_path.insert(path, self.set.graphs.len() - 1);
                                self.set.graphs.len() - 1
                            }
                        };
                        self.slots[cell] = Some(slot);
                        slot
                    }
                };
                if k + 1 == placed.len() {
                    self.set.graphs[slot].add(
                        revision,
                        std::mem::take(&mut values),
                        std::mem::take(&mut weights),
                    );
                } else {
                    self.set.graphs[slot].add(revision, values.clone(), weights.clone());
                }
            }
        }
    }

    /// The series built so far.
    pub fn finish(self) -> SeriesSet {
        self.set
    }
}
