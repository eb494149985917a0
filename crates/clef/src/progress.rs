//! A small progress bar on stderr: redrawn in place on a terminal, one line
//! per phase otherwise (logs, pipes).

use std::io::{IsTerminal, Write};
use std::time::{Duration, Instant};

/// The progress of one phase of a long task.
pub struct Progress {
    label: &'static str,
    total: u64,
    done: u64,
    tty: bool,
    started: Instant,
    last_draw: Option<Instant>,
}

/// One frame of the bar: `[#####     ]  45% customers 450000/1000000`.
pub fn render(label: &str, done: u64, total: u64, width: usize) -> String {
    let ratio = if total == 0 {
        1.0
    } else {
        (done.min(total) as f64) / (total as f64)
    };
    let filled = ((ratio * width as f64).round() as usize).min(width);
    format!(
        "[{}{}] {:>3}% {label} {done}/{total}",
        "#".repeat(filled),
        " ".repeat(width - filled),
        (ratio * 100.0).floor() as u64
    )
}

impl Progress {
    pub fn new(label: &'static str, total: u64) -> Self {
        let mut p = Self {
            label,
            total,
            done: 0,
            tty: std::io::stderr().is_terminal(),
            started: Instant::now(),
            last_draw: None,
        };
        p.draw(true);
        p
    }

    pub fn set(&mut self, done: u64) {
        self.done = done;
        self.draw(false);
    }

    fn draw(&mut self, force: bool) {
        if !self.tty {
            return;
        }
        let now = Instant::now();
        if !force
            && self
                .last_draw
                .is_some_and(|t| now.duration_since(t) < Duration::from_millis(100))
        {
            return;
        }
        self.last_draw = Some(now);
        let mut err = std::io::stderr().lock();
        let _ = write!(err, "\r{}", render(self.label, self.done, self.total, 30));
        let _ = err.flush();
    }

    /// Ends the phase; returns how long it took.
    pub fn finish(mut self) -> Duration {
        self.done = self.total;
        let took = self.started.elapsed();
        if self.tty {
            self.draw(true);
            eprintln!(" ({:.1} s)", took.as_secs_f64());
        } else {
            eprintln!(
                "{}: {}/{} done in {:.1} s",
                self.label,
                self.done,
                self.total,
                took.as_secs_f64()
            );
        }
        took
    }
}

impl Progress {
    /// Ends the phase without claiming it done (the task stopped).
    pub fn abandon(self) {
        if self.tty {
            eprintln!();
        }
    }
}

/// Shows the stages of a store task on stderr (a bar per stage, named by
/// `label`) until `stop` is set; `ok` says whether the last stage ended.
pub fn watch(
    p: std::sync::Arc<clef_store::Progress>,
    label: fn(u8) -> &'static str,
    stop: std::sync::Arc<std::sync::atomic::AtomicU8>,
) -> std::thread::JoinHandle<()> {
    use std::sync::atomic::Ordering::Relaxed;
    std::thread::spawn(move || {
        let mut shown: Option<(u8, Progress)> = None;
        loop {
            let end = stop.load(Relaxed);
            let (stage, done, total) = p.get();
            if stage != 0 && shown.as_ref().map(|(s, _)| *s) != Some(stage) {
                if let Some((_, bar)) = shown.take() {
                    bar.finish();
                }
                shown = Some((stage, Progress::new(label(stage), total)));
            }
            if let Some((_, bar)) = shown.as_mut() {
                bar.set(done);
            }
            if end != 0 {
                if let Some((_, bar)) = shown.take() {
                    if end == STOP_DONE {
                        bar.finish();
                    } else {
                        bar.abandon();
                    }
                }
                break;
            }
            std::thread::sleep(Duration::from_millis(100));
        }
    })
}

/// What `stop` of [`watch`] says: the task ended, or failed.
pub const STOP_DONE: u8 = 1;
pub const STOP_FAILED: u8 = 2;

#[cfg(test)]
mod tests {
    use super::render;

    #[test]
    fn the_bar_shows_the_share_done() {
        assert_eq!(
            render("customers", 450_000, 1_000_000, 10),
            "[#####     ]  45% customers 450000/1000000"
        );
        assert_eq!(render("users", 12, 12, 4), "[####] 100% users 12/12");
        assert_eq!(render("groups", 0, 0, 4), "[####] 100% groups 0/0");
        assert_eq!(render("revenue", 0, 10, 4), "[    ]   0% revenue 0/10");
    }
}
