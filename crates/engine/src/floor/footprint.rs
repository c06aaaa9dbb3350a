//! How many bytes a floor holds, roughly: the rewind history keeps copies
//! of it and is bounded in bytes. Counted from the collections' capacities
//! and the ids' lengths; B-tree nodes and allocator rounding are estimated
//! (a test holds the estimate to what a copy really allocates). Parts kept
//! in chunks or bases shared between copies are counted whole by each copy; what
//! two copies share is told apart by [`Floor::approx_bytes_shared_with`].

use std::mem::size_of;

use super::Floor;
use super::occupancy::Occupancy;
use super::sample::Scopes;

/// A B-tree map of `len` entries: nodes of up to 11 entries, about two
/// thirds full, with their header.
pub(super) fn btree<K, V>(len: usize) -> usize {
    len * (size_of::<K>() + size_of::<V>()) * 3 / 2 + len * 8
}

/// A hash map with room for `cap` entries (a control byte each).
pub(super) fn map<K, V>(cap: usize) -> usize {
    cap * (size_of::<K>() + size_of::<V>() + 1)
}

pub(super) fn vec<T>(v: &Vec<T>) -> usize {
    v.capacity() * size_of::<T>()
}

/// One set of scopes' sums: (the vectors and histograms, the longest waits).
pub(super) fn scopes(s: &Scopes) -> (usize, usize) {
    let hist = |a: &super::sample::Agg| a.frt.heap_bytes() + a.art.heap_bytes();
    let sums = hist(&s.total)
        + vec(&s.queues)
        + s.queues.iter().map(hist).sum::<usize>()
        + vec(&s.agents)
        + s.agents.iter().map(|a| a.heap_bytes()).sum::<usize>();
    let longest = s.total.longest.heap_bytes()
        + s.queues
            .iter()
            .map(|a| a.longest.heap_bytes())
            .sum::<usize>();
    (sums, longest)
}

impl Occupancy {
    pub(super) fn heap_bytes(&self) -> usize {
        self.total.heap_bytes()
            + self.records_bytes()
            + vec(&self.queues)
            + self.queues.iter().map(|i| i.heap_bytes()).sum::<usize>()
            + vec(&self.agents)
            + self.agents.iter().map(|i| i.heap_bytes()).sum::<usize>()
            + self.bases.heap_bytes()
    }
}

/// A boxed string: its bytes, rounded up by the allocator.
fn id(s: &str) -> usize {
    s.len().next_multiple_of(8)
}

/// An id as the floor keeps it: of up to 24 bytes, in place, nothing more.
fn key(k: &super::IdKey) -> usize {
    if k.is_heap_allocated() { id(k) } else { 0 }
}

impl Floor {
    /// The bytes this floor holds, itself and on the heap, roughly (within
    /// a third either way of what a copy allocates).
    pub fn approx_bytes(&self) -> usize {
        self.approx_bytes_by_part().iter().map(|(_, b)| b).sum()
    }

    /// The part of [`Floor::approx_bytes`] held in memory this floor shares
    /// with `other`, a copy of it or a floor it was copied from (the
    /// window's samples and occupancy's records are kept in shared chunks):
    /// a history of copies counts those bytes once.
    pub fn approx_bytes_shared_with(&self, other: &Floor) -> usize {
        self.window.shared_bytes(&other.window)
            + self.finished.shared_bytes(&other.finished)
            + self.customers.shared_bytes(&other.customers)
    }

    /// [`Floor::approx_bytes`] part by part, for diagnostics and the
    /// rewind benchmark: which parts of a copy weigh most.
    pub fn approx_bytes_by_part(&self) -> Vec<(&'static str, usize)> {
        let queues: usize = vec(&self.queues)
            + self
                .queues
                .iter()
                .map(|q| {
                    id(&q.id)
                        + q.feed_name.as_deref().map_or(0, id)
                        + btree::<(crate::time::Ts, usize), ()>(q.waiting.len())
                })
                .sum::<usize>();
        let agents: usize = vec(&self.agents)
            + self
                .agents
                .iter()
                .map(|a| {
                    key(&a.id) + a.name.as_deref().map_or(0, id) + a.reason.as_deref().map_or(0, id)
                })
                .sum::<usize>();
        let contacts = self.contacts.capacity() * (size_of::<super::live::Contact>() + 8)
            + self.contacts.iter().map(|(_, c)| key(&c.id)).sum::<usize>();
        // The queues' index holds their ids; the agent and contact
        // indexes a 4-byte place each.
        let indexes = map::<super::IdKey, super::QueueIdx>(self.queue_index.capacity())
            + self.queue_index.keys().map(key).sum::<usize>()
            + map::<u32, ()>(self.agent_index.capacity())
            + map::<u32, ()>(self.contact_index.capacity());
        let mut parts = vec![
            ("floor itself", size_of::<Floor>()),
            ("queues", queues),
            ("agents", agents),
            ("contacts", contacts),
            ("id indexes", indexes),
            ("finished contacts", self.finished.heap_bytes()),
            ("customers", self.customers.heap_bytes()),
        ];
        parts.extend(self.window.heap_bytes_by_part());
        parts
    }
}
