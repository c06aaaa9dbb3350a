//! Bounded memory for stateful dialects: what a dialect last saw of each
//! contact or agent, capped so that a hostile or endless stream of new ids
//! cannot grow it without limit. When full, the entry written longest ago
//! is forgotten (its contact or agent is most likely long gone).

use std::collections::hash_map::Entry;
use std::collections::{HashMap, VecDeque};

use foldhash::fast::RandomState;

/// Default cap: far more live contacts or agents than a floor has.
pub const DEFAULT_CAP: usize = 50_000;

#[derive(Debug)]
pub struct Memo<V> {
    map: HashMap<Box<str>, (V, u64), RandomState>,
    /// Keys in insertion order with the generation they were written at; an
    /// entry whose generation no longer matches the map is stale.
    order: VecDeque<(Box<str>, u64)>,
    next_gen: u64,
    cap: usize,
}

impl<V> Memo<V> {
    pub fn new(cap: usize) -> Self {
        Memo {
            map: HashMap::default(),
            order: VecDeque::new(),
            next_gen: 0,
            cap: cap.max(1),
        }
    }

    #[cfg(test)]
    pub fn len(&self) -> usize {
        self.map.len()
    }

    pub fn get(&self, key: &str) -> Option<&V> {
        self.map.get(key).map(|(v, _)| v)
    }

    pub fn get_mut(&mut self, key: &str) -> Option<&mut V> {
        self.map.get_mut(key).map(|(v, _)| v)
    }

    pub fn remove(&mut self, key: &str) -> Option<V> {
        let v = self.map.remove(key).map(|(v, _)| v);
        self.compact();
        v
    }

    /// The entry for `key`, made with `make` (forgetting the oldest entry
    /// when full) if there is none.
    pub fn entry(&mut self, key: &str, make: impl FnOnce() -> V) -> &mut V {
        if !self.map.contains_key(key) {
            while self.map.len() >= self.cap {
                match self.order.pop_front() {
                    Some((k, g)) => {
                        if self.map.get(&k).is_some_and(|(_, g2)| *g2 == g) {
                            self.map.remove(&k);
                        }
                    }
                    None => break,
                }
            }
            self.compact();
        }
        let g = self.next_gen;
        match self.map.entry(key.into()) {
            Entry::Occupied(e) => &mut e.into_mut().0,
            Entry::Vacant(e) => {
                self.next_gen += 1;
                self.order.push_back((key.into(), g));
                &mut e.insert((make(), g)).0
            }
        }
    }

    /// Drops stale order entries once they outnumber the live ones.
    fn compact(&mut self) {
        if self.order.len() > 2 * self.cap.max(self.map.len()) + 16 {
            let map = &self.map;
            self.order
                .retain(|(k, g)| map.get(k).is_some_and(|(_, g2)| g2 == g));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn forgets_the_oldest_when_full() {
        let mut m = Memo::new(3);
        for k in ["a", "b", "c"] {
            *m.entry(k, || 0) += 1;
        }
        *m.entry("a", || 0) += 1;
        assert_eq!(m.get("a"), Some(&2));
        m.entry("d", || 9);
        assert_eq!(m.len(), 3);
        assert!(m.get("a").is_none(), "a was written first");
        assert_eq!(m.get("d"), Some(&9));
    }

    #[test]
    fn stays_bounded_under_churn() {
        let mut m = Memo::new(10);
        for i in 0..10_000 {
            let k = format!("k{}", i % 37);
            m.entry(&k, || i);
            if i % 3 == 0 {
                m.remove(&k);
            }
        }
        assert!(m.len() <= 10);
        assert!(m.order.len() <= 2 * 10 + 16 + 1);
    }
}
