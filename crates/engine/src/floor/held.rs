//! What the rolling window holds, in time order: the window's samples and
//! occupancy's records, each kept until it ages out.
//!
//! Feeds deliver them almost always in time order, so they go to a chunked
//! deque (shared between rewind checkpoints, see [`super::chunked`]); the
//! rare late one goes to a heap, which keeps a hostile feed of shuffled
//! times at O(log n) per item.

use std::cmp::Reverse;
use std::collections::BinaryHeap;

use super::chunked::Chunked;
use crate::time::Ts;

/// An item held by its time.
pub trait Timed: Clone {
    fn at(&self) -> Ts;
}

/// Orders late items by time in the heap.
#[derive(Clone, Debug)]
struct Late<T>(T);

impl<T: Timed> PartialEq for Late<T> {
    fn eq(&self, other: &Self) -> bool {
        self.0.at() == other.0.at()
    }
}
impl<T: Timed> Eq for Late<T> {}
impl<T: Timed> PartialOrd for Late<T> {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}
impl<T: Timed> Ord for Late<T> {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.0.at().cmp(&other.0.at())
    }
}

#[derive(Clone, Debug)]
pub struct Held<T> {
    in_order: Chunked<T>,
    late: BinaryHeap<Reverse<Late<T>>>,
}

impl<T> Default for Held<T> {
    fn default() -> Self {
        Held {
            in_order: Chunked::default(),
            late: BinaryHeap::new(),
        }
    }
}

impl<T: Timed> Held<T> {
    /// Holds `item`: after the newest in time order, else among the late.
    pub fn push(&mut self, item: T) {
        match self.in_order.back() {
            Some(last) if last.at() > item.at() => self.late.push(Reverse(Late(item))),
            _ => self.in_order.push_back(item),
        }
    }

    pub fn len(&self) -> usize {
        self.in_order.len() + self.late.len()
    }

    /// The time of the oldest item held.
    pub fn oldest(&self) -> Option<Ts> {
        let a = self.in_order.front().map(T::at);
        let b = self.late.peek().map(|Reverse(Late(x))| x.at());
        match (a, b) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        }
    }

    /// Lets the oldest item go, and returns it.
    pub fn pop_oldest(&mut self) -> Option<T> {
        let from_late = match (self.in_order.front(), self.late.peek()) {
            (Some(a), Some(Reverse(Late(b)))) => b.at() < a.at(),
            (None, Some(_)) => true,
            _ => false,
        };
        if from_late {
            self.late.pop().map(|Reverse(Late(x))| x)
        } else {
            self.in_order.pop_front()
        }
    }

    /// Every item held: those in time order, then the late ones.
    pub fn iter(&self) -> impl Iterator<Item = &T> {
        self.in_order
            .iter()
            .chain(self.late.iter().map(|Reverse(Late(x))| x))
    }

    /// The items that may be at or after `from`, in the order of
    /// [`Held::iter`]: the older part of the deque is skipped without
    /// being walked (the late ones are all looked at).
    pub fn iter_from(&self, from: Ts) -> impl Iterator<Item = &T> {
        self.in_order
            .iter_from(move |x| x.at() < from)
            .chain(self.late.iter().map(|Reverse(Late(x))| x))
    }

    /// The newest item in time order, to merge another into.
    pub fn newest_mut(&mut self) -> Option<&mut T> {
        self.in_order.back_mut()
    }

    /// Lets the newest item in time order go (merged into nothing).
    pub fn drop_newest(&mut self) {
        self.in_order.pop_back();
    }

    /// Replaces each item `f` gives a new value for (the same time).
    pub fn update(&mut self, mut f: impl FnMut(&T) -> Option<T>) {
        self.in_order.update(&mut f);
        let mut late = std::mem::take(&mut self.late).into_vec();
        for Reverse(Late(x)) in &mut late {
            if let Some(new) = f(x) {
                *x = new;
            }
        }
        self.late = BinaryHeap::from(late);
    }

    /// Heap bytes held (for the rewind history's bound).
    pub fn heap_bytes(&self) -> usize {
        self.in_order.heap_bytes() + self.late.capacity() * std::mem::size_of::<T>()
    }

    /// Heap bytes shared with `other` (a copy).
    pub fn shared_bytes(&self, other: &Self) -> usize {
        self.in_order.shared_bytes(&other.in_order)
    }
}
