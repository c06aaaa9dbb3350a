//! A window sample as the rolling window holds it: 32 bytes where a
//! [`Sample`] takes 48. At 50,000 agents the window holds close to a
//! million samples, so this is a third of its memory.
//!
//! Durations keep 48 bits of milliseconds (8,900 years). A feed's times
//! lie between 1970 and 9999 (`time::MAX_TS` < 2^48), so no duration made
//! from two of them is longer, and packing loses nothing.

use super::sample::{AgentIdx, QueueIdx, Sample, SampleKind, WaitClass, WaitEnd};
use crate::time::Ts;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PackedSample {
    ts: Ts,
    /// The first duration in the low 48 bits; the kind and its flags above.
    a: u64,
    /// The second duration in the low 48 bits; survey answers above.
    b: u64,
    /// The queue in the high half, the agent in the low; `NONE` for none.
    who: u64,
}

const LOW48: u64 = (1 << 48) - 1;
const NONE: u32 = u32::MAX;

// The kind: the top 4 bits of `a`.
const ENTERED: u64 = 0;
const WAIT: u64 = 1;
const SEGMENT: u64 = 2;
const WRAP_UP: u64 = 3;
const FIRST_RESPONSE: u64 = 4;
const RESOLUTION: u64 = 5;
const RESPONSE: u64 = 6;
const RESOLVED: u64 = 7;
const SURVEY: u64 = 8;

// Flags: bits 48 to 59 of `a`.
const HAS_WAIT: u64 = 1 << 48;
const ABANDONED: u64 = 1 << 49;
const LEFT: u64 = 1 << 50;
const WITHIN: u64 = 1 << 51;
const SHORT: u64 = 1 << 52;
const FIRST_CONTACT: u64 = 1 << 48;
const HAS_CSAT: u64 = 1 << 48;
const HAS_NPS: u64 = 1 << 49;

/// Past 48 bits (unreachable from a feed's times) a duration saturates
/// rather than wrapping into the flags.
fn ms(v: u64) -> u64 {
    v.min(LOW48)
}

fn idx(i: Option<u32>) -> u64 {
    i.unwrap_or(NONE) as u64
}

fn opt(i: u64) -> Option<u32> {
    let i = (i & u32::MAX as u64) as u32;
    (i != NONE).then_some(i)
}

fn flag(on: bool, bit: u64) -> u64 {
    if on { bit } else { 0 }
}

impl From<&Sample> for PackedSample {
    fn from(s: &Sample) -> Self {
        let (kind, flags, a, b, agent, answers) = match s.kind {
            SampleKind::Entered => (ENTERED, 0, 0, 0, None, 0),
            SampleKind::Wait { wait, end, class } => {
                let flags = flag(wait.is_some(), HAS_WAIT)
                    | flag(end == WaitEnd::Abandoned, ABANDONED)
                    | flag(end == WaitEnd::Left, LEFT)
                    | flag(class.within, WITHIN)
                    | flag(class.short, SHORT);
                (WAIT, flags, ms(wait.unwrap_or(0)), 0, None, 0)
            }
            SampleKind::Segment { agent, talk, hold } => {
                (SEGMENT, 0, ms(talk), ms(hold), agent.map(|a| a.0), 0)
            }
            SampleKind::WrapUp { ms: m } => (WRAP_UP, 0, ms(m), 0, None, 0),
            SampleKind::FirstResponse { ms: m } => (FIRST_RESPONSE, 0, ms(m), 0, None, 0),
            SampleKind::Resolution { first_contact } => (
                RESOLUTION,
                flag(first_contact, FIRST_CONTACT),
                0,
                0,
                None,
                0,
            ),
            SampleKind::Response { agent, ms: m } => (RESPONSE, 0, ms(m), 0, agent.map(|a| a.0), 0),
            SampleKind::Resolved { ms: m } => (RESOLVED, 0, ms(m), 0, None, 0),
            SampleKind::Survey { agent, csat, nps } => {
                let flags = flag(csat.is_some(), HAS_CSAT) | flag(nps.is_some(), HAS_NPS);
                let answers = (csat.unwrap_or(0) as u64) << 8 | nps.unwrap_or(0) as u64;
                (SURVEY, flags, 0, 0, agent.map(|a| a.0), answers)
            }
        };
        PackedSample {
            ts: s.ts,
            a: kind << 60 | flags | a,
            b: answers << 48 | b,
            who: idx(s.queue.map(|q| q.0)) << 32 | idx(agent),
        }
    }
}

impl PackedSample {
    pub fn ts(&self) -> Ts {
        self.ts
    }

    pub fn unpack(&self) -> Sample {
        let (a, b) = (self.a & LOW48, self.b & LOW48);
        let has = |bit: u64| self.a & bit != 0;
        let agent = opt(self.who).map(AgentIdx);
        let answer = |shift: u32| (self.b >> shift) as u8;
        let kind = match self.a >> 60 {
            WAIT => SampleKind::Wait {
                wait: has(HAS_WAIT).then_some(a),
                end: if has(ABANDONED) {
                    WaitEnd::Abandoned
                } else if has(LEFT) {
                    WaitEnd::Left
                } else {
                    WaitEnd::Answered
                },
                class: WaitClass {
                    within: has(WITHIN),
                    short: has(SHORT),
                },
            },
            SEGMENT => SampleKind::Segment {
                agent,
                talk: a,
                hold: b,
            },
            WRAP_UP => SampleKind::WrapUp { ms: a },
            FIRST_RESPONSE => SampleKind::FirstResponse { ms: a },
            RESOLUTION => SampleKind::Resolution {
                first_contact: has(FIRST_CONTACT),
            },
            RESPONSE => SampleKind::Response { agent, ms: a },
            RESOLVED => SampleKind::Resolved { ms: a },
            SURVEY => SampleKind::Survey {
                agent,
                csat: has(HAS_CSAT).then(|| answer(56)),
                nps: has(HAS_NPS).then(|| answer(48)),
            },
            _ => SampleKind::Entered,
        };
        Sample {
            ts: self.ts,
            queue: opt(self.who >> 32).map(QueueIdx),
            kind,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn kind() -> impl Strategy<Value = SampleKind> {
        let dur = prop_oneof![0..100_000u64, Just(0u64), Just(LOW48), 0..=LOW48];
        let agent = proptest::option::of((0..u32::MAX).prop_map(AgentIdx));
        let end = prop_oneof![
            Just(WaitEnd::Answered),
            Just(WaitEnd::Abandoned),
            Just(WaitEnd::Left)
        ];
        prop_oneof![
            Just(SampleKind::Entered),
            (
                proptest::option::of(dur.clone()),
                end,
                any::<bool>(),
                any::<bool>()
            )
                .prop_map(|(wait, end, within, short)| SampleKind::Wait {
                    wait,
                    end,
                    class: WaitClass { within, short },
                }),
            (agent.clone(), dur.clone(), dur.clone())
                .prop_map(|(agent, talk, hold)| SampleKind::Segment { agent, talk, hold }),
            dur.clone().prop_map(|ms| SampleKind::WrapUp { ms }),
            dur.clone().prop_map(|ms| SampleKind::FirstResponse { ms }),
            any::<bool>().prop_map(|first_contact| SampleKind::Resolution { first_contact }),
            (agent.clone(), dur.clone()).prop_map(|(agent, ms)| SampleKind::Response { agent, ms }),
            dur.prop_map(|ms| SampleKind::Resolved { ms }),
            (
                agent,
                proptest::option::of(any::<u8>()),
                proptest::option::of(any::<u8>())
            )
                .prop_map(|(agent, csat, nps)| SampleKind::Survey { agent, csat, nps }),
        ]
    }

    proptest! {
        #[test]
        fn every_sample_comes_back_as_it_went_in(
            ts in any::<i64>(),
            queue in proptest::option::of((0..u32::MAX).prop_map(QueueIdx)),
            kind in kind(),
        ) {
            let s = Sample { ts: Ts(ts), queue, kind };
            prop_assert_eq!(PackedSample::from(&s).unpack(), s);
        }
    }

    #[test]
    fn a_duration_past_48_bits_saturates_and_keeps_its_kind() {
        let s = Sample {
            ts: Ts(5),
            queue: Some(QueueIdx(3)),
            kind: SampleKind::Segment {
                agent: Some(AgentIdx(9)),
                talk: u64::MAX,
                hold: LOW48 + 1,
            },
        };
        let back = PackedSample::from(&s).unpack();
        assert_eq!(
            back.kind,
            SampleKind::Segment {
                agent: Some(AgentIdx(9)),
                talk: LOW48,
                hold: LOW48,
            }
        );
        assert_eq!(back.queue, Some(QueueIdx(3)));
    }

    #[test]
    fn a_packed_sample_is_two_thirds_of_a_sample() {
        assert_eq!(std::mem::size_of::<PackedSample>(), 32);
        assert_eq!(std::mem::size_of::<Sample>(), 48);
    }
}
