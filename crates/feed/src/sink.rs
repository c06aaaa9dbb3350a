//! The sink that feeds a [`Monitor`] shared with the screen. Each call takes
//! the lock for one frame only, so the screen never waits long and the feed
//! never waits for the screen.

use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use super::FeedSink;
use queuetop_engine::dialect::Signal;
use queuetop_engine::health::LinkState;
use queuetop_engine::monitor::Monitor;
use queuetop_engine::protocol::RejectKind;
use queuetop_engine::time::Ts;

#[derive(Clone)]
pub struct MonitorSink {
    monitor: Arc<Mutex<Monitor>>,
}

impl MonitorSink {
    pub fn new(monitor: Arc<Mutex<Monitor>>) -> Self {
        MonitorSink { monitor }
    }

    fn lock(&self) -> MutexGuard<'_, Monitor> {
        // A panic elsewhere must not take the feed down with it.
        self.monitor.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

impl FeedSink for MonitorSink {
    fn connected(&mut self, local_ms: i64) {
        self.lock().connected(Ts(local_ms));
    }

    fn frame(&mut self, text: &str, local_ms: i64) -> Signal {
        self.lock().live_frame(text, Ts(local_ms))
    }

    fn refused(&mut self, why: RejectKind, local_ms: i64) {
        self.lock().refused(why, Ts(local_ms));
    }

    fn state(&mut self, state: LinkState, _local_ms: i64) {
        self.lock().set_link(state);
    }

    fn on_connect_messages(&mut self) -> Vec<String> {
        self.lock().dialect_mut().on_connect()
    }
}
