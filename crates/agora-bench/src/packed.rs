//! The compact binary form in which the store keeps a parsed result file.
//!
//! A result file names every benchmark and its 64-character code version once per run, which
//! is most of its bytes; across a project's files the same few hundred `(name, version)` pairs
//! repeat. [`RunKeys`] numbers those pairs once per project, and [`encode`] writes a file as a
//! short header (`AGB1`), its fields in a fixed order, and per run the number of its key
//! followed by its values as raw little-endian `f64` bits. Decoding is a bounds-checked walk
//! over the same order, so a truncated or foreign blob is an error, never a panic.
//! [`decode`] also reads the JSON form that earlier versions of agora stored.

use std::collections::BTreeMap;

use rustc_hash::FxHashMap;

use crate::format::{BenchmarkRun, ResultFile};

const MAGIC: &[u8; 4] = b"AGB1";

/// Why a stored result file could not be read back.
#[derive(Debug, thiserror::Error)]
pub enum DecodeError {
    /// The bytes end before the value being read.
    #[error("truncated at byte {0}")]
    Truncated(usize),
    /// A run refers to a key the project does not have.
    #[error("unknown benchmark key {0}")]
    UnknownKey(u32),
    /// A string is not UTF-8.
    #[error("a string at byte {0} is not UTF-8")]
    NotUtf8(usize),
    /// The bytes are neither the binary form nor JSON.
    #[error("not a stored result file: {0}")]
    Json(#[from] serde_json::Error),
}

/// A benchmark's name and code version, as runs refer to them.
pub type RunKey = (String, Option<String>);

/// The numbering of a project's `(benchmark name, code version)` pairs.
#[derive(Debug, Clone, Default)]
pub struct RunKeys {
    keys: Vec<RunKey>,
    /// The numbers by benchmark name, each with the version it stands for (a benchmark has
    /// one or a few): looked up without building a key.
    index: FxHashMap<String, Vec<(Option<String>, u32)>>,
}

impl RunKeys {
    /// The numbering stored so far: key `i` is `keys[i]`.
    pub fn new(keys: Vec<RunKey>) -> RunKeys {
        let mut index: FxHashMap<String, Vec<(Option<String>, u32)>> = FxHashMap::default();
        for (i, (name, version)) in keys.iter().enumerate() {
            index
                .entry(name.clone())
                .or_default()
                .push((version.clone(), i as u32));
        }
        RunKeys { keys, index }
    }

    /// Every key, numbered by position.
    pub fn keys(&self) -> &[RunKey] {
        &self.keys
    }

    /// The number of a pair, numbering it when it is new.
    pub fn intern(&mut self, name: &str, version: Option<&str>) -> u32 {
        let known = self.index.get(name).and_then(|versions| {
            versions
                .iter()
                .find(|(v, _)| v.as_deref() == version)
                .map(|&(_, id)| id)
        });
        if let Some(id) = known {
            return id;
        }
        let id = self.keys.len() as u32;
        self.keys
            .push((name.to_owned(), version.map(str::to_owned)));
        self.index
            .entry(name.to_owned())
            .or_default()
            .push((version.map(str::to_owned), id));
        id
    }
}

/// Appends values in the binary forms' encoding (little-endian, length-prefixed strings).
pub(crate) struct Writer(pub(crate) Vec<u8>);

impl Writer {
    pub(crate) fn u32(&mut self, value: u32) {
        self.0.extend_from_slice(&value.to_le_bytes());
    }

    pub(crate) fn str(&mut self, value: &str) {
        self.u32(value.len() as u32);
        self.0.extend_from_slice(value.as_bytes());
    }

    pub(crate) fn opt_str(&mut self, value: Option<&str>) {
        match value {
            None => self.0.push(0),
            Some(v) => {
                self.0.push(1);
                self.str(v);
            }
        }
    }

    pub(crate) fn opt_i64(&mut self, value: Option<i64>) {
        match value {
            None => self.0.push(0),
            Some(v) => {
                self.0.push(1);
                self.0.extend_from_slice(&v.to_le_bytes());
            }
        }
    }

    pub(crate) fn opt_f64(&mut self, value: Option<f64>) {
        match value {
            None => self.0.push(0),
            Some(v) => {
                self.0.push(1);
                self.0.extend_from_slice(&v.to_bits().to_le_bytes());
            }
        }
    }

    pub(crate) fn numbers(&mut self, values: &Option<Vec<Option<f64>>>) {
        match values {
            None => self.0.push(0),
            Some(list) => {
                self.0.push(1);
                self.u32(list.len() as u32);
                for &value in list {
                    self.opt_f64(value);
                }
            }
        }
    }
}

/// The binary form of a result file; new `(name, version)` pairs are numbered in `keys`.
pub fn encode(file: &ResultFile, keys: &mut RunKeys) -> Vec<u8> {
    let mut out = Writer(Vec::with_capacity(64 + file.runs.len() * 48));
    out.0.extend_from_slice(MAGIC);
    out.str(&file.commit_hash);
    out.str(&file.env_name);
    out.opt_i64(file.date);
    out.u32(file.params.len() as u32);
    for (key, value) in &file.params {
        out.str(key);
        out.opt_str(value.as_deref());
    }
    out.u32(file.env_vars.len() as u32);
    for (key, value) in &file.env_vars {
        out.str(key);
        out.str(value);
    }
    out.u32(file.runs.len() as u32);
    for run in &file.runs {
        out.u32(keys.intern(&run.name, run.version.as_deref()));
        out.numbers(&run.result);
        out.u32(run.params.len() as u32);
        for list in &run.params {
            out.u32(list.len() as u32);
            for value in list {
                out.str(value);
            }
        }
        out.opt_i64(run.started_at);
        out.opt_f64(run.duration);
        out.numbers(&run.ci_99_a);
        out.numbers(&run.ci_99_b);
    }
    out.0
}

/// Reads values back from the binary forms, bounds-checked.
pub(crate) struct Reader<'a> {
    pub(crate) bytes: &'a [u8],
    pub(crate) at: usize,
}

impl<'a> Reader<'a> {
    pub(crate) fn take(&mut self, n: usize) -> Result<&'a [u8], DecodeError> {
        let end = self
            .at
            .checked_add(n)
            .filter(|&end| end <= self.bytes.len())
            .ok_or(DecodeError::Truncated(self.at))?;
        let slice = &self.bytes[self.at..end];
        self.at = end;
        Ok(slice)
    }

    pub(crate) fn byte(&mut self) -> Result<u8, DecodeError> {
        Ok(self.take(1)?[0])
    }

    pub(crate) fn array<const N: usize>(&mut self) -> Result<[u8; N], DecodeError> {
        let mut out = [0; N];
        out.copy_from_slice(self.take(N)?);
        Ok(out)
    }

    pub(crate) fn u32(&mut self) -> Result<u32, DecodeError> {
        Ok(u32::from_le_bytes(self.array()?))
    }

    /// A count of items that take at least `min_size` bytes each: checked against what is
    /// left, so a corrupt count cannot ask for a huge allocation.
    pub(crate) fn count(&mut self, min_size: usize) -> Result<usize, DecodeError> {
        let at = self.at;
        let n = self.u32()? as usize;
        if n.saturating_mul(min_size) > self.bytes.len() - self.at {
            return Err(DecodeError::Truncated(at));
        }
        Ok(n)
    }

    pub(crate) fn str(&mut self) -> Result<String, DecodeError> {
        let n = self.count(1)?;
        let at = self.at;
        let bytes = self.take(n)?;
        std::str::from_utf8(bytes)
            .map(str::to_owned)
            .map_err(|_| DecodeError::NotUtf8(at))
    }

    pub(crate) fn present(&mut self) -> Result<bool, DecodeError> {
        Ok(self.byte()? != 0)
    }

    pub(crate) fn opt_str(&mut self) -> Result<Option<String>, DecodeError> {
        if self.present()? {
            self.str().map(Some)
        } else {
            Ok(None)
        }
    }

    pub(crate) fn opt_i64(&mut self) -> Result<Option<i64>, DecodeError> {
        if self.present()? {
            Ok(Some(i64::from_le_bytes(self.array()?)))
        } else {
            Ok(None)
        }
    }

    pub(crate) fn opt_f64(&mut self) -> Result<Option<f64>, DecodeError> {
        if self.present()? {
            Ok(Some(f64::from_bits(u64::from_le_bytes(self.array()?))))
        } else {
            Ok(None)
        }
    }

    pub(crate) fn numbers(&mut self) -> Result<Option<Vec<Option<f64>>>, DecodeError> {
        if !self.present()? {
            return Ok(None);
        }
        let n = self.count(1)?;
        (0..n)
            .map(|_| self.opt_f64())
            .collect::<Result<_, _>>()
            .map(Some)
    }
}

impl Reader<'_> {
    /// The fields of a result file that precede its runs (the file, with no runs yet).
    fn header(&mut self) -> Result<ResultFile, DecodeError> {
        let commit_hash = self.str()?;
        let env_name = self.str()?;
        let date = self.opt_i64()?;
        let mut params = BTreeMap::new();
        for _ in 0..self.count(5)? {
            let key = self.str()?;
            params.insert(key, self.opt_str()?);
        }
        let mut env_vars = BTreeMap::new();
        for _ in 0..self.count(8)? {
            let key = self.str()?;
            env_vars.insert(key, self.str()?);
        }
        Ok(ResultFile {
            commit_hash,
            env_name,
            date,
            params,
            env_vars,
            runs: Vec::new(),
        })
    }
}

/// The environment parameters and environment variables of a stored result file, read
/// without its runs (what [`crate::series::add_parameter_keys`] needs before any file is
/// placed).
pub type EnvironmentOf = (BTreeMap<String, Option<String>>, BTreeMap<String, String>);

/// Reads only the environment of a stored result file (binary form or JSON).
pub fn decode_environment(bytes: &[u8]) -> Result<EnvironmentOf, DecodeError> {
    if !bytes.starts_with(MAGIC) {
        let file: ResultFile = serde_json::from_slice(bytes)?;
        return Ok((file.params, file.env_vars));
    }
    let file = Reader { bytes, at: 4 }.header()?;
    Ok((file.params, file.env_vars))
}

/// Reads a stored result file: the binary form, whose runs name keys of `keys`, or JSON.
pub fn decode(bytes: &[u8], keys: &[RunKey]) -> Result<ResultFile, DecodeError> {
    if !bytes.starts_with(MAGIC) {
        return Ok(serde_json::from_slice(bytes)?);
    }
    let mut input = Reader { bytes, at: 4 };
    let mut file = input.header()?;
    let n = input.count(4)?;
    file.runs.reserve_exact(n);
    for _ in 0..n {
        let id = input.u32()?;
        let (name, version) = keys.get(id as usize).ok_or(DecodeError::UnknownKey(id))?;
        let result = input.numbers()?;
        let mut run_params = Vec::new();
        for _ in 0..input.count(4)? {
            let m = input.count(4)?;
            run_params.push((0..m).map(|_| input.str()).collect::<Result<_, _>>()?);
        }
        file.runs.push(BenchmarkRun {
            name: name.clone(),
            result,
            params: run_params,
            version: version.clone(),
            started_at: input.opt_i64()?,
            duration: input.opt_f64()?,
            ci_99_a: input.numbers()?,
            ci_99_b: input.numbers()?,
        });
    }
    Ok(file)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> ResultFile {
        let text = r#"{"commit_hash": "abc", "env_name": "e", "date": 17, "params": {"machine": "m", "x": null},
            "python": "3.11", "requirements": {}, "version": 2, "env_vars": {"K": "v"},
            "result_columns": ["result", "params", "version", "started_at", "duration",
                "stats_ci_99_a", "stats_ci_99_b"],
            "results": {"b.t": [[NaN, 2.5], [["'x'", "'y'"]], "h1", 7, 1.5, [null, 1.9], [null, 2.1]],
                        "c.t": [null, []], "a.t": [[0.1], [], "h2"]}}"#;
        crate::format::parse_result_file(std::path::Path::new("r/m/f.json"), text).expect("parsed")
    }

    #[test]
    fn a_file_survives_the_round_trip_and_keys_are_shared() {
        let file = sample();
        let mut keys = RunKeys::default();
        let bytes = encode(&file, &mut keys);
        assert_eq!(keys.keys().len(), 3);
        assert_eq!(decode(&bytes, keys.keys()).expect("decoded"), file);
        // A second file with the same runs adds no keys.
        let again = encode(&file, &mut keys);
        assert_eq!(keys.keys().len(), 3);
        assert_eq!(again, bytes);
        // Keys numbered earlier are found again after a reload.
        let mut reloaded = RunKeys::new(keys.keys().to_vec());
        assert_eq!(encode(&file, &mut reloaded), bytes);
    }

    #[test]
    fn the_json_stored_by_earlier_versions_is_still_read() {
        let file = sample();
        let json = serde_json::to_vec(&file).expect("json");
        assert_eq!(decode(&json, &[]).expect("decoded"), file);
        let (params, env_vars) = decode_environment(&json).expect("environment");
        assert_eq!((&params, &env_vars), (&file.params, &file.env_vars));
    }

    #[test]
    fn the_environment_is_read_without_the_runs() {
        let file = sample();
        let mut keys = RunKeys::default();
        let bytes = encode(&file, &mut keys);
        let (params, env_vars) = decode_environment(&bytes).expect("environment");
        assert_eq!(params, file.params);
        assert_eq!(env_vars.get("K").map(String::as_str), Some("v"));
        // Runs are not looked at: a blob cut inside its runs still gives the environment,
        // though it no longer decodes as a whole.
        let without_runs = ResultFile {
            runs: Vec::new(),
            ..file.clone()
        };
        let header_len = encode(&without_runs, &mut keys).len() - 4;
        let cut = &bytes[..header_len + 6];
        assert!(decode(cut, keys.keys()).is_err());
        assert_eq!(decode_environment(cut).expect("environment").0, file.params);
        // A cut inside the environment is an error.
        assert!(decode_environment(&bytes[..header_len - 1]).is_err());
    }

    #[test]
    fn every_truncation_and_a_missing_key_are_errors() {
        let file = sample();
        let mut keys = RunKeys::default();
        let bytes = encode(&file, &mut keys);
        for end in 4..bytes.len() {
            assert!(decode(&bytes[..end], keys.keys()).is_err(), "cut at {end}");
        }
        assert!(matches!(
            decode(&bytes, &keys.keys()[..1]),
            Err(DecodeError::UnknownKey(_))
        ));
        let mut huge = bytes[..4].to_vec();
        huge.extend_from_slice(&u32::MAX.to_le_bytes());
        assert!(matches!(
            decode(&huge, keys.keys()),
            Err(DecodeError::Truncated(4))
        ));
    }
}
