//! PEP 691 JSON project pages (agora-pypi), as `agora pypi sync` reads them.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = agora_pypi::simple::parse_project_page(data, "https://pypi.org/simple/demo/");
});
