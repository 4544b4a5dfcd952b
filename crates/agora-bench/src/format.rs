//! asv's files on disk: result files (format 2, and format 1 converted on load),
//! `benchmarks.json`, `machine.json` and `asv.conf.json`.
//!
//! A result file of format 2 stores, per benchmark, a row of columns named by
//! `result_columns` (`result, params, version, started_at, duration, stats_ci_99_a, …`) with
//! trailing nulls trimmed; `result` and the `stats_*` columns hold one entry per combination of
//! the benchmark's parameters (their cartesian product, first parameter slowest). Format 1
//! stored a dictionary per benchmark (or a bare number); [`parse_result_file`] converts it the way
//! `asv update` does, including the rounding of statistics to five significant digits. Python's
//! JSON writer emits `NaN` and `Infinity`, which are not JSON: they are read as missing values.
//! Every parser names the file in its error and never panics on input.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde_json::{Map, Value};

/// Why an asv file could not be read.
#[derive(Debug, thiserror::Error)]
pub enum FormatError {
    /// The file could not be read.
    #[error("cannot read {path}: {source}")]
    Io {
        /// The file.
        path: PathBuf,
        /// The I/O error.
        source: std::io::Error,
    },
    /// The file is not JSON.
    #[error("{path}:{line}: not valid JSON: {message}")]
    Json {
        /// The file.
        path: PathBuf,
        /// The line of the error.
        line: usize,
        /// What the parser said.
        message: String,
    },
    /// The file is JSON but not of the expected shape or version.
    #[error("{path}: {message}")]
    Invalid {
        /// The file.
        path: PathBuf,
        /// What was expected.
        message: String,
    },
}

fn invalid(path: &Path, message: impl Into<String>) -> FormatError {
    FormatError::Invalid {
        path: path.to_path_buf(),
        message: message.into(),
    }
}

/// Parses JSON as Python writes it: bare `NaN`, `Infinity` and `-Infinity` become `null`.
pub fn parse_json(path: &Path, text: &str) -> Result<Value, FormatError> {
    match serde_json::from_str(text) {
        Ok(value) => Ok(value),
        Err(first) => {
            let cleaned = replace_non_finite(text);
            if cleaned != text
                && let Ok(value) = serde_json::from_str(&cleaned)
            {
                return Ok(value);
            }
            Err(FormatError::Json {
                path: path.to_path_buf(),
                line: first.line(),
                message: first.to_string(),
            })
        }
    }
}

/// Replaces the non-JSON number tokens Python writes, outside strings, with `null`.
fn replace_non_finite(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut in_string = false;
    let mut escaped = false;
    let mut rest = text;
    while let Some(c) = rest.chars().next() {
        if in_string {
            out.push(c);
            if escaped {
                escaped = false;
            } else if c == '\\' {
                escaped = true;
            } else if c == '"' {
                in_string = false;
            }
            rest = &rest[c.len_utf8()..];
            continue;
        }
        let token = ["-Infinity", "Infinity", "NaN"]
            .into_iter()
            .find(|token| rest.starts_with(token));
        if let Some(token) = token {
            out.push_str("null");
            rest = &rest[token.len()..];
            continue;
        }
        if c == '"' {
            in_string = true;
        }
        out.push(c);
        rest = &rest[c.len_utf8()..];
    }
    out
}

/// Strips `//` and `/* */` comments and trailing commas, which asv accepts in `asv.conf.json`.
fn strip_js_comments(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    let mut in_string = false;
    while i < bytes.len() {
        let b = bytes[i];
        if in_string {
            out.push(b);
            if b == b'\\' && i + 1 < bytes.len() {
                out.push(bytes[i + 1]);
                i += 2;
                continue;
            }
            if b == b'"' {
                in_string = false;
            }
            i += 1;
            continue;
        }
        if b == b'"' {
            in_string = true;
            out.push(b);
            i += 1;
        } else if b == b'/' && bytes.get(i + 1) == Some(&b'/') {
            while i < bytes.len() && bytes[i] != b'\n' {
                i += 1;
            }
        } else if b == b'/' && bytes.get(i + 1) == Some(&b'*') {
            i += 2;
            while i < bytes.len() && !(bytes[i] == b'*' && bytes.get(i + 1) == Some(&b'/')) {
                i += 1;
            }
            i += 2;
        } else {
            out.push(b);
            i += 1;
        }
    }
    remove_trailing_commas(&out)
}

/// Drops commas that only precede a closing `}` or `]` (outside strings).
fn remove_trailing_commas(bytes: &[u8]) -> String {
    let mut out = Vec::with_capacity(bytes.len());
    let mut in_string = false;
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        if in_string {
            out.push(b);
            if b == b'\\' && i + 1 < bytes.len() {
                out.push(bytes[i + 1]);
                i += 2;
                continue;
            }
            if b == b'"' {
                in_string = false;
            }
        } else if b == b',' {
            let next = bytes[i + 1..].iter().find(|c| !c.is_ascii_whitespace());
            if !matches!(next, Some(b'}') | Some(b']')) {
                out.push(b);
            }
        } else {
            if b == b'"' {
                in_string = true;
            }
            out.push(b);
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

fn read_text(path: &Path) -> Result<String, FormatError> {
    std::fs::read_to_string(path).map_err(|source| FormatError::Io {
        path: path.to_path_buf(),
        source,
    })
}

/// A parameter value as asv turns it into text (`None` stays missing).
fn scalar_text(value: &Value) -> Option<String> {
    match value {
        Value::Null => None,
        Value::String(s) => Some(s.clone()),
        Value::Bool(true) => Some("True".into()),
        Value::Bool(false) => Some("False".into()),
        other => Some(other.to_string()),
    }
}

fn number(value: &Value) -> Option<f64> {
    value.as_f64()
}

fn number_list(value: &Value) -> Option<Vec<Option<f64>>> {
    match value {
        Value::Array(items) => Some(items.iter().map(number).collect()),
        Value::Null => None,
        other => Some(vec![number(other)]),
    }
}

/// The project's `asv.conf.json`: what agora needs of it.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct AsvConfig {
    /// The project's name.
    pub project: String,
    /// The project's home page.
    pub project_url: String,
    /// The prefix of a commit's web page (the hash is appended).
    pub show_commit_url: String,
    /// How many characters of a hash to show.
    pub hash_length: usize,
    /// The branches whose first-parent history is benchmarked; `None` is the default branch.
    pub branches: Vec<Option<String>>,
    /// Regular expressions over `benchmark(params)@branch` and their relative thresholds.
    pub regressions_thresholds: Vec<(String, f64)>,
    /// Regular expressions and the commit before which regressions are ignored (`None`: never
    /// report regressions for the matching benchmarks).
    pub regressions_first_commits: Vec<(String, Option<String>)>,
    /// Where results are kept, relative to the configuration file.
    pub results_dir: String,
}

impl Default for AsvConfig {
    fn default() -> Self {
        AsvConfig {
            project: String::new(),
            project_url: String::new(),
            show_commit_url: String::new(),
            hash_length: 8,
            branches: vec![None],
            regressions_thresholds: Vec::new(),
            regressions_first_commits: Vec::new(),
            results_dir: "results".into(),
        }
    }
}

/// Reads `asv.conf.json` (comments and trailing commas allowed, as asv allows them).
pub fn read_config(path: &Path) -> Result<AsvConfig, FormatError> {
    let text = read_text(path)?;
    parse_config(path, &text)
}

/// Parses the text of an `asv.conf.json`.
pub fn parse_config(path: &Path, text: &str) -> Result<AsvConfig, FormatError> {
    let value = parse_json(path, &strip_js_comments(text))?;
    let Value::Object(map) = value else {
        return Err(invalid(path, "expected a JSON object"));
    };
    let mut config = AsvConfig::default();
    let text_field = |key: &str| map.get(key).and_then(Value::as_str).map(str::to_owned);
    config.project = text_field("project").unwrap_or_default();
    config.project_url = text_field("project_url").unwrap_or_default();
    config.show_commit_url = text_field("show_commit_url").unwrap_or_default();
    if let Some(dir) = text_field("results_dir") {
        config.results_dir = dir;
    }
    if let Some(length) = map.get("hash_length") {
        config.hash_length = length
            .as_u64()
            .and_then(|n| usize::try_from(n).ok())
            .ok_or_else(|| invalid(path, "hash_length must be a whole number"))?;
    }
    if let Some(branches) = map.get("branches") {
        let Value::Array(items) = branches else {
            return Err(invalid(path, "branches must be a list"));
        };
        config.branches = items.iter().map(scalar_text).collect();
        if config.branches.is_empty() {
            config.branches = vec![None];
        }
    }
    if let Some(thresholds) = map.get("regressions_thresholds") {
        let Value::Object(items) = thresholds else {
            return Err(invalid(path, "regressions_thresholds must be an object"));
        };
        for (pattern, value) in items {
            let threshold = match value {
                Value::Number(n) => n.as_f64(),
                Value::String(s) => s.trim().parse().ok(),
                _ => None,
            }
            .ok_or_else(|| {
                invalid(
                    path,
                    format!("regressions_thresholds[{pattern:?}] is not a number: {value}"),
                )
            })?;
            config
                .regressions_thresholds
                .push((pattern.clone(), threshold));
        }
    }
    if let Some(firsts) = map.get("regressions_first_commits") {
        let Value::Object(items) = firsts else {
            return Err(invalid(path, "regressions_first_commits must be an object"));
        };
        for (pattern, value) in items {
            config
                .regressions_first_commits
                .push((pattern.clone(), scalar_text(value)));
        }
    }
    Ok(config)
}

/// One benchmark as `benchmarks.json` describes it.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Benchmark {
    /// Its full dotted name.
    pub name: String,
    /// The values of each parameter, as Python reprs (`"'pandas'"`, `"100"`).
    pub params: Vec<Vec<String>>,
    /// The name of each parameter.
    pub param_names: Vec<String>,
    /// The benchmark's code version; results of another version are ignored.
    pub version: Option<String>,
    /// The unit of its values (`seconds`, `bytes`, `unit`).
    pub unit: String,
    /// Its kind (`time`, `memory`, `peakmemory`, `track`).
    pub kind: String,
}

/// All benchmarks of a project, by name.
pub type Benchmarks = BTreeMap<String, Benchmark>;

fn string_lists(value: Option<&Value>) -> Option<Vec<Vec<String>>> {
    match value {
        None | Some(Value::Null) => Some(Vec::new()),
        Some(Value::Array(lists)) => lists
            .iter()
            .map(|list| match list {
                Value::Array(items) => Some(
                    items
                        .iter()
                        .map(|v| scalar_text(v).unwrap_or_else(|| "None".into()))
                        .collect(),
                ),
                _ => None,
            })
            .collect(),
        _ => None,
    }
}

/// Reads `benchmarks.json` (format 2).
pub fn read_benchmarks(path: &Path) -> Result<Benchmarks, FormatError> {
    let text = read_text(path)?;
    parse_benchmarks(path, &text)
}

/// Parses the text of a `benchmarks.json`.
pub fn parse_benchmarks(path: &Path, text: &str) -> Result<Benchmarks, FormatError> {
    let Value::Object(map) = parse_json(path, text)? else {
        return Err(invalid(path, "expected a JSON object"));
    };
    check_version(path, &map, 2)?;
    let mut benchmarks = Benchmarks::new();
    for (key, value) in &map {
        if key == "version" {
            continue;
        }
        let Value::Object(entry) = value else {
            return Err(invalid(path, format!("benchmark {key} is not an object")));
        };
        let params = string_lists(entry.get("params"))
            .ok_or_else(|| invalid(path, format!("benchmark {key}: params must be lists")))?;
        let param_names = match entry.get("param_names") {
            None | Some(Value::Null) => Vec::new(),
            Some(Value::Array(names)) => names.iter().filter_map(scalar_text).collect(),
            Some(_) => return Err(invalid(path, format!("benchmark {key}: bad param_names"))),
        };
        let text_field = |name: &str| entry.get(name).and_then(scalar_text);
        benchmarks.insert(
            key.clone(),
            Benchmark {
                name: text_field("name").unwrap_or_else(|| key.clone()),
                params,
                param_names,
                version: text_field("version"),
                unit: text_field("unit").unwrap_or_default(),
                kind: text_field("type").unwrap_or_default(),
            },
        );
    }
    Ok(benchmarks)
}

fn check_version(path: &Path, map: &Map<String, Value>, expected: i64) -> Result<i64, FormatError> {
    let found = map
        .get("version")
        .and_then(Value::as_i64)
        .ok_or_else(|| invalid(path, "no format version"))?;
    if found > expected {
        return Err(invalid(
            path,
            format!("format version {found} is newer than {expected}, the newest agora reads"),
        ));
    }
    if found < expected && expected != 2 {
        return Err(invalid(path, format!("format version {found} is too old")));
    }
    Ok(found)
}

/// Reads a `machine.json`; returns the machine's name and the whole description.
pub fn read_machine(path: &Path) -> Result<(String, Value), FormatError> {
    let text = read_text(path)?;
    let Value::Object(map) = parse_json(path, &text)? else {
        return Err(invalid(path, "expected a JSON object"));
    };
    check_version(path, &map, 1)?;
    let name = map
        .get("machine")
        .and_then(Value::as_str)
        .ok_or_else(|| invalid(path, "no machine name"))?
        .to_owned();
    Ok((name, Value::Object(map)))
}

/// One benchmark's outcome in one result file (stored with one-letter keys, to keep the
/// store small).
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct BenchmarkRun {
    /// The benchmark's name.
    #[serde(rename = "n")]
    pub name: String,
    /// One value per parameter combination; `None` when every run failed.
    #[serde(rename = "r", default, skip_serializing_if = "Option::is_none")]
    pub result: Option<Vec<Option<f64>>>,
    /// The parameter values the run used (they may differ from today's `benchmarks.json`).
    #[serde(rename = "p", default, skip_serializing_if = "Vec::is_empty")]
    pub params: Vec<Vec<String>>,
    /// The benchmark's code version at the time.
    #[serde(rename = "v", default, skip_serializing_if = "Option::is_none")]
    pub version: Option<String>,
    /// When the run started (milliseconds since the epoch).
    #[serde(rename = "s", default, skip_serializing_if = "Option::is_none")]
    pub started_at: Option<i64>,
    /// How long it took, in seconds.
    #[serde(rename = "d", default, skip_serializing_if = "Option::is_none")]
    pub duration: Option<f64>,
    /// Lower ends of the 99% confidence intervals, per combination.
    #[serde(rename = "a", default, skip_serializing_if = "Option::is_none")]
    pub ci_99_a: Option<Vec<Option<f64>>>,
    /// Upper ends of the 99% confidence intervals, per combination.
    #[serde(rename = "b", default, skip_serializing_if = "Option::is_none")]
    pub ci_99_b: Option<Vec<Option<f64>>>,
}

impl BenchmarkRun {
    /// A run of `name` with nothing known yet.
    fn named(name: String) -> BenchmarkRun {
        BenchmarkRun {
            name,
            result: None,
            params: Vec::new(),
            version: None,
            started_at: None,
            duration: None,
            ci_99_a: None,
            ci_99_b: None,
        }
    }
}

/// A column of a format-2 result row, as agora reads it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Column {
    Result,
    Params,
    Version,
    StartedAt,
    Duration,
    Ci99A,
    Ci99B,
    /// Samples, profiles and the other statistics: read by neither asv's graphs nor agora.
    Unused,
}

impl Column {
    /// The column called `name`; `None` for a name asv does not write.
    fn named(name: &str) -> Option<Column> {
        Some(match name {
            "result" => Column::Result,
            "params" => Column::Params,
            "version" => Column::Version,
            "started_at" => Column::StartedAt,
            "duration" => Column::Duration,
            "stats_ci_99_a" => Column::Ci99A,
            "stats_ci_99_b" => Column::Ci99B,
            "samples" | "profile" => Column::Unused,
            other if other.starts_with("stats_") => Column::Unused,
            _ => return None,
        })
    }
}

/// One result file: the runs of one environment on one machine at one commit.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct ResultFile {
    /// The commit's full hash.
    #[serde(rename = "c")]
    pub commit_hash: String,
    /// The environment's name (`virtualenv-py3.11-…`).
    #[serde(rename = "e")]
    pub env_name: String,
    /// The commit's date (milliseconds since the epoch).
    #[serde(rename = "t", default, skip_serializing_if = "Option::is_none")]
    pub date: Option<i64>,
    /// The parameters describing the environment (`machine`, `python`, requirements).
    #[serde(rename = "p")]
    pub params: BTreeMap<String, Option<String>>,
    /// Environment variables of the run.
    #[serde(rename = "x", default, skip_serializing_if = "BTreeMap::is_empty")]
    pub env_vars: BTreeMap<String, String>,
    /// The runs, by benchmark name.
    #[serde(rename = "u")]
    pub runs: Vec<BenchmarkRun>,
}

impl ResultFile {
    /// The machine the file was run on.
    pub fn machine(&self) -> Option<&str> {
        self.params.get("machine").and_then(|m| m.as_deref())
    }
}

/// Reads a result file of format 1 or 2.
pub fn read_result_file(path: &Path) -> Result<ResultFile, FormatError> {
    let text = read_text(path)?;
    parse_result_file(path, &text)
}

fn string_map(
    path: &Path,
    value: Option<&Value>,
    key: &str,
) -> Result<BTreeMap<String, Option<String>>, FormatError> {
    match value {
        None | Some(Value::Null) => Ok(BTreeMap::new()),
        Some(Value::Object(map)) => Ok(map
            .iter()
            .map(|(k, v)| (k.clone(), scalar_text(v)))
            .collect()),
        Some(_) => Err(invalid(path, format!("{key} must be an object"))),
    }
}

/// Parses the text of a result file (format 1 or 2).
///
/// The common case, a well-formed file of format 2 in standard JSON, is read straight into the
/// model; anything else (format 1, Python's `NaN`, numbers where asv writes strings, a
/// malformed file) goes through a generic JSON tree, which gives the same model for the common
/// case and names the problem for the rest.
pub fn parse_result_file(path: &Path, text: &str) -> Result<ResultFile, FormatError> {
    if let Some(file) = direct::parse_v2(text) {
        return Ok(file);
    }
    parse_result_file_via_tree(path, text)
}

/// [`parse_result_file`] through a generic JSON tree: every format, and the error messages.
/// Public as the reference the direct format-2 reader is checked against (`fuzz/asv_files`).
pub fn parse_result_file_via_tree(path: &Path, text: &str) -> Result<ResultFile, FormatError> {
    let Value::Object(map) = parse_json(path, text)? else {
        return Err(invalid(path, "expected a JSON object"));
    };
    let version = check_version(path, &map, 2)?;
    let required = |key: &str| {
        map.get(key)
            .ok_or_else(|| invalid(path, format!("missing key '{key}'")))
    };
    let commit_hash = required("commit_hash")?
        .as_str()
        .ok_or_else(|| invalid(path, "commit_hash must be a string"))?
        .to_owned();
    let date = match required("date")? {
        Value::Null => None,
        other => Some(
            other
                .as_f64()
                .ok_or_else(|| invalid(path, "date must be a number"))? as i64,
        ),
    };
    let params = string_map(path, Some(required("params")?), "params")?;
    let python = required("python")?;
    let requirements = string_map(path, Some(required("requirements")?), "requirements")?;
    let env_vars = string_map(path, map.get("env_vars"), "env_vars")?
        .into_iter()
        .map(|(k, v)| (k, v.unwrap_or_default()))
        .collect();
    let env_name = match map.get("env_name").and_then(Value::as_str) {
        Some(name) => name.to_owned(),
        None if version < 2 => {
            default_env_name(&scalar_text(python).unwrap_or_default(), &requirements)
        }
        None => return Err(invalid(path, "missing key 'env_name'")),
    };
    let runs = if version < 2 {
        runs_from_v1(path, &map)?
    } else {
        runs_from_v2(path, &map)?
    };
    Ok(ResultFile {
        commit_hash,
        env_name,
        date,
        params,
        env_vars,
        runs,
    })
}

/// The environment name asv derived for format-1 files that lack one.
fn default_env_name(python: &str, requirements: &BTreeMap<String, Option<String>>) -> String {
    let mut parts = vec![format!("py{python}")];
    for (key, value) in requirements {
        match value {
            Some(v) if !v.is_empty() => parts.push(format!("{key}{v}")),
            _ => parts.push(key.clone()),
        }
    }
    crate::series::sanitize_filename(&parts.join("-"))
}

fn runs_from_v2(path: &Path, map: &Map<String, Value>) -> Result<Vec<BenchmarkRun>, FormatError> {
    let columns: Vec<String> = match map.get("result_columns") {
        Some(Value::Array(items)) => items
            .iter()
            .map(|c| c.as_str().map(str::to_owned))
            .collect::<Option<_>>()
            .ok_or_else(|| invalid(path, "result_columns must be strings"))?,
        _ => return Err(invalid(path, "missing key 'result_columns'")),
    };
    let Some(Value::Object(results)) = map.get("results") else {
        return Err(invalid(path, "missing key 'results'"));
    };
    let mut runs = Vec::with_capacity(results.len());
    for (name, row) in results {
        let Value::Array(row) = row else {
            return Err(invalid(path, format!("results[{name:?}] must be a list")));
        };
        let mut run = BenchmarkRun::named(name.clone());
        for (column, value) in columns.iter().zip(row) {
            let Some(kind) = Column::named(column) else {
                return Err(invalid(path, format!("unknown result column '{column}'")));
            };
            match kind {
                Column::Result => run.result = number_list(value),
                Column::Params => {
                    run.params = string_lists(Some(value)).ok_or_else(|| {
                        invalid(path, format!("results[{name:?}]: params must be lists"))
                    })?
                }
                Column::Version => run.version = scalar_text(value),
                Column::StartedAt => run.started_at = value.as_f64().map(|v| v as i64),
                Column::Duration => run.duration = value.as_f64(),
                Column::Ci99A => run.ci_99_a = number_list(value),
                Column::Ci99B => run.ci_99_b = number_list(value),
                Column::Unused => {}
            }
        }
        runs.push(run);
    }
    runs.sort_by(|a, b| a.name.cmp(&b.name));
    Ok(runs)
}

/// Rounds to five significant digits, as `asv update` does to statistics.
fn five_digits(value: &Value) -> Option<f64> {
    match value {
        Value::Number(n) if n.is_f64() => {
            let v = n.as_f64()?;
            format!("{v:.4e}").parse().ok()
        }
        other => other.as_f64(),
    }
}

fn runs_from_v1(path: &Path, map: &Map<String, Value>) -> Result<Vec<BenchmarkRun>, FormatError> {
    let Some(Value::Object(results)) = map.get("results") else {
        return Err(invalid(path, "missing key 'results'"));
    };
    let started = map.get("started_at").and_then(Value::as_object);
    let durations = map.get("duration").and_then(Value::as_object);
    let versions = map.get("benchmark_version").and_then(Value::as_object);
    let mut runs = Vec::with_capacity(results.len());
    for (name, value) in results {
        let (result, stats, params) = match value {
            Value::Object(entry) => (
                entry.get("result").cloned().unwrap_or(Value::Null),
                entry.get("stats").cloned().unwrap_or(Value::Null),
                entry.get("params").cloned().unwrap_or(Value::Null),
            ),
            other => (Value::Array(vec![other.clone()]), Value::Null, Value::Null),
        };
        let result = match result {
            Value::Array(items) => Some(items.iter().map(number).collect::<Vec<_>>()),
            Value::Null => None,
            other => Some(vec![number(&other)]),
        };
        let stats: Option<Vec<Value>> = match stats {
            Value::Null => None,
            Value::Array(items) => Some(items),
            other => Some(vec![other]),
        };
        let ci = |end: usize| -> Option<Vec<Option<f64>>> {
            let stats = stats.as_ref()?;
            let list: Vec<Option<f64>> = stats
                .iter()
                .map(|s| {
                    s.get("ci_99")
                        .and_then(|ci| ci.get(end))
                        .and_then(five_digits)
                })
                .collect();
            if list.iter().all(Option::is_none) {
                None
            } else {
                Some(list)
            }
        };
        let params = string_lists(Some(&params))
            .ok_or_else(|| invalid(path, format!("results[{name:?}]: params must be lists")))?;
        runs.push(BenchmarkRun {
            name: name.clone(),
            result: result.filter(|r| !r.iter().all(Option::is_none)),
            params,
            version: versions.and_then(|v| v.get(name)).and_then(scalar_text),
            started_at: started
                .and_then(|s| s.get(name))
                .and_then(Value::as_f64)
                .map(|v| v as i64),
            duration: durations.and_then(|d| d.get(name)).and_then(five_digits),
            ci_99_a: ci(0),
            ci_99_b: ci(1),
        });
    }
    runs.sort_by(|a, b| a.name.cmp(&b.name));
    Ok(runs)
}

mod direct {
    //! A format-2 file read in one pass straight into the model: each cell of a result row is
    //! read as its column needs it (lists of numbers, parameter lists, a version), and unused
    //! columns are skipped unread, with no intermediate JSON tree. Anything this reader does
    //! not expect (a parameter that is not a string, `NaN`, a duplicate key, results before
    //! their columns) makes it give up, and the caller reads the file through the tree.

    use std::collections::BTreeMap;
    use std::fmt;
    use std::marker::PhantomData;

    use serde::de::{self, DeserializeSeed, IgnoredAny, MapAccess, SeqAccess, Visitor};

    use super::{BenchmarkRun, Column, ResultFile};

    /// Gives up on the file: the tree reader takes over (and explains what is wrong).
    fn give_up<E: de::Error>() -> E {
        E::custom("not for the direct reader")
    }

    /// A cell read as a number: any other value (consumed whole) is `None`.
    struct MaybeNumber;

    impl<'de> DeserializeSeed<'de> for MaybeNumber {
        type Value = Option<f64>;
        fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<Option<f64>, D::Error> {
            d.deserialize_any(self)
        }
    }

    impl<'de> Visitor<'de> for MaybeNumber {
        type Value = Option<f64>;
        fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
            f.write_str("a JSON value")
        }
        fn visit_f64<E>(self, v: f64) -> Result<Option<f64>, E> {
            Ok(Some(v))
        }
        fn visit_i64<E>(self, v: i64) -> Result<Option<f64>, E> {
            Ok(Some(v as f64))
        }
        fn visit_u64<E>(self, v: u64) -> Result<Option<f64>, E> {
            Ok(Some(v as f64))
        }
        fn visit_unit<E>(self) -> Result<Option<f64>, E> {
            Ok(None)
        }
        fn visit_none<E>(self) -> Result<Option<f64>, E> {
            Ok(None)
        }
        fn visit_bool<E>(self, _: bool) -> Result<Option<f64>, E> {
            Ok(None)
        }
        fn visit_str<E>(self, _: &str) -> Result<Option<f64>, E> {
            Ok(None)
        }
        fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Option<f64>, A::Error> {
            while seq.next_element::<IgnoredAny>()?.is_some() {}
            Ok(None)
        }
        fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Option<f64>, A::Error> {
            while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
            Ok(None)
        }
    }

    /// A cell of values per parameter combination (`result`, the CI ends): a list of numbers
    /// (other items `None`), `None` for null, and a lone value as a list of one.
    struct Numbers;

    impl<'de> DeserializeSeed<'de> for Numbers {
        type Value = Option<Vec<Option<f64>>>;
        fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
            d.deserialize_any(self)
        }
    }

    impl<'de> Visitor<'de> for Numbers {
        type Value = Option<Vec<Option<f64>>>;
        fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
            f.write_str("a JSON value")
        }
        fn visit_unit<E>(self) -> Result<Self::Value, E> {
            Ok(None)
        }
        fn visit_none<E>(self) -> Result<Self::Value, E> {
            Ok(None)
        }
        fn visit_f64<E>(self, v: f64) -> Result<Self::Value, E> {
            Ok(Some(vec![Some(v)]))
        }
        fn visit_i64<E>(self, v: i64) -> Result<Self::Value, E> {
            Ok(Some(vec![Some(v as f64)]))
        }
        fn visit_u64<E>(self, v: u64) -> Result<Self::Value, E> {
            Ok(Some(vec![Some(v as f64)]))
        }
        fn visit_bool<E>(self, _: bool) -> Result<Self::Value, E> {
            Ok(Some(vec![None]))
        }
        fn visit_str<E>(self, _: &str) -> Result<Self::Value, E> {
            Ok(Some(vec![None]))
        }
        fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
            while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
            Ok(Some(vec![None]))
        }
        fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
            let mut items = Vec::with_capacity(seq.size_hint().unwrap_or(1));
            while let Some(item) = seq.next_element_seed(MaybeNumber)? {
                items.push(item);
            }
            Ok(Some(items))
        }
    }

    /// The `params` cell: lists of strings (null reads as asv's `None`), no lists for null.
    struct StringLists;

    impl<'de> DeserializeSeed<'de> for StringLists {
        type Value = Vec<Vec<String>>;
        fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
            d.deserialize_any(self)
        }
    }

    impl<'de> Visitor<'de> for StringLists {
        type Value = Vec<Vec<String>>;
        fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
            f.write_str("lists of strings")
        }
        fn visit_unit<E>(self) -> Result<Self::Value, E> {
            Ok(Vec::new())
        }
        fn visit_none<E>(self) -> Result<Self::Value, E> {
            Ok(Vec::new())
        }
        fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
            let mut lists = Vec::with_capacity(seq.size_hint().unwrap_or(1));
            while let Some(list) = seq.next_element::<Vec<Option<String>>>()? {
                lists.push(
                    list.into_iter()
                        .map(|item| item.unwrap_or_else(|| "None".to_owned()))
                        .collect(),
                );
            }
            Ok(lists)
        }
    }

    /// One result row, read column by column into a run of benchmark `name`.
    struct Row<'a> {
        name: String,
        columns: &'a [Option<Column>],
    }

    impl<'de> DeserializeSeed<'de> for Row<'_> {
        type Value = BenchmarkRun;
        fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<BenchmarkRun, D::Error> {
            d.deserialize_seq(self)
        }
    }

    impl<'de> Visitor<'de> for Row<'_> {
        type Value = BenchmarkRun;
        fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
            f.write_str("a result row")
        }
        fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<BenchmarkRun, A::Error> {
            let mut run = BenchmarkRun::named(self.name);
            let mut started_at = None;
            for column in self.columns {
                // Trailing nulls are trimmed: a short row ends early.
                let more = match column {
                    None => match seq.next_element::<IgnoredAny>()? {
                        Some(_) => return Err(give_up()),
                        None => false,
                    },
                    Some(Column::Result) => cell(&mut seq, Numbers, &mut run.result)?,
                    Some(Column::Params) => cell(&mut seq, StringLists, &mut run.params)?,
                    Some(Column::Version) => cell(&mut seq, PhantomData, &mut run.version)?,
                    Some(Column::StartedAt) => cell(&mut seq, MaybeNumber, &mut started_at)?,
                    Some(Column::Duration) => cell(&mut seq, MaybeNumber, &mut run.duration)?,
                    Some(Column::Ci99A) => cell(&mut seq, Numbers, &mut run.ci_99_a)?,
                    Some(Column::Ci99B) => cell(&mut seq, Numbers, &mut run.ci_99_b)?,
                    Some(Column::Unused) => seq.next_element::<IgnoredAny>()?.is_some(),
                };
                if !more {
                    break;
                }
            }
            run.started_at = started_at.map(|v| v as i64);
            // Cells beyond the named columns are ignored.
            while seq.next_element::<IgnoredAny>()?.is_some() {}
            Ok(run)
        }
    }

    /// Reads the next cell of a row into `slot`; `false` when the row has ended.
    fn cell<'de, A: SeqAccess<'de>, S: DeserializeSeed<'de>>(
        seq: &mut A,
        seed: S,
        slot: &mut S::Value,
    ) -> Result<bool, A::Error> {
        Ok(match seq.next_element_seed(seed)? {
            Some(value) => {
                *slot = value;
                true
            }
            None => false,
        })
    }

    /// The `results` object: one run per benchmark, by name (the last of a repeated name).
    struct Results<'a> {
        columns: &'a [Option<Column>],
    }

    impl<'de> DeserializeSeed<'de> for Results<'_> {
        type Value = Vec<BenchmarkRun>;
        fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
            d.deserialize_map(self)
        }
    }

    impl<'de> Visitor<'de> for Results<'_> {
        type Value = Vec<BenchmarkRun>;
        fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
            f.write_str("an object of result rows")
        }
        fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
            let mut runs: Vec<BenchmarkRun> = Vec::with_capacity(map.size_hint().unwrap_or(16));
            while let Some(name) = map.next_key::<String>()? {
                let columns = self.columns;
                runs.push(map.next_value_seed(Row { name, columns })?);
            }
            // By name, the last of a repeated name winning (a stable sort keeps file order).
            if runs.windows(2).any(|pair| pair[0].name >= pair[1].name) {
                runs.sort_by(|a, b| a.name.cmp(&b.name));
                let mut kept: Vec<BenchmarkRun> = Vec::with_capacity(runs.len());
                for run in runs {
                    match kept.last_mut() {
                        Some(last) if last.name == run.name => *last = run,
                        _ => kept.push(run),
                    }
                }
                runs = kept;
            }
            Ok(runs)
        }
    }

    /// The whole file.
    struct File;

    impl<'de> Visitor<'de> for File {
        type Value = ResultFile;
        fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
            f.write_str("a format-2 result file")
        }
        fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<ResultFile, A::Error> {
            /// Sets a field read once; a second time gives up.
            fn once<T, E: de::Error>(slot: &mut Option<T>, value: T) -> Result<(), E> {
                match slot {
                    Some(_) => Err(give_up()),
                    None => {
                        *slot = Some(value);
                        Ok(())
                    }
                }
            }
            let (mut version, mut commit_hash, mut env_name, mut date) = (None, None, None, None);
            let (mut params, mut python, mut requirements, mut env_vars) = (None, None, None, None);
            let (mut columns, mut runs) = (None::<Vec<Option<Column>>>, None);
            while let Some(key) = map.next_key::<std::borrow::Cow<'de, str>>()? {
                match key.as_ref() {
                    "version" => once(&mut version, map.next_value::<i64>()?)?,
                    "commit_hash" => once(&mut commit_hash, map.next_value::<String>()?)?,
                    "env_name" => once(&mut env_name, map.next_value::<String>()?)?,
                    "date" => {
                        // Null or a number (any other value gives up).
                        let value = map.next_value::<Option<f64>>()?;
                        once(&mut date, value.map(|v| v as i64))?
                    }
                    "params" => once(
                        &mut params,
                        map.next_value::<BTreeMap<String, Option<String>>>()?,
                    )?,
                    "python" => once(&mut python, map.next_value::<IgnoredAny>()?)?,
                    "requirements" => once(
                        &mut requirements,
                        map.next_value::<BTreeMap<String, Option<String>>>()?,
                    )?,
                    "env_vars" => once(
                        &mut env_vars,
                        map.next_value::<Option<BTreeMap<String, Option<String>>>>()?,
                    )?,
                    "result_columns" => {
                        let names = map.next_value::<Vec<String>>()?;
                        once(
                            &mut columns,
                            names.iter().map(|n| Column::named(n)).collect(),
                        )?
                    }
                    "results" => {
                        // The rows are read by their columns, so those must come first.
                        let columns = columns.as_deref().ok_or_else(give_up)?;
                        once(&mut runs, map.next_value_seed(Results { columns })?)?
                    }
                    _ => {
                        map.next_value::<IgnoredAny>()?;
                    }
                }
            }
            if version != Some(2) || python.is_none() || requirements.is_none() {
                return Err(give_up());
            }
            Ok(ResultFile {
                commit_hash: commit_hash.ok_or_else(give_up)?,
                env_name: env_name.ok_or_else(give_up)?,
                date: date.ok_or_else(give_up)?,
                params: params.ok_or_else(give_up)?,
                env_vars: env_vars
                    .flatten()
                    .unwrap_or_default()
                    .into_iter()
                    .map(|(k, v)| (k, v.unwrap_or_default()))
                    .collect(),
                runs: runs.ok_or_else(give_up)?,
            })
        }
    }

    /// `None` when the file needs the tree path (or is not a well-formed format-2 file).
    pub(super) fn parse_v2(text: &str) -> Option<ResultFile> {
        use serde::Deserializer as _;
        let mut deserializer = serde_json::Deserializer::from_str(text);
        let file = (&mut deserializer).deserialize_map(File).ok()?;
        deserializer.end().ok()?;
        Some(file)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn path() -> &'static Path {
        Path::new("results/m/abc-py3.9.json")
    }

    #[test]
    fn format_1_is_converted_as_asv_update_does() {
        // asv 0.6.6's Results.update_to_2 on this file gives env_name "py3.9-numpy-six1.0",
        // a.time_p: ci_99_a [0.41235, null], ci_99_b [0.6, null]; a.track_x: result [42.0].
        let text = r#"{"commit_hash": "abc", "date": 5, "params": {"machine": "m", "python": "3.9"},
            "python": "3.9", "requirements": {"numpy": "", "six": "1.0"}, "version": 1,
            "results": {"a.time_p": {"result": [0.5, null], "params": [["1", "2"]],
                "stats": [{"ci_99": [0.4123456789, 0.6], "q_25": 0.45}, null], "samples": null},
                "a.track_x": 42.0},
            "started_at": {"a.time_p": 1000, "a.track_x": 2000},
            "benchmark_version": {"a.time_p": "v1", "a.track_x": "v2"}}"#;
        let file = parse_result_file(path(), text).expect("parsed");
        assert_eq!(file.env_name, "py3.9-numpy-six1.0");
        assert_eq!(file.machine(), Some("m"));
        let p = &file.runs[0];
        assert_eq!(p.name, "a.time_p");
        assert_eq!(p.result, Some(vec![Some(0.5), None]));
        assert_eq!(p.params, vec![vec!["1".to_owned(), "2".to_owned()]]);
        assert_eq!(p.ci_99_a, Some(vec![Some(0.41235), None]));
        assert_eq!(p.ci_99_b, Some(vec![Some(0.6), None]));
        assert_eq!(p.version.as_deref(), Some("v1"));
        assert_eq!(p.started_at, Some(1000));
        let x = &file.runs[1];
        assert_eq!(x.result, Some(vec![Some(42.0)]));
        assert!(x.params.is_empty());
        assert_eq!(x.ci_99_a, None);
    }

    #[test]
    fn format_2_rows_with_trimmed_nulls_and_python_nan() {
        let text = r#"{"commit_hash": "abc", "env_name": "e", "date": 1, "params": {"machine": "m"},
            "python": "3.11", "requirements": {}, "version": 2,
            "result_columns": ["result", "params", "version", "started_at", "duration",
                "stats_ci_99_a", "stats_ci_99_b", "stats_q_25"],
            "results": {"b": [[NaN, 2.0], [["'x'", "'y'"]], "h", 7, 1.5, [-Infinity, 1.9], [Infinity, 2.1]],
                        "c": [null, []]}}"#;
        let file = parse_result_file(path(), text).expect("parsed");
        let b = &file.runs[0];
        assert_eq!(b.result, Some(vec![None, Some(2.0)]));
        assert_eq!(b.params, vec![vec!["'x'".to_owned(), "'y'".to_owned()]]);
        assert_eq!(b.ci_99_a, Some(vec![None, Some(1.9)]));
        assert_eq!(b.duration, Some(1.5));
        assert_eq!(file.runs[1].result, None);
        assert_eq!(file.runs[1].version, None);
    }

    /// Every variant is parsed both ways; the direct reader either declines or agrees.
    #[test]
    fn the_direct_reader_agrees_with_the_tree_or_declines() {
        let base = r#"{"commit_hash": "abc", "env_name": "e", "date": 1, "params": {"machine": "m", "n": null},
            "python": "3.11", "requirements": {"numpy": ""}, "version": 2, "env_vars": {"A": "1"},
            "result_columns": ["result", "params", "version", "started_at", "duration",
                "stats_ci_99_a", "stats_ci_99_b", "stats_q_25", "samples"],
            "results": {"b": [[1.5, null, 3], [["'x'", null], ["1"]], "h", 7, 1.5, [0.5, 2, null], 4, [1], null],
                        "a": [2.0], "c": [null, []], "d": [7, null, null, 1e3]}}"#;
        // (variant, whether the direct reader takes it)
        let variants = [
            (base.to_owned(), true),
            (base.replace(r#""date": 1"#, r#""date": null"#), true),
            (base.replace(r#""date": 1, "#, ""), false),
            (base.replace(r#""date": 1"#, r#""date": "x""#), false),
            (base.replace(r#""python": "3.11", "#, ""), false),
            (base.replace(r#""n": null"#, r#""n": 3"#), false),
            (
                base.replace(r#""env_vars": {"A": "1"}"#, r#""env_vars": null"#),
                true,
            ),
            (base.replace(r#""env_vars": {"A": "1"}, "#, ""), true),
            (
                base.replace(r#""env_vars": {"A": "1"}"#, r#""env_vars": {"A": null}"#),
                true,
            ),
            (base.replace(r#""version": 2"#, r#""version": 1"#), false),
            (base.replace(r#""version": 2"#, r#""version": 3"#), false),
            (base.replace(r#""h", 7"#, r#"true, 7"#), false),
            (base.replace(r#""h", 7"#, r#"5, 7"#), false),
            (base.replace(r#"["1"]]"#, r#"[1]]"#), false),
            (base.replace(r#"["1"]]"#, r#""1"]"#), false),
            (base.replace("\"samples\"]", "\"bogus\"]"), false),
            (
                base.replace(r#"[1.5, null, 3]"#, r#"[NaN, null, 3]"#),
                false,
            ),
            (base.replace(r#""a": [2.0]"#, r#""a": 2.0"#), false),
            (
                base.replace(r#""c": [null, []]"#, r#""c": [{"x": 1}]"#),
                true,
            ),
            (
                base.replace(r#""commit_hash": "abc""#, r#""commit_hash": 5"#),
                false,
            ),
            // A benchmark given twice: the last one counts, in both readers.
            (base.replace(r#""b": "#, r#""a": "#), true),
            // Rows read before their columns are known: the tree reads them.
            (
                {
                    let at = base.find(r#""result_columns""#).expect("columns");
                    let (head, rest) = base.split_at(at);
                    let (columns, results) =
                        rest.split_at(rest.find(r#""results""#).expect("rows"));
                    let results = results
                        .trim_end()
                        .strip_suffix('}')
                        .expect("the file's end");
                    let columns = columns.trim_end().trim_end_matches(',');
                    format!("{head}{results}, {columns}}}")
                },
                false,
            ),
            // An unknown column only counts where a row has a cell for it.
            (
                base.replace(r#""samples"]"#, r#""samples", "bogus"]"#),
                true,
            ),
        ];
        for (text, taken) in &variants {
            let tree = parse_result_file_via_tree(path(), text);
            assert!(
                serde_json::from_str::<serde_json::Value>(text).is_ok() || text.contains("NaN"),
                "not JSON: {text}"
            );
            let direct = direct::parse_v2(text);
            assert_eq!(direct.is_some(), *taken, "{text}");
            if let Some(file) = direct {
                assert_eq!(Some(&file), tree.as_ref().ok(), "{text}");
            }
            assert_eq!(
                parse_result_file(path(), text).ok(),
                tree.ok(),
                "the public parser gives what the tree gives: {text}"
            );
        }
    }

    #[test]
    fn the_direct_reader_agrees_with_the_tree_on_every_kedro_file() {
        let Some(root) = agora_corpus::folder("asv/kedro") else {
            return;
        };
        let mut files = 0;
        for machine in std::fs::read_dir(root.join("results")).expect("results") {
            let machine = machine.expect("entry").path();
            if !machine.is_dir() {
                continue;
            }
            for entry in std::fs::read_dir(&machine).expect("machine folder") {
                let file = entry.expect("entry").path();
                let name = file.file_name().and_then(|n| n.to_str()).unwrap_or("");
                if !name.ends_with(".json") || name == "machine.json" {
                    continue;
                }
                let text = std::fs::read_to_string(&file).expect("text");
                let tree = parse_result_file_via_tree(&file, &text).expect("tree");
                let direct = direct::parse_v2(&text);
                assert_eq!(direct.as_ref(), Some(&tree), "{}", file.display());
                files += 1;
            }
        }
        assert!(files > 400, "only {files} result files");
    }

    #[test]
    fn malformed_files_name_the_file() {
        let cases = [
            ("{", "not valid JSON"),
            ("[]", "expected a JSON object"),
            (r#"{"version": 3}"#, "newer"),
            (
                r#"{"version": 2, "commit_hash": "a"}"#,
                "missing key 'date'",
            ),
            (
                r#"{"version": 2, "commit_hash": "a", "date": 1, "params": {}, "python": "3",
                   "requirements": {}, "env_name": "e", "result_columns": ["bogus"], "results": {"x": [1]}}"#,
                "unknown result column",
            ),
        ];
        for (text, expected) in cases {
            let error = parse_result_file(path(), text).expect_err(text).to_string();
            assert!(error.contains("results/m/abc-py3.9.json"), "{error}");
            assert!(error.contains(expected), "{error}");
        }
    }

    #[test]
    fn config_with_comments_and_settings() {
        let text = r#"{
            // asv allows comments
            "version": 1, "project": "P", "branches": ["main", "v2"],
            "hash_length": 10, "show_commit_url": "https://x/commit/",
            "regressions_thresholds": {".*": 0.1, "slow": "0.5"},
            "regressions_first_commits": {"old": null, "new": "abc123"}, /* trailing */
        }"#;
        let config = parse_config(Path::new("asv.conf.json"), text).expect("config");
        assert_eq!(config.project, "P");
        assert_eq!(
            config.branches,
            vec![Some("main".into()), Some("v2".into())]
        );
        assert_eq!(config.hash_length, 10);
        assert!(
            config
                .regressions_thresholds
                .contains(&("slow".into(), 0.5))
        );
        assert!(
            config
                .regressions_first_commits
                .contains(&("old".into(), None))
        );
        assert!(
            config
                .regressions_first_commits
                .contains(&("new".into(), Some("abc123".into())))
        );
        let bad = parse_config(
            Path::new("asv.conf.json"),
            r#"{"regressions_thresholds": {"a": "x"}}"#,
        );
        assert!(
            bad.expect_err("bad threshold")
                .to_string()
                .contains("not a number")
        );
    }

    #[test]
    fn benchmarks_json_needs_version_2() {
        let ok = parse_benchmarks(
            Path::new("benchmarks.json"),
            r#"{"version": 2, "a.t": {"name": "a.t", "params": [["1"]], "param_names": ["n"], "version": "h", "unit": "seconds", "type": "time"}}"#,
        )
        .expect("parsed");
        assert_eq!(ok["a.t"].version.as_deref(), Some("h"));
        let old = parse_benchmarks(Path::new("benchmarks.json"), r#"{"version": 3}"#);
        assert!(old.is_err());
        let none = parse_benchmarks(Path::new("benchmarks.json"), r#"{"a": {}}"#);
        assert!(
            none.expect_err("no version")
                .to_string()
                .contains("no format version")
        );
    }
}
