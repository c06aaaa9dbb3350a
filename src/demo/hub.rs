//! One simulation shared by every client of the demo server.
//!
//! The ticker advances the simulation and broadcasts each event's JSON,
//! encoded once for all clients. A client joins by subscribing and taking
//! a snapshot under the same lock the ticker broadcasts under, so its
//! snapshot and its first live event fit together exactly: nothing is
//! missed or seen twice.
//!
//! The hub also keeps the last [`HISTORY`] of events and sends them to a
//! new client first, so its window figures (service level, handle times)
//! are full from the first second, as a real feed's would be for a monitor
//! that had been running; the snapshot that follows sets the live state.

use std::collections::VecDeque;
use std::sync::{Mutex, MutexGuard};

use tokio::sync::broadcast;
use tokio_tungstenite::tungstenite::Utf8Bytes;

use super::sim::Sim;
use queuetop_engine::protocol::encode;
use queuetop_engine::time::{Millis, Ts};

/// How much past a new client is sent (the default rolling window).
pub const HISTORY: Millis = 15 * 60_000;
/// At most this many past events are kept, whatever the rate.
const MAX_HISTORY_EVENTS: usize = 20_000;

struct Inner {
    sim: Sim,
    /// Encoded events of the last [`HISTORY`], oldest first.
    history: VecDeque<(Ts, Utf8Bytes)>,
}

pub struct Hub {
    inner: Mutex<Inner>,
    tx: broadcast::Sender<Utf8Bytes>,
}

impl Hub {
    /// `capacity` bounds the frames kept for clients that read slowly; one
    /// further behind than that is sent a fresh snapshot instead.
    pub fn new(sim: Sim, capacity: usize) -> Hub {
        let (tx, _) = broadcast::channel(capacity.max(1));
        Hub {
            inner: Mutex::new(Inner {
                sim,
                history: VecDeque::new(),
            }),
            tx,
        }
    }

    fn inner(&self) -> MutexGuard<'_, Inner> {
        // The simulation has no invariant a panic elsewhere could break
        // half-way, so a poisoned lock is still usable.
        self.inner.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Advances the simulation to `now` and broadcasts what happened;
    /// returns how many events that was.
    pub fn tick(&self, now: Ts) -> usize {
        let mut inner = self.inner();
        let events = inner.sim.advance(now);
        for ev in &events {
            let text = Utf8Bytes::from(encode(ev));
            inner.history.push_back((ev.ts, text.clone()));
            // An error only means no client is listening right now.
            let _ = self.tx.send(text);
        }
        let horizon = now.minus(HISTORY);
        while inner.history.front().is_some_and(|(ts, _)| *ts <= horizon)
            || inner.history.len() > MAX_HISTORY_EVENTS
        {
            inner.history.pop_front();
        }
        events.len()
    }

    /// A new subscription and what its client must get before the live
    /// stream: the recent past (`with_history`), a snapshot of the floor,
    /// then every queue's `queue.info`.
    pub fn join(&self, with_history: bool) -> (Vec<Utf8Bytes>, broadcast::Receiver<Utf8Bytes>) {
        let inner = self.inner();
        let rx = self.tx.subscribe();
        let mut hello: Vec<Utf8Bytes> = Vec::new();
        if with_history {
            hello.extend(inner.history.iter().map(|(_, text)| text.clone()));
        }
        hello.extend(
            inner
                .sim
                .hello()
                .iter()
                .map(|ev| Utf8Bytes::from(encode(ev))),
        );
        (hello, rx)
    }

    /// The simulated instant and the last `seq` broadcast.
    #[cfg(test)]
    pub fn position(&self) -> (Ts, u64) {
        let inner = self.inner();
        (inner.sim.now(), inner.sim.last_seq())
    }
}
