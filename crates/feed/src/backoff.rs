//! Exponential backoff with full jitter: after the n-th failure in a row we
//! wait a random time between zero and `min(cap, base * 2^(n-1))`. Random
//! waits keep a thousand screens from reconnecting in step after an outage.

use std::time::Duration;

pub const BASE: Duration = Duration::from_millis(500);
pub const CAP: Duration = Duration::from_secs(30);
/// A connection that stayed up this long resets the backoff.
pub const STABLE_AFTER: Duration = Duration::from_secs(60);

#[derive(Debug, Clone)]
pub struct Backoff {
    failures: u32,
    rng: fastrand::Rng,
}

impl Default for Backoff {
    fn default() -> Self {
        Backoff::new(fastrand::Rng::new())
    }
}

impl Backoff {
    pub fn new(rng: fastrand::Rng) -> Self {
        Backoff { failures: 0, rng }
    }

    /// The longest wait after `attempt` failures in a row (1-based).
    pub fn ceiling(attempt: u32) -> Duration {
        let doublings = attempt.saturating_sub(1).min(16);
        BASE.saturating_mul(1 << doublings).min(CAP)
    }

    /// Notes one more failure; returns how many in a row, and how long to wait.
    pub fn fail(&mut self) -> (u32, Duration) {
        self.failures = self.failures.saturating_add(1);
        let ceiling = Self::ceiling(self.failures).as_millis() as u64;
        (
            self.failures,
            Duration::from_millis(self.rng.u64(0..=ceiling)),
        )
    }

    pub fn reset(&mut self) {
        self.failures = 0;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ceilings_double_up_to_the_cap() {
        let c: Vec<u64> = (1..=9)
            .map(|n| Backoff::ceiling(n).as_millis() as u64)
            .collect();
        assert_eq!(c, [500, 1000, 2000, 4000, 8000, 16000, 30000, 30000, 30000]);
        assert_eq!(Backoff::ceiling(u32::MAX), CAP);
    }

    #[test]
    fn waits_stay_under_the_ceiling_and_spread() {
        let mut b = Backoff::new(fastrand::Rng::with_seed(7));
        let mut waits = Vec::new();
        for n in 1..=200 {
            let (attempt, wait) = b.fail();
            assert_eq!(attempt, n);
            assert!(wait <= Backoff::ceiling(n));
            waits.push(wait);
        }
        // Full jitter: the waits at the cap are spread, not all the same.
        let capped = &waits[10..];
        let min = capped.iter().min().copied().unwrap_or_default();
        let max = capped.iter().max().copied().unwrap_or_default();
        assert!(max - min > Duration::from_secs(10), "{min:?}..{max:?}");
        b.reset();
        let (attempt, wait) = b.fail();
        assert_eq!(attempt, 1);
        assert!(wait <= BASE);
    }
}
