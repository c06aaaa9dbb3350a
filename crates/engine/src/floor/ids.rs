//! The floor's indexes from an agent's or a contact's id to its place.
//!
//! The id is kept once, inline in the agent or contact itself; the index
//! holds only a 4-byte place, found by the id's hash and confirmed against
//! the id held there. At 50,000 agents a table of ids was megabytes, so
//! each lookup missed the cache twice (the table, then the agent); this
//! one is small enough to stay cached, and the confirmation reads the
//! agent or contact itself, which the event uses anyway.

use std::hash::BuildHasher;

use foldhash::fast::RandomState;
use hashbrown::HashTable;

#[derive(Clone, Debug, Default)]
pub struct IdIndex {
    places: HashTable<u32>,
    hasher: RandomState,
}

impl IdIndex {
    fn hash(&self, id: &str) -> u64 {
        self.hasher.hash_one(id)
    }

    /// The place of `id`; `id_at` gives the id held at a place.
    pub fn get<'a>(&self, id: &str, id_at: impl Fn(u32) -> &'a str) -> Option<u32> {
        self.places
            .find(self.hash(id), |&p| id_at(p) == id)
            .copied()
    }

    /// Adds `id`, which the index does not hold, at `place`. When the
    /// table grows, `id_at` gives the ids of the places already held.
    pub fn insert<'a>(&mut self, id: &str, place: u32, id_at: impl Fn(u32) -> &'a str) {
        debug_assert!(self.get(id, &id_at).is_none(), "{id} is indexed already");
        let hash = self.hash(id);
        let hasher = &self.hasher;
        self.places
            .insert_unique(hash, place, |&p| hasher.hash_one(id_at(p)));
    }

    /// Removes `id`, held at `place` (already gone from there, or not:
    /// only the place is compared).
    pub fn remove(&mut self, id: &str, place: u32) {
        if let Ok(entry) = self.places.find_entry(self.hash(id), |&p| p == place) {
            entry.remove();
        }
    }

    pub fn clear(&mut self) {
        self.places.clear();
    }

    pub fn len(&self) -> usize {
        self.places.len()
    }

    pub fn capacity(&self) -> usize {
        self.places.capacity()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_by_the_ids_held_outside() {
        let ids: Vec<String> = (0..5_000).map(|i| format!("id-{i}")).collect();
        let mut index = IdIndex::default();
        for (i, id) in ids.iter().enumerate() {
            index.insert(id, i as u32, |p| &ids[p as usize]);
        }
        assert_eq!(index.len(), ids.len());
        for (i, id) in ids.iter().enumerate() {
            assert_eq!(index.get(id, |p| &ids[p as usize]), Some(i as u32));
        }
        assert_eq!(index.get("id-5000", |p| &ids[p as usize]), None);
        index.remove("id-7", 7);
        index.remove("id-8", 9); // not where it is: nothing removed
        assert_eq!(index.get("id-7", |p| &ids[p as usize]), None);
        assert_eq!(index.get("id-8", |p| &ids[p as usize]), Some(8));
        assert_eq!(index.len(), ids.len() - 1);
    }
}
