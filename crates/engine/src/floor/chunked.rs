//! A deque kept in fixed-size chunks shared by reference count.
//!
//! The window's samples and occupancy's records are appended at one end and
//! aged out at the other. Kept in chunks of [`CHUNK`] items, each behind an
//! `Arc`, a copy of the floor (a rewind checkpoint) is a copy of the chunk
//! pointers: the copy and the floor share every full chunk, and a chunk is
//! copied only if one of them changes it. Successive checkpoints thus share
//! the chunks that stayed inside the window between them. The newest,
//! partly filled chunk is the deque's own (a copy copies it, as its next
//! push would have had to anyway): items are appended to it without asking
//! an `Arc` whether it is shared, an atomic operation on every push. A
//! chunk is allocated whole, so there is no doubling slack either: at most
//! one chunk is partly empty at each end.

use std::collections::VecDeque;
use std::sync::Arc;

/// Items a chunk holds.
pub const CHUNK: usize = 1024;

#[derive(Debug)]
pub struct Chunked<T> {
    /// Full chunks, oldest first, shared with copies.
    chunks: VecDeque<Arc<Vec<T>>>,
    /// The newest items, after those of `chunks`: fewer than [`CHUNK`]
    /// once a push is through, unshared.
    tail: Vec<T>,
    /// Items already gone from the first chunk, or from `tail` when there
    /// is no chunk.
    head: usize,
    len: usize,
}

impl<T: Clone> Clone for Chunked<T> {
    fn clone(&self) -> Self {
        Chunked {
            chunks: self.chunks.clone(),
            tail: whole_chunk(&self.tail),
            head: self.head,
            len: self.len,
        }
    }
}

impl<T> Default for Chunked<T> {
    fn default() -> Self {
        Chunked {
            chunks: VecDeque::new(),
            tail: Vec::new(),
            head: 0,
            len: 0,
        }
    }
}

/// A copy of `items` with room for a whole chunk.
fn whole_chunk<T: Clone>(items: &[T]) -> Vec<T> {
    let mut copy = Vec::with_capacity(CHUNK.max(items.len()));
    copy.extend_from_slice(items);
    copy
}

/// A chunk to change: copied first if another deque shares it.
fn own<T: Clone>(chunk: &mut Arc<Vec<T>>) -> &mut Vec<T> {
    if Arc::get_mut(chunk).is_none() {
        *chunk = Arc::new(whole_chunk(chunk));
    }
    Arc::get_mut(chunk).expect("just made unique")
}

impl<T: Clone> Chunked<T> {
    pub fn len(&self) -> usize {
        self.len
    }

    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// Where the items held in `tail` start (past the gone ones when there
    /// is no chunk).
    fn tail_from(&self) -> usize {
        if self.chunks.is_empty() { self.head } else { 0 }
    }

    pub fn push_back(&mut self, item: T) {
        if self.tail.len() >= CHUNK {
            // Full: it becomes a chunk copies may share.
            let full = std::mem::replace(&mut self.tail, Vec::with_capacity(CHUNK));
            self.chunks.push_back(Arc::new(full));
        } else if self.tail.capacity() == 0 {
            self.tail.reserve_exact(CHUNK);
        }
        self.tail.push(item);
        self.len += 1;
    }

    pub fn front(&self) -> Option<&T> {
        if self.is_empty() {
            return None;
        }
        match self.chunks.front() {
            Some(c) => c.get(self.head),
            None => self.tail.get(self.head),
        }
    }

    pub fn back(&self) -> Option<&T> {
        if self.is_empty() {
            return None;
        }
        if self.tail.len() > self.tail_from() {
            return self.tail.last();
        }
        self.chunks.back().and_then(|c| c.last())
    }

    /// Makes the newest chunk the tail again when the tail holds nothing
    /// (the newest items were taken back): copied if a copy shares it.
    fn reopen_newest(&mut self) {
        if self.tail.len() > self.tail_from() {
            return;
        }
        if let Some(c) = self.chunks.pop_back() {
            self.tail = Arc::try_unwrap(c).unwrap_or_else(|c| whole_chunk(&c));
        }
    }

    pub fn back_mut(&mut self) -> Option<&mut T> {
        if self.is_empty() {
            return None;
        }
        self.reopen_newest();
        self.tail.last_mut()
    }

    pub fn pop_front(&mut self) -> Option<T> {
        let item = self.front()?.clone();
        self.head += 1;
        self.len -= 1;
        if self.is_empty() {
            self.clear();
        } else if self.chunks.front().is_some_and(|c| self.head >= c.len()) {
            self.chunks.pop_front();
            self.head = 0;
        }
        Some(item)
    }

    pub fn pop_back(&mut self) -> Option<T> {
        if self.is_empty() {
            return None;
        }
        self.reopen_newest();
        let item = self.tail.pop();
        self.len -= 1;
        if self.is_empty() {
            self.clear();
        }
        item
    }

    /// Lets every chunk go (the deque is empty).
    fn clear(&mut self) {
        self.chunks.clear();
        self.tail = Vec::new();
        self.head = 0;
    }

    pub fn iter(&self) -> impl Iterator<Item = &T> {
        let head = self.head;
        self.chunks
            .iter()
            .enumerate()
            .flat_map(move |(i, c)| c[if i == 0 { head } else { 0 }..].iter())
            .chain(self.tail[self.tail_from()..].iter())
    }

    /// The items from the first for which `before` is false, in order.
    /// The items must be in an order where `before` holds for a prefix
    /// (the window's samples, by time): whole chunks are skipped by their
    /// last item, then the first chunk kept is searched, none walked.
    pub fn iter_from(&self, before: impl Fn(&T) -> bool) -> impl Iterator<Item = &T> {
        let k = self
            .chunks
            .partition_point(|c| c.last().is_some_and(&before));
        let (start, tail_start) = match self.chunks.get(k) {
            Some(c) => {
                let lo = if k == 0 { self.head } else { 0 };
                (lo + c[lo..].partition_point(&before), self.tail_from())
            }
            None => {
                let lo = self.tail_from();
                (0, lo + self.tail[lo..].partition_point(&before))
            }
        };
        self.chunks
            .range(k..)
            .enumerate()
            .flat_map(move |(i, c)| c[if i == 0 { start } else { 0 }..].iter())
            .chain(self.tail[tail_start..].iter())
    }

    /// Replaces each item `f` gives a new value for (copying only the
    /// chunks that change).
    pub fn update(&mut self, mut f: impl FnMut(&T) -> Option<T>) {
        let head = self.head;
        for (i, chunk) in self.chunks.iter_mut().enumerate() {
            let from = if i == 0 { head } else { 0 };
            for k in from..chunk.len() {
                if let Some(new) = f(&chunk[k]) {
                    own(chunk)[k] = new;
                }
            }
        }
        let from = self.tail_from();
        for item in &mut self.tail[from..] {
            if let Some(new) = f(item) {
                *item = new;
            }
        }
    }

    /// Heap bytes held: whole chunks, the tail, and the pointers to them.
    pub fn heap_bytes(&self) -> usize {
        self.chunks.capacity() * std::mem::size_of::<Arc<Vec<T>>>()
            + self.chunks.len() * Self::chunk_bytes()
            + self.tail.capacity() * std::mem::size_of::<T>()
    }

    fn chunk_bytes() -> usize {
        // The items, and the reference counts and vector beside them.
        CHUNK * std::mem::size_of::<T>() + 2 * 8 + std::mem::size_of::<Vec<T>>()
    }

    /// Heap bytes of the chunks this deque shares with `other` (the same
    /// chunks, not equal ones): held once however many copies share them.
    pub fn shared_bytes(&self, other: &Self) -> usize {
        // Items only join at the back and leave at the front, so the
        // chunks two copies share are a run, in the same order in both.
        let Some(first) = other.chunks.front() else {
            return 0;
        };
        let Some(start) = self.chunks.iter().position(|c| Arc::ptr_eq(c, first)) else {
            // Or `other` is the newer copy: its chunks start inside ours.
            return match self.chunks.front() {
                Some(mine) => other
                    .chunks
                    .iter()
                    .position(|c| Arc::ptr_eq(c, mine))
                    .map_or(0, |s| self.run(0, other, s)),
                None => 0,
            };
        };
        self.run(start, other, 0)
    }

    /// Bytes of the run of chunks equal by pointer from `self.chunks[a]`
    /// and `other.chunks[b]` on.
    fn run(&self, a: usize, other: &Self, b: usize) -> usize {
        self.chunks
            .iter()
            .skip(a)
            .zip(other.chunks.iter().skip(b))
            .take_while(|(x, y)| Arc::ptr_eq(x, y))
            .count()
            * Self::chunk_bytes()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn iter_from_skips_the_prefix_at_every_cut() {
        let mut d = Chunked::default();
        let mut v = VecDeque::new();
        for i in 0..3 * CHUNK as u32 + 7 {
            d.push_back(i);
            v.push_back(i);
        }
        // A head inside the first chunk, as after the window aged some out.
        for _ in 0..CHUNK / 2 + 3 {
            assert_eq!(d.pop_front(), v.pop_front());
        }
        let last = 3 * CHUNK as u32 + 7;
        for from in [
            0,
            5,
            CHUNK as u32 / 2 + 3,
            CHUNK as u32,
            2 * CHUNK as u32 + 1,
            last - 1,
            last,
            last + 9,
        ] {
            let got: Vec<u32> = d.iter_from(|x| *x < from).copied().collect();
            let want: Vec<u32> = v.iter().copied().filter(|x| *x >= from).collect();
            assert_eq!(got, want, "from {from}");
        }
    }

    #[test]
    fn behaves_as_a_deque_across_chunks_and_copies() {
        let mut d = Chunked::default();
        let mut v = VecDeque::new();
        for i in 0..5 * CHUNK as u32 {
            d.push_back(i);
            v.push_back(i);
            if i % 3 == 0 {
                assert_eq!(d.pop_front(), v.pop_front());
            }
            if i % 7 == 0 {
                assert_eq!(d.pop_back(), v.pop_back());
            }
            if i % 11 == 0
                && let (Some(a), Some(b)) = (d.back_mut(), v.back_mut())
            {
                *a += 1;
                *b += 1;
            }
        }
        let copy = d.clone();
        d.update(|x| (x % 5 == 0).then_some(x + 1));
        v.iter_mut().filter(|x| **x % 5 == 0).for_each(|x| *x += 1);
        assert!(d.iter().eq(v.iter()));
        assert_eq!(
            (d.len(), d.front(), d.back()),
            (v.len(), v.front(), v.back())
        );
        assert_ne!(
            copy.iter().collect::<Vec<_>>(),
            d.iter().collect::<Vec<_>>()
        );
        while d.pop_front().is_some() {}
        assert!(d.is_empty() && d.heap_bytes() <= 64);
    }

    #[test]
    fn taking_back_into_a_shared_chunk_copies_it() {
        let mut d = Chunked::default();
        for i in 0..2 * CHUNK as u32 + 1 {
            d.push_back(i);
        }
        let copy = d.clone();
        // The tail's one item, then into the newest full chunk, shared.
        assert_eq!(d.pop_back(), Some(2 * CHUNK as u32));
        assert_eq!(d.pop_back(), Some(2 * CHUNK as u32 - 1));
        if let Some(x) = d.back_mut() {
            *x = 7;
        }
        d.push_back(8);
        let want: Vec<u32> = (0..2 * CHUNK as u32 - 2).chain([7, 8]).collect();
        assert!(d.iter().copied().eq(want));
        assert!(copy.iter().copied().eq(0..2 * CHUNK as u32 + 1));
        assert_eq!(d.len(), 2 * CHUNK);
        // Taken back to nothing, then used again.
        while d.pop_back().is_some() {}
        d.push_back(1);
        assert_eq!((d.front(), d.back(), d.len()), (Some(&1), Some(&1), 1));
    }

    #[test]
    fn a_copy_shares_its_chunks_until_either_changes_them() {
        let mut d = Chunked::default();
        for i in 0..3 * CHUNK as u64 + 10 {
            d.push_back(i);
        }
        let copy = d.clone();
        let tail = d.tail.capacity() * 8;
        assert_eq!(
            d.shared_bytes(&copy),
            d.heap_bytes() - d.chunks.capacity() * 8 - tail
        );
        // The partly filled newest chunk is each one's own; the oldest
        // goes once all its items have aged out.
        for _ in 0..CHUNK {
            d.pop_front();
        }
        d.push_back(1);
        let chunk = Chunked::<u64>::chunk_bytes();
        assert_eq!(d.shared_bytes(&copy), 2 * chunk);
        assert_eq!(copy.shared_bytes(&d), 2 * chunk);
        assert_eq!(copy.iter().count(), 3 * CHUNK + 10);
    }
}
