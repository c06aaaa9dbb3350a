//! What the listener accepted and rejected, by kind, with one log line per
//! kind of problem: the first at once, then at most one a minute with the
//! count since.

use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

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

const LOG_EVERY: Duration = Duration::from_secs(60);

#[derive(Default)]
pub struct Counters {
    pub accepted: AtomicU64,
    rejected: [AtomicU64; 7],
    logged: Mutex<[Option<(Instant, u64)>; 7]>,
}

impl Counters {
    pub fn accept(&self) {
        self.accepted.fetch_add(1, Ordering::Relaxed);
    }

    pub fn reject(&self, kind: Reject, why: &str) {
        let i = kind as usize;
        let total = self.rejected[i].fetch_add(1, Ordering::Relaxed) + 1;
        let mut logged = match self.logged.lock() {
            Ok(g) => g,
            Err(p) => p.into_inner(),
        };
        let now = Instant::now();
        let due = match logged[i] {
            None => true,
            Some((at, _)) => now.duration_since(at) >= LOG_EVERY,
        };
        if due {
            let since = logged[i].map_or(total, |(_, n)| total - n);
            // `why` is ours, never request bytes: nothing to strip.
            tracing::warn!(
                "webhook: rejected ({}): {why} ({since} since the last line, {total} in all)",
                kind.name()
            );
            logged[i] = Some((now, total));
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
