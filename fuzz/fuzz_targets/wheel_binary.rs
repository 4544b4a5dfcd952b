//! ELF and Mach-O files inside wheels (agora-wheel-check's binary inspection).
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = agora_wheel_check::binary::inspect(data);
});
