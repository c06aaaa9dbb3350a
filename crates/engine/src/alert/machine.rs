//! One alert's life: pending (past a level, not yet for `hold`), firing,
//! clearing (back by `clear_margin`, not yet for `clear_for`), and back.
//!
//! Each level (warning, critical) runs the same steps on its own threshold:
//! - not firing: past the threshold starts (or keeps) a pending clock; it
//!   fires at the first look at which it has been past for `hold` (the
//!   Prometheus `for`). A look not past resets the clock.
//! - firing: a look at which the figure is *clear* (at or back past the
//!   threshold by `clear_margin`: `value <= threshold - margin` for a figure
//!   that is worse when higher) starts a clearing clock; it returns at the
//!   first look at which it has been clear for `clear_for`. A look not clear
//!   (past, or inside the margin) resets that clock.
//! - a figure that is gone (`None`: the agent left the state, the window
//!   has no samples) returns at once: there is nothing to hold on to.
//!
//! The alert's level is the highest level firing.

use super::rule::{Direction, Level, Limit};
use crate::time::Ts;

#[derive(Clone, Copy, Debug, Default, PartialEq)]
struct Stage {
    pending: Option<Ts>,
    firing: Option<Ts>,
    clearing: Option<Ts>,
}

impl Stage {
    fn step(
        &mut self,
        threshold: Option<f64>,
        lim: &Limit,
        dir: Direction,
        v: Option<f64>,
        now: Ts,
    ) {
        let (Some(t), Some(v)) = (threshold, v) else {
            *self = Stage::default();
            return;
        };
        let (past, clear) = match dir {
            Direction::Above => (v > t, v <= t - lim.clear_margin),
            Direction::Below => (v < t, v >= t + lim.clear_margin),
        };
        match self.firing {
            None if past => {
                let since = *self.pending.get_or_insert(now);
                if now.since(since) >= lim.hold {
                    self.firing = Some(now);
                    self.pending = None;
                }
            }
            None => self.pending = None,
            Some(_) if clear => {
                let since = *self.clearing.get_or_insert(now);
                if now.since(since) >= lim.clear_for {
                    *self = Stage::default();
                }
            }
            Some(_) => self.clearing = None,
        }
    }

    fn idle(&self) -> bool {
        self.pending.is_none() && self.firing.is_none()
    }

    /// For a figure that is worse when higher and only grows until
    /// something else changes: the value whose passing would change this
    /// stage, and the instant one of its clocks runs out. Looks at other
    /// times change nothing but the value shown.
    fn wake(&self, threshold: Option<f64>, lim: &Limit) -> (Option<f64>, Option<Ts>) {
        let Some(t) = threshold else {
            return (None, None);
        };
        match (self.firing, self.pending, self.clearing) {
            // Not past at the last look: passing starts the `for` clock.
            (None, None, _) => (Some(t), None),
            (None, Some(p), _) => (None, Some(p.plus(lim.hold))),
            // Firing and not clear: a growing figure stays so.
            (Some(_), _, None) => (None, None),
            // Clear: back inside the margin stops the clearing clock.
            (Some(_), _, Some(c)) => (Some(t - lim.clear_margin), Some(c.plus(lim.clear_for))),
        }
    }
}

/// When a machine of a growing figure must be looked at next
/// ([`Machine::wake`]).
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Wake {
    /// Values whose passing changes something (warning's, critical's).
    pub values: [Option<f64>; 2],
    /// Instants (on the rules' clock) at which a `for` or clear clock runs out.
    pub at: [Option<Ts>; 2],
}

#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Machine {
    warn: Stage,
    crit: Stage,
    pub value: Option<f64>,
}

impl Machine {
    /// One look at the figure; returns the level before and after.
    pub fn step(&mut self, lim: &Limit, dir: Direction, v: Option<f64>, now: Ts) -> (Level, Level) {
        let before = self.level();
        self.warn.step(lim.warn, lim, dir, v, now);
        self.crit.step(lim.crit, lim, dir, v, now);
        self.value = v;
        (before, self.level())
    }

    pub fn level(&self) -> Level {
        if self.crit.firing.is_some() {
            Level::Crit
        } else if self.warn.firing.is_some() {
            Level::Warn
        } else {
            Level::Ok
        }
    }

    /// What would change this machine next, for a figure that is worse
    /// when higher and only grows (docs in [`Stage`]'s steps: each stage
    /// moves only when its figure passes a value or a clock runs out).
    pub fn wake(&self, lim: &Limit) -> Wake {
        let (wv, wa) = self.warn.wake(lim.warn, lim);
        let (cv, ca) = self.crit.wake(lim.crit, lim);
        Wake {
            values: [wv, cv],
            at: [wa, ca],
        }
    }

    /// Nothing pending and nothing firing: the machine can be dropped.
    pub fn idle(&self) -> bool {
        self.warn.idle() && self.crit.idle()
    }

    /// When the alert first fired (at any level), while it fires.
    pub fn since(&self) -> Option<Ts> {
        match (self.warn.firing, self.crit.firing) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        }
    }

    /// When it reached its current level.
    pub fn level_since(&self) -> Option<Ts> {
        self.crit.firing.or(self.warn.firing)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lim(hold: i64, clear_for: i64, margin: f64) -> Limit {
        Limit {
            warn: Some(10.0),
            crit: Some(20.0),
            hold,
            clear_for,
            clear_margin: margin,
        }
    }

    fn run(l: &Limit, dir: Direction, steps: &[(i64, Option<f64>)]) -> Vec<Level> {
        let mut m = Machine::default();
        steps
            .iter()
            .map(|(t, v)| m.step(l, dir, *v, Ts(*t)).1)
            .collect()
    }

    #[test]
    fn strictly_past_and_back_with_no_timing() {
        use Level::*;
        let got = run(
            &lim(0, 0, 0.0),
            Direction::Above,
            &[
                (0, Some(10.0)),
                (1, Some(10.5)),
                (2, Some(21.0)),
                (3, Some(20.0)),
                (4, Some(10.0)),
            ],
        );
        assert_eq!(got, vec![Ok, Warn, Crit, Warn, Ok]);
    }

    #[test]
    fn for_must_hold_without_a_break() {
        use Level::*;
        let got = run(
            &lim(30_000, 0, 0.0),
            Direction::Above,
            &[
                (0, Some(11.0)),
                (29_999, Some(11.0)),
                (30_000, Some(11.0)), // held 30 s: fires
                (31_000, Some(5.0)),
                (40_000, Some(11.0)), // pending again from 40 s
                (60_000, Some(11.0)),
                (70_000, Some(11.0)),
            ],
        );
        assert_eq!(got, vec![Ok, Ok, Warn, Ok, Ok, Ok, Warn]);
    }

    #[test]
    fn hysteresis_margin_and_clear_duration() {
        use Level::*;
        // Back needs <= 10 - 2 = 8, for 5 s.
        let got = run(
            &lim(0, 5_000, 2.0),
            Direction::Above,
            &[
                (0, Some(11.0)),
                (1_000, Some(9.0)), // inside the margin: still warning
                (2_000, Some(8.0)), // clear: the clock starts
                (4_000, Some(9.0)), // inside the margin again: clock reset
                (5_000, Some(7.0)), // clear from 5 s
                (9_999, Some(7.0)),
                (10_000, Some(7.0)), // clear for 5 s: back
            ],
        );
        assert_eq!(got, vec![Warn, Warn, Warn, Warn, Warn, Warn, Ok]);
    }

    #[test]
    fn below_rules_and_vanishing_figures() {
        use Level::*;
        let l = Limit {
            warn: Some(80.0),
            crit: Some(60.0),
            hold: 0,
            clear_for: 10_000,
            clear_margin: 5.0,
        };
        let got = run(
            &l,
            Direction::Below,
            &[
                (0, Some(79.0)),
                (1, Some(59.0)),
                (2, Some(64.0)),
                (3, Some(66.0)),
                (4, None),
            ],
        );
        // 64 is clear of 60 by less than 5; 66 starts crit's clearing clock;
        // a figure that is gone returns at once, hysteresis or not.
        assert_eq!(got, vec![Warn, Crit, Crit, Crit, Ok]);
    }
}
