//! The engine: every rule against the floor, once a tick.
//!
//! Cheap by construction: a figure that is not past its rule's mildest
//! threshold, and has no alert pending or firing, is dropped after one
//! comparison; only alerts that are pending or firing keep state. Agents'
//! contacts are only looked at when the agent has been on contact longer
//! than the talk or hold limit (no contact of it can be over it otherwise).
//!
//! An agent's alerts live in a slot of their own, indexed like the floor's
//! agents (an agent has one state at a time, so rarely more than two
//! alerts): with tens of thousands of agents firing in an outage, a look
//! is an index and a short scan, not a hash of (rule, subject).

use std::collections::HashMap;

use foldhash::fast::RandomState;
use smallvec::SmallVec;

use super::forecast::{self, QueueForecast};
use super::machine::Machine;
use super::rule::{
    AgentRule, Direction, FeedRule, Level, Limit, QueueLimits, QueueRule, RuleId, Rules,
};
use crate::floor::{AgentIdx, DisplayState, Floor, QueueIdx, Uncertainty, WindowKind};
use crate::time::{Millis, Ts, secs};

/// What the caller knows of the feed, each as a duration on its own clock;
/// `None` when it does not apply (connected, resync done, ...).
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct FeedHealthInput {
    /// Time since the last event, while connected.
    pub stale_for: Option<Millis>,
    /// Time since the link went down, while it is down.
    pub disconnected_for: Option<Millis>,
    /// Time since a resync began, while it is not done.
    pub resyncing_for: Option<Millis>,
}

/// Who an alert is about.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Subject {
    Queue(QueueIdx),
    Agent(AgentIdx),
    Feed,
}

/// An alert firing now.
#[derive(Clone, Debug, PartialEq)]
pub struct Active<'e> {
    pub rule: &'e str,
    pub rule_id: RuleId,
    pub subject: Subject,
    /// The queue or agent id; "" for the feed.
    pub subject_id: &'e str,
    pub level: Level,
    /// When it first fired.
    pub since: Ts,
    /// When it reached its level.
    pub level_since: Ts,
    /// The figure at the last look, in the rule's unit.
    pub value: Option<f64>,
    /// The threshold of its level.
    pub threshold: Option<f64>,
}

/// A crossing or a return, for the event log.
#[derive(Clone, Debug, PartialEq)]
pub struct Change {
    pub rule: RuleId,
    pub subject: Subject,
    pub subject_id: Box<str>,
    pub from: Level,
    pub to: Level,
    pub at: Ts,
    pub value: Option<f64>,
    /// The threshold crossed (of `to`, or of `from` on the way back).
    pub threshold: Option<f64>,
}

/// What one evaluation produced.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Evaluation {
    pub changes: Vec<Change>,
    /// Per queue (by index), its forecasts.
    pub forecasts: Vec<QueueForecast>,
    /// Whether the window figures the rules read may miss events.
    pub uncertain: Option<Uncertainty>,
}

#[derive(Debug)]
struct Slot {
    machine: Machine,
    id: Box<str>,
    seen: u64,
}

/// One agent's alert of one rule.
#[derive(Debug)]
struct AgentSlot {
    rule: RuleId,
    slot: Slot,
}

#[derive(Debug)]
pub struct Engine {
    rules: Rules,
    /// Per queue index: its limits, resolved once.
    queue_limits: Vec<QueueLimits>,
    /// Queues' and the feed's alerts (a few hundred at most).
    slots: HashMap<(RuleId, Subject), Slot, RandomState>,
    /// Per agent slot of the floor: that agent's alerts pending or firing,
    /// the first in place (no pointer to chase for the usual one alert).
    agents: Vec<SmallVec<[AgentSlot; 1]>>,
    /// How many entries of `agents` are not empty.
    agents_tracked: usize,
    /// Per queue index: its last staffing forecast, reused while its
    /// inputs are the same.
    staffing: Vec<forecast::StaffingMemo>,
    generation: u64,
}

fn threshold_of(lim: &Limit, level: Level) -> Option<f64> {
    match level {
        Level::Crit => lim.crit,
        Level::Warn => lim.warn,
        Level::Ok => None,
    }
}

/// Whether a figure is past the mildest threshold (worth a machine).
fn worth(lim: &Limit, dir: Direction, v: Option<f64>) -> bool {
    match (lim.first(dir), v) {
        (Some(t), Some(v)) => match dir {
            Direction::Above => v > t,
            Direction::Below => v < t,
        },
        _ => false,
    }
}

impl Engine {
    pub fn new(rules: Rules) -> Self {
        Engine {
            rules,
            queue_limits: Vec::new(),
            slots: HashMap::default(),
            agents: Vec::new(),
            agents_tracked: 0,
            staffing: Vec::new(),
            generation: 0,
        }
    }

    pub fn rules(&self) -> &Rules {
        &self.rules
    }

    /// The alerts firing now, in no order.
    pub fn active(&self) -> impl Iterator<Item = Active<'_>> + '_ {
        let agents = self.agents.iter().enumerate().flat_map(|(i, list)| {
            list.iter()
                .map(move |a| ((a.rule, Subject::Agent(AgentIdx(i as u32))), &a.slot))
        });
        self.slots
            .iter()
            .map(|(k, s)| (*k, s))
            .chain(agents)
            .filter_map(|((rule, subject), s)| self.active_of(rule, subject, s))
    }

    fn active_of<'e>(&'e self, rule: RuleId, subject: Subject, s: &'e Slot) -> Option<Active<'e>> {
        {
            let level = s.machine.level();
            if level == Level::Ok {
                return None;
            }
            Some(Active {
                rule: self.rules.name(rule),
                rule_id: rule,
                subject,
                subject_id: &s.id,
                level,
                since: s.machine.since()?,
                level_since: s.machine.level_since()?,
                value: s.machine.value,
                threshold: self
                    .limit(rule, subject)
                    .and_then(|l| threshold_of(&l, level)),
            })
        }
    }

    /// The level of one subject's rule now (Ok when not firing).
    pub fn level(&self, rule: RuleId, subject: Subject) -> Level {
        match subject {
            Subject::Agent(a) => self
                .agent_list(a)
                .iter()
                .find(|s| s.rule == rule)
                .map_or(Level::Ok, |s| s.slot.machine.level()),
            _ => self
                .slots
                .get(&(rule, subject))
                .map_or(Level::Ok, |s| s.machine.level()),
        }
    }

    fn agent_list(&self, a: AgentIdx) -> &[AgentSlot] {
        self.agents.get(a.0 as usize).map_or(&[], |l| l.as_slice())
    }

    /// The worst level of one agent's alerts (Ok when none fires).
    pub fn agent_level(&self, a: AgentIdx) -> Level {
        self.agent_list(a)
            .iter()
            .map(|s| s.slot.machine.level())
            .max()
            .unwrap_or(Level::Ok)
    }

    fn limit(&self, rule: RuleId, subject: Subject) -> Option<Limit> {
        match (rule, subject) {
            (RuleId::Queue(r), Subject::Queue(q)) => {
                self.queue_limits.get(q.0 as usize).map(|l| l[r.index()])
            }
            (RuleId::Agent(r), _) => Some(self.rules.agents.rules[r.index()]),
            (RuleId::AwayReason(i), _) => self.rules.agents.reasons.get(i as usize).map(|r| r.2),
            (RuleId::Feed(r), _) => Some(self.rules.feed[r.index()]),
            _ => None,
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn look(
        &mut self,
        rule: RuleId,
        subject: Subject,
        id: &str,
        lim: Limit,
        v: Option<f64>,
        now: Ts,
        out: &mut Vec<Change>,
    ) {
        let dir = Rules::direction(rule);
        let round = self.generation;
        let new_slot = || Slot {
            machine: Machine::default(),
            id: id.into(),
            seen: round,
        };
        let slot = if let Subject::Agent(a) = subject {
            let i = a.0 as usize;
            if i >= self.agents.len() {
                if !worth(&lim, dir, v) {
                    return;
                }
                self.agents.resize_with(i + 1, SmallVec::new);
            }
            let list = &mut self.agents[i];
            match list.iter().position(|s| s.rule == rule) {
                Some(p) => &mut list[p].slot,
                None if worth(&lim, dir, v) => {
                    if list.is_empty() {
                        self.agents_tracked += 1;
                    }
                    list.push(AgentSlot {
                        rule,
                        slot: new_slot(),
                    });
                    &mut list.last_mut().expect("just pushed").slot
                }
                None => return,
            }
        } else {
            let key = (rule, subject);
            match self.slots.get_mut(&key) {
                Some(s) => s,
                None if worth(&lim, dir, v) => self.slots.entry(key).or_insert_with(new_slot),
                None => return,
            }
        };
        slot.seen = round;
        let (from, to) = slot.machine.step(&lim, dir, v, now);
        if from != to {
            out.push(Change {
                rule,
                subject,
                subject_id: slot.id.clone(),
                from,
                to,
                at: now,
                value: v,
                threshold: threshold_of(&lim, if to > from { to } else { from }),
            });
        }
    }

    /// Looks at every rule once. `now` is the floor's clock (the time of
    /// the figures); rules' `for` and clear durations are measured on it.
    pub fn evaluate(&mut self, floor: &Floor, health: &FeedHealthInput, now: Ts) -> Evaluation {
        self.generation += 1;
        let mut changes = Vec::new();
        while self.queue_limits.len() < floor.queue_ids().count() {
            let id = floor.queue_id(QueueIdx(self.queue_limits.len() as u32));
            self.queue_limits.push(*self.rules.for_queue(id));
        }
        let (counts, _) = floor.agent_counts();
        let mut forecasts = Vec::with_capacity(self.queue_limits.len());
        // Per queue: oldest waiting, for the ghost check.
        let mut oldest: Vec<Option<Ts>> = Vec::with_capacity(self.queue_limits.len());
        for q in floor.queue_ids() {
            let v = floor.queue_view(q, WindowKind::Rolling, &counts);
            let lim = self.queue_limits[q.0 as usize];
            oldest.push(floor.oldest_waiting(q));
            let f = &v.figures;
            let available = v.agents.get(DisplayState::Available);
            let staffed = available
                + v.agents.get(DisplayState::OnContact)
                + v.agents.get(DisplayState::WrapUp);
            let crit = lim[QueueRule::LongestWait.index()]
                .crit
                .map(|c| (c * 1000.0).round() as Millis);
            let target = lim[QueueRule::ServiceLevel.index()].warn;
            if self.staffing.len() <= q.0 as usize {
                self.staffing.resize(q.0 as usize + 1, None);
            }
            let fc = forecast::queue_forecast(
                &mut self.staffing[q.0 as usize],
                floor,
                q,
                f.answered,
                f.entered,
                f.aht,
                v.sl_threshold,
                crit,
                target,
                staffed,
            );
            let values = [
                Some(secs(v.longest_wait)),
                Some(v.waiting as f64),
                f.service_level,
                f.abandon_rate,
                f.asa.map(|ms| ms / 1000.0),
                Some(f.entered as f64),
                Some(if available == 0 {
                    v.waiting as f64
                } else {
                    0.0
                }),
                fc.critical_in_s,
                fc.staffing.map(|s| s.short() as f64),
                f.csat_pct,
                f.art.avg.map(|ms| ms / 1000.0),
                f.occupancy,
            ];
            forecasts.push(fc);
            let id = v.id;
            for rule in QueueRule::ALL {
                let l = lim[rule.index()];
                if l.is_set() {
                    self.look(
                        RuleId::Queue(rule),
                        Subject::Queue(q),
                        id,
                        l,
                        values[rule.index()],
                        now,
                        &mut changes,
                    );
                }
            }
        }
        self.agents(floor, &oldest, now, &mut changes);
        let feed_values = [
            health.stale_for,
            health.disconnected_for,
            health.resyncing_for,
        ];
        for rule in FeedRule::ALL {
            let l = self.rules.feed[rule.index()];
            if l.is_set() {
                let v = feed_values[rule.index()].map(secs);
                self.look(
                    RuleId::Feed(rule),
                    Subject::Feed,
                    "",
                    l,
                    v,
                    now,
                    &mut changes,
                );
            }
        }
        // Alerts whose figure is gone (agent left the state or the floor).
        let round = self.generation;
        let stale: Vec<(RuleId, Subject)> = self
            .slots
            .iter()
            .filter(|(_, s)| s.seen != round)
            .map(|(k, _)| *k)
            .collect();
        for (rule, subject) in stale {
            let lim = self.limit(rule, subject).unwrap_or_default();
            let id = self
                .slots
                .get(&(rule, subject))
                .map(|s| s.id.clone())
                .unwrap_or_default();
            self.look(rule, subject, &id, lim, None, now, &mut changes);
        }
        self.slots.retain(|_, s| !s.machine.idle());
        if self.agents_tracked > 0 {
            self.sweep_agents(now, &mut changes);
        }
        Evaluation {
            changes,
            forecasts,
            uncertain: floor.uncertain_since(WindowKind::Rolling),
        }
    }

    /// Agents' alerts not looked at this round (the agent left the state,
    /// or the floor) return; idle ones are dropped.
    fn sweep_agents(&mut self, now: Ts, out: &mut Vec<Change>) {
        let round = self.generation;
        let mut tracked = 0;
        for i in 0..self.agents.len() {
            if self.agents[i].is_empty() {
                continue;
            }
            let subject = Subject::Agent(AgentIdx(i as u32));
            for k in 0..self.agents[i].len() {
                let rule = self.agents[i][k].rule;
                if self.agents[i][k].slot.seen == round {
                    continue;
                }
                let lim = self.limit(rule, subject).unwrap_or_default();
                let s = &mut self.agents[i][k].slot;
                let (from, to) = s.machine.step(&lim, Direction::Above, None, now);
                if from != to {
                    out.push(Change {
                        rule,
                        subject,
                        subject_id: s.id.clone(),
                        from,
                        to,
                        at: now,
                        value: None,
                        threshold: threshold_of(&lim, from),
                    });
                }
            }
            self.agents[i].retain(|s| !s.slot.machine.idle());
            tracked += usize::from(!self.agents[i].is_empty());
        }
        self.agents_tracked = tracked;
    }

    fn agents(&mut self, floor: &Floor, oldest: &[Option<Ts>], now: Ts, out: &mut Vec<Change>) {
        let ag = self.rules.agents.clone();
        let fnow = floor.now();
        let lim = |r: AgentRule| ag.rules[r.index()];
        let min_of = |ls: &[Limit]| {
            ls.iter()
                .filter_map(|l| l.first(Direction::Above))
                .fold(f64::INFINITY, f64::min)
        };
        let contact_min = min_of(&[lim(AgentRule::Talk), lim(AgentRule::OnHold)]);
        let away_min = min_of(
            &std::iter::once(lim(AgentRule::Away))
                .chain(ag.reasons.iter().map(|r| r.2))
                .collect::<Vec<_>>(),
        );
        let ghost = lim(AgentRule::Ghost);
        // Agents with an alert pending or firing are looked at even below
        // every limit (so the alert can return): those with a slot.
        for i in 0..floor.agent_slots() {
            let a = AgentIdx(i as u32);
            let Some(f) = floor.agent_facts(a) else {
                continue;
            };
            let subject = Subject::Agent(a);
            let in_state = secs(fnow.since(f.since));
            // Fast path: not past any limit that could apply, and no alert
            // under way for this agent (only checked when some exist).
            let could = match f.state {
                DisplayState::OnContact => in_state > contact_min,
                DisplayState::Away => in_state > away_min,
                DisplayState::WrapUp => {
                    worth(&lim(AgentRule::WrapUp), Direction::Above, Some(in_state))
                }
                DisplayState::Busy => {
                    worth(&lim(AgentRule::Busy), Direction::Above, Some(in_state))
                }
                DisplayState::Available => {
                    ghost.is_set() && worth(&ghost, Direction::Above, Some(in_state))
                }
                DisplayState::Offline => false,
            };
            if !could && self.agents.get(i).is_none_or(|l| l.is_empty()) {
                continue;
            }
            match f.state {
                DisplayState::OnContact => {
                    let (talk, hold) = floor.agent_contact_times(a);
                    for (r, v) in [
                        (AgentRule::Talk, Some(secs(talk))),
                        (AgentRule::OnHold, hold.map(secs)),
                    ] {
                        if lim(r).is_set() {
                            self.look(RuleId::Agent(r), subject, f.id, lim(r), v, now, out);
                        }
                    }
                }
                DisplayState::Away => {
                    let reason = f
                        .reason
                        .and_then(|why| ag.reasons.iter().position(|r| &*r.1 == why));
                    match reason {
                        Some(k) => self.look(
                            RuleId::AwayReason(k as u16),
                            subject,
                            f.id,
                            ag.reasons[k].2,
                            Some(in_state),
                            now,
                            out,
                        ),
                        None if lim(AgentRule::Away).is_set() => self.look(
                            RuleId::Agent(AgentRule::Away),
                            subject,
                            f.id,
                            lim(AgentRule::Away),
                            Some(in_state),
                            now,
                            out,
                        ),
                        None => {}
                    }
                }
                DisplayState::WrapUp | DisplayState::Busy => {
                    let r = if f.state == DisplayState::WrapUp {
                        AgentRule::WrapUp
                    } else {
                        AgentRule::Busy
                    };
                    if lim(r).is_set() {
                        self.look(
                            RuleId::Agent(r),
                            subject,
                            f.id,
                            lim(r),
                            Some(in_state),
                            now,
                            out,
                        );
                    }
                }
                DisplayState::Available if ghost.is_set() => {
                    // Available for this long while a contact of one of its
                    // queues waited the whole time: the shorter of the two.
                    let waited = f
                        .queues
                        .iter()
                        .filter_map(|q| oldest.get(q.0 as usize).copied().flatten())
                        .min()
                        .map(|since| secs(fnow.since(since)));
                    let v = waited.map(|w| w.min(in_state));
                    self.look(
                        RuleId::Agent(AgentRule::Ghost),
                        subject,
                        f.id,
                        ghost,
                        v,
                        now,
                        out,
                    );
                }
                _ => {}
            }
        }
    }
}
