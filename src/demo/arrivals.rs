//! When contacts arrive: a daily curve, slow random drift per queue, and
//! now and then a surge (an outage, a campaign) on one queue.
//!
//! Arrivals are a Poisson process whose rate changes over time. They are
//! drawn by thinning: candidates come at the highest rate the queue can
//! reach, and each is kept with probability `rate(t) / max rate`, which is
//! exact however the rate moves (a surge starts at once, not at the next
//! arrival).

use super::dist::{self, DemoRng};
use super::roster::QUEUES;
use queuetop_engine::time::Millis;

const HOUR: Millis = 3_600_000;
const DAY: Millis = 24 * HOUR;

/// The floor's time of day at the start of a simulation: the demo always
/// begins on a weekday morning at 08:30, whatever the wall clock says, so
/// the same seed plays the same day.
pub const DAY_OFFSET_AT_START: Millis = 8 * HOUR + 30 * 60_000;

/// Share of the peak traffic by time of day (hours, share): quiet nights,
/// a morning ramp, a lunch dip, an afternoon peak, a slow evening.
const CURVE: [(f64, f64); 13] = [
    (0.0, 0.3),
    (6.0, 0.3),
    (8.0, 0.65),
    (9.5, 0.95),
    (11.0, 1.0),
    (12.0, 0.85),
    (13.0, 0.8),
    (14.0, 1.0),
    (15.5, 0.95),
    (17.0, 0.75),
    (19.0, 0.5),
    (21.0, 0.38),
    (24.0, 0.3),
];

/// Share of peak traffic at `ms_of_day` milliseconds after midnight.
pub fn daily_curve(ms_of_day: Millis) -> f64 {
    let h = ms_of_day.rem_euclid(DAY) as f64 / HOUR as f64;
    for w in CURVE.windows(2) {
        let ((h0, v0), (h1, v1)) = (w[0], w[1]);
        if h <= h1 {
            return v0 + (v1 - v0) * (h - h0) / (h1 - h0);
        }
    }
    CURVE[0].1
}

/// Per-queue drift is redrawn this often, within `DRIFT`.
pub const DRIFT_EVERY: Millis = 15 * 60_000;
const DRIFT: (f64, f64) = (0.85, 1.15);
/// A surge multiplies one queue's traffic by a factor within `SURGE`.
const SURGE: (f64, f64) = (2.0, 3.5);

#[derive(Clone, Debug)]
pub struct Surge {
    pub queue: usize,
    pub factor: f64,
}

#[derive(Clone, Debug)]
pub struct Arrivals {
    /// `--rate`: multiplies every queue's traffic.
    rate: f64,
    drift: [f64; QUEUES.len()],
    pub surge: Option<Surge>,
}

impl Arrivals {
    pub fn new(rate: f64) -> Self {
        Arrivals {
            rate,
            drift: [1.0; QUEUES.len()],
            surge: None,
        }
    }

    /// The highest rate queue `q` can reach: the thinning envelope.
    pub fn max_per_hour(&self, q: usize) -> f64 {
        QUEUES[q].per_hour * self.rate * DRIFT.1 * SURGE.1
    }

    /// The rate of queue `q` now, per hour.
    pub fn per_hour(&self, q: usize, ms_of_day: Millis) -> f64 {
        let surge = match &self.surge {
            Some(s) if s.queue == q => s.factor,
            _ => 1.0,
        };
        QUEUES[q].per_hour * self.rate * daily_curve(ms_of_day) * self.drift[q] * surge
    }

    /// The gap to queue `q`'s next candidate arrival.
    pub fn next_candidate(&self, rng: &mut DemoRng, q: usize) -> Option<Millis> {
        dist::exp_gap(rng, self.max_per_hour(q))
    }

    /// Whether a candidate arrival at `ms_of_day` is a real one.
    pub fn keep(&self, rng: &mut DemoRng, q: usize, ms_of_day: Millis) -> bool {
        let max = self.max_per_hour(q);
        max > 0.0 && dist::unit(rng) * max < self.per_hour(q, ms_of_day)
    }

    pub fn redraw_drift(&mut self, rng: &mut DemoRng) {
        for d in &mut self.drift {
            *d = DRIFT.0 + (DRIFT.1 - DRIFT.0) * dist::unit(rng);
        }
    }

    /// Starts a surge on a queue picked by its surge weight; returns how
    /// long it lasts.
    pub fn start_surge(&mut self, rng: &mut DemoRng) -> Millis {
        let total: f64 = QUEUES.iter().map(|q| q.surge_weight).sum();
        let mut x = dist::unit(rng) * total;
        let mut queue = 0;
        for (i, q) in QUEUES.iter().enumerate() {
            if x < q.surge_weight {
                queue = i;
                break;
            }
            x -= q.surge_weight;
        }
        let factor = SURGE.0 + (SURGE.1 - SURGE.0) * dist::unit(rng);
        self.surge = Some(Surge { queue, factor });
        dist::uniform(rng, 8.0 * 60.0, 20.0 * 60.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn curve_has_a_morning_ramp_a_lunch_dip_and_quiet_nights() {
        let at = |h: f64| daily_curve((h * HOUR as f64) as Millis);
        assert!((at(3.0) - 0.3).abs() < 1e-9);
        assert!(at(8.5) < at(10.0));
        assert!(at(12.5) < at(11.0) && at(12.5) < at(14.0));
        assert!((at(11.0) - 1.0).abs() < 1e-9);
        assert!((at(24.0) - at(0.0)).abs() < 1e-9);
        assert!((0..24 * 60).all(|m| {
            let v = daily_curve(m * 60_000);
            (0.3..=1.0).contains(&v)
        }));
    }

    #[test]
    fn the_envelope_covers_every_rate() {
        let mut r = dist::rng(3);
        let mut a = Arrivals::new(2.0);
        for _ in 0..50 {
            a.redraw_drift(&mut r);
            a.start_surge(&mut r);
            for q in 0..QUEUES.len() {
                for h in 0..24 {
                    assert!(a.per_hour(q, h * HOUR) <= a.max_per_hour(q) + 1e-9);
                }
            }
        }
    }

    #[test]
    fn surges_never_hit_a_queue_of_weight_zero() {
        let mut r = dist::rng(4);
        let mut a = Arrivals::new(1.0);
        for _ in 0..500 {
            a.start_surge(&mut r);
            let q = a.surge.as_ref().map(|s| s.queue).unwrap_or(0);
            assert!(QUEUES[q].surge_weight > 0.0);
        }
    }
}
