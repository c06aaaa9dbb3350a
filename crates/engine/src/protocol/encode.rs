//! Writes events as feed-v1 JSON: the inverse of the decoder.
//!
//! Times are written as RFC 3339 (UTC, milliseconds when not zero), which
//! reads well in recordings; `seq` only when the event has one.

use serde::Serialize;

use crate::protocol::{Event, EventKind, FloorSnapshot};
use crate::time::{Millis, Ts};

/// One event as a feed-v1 JSON object, on one line.
pub fn encode(ev: &Event<'_>) -> String {
    // Serializing these plain structs cannot fail (no maps with non-string
    // keys, no custom serializers); an empty frame would be refused by any
    // client rather than misread.
    serde_json::to_string(&Wire::of(ev)).unwrap_or_default()
}

/// One event as [`encode`] writes it, numbered `seq` instead of its own
/// number (a relay numbers what it passes on per site).
pub fn encode_numbered(ev: &Event<'_>, seq: u64) -> String {
    let mut wire = Wire::of(ev);
    wire.seq = Some(seq);
    serde_json::to_string(&wire).unwrap_or_default()
}

#[derive(Serialize)]
struct Wire<'e> {
    #[serde(rename = "type")]
    ty: &'static str,
    ts: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    seq: Option<u64>,
    #[serde(flatten)]
    body: Body<'e>,
}

#[derive(Serialize)]
#[serde(untagged)]
enum Body<'e> {
    Queued {
        contact_id: &'e str,
        queue: &'e str,
        #[serde(skip_serializing_if = "Option::is_none")]
        channel: Option<&'e str>,
        #[serde(skip_serializing_if = "Option::is_none")]
        customer_id: Option<&'e str>,
        #[serde(skip_serializing_if = "Option::is_none")]
        priority: Option<i32>,
    },
    Answered {
        contact_id: &'e str,
        agent_id: &'e str,
    },
    FirstResponse {
        contact_id: &'e str,
        #[serde(skip_serializing_if = "Option::is_none")]
        agent_id: Option<&'e str>,
    },
    Contact {
        contact_id: &'e str,
    },
    Ended {
        contact_id: &'e str,
        #[serde(skip_serializing_if = "Option::is_none")]
        resolved: Option<bool>,
    },
    Message {
        contact_id: &'e str,
        from: &'static str,
        #[serde(skip_serializing_if = "Option::is_none")]
        agent_id: Option<&'e str>,
    },
    Survey {
        contact_id: &'e str,
        #[serde(skip_serializing_if = "Option::is_none")]
        csat: Option<u8>,
        #[serde(skip_serializing_if = "Option::is_none")]
        nps: Option<u8>,
    },
    Agent {
        agent_id: &'e str,
        state: &'static str,
        #[serde(skip_serializing_if = "Option::is_none")]
        name: Option<&'e str>,
        #[serde(skip_serializing_if = "Option::is_none")]
        queues: Option<Vec<&'e str>>,
        #[serde(skip_serializing_if = "Option::is_none")]
        reason: Option<&'e str>,
    },
    QueueInfo {
        queue: &'e str,
        #[serde(skip_serializing_if = "Option::is_none")]
        name: Option<&'e str>,
        #[serde(skip_serializing_if = "Option::is_none")]
        sl_threshold_s: Option<serde_json::Number>,
    },
    Snapshot {
        queues: Vec<WireQueue<'e>>,
        agents: Vec<WireAgent<'e>>,
    },
    Nothing {},
}

#[derive(Serialize)]
struct WireQueue<'e> {
    queue: &'e str,
    #[serde(skip_serializing_if = "Option::is_none")]
    name: Option<&'e str>,
    waiting: Vec<WireWaiting<'e>>,
}

#[derive(Serialize)]
struct WireWaiting<'e> {
    contact_id: &'e str,
    since: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    channel: Option<&'e str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    first_queued: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    priority: Option<i32>,
}

#[derive(Serialize)]
struct WireAgent<'e> {
    agent_id: &'e str,
    #[serde(skip_serializing_if = "Option::is_none")]
    name: Option<&'e str>,
    state: &'static str,
    since: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    queues: Option<Vec<&'e str>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    reason: Option<&'e str>,
    contacts: Vec<WireContact<'e>>,
}

#[derive(Serialize)]
struct WireContact<'e> {
    contact_id: &'e str,
    since: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    queue: Option<&'e str>,
    on_hold: bool,
}

fn time(ts: Ts) -> String {
    ts.to_string()
}

/// Whole seconds as an integer (`20`), else seconds with a fraction.
fn seconds(ms: Millis) -> serde_json::Number {
    if ms % 1000 == 0 {
        serde_json::Number::from(ms / 1000)
    } else {
        serde_json::Number::from_f64(ms as f64 / 1000.0).unwrap_or_else(|| 0.into())
    }
}

impl<'e> Wire<'e> {
    fn of(ev: &'e Event<'_>) -> Self {
        Wire {
            ty: ev.kind.type_name(),
            ts: time(ev.ts),
            seq: ev.seq,
            body: Body::of(&ev.kind),
        }
    }
}

impl<'e> Body<'e> {
    fn of(kind: &'e EventKind<'_>) -> Self {
        match kind {
            EventKind::Queued {
                contact,
                queue,
                channel,
                customer,
                priority,
            } => Body::Queued {
                contact_id: contact,
                queue,
                channel: channel.as_deref(),
                customer_id: customer.as_deref(),
                priority: priority.value(),
            },
            EventKind::Answered { contact, agent } => Body::Answered {
                contact_id: contact,
                agent_id: agent,
            },
            EventKind::FirstResponse { contact, agent } => Body::FirstResponse {
                contact_id: contact,
                agent_id: agent.as_deref(),
            },
            EventKind::Abandoned { contact }
            | EventKind::Hold { contact }
            | EventKind::Resumed { contact } => Body::Contact {
                contact_id: contact,
            },
            EventKind::Ended { contact, resolved } => Body::Ended {
                contact_id: contact,
                resolved: *resolved,
            },
            EventKind::Message {
                contact,
                from,
                agent,
            } => Body::Message {
                contact_id: contact,
                from: from.as_str(),
                agent_id: agent.as_deref(),
            },
            EventKind::Survey { contact, csat, nps } => Body::Survey {
                contact_id: contact,
                csat: csat.map(|c| c.get()),
                nps: nps.map(|n| n.get()),
            },
            EventKind::AgentState {
                agent,
                state,
                name,
                queues,
                reason,
            } => Body::Agent {
                agent_id: agent,
                state: state.as_str(),
                name: name.as_deref(),
                queues: queues
                    .as_ref()
                    .map(|v| v.iter().map(|q| q.as_ref()).collect()),
                reason: reason.as_deref(),
            },
            EventKind::QueueInfo {
                queue,
                name,
                sl_threshold,
            } => Body::QueueInfo {
                queue,
                name: name.as_deref(),
                sl_threshold_s: sl_threshold.map(seconds),
            },
            EventKind::Heartbeat => Body::Nothing {},
            EventKind::Snapshot(snap) => snapshot(snap),
        }
    }
}

fn snapshot<'e>(snap: &'e FloorSnapshot<'_>) -> Body<'e> {
    Body::Snapshot {
        queues: snap
            .queues
            .iter()
            .map(|q| WireQueue {
                queue: &q.queue,
                name: q.name.as_deref(),
                waiting: q
                    .waiting
                    .iter()
                    .map(|w| WireWaiting {
                        contact_id: &w.contact,
                        since: time(w.since),
                        channel: w.channel.as_deref(),
                        first_queued: w.first_queued.map(time),
                        priority: w.priority.value(),
                    })
                    .collect(),
            })
            .collect(),
        agents: snap
            .agents
            .iter()
            .map(|a| WireAgent {
                agent_id: &a.agent,
                name: a.name.as_deref(),
                state: a.state.as_str(),
                since: time(a.since),
                queues: a
                    .queues
                    .as_ref()
                    .map(|v| v.iter().map(|q| q.as_ref()).collect()),
                reason: a.reason.as_deref(),
                contacts: a
                    .contacts
                    .iter()
                    .map(|c| WireContact {
                        contact_id: &c.contact,
                        since: time(c.since),
                        queue: c.queue.as_deref(),
                        on_hold: c.on_hold,
                    })
                    .collect(),
            })
            .collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::protocol::{
        AgentState, Csat, Decoded, Nps, Priority, Sender, SnapAgent, SnapContact, SnapQueue,
        SnapWaiting, decode_frame,
    };

    fn round_trip(ev: Event<'static>) {
        let text = encode(&ev);
        let mut out = Vec::new();
        decode_frame(&text, |d| out.push(d));
        assert_eq!(out, vec![Decoded::Event(ev)], "{text}");
    }

    #[test]
    fn every_kind_decodes_back_to_itself() {
        let ts = Ts(1_795_424_403_250);
        let ev = |seq, kind| Event {
            ts,
            seq: Some(seq),
            kind,
        };
        round_trip(ev(
            1,
            EventKind::Queued {
                contact: "c1".into(),
                queue: "billing".into(),
                channel: Some("voice".into()),
                customer: Some("cus-1".into()),
                priority: Priority::Given(7),
            },
        ));
        round_trip(ev(
            2,
            EventKind::Answered {
                contact: "c1".into(),
                agent: "a7".into(),
            },
        ));
        round_trip(ev(
            3,
            EventKind::FirstResponse {
                contact: "c1".into(),
                agent: None,
            },
        ));
        round_trip(ev(
            4,
            EventKind::Hold {
                contact: "c1".into(),
            },
        ));
        round_trip(ev(
            5,
            EventKind::Resumed {
                contact: "c1".into(),
            },
        ));
        round_trip(ev(
            6,
            EventKind::Abandoned {
                contact: "c2".into(),
            },
        ));
        round_trip(ev(
            7,
            EventKind::Ended {
                contact: "c1".into(),
                resolved: Some(false),
            },
        ));
        round_trip(ev(
            7,
            EventKind::Message {
                contact: "ch1".into(),
                from: Sender::Customer,
                agent: None,
            },
        ));
        round_trip(ev(
            7,
            EventKind::Message {
                contact: "ch1".into(),
                from: Sender::Agent,
                agent: Some("a9".into()),
            },
        ));
        round_trip(ev(
            7,
            EventKind::Survey {
                contact: "c1".into(),
                csat: Csat::new(5),
                nps: Nps::new(0),
            },
        ));
        round_trip(ev(
            7,
            EventKind::Survey {
                contact: "c1".into(),
                csat: None,
                nps: Nps::new(10),
            },
        ));
        round_trip(ev(
            8,
            EventKind::AgentState {
                agent: "a7".into(),
                state: AgentState::Away,
                name: Some("Zoë Åberg \"Z\"".into()),
                queues: Some(vec!["billing".into(), "sales".into()]),
                reason: Some("lunch".into()),
            },
        ));
        round_trip(ev(
            9,
            EventKind::QueueInfo {
                queue: "billing".into(),
                name: Some("Billing".into()),
                sl_threshold: Some(20_500),
            },
        ));
        round_trip(ev(10, EventKind::Heartbeat));
        round_trip(Event {
            ts,
            seq: None,
            kind: EventKind::Snapshot(Box::new(FloorSnapshot {
                queues: vec![SnapQueue {
                    queue: "chat".into(),
                    name: Some("Chat Support".into()),
                    waiting: vec![SnapWaiting {
                        contact: "c9".into(),
                        since: Ts(1_795_424_400_000),
                        channel: Some("chat".into()),
                        first_queued: Some(Ts(1_795_424_300_000)),
                        priority: Priority::Given(2),
                    }],
                }],
                agents: vec![SnapAgent {
                    agent: "a1".into(),
                    name: None,
                    state: AgentState::Available,
                    since: ts,
                    queues: Some(vec!["chat".into()]),
                    reason: None,
                    contacts: vec![SnapContact {
                        contact: "c8".into(),
                        since: ts,
                        queue: Some("chat".into()),
                        on_hold: true,
                    }],
                }],
            })),
        });
    }

    #[test]
    fn shape_on_the_wire() {
        let ev = Event {
            ts: Ts(1_795_424_400_000),
            seq: Some(41),
            kind: EventKind::QueueInfo {
                queue: "billing".into(),
                name: Some("Billing".into()),
                sl_threshold: Some(20_000),
            },
        };
        assert_eq!(
            encode(&ev),
            r#"{"type":"queue.info","ts":"2026-11-23T09:00:00Z","seq":41,"queue":"billing","name":"Billing","sl_threshold_s":20}"#
        );
        let hb = Event {
            ts: Ts(1_795_424_400_250),
            seq: None,
            kind: EventKind::Heartbeat,
        };
        assert_eq!(
            encode(&hb),
            r#"{"type":"heartbeat","ts":"2026-11-23T09:00:00.250Z"}"#
        );
    }
}
