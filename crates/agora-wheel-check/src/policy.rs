//! The manylinux (PEP 600) and musllinux (PEP 656) policies: which system libraries a wheel may
//! link without vendoring them, and which symbol versions it may need.
//!
//! The manylinux table is `data/manylinux-policy.txt` (oldest policy first, each listing what
//! it adds to the one before: architectures, allowed libraries, newly allowed symbol versions
//! per architecture), compiled in and expanded here into cumulative sets. Only the version
//! families the policies constrain (`GLIBC_`, `GLIBCXX_`, `CXXABI_`, `GCC_`, `LIBATOMIC_`,
//! `ZLIB_`) count; a needed `GLIBC_2.99` or `GLIBC_PRIVATE` is allowed by no policy. musllinux
//! allows only musl's libc and zlib; musl has no symbol versions, so the musl version a binary
//! needs cannot be read from it.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::OnceLock;

const TABLE: &str = include_str!("../data/manylinux-policy.txt");

/// The version families the manylinux policies constrain.
pub const CONSTRAINED_FAMILIES: [&str; 6] =
    ["CXXABI", "GCC", "GLIBC", "GLIBCXX", "LIBATOMIC", "ZLIB"];

/// One manylinux policy, cumulative (everything older policies allow is included).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Policy {
    /// `manylinux_2_17`.
    pub name: String,
    /// The glibc version it stands for.
    pub glibc: (u32, u32),
    /// The legacy name (`manylinux2014`), if any.
    pub alias: Option<String>,
    /// Architectures the policy is defined for.
    pub arches: BTreeSet<String>,
    /// System libraries a wheel may need without vendoring them.
    pub libraries: BTreeSet<String>,
    /// Allowed symbol versions (`GLIBC_2.17`) by architecture.
    pub versions: BTreeMap<String, BTreeSet<String>>,
}

impl Policy {
    /// Whether the policy allows needing `version` (`GLIBC_2.28`) on `arch`; versions of
    /// families it does not constrain are always allowed.
    pub fn allows_version(&self, arch: &str, version: &str) -> bool {
        let family = version.split('_').next().unwrap_or_default();
        !CONSTRAINED_FAMILIES.contains(&family)
            || self
                .versions
                .get(arch)
                .is_some_and(|allowed| allowed.contains(version))
    }
}

/// The manylinux policies, oldest first.
pub fn manylinux() -> &'static [Policy] {
    static POLICIES: OnceLock<Vec<Policy>> = OnceLock::new();
    POLICIES.get_or_init(|| parse_table(TABLE))
}

fn parse_table(table: &str) -> Vec<Policy> {
    let mut policies: Vec<Policy> = Vec::new();
    for line in table.lines() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let mut words = line.split_whitespace();
        let Some(head) = words.next() else { continue };
        if head == "policy" {
            let name = words.next().unwrap_or_default().to_string();
            let glibc = name
                .strip_prefix("manylinux_")
                .and_then(|rest| rest.split_once('_'))
                .and_then(|(a, b)| Some((a.parse().ok()?, b.parse().ok()?)))
                .unwrap_or((0, 0));
            let (libraries, versions) = policies
                .last()
                .map(|last| (last.libraries.clone(), last.versions.clone()))
                .unwrap_or_default();
            policies.push(Policy {
                name,
                glibc,
                alias: words.next().map(str::to_string),
                arches: BTreeSet::new(),
                libraries,
                versions,
            });
            continue;
        }
        let Some(policy) = policies.last_mut() else {
            continue;
        };
        match head {
            "arches" => policy.arches = words.map(str::to_string).collect(),
            "libs" => policy.libraries.extend(words.map(str::to_string)),
            arch => policy
                .versions
                .entry(arch.to_string())
                .or_default()
                .extend(words.map(str::to_string)),
        }
    }
    policies
}

/// The libraries a musllinux wheel may need without vendoring them.
pub fn musllinux_libraries(arch: &str) -> BTreeSet<String> {
    [format!("libc.musl-{arch}.so.1"), "libz.so.1".to_string()]
        .into_iter()
        .collect()
}

/// The numeric part of a symbol version (`GLIBC_2.17` → `[2, 17]`), if it has one.
pub fn version_number(version: &str) -> Option<Vec<u32>> {
    let (_, number) = version.split_once('_')?;
    number.split('.').map(|part| part.parse().ok()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_reads_and_grows() {
        let policies = manylinux();
        assert!(policies.len() >= 15, "{} policies", policies.len());
        let Some(p2014) = policies.iter().find(|p| p.name == "manylinux_2_17") else {
            panic!("manylinux_2_17 is in the table");
        };
        assert_eq!(p2014.alias.as_deref(), Some("manylinux2014"));
        assert_eq!(p2014.glibc, (2, 17));
        assert!(p2014.libraries.contains("libc.so.6"));
        assert!(p2014.allows_version("x86_64", "GLIBC_2.17"));
        assert!(!p2014.allows_version("x86_64", "GLIBC_2.18"));
        assert!(p2014.allows_version("aarch64", "GLIBC_2.18"));
        assert!(p2014.allows_version("x86_64", "GFORTRAN_8"));
        // Policies are cumulative and ordered oldest first.
        for pair in policies.windows(2) {
            assert!(pair[0].glibc < pair[1].glibc);
            assert!(pair[0].libraries.is_subset(&pair[1].libraries));
        }
        assert_eq!(version_number("GLIBCXX_3.4.21"), Some(vec![3, 4, 21]));
        assert_eq!(version_number("GLIBC_PRIVATE"), None);
    }
}
