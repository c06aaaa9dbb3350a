//! The `snapshot` event: the server's word on who waits and who does what
//! replaces ours wholesale. Window history is kept, and what we knew of a
//! contact that is still there (its customer, its first response, time
//! already on hold with the same agent) carries over.

use std::collections::HashMap;

use foldhash::fast::RandomState;

use super::Floor;
use super::live::{Channel, Contact, DisplayState, Phase};
use super::sample::{SampleKind, dur};
use crate::protocol::{AgentState, FloorSnapshot, Priority};
use crate::time::Ts;

impl Floor {
    /// Returns whether the snapshot differed from what we held in a way
    /// that may hide outcomes: a contact we never saw start, or one we held
    /// that it no longer lists (ended without our seeing how). A snapshot
    /// of exactly the state we held (a relay's periodic one) hides nothing.
    pub(super) fn replace_live_state(&mut self, snap: &FloorSnapshot<'_>, ts: Ts) -> bool {
        let mut surprises = false;
        // A contact new to us is a missed event only if it began after the
        // first event we saw: one that began before it began before our
        // view (a feed that sends its recent past, then the live state).
        let first_seen = self.first_event;
        let missed = |began: Ts| first_seen.is_none_or(|f| began >= f);
        // A site's snapshot speaks for that site only (docs/sites.md): what
        // is replaced is what carries its prefix.
        let scope = self.site_scope.take();
        let mine = |id: &str| scope.as_deref().is_none_or(|p| id.starts_with(p));
        // Take every live contact out; reuse what we knew of those that stay.
        let mut old: HashMap<super::IdKey, Contact, RandomState> = HashMap::default();
        if scope.is_none() {
            for c in self.contacts.drain() {
                old.insert(c.id.clone(), c);
            }
            self.contact_index.clear();
        } else {
            let keys: Vec<_> = self
                .contacts
                .iter()
                .filter(|(_, c)| mine(&c.id))
                .map(|(k, _)| k)
                .collect();
            for k in keys {
                let c = self.remove_contact(k);
                old.insert(c.id.clone(), c);
            }
        }
        for q in self.queues.iter_mut().filter(|q| mine(&q.id)) {
            q.waiting.clear();
        }
        // What each agent was shown as, read before its contacts are
        // cleared (without them an agent on contact reads as its own state).
        let previous: Vec<(bool, DisplayState)> = self
            .agents
            .iter()
            .map(|a| (a.present, a.display()))
            .collect();
        let mut was_on_contact = Vec::with_capacity(self.agents.len());
        for a in &mut self.agents {
            was_on_contact.push((a.present && !a.contacts.is_empty()).then_some(a.shown_since));
            if mine(&a.id) {
                a.contacts.clear();
                a.present = false;
            }
        }

        for sq in &snap.queues {
            let Some(q) = self.queue_idx(&sq.queue) else {
                self.counts.over_limit += 1;
                continue;
            };
            if let Some(n) = &sq.name {
                self.queues[q.0 as usize].feed_name = Some(n.as_ref().into());
            }
            for w in &sq.waiting {
                if self.known_contact(&w.contact).is_some() || self.contacts_full() {
                    continue; // listed twice, or over the limit
                }
                let prior = old.remove(w.contact.as_ref());
                surprises |= prior.is_none() && missed(w.since);
                let contact = Contact {
                    id: w.contact.as_ref().into(),
                    channel: w
                        .channel
                        .as_deref()
                        .map(Channel::parse)
                        .or_else(|| prior.as_ref().and_then(|p| p.channel.clone())),
                    first_queued: w
                        .first_queued
                        .or(prior.as_ref().and_then(|p| p.first_queued))
                        .or(Some(w.since)),
                    responded: prior.as_ref().is_some_and(|p| p.responded),
                    repeat: prior.as_ref().is_some_and(|p| p.repeat),
                    has_customer: prior.as_ref().is_some_and(|p| p.has_customer),
                    phase: Phase::Waiting {
                        queue: q,
                        since: w.since,
                    },
                    // A turn we knew pending stays so; a contact new to us
                    // waits on its inquiry, unless we knew it answered.
                    pending_turn: match &prior {
                        Some(p) => p.pending_turn,
                        None => w.first_queued.or(Some(w.since)),
                    },
                    last_segment: prior.as_ref().and_then(|p| p.last_segment),
                    // As on `contact.queued`: one the snapshot does not
                    // give (or gives unusable) stays what we knew.
                    priority: w
                        .priority
                        .value()
                        .or(prior.as_ref().map(|p| p.priority))
                        .unwrap_or(0),
                };
                if w.priority == Priority::Invalid {
                    self.counts.priority_ignored += 1;
                }
                let key = self.add_contact(contact);
                self.finished.forget(&w.contact);
                self.queues[q.0 as usize].waiting.insert((w.since, key));
            }
        }

        for sa in &snap.agents {
            let Some(a) = self.agent_idx(&sa.agent, ts) else {
                self.counts.over_limit += 1;
                continue;
            };
            let ai = a.0 as usize;
            if let Some(list) = &sa.queues {
                let idx = list.iter().filter_map(|q| self.queue_idx(q)).collect();
                self.agents[ai].queues = idx;
            }
            // The underlying state and its start come from the snapshot. A
            // wrap-up we were timing ends when the new state began.
            let agent = &mut self.agents[ai];
            let wrap = match (agent.state, agent.wrap_since.take()) {
                (AgentState::WrapUp, Some(since))
                    if sa.state != AgentState::WrapUp && sa.since >= since =>
                {
                    Some((agent.last_queue, sa.since.since(since), sa.since))
                }
                _ => None,
            };
            agent.state = sa.state;
            agent.wrap_since = (sa.state == AgentState::WrapUp).then_some(sa.since);
            agent.present = true;
            if let Some(n) = &sa.name {
                agent.name = Some(n.as_ref().into());
            }
            agent.reason = sa.reason.as_deref().map(Into::into);
            if let Some((queue, ms, at)) = wrap {
                self.sample(at, queue, SampleKind::WrapUp { ms: dur(ms) });
            }

            let mut earliest: Option<Ts> = None;
            for sc in &sa.contacts {
                if self.known_contact(&sc.contact).is_some()
                    || self.contacts_full()
                    || self.agents[ai].contacts.len() >= super::apply::MAX_AGENT_CONTACTS
                {
                    continue;
                }
                let queue = match &sc.queue {
                    Some(q) => self.queue_idx(q),
                    None => None,
                };
                let prior = old.remove(sc.contact.as_ref());
                surprises |= prior.is_none() && missed(sc.since);
                // Keep hold time already counted if it is the same segment.
                let (held, hold_since) = match prior.as_ref().map(|p| &p.phase) {
                    Some(Phase::Connected {
                        agent: pa,
                        answered,
                        held,
                        hold_since,
                        ..
                    }) if *pa == a && *answered == sc.since => (
                        *held,
                        if sc.on_hold {
                            hold_since.or(Some(ts))
                        } else {
                            None
                        },
                    ),
                    _ => (0, sc.on_hold.then_some(ts)),
                };
                let contact = Contact {
                    id: sc.contact.as_ref().into(),
                    channel: prior.as_ref().and_then(|p| p.channel.clone()),
                    first_queued: prior.as_ref().and_then(|p| p.first_queued),
                    // A chat or email we saw queued may still get its first
                    // response; one we never saw (or a voice contact, whose
                    // answer we missed) cannot be timed.
                    responded: prior.as_ref().is_none_or(|p| p.responded || p.is_voice()),
                    repeat: prior.as_ref().is_some_and(|p| p.repeat),
                    has_customer: prior.as_ref().is_some_and(|p| p.has_customer),
                    phase: Phase::Connected {
                        agent: a,
                        queue,
                        answered: sc.since,
                        held,
                        hold_since,
                    },
                    // A conversation new to us: its turns so far are unknown.
                    pending_turn: prior.as_ref().and_then(|p| p.pending_turn),
                    last_segment: prior.as_ref().and_then(|p| p.last_segment),
                    priority: prior.as_ref().map_or(0, |p| p.priority),
                };
                let key = self.add_contact(contact);
                self.finished.forget(&sc.contact);
                self.agents[ai].contacts.push(key);
                earliest = Some(earliest.map_or(sc.since, |e| e.min(sc.since)));
            }

            let agent = &mut self.agents[ai];
            let shown = agent.display();
            let (was_present, was_shown) = previous.get(ai).copied().unwrap_or((false, shown));
            let since = match shown {
                DisplayState::OnContact => was_on_contact
                    .get(ai)
                    .copied()
                    .flatten()
                    .or(earliest)
                    .unwrap_or(ts),
                _ => sa.since,
            };
            let changed = !was_present || was_shown != shown || agent.shown_since != since;
            // Back after a snapshot that left it out, as it was: no change.
            if changed && agent.history.last() != Some((since, shown)) {
                agent.shown_since = since;
                agent.history.push(since, shown);
            }
        }

        for a in self.agents.iter_mut().filter(|a| !a.present) {
            a.wrap_since = None;
        }
        // Contacts the snapshot no longer lists are over, without a count.
        for (id, c) in &old {
            self.finished.insert_with(id, ts, c.segment());
        }
        // The counts and occupancy follow every agent's new state, presence
        // and queues.
        for i in 0..self.agents.len() {
            self.agent_changed(super::sample::AgentIdx(i as u32), ts);
        }
        self.resyncing = false;
        surprises || !old.is_empty()
    }
}
