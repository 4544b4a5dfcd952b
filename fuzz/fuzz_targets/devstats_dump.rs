//! devstats dumps (agora-github): `*_issues.json` when the first byte is even, `*_PRs.json`
//! otherwise, as `agora github import` reads them.
#![no_main]

use std::path::Path;

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some((&which, bytes)) = data.split_first() else {
        return;
    };
    let path = if which % 2 == 0 {
        Path::new("scipy_issues.json")
    } else {
        Path::new("scipy_PRs.json")
    };
    let _ = agora_github::devstats::parse_dump(path, bytes);
});
