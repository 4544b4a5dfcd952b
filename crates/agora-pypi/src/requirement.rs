//! What a PEP 508 requirement must not be before `pep508_rs` is asked to parse it.
//!
//! `pep508_rs` 0.9 parses markers recursively (5,000 nested parentheses overflow the stack,
//! and depth costs quadratic time well before that) and panics on a name or an extra that ends
//! in `-`, `.` or `_` (`scipy- >=1.10`, `numpy[asv_]`), and on some non-ASCII text (PEP 508 is
//! ASCII). [`screen`] finds these in one cheap pass, so every reader of outside requirements
//! (pyproject.toml dependencies, a wheel's `Requires-Dist`) refuses them with a message
//! instead of crashing.

/// The deepest a requirement may nest parentheses: real markers nest two or three deep.
pub const MAX_MARKER_NESTING: usize = 32;

/// Why a requirement string is refused before parsing.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RequirementHazard {
    /// Parentheses nested deeper than [`MAX_MARKER_NESTING`].
    #[error("nests parentheses {depth} deep (more than {MAX_MARKER_NESTING}); not parsed")]
    TooDeep {
        /// How deep the text nests.
        depth: usize,
    },
    /// The name ends in a separator, which PEP 508 does not allow.
    #[error("a package name must end with a letter or digit (at character {at})")]
    NameEndsInSeparator {
        /// The 1-based character of the trailing separator.
        at: usize,
    },
    /// A character outside ASCII: PEP 508's grammar is ASCII, and `pep508_rs` 0.9 panics
    /// slicing some of them in its error messages.
    #[error("a requirement must be ASCII text (character {at} is not)")]
    NotAscii {
        /// The 1-based character that is not ASCII.
        at: usize,
    },
    /// An extra starts or ends with a separator, which PEP 508 does not allow.
    #[error("an extra must start and end with a letter or digit (at character {at})")]
    ExtraEdgeIsSeparator {
        /// The 1-based character of the offending separator.
        at: usize,
    },
}

/// Checks `text` for what `pep508_rs` cannot take safely; `Ok` means it may be parsed.
pub fn screen(text: &str) -> Result<(), RequirementHazard> {
    if let Some(at) = text.chars().position(|c| !c.is_ascii()) {
        return Err(RequirementHazard::NotAscii { at: at + 1 });
    }
    let depth = nesting_depth(text);
    if depth > MAX_MARKER_NESTING {
        return Err(RequirementHazard::TooDeep { depth });
    }
    if let Some(at) = name_with_trailing_separator(text) {
        return Err(RequirementHazard::NameEndsInSeparator { at });
    }
    if let Some(at) = extra_with_separator_edge(text) {
        return Err(RequirementHazard::ExtraEdgeIsSeparator { at });
    }
    Ok(())
}

/// The 1-based character of a separator (`-`, `.`, `_`) at the start or end of one of the
/// requirement's extras (`name[a, b_]`), if there is one. The extras are read as `pep508_rs`
/// reads them: a run of letters, digits and separators, then `,` or anything else (where the
/// parser stops with an error of its own).
fn extra_with_separator_edge(text: &str) -> Option<usize> {
    let open = text.find('[')?;
    // Only the extras right after the name: `name [` or `name[`, before any `;` or `@`.
    if text[..open].contains([';', '@', '(', '<', '>', '=', '!', '~']) {
        return None;
    }
    let identifier = |c: char| c.is_ascii_alphanumeric() || matches!(c, '-' | '.' | '_');
    let mut at = open + 1;
    loop {
        let rest = &text[at..];
        at += rest.len() - rest.trim_start().len();
        let rest = &text[at..];
        let len = rest.find(|c: char| !identifier(c)).unwrap_or(rest.len());
        let extra = &rest[..len];
        if extra.starts_with(['-', '.', '_']) {
            return Some(text[..at].chars().count() + 1);
        }
        if extra.ends_with(['-', '.', '_']) {
            return Some(text[..at + len].chars().count());
        }
        at += len;
        let rest = &text[at..];
        at += rest.len() - rest.trim_start().len();
        if text[at..].starts_with(',') && len > 0 {
            at += 1;
        } else {
            return None;
        }
    }
}

/// How deep `text` nests parentheses (unbalanced ones count as they open).
pub fn nesting_depth(text: &str) -> usize {
    let mut depth = 0usize;
    let mut deepest = 0usize;
    for byte in text.bytes() {
        match byte {
            b'(' => {
                depth += 1;
                deepest = deepest.max(depth);
            }
            b')' => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    deepest
}

/// The 1-based character of a requirement's name that is a trailing `-`, `.` or `_` (PEP 508
/// names end with a letter or digit), if the name has one.
fn name_with_trailing_separator(text: &str) -> Option<usize> {
    let start = text.len() - text.trim_start().len();
    let rest = &text[start..];
    let name_len = rest
        .find(|c: char| !(c.is_ascii_alphanumeric() || matches!(c, '-' | '.' | '_')))
        .unwrap_or(rest.len());
    rest[..name_len]
        .ends_with(['-', '.', '_'])
        .then(|| text[..start + name_len].chars().count())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn deep_parentheses_are_refused_and_shallow_ones_pass() {
        let deep = format!(
            "x ; {}python_version > '3'{}",
            "(".repeat(5000),
            ")".repeat(5000)
        );
        assert_eq!(
            screen(&deep),
            Err(RequirementHazard::TooDeep { depth: 5000 })
        );
        assert_eq!(
            screen("x ; (python_version > '3' and (os_name == 'nt'))"),
            Ok(())
        );
    }

    #[test]
    fn names_ending_in_a_separator_are_refused() {
        assert_eq!(
            screen("  scipy- >=1.10"),
            Err(RequirementHazard::NameEndsInSeparator { at: 8 })
        );
        assert_eq!(screen("scipy-stubs>=1.10"), Ok(()));
        assert_eq!(screen(""), Ok(()));
    }

    /// Found by `wheel_metadata`: pep508_rs 0.9.2 panics ("end byte index 15 is not a char
    /// boundary") on non-ASCII text in some places.
    #[test]
    fn text_outside_ascii_is_refused() {
        assert_eq!(
            screen("nud[mo6.X\u{9e}honX s 2.4"),
            Err(RequirementHazard::NotAscii { at: 10 })
        );
        assert_eq!(screen("numpy>=2 ; python_version >= '3.11'"), Ok(()));
    }

    /// Found by the `pyproject_floors` fuzz target: pep508_rs 0.9.2 panics ("`ExtraName`
    /// validation should match PEP 508 parsing") on `numpy[asv_]`.
    #[test]
    fn extras_with_a_separator_at_an_edge_are_refused() {
        assert_eq!(
            screen("numpy[asv_]>=2"),
            Err(RequirementHazard::ExtraEdgeIsSeparator { at: 10 })
        );
        assert_eq!(
            screen("numpy [test, _x]"),
            Err(RequirementHazard::ExtraEdgeIsSeparator { at: 14 })
        );
        assert_eq!(screen("numpy[test,asv-bench]>=2"), Ok(()));
        // Found by `wheel_metadata`: the extra ends where the identifier does, not at `,`.
        assert_eq!(
            screen("nu[m329. ex"),
            Err(RequirementHazard::ExtraEdgeIsSeparator { at: 8 })
        );
        assert_eq!(
            screen("p[ytM__"),
            Err(RequirementHazard::ExtraEdgeIsSeparator { at: 7 })
        );
        assert_eq!(screen("numpy>=2 ; extra == 'asv_'"), Ok(()));
    }
}
