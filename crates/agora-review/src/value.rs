//! One dynamic value type for every configuration file.
//!
//! TOML and YAML documents are converted into [`serde_json::Value`] once, when the
//! [`Repo`](crate::Repo) is loaded, so that checks are written against a single tree type
//! whatever file the data came from. TOML datetimes become strings; YAML mapping keys that are
//! not strings (`true:`, `1:`) are turned into their textual form, and YAML tags are dropped.
//!
//! The helpers here mirror the small part of Python's semantics that sp-repo-review's checks
//! rely on: nested `dict.get`, truthiness and the `in` operator on strings, lists and dicts.

pub use serde_json::Value;
use serde_json::{Map, Number};

/// Follows `path` through nested mappings; `None` as soon as a key is missing or a value on the
/// way is not a mapping.
pub fn get<'a>(value: &'a Value, path: &[&str]) -> Option<&'a Value> {
    let mut current = value;
    for key in path {
        current = current.as_object()?.get(*key)?;
    }
    Some(current)
}

/// The table at `path`, if there is one and it is a mapping.
pub fn table<'a>(value: &'a Value, path: &[&str]) -> Option<&'a Map<String, Value>> {
    get(value, path)?.as_object()
}

/// The string at `path`, if there is one and it is a string.
pub fn string<'a>(value: &'a Value, path: &[&str]) -> Option<&'a str> {
    get(value, path)?.as_str()
}

/// The items of the list at `path`; an empty slice when it is missing or not a list.
pub fn list<'a>(value: &'a Value, path: &[&str]) -> &'a [Value] {
    get(value, path)
        .and_then(Value::as_array)
        .map_or(&[], Vec::as_slice)
}

/// Whether `path` leads to a value (of any type).
pub fn has(value: &Value, path: &[&str]) -> bool {
    get(value, path).is_some()
}

/// Python's `item in container` for a string item: substring of a string, element of a list,
/// key of a mapping; false for anything else.
pub fn contains(container: &Value, item: &str) -> bool {
    match container {
        Value::String(s) => s.contains(item),
        Value::Array(items) => items.iter().any(|v| v.as_str() == Some(item)),
        Value::Object(map) => map.contains_key(item),
        _ => false,
    }
}

/// Python truthiness: `None`, `False`, zero, and empty strings, lists and mappings are false.
pub fn truthy(value: &Value) -> bool {
    match value {
        Value::Null => false,
        Value::Bool(b) => *b,
        Value::Number(n) => n.as_f64().is_some_and(|f| f != 0.0),
        Value::String(s) => !s.is_empty(),
        Value::Array(a) => !a.is_empty(),
        Value::Object(o) => !o.is_empty(),
    }
}

/// Converts a parsed TOML document into a [`Value`].
pub fn from_toml(value: toml::Value) -> Value {
    match value {
        toml::Value::String(s) => Value::String(s),
        toml::Value::Integer(i) => Value::Number(Number::from(i)),
        toml::Value::Float(f) => Number::from_f64(f).map_or(Value::Null, Value::Number),
        toml::Value::Boolean(b) => Value::Bool(b),
        toml::Value::Datetime(d) => Value::String(d.to_string()),
        toml::Value::Array(items) => Value::Array(items.into_iter().map(from_toml).collect()),
        toml::Value::Table(table) => {
            Value::Object(table.into_iter().map(|(k, v)| (k, from_toml(v))).collect())
        }
    }
}

/// Converts a parsed YAML document into a [`Value`].
pub fn from_yaml(value: serde_yaml_ng::Value) -> Value {
    use serde_yaml_ng::Value as Y;
    match value {
        Y::Null => Value::Null,
        Y::Bool(b) => Value::Bool(b),
        Y::Number(n) => {
            if let Some(i) = n.as_i64() {
                Value::Number(Number::from(i))
            } else if let Some(u) = n.as_u64() {
                Value::Number(Number::from(u))
            } else {
                n.as_f64()
                    .and_then(Number::from_f64)
                    .map_or(Value::Null, Value::Number)
            }
        }
        Y::String(s) => Value::String(s),
        Y::Sequence(items) => Value::Array(items.into_iter().map(from_yaml).collect()),
        Y::Mapping(map) => Value::Object(
            map.into_iter()
                .map(|(k, v)| (yaml_key(k), from_yaml(v)))
                .collect(),
        ),
        Y::Tagged(tagged) => from_yaml(tagged.value),
    }
}

/// The textual form of a YAML mapping key.
fn yaml_key(key: serde_yaml_ng::Value) -> String {
    use serde_yaml_ng::Value as Y;
    match key {
        Y::String(s) => s,
        Y::Bool(b) => b.to_string(),
        Y::Number(n) => n.to_string(),
        Y::Null => "null".to_string(),
        Y::Tagged(tagged) => yaml_key(tagged.value),
        other => serde_yaml_ng::to_string(&other)
            .map(|s| s.trim().to_string())
            .unwrap_or_default(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn python_in_semantics() {
        assert!(contains(&json!("-ra --strict-config"), "--strict-config"));
        assert!(contains(
            &json!(["-ra", "--strict-config"]),
            "--strict-config"
        ));
        assert!(!contains(
            &json!(["-ra --strict-config"]),
            "--strict-config"
        ));
        assert!(contains(&json!({"a": 1}), "a"));
        assert!(!contains(&json!(3), "a"));
    }

    #[test]
    fn nested_access() {
        let v = json!({"tool": {"ruff": {"src": ["src"]}}});
        assert_eq!(list(&v, &["tool", "ruff", "src"]).len(), 1);
        assert!(get(&v, &["tool", "mypy"]).is_none());
        assert!(get(&v, &["tool", "ruff", "src", "x"]).is_none());
        assert!(!truthy(&json!({})));
        assert!(truthy(&json!({"a": null})));
    }

    #[test]
    fn yaml_keys_become_strings() {
        let y: serde_yaml_ng::Value =
            serde_yaml_ng::from_str("on:\n  push:\ntrue: 1\n3: x\n").expect("valid yaml");
        let v = from_yaml(y);
        assert!(has(&v, &["on"]));
        assert!(has(&v, &["true"]));
        assert!(has(&v, &["3"]));
    }
}
