//! The simulation as what the broadcast server serves.
//!
//! Each event is encoded once for all clients. A new client gets the last
//! [`HISTORY`] of events first, so its window figures (service level,
//! handle times) are full from the first second, as a real feed's would be
//! for a monitor that had been running; the snapshot that follows sets the
//! live state.

use queuetop_engine::protocol::encode;
use queuetop_engine::time::{Millis, Ts};
use queuetop_feed::broadcast::{Hub, HubLimits, Producer};

use super::sim::Sim;

/// How much past a new client is sent (the default rolling window).
pub const HISTORY: Millis = 15 * 60_000;
/// At most this many past events are kept, whatever the rate.
const MAX_HISTORY_EVENTS: usize = 20_000;

impl Producer for Sim {
    fn advance(&mut self, now: Ts) -> Vec<(Ts, String)> {
        Sim::advance(self, now)
            .iter()
            .map(|ev| (ev.ts, encode(ev)))
            .collect()
    }

    /// A snapshot of the floor, then every queue's `queue.info`.
    fn hello(&self) -> Vec<String> {
        Sim::hello(self).iter().map(encode).collect()
    }

    /// Every queue's `queue.info`: the day's opening, which announced the
    /// service-level thresholds, lies further back than the past sent, and
    /// without them that past's waits would count against the default.
    fn preamble(&self, from: Ts) -> Vec<String> {
        self.queue_info_events(from).iter().map(encode).collect()
    }
}

/// The demo's hub: `backlog` frames kept for clients that read slowly.
pub fn hub(sim: Sim, backlog: usize) -> Hub<Sim> {
    Hub::new(
        sim,
        HubLimits {
            backlog,
            history: HISTORY,
            max_history_frames: MAX_HISTORY_EVENTS,
        },
    )
}
