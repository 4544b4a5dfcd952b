//! `agora.toml`, the ecosystem's settings (agora-config).
#![no_main]

use std::path::Path;

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Ok(ecosystem) = agora_config::Ecosystem::parse(text, Path::new("agora.toml")) {
        let _ = ecosystem.core_projects().count();
        let _ = ecosystem.project("numpy");
    }
});
