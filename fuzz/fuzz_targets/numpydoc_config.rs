//! numpydoc settings (agora-numpydoc): `[tool.numpydoc_validation]` in `pyproject.toml`, or
//! `setup.cfg` when the first byte is odd. `Config::load` reads a project directory, so each
//! input is written to a scratch directory first.
#![no_main]

use std::path::PathBuf;
use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;

/// One scratch directory per fuzzing process.
fn scratch() -> &'static PathBuf {
    static DIR: OnceLock<PathBuf> = OnceLock::new();
    DIR.get_or_init(|| {
        let dir = std::env::temp_dir().join(format!("agora-fuzz-numpydoc-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("scratch directory");
        dir
    })
}

fuzz_target!(|data: &[u8]| {
    let Some((&which, text)) = data.split_first() else {
        return;
    };
    let dir = scratch();
    let (name, other) = if which % 2 == 0 {
        ("pyproject.toml", "setup.cfg")
    } else {
        ("setup.cfg", "pyproject.toml")
    };
    let _ = std::fs::remove_file(dir.join(other));
    std::fs::write(dir.join(name), text).expect("write the settings");
    if let Ok(mut config) = agora_numpydoc::Config::load(dir) {
        let _ = config.excludes_file("pkg/module.py");
        let _ = config.ignore(&["GL08".to_string(), "SA01".to_string()]);
    }
});
