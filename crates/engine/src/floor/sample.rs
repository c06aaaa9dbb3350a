//! Window samples and the running sums built from them.
//!
//! Every window figure of docs/metrics.md is a count, a sum or a percentile over
//! samples, each stamped with the `ts` of the event that completed it. The
//! sums here are kept incrementally: a sample is added when it enters the
//! window and subtracted when it leaves, so asking for figures costs nothing
//! per sample.

use super::histogram::Histogram;
use crate::time::{Millis, Ts};

/// Index of a queue in the floor's queue table.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct QueueIdx(pub u32);

/// Index of an agent in the floor's agent table.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct AgentIdx(pub u32);

/// A duration for a sample: never negative (events out of order).
pub fn dur(ms: Millis) -> u64 {
    ms.max(0) as u64
}

#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Sample {
    /// When the completing event happened; decides window membership.
    pub ts: Ts,
    /// The queue the sample belongs to; `None` counts in the totals only.
    pub queue: Option<QueueIdx>,
    pub kind: SampleKind,
}

#[derive(Clone, Copy, Debug, PartialEq)]
pub enum SampleKind {
    /// A `contact.queued` event.
    Entered,
    /// A wait that ended. `wait` is `None` for an abandon of a contact we
    /// never saw queued. `class` is decided when the sample enters the
    /// window, from the queue's rules at that time.
    Wait {
        wait: Option<u64>,
        end: WaitEnd,
        class: WaitClass,
    },
    /// A contact's time with one agent (a segment) ended.
    Segment {
        agent: Option<AgentIdx>,
        talk: u64,
        hold: u64,
    },
    /// An agent's wrap-up period ended.
    WrapUp { ms: u64 },
    /// A contact's first response.
    FirstResponse { ms: u64 },
    /// A `contact.ended` carrying `resolved`.
    Resolution { first_contact: bool },
}

/// How a wait ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum WaitEnd {
    Answered,
    Abandoned,
    /// Neither: the contact was queued again (elsewhere or in the same
    /// queue) or ended while waiting. Such a wait counts only in the
    /// `removed` service level's "all waits that ended".
    Left,
}

/// How a wait counts for service level and abandon rate.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub struct WaitClass {
    /// `wait <= T`
    pub within: bool,
    /// An abandon shorter than `short_abandon_s`: left out of SL and abandon rate.
    pub short: bool,
}

/// The rules that classify waits of one queue.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct WaitRules {
    pub threshold: Millis,
    pub short_abandon: Millis,
}

impl WaitRules {
    pub fn classify(&self, wait: Option<u64>, end: WaitEnd) -> WaitClass {
        match wait {
            None => WaitClass::default(),
            Some(w) => WaitClass {
                within: (w as Millis) <= self.threshold,
                short: end == WaitEnd::Abandoned && (w as Millis) < self.short_abandon,
            },
        }
    }
}

/// Running sums for one scope (a queue, or the whole floor).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Agg {
    pub entered: i64,
    pub answered: i64,
    pub answered_wait: i64,
    pub answered_within: i64,
    /// Every abandon, short ones included (the `abandoned` figure).
    pub abandoned: i64,
    /// Abandons that count for SL and abandon rate (not short).
    pub abandoned_counted: i64,
    pub abandoned_counted_within: i64,
    /// Waits that ended neither answered nor abandoned.
    pub left: i64,
    /// Segments ended.
    pub ended: i64,
    pub talk: i64,
    pub hold: i64,
    pub wrap: i64,
    pub frt: Histogram,
    pub resolutions: i64,
    pub first_contact_resolved: i64,
}

impl Agg {
    fn apply(&mut self, kind: &SampleKind, sign: i64) {
        match *kind {
            SampleKind::Entered => self.entered += sign,
            SampleKind::Wait {
                wait,
                end: WaitEnd::Answered,
                class,
            } => {
                self.answered += sign;
                self.answered_wait += sign * wait.unwrap_or(0) as i64;
                self.answered_within += sign * class.within as i64;
            }
            SampleKind::Wait {
                end: WaitEnd::Left, ..
            } => self.left += sign,
            SampleKind::Wait {
                end: WaitEnd::Abandoned,
                class,
                ..
            } => {
                self.abandoned += sign;
                if !class.short {
                    self.abandoned_counted += sign;
                    self.abandoned_counted_within += sign * class.within as i64;
                }
            }
            SampleKind::Segment { talk, hold, .. } => {
                self.ended += sign;
                self.talk += sign * talk as i64;
                self.hold += sign * hold as i64;
            }
            SampleKind::WrapUp { ms } => self.wrap += sign * ms as i64,
            SampleKind::FirstResponse { ms } => {
                if sign > 0 {
                    self.frt.add(ms as Millis)
                } else {
                    self.frt.remove(ms as Millis)
                }
            }
            SampleKind::Resolution { first_contact } => {
                self.resolutions += sign;
                self.first_contact_resolved += sign * first_contact as i64;
            }
        }
    }
}

/// Per-agent running sums.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct AgentAgg {
    pub handled: i64,
    pub talk: i64,
}

/// The sums of one window (rolling or today) for every scope at once.
#[derive(Clone, Debug, Default)]
pub struct Scopes {
    pub total: Agg,
    pub queues: Vec<Agg>,
    pub agents: Vec<AgentAgg>,
}

impl Scopes {
    pub fn apply(&mut self, s: &Sample, sign: i64) {
        self.total.apply(&s.kind, sign);
        if let Some(q) = s.queue
            && let Some(agg) = self.queues.get_mut(q.0 as usize)
        {
            agg.apply(&s.kind, sign);
        }
        if let SampleKind::Segment {
            agent: Some(a),
            talk,
            ..
        } = s.kind
            && let Some(agg) = self.agents.get_mut(a.0 as usize)
        {
            agg.handled += sign;
            agg.talk += sign * talk as i64;
        }
    }

    pub fn clear(&mut self) {
        self.total = Agg::default();
        self.queues.iter_mut().for_each(|q| *q = Agg::default());
        self.agents
            .iter_mut()
            .for_each(|a| *a = AgentAgg::default());
    }
}
