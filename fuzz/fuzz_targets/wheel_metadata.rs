//! A wheel's text members (agora-wheel-check): METADATA, WHEEL and RECORD, checked as if they
//! came from `demo-1.0-py3-none-any.whl`.
#![no_main]

use agora_wheel_check::{filename, metadata, record};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let mut findings = Vec::new();
    let name = filename::parse("demo-1.0-py3-none-any.whl", &mut findings);
    if let Ok(text) = std::str::from_utf8(data) {
        let _ = metadata::parse_headers(text);
    }
    metadata::check_metadata(
        "demo-1.0.dist-info/METADATA",
        Some(data),
        name.as_ref(),
        &mut findings,
    );
    let _ = metadata::check_wheel_file(
        "demo-1.0.dist-info/WHEEL",
        Some(data),
        name.as_ref(),
        &mut findings,
    );
    let _ = record::parse("demo-1.0.dist-info/RECORD", data, &mut findings);
});
