//! Reading a wheel's zip archive: every member once, hashed and measured as it is inflated.
//!
//! The archive is opened from memory. Each member is read to its end, so a bad CRC or a
//! truncated member shows up here (as `WC002`) instead of later; its SHA-256 and size are kept
//! for the RECORD check, its bytes only when a later check needs them (the `.dist-info` files),
//! and binaries (ELF, Mach-O, recognised by their magic numbers) are parsed at once so only their
//! summaries stay in memory. A zip that cannot be opened at all (truncated, not a zip) is one
//! `WC001` finding and the end of the checks that need the contents.

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
}

impl Archive {
    /// The member at `name`.
    pub fn get(&self, name: &str) -> Option<&Member> {
        self.members.iter().find(|member| member.name == name)
    }
}

/// Opens `bytes` as a zip and reads every member; `None` when it is no readable zip at all.
pub fn read(bytes: &[u8], findings: &mut Vec<Finding>) -> Option<Archive> {
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
    if zip.has_duplicate_names() {
        findings.push(Finding::new(
            "WC004",
            None,
            "the zip central directory lists some path more than once".to_string(),
        ));
    }
    let mut archive = Archive::default();
    for index in 0..zip.len() {
        let mut entry = match zip.by_index(index) {
            Ok(entry) => entry,
            Err(error) => {
                findings.push(Finding::new(
                    "WC002",
                    None,
                    format!("archive member #{index} cannot be opened: {error}"),
                ));
                continue;
            }
        };
        let name = String::from_utf8_lossy(entry.name_raw()).into_owned();
        if entry.is_dir() {
            continue;
        }
        if let Some(problem) = unsafe_path(&name) {
            findings.push(Finding::new("WC003", Some(&name), problem.to_string()));
        }
        let declared = entry.size();
        // Cap the preallocation: a corrupt header may claim any size.
        let mut data = Vec::with_capacity(usize::try_from(declared.min(1 << 26)).unwrap_or(0));
        if let Err(error) = entry.read_to_end(&mut data) {
            findings.push(Finding::new(
                "WC002",
                Some(&name),
                format!("cannot be read to its end: {error}"),
            ));
            continue;
        }
        let sha256: [u8; 32] = Sha256::digest(&data).into();
        let binary = binary::inspect(&data);
        let keep = name
            .split('/')
            .next()
            .is_some_and(|top| top.ends_with(".dist-info"));
        archive.members.push(Member {
            size: data.len() as u64,
            sha256,
            data: keep.then_some(data),
            binary,
            name,
        });
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
