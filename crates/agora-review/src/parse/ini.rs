//! A small reader for `setup.cfg`, following Python's `configparser` defaults.
//!
//! Sections start with `[name]`; options are `key = value` or `key: value` (split at the first
//! delimiter), keys are lower-cased, indented lines continue the previous value, and lines
//! starting with `#` or `;` are comments. As with `configparser(strict=True)`, a duplicate
//! section or option, or an option before any section header, is an error. The `[DEFAULT]`
//! section's options are visible in every section.

use crate::error::InputError;

/// A parsed INI file: sections in file order, each with its options in file order.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Ini {
    /// The `[DEFAULT]` section's options.
    pub defaults: Vec<(String, String)>,
    /// The other sections, with their own options.
    pub sections: Vec<(String, Vec<(String, String)>)>,
}

impl Ini {
    /// Parses `text`; `file` names the file in error messages.
    pub fn parse(text: &str, file: &str) -> Result<Self, InputError> {
        let mut ini = Ini::default();
        // Index into `sections`, or `None` for DEFAULT; outer `None` before any header.
        let mut current: Option<Option<usize>> = None;
        let mut last_key: Option<String> = None;
        for (index, raw) in text.lines().enumerate() {
            let lineno = index + 1;
            let trimmed = raw.trim();
            if trimmed.is_empty() {
                continue;
            }
            if trimmed.starts_with('#') || trimmed.starts_with(';') {
                continue;
            }
            let indented = raw.starts_with([' ', '\t']);
            if indented && let (Some(section), Some(key)) = (current, last_key.as_ref()) {
                let options = ini.options_mut(section);
                if let Some((_, value)) = options.iter_mut().rev().find(|(k, _)| k == key) {
                    if !value.is_empty() {
                        value.push('\n');
                    }
                    value.push_str(trimmed);
                }
                continue;
            }
            if let Some(rest) = trimmed.strip_prefix('[') {
                let Some(name) = rest.strip_suffix(']') else {
                    return Err(InputError::new(
                        file,
                        Some(lineno),
                        format!("invalid section header `{trimmed}`"),
                    ));
                };
                if name == "DEFAULT" {
                    current = Some(None);
                } else if ini.sections.iter().any(|(n, _)| n == name) {
                    return Err(InputError::new(
                        file,
                        Some(lineno),
                        format!("section `{name}` already exists"),
                    ));
                } else {
                    ini.sections.push((name.to_string(), Vec::new()));
                    current = Some(Some(ini.sections.len() - 1));
                }
                last_key = None;
                continue;
            }
            let Some(section) = current else {
                return Err(InputError::new(
                    file,
                    Some(lineno),
                    "option before any section header; expected `[section]`",
                ));
            };
            let split = trimmed.find(['=', ':']);
            let (key, value) = match split {
                Some(at) => (trimmed[..at].trim(), trimmed[at + 1..].trim()),
                None => (trimmed, ""),
            };
            let key = key.to_lowercase();
            let options = ini.options_mut(section);
            if options.iter().any(|(k, _)| *k == key) {
                return Err(InputError::new(
                    file,
                    Some(lineno),
                    format!("option `{key}` already exists in this section"),
                ));
            }
            options.push((key.clone(), value.to_string()));
            last_key = Some(key);
        }
        Ok(ini)
    }

    fn options_mut(&mut self, section: Option<usize>) -> &mut Vec<(String, String)> {
        match section.and_then(|i| self.sections.get_mut(i)) {
            Some((_, options)) => options,
            None => &mut self.defaults,
        }
    }

    /// Whether the (non-DEFAULT) section exists.
    pub fn has_section(&self, name: &str) -> bool {
        self.sections.iter().any(|(n, _)| n == name)
    }

    /// The section's option keys, its own first, then the defaults it does not override.
    pub fn keys(&self, section: &str) -> Vec<&str> {
        let own: Vec<&str> = self
            .sections
            .iter()
            .find(|(n, _)| n == section)
            .map(|(_, options)| options.iter().map(|(k, _)| k.as_str()).collect())
            .unwrap_or_default();
        let mut keys = own.clone();
        for (k, _) in &self.defaults {
            if !own.contains(&k.as_str()) {
                keys.push(k);
            }
        }
        keys
    }

    /// The value of `key` in `section` (or in DEFAULT), if the section exists.
    pub fn get(&self, section: &str, key: &str) -> Option<&str> {
        let (_, options) = self.sections.iter().find(|(n, _)| n == section)?;
        options
            .iter()
            .chain(self.defaults.iter())
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_sections_options_and_continuations() {
        let text = "[metadata]\nName = x\nlong-description: y\n  more\n\n# c\n[options]\ninstall_requires =\n    a\n    b\n";
        let ini = Ini::parse(text, "setup.cfg").expect("valid");
        assert_eq!(ini.keys("metadata"), vec!["name", "long-description"]);
        assert_eq!(ini.get("metadata", "long-description"), Some("y\nmore"));
        assert_eq!(ini.get("options", "install_requires"), Some("a\nb"));
        assert!(ini.has_section("options"));
        assert!(!ini.has_section("DEFAULT"));
    }

    #[test]
    fn errors_name_the_line() {
        let err = Ini::parse("a = 1\n", "setup.cfg").expect_err("no header");
        assert_eq!(err.line, Some(1));
        let err = Ini::parse("[a]\nx=1\nx=2\n", "setup.cfg").expect_err("duplicate");
        assert_eq!(err.line, Some(3));
    }
}
