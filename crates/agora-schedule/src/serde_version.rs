//! Serializes PEP 440 versions as the strings PyPI spells, for every JSON view of the crate.

use pep440_rs::Version;

/// A version as its string.
pub(crate) fn display<S: serde::Serializer>(version: &Version, s: S) -> Result<S::Ok, S::Error> {
    s.collect_str(version)
}

/// An optional version as its string or `null`.
pub(crate) fn optional<S: serde::Serializer>(
    version: &Option<Version>,
    s: S,
) -> Result<S::Ok, S::Error> {
    match version {
        Some(version) => s.collect_str(version),
        None => s.serialize_none(),
    }
}

/// A list of versions as strings.
pub(crate) fn list<S: serde::Serializer>(versions: &[Version], s: S) -> Result<S::Ok, S::Error> {
    s.collect_seq(versions.iter().map(ToString::to_string))
}
