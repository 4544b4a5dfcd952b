//! The API model of a fixture module that holds every construct the model records: classes
//! with bases and keywords, methods with every kind of parameter, decorators (property and its
//! setter, staticmethod, classmethod, overload), async and nested functions, returns and yields,
//! `__all__`, docstrings with their lines, and a definition inside an `if`.

use std::path::Path;

#[test]
fn every_construct() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/api.py");
    let source = std::fs::read_to_string(path).unwrap_or_default();
    let module = agora_python::parse_module("api", &source).unwrap_or_else(|e| panic!("{e}"));
    let shape = &module.definitions[0];
    assert_eq!(shape.children.len(), 6);
    assert!(shape.children[1].has_decorator("property"));
    assert!(shape.children[2].has_decorator("setter"));
    assert!(!module.definitions.last().is_some_and(|d| d.direct_child));
    insta::assert_json_snapshot!("api", module);
}

#[test]
fn syntax_errors_name_their_line() {
    let error = agora_python::parse_module("bad", "def f(:\n    pass\n").err();
    assert_eq!(error.as_ref().map(|e| e.line), Some(1), "{error:?}");
    let error = agora_python::parse_module("bad", "x = (\n1,\n").err();
    assert!(error.is_some());
}
