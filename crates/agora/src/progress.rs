//! Progress bars: drawn on a terminal, silent in CI, in pipes and with `--quiet`.

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

/// Whether progress and summaries may be written to stderr.
pub fn interactive(quiet: bool) -> bool {
    use std::io::IsTerminal as _;
    !quiet && std::io::stderr().is_terminal() && std::env::var_os("CI").is_none()
}

/// A bar of `len` steps labelled `what`, hidden when not [`interactive`].
pub fn bar(len: usize, what: &str, quiet: bool) -> ProgressBar {
    let bar = ProgressBar::with_draw_target(
        Some(len as u64),
        if interactive(quiet) {
            ProgressDrawTarget::stderr()
        } else {
            ProgressDrawTarget::hidden()
        },
    );
    let style = ProgressStyle::with_template("{prefix} [{bar:30}] {pos}/{len} {msg}")
        .unwrap_or_else(|_| ProgressStyle::default_bar())
        .progress_chars("=> ");
    bar.set_style(style);
    bar.set_prefix(what.to_string());
    bar
}

/// The terminal's view of a use case's progress: a bar for each stage whose length is known
/// (hidden when not [`interactive`]), and warnings on stderr.
pub struct Reporter {
    quiet: bool,
    bars: std::sync::Mutex<Vec<(agora_bench_hosting::Stage, ProgressBar)>>,
}

impl Reporter {
    /// A reporter that draws nothing when `quiet`.
    pub fn new(quiet: bool) -> Reporter {
        Reporter {
            quiet,
            bars: std::sync::Mutex::new(Vec::new()),
        }
    }

    /// Runs `f` on the bar of `stage`, if it has one.
    fn with_bar(&self, stage: agora_bench_hosting::Stage, f: impl FnOnce(&ProgressBar)) {
        let bars = self.bars.lock().unwrap_or_else(|e| e.into_inner());
        if let Some((_, bar)) = bars.iter().find(|(s, _)| *s == stage) {
            f(bar);
        }
    }
}

impl agora_bench_hosting::Progress for Reporter {
    fn start(&self, stage: agora_bench_hosting::Stage, total: Option<u64>) {
        if let Some(total) = total {
            let bar = bar(total as usize, stage.label(), self.quiet);
            let mut bars = self.bars.lock().unwrap_or_else(|e| e.into_inner());
            bars.retain(|(s, _)| *s != stage);
            bars.push((stage, bar));
        }
    }

    fn advance(&self, stage: agora_bench_hosting::Stage) {
        self.with_bar(stage, |bar| bar.inc(1));
    }

    fn finish(&self, stage: agora_bench_hosting::Stage) {
        self.with_bar(stage, ProgressBar::finish_and_clear);
    }

    /// Printed even with `--quiet`, as a warning about the command's own input.
    fn warning(&self, message: &str) {
        eprintln!("warning: {message}");
    }
}

impl Drop for Reporter {
    /// Clears the bars a failed use case left drawn.
    fn drop(&mut self) {
        let bars = self.bars.get_mut().unwrap_or_else(|e| e.into_inner());
        for (_, bar) in bars.drain(..) {
            bar.finish_and_clear();
        }
    }
}
