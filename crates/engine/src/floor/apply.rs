//! How each event changes the floor (docs/protocol.md's "effect" column, with
//! docs/metrics.md's rules for what each change counts).

use super::Floor;
use super::live::{Channel, Contact, ContactKey, LastSegment, Phase, hold_as_of};
use super::occupancy::OccChange;
use super::sample::{AgentIdx, QueueIdx, Sample, SampleKind, WaitClass, WaitEnd, dur};
use crate::protocol::{AgentState, Event, EventKind};
use crate::time::{Millis, Ts};

/// Most contacts one agent may hold at once (chat concurrency is a handful).
pub const MAX_AGENT_CONTACTS: usize = 1024;

impl Floor {
    pub(super) fn apply_kind(&mut self, ev: &Event<'_>) {
        let ts = ev.ts;
        match &ev.kind {
            EventKind::Queued {
                contact,
                queue,
                channel,
                customer,
                priority,
            } => {
                self.queued(contact, queue, channel.as_deref(), customer.as_deref(), ts);
                self.note_priority(contact, *priority);
            }
            EventKind::Answered { contact, agent } => self.answered(contact, agent, ts),
            EventKind::FirstResponse { contact, agent } => {
                self.first_response(contact, agent.as_deref(), ts)
            }
            EventKind::Message {
                contact,
                from,
                agent,
            } => self.message(contact, *from, agent.as_deref(), ts),
            EventKind::Survey { contact, csat, nps } => {
                self.survey(contact, csat.map(|c| c.get()), nps.map(|n| n.get()), ts)
            }
            EventKind::Abandoned { contact } => self.abandoned(contact, ts),
            EventKind::Hold { contact } => self.hold(contact, ts, true),
            EventKind::Resumed { contact } => self.hold(contact, ts, false),
            EventKind::Ended { contact, resolved } => self.ended(contact, *resolved, ts),
            EventKind::AgentState {
                agent,
                state,
                name,
                queues,
                reason,
            } => self.agent_state(
                agent,
                *state,
                name.as_deref(),
                queues.as_deref(),
                reason.as_deref(),
                ts,
            ),
            EventKind::QueueInfo {
                queue,
                name,
                sl_threshold,
            } => self.queue_info(queue, name.as_deref(), *sl_threshold),
            EventKind::Heartbeat => {}
            EventKind::Snapshot(snap) => {
                self.replace_live_state(snap, ts);
            }
        }
    }

    pub(super) fn sample(&mut self, ts: Ts, queue: Option<QueueIdx>, kind: SampleKind) {
        self.window.push(Sample { ts, queue, kind });
    }

    fn ignored(&mut self) {
        self.counts.ignored += 1;
    }

    fn over_limit(&mut self) {
        self.counts.over_limit += 1;
    }

    // ---- contact events -------------------------------------------------

    fn queued(
        &mut self,
        id: &str,
        queue: &str,
        channel: Option<&str>,
        customer: Option<&str>,
        ts: Ts,
    ) {
        let Some(q) = self.queue_idx(queue) else {
            return self.over_limit();
        };
        let key = match self.known_contact(id) {
            Some(key) => {
                match self.contacts[key].phase {
                    // Re-queued while waiting, elsewhere or in the same queue
                    // (feed-v1: "again for the same contact ... starts a new
                    // wait"): the old wait ends, neither answered nor
                    // abandoned. An exact repeat of an event is caught by
                    // its `seq`, not here.
                    Phase::Waiting { queue: q0, since } => {
                        self.end_wait(key, q0, since, ts, WaitEnd::Left);
                    }
                    // Stamped at or before the answer: this is the contact's
                    // own queueing, arriving late, not a transfer.
                    Phase::Connected {
                        answered,
                        queue: seg_queue,
                        ..
                    } if ts <= answered => {
                        return self
                            .late_queued(key, q, seg_queue, answered, channel, customer, ts);
                    }
                    Phase::Connected { .. } => self.end_segment(key, ts),
                }
                self.contacts[key].phase = Phase::Waiting {
                    queue: q,
                    since: ts,
                };
                key
            }
            None => {
                // A late queueing of a contact already over is stale; one
                // after its end is a new contact reusing the id.
                let ended = self.finished.ended_at(id);
                if ended.is_some_and(|end| ts <= end) {
                    return self.ignored();
                }
                if self.contacts_full() {
                    return self.over_limit();
                }
                // Most new ids were never finished: nothing to forget, and
                // a second search of the big table saved.
                if ended.is_some() {
                    self.finished.forget(id);
                }
                self.add_contact(Contact {
                    id: id.into(),
                    channel: None,
                    first_queued: Some(ts),
                    responded: false,
                    repeat: false,
                    has_customer: false,
                    phase: Phase::Waiting {
                        queue: q,
                        since: ts,
                    },
                    // The inquiry is the first customer turn.
                    pending_turn: Some(ts),
                    last_segment: None,
                    priority: 0,
                })
            }
        };
        self.queues[q.0 as usize].waiting.insert((ts, key));
        self.sample(ts, Some(q), SampleKind::Entered);
        let c = &mut self.contacts[key];
        if c.channel.is_none() {
            c.channel = channel.map(Channel::parse);
        }
        if let Some(cus) = customer
            && !c.has_customer
        {
            c.has_customer = true;
            let start = c.first_queued.unwrap_or(ts);
            c.repeat = self.customers.started(cus, start);
        }
    }

    /// A `contact.queued` stamped before the answer we already applied (the
    /// events crossed on the way). If the answer came for a contact we had
    /// not seen queued, this completes it: its queue, its wait, its first
    /// response. If we had seen it queued, it is a repeat.
    #[allow(clippy::too_many_arguments)]
    fn late_queued(
        &mut self,
        key: ContactKey,
        q: QueueIdx,
        seg_queue: Option<QueueIdx>,
        answered: Ts,
        channel: Option<&str>,
        customer: Option<&str>,
        ts: Ts,
    ) {
        if seg_queue.is_some() {
            return self.ignored();
        }
        if let Phase::Connected { queue, .. } = &mut self.contacts[key].phase {
            *queue = Some(q);
        }
        self.sample(ts, Some(q), SampleKind::Entered);
        let wait = Some(dur(answered.since(ts)));
        let class = WaitClass::default();
        self.sample(
            answered,
            Some(q),
            SampleKind::Wait {
                wait,
                end: WaitEnd::Answered,
                class,
            },
        );
        let c = &mut self.contacts[key];
        c.first_queued = Some(ts);
        if c.channel.is_none() {
            c.channel = channel.map(Channel::parse);
        }
        if c.is_voice() {
            let ms = dur(answered.since(ts));
            self.sample(answered, Some(q), SampleKind::FirstResponse { ms });
        } else {
            // Now that its start is known, its first response can be timed.
            c.responded = false;
            c.pending_turn = Some(c.pending_turn.map_or(ts, |p| p.min(ts)));
        }
        let c = &mut self.contacts[key];
        if let Some(cus) = customer
            && !c.has_customer
        {
            c.has_customer = true;
            c.repeat = self.customers.started(cus, ts);
        }
    }

    fn answered(&mut self, id: &str, agent: &str, ts: Ts) {
        let Some(key) = self.known_contact(id) else {
            // Never seen queued (e.g. answered just after a reconnect): the
            // contact is connected from now, with no wait to count.
            if self.finished.contains(id) {
                return self.ignored();
            }
            if self.contacts_full() {
                return self.over_limit();
            }
            let Some(a) = self.agent_with_room(agent, ts) else {
                return self.over_limit();
            };
            let key = self.add_contact(Contact {
                id: id.into(),
                channel: None,
                first_queued: None,
                responded: true,
                repeat: false,
                has_customer: false,
                phase: Phase::Connected {
                    agent: a,
                    queue: None,
                    answered: ts,
                    held: 0,
                    hold_since: None,
                },
                // Its inquiry was never seen: nothing to time a response from.
                pending_turn: None,
                last_segment: None,
                priority: 0,
            });
            return self.connect(a, key, ts);
        };
        let Some(a) = self.agent_with_room(agent, ts) else {
            return self.over_limit();
        };
        let queue = match self.contacts[key].phase {
            Phase::Waiting { queue, since } => {
                self.end_wait(key, queue, since, ts, WaitEnd::Answered);
                let c = &mut self.contacts[key];
                if c.is_voice() && !c.responded {
                    c.responded = true;
                    if let Some(first) = c.first_queued {
                        let ms = dur(ts.since(first));
                        self.sample(ts, Some(queue), SampleKind::FirstResponse { ms });
                    }
                }
                Some(queue)
            }
            Phase::Connected { agent: a0, .. } if a0 == a => return self.ignored(),
            Phase::Connected { queue, .. } => {
                // Handed straight to another agent: the first segment ends.
                self.end_segment(key, ts);
                queue
            }
        };
        self.contacts[key].phase = Phase::Connected {
            agent: a,
            queue,
            answered: ts,
            held: 0,
            hold_since: None,
        };
        self.connect(a, key, ts);
    }

    /// The agent, if it may take one more contact: one agent holding more
    /// than [`MAX_AGENT_CONTACTS`] at once is a broken or hostile feed.
    fn agent_with_room(&mut self, agent: &str, ts: Ts) -> Option<AgentIdx> {
        let a = self.agent_idx(agent, ts)?;
        (self.agents[a.0 as usize].contacts.len() < MAX_AGENT_CONTACTS).then_some(a)
    }

    fn connect(&mut self, a: AgentIdx, key: ContactKey, ts: Ts) {
        let agent = &mut self.agents[a.0 as usize];
        let before = agent.display();
        if !agent.present {
            // A snapshot left it out: off the floor, whatever it did
            // before. Back on a contact with no `agent.state` since, it is
            // as an agent first seen answering (logged in, so available
            // once the contact ends), not back to its state before.
            agent.state = AgentState::Available;
            agent.reason = None;
            agent.wrap_since = None;
        }
        agent.contacts.push(key);
        agent.present = true;
        agent.note_display(before, ts);
        self.agent_changed(a, ts);
    }

    /// Every change of an agent's state, presence, name, contacts or queues
    /// ends here: readers that follow the floor are told, and the agent
    /// counts and occupancy follow it.
    pub(super) fn agent_changed(&mut self, a: AgentIdx, ts: Ts) {
        self.agent_changes.note(a);
        self.recount(a);
        self.sync_occupancy(a, ts);
    }

    /// Tells occupancy what an agent counts as now, if that changed (its
    /// display state, its presence, or its queues).
    fn sync_occupancy(&mut self, a: AgentIdx, ts: Ts) {
        let agent = &self.agents[a.0 as usize];
        let class = agent.occ_class();
        if class == agent.occ_class && agent.queues == agent.occ_queues {
            return;
        }
        // A change stamped after the clock (a feed a little ahead) counts
        // now, once there is a clock (events applied before any `advance`
        // keep their own time).
        let clock = self.window.now();
        let at = if clock == Ts(i64::MIN) {
            ts
        } else {
            ts.min(clock)
        };
        let cutoff = self.window.cutoff();
        let change = OccChange {
            agent: a.0 as usize,
            before: (agent.occ_class, &agent.occ_queues),
            after: (class, &agent.queues),
        };
        self.window.occupancy.change(&change, at, cutoff);
        let agent = &mut self.agents[a.0 as usize];
        agent.occ_class = class;
        // Copied only when they changed (mostly the class does), and not
        // built aside to be copied whole (see `recount`).
        if agent.occ_queues != agent.queues {
            agent.occ_queues = smallvec::SmallVec::from_slice(&agent.queues);
        }
    }

    fn first_response(&mut self, id: &str, agent: Option<&str>, ts: Ts) {
        let Some(key) = self.known_contact(id) else {
            return self.ignored();
        };
        // A voice contact's first response is its answer; it has no ART.
        if self.contacts[key].is_voice() {
            return self.ignored();
        }
        let first = self.count_first_response(key, ts);
        let responded = self.respond(key, agent, ts);
        if !first && !responded {
            self.ignored();
        }
    }

    /// Counts the contact's first response at `ts` unless one was counted.
    pub(super) fn count_first_response(&mut self, key: ContactKey, ts: Ts) -> bool {
        let c = &mut self.contacts[key];
        if c.responded {
            return false;
        }
        c.responded = true;
        if let Some(first) = c.first_queued {
            let (queue, ms) = (c.queue(), dur(ts.since(first)));
            self.sample(ts, queue, SampleKind::FirstResponse { ms });
        }
        true
    }

    fn abandoned(&mut self, id: &str, ts: Ts) {
        let Some(key) = self.known_contact(id) else {
            if self.finished.contains(id) {
                return self.ignored();
            }
            // Unknown contact: an abandon with no queue and no known wait
            // counts in the totals only.
            self.finished.insert(id, ts);
            let kind = SampleKind::Wait {
                wait: None,
                end: WaitEnd::Abandoned,
                class: WaitClass::default(),
            };
            return self.sample(ts, None, kind);
        };
        match self.contacts[key].phase {
            Phase::Waiting { queue, since } => {
                self.end_wait(key, queue, since, ts, WaitEnd::Abandoned)
            }
            // The customer left a conversation already under way: it is over.
            Phase::Connected { .. } => self.end_segment(key, ts),
        }
        self.finish(key, ts);
    }

    fn hold(&mut self, id: &str, ts: Ts, on: bool) {
        let Some(key) = self.known_contact(id) else {
            return self.ignored();
        };
        let changed = match &mut self.contacts[key].phase {
            Phase::Connected {
                agent,
                answered,
                held,
                hold_since,
                ..
            } => match (*hold_since, on) {
                // A hold stamped before the answer counts from the answer.
                (None, true) => {
                    *hold_since = Some(ts.max(*answered));
                    self.agent_changes.note(*agent);
                    true
                }
                (Some(since), false) => {
                    *held += ts.since(since);
                    *hold_since = None;
                    self.agent_changes.note(*agent);
                    true
                }
                _ => false,
            },
            Phase::Waiting { .. } => false,
        };
        if !changed {
            self.ignored();
        }
    }

    fn ended(&mut self, id: &str, resolved: Option<bool>, ts: Ts) {
        let Some(key) = self.known_contact(id) else {
            if self.finished.contains(id) {
                return self.ignored();
            }
            self.finished.insert(id, ts);
            if let Some(r) = resolved {
                self.sample(ts, None, SampleKind::Resolution { first_contact: r });
            }
            return;
        };
        let queue = self.contacts[key].queue();
        let first_queued = self.contacts[key].first_queued;
        let segment_ended = match self.contacts[key].phase {
            Phase::Waiting { queue, since } => {
                self.end_wait(key, queue, since, ts, WaitEnd::Left);
                false
            }
            Phase::Connected { .. } => {
                self.end_segment(key, ts);
                true
            }
        };
        // FCR is over "contacts ended in the window", which docs/metrics.md
        // defines as segments: a contact that ends while waiting ended no
        // segment, so its `resolved` counts nowhere.
        if let Some(r) = resolved
            && segment_ended
        {
            let first_contact = r && !self.contacts[key].repeat;
            self.sample(ts, queue, SampleKind::Resolution { first_contact });
        }
        // Resolution time: the contact's whole life, in the queue of its
        // last segment (a contact ended while waiting after a transfer
        // still had one; one never answered counts in the totals only).
        if resolved == Some(true)
            && let Some(first) = first_queued
        {
            let last = self.contacts[key].last_segment.and_then(|s| s.queue);
            let ms = dur(ts.since(first));
            self.sample(ts, last, SampleKind::Resolved { ms });
        }
        self.finish(key, ts);
    }

    /// Ends a contact's wait at `ts`: it leaves its queue, and the wait is
    /// counted by how it ended.
    fn end_wait(&mut self, key: ContactKey, queue: QueueIdx, since: Ts, ts: Ts, end: WaitEnd) {
        self.queues[queue.0 as usize].waiting.remove(&(since, key));
        let kind = SampleKind::Wait {
            wait: Some(dur(ts.since(since))),
            end,
            class: WaitClass::default(),
        };
        self.sample(ts, Some(queue), kind);
    }

    /// Ends the contact's segment with its agent at `ts`: the agent lets go
    /// of it and its talk and hold are counted. The phase is left for the
    /// caller to replace.
    pub(super) fn end_segment(&mut self, key: ContactKey, ts: Ts) {
        let Phase::Connected {
            agent,
            queue,
            answered,
            held,
            hold_since,
        } = self.contacts[key].phase
        else {
            return;
        };
        // Its occupancy is changed last, after the sample and the agent.
        self.window.occupancy.prefetch_agent(agent.0 as usize);
        self.contacts[key].last_segment = Some(LastSegment { queue, agent });
        let hold = hold_as_of(answered, held, hold_since, ts);
        let talk = ts.since(answered) - hold;
        let kind = SampleKind::Segment {
            agent: Some(agent),
            talk: dur(talk),
            hold: dur(hold),
        };
        self.sample(ts, queue, kind);
        let a = &mut self.agents[agent.0 as usize];
        let before = a.display();
        a.contacts.retain(|k| *k != key);
        // Wrap-up belongs to this segment's queue, even when it has none.
        a.last_queue = queue;
        a.note_display(before, ts);
        self.agent_changed(agent, ts);
    }

    /// Removes a contact whose wait and segment are already closed.
    pub(super) fn finish(&mut self, key: ContactKey, at: Ts) {
        let c = self.remove_contact(key);
        self.finished.insert_with(&c.id, at, c.last_segment);
    }

    // ---- agent and queue events -----------------------------------------

    fn agent_state(
        &mut self,
        id: &str,
        state: AgentState,
        name: Option<&str>,
        queues: Option<&[std::borrow::Cow<'_, str>]>,
        reason: Option<&str>,
        ts: Ts,
    ) {
        let Some(a) = self.agent_idx(id, ts) else {
            return self.over_limit();
        };
        if let Some(list) = queues
            && !self.serves_exactly(a, list)
        {
            let idx: smallvec::SmallVec<[QueueIdx; 4]> =
                list.iter().filter_map(|q| self.queue_idx(q)).collect();
            self.agents[a.0 as usize].queues = idx;
        }
        let changed = self.agents[a.0 as usize].state != state;
        let wrap = self.set_agent_state(a, state, ts);
        let agent = &mut self.agents[a.0 as usize];
        // Names and reasons mostly repeat what the agent already has: kept
        // then, rather than allocated again on every state change.
        if let Some(n) = name
            && agent.name.as_deref() != Some(n)
        {
            agent.name = Some(n.into());
        }
        // A new state brings its own reason (or none); the same state again
        // keeps its reason unless it names another.
        if (changed || reason.is_some()) && agent.reason.as_deref() != reason {
            agent.reason = reason.map(Into::into);
        }
        if let Some((queue, ms)) = wrap {
            self.sample(ts, queue, SampleKind::WrapUp { ms: dur(ms) });
        }
        self.agent_changed(a, ts);
    }

    /// Whether the agent's queues are already `list`, in order: then
    /// looking each one up again would give the same queues (an agent's
    /// state changes far more often than its queues).
    fn serves_exactly(&self, a: AgentIdx, list: &[std::borrow::Cow<'_, str>]) -> bool {
        let held = &self.agents[a.0 as usize].queues;
        held.len() == list.len()
            && held
                .iter()
                .zip(list)
                .all(|(q, id)| *self.queues[q.0 as usize].id == **id)
    }

    /// Sets an agent's `agent.state`; returns a wrap-up period that this ends.
    pub(super) fn set_agent_state(
        &mut self,
        a: AgentIdx,
        state: AgentState,
        ts: Ts,
    ) -> Option<(Option<QueueIdx>, Millis)> {
        let agent = &mut self.agents[a.0 as usize];
        let before = agent.display();
        agent.present = true;
        if agent.state == state {
            agent.note_display(before, ts);
            return None;
        }
        let ended_wrap = match (agent.state, agent.wrap_since.take()) {
            (AgentState::WrapUp, Some(since)) => Some((agent.last_queue, ts.since(since))),
            _ => None,
        };
        if state == AgentState::WrapUp {
            agent.wrap_since = Some(ts);
        }
        agent.state = state;
        agent.note_display(before, ts);
        ended_wrap
    }

    fn queue_info(&mut self, id: &str, name: Option<&str>, threshold: Option<Millis>) {
        let Some(q) = self.queue_idx(id) else {
            return self.over_limit();
        };
        let queue = &mut self.queues[q.0 as usize];
        if let Some(n) = name {
            queue.feed_name = Some(n.into());
        }
        if threshold.is_some() {
            queue.feed_threshold = threshold;
            let rules = self.wait_rules(id, threshold);
            self.window.set_rules(q.0 as usize, rules);
        }
    }
}
