//! Wheel archives (agora-wheel-check): the whole check of `agora wheel check` on bytes, under
//! a name taken from the first line when it ends in `.whl` (else a fixed one).
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let (name, bytes) = match data.iter().position(|&b| b == b'\n') {
        Some(end) if data[..end].ends_with(b".whl") && end < 200 => (
            String::from_utf8_lossy(&data[..end]).into_owned(),
            &data[end + 1..],
        ),
        _ => ("demo-1.0-py3-none-any.whl".to_string(), data),
    };
    let report = agora_wheel_check::check_bytes(&name, "fuzz", bytes);
    let _ = report.codes();
});
