//! What the relay passes on: every event its floor applies, numbered per
//! site, and now and then the floor's live state as a `snapshot` event.
//! Both are written under the monitor's lock, so the numbering follows the
//! floor's order: a snapshot never claims an event numbered after it.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};

use queuetop_engine::dialect::Signal;
use queuetop_engine::monitor::{Monitor, lock};
use queuetop_engine::protocol::{Event, EventKind, encode_numbered};
use queuetop_engine::time::Ts;
use queuetop_feed::nats::publisher::Shared;

#[derive(Clone)]
pub struct Relay {
    pub monitor: Arc<Mutex<Monitor>>,
    shared: Arc<Shared>,
    /// Set once the source delivered its first event: the first snapshot
    /// goes out then (not before: a restarted relay's empty floor would
    /// wipe the readers' live state until the platform spoke).
    started: Arc<AtomicBool>,
    /// A frame over the broker's size limit was left out (logged once).
    too_big: Arc<AtomicBool>,
}

impl Relay {
    pub fn new(monitor: Arc<Mutex<Monitor>>, shared: Arc<Shared>) -> Self {
        Relay {
            monitor,
            shared,
            started: Arc::new(AtomicBool::new(false)),
            too_big: Arc::new(AtomicBool::new(false)),
        }
    }

    /// A live frame: decoded, applied, and what was applied passed on.
    pub fn live_frame(&self, text: &str, local: Ts) -> Signal {
        let mut m = lock(&self.monitor);
        let mut any = false;
        let signal = m.live_frame_tap(text, local, &mut |ev| {
            any = true;
            self.push(ev);
        });
        self.after(&mut m, any);
        signal
    }

    /// A frame of a replay, on its own time.
    pub fn replay_frame(&self, text: &str) {
        let mut m = lock(&self.monitor);
        let mut any = false;
        m.replay_frame_tap(text, &mut |ev| {
            any = true;
            self.push(ev);
        });
        self.after(&mut m, any);
    }

    fn after(&self, m: &mut Monitor, applied: bool) {
        if applied && !self.started.swap(true, Ordering::Relaxed) {
            self.snapshot_locked(m);
        }
        if applied {
            self.shared.wake();
        }
    }

    /// Publishes the live floor now (once the source has started). `local`
    /// moves a live floor's clock first; a replay's stays on its events.
    pub fn snapshot(&self, local: Option<Ts>) {
        if !self.started.load(Ordering::Relaxed) {
            return;
        }
        let mut m = lock(&self.monitor);
        if let Some(local) = local {
            m.tick(local);
        }
        self.snapshot_locked(&mut m);
        self.shared.wake();
    }

    fn snapshot_locked(&self, m: &mut Monitor) {
        let ev = Event {
            ts: m.floor.now(),
            seq: None,
            kind: EventKind::Snapshot(Box::new(m.floor.live_snapshot())),
        };
        self.push(&ev);
    }

    fn push(&self, ev: &Event<'_>) {
        let max = queuetop_feed::nats::batch::room(self.shared.max_payload());
        let mut outbox = self.shared.outbox();
        let frame = encode_numbered(ev, outbox.next_seq());
        if frame.len() > max {
            // Not numbered, so readers see no gap: a snapshot of a floor
            // too big for one message is left out, logged once.
            if !self.too_big.swap(true, Ordering::Relaxed) {
                tracing::warn!(
                    "relay: a {} frame of {} bytes is over the broker's max_payload ({max} bytes) and is not published; raise max_payload in the broker's config (docs/relay.md)",
                    ev.kind.type_name(),
                    frame.len()
                );
            }
            return;
        }
        if outbox.push_numbered(frame) && outbox.dropped == 1 {
            // Once: the count is logged again when the broker is back.
            tracing::warn!(
                "relay: the buffer is full (the broker is away); dropping the oldest frames"
            );
        }
    }

    /// Frames still waiting for the broker.
    pub fn waiting(&self) -> usize {
        self.shared.outbox().len()
    }
}
