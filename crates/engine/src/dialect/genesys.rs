//! Genesys Cloud: Notification API messages on the channel's WebSocket,
//! `{"topicName": ..., "eventBody": ...}`.
//!
//! - `v2.routing.queues.{id}.conversations`: the whole conversation, with
//!   its participants (`purpose` customer, acd, agent, ...), their times
//!   (`connectedTime`, `endTime`) and media (`calls`, `chats`, ... with
//!   `state` and `held`). Each message is a snapshot: the dialect remembers
//!   what it sent per conversation and sends the differences.
//! - `v2.users.{id}.activity`, `.presence`, `.routingStatus`: an agent's
//!   presence (`systemPresence`) and ACD routing status; `activity` also
//!   names the queues the agent is active in (`activeQueueIds`).
//! - `v2.routing.queues.{id}.users`: a member joined or left a queue.
//! - `channel.metadata` is the channel's heartbeat (every 30 s) and the
//!   answer to `{"message":"ping"}`; `v2.system.socket_closing` warns that
//!   the server will close this socket in about a minute:
//!   [`Signal::ReconnectSoon`] asks the client to open the next one now.

use std::borrow::Cow;

use smallvec::SmallVec;

use super::json::Obj;
use super::ledger::{Agents, EmptyQueues};
use super::memo::{DEFAULT_CAP, Memo};
use super::platform::{Out, Platform, Sent, owned};
use super::{DialectSetup, Signal};
use crate::protocol::{AgentState, EventKind, MAX_AGENT_QUEUES, Priority, RejectKind, clean_id};
use crate::time::Ts;

/// Genesys accepts at most 1000 topics per channel.
const MAX_TOPICS: usize = 1000;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Phase {
    Waiting,
    Connected,
    Over,
}

#[derive(Debug)]
struct ConvMem {
    phase: Phase,
    queue: Option<Box<str>>,
    agent: Option<Box<str>>,
    held: bool,
}

#[derive(Debug, Default)]
struct UserMem {
    presence: Option<Box<str>>,
    routing: Option<Box<str>>,
    queues: Vec<Box<str>>,
    /// Conversations whose wrap-up code this user still has to enter.
    wrapping: SmallVec<[Box<str>; 2]>,
}

impl UserMem {
    fn state(&self) -> (AgentState, Option<Box<str>>) {
        let presence = self.presence.as_deref().unwrap_or("");
        if presence.eq_ignore_ascii_case("offline") {
            return (AgentState::Offline, None);
        }
        if !self.wrapping.is_empty() {
            return (AgentState::WrapUp, None);
        }
        match self.routing.as_deref() {
            Some("IDLE") => (AgentState::Available, None),
            Some("INTERACTING") | Some("COMMUNICATING") => (AgentState::Busy, None),
            Some("NOT_RESPONDING") => (AgentState::Away, Some("Not responding".into())),
            // Off queue is not routable, whatever presence was last heard
            // (none yet, or an On Queue the presence topic has not replaced):
            // the presence, when it says more, is the reason.
            Some("OFF_QUEUE")
                if presence.is_empty() || presence.eq_ignore_ascii_case("on queue") =>
            {
                (AgentState::Away, None)
            }
            // Off queue, or not known: the presence says what the agent does.
            _ if presence.eq_ignore_ascii_case("on queue") => (AgentState::Available, None),
            _ if presence.is_empty() => (AgentState::Available, None),
            // Genesys's "Available" is logged in but off queue: away from
            // the queues, and "Available" as the reason would only confuse.
            _ if presence.eq_ignore_ascii_case("available") => (AgentState::Away, None),
            _ => (AgentState::Away, self.presence.clone()),
        }
    }
}

pub struct Genesys {
    subscribe: Option<String>,
    convs: Memo<ConvMem>,
    users: Memo<UserMem>,
    /// Users' states as last sent.
    sent: Agents,
}

impl Default for Genesys {
    fn default() -> Self {
        Genesys::new(&DialectSetup::default())
    }
}

impl Genesys {
    pub fn new(setup: &DialectSetup) -> Self {
        let subscribe = (!setup.subscribe_configured && !setup.queues.is_empty()).then(|| {
            let topics: Vec<String> = setup
                .queues
                .iter()
                .take(MAX_TOPICS)
                .map(|q| format!("v2.routing.queues.{q}.conversations"))
                .collect();
            serde_json::json!({"message": "subscribe", "topics": topics}).to_string()
        });
        Genesys {
            subscribe,
            convs: Memo::new(DEFAULT_CAP),
            users: Memo::new(DEFAULT_CAP),
            sent: Agents::default(),
        }
    }
}

impl Platform for Genesys {
    fn on_connect(&mut self) -> Vec<String> {
        self.subscribe.iter().cloned().collect()
    }

    fn message<'b>(
        &mut self,
        msg: &Obj<'b>,
        raw: &'b str,
        received: Ts,
        out: &mut Out<'_, 'b>,
    ) -> Signal {
        let Some(topic) = msg.str("topicName") else {
            // The answer to a subscribe request: nothing for the floor.
            if msg.has("result") || msg.has("status") {
                out.unknown();
            } else {
                out.reject(RejectKind::Missing("topicName"), raw);
            }
            return Signal::None;
        };
        if topic == "v2.system.socket_closing" {
            return Signal::ReconnectSoon;
        }
        let body = msg.obj("eventBody").unwrap_or_default();
        let r = if topic == "channel.metadata" {
            out.event(received, EventKind::Heartbeat);
            Ok(())
        } else if let Some(rest) = topic.strip_prefix("v2.routing.queues.") {
            match rest.rsplit_once('.') {
                Some((q, "conversations")) => self.conversation(q, &body, received, out),
                Some((q, "users")) => self.membership(q, &body, received, out),
                // `.conversations.calls` and the like repeat what `.conversations` says.
                _ => {
                    out.unknown();
                    Ok(())
                }
            }
        } else if let Some(rest) = topic.strip_prefix("v2.users.") {
            match rest.rsplit_once('.') {
                Some((u, kind @ ("activity" | "presence" | "routingStatus"))) => {
                    self.user(u, kind, &body, received, out)
                }
                _ => {
                    out.unknown();
                    Ok(())
                }
            }
        } else {
            out.unknown();
            Ok(())
        };
        out.result(r, raw);
        Signal::None
    }
}

/// One participant of a conversation snapshot.
struct Part<'b> {
    purpose: Cow<'b, str>,
    obj: Obj<'b>,
}

const MEDIA: [(&str, &str); 7] = [
    ("calls", "voice"),
    ("chats", "chat"),
    ("emails", "email"),
    ("messages", "message"),
    ("callbacks", "callback"),
    ("socialExpressions", "social"),
    ("videos", "video"),
];

impl Part<'_> {
    /// The routing priority of a queue's (acd) participant:
    /// `conversationRoutingData.priority`, higher routed first, 0 by
    /// default, as feed-v1's.
    fn priority(&self) -> Priority {
        self.obj
            .obj("conversationRoutingData")
            .map_or(Priority::Absent, |r| r.priority("priority"))
    }

    fn media(&self) -> impl Iterator<Item = (Obj<'_>, &'static str)> + '_ {
        MEDIA.iter().flat_map(move |(key, ch)| {
            self.obj
                .arr(key)
                .unwrap_or_default()
                .into_iter()
                .take(16)
                .filter_map(|r| Obj::from_raw(r).ok())
                .map(move |o| (o, *ch))
        })
    }

    fn ended(&self) -> bool {
        if self.obj.has("endTime") {
            return true;
        }
        let mut any = false;
        let mut all_over = true;
        for (m, _) in self.media() {
            any = true;
            let st = m.str("state");
            if !matches!(st.as_deref(), Some("disconnected" | "terminated")) {
                all_over = false;
            }
        }
        any && all_over
    }

    /// In the conversation now: connected and not ended.
    fn active(&self) -> bool {
        !self.ended()
            && (self.obj.has("connectedTime")
                || self
                    .media()
                    .any(|(m, _)| m.str("state").as_deref() == Some("connected")))
    }

    fn alerting(&self) -> bool {
        !self.ended()
            && self.media().any(|(m, _)| {
                matches!(
                    m.str("state").as_deref(),
                    Some("alerting" | "offering" | "contacting" | "dialing")
                )
            })
    }

    /// A supervisor listening in (`monitoredParticipantId`: "If this
    /// participant is a monitor, then this will be the id of the
    /// participant that is being monitored") or coaching
    /// (`coachedParticipantId`): never the agent handling the contact.
    fn supervises(&self) -> bool {
        self.obj.has("monitoredParticipantId") || self.obj.has("coachedParticipantId")
    }

    fn held(&self) -> bool {
        self.media().any(|(m, _)| on_hold(&m))
    }

    /// The wrap-up is done: a `wrapup` (code) on the participant or on
    /// its media, the participant's `endAcwTime`, or media whose
    /// `afterCallWork.state` is over (`complete`, `skipped`,
    /// `notApplicable`). The queue conversation topic's models
    /// (QueueConversationEventTopicParticipant, ...Call, ...Wrapup,
    /// ...AfterCallWork) carry all of these.
    fn wrapped_up(&self) -> bool {
        self.obj.has("wrapup")
            || self.obj.has("endAcwTime")
            || self.media().any(|(m, _)| {
                m.has("wrapup")
                    || m.obj("afterCallWork").is_some_and(|w| {
                        matches!(
                            w.str("state").as_deref(),
                            Some("complete" | "skipped" | "notApplicable")
                        )
                    })
            })
    }

    /// When the wrap-up ended, as Genesys gives it: the participant's
    /// `endAcwTime`, else the media's `afterCallWork.endTime`, else a
    /// `wrapup.endTime`.
    fn wrapup_end(&self) -> Option<Ts> {
        self.obj
            .ts("endAcwTime")
            .or_else(|| {
                self.media()
                    .find_map(|(m, _)| m.obj("afterCallWork").and_then(|w| w.ts("endTime")))
            })
            .or_else(|| self.obj.obj("wrapup").and_then(|w| w.ts("endTime")))
            .or_else(|| {
                self.media()
                    .find_map(|(m, _)| m.obj("wrapup").and_then(|w| w.ts("endTime")))
            })
    }

    fn channel(&self) -> Option<&'static str> {
        self.media().next().map(|(_, c)| c)
    }
}

/// Whether a media is on hold. The topic's call model has two flags:
/// `held` ("this call is held and the person on this side hears silence")
/// and `confined` ("this call is held and the person on this side hears
/// hold music"); either is a hold.
fn on_hold(m: &Obj<'_>) -> bool {
    m.flag("held") == Some(true) || m.flag("confined") == Some(true)
}

/// The queue an agent who took a call over came from, when it is not the
/// call's current queue: the agent participant's own `queueId`, else the
/// newest acd participant's.
fn consulted_queue<'b>(
    parts: &[Part<'b>],
    agent: &Part<'b>,
    current: Option<&str>,
) -> Result<Option<Cow<'b, str>>, RejectKind> {
    let from_agent = agent.obj.opt_id("queueId", "queue")?;
    let from_acd = parts
        .iter()
        .filter(|p| p.purpose.eq_ignore_ascii_case("acd"))
        .filter_map(|p| p.obj.ts("connectedTime").map(|t| (t, p)))
        .max_by_key(|(t, _)| *t)
        .map(|(_, p)| p.obj.opt_id("queueId", "queue"))
        .transpose()?
        .flatten();
    let q = match from_agent.or(from_acd) {
        Some(q) => clean_id(q, "queue")?,
        None => return Ok(None),
    };
    Ok((current != Some(q.as_ref())).then_some(q))
}

impl Genesys {
    fn conversation<'b>(
        &mut self,
        topic_queue: &str,
        body: &Obj<'b>,
        received: Ts,
        out: &mut Out<'_, 'b>,
    ) -> Result<(), RejectKind> {
        let conv = body.id("id", "contact_id")?;
        let parts: Vec<Part<'b>> = body
            .arr("participants")
            .ok_or(RejectKind::Missing("participants"))?
            .into_iter()
            .take(64)
            .filter_map(|r| Obj::from_raw(r).ok())
            .map(|obj| Part {
                purpose: obj.str("purpose").unwrap_or(Cow::Borrowed("")),
                obj,
            })
            .collect();
        let is = |p: &Part<'_>, what: &str| p.purpose.eq_ignore_ascii_case(what);
        // `connectedTime` is a date-time (QueueConversationEventTopicParticipant):
        // one that is not a time starts no wait and times no answer. What
        // the rest says is still sent, and the notification is counted.
        let bad_time = parts
            .iter()
            .filter(|p| is(p, "acd") || is(p, "agent") || is(p, "user"))
            .any(|p| p.obj.has("connectedTime") && p.obj.ts("connectedTime").is_none());
        let customer_gone = parts
            .iter()
            .filter(|p| is(p, "customer") || is(p, "external"))
            .any(|p| p.ended());
        let acd = parts.iter().filter(|p| is(p, "acd")).find(|p| p.active());
        let agent = parts
            .iter()
            .filter(|p| is(p, "agent") || is(p, "user"))
            .filter(|p| p.obj.has("userId") && !p.supervises())
            .find(|p| p.active());
        let channel = parts
            .iter()
            .find(|p| is(p, "customer") || is(p, "external"))
            .and_then(|p| p.channel());

        let known = self
            .convs
            .get(&conv)
            .map(|m| (m.phase, m.queue.clone(), m.agent.clone()));
        let fresh = known.is_none();
        let (phase, queue, who) = known.unwrap_or((Phase::Over, None, None));

        if let Some(a) = agent {
            let user = a.obj.id("userId", "agent_id")?;
            if phase != Phase::Connected || who.as_deref() != Some(user.as_ref()) {
                let at = a.obj.ts("connectedTime").unwrap_or(received);
                if fresh || phase == Phase::Over {
                    // First seen already answered: its wait, if the queue's
                    // participant is in the snapshot, still counts.
                    if let Some(q) = parts.iter().find(|p| is(p, "acd")) {
                        let qid = q
                            .obj
                            .opt_id("queueId", "queue")?
                            .unwrap_or(Cow::Owned(topic_queue.to_owned()));
                        let qid = clean_id(qid, "queue")?;
                        if let Some(since) = q.obj.ts("connectedTime").filter(|t| *t <= at) {
                            out.event(
                                since,
                                EventKind::Queued {
                                    contact: conv.clone(),
                                    queue: qid,
                                    channel: channel.map(Cow::Borrowed),
                                    customer: None,
                                    priority: q.priority(),
                                },
                            );
                        }
                    }
                }
                let mut at = at;
                let mut queue = queue.clone();
                if !fresh && phase == Phase::Connected {
                    // Another agent took the call over: a consult transfer
                    // (the consulted agent connected while the first still
                    // talked, then the first left, `disconnectType:
                    // transfer`). Into another queue it is a re-queue of the
                    // same contact at the instant the first agent left: the
                    // customer was on hold with that agent during the
                    // consult, not waiting in the new queue.
                    if let Some(q) = consulted_queue(&parts, a, queue.as_deref())? {
                        let left = parts
                            .iter()
                            .filter(|p| p.obj.str("userId").as_deref() == who.as_deref())
                            .filter_map(|p| p.obj.ts("endTime"))
                            .max();
                        at = left.map_or(at, |l| l.max(at));
                        out.event(
                            at,
                            EventKind::Queued {
                                contact: conv.clone(),
                                queue: q.clone(),
                                channel: channel.map(Cow::Borrowed),
                                customer: None,
                                priority: parts
                                    .iter()
                                    .rfind(|p| {
                                        is(p, "acd") && p.obj.str("queueId").as_deref() == Some(&q)
                                    })
                                    .map_or(Priority::Absent, Part::priority),
                            },
                        );
                        queue = Some(q.as_ref().into());
                    }
                }
                out.event(
                    at,
                    EventKind::Answered {
                        contact: conv.clone(),
                        agent: user.clone(),
                    },
                );
                self.set_conv(&conv, Phase::Connected, queue, Some(&user), false);
            }
            let now_held = a.held() || parts.iter().filter(|p| is(p, "customer")).any(Part::held);
            let was_held = self.convs.get(&conv).is_some_and(|m| m.held);
            if now_held != was_held {
                // Genesys puts `startHoldTime` on the media (`calls[]`), not
                // on the participant; a late notification would otherwise
                // move the hold's start to its arrival.
                let at = if now_held {
                    std::iter::once(a)
                        .chain(parts.iter().filter(|p| is(p, "customer")))
                        .find_map(|p| {
                            p.media()
                                .filter(|(m, _)| on_hold(m))
                                .find_map(|(m, _)| m.ts("startHoldTime"))
                                .or_else(|| p.obj.ts("startHoldTime"))
                        })
                        .filter(|t| *t <= received)
                        .unwrap_or(received)
                } else {
                    received
                };
                let contact = conv.clone();
                out.event(
                    at,
                    if now_held {
                        EventKind::Hold { contact }
                    } else {
                        EventKind::Resumed { contact }
                    },
                );
                if let Some(m) = self.convs.get_mut(&conv) {
                    m.held = now_held;
                }
            }
        } else if let Some(q) = acd {
            let qid = q
                .obj
                .opt_id("queueId", "queue")?
                .unwrap_or(Cow::Owned(topic_queue.to_owned()));
            let qid = clean_id(qid, "queue")?;
            if phase != Phase::Waiting || queue.as_deref() != Some(qid.as_ref()) {
                let at = q.obj.ts("connectedTime").unwrap_or(received);
                // Transferred to a queue (a blind transfer: the agent's
                // `endTime` is the new acd participant's `connectedTime`).
                // feed-v1 reads the queued of a connected contact as a
                // re-queue: it ends the agent's segment and starts the new
                // wait, and the first response stays the first. An end sent
                // first would make the floor drop the queued, stamped at
                // that same instant, as stale, and the second leg with it.
                out.event(
                    at,
                    EventKind::Queued {
                        contact: conv.clone(),
                        queue: qid.clone(),
                        channel: channel.map(Cow::Borrowed),
                        customer: None,
                        priority: q.priority(),
                    },
                );
                self.set_conv(
                    &conv,
                    Phase::Waiting,
                    Some(qid.as_ref().into()),
                    None,
                    false,
                );
            }
        } else {
            match phase {
                Phase::Waiting => {
                    let offered = parts
                        .iter()
                        .filter(|p| is(p, "agent") || is(p, "user"))
                        .any(Part::alerting);
                    let left = parts
                        .iter()
                        .filter(|p| is(p, "acd"))
                        .filter_map(|p| p.obj.ts("endTime"))
                        .max();
                    let at = left.unwrap_or(received);
                    if customer_gone {
                        out.event(
                            at,
                            EventKind::Abandoned {
                                contact: conv.clone(),
                            },
                        );
                        self.set_conv(&conv, Phase::Over, None, None, false);
                    } else if !offered {
                        // Flowed out of the queue (voicemail, transfer out).
                        out.event(
                            at,
                            EventKind::Ended {
                                contact: conv.clone(),
                                resolved: None,
                            },
                        );
                        self.set_conv(&conv, Phase::Over, None, None, false);
                    }
                }
                Phase::Connected => {
                    self.agent_left(&conv, &parts, who.as_deref(), received, out);
                    self.set_conv(&conv, Phase::Over, None, None, false);
                }
                Phase::Over => {}
            }
        }
        self.wrapups(&conv, &parts, received, out);
        if bad_time {
            return Err(RejectKind::BadValue("connectedTime"));
        }
        Ok(())
    }

    /// The agent's part of a conversation ended: talk stops.
    fn agent_left<'b>(
        &mut self,
        conv: &str,
        parts: &[Part<'b>],
        who: Option<&str>,
        received: Ts,
        out: &mut Out<'_, 'b>,
    ) {
        let mine = parts
            .iter()
            .find(|p| p.obj.str("userId").as_deref() == who && who.is_some());
        let at = mine.and_then(|p| p.obj.ts("endTime")).unwrap_or(received);
        out.event(
            at,
            EventKind::Ended {
                contact: owned(conv),
                resolved: None,
            },
        );
    }

    /// Agents owe a wrap-up code after a conversation (`wrapupRequired`)
    /// until they enter it (`wrapup`): that is their wrap-up time.
    fn wrapups<'b>(&mut self, conv: &str, parts: &[Part<'b>], received: Ts, out: &mut Out<'_, 'b>) {
        for p in parts {
            let Some(user) = p.obj.str("userId") else {
                continue;
            };
            let Ok(user) = clean_id(user, "agent_id") else {
                continue;
            };
            let owes = p.ended() && p.obj.flag("wrapupRequired") == Some(true) && !p.wrapped_up();
            let m = self.users.entry(&user, UserMem::default);
            let had = m.wrapping.iter().any(|c| c.as_ref() == conv);
            if owes && !had && m.wrapping.len() < 64 {
                m.wrapping.push(conv.into());
            } else if !owes && had {
                m.wrapping.retain(|c| c.as_ref() != conv);
            } else {
                continue;
            }
            // Wrap-up starts when the participant ends and ends when
            // Genesys says it did, not when the notification arrives.
            let at = if owes {
                p.obj.ts("endTime")
            } else {
                p.wrapup_end().filter(|t| *t <= received)
            };
            self.send_user(user, at.unwrap_or(received), out);
        }
    }

    fn set_conv(
        &mut self,
        conv: &str,
        phase: Phase,
        queue: Option<Box<str>>,
        agent: Option<&str>,
        held: bool,
    ) {
        let m = self.convs.entry(conv, || ConvMem {
            phase,
            queue: None,
            agent: None,
            held,
        });
        m.phase = phase;
        if queue.is_some() || phase != Phase::Connected {
            m.queue = queue;
        }
        m.agent = agent.map(Into::into);
        m.held = held;
    }

    fn membership<'b>(
        &mut self,
        topic_queue: &str,
        body: &Obj<'b>,
        received: Ts,
        out: &mut Out<'_, 'b>,
    ) -> Result<(), RejectKind> {
        let user = match body.obj("user") {
            Some(u) => u.id("id", "agent_id")?,
            None => body.id("id", "agent_id")?,
        };
        let queue = match body.opt_id("queueId", "queue")? {
            Some(q) => q,
            None => clean_id(Cow::Owned(topic_queue.to_owned()), "queue")?,
        };
        let joined = body.flag("joined").unwrap_or(true);
        let m = self.users.entry(&user, UserMem::default);
        let has = m.queues.iter().any(|q| q.as_ref() == queue.as_ref());
        if joined && !has && m.queues.len() < MAX_AGENT_QUEUES {
            m.queues.push(queue.as_ref().into());
        } else if !joined && has {
            m.queues.retain(|q| q.as_ref() != queue.as_ref());
        }
        self.send_user(user, received, out);
        Ok(())
    }

    fn user<'b>(
        &mut self,
        topic_user: &str,
        kind: &str,
        body: &Obj<'b>,
        received: Ts,
        out: &mut Out<'_, 'b>,
    ) -> Result<(), RejectKind> {
        let user = clean_id(Cow::Owned(topic_user.to_owned()), "agent_id")?;
        let (presence, routing) = match kind {
            "presence" => (Some(body.clone()), None),
            "routingStatus" => (None, body.obj("routingStatus")),
            _ => (body.obj("presence"), body.obj("routingStatus")),
        };
        let mut at = received;
        let m = self.users.entry(&user, UserMem::default);
        if let Some(p) = presence {
            if let Some(name) = p
                .obj("presenceDefinition")
                .and_then(|d| d.name("systemPresence"))
            {
                m.presence = Some(name.as_ref().into());
            }
            at = p.ts("modifiedDate").unwrap_or(at);
        }
        if let Some(r) = routing {
            if let Some(s) = r.name("status") {
                m.routing = Some(s.as_ref().into());
            }
            at = r.ts("startTime").unwrap_or(at);
        }
        if let Some(ids) = body.arr("activeQueueIds") {
            m.queues = ids
                .into_iter()
                .take(MAX_AGENT_QUEUES)
                .filter_map(crate::protocol::raw_str)
                .filter_map(|q| clean_id(q, "queue").ok())
                .map(|q| q.as_ref().into())
                .collect();
        }
        self.send_user(Cow::Owned(user.into_owned()), at, out);
        Ok(())
    }

    fn send_user<'b>(&mut self, user: Cow<'b, str>, ts: Ts, out: &mut Out<'_, 'b>) {
        let m = self.users.entry(&user, UserMem::default);
        let (state, reason) = m.state();
        let now = Sent {
            state,
            reason,
            name: None,
            queues: m.queues.clone(),
        };
        // Presence and routing events do not list queues: an empty list
        // means "not told", not "serves none".
        self.sent.send(user, now, EmptyQueues::Omit, ts, out);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn state(presence: &str, routing: &str) -> (AgentState, Option<Box<str>>) {
        let user = UserMem {
            presence: Some(presence.into()),
            routing: Some(routing.into()),
            ..UserMem::default()
        };
        user.state()
    }

    #[test]
    fn off_queue_takes_its_reason_from_a_presence_that_says_one() {
        assert_eq!(
            state("Break", "OFF_QUEUE"),
            (AgentState::Away, Some("Break".into()))
        );
        // Logged in but off queue: away, with no reason named "Available".
        assert_eq!(state("Available", "OFF_QUEUE"), (AgentState::Away, None));
        assert_eq!(state("On Queue", "IDLE"), (AgentState::Available, None));
    }
}
