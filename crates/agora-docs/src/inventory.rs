//! Sphinx inventories (`objects.inv`): writing version 2 as Sphinx writes it, reading
//! versions 1 and 2.
//!
//! Version 2 is four `#` header lines (format, project, version, a note that zlib follows),
//! then a zlib stream of lines `name domain:role priority uri dispname`. In the URI a trailing
//! `$` stands for the name; a dispname of `-` means "same as the name". Priority `1` is the
//! default, `0` marks modules (found first by a search), `-1` hides an entry from searches.
//! Version 1 is plain text lines `name type uri` (type `mod` → a module).

use std::io::{Read as _, Write as _};

use serde::Serialize;

/// One inventory entry.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct InventoryEntry {
    /// The object's name (`numpy.mean`).
    pub name: String,
    /// `py`, `std`, `c`…
    pub domain: String,
    /// `function`, `class`, `doc`…
    pub role: String,
    /// Search priority.
    pub priority: i32,
    /// The URI relative to the documentation root, `$` already expanded.
    pub uri: String,
    /// The display name (`-` expanded to the name).
    pub display_name: String,
}

/// A whole inventory.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Inventory {
    /// The project name from the header.
    pub project: String,
    /// The version from the header.
    pub version: String,
    /// Entries, in file order.
    pub entries: Vec<InventoryEntry>,
}

/// Why an inventory could not be read.
#[derive(Debug, thiserror::Error)]
pub enum InventoryError {
    /// The header is not a Sphinx inventory's.
    #[error("line {line}: {message}")]
    Header {
        /// The 1-based header line.
        line: usize,
        /// What was wrong.
        message: String,
    },
    /// The zlib body did not decompress.
    #[error("the compressed body does not decompress: {0}")]
    Body(std::io::Error),
}

/// The largest decompressed body read (numpy's is under 1 MiB; scipy's a few).
const MAX_BODY_BYTES: u64 = 256 * 1024 * 1024;

impl Inventory {
    /// Serialises the inventory as version 2.
    pub fn to_v2(&self) -> Vec<u8> {
        let mut out = format!(
            "# Sphinx inventory version 2\n# Project: {}\n# Version: {}\n# The remainder of this file is compressed using zlib.\n",
            one_line(&self.project),
            one_line(&self.version)
        )
        .into_bytes();
        let mut body = String::new();
        for entry in &self.entries {
            let uri = match entry.uri.strip_suffix(&entry.name) {
                Some(prefix) if !entry.name.is_empty() => format!("{prefix}$"),
                _ => entry.uri.clone(),
            };
            let display = if entry.display_name == entry.name {
                "-"
            } else {
                entry.display_name.as_str()
            };
            body.push_str(&format!(
                "{} {}:{} {} {} {}\n",
                entry.name, entry.domain, entry.role, entry.priority, uri, display
            ));
        }
        let mut encoder = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::best());
        // Writing into a Vec cannot fail.
        let _ = encoder.write_all(body.as_bytes());
        out.extend(encoder.finish().unwrap_or_default());
        out
    }

    /// Reads a version 1 or version 2 inventory.
    pub fn parse(bytes: &[u8]) -> Result<Inventory, InventoryError> {
        let mut header = Vec::new();
        let mut rest = bytes;
        for _ in 0..4 {
            let end = rest.iter().position(|b| *b == b'\n').unwrap_or(rest.len());
            header.push(
                String::from_utf8_lossy(&rest[..end])
                    .trim_end_matches('\r')
                    .to_string(),
            );
            rest = rest.get(end + 1..).unwrap_or_default();
            if header.len() == 3 && header[0].ends_with("version 1") {
                break;
            }
        }
        let first = header.first().map(String::as_str).unwrap_or_default();
        let field = |index: usize, prefix: &str| -> Result<String, InventoryError> {
            header
                .get(index)
                .and_then(|line| line.strip_prefix(prefix))
                .map(str::to_string)
                .ok_or_else(|| InventoryError::Header {
                    line: index + 1,
                    message: format!("expected `{prefix}…`"),
                })
        };
        let project = field(1, "# Project: ")?;
        let version = field(2, "# Version: ")?;
        match first {
            "# Sphinx inventory version 1" => {
                let entries = String::from_utf8_lossy(rest)
                    .lines()
                    .filter_map(|line| {
                        let mut parts = line.split_whitespace();
                        let (name, kind, uri) = (parts.next()?, parts.next()?, parts.next()?);
                        let (role, uri) = if kind == "mod" {
                            ("module".to_string(), format!("{uri}#module-{name}"))
                        } else {
                            (kind.to_string(), format!("{uri}#{name}"))
                        };
                        Some(InventoryEntry {
                            name: name.to_string(),
                            domain: "py".to_string(),
                            role,
                            priority: 1,
                            uri,
                            display_name: name.to_string(),
                        })
                    })
                    .collect();
                Ok(Inventory {
                    project,
                    version,
                    entries,
                })
            }
            "# Sphinx inventory version 2" => {
                if !header.get(3).is_some_and(|l| l.contains("zlib")) {
                    return Err(InventoryError::Header {
                        line: 4,
                        message: "expected the zlib note".to_string(),
                    });
                }
                let mut body = Vec::new();
                flate2::read::ZlibDecoder::new(rest)
                    .take(MAX_BODY_BYTES)
                    .read_to_end(&mut body)
                    .map_err(InventoryError::Body)?;
                let text = String::from_utf8_lossy(&body);
                let entries = text.lines().filter_map(parse_v2_line).collect();
                Ok(Inventory {
                    project,
                    version,
                    entries,
                })
            }
            other => Err(InventoryError::Header {
                line: 1,
                message: format!("not a Sphinx inventory header: {other:?}"),
            }),
        }
    }
}

/// One body line of version 2; names may contain spaces (std:label, std:term), so the line is
/// split around the `domain:role priority` part, as Sphinx does with its regular expression.
fn parse_v2_line(line: &str) -> Option<InventoryEntry> {
    let words: Vec<&str> = line.split(' ').collect();
    // Find the first word shaped `domain:role` followed by an integer.
    let index = (1..words.len().saturating_sub(2))
        .find(|&i| words[i].contains(':') && words[i + 1].parse::<i32>().is_ok())?;
    let name = words[..index].join(" ");
    let (domain, role) = words[index].split_once(':')?;
    let priority = words[index + 1].parse().ok()?;
    let uri_raw = words[index + 2];
    let display = words[index + 3..].join(" ");
    let uri = match uri_raw.strip_suffix('$') {
        Some(prefix) => format!("{prefix}{name}"),
        None => uri_raw.to_string(),
    };
    let display_name = if display == "-" || display.is_empty() {
        name.clone()
    } else {
        display
    };
    Some(InventoryEntry {
        name,
        domain: domain.to_string(),
        role: role.to_string(),
        priority,
        uri,
        display_name,
    })
}

/// A header value on one line.
fn one_line(text: &str) -> String {
    text.replace(['\n', '\r'], " ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip_v2_with_abbreviations() {
        let inventory = Inventory {
            project: "demo".into(),
            version: "1.0".into(),
            entries: vec![
                InventoryEntry {
                    name: "demo".into(),
                    domain: "py".into(),
                    role: "module".into(),
                    priority: 0,
                    uri: "api/demo.html#module-demo".into(),
                    display_name: "demo".into(),
                },
                InventoryEntry {
                    name: "demo.f".into(),
                    domain: "py".into(),
                    role: "function".into(),
                    priority: 1,
                    uri: "api/demo.f.html#demo.f".into(),
                    display_name: "demo.f".into(),
                },
                InventoryEntry {
                    name: "a label".into(),
                    domain: "std".into(),
                    role: "label".into(),
                    priority: -1,
                    uri: "x.html".into(),
                    display_name: "A Label".into(),
                },
            ],
        };
        let bytes = inventory.to_v2();
        let header = String::from_utf8_lossy(&bytes[..120]);
        assert!(
            header.starts_with(
                "# Sphinx inventory version 2\n# Project: demo\n# Version: 1.0\n# The remainder"
            ),
            "{header}"
        );
        let body_start = bytes
            .iter()
            .enumerate()
            .filter(|(_, b)| **b == b'\n')
            .nth(3)
            .map(|(i, _)| i + 1)
            .expect("four lines");
        let mut body = String::new();
        flate2::read::ZlibDecoder::new(&bytes[body_start..])
            .read_to_string(&mut body)
            .expect("zlib");
        assert!(
            body.contains("demo.f py:function 1 api/demo.f.html#$ -\n"),
            "{body}"
        );
        assert!(
            body.contains("demo py:module 0 api/demo.html#module-$ -\n"),
            "{body}"
        );
        assert_eq!(Inventory::parse(&bytes).expect("reads back"), inventory);
    }

    #[test]
    fn reads_the_published_numpy_inventory_and_v1() {
        let v1 = b"# Sphinx inventory version 1\n# Project: old\n# Version: 0.1\nold mod old.html\nold.f function old.html\n";
        let inventory = Inventory::parse(v1).expect("v1");
        assert_eq!(inventory.entries[0].uri, "old.html#module-old");
        assert_eq!(inventory.entries[1].role, "function");
        let error = Inventory::parse(b"hello\n").expect_err("not an inventory");
        assert!(error.to_string().starts_with("line 2"), "{error}");
    }
}
