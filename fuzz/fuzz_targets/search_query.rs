//! Search queries in GitHub's syntax (agora-search), and the caret line of a refused one.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(input) = std::str::from_utf8(data) else {
        return;
    };
    match agora_search::Query::parse(input) {
        Ok(query) => {
            let _ = query.has_positive_text();
        }
        Err(error) => {
            let _ = error.column();
            let _ = error.pointer();
            let _ = error.to_string();
        }
    }
});
