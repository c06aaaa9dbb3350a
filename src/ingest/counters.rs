//! What the listener accepted and rejected, by kind, with one log line per
//! kind of problem: the first at once, then at most one a minute with the
//! count since.

use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Instant;

use crate::logging::Throttle;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reject {
    Malformed,
    Signature,
    NotFound,
    Method,
    TooLarge,
    ContentType,
    Timeout,
}

impl Reject {
    const ALL: [Reject; 7] = [
        Reject::Malformed,
        Reject::Signature,
        Reject::NotFound,
        Reject::Method,
        Reject::TooLarge,
        Reject::ContentType,
        Reject::Timeout,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Reject::Malformed => "malformed",
            Reject::Signature => "signature",
            Reject::NotFound => "not_found",
            Reject::Method => "method",
            Reject::TooLarge => "too_large",
            Reject::ContentType => "content_type",
            Reject::Timeout => "timeout",
        }
    }
}

#[derive(Default)]
pub struct Counters {
    pub accepted: AtomicU64,
    rejected: [AtomicU64; 7],
    logged: Throttle<7>,
}

impl Counters {
    pub fn accept(&self) {
        self.accepted.fetch_add(1, Ordering::Relaxed);
    }

    pub fn reject(&self, kind: Reject, why: &str) {
        let i = kind as usize;
        let total = self.rejected[i].fetch_add(1, Ordering::Relaxed) + 1;
        if let Some(since) = self.logged.due(i, total, Instant::now()) {
            // `why` is ours, never request bytes: nothing to strip.
            tracing::warn!(
                "webhook: rejected ({}): {why} ({since} since the last line, {total} in all)",
                kind.name()
            );
        }
    }

    pub fn rejected(&self, kind: Reject) -> u64 {
        self.rejected[kind as usize].load(Ordering::Relaxed)
    }

    /// One line: `accepted N, rejected malformed=N signature=N ...`.
    pub fn summary(&self) -> String {
        let mut s = format!(
            "accepted {}, rejected",
            self.accepted.load(Ordering::Relaxed)
        );
        for k in Reject::ALL {
            s.push_str(&format!(" {}={}", k.name(), self.rejected(k)));
        }
        s
    }
}
