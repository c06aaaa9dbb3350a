//! The simulated floor as a feed-v1 `snapshot` event: what a client that
//! connects now needs to show the floor as it is.

use super::contacts::{Phase, contact_id};
use super::roster::QUEUES;
use super::sim::Sim;
use queuetop_engine::protocol::{
    AgentState, Event, EventKind, FloorSnapshot, SnapAgent, SnapContact, SnapQueue, SnapWaiting,
};
use queuetop_engine::time::{Millis, Ts};

impl Sim {
    /// A `snapshot` event of the floor as of [`Sim::now`]: who waits where
    /// since when, which agent holds which contacts since when (on hold or
    /// not), and every agent's state with its start, reason and queues. It
    /// carries no `seq`: it is not part of the numbered stream.
    pub fn snapshot_event(&self) -> Event<'static> {
        let queues = QUEUES
            .iter()
            .zip(&self.queues)
            .map(|(spec, state)| SnapQueue {
                queue: spec.id.into(),
                name: Some(spec.name.into()),
                waiting: state
                    .waiting
                    .iter()
                    .filter_map(|n| {
                        let c = self.contacts.get(n)?;
                        Some(SnapWaiting {
                            contact: contact_id(*n).into(),
                            since: c.wait_since,
                            channel: Some(c.medium.channel().into()),
                            first_queued: Some(c.first_queued),
                            priority: super::contacts::sent(c.priority),
                        })
                    })
                    .collect(),
            })
            .collect();
        let agents = self
            .agents
            .iter()
            .map(|a| SnapAgent {
                agent: a.spec.id.into(),
                name: Some(a.spec.name.into()),
                state: a.state,
                since: a.since,
                queues: Some(a.spec.queues.iter().map(|q| (*q).into()).collect()),
                reason: a
                    .reason
                    .filter(|_| a.state == AgentState::Away)
                    .map(Into::into),
                contacts: a
                    .contacts
                    .iter()
                    .filter_map(|n| {
                        let c = self.contacts.get(n)?;
                        let Phase::Connected {
                            answered, on_hold, ..
                        } = c.phase
                        else {
                            return None;
                        };
                        Some(SnapContact {
                            contact: contact_id(*n).into(),
                            since: answered,
                            queue: Some(QUEUES[c.queue].id.into()),
                            on_hold,
                        })
                    })
                    .collect(),
            })
            .collect();
        Event {
            ts: self.now,
            seq: None,
            kind: EventKind::Snapshot(Box::new(FloorSnapshot { queues, agents })),
        }
    }

    /// `queue.info` for every queue, as of `at` and without `seq`: a
    /// client that joins late learns each queue's service-level threshold.
    pub fn queue_info_events(&self, at: Ts) -> Vec<Event<'static>> {
        QUEUES
            .iter()
            .map(|q| Event {
                ts: at,
                seq: None,
                kind: EventKind::QueueInfo {
                    queue: q.id.into(),
                    name: Some(q.name.into()),
                    sl_threshold: Some(Millis::from(q.sl_threshold_s) * 1000),
                },
            })
            .collect()
    }

    /// What a client gets on connect: the snapshot first, then the queues'
    /// `queue.info`.
    pub fn hello(&self) -> Vec<Event<'static>> {
        let mut v = vec![self.snapshot_event()];
        v.extend(self.queue_info_events(self.now));
        v
    }
}
