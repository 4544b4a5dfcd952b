//! asv's files (agora-bench): result files of format 1 and 2, `benchmarks.json` and
//! `asv.conf.json`. The direct format-2 reader must agree with the generic tree reader
//! whenever it accepts a file.
#![no_main]

use std::path::Path;

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let path = Path::new("results/machine/0123abcd-env.json");
    let fast = agora_bench::format::parse_result_file(path, text);
    let tree = agora_bench::format::parse_result_file_via_tree(path, text);
    match (&fast, &tree) {
        (Ok(fast), Ok(tree)) => assert_eq!(format!("{fast:?}"), format!("{tree:?}")),
        (Err(_), Err(_)) => {}
        _ => panic!("the readers disagree: direct {fast:?}, tree {tree:?}"),
    }
    let _ = agora_bench::format::parse_benchmarks(Path::new("results/benchmarks.json"), text);
    let _ = agora_bench::format::parse_config(Path::new("asv.conf.json"), text);
});
