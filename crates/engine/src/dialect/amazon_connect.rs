//! Amazon Connect: agent event stream records and contact events, as a
//! relay forwards them to a WebSocket (one record per frame, or an array).
//!
//! - Agent event stream (Kinesis): `LOGIN`, `LOGOUT`, `STATE_CHANGE`,
//!   `HEART_BEAT` (every 120 s when nothing else happened), each carrying
//!   the agent's whole `CurrentAgentSnapshot`: status, routing profile
//!   queues, and contacts with their states. These are snapshots, not
//!   changes, so the dialect remembers what it last saw of each agent and
//!   sends only the differences as feed-v1 events.
//! - Contact events (EventBridge `Amazon Connect Contact Event`, or their
//!   `detail` alone): `QUEUED`, `CONNECTED_TO_AGENT`, `DISCONNECTED`, ...
//!   Amazon's own samples spell the nested objects both `agentInfo` and
//!   `AgentInfo`; keys are matched without regard to case.
//!
//! Both streams describe the same contacts; the dialect remembers what it
//! sent for each contact so that the second telling changes nothing.

use std::borrow::Cow;

use smallvec::SmallVec;

use super::Signal;
use super::json::Obj;
use super::ledger::{Agents, Contacts, EmptyQueues, QueueNames, Queueing};
use super::memo::{DEFAULT_CAP, Memo};
use super::platform::{Out, Platform, Sent, owned};
use crate::protocol::{AgentState, EventKind, Priority, RejectKind, clean_id};
use crate::time::Ts;

/// A contact as an agent snapshot shows it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Leg {
    Connected,
    OnHold,
    /// The conversation is over; the agent is in after-contact work.
    AfterWork,
    /// Offered, ringing, missed: not the agent's yet.
    Other,
}

impl Leg {
    fn parse(s: &str) -> Leg {
        match s {
            "CONNECTED" => Leg::Connected,
            // A task the agent paused (about-contact-states: "PAUSED - The
            // contact was paused. This is only applicable to task
            // contacts") is still theirs, set aside like a call on hold.
            "CONNECTED_ONHOLD" | "PAUSED" => Leg::OnHold,
            "ENDED" => Leg::AfterWork,
            _ => Leg::Other,
        }
    }

    fn talking(self) -> bool {
        matches!(self, Leg::Connected | Leg::OnHold)
    }
}

#[derive(Debug, Default)]
struct AgentMem {
    /// The agent's contacts (their own ids, not linked) as last seen,
    /// with the state's StateStartTimestamp.
    legs: SmallVec<[Seen; 2]>,
}

pub struct AmazonConnect {
    agents: Memo<AgentMem>,
    sent: Agents,
    contacts: Contacts,
    queue_names: QueueNames,
    /// Callback contacts (`initiationMethod: CALLBACK`): contacts of their
    /// own, not legs of the call that asked for them.
    callbacks: Memo<()>,
    /// Calls that asked for a callback (named by a callback contact): their
    /// end while queued is no abandon.
    asked_callback: Memo<()>,
}

impl Default for AmazonConnect {
    fn default() -> Self {
        AmazonConnect {
            agents: Memo::new(DEFAULT_CAP),
            sent: Agents::default(),
            contacts: Contacts::default(),
            queue_names: QueueNames::default(),
            callbacks: Memo::new(DEFAULT_CAP),
            asked_callback: Memo::new(DEFAULT_CAP),
        }
    }
}

/// An agent's personal queue (`.../queue/agent/ID`): Connect gives every
/// agent one, for transfers to that agent. It is not a queue a supervisor
/// watches, so it is neither a queue row nor in any agent's queue list.
fn is_agent_queue(arn: &str) -> bool {
    arn.contains("/queue/agent/")
}

/// The status an `AgentStatus` names. AWS's own samples and real records
/// often carry only `Name` (no `Type`): "Available" is Connect's routable
/// default and "Offline" its offline one; any other name is a custom
/// (not routable) status.
fn status_state(status: &Obj<'_>) -> Option<AgentState> {
    match status.str("Type").as_deref() {
        Some("OFFLINE") => return Some(AgentState::Offline),
        Some("CUSTOM") => return Some(AgentState::Away),
        Some("ROUTABLE") => return Some(AgentState::Available),
        _ => {}
    }
    let name = status.name("Name")?;
    Some(if name.eq_ignore_ascii_case("available") {
        AgentState::Available
    } else if name.eq_ignore_ascii_case("offline") {
        AgentState::Offline
    } else {
        AgentState::Away
    })
}

impl Platform for AmazonConnect {
    fn message<'b>(
        &mut self,
        msg: &Obj<'b>,
        raw: &'b str,
        received: Ts,
        out: &mut Out<'_, 'b>,
    ) -> Signal {
        let r = if msg.has("AgentARN") {
            self.agent_event(msg, received, out)
        } else if let Some(detail) = msg.obj("detail") {
            let stamped = msg.ts("time");
            let r = self.contact_event(&detail, stamped.unwrap_or(received), out);
            // The envelope's time is the feed's time even when the event
            // sends nothing (INITIATED, CONTACT_DATA_UPDATED, a repeat):
            // without it a replay's clock would stop at the last queue
            // event. One per event, whatever it sent, so that the count
            // does not depend on the order EventBridge delivers in.
            if r.is_ok()
                && let Some(t) = stamped
            {
                out.event(t, EventKind::Heartbeat);
            }
            r
        } else if msg.has("contactId") && msg.has("eventType") {
            self.contact_event(msg, received, out)
        } else {
            out.unknown();
            Ok(())
        };
        out.result(r, raw);
        Signal::None
    }
}

/// The id at the end of an ARN (`.../queue/ID`, `.../agent/ID`), or the
/// whole string when it is not an ARN.
fn arn_id(s: Cow<'_, str>) -> Cow<'_, str> {
    match s {
        Cow::Borrowed(b) => Cow::Borrowed(b.rsplit('/').next().unwrap_or(b)),
        Cow::Owned(o) => Cow::Owned(o.rsplit('/').next().unwrap_or(&o).to_owned()),
    }
}

fn id_from_arn<'b>(
    o: &Obj<'b>,
    key: &str,
    field: &'static str,
) -> Result<Cow<'b, str>, RejectKind> {
    let s = o.text(key).ok_or(if o.has(key) {
        RejectKind::WrongType(field)
    } else {
        RejectKind::Missing(field)
    })?;
    clean_id(arn_id(s), field)
}

fn channel(s: &str) -> Cow<'static, str> {
    match s {
        "VOICE" => Cow::Borrowed("voice"),
        "CHAT" => Cow::Borrowed("chat"),
        "EMAIL" => Cow::Borrowed("email"),
        "TASK" => Cow::Borrowed("task"),
        other => Cow::Owned(
            crate::protocol::clean_name(Cow::Owned(other.to_ascii_lowercase())).into_owned(),
        ),
    }
}

/// A contact of an agent snapshot: its id, its state and when that began.
type Seen = (Box<str>, Leg, Option<Ts>);

/// The contacts of an agent snapshot and their states.
fn legs_of(snap: &Obj<'_>) -> SmallVec<[Seen; 2]> {
    snap.arr("Contacts")
        .unwrap_or_default()
        .into_iter()
        .take(64)
        .filter_map(|raw| Obj::from_raw(raw).ok())
        .filter_map(|c| {
            let id = c.id("ContactId", "contact_id").ok()?;
            let leg = Leg::parse(c.str("State").as_deref().unwrap_or(""));
            Some((id.as_ref().into(), leg, c.ts("StateStartTimestamp")))
        })
        .collect()
}

/// Whether a DISCONNECTED says its leg ended by a transfer: a
/// `disconnectReason` that names one, or the transfer fields of Connect's
/// contact record (`transferCompletedTimestamp`, `transferredToEndpoint`).
fn transferred(d: &Obj<'_>) -> bool {
    d.str("disconnectReason")
        .is_some_and(|r| r.to_ascii_uppercase().contains("TRANSFER"))
        || d.ts("transferCompletedTimestamp").is_some()
        || d.obj("transferredToEndpoint").is_some()
}

impl AmazonConnect {
    /// The contact a Connect contact belongs to: the first of its chain of
    /// transfers (the contact `previousContactId` belongs to when that one
    /// was heard of, else `initialContactId`). The legs it names were taken
    /// over by this one. A callback (`initiationMethod: CALLBACK`) is a
    /// contact of its own: the call that asked for it ended, and the
    /// callback waits and is answered on its own.
    fn contact_of<'b>(
        &mut self,
        o: &Obj<'b>,
        leg: &Cow<'b, str>,
        initial: &str,
        previous: &str,
        method: &str,
    ) -> Cow<'b, str> {
        let is_callback = o
            .str(method)
            .is_some_and(|m| m.eq_ignore_ascii_case("CALLBACK"));
        if is_callback {
            self.callbacks.entry(leg, || ());
            // The call that asked for it: "Amazon Connect initiates a
            // callback contact [...] before the inbound contact is
            // disconnected" (queued-callback-example.html), and "Contacts
            // queued for callback are not counted as abandoned"
            // (metrics-definitions.html).
            if let Some(asked) = o
                .opt_id(previous, "contact_id")
                .ok()
                .flatten()
                .or_else(|| o.opt_id(initial, "contact_id").ok().flatten())
                .filter(|a| a != leg)
            {
                self.asked_callback.entry(&asked, || ());
            }
        }
        if is_callback || self.callbacks.get(leg).is_some() {
            return self.contacts.root(leg.clone());
        }
        let previous = o
            .opt_id(previous, "contact_id")
            .ok()
            .flatten()
            .filter(|p| p != leg);
        let initial = o
            .opt_id(initial, "contact_id")
            .ok()
            .flatten()
            .filter(|i| i != leg);
        if let Some(p) = &previous {
            self.contacts.supersede(p);
        }
        let first = match (previous, initial) {
            (Some(p), _) if self.contacts.knows(&p) => Some(p),
            (p, i) => i.or(p),
        };
        // A leg not linked yet when the contact it names has ended (that
        // contact's DISCONNECTED came first and said nothing of a transfer:
        // events are not ordered) is a contact of its own. Linked to the
        // ended one, its wait, answer and talk would all be dropped.
        let ended = |c: &Self, f: &Cow<'b, str>| {
            c.contacts
                .get(&c.contacts.root(f.clone()))
                .is_some_and(|r| r.ended)
        };
        match first {
            Some(f) if self.contacts.root(leg.clone()) == *leg && ended(self, &f) => leg.clone(),
            Some(f) => self.contacts.link(leg, f),
            None => self.contacts.root(leg.clone()),
        }
    }

    fn agent_event<'b>(
        &mut self,
        msg: &Obj<'b>,
        received: Ts,
        out: &mut Out<'_, 'b>,
    ) -> Result<(), RejectKind> {
        let kind = msg
            .str("EventType")
            .ok_or(RejectKind::Missing("EventType"))?;
        let known = ["LOGIN", "LOGOUT", "STATE_CHANGE", "HEART_BEAT"];
        if !known.contains(&kind.as_ref()) {
            out.unknown();
            return Ok(());
        }
        let ts = msg.ts("EventTimestamp").unwrap_or(received);
        let agent = id_from_arn(msg, "AgentARN", "agent_id")?;
        let snap = msg.obj("CurrentAgentSnapshot").unwrap_or_default();
        let before = out.events;

        // Contacts first: an answer must precede the wrap-up it leads to.
        let mut legs: SmallVec<[Seen; 2]> = SmallVec::new();
        let mut current: Vec<(Obj<'b>, Cow<'b, str>, Leg)> = Vec::new();
        for raw in snap
            .arr("Contacts")
            .unwrap_or_default()
            .into_iter()
            .take(64)
        {
            let Ok(c) = Obj::from_raw(raw) else { continue };
            let Ok(cid) = c.id("ContactId", "contact_id") else {
                continue;
            };
            let leg = Leg::parse(c.str("State").as_deref().unwrap_or(""));
            legs.push((cid.as_ref().into(), leg, c.ts("StateStartTimestamp")));
            current.push((c, cid, leg));
        }
        let first_sight = self.agents.get(&agent).is_none();
        // What came just before: what we last saw of the agent or, the
        // first time we hear of them, the record's own
        // PreviousAgentSnapshot (AWS's sample of an agent entering
        // after-contact work shows the call CONNECTED there, ENDED now).
        let prev_legs = match self.agents.get(&agent) {
            Some(m) => m.legs.clone(),
            None => msg
                .obj("PreviousAgentSnapshot")
                .map(|p| legs_of(&p))
                .unwrap_or_default(),
        };
        for (c, leg_id, leg) in &current {
            let contact = self.contact_of(
                c,
                leg_id,
                "InitialContactId",
                "PreviousContactId",
                "InitiationMethod",
            );
            let seen = prev_legs
                .iter()
                .find(|(k, _, _)| k.as_ref() == leg_id.as_ref());
            let prev = seen.map(|(_, l, _)| *l);
            let at = c
                .ts("StateStartTimestamp")
                .filter(|t| *t <= ts)
                .unwrap_or(ts);
            // A hold, a resume: when the state began. But Connect may leave
            // StateStartTimestamp at the connect time across a hold (the
            // API reference's AgentContactReference: "When AgentContactState
            // is set to CONNECTED_ONHOLD, StateStartTimestamp is not
            // changed"): a start no later than the one seen before is no
            // news, and the record's own time stands in.
            let changed_at = match seen.and_then(|(_, _, t)| *t) {
                Some(before) if at <= before => ts,
                _ => at,
            };
            let was_talking = prev.is_some_and(Leg::talking);
            // Connected now, not before. Or the agent is first heard of
            // with the contact connected, or just ended from connected:
            // its answer was never sent.
            let just_ended = *leg == Leg::AfterWork && was_talking;
            let answer =
                (leg.talking() && !was_talking) || (first_sight && (leg.talking() || just_ended));
            let connected = c.ts("ConnectedToAgentTimestamp").filter(|t| *t <= ts);
            // An end is no time to have been answered at.
            let connected = if just_ended {
                connected
            } else {
                connected.or(Some(at))
            };
            if answer && let Some(connected) = connected {
                // The wait ends. A contact first seen here (no contact
                // events, or a restart) gets its wait from the snapshot's
                // queue time.
                if let Some(q) = c.obj("Queue")
                    && let Some(arn) = q.text("ARN")
                    && !is_agent_queue(&arn)
                    && let Ok(queue) = id_from_arn(&q, "ARN", "queue")
                {
                    self.announce_queue(&queue, q.name("Name"), ts, out);
                    if let Some(qt) = c.ts("QueueTimestamp").filter(|t| *t <= connected) {
                        let channel = c.str("Channel").map(|s| channel(&s));
                        self.queued(contact.clone(), leg_id, queue, channel, qt, out);
                    }
                }
                if self.contacts.leg_may_tell(&contact, leg_id) {
                    self.contacts
                        .answered(contact.clone(), agent.clone(), connected, out);
                }
            }
            match (prev, leg) {
                (Some(Leg::Connected) | None | Some(Leg::Other), Leg::OnHold) => {
                    self.contacts.hold(contact.clone(), true, changed_at, out);
                }
                (Some(Leg::OnHold), Leg::Connected) => {
                    self.contacts.hold(contact.clone(), false, changed_at, out);
                }
                (Some(p), Leg::AfterWork) if p.talking() => {
                    self.contacts.leg_ended(contact.clone(), leg_id, at, out);
                }
                _ => {}
            }
        }
        // Contacts the agent no longer has: a conversation that vanished
        // while connected ended then (no after-contact work). One only in
        // the first record's PreviousAgentSnapshot was never answered here.
        for (k, l, _) in &prev_legs {
            if !first_sight && l.talking() && !legs.iter().any(|(c, _, _)| c == k) {
                let contact = self.contacts.root(owned(k));
                self.contacts.leg_ended(contact, k, ts, out);
            }
        }

        let status = snap.obj("AgentStatus").unwrap_or_default();
        let state = if kind == "LOGOUT" {
            AgentState::Offline
        } else if legs.iter().any(|(_, l, _)| *l == Leg::AfterWork) {
            AgentState::WrapUp
        } else {
            // No snapshot (a bare LOGIN): logged in, status not known yet.
            status_state(&status)
                .unwrap_or_else(|| self.sent.state_or(&agent, AgentState::Available))
        };
        let reason = if state == AgentState::Away {
            status.name("Name").map(|n| Box::<str>::from(n.as_ref()))
        } else {
            None
        };
        let config = snap.obj("Configuration").unwrap_or_default();
        let name = match (config.name("FirstName"), config.name("LastName")) {
            (Some(f), Some(l)) => Some(format!("{f} {l}")),
            (Some(f), None) => Some(f.into_owned()),
            (None, Some(l)) => Some(l.into_owned()),
            (None, None) => config.name("Username").map(Cow::into_owned),
        }
        .map(|n| {
            crate::protocol::clean_name(Cow::Owned(n))
                .into_owned()
                .into_boxed_str()
        });
        let mut queues: Vec<Box<str>> = Vec::new();
        let mut has_profile = false;
        if let Some(profile) = config.obj("RoutingProfile") {
            for raw in profile
                .arr("InboundQueues")
                .unwrap_or_default()
                .into_iter()
                .take(crate::protocol::MAX_AGENT_QUEUES)
            {
                has_profile = true;
                let Ok(q) = Obj::from_raw(raw) else { continue };
                if q.text("ARN").is_some_and(|a| is_agent_queue(&a)) {
                    continue;
                }
                let Ok(id) = id_from_arn(&q, "ARN", "queue") else {
                    continue;
                };
                self.announce_queue(&id, q.name("Name"), ts, out);
                if !queues.iter().any(|x| x.as_ref() == id.as_ref()) {
                    queues.push(id.as_ref().into());
                }
            }
        }
        // After-contact work began when the contact ENDED, not when the
        // agent's status (Available, still) began.
        let wrap_since = current
            .iter()
            .filter(|(_, _, l)| *l == Leg::AfterWork)
            .filter_map(|(c, _, _)| c.ts("StateStartTimestamp"))
            .filter(|t| *t <= ts)
            .min();
        let state_ts = if state == AgentState::WrapUp
            && let Some(t) = wrap_since
        {
            t
        } else if first_sight {
            status
                .ts("StartTimestamp")
                .filter(|t| *t <= ts)
                .unwrap_or(ts)
        } else {
            ts
        };
        self.agents.entry(&agent, AgentMem::default).legs = legs;
        let last = self.sent.last(&agent);
        // A snapshot without a routing profile keeps the queues we know.
        if !has_profile && let Some(s) = last {
            queues = s.queues.clone();
        }
        let name = name.or_else(|| last.and_then(|s| s.name.clone()));
        let now = Sent {
            state,
            reason,
            name,
            queues,
        };
        self.sent.send(agent, now, EmptyQueues::Send, state_ts, out);
        if out.events == before {
            // Nothing changed (a HEART_BEAT): still a sign of life and a clock sample.
            out.event(ts, EventKind::Heartbeat);
        }
        Ok(())
    }

    /// One contact event. EventBridge does not deliver a contact's events
    /// in order, but each later event repeats what the earlier ones said
    /// (`queueInfo.enqueueTimestamp`, `agentInfo.connectedToAgentTimestamp`):
    /// every event first sends what it implies and was not yet sent, at the
    /// times it carries, so the figures do not depend on the order.
    fn contact_event<'b>(
        &mut self,
        d: &Obj<'b>,
        at: Ts,
        out: &mut Out<'_, 'b>,
    ) -> Result<(), RejectKind> {
        let kind = d.str("eventType").ok_or(RejectKind::Missing("eventType"))?;
        let leg = d.id("contactId", "contact_id")?;
        let known = [
            "QUEUED",
            "CONNECTED_TO_AGENT",
            "DISCONNECTED",
            "INITIATED",
            "CONNECTED_TO_SYSTEM",
            "CONTACT_DATA_UPDATED",
            "COMPLETED",
            "AMD_DISABLED",
            // A task contact paused and resumed by its agent.
            "PAUSED",
            "RESUMED",
            "WEBRTC_API",
        ];
        if !known.contains(&kind.as_ref()) {
            out.unknown();
            return Ok(());
        }
        let contact = self.contact_of(
            d,
            &leg,
            "initialContactId",
            "previousContactId",
            "initiationMethod",
        );
        let queue_info = d.obj("queueInfo");
        let agent_info = d.obj("agentInfo");
        // COMPLETED: the contact is fully completed, ACW included; without
        // ACW it comes right after the DISCONNECTED, with the same data
        // (contact-events.html). Events are unordered and best effort, so
        // it ends the contact too: a repeat when the DISCONNECTED came.
        let completed = kind == "COMPLETED";
        let disconnected = kind == "DISCONNECTED" || completed;
        if kind == "QUEUED" && queue_info.is_none() {
            return Err(RejectKind::Missing("queueInfo"));
        }
        if kind == "CONNECTED_TO_AGENT" && agent_info.is_none() {
            return Err(RejectKind::Missing("agentInfo"));
        }
        // The queueing this event shows: on QUEUED itself (its time may stand
        // in for a missing enqueue time), or repeated on a later event.
        let mut enqueued = None;
        if let Some(q) = &queue_info {
            let agent_queue = q.str("queueType").as_deref() == Some("AGENT")
                || q.text("queueArn").is_some_and(|a| is_agent_queue(&a));
            let ts = q
                .ts("enqueueTimestamp")
                .or((kind == "QUEUED").then_some(at));
            if kind == "QUEUED" || q.has("queueArn") {
                let queue = id_from_arn(q, "queueArn", "queue");
                match (queue, ts) {
                    (Ok(queue), Some(ts)) if !agent_queue => enqueued = Some((queue, ts)),
                    (Err(e), _) if kind == "QUEUED" => return Err(e),
                    _ => {}
                }
            }
        }
        let channel = d.str("channel").map(|s| channel(&s.to_ascii_uppercase()));
        if let Some((queue, ts)) = enqueued.clone() {
            self.queued(contact.clone(), &leg, queue, channel, ts, out);
        }
        if let Some(a) = &agent_info {
            let ts = a
                .ts("connectedToAgentTimestamp")
                .or((kind == "CONNECTED_TO_AGENT").then_some(at));
            match (id_from_arn(a, "agentArn", "agent_id"), ts) {
                (Ok(agent), Some(ts)) if self.contacts.leg_may_tell(&contact, &leg) => {
                    self.contacts.answered(contact.clone(), agent, ts, out);
                }
                (Ok(_), _) => {}
                (Err(e), _) if kind == "CONNECTED_TO_AGENT" => return Err(e),
                _ => {}
            }
        }
        if disconnected {
            // A COMPLETED's own time is the end of after-contact work; the
            // conversation ended when ACW began.
            let acw_start = agent_info
                .as_ref()
                .filter(|_| completed)
                .and_then(|a| a.ts("afterContactWorkStartTimestamp"));
            let ts = d.ts("disconnectTimestamp").or(acw_start).unwrap_or(at);
            // A leg that disconnects by a transfer hands the contact to the
            // next leg, which may not have been heard of yet (EventBridge
            // does not order them): that leg's queueing ends the segment.
            if transferred(d) {
                self.contacts.supersede(&leg);
            }
            // An older leg of a transferred contact disconnects when the
            // next leg takes over.
            if !self.contacts.is_current_leg(&leg) {
                return Ok(());
            }
            let rec = self.contacts.get(&contact);
            let queued = rec.is_some_and(|r| r.queue.is_some());
            let answered = rec.is_some_and(|r| r.agent.is_some());
            let asked_callback = self.asked_callback.get(&leg).is_some();
            if queued && !answered && !asked_callback {
                self.contacts.abandoned(contact, ts, out);
            } else {
                self.contacts.ended(contact, ts, out);
            }
        }
        Ok(())
    }

    fn queued<'b>(
        &mut self,
        contact: Cow<'b, str>,
        leg: &str,
        queue: Cow<'b, str>,
        channel: Option<Cow<'b, str>>,
        ts: Ts,
        out: &mut Out<'_, 'b>,
    ) {
        // A repeat of this leg's own queueing, late, changes nothing; one
        // from a leg a later leg took over is old news once that one queued.
        if !self.contacts.leg_may_tell(&contact, leg) {
            return;
        }
        let q = Queueing {
            contact,
            leg: Some(leg.into()),
            queue,
            channel,
            customer: None,
            // The contact events carry no routing priority (it lives in the
            // contact's routing data, lowest number first, read by API).
            priority: Priority::Absent,
        };
        let _ = self.contacts.queued(q, ts, out);
    }

    fn announce_queue<'b>(
        &mut self,
        id: &str,
        name: Option<Cow<'b, str>>,
        ts: Ts,
        out: &mut Out<'_, 'b>,
    ) {
        let Some(name) = name else { return };
        self.queue_names.announce(owned(id), name, ts, out);
    }
}
