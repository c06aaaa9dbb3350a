//! An agent's figure as a function of time: `max(fixed, t - from)` in
//! milliseconds (time in a state, talk, hold, the ghost's wait). It only
//! grows while the agent stays as it is, so the instant it will pass a
//! limit can be worked out once, instead of asking again on every tick.

use crate::time::{Millis, Ts, secs};

/// `max(fixed, t - from)`; with neither, the figure is absent.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Growth {
    pub fixed: Option<Millis>,
    pub from: Option<Ts>,
}

/// Limits this far out (over 30,000 years) are never reached.
const NEVER: f64 = 1e12;

impl Growth {
    /// Time since `from`, as [`Ts::since`] counts it (never below zero).
    pub fn since(from: Ts) -> Growth {
        Growth {
            fixed: Some(0),
            from: Some(from),
        }
    }

    pub fn absent() -> Growth {
        Growth::default()
    }

    pub fn ms_at(&self, t: Ts) -> Option<Millis> {
        let grown = self.from.map(|f| t.0.saturating_sub(f.0));
        match (self.fixed, grown) {
            (Some(a), Some(b)) => Some(a.max(b)),
            (a, b) => a.or(b),
        }
    }

    /// The figure at `t`, in seconds (the rules' unit).
    pub fn at(&self, t: Ts) -> Option<f64> {
        self.ms_at(t).map(secs)
    }

    /// The first instant at which the figure in seconds is past `x`
    /// (`> x`); `None` if never. Call it while it is not past yet.
    pub fn passes(&self, x: f64) -> Option<Ts> {
        if self.fixed.is_some_and(|f| secs(f) > x) {
            return Some(Ts(i64::MIN));
        }
        let from = self.from?;
        first_ms_above(x).map(|d| from.plus(d))
    }
}

/// The fewest milliseconds whose seconds ([`secs`]) are past `x`.
fn first_ms_above(x: f64) -> Option<Millis> {
    if x.is_nan() || x >= NEVER {
        return None;
    }
    let mut d = (x.max(-NEVER) * 1000.0).floor() as Millis;
    // The float division may round either way: settle on the exact edge.
    while secs(d) <= x {
        d += 1;
    }
    while secs(d - 1) > x {
        d -= 1;
    }
    Some(d)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passes_at_the_first_millisecond_past_the_limit() {
        let g = Growth::since(Ts(10_000));
        for x in [0.0, 0.001, 0.1, 0.3, 1.0, 29.999, 30.0, 59.9, 1e6] {
            let t = g.passes(x).unwrap();
            assert!(g.at(t).unwrap() > x, "{x}");
            assert!(g.at(t.plus(-1)).unwrap() <= x, "{x}");
        }
        // Below zero: already past from the start (the figure is never
        // below zero).
        assert_eq!(g.passes(-1.0), Some(Ts(i64::MIN)));
        assert_eq!(g.passes(f64::NAN), None);
        assert_eq!(g.passes(1e12), None);
    }

    #[test]
    fn a_fixed_part_and_an_absent_figure() {
        let g = Growth {
            fixed: Some(5_000),
            from: Some(Ts(100_000)),
        };
        assert_eq!(g.at(Ts(101_000)), Some(5.0));
        assert_eq!(g.at(Ts(107_000)), Some(7.0));
        assert_eq!(g.passes(6.0), Some(Ts(106_001)));
        let still = Growth {
            fixed: Some(5_000),
            from: None,
        };
        assert_eq!(still.passes(6.0), None);
        assert_eq!(Growth::absent().at(Ts(0)), None);
        assert_eq!(Growth::absent().passes(0.0), None);
    }
}
