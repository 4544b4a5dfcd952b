//! changelist's configuration: the `[tool.changelist]` table of a `pyproject.toml` (or of a
//! file given with `--config`), with changelist 0.5's documented defaults for every key it
//! leaves out (a key that is given replaces the default whole: lists and tables are not merged).
//!
//! The three templates are Python format strings; `{repo_name}` and `{version}` are the only
//! fields, `{{` and `}}` are literal braces, and any other field is an error (changelist would
//! stop with a `KeyError`). The regexes are Python `re` patterns; [`python_regex`] compiles
//! them with Rust's `regex` after escaping braces that are not a counted repetition (Python
//! reads a lone `{` literally), with a size limit, so a hostile pattern costs bounded time and
//! memory (the engine has no backtracking).

use regex::{Regex, RegexBuilder};
use serde::Serialize;

/// Why a configuration cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    /// The file is not TOML.
    #[error("{origin}: not TOML: {message}")]
    Toml {
        /// Where the text came from.
        origin: String,
        /// What the parser said.
        message: String,
    },
    /// A key has the wrong type.
    #[error("{origin}: [tool.changelist] {key}: expected {expected}")]
    Type {
        /// Where the text came from.
        origin: String,
        /// The key.
        key: String,
        /// What was expected.
        expected: &'static str,
    },
    /// A regex does not compile.
    #[error("{origin}: [tool.changelist] {key}: {message}")]
    Regex {
        /// Where the text came from.
        origin: String,
        /// The key.
        key: String,
        /// What the regex engine said.
        message: String,
    },
    /// A template names a field other than `repo_name` and `version`.
    #[error("{template:?}: unknown field {{{field}}} (only {{repo_name}} and {{version}} exist)")]
    Template {
        /// The template.
        template: String,
        /// The field.
        field: String,
    },
}

/// changelist's configuration.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Config {
    /// The notes' title.
    pub title_template: String,
    /// The text after the title.
    pub intro_template: String,
    /// The text at the end.
    pub outro_template: String,
    /// Logins left out of the contributor lists.
    pub ignored_user_logins: Vec<String>,
    /// Finds release-note blocks in a PR's description (group `summary`).
    pub pr_summary_regex: String,
    /// Finds a label block in a release note (group `label`).
    pub pr_summary_label_regex: String,
    /// Label regex → section title, in order.
    pub label_section_map: Vec<(String, String)>,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            title_template: "{repo_name} {version}".into(),
            // TOML drops the newline right after a multi-line string's opening quotes, so
            // changelist's defaults start with their text.
            intro_template: "We're happy to announce the release of {repo_name} {version}!\n"
                .into(),
            outro_template: "_These lists are automatically generated, and may not be complete or may contain\nduplicates._\n".into(),
            ignored_user_logins: vec!["web-flow".into()],
            pr_summary_regex: r"^```release-note\s*(?P<summary>[\s\S]*?\w[\s\S]*?)\s*^```".into(),
            pr_summary_label_regex: r#"{[^}]*?label=[\"](?P<label>[^\"]+)[^}]*?}"#.into(),
            label_section_map: [
                (".*Highlight.*", "Highlights"),
                (".*New feature.*", "New Features"),
                (".*API.*", "API Changes"),
                (".*Enhancement.*", "Enhancements"),
                (".*Performance.*", "Performance"),
                (".*Bug fix.*", "Bug Fixes"),
                (".*Documentation.*", "Documentation"),
                (".*Infrastructure.*", "Infrastructure"),
                (".*Maintenance.*", "Maintenance"),
            ]
            .into_iter()
            .map(|(a, b)| (a.to_string(), b.to_string()))
            .collect(),
        }
    }
}

fn string(origin: &str, key: &str, item: &toml_edit::Item) -> Result<String, ConfigError> {
    item.as_str()
        .map(str::to_string)
        .ok_or_else(|| ConfigError::Type {
            origin: origin.into(),
            key: key.into(),
            expected: "a string",
        })
}

impl Config {
    /// The configuration in the `[tool.changelist]` table of the TOML `text` (defaults for
    /// what it leaves out; all defaults when there is no such table). `origin` names the text
    /// in errors.
    pub fn from_toml(text: &str, origin: &str) -> Result<Config, ConfigError> {
        let doc: toml_edit::DocumentMut =
            text.parse()
                .map_err(|e: toml_edit::TomlError| ConfigError::Toml {
                    origin: origin.into(),
                    message: e.to_string().trim().to_string(),
                })?;
        let mut config = Config::default();
        let Some(table) = doc
            .get("tool")
            .and_then(|t| t.get("changelist"))
            .and_then(|t| t.as_table_like())
        else {
            return Ok(config);
        };
        for (key, item) in table.iter() {
            match key {
                "title_template" => config.title_template = string(origin, key, item)?,
                "intro_template" => config.intro_template = string(origin, key, item)?,
                "outro_template" => config.outro_template = string(origin, key, item)?,
                "pr_summary_regex" => config.pr_summary_regex = string(origin, key, item)?,
                "pr_summary_label_regex" => {
                    config.pr_summary_label_regex = string(origin, key, item)?;
                }
                "ignored_user_logins" => {
                    let list = item.as_array().ok_or_else(|| ConfigError::Type {
                        origin: origin.into(),
                        key: key.into(),
                        expected: "a list of strings",
                    })?;
                    config.ignored_user_logins = list
                        .iter()
                        .map(|v| {
                            v.as_str()
                                .map(str::to_string)
                                .ok_or_else(|| ConfigError::Type {
                                    origin: origin.into(),
                                    key: key.into(),
                                    expected: "a list of strings",
                                })
                        })
                        .collect::<Result<_, _>>()?;
                }
                "label_section_map" => {
                    let map = item.as_table_like().ok_or_else(|| ConfigError::Type {
                        origin: origin.into(),
                        key: key.into(),
                        expected: "a table of regex = section title",
                    })?;
                    config.label_section_map = map
                        .iter()
                        .map(|(k, v)| {
                            Ok((k.to_string(), string(origin, &format!("{key}.{k}"), v)?))
                        })
                        .collect::<Result<_, ConfigError>>()?;
                }
                _ => {}
            }
        }
        config.check(origin)?;
        Ok(config)
    }

    /// Checks that the regexes compile and the templates name known fields.
    pub fn check(&self, origin: &str) -> Result<(), ConfigError> {
        let regex = |key: &str, pattern: &str| {
            python_regex(pattern, false).map_err(|message| ConfigError::Regex {
                origin: origin.into(),
                key: key.into(),
                message,
            })
        };
        regex("pr_summary_regex", &self.pr_summary_regex)?;
        regex("pr_summary_label_regex", &self.pr_summary_label_regex)?;
        for (pattern, _) in &self.label_section_map {
            regex(&format!("label_section_map.{pattern:?}"), pattern)?;
        }
        for template in [
            &self.title_template,
            &self.intro_template,
            &self.outro_template,
        ] {
            format_template(template, "", "")?;
        }
        Ok(())
    }
}

/// Fills a Python format string's `{repo_name}` and `{version}`.
pub fn format_template(
    template: &str,
    repo_name: &str,
    version: &str,
) -> Result<String, ConfigError> {
    let mut out = String::with_capacity(template.len() + 32);
    let mut chars = template.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '{' if chars.peek() == Some(&'{') => {
                chars.next();
                out.push('{');
            }
            '}' if chars.peek() == Some(&'}') => {
                chars.next();
                out.push('}');
            }
            '{' => {
                let mut field = String::new();
                let mut closed = false;
                for f in chars.by_ref() {
                    if f == '}' {
                        closed = true;
                        break;
                    }
                    field.push(f);
                }
                match (closed, field.as_str()) {
                    (true, "repo_name") => out.push_str(repo_name),
                    (true, "version") => out.push_str(version),
                    _ => {
                        return Err(ConfigError::Template {
                            template: template.into(),
                            field,
                        });
                    }
                }
            }
            '}' => {
                return Err(ConfigError::Template {
                    template: template.into(),
                    field: "}".into(),
                });
            }
            c => out.push(c),
        }
    }
    Ok(out)
}

/// The largest compiled regex allowed (bytes).
const REGEX_SIZE_LIMIT: usize = 1 << 20;

/// Whether `pattern[i..]` starts a counted repetition `{n}`, `{n,}`, `{,m}` or `{n,m}`.
fn counted_repetition(pattern: &[char], i: usize) -> bool {
    let Some(close) = pattern[i..].iter().position(|c| *c == '}') else {
        return false;
    };
    let inner: String = pattern[i + 1..i + close].iter().collect();
    let (a, b) = inner.split_once(',').unwrap_or((&inner, ""));
    let digits = |s: &str| s.chars().all(|c| c.is_ascii_digit());
    !inner.is_empty() && digits(a) && digits(b) && !(a.is_empty() && b.is_empty())
}

/// Compiles a Python `re` pattern (Python reads a `{` that starts no counted repetition as a
/// literal brace; Rust's `regex` does not, so such braces are escaped first).
pub fn python_regex(pattern: &str, case_insensitive: bool) -> Result<Regex, String> {
    let chars: Vec<char> = pattern.chars().collect();
    let mut out = String::with_capacity(pattern.len() + 8);
    let mut i = 0;
    let mut in_class = false;
    let mut literal_brace_open = false;
    while i < chars.len() {
        let c = chars[i];
        match c {
            '\\' => {
                out.push(c);
                if let Some(next) = chars.get(i + 1) {
                    match next {
                        'Z' => out.push('z'),
                        _ => out.push(*next),
                    }
                }
                i += 2;
                continue;
            }
            '[' if !in_class => in_class = true,
            ']' if in_class => in_class = false,
            '{' if !in_class && !counted_repetition(&chars, i) => {
                out.push_str("\\{");
                literal_brace_open = true;
                i += 1;
                continue;
            }
            '}' if !in_class && literal_brace_open => {
                out.push_str("\\}");
                literal_brace_open = false;
                i += 1;
                continue;
            }
            _ => {}
        }
        out.push(c);
        i += 1;
    }
    RegexBuilder::new(&out)
        .case_insensitive(case_insensitive)
        .size_limit(REGEX_SIZE_LIMIT)
        .dfa_size_limit(REGEX_SIZE_LIMIT)
        .build()
        .map_err(|e| e.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_compile_and_a_table_overrides_keys_in_order() {
        Config::default()
            .check("defaults")
            .expect("defaults are valid");
        let text = r#"
[tool.changelist]
title_template = "{{literal}} {repo_name} v{version}"
ignored_user_logins = ["bot[bot]"]
[tool.changelist.label_section_map]
"zeta" = "Z"
"alpha" = "A"
"#;
        let config = Config::from_toml(text, "pyproject.toml").expect("valid");
        assert_eq!(config.ignored_user_logins, vec!["bot[bot]"]);
        assert_eq!(config.label_section_map[0].1, "Z");
        assert_eq!(
            format_template(&config.title_template, "nx", "3.5").expect("fills"),
            "{literal} nx v3.5"
        );
        assert_eq!(config.intro_template, Config::default().intro_template);
    }

    #[test]
    fn bad_configuration_is_named() {
        let err =
            Config::from_toml("[tool.changelist]\ntitle_template = 3", "p.toml").expect_err("type");
        assert!(err.to_string().contains("title_template"), "{err}");
        let err = Config::from_toml("[tool.changelist]\npr_summary_regex = \"(\"", "p.toml")
            .expect_err("regex");
        assert!(err.to_string().contains("pr_summary_regex"), "{err}");
        assert!(format_template("{user}", "a", "b").is_err());
        assert!(Config::from_toml("not toml [", "p.toml").is_err());
    }

    #[test]
    fn python_braces_are_literal_unless_counted() {
        let label = python_regex(&Config::default().pr_summary_label_regex, false).expect("ok");
        let found = label
            .captures(r#"Text {label="API, Highlight"}"#)
            .expect("matches");
        assert_eq!(&found["label"], "API, Highlight");
        assert!(python_regex("a{2}", false).expect("ok").is_match("aa"));
        assert!(python_regex("a{2,}b", false).expect("ok").is_match("aab"));
        assert!(python_regex("x{", false).expect("ok").is_match("x{"));
    }
}
