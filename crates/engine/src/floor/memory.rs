//! Bounded memories: customers' recent contact starts (for FCR) and the ids
//! of contacts that have finished (so a late or repeated event for one is
//! ignored instead of counted twice).

use std::hash::BuildHasher;

use foldhash::fast::RandomState;

use super::chunked::Chunked;
use super::layered::Layered;
use super::live::LastSegment;
use crate::time::{Millis, Ts};

/// When each customer last started a contact, forgotten after the repeat
/// window (and capped in number). Customers are kept by a 64-bit hash of
/// their id, as finished contacts are: no allocation per customer, and a
/// floor sees hundreds of thousands a day.
#[derive(Clone, Debug)]
pub struct Customers {
    last_start: Layered<Ts>,
    hasher: RandomState,
    repeat_window: Millis,
    cap: usize,
    next_prune: Ts,
    /// Customers not remembered because the cap was reached.
    pub untracked: u64,
}

impl Customers {
    /// Heap bytes held, roughly (for the rewind history's bound).
    pub(super) fn heap_bytes(&self) -> usize {
        // Keyed by a hash of the id: nothing beyond the table itself.
        self.last_start.heap_bytes()
    }

    /// Heap bytes shared with `other` (a copy).
    pub(super) fn shared_bytes(&self, other: &Customers) -> usize {
        self.last_start.shared_bytes(&other.last_start)
    }

    pub fn new(repeat_window: Millis, cap: usize) -> Self {
        Customers {
            last_start: Layered::default(),
            hasher: RandomState::default(),
            repeat_window,
            cap,
            next_prune: Ts(i64::MIN),
            untracked: 0,
        }
    }

    /// Records that `customer` started a contact at `start`; returns whether
    /// that makes it a repeat (another start in `[start - window, start]`).
    pub fn started(&mut self, customer: &str, start: Ts) -> bool {
        let customer = self.hasher.hash_one(customer);
        if let Some(last) = self.last_start.get_mut(&customer) {
            let repeat = *last <= start && start.since(*last) <= self.repeat_window;
            *last = (*last).max(start);
            return repeat;
        }
        if self.last_start.len() >= self.cap {
            self.untracked += 1;
        } else {
            self.last_start.insert(customer, start);
        }
        false
    }

    /// Forgets customers whose last start can no longer make anything a
    /// repeat. A full sweep is costly, so it runs at most once per eighth of
    /// the repeat window (and at least hourly) of feed time; the cap bounds
    /// memory in between.
    pub fn prune(&mut self, now: Ts) {
        if now < self.next_prune {
            return;
        }
        self.next_prune = now.plus((self.repeat_window / 8).clamp(60_000, 3_600_000));
        let horizon = now.minus(self.repeat_window);
        self.last_start.retain(|_, last| *last >= horizon);
    }

    #[cfg(test)]
    pub fn len(&self) -> usize {
        self.last_start.len()
    }
}

/// The most recent finished contact ids (by hash), with when they finished
/// and where their last segment was (a survey arriving minutes after the
/// end belongs there). At most `cap` (config `limits`) are kept, oldest
/// forgotten first: about 24 bytes each.
#[derive(Clone, Debug)]
pub struct Finished {
    ended: Layered<(Ts, Option<LastSegment>)>,
    order: Chunked<u64>,
    hasher: RandomState,
    cap: usize,
}

impl Finished {
    /// Heap bytes held, roughly (for the rewind history's bound).
    pub(super) fn heap_bytes(&self) -> usize {
        self.ended.heap_bytes() + self.order.heap_bytes()
    }

    /// Heap bytes shared with `other` (a copy).
    pub(super) fn shared_bytes(&self, other: &Finished) -> usize {
        self.ended.shared_bytes(&other.ended) + self.order.shared_bytes(&other.order)
    }

    pub fn new(cap: usize) -> Self {
        Finished {
            ended: Layered::default(),
            order: Chunked::default(),
            hasher: RandomState::default(),
            cap: cap.max(1),
        }
    }

    pub fn insert(&mut self, id: &str, at: Ts) {
        self.insert_with(id, at, None);
    }

    pub fn insert_with(&mut self, id: &str, at: Ts, last: Option<LastSegment>) {
        let h = self.hasher.hash_one(id);
        if self.ended.insert(h, (at, last)).is_none() {
            self.order.push_back(h);
            while self.order.len() > self.cap {
                if let Some(old) = self.order.pop_front() {
                    self.ended.remove(&old);
                }
            }
        }
    }

    /// When the contact finished, if it is one we remember.
    pub fn ended_at(&self, id: &str) -> Option<Ts> {
        self.ended.get(&self.hasher.hash_one(id)).map(|e| e.0)
    }

    /// The last segment of a finished contact we remember: `None` when we
    /// do not remember it, `Some(None)` when it had no segment.
    pub fn last_segment(&self, id: &str) -> Option<Option<LastSegment>> {
        self.ended.get(&self.hasher.hash_one(id)).map(|e| e.1)
    }

    pub fn contains(&self, id: &str) -> bool {
        self.ended_at(id).is_some()
    }

    /// A new contact reuses the id: it is live again. (Its place in the
    /// eviction order stays behind, harmlessly: evicting a forgotten hash
    /// removes nothing, or a later finish of the same id a little early.)
    pub fn forget(&mut self, id: &str) {
        self.ended.remove(&self.hasher.hash_one(id));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn repeat_within_window_only() {
        let mut c = Customers::new(1_000, 10);
        assert!(!c.started("cus", Ts(0)));
        assert!(c.started("cus", Ts(1_000)));
        assert!(!c.started("cus", Ts(2_001)));
        assert!(!c.started("other", Ts(2_001)));
    }

    #[test]
    fn prune_and_cap_bound_memory() {
        let mut c = Customers::new(1_000, 2);
        c.started("a", Ts(0));
        c.started("b", Ts(0));
        c.started("c", Ts(0));
        assert_eq!((c.len(), c.untracked), (2, 1));
        c.prune(Ts(5_000));
        assert_eq!(c.len(), 0);
    }

    #[test]
    fn finished_ids_are_bounded() {
        let mut f = Finished::new(2);
        f.insert("x", Ts(1));
        f.insert("y", Ts(2));
        f.insert("z", Ts(3));
        assert_eq!(f.ended_at("z"), Some(Ts(3)));
        assert!(!f.contains("x"));
        assert!(f.contains("y") && f.contains("z"));
        f.forget("z");
        assert!(!f.contains("z"));
    }
}
