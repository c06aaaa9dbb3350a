//! Diagnostics go to a log file, never to the terminal the view draws on.

use std::path::{Path, PathBuf};

use crate::cli::Options;
use crate::error::{AppError, AppResult};
use queuetop_engine::config::ConfigFile;

/// Sets up the log file, if any. Diagnostics never go to the terminal.
pub fn init_log(path: Option<&Path>) -> AppResult<()> {
    let Some(path) = path else { return Ok(()) };
    let file = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(path)
        .map_err(|e| AppError::Usage(format!("--log {}: {e}", path.display())))?;
    let _ = tracing_subscriber::fmt()
        .with_writer(std::sync::Mutex::new(file))
        .with_ansi(false)
        .with_max_level(tracing::Level::INFO)
        .try_init();
    Ok(())
}

/// A service's log: the file when one is given, else stderr (systemd's
/// journal takes it from there).
pub fn init_service_log(path: Option<&Path>) -> AppResult<()> {
    if path.is_some() {
        return init_log(path);
    }
    let _ = tracing_subscriber::fmt()
        .with_writer(std::io::stderr)
        .with_ansi(false)
        .with_max_level(tracing::Level::INFO)
        .try_init();
    Ok(())
}

pub fn log_path(options: &Options, file: &ConfigFile) -> Option<PathBuf> {
    options
        .log
        .clone()
        .or_else(|| file.display.log.as_ref().map(PathBuf::from))
}

/// One log line per kind of problem: the first at once, then at most one a
/// minute, each telling how many came since the line before. `N` kinds,
/// told apart by their place.
#[derive(Debug)]
pub struct Throttle<const N: usize> {
    /// Per kind: when it was last logged, and its count then.
    logged: std::sync::Mutex<[Option<(std::time::Instant, u64)>; N]>,
}

impl<const N: usize> Default for Throttle<N> {
    fn default() -> Self {
        Throttle {
            logged: std::sync::Mutex::new([None; N]),
        }
    }
}

impl<const N: usize> Throttle<N> {
    /// How long a kind stays quiet after its line.
    pub const EVERY: std::time::Duration = std::time::Duration::from_secs(60);

    /// Whether kind `kind`, counted `total` times in all, is due a line at
    /// `now`: if so, how many came since its last line (all of them, the
    /// first time), and the line is taken as written.
    pub fn due(&self, kind: usize, total: u64, now: std::time::Instant) -> Option<u64> {
        let mut logged = self.logged.lock().unwrap_or_else(|p| p.into_inner());
        let slot = logged.get_mut(kind)?;
        if slot.is_some_and(|(at, _)| now.duration_since(at) < Self::EVERY) {
            return None;
        }
        let since = total.saturating_sub(slot.map_or(0, |(_, n)| n));
        *slot = Some((now, total));
        Some(since)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_kind_is_logged_at_once_then_at_most_once_a_minute() {
        let t = Throttle::<2>::default();
        let t0 = std::time::Instant::now();
        let later = |s| t0 + std::time::Duration::from_secs(s);
        assert_eq!(t.due(0, 1, t0), Some(1));
        assert_eq!(t.due(0, 2, later(30)), None);
        assert_eq!(
            t.due(1, 1, later(30)),
            Some(1),
            "another kind has its own minute"
        );
        assert_eq!(t.due(0, 5, later(60)), Some(4), "four since the first line");
        assert_eq!(t.due(2, 1, t0), None, "no such kind");
    }
}
