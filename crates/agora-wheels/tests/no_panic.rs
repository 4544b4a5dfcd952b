//! Tags come from file names anyone can upload: reading them never panics, and what they
//! cover stays inside the matrix.

use agora_wheels::tags::{CPython, Kind, covers};
use proptest::prelude::*;

proptest! {
    #[test]
    fn any_tags_read_without_panic(
        python in "(py|cp|pp)?[0-9t._a-z]{0,8}",
        abi in "(cp3|abi|none)?[0-9tmud._]{0,6}",
        platform in "(manylinux|musllinux|macosx|ios|android|pyodide|emscripten|win)?[_0-9a-z.é]{0,24}",
    ) {
        for cover in covers(&python, &abi, &platform) {
            prop_assert!(CPython::ROWS.contains(&cover.python));
            // abi3 never lands on a free-threaded build.
            prop_assert!(!(cover.kind == Kind::Abi3 && cover.python.free_threaded));
        }
    }
}
