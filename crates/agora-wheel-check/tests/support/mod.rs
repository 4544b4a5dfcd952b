//! Builds small wheels for the tests: good ones, and ones broken in one chosen way.
//!
//! [`WheelBuilder`] holds the files of a wheel and writes the archive with a RECORD computed
//! from them (sha256, size, RECORD's own row empty), unless a test asks to write RECORD itself
//! or to tamper with it afterwards. Binaries are compiled with the system `cc` by [`compile`].

#![allow(dead_code)]

use std::io::{Cursor, Write};
use std::path::{Path, PathBuf};
use std::process::Command;

use agora_wheel_check::record::urlsafe_b64;
use sha2::{Digest, Sha256};
use zip::write::SimpleFileOptions;

/// A wheel under construction.
#[derive(Debug, Clone)]
pub struct WheelBuilder {
    /// The file name.
    pub filename: String,
    /// The `.dist-info` directory.
    pub dist_info: String,
    /// `(path, contents)` in archive order, RECORD excluded.
    pub files: Vec<(String, Vec<u8>)>,
    /// RECORD as written, when a test supplies it.
    pub record: Option<String>,
    /// Paths left out of the computed RECORD.
    pub unlisted: Vec<String>,
}

/// The METADATA of a good wheel.
pub fn metadata(name: &str, version: &str) -> String {
    format!(
        "Metadata-Version: 2.4\nName: {name}\nVersion: {version}\nSummary: A test package\n\
         Requires-Python: >=3.11\nRequires-Dist: numpy>=1.25\n\
         Requires-Dist: pytest; extra == \"test\"\nProvides-Extra: test\n\
         Description-Content-Type: text/markdown\n\n# {name}\n\nA package for tests.\n"
    )
}

/// The WHEEL file for `tags`.
pub fn wheel_file(tags: &[&str], purelib: bool) -> String {
    let mut out =
        format!("Wheel-Version: 1.0\nGenerator: agora-tests 0\nRoot-Is-Purelib: {purelib}\n");
    for tag in tags {
        out.push_str(&format!("Tag: {tag}\n"));
    }
    out
}

impl WheelBuilder {
    /// A good pure wheel `demo-1.0-py3-none-any.whl` with one package.
    pub fn pure() -> WheelBuilder {
        WheelBuilder::new("demo", "1.0", "py3-none-any", &["py3-none-any"], true)
            .file("demo/__init__.py", b"from demo.core import answer\n")
            .file("demo/core.py", b"def answer():\n    return 42\n")
            .file("demo/py.typed", b"")
    }

    /// A wheel with the given name, version, file-name tags and WHEEL tags, and no library.
    pub fn new(name: &str, version: &str, tag: &str, tags: &[&str], purelib: bool) -> Self {
        let dist_info = format!("{name}-{version}.dist-info");
        WheelBuilder {
            filename: format!("{name}-{version}-{tag}.whl"),
            files: vec![
                (
                    format!("{dist_info}/METADATA"),
                    metadata(name, version).into_bytes(),
                ),
                (
                    format!("{dist_info}/WHEEL"),
                    wheel_file(tags, purelib).into_bytes(),
                ),
            ],
            dist_info,
            record: None,
            unlisted: Vec::new(),
        }
    }

    /// Adds (or replaces) a file.
    pub fn file(mut self, path: &str, contents: &[u8]) -> Self {
        self.files.retain(|(p, _)| p != path);
        self.files.push((path.to_string(), contents.to_vec()));
        self
    }

    /// Removes a file.
    pub fn without(mut self, path: &str) -> Self {
        self.files.retain(|(p, _)| p != path);
        self
    }

    /// Replaces a `.dist-info` file.
    pub fn dist_file(self, name: &str, contents: &str) -> Self {
        let path = format!("{}/{name}", self.dist_info);
        self.file(&path, contents.as_bytes())
    }

    /// Renames the wheel file.
    pub fn named(mut self, filename: &str) -> Self {
        self.filename = filename.to_string();
        self
    }

    /// The RECORD the builder would write.
    pub fn computed_record(&self) -> String {
        let mut out = String::new();
        for (path, contents) in &self.files {
            if self.unlisted.contains(path) {
                continue;
            }
            out.push_str(&format!(
                "{path},sha256={},{}\n",
                urlsafe_b64(&Sha256::digest(contents)),
                contents.len()
            ));
        }
        out.push_str(&format!("{}/RECORD,,\n", self.dist_info));
        out
    }

    /// Writes RECORD as given instead of computing it.
    pub fn record(mut self, record: &str) -> Self {
        self.record = Some(record.to_string());
        self
    }

    /// Leaves `path` out of the computed RECORD.
    pub fn unlisted(mut self, path: &str) -> Self {
        self.unlisted.push(path.to_string());
        self
    }

    /// The archive's bytes.
    pub fn bytes(&self) -> Vec<u8> {
        let mut zip = zip::ZipWriter::new(Cursor::new(Vec::new()));
        let options =
            SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
        let record = self
            .record
            .clone()
            .unwrap_or_else(|| self.computed_record());
        let record_path = format!("{}/RECORD", self.dist_info);
        for (path, contents) in self
            .files
            .iter()
            .map(|(p, c)| (p.as_str(), c.as_slice()))
            .chain([(record_path.as_str(), record.as_bytes())])
        {
            zip.start_file(path, options).expect("start a zip member");
            zip.write_all(contents).expect("write a zip member");
        }
        zip.finish().expect("finish the zip").into_inner()
    }

    /// Writes the wheel into `dir` and returns its path.
    pub fn write(&self, dir: &Path) -> PathBuf {
        let path = dir.join(&self.filename);
        std::fs::write(&path, self.bytes()).expect("write the wheel");
        path
    }

    /// Checks the wheel.
    pub fn check(&self) -> agora_wheel_check::Report {
        agora_wheel_check::check_bytes(&self.filename, "test", &self.bytes())
    }
}

/// The codes of a report, deduplicated, in order.
pub fn codes(report: &agora_wheel_check::Report) -> Vec<&'static str> {
    let mut codes = report.codes();
    codes.dedup();
    codes
}

/// Compiles C source into a shared object with `cc`; `None` (with a note) when the compiler
/// or the feature is missing.
pub fn compile(dir: &Path, name: &str, source: &str, extra: &[&str]) -> Option<PathBuf> {
    let src = dir.join(format!("{name}.c"));
    std::fs::write(&src, source).expect("write C source");
    let out = dir.join(format!("{name}.so"));
    let status = Command::new("cc")
        .args(["-shared", "-fPIC", "-O1", "-o"])
        .arg(&out)
        .arg(&src)
        .args(extra)
        .output();
    match status {
        Ok(output) if output.status.success() => Some(out),
        Ok(output) => {
            eprintln!(
                "cc failed for {name}: {}",
                String::from_utf8_lossy(&output.stderr)
            );
            None
        }
        Err(error) => {
            eprintln!("no cc: {error}");
            None
        }
    }
}
