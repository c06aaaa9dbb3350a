//! What the actions did, counted; and their failures logged one line per
//! kind of failure at most once a minute (with how many since), so a dead
//! webhook behind a flapping alert does not fill the log.

use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Instant;

use crate::logging::Throttle;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Failure {
    /// The program exited non-zero or could not start.
    ExecFailed,
    /// The program ran past its timeout and was killed.
    ExecTimedOut,
    /// The rule's previous run was still going: this one was skipped.
    ExecBusy,
    /// The server answered 4xx: not retried.
    Http4xx,
    /// 5xx on the last attempt.
    Http5xx,
    /// No answer: connection refused, reset, or timed out (last attempt).
    HttpConnect,
    /// The rate limits held the action back.
    RateLimited,
    /// Too many webhook requests already under way.
    HttpBusy,
}

impl Failure {
    pub const ALL: [Failure; 8] = [
        Failure::ExecFailed,
        Failure::ExecTimedOut,
        Failure::ExecBusy,
        Failure::Http4xx,
        Failure::Http5xx,
        Failure::HttpConnect,
        Failure::RateLimited,
        Failure::HttpBusy,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Failure::ExecFailed => "exec failed",
            Failure::ExecTimedOut => "exec timed out",
            Failure::ExecBusy => "exec still running",
            Failure::Http4xx => "webhook refused (4xx)",
            Failure::Http5xx => "webhook server error (5xx)",
            Failure::HttpConnect => "webhook unreachable",
            Failure::RateLimited => "rate limited",
            Failure::HttpBusy => "too many webhooks under way",
        }
    }
}

#[derive(Debug, Default)]
pub struct Stats {
    pub sent: AtomicU64,
    pub retries: AtomicU64,
    failures: [AtomicU64; 8],
    logged: Throttle<8>,
}

impl Stats {
    pub fn failures(&self, f: Failure) -> u64 {
        self.failures[f as usize].load(Ordering::Relaxed)
    }

    /// Counts a failure and logs it, unless that kind was logged less than
    /// a minute ago. `detail` must hold no secret (no token, no body).
    pub fn fail(&self, f: Failure, detail: &str) {
        let n = self.failures[f as usize].fetch_add(1, Ordering::Relaxed) + 1;
        if let Some(since) = self.logged.due(f as usize, n, Instant::now()) {
            tracing::warn!(
                "alert action: {} ({since} since the last such line, {n} in all): {detail}",
                f.as_str()
            );
        }
    }
}
