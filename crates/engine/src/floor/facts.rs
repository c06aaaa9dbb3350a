//! Cheap facts for rules that look at every agent and queue on every tick
//! (the alert engine): no views built, nothing allocated, nothing sorted.

use super::Floor;
use super::live::{DisplayState, Phase, hold_as_of};
use super::sample::{AgentIdx, QueueIdx};
use crate::time::{Millis, Ts};

/// What a rule needs to know of one agent.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct AgentFacts<'f> {
    pub id: &'f str,
    pub state: DisplayState,
    /// When the display state began.
    pub since: Ts,
    /// The away reason, only while away.
    pub reason: Option<&'f str>,
    pub queues: &'f [QueueIdx],
    /// Contacts held now.
    pub contacts: usize,
}

/// An agent's talk and hold as functions of time ([`Floor::agent_contact_clocks`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ContactClocks {
    pub talk_fixed: Millis,
    pub talk_from: Option<Ts>,
    /// The earliest hold in progress.
    pub hold_from: Option<Ts>,
    /// False when the shapes hold only from a later instant (a hold stamped
    /// after the floor's now): read the times again on the next look.
    pub exact: bool,
}

impl Floor {
    /// Every agent slot, present or not: `AgentIdx(0..agent_slots())`.
    pub fn agent_slots(&self) -> usize {
        self.agents.len()
    }

    /// The facts of a present agent; `None` for one a snapshot left out.
    pub fn agent_facts(&self, a: AgentIdx) -> Option<AgentFacts<'_>> {
        let agent = self.agents.get(a.0 as usize).filter(|a| a.present)?;
        let state = agent.display();
        Some(AgentFacts {
            id: &agent.id,
            state,
            since: agent.shown_since,
            reason: if state == DisplayState::Away {
                agent.reason.as_deref()
            } else {
                None
            },
            queues: &agent.queues,
            contacts: agent.contacts.len(),
        })
    }

    /// The longest talk time and the longest hold in progress among an
    /// agent's contacts, as of now (docs/metrics.md `talk_s`; a hold counts from
    /// its start).
    pub fn agent_contact_times(&self, a: AgentIdx) -> (Millis, Option<Millis>) {
        let Some(agent) = self.agents.get(a.0 as usize) else {
            return (0, None);
        };
        let mut talk: Millis = 0;
        let mut hold: Option<Millis> = None;
        for c in agent.contacts.iter().filter_map(|k| self.contacts.get(*k)) {
            if let Phase::Connected {
                answered,
                held,
                hold_since,
                ..
            } = c.phase
            {
                let t = self.now.since(answered) - hold_as_of(answered, held, hold_since, self.now);
                talk = talk.max(t);
                if let Some(h) = hold_since {
                    let h = self.now.since(h);
                    hold = Some(hold.map_or(h, |x: Millis| x.max(h)));
                }
            }
        }
        (talk, hold)
    }

    /// [`Floor::agent_contact_times`] as functions of time, for a reader
    /// that works out when they will cross a limit: from now on, while the
    /// agent's contacts stay as they are, talk is `max(fixed, t - from)`
    /// and hold `max(0, t - from)`.
    pub fn agent_contact_clocks(&self, a: AgentIdx) -> ContactClocks {
        let mut clocks = ContactClocks {
            talk_fixed: 0,
            talk_from: None,
            hold_from: None,
            exact: true,
        };
        let Some(agent) = self.agents.get(a.0 as usize) else {
            return clocks;
        };
        for c in agent.contacts.iter().filter_map(|k| self.contacts.get(*k)) {
            if let Phase::Connected {
                answered,
                held,
                hold_since,
                ..
            } = c.phase
            {
                let from = answered.plus(held);
                match hold_since {
                    // On hold: its talk stopped when the hold began.
                    Some(h) => {
                        clocks.talk_fixed = clocks.talk_fixed.max(h.since(from));
                        clocks.hold_from = Some(clocks.hold_from.map_or(h, |x| x.min(h)));
                        // A hold stamped ahead of the clock: talk still
                        // grows until then, a shape not written above.
                        clocks.exact &= h <= self.now;
                    }
                    None => clocks.talk_from = Some(clocks.talk_from.map_or(from, |x| x.min(from))),
                }
            }
        }
        clocks
    }

    /// When the oldest contact waiting in a queue began to wait.
    pub fn oldest_waiting(&self, q: QueueIdx) -> Option<Ts> {
        self.queues.get(q.0 as usize).and_then(|q| q.oldest())
    }

    /// When each contact waiting in a queue began to wait, oldest first.
    pub fn waiting_since(&self, q: QueueIdx) -> impl Iterator<Item = Ts> + '_ {
        self.queues
            .get(q.0 as usize)
            .into_iter()
            .flat_map(|q| q.waiting.iter().map(|(since, _)| *since))
    }

    pub fn queue_id(&self, q: QueueIdx) -> &str {
        self.queues.get(q.0 as usize).map_or("", |q| &q.id)
    }
}
