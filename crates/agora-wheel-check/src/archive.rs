//! Reading a wheel's zip archive: every member once, hashed and measured as it is inflated.
//!
//! The archive is opened from memory. Each member is streamed to its end through SHA-256 in
//! chunks, so a bad CRC or a truncated member shows up here (as `WC002`) and a large member is
//! never held whole: its bytes are kept only when a later check needs them (the `.dist-info`
//! files, and binaries — ELF, Mach-O, recognised by their magic numbers — which are parsed
//! at once so only their summaries stay in memory). [`Limits`] bound the work an archive can
//! ask for: the number of entries, each member's and the total inflated size, and the
//! compression ratio of large members (a zip bomb); crossing one is a `WC005` finding naming
//! the member and the limit, and reading stops there. Members compressed with a method agora
//! cannot inflate (bzip2, lzma, zstd, …) are listed by name but unread, reported once. A zip
//! that cannot be opened at all (truncated, not a zip) is one `WC001` finding and the end of
//! the checks that need its contents. Lookups by name go through an index, so the work is
//! linear in the number of entries.

use std::collections::HashMap;
use std::io::{Cursor, Read};

use sha2::{Digest, Sha256};

use crate::binary::{self, Binary};
use crate::finding::Finding;

/// One member of the archive.
#[derive(Debug, Clone)]
pub struct Member {
    /// The path inside the archive.
    pub name: String,
    /// Its size once inflated.
    pub size: u64,
    /// SHA-256 of its contents.
    pub sha256: [u8; 32],
    /// Whether the contents were read (false: an unsupported compression or a limit stopped
    /// the read; size and hash are then unknown).
    pub readable: bool,
    /// The first bytes of the contents (up to 16), for checks of what a file claims to be.
    pub head: Vec<u8>,
    /// The contents, kept for `.dist-info` members only.
    pub data: Option<Vec<u8>>,
    /// What a binary member holds.
    pub binary: Option<Binary>,
}

/// The readable members of an archive.
#[derive(Debug, Clone, Default)]
pub struct Archive {
    /// Files (directory entries are left out), in archive order.
    pub members: Vec<Member>,
    /// Member index by name.
    index: HashMap<String, usize>,
}

impl Archive {
    /// The member at `name`.
    pub fn get(&self, name: &str) -> Option<&Member> {
        self.index
            .get(name)
            .and_then(|&index| self.members.get(index))
    }

    /// Adds a member (a later one of the same name wins the lookup by name).
    pub fn push(&mut self, member: Member) {
        self.index.insert(member.name.clone(), self.members.len());
        self.members.push(member);
    }
}

/// Bounds on what reading one archive may cost.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Entries in the central directory.
    pub max_entries: usize,
    /// Bytes one member may inflate to.
    pub max_member_size: u64,
    /// Bytes all members together may inflate to.
    pub max_total_size: u64,
    /// Inflated bytes per compressed byte, for members larger than `ratio_from`.
    pub max_ratio: u64,
    /// The inflated size from which the ratio is enforced (small files may compress well).
    pub ratio_from: u64,
}

impl Default for Limits {
    /// Room for the largest real wheels (CUDA libraries of a few GiB, tens of thousands of
    /// files), none for a bomb: deflate reaches about 1000:1 only on degenerate input.
    fn default() -> Limits {
        Limits {
            max_entries: 100_000,
            max_member_size: 4 << 30,
            max_total_size: 16 << 30,
            max_ratio: 100,
            ratio_from: 16 << 20,
        }
    }
}

/// A compression method's number in the zip specification (the zip crate's named constants
/// do not cover methods it was built without).
#[allow(deprecated)]
fn method_number(method: zip::CompressionMethod) -> u16 {
    method.to_u16()
}

/// The name of a zip compression method, by its number in the zip specification.
fn method_name(method: zip::CompressionMethod) -> String {
    match method_number(method) {
        0 => "stored".to_string(),
        8 => "deflate".to_string(),
        9 => "deflate64".to_string(),
        12 => "bzip2".to_string(),
        14 => "lzma".to_string(),
        93 => "zstd".to_string(),
        95 => "xz".to_string(),
        98 => "PPMd".to_string(),
        other => format!("method {other}"),
    }
}

/// Human size: `2.0 GiB`, `16 MiB`, `512 bytes`.
fn human(bytes: u64) -> String {
    const UNITS: [(&str, u64); 3] = [("GiB", 1 << 30), ("MiB", 1 << 20), ("KiB", 1 << 10)];
    for (unit, size) in UNITS {
        if bytes >= size {
            #[allow(clippy::cast_precision_loss)]
            let value = bytes as f64 / size as f64;
            return format!("{value:.1} {unit}");
        }
    }
    format!("{bytes} bytes")
}

/// How reading one member ended.
enum Outcome {
    /// Read to its end.
    Read {
        size: u64,
        sha256: [u8; 32],
        head: Vec<u8>,
        data: Option<Vec<u8>>,
    },
    /// A limit stopped it (the message says which).
    Limit(String),
    /// The data is broken.
    Broken(String),
}

/// Streams one member through SHA-256, keeping its bytes when `keep` says so or its magic
/// number says it is a binary.
fn stream(
    reader: &mut impl Read,
    compressed: u64,
    keep: bool,
    limits: &Limits,
    total: &mut u64,
) -> Outcome {
    let mut hasher = Sha256::new();
    let mut head: Vec<u8> = Vec::with_capacity(16);
    let mut data: Option<Vec<u8>> = keep.then(Vec::new);
    let mut decided = keep;
    let mut size = 0u64;
    let mut buffer = vec![0u8; 64 * 1024];
    loop {
        let read = match reader.read(&mut buffer) {
            Ok(0) => break,
            Ok(read) => read,
            Err(error) if error.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(error) => return Outcome::Broken(format!("cannot be read to its end: {error}")),
        };
        let chunk = buffer.get(..read).unwrap_or_default();
        size += read as u64;
        *total += read as u64;
        if size > limits.max_member_size {
            return Outcome::Limit(format!(
                "inflates past {} (the per-member limit)",
                human(limits.max_member_size)
            ));
        }
        if *total > limits.max_total_size {
            return Outcome::Limit(format!(
                "the archive inflates past {} in all (the total limit)",
                human(limits.max_total_size)
            ));
        }
        if size > limits.ratio_from && size > compressed.saturating_mul(limits.max_ratio) {
            return Outcome::Limit(format!(
                "inflates more than {}:1 ({} from {} compressed; a zip bomb?)",
                limits.max_ratio,
                human(size),
                human(compressed)
            ));
        }
        hasher.update(chunk);
        if head.len() < 16 {
            let wanted = 16 - head.len();
            head.extend(chunk.iter().take(wanted));
        }
        if !decided && head.len() >= 4 {
            decided = true;
            if binary::has_binary_magic(&head) {
                data = Some(Vec::new());
            }
        }
        if let Some(data) = data.as_mut() {
            data.extend_from_slice(chunk);
        }
    }
    Outcome::Read {
        size,
        sha256: hasher.finalize().into(),
        head,
        data,
    }
}

/// Opens `bytes` as a zip and reads every member within [`Limits::default`]; `None` when it
/// is no readable zip at all.
pub fn read(bytes: &[u8], findings: &mut Vec<Finding>) -> Option<Archive> {
    read_with_limits(bytes, &Limits::default(), findings)
}

/// Opens `bytes` as a zip and reads every member within `limits`; `None` when it is no
/// readable zip at all or holds more entries than the limit.
pub fn read_with_limits(
    bytes: &[u8],
    limits: &Limits,
    findings: &mut Vec<Finding>,
) -> Option<Archive> {
    let mut zip = match zip::ZipArchive::new(Cursor::new(bytes)) {
        Ok(zip) => zip,
        Err(error) => {
            findings.push(Finding::new(
                "WC001",
                None,
                format!("cannot open the archive: {error}"),
            ));
            return None;
        }
    };
    if zip.len() > limits.max_entries {
        findings.push(Finding::new(
            "WC005",
            None,
            format!(
                "{} entries in the central directory, more than the limit of {}; not read",
                zip.len(),
                limits.max_entries
            ),
        ));
        return None;
    }
    if zip.has_duplicate_names() {
        findings.push(Finding::new(
            "WC004",
            None,
            "the zip central directory lists some path more than once".to_string(),
        ));
    }
    let mut archive = Archive::default();
    // Members left unread because of their compression method: method → names.
    let mut unsupported: Vec<(String, Vec<String>)> = Vec::new();
    let mut total = 0u64;
    let mut exhausted = false;
    for index in 0..zip.len() {
        let (name, is_dir, method, declared, compressed) = match zip.by_index_data(index) {
            Ok(entry) => (
                String::from_utf8_lossy(entry.name_raw()).into_owned(),
                entry.is_dir(),
                entry.compression(),
                entry.size(),
                entry.compressed_size(),
            ),
            Err(error) => {
                findings.push(Finding::new(
                    "WC002",
                    None,
                    format!("archive member #{index} cannot be opened: {error}"),
                ));
                continue;
            }
        };
        if is_dir {
            continue;
        }
        if let Some(problem) = unsafe_path(&name) {
            findings.push(Finding::new("WC003", Some(&name), problem.to_string()));
        }
        let unread = |name: String| Member {
            name,
            size: declared,
            sha256: [0; 32],
            readable: false,
            head: Vec::new(),
            data: None,
            binary: None,
        };
        let number = method_number(method);
        if number != 0 && number != 8 {
            let method = method_name(method);
            match unsupported.iter_mut().find(|(known, _)| *known == method) {
                Some((_, names)) => names.push(name.clone()),
                None => unsupported.push((method, vec![name.clone()])),
            }
            archive.push(unread(name));
            continue;
        }
        if exhausted {
            archive.push(unread(name));
            continue;
        }
        if declared > limits.max_member_size {
            findings.push(Finding::new(
                "WC005",
                Some(&name),
                format!(
                    "declares {} inflated, more than the per-member limit of {}; not read",
                    human(declared),
                    human(limits.max_member_size)
                ),
            ));
            archive.push(unread(name));
            continue;
        }
        let mut entry = match zip.by_index(index) {
            Ok(entry) => entry,
            Err(error) => {
                findings.push(Finding::new(
                    "WC002",
                    Some(&name),
                    format!("cannot be opened: {error}"),
                ));
                archive.push(unread(name));
                continue;
            }
        };
        let keep = name
            .split('/')
            .next()
            .is_some_and(|top| top.ends_with(".dist-info"));
        match stream(&mut entry, compressed, keep, limits, &mut total) {
            Outcome::Read {
                size,
                sha256,
                head,
                data,
            } => {
                // Binaries are parsed now and only their summary kept; `.dist-info` files
                // keep their bytes.
                let binary = data.as_deref().and_then(binary::inspect);
                archive.push(Member {
                    name,
                    size,
                    sha256,
                    readable: true,
                    head,
                    data: if keep { data } else { None },
                    binary,
                });
            }
            Outcome::Limit(message) => {
                exhausted = total > limits.max_total_size;
                findings.push(Finding::new("WC005", Some(&name), message));
                archive.push(unread(name));
            }
            Outcome::Broken(message) => {
                findings.push(Finding::new("WC002", Some(&name), message));
                archive.push(unread(name));
            }
        }
    }
    for (method, names) in unsupported {
        let shown: Vec<&str> = names.iter().take(3).map(String::as_str).collect();
        let more = names.len().saturating_sub(shown.len());
        findings.push(Finding::new(
            "WC002",
            names.first().map(String::as_str),
            format!(
                "{} member{} compressed with {method}, which agora does not read \
                 (installers expect stored or deflate): {}{}",
                names.len(),
                if names.len() == 1 { "" } else { "s" },
                shown.join(", "),
                if more > 0 {
                    format!(" and {more} more")
                } else {
                    String::new()
                }
            ),
        ));
    }
    Some(archive)
}

/// Why a member path is unsafe or not normalized, if it is.
fn unsafe_path(name: &str) -> Option<&'static str> {
    if name.starts_with('/') || name.starts_with('\\') {
        return Some("absolute path");
    }
    if name.contains('\\') {
        return Some("backslash in the path (paths use `/`)");
    }
    if name.len() > 1 && name.as_bytes().get(1) == Some(&b':') {
        return Some("drive letter in the path");
    }
    if name.split('/').any(|part| part == "..") {
        return Some("`..` component escapes the install directory");
    }
    if name.split('/').any(|part| part.is_empty() || part == ".") {
        return Some("empty or `.` component in the path");
    }
    None
}

#[cfg(test)]
mod tests {
    use super::unsafe_path;

    #[test]
    fn unsafe_paths_are_named() {
        assert_eq!(unsafe_path("pkg/__init__.py"), None);
        assert!(unsafe_path("/etc/passwd").is_some());
        assert!(unsafe_path("pkg/../../x").is_some());
        assert!(unsafe_path("pkg//x").is_some());
        assert!(unsafe_path("C:/x").is_some());
    }
}
