//! A WebSocket server that broadcasts one [`Producer`]'s frames to every
//! client: the demo's simulated floor today, any feed-v1 source tomorrow.
//!
//! The [`Hub`] advances the producer and broadcasts each frame, encoded once
//! for all clients. A client joins by subscribing and taking the producer's
//! hello (a snapshot) under the same lock the hub broadcasts under, so the
//! hello and the first live frame fit together exactly: nothing is missed or
//! seen twice. The hub also keeps a bounded recent past and sends it to a
//! new client first, so its window figures are full from the first second.
//! [`server::run`] accepts the clients and serves them.

pub mod server;

use std::collections::VecDeque;
use std::sync::{Mutex, MutexGuard};

use queuetop_engine::time::{Millis, Ts};
use tokio::sync::broadcast;
use tokio_tungstenite::tungstenite::Utf8Bytes;

/// What a [`Hub`] serves.
pub trait Producer: Send + 'static {
    /// Moves on to `now`; the frames produced on the way, each with the
    /// instant it belongs to (the recent past is kept by that instant).
    fn advance(&mut self, now: Ts) -> Vec<(Ts, String)>;
    /// What a client joining now gets before the live stream: a snapshot
    /// of the state, so that the frames that follow apply to it.
    fn hello(&self) -> Vec<String>;
    /// What a client sent the recent past gets before it, stamped `from`
    /// (the instant of the past's first frame): what those frames need to
    /// be read as they were meant, such as each queue's service-level
    /// threshold, announced once at the start of a day that the past no
    /// longer reaches back to.
    fn preamble(&self, from: Ts) -> Vec<String> {
        let _ = from;
        Vec::new()
    }
}

/// How much a hub keeps.
#[derive(Clone, Copy, Debug)]
pub struct HubLimits {
    /// Frames kept for clients that read slowly (shared by all of them);
    /// a client further behind than that is sent a fresh hello instead.
    pub backlog: usize,
    /// How much past a new client is sent.
    pub history: Millis,
    /// At most this many past frames are kept, whatever the rate.
    pub max_history_frames: usize,
}

struct Inner<P> {
    producer: P,
    /// Frames of the last `history`, oldest first.
    history: VecDeque<(Ts, Utf8Bytes)>,
}

pub struct Hub<P> {
    inner: Mutex<Inner<P>>,
    tx: broadcast::Sender<Utf8Bytes>,
    limits: HubLimits,
}

impl<P: Producer> Hub<P> {
    pub fn new(producer: P, limits: HubLimits) -> Hub<P> {
        let (tx, _) = broadcast::channel(limits.backlog.max(1));
        Hub {
            inner: Mutex::new(Inner {
                producer,
                history: VecDeque::new(),
            }),
            tx,
            limits,
        }
    }

    fn inner(&self) -> MutexGuard<'_, Inner<P>> {
        // Producers keep no invariant a panic elsewhere could break half-way,
        // so a poisoned lock is still usable.
        self.inner.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Advances the producer to `now` and broadcasts what it produced;
    /// returns how many frames that was.
    pub fn tick(&self, now: Ts) -> usize {
        let mut inner = self.inner();
        let frames = inner.producer.advance(now);
        let n = frames.len();
        for (ts, text) in frames {
            let text = Utf8Bytes::from(text);
            inner.history.push_back((ts, text.clone()));
            // An error only means no client is listening right now.
            let _ = self.tx.send(text);
        }
        let horizon = now.minus(self.limits.history);
        while inner.history.front().is_some_and(|(ts, _)| *ts <= horizon)
            || inner.history.len() > self.limits.max_history_frames
        {
            inner.history.pop_front();
        }
        n
    }

    /// A new subscription and what its client must get before the live
    /// stream: the recent past (`with_history`) after the producer's
    /// preamble, then the producer's hello.
    pub fn join(&self, with_history: bool) -> (Vec<Utf8Bytes>, broadcast::Receiver<Utf8Bytes>) {
        let inner = self.inner();
        let rx = self.tx.subscribe();
        let mut hello: Vec<Utf8Bytes> = Vec::new();
        if with_history && let Some((from, _)) = inner.history.front() {
            hello.extend(
                inner
                    .producer
                    .preamble(*from)
                    .into_iter()
                    .map(Utf8Bytes::from),
            );
            hello.extend(inner.history.iter().map(|(_, text)| text.clone()));
        }
        hello.extend(inner.producer.hello().into_iter().map(Utf8Bytes::from));
        (hello, rx)
    }

    /// Reads the producer under the hub's lock.
    pub fn with<R>(&self, f: impl FnOnce(&P) -> R) -> R {
        f(&self.inner().producer)
    }
}
