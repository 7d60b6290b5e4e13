//! Progress on stderr for long solves: an indicatif bar (or spinner) that appears after about a
//! second, only when stderr is a terminal and `--quiet` is not given.

use std::io::IsTerminal;
use std::time::Duration;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

/// How long a solve runs before progress is shown.
const SHOW_AFTER: Duration = Duration::from_millis(1000);

/// A progress indicator that stays hidden for short solves, in pipes and under `--quiet`.
pub(crate) struct Progress {
    bar: Option<ProgressBar>,
}

impl Progress {
    /// A bar over `len` steps, or a spinner when `len` is `None`.
    pub(crate) fn new(len: Option<u64>, message: &str, quiet: bool) -> Progress {
        if quiet || !std::io::stderr().is_terminal() {
            return Progress { bar: None };
        }
        let bar = match len {
            Some(n) => {
                let b = ProgressBar::with_draw_target(Some(n), ProgressDrawTarget::hidden());
                if let Ok(style) = ProgressStyle::with_template(
                    "{spinner} {msg} [{bar:30}] {pos}/{len} · {elapsed}",
                ) {
                    b.set_style(style.progress_chars("=> "));
                }
                b
            }
            None => {
                let b = ProgressBar::with_draw_target(None, ProgressDrawTarget::hidden());
                if let Ok(style) = ProgressStyle::with_template("{spinner} {msg} · {elapsed}") {
                    b.set_style(style);
                }
                b
            }
        };
        bar.set_message(message.to_string());
        let delayed = bar.clone();
        std::thread::spawn(move || {
            std::thread::sleep(SHOW_AFTER);
            if !delayed.is_finished() {
                delayed.set_draw_target(ProgressDrawTarget::stderr());
                delayed.enable_steady_tick(Duration::from_millis(120));
            }
        });
        Progress { bar: Some(bar) }
    }

    /// One step done.
    pub(crate) fn inc(&self) {
        if let Some(b) = &self.bar {
            b.inc(1);
        }
    }

    /// Removes the indicator.
    pub(crate) fn finish(&self) {
        if let Some(b) = &self.bar {
            b.finish_and_clear();
        }
    }
}
