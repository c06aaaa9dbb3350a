//! Diagnostics: problems with the feed go to the log, one line per kind of
//! problem at most every so often, never to the screen.

use std::collections::HashMap;

use crate::protocol::RejectKind;
use crate::time::Ts;

/// How often one kind of problem may be logged again.
const EVERY_MS: i64 = 10_000;

#[derive(Debug, Default)]
pub struct RejectLog {
    last: HashMap<RejectKind, (Ts, u64)>,
}

impl RejectLog {
    /// Logs a refused frame or event unless its kind was logged recently;
    /// says how many of that kind were suppressed meanwhile.
    pub fn note(&mut self, kind: RejectKind, excerpt: &str, at: Ts) {
        let entry = self.last.entry(kind).or_insert((Ts(i64::MIN), 0));
        if at.0.saturating_sub(entry.0.0) < EVERY_MS {
            entry.1 += 1;
            return;
        }
        let suppressed = std::mem::take(&mut entry.1);
        entry.0 = at;
        if suppressed > 0 {
            tracing::warn!("rejected: {kind} ({suppressed} more since the last report): {excerpt}");
        } else {
            tracing::warn!("rejected: {kind}: {excerpt}");
        }
    }

    /// Whether a line would be written now (for tests).
    pub fn would_log(&self, kind: RejectKind, at: Ts) -> bool {
        self.last
            .get(&kind)
            .is_none_or(|(t, _)| at.0.saturating_sub(t.0) >= EVERY_MS)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_line_per_kind_per_period() {
        let mut log = RejectLog::default();
        assert!(log.would_log(RejectKind::NotJson, Ts(0)));
        log.note(RejectKind::NotJson, "x", Ts(0));
        assert!(!log.would_log(RejectKind::NotJson, Ts(5_000)));
        assert!(log.would_log(RejectKind::Binary, Ts(5_000)));
        assert!(log.would_log(RejectKind::NotJson, Ts(10_000)));
    }
}
