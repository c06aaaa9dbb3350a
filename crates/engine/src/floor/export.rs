//! The live state written out as a feed-v1 `snapshot` body: who waits
//! where, and who does what. A relay publishes it so that a reader joining
//! late (or after the relay restarted) can rebuild the live state; applying
//! it to a floor that already holds the same state changes nothing.

use std::borrow::Cow;

use super::Floor;
use super::live::{Contact, Phase};
use crate::protocol::{FloorSnapshot, Priority, SnapAgent, SnapContact, SnapQueue, SnapWaiting};

impl Floor {
    /// The live state as a `snapshot` event's body, queues and agents in
    /// the order the floor first saw them.
    pub fn live_snapshot(&self) -> FloorSnapshot<'_> {
        let queues = self
            .queues
            .iter()
            .map(|q| SnapQueue {
                queue: Cow::Borrowed(&q.id),
                name: q.feed_name.as_deref().map(Cow::Borrowed),
                waiting: q
                    .waiting
                    .iter()
                    .filter_map(|(since, key)| {
                        let c = self.contacts.get(*key)?;
                        Some(SnapWaiting {
                            contact: Cow::Borrowed(&c.id),
                            since: *since,
                            channel: c.channel.as_ref().map(|ch| Cow::Borrowed(ch.as_str())),
                            first_queued: c.first_queued,
                            priority: match c.priority {
                                0 => Priority::Absent,
                                p => Priority::Given(p),
                            },
                        })
                    })
                    .collect(),
            })
            .collect();
        let agents = self
            .agents
            .iter()
            .filter(|a| a.present)
            .map(|a| {
                // The snapshot's `since` is when the agent's own state
                // began. While on a contact the floor shows the contact's
                // time instead; the latest time that state was shown is the
                // best we know.
                let own = super::live::DisplayState::from(a.state);
                let since = if a.contacts.is_empty() {
                    a.shown_since
                } else {
                    a.history
                        .iter()
                        .rev()
                        .find(|(_, shown)| *shown == own)
                        .map_or(a.shown_since, |(at, _)| at)
                };
                SnapAgent {
                    agent: Cow::Borrowed(&a.id),
                    name: a.name.as_deref().map(Cow::Borrowed),
                    state: a.state,
                    since,
                    queues: Some(
                        a.queues
                            .iter()
                            .map(|q| Cow::Borrowed(&*self.queues[q.0 as usize].id))
                            .collect(),
                    ),
                    reason: a.reason.as_deref().map(Cow::Borrowed),
                    contacts: a
                        .contacts
                        .iter()
                        .filter_map(|key| self.contacts.get(*key))
                        .filter_map(|c| self.snap_contact(c))
                        .collect(),
                }
            })
            .collect();
        FloorSnapshot { queues, agents }
    }

    fn snap_contact<'f>(&'f self, c: &'f Contact) -> Option<SnapContact<'f>> {
        match &c.phase {
            Phase::Connected {
                queue,
                answered,
                hold_since,
                ..
            } => Some(SnapContact {
                contact: Cow::Borrowed(&c.id),
                since: *answered,
                queue: queue.map(|q| Cow::Borrowed(&*self.queues[q.0 as usize].id)),
                on_hold: hold_since.is_some(),
            }),
            Phase::Waiting { .. } => None,
        }
    }
}
