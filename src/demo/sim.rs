//! The simulation engine: a discrete-event simulation of the floor.
//!
//! Everything that will happen is an [`Action`] on a timeline (a min-heap by
//! time, ties broken by the order they were scheduled). [`Sim::advance`]
//! runs the timeline up to a given instant; actions change the simulated
//! floor, schedule later actions and emit feed-v1 events stamped with their
//! own time. Nothing here reads a clock: time is passed in, and one seeded
//! generator makes every random choice, so a seed gives the same events.

use std::cmp::Ordering;
use std::collections::{BTreeMap, BinaryHeap, VecDeque};

use super::agents::Agent;
use super::arrivals::{Arrivals, DAY_OFFSET_AT_START, DRIFT_EVERY};
use super::contacts::Contact;
use super::dist::{self, DemoRng};
use super::roster::{AGENTS, QUEUES};
use queuetop_engine::protocol::{Event, EventKind};
use queuetop_engine::time::{Millis, Ts};

/// A heartbeat goes out this often (feed-v1 asks for at least every 15 s).
pub const HEARTBEAT_EVERY: Millis = 5_000;

/// How much simulated time [`Sim::warmed_up`] runs before the given instant,
/// so a fresh demo shows a floor already in full swing.
pub const WARM_UP: Millis = 30 * 60_000;

/// The highest `rate` the simulation takes; more is clamped to it.
pub const MAX_RATE: f64 = 100.0;

/// Something that happens at a point of simulated time.
#[derive(Clone, Copy, Debug)]
pub(super) enum Action {
    /// Announce the queues and agents (once, at the start).
    Announce,
    Heartbeat,
    /// A candidate arrival in a queue (kept or not by thinning).
    Arrival(usize),
    /// A customer whose last contact was unresolved comes back.
    Return {
        queue: usize,
        customer: u64,
    },
    /// The agent a contact was offered to picks it up.
    Answer(u64),
    /// The customer's patience runs out (for the given wait only).
    Abandon {
        contact: u64,
        wait_no: u32,
    },
    /// The next step of a connected contact's plan.
    Step(u64),
    /// A customer's survey answers, minutes after the end.
    Survey {
        contact: u64,
        csat: Option<u8>,
        nps: Option<u8>,
    },
    /// The agent's current state (wrap-up, busy, away, offline) runs out.
    AgentTimer {
        agent: usize,
        epoch: u32,
    },
    /// The agent is due for a break, lunch, training, ...
    AuxDue(usize),
    Drift,
    SurgeStart,
    SurgeEnd,
}

struct Scheduled {
    at: Ts,
    order: u64,
    action: Action,
}

impl PartialEq for Scheduled {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}

impl Eq for Scheduled {}

impl PartialOrd for Scheduled {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Scheduled {
    /// Reversed, so that `BinaryHeap` (a max-heap) pops the earliest first.
    fn cmp(&self, other: &Self) -> Ordering {
        other
            .at
            .cmp(&self.at)
            .then_with(|| other.order.cmp(&self.order))
    }
}

/// Live state of one queue.
#[derive(Debug, Default)]
pub(super) struct QueueState {
    /// Contacts waiting (or being offered to an agent), oldest first.
    pub waiting: VecDeque<u64>,
}

/// The simulated contact center.
pub struct Sim {
    pub(super) rng: DemoRng,
    pub(super) start: Ts,
    pub(super) now: Ts,
    seq: u64,
    order: u64,
    timeline: BinaryHeap<Scheduled>,
    out: Vec<Event<'static>>,
    pub(super) arrivals: Arrivals,
    pub(super) queues: Vec<QueueState>,
    pub(super) agents: Vec<Agent>,
    /// Live contacts by number. A `BTreeMap`, so that any walk over them is
    /// in the same order every run.
    pub(super) contacts: BTreeMap<u64, Contact>,
    pub(super) next_contact: u64,
    pub(super) next_customer: u64,
    /// Customers seen lately, some of whom call again.
    pub(super) recent_customers: VecDeque<u64>,
}

impl Sim {
    /// A floor that opens at `start` (its announcements are stamped
    /// `start`). `rate` multiplies every queue's traffic (1 = a normal day);
    /// it is clamped to `0..=MAX_RATE`, and a value that is not a number
    /// counts as 1.
    pub fn new(seed: u64, start: Ts, rate: f64) -> Sim {
        let rate = if rate.is_nan() {
            1.0
        } else {
            rate.clamp(0.0, MAX_RATE)
        };
        let mut sim = Sim {
            rng: dist::rng(seed),
            start,
            now: start,
            seq: 0,
            order: 0,
            timeline: BinaryHeap::new(),
            out: Vec::new(),
            arrivals: Arrivals::new(rate),
            queues: QUEUES.iter().map(|_| QueueState::default()).collect(),
            agents: AGENTS.iter().map(|spec| Agent::new(spec, start)).collect(),
            contacts: BTreeMap::new(),
            next_contact: 100_001,
            next_customer: 20_001,
            recent_customers: VecDeque::new(),
        };
        sim.schedule(start, Action::Announce);
        sim
    }

    /// A floor that opened [`WARM_UP`] before `now` and has run, silently,
    /// up to `now`: busy from the first second. Nothing it will emit is
    /// stamped before `now`, and nothing it emitted is after it.
    pub fn warmed_up(seed: u64, now: Ts, rate: f64) -> Sim {
        let mut sim = Sim::new(seed, now.minus(WARM_UP), rate);
        sim.advance(now);
        sim
    }

    /// The simulated instant: the latest `to` given to [`Sim::advance`].
    pub fn now(&self) -> Ts {
        self.now
    }

    /// The `seq` of the last event emitted (0 before the first).
    pub fn last_seq(&self) -> u64 {
        self.seq
    }

    /// Runs the floor up to `to` and returns every event that happened, in
    /// time order, numbered by `seq` from 1 up without gaps. A `to` in the
    /// past does nothing.
    pub fn advance(&mut self, to: Ts) -> Vec<Event<'static>> {
        while self.timeline.peek().is_some_and(|s| s.at <= to) {
            let Some(next) = self.timeline.pop() else {
                break;
            };
            self.now = next.at;
            self.run(next.action);
        }
        self.now = self.now.max(to);
        std::mem::take(&mut self.out)
    }

    fn run(&mut self, action: Action) {
        match action {
            Action::Announce => self.announce(),
            Action::Heartbeat => {
                self.emit(EventKind::Heartbeat);
                self.schedule(self.now.plus(HEARTBEAT_EVERY), Action::Heartbeat);
            }
            Action::Arrival(q) => self.on_arrival_candidate(q),
            Action::Return { queue, customer } => self.arrive(queue, customer),
            Action::Answer(c) => self.on_answer(c),
            Action::Abandon { contact, wait_no } => self.on_abandon(contact, wait_no),
            Action::Step(c) => self.on_step(c),
            Action::Survey { contact, csat, nps } => self.on_survey(contact, csat, nps),
            Action::AgentTimer { agent, epoch } => self.on_agent_timer(agent, epoch),
            Action::AuxDue(a) => self.on_aux_due(a),
            Action::Drift => {
                self.arrivals.redraw_drift(&mut self.rng);
                self.schedule(self.now.plus(DRIFT_EVERY), Action::Drift);
            }
            Action::SurgeStart => {
                let lasts = self.arrivals.start_surge(&mut self.rng);
                self.schedule(self.now.plus(lasts), Action::SurgeEnd);
            }
            Action::SurgeEnd => {
                self.arrivals.surge = None;
                let next = dist::uniform(&mut self.rng, 60.0 * 60.0, 150.0 * 60.0);
                self.schedule(self.now.plus(next), Action::SurgeStart);
            }
        }
    }

    /// The opening: queues and agents are announced, and the processes
    /// that drive the day are set going.
    fn announce(&mut self) {
        for q in &QUEUES {
            self.emit(EventKind::QueueInfo {
                queue: q.id.into(),
                name: Some(q.name.into()),
                sl_threshold: Some(Millis::from(q.sl_threshold_s) * 1000),
            });
        }
        self.open_shift();
        for q in 0..QUEUES.len() {
            if let Some(gap) = self.arrivals.next_candidate(&mut self.rng, q) {
                self.schedule(self.now.plus(gap), Action::Arrival(q));
            }
        }
        self.schedule(self.now.plus(HEARTBEAT_EVERY), Action::Heartbeat);
        self.schedule(self.now, Action::Drift);
        let surge = dist::uniform(&mut self.rng, 20.0 * 60.0, 90.0 * 60.0);
        self.schedule(self.now.plus(surge), Action::SurgeStart);
    }

    pub(super) fn schedule(&mut self, at: Ts, action: Action) {
        self.order += 1;
        self.timeline.push(Scheduled {
            at,
            order: self.order,
            action,
        });
    }

    /// Emits an event stamped now, with the next `seq`.
    pub(super) fn emit(&mut self, kind: EventKind<'static>) {
        self.seq += 1;
        self.out.push(Event {
            ts: self.now,
            seq: Some(self.seq),
            kind,
        });
    }

    /// The floor's time of day now, in ms after midnight (see
    /// [`DAY_OFFSET_AT_START`]).
    pub(super) fn ms_of_day(&self) -> Millis {
        self.now.since(self.start) + DAY_OFFSET_AT_START
    }

    /// Which simulated day it is (0 for the first).
    pub(super) fn day(&self) -> i64 {
        self.ms_of_day() / (24 * 3_600_000)
    }
}
