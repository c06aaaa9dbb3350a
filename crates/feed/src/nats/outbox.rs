//! The relay's bounded buffer: frames numbered per site, waiting for the
//! broker to acknowledge them. While the broker is down the buffer fills;
//! past its bound the oldest frames go (counted), since the newest say most
//! about the floor now and the next periodic snapshot repairs the rest.

use std::collections::VecDeque;

/// Default bound, in frames.
pub const DEFAULT_CAPACITY: usize = 100_000;

/// One frame, numbered.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Numbered {
    pub seq: u64,
    pub frame: String,
}

#[derive(Debug)]
pub struct Outbox {
    frames: VecDeque<Numbered>,
    capacity: usize,
    next_seq: u64,
    /// Frames dropped because the buffer was full.
    pub dropped: u64,
}

impl Outbox {
    /// Numbering starts after `last_seq` (the last one already stored).
    pub fn new(capacity: usize, last_seq: u64) -> Self {
        Outbox {
            frames: VecDeque::new(),
            capacity: capacity.max(1),
            next_seq: last_seq.saturating_add(1),
            dropped: 0,
        }
    }

    /// Numbers a frame and queues it; `make` writes the frame for its
    /// number. Returns whether an old frame had to go to make room.
    pub fn push(&mut self, make: impl FnOnce(u64) -> String) -> bool {
        let frame = make(self.next_seq);
        self.push_numbered(frame)
    }

    /// The number the next frame gets.
    pub fn next_seq(&self) -> u64 {
        self.next_seq
    }

    /// Queues a frame written for [`Outbox::next_seq`].
    pub fn push_numbered(&mut self, frame: String) -> bool {
        let seq = self.next_seq;
        self.next_seq += 1;
        let overflow = self.frames.len() >= self.capacity;
        if overflow {
            self.frames.pop_front();
            self.dropped += 1;
        }
        self.frames.push_back(Numbered { seq, frame });
        overflow
    }

    /// Up to `n` frames from the oldest, copied (they stay until acknowledged).
    pub fn peek(&self, n: usize) -> Vec<Numbered> {
        self.frames.iter().take(n).cloned().collect()
    }

    /// Every frame numbered `seq` or lower is stored.
    pub fn acknowledged(&mut self, seq: u64) {
        while self.frames.front().is_some_and(|f| f.seq <= seq) {
            self.frames.pop_front();
        }
    }

    pub fn len(&self) -> usize {
        self.frames.len()
    }

    pub fn is_empty(&self) -> bool {
        self.frames.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_bounds_and_acknowledges() {
        let mut o = Outbox::new(3, 41);
        for _ in 0..4 {
            o.push(|seq| format!("f{seq}"));
        }
        // Four pushed into three places: the oldest (42) went.
        assert_eq!(o.dropped, 1);
        let seqs: Vec<u64> = o.peek(10).iter().map(|f| f.seq).collect();
        assert_eq!(seqs, [43, 44, 45]);
        assert_eq!(o.peek(1)[0].frame, "f43");
        o.acknowledged(44);
        assert_eq!(o.len(), 1);
        o.acknowledged(45);
        assert!(o.is_empty());
    }
}
