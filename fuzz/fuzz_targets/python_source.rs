//! Python source → API model (agora-python), then numpydoc's lint over that model
//! (agora-numpydoc): what `agora docs lint` does to every `.py` file it is given.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(source) = std::str::from_utf8(data) else {
        return;
    };
    if let Ok(module) = agora_python::parse_module("fuzzed", source) {
        let config = agora_numpydoc::Config::default();
        let _ = agora_numpydoc::lint_module("fuzzed.py", &module, &config);
    }
});
