//! What a compiled member of a wheel says about where it can run.
//!
//! A member is recognised by its magic number: `\x7fELF` for ELF, the Mach-O magics (32/64-bit,
//! either byte order) and the fat (universal) magic. ELF files are read with goblin for their
//! machine, `DT_NEEDED` libraries, `DT_SONAME` and the symbol versions they need from each
//! library (`.gnu.version_r`); Mach-O files for each slice's CPU and its minimum macOS
//! (`LC_BUILD_VERSION`, else `LC_VERSION_MIN_MACOSX`). A binary goblin cannot read is kept as
//! [`Binary::Unreadable`] with the reason.

use std::collections::{BTreeMap, BTreeSet};

use goblin::elf::header;
use goblin::mach::load_command::CommandVariant;
use goblin::mach::{Mach, MachO, SingleArch};

/// A compiled member, summarised.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Binary {
    /// An ELF shared object or executable.
    Elf(ElfInfo),
    /// A Mach-O file, thin or universal.
    MachO(MachInfo),
    /// A file with a binary magic number that cannot be parsed.
    Unreadable {
        /// `ELF` or `Mach-O`.
        format: &'static str,
        /// What went wrong.
        reason: String,
    },
}

/// What an ELF file needs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ElfInfo {
    /// The architecture as platform tags spell it (`x86_64`, `aarch64`, …), if known.
    pub arch: Option<String>,
    /// `DT_SONAME`.
    pub soname: Option<String>,
    /// `DT_NEEDED`, in order.
    pub needed: Vec<String>,
    /// Symbol versions needed, by the library that provides them.
    pub versions: BTreeMap<String, BTreeSet<String>>,
}

/// What a Mach-O file holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MachInfo {
    /// One entry per architecture slice.
    pub slices: Vec<MachSlice>,
}

/// One architecture of a Mach-O file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MachSlice {
    /// `x86_64`, `arm64`, `i386`, `ppc`, or `cpu<N>`.
    pub arch: String,
    /// The minimum macOS (major, minor), when the file says.
    pub min_macos: Option<(u32, u32)>,
}

const ELF_MAGIC: [u8; 4] = [0x7f, b'E', b'L', b'F'];
const MACH_MAGICS: [[u8; 4]; 6] = [
    [0xfe, 0xed, 0xfa, 0xce],
    [0xce, 0xfa, 0xed, 0xfe],
    [0xfe, 0xed, 0xfa, 0xcf],
    [0xcf, 0xfa, 0xed, 0xfe],
    [0xca, 0xfe, 0xba, 0xbe],
    [0xbe, 0xba, 0xfe, 0xca],
];

/// Whether `head` (a file's first bytes) starts with an ELF or Mach-O magic number.
pub fn has_binary_magic(head: &[u8]) -> bool {
    head.get(..4)
        .and_then(|magic| <[u8; 4]>::try_from(magic).ok())
        .is_some_and(|magic| magic == ELF_MAGIC || MACH_MAGICS.contains(&magic))
}

/// Whether a member's file name says it is a shared object (`x.so`, `libx.so.1.2`).
pub fn named_shared_object(path: &str) -> bool {
    let filename = path.rsplit('/').next().unwrap_or(path);
    filename.ends_with(".so") || filename.contains(".so.")
}

/// Reads `data` as a binary when its magic number says it is one.
pub fn inspect(data: &[u8]) -> Option<Binary> {
    let magic: [u8; 4] = data.get(..4)?.try_into().ok()?;
    if magic == ELF_MAGIC {
        return Some(match elf(data) {
            Ok(info) => Binary::Elf(info),
            Err(reason) => Binary::Unreadable {
                format: "ELF",
                reason,
            },
        });
    }
    if MACH_MAGICS.contains(&magic) {
        // 0xcafebabe is also a Java class file; those carry a small version where a fat
        // Mach-O carries its (small) architecture count, so both parse attempts are made and
        // only a Mach-O that parses or a non-class file is reported.
        return match mach(data) {
            Ok(info) => Some(Binary::MachO(info)),
            Err(_) if magic == [0xca, 0xfe, 0xba, 0xbe] => None,
            Err(reason) => Some(Binary::Unreadable {
                format: "Mach-O",
                reason,
            }),
        };
    }
    None
}

fn elf(data: &[u8]) -> Result<ElfInfo, String> {
    let elf = goblin::elf::Elf::parse(data).map_err(|error| error.to_string())?;
    let arch = elf_arch(elf.header.e_machine, elf.is_64, elf.little_endian);
    let mut versions: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    if let Some(verneed) = &elf.verneed {
        for need in verneed.iter() {
            let Some(file) = elf.dynstrtab.get_at(need.vn_file) else {
                continue;
            };
            for aux in need.iter() {
                if let Some(name) = elf.dynstrtab.get_at(aux.vna_name) {
                    versions
                        .entry(file.to_string())
                        .or_default()
                        .insert(name.to_string());
                }
            }
        }
    }
    Ok(ElfInfo {
        arch,
        soname: elf.soname.map(str::to_string),
        needed: elf.libraries.iter().map(|lib| lib.to_string()).collect(),
        versions,
    })
}

/// The platform-tag spelling of an ELF machine.
fn elf_arch(machine: u16, is_64: bool, little_endian: bool) -> Option<String> {
    let arch = match machine {
        header::EM_X86_64 => "x86_64",
        header::EM_386 => "i686",
        header::EM_AARCH64 => "aarch64",
        header::EM_PPC64 if little_endian => "ppc64le",
        header::EM_PPC64 => "ppc64",
        header::EM_S390 if is_64 => "s390x",
        header::EM_ARM => "armv7l",
        header::EM_RISCV if is_64 => "riscv64",
        258 => "loongarch64",
        _ => return None,
    };
    Some(arch.to_string())
}

fn mach(data: &[u8]) -> Result<MachInfo, String> {
    let parsed = Mach::parse(data).map_err(|error| error.to_string())?;
    let mut slices = Vec::new();
    match parsed {
        Mach::Binary(macho) => slices.push(slice(&macho)),
        Mach::Fat(fat) => {
            for arch in &fat {
                match arch.map_err(|error| error.to_string())? {
                    SingleArch::MachO(macho) => slices.push(slice(&macho)),
                    SingleArch::Archive(_) => {}
                }
            }
        }
    }
    Ok(MachInfo { slices })
}

fn slice(macho: &MachO<'_>) -> MachSlice {
    use goblin::mach::constants::cputype;
    let arch = match macho.header.cputype {
        cputype::CPU_TYPE_X86_64 => "x86_64".to_string(),
        cputype::CPU_TYPE_ARM64 => "arm64".to_string(),
        cputype::CPU_TYPE_X86 => "i386".to_string(),
        cputype::CPU_TYPE_POWERPC => "ppc".to_string(),
        other => format!("cpu{other}"),
    };
    let mut min_macos = None;
    for command in &macho.load_commands {
        let version = match &command.command {
            // Platform 1 is macOS; iOS and the rest say nothing about the macOS floor.
            CommandVariant::BuildVersion(build) if build.platform == 1 => build.minos,
            CommandVariant::VersionMinMacosx(min) => min.version,
            _ => continue,
        };
        min_macos = Some((version >> 16, (version >> 8) & 0xff));
    }
    MachSlice { arch, min_macos }
}

#[cfg(test)]
mod tests {
    use super::{Binary, inspect};

    #[test]
    fn text_is_no_binary() {
        assert_eq!(inspect(b"import os\n"), None);
        assert_eq!(inspect(b""), None);
    }

    #[test]
    fn truncated_elf_is_unreadable() {
        let found = inspect(b"\x7fELF\x02\x01\x01\x00garbage");
        assert!(matches!(
            found,
            Some(Binary::Unreadable { format: "ELF", .. })
        ));
    }
}
