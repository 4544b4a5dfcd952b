//! Hostile and odd archives: zip bombs, too many entries, deeply nested markers, members in
//! compressions agora does not read, files that claim to be shared objects and are not. Each
//! one gets a finding naming the member (or line) and the limit, and the rest of the wheel is
//! still checked.

mod support;

use std::io::{Cursor, Write};

use agora_wheel_check::{Limits, Options, check_bytes, check_bytes_with};
use support::{WheelBuilder, codes};
use zip::write::SimpleFileOptions;

/// Rewrites the compression method of the members whose name starts with `prefix` (in the
/// local headers and the central directory) to `method`, leaving their data as it is.
fn recompress_label(bytes: &mut [u8], prefix: &[u8], method: u16) -> usize {
    let mut changed = 0;
    let mut at = 0;
    while at + 46 <= bytes.len() {
        if bytes[at..at + 4] != [0x50, 0x4b, 0x01, 0x02] {
            at += 1;
            continue;
        }
        let name_len = usize::from(u16::from_le_bytes([bytes[at + 28], bytes[at + 29]]));
        let extra_len = usize::from(u16::from_le_bytes([bytes[at + 30], bytes[at + 31]]));
        let comment_len = usize::from(u16::from_le_bytes([bytes[at + 32], bytes[at + 33]]));
        let name = bytes[at + 46..at + 46 + name_len].to_vec();
        let local = u32::from_le_bytes([
            bytes[at + 42],
            bytes[at + 43],
            bytes[at + 44],
            bytes[at + 45],
        ]) as usize;
        if name.starts_with(prefix) {
            bytes[at + 10..at + 12].copy_from_slice(&method.to_le_bytes());
            bytes[local + 8..local + 10].copy_from_slice(&method.to_le_bytes());
            changed += 1;
        }
        at += 46 + name_len + extra_len + comment_len;
    }
    changed
}

#[test]
fn a_zip_bomb_is_stopped_at_the_ratio_limit() {
    // 64 MiB of zeros deflate to about 64 KiB: a 1000:1 member, as a zip bomb's.
    let mut zip = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let options = SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .large_file(false);
    zip.start_file("demo/bomb.bin", options).expect("start");
    let zeros = vec![0u8; 1 << 20];
    for _ in 0..64 {
        zip.write_all(&zeros).expect("write");
    }
    let good = WheelBuilder::pure();
    for (path, contents) in &good.files {
        zip.start_file(path.as_str(), options).expect("start");
        zip.write_all(contents).expect("write");
    }
    let bytes = zip.finish().expect("finish").into_inner();
    assert!(bytes.len() < 1 << 20, "{} bytes", bytes.len());
    let report = check_bytes(&good.filename, "test", &bytes);
    let bomb = report
        .findings
        .iter()
        .find(|finding| finding.code == "WC005")
        .unwrap_or_else(|| panic!("no WC005: {report:#?}"));
    assert_eq!(bomb.path.as_deref(), Some("demo/bomb.bin"));
    assert!(bomb.message.contains("100:1"), "{bomb:?}");
    // The other members were still read: the metadata is checked, not missing.
    assert!(!report.codes().contains(&"WC205"), "{report:#?}");
}

#[test]
fn member_and_total_sizes_and_entries_are_bounded() {
    let wheel = WheelBuilder::pure()
        .file("demo/big.bin", &vec![7u8; 300_000])
        .file("demo/big2.bin", &vec![9u8; 300_000]);
    let bytes = wheel.bytes();
    let with = |limits: Limits| {
        check_bytes_with(
            &wheel.filename,
            "test",
            &bytes,
            &Options {
                limits,
                ..Options::default()
            },
        )
    };
    let report = with(Limits {
        max_member_size: 200_000,
        ..Limits::default()
    });
    let sized: Vec<_> = report
        .findings
        .iter()
        .filter(|f| f.code == "WC005")
        .collect();
    assert_eq!(sized.len(), 2, "{report:#?}");
    assert!(
        sized[0].message.contains("per-member limit"),
        "{:?}",
        sized[0]
    );
    let report = with(Limits {
        max_total_size: 400_000,
        ..Limits::default()
    });
    let total: Vec<_> = report
        .findings
        .iter()
        .filter(|f| f.code == "WC005")
        .collect();
    assert_eq!(total.len(), 1, "{report:#?}");
    assert!(total[0].message.contains("total limit"), "{:?}", total[0]);
    let report = with(Limits {
        max_entries: 4,
        ..Limits::default()
    });
    assert_eq!(codes(&report), ["WC005"], "{report:#?}");
    assert!(report.findings[0].message.contains("limit of 4"));
}

#[test]
fn many_entries_are_handled_in_one_pass() {
    // 50,000 members, every one in RECORD: the lookups by name are indexed, so RECORD and
    // the contents checks stay linear (they were quadratic: 200,000 entries took 76 s).
    let mut wheel = WheelBuilder::pure();
    let mut files = std::mem::take(&mut wheel.files);
    for index in 0..50_000 {
        files.push((
            format!("demo/m{}/f{index}.txt", index % 100),
            format!("{index}\n").into_bytes(),
        ));
    }
    wheel.files = files;
    let report = wheel.check();
    assert_eq!(report.files, 50_006);
    assert_eq!(report.findings, vec![], "{:#?}", &report.findings.get(..3));
}

#[test]
fn deeply_nested_markers_are_a_finding_not_a_crash() {
    let marker = format!(
        "{}python_version >= \"3.11\"{}",
        "(".repeat(5000),
        ")".repeat(5000)
    );
    let metadata = format!(
        "Metadata-Version: 2.4\nName: demo\nVersion: 1.0\nRequires-Dist: numpy>=1.25\n\
         Requires-Dist: scipy; {marker}\nDescription-Content-Type: text/markdown\n\n# demo\n"
    );
    let report = WheelBuilder::pure()
        .dist_file("METADATA", &metadata)
        .check();
    assert_eq!(codes(&report), ["WC210"], "{:?}", report.codes());
    let finding = &report.findings[0];
    assert_eq!(finding.path.as_deref(), Some("demo-1.0.dist-info/METADATA"));
    assert!(
        finding
            .message
            .starts_with("line 5: Requires-Dist nests parentheses 5000 deep"),
        "{}",
        finding.message
    );
    // Ordinary nesting still parses and passes.
    let fine = metadata.replace(
        &marker,
        "(python_version >= \"3.11\" and (os_name == \"nt\"))",
    );
    let report = WheelBuilder::pure().dist_file("METADATA", &fine).check();
    assert_eq!(report.findings, vec![], "{report:#?}");
}

#[test]
fn unsupported_compression_is_reported_once_and_the_rest_is_read() {
    let wheel = WheelBuilder::pure();
    let mut bytes = wheel.bytes();
    // The whole .dist-info "compressed" with bzip2 (method 12), one module with lzma (14).
    assert_eq!(recompress_label(&mut bytes, b"demo-1.0.dist-info/", 12), 3);
    assert_eq!(recompress_label(&mut bytes, b"demo/core.py", 14), 1);
    let report = check_bytes(&wheel.filename, "test", &bytes);
    assert_eq!(codes(&report), ["WC002"], "{report:#?}");
    assert_eq!(report.findings.len(), 2, "one per method: {report:#?}");
    let bzip2 = report
        .findings
        .iter()
        .find(|finding| finding.message.contains("bzip2"))
        .unwrap_or_else(|| panic!("{report:#?}"));
    assert!(
        bzip2.message.starts_with("3 members compressed with bzip2"),
        "{bzip2:?}"
    );
    assert!(bzip2.message.contains("demo-1.0.dist-info/METADATA"));
    assert_eq!(report.files, 6, "every member is listed");
    // Deflated members are still read: a tampered one is still caught.
    let tampered = WheelBuilder::pure().record(
        "demo/__init__.py,sha256=AAAA,5\ndemo/core.py,,\ndemo/py.typed,,\n\
         demo-1.0.dist-info/RECORD,,\n",
    );
    let mut bytes = tampered.bytes();
    recompress_label(&mut bytes, b"demo-1.0.dist-info/METADATA", 12);
    let report = check_bytes(&tampered.filename, "test", &bytes);
    assert!(report.codes().contains(&"WC105"), "{report:#?}");
    assert!(!report.codes().contains(&"WC205"), "{report:#?}");
}

#[test]
fn a_shared_object_that_is_no_binary_is_a_finding() {
    let report = WheelBuilder::pure()
        .file("demo/_speedups.so", b"<html>404 Not Found</html>\n")
        .check();
    assert_eq!(codes(&report), ["WC406"], "{report:#?}");
    assert_eq!(
        report.findings[0].path.as_deref(),
        Some("demo/_speedups.so")
    );
    assert!(
        report.findings[0]
            .message
            .starts_with("not a valid ELF file: no ELF or Mach-O magic number"),
        "{:?}",
        report.findings[0]
    );
    // An ELF header goblin cannot read: its reason, worded for people, naming the member.
    let mut broken = b"\x7fELF\x02\x01\x01\x00".to_vec();
    broken.extend([0u8; 8]);
    broken.extend([3, 0, 0x3e, 0, 1, 0, 0, 0]);
    broken.extend([0xffu8; 48]);
    let report = WheelBuilder::pure().file("demo/lib/x.so", &broken).check();
    let finding = report
        .findings
        .iter()
        .find(|finding| finding.code == "WC406")
        .unwrap_or_else(|| panic!("{report:#?}"));
    assert_eq!(finding.path.as_deref(), Some("demo/lib/x.so"));
    assert!(
        finding.message.starts_with("not a valid ELF file: "),
        "{finding:?}"
    );
}

/// Found by fuzz/wheel_metadata: pep508_rs 0.9 panics on a name that ends in `-`.
#[test]
fn a_requirement_name_ending_in_a_dash_is_a_finding_not_a_panic() {
    let metadata = "Metadata-Version: 2.4\nName: demo\nVersion: 1.0\nRequires-Dist: scipy- >=1.10\n\
                    Description-Content-Type: text/markdown\n\n# demo\n";
    let report = WheelBuilder::pure().dist_file("METADATA", metadata).check();
    assert_eq!(codes(&report), ["WC210"], "{:?}", report.codes());
    let message = &report.findings[0].message;
    assert!(
        message.starts_with("line 4: Requires-Dist a package name must end with a letter or digit"),
        "{message}"
    );
}
