//! The sink that feeds a [`Monitor`] shared with the screen. Each call takes
//! the lock for one frame only, so the screen never waits long and the feed
//! never waits for the screen.

use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use super::FeedSink;
use crate::record::Recorder;
use queuetop_engine::dialect::Signal;
use queuetop_engine::health::LinkState;
use queuetop_engine::monitor::{Monitor, lock};
use queuetop_engine::protocol::RejectKind;
use queuetop_engine::time::Ts;

/// A recording shared by the sink (which writes) and the program (which
/// flushes it on the way out). Its lock is not the monitor's.
pub type Recording = Arc<Mutex<Recorder>>;

#[derive(Clone)]
pub struct MonitorSink {
    monitor: Arc<Mutex<Monitor>>,
    recording: Option<Recording>,
    /// The site this feed is, in a view of several (docs/sites.md).
    site: Option<usize>,
}

impl MonitorSink {
    pub fn new(monitor: Arc<Mutex<Monitor>>) -> Self {
        MonitorSink {
            monitor,
            recording: None,
            site: None,
        }
    }

    /// Feeds site `i` of the monitor (see [`Monitor::add_site`]).
    pub fn for_site(monitor: Arc<Mutex<Monitor>>, i: usize) -> Self {
        MonitorSink {
            site: Some(i),
            ..MonitorSink::new(monitor)
        }
    }

    /// Keeps every received frame in `recording` too.
    pub fn recording_to(mut self, recording: Option<Recording>) -> Self {
        self.recording = recording;
        self
    }

    fn lock(&self) -> MutexGuard<'_, Monitor> {
        lock(&self.monitor)
    }
}

impl FeedSink for MonitorSink {
    fn connected(&mut self, local_ms: i64) {
        match self.site {
            Some(i) => self.lock().site_connected(i, Ts(local_ms)),
            None => self.lock().connected(Ts(local_ms)),
        }
    }

    fn frame(&mut self, text: &str, local_ms: i64) -> Signal {
        let local = Ts(local_ms);
        if let Some(i) = self.site {
            // A site's frames are not recorded (one file holds one feed).
            return self.lock().site_live_frame(i, text, local);
        }
        let Some(recording) = &self.recording else {
            return self.lock().live_frame(text, local);
        };
        // A feed's frame in the shape of a supervisor's mark is the feed's
        // (live, it counts as an unknown type); recorded, it would come
        // back from the replay as a mark nobody set. It is not recorded.
        if queuetop_engine::mark::Mark::from_line(text).is_some() {
            return self.lock().live_frame(text, local);
        }
        let (signal, line) = {
            let mut m = self.lock();
            let line = m.record_line(text, local);
            (m.live_frame(text, local), line)
        };
        // The monitor's lock is released: the disk may take its time.
        recording
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .write(&line);
        signal
    }

    fn refused(&mut self, why: RejectKind, local_ms: i64) {
        match self.site {
            Some(i) => self.lock().site_refused(i, why, Ts(local_ms)),
            None => self.lock().refused(why, Ts(local_ms)),
        }
    }

    fn state(&mut self, state: LinkState, _local_ms: i64) {
        match self.site {
            Some(i) => self.lock().set_site_link(i, state),
            None => self.lock().set_link(state),
        }
    }

    fn on_connect_messages(&mut self) -> Vec<String> {
        match self.site {
            Some(i) => self.lock().site_on_connect(i),
            None => self.lock().dialect_mut().on_connect(),
        }
    }
}
