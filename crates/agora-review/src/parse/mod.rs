//! Parsers for the inputs that are neither TOML nor YAML (`setup.cfg` and `noxfile.py`), and
//! the depth check YAML gets before its parser.
//!
//! TOML and YAML go through the `toml` and `serde_yaml_ng` crates (see [`crate::repo`]);
//! these two formats are read by small hand-written parsers that keep line numbers for errors.

pub mod ini;
pub mod python;
pub mod yaml_depth;
