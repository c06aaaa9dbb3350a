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
//!
//! Agents are not all looked at on every tick: only those that changed or
//! whose time came (see `follow`); [`Engine::reference`] looks at every
//! one, every time, to check that against.

use std::collections::HashMap;

use foldhash::fast::RandomState;
use smallvec::SmallVec;

use super::agents::AgentRules;
use super::follow::{Follow, Plan};
use super::forecast::{self, QueueForecast};
use super::growth::Growth;
use super::machine::Machine;
use super::rule::{Direction, FeedRule, Level, Limit, QueueLimits, QueueRule, RuleId, Rules};
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
pub(super) struct Slot {
    pub machine: Machine,
    id: Box<str>,
    seen: u64,
}

/// One agent's alert of one rule.
#[derive(Debug)]
pub(super) struct AgentSlot {
    pub rule: RuleId,
    pub slot: Slot,
    /// Its figure as of the agent's last look, so that the value shown is
    /// the one at the engine's last look even when the agent was not
    /// looked at then (nothing but the value would have changed).
    pub growth: Growth,
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
    pub(super) agents: Vec<SmallVec<[AgentSlot; 1]>>,
    /// Per queue index: its last staffing forecast, reused while its
    /// inputs are the same.
    staffing: Vec<forecast::StaffingMemo>,
    generation: u64,
    /// What is kept to look only at agents that changed or are due;
    /// `None` for the reference engine, which looks at every agent.
    follow: Option<Follow>,
    /// The floor's now at the last look.
    floor_now: Ts,
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
            staffing: Vec::new(),
            generation: 0,
            follow: Some(Follow::default()),
            floor_now: Ts(0),
        }
    }

    /// An engine that looks at every agent on every look and counts agents
    /// from scratch each time: the plain reading of the rules, slower, for
    /// checking [`Engine::new`]'s against (it must give the same alerts).
    pub fn reference(rules: Rules) -> Self {
        Engine {
            follow: None,
            ..Engine::new(rules)
        }
    }

    pub fn rules(&self) -> &Rules {
        &self.rules
    }

    /// The alerts firing now, in no order.
    pub fn active(&self) -> impl Iterator<Item = Active<'_>> + '_ {
        let floor_now = self.floor_now;
        let agents = self.agents.iter().enumerate().flat_map(move |(i, list)| {
            list.iter().map(move |a| {
                let value = a.growth.at(floor_now);
                ((a.rule, Subject::Agent(AgentIdx(i as u32))), &a.slot, value)
            })
        });
        self.slots
            .iter()
            .map(|(k, s)| (*k, s, s.machine.value))
            .chain(agents)
            .filter_map(|((rule, subject), s, value)| self.active_of(rule, subject, s, value))
    }

    fn active_of<'e>(
        &'e self,
        rule: RuleId,
        subject: Subject,
        s: &'e Slot,
        value: Option<f64>,
    ) -> Option<Active<'e>> {
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
                value,
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

    pub(super) fn agent_list(&self, a: AgentIdx) -> &[AgentSlot] {
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
    pub(super) fn look(
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
                    list.push(AgentSlot {
                        rule,
                        slot: new_slot(),
                        growth: Growth::absent(),
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
        self.floor_now = floor.now();
        let agent_rules = AgentRules::new(&self.rules.agents);
        let plan = match &mut self.follow {
            Some(f) => f.begin(floor, now, agent_rules.ghosts()),
            None => Plan::Every,
        };
        let (counts, _) = floor.agent_counts();
        let mut forecasts = Vec::with_capacity(self.queue_limits.len());
        // Per queue: oldest waiting, for the ghost check.
        let mut oldest: Vec<Option<Ts>> = Vec::with_capacity(self.queue_limits.len());
        for q in floor.queue_ids() {
            let v = floor.queue_view(q, WindowKind::Rolling, counts);
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
                f.occupancy.map(crate::floor::Share::pct),
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
        // Agents' returns come last, after the feed's and the queues'
        // (as when every agent was swept at the end of a look).
        let returns = self.look_agents(floor, &agent_rules, plan, &oldest, now, &mut changes);
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
        changes.extend(returns);
        Evaluation {
            changes,
            forecasts,
            uncertain: floor.uncertain_since(WindowKind::Rolling),
        }
    }

    /// The agents of this look, in the floor's order: every one, or those
    /// that changed, are due, or whose ghost figure moved with a queue's
    /// oldest wait. Crossings go to `out`; the returns are given back.
    fn look_agents(
        &mut self,
        floor: &Floor,
        rules: &AgentRules,
        plan: Plan,
        oldest: &[Option<Ts>],
        now: Ts,
        out: &mut Vec<Change>,
    ) -> Vec<Change> {
        let mut returns = Vec::new();
        let mut follow = self.follow.take();
        match plan {
            Plan::Every => {
                for i in 0..floor.agent_slots().max(self.agents.len()) {
                    let a = AgentIdx(i as u32);
                    let due = self.look_agent(floor, rules, a, oldest, now, out, &mut returns);
                    if let Some(f) = &mut follow {
                        f.first_look(a, self.generation);
                        f.schedule(a, due.on_floor, due.on_rules);
                    }
                }
                if let Some(f) = &mut follow {
                    // Only to remember the queues' oldest waits.
                    f.oldest_moved(oldest, &mut Vec::new());
                }
            }
            Plan::These(mut list) => {
                let f = follow.as_mut().expect("a list comes from following");
                if rules.ghosts() {
                    f.oldest_moved(oldest, &mut list);
                }
                list.sort_unstable();
                for a in list {
                    if f.first_look(a, self.generation) {
                        let due = self.look_agent(floor, rules, a, oldest, now, out, &mut returns);
                        f.schedule(a, due.on_floor, due.on_rules);
                    }
                }
            }
        }
        self.follow = follow;
        returns
    }

    /// One agent's alerts not looked at this round (it left the state, or
    /// the floor) return; idle ones are dropped.
    pub(super) fn sweep_agent(&mut self, a: AgentIdx, now: Ts, out: &mut Vec<Change>) {
        let round = self.generation;
        let i = a.0 as usize;
        let Some(list) = self.agents.get(i) else {
            return;
        };
        if list.is_empty() {
            return;
        }
        let subject = Subject::Agent(a);
        for k in 0..self.agents[i].len() {
            let rule = self.agents[i][k].rule;
            if self.agents[i][k].slot.seen == round {
                continue;
            }
            let lim = self.limit(rule, subject).unwrap_or_default();
            let s = &mut self.agents[i][k];
            s.growth = Growth::absent();
            let s = &mut s.slot;
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
    }
}
