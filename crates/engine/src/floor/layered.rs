//! A map of hashed ids kept as a frozen base, shared by reference count,
//! and the changes made since it was frozen.
//!
//! The ids of finished contacts and the customers' last starts are big
//! tables that change by a few percent a minute. Kept this way, a copy of
//! the floor (a rewind checkpoint) shares the base and copies only the
//! changes; once the changes reach a quarter of the base they are folded
//! into a new base (in place when no copy shares it). Reads look at the
//! changes first: the same answers as one map, at the cost of a second
//! lookup for an id the changes do not hold.

use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use foldhash::fast::RandomState;

/// Changes held before they are folded into the base, at least.
const MIN_FOLD: usize = 4_096;

#[derive(Clone, Debug)]
pub struct Layered<V> {
    base: Arc<HashMap<u64, V, RandomState>>,
    /// Entries added or changed since the base was frozen.
    added: HashMap<u64, V, RandomState>,
    /// Keys of the base removed since (never also in `added`).
    removed: HashSet<u64, RandomState>,
    len: usize,
}

impl<V> Default for Layered<V> {
    fn default() -> Self {
        Layered {
            base: Arc::default(),
            added: HashMap::default(),
            removed: HashSet::default(),
            len: 0,
        }
    }
}

impl<V: Clone> Layered<V> {
    pub fn len(&self) -> usize {
        self.len
    }

    pub fn get(&self, k: &u64) -> Option<&V> {
        if let Some(v) = self.added.get(k) {
            return Some(v);
        }
        if self.removed.contains(k) {
            return None;
        }
        self.base.get(k)
    }

    pub fn get_mut(&mut self, k: &u64) -> Option<&mut V> {
        if !self.added.contains_key(k) {
            if self.removed.contains(k) {
                return None;
            }
            // Folded first, if due: the entry handed out lives in `added`.
            self.fold_when_due();
            let v = self.base.get(k)?.clone();
            self.added.insert(*k, v);
        }
        self.added.get_mut(k)
    }

    /// Inserts or replaces; returns the value replaced.
    pub fn insert(&mut self, k: u64, v: V) -> Option<V> {
        let old = self.get(&k).cloned();
        if old.is_none() {
            self.len += 1;
        }
        self.removed.remove(&k);
        self.added.insert(k, v);
        self.fold_when_due();
        old
    }

    pub fn remove(&mut self, k: &u64) -> Option<V> {
        let old = match self.added.remove(k) {
            Some(v) => Some(v),
            None if self.removed.contains(k) => None,
            None => self.base.get(k).cloned(),
        };
        if self.base.contains_key(k) {
            self.removed.insert(*k);
        }
        if old.is_some() {
            self.len -= 1;
        }
        self.fold_when_due();
        old
    }

    /// Keeps only the entries `keep` says to (a sweep of the whole map:
    /// it makes a new base).
    pub fn retain(&mut self, mut keep: impl FnMut(&u64, &V) -> bool) {
        self.fold();
        let base = Arc::make_mut(&mut self.base);
        base.retain(|k, v| keep(k, v));
        self.len = base.len();
    }

    fn fold_when_due(&mut self) {
        if self.added.len() + self.removed.len() > (self.base.len() / 4).max(MIN_FOLD) {
            self.fold();
        }
    }

    /// Folds the changes into the base: in place when no copy shares it,
    /// else into a new one.
    fn fold(&mut self) {
        let added = std::mem::take(&mut self.added);
        let removed = std::mem::take(&mut self.removed);
        if let Some(base) = Arc::get_mut(&mut self.base) {
            for k in &removed {
                base.remove(k);
            }
            base.extend(added);
            return;
        }
        let mut base = HashMap::with_capacity_and_hasher(self.len, RandomState::default());
        base.extend(
            self.base
                .iter()
                .filter(|(k, _)| !removed.contains(*k) && !added.contains_key(*k))
                .map(|(k, v)| (*k, v.clone())),
        );
        base.extend(added);
        self.base = Arc::new(base);
    }

    /// Heap bytes held (the base's counted whole).
    pub fn heap_bytes(&self) -> usize {
        use super::footprint::map;
        map::<u64, V>(self.base.capacity())
            + map::<u64, V>(self.added.capacity())
            + map::<u64, ()>(self.removed.capacity())
    }

    /// Heap bytes shared with `other` (a copy): the base, when both still
    /// hold the same one.
    pub fn shared_bytes(&self, other: &Self) -> usize {
        if Arc::ptr_eq(&self.base, &other.base) {
            super::footprint::map::<u64, V>(self.base.capacity())
        } else {
            0
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn answers_as_one_map_across_folds_and_copies() {
        let mut l = Layered::default();
        let mut m = HashMap::new();
        let mut copies = Vec::new();
        let mut x = 7u64;
        for i in 0..60_000u64 {
            x = x.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1);
            let k = x % 20_000;
            match x >> 62 {
                0 => assert_eq!(l.remove(&k), m.remove(&k)),
                1 => match (l.get_mut(&k), m.get_mut(&k)) {
                    (Some(a), Some(b)) => {
                        *a += 1;
                        *b += 1;
                    }
                    (a, b) => assert_eq!(a, b),
                },
                _ => assert_eq!(l.insert(k, i), m.insert(k, i)),
            }
            assert_eq!(l.len(), m.len());
            if i % 9_000 == 0 {
                copies.push((l.clone(), m.clone()));
            }
            if i % 25_000 == 0 {
                l.retain(|k, _| k % 3 != 0);
                m.retain(|k, _| k % 3 != 0);
            }
        }
        for k in 0..20_000 {
            assert_eq!(l.get(&k), m.get(&k));
        }
        assert_eq!(l.len(), m.len());
        // The copies kept what they held, though the original changed.
        for (c, was) in &copies {
            assert_eq!(c.len(), was.len());
            assert!((0..20_000).all(|k| c.get(&k) == was.get(&k)));
        }
    }
}
