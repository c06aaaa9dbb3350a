//! The one record every platform dialect keeps: what it already told the
//! floor about each contact, agent and queue, so that a platform's
//! snapshots and second tellings turn into feed-v1 changes sent once.
//!
//! - [`Contacts`]: per contact its queue, agent and whether it ended, and
//!   the platform ids linked to it. Platforms give a transferred contact a
//!   new id (a new Amazon Connect contact, a new Twilio task, an Asterisk
//!   Local channel); feed-v1 wants a transfer as a re-queue of the *same*
//!   contact (docs/dialects.md), so each such id (a *leg*) is linked to the
//!   contact's first id and every event is sent under that one.
//! - [`Agents`]: an agent's state, reason, name and queues as last sent;
//!   only a change is sent.
//! - [`QueueNames`]: a queue's name is announced once, and again only when
//!   it changes.
//!
//! Every dialect sends agent states through [`Agents`]. Amazon Connect and
//! Twilio keep their contacts in [`Contacts`]; Asterisk and Genesys keep a
//! platform phase per call (Asterisk's join/leave/connect grace, Genesys's
//! participant list diffing) whose steps are not the ledger's, so they hold
//! their own per-call record.

use std::borrow::Cow;

use super::memo::{DEFAULT_CAP, Memo};
use super::platform::{Out, Sent, owned};
use crate::protocol::{AgentState, EventKind, Priority, Str};
use crate::time::Ts;

/// What the floor has been told of one contact.
#[derive(Debug, Default, Clone, PartialEq)]
pub(crate) struct ContactRec {
    /// The queue of its current wait or segment.
    pub queue: Option<Box<str>>,
    /// The leg that queued last: a new leg in the same queue is a new wait.
    pub leg: Option<Box<str>>,
    pub agent: Option<Box<str>>,
    /// When the current agent answered.
    pub answered_at: Option<Ts>,
    pub ended: bool,
    pub held: bool,
}

#[derive(Debug)]
pub(crate) struct Contacts {
    recs: Memo<ContactRec>,
    /// A leg's id to the contact's first id.
    links: Memo<Box<str>>,
    /// Legs a later leg took over (named as its first or previous, or
    /// ended by a transfer): their end is not the contact's end. Kept as a
    /// set rather than "the newest leg", because platforms deliver legs'
    /// events out of order and an old leg may be heard of last.
    superseded: Memo<()>,
}

impl Default for Contacts {
    fn default() -> Self {
        Contacts {
            recs: Memo::new(DEFAULT_CAP),
            links: Memo::new(DEFAULT_CAP),
            superseded: Memo::new(DEFAULT_CAP),
        }
    }
}

/// A queueing to send: its contact, the leg that queued, and the fields.
pub(crate) struct Queueing<'b> {
    pub contact: Str<'b>,
    pub leg: Option<Box<str>>,
    pub queue: Str<'b>,
    pub channel: Option<Str<'b>>,
    pub customer: Option<Str<'b>>,
    pub priority: Priority,
}

impl Contacts {
    /// The contact `id` belongs to: its first id if `id` is a linked leg.
    pub fn root<'b>(&self, id: Cow<'b, str>) -> Cow<'b, str> {
        match self.links.get(&id) {
            Some(r) => owned(r),
            None => id,
        }
    }

    /// Links `leg` to the contact `first` (itself resolved to its own first
    /// id, so chains of transfers all land on the first contact): `first`
    /// and the contact's first id are legs `leg` took over. Returns the
    /// contact's id.
    pub fn link<'b>(&mut self, leg: &str, first: Cow<'b, str>) -> Cow<'b, str> {
        if leg != first.as_ref() {
            self.supersede(&first);
        }
        let root = self.root(first);
        if leg != root.as_ref() {
            *self.links.entry(leg, || "".into()) = root.as_ref().into();
            self.supersede(&root);
        }
        self.recs.entry(&root, ContactRec::default);
        root
    }

    /// Whether `id` is a contact or a leg already heard of.
    pub fn knows(&self, id: &str) -> bool {
        self.links.get(id).is_some() || self.recs.get(id).is_some()
    }

    /// Marks `leg` as taken over by a later leg (a transfer's first half).
    pub fn supersede(&mut self, leg: &str) {
        self.superseded.entry(leg, || ());
    }

    pub fn get(&self, contact: &str) -> Option<&ContactRec> {
        self.recs.get(contact)
    }

    /// Whether `leg` is still the contact's current leg: no later leg took
    /// it over. The end of an older leg is a transfer's first half, not the
    /// contact's end.
    pub fn is_current_leg(&self, leg: &str) -> bool {
        self.superseded.get(leg).is_none()
    }

    /// Whether a queueing or answer told by `leg` is news: the current leg's
    /// always is; an older leg's only while no other leg has queued (it is
    /// then the first, late telling of the contact's first wait).
    pub fn leg_may_tell(&self, contact: &str, leg: &str) -> bool {
        self.is_current_leg(leg)
            || self
                .recs
                .get(contact)
                .and_then(|r| r.leg.as_deref())
                .is_none_or(|l| l == leg)
    }

    /// Sends `contact.queued` unless the contact ended, or it repeats what
    /// was sent: this leg in this queue, waiting still or stamped no later
    /// than the answer (a late copy). A queueing after the answer is a
    /// transfer or re-queue: the floor ends the segment (metrics.md).
    pub fn queued<'b>(&mut self, q: Queueing<'b>, ts: Ts, out: &mut Out<'_, 'b>) -> bool {
        let rec = self.recs.entry(&q.contact, ContactRec::default);
        let same_leg = q.leg.is_none() || rec.leg == q.leg;
        let before_answer = rec.answered_at.is_some_and(|a| ts <= a);
        let same_queue = rec.queue.as_deref() == Some(q.queue.as_ref());
        if rec.ended || (same_leg && same_queue && (rec.agent.is_none() || before_answer)) {
            return false;
        }
        rec.queue = Some(q.queue.as_ref().into());
        if q.leg.is_some() {
            rec.leg = q.leg;
        }
        if !before_answer {
            rec.agent = None;
            rec.answered_at = None;
            rec.held = false;
        }
        out.event(
            ts,
            EventKind::Queued {
                contact: q.contact,
                queue: q.queue,
                channel: q.channel,
                customer: q.customer,
                priority: q.priority,
            },
        );
        true
    }

    /// Sends `contact.answered` unless the contact ended or this agent
    /// already has it.
    pub fn answered<'b>(
        &mut self,
        contact: Str<'b>,
        agent: Str<'b>,
        ts: Ts,
        out: &mut Out<'_, 'b>,
    ) -> bool {
        let rec = self.recs.entry(&contact, ContactRec::default);
        if rec.ended || rec.agent.as_deref() == Some(agent.as_ref()) {
            return false;
        }
        rec.agent = Some(agent.as_ref().into());
        rec.answered_at = Some(ts);
        rec.held = false;
        out.event(ts, EventKind::Answered { contact, agent });
        true
    }

    /// Sends `contact.hold` or `contact.resumed` when it changes what the
    /// floor knows; only a contact with an agent can be on hold.
    pub fn hold<'b>(&mut self, contact: Str<'b>, on: bool, ts: Ts, out: &mut Out<'_, 'b>) -> bool {
        let Some(rec) = self.recs.get_mut(&contact) else {
            return false;
        };
        if rec.ended || rec.agent.is_none() || rec.held == on {
            return false;
        }
        rec.held = on;
        out.event(
            ts,
            if on {
                EventKind::Hold { contact }
            } else {
                EventKind::Resumed { contact }
            },
        );
        true
    }

    /// Sends `contact.abandoned` (once).
    pub fn abandoned<'b>(&mut self, contact: Str<'b>, ts: Ts, out: &mut Out<'_, 'b>) -> bool {
        let rec = self.recs.entry(&contact, ContactRec::default);
        if rec.ended {
            return false;
        }
        rec.ended = true;
        out.event(ts, EventKind::Abandoned { contact });
        true
    }

    /// Sends `contact.ended` (once).
    pub fn ended<'b>(&mut self, contact: Str<'b>, ts: Ts, out: &mut Out<'_, 'b>) -> bool {
        let rec = self.recs.entry(&contact, ContactRec::default);
        if rec.ended {
            return false;
        }
        rec.ended = true;
        out.event(
            ts,
            EventKind::Ended {
                contact,
                resolved: None,
            },
        );
        true
    }

    /// The end of one leg: the contact's end only when no newer leg took
    /// it over (an older leg ending is the first half of a transfer).
    pub fn leg_ended<'b>(
        &mut self,
        contact: Str<'b>,
        leg: &str,
        ts: Ts,
        out: &mut Out<'_, 'b>,
    ) -> bool {
        if !self.is_current_leg(leg) {
            return false;
        }
        self.ended(contact, ts, out)
    }
}

/// Agents' states as last sent.
#[derive(Debug)]
pub(crate) struct Agents {
    sent: Memo<Sent>,
}

impl Default for Agents {
    fn default() -> Self {
        Agents {
            sent: Memo::new(DEFAULT_CAP),
        }
    }
}

/// Whether `agent.state` carries its queue list even when it is empty.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum EmptyQueues {
    /// An empty list is sent as `[]`: the agent serves no queue.
    Send,
    /// An empty list is left out: the platform did not say (it is learnt
    /// as the agent takes contacts).
    Omit,
}

impl Agents {
    pub fn last(&self, agent: &str) -> Option<&Sent> {
        self.sent.get(agent)
    }

    /// Sends `agent.state` if the state, reason, name or queues changed.
    pub fn send<'b>(
        &mut self,
        agent: Str<'b>,
        now: Sent,
        empty: EmptyQueues,
        ts: Ts,
        out: &mut Out<'_, 'b>,
    ) -> bool {
        if self.sent.get(&agent) == Some(&now) {
            return false;
        }
        let queues = (empty == EmptyQueues::Send || !now.queues.is_empty())
            .then(|| now.queues.iter().map(|q| owned(q)).collect());
        let ev = EventKind::AgentState {
            agent: agent.clone(),
            state: now.state,
            name: now.name.as_deref().map(owned),
            queues,
            reason: now.reason.as_deref().map(owned),
        };
        let slot = self.sent.entry(&agent, || now.clone());
        *slot = now;
        out.event(ts, ev);
        true
    }

    /// The state last sent, or `fallback`.
    pub fn state_or(&self, agent: &str, fallback: AgentState) -> AgentState {
        self.sent.get(agent).map_or(fallback, |s| s.state)
    }
}

/// Queue names already announced.
#[derive(Debug)]
pub(crate) struct QueueNames {
    names: Memo<Box<str>>,
}

impl Default for QueueNames {
    fn default() -> Self {
        QueueNames {
            names: Memo::new(10_000),
        }
    }
}

impl QueueNames {
    /// Sends `queue.info` with the name, unless this name was announced.
    pub fn announce<'b>(&mut self, id: Str<'b>, name: Str<'b>, ts: Ts, out: &mut Out<'_, 'b>) {
        if self.names.get(&id).map(|n| n.as_ref()) == Some(name.as_ref()) {
            return;
        }
        *self.names.entry(&id, || "".into()) = name.as_ref().into();
        out.event(
            ts,
            EventKind::QueueInfo {
                queue: id,
                name: Some(name),
                sl_threshold: None,
            },
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::protocol::Decoded;

    fn run(f: impl FnOnce(&mut Out<'_, 'static>)) -> Vec<(String, i64)> {
        let mut got = Vec::new();
        let mut sink = |d: Decoded<'static>| {
            if let Decoded::Event(e) = d {
                got.push((e.kind.type_name().to_string(), e.ts.0));
            }
        };
        let mut out = Out::new(&mut sink);
        f(&mut out);
        got
    }

    fn q(contact: &'static str, leg: &'static str, queue: &'static str) -> Queueing<'static> {
        Queueing {
            contact: contact.into(),
            leg: Some(leg.into()),
            queue: queue.into(),
            channel: None,
            customer: None,
            priority: Priority::Absent,
        }
    }

    #[test]
    fn a_second_telling_sends_nothing() {
        let mut c = Contacts::default();
        let got = run(|o| {
            c.queued(q("c1", "c1", "sales"), Ts(1), o);
            c.queued(q("c1", "c1", "sales"), Ts(2), o);
            c.answered("c1".into(), "a1".into(), Ts(3), o);
            c.answered("c1".into(), "a1".into(), Ts(4), o);
            c.ended("c1".into(), Ts(5), o);
            c.ended("c1".into(), Ts(6), o);
            c.queued(q("c1", "c1", "sales"), Ts(7), o);
        });
        let kinds: Vec<_> = got.iter().map(|(k, _)| k.as_str()).collect();
        assert_eq!(
            kinds,
            ["contact.queued", "contact.answered", "contact.ended"]
        );
    }

    #[test]
    fn a_linked_leg_requeues_the_first_contact_and_an_old_leg_does_not_end_it() {
        let mut c = Contacts::default();
        let got = run(|o| {
            c.link("c1", "c1".into());
            c.queued(q("c1", "c1", "sales"), Ts(1), o);
            c.answered("c1".into(), "a1".into(), Ts(2), o);
            // The transfer: a new leg in the same queue, linked to c1.
            let root = c.link("c2", "c1".into());
            assert_eq!(root, "c1");
            assert_eq!(c.root("c2".into()), "c1");
            // A third leg linked to the second lands on the first too.
            assert_eq!(c.link("c3", "c2".into()), "c1");
            assert!(!c.leg_ended("c1".into(), "c1", Ts(3), o), "old leg");
            c.queued(q("c1", "c3", "sales"), Ts(3), o);
            c.answered("c1".into(), "a2".into(), Ts(4), o);
            assert!(c.leg_ended("c1".into(), "c3", Ts(5), o));
        });
        assert_eq!(
            got,
            vec![
                ("contact.queued".into(), 1),
                ("contact.answered".into(), 2),
                ("contact.queued".into(), 3),
                ("contact.answered".into(), 4),
                ("contact.ended".into(), 5),
            ]
        );
    }

    #[test]
    fn hold_needs_an_agent_and_a_change() {
        let mut c = Contacts::default();
        let got = run(|o| {
            c.queued(q("c", "c", "s"), Ts(1), o);
            assert!(!c.hold("c".into(), true, Ts(2), o), "waiting");
            c.answered("c".into(), "a".into(), Ts(3), o);
            assert!(c.hold("c".into(), true, Ts(4), o));
            assert!(!c.hold("c".into(), true, Ts(5), o));
            assert!(c.hold("c".into(), false, Ts(6), o));
        });
        assert_eq!(got.len(), 4);
    }

    #[test]
    fn agents_and_queue_names_are_sent_on_change_only() {
        let mut a = Agents::default();
        let mut n = QueueNames::default();
        let sent = |state| Sent {
            state,
            reason: None,
            name: None,
            queues: vec![],
        };
        let got = run(|o| {
            a.send(
                "a".into(),
                sent(AgentState::Available),
                EmptyQueues::Omit,
                Ts(1),
                o,
            );
            a.send(
                "a".into(),
                sent(AgentState::Available),
                EmptyQueues::Omit,
                Ts(2),
                o,
            );
            a.send(
                "a".into(),
                sent(AgentState::Away),
                EmptyQueues::Omit,
                Ts(3),
                o,
            );
            n.announce("q".into(), "Sales".into(), Ts(4), o);
            n.announce("q".into(), "Sales".into(), Ts(5), o);
            n.announce("q".into(), "Sales EU".into(), Ts(6), o);
        });
        let ts: Vec<_> = got.iter().map(|(_, t)| *t).collect();
        assert_eq!(ts, [1, 3, 4, 6]);
        assert_eq!(a.state_or("a", AgentState::Offline), AgentState::Away);
    }
}
