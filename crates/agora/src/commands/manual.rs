//! `agora completions SHELL` and `agora man`: shell completions and manual pages from the clap
//! definitions of [`crate::cli`], so they never drift from the commands.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Context as _;
use clap::{Args, CommandFactory as _};

/// `agora completions`.
#[derive(Debug, Args)]
pub struct CompletionsArgs {
    /// The shell
    #[arg(value_enum)]
    pub shell: clap_complete::Shell,
}

/// `agora man`.
#[derive(Debug, Args)]
pub struct ManArgs {
    /// Write one page per command into this folder instead of agora(1) to standard output
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
}

/// Prints the completion script.
pub fn completions(args: &CompletionsArgs) -> anyhow::Result<ExitCode> {
    let mut command = crate::cli::Cli::command();
    let mut script = Vec::new();
    clap_complete::generate(args.shell, &mut command, "agora", &mut script);
    crate::output::print(&String::from_utf8_lossy(&script))?;
    Ok(ExitCode::SUCCESS)
}

/// Prints agora(1), or writes every command's page into `--out`.
pub fn man(args: &ManArgs) -> anyhow::Result<ExitCode> {
    let command = crate::cli::Cli::command();
    match &args.out {
        None => {
            let mut page = Vec::new();
            clap_mangen::Man::new(command).render(&mut page)?;
            crate::output::print(&String::from_utf8_lossy(&page))?;
        }
        Some(dir) => {
            std::fs::create_dir_all(dir)
                .with_context(|| format!("cannot create {}", dir.display()))?;
            let mut written = Vec::new();
            write_pages(&command, dir, &mut written)?;
            for path in written {
                crate::output::println(&format!("wrote {}", path.display()))?;
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// Writes a page per command into `dir` (clap_mangen names them by display name:
/// `agora.1`, `agora-schedule-check.1`, …) and lists them in `written`.
fn write_pages(
    command: &clap::Command,
    dir: &Path,
    written: &mut Vec<PathBuf>,
) -> anyhow::Result<()> {
    clap_mangen::generate_to(command.clone(), dir)
        .with_context(|| format!("cannot write the manual pages into {}", dir.display()))?;
    let mut built = command.clone().disable_help_subcommand(true);
    built.build();
    list_pages(&built, dir, written);
    Ok(())
}

/// The page of `command` and of each subcommand, as `generate_to` names them.
fn list_pages(command: &clap::Command, dir: &Path, written: &mut Vec<PathBuf>) {
    let name = command
        .get_display_name()
        .unwrap_or_else(|| command.get_name());
    written.push(dir.join(format!("{name}.1")));
    for sub in command.get_subcommands().filter(|s| !s.is_hide_set()) {
        list_pages(sub, dir, written);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::ValueEnum as _;

    /// Every subcommand as its path of names (`["schedule", "check"]`), help left out.
    fn subcommands(command: &clap::Command, above: &[String], out: &mut Vec<Vec<String>>) {
        for sub in command.get_subcommands() {
            if sub.get_name() == "help" {
                continue;
            }
            let mut path = above.to_vec();
            path.push(sub.get_name().to_string());
            out.push(path.clone());
            subcommands(sub, &path, out);
        }
    }

    fn all_subcommands() -> Vec<Vec<String>> {
        let mut out = Vec::new();
        subcommands(&crate::cli::Cli::command(), &[], &mut out);
        out
    }

    #[test]
    fn completions_mention_every_subcommand() {
        let all = all_subcommands();
        assert!(all.iter().any(|p| p == &["new"]));
        assert!(all.iter().any(|p| p == &["schedule", "matrix"]));
        for shell in clap_complete::Shell::value_variants() {
            let mut script = Vec::new();
            clap_complete::generate(
                *shell,
                &mut crate::cli::Cli::command(),
                "agora",
                &mut script,
            );
            let script = String::from_utf8(script).expect("UTF-8");
            for path in &all {
                let name = path.last().expect("a name");
                assert!(script.contains(name.as_str()), "{shell}: {path:?}");
            }
            // Options too: a subcommand's own flags are completed.
            assert!(script.contains("backend"), "{shell}");
        }
    }

    #[test]
    fn man_pages_for_every_command() {
        let dir = tempfile::tempdir().expect("temp dir");
        let command = crate::cli::Cli::command();
        let mut written = Vec::new();
        write_pages(&command, dir.path(), &mut written).expect("written");
        let all = all_subcommands();
        assert_eq!(written.len(), all.len() + 1);
        assert!(written.iter().all(|p| p.is_file()), "{written:?}");
        let main = std::fs::read_to_string(dir.path().join("agora.1")).expect("agora.1");
        assert!(
            main.starts_with(".ie") || main.contains(".TH agora"),
            "{main}"
        );
        for path in &all {
            let page = dir.path().join(format!("agora-{}.1", path.join("-")));
            let text = std::fs::read_to_string(&page)
                .unwrap_or_else(|e| panic!("{}: {e}", page.display()));
            assert!(text.contains(".SH NAME"), "{}", page.display());
            if path.len() == 1 {
                assert!(main.contains(&path[0]), "agora.1 does not name {path:?}");
            }
        }
        let new = std::fs::read_to_string(dir.path().join("agora-new.1")).expect("agora-new.1");
        assert!(new.contains("meson\\-python"), "{new}");
    }
}
