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

/// Events the floor dropped at one of its limits (docs/metrics.md,
/// Limits): counted (`over_limit`), and said in the log at most every so
/// often, with the count so far, so that a floor missing queues or agents
/// is not a mystery to whoever reads the log.
#[derive(Debug, Default)]
pub struct LimitLog {
    /// The count last logged, and when.
    logged: u64,
    at: Option<Ts>,
}

impl LimitLog {
    /// The floor's `over_limit` count after a frame, at `at`. Returns
    /// whether a line was written.
    pub fn note(&mut self, over_limit: u64, at: Ts) -> bool {
        if over_limit <= self.logged || self.at.is_some_and(|t| at.0.saturating_sub(t.0) < EVERY_MS)
        {
            return false;
        }
        tracing::warn!(
            "events dropped at a limit so far: {over_limit} (a floor holds at most 10,000 queues, \
             100,000 agents, 1,000,000 live contacts, 1,024 contacts an agent: docs/metrics.md, Limits)"
        );
        self.logged = over_limit;
        self.at = Some(at);
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn limits_are_said_once_in_a_while_and_only_when_more_were_dropped() {
        let mut log = LimitLog::default();
        assert!(!log.note(0, Ts(0)));
        assert!(log.note(3, Ts(0)));
        assert!(!log.note(9, Ts(5_000)));
        assert!(log.note(9, Ts(10_000)));
        assert!(!log.note(9, Ts(60_000)));
    }

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
