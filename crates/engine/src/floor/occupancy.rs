//! Occupancy: time integrals of agents on contact or in wrap-up, and of
//! agents available, per agent, per queue and in total.
//!
//! Occupancy is not a sum of samples but a share of time, so it is kept as
//! piecewise-constant rates: each scope knows how many of its agents are
//! occupied and how many available right now, and a checkpoint is written
//! whenever one of those counts changes. The integral up to any time `t` is
//! the last checkpoint at or before `t` plus its rate times the time since,
//! so the time inside `(now - W, now]` is `I(now) - I(now - W)`: exact to the
//! millisecond at both ends of the window, with no per-second ticking.
//! Checkpoints older than the window are dropped as new ones come (the last
//! one before the window is kept: it carries the rate across its edge).
//! Today's share subtracts `I(day start)`, taken once when the day rolls;
//! the interval's likewise `I(interval start)`.

use std::collections::VecDeque;

use crate::time::Ts;

/// What an agent's time counts as.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum OccClass {
    /// On contact (one or more) or in wrap-up: the numerator.
    Occupied,
    /// Available: in the denominator only.
    Available,
    /// Busy, away, offline, or not on the floor: neither.
    #[default]
    Neither,
}

impl OccClass {
    fn rates(self) -> (i64, i64) {
        match self {
            OccClass::Occupied => (1, 0),
            OccClass::Available => (0, 1),
            OccClass::Neither => (0, 0),
        }
    }
}

/// Most checkpoints one scope keeps inside the window. An agent changing
/// state more often than this within one window is a broken or hostile
/// feed; past it the oldest checkpoints go and the window's earliest part
/// counts as nothing (counted in [`Occupancy::overflowed`]). The queues
/// and the total change whenever any of their agents does, so they get
/// more: a floor of 5,000 agents makes about 100,000 changes in 15 minutes
/// (32 bytes each).
pub const AGENT_CHECKPOINTS: usize = 2_048;
pub const QUEUE_CHECKPOINTS: usize = 65_536;
pub const TOTAL_CHECKPOINTS: usize = 1 << 20;

#[derive(Clone, Copy, Debug, PartialEq)]
struct Checkpoint {
    at: Ts,
    /// Integrals from the beginning up to `at`, in agent-milliseconds.
    occupied: i64,
    available: i64,
    /// Agents occupied and available from `at` on.
    occ_rate: i64,
    avail_rate: i64,
}

impl Checkpoint {
    fn at_time(&self, t: Ts) -> (i64, i64) {
        // Saturating: a hostile feed may stamp times centuries apart.
        let d = t.since(self.at).max(0);
        (
            self.occupied
                .saturating_add(self.occ_rate.saturating_mul(d)),
            self.available
                .saturating_add(self.avail_rate.saturating_mul(d)),
        )
    }
}

/// One scope's integral.
#[derive(Clone, Debug)]
pub struct Integral {
    points: VecDeque<Checkpoint>,
    cap: usize,
    /// `I(day start)` and `I(interval start)`, by [`Base`].
    bases: [(i64, i64); 2],
}

/// A calendar period whose share counts from its start's integral.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Base {
    Today,
    Interval,
}

impl Integral {
    /// Heap bytes held (for the rewind history's bound).
    pub(super) fn heap_bytes(&self) -> usize {
        self.points.capacity() * std::mem::size_of::<Checkpoint>()
    }

    fn new(cap: usize) -> Self {
        Integral {
            points: VecDeque::new(),
            cap,
            bases: [(0, 0); 2],
        }
    }

    /// The integrals up to `t` (zero before the first checkpoint: the
    /// scope had no agents then).
    fn value(&self, t: Ts) -> (i64, i64) {
        // Checkpoints are in time order: the last one at or before `t`.
        let i = self.points.partition_point(|c| c.at <= t);
        match i {
            0 => self
                .points
                .front()
                .map_or((0, 0), |c| (c.occupied, c.available)),
            i => self.points[i - 1].at_time(t),
        }
    }

    /// The time of the latest checkpoint: a change is never earlier.
    fn last_at(&self) -> Option<Ts> {
        self.points.back().map(|c| c.at)
    }

    /// Adds `(occ, avail)` to the rates from `at` on. Returns whether the
    /// cap pushed out a checkpoint still inside the window.
    fn shift(&mut self, at: Ts, occ: i64, avail: i64, cutoff: Ts) -> bool {
        let (occupied, available, occ_rate, avail_rate) = match self.points.back() {
            Some(c) => {
                let (o, a) = c.at_time(at);
                (o, a, c.occ_rate + occ, c.avail_rate + avail)
            }
            None => (0, 0, occ, avail),
        };
        match self.points.back_mut() {
            Some(c) if c.at == at => {
                c.occ_rate = occ_rate;
                c.avail_rate = avail_rate;
            }
            _ => self.points.push_back(Checkpoint {
                at,
                occupied,
                available,
                occ_rate,
                avail_rate,
            }),
        }
        // Keep one checkpoint at or before the cutoff: it spans the edge.
        while self.points.len() >= 2 && self.points[1].at <= cutoff {
            self.points.pop_front();
        }
        if self.points.len() > self.cap {
            self.points.pop_front();
            return true;
        }
        false
    }

    /// `(occupied, available)` agent-milliseconds in `(from, to]`.
    fn between(&self, from: Ts, to: Ts) -> (i64, i64) {
        let (o1, a1) = self.value(to);
        let (o0, a0) = self.value(from);
        (o1.saturating_sub(o0), a1.saturating_sub(a0))
    }
}

/// The integrals of every scope.
#[derive(Clone, Debug)]
pub struct Occupancy {
    pub total: Integral,
    pub queues: Vec<Integral>,
    pub agents: Vec<Integral>,
    /// Checkpoints dropped by the caps while still inside the window.
    pub overflowed: u64,
}

/// Which scope to read.
#[derive(Clone, Copy, Debug)]
pub enum OccScope {
    Total,
    Queue(usize),
    Agent(usize),
}

/// One agent's change: its class and queues before and after.
pub struct OccChange<'a> {
    pub agent: usize,
    pub before: (OccClass, &'a [super::sample::QueueIdx]),
    pub after: (OccClass, &'a [super::sample::QueueIdx]),
}

impl Default for Occupancy {
    fn default() -> Self {
        Occupancy {
            total: Integral::new(TOTAL_CHECKPOINTS),
            queues: Vec::new(),
            agents: Vec::new(),
            overflowed: 0,
        }
    }
}

impl Occupancy {
    pub fn add_queue(&mut self) {
        self.queues.push(Integral::new(QUEUE_CHECKPOINTS));
    }

    pub fn add_agent(&mut self) {
        self.agents.push(Integral::new(AGENT_CHECKPOINTS));
    }

    /// Applies one agent's change at `at`, no earlier than any checkpoint
    /// it touches (events out of order cannot rewrite time already
    /// integrated). `cutoff` is the rolling window's old end.
    pub fn change(&mut self, c: &OccChange<'_>, at: Ts, cutoff: Ts) {
        let (ob, ab) = c.before.0.rates();
        let (oa, aa) = c.after.0.rates();
        // All touched scopes move at one time, the latest any has seen.
        let mut t = at;
        let touched = c
            .before
            .1
            .iter()
            .chain(c.after.1)
            .filter_map(|q| self.queues.get(q.0 as usize))
            .chain(self.agents.get(c.agent))
            .chain(std::iter::once(&self.total));
        for i in touched {
            if let Some(last) = i.last_at() {
                t = t.max(last);
            }
        }
        let mut over = 0;
        let mut shift = |i: &mut Integral, o: i64, a: i64| {
            if o != 0 || a != 0 || i.points.is_empty() {
                over += i.shift(t, o, a, cutoff) as u64;
            }
        };
        shift(&mut self.total, oa - ob, aa - ab);
        if let Some(i) = self.agents.get_mut(c.agent) {
            shift(i, oa - ob, aa - ab);
        }
        if c.before.1 == c.after.1 {
            // The usual change: same queues, new class: one net shift each.
            for q in c.after.1 {
                if let Some(i) = self.queues.get_mut(q.0 as usize) {
                    shift(i, oa - ob, aa - ab);
                }
            }
        } else {
            for q in c.before.1 {
                if let Some(i) = self.queues.get_mut(q.0 as usize) {
                    shift(i, -ob, -ab);
                }
            }
            for q in c.after.1 {
                if let Some(i) = self.queues.get_mut(q.0 as usize) {
                    shift(i, oa, aa);
                }
            }
        }
        self.overflowed += over;
    }

    /// Remembers every scope's integral at a period's start.
    pub fn roll(&mut self, base: Base, start: Ts) {
        let all = std::iter::once(&mut self.total)
            .chain(self.queues.iter_mut())
            .chain(self.agents.iter_mut());
        for i in all {
            i.bases[base as usize] = i.value(start);
        }
    }

    fn integral(&self, scope: OccScope) -> Option<&Integral> {
        match scope {
            OccScope::Total => Some(&self.total),
            OccScope::Queue(q) => self.queues.get(q),
            OccScope::Agent(a) => self.agents.get(a),
        }
    }

    /// `100 * occupied / (occupied + available)` over `(from, now]`, or
    /// from a period's start when `base` names one; `None` when nobody was
    /// either.
    pub fn pct(&self, scope: OccScope, from: Ts, now: Ts, base: Option<Base>) -> Option<f64> {
        let i = self.integral(scope)?;
        let (o, a) = match base {
            Some(b) => {
                let (o1, a1) = i.value(now);
                let (o0, a0) = i.bases[b as usize];
                (o1.saturating_sub(o0), a1.saturating_sub(a0))
            }
            None => i.between(from, now),
        };
        let (o, a) = (o.max(0) as f64, a.max(0) as f64);
        let den = o + a;
        (den > 0.0).then(|| 100.0 * o / den)
    }
}

/// Milliseconds, for tests.
#[cfg(test)]
fn ms(x: crate::time::Millis) -> Ts {
    Ts(x)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::floor::sample::QueueIdx;

    #[test]
    fn window_edges_are_exact() {
        let mut o = Occupancy::default();
        o.add_queue();
        o.add_agent();
        let q = [QueueIdx(0)];
        let change = |o: &mut Occupancy, b, a, t| {
            o.change(
                &OccChange {
                    agent: 0,
                    before: (b, &q),
                    after: (a, &q),
                },
                ms(t),
                ms(0),
            )
        };
        change(&mut o, OccClass::Neither, OccClass::Available, 0);
        change(&mut o, OccClass::Available, OccClass::Occupied, 10_000);
        change(&mut o, OccClass::Occupied, OccClass::Available, 40_000);
        // (0, 60 s]: 30 s occupied, 30 s available.
        assert_eq!(
            o.pct(OccScope::Agent(0), ms(0), ms(60_000), None),
            Some(50.0)
        );
        // (25 s, 60 s]: 15 s occupied, 20 s available.
        let p = o
            .pct(OccScope::Queue(0), ms(25_000), ms(60_000), None)
            .unwrap();
        assert!((p - 100.0 * 15.0 / 35.0).abs() < 1e-9);
        assert_eq!(
            o.pct(OccScope::Total, ms(45_000), ms(60_000), None),
            Some(0.0)
        );
    }

    #[test]
    fn nobody_counted_is_null() {
        let o = Occupancy::default();
        assert_eq!(o.pct(OccScope::Total, ms(0), ms(1_000), None), None);
    }
}
