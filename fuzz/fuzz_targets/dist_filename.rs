//! Distribution file names from index pages and the command line: agora-pypi's parser (with
//! and without the project name) and agora-wheel-check's wheel-name parser.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let (project, filename) = text.split_once('\n').unwrap_or(("", text));
    let _ = agora_pypi::filename::parse_filename(filename, None);
    let _ = agora_pypi::filename::parse_filename(filename, Some(project));
    let mut findings = Vec::new();
    if let Some(name) = agora_wheel_check::filename::parse(filename, &mut findings) {
        let _ = name.tags();
        let _ = name.is_pure();
    }
    let _ = agora_wheel_check::filename::linux_tag(filename);
    let _ = agora_wheel_check::filename::macos_tag(filename);
});
