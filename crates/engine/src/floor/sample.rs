//! Window samples and the running sums built from them.
//!
//! Every window figure of docs/metrics.md is a count, a sum or a percentile over
//! samples, each stamped with the `ts` of the event that completed it. The
//! sums here are kept incrementally: a sample is added when it enters the
//! window and subtracted when it leaves, so asking for figures costs nothing
//! per sample.

use super::histogram::{Histogram, bucket_of};
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
    /// An agent's response to the earliest unanswered customer turn (ART).
    Response { agent: Option<AgentIdx>, ms: u64 },
    /// A contact that ended resolved: `ended - first_queued`.
    Resolved { ms: u64 },
    /// A `contact.survey`, with the agent of the contact's last segment.
    Survey {
        agent: Option<AgentIdx>,
        csat: Option<u8>,
        nps: Option<u8>,
    },
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
    pub art: Histogram,
    /// Contacts ended resolved, and the sum of their lives.
    pub resolved: i64,
    pub resolved_ms: i64,
    /// Waits ended by an answer or a counted abandon (`avg_wait_s`, `max_wait_s`).
    pub waits: i64,
    pub waits_ms: i64,
    /// The waits that make the longest wait: all of them in the rolling
    /// window; in a calendar period only the abandoned ones (see
    /// [`Agg::answered_longest`]).
    pub longest: Longest,
    /// A calendar period's longest answered wait. A period's waits only
    /// ever leave its sums to come straight back (a held wait counted
    /// again under new rules, [`super::window::Window::settle`]), and an
    /// answered wait never changes whether it counts here (only an abandon
    /// can be short), so the running maximum is exact and the answered
    /// waits, nearly all of them, need no tree. `None` in the rolling
    /// window, whose waits leave for good.
    pub answered_longest: Option<u64>,
    pub surveys: Surveys,
}

/// Survey answers summed.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Surveys {
    pub csat: i64,
    pub csat_sum: i64,
    /// CSAT answers of 4 or 5.
    pub csat_satisfied: i64,
    pub nps: i64,
    /// NPS answers of 9 or 10, and of 0 to 6.
    pub promoters: i64,
    pub detractors: i64,
}

impl Surveys {
    fn apply(&mut self, csat: Option<u8>, nps: Option<u8>, sign: i64) {
        if let Some(c) = csat {
            self.csat += sign;
            self.csat_sum += sign * c as i64;
            self.csat_satisfied += sign * (c >= 4) as i64;
        }
        if let Some(n) = nps {
            self.nps += sign;
            self.promoters += sign * (n >= 9) as i64;
            self.detractors += sign * (n <= 6) as i64;
        }
    }
}

/// The exact longest of a multiset of waits that samples enter and leave:
/// each distinct value with how many times it is held, so the maximum is
/// the last key, exact to the millisecond (a histogram bucket would not
/// be). Bounded: past [`Longest::CAP`] distinct values the smallest go,
/// which can only matter if every longer wait left before them.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Longest(std::collections::BTreeMap<u64, u32>);

impl Longest {
    /// Heap bytes held, roughly (for the rewind history's bound).
    pub(super) fn heap_bytes(&self) -> usize {
        super::footprint::btree::<u64, u32>(self.0.len())
    }

    pub const CAP: usize = 1 << 16;

    fn add(&mut self, v: u64) {
        *self.0.entry(v).or_default() += 1;
        if self.0.len() > Self::CAP {
            self.0.pop_first();
        }
    }

    fn remove(&mut self, v: u64) {
        // One search, where looking the count up and then removing the
        // emptied key took two (most waits are held once).
        if let std::collections::btree_map::Entry::Occupied(mut n) = self.0.entry(v) {
            if *n.get() == 1 {
                n.remove();
            } else {
                *n.get_mut() -= 1;
            }
        }
    }

    /// Adds every wait of `other` (a site's total row).
    pub fn merge(&mut self, other: &Longest) {
        for (v, n) in &other.0 {
            *self.0.entry(*v).or_default() += n;
        }
        while self.0.len() > Self::CAP {
            self.0.pop_first();
        }
    }

    pub fn max(&self) -> Option<u64> {
        self.0.last_key_value().map(|(k, _)| *k)
    }
}

/// `bucket` is `ms`'s histogram bucket, worked out once per sample.
fn hist(h: &mut Histogram, bucket: u32, ms: u64, sign: i64) {
    if sign > 0 {
        h.add_in(bucket, ms as Millis)
    } else {
        h.remove_in(bucket, ms as Millis)
    }
}

impl Agg {
    /// The longest wait (`max_wait_s`).
    pub fn longest_wait(&self) -> Option<u64> {
        self.longest.max().max(self.answered_longest)
    }

    /// `bucket`: the histogram bucket of a first response's or a
    /// response's time (see [`hist`]). `period`: the sums are a calendar
    /// period's (see [`Agg::answered_longest`]).
    fn apply(&mut self, kind: &SampleKind, sign: i64, bucket: u32, period: bool) {
        // Waits that ended by an answer or an abandon that is not short,
        // with a known length, make the average and longest wait.
        if let SampleKind::Wait {
            wait: Some(w),
            end: end @ (WaitEnd::Answered | WaitEnd::Abandoned),
            class,
        } = *kind
            && !class.short
        {
            self.waits += sign;
            self.waits_ms += sign * w as i64;
            if period && end == WaitEnd::Answered {
                // Taken out only to be counted again at once: the maximum
                // stands (see the field).
                if sign > 0 {
                    self.answered_longest = self.answered_longest.max(Some(w));
                }
            } else if sign > 0 {
                self.longest.add(w);
            } else {
                self.longest.remove(w);
            }
        }
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
            SampleKind::FirstResponse { ms } => hist(&mut self.frt, bucket, ms, sign),
            SampleKind::Resolution { first_contact } => {
                self.resolutions += sign;
                self.first_contact_resolved += sign * first_contact as i64;
            }
            SampleKind::Response { ms, .. } => hist(&mut self.art, bucket, ms, sign),
            SampleKind::Resolved { ms } => {
                self.resolved += sign;
                self.resolved_ms += sign * ms as i64;
            }
            SampleKind::Survey { csat, nps, .. } => self.surveys.apply(csat, nps, sign),
        }
    }
}

/// Per-agent running sums, in one cache line: every segment that ends
/// touches one agent's sums in each window, and at thousands of agents
/// one line each stays in the processor's cache where two did not. Survey
/// answers, which many floors never have, are kept apart from the first
/// one on.
#[derive(Clone, Debug, Default, PartialEq)]
#[repr(align(64))]
pub struct AgentAgg {
    pub handled: i64,
    pub talk: i64,
    pub art: Histogram,
    surveys: Option<Box<Surveys>>,
}

impl AgentAgg {
    /// The agent's survey answers summed: none before the first.
    pub fn surveys(&self) -> Surveys {
        self.surveys.as_deref().copied().unwrap_or_default()
    }

    /// Heap bytes held, roughly (for the rewind history's bound).
    pub(super) fn heap_bytes(&self) -> usize {
        self.art.heap_bytes() + self.surveys.as_ref().map_or(0, |_| size_of::<Surveys>())
    }
}

/// The sums of one window (rolling or today) for every scope at once.
#[derive(Clone, Debug, Default)]
pub struct Scopes {
    pub total: Agg,
    pub queues: Vec<Agg>,
    pub agents: Vec<AgentAgg>,
    /// A calendar period's sums, which only grow until they are cleared
    /// (see [`Agg::answered_longest`]); not the rolling window's.
    pub period: bool,
}

impl Scopes {
    /// A queue's sums; empty for one this period keeps none of.
    pub fn queue(&self, q: QueueIdx) -> &Agg {
        static EMPTY: std::sync::LazyLock<Agg> = std::sync::LazyLock::new(Agg::default);
        self.queues.get(q.0 as usize).unwrap_or(&EMPTY)
    }

    /// An agent's sums; empty for one this period keeps none of.
    pub fn agent(&self, a: AgentIdx) -> &AgentAgg {
        static EMPTY: std::sync::LazyLock<AgentAgg> = std::sync::LazyLock::new(AgentAgg::default);
        self.agents.get(a.0 as usize).unwrap_or(&EMPTY)
    }

    pub fn apply(&mut self, s: &Sample, sign: i64) {
        let bucket = match s.kind {
            SampleKind::FirstResponse { ms } | SampleKind::Response { ms, .. } => {
                bucket_of(ms as Millis)
            }
            _ => 0,
        };
        self.total.apply(&s.kind, sign, bucket, self.period);
        if let Some(q) = s.queue
            && let Some(agg) = self.queues.get_mut(q.0 as usize)
        {
            agg.apply(&s.kind, sign, bucket, self.period);
        }
        match s.kind {
            SampleKind::Segment {
                agent: Some(a),
                talk,
                ..
            } => {
                if let Some(agg) = self.agents.get_mut(a.0 as usize) {
                    agg.handled += sign;
                    agg.talk += sign * talk as i64;
                }
            }
            SampleKind::Response { agent: Some(a), ms } => {
                if let Some(agg) = self.agents.get_mut(a.0 as usize) {
                    hist(&mut agg.art, bucket, ms, sign);
                }
            }
            SampleKind::Survey {
                agent: Some(a),
                csat,
                nps,
            } => {
                if let Some(agg) = self.agents.get_mut(a.0 as usize) {
                    let surveys = agg.surveys.get_or_insert_default();
                    surveys.apply(csat, nps, sign);
                }
            }
            _ => {}
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_agents_sums_fill_one_cache_line() {
        assert_eq!(size_of::<AgentAgg>(), 64);
        assert_eq!(align_of::<AgentAgg>(), 64);
    }

    #[test]
    fn survey_answers_sum_from_the_first_one_on() {
        let mut s = Scopes {
            agents: vec![AgentAgg::default()],
            ..Scopes::default()
        };
        assert_eq!(s.agent(AgentIdx(0)).surveys(), Surveys::default());
        let survey = Sample {
            ts: Ts(1),
            queue: None,
            kind: SampleKind::Survey {
                agent: Some(AgentIdx(0)),
                csat: Some(5),
                nps: Some(3),
            },
        };
        s.apply(&survey, 1);
        let got = s.agent(AgentIdx(0)).surveys();
        assert_eq!(
            (got.csat, got.csat_sum, got.nps, got.detractors),
            (1, 5, 1, 1)
        );
        s.apply(&survey, -1);
        assert_eq!(s.agent(AgentIdx(0)).surveys(), Surveys::default());
    }
}
