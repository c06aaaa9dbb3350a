//! The event log pane: what happened, when, newest last, bounded.

use std::collections::VecDeque;

use queuetop_engine::time::Ts;

/// How many entries the log keeps; older ones fall off.
pub const LOG_CAPACITY: usize = 500;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Severity {
    Info,
    /// Something went back to normal.
    Good,
    Warn,
    Crit,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LogEntry {
    /// On the feed's clock.
    pub at: Ts,
    pub severity: Severity,
    pub text: String,
}

impl LogEntry {
    pub fn new(at: Ts, severity: Severity, text: impl Into<String>) -> Self {
        LogEntry {
            at,
            severity,
            text: text.into(),
        }
    }
}

#[derive(Debug, Default, Clone)]
pub struct EventLog {
    entries: VecDeque<LogEntry>,
    /// Bumped on every push, so the screen knows the log changed.
    pub pushed: u64,
}

impl EventLog {
    pub fn push(&mut self, e: LogEntry) {
        if self.entries.len() == LOG_CAPACITY {
            self.entries.pop_front();
        }
        self.entries.push_back(e);
        self.pushed += 1;
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// `n` entries ending `back` entries before the newest, oldest first.
    pub fn window(&self, back: usize, n: usize) -> impl Iterator<Item = &LogEntry> {
        let end = self.entries.len().saturating_sub(back);
        let start = end.saturating_sub(n);
        self.entries.range(start..end)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bounded_and_windowed() {
        let mut log = EventLog::default();
        for i in 0..(LOG_CAPACITY as i64 + 10) {
            log.push(LogEntry::new(Ts(i), Severity::Info, format!("e{i}")));
        }
        assert_eq!(log.len(), LOG_CAPACITY);
        let last: Vec<i64> = log.window(0, 2).map(|e| e.at.0).collect();
        assert_eq!(last, vec![508, 509]);
        let scrolled: Vec<i64> = log.window(3, 2).map(|e| e.at.0).collect();
        assert_eq!(scrolled, vec![505, 506]);
        assert_eq!(log.window(10_000, 3).count(), 0);
    }
}
