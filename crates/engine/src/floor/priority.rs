//! Contact priority (feed-v1 `priority`): kept on each contact, and read
//! per queue on demand (the details pane, the snapshot): who waits at which
//! priority, and the high-priority contact waiting longest.
//!
//! A higher number is more urgent and 0 is the default, as in Twilio
//! TaskRouter and Genesys Cloud (whose priorities may be negative: less
//! urgent than the default). "High" is any priority above the default
//! (docs/protocol.md, "Priority").

use super::{Floor, QueueIdx};
use crate::protocol::Priority;
use crate::time::Millis;

/// The lowest priority counted as high: anything above the default 0.
pub const HIGH_PRIORITY: i32 = 1;

/// The contacts waiting in a queue at one priority.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PriorityWaiting {
    pub priority: i32,
    pub waiting: u32,
    /// The longest current wait at this priority.
    pub longest: Millis,
}

/// The high-priority contact that has waited longest in a queue.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct HighPriorityWait<'f> {
    pub contact: &'f str,
    pub priority: i32,
    pub wait: Millis,
}

impl Floor {
    /// After a `contact.queued` was applied: a usable priority replaces the
    /// contact's; an absent one leaves it; an unusable one is counted and
    /// leaves it too.
    pub(super) fn note_priority(&mut self, id: &str, p: Priority) {
        match p {
            Priority::Absent => {}
            Priority::Invalid => self.counts.priority_ignored += 1,
            Priority::Given(p) => {
                if let Some(key) = self.known_contact(id)
                    && let Some(c) = self.contacts.get_mut(key)
                {
                    c.priority = p;
                }
            }
        }
    }

    /// A queue's waiting contacts by priority, the highest priority first.
    /// Empty when nobody waits.
    pub fn waiting_by_priority(&self, q: QueueIdx) -> Vec<PriorityWaiting> {
        let mut out: Vec<PriorityWaiting> = Vec::new();
        for w in self.waiting_in(q) {
            match out.iter_mut().find(|p| p.priority == w.priority) {
                Some(p) => {
                    p.waiting += 1;
                    p.longest = p.longest.max(w.wait);
                }
                None => out.push(PriorityWaiting {
                    priority: w.priority,
                    waiting: 1,
                    longest: w.wait,
                }),
            }
        }
        out.sort_by_key(|p| std::cmp::Reverse(p.priority));
        out
    }

    /// The contact of priority [`HIGH_PRIORITY`] or more that has waited
    /// longest in `q` (ties: the higher priority, then the smaller id), or
    /// `None` when no high-priority contact waits.
    pub fn longest_high_priority(&self, q: QueueIdx) -> Option<HighPriorityWait<'_>> {
        self.waiting_in(q)
            .into_iter()
            .filter(|w| w.priority >= HIGH_PRIORITY)
            .max_by(|a, b| {
                (a.wait, a.priority)
                    .cmp(&(b.wait, b.priority))
                    .then(b.id.cmp(a.id))
            })
            .map(|w| HighPriorityWait {
                contact: w.id,
                priority: w.priority,
                wait: w.wait,
            })
    }
}

#[cfg(test)]
mod tests {
    use crate::floor::PriorityWaiting;
    use crate::time::Ts;

    use crate::floor::floor_of as floor;

    fn pw(priority: i32, waiting: u32, longest: i64) -> PriorityWaiting {
        PriorityWaiting {
            priority,
            waiting,
            longest,
        }
    }

    #[test]
    fn waiting_by_priority_and_the_longest_high_priority_wait() {
        let mut f = floor(&[
            r#"{"type":"contact.queued","ts":10000,"contact_id":"n1","queue":"q"}"#,
            r#"{"type":"contact.queued","ts":20000,"contact_id":"h1","queue":"q","priority":5}"#,
            r#"{"type":"contact.queued","ts":30000,"contact_id":"h2","queue":"q","priority":9}"#,
            r#"{"type":"contact.queued","ts":40000,"contact_id":"n2","queue":"q","priority":0}"#,
            r#"{"type":"contact.queued","ts":50000,"contact_id":"h3","queue":"q","priority":5}"#,
            // Below the default (Genesys Cloud allows it): not high.
            r#"{"type":"contact.queued","ts":5000,"contact_id":"l1","queue":"q","priority":-3}"#,
        ]);
        f.advance(Ts(70_000));
        let q = f.queue_index("q").expect("q");
        assert_eq!(
            f.waiting_by_priority(q),
            [
                pw(9, 1, 40_000),
                pw(5, 2, 50_000),
                pw(0, 2, 60_000),
                pw(-3, 1, 65_000)
            ]
        );
        let high = f.longest_high_priority(q).expect("a high-priority wait");
        assert_eq!((high.contact, high.priority, high.wait), ("h1", 5, 50_000));
    }

    #[test]
    fn nobody_high_is_none_and_a_bad_priority_is_counted_not_refused() {
        let mut f = floor(&[
            r#"{"type":"contact.queued","ts":10000,"contact_id":"a","queue":"q","priority":-2147483649}"#,
            r#"{"type":"contact.queued","ts":10000,"contact_id":"b","queue":"q","priority":"7"}"#,
            r#"{"type":"contact.queued","ts":10000,"contact_id":"c","queue":"q","priority":2147483648}"#,
            r#"{"type":"contact.queued","ts":10000,"contact_id":"d","queue":"q","priority":1e400}"#,
            r#"{"type":"contact.queued","ts":10000,"contact_id":"e","queue":"q","priority":{"x":1}}"#,
            r#"{"type":"contact.queued","ts":10000,"contact_id":"f","queue":"q","priority":null}"#,
        ]);
        f.advance(Ts(20_000));
        let q = f.queue_index("q").expect("q");
        // Every contact waits, at the default priority.
        assert_eq!(f.waiting_by_priority(q), [pw(0, 6, 10_000)]);
        assert_eq!(f.longest_high_priority(q), None);
        assert_eq!(f.counts().priority_ignored, 5);
        assert_eq!(f.counts().rejected, 0);
    }

    #[test]
    fn a_requeue_without_priority_keeps_it_and_one_with_replaces_it() {
        let mut f = floor(&[
            r#"{"type":"contact.queued","ts":1000,"contact_id":"c","queue":"a","priority":3}"#,
            r#"{"type":"contact.queued","ts":2000,"contact_id":"c","queue":"b"}"#,
            r#"{"type":"contact.queued","ts":1000,"contact_id":"d","queue":"b","priority":4}"#,
            r#"{"type":"contact.queued","ts":3000,"contact_id":"d","queue":"b","priority":0}"#,
        ]);
        f.advance(Ts(5_000));
        let b = f.queue_index("b").expect("b");
        assert_eq!(f.waiting_by_priority(b), [pw(3, 1, 3_000), pw(0, 1, 2_000)]);
    }
}
