//! `RECORD`: every file of the wheel with its hash and size, checked against the archive.
//!
//! RECORD is CSV (`path,algorithm=digest,size`, the digest URL-safe base64 without padding).
//! Each archive member must have exactly one row with a sha256 (or stronger) hash equal to the
//! member's and the member's size; RECORD's own row has empty hash and size, and the signature
//! files `RECORD.jws`/`RECORD.p7s` may be left out. Rows may name members the archive lacks.

use std::collections::{BTreeMap, BTreeSet};

use sha2::{Digest, Sha256, Sha384, Sha512};

use crate::archive::Archive;
use crate::finding::Finding;

/// One row of RECORD.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Row {
    /// The file's path.
    pub path: String,
    /// `algorithm=digest`, possibly empty.
    pub hash: String,
    /// The size as written, possibly empty.
    pub size: String,
    /// The 1-based line.
    pub line: usize,
}

/// Splits one CSV line into fields (quotes as Python's csv module writes them).
fn csv_fields(line: &str) -> Result<Vec<String>, &'static str> {
    let mut fields = Vec::new();
    let mut field = String::new();
    let mut chars = line.chars().peekable();
    let mut quoted = false;
    let mut at_start = true;
    while let Some(c) = chars.next() {
        if quoted {
            if c == '"' {
                if chars.peek() == Some(&'"') {
                    field.push('"');
                    chars.next();
                } else {
                    quoted = false;
                }
            } else {
                field.push(c);
            }
        } else if c == '"' && at_start {
            quoted = true;
            at_start = false;
        } else if c == ',' {
            fields.push(std::mem::take(&mut field));
            at_start = true;
        } else {
            field.push(c);
            at_start = false;
        }
    }
    if quoted {
        return Err("an unterminated quote");
    }
    fields.push(field);
    Ok(fields)
}

/// Reads RECORD, reporting malformed rows (`WC102`).
pub fn parse(path: &str, data: &[u8], findings: &mut Vec<Finding>) -> Vec<Row> {
    let text = match std::str::from_utf8(data) {
        Ok(text) => text,
        Err(error) => {
            findings.push(Finding::new(
                "WC102",
                Some(path),
                format!("RECORD is not UTF-8: {error}"),
            ));
            return Vec::new();
        }
    };
    let mut rows = Vec::new();
    for (index, line) in text.lines().enumerate() {
        let line_number = index + 1;
        if line.trim().is_empty() {
            continue;
        }
        match csv_fields(line) {
            Ok(fields) if fields.len() == 3 => {
                let mut fields = fields.into_iter();
                let (Some(file), Some(hash), Some(size)) =
                    (fields.next(), fields.next(), fields.next())
                else {
                    continue;
                };
                rows.push(Row {
                    path: file,
                    hash,
                    size,
                    line: line_number,
                });
            }
            Ok(fields) => findings.push(Finding::new(
                "WC102",
                Some(path),
                format!(
                    "line {line_number}: {} fields where 3 are expected",
                    fields.len()
                ),
            )),
            Err(reason) => findings.push(Finding::new(
                "WC102",
                Some(path),
                format!("line {line_number}: {reason}"),
            )),
        }
    }
    rows
}

/// URL-safe base64 without padding, as RECORD writes digests.
pub fn urlsafe_b64(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let b = [
            chunk[0],
            chunk.get(1).copied().unwrap_or(0),
            chunk.get(2).copied().unwrap_or(0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        let symbols = chunk.len() + 1;
        for i in 0..symbols {
            let index = (n >> (18 - 6 * i)) & 0x3f;
            out.push(char::from(ALPHABET[index as usize]));
        }
    }
    out
}

/// The RECORD digest of `data` under `algorithm`, when agora knows the algorithm.
fn digest(algorithm: &str, data: &[u8]) -> Option<String> {
    Some(match algorithm {
        "sha256" => urlsafe_b64(&Sha256::digest(data)),
        "sha384" => urlsafe_b64(&Sha384::digest(data)),
        "sha512" => urlsafe_b64(&Sha512::digest(data)),
        _ => return None,
    })
}

/// Checks RECORD against the archive (`record_path` is `{dist-info}/RECORD`).
pub fn check(archive: &Archive, record_path: &str, findings: &mut Vec<Finding>) {
    let Some(record) = archive.get(record_path) else {
        findings.push(Finding::new(
            "WC101",
            Some(record_path),
            "no RECORD in the .dist-info directory".to_string(),
        ));
        return;
    };
    let data = record.data.as_deref().unwrap_or_default();
    let rows = parse(record_path, data, findings);
    let signatures = [format!("{record_path}.jws"), format!("{record_path}.p7s")];
    let mut seen: BTreeMap<&str, usize> = BTreeMap::new();
    let mut listed_self = false;
    for row in &rows {
        if let Some(first) = seen.insert(row.path.as_str(), row.line) {
            findings.push(Finding::new(
                "WC110",
                Some(&row.path),
                format!("listed on lines {first} and {}", row.line),
            ));
            continue;
        }
        if row.path == record_path || signatures.contains(&row.path) {
            if row.path == record_path {
                listed_self = true;
                if !row.hash.is_empty() || !row.size.is_empty() {
                    findings.push(Finding::new(
                        "WC109",
                        Some(record_path),
                        format!(
                            "RECORD's own row (line {}) carries a hash or size",
                            row.line
                        ),
                    ));
                }
            }
            continue;
        }
        let Some(member) = archive.get(&row.path) else {
            findings.push(Finding::new(
                "WC104",
                Some(&row.path),
                format!("RECORD line {} names a file the archive lacks", row.line),
            ));
            continue;
        };
        if !member.readable {
            // Unread (its compression, a limit): reported already, nothing to compare.
            continue;
        }
        if row.hash.is_empty() {
            findings.push(Finding::new(
                "WC107",
                Some(&row.path),
                format!("RECORD line {} has no hash", row.line),
            ));
        } else {
            check_hash(row, member, archive, findings);
        }
        if !row.size.is_empty() || !row.hash.is_empty() {
            match row.size.parse::<u64>() {
                Ok(size) if size == member.size => {}
                Ok(size) => findings.push(Finding::new(
                    "WC106",
                    Some(&row.path),
                    format!("RECORD says {size} bytes, the file has {}", member.size),
                )),
                Err(_) => findings.push(Finding::new(
                    "WC102",
                    Some(record_path),
                    format!("line {}: size `{}` is not a number", row.line, row.size),
                )),
            }
        }
    }
    if !listed_self {
        findings.push(Finding::new(
            "WC109",
            Some(record_path),
            "RECORD does not list itself".to_string(),
        ));
    }
    let listed: BTreeSet<&str> = rows.iter().map(|row| row.path.as_str()).collect();
    for member in &archive.members {
        if !listed.contains(member.name.as_str())
            && member.name != record_path
            && !signatures.contains(&member.name)
        {
            findings.push(Finding::new(
                "WC103",
                Some(&member.name),
                "in the archive but not in RECORD".to_string(),
            ));
        }
    }
}

fn check_hash(
    row: &Row,
    member: &crate::archive::Member,
    _archive: &Archive,
    findings: &mut Vec<Finding>,
) {
    let Some((algorithm, expected)) = row.hash.split_once('=') else {
        findings.push(Finding::new(
            "WC102",
            Some(&row.path),
            format!(
                "RECORD line {}: hash `{}` is not algorithm=digest",
                row.line, row.hash
            ),
        ));
        return;
    };
    if algorithm == "sha256" {
        // The archive reader already hashed every member with sha256.
        if urlsafe_b64(&member.sha256) != expected {
            findings.push(Finding::new(
                "WC105",
                Some(&row.path),
                format!(
                    "RECORD says sha256={expected}, the file's is sha256={}",
                    urlsafe_b64(&member.sha256)
                ),
            ));
        }
        return;
    }
    match member
        .data
        .as_deref()
        .and_then(|data| digest(algorithm, data))
    {
        Some(actual) if actual != expected => findings.push(Finding::new(
            "WC105",
            Some(&row.path),
            format!("RECORD says {algorithm}={expected}, the file's is {algorithm}={actual}"),
        )),
        Some(_) => {}
        None if ["sha384", "sha512"].contains(&algorithm) => {
            // A strong hash agora did not keep the bytes for: accepted unverified.
        }
        None => findings.push(Finding::new(
            "WC108",
            Some(&row.path),
            format!("RECORD line {} uses `{algorithm}`", row.line),
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64_matches_python() {
        // base64.urlsafe_b64encode(hashlib.sha256(b"").digest()).rstrip(b"=")
        assert_eq!(
            urlsafe_b64(&Sha256::digest(b"")),
            "47DEQpj8HBSa-_TImW-5JCeuQeRkm5NMpJWZG3hSuFU"
        );
        assert_eq!(urlsafe_b64(b"\xff\xfe"), "__4");
    }

    #[test]
    fn csv_quotes() {
        assert_eq!(
            csv_fields("\"a,b.py\",sha256=x,3"),
            Ok(vec![
                "a,b.py".to_string(),
                "sha256=x".to_string(),
                "3".to_string()
            ])
        );
        assert!(csv_fields("\"open,x,1").is_err());
    }
}
