//! Compiled wheels: ELF extensions built here with `cc`, and Mach-O files written byte by byte.
//!
//! The ELF tests need `cc` (CI has gcc); without it they print why and pass nothing off as
//! checked. Needed symbol versions are cross-checked against `readelf -V` when binutils is
//! there, so the reader is compared with an independent tool, not with itself.

mod support;

use std::path::Path;
use std::process::Command;

use agora_wheel_check::binary::{Binary, inspect};
use support::{WheelBuilder, codes, compile};

const EXT_TAG: &str = "cp311-cp311-manylinux_2_17_x86_64";

/// A platform wheel `demo-1.0-cp311-cp311-<platform>.whl` holding `files`.
fn platform_wheel(platform: &str, files: &[(&str, &[u8])]) -> WheelBuilder {
    let tag = format!("cp311-cp311-{platform}");
    let mut wheel = WheelBuilder::new("demo", "1.0", &tag, &[tag.as_str()], false)
        .file("demo/__init__.py", b"from demo._ext import *\n");
    for (path, contents) in files {
        wheel = wheel.file(path, contents);
    }
    wheel
}

fn x86_64() -> bool {
    std::env::consts::ARCH == "x86_64"
}

fn read(path: &Path) -> Vec<u8> {
    std::fs::read(path).expect("read the compiled file")
}

/// `readelf -V`'s needed versions: (file, version) pairs, or `None` without readelf.
fn readelf_needs(path: &Path) -> Option<Vec<(String, String)>> {
    let output = Command::new("readelf").arg("-V").arg(path).output().ok()?;
    if !output.status.success() {
        return None;
    }
    let text = String::from_utf8_lossy(&output.stdout);
    let mut needs = Vec::new();
    let mut file = String::new();
    let mut in_needs = false;
    for line in text.lines() {
        if line.starts_with("Version needs section") {
            in_needs = true;
            continue;
        }
        if line.starts_with("Version") && !line.starts_with("Version needs") {
            in_needs = false;
        }
        if !in_needs {
            continue;
        }
        if let Some(at) = line.find("File: ") {
            file = line[at + 6..].split_whitespace().next()?.to_string();
        } else if let Some(at) = line.find("Name: ") {
            let name = line[at + 6..].split_whitespace().next()?.to_string();
            needs.push((file.clone(), name));
        }
    }
    Some(needs)
}

#[test]
fn an_extension_linking_an_unvendored_library() {
    if !x86_64() {
        eprintln!("skip: the fixtures are tagged x86_64");
        return;
    }
    let dir = tempfile::tempdir().expect("temp dir");
    let Some(lib) = compile(
        dir.path(),
        "libagoradep",
        "int agora_dep(int x) { return x + 1; }\n",
        &["-Wl,-soname,libagoradep.so"],
    ) else {
        eprintln!("skip: cannot compile with cc");
        return;
    };
    let Some(ext) = compile(
        dir.path(),
        "_ext",
        "int agora_dep(int);\nint demo(int x) { return agora_dep(x) * 2; }\n",
        &["-L", &dir.path().display().to_string(), "-lagoradep"],
    ) else {
        panic!("cc compiled a library but not an extension linking it");
    };
    let ext_bytes = read(&ext);
    let Some(Binary::Elf(info)) = inspect(&ext_bytes) else {
        panic!("the extension is read as ELF");
    };
    assert!(
        info.needed.contains(&"libagoradep.so".to_string()),
        "{info:?}"
    );
    assert_eq!(info.arch.as_deref(), Some("x86_64"));

    let so = "demo/_ext.cpython-311-x86_64-linux-gnu.so";
    let report = platform_wheel("manylinux_2_17_x86_64", &[(so, &ext_bytes)]).check();
    assert_eq!(codes(&report), ["WC401"], "{report:#?}");
    assert!(report.findings[0].message.contains("libagoradep.so"));
    assert_eq!(report.findings[0].path.as_deref(), Some(so));
    let Some(linux) = &report.linux else {
        panic!("a Linux report");
    };
    assert_eq!(linux.computed, "linux_x86_64");
    assert!(linux.external_libraries.contains("libagoradep.so"));
    assert!(report.has_errors());

    // Vendored beside the package (as auditwheel repair does), it is fine.
    let lib_bytes = read(&lib);
    let report = platform_wheel(
        "manylinux_2_17_x86_64",
        &[(so, &ext_bytes), ("demo.libs/libagoradep.so", &lib_bytes)],
    )
    .check();
    let Some(linux) = &report.linux else {
        panic!("a Linux report");
    };
    assert!(
        linux.vendored_libraries.contains("libagoradep.so"),
        "{linux:?}"
    );
    assert!(!report.codes().contains(&"WC401"), "{report:#?}");
    // auditwheel's `.libs` folder is no second package, no unimportable module and no folder
    // without modules (check-wheel-contents says all three): only the older tag remains.
    assert_eq!(codes(&report), ["WC403"], "{report:#?}");
}

#[test]
fn an_extension_needing_a_too_new_glibc() {
    if !x86_64() {
        eprintln!("skip: the fixtures are tagged x86_64");
        return;
    }
    let dir = tempfile::tempdir().expect("temp dir");
    // arc4random came with glibc 2.36 (GLIBC_2.36). Where the local glibc is older, the test
    // below (a version need rewritten in the binary) still covers the check.
    let Some(ext) = compile(
        dir.path(),
        "_ext",
        "#include <stdlib.h>\nunsigned demo(void) { return arc4random(); }\n",
        &[],
    ) else {
        eprintln!("skip: this glibc has no arc4random (needs 2.36); see the rewritten-need test");
        return;
    };
    let bytes = read(&ext);
    let Some(Binary::Elf(info)) = inspect(&bytes) else {
        panic!("ELF");
    };
    let glibc = info.versions.get("libc.so.6").cloned().unwrap_or_default();
    assert!(glibc.contains("GLIBC_2.36"), "{glibc:?}");
    if let Some(needs) = readelf_needs(&ext) {
        let mut ours: Vec<(String, String)> = info
            .versions
            .iter()
            .flat_map(|(lib, vs)| vs.iter().map(move |v| (lib.clone(), v.clone())))
            .collect();
        let mut theirs = needs;
        ours.sort();
        theirs.sort();
        theirs.dedup();
        assert_eq!(ours, theirs, "the needs agora reads are readelf's");
    }
    let so = "demo/_ext.cpython-311-x86_64-linux-gnu.so";
    let report = platform_wheel("manylinux_2_17_x86_64", &[(so, &bytes)]).check();
    assert_eq!(codes(&report), ["WC402"], "{report:#?}");
    assert!(
        report.findings[0].message.contains("GLIBC_2.36"),
        "{report:#?}"
    );
    let Some(linux) = &report.linux else {
        panic!("a Linux report");
    };
    assert_eq!(linux.computed, "manylinux_2_36_x86_64");
    assert_eq!(
        linux.newest.get("GLIBC").map(String::as_str),
        Some("GLIBC_2.36")
    );
    // Claiming what it qualifies for is clean.
    let report = platform_wheel("manylinux_2_36_x86_64", &[(so, &bytes)]).check();
    assert_eq!(report.findings, vec![], "{report:#?}");
}

/// The SysV ELF hash of a symbol-version name (what `vna_hash` holds).
fn elf_hash(name: &[u8]) -> u32 {
    let mut h: u32 = 0;
    for &c in name {
        h = (h << 4).wrapping_add(u32::from(c));
        let g = h & 0xf000_0000;
        if g != 0 {
            h ^= g >> 24;
        }
        h &= !g;
    }
    h
}

#[test]
fn a_version_need_rewritten_past_any_glibc() {
    // The honest way to need a glibc no machine has: compile against the local one, then
    // rewrite the `GLIBC_2.2.5` need in .dynstr to `GLIBC_2.99` (same length, NUL-padded) and
    // its vna_hash, as a linker would have written it for a glibc 2.99.
    if !x86_64() {
        eprintln!("skip: GLIBC_2.2.5 is the x86_64 base version");
        return;
    }
    let dir = tempfile::tempdir().expect("temp dir");
    let Some(ext) = compile(
        dir.path(),
        "_ext",
        "#include <stdio.h>\nint demo(void) { return puts(\"hi\"); }\n",
        &[],
    ) else {
        eprintln!("skip: cannot compile with cc");
        return;
    };
    let mut bytes = read(&ext);
    let old = b"GLIBC_2.2.5\0";
    let new = b"GLIBC_2.99\0\0";
    let at = bytes
        .windows(old.len())
        .position(|w| w == old)
        .expect("the extension needs GLIBC_2.2.5 (puts)");
    bytes[at..at + old.len()].copy_from_slice(new);
    let (old_hash, new_hash) = (elf_hash(b"GLIBC_2.2.5"), elf_hash(b"GLIBC_2.99"));
    let mut patched = 0;
    for i in 0..bytes.len() - 4 {
        if bytes[i..i + 4] == old_hash.to_le_bytes() {
            bytes[i..i + 4].copy_from_slice(&new_hash.to_le_bytes());
            patched += 1;
        }
    }
    assert!(patched >= 1, "vna_hash of GLIBC_2.2.5 found");
    let so = "demo/_ext.cpython-311-x86_64-linux-gnu.so";
    let report = platform_wheel("manylinux_2_17_x86_64", &[(so, &bytes)]).check();
    assert_eq!(codes(&report), ["WC402"], "{report:#?}");
    assert!(
        report.findings[0].message.contains("GLIBC_2.99"),
        "{report:#?}"
    );
    let Some(linux) = &report.linux else {
        panic!("a Linux report");
    };
    assert_eq!(
        linux.computed, "linux_x86_64",
        "no manylinux policy allows GLIBC_2.99"
    );
    // The unpatched extension needs only the base version: it qualifies for the oldest
    // policy, so claiming manylinux_2_17 is fine and an older tag is suggested.
    let report = platform_wheel("manylinux_2_17_x86_64", &[(so, &read(&ext))]).check();
    assert_eq!(codes(&report), ["WC403"], "{report:#?}");
    let Some(linux) = &report.linux else {
        panic!("a Linux report");
    };
    assert_eq!(linux.computed, "manylinux_2_5_x86_64");
}

#[test]
fn binaries_under_the_wrong_tag() {
    if !x86_64() {
        eprintln!("skip: the fixtures are tagged x86_64");
        return;
    }
    let dir = tempfile::tempdir().expect("temp dir");
    let Some(ext) = compile(dir.path(), "_ext", "int demo(int x) { return x; }\n", &[]) else {
        eprintln!("skip: cannot compile with cc");
        return;
    };
    let bytes = read(&ext);
    let so = "demo/_ext.cpython-311-x86_64-linux-gnu.so";
    let cases = [
        ("any", "WC018"),
        ("manylinux_2_17_aarch64", "WC404"),
        ("musllinux_1_2_x86_64", "WC405"),
        ("linux_x86_64", "WC019"),
        ("macosx_11_0_arm64", "WC407"),
        ("win_amd64", "WC407"),
    ];
    for (platform, code) in cases {
        let tag = format!("cp311-cp311-{platform}");
        let wheel = WheelBuilder::new("demo", "1.0", &tag, &[tag.as_str()], platform == "any")
            .file("demo/__init__.py", b"x = 1\n")
            .file(so, &bytes);
        let report = wheel.check();
        assert!(report.codes().contains(&code), "{platform}: {report:#?}");
    }
    // A truncated ELF file.
    let report = platform_wheel(
        EXT_TAG.trim_start_matches("cp311-cp311-"),
        &[(so, &bytes[..64])],
    )
    .check();
    assert!(report.codes().contains(&"WC406"), "{report:#?}");
}

/// A thin 64-bit Mach-O bundle: the header and one load command.
fn macho(cputype: u32, command: u32, version: (u32, u32)) -> Vec<u8> {
    let mut out = Vec::new();
    let encoded = (version.0 << 16) | (version.1 << 8);
    let (cmdsize, body): (u32, Vec<u32>) = if command == 0x32 {
        // LC_BUILD_VERSION: platform 1 (macOS), minos, sdk, ntools 0.
        (24, vec![1, encoded, encoded, 0])
    } else {
        // LC_VERSION_MIN_MACOSX: version, sdk.
        (16, vec![encoded, encoded])
    };
    for word in [
        0xfeed_facf_u32,
        cputype,
        3,
        8,
        1,
        cmdsize,
        0,
        0,
        command,
        cmdsize,
    ] {
        out.extend_from_slice(&word.to_le_bytes());
    }
    for word in body {
        out.extend_from_slice(&word.to_le_bytes());
    }
    out
}

/// A fat (universal) file holding `slices`.
fn fat(slices: &[(u32, Vec<u8>)]) -> Vec<u8> {
    let mut out = Vec::new();
    out.extend_from_slice(&0xcafe_babe_u32.to_be_bytes());
    out.extend_from_slice(&(slices.len() as u32).to_be_bytes());
    let mut offset = 4096u32;
    let mut bodies = Vec::new();
    for (cputype, body) in slices {
        for word in [*cputype, 3, offset, body.len() as u32, 12] {
            out.extend_from_slice(&word.to_be_bytes());
        }
        bodies.push((offset, body));
        offset += 4096;
    }
    for (offset, body) in bodies {
        out.resize(offset as usize, 0);
        out.extend_from_slice(body);
    }
    out
}

const X86_64: u32 = 0x0100_0007;
const ARM64: u32 = 0x0100_000c;

#[test]
fn mach_o_minimum_macos_against_the_tag() {
    let so = "demo/_ext.cpython-311-darwin.so";
    let needs_11 = macho(ARM64, 0x32, (11, 0));
    let Some(Binary::MachO(info)) = inspect(&needs_11) else {
        panic!("the crafted file is read as Mach-O");
    };
    assert_eq!(info.slices[0].min_macos, Some((11, 0)));
    assert_eq!(info.slices[0].arch, "arm64");

    let report = platform_wheel("macosx_11_0_arm64", &[(so, &needs_11)]).check();
    assert_eq!(report.findings, vec![], "{report:#?}");
    let report = platform_wheel("macosx_10_9_arm64", &[(so, &needs_11)]).check();
    assert_eq!(codes(&report), ["WC501"], "{report:#?}");
    let report = platform_wheel(
        "macosx_10_9_x86_64",
        &[(so, &macho(X86_64, 0x24, (10, 13)))],
    )
    .check();
    assert_eq!(
        codes(&report),
        ["WC501"],
        "LC_VERSION_MIN_MACOSX is read: {report:#?}"
    );
    let report = platform_wheel("macosx_14_0_arm64", &[(so, &needs_11)]).check();
    assert_eq!(codes(&report), ["WC503"], "{report:#?}");
    let Some(macos) = &report.macos else {
        panic!("a macOS report");
    };
    assert_eq!(macos.computed, ["macosx_11_0_arm64"]);
    // universal2 needs both architectures in every binary.
    let report = platform_wheel("macosx_10_9_universal2", &[(so, &needs_11)]).check();
    assert!(report.codes().contains(&"WC502"), "{report:#?}");
    let universal = fat(&[
        (X86_64, macho(X86_64, 0x32, (10, 9))),
        (ARM64, macho(ARM64, 0x32, (11, 0))),
    ]);
    let report = platform_wheel("macosx_10_9_universal2", &[(so, &universal)]).check();
    // The arm64 slice needs 11.0 (as every arm64 macOS binary does); x86_64 is fine at 10.9.
    assert_eq!(codes(&report), ["WC501"], "{report:#?}");
    assert!(report.findings[0].message.contains("arm64"));
    // A Mach-O file in a Linux wheel.
    let report = platform_wheel("manylinux_2_17_x86_64", &[(so, &needs_11)]).check();
    assert!(report.codes().contains(&"WC407"), "{report:#?}");
}
