//! The rewind history: what the floor was at any instant of the last hours.
//!
//! It keeps checkpoints (copies of the floor) and, after each, every step
//! the floor took: each decoded item with the floor's time when it was
//! taken in, and the few changes that do not come from items (a frame
//! refused before decoding, a resync beginning or ending). The floor at `t`
//! is then the last checkpoint at or before `t` with the steps up to `t`
//! applied again, and its clock moved on to `t`: the same floor a replay
//! stopped at `t` holds (a property test checks it).
//!
//! A checkpoint costs little beside the one before it. The floor keeps its
//! big, slowly changing parts so that copies share them by reference count
//! (the window's samples and occupancy's records in chunks, the finished
//! contacts' and customers' tables as a frozen base and the changes since):
//! a copy takes a few milliseconds and holds mostly what changed since the
//! checkpoint before, and [`History::bytes`] counts what two consecutive
//! checkpoints share once ([`Floor::approx_bytes_shared_with`]).
//!
//! The steps of a segment are packed into bytes (module `steps`): about 20
//! bytes an event on the benchmark feed at 5,000 agents (35 at 50,000,
//! where more of a segment's ids are named once), its ids kept once per
//! segment. Packing writes no JSON on the hot path, and a seek reads the
//! events back with no JSON to parse (a snapshot event alone is kept as a
//! feed-v1 line).
//!
//! A new checkpoint is taken every ten minutes of feed time, or sooner
//! when a segment holds 30,000 steps, so a seek copies one checkpoint and
//! replays at most one segment: on the benchmark floor of 5,000 agents,
//! 40 ms on average and up to 150 ms (README, Performance). Sparser
//! checkpoints would reach further back in the same bytes, and make each
//! seek slower. The history is bounded by age and by bytes: the oldest
//! checkpoint and its steps go first; the newest segment always stays.

mod steps;

use std::collections::VecDeque;

use steps::{Replayed, Steps};

use crate::floor::Floor;
use crate::protocol::{Decoded, decode_frame};
use crate::time::{Millis, Ts};

/// How much history to keep (config `[history]`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Bounds {
    /// Feed time the history covers, back from the newest step.
    pub max_age: Millis,
    /// Bytes the checkpoints and steps may take, as [`History::bytes`]
    /// counts them.
    pub max_bytes: usize,
    /// Feed time between checkpoints.
    pub checkpoint_every: Millis,
    /// Steps after which a checkpoint is taken however little time passed
    /// (bounds the work of a seek on a busy feed).
    pub checkpoint_steps: usize,
}

impl Default for Bounds {
    fn default() -> Self {
        Bounds {
            max_age: 8 * 3_600_000,
            max_bytes: 256 << 20,
            checkpoint_every: 10 * 60_000,
            checkpoint_steps: 30_000,
        }
    }
}

struct Segment {
    base: Floor,
    /// The checkpoint's bytes, less those it shares with the checkpoint
    /// before it (counted there).
    base_bytes: usize,
    steps: Steps,
}

impl Segment {
    fn bytes(&self) -> usize {
        self.base_bytes + self.steps.heap_bytes()
    }

    /// The first instant this segment can show.
    fn start(&self) -> Ts {
        match (self.base.latest_event(), self.steps.first()) {
            // A floor that never saw an event shows nothing worth going
            // back to: its history starts with the first step.
            (None, Some(at)) => at,
            _ => self.base.now(),
        }
    }

    fn end(&self) -> Ts {
        self.steps.last().unwrap_or(self.base.now())
    }
}

pub struct History {
    bounds: Bounds,
    segments: VecDeque<Segment>,
    bytes: usize,
}

impl History {
    /// Starts a history at `floor` as it is now (its first checkpoint).
    pub fn new(floor: &Floor, bounds: Bounds) -> Self {
        let mut h = History {
            bounds,
            segments: VecDeque::new(),
            bytes: 0,
        };
        h.checkpoint(floor);
        h
    }

    pub fn bounds(&self) -> Bounds {
        self.bounds
    }

    /// Notes a decoded item the floor is about to ingest at `at` (its
    /// clock, already moved for the item).
    pub fn note(&mut self, at: Ts, item: &Decoded<'_>) {
        self.push(at, |steps, at| steps.push(at, item));
    }

    /// Notes a frame refused before decoding.
    pub fn note_refused(&mut self, at: Ts) {
        self.push(at, Steps::push_refused);
    }

    /// Notes a resync beginning (a reconnect) or ending.
    pub fn note_resync(&mut self, at: Ts, begins: bool) {
        self.push(at, |steps, at| steps.push_resync(at, begins));
    }

    fn push(&mut self, at: Ts, put: impl FnOnce(&mut Steps, Ts)) {
        let Some(seg) = self.segments.back_mut() else {
            return;
        };
        // The floor's clock never goes back once it has seen an event; a
        // guessed clock before that may, and the steps stay in order.
        let at = seg.steps.last().map_or(at, |last| last.max(at));
        let before = seg.steps.heap_bytes();
        put(&mut seg.steps, at);
        self.bytes = self.bytes + seg.steps.heap_bytes() - before;
    }

    /// After a frame: takes a checkpoint of `floor` when one is due, and
    /// lets the oldest history go past the bounds.
    pub fn after_frame(&mut self, floor: &Floor) {
        let due = match self.segments.back() {
            None => true,
            Some(seg) => {
                !seg.steps.is_empty()
                    && (floor.now().since(seg.base.now()) >= self.bounds.checkpoint_every
                        || seg.steps.len() >= self.bounds.checkpoint_steps
                        // A segment is a small part of the bound, so the
                        // bound is kept by letting whole segments go.
                        || seg.steps.heap_bytes() >= self.bounds.max_bytes / 16)
            }
        };
        if due {
            self.checkpoint(floor);
        }
        self.evict();
    }

    fn checkpoint(&mut self, floor: &Floor) {
        if let Some(seg) = self.segments.back_mut() {
            // It will not grow again: give back the spare room.
            let before = seg.steps.heap_bytes();
            seg.steps.seal();
            self.bytes -= before - seg.steps.heap_bytes();
        }
        let shared = self
            .segments
            .back()
            .map_or(0, |seg| floor.approx_bytes_shared_with(&seg.base));
        let base_bytes = floor.approx_bytes() - shared;
        self.bytes += base_bytes;
        self.segments.push_back(Segment {
            base: floor.clone(),
            base_bytes,
            steps: Steps::default(),
        });
    }

    fn evict(&mut self) {
        let newest = self.latest();
        while self.segments.len() > 1 {
            let over_bytes = self.bytes > self.bounds.max_bytes;
            // The second segment still reaches back past the age bound:
            // the first is not needed to cover it.
            let too_old = self.segments[1].start() <= newest.minus(self.bounds.max_age);
            if !(over_bytes || too_old) {
                break;
            }
            if let Some(seg) = self.segments.pop_front() {
                self.bytes -= seg.bytes();
                // What the next checkpoint shared with it is now its own.
                if let Some(next) = self.segments.front_mut() {
                    let shared = next.base.approx_bytes_shared_with(&seg.base);
                    next.base_bytes += shared;
                    self.bytes += shared;
                }
            }
        }
    }

    /// Bytes held: each checkpoint's estimate ([`Floor::approx_bytes`]),
    /// what consecutive checkpoints share counted once, plus the packed
    /// steps.
    pub fn bytes(&self) -> usize {
        self.bytes
    }

    /// The steps kept, and the bytes they take (part of [`History::bytes`]).
    pub fn steps(&self) -> (usize, usize) {
        self.segments.iter().fold((0, 0), |(n, b), s| {
            (n + s.steps.len(), b + s.steps.heap_bytes())
        })
    }

    pub fn checkpoints(&self) -> usize {
        self.segments.len()
    }

    /// Each checkpoint's time, oldest first: a seek to just before one
    /// replays the most steps.
    pub fn checkpoint_times(&self) -> impl Iterator<Item = Ts> + '_ {
        self.segments.iter().map(|s| s.base.now())
    }

    /// The earliest instant a seek reaches.
    pub fn earliest(&self) -> Ts {
        self.segments.front().map_or(Ts(0), Segment::start)
    }

    /// The latest step's time (or the last checkpoint's).
    pub fn latest(&self) -> Ts {
        self.segments.back().map_or(Ts(0), Segment::end)
    }

    /// The floor as it was at `t` (clamped to the earliest instant kept):
    /// the checkpoint at or before it, every step up to `t` applied again,
    /// the clock moved on to `t`. A `t` past the newest step gives the
    /// floor of now with its clock at `t`.
    pub fn seek(&self, t: Ts) -> Floor {
        let t = t.max(self.earliest());
        let i = self
            .segments
            .partition_point(|s| s.base.now() <= t)
            .saturating_sub(1);
        let Some(seg) = self.segments.get(i) else {
            // Never empty once made; a default floor is the honest answer.
            return Floor::new(Default::default());
        };
        let mut floor = seg.base.clone();
        seg.steps.replay(t, |at, step| {
            floor.advance(at);
            match step {
                Replayed::Item(d) => floor.ingest(&d),
                Replayed::Line(line) => decode_frame(line, |d| floor.ingest(&d)),
                Replayed::Refused => floor.count_rejected(),
                Replayed::BeginResync => floor.begin_resync(),
                Replayed::EndResync => floor.end_resync(),
            }
        });
        floor.advance(t);
        floor.settle();
        floor
    }
}
