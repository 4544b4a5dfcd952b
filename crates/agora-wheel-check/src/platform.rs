//! Compiled wheels: the platform tag the binaries qualify for, against the one the name claims.
//!
//! **Linux**, as `auditwheel show` reasons: a library an ELF file needs is *vendored* when a
//! binary of the wheel has that file name or `DT_SONAME` (auditwheel resolves through RPATH;
//! agora matches names anywhere in the wheel); the others are *external* and must be on the
//! policy's allow-list. Every symbol version any ELF file needs (from any library) must be
//! allowed by the policy. The best tag is the oldest manylinux policy, defined for the
//! binaries' architecture, that allows all of it; `linux_<arch>` when none does. For musl
//! wheels only the allow-list can be checked.
//!
//! **macOS**: each Mach-O slice's minimum macOS (`LC_BUILD_VERSION`/`LC_VERSION_MIN_MACOSX`)
//! must not exceed the tag's version for that architecture, and every architecture the tags
//! claim must be in every Mach-O file. The best version is the highest minimum found (from
//! macOS 11 on, tags carry only a major version, so 11.3 needs `macosx_12_0`).

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;

use crate::archive::Archive;
use crate::binary::{Binary, ElfInfo, named_shared_object};
use crate::filename::{LinuxTag, WheelName, linux_tag, macos_arches, macos_tag};
use crate::finding::Finding;
use crate::policy::{self, CONSTRAINED_FAMILIES, Policy, version_number};

/// What the ELF files of a Linux wheel need, and the tag that follows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LinuxReport {
    /// `glibc` or `musl`.
    pub libc: &'static str,
    /// The binaries' architecture.
    pub arch: String,
    /// The Linux platform tags of the file name.
    pub claimed: Vec<String>,
    /// The most compatible tag the binaries qualify for (`linux_<arch>` when none).
    pub computed: String,
    /// Libraries needed that the wheel does not vendor.
    pub external_libraries: BTreeSet<String>,
    /// Libraries needed that the wheel vendors.
    pub vendored_libraries: BTreeSet<String>,
    /// Symbol versions needed, by providing library.
    pub symbol_versions: BTreeMap<String, BTreeSet<String>>,
    /// The newest version needed of each constrained family (`GLIBC` → `GLIBC_2.27`).
    pub newest: BTreeMap<String, String>,
}

/// What the Mach-O files of a macOS wheel need.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MacosReport {
    /// The macOS platform tags of the file name.
    pub claimed: Vec<String>,
    /// The highest minimum macOS of any slice, by architecture (`11.0`).
    pub min_macos: BTreeMap<String, String>,
    /// The tags the binaries qualify for, one per architecture claimed.
    pub computed: Vec<String>,
}

/// A macOS tag read: ((major, minor), arch).
type MacosTag = ((u32, u32), String);

/// A binary member.
struct Bin<'a> {
    path: &'a str,
    binary: &'a Binary,
}

/// Checks the compiled members against the platform tags.
pub fn check(
    archive: &Archive,
    name: Option<&WheelName>,
    findings: &mut Vec<Finding>,
) -> (Option<LinuxReport>, Option<MacosReport>) {
    let bins: Vec<Bin<'_>> = archive
        .members
        .iter()
        .filter_map(|member| {
            member.binary.as_ref().map(|binary| Bin {
                path: &member.name,
                binary,
            })
        })
        .collect();
    for bin in &bins {
        if let Binary::Unreadable { format, reason } = bin.binary {
            findings.push(Finding::new(
                "WC406",
                Some(bin.path),
                format!("not a valid {format} file: {reason}"),
            ));
        }
    }
    // A shared object by name that is no binary at all (a text file, an HTML error page).
    for member in &archive.members {
        if member.readable && member.binary.is_none() && named_shared_object(&member.name) {
            let shown: String = member
                .head
                .iter()
                .take(8)
                .map(|&byte| {
                    if byte.is_ascii_graphic() || byte == b' ' {
                        char::from(byte).to_string()
                    } else {
                        format!("\\x{byte:02x}")
                    }
                })
                .collect();
            findings.push(Finding::new(
                "WC406",
                Some(&member.name),
                format!(
                    "not a valid ELF file: no ELF or Mach-O magic number (it starts with `{shown}`)"
                ),
            ));
        }
    }
    let Some(name) = name else {
        return (None, None);
    };
    let elves: Vec<(&str, &ElfInfo)> = bins
        .iter()
        .filter_map(|bin| match bin.binary {
            Binary::Elf(info) => Some((bin.path, info)),
            _ => None,
        })
        .collect();
    let machos: Vec<(&str, &crate::binary::MachInfo)> = bins
        .iter()
        .filter_map(|bin| match bin.binary {
            Binary::MachO(info) => Some((bin.path, info)),
            _ => None,
        })
        .collect();
    if name.is_pure() {
        if let Some(bin) = bins
            .iter()
            .find(|bin| !matches!(bin.binary, Binary::Unreadable { .. }))
        {
            findings.push(Finding::new(
                "WC018",
                Some(bin.path),
                format!(
                    "a compiled binary in a wheel tagged `{}`",
                    name.platform.join(".")
                ),
            ));
        }
        return (None, None);
    }
    let linux_tags: Vec<(&String, LinuxTag)> = name
        .platform
        .iter()
        .filter_map(|tag| linux_tag(tag).map(|parsed| (tag, parsed)))
        .collect();
    let macos_tags: Vec<(&String, MacosTag)> = name
        .platform
        .iter()
        .filter_map(|tag| macos_tag(tag).map(|parsed| (tag, parsed)))
        .collect();
    for (path, _) in &elves {
        if linux_tags.is_empty() {
            findings.push(Finding::new(
                "WC407",
                Some(path),
                format!(
                    "an ELF file in a wheel tagged `{}`",
                    name.platform.join(".")
                ),
            ));
            break;
        }
    }
    for (path, _) in &machos {
        if macos_tags.is_empty() {
            findings.push(Finding::new(
                "WC407",
                Some(path),
                format!(
                    "a Mach-O file in a wheel tagged `{}`",
                    name.platform.join(".")
                ),
            ));
            break;
        }
    }
    let linux = (!elves.is_empty() && !linux_tags.is_empty())
        .then(|| check_linux(&elves, &linux_tags, findings))
        .flatten();
    let macos = (!machos.is_empty() && !macos_tags.is_empty())
        .then(|| check_macos(&machos, &macos_tags, findings));
    (linux, macos)
}

fn check_linux(
    elves: &[(&str, &ElfInfo)],
    claimed: &[(&String, LinuxTag)],
    findings: &mut Vec<Finding>,
) -> Option<LinuxReport> {
    // The binaries' architecture: the most common one (a mismatch is reported per file).
    let mut arch_count: BTreeMap<&str, usize> = BTreeMap::new();
    for (_, info) in elves {
        if let Some(arch) = &info.arch {
            *arch_count.entry(arch).or_default() += 1;
        }
    }
    let arch = arch_count
        .iter()
        .max_by_key(|(_, count)| **count)
        .map(|(arch, _)| (*arch).to_string())?;
    let tag_arch = |tag: &LinuxTag| match tag {
        LinuxTag::Manylinux { arch, .. }
        | LinuxTag::Musllinux { arch, .. }
        | LinuxTag::Linux { arch } => arch.clone(),
    };
    let claimed_arches: BTreeSet<String> = claimed.iter().map(|(_, tag)| tag_arch(tag)).collect();
    for (path, info) in elves {
        if let Some(elf_arch) = &info.arch
            && !claimed_arches.contains(elf_arch)
        {
            findings.push(Finding::new(
                "WC404",
                Some(path),
                format!(
                    "{elf_arch} code, but the tags name {}",
                    claimed_arches
                        .iter()
                        .cloned()
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            ));
        }
    }
    // Vendored: any binary's file name or soname.
    let mut vendored_names: BTreeSet<&str> = BTreeSet::new();
    for (path, info) in elves {
        vendored_names.insert(path.rsplit('/').next().unwrap_or(path));
        if let Some(soname) = &info.soname {
            vendored_names.insert(soname);
        }
    }
    let is_musl_lib = |lib: &str| lib.starts_with("libc.musl-") || lib == "libc.so";
    let musl = elves
        .iter()
        .any(|(_, info)| info.needed.iter().any(|lib| is_musl_lib(lib)));
    let mut external: BTreeMap<String, Vec<&str>> = BTreeMap::new(); // lib → files needing it
    let mut vendored = BTreeSet::new();
    let mut symbol_versions: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    // version → files needing it
    let mut needed_versions: BTreeMap<String, Vec<&str>> = BTreeMap::new();
    for (path, info) in elves {
        for lib in &info.needed {
            if is_loader(lib) {
                // The dynamic loader comes with the C library, like libc itself.
                continue;
            }
            if vendored_names.contains(lib.as_str()) {
                vendored.insert(lib.clone());
            } else {
                external.entry(lib.clone()).or_default().push(path);
            }
        }
        for (lib, versions) in &info.versions {
            symbol_versions
                .entry(lib.clone())
                .or_default()
                .extend(versions.iter().cloned());
            for version in versions {
                needed_versions
                    .entry(version.clone())
                    .or_default()
                    .push(path);
            }
        }
    }
    let mut newest: BTreeMap<String, (Vec<u32>, String)> = BTreeMap::new();
    for version in needed_versions.keys() {
        let family = version.split('_').next().unwrap_or_default();
        if !CONSTRAINED_FAMILIES.contains(&family) {
            continue;
        }
        if let Some(number) = version_number(version) {
            let entry = newest
                .entry(family.to_string())
                .or_insert((number.clone(), version.clone()));
            if number > entry.0 {
                *entry = (number, version.clone());
            }
        }
    }
    let newest: BTreeMap<String, String> = newest.into_iter().map(|(k, (_, v))| (k, v)).collect();
    let claimed_names: Vec<String> = claimed.iter().map(|(tag, _)| (*tag).clone()).collect();
    let mut report = LinuxReport {
        libc: if musl { "musl" } else { "glibc" },
        arch: arch.clone(),
        claimed: claimed_names,
        computed: format!("linux_{arch}"),
        external_libraries: external.keys().cloned().collect(),
        vendored_libraries: vendored,
        symbol_versions,
        newest,
    };
    for (tag, parsed) in claimed {
        match parsed {
            LinuxTag::Manylinux { .. } if musl => findings.push(Finding::new(
                "WC405",
                None,
                format!("tagged `{tag}` (glibc) but the binaries link musl"),
            )),
            LinuxTag::Musllinux { .. } if !musl => findings.push(Finding::new(
                "WC405",
                None,
                format!("tagged `{tag}` (musl) but the binaries link glibc"),
            )),
            _ => {}
        }
    }
    if musl {
        let allowed = policy::musllinux_libraries(&arch);
        let mut ok = true;
        for (lib, paths) in &external {
            if !allowed.contains(lib) {
                ok = false;
                findings.push(Finding::new(
                    "WC401",
                    Some(paths[0]),
                    format!(
                        "needs {lib}, which musllinux does not allow and the wheel does not vendor"
                    ),
                ));
            }
        }
        let oldest = claimed
            .iter()
            .filter_map(|(_, tag)| match tag {
                LinuxTag::Musllinux {
                    musl,
                    arch: tag_arch,
                } if *tag_arch == arch => Some(*musl),
                _ => None,
            })
            .min();
        if ok && let Some((major, minor)) = oldest {
            report.computed = format!("musllinux_{major}_{minor}_{arch}");
        }
    } else {
        check_manylinux(&mut report, &external, &needed_versions, claimed, findings);
    }
    for (tag, parsed) in claimed {
        if matches!(parsed, LinuxTag::Linux { .. }) {
            findings.push(Finding::new(
                "WC019",
                None,
                format!("`{tag}`; the binaries qualify for `{}`", report.computed),
            ));
        }
    }
    Some(report)
}

fn check_manylinux(
    report: &mut LinuxReport,
    external: &BTreeMap<String, Vec<&str>>,
    needed_versions: &BTreeMap<String, Vec<&str>>,
    claimed: &[(&String, LinuxTag)],
    findings: &mut Vec<Finding>,
) {
    let arch = report.arch.clone();
    let policies: Vec<&Policy> = policy::manylinux()
        .iter()
        .filter(|policy| policy.arches.contains(&arch))
        .collect();
    // The oldest policy allowing each need; None when no policy does.
    let first_allowing_lib = |lib: &str| {
        policies
            .iter()
            .position(|policy| policy.libraries.contains(lib))
    };
    let first_allowing_version = |version: &str| {
        policies
            .iter()
            .position(|policy| policy.allows_version(&arch, version))
    };
    let mut required = 0usize; // index into `policies`
    let mut impossible = false;
    // (policy index needed, what, files)
    let mut reasons: Vec<(Option<usize>, String, &Vec<&str>)> = Vec::new();
    for (lib, paths) in external {
        match first_allowing_lib(lib) {
            Some(index) => {
                required = required.max(index);
                reasons.push((Some(index), format!("library {lib}"), paths));
            }
            None => {
                impossible = true;
                findings.push(Finding::new(
                    "WC401",
                    Some(paths[0]),
                    format!(
                        "needs {lib}, which no manylinux policy allows and the wheel does not vendor{}",
                        also(paths)
                    ),
                ));
            }
        }
    }
    for (version, paths) in needed_versions {
        match first_allowing_version(version) {
            Some(index) => {
                required = required.max(index);
                reasons.push((Some(index), format!("symbol version {version}"), paths));
            }
            None => {
                impossible = true;
                reasons.push((None, format!("symbol version {version}"), paths));
            }
        }
    }
    let computed = (!impossible && !policies.is_empty())
        .then(|| policies.get(required))
        .flatten();
    if let Some(policy) = computed {
        report.computed = format!("{}_{arch}", policy.name);
    }
    let oldest_claim = claimed
        .iter()
        .filter_map(|(tag, parsed)| match parsed {
            LinuxTag::Manylinux {
                glibc,
                arch: tag_arch,
            } if *tag_arch == arch => Some((*glibc, (*tag).clone())),
            _ => None,
        })
        .min();
    let Some((claimed_glibc, claimed_tag)) = oldest_claim else {
        return;
    };
    let computed_glibc = computed.map(|policy| policy.glibc);
    if computed_glibc.is_none_or(|glibc| glibc > claimed_glibc) {
        // What exceeds the claim: needs no policy allows, or allowed only after the claim.
        let claim_index = policies
            .iter()
            .rposition(|policy| policy.glibc <= claimed_glibc);
        let mut beyond: Vec<String> = Vec::new();
        let mut files: BTreeSet<&str> = BTreeSet::new();
        for (index, what, paths) in &reasons {
            let exceeds = match (index, claim_index) {
                (None, _) => true,
                (Some(index), Some(claim)) => *index > claim,
                (Some(_), None) => true,
            };
            if exceeds {
                beyond.push(what.clone());
                files.extend(paths.iter().copied());
            }
        }
        if !beyond.is_empty() {
            let first = files.iter().next().copied();
            findings.push(Finding::new(
                "WC402",
                first,
                format!(
                    "claims `{claimed_tag}` but needs {} ({} file{}); the binaries qualify for `{}`",
                    beyond.join(", "),
                    files.len(),
                    if files.len() == 1 { "" } else { "s" },
                    report.computed
                ),
            ));
        }
    } else if let Some(glibc) = computed_glibc
        && glibc < claimed_glibc
    {
        findings.push(Finding::new(
            "WC403",
            None,
            format!(
                "claims `{claimed_tag}` at best; the binaries qualify for `{}`",
                report.computed
            ),
        ));
    }
}

/// Whether `lib` is the dynamic loader (`ld-linux-x86-64.so.2`, `ld64.so.2`, `ld-musl-…`),
/// which ships with the C library and is never vendored.
fn is_loader(lib: &str) -> bool {
    lib.starts_with("ld-linux")
        || lib.starts_with("ld64.so.")
        || lib.starts_with("ld-musl-")
        || lib == "ld.so.1"
}

fn also(paths: &[&str]) -> String {
    match paths.len() {
        0 | 1 => String::new(),
        n => format!(
            " (and {} more file{})",
            n - 1,
            if n == 2 { "" } else { "s" }
        ),
    }
}

fn check_macos(
    machos: &[(&str, &crate::binary::MachInfo)],
    claimed: &[(&String, MacosTag)],
    findings: &mut Vec<Finding>,
) -> MacosReport {
    // The claimed version for each CPU architecture: the oldest tag covering it.
    let mut claimed_for: BTreeMap<&str, (u32, u32)> = BTreeMap::new();
    for (_, (version, arch)) in claimed {
        for cpu in macos_arches(arch) {
            let entry = claimed_for.entry(cpu).or_insert(*version);
            *entry = (*entry).min(*version);
        }
    }
    let mut highest: BTreeMap<String, (u32, u32)> = BTreeMap::new();
    let mut unreadable = false;
    for (path, info) in machos {
        let present: BTreeSet<&str> = info.slices.iter().map(|s| s.arch.as_str()).collect();
        let missing: Vec<&str> = claimed_for
            .keys()
            .filter(|cpu| !present.contains(**cpu))
            .copied()
            .collect();
        if !missing.is_empty() {
            findings.push(Finding::new(
                "WC502",
                Some(path),
                format!(
                    "has {} but the tags claim {} too",
                    present.iter().copied().collect::<Vec<_>>().join(", "),
                    missing.join(", ")
                ),
            ));
        }
        for slice in &info.slices {
            let Some(min) = slice.min_macos else {
                unreadable = true;
                continue;
            };
            let entry = highest.entry(slice.arch.clone()).or_insert(min);
            *entry = (*entry).max(min);
            if let Some(claimed) = claimed_for.get(slice.arch.as_str())
                && min > *claimed
            {
                findings.push(Finding::new(
                    "WC501",
                    Some(path),
                    format!(
                        "the {} code needs macOS {}.{}, the tag claims {}.{}",
                        slice.arch, min.0, min.1, claimed.0, claimed.1
                    ),
                ));
            }
        }
    }
    let tag_version = |(major, minor): (u32, u32)| {
        if major >= 11 && minor > 0 {
            (major + 1, 0)
        } else if major >= 11 {
            (major, 0)
        } else {
            (major, minor)
        }
    };
    let mut computed = Vec::new();
    for (_, ((_, _), arch)) in claimed {
        let needed = macos_arches(arch)
            .iter()
            .filter_map(|cpu| highest.get(*cpu).copied())
            .max();
        if let Some(needed) = needed {
            let (major, minor) = tag_version(needed);
            computed.push(format!("macosx_{major}_{minor}_{arch}"));
        }
    }
    if !unreadable {
        for (cpu, claimed) in &claimed_for {
            if let Some(needed) = highest.get(*cpu)
                && tag_version(*needed) < *claimed
            {
                let (major, minor) = tag_version(*needed);
                findings.push(Finding::new(
                    "WC503",
                    None,
                    format!(
                        "the {cpu} code runs on macOS {major}.{minor}; the tag claims {}.{}",
                        claimed.0, claimed.1
                    ),
                ));
            }
        }
    }
    MacosReport {
        claimed: claimed.iter().map(|(tag, _)| (*tag).clone()).collect(),
        min_macos: highest
            .into_iter()
            .map(|(arch, (major, minor))| (arch, format!("{major}.{minor}")))
            .collect(),
        computed,
    }
}
