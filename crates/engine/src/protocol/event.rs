//! The typed events of docs/protocol.md. Strings borrow from the frame when they can
//! (`Cow`), and have already been sanitized and length-checked.

use std::borrow::Cow;

use crate::time::{Millis, Ts};

pub type Str<'a> = Cow<'a, str>;

/// One event, as decoded from a frame.
#[derive(Clone, Debug, PartialEq)]
pub struct Event<'a> {
    pub ts: Ts,
    pub seq: Option<u64>,
    pub kind: EventKind<'a>,
}

#[derive(Clone, Debug, PartialEq)]
pub enum EventKind<'a> {
    /// `contact.queued`: a wait starts (a first contact, a transfer or a re-queue).
    Queued {
        contact: Str<'a>,
        queue: Str<'a>,
        channel: Option<Str<'a>>,
        customer: Option<Str<'a>>,
        priority: Priority,
    },
    /// `contact.answered`: the wait ends, `agent` is connected.
    Answered { contact: Str<'a>, agent: Str<'a> },
    /// `contact.first_response`: the first reply by an agent.
    FirstResponse {
        contact: Str<'a>,
        agent: Option<Str<'a>>,
    },
    /// `contact.abandoned`: the customer left while waiting.
    Abandoned { contact: Str<'a> },
    /// `contact.hold`
    Hold { contact: Str<'a> },
    /// `contact.resumed`
    Resumed { contact: Str<'a> },
    /// `contact.ended`
    Ended {
        contact: Str<'a>,
        resolved: Option<bool>,
    },
    /// `contact.message`: one turn of a conversation.
    Message {
        contact: Str<'a>,
        from: Sender,
        agent: Option<Str<'a>>,
    },
    /// `contact.survey`: the customer's answers, each already range-checked.
    Survey {
        contact: Str<'a>,
        csat: Option<Csat>,
        nps: Option<Nps>,
    },
    /// `agent.state`
    AgentState {
        agent: Str<'a>,
        state: AgentState,
        name: Option<Str<'a>>,
        queues: Option<Vec<Str<'a>>>,
        reason: Option<Str<'a>>,
    },
    /// `queue.info`
    QueueInfo {
        queue: Str<'a>,
        name: Option<Str<'a>>,
        sl_threshold: Option<Millis>,
    },
    /// `heartbeat`: liveness and a clock sample, nothing else.
    Heartbeat,
    /// `snapshot`: the whole live state, replacing ours.
    Snapshot(Box<FloorSnapshot<'a>>),
}

impl EventKind<'_> {
    /// The feed-v1 `type` string of this event.
    pub fn type_name(&self) -> &'static str {
        match self {
            EventKind::Queued { .. } => "contact.queued",
            EventKind::Answered { .. } => "contact.answered",
            EventKind::FirstResponse { .. } => "contact.first_response",
            EventKind::Abandoned { .. } => "contact.abandoned",
            EventKind::Hold { .. } => "contact.hold",
            EventKind::Resumed { .. } => "contact.resumed",
            EventKind::Ended { .. } => "contact.ended",
            EventKind::Message { .. } => "contact.message",
            EventKind::Survey { .. } => "contact.survey",
            EventKind::AgentState { .. } => "agent.state",
            EventKind::QueueInfo { .. } => "queue.info",
            EventKind::Heartbeat => "heartbeat",
            EventKind::Snapshot(_) => "snapshot",
        }
    }
}

/// Who wrote a `contact.message`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Sender {
    Customer,
    Agent,
}

impl Sender {
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "customer" => Some(Sender::Customer),
            "agent" => Some(Sender::Agent),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Sender::Customer => "customer",
            Sender::Agent => "agent",
        }
    }
}

/// A contact's `priority` as the event gave it: a 32-bit signed integer
/// (Twilio TaskRouter's go to 2^31 - 1, Genesys Cloud's below 0), a higher
/// number more urgent, 0 the default. A value that is not such an integer
/// does not cost the event (the contact still waits): it is `Invalid`,
/// counted, and the contact keeps the priority it had.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum Priority {
    /// Not sent (or `null`).
    #[default]
    Absent,
    Given(i32),
    Invalid,
}

impl Priority {
    /// The value, if the event gave a usable one.
    pub fn value(self) -> Option<i32> {
        match self {
            Priority::Given(p) => Some(p),
            _ => None,
        }
    }
}

/// A CSAT answer: only 1 to 5 can be built.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Csat(u8);

impl Csat {
    pub fn new(v: i64) -> Option<Self> {
        (1..=5).contains(&v).then_some(Csat(v as u8))
    }
    pub fn get(self) -> u8 {
        self.0
    }
}

/// An NPS answer: only 0 to 10 can be built.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Nps(u8);

impl Nps {
    pub fn new(v: i64) -> Option<Self> {
        (0..=10).contains(&v).then_some(Nps(v as u8))
    }
    pub fn get(self) -> u8 {
        self.0
    }
}

/// The states an `agent.state` event may set.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum AgentState {
    Available,
    Busy,
    WrapUp,
    Away,
    Offline,
}

impl AgentState {
    pub const ALL: [AgentState; 5] = [
        AgentState::Available,
        AgentState::Busy,
        AgentState::WrapUp,
        AgentState::Away,
        AgentState::Offline,
    ];

    pub fn parse(s: &str) -> Option<Self> {
        Some(match s {
            "available" => AgentState::Available,
            "busy" => AgentState::Busy,
            "wrap_up" => AgentState::WrapUp,
            "away" => AgentState::Away,
            "offline" => AgentState::Offline,
            _ => return None,
        })
    }

    pub fn as_str(self) -> &'static str {
        match self {
            AgentState::Available => "available",
            AgentState::Busy => "busy",
            AgentState::WrapUp => "wrap_up",
            AgentState::Away => "away",
            AgentState::Offline => "offline",
        }
    }
}

/// The `snapshot` event's body.
#[derive(Clone, Debug, PartialEq, Default)]
pub struct FloorSnapshot<'a> {
    pub queues: Vec<SnapQueue<'a>>,
    pub agents: Vec<SnapAgent<'a>>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct SnapQueue<'a> {
    pub queue: Str<'a>,
    pub name: Option<Str<'a>>,
    pub waiting: Vec<SnapWaiting<'a>>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct SnapWaiting<'a> {
    pub contact: Str<'a>,
    pub since: Ts,
    pub channel: Option<Str<'a>>,
    pub first_queued: Option<Ts>,
    pub priority: Priority,
}

#[derive(Clone, Debug, PartialEq)]
pub struct SnapAgent<'a> {
    pub agent: Str<'a>,
    pub name: Option<Str<'a>>,
    pub state: AgentState,
    pub since: Ts,
    pub queues: Option<Vec<Str<'a>>>,
    pub reason: Option<Str<'a>>,
    pub contacts: Vec<SnapContact<'a>>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct SnapContact<'a> {
    pub contact: Str<'a>,
    pub since: Ts,
    pub queue: Option<Str<'a>>,
    pub on_hold: bool,
}

impl Event<'_> {
    /// Detaches the event from the frame it was decoded from.
    pub fn into_owned(self) -> Event<'static> {
        Event {
            ts: self.ts,
            seq: self.seq,
            kind: self.kind.into_owned(),
        }
    }
}

fn own(s: Str<'_>) -> Str<'static> {
    Cow::Owned(s.into_owned())
}

fn own_opt(s: Option<Str<'_>>) -> Option<Str<'static>> {
    s.map(own)
}

fn own_list(v: Option<Vec<Str<'_>>>) -> Option<Vec<Str<'static>>> {
    v.map(|v| v.into_iter().map(own).collect())
}

impl EventKind<'_> {
    pub fn into_owned(self) -> EventKind<'static> {
        match self {
            EventKind::Queued {
                contact,
                queue,
                channel,
                customer,
                priority,
            } => EventKind::Queued {
                contact: own(contact),
                queue: own(queue),
                channel: own_opt(channel),
                customer: own_opt(customer),
                priority,
            },
            EventKind::Answered { contact, agent } => EventKind::Answered {
                contact: own(contact),
                agent: own(agent),
            },
            EventKind::FirstResponse { contact, agent } => EventKind::FirstResponse {
                contact: own(contact),
                agent: own_opt(agent),
            },
            EventKind::Abandoned { contact } => EventKind::Abandoned {
                contact: own(contact),
            },
            EventKind::Hold { contact } => EventKind::Hold {
                contact: own(contact),
            },
            EventKind::Resumed { contact } => EventKind::Resumed {
                contact: own(contact),
            },
            EventKind::Ended { contact, resolved } => EventKind::Ended {
                contact: own(contact),
                resolved,
            },
            EventKind::Message {
                contact,
                from,
                agent,
            } => EventKind::Message {
                contact: own(contact),
                from,
                agent: own_opt(agent),
            },
            EventKind::Survey { contact, csat, nps } => EventKind::Survey {
                contact: own(contact),
                csat,
                nps,
            },
            EventKind::AgentState {
                agent,
                state,
                name,
                queues,
                reason,
            } => EventKind::AgentState {
                agent: own(agent),
                state,
                name: own_opt(name),
                queues: own_list(queues),
                reason: own_opt(reason),
            },
            EventKind::QueueInfo {
                queue,
                name,
                sl_threshold,
            } => EventKind::QueueInfo {
                queue: own(queue),
                name: own_opt(name),
                sl_threshold,
            },
            EventKind::Heartbeat => EventKind::Heartbeat,
            EventKind::Snapshot(s) => EventKind::Snapshot(Box::new(FloorSnapshot {
                queues: s
                    .queues
                    .into_iter()
                    .map(|q| SnapQueue {
                        queue: own(q.queue),
                        name: own_opt(q.name),
                        waiting: q
                            .waiting
                            .into_iter()
                            .map(|w| SnapWaiting {
                                contact: own(w.contact),
                                since: w.since,
                                channel: own_opt(w.channel),
                                first_queued: w.first_queued,
                                priority: w.priority,
                            })
                            .collect(),
                    })
                    .collect(),
                agents: s
                    .agents
                    .into_iter()
                    .map(|a| SnapAgent {
                        agent: own(a.agent),
                        name: own_opt(a.name),
                        state: a.state,
                        since: a.since,
                        queues: own_list(a.queues),
                        reason: own_opt(a.reason),
                        contacts: a
                            .contacts
                            .into_iter()
                            .map(|c| SnapContact {
                                contact: own(c.contact),
                                since: c.since,
                                queue: own_opt(c.queue),
                                on_hold: c.on_hold,
                            })
                            .collect(),
                    })
                    .collect(),
            })),
        }
    }
}
