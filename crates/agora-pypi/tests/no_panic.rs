//! Whatever an index sends, reading it never panics: file names and pages are input.

use agora_pypi::filename::parse_filename;
use agora_pypi::simple::{parse_project_page, parse_upload_time};
use proptest::prelude::*;

proptest! {
    #[test]
    fn file_names_never_panic(name in "[-_.a-zA-Z0-9é]{0,40}(\\.whl|\\.tar\\.gz|\\.zip|\\.egg|\\.exe|)", project in proptest::option::of("[-_.a-zA-Z0-9]{0,12}")) {
        let _ = parse_filename(&name, project.as_deref());
    }

    #[test]
    fn upload_times_never_panic(text in "\\PC{0,40}") {
        let _ = parse_upload_time(&text);
    }

    #[test]
    fn pages_never_panic(body in proptest::collection::vec(any::<u8>(), 0..300)) {
        let _ = parse_project_page(&body, "http://127.0.0.1/simple/x/");
    }

    #[test]
    fn page_shaped_json_never_panics(filename in "\\PC{0,30}", time in "\\PC{0,30}", url in "\\PC{0,20}", yanked in prop_oneof![Just("true".to_string()), Just("false".to_string()), "\"\\PC{0,8}\"".prop_map(String::from)]) {
        let body = serde_json::json!({
            "meta": {"api-version": "1.1", "_last-serial": 1},
            "name": "x",
            "files": [{"filename": filename, "url": url, "hashes": {}, "upload-time": time, "yanked": serde_json::from_str::<serde_json::Value>(&yanked).unwrap_or_default()}],
        });
        let parsed = parse_project_page(body.to_string().as_bytes(), "http://127.0.0.1/simple/x/");
        prop_assert!(parsed.is_ok());
    }
}
