//! Moves a decoded event into a site: every id it names (contact, queue,
//! agent, customer, and those inside a snapshot) gets the site's prefix.
//! Names, channels and reasons are shown as they are.

use std::borrow::Cow;

use crate::protocol::{
    Event, EventKind, FloorSnapshot, SnapAgent, SnapContact, SnapQueue, SnapWaiting, Str,
};

fn id(prefix: &str, s: &Str<'_>) -> Str<'static> {
    let mut out = String::with_capacity(prefix.len() + s.len());
    out.push_str(prefix);
    out.push_str(s);
    Cow::Owned(out)
}

fn opt(prefix: &str, s: &Option<Str<'_>>) -> Option<Str<'static>> {
    s.as_ref().map(|s| id(prefix, s))
}

fn keep(s: &Option<Str<'_>>) -> Option<Str<'static>> {
    s.as_ref().map(|s| Cow::Owned(s.to_string()))
}

/// The event with every id under `prefix` (a [`super::SiteName::prefix`])
/// and no `seq`: a site's numbering is its own, checked before the floor.
pub fn into_site(ev: &Event<'_>, prefix: &str) -> Event<'static> {
    let p = prefix;
    let kind = match &ev.kind {
        EventKind::Queued {
            contact,
            queue,
            channel,
            customer,
            priority,
        } => EventKind::Queued {
            contact: id(p, contact),
            queue: id(p, queue),
            channel: keep(channel),
            customer: opt(p, customer),
            priority: *priority,
        },
        EventKind::Answered { contact, agent } => EventKind::Answered {
            contact: id(p, contact),
            agent: id(p, agent),
        },
        EventKind::FirstResponse { contact, agent } => EventKind::FirstResponse {
            contact: id(p, contact),
            agent: opt(p, agent),
        },
        EventKind::Abandoned { contact } => EventKind::Abandoned {
            contact: id(p, contact),
        },
        EventKind::Hold { contact } => EventKind::Hold {
            contact: id(p, contact),
        },
        EventKind::Resumed { contact } => EventKind::Resumed {
            contact: id(p, contact),
        },
        EventKind::Ended { contact, resolved } => EventKind::Ended {
            contact: id(p, contact),
            resolved: *resolved,
        },
        EventKind::Message {
            contact,
            from,
            agent,
        } => EventKind::Message {
            contact: id(p, contact),
            from: *from,
            agent: opt(p, agent),
        },
        EventKind::Survey { contact, csat, nps } => EventKind::Survey {
            contact: id(p, contact),
            csat: *csat,
            nps: *nps,
        },
        EventKind::AgentState {
            agent,
            state,
            name,
            queues,
            reason,
        } => EventKind::AgentState {
            agent: id(p, agent),
            state: *state,
            name: keep(name),
            queues: queues
                .as_ref()
                .map(|l| l.iter().map(|q| id(p, q)).collect()),
            reason: keep(reason),
        },
        EventKind::QueueInfo {
            queue,
            name,
            sl_threshold,
        } => EventKind::QueueInfo {
            queue: id(p, queue),
            name: keep(name),
            sl_threshold: *sl_threshold,
        },
        EventKind::Heartbeat => EventKind::Heartbeat,
        EventKind::Snapshot(s) => EventKind::Snapshot(Box::new(snapshot(p, s))),
    };
    Event {
        ts: ev.ts,
        seq: None,
        kind,
    }
}

fn snapshot(p: &str, s: &FloorSnapshot<'_>) -> FloorSnapshot<'static> {
    FloorSnapshot {
        queues: s
            .queues
            .iter()
            .map(|q| SnapQueue {
                queue: id(p, &q.queue),
                name: keep(&q.name),
                waiting: q
                    .waiting
                    .iter()
                    .map(|w| SnapWaiting {
                        contact: id(p, &w.contact),
                        since: w.since,
                        channel: keep(&w.channel),
                        first_queued: w.first_queued,
                        priority: w.priority,
                    })
                    .collect(),
            })
            .collect(),
        agents: s
            .agents
            .iter()
            .map(|a| SnapAgent {
                agent: id(p, &a.agent),
                name: keep(&a.name),
                state: a.state,
                since: a.since,
                queues: a
                    .queues
                    .as_ref()
                    .map(|l| l.iter().map(|q| id(p, q)).collect()),
                reason: keep(&a.reason),
                contacts: a
                    .contacts
                    .iter()
                    .map(|c| SnapContact {
                        contact: id(p, &c.contact),
                        since: c.since,
                        queue: opt(p, &c.queue),
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
    use crate::protocol::AgentState;
    use crate::time::Ts;

    #[test]
    fn every_id_is_prefixed_and_the_seq_dropped() {
        let ev = Event {
            ts: Ts(5),
            seq: Some(9),
            kind: EventKind::AgentState {
                agent: "a1".into(),
                state: AgentState::Available,
                name: Some("Ana".into()),
                queues: Some(vec!["billing".into(), "sales".into()]),
                reason: None,
            },
        };
        let got = into_site(&ev, "paris/");
        assert_eq!(got.seq, None);
        assert_eq!(got.ts, Ts(5));
        match got.kind {
            EventKind::AgentState {
                agent,
                name,
                queues,
                ..
            } => {
                assert_eq!(agent, "paris/a1");
                assert_eq!(name.as_deref(), Some("Ana"));
                assert_eq!(queues.unwrap(), vec!["paris/billing", "paris/sales"]);
            }
            other => panic!("{other:?}"),
        }
    }
}
