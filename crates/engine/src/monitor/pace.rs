//! A paced replay's controls, kept by the monitor: the view asks (pause,
//! faster, one event on), the replay task looks before each event. Both
//! hold the monitor's lock, so the pace changes only here.

use super::Monitor;
use crate::pace::{Ask, Due, Pace};
use crate::time::{Millis, Ts};

impl Monitor {
    /// The replay task plays at `speed` from now on (the view's keys can
    /// change it).
    pub fn pace_replay(&mut self, speed: f64) {
        self.pace = Some(Pace::new(speed));
        self.generation += 1;
    }

    /// The paced replay's state, for the header; `None` when not a paced
    /// replay.
    pub fn pace(&self) -> Option<&Pace> {
        self.pace.as_ref()
    }

    /// Passes one of the view's asks to the paced replay. Returns false
    /// (the ask is dropped) when nothing is paced.
    pub fn ask_replay(&mut self, a: Ask) -> bool {
        match &mut self.pace {
            Some(p) => {
                p.ask(a);
                true
            }
            None => false,
        }
    }

    /// The replay task's look before the event at `ts`, at its own steady
    /// `local` time: applies what the view asked, moves the floor's clock
    /// on with the replay's (timers tick while it waits) and says when the
    /// event is due. `None` when nothing is paced (apply at once).
    pub fn replay_due(&mut self, local: Millis, ts: Ts) -> Option<Due> {
        let pace = self.pace.as_mut()?;
        if pace.settle(local) {
            self.generation += 1;
        }
        let due = pace.due(local, ts);
        if let Some(at) = pace.replay_time(local) {
            self.floor.advance(at.min(ts));
        }
        Some(due)
    }
}
