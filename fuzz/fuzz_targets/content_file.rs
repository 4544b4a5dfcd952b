//! A content file: TOML front matter and Markdown, read against each kind's schema
//! (agora-content).
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let mut content = agora_content::Content::default();
    for kind in agora_content::KINDS {
        agora_content::read_file(kind, "content/x/item.md", "item", text, &mut content);
    }
    // Every problem names a line of the file.
    let lines = text.lines().count().max(1) + 1;
    assert!(content.problems.iter().all(|p| p.line >= 1 && p.line <= lines));
});
