//! The agent rules (time in a state, talk, hold, the ghost check) for one
//! agent at a look: which rules apply to it now, its figures as
//! [`Growth`]s, the look itself, and when it must be looked at next.

use smallvec::SmallVec;

use super::eval::{Change, Engine, Subject};
use super::growth::Growth;
use super::machine::Machine;
use super::rule::{AgentLimits, AgentRule, Direction, Limit, RuleId};
use crate::floor::{AgentFacts, AgentIdx, DisplayState, Floor, QueueIdx};
use crate::time::Ts;

/// The agent rules, resolved once per look.
pub(super) struct AgentRules {
    limits: AgentLimits,
    /// Per state: below this time in the state no rule of it can pass
    /// (a talk or a hold is never longer than the time on contact), so an
    /// agent with no alert under way is not looked further.
    on_contact: Option<f64>,
    away: Option<f64>,
}

/// The mildest of some limits.
fn mildest(ls: impl Iterator<Item = Limit>) -> Option<f64> {
    ls.filter_map(|l| l.first(Direction::Above))
        .reduce(f64::min)
}

impl AgentRules {
    pub fn new(limits: &AgentLimits) -> AgentRules {
        let lim = |r: AgentRule| limits.rules[r.index()];
        AgentRules {
            on_contact: mildest([lim(AgentRule::Talk), lim(AgentRule::OnHold)].into_iter()),
            away: mildest(
                std::iter::once(lim(AgentRule::Away)).chain(limits.reasons.iter().map(|r| r.2)),
            ),
            limits: limits.clone(),
        }
    }

    fn lim(&self, r: AgentRule) -> Limit {
        self.limits.rules[r.index()]
    }

    /// Whether the ghost check is on (it reads the queues' oldest waits).
    pub fn ghosts(&self) -> bool {
        self.lim(AgentRule::Ghost).is_set()
    }

    /// Time in a state past which a rule of that state may pass.
    fn gate(&self, state: DisplayState) -> Option<f64> {
        let first = |r: AgentRule| self.lim(r).first(Direction::Above);
        match state {
            DisplayState::OnContact => self.on_contact,
            DisplayState::Away => self.away,
            DisplayState::WrapUp => first(AgentRule::WrapUp),
            DisplayState::Busy => first(AgentRule::Busy),
            DisplayState::Available => first(AgentRule::Ghost),
            DisplayState::Offline => None,
        }
    }

    /// The rules that apply to the agent in its state, with its figures.
    /// `exact` is cleared when a figure's shape holds only from a later
    /// instant (look again next time).
    fn figures(
        &self,
        floor: &Floor,
        a: AgentIdx,
        f: &AgentFacts<'_>,
        oldest: &[Option<Ts>],
        exact: &mut bool,
    ) -> SmallVec<[(RuleId, Limit, Growth); 2]> {
        let mut out = SmallVec::new();
        let in_state = Growth::since(f.since);
        let mut add = |r: AgentRule, g: Growth| {
            if self.lim(r).is_set() {
                out.push((RuleId::Agent(r), self.lim(r), g));
            }
        };
        match f.state {
            DisplayState::OnContact => {
                let c = floor.agent_contact_clocks(a);
                *exact = c.exact;
                let talk = Growth {
                    fixed: Some(c.talk_fixed),
                    from: c.talk_from,
                };
                let hold = c.hold_from.map_or(Growth::absent(), Growth::since);
                debug_assert!(
                    !c.exact || {
                        let (t, h) = floor.agent_contact_times(a);
                        talk.ms_at(floor.now()) == Some(t) && hold.ms_at(floor.now()) == h
                    }
                );
                add(AgentRule::Talk, talk);
                add(AgentRule::OnHold, hold);
            }
            DisplayState::Away => {
                let reason = f
                    .reason
                    .and_then(|why| self.limits.reasons.iter().position(|r| &*r.1 == why));
                match reason {
                    Some(k) => out.push((
                        RuleId::AwayReason(k as u16),
                        self.limits.reasons[k].2,
                        in_state,
                    )),
                    None => add(AgentRule::Away, in_state),
                }
            }
            DisplayState::WrapUp => add(AgentRule::WrapUp, in_state),
            DisplayState::Busy => add(AgentRule::Busy, in_state),
            DisplayState::Available => {
                // Available for this long while a contact of one of its
                // queues waited the whole time: the shorter of the two.
                let waited = f
                    .queues
                    .iter()
                    .filter_map(|q: &QueueIdx| oldest.get(q.0 as usize).copied().flatten())
                    .min();
                add(
                    AgentRule::Ghost,
                    waited.map_or(Growth::absent(), |w| Growth::since(w.max(f.since))),
                );
            }
            DisplayState::Offline => {}
        }
        out
    }
}

/// When an agent must be looked at next: on the floor's clock (a figure
/// passes a value), on the rules' clock (a `for` or clear clock runs out).
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub(super) struct Due {
    pub on_floor: Option<Ts>,
    pub on_rules: Option<Ts>,
}

fn earlier(a: Option<Ts>, b: Option<Ts>) -> Option<Ts> {
    match (a, b) {
        (Some(a), Some(b)) => Some(a.min(b)),
        (a, b) => a.or(b),
    }
}

impl Engine {
    /// Looks at one agent's rules at `now` (the floor at `floor.now()`),
    /// its crossings to `out`; its alerts that no rule looked at (it left
    /// the state, or the floor) return, to `returns`. Returns when it must
    /// be looked at next.
    #[allow(clippy::too_many_arguments)]
    pub(super) fn look_agent(
        &mut self,
        floor: &Floor,
        rules: &AgentRules,
        a: AgentIdx,
        oldest: &[Option<Ts>],
        now: Ts,
        out: &mut Vec<Change>,
        returns: &mut Vec<Change>,
    ) -> Due {
        let fnow = floor.now();
        let i = a.0 as usize;
        let tracked = self.agents.get(i).is_some_and(|l| !l.is_empty());
        let Some(f) = floor.agent_facts(a) else {
            if tracked {
                self.sweep_agent(a, now, returns);
            }
            return Due::default();
        };
        let gate = rules.gate(f.state);
        let in_state = Growth::since(f.since);
        // Fast path: not past any limit of its state, and no alert under way.
        let could = gate.is_some_and(|g| in_state.at(fnow).is_some_and(|v| v > g));
        if !could && !tracked {
            return Due {
                on_floor: gate.and_then(|g| in_state.passes(g)),
                on_rules: None,
            };
        }
        let mut exact = true;
        let figures = rules.figures(floor, a, &f, oldest, &mut exact);
        let subject = Subject::Agent(a);
        for (rule, lim, g) in &figures {
            self.look(*rule, subject, f.id, *lim, g.at(fnow), now, out);
            if let Some(s) = self
                .agents
                .get_mut(i)
                .and_then(|l| l.iter_mut().find(|s| s.rule == *rule))
            {
                s.growth = *g;
            }
        }
        self.sweep_agent(a, now, returns);
        let mut due = Due {
            on_floor: if could {
                None
            } else {
                gate.and_then(|g| in_state.passes(g))
            },
            on_rules: None,
        };
        for (rule, lim, g) in &figures {
            let machine = self
                .agent_list(a)
                .iter()
                .find(|s| s.rule == *rule)
                .map_or(Machine::default(), |s| s.slot.machine);
            let w = machine.wake(lim);
            for v in w.values.into_iter().flatten() {
                due.on_floor = earlier(due.on_floor, g.passes(v));
            }
            for t in w.at {
                due.on_rules = earlier(due.on_rules, t);
            }
        }
        if !exact {
            due.on_floor = earlier(due.on_floor, Some(fnow.plus(1)));
        }
        due
    }
}
