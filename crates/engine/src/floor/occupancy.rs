//! Occupancy: time integrals of agents on contact or in wrap-up, and of
//! agents available, per agent, per queue and in total.
//!
//! Occupancy is not a sum of samples but a share of time, so it is kept as
//! piecewise-constant rates: each scope knows how many of its agents are
//! occupied and how many available right now, and its integral up to its
//! latest change. The integral up to any later time `t` is that plus the
//! rate times the time since, so the time inside `(now - W, now]` is
//! `I(now) - I(now - W)`: exact to the millisecond at both ends of the
//! window, with no per-second ticking.
//!
//! `I(now - W)` needs the rate changes inside the window. Each agent change
//! is one record (not one per scope it touches), held while it is inside
//! the window; each scope keeps only two running sums over the records that
//! touch it, `sum d` and `sum d * t`, so that
//! `I(c) = I(last) - rate * (last - c) + sum over held records of d * (t - c)`
//! costs O(1) to read, and a change costs O(1) per scope it touches, with no
//! per-scope history. Today's share subtracts `I(day start)`, taken once when
//! the day rolls; the interval's likewise `I(interval start)`.

use super::held::{Held, Timed};
use super::prefetch::prefetch;
use super::sample::QueueIdx;
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

/// Most agent changes held inside the window (the window's sample limit):
/// a floor of 50,000 agents makes about 600,000 in 15 minutes. Past it the
/// oldest is let go early, as if it had happened at the window's old end
/// (counted in [`Occupancy::overflowed`]): a broken or hostile feed.
pub const MAX_CHANGES: usize = 2_000_000;

/// `Integral::last` before a scope's first change. Feed times are never
/// negative, so no change is ever at it.
const NEVER: Ts = Ts(i64::MIN);

/// One scope's rates and integrals: one cache line. A floor of 50,000
/// agents has 50,000 of them, far more than the cache holds, and each
/// agent change touches its agent's twice (at the change and when the
/// change leaves the window): one line each time, not two or three.
/// The period bases, read only when a period rolls or is shown, are kept
/// aside in [`Bases`].
#[derive(Clone, Debug)]
#[repr(align(64))]
pub struct Integral {
    /// The time of the scope's latest change: a change is never earlier.
    /// [`NEVER`] before the first: the scope had no agents then.
    last: Ts,
    /// Agents occupied and available from `last` on: at most the floor's
    /// agents times the queues one agent lists, both bounded by the
    /// floor's limits and the decoder, far below `i32::MAX`.
    rate: (i32, i32),
    /// Integrals from the beginning up to `last`, in agent-milliseconds.
    at_last: (i64, i64),
    /// Over the held records that touch this scope: the sum of their rate
    /// changes, and of each change times its time. Wrapping arithmetic:
    /// only `sum_dt - c * sum_d`, a sum of changes times times inside the
    /// window, is ever read, and that is small.
    sum_d: (i64, i64),
    sum_dt: (i64, i64),
}

// One cache line, not two: see above.
const _: () = assert!(std::mem::size_of::<Integral>() == 64);

impl Default for Integral {
    fn default() -> Self {
        Integral {
            last: NEVER,
            rate: (0, 0),
            at_last: (0, 0),
            sum_d: (0, 0),
            sum_dt: (0, 0),
        }
    }
}

/// `I(day start)` and `I(interval start)` of one scope, by [`Base`].
type PeriodBases = [(i64, i64); 2];

/// Every scope's period bases, by scope as in [`Occupancy`].
#[derive(Clone, Debug, Default)]
pub(super) struct Bases {
    total: PeriodBases,
    queues: Vec<PeriodBases>,
    agents: Vec<PeriodBases>,
}

impl Bases {
    fn get(&self, scope: OccScope) -> Option<&PeriodBases> {
        match scope {
            OccScope::Total => Some(&self.total),
            OccScope::Queue(q) => self.queues.get(q),
            OccScope::Agent(a) => self.agents.get(a),
        }
    }

    /// Heap bytes held (for the rewind history's bound).
    pub(super) fn heap_bytes(&self) -> usize {
        use super::footprint::vec;
        vec(&self.queues) + vec(&self.agents)
    }
}

/// A calendar period whose share counts from its start's integral.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Base {
    Today,
    Interval,
}

impl Integral {
    /// Heap bytes held (for the rewind history's bound): none, the sums
    /// are inline.
    pub(super) fn heap_bytes(&self) -> usize {
        0
    }

    /// The time of the latest change, if any.
    fn last(&self) -> Option<Ts> {
        (self.last != NEVER).then_some(self.last)
    }

    /// Agents occupied and available from the latest change on.
    fn rate(&self) -> (i64, i64) {
        (i64::from(self.rate.0), i64::from(self.rate.1))
    }

    /// The integrals up to `t`, for `t` at or after the latest change.
    fn ahead(&self, t: Ts) -> (i64, i64) {
        let Some(last) = self.last() else {
            return (0, 0);
        };
        // Saturating: a hostile feed may stamp times centuries apart.
        let d = t.since(last);
        let rate = self.rate();
        (
            self.at_last.0.saturating_add(rate.0.saturating_mul(d)),
            self.at_last.1.saturating_add(rate.1.saturating_mul(d)),
        )
    }

    /// The integrals up to `t`, before the latest change, given the sum of
    /// `d * (time - t)` over the records after `t` that touch this scope.
    fn behind(&self, last: Ts, t: Ts, held: (i64, i64)) -> (i64, i64) {
        let back = last.since(t);
        let rate = self.rate();
        (
            self.at_last
                .0
                .saturating_sub(rate.0.saturating_mul(back))
                .saturating_add(held.0),
            self.at_last
                .1
                .saturating_sub(rate.1.saturating_mul(back))
                .saturating_add(held.1),
        )
    }

    /// Adds `d` (each of -1, 0, 1) to the rates from `at` on (never
    /// before `last`).
    fn shift(&mut self, at: Ts, d: (i64, i64)) {
        debug_assert!(at != NEVER, "a change at the marker of none");
        self.at_last = self.ahead(at);
        self.last = at;
        self.rate = (self.rate.0 + d.0 as i32, self.rate.1 + d.1 as i32);
    }

    /// Counts a held record's change `d` at `at` in (`sign` 1) or out (-1).
    fn hold(&mut self, at: Ts, d: (i8, i8), sign: i64) {
        let (o, a) = (i64::from(d.0) * sign, i64::from(d.1) * sign);
        self.sum_d = (self.sum_d.0.wrapping_add(o), self.sum_d.1.wrapping_add(a));
        self.sum_dt = (
            self.sum_dt.0.wrapping_add(o.wrapping_mul(at.0)),
            self.sum_dt.1.wrapping_add(a.wrapping_mul(at.0)),
        );
    }

    /// `sum of d * (time - c)` over the held records, when they are
    /// exactly those after `c`.
    fn held_after(&self, c: Ts) -> (i64, i64) {
        (
            self.sum_dt.0.wrapping_sub(c.0.wrapping_mul(self.sum_d.0)),
            self.sum_dt.1.wrapping_sub(c.0.wrapping_mul(self.sum_d.1)),
        )
    }
}

/// Most queues one record names; an agent serving more makes several
/// records for one change (the extra ones change only their queues).
const RECORD_QUEUES: usize = 3;

/// One agent's change, held while inside the window: `agent_d` changed
/// the agent's and the total's rates, `queue_d` the rates of each of the
/// first `len` of `queues`. (A change of queues is two records at one
/// time: out of the old ones, into the new ones.) 32 bytes: a floor of
/// 50,000 agents holds hundreds of thousands.
#[derive(Clone, Debug)]
struct Record {
    at: Ts,
    agent: u32,
    agent_d: (i8, i8),
    queue_d: (i8, i8),
    len: u8,
    queues: [QueueIdx; RECORD_QUEUES],
}

impl Record {
    fn queues(&self) -> &[QueueIdx] {
        &self.queues[..self.len as usize]
    }
}

impl Timed for Record {
    fn at(&self) -> Ts {
        self.at
    }
}

/// The integrals of every scope.
#[derive(Clone, Debug)]
pub struct Occupancy {
    pub total: Integral,
    pub queues: Vec<Integral>,
    pub agents: Vec<Integral>,
    /// The integrals at the periods' starts.
    pub(super) bases: Bases,
    /// The records after `cutoff`, by time (late ones included).
    held: Held<Record>,
    /// The rolling window's old end at the last [`Occupancy::expire`].
    cutoff: Ts,
    /// Records let go by the cap while still inside the window.
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
            total: Integral::default(),
            queues: Vec::new(),
            agents: Vec::new(),
            bases: Bases::default(),
            held: Held::default(),
            cutoff: Ts(i64::MIN),
            overflowed: 0,
        }
    }
}

/// Narrows a rate change (each of -1, 0, 1) for a record.
fn small(d: (i64, i64)) -> (i8, i8) {
    (d.0 as i8, d.1 as i8)
}

impl Occupancy {
    pub fn add_queue(&mut self) {
        self.queues.push(Integral::default());
        self.bases.queues.push(PeriodBases::default());
    }

    pub fn add_agent(&mut self) {
        self.agents.push(Integral::default());
        self.bases.agents.push(PeriodBases::default());
    }

    /// Starts loading an agent's integral into the cache, when one of its
    /// events arrives. On a large floor it is rarely there, and
    /// [`Occupancy::change`] would stall on it; asked for early, the load
    /// overlaps the event's other work.
    pub fn prefetch_agent(&self, agent: usize) {
        if let Some(i) = self.agents.get(agent) {
            prefetch(i);
        }
    }

    /// Applies one agent's change at `at`, no earlier than any change of a
    /// scope it touches (events out of order cannot rewrite time already
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
            if let Some(last) = i.last() {
                t = t.max(last);
            }
        }
        // A scope moves when its rates change, and at its first change.
        let shift = |i: &mut Integral, d: (i64, i64)| {
            if d != (0, 0) || i.last().is_none() {
                i.shift(t, d);
            }
        };
        let net = (oa - ob, aa - ab);
        shift(&mut self.total, net);
        if let Some(i) = self.agents.get_mut(c.agent) {
            shift(i, net);
        }
        let same_queues = c.before.1 == c.after.1;
        if same_queues {
            // The usual change: same queues, new class: one net shift each.
            for q in c.after.1 {
                if let Some(i) = self.queues.get_mut(q.0 as usize) {
                    shift(i, net);
                }
            }
        } else {
            for q in c.before.1 {
                if let Some(i) = self.queues.get_mut(q.0 as usize) {
                    shift(i, (-ob, -ab));
                }
            }
            for q in c.after.1 {
                if let Some(i) = self.queues.get_mut(q.0 as usize) {
                    shift(i, (oa, aa));
                }
            }
        }
        // A change at or before the window's old end changed only the rates
        // the whole window sees: nothing to hold.
        if t <= cutoff {
            return;
        }
        if same_queues {
            if net != (0, 0) {
                self.record(t, c.agent, net, net, c.after.1);
            }
        } else {
            if (ob, ab) != (0, 0) && !c.before.1.is_empty() {
                self.record(t, c.agent, (0, 0), (-ob, -ab), c.before.1);
            }
            if net != (0, 0) || ((oa, aa) != (0, 0) && !c.after.1.is_empty()) {
                self.record(t, c.agent, net, (oa, aa), c.after.1);
            }
        }
    }

    /// Holds one change as records of up to [`RECORD_QUEUES`] queues each.
    fn record(
        &mut self,
        at: Ts,
        agent: usize,
        agent_d: (i64, i64),
        queue_d: (i64, i64),
        queues: &[QueueIdx],
    ) {
        let mut chunks = queues.chunks(RECORD_QUEUES);
        let mut agent_d = small(agent_d);
        loop {
            let chunk = chunks.next().unwrap_or_default();
            let mut r = Record {
                at,
                agent: agent as u32,
                agent_d,
                queue_d: small(queue_d),
                len: chunk.len() as u8,
                queues: [QueueIdx(0); RECORD_QUEUES],
            };
            r.queues[..chunk.len()].copy_from_slice(chunk);
            if r.agent_d != (0, 0) || r.queue_d != (0, 0) {
                self.push(r);
            }
            // The agent and the total change once.
            agent_d = (0, 0);
            if chunks.len() == 0 {
                break;
            }
        }
    }

    /// Counts a record's changes in (`sign` 1) or out (-1) of the sums.
    fn hold(&mut self, r: &Record, sign: i64) {
        self.total.hold(r.at, r.agent_d, sign);
        if let Some(i) = self.agents.get_mut(r.agent as usize) {
            i.hold(r.at, r.agent_d, sign);
        }
        for q in r.queues() {
            if let Some(i) = self.queues.get_mut(q.0 as usize) {
                i.hold(r.at, r.queue_d, sign);
            }
        }
    }

    fn push(&mut self, r: Record) {
        self.hold(&r, 1);
        // The same agent changing twice at one time (a contact ends and
        // wrap-up starts) is one record: often none at all.
        if let Some(last) = self.held.newest_mut()
            && last.at == r.at
            && last.agent == r.agent
            && last.queues() == r.queues()
        {
            last.agent_d = (last.agent_d.0 + r.agent_d.0, last.agent_d.1 + r.agent_d.1);
            last.queue_d = (last.queue_d.0 + r.queue_d.0, last.queue_d.1 + r.queue_d.1);
            if last.agent_d == (0, 0) && last.queue_d == (0, 0) {
                self.held.drop_newest();
            }
            return;
        }
        self.held.push(r);
        if self.held.len() > MAX_CHANGES {
            self.overflowed += 1;
            self.pop_oldest();
        }
    }

    /// Heap bytes of the held records shared with `other` (a copy).
    pub(super) fn shared_bytes(&self, other: &Occupancy) -> usize {
        self.held.shared_bytes(&other.held)
    }

    /// Heap bytes of the held records (for the rewind history's bound).
    pub(super) fn records_bytes(&self) -> usize {
        self.held.heap_bytes()
    }

    fn pop_oldest(&mut self) {
        if let Some(r) = self.held.pop_oldest() {
            self.hold(&r, -1);
        }
    }

    /// Lets go of the records at or before the window's new old end.
    pub fn expire(&mut self, cutoff: Ts) {
        self.cutoff = self.cutoff.max(cutoff);
        while self.held.oldest().is_some_and(|t| t <= self.cutoff) {
            self.pop_oldest();
        }
    }

    /// Remembers every scope's integral at a period's start (the day's or
    /// the interval's). Once a period: it walks the held records (the start
    /// is never before the window's old end when the period rolls, so they
    /// are all it needs).
    pub fn roll(&mut self, base: Base, start: Ts) {
        let mut total = (0, 0);
        let mut queues = vec![(0, 0); self.queues.len()];
        let mut agents = vec![(0, 0); self.agents.len()];
        let add = |acc: &mut (i64, i64), d: (i8, i8), dt: i64| {
            acc.0 = acc.0.wrapping_add(i64::from(d.0).wrapping_mul(dt));
            acc.1 = acc.1.wrapping_add(i64::from(d.1).wrapping_mul(dt));
        };
        for r in self.held.iter().filter(|r| r.at > start) {
            let dt = r.at.since(start);
            add(&mut total, r.agent_d, dt);
            if let Some(acc) = agents.get_mut(r.agent as usize) {
                add(acc, r.agent_d, dt);
            }
            for q in r.queues() {
                if let Some(acc) = queues.get_mut(q.0 as usize) {
                    add(acc, r.queue_d, dt);
                }
            }
        }
        let b = &mut self.bases;
        let all = std::iter::once((&self.total, &mut b.total, total))
            .chain(zip3(&self.queues, &mut b.queues, queues))
            .chain(zip3(&self.agents, &mut b.agents, agents));
        for (i, bases, held) in all {
            bases[base as usize] = match i.last() {
                Some(last) if start < last => i.behind(last, start, held),
                _ => i.ahead(start),
            };
        }
    }

    fn integral(&self, scope: OccScope) -> Option<&Integral> {
        match scope {
            OccScope::Total => Some(&self.total),
            OccScope::Queue(q) => self.queues.get(q),
            OccScope::Agent(a) => self.agents.get(a),
        }
    }

    /// The sum of `d * (time - t)` over the held records after `t` that
    /// touch `scope`: from the running sums at the window's old end, by a
    /// walk through the records anywhere else (exact from the old end on).
    fn held_after(&self, scope: OccScope, i: &Integral, t: Ts) -> (i64, i64) {
        if t == self.cutoff {
            return i.held_after(t);
        }
        let mut acc = (0i64, 0i64);
        for r in self.held.iter().filter(|r| r.at > t) {
            let d = match scope {
                OccScope::Total => r.agent_d,
                OccScope::Agent(a) if r.agent as usize == a => r.agent_d,
                OccScope::Queue(q) if r.queues().iter().any(|x| x.0 as usize == q) => r.queue_d,
                _ => continue,
            };
            let dt = r.at.since(t);
            acc.0 = acc.0.wrapping_add(i64::from(d.0).wrapping_mul(dt));
            acc.1 = acc.1.wrapping_add(i64::from(d.1).wrapping_mul(dt));
        }
        acc
    }

    /// The integrals of `scope` up to `t`.
    fn value(&self, scope: OccScope, i: &Integral, t: Ts) -> (i64, i64) {
        match i.last() {
            Some(last) if t < last => i.behind(last, t, self.held_after(scope, i, t)),
            _ => i.ahead(t),
        }
    }

    /// `100 * occupied / (occupied + available)`, not rounded (for
    /// tests); `None` when nobody was either.
    #[cfg(test)]
    pub fn pct(&self, scope: OccScope, from: Ts, now: Ts, base: Option<Base>) -> Option<f64> {
        let (o, den) = self.parts(scope, from, now, base)?;
        (den > 0).then(|| 100.0 * o as f64 / den as f64)
    }

    /// Time occupied, and time occupied or available, over `(from, now]`,
    /// or from a period's start when `base` names one (occupancy is the
    /// first over the second).
    pub fn parts(
        &self,
        scope: OccScope,
        from: Ts,
        now: Ts,
        base: Option<Base>,
    ) -> Option<(i64, i64)> {
        let i = self.integral(scope)?;
        let (o1, a1) = self.value(scope, i, now);
        let (o0, a0) = match base {
            Some(b) => self.bases.get(scope)?[b as usize],
            None => self.value(scope, i, from),
        };
        let (o, a) = (o1.saturating_sub(o0).max(0), a1.saturating_sub(a0).max(0));
        Some((o, o.saturating_add(a)))
    }
}

/// Each scope's integral, its bases, and the sums of its held records
/// after a period's start.
fn zip3<'a>(
    integrals: &'a [Integral],
    bases: &'a mut [PeriodBases],
    held: Vec<(i64, i64)>,
) -> impl Iterator<Item = (&'a Integral, &'a mut PeriodBases, (i64, i64))> {
    integrals
        .iter()
        .zip(bases)
        .zip(held)
        .map(|((i, b), h)| (i, b, h))
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

    /// Random changes of three agents over two queues, some late, the
    /// window moving on: every scope's share, rolling and today, matches
    /// the integral summed millisecond by millisecond.
    #[test]
    fn matches_a_brute_force_integral() {
        let mut seed = 7u64;
        let mut rand = |n: u64| {
            seed = seed
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            (seed >> 33) % n
        };
        let classes = [OccClass::Occupied, OccClass::Available, OccClass::Neither];
        let sets: [&[QueueIdx]; 4] = [
            &[QueueIdx(0)],
            &[QueueIdx(1)],
            &[QueueIdx(0), QueueIdx(1)],
            &[],
        ];
        let width = 500;
        let mut o = Occupancy::default();
        (0..2).for_each(|_| o.add_queue());
        (0..3).for_each(|_| o.add_agent());
        // Per agent: (class, queue set) from each time on.
        let mut history: Vec<Vec<(Ts, OccClass, usize)>> = vec![Vec::new(); 3];
        let mut state = [(OccClass::Neither, 3usize); 3];
        let mut now = ms(1_000);
        let day_start = ms(1_200);
        let mut rolled = false;
        let mut scope_last: [Option<Ts>; 6] = [None; 6];
        for _ in 0..400 {
            now = now.plus(rand(20) as i64);
            o.expire(now.minus(width));
            if !rolled && now >= day_start {
                o.roll(Base::Today, day_start);
                rolled = true;
            }
            let a = rand(3) as usize;
            let next = (classes[rand(3) as usize], rand(4) as usize);
            // Sometimes a little late; never before the agent's last change.
            let last = history[a].last().map_or(ms(0), |h| h.0);
            let mut at = now
                .minus(rand(3) as i64 * 30)
                .max(last)
                .max(now.minus(width / 2));
            if rolled {
                // Today's base is taken once: nothing changes before it after.
                at = at.max(day_start);
            }
            let before = state[a];
            o.change(
                &OccChange {
                    agent: a,
                    before: (before.0, sets[before.1]),
                    after: (next.0, sets[next.1]),
                },
                at,
                now.minus(width),
            );
            // The change's time: the latest of `at` and of every change of
            // a scope it touches (scopes 0-1 queues, 2-4 agents, 5 total).
            let (b, n) = (before.0.rates(), next.0.rates());
            let net = (n.0 - b.0, n.1 - b.1);
            let mut moved: Vec<(usize, bool)> = vec![(5, net != (0, 0)), (2 + a, net != (0, 0))];
            for q in 0..2 {
                let (was, is) = (
                    sets[before.1].contains(&QueueIdx(q)),
                    sets[next.1].contains(&QueueIdx(q)),
                );
                let d = if before.1 == next.1 {
                    net
                } else {
                    let out = if was { b } else { (0, 0) };
                    let inn = if is { n } else { (0, 0) };
                    (inn.0 - out.0, inn.1 - out.1)
                };
                let shifted = if before.1 == next.1 {
                    is && d != (0, 0)
                } else {
                    (was && b != (0, 0)) || (is && n != (0, 0))
                };
                if was || is {
                    moved.push((q as usize, shifted));
                }
            }
            let t = moved
                .iter()
                .filter_map(|&(i, _)| scope_last[i])
                .fold(at, Ts::max);
            for (i, shifted) in moved {
                if shifted || scope_last[i].is_none() {
                    scope_last[i] = Some(t);
                }
            }
            state[a] = next;
            history[a].push((t, next.0, next.1));
        }
        // The model of `change`: every scope of one change moves at the
        // latest time any of them had seen, so replay it the same way.
        let brute = |scope: OccScope, from: Ts, to: Ts| -> Option<f64> {
            let (mut occ, mut avail) = (0i64, 0i64);
            for t in from.0 + 1..=to.0 {
                for (a, h) in history.iter().enumerate() {
                    let Some(&(_, class, set)) = h.iter().rev().find(|e| e.0.0 < t) else {
                        continue;
                    };
                    let counts = match scope {
                        OccScope::Total => true,
                        OccScope::Agent(x) => x == a,
                        OccScope::Queue(q) => sets[set].contains(&QueueIdx(q as u32)),
                    };
                    if counts {
                        occ += class.rates().0;
                        avail += class.rates().1;
                    }
                }
            }
            let den = (occ + avail) as f64;
            (den > 0.0).then(|| 100.0 * occ as f64 / den)
        };
        let scopes = [
            OccScope::Total,
            OccScope::Queue(0),
            OccScope::Queue(1),
            OccScope::Agent(0),
            OccScope::Agent(2),
        ];
        for scope in scopes {
            let cutoff = now.minus(width);
            assert_eq!(o.pct(scope, cutoff, now, None), brute(scope, cutoff, now));
            assert_eq!(
                o.pct(scope, day_start, now, Some(Base::Today)),
                brute(scope, day_start, now)
            );
            let mid = now.minus(width / 3);
            assert_eq!(o.pct(scope, mid, now, None), brute(scope, mid, now));
        }
    }

    #[test]
    fn an_agent_in_many_queues_counts_in_each() {
        let mut o = Occupancy::default();
        (0..5).for_each(|_| o.add_queue());
        o.add_agent();
        let q: Vec<QueueIdx> = (0..5).map(QueueIdx).collect();
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
        change(&mut o, OccClass::Neither, OccClass::Available, 10_000);
        change(&mut o, OccClass::Available, OccClass::Occupied, 20_000);
        change(&mut o, OccClass::Occupied, OccClass::Available, 50_000);
        o.expire(ms(15_000));
        // (15 s, 60 s]: 30 s occupied, 15 s available, in every queue.
        for scope in [OccScope::Queue(0), OccScope::Queue(4), OccScope::Total] {
            let p = o.pct(scope, ms(15_000), ms(60_000), None).unwrap();
            assert!((p - 100.0 * 30.0 / 45.0).abs() < 1e-9, "{scope:?}: {p}");
        }
    }

    /// The bases are kept aside from the integrals: a scope added after a
    /// period rolled has none yet (nothing before its first change), and a
    /// copy keeps each scope's own.
    #[test]
    fn bases_follow_scopes_added_after_a_roll() {
        let mut o = Occupancy::default();
        o.add_queue();
        o.add_agent();
        let q = [QueueIdx(0)];
        let change = |o: &mut Occupancy, agent, b, a, t| {
            o.change(
                &OccChange {
                    agent,
                    before: (b, &q),
                    after: (a, &q),
                },
                ms(t),
                ms(0),
            )
        };
        change(&mut o, 0, OccClass::Neither, OccClass::Occupied, 0);
        o.roll(Base::Interval, ms(10_000));
        o.add_agent();
        change(&mut o, 1, OccClass::Neither, OccClass::Available, 20_000);
        let copy = o.clone();
        for o in [&o, &copy] {
            let share = |scope| o.pct(scope, ms(10_000), ms(40_000), Some(Base::Interval));
            assert_eq!(share(OccScope::Agent(0)), Some(100.0));
            assert_eq!(share(OccScope::Agent(1)), Some(0.0));
            // 30 s occupied, 20 s available since the interval's start.
            assert_eq!(share(OccScope::Total), Some(60.0));
            assert_eq!(share(OccScope::Agent(2)), None);
        }
    }

    #[test]
    fn nobody_counted_is_null() {
        let o = Occupancy::default();
        assert_eq!(o.pct(OccScope::Total, ms(0), ms(1_000), None), None);
    }
}
