//! The agents' day: logging in, wrap-up after each contact, the odd
//! stretch of follow-up work (busy), breaks, lunch, training, meetings,
//! and now and then a logout.
//!
//! A break is taken when it is due if the agent is idle; otherwise it waits
//! until the agent's work is done (as a "next status" does on a real
//! platform), and the agent takes no new contact meanwhile.

use rand::seq::SliceRandom;

use super::dist;
use super::roster::{AGENTS, AgentSpec, Medium, QUEUES, queue_index};
use super::sim::{Action, Sim};
use queuetop_engine::protocol::{AgentState, EventKind};
use queuetop_engine::time::{Millis, Ts};

const MINUTE: f64 = 60.0;
/// After wrap-up, this share of agents does a few minutes of follow-up
/// work (a callback, a note to another team): shown as `busy`.
const BUSY_P: f64 = 0.05;
/// Lunches start between these times of day (ms after midnight).
const LUNCH_FROM: Millis = 11 * HOUR;
const LUNCH_UNTIL: Millis = 14 * HOUR;
const HOUR: Millis = 3_600_000;
const DAY: Millis = 24 * HOUR;
/// Agents who log in late, and who start the day in training.
const LATE_STARTERS: usize = 4;
const IN_TRAINING: usize = 2;

/// Time away from the queues, with its reason.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Aux {
    Break,
    Lunch,
    Training,
    Meeting,
    /// Logged out for a while (a shift swap, a system restart).
    Logout,
}

impl Aux {
    fn state(self) -> AgentState {
        match self {
            Aux::Logout => AgentState::Offline,
            _ => AgentState::Away,
        }
    }

    fn reason(self) -> Option<&'static str> {
        match self {
            Aux::Break => Some("break"),
            Aux::Lunch => Some("lunch"),
            Aux::Training => Some("training"),
            Aux::Meeting => Some("meeting"),
            Aux::Logout => None,
        }
    }

    /// How long it lasts, in seconds: (shortest, longest).
    fn length_s(self) -> (f64, f64) {
        match self {
            Aux::Break => (8.0 * MINUTE, 15.0 * MINUTE),
            Aux::Lunch => (30.0 * MINUTE, 45.0 * MINUTE),
            Aux::Training => (20.0 * MINUTE, 45.0 * MINUTE),
            Aux::Meeting => (15.0 * MINUTE, 30.0 * MINUTE),
            Aux::Logout => (20.0 * MINUTE, 60.0 * MINUTE),
        }
    }
}

#[derive(Debug)]
pub(super) struct Agent {
    pub spec: &'static AgentSpec,
    /// Indices of the queues served, in the agent's order.
    pub skills: Vec<usize>,
    pub state: AgentState,
    pub reason: Option<&'static str>,
    /// When the agent's shown state began (its state, or the end of its
    /// last contact if later): what a snapshot reports.
    pub since: Ts,
    /// Bumped on every state change, so a timer set for an earlier state
    /// does nothing.
    pub epoch: u32,
    /// Contacts connected to the agent.
    pub contacts: Vec<u64>,
    /// Contacts offered to the agent and not yet answered.
    pub reserved: usize,
    /// What kind of work the agent holds while it holds any.
    pub mode: Option<Medium>,
    /// When the agent last became free: the longest idle is offered first.
    pub free_since: Ts,
    pub aux_pending: Option<Aux>,
    /// The day the agent last had lunch, and when in the day it has it
    /// (ms after midnight): lunches are staggered over the middle of the day.
    pub lunch_day: Option<i64>,
    pub lunch_at: Millis,
}

impl Agent {
    pub fn new(spec: &'static AgentSpec, now: Ts) -> Self {
        Agent {
            spec,
            skills: spec.queues.iter().filter_map(|q| queue_index(q)).collect(),
            state: AgentState::Available,
            reason: None,
            since: now,
            epoch: 0,
            contacts: Vec::new(),
            reserved: 0,
            mode: None,
            free_since: now,
            aux_pending: None,
            lunch_day: None,
            lunch_at: LUNCH_FROM,
        }
    }

    /// Contacts held or on offer.
    pub fn load(&self) -> usize {
        self.contacts.len() + self.reserved
    }

    /// Whether the agent may be offered a contact of `medium` now.
    pub fn can_take(&self, medium: Medium) -> bool {
        if self.state != AgentState::Available || self.aux_pending.is_some() {
            return false;
        }
        match medium {
            Medium::Voice | Medium::Email => self.load() == 0,
            Medium::Chat => {
                self.load() == 0
                    || (self.mode == Some(Medium::Chat)
                        && self.load() < super::roster::CHAT_CONCURRENCY)
            }
        }
    }

    fn queue_ids(&self) -> Vec<std::borrow::Cow<'static, str>> {
        self.spec.queues.iter().map(|q| (*q).into()).collect()
    }
}

impl Sim {
    /// The start of the day: most agents available, a few late, a couple
    /// in training. Each is announced with its name and queues.
    pub(super) fn open_shift(&mut self) {
        // A seeded shuffle picks who is late or in training.
        let mut order: Vec<usize> = (0..AGENTS.len()).collect();
        order.shuffle(&mut self.rng);
        for a in 0..self.agents.len() {
            let at = dist::uniform(
                &mut self.rng,
                0.0,
                (LUNCH_UNTIL - LUNCH_FROM) as f64 / 1000.0,
            );
            self.agents[a].lunch_at = LUNCH_FROM + at;
        }
        for (rank, &a) in order.iter().enumerate() {
            let (state, reason, timer) = if rank < LATE_STARTERS {
                let login = dist::uniform(&mut self.rng, 5.0 * MINUTE, 45.0 * MINUTE);
                (AgentState::Offline, None, Some(login))
            } else if rank < LATE_STARTERS + IN_TRAINING {
                let back = dist::uniform(&mut self.rng, 15.0 * MINUTE, 40.0 * MINUTE);
                (AgentState::Away, Aux::Training.reason(), Some(back))
            } else {
                (AgentState::Available, None, None)
            };
            let agent = &mut self.agents[a];
            agent.state = state;
            agent.reason = reason;
            match timer {
                Some(after) => {
                    let epoch = agent.epoch;
                    self.schedule(self.now.plus(after), Action::AgentTimer { agent: a, epoch });
                }
                None => {
                    let due = dist::uniform(&mut self.rng, 15.0 * MINUTE, 110.0 * MINUTE);
                    self.plan_aux(a, due);
                }
            }
        }
        for a in 0..self.agents.len() {
            let agent = &self.agents[a];
            self.emit(EventKind::AgentState {
                agent: agent.spec.id.into(),
                state: agent.state,
                name: Some(agent.spec.name.into()),
                queues: Some(agent.queue_ids()),
                reason: agent.reason.map(Into::into),
            });
        }
    }

    /// Changes an agent's state and says so on the feed. A login also
    /// carries the agent's name and queues, as platforms send them.
    pub(super) fn set_state(&mut self, a: usize, state: AgentState, reason: Option<&'static str>) {
        let login = self.agents[a].state == AgentState::Offline && state != AgentState::Offline;
        let agent = &mut self.agents[a];
        agent.state = state;
        agent.reason = reason;
        agent.since = self.now;
        agent.epoch = agent.epoch.wrapping_add(1);
        let kind = EventKind::AgentState {
            agent: agent.spec.id.into(),
            state,
            name: login.then(|| agent.spec.name.into()),
            queues: login.then(|| agent.queue_ids()),
            reason: reason.map(Into::into),
        };
        self.emit(kind);
    }

    /// Sets a timer that ends the agent's current state after `after` ms.
    fn state_timer(&mut self, a: usize, after: Millis) {
        let epoch = self.agents[a].epoch;
        self.schedule(self.now.plus(after), Action::AgentTimer { agent: a, epoch });
    }

    /// After-contact work for a contact of queue `queue`.
    pub(super) fn start_wrap(&mut self, a: usize, queue: usize) {
        self.set_state(a, AgentState::WrapUp, None);
        let length = dist::lognormal(&mut self.rng, QUEUES[queue].wrap, 3.0, 300.0);
        self.state_timer(a, length);
    }

    pub(super) fn on_agent_timer(&mut self, a: usize, epoch: u32) {
        if self.agents[a].epoch != epoch {
            return;
        }
        match self.agents[a].state {
            AgentState::WrapUp => self.after_work(a, true),
            AgentState::Busy => self.after_work(a, false),
            AgentState::Away | AgentState::Offline => self.back_from_aux(a),
            AgentState::Available => {}
        }
    }

    fn after_work(&mut self, a: usize, may_follow_up: bool) {
        if let Some(aux) = self.agents[a].aux_pending.take() {
            return self.start_aux(a, aux);
        }
        if may_follow_up && dist::chance(&mut self.rng, BUSY_P) {
            self.set_state(a, AgentState::Busy, None);
            let length = dist::uniform(&mut self.rng, 2.0 * MINUTE, 6.0 * MINUTE);
            return self.state_timer(a, length);
        }
        self.make_available(a);
    }

    fn make_available(&mut self, a: usize) {
        self.set_state(a, AgentState::Available, None);
        self.agents[a].free_since = self.now;
        self.route_agent(a);
    }

    fn back_from_aux(&mut self, a: usize) {
        let due = dist::uniform(&mut self.rng, 70.0 * MINUTE, 130.0 * MINUTE);
        self.plan_aux(a, due);
        self.make_available(a);
    }

    /// Schedules the agent's next time away: in `after` ms, or at its
    /// lunch time if that comes first.
    fn plan_aux(&mut self, a: usize, after: Millis) {
        let today = self.ms_of_day();
        let agent = &self.agents[a];
        let day = today.div_euclid(DAY);
        let lunch = if agent.lunch_day == Some(day) {
            (day + 1) * DAY + agent.lunch_at
        } else {
            day * DAY + agent.lunch_at
        };
        let after = if lunch >= today {
            after.min(lunch - today)
        } else {
            after
        };
        self.schedule(self.now.plus(after), Action::AuxDue(a));
    }

    pub(super) fn on_aux_due(&mut self, a: usize) {
        // Already away or logged out: its return plans the next one.
        if matches!(self.agents[a].state, AgentState::Away | AgentState::Offline) {
            return;
        }
        let aux = self.choose_aux(a);
        let agent = &mut self.agents[a];
        if agent.state == AgentState::Available && agent.load() == 0 {
            self.start_aux(a, aux);
        } else {
            agent.aux_pending = Some(aux);
        }
    }

    /// Lunch once a day at the agent's lunch time (or later, if work ran
    /// over; not after mid-afternoon); otherwise mostly short breaks.
    fn choose_aux(&mut self, a: usize) -> Aux {
        let time = self.ms_of_day().rem_euclid(DAY);
        let agent = &self.agents[a];
        if agent.lunch_day != Some(self.day())
            && (agent.lunch_at..LUNCH_UNTIL + 2 * HOUR).contains(&time)
        {
            return Aux::Lunch;
        }
        match dist::unit(&mut self.rng) {
            x if x < 0.05 => Aux::Logout,
            x if x < 0.13 => Aux::Training,
            x if x < 0.19 => Aux::Meeting,
            _ => Aux::Break,
        }
    }

    fn start_aux(&mut self, a: usize, aux: Aux) {
        if aux == Aux::Lunch {
            self.agents[a].lunch_day = Some(self.day());
        }
        self.set_state(a, aux.state(), aux.reason());
        let (lo, hi) = aux.length_s();
        let length = dist::uniform(&mut self.rng, lo, hi);
        self.state_timer(a, length);
    }

    /// The agent holds nothing any more, and no wrap-up follows (an offer
    /// withdrawn, the last of several chats): a pending break starts now,
    /// else the agent looks for work.
    pub(super) fn agent_freed(&mut self, a: usize) {
        let agent = &mut self.agents[a];
        if agent.load() == 0 {
            agent.mode = None;
            if agent.state == AgentState::Available
                && let Some(aux) = agent.aux_pending.take()
            {
                return self.start_aux(a, aux);
            }
        }
        self.route_agent(a);
    }
}
