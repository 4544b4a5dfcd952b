//! How deeply a YAML text nests its flow collections (`[…]`, `{…}`), found before the YAML
//! parser sees it.
//!
//! libyaml (under `serde_yaml_ng`) checks every open flow collection for a stale simple key
//! on every token, so its time grows with the square of the nesting: 100,000 `[` took 44 s
//! of `agora review`. `serde_yaml_ng` refuses anything nested deeper than 128 anyway, after
//! that work; [`first_line_beyond`] finds a text going past [`MAX_FLOW_DEPTH`] in one pass.
//!
//! The scan follows YAML's rules closely enough to count real brackets only: comments
//! (`#` after a blank), quoted scalars that start where a node starts (`'…''…'`,
//! `"…\"…"`), the content of block scalars (`|`, `>`, lines indented past their parent),
//! and, outside flow collections, brackets inside plain scalars (`if: ${{ x }}`) are not
//! brackets. Where it is unsure (a quote opened outside a flow collection that does not
//! close on its line) it keeps counting, so a mistake can only count too many.

/// The deepest flow nesting accepted: far past the 128 levels `serde_yaml_ng` loads, and
/// cheap for libyaml (a few milliseconds).
pub const MAX_FLOW_DEPTH: usize = 1_000;

/// Where a scan stands between lines.
#[derive(Default)]
struct Scan {
    /// Open flow collections.
    depth: usize,
    /// Inside a quoted scalar that continues on the next line (flow context only).
    quote: Option<u8>,
    /// Inside a block scalar whose parent sits at this column: lines indented further (and
    /// blank lines) are its content.
    block_scalar: Option<usize>,
}

fn indentation(line: &str) -> usize {
    line.len() - line.trim_start_matches(' ').len()
}

/// The column of the node a block-scalar indicator at `at` belongs to: past leading
/// `- ` entries, the key the line starts, or the last `-` when the scalar follows it.
fn block_scalar_parent(line: &[u8], at: usize) -> usize {
    let mut position = indentation_bytes(line);
    let mut last_dash = None;
    while line.get(position) == Some(&b'-') && line.get(position + 1).is_none_or(|b| *b == b' ') {
        last_dash = Some(position);
        position += 1;
        while line.get(position) == Some(&b' ') {
            position += 1;
        }
    }
    match last_dash {
        Some(dash) if position >= at => dash,
        _ => position,
    }
}

fn indentation_bytes(line: &[u8]) -> usize {
    line.iter().take_while(|b| **b == b' ').count()
}

/// Skips a quoted scalar from `at` (just past its opening quote); the index past its
/// closing quote, or `None` if it does not close on this line.
fn skip_quoted(line: &[u8], mut at: usize, quote: u8) -> Option<usize> {
    while let Some(&byte) = line.get(at) {
        if quote == b'"' && byte == b'\\' {
            at += 2;
            continue;
        }
        if byte == quote {
            if quote == b'\'' && line.get(at + 1) == Some(&b'\'') {
                at += 2;
                continue;
            }
            return Some(at + 1);
        }
        at += 1;
    }
    None
}

impl Scan {
    /// Scans one line; `true` when it takes the nesting past `limit`.
    fn line(&mut self, text: &str, limit: usize) -> bool {
        if let Some(parent) = self.block_scalar {
            if text.trim().is_empty() || indentation(text) > parent {
                return false;
            }
            self.block_scalar = None;
        }
        let line = text.as_bytes();
        let mut at = 0;
        if let Some(quote) = self.quote {
            match skip_quoted(line, 0, quote) {
                Some(end) => {
                    self.quote = None;
                    at = end;
                }
                None => return false,
            }
        }
        let mut node_start = at == 0;
        while let Some(&byte) = line.get(at) {
            let next = line.get(at + 1).copied();
            let blank_next = next.is_none_or(|b| b == b' ' || b == b'\t');
            match byte {
                b' ' | b'\t' => {}
                b'#' if at == 0 || matches!(line.get(at - 1), Some(b' ' | b'\t')) => break,
                b'"' | b'\'' if node_start => match skip_quoted(line, at + 1, byte) {
                    Some(end) => {
                        at = end;
                        node_start = false;
                        continue;
                    }
                    // A flow scalar may go on over lines; outside a flow collection, keep
                    // counting what follows rather than risk skipping structure.
                    None if self.depth > 0 => {
                        self.quote = Some(byte);
                        return false;
                    }
                    None => node_start = false,
                },
                b'[' | b'{' if node_start || self.depth > 0 => {
                    self.depth += 1;
                    if self.depth > limit {
                        return true;
                    }
                    node_start = true;
                }
                b']' | b'}' if self.depth > 0 => {
                    self.depth -= 1;
                    node_start = false;
                }
                b',' if self.depth > 0 => node_start = true,
                // `key: value`, and in a flow collection `"key":value` (JSON's way).
                b':' if blank_next
                    || (self.depth > 0
                        && at > 0
                        && matches!(line.get(at - 1), Some(b'"' | b'\''))) =>
                {
                    node_start = true;
                }
                b'-' | b'?' if node_start && blank_next => {}
                b'&' | b'!' if node_start => {
                    // An anchor or a tag: the node itself comes after it.
                    while line.get(at).is_some_and(|b| *b != b' ') {
                        at += 1;
                    }
                    continue;
                }
                b'|' | b'>' if node_start && self.depth == 0 => {
                    self.block_scalar = Some(block_scalar_parent(line, at));
                    return false;
                }
                _ => node_start = false,
            }
            at += 1;
        }
        false
    }
}

/// The 1-based line where `text`'s flow collections first nest deeper than
/// [`MAX_FLOW_DEPTH`], if they do.
pub fn first_line_beyond(text: &str) -> Option<usize> {
    let mut scan = Scan::default();
    text.lines()
        .position(|line| scan.line(line, MAX_FLOW_DEPTH))
        .map(|index| index + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn deep_flow_collections_are_found_on_their_line() {
        let deep = format!("a: 1\nb: {}\n", "[".repeat(100_000));
        assert_eq!(first_line_beyond(&deep), Some(2));
        let mapping = format!("x:\n  - {}1\n", "{a: ".repeat(MAX_FLOW_DEPTH + 1));
        assert_eq!(first_line_beyond(&mapping), Some(2));
        let split = format!("x: {}\n", "[\n".repeat(MAX_FLOW_DEPTH + 1));
        assert_eq!(first_line_beyond(&split), Some(MAX_FLOW_DEPTH + 1));
    }

    #[test]
    fn brackets_that_are_not_flow_collections_do_not_count() {
        let many = MAX_FLOW_DEPTH + 1;
        let texts = [
            // In a plain scalar outside flow collections.
            format!("run: echo {}\n", "[".repeat(many)),
            // In comments, quoted scalars and block scalars.
            format!("a: 1 # {}\n", "[".repeat(many)),
            format!("a: '{}'\nb: \"{}\"\n", "[".repeat(many), "{".repeat(many)),
            format!("a: [\"{}\", '{}''']\n", "[".repeat(many), "[".repeat(many)),
            format!("a: |\n  {}\n\n  x\nb: 1\n", "[".repeat(many)),
            format!("- key: >-\n    {}\n- 2\n", "{".repeat(many)),
            // A deep but closed nesting, line after line.
            format!("a: {}{}\n", "[".repeat(900), "]".repeat(900)).repeat(3),
        ];
        for text in texts {
            assert_eq!(first_line_beyond(&text), None, "{}", &text[..40]);
        }
    }

    #[test]
    fn quotes_inside_plain_scalars_do_not_hide_brackets() {
        let text = format!("a: [it's, {}\n", "[".repeat(MAX_FLOW_DEPTH));
        assert_eq!(first_line_beyond(&text), Some(1));
        let text = format!("a: it's\nb: {}\n", "[".repeat(MAX_FLOW_DEPTH + 1));
        assert_eq!(first_line_beyond(&text), Some(2));
    }
}
