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
use super::memo::{DEFAULT_CAP, Memo};
use super::platform::{Out, Platform, Sent, owned};
use crate::protocol::{AgentState, EventKind, RejectKind, clean_id};
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
            "CONNECTED_ONHOLD" => Leg::OnHold,
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
    /// State, reason, name and queues as last sent.
    sent: Option<Sent>,
    legs: SmallVec<[(Box<str>, Leg); 2]>,
}

#[derive(Debug, Default)]
struct ContactMem {
    queue: Option<Box<str>>,
    agent: Option<Box<str>>,
    ended: bool,
}

pub struct AmazonConnect {
    agents: Memo<AgentMem>,
    contacts: Memo<ContactMem>,
    /// Queue names already announced with `queue.info`.
    queue_names: Memo<Box<str>>,
}

impl Default for AmazonConnect {
    fn default() -> Self {
        AmazonConnect {
            agents: Memo::new(DEFAULT_CAP),
            contacts: Memo::new(DEFAULT_CAP),
            queue_names: Memo::new(10_000),
        }
    }
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
            let at = msg.ts("time").unwrap_or(received);
            self.contact_event(&detail, at, out)
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

/// An agent's personal queue (`.../queue/agent/ID`, `"Name": null`): every
/// agent has one, real routing profiles list it among their inbound
/// queues, and it is where transfers to that agent wait. It is no queue a
/// supervisor watches, so it is neither a queue row nor in the agent's list.
fn is_agent_queue(o: &Obj<'_>, key: &str) -> bool {
    o.text(key).is_some_and(|arn| arn.contains("/queue/agent/"))
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

impl AmazonConnect {
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
        let mut legs: SmallVec<[(Box<str>, Leg); 2]> = SmallVec::new();
        let mut current: Vec<(Obj<'b>, Leg)> = Vec::new();
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
            legs.push((cid.as_ref().into(), leg));
            current.push((c, leg));
        }
        let first_sight = self.agents.get(&agent).is_none();
        let prev_legs = self
            .agents
            .get(&agent)
            .map(|m| m.legs.clone())
            .unwrap_or_default();
        for (c, leg) in &current {
            let Ok(cid) = c.id("ContactId", "contact_id") else {
                continue;
            };
            let prev = prev_legs
                .iter()
                .find(|(k, _)| k.as_ref() == cid.as_ref())
                .map(|(_, l)| *l);
            let at = c
                .ts("StateStartTimestamp")
                .filter(|t| *t <= ts)
                .unwrap_or(ts);
            if leg.talking() && !prev.is_some_and(Leg::talking) {
                // Connected now, not before: the wait ends. A contact first
                // seen here (no contact events, or a restart) gets its wait
                // from the snapshot's queue time.
                let connected = c
                    .ts("ConnectedToAgentTimestamp")
                    .filter(|t| *t <= ts)
                    .unwrap_or(at);
                if let Some(q) = c.obj("Queue")
                    && let Ok(queue) = id_from_arn(&q, "ARN", "queue")
                {
                    self.announce_queue(&queue, q.name("Name"), ts, out);
                    if let Some(qt) = c.ts("QueueTimestamp").filter(|t| *t <= connected) {
                        let channel = c.str("Channel").map(|s| channel(&s));
                        self.queued(cid.clone(), queue, channel, qt, out);
                    }
                }
                self.answered(cid.clone(), agent.clone(), connected, out);
            }
            match (prev, leg) {
                (Some(Leg::Connected), Leg::OnHold) | (None | Some(Leg::Other), Leg::OnHold) => {
                    out.event(
                        at,
                        EventKind::Hold {
                            contact: cid.clone(),
                        },
                    );
                }
                (Some(Leg::OnHold), Leg::Connected) => {
                    out.event(
                        at,
                        EventKind::Resumed {
                            contact: cid.clone(),
                        },
                    );
                }
                (Some(p), Leg::AfterWork) if p.talking() => self.ended(cid.clone(), at, out),
                _ => {}
            }
        }
        // Contacts the agent no longer has: a conversation that vanished
        // while connected ended then (no after-contact work).
        for (k, l) in &prev_legs {
            if l.talking() && !legs.iter().any(|(c, _)| c == k) {
                self.ended(owned(k), ts, out);
            }
        }

        let state = if kind == "LOGOUT" {
            AgentState::Offline
        } else if legs.iter().any(|(_, l)| *l == Leg::AfterWork) {
            AgentState::WrapUp
        } else {
            let status = snap.obj("AgentStatus").unwrap_or_default();
            match status.str("Type").as_deref() {
                Some("OFFLINE") => AgentState::Offline,
                Some("CUSTOM") => AgentState::Away,
                Some("ROUTABLE") => AgentState::Available,
                // AWS's data model gives AgentStatus only ARN, Name and
                // StartTimestamp, and real records often lack Type: the
                // two system statuses are named Available and Offline,
                // every other name is a custom (not routable) status.
                _ => match status.name("Name") {
                    Some(n) if n.eq_ignore_ascii_case("available") => AgentState::Available,
                    Some(n) if n.eq_ignore_ascii_case("offline") => AgentState::Offline,
                    Some(_) => AgentState::Away,
                    // No snapshot (a bare LOGIN): logged in, status not known yet.
                    None => match self.agents.get(&agent).and_then(|m| m.sent.as_ref()) {
                        Some(s) => s.state,
                        None => AgentState::Available,
                    },
                },
            }
        };
        let status = snap.obj("AgentStatus").unwrap_or_default();
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
        if let Some(profile) = config.obj("RoutingProfile") {
            for raw in profile
                .arr("InboundQueues")
                .unwrap_or_default()
                .into_iter()
                .take(crate::protocol::MAX_AGENT_QUEUES)
            {
                let Ok(q) = Obj::from_raw(raw) else { continue };
                if is_agent_queue(&q, "ARN") {
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
        let state_ts = if first_sight {
            status
                .ts("StartTimestamp")
                .filter(|t| *t <= ts)
                .unwrap_or(ts)
        } else {
            ts
        };
        let mem = self.agents.entry(&agent, AgentMem::default);
        mem.legs = legs;
        // A snapshot without a routing profile keeps the queues we know.
        if queues.is_empty()
            && let Some(Sent { queues: q, .. }) = &mem.sent
        {
            queues = q.clone();
        }
        let name = name.or_else(|| mem.sent.as_ref().and_then(|s| s.name.clone()));
        let sent = Some(Sent {
            state,
            reason: reason.clone(),
            name: name.clone(),
            queues: queues.clone(),
        });
        if mem.sent != sent {
            mem.sent = sent;
            out.event(
                state_ts,
                EventKind::AgentState {
                    agent,
                    state,
                    name: name.map(|n| owned(&n)),
                    queues: Some(queues.iter().map(|q| owned(q)).collect()),
                    reason: reason.map(|r| owned(&r)),
                },
            );
        }
        if out.events == before {
            // Nothing changed (a HEART_BEAT): still a sign of life and a clock sample.
            out.event(ts, EventKind::Heartbeat);
        }
        Ok(())
    }

    fn contact_event<'b>(
        &mut self,
        d: &Obj<'b>,
        at: Ts,
        out: &mut Out<'_, 'b>,
    ) -> Result<(), RejectKind> {
        let kind = d.str("eventType").ok_or(RejectKind::Missing("eventType"))?;
        let contact = d.id("contactId", "contact_id")?;
        let queue_info = d.obj("queueInfo");
        let agent_info = d.obj("agentInfo");
        match kind.as_ref() {
            "QUEUED" => {
                let q = queue_info.ok_or(RejectKind::Missing("queueInfo"))?;
                let queue = id_from_arn(&q, "queueArn", "queue")?;
                let ts = q.ts("enqueueTimestamp").unwrap_or(at);
                let channel = d.str("channel").map(|s| channel(&s.to_ascii_uppercase()));
                self.queued(contact, queue, channel, ts, out);
            }
            "CONNECTED_TO_AGENT" => {
                let a = agent_info.ok_or(RejectKind::Missing("agentInfo"))?;
                let agent = id_from_arn(&a, "agentArn", "agent_id")?;
                let ts = a.ts("connectedToAgentTimestamp").unwrap_or(at);
                self.answered(contact, agent, ts, out);
            }
            "DISCONNECTED" => {
                let ts = d.ts("disconnectTimestamp").unwrap_or(at);
                let mem = self.contacts.get(&contact);
                if mem.is_some_and(|m| m.ended) {
                    return Ok(());
                }
                let answered = mem.is_some_and(|m| m.agent.is_some())
                    || agent_info
                        .as_ref()
                        .is_some_and(|a| a.has("connectedToAgentTimestamp"));
                let queued = mem.is_some_and(|m| m.queue.is_some())
                    || queue_info
                        .as_ref()
                        .is_some_and(|q| q.has("enqueueTimestamp"));
                if !answered && queued {
                    self.contacts.entry(&contact, ContactMem::default).ended = true;
                    out.event(ts, EventKind::Abandoned { contact });
                } else {
                    self.ended(contact, ts, out);
                }
            }
            "INITIATED"
            | "CONNECTED_TO_SYSTEM"
            | "CONTACT_DATA_UPDATED"
            | "COMPLETED"
            | "AMD_DISABLED" => {}
            _ => out.unknown(),
        }
        Ok(())
    }

    fn queued<'b>(
        &mut self,
        contact: Cow<'b, str>,
        queue: Cow<'b, str>,
        channel: Option<Cow<'b, str>>,
        ts: Ts,
        out: &mut Out<'_, 'b>,
    ) {
        let m = self.contacts.entry(&contact, ContactMem::default);
        if m.ended || m.queue.as_deref() == Some(queue.as_ref()) {
            return;
        }
        m.queue = Some(queue.as_ref().into());
        m.agent = None;
        out.event(
            ts,
            EventKind::Queued {
                contact,
                queue,
                channel,
                customer: None,
            },
        );
    }

    fn answered<'b>(
        &mut self,
        contact: Cow<'b, str>,
        agent: Cow<'b, str>,
        ts: Ts,
        out: &mut Out<'_, 'b>,
    ) {
        let m = self.contacts.entry(&contact, ContactMem::default);
        if m.ended || m.agent.as_deref() == Some(agent.as_ref()) {
            return;
        }
        m.agent = Some(agent.as_ref().into());
        out.event(ts, EventKind::Answered { contact, agent });
    }

    fn ended<'b>(&mut self, contact: Cow<'b, str>, ts: Ts, out: &mut Out<'_, 'b>) {
        let m = self.contacts.entry(&contact, ContactMem::default);
        if m.ended {
            return;
        }
        m.ended = true;
        out.event(
            ts,
            EventKind::Ended {
                contact,
                resolved: None,
            },
        );
    }

    fn announce_queue<'b>(
        &mut self,
        id: &str,
        name: Option<Cow<'b, str>>,
        ts: Ts,
        out: &mut Out<'_, 'b>,
    ) {
        let Some(name) = name else { return };
        if self.queue_names.get(id).map(|n| n.as_ref()) == Some(name.as_ref()) {
            return;
        }
        *self.queue_names.entry(id, || "".into()) = name.as_ref().into();
        out.event(
            ts,
            EventKind::QueueInfo {
                queue: owned(id),
                name: Some(name),
                sl_threshold: None,
            },
        );
    }
}
