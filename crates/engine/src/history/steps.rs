//! One segment's steps, packed into bytes.
//!
//! Each step is its time (the change from the step before, a varint), a tag
//! byte, and the event's fields: numbers as varints, ids as an index into
//! the segment's own table of strings (each id is kept once per segment,
//! however many events name it). A step of the usual kinds takes about ten
//! bytes; packing it costs a hash lookup per id, far less than writing the
//! event as JSON again, and reading it back builds the event with its ids
//! borrowed from the table, with no JSON to parse. The rare kinds (a
//! snapshot) are kept as a feed-v1 line and decoded again, as before.

use std::borrow::Cow;
use std::collections::HashMap;
use std::hash::BuildHasher;

use foldhash::fast::RandomState;

use crate::protocol::{
    AgentState, Csat, Decoded, Event, EventKind, Nps, Priority, Reject, RejectKind, Sender, Str,
    encode,
};
use crate::time::Ts;

/// A step read back.
pub enum Replayed<'a> {
    /// An event, unknown item or rejected item, as the decoder gave it.
    Item(Decoded<'a>),
    /// An event kept as a feed-v1 line (a snapshot): decode it.
    Line(&'a str),
    /// A frame refused before decoding.
    Refused,
    BeginResync,
    EndResync,
}

const OTHER: u8 = 1;
const REFUSED: u8 = 2;
const BEGIN_RESYNC: u8 = 3;
const END_RESYNC: u8 = 4;
const LINE: u8 = 5;
const QUEUED: u8 = 16;
const ANSWERED: u8 = 17;
const FIRST_RESPONSE: u8 = 18;
const ABANDONED: u8 = 19;
const HOLD: u8 = 20;
const RESUMED: u8 = 21;
const ENDED: u8 = 22;
const MESSAGE: u8 = 23;
const SURVEY: u8 = 24;
const AGENT_STATE: u8 = 25;
const QUEUE_INFO: u8 = 26;
const HEARTBEAT: u8 = 27;

#[derive(Clone, Debug, Default)]
pub struct Steps {
    bytes: Vec<u8>,
    /// The strings, end to end, and where each ends.
    text: String,
    ends: Vec<u32>,
    /// A string's hash to its index, while the segment grows (a hash that
    /// names another string is written out in full instead).
    lookup: HashMap<u64, u32, RandomState>,
    hasher: RandomState,
    /// Unknown and rejected items (rare), in order.
    others: Vec<Other>,
    /// The `seq` of the latest event packed (`seq`s are kept as the change
    /// from it: usually one byte).
    prev_seq: u64,
    len: usize,
    first: Option<Ts>,
    last: Option<Ts>,
}

fn put_varint(out: &mut Vec<u8>, mut v: u64) {
    while v >= 0x80 {
        out.push(v as u8 | 0x80);
        v >>= 7;
    }
    out.push(v as u8);
}

fn zigzag(v: i64) -> u64 {
    ((v << 1) ^ (v >> 63)) as u64
}

fn unzigzag(v: u64) -> i64 {
    (v >> 1) as i64 ^ -((v & 1) as i64)
}

#[derive(Clone, Copy, Debug)]
enum Other {
    Unknown(Option<u64>),
    Rejected(RejectKind, Option<u64>),
}

/// A `seq` as the change from the one before: 0 for none, the change
/// zigzagged plus one otherwise; `None` for the one change that does not
/// fit (the event is then kept as a line).
fn seq_code(seq: Option<u64>, prev: u64) -> Option<u64> {
    match seq {
        None => Some(0),
        Some(s) => zigzag(s.wrapping_sub(prev) as i64).checked_add(1),
    }
}

impl Steps {
    pub fn len(&self) -> usize {
        self.len
    }

    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    pub fn first(&self) -> Option<Ts> {
        self.first
    }

    pub fn last(&self) -> Option<Ts> {
        self.last
    }

    /// Heap bytes held.
    pub fn heap_bytes(&self) -> usize {
        self.bytes.capacity()
            + self.text.capacity()
            + self.ends.capacity() * 4
            + self.lookup.capacity() * (8 + 4 + 1)
            + self.others.capacity() * std::mem::size_of::<Other>()
    }

    /// The segment will not grow again: gives back the spare room and the
    /// lookup table.
    pub fn seal(&mut self) {
        self.bytes.shrink_to_fit();
        self.text.shrink_to_fit();
        self.ends.shrink_to_fit();
        self.others.shrink_to_fit();
        self.lookup = HashMap::default();
    }

    fn begin(&mut self, at: Ts, tag: u8) {
        let prev = self.last.map_or(0, |t| t.0);
        put_varint(&mut self.bytes, zigzag(at.0.wrapping_sub(prev)));
        self.bytes.push(tag);
        self.first.get_or_insert(at);
        self.last = Some(at);
        self.len += 1;
    }

    pub fn push_refused(&mut self, at: Ts) {
        self.begin(at, REFUSED);
    }

    pub fn push_resync(&mut self, at: Ts, begins: bool) {
        self.begin(at, if begins { BEGIN_RESYNC } else { END_RESYNC });
    }

    pub fn push(&mut self, at: Ts, item: &Decoded<'_>) {
        match item {
            Decoded::Unknown { seq } => {
                self.begin(at, OTHER);
                self.others.push(Other::Unknown(*seq));
            }
            Decoded::Rejected(r) => {
                self.begin(at, OTHER);
                self.others.push(Other::Rejected(r.kind, r.seq));
            }
            Decoded::Event(ev) => self.push_event(at, ev),
        }
    }

    fn push_event(&mut self, at: Ts, ev: &Event<'_>) {
        let tag = match &ev.kind {
            EventKind::Queued { .. } => QUEUED,
            EventKind::Answered { .. } => ANSWERED,
            EventKind::FirstResponse { .. } => FIRST_RESPONSE,
            EventKind::Abandoned { .. } => ABANDONED,
            EventKind::Hold { .. } => HOLD,
            EventKind::Resumed { .. } => RESUMED,
            EventKind::Ended { .. } => ENDED,
            EventKind::Message { .. } => MESSAGE,
            EventKind::Survey { .. } => SURVEY,
            EventKind::AgentState { .. } => AGENT_STATE,
            EventKind::QueueInfo { .. } => QUEUE_INFO,
            EventKind::Heartbeat => HEARTBEAT,
            EventKind::Snapshot(_) => LINE,
        };
        let seq = seq_code(ev.seq, self.prev_seq);
        let (Some(seq), false) = (seq, tag == LINE) else {
            self.begin(at, LINE);
            self.put_literal(&encode(ev));
            return;
        };
        self.begin(at, tag);
        put_varint(&mut self.bytes, seq);
        if let Some(s) = ev.seq {
            self.prev_seq = s;
        }
        put_varint(&mut self.bytes, zigzag(ev.ts.0.wrapping_sub(at.0)));
        match &ev.kind {
            EventKind::Queued {
                contact,
                queue,
                channel,
                customer,
                priority,
            } => {
                self.put_str(Some(contact));
                self.put_str(Some(queue));
                self.put_str(channel.as_ref());
                self.put_str(customer.as_ref());
                match priority {
                    Priority::Absent => self.bytes.push(0),
                    Priority::Invalid => self.bytes.push(1),
                    Priority::Given(p) => {
                        self.bytes.push(2);
                        put_varint(&mut self.bytes, zigzag(i64::from(*p)));
                    }
                }
            }
            EventKind::Answered { contact, agent } => {
                self.put_str(Some(contact));
                self.put_str(Some(agent));
            }
            EventKind::FirstResponse { contact, agent } => {
                self.put_str(Some(contact));
                self.put_str(agent.as_ref());
            }
            EventKind::Abandoned { contact }
            | EventKind::Hold { contact }
            | EventKind::Resumed { contact } => self.put_str(Some(contact)),
            EventKind::Ended { contact, resolved } => {
                self.put_str(Some(contact));
                self.bytes.push(resolved.map_or(0, |r| 1 + r as u8));
            }
            EventKind::Message {
                contact,
                from,
                agent,
            } => {
                self.put_str(Some(contact));
                self.bytes.push(match from {
                    Sender::Customer => 0,
                    Sender::Agent => 1,
                });
                self.put_str(agent.as_ref());
            }
            EventKind::Survey { contact, csat, nps } => {
                self.put_str(Some(contact));
                self.bytes.push(csat.map_or(0, |c| c.get() + 1));
                self.bytes.push(nps.map_or(0, |n| n.get() + 1));
            }
            EventKind::AgentState {
                agent,
                state,
                name,
                queues,
                reason,
            } => {
                self.put_str(Some(agent));
                self.bytes.push(*state as u8);
                self.put_str(name.as_ref());
                match queues {
                    None => self.bytes.push(0),
                    Some(qs) => {
                        self.bytes.push(1);
                        put_varint(&mut self.bytes, qs.len() as u64);
                        for q in qs {
                            self.put_str(Some(q));
                        }
                    }
                }
                self.put_str(reason.as_ref());
            }
            EventKind::QueueInfo {
                queue,
                name,
                sl_threshold,
            } => {
                self.put_str(Some(queue));
                self.put_str(name.as_ref());
                match sl_threshold {
                    None => self.bytes.push(0),
                    Some(ms) => {
                        self.bytes.push(1);
                        put_varint(&mut self.bytes, zigzag(*ms));
                    }
                }
            }
            EventKind::Heartbeat | EventKind::Snapshot(_) => {}
        }
    }

    /// An optional string: 0 for none, 1 and the bytes for one written out,
    /// `i + 2` for the table's string `i`.
    fn put_str(&mut self, s: Option<&Str<'_>>) {
        let Some(s) = s else {
            self.bytes.push(0);
            return;
        };
        let h = self.hasher.hash_one(s.as_ref());
        let i = match self.lookup.get(&h) {
            Some(&i) if self.string(i) == s.as_ref() => i,
            Some(_) => {
                // Another string with the same hash: written out in full.
                self.bytes.push(1);
                self.put_literal(s);
                return;
            }
            None => {
                let i = self.ends.len() as u32;
                self.text.push_str(s);
                self.ends.push(self.text.len() as u32);
                self.lookup.insert(h, i);
                i
            }
        };
        put_varint(&mut self.bytes, u64::from(i) + 2);
    }

    fn put_literal(&mut self, s: &str) {
        put_varint(&mut self.bytes, s.len() as u64);
        self.bytes.extend_from_slice(s.as_bytes());
    }

    fn string(&self, i: u32) -> &str {
        let i = i as usize;
        let start = if i == 0 { 0 } else { self.ends[i - 1] as usize };
        &self.text[start..self.ends[i] as usize]
    }

    /// Reads back every step at or before `upto`, in order, with its time.
    pub fn replay(&self, upto: Ts, mut f: impl FnMut(Ts, Replayed<'_>)) {
        let mut r = Reader {
            steps: self,
            pos: 0,
            prev_seq: 0,
            other: 0,
        };
        let mut at = 0i64;
        while r.pos < self.bytes.len() {
            at = at.wrapping_add(unzigzag(r.varint()));
            if Ts(at) > upto {
                return;
            }
            let tag = r.byte();
            let step = match tag {
                OTHER => {
                    r.other += 1;
                    Replayed::Item(match self.others[r.other - 1] {
                        Other::Unknown(seq) => Decoded::Unknown { seq },
                        Other::Rejected(kind, seq) => {
                            let mut reject = Reject::new(kind, "");
                            reject.seq = seq;
                            Decoded::Rejected(reject)
                        }
                    })
                }
                REFUSED => Replayed::Refused,
                BEGIN_RESYNC => Replayed::BeginResync,
                END_RESYNC => Replayed::EndResync,
                LINE => Replayed::Line(r.literal()),
                _ => Replayed::Item(Decoded::Event(r.event(tag, Ts(at)))),
            };
            f(Ts(at), step);
        }
    }
}

struct Reader<'a> {
    steps: &'a Steps,
    pos: usize,
    prev_seq: u64,
    /// The next of `others`.
    other: usize,
}

impl<'a> Reader<'a> {
    fn byte(&mut self) -> u8 {
        let b = self.steps.bytes[self.pos];
        self.pos += 1;
        b
    }

    fn varint(&mut self) -> u64 {
        let mut v = 0u64;
        let mut shift = 0;
        loop {
            let b = self.byte();
            v |= u64::from(b & 0x7f) << shift;
            if b < 0x80 {
                return v;
            }
            shift += 7;
        }
    }

    fn seq(&mut self) -> Option<u64> {
        match self.varint() {
            0 => None,
            v => {
                let s = self.prev_seq.wrapping_add(unzigzag(v - 1) as u64);
                self.prev_seq = s;
                Some(s)
            }
        }
    }

    fn literal(&mut self) -> &'a str {
        let len = self.varint() as usize;
        let bytes = &self.steps.bytes[self.pos..self.pos + len];
        self.pos += len;
        // Written from a `str`: always UTF-8.
        std::str::from_utf8(bytes).unwrap_or_default()
    }

    fn opt_str(&mut self) -> Option<Str<'a>> {
        match self.varint() {
            0 => None,
            1 => Some(Cow::Borrowed(self.literal())),
            i => Some(Cow::Borrowed(self.steps.string((i - 2) as u32))),
        }
    }

    fn str(&mut self) -> Str<'a> {
        self.opt_str().unwrap_or_default()
    }

    fn event(&mut self, tag: u8, at: Ts) -> Event<'a> {
        let seq = self.seq();
        let ts = Ts(at.0.wrapping_add(unzigzag(self.varint())));
        let kind = match tag {
            QUEUED => EventKind::Queued {
                contact: self.str(),
                queue: self.str(),
                channel: self.opt_str(),
                customer: self.opt_str(),
                priority: match self.byte() {
                    0 => Priority::Absent,
                    1 => Priority::Invalid,
                    _ => {
                        Priority::Given(i32::try_from(unzigzag(self.varint())).unwrap_or_default())
                    }
                },
            },
            ANSWERED => EventKind::Answered {
                contact: self.str(),
                agent: self.str(),
            },
            FIRST_RESPONSE => EventKind::FirstResponse {
                contact: self.str(),
                agent: self.opt_str(),
            },
            ABANDONED => EventKind::Abandoned {
                contact: self.str(),
            },
            HOLD => EventKind::Hold {
                contact: self.str(),
            },
            RESUMED => EventKind::Resumed {
                contact: self.str(),
            },
            ENDED => EventKind::Ended {
                contact: self.str(),
                resolved: match self.byte() {
                    0 => None,
                    b => Some(b == 2),
                },
            },
            MESSAGE => EventKind::Message {
                contact: self.str(),
                from: if self.byte() == 0 {
                    Sender::Customer
                } else {
                    Sender::Agent
                },
                agent: self.opt_str(),
            },
            SURVEY => EventKind::Survey {
                contact: self.str(),
                csat: match self.byte() {
                    0 => None,
                    c => Csat::new(i64::from(c) - 1),
                },
                nps: match self.byte() {
                    0 => None,
                    n => Nps::new(i64::from(n) - 1),
                },
            },
            AGENT_STATE => EventKind::AgentState {
                agent: self.str(),
                state: AgentState::ALL[self.byte() as usize],
                name: self.opt_str(),
                queues: match self.byte() {
                    0 => None,
                    _ => {
                        let n = self.varint() as usize;
                        Some((0..n).map(|_| self.str()).collect())
                    }
                },
                reason: self.opt_str(),
            },
            QUEUE_INFO => EventKind::QueueInfo {
                queue: self.str(),
                name: self.opt_str(),
                sl_threshold: match self.byte() {
                    0 => None,
                    _ => Some(unzigzag(self.varint())),
                },
            },
            _ => EventKind::Heartbeat,
        };
        Event { ts, seq, kind }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(v: &str) -> Str<'static> {
        Cow::Owned(v.to_string())
    }

    #[test]
    fn every_kind_reads_back_as_it_was_packed() {
        let kinds = vec![
            EventKind::Queued {
                contact: s("c1"),
                queue: s("q1"),
                channel: Some(s("voice")),
                customer: None,
                priority: Priority::Given(-25_000_000),
            },
            EventKind::Queued {
                contact: s("c2"),
                queue: s("q1"),
                channel: None,
                customer: Some(s("k\u{e9}")),
                priority: Priority::Absent,
            },
            EventKind::Answered {
                contact: s("c1"),
                agent: s("a1"),
            },
            EventKind::FirstResponse {
                contact: s("c1"),
                agent: None,
            },
            EventKind::Abandoned { contact: s("c2") },
            EventKind::Hold { contact: s("c1") },
            EventKind::Resumed { contact: s("c1") },
            EventKind::Ended {
                contact: s("c1"),
                resolved: Some(false),
            },
            EventKind::Ended {
                contact: s("c1"),
                resolved: None,
            },
            EventKind::Message {
                contact: s("c1"),
                from: Sender::Agent,
                agent: Some(s("a1")),
            },
            EventKind::Survey {
                contact: s("c1"),
                csat: Csat::new(5),
                nps: Nps::new(0),
            },
            EventKind::AgentState {
                agent: s("a1"),
                state: AgentState::Offline,
                name: Some(s("Ann")),
                queues: Some(vec![s("q1"), s("q2")]),
                reason: Some(s("lunch")),
            },
            EventKind::AgentState {
                agent: s("a2"),
                state: AgentState::WrapUp,
                name: None,
                queues: Some(vec![]),
                reason: None,
            },
            EventKind::QueueInfo {
                queue: s("q2"),
                name: None,
                sl_threshold: Some(-5),
            },
            EventKind::Heartbeat,
        ];
        let seqs = [
            Some(1),
            None,
            Some(0),
            Some(u64::MAX),
            Some(7),
            Some(u64::MAX - 1),
        ];
        let mut steps = Steps::default();
        let mut want = Vec::new();
        for (i, kind) in kinds.into_iter().enumerate() {
            let at = Ts(1_000 + i as i64 * 10);
            let ev = Event {
                ts: Ts(at.0 - 3 + (i as i64 % 5) * 1_000_000),
                seq: seqs[i % seqs.len()],
                kind,
            };
            steps.push(at, &Decoded::Event(ev.clone()));
            want.push((at, Some(ev)));
        }
        steps.push(Ts(5_000), &Decoded::Unknown { seq: Some(9) });
        steps.push_refused(Ts(5_000));
        steps.push_resync(Ts(i64::MAX), true);
        steps.seal();
        let mut got = Vec::new();
        steps.replay(Ts(i64::MAX), |at, step| {
            got.push(match step {
                Replayed::Item(Decoded::Event(ev)) => (at, Some(ev.into_owned())),
                Replayed::Item(Decoded::Unknown { seq }) => {
                    assert_eq!(seq, Some(9));
                    (at, None)
                }
                Replayed::Refused | Replayed::BeginResync => (at, None),
                _ => panic!("not packed"),
            })
        });
        want.extend([(Ts(5_000), None), (Ts(5_000), None), (Ts(i64::MAX), None)]);
        assert_eq!(got, want);
        let mut upto = 0;
        steps.replay(Ts(1_050), |_, _| upto += 1);
        assert_eq!(upto, 6, "the steps at or before the instant only");
    }
}
