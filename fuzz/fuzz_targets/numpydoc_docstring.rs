//! numpydoc docstrings (agora-numpydoc): the parser into the typed model and the validator.
//!
//! The first byte picks the kind of object and its flags, the first line is the signature
//! (comma-separated parameter names), the rest is the raw docstring.
#![no_main]

use agora_numpydoc::Docstring;
use agora_numpydoc::validate::{Object, ObjectKind, parameter_mismatches, validate};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some((&flags, rest)) = data.split_first() else {
        return;
    };
    let Ok(text) = std::str::from_utf8(rest) else {
        return;
    };
    let (signature_line, docstring) = text.split_once('\n').unwrap_or(("", text));
    let signature: Vec<String> = signature_line
        .split(',')
        .filter(|name| !name.is_empty())
        .map(str::to_string)
        .collect();
    let kind = match flags % 3 {
        0 => ObjectKind::Module,
        1 => ObjectKind::Class,
        _ => ObjectKind::Function,
    };
    let _ = Docstring::parse(docstring);
    let _ = validate(&Object {
        kind,
        docstring: Some(docstring),
        signature: signature.clone(),
        returns_value: flags & 0x10 != 0,
        is_generator: flags & 0x20 != 0,
    });
    let _ = parameter_mismatches(docstring, &signature);
});
