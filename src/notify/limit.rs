//! Rate limits on actions: at most N a minute for one rule, and M a minute
//! in all. A flapping queue or a floor-wide outage (20,000 agents crossing
//! at once) must not turn into a flood of pages. Time is passed in.

use std::collections::HashMap;
use std::time::{Duration, Instant};

const WINDOW: Duration = Duration::from_secs(60);

/// A fixed one-minute window: its start and what it let through.
#[derive(Clone, Copy, Debug)]
struct Window {
    start: Instant,
    used: u32,
}

impl Window {
    fn take(&mut self, limit: u32, now: Instant) -> bool {
        if now.duration_since(self.start) >= WINDOW {
            *self = Window {
                start: now,
                used: 0,
            };
        }
        if self.used < limit {
            self.used += 1;
            true
        } else {
            false
        }
    }
}

#[derive(Debug)]
pub struct RateLimit {
    per_rule: u32,
    per_minute: u32,
    rules: HashMap<String, Window>,
    all: Window,
}

impl RateLimit {
    pub fn new(per_rule: u32, per_minute: u32, now: Instant) -> Self {
        RateLimit {
            per_rule,
            per_minute,
            rules: HashMap::new(),
            all: Window {
                start: now,
                used: 0,
            },
        }
    }

    /// Whether one more action of `rule` may go out at `now` (and counts it).
    pub fn allow(&mut self, rule: &str, now: Instant) -> bool {
        // Rules are a fixed set from the config: the map stays small.
        let w = self.rules.entry(rule.to_string()).or_insert(Window {
            start: now,
            used: 0,
        });
        let mut trial = *w;
        if !trial.take(self.per_rule, now) {
            *w = trial;
            return false;
        }
        if !self.all.take(self.per_minute, now) {
            return false;
        }
        *w = trial;
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn per_rule_and_global_limits_reset_each_minute() {
        let t0 = Instant::now();
        let mut l = RateLimit::new(2, 3, t0);
        assert!(l.allow("a", t0));
        assert!(l.allow("a", t0));
        assert!(!l.allow("a", t0), "a's two a minute are used");
        assert!(l.allow("b", t0));
        assert!(!l.allow("c", t0), "three a minute in all");
        let t1 = t0 + Duration::from_secs(61);
        assert!(l.allow("a", t1));
        assert!(l.allow("c", t1));
    }
}
