//! Release dates from stored files.
//!
//! A release appeared when its first file was uploaded: the earliest `upload-time` among all
//! its files (wheels, sdists and legacy files, yanked ones included, since a yank does not
//! change when a release came out). Files whose version could not be read, or that carry no
//! upload time, do not date anything.

use std::collections::BTreeMap;
use std::str::FromStr;

use agora_store::pypi::PypiFile;
use jiff::Timestamp;
use pep440_rs::Version;

/// The earliest upload time of each version, ordered by version.
pub fn first_uploads(files: &[PypiFile]) -> BTreeMap<Version, Timestamp> {
    let mut first: BTreeMap<Version, Timestamp> = BTreeMap::new();
    for file in files {
        let (Some(text), Some(uploaded)) = (&file.version, file.upload_time) else {
            continue;
        };
        let Ok(version) = Version::from_str(text) else {
            continue;
        };
        first
            .entry(version)
            .and_modify(|t| *t = (*t).min(uploaded))
            .or_insert(uploaded);
    }
    first
}

#[cfg(test)]
mod tests {
    use agora_store::pypi::FileKind;

    use super::*;

    fn file(name: &str, version: Option<&str>, time: Option<&str>, yanked: bool) -> PypiFile {
        PypiFile {
            filename: name.into(),
            version: version.map(Into::into),
            kind: FileKind::Wheel,
            url: String::new(),
            sha256: None,
            size: None,
            upload_time: time.map(|t| t.parse().expect("timestamp")),
            yanked,
            yanked_reason: None,
            requires_python: None,
            python_tag: None,
            abi_tag: None,
            platform_tag: None,
        }
    }

    #[test]
    fn earliest_file_dates_a_release_and_yanked_files_count() {
        let files = vec![
            file("a", Some("2.1.0"), Some("2024-08-18T15:36:00Z"), false),
            file("b", Some("2.1.0"), Some("2024-08-18T15:35:59.5Z"), true),
            file("c", Some("2.01.0"), Some("2024-08-19T00:00:00Z"), false),
            file("d", Some("2.2.0"), None, false),
            file("e", None, Some("2000-01-01T00:00:00Z"), false),
        ];
        let first = first_uploads(&files);
        assert_eq!(first.len(), 1, "{first:?}");
        let (version, time) = first.iter().next().expect("one");
        assert_eq!(version.to_string(), "2.1.0");
        assert_eq!(time.to_string(), "2024-08-18T15:35:59.5Z");
    }
}
