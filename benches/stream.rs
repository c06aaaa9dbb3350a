//! A realistic, deterministic feed for benchmarks: many agents serving
//! several queues each, contacts arriving at a steady rate, answered,
//! sometimes held, transferred or abandoned, ended, wrapped up. Shared by
//! the criterion benchmarks and by `examples/make_stream.rs`, which writes
//! it to a file for measuring a whole `snapshot --replay` run.

use std::cmp::Reverse;
use std::collections::{BinaryHeap, VecDeque};

/// A tiny deterministic generator (splitmix64): benchmarks need the same
/// stream every run, not good randomness.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }
}

#[derive(Clone, Copy)]
enum Due {
    Arrive,
    Answer(u64),
    Hold(u64),
    Resume(u64),
    FirstResponse(u64, u32),
    /// Turn `k` of a conversation: even turns the customer's, odd the agent's.
    Message(u64, u32, u32),
    End(u64, u32),
    WrapDone(u32),
    Abandon(u64),
}

pub struct Shape {
    pub agents: u32,
    pub queues: u32,
    pub events: usize,
    /// Conversations: every contact is a chat exchanging 1 to 4 messages
    /// (customer and agent in turn) while connected, which makes about 30 %
    /// of all events `contact.message`.
    pub conversations: bool,
}

pub const BENCH: Shape = Shape {
    agents: 5_000,
    queues: 200,
    events: 1_000_000,
    conversations: false,
};

/// The same floor and length, with 30 % of the events messages.
#[allow(dead_code)] // not every benchmark replays every shape
pub const BENCH_MESSAGES: Shape = Shape {
    conversations: true,
    ..BENCH
};

/// The big floor of issue 14: 50,000 agents, 2,000 queues, 2,000,000 events.
#[allow(dead_code)] // not every benchmark replays every shape
pub const BIG: Shape = Shape {
    agents: 50_000,
    queues: 2_000,
    events: 2_000_000,
    conversations: false,
};

const T0: i64 = 1_795_424_400_000;

/// Generates `shape.events` frames, one event each, in time order.
pub fn generate(shape: &Shape) -> Vec<String> {
    let mut rng = Rng(42);
    let mut out = Vec::with_capacity(shape.events);
    let mut seq = 0u64;
    let mut push = |out: &mut Vec<String>, ts: i64, body: String| {
        seq += 1;
        out.push(format!(r#"{{"type":{body},"ts":{ts},"seq":{seq}}}"#));
    };
    for q in 0..shape.queues {
        push(
            &mut out,
            T0,
            format!(
                r#""queue.info","queue":"q{q}","name":"Queue {q}","sl_threshold_s":{}"#,
                20 + q % 3 * 10
            ),
        );
    }
    for a in 0..shape.agents {
        let qs: Vec<String> = (0..3)
            .map(|k| format!("\"q{}\"", (a * 7 + k * 13) % shape.queues))
            .collect();
        push(
            &mut out,
            T0,
            format!(
                r#""agent.state","agent_id":"agent-{a}","state":"available","name":"Agent Number {a}","queues":[{}]"#,
                qs.join(",")
            ),
        );
    }
    // Contacts wait per queue; idle agents wait for any of their queues.
    let mut idle: Vec<VecDeque<u32>> = vec![VecDeque::new(); shape.queues as usize];
    let mut agent_idle = vec![true; shape.agents as usize];
    for a in 0..shape.agents {
        for k in 0..3 {
            idle[((a * 7 + k * 13) % shape.queues) as usize].push_back(a);
        }
    }
    let mut waiting: Vec<VecDeque<u64>> = vec![VecDeque::new(); shape.queues as usize];
    let mut contact_queue: Vec<u32> = Vec::new();
    let mut answered: Vec<bool> = Vec::new();
    let mut heap: BinaryHeap<Reverse<(i64, u64, usize)>> = BinaryHeap::new();
    let mut dues: Vec<Due> = Vec::new();
    let mut order = 0u64;
    let mut schedule = |heap: &mut BinaryHeap<Reverse<(i64, u64, usize)>>,
                        dues: &mut Vec<Due>,
                        at: i64,
                        d: Due| {
        order += 1;
        dues.push(d);
        heap.push(Reverse((at, order, dues.len() - 1)));
    };
    // About 1,000 contacts a minute across the floor: agents stay busy.
    let gap = 60_000 * 5 / (shape.agents as i64).max(1);
    schedule(&mut heap, &mut dues, T0 + 1_000, Due::Arrive);
    while out.len() < shape.events {
        let Some(Reverse((now, _, i))) = heap.pop() else {
            break;
        };
        match dues[i] {
            Due::Arrive => {
                let c = contact_queue.len() as u64;
                let q = rng.below(shape.queues as u64) as u32;
                contact_queue.push(q);
                answered.push(false);
                let channel = if q % 5 == 0 || shape.conversations {
                    "chat"
                } else {
                    "voice"
                };
                push(
                    &mut out,
                    now,
                    format!(
                        r#""contact.queued","contact_id":"contact-{c}","queue":"q{q}","channel":"{channel}","customer_id":"cust-{}""#,
                        rng.below(2_000_000)
                    ),
                );
                waiting[q as usize].push_back(c);
                schedule(
                    &mut heap,
                    &mut dues,
                    now + 20_000 + rng.below(120_000) as i64,
                    Due::Abandon(c),
                );
                schedule(
                    &mut heap,
                    &mut dues,
                    now + 1 + rng.below(gap as u64 * 2) as i64,
                    Due::Arrive,
                );
                schedule(&mut heap, &mut dues, now, Due::Answer(q as u64));
            }
            Due::Answer(q) => {
                let q = q as usize;
                while let Some(&a) = idle[q].front() {
                    if agent_idle[a as usize] {
                        break;
                    }
                    idle[q].pop_front();
                }
                let Some(&a) = idle[q].front() else { continue };
                let Some(c) = waiting[q].pop_front() else {
                    continue;
                };
                idle[q].pop_front();
                agent_idle[a as usize] = false;
                answered[c as usize] = true;
                push(
                    &mut out,
                    now,
                    format!(
                        r#""contact.answered","contact_id":"contact-{c}","agent_id":"agent-{a}""#
                    ),
                );
                if c % 3 == 0 {
                    schedule(&mut heap, &mut dues, now + 5_000, Due::FirstResponse(c, a));
                }
                // Long enough for the hold (talk/3 + 15 s) to end first.
                let talk = 60_000 + rng.below(400_000) as i64;
                if c % 4 == 0 {
                    schedule(&mut heap, &mut dues, now + talk / 3, Due::Hold(c));
                }
                if shape.conversations {
                    let turns = 1 + rng.below(4) as u32;
                    for k in 0..turns {
                        let at = now + talk * i64::from(k + 1) / i64::from(turns + 1);
                        schedule(&mut heap, &mut dues, at, Due::Message(c, a, k));
                    }
                }
                schedule(&mut heap, &mut dues, now + talk, Due::End(c, a));
            }
            Due::Message(c, a, k) => push(
                &mut out,
                now,
                if k % 2 == 0 {
                    format!(r#""contact.message","contact_id":"contact-{c}","from":"customer""#)
                } else {
                    format!(
                        r#""contact.message","contact_id":"contact-{c}","from":"agent","agent_id":"agent-{a}""#
                    )
                },
            ),
            Due::FirstResponse(c, a) => push(
                &mut out,
                now,
                format!(
                    r#""contact.first_response","contact_id":"contact-{c}","agent_id":"agent-{a}""#
                ),
            ),
            Due::Hold(c) => {
                push(
                    &mut out,
                    now,
                    format!(r#""contact.hold","contact_id":"contact-{c}""#),
                );
                schedule(&mut heap, &mut dues, now + 15_000, Due::Resume(c));
            }
            Due::Resume(c) => push(
                &mut out,
                now,
                format!(r#""contact.resumed","contact_id":"contact-{c}""#),
            ),
            Due::End(c, a) => {
                let resolved = rng.below(10) < 8;
                push(
                    &mut out,
                    now,
                    format!(r#""contact.ended","contact_id":"contact-{c}","resolved":{resolved}"#),
                );
                push(
                    &mut out,
                    now,
                    format!(r#""agent.state","agent_id":"agent-{a}","state":"wrap_up""#),
                );
                schedule(
                    &mut heap,
                    &mut dues,
                    now + 10_000 + rng.below(30_000) as i64,
                    Due::WrapDone(a),
                );
            }
            Due::WrapDone(a) => {
                push(
                    &mut out,
                    now,
                    format!(r#""agent.state","agent_id":"agent-{a}","state":"available""#),
                );
                agent_idle[a as usize] = true;
                for k in 0..3 {
                    let q = (a * 7 + k * 13) % shape.queues;
                    idle[q as usize].push_back(a);
                    schedule(&mut heap, &mut dues, now, Due::Answer(q as u64));
                }
            }
            Due::Abandon(c) => {
                if !answered[c as usize] {
                    let q = contact_queue[c as usize] as usize;
                    if let Some(pos) = waiting[q].iter().position(|x| *x == c) {
                        waiting[q].remove(pos);
                        push(
                            &mut out,
                            now,
                            format!(r#""contact.abandoned","contact_id":"contact-{c}""#),
                        );
                    }
                }
            }
        }
    }
    out.truncate(shape.events);
    out
}
