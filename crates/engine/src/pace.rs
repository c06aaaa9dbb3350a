//! The pace of a replay played at a speed: the replay's own clock runs at
//! `speed` times ours while playing, stands still while paused, and moves
//! by steps.
//!
//! Two sides use it under the monitor's lock: the view asks ([`Pace::ask`]:
//! pause, faster, one event on...) and the replay task, which alone knows
//! its clock, applies what was asked at its next look ([`Pace::settle`])
//! and asks when the next event is due ([`Pace::due`]). Our time is passed
//! in as milliseconds on any steady clock, the task's own.

use crate::time::{Millis, Ts};

/// The speeds `+` and `-` step through.
pub const SPEEDS: [f64; 13] = [
    0.25, 0.5, 1.0, 2.0, 5.0, 10.0, 20.0, 50.0, 100.0, 200.0, 500.0, 1000.0, 5000.0,
];

/// What the view can ask of a playing replay.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Ask {
    PlayPause,
    Faster,
    Slower,
    /// Pause (if playing) and apply the next event.
    NextEvent,
    /// Move the replay's clock on by this much (paused or not): the events
    /// it passes apply at once.
    Skip(Millis),
}

/// When the next event may apply.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Due {
    Now,
    /// In this many of our milliseconds, at the current speed.
    In(Millis),
    /// Not while paused: look again after a while.
    Paused,
}

/// Most asks held between two looks of the replay task (keys held down).
const MAX_ASKED: usize = 32;

#[derive(Clone, Debug, PartialEq)]
pub struct Pace {
    speed: f64,
    paused: bool,
    /// Our time and the replay's when the pace last changed; `None`
    /// before the first event.
    anchor: Option<(Millis, Ts)>,
    asked: Vec<Ask>,
    /// The next event applies whenever it is due.
    step_event: bool,
}

impl Pace {
    pub fn new(speed: f64) -> Self {
        Pace {
            speed: if speed.is_finite() && speed > 0.0 {
                speed
            } else {
                1.0
            },
            paused: false,
            anchor: None,
            asked: Vec::new(),
            step_event: false,
        }
    }

    pub fn speed(&self) -> f64 {
        self.speed
    }

    pub fn paused(&self) -> bool {
        self.paused
    }

    /// The speed as the header shows it: `x10`, `x0.25`.
    pub fn speed_text(&self) -> String {
        format!("x{}", self.speed)
    }

    /// Asks for a change; the replay task applies it at its next look.
    pub fn ask(&mut self, a: Ask) {
        if self.asked.len() < MAX_ASKED {
            self.asked.push(a);
        }
    }

    /// The replay's time at our `local`, once the first event set it.
    pub fn replay_time(&self, local: Millis) -> Option<Ts> {
        let (l0, t0) = self.anchor?;
        if self.paused {
            return Some(t0);
        }
        let ahead = (local.saturating_sub(l0) as f64 * self.speed).min(i64::MAX as f64 / 2.0);
        Some(t0.plus(ahead as i64))
    }

    /// The replay task's look: applies what was asked, at our `local`.
    /// Returns whether anything changed (the screen should know).
    pub fn settle(&mut self, local: Millis) -> bool {
        if self.asked.is_empty() {
            return false;
        }
        // Each change starts from where the replay is now.
        if let Some(t) = self.replay_time(local) {
            self.anchor = Some((local, t));
        }
        for a in std::mem::take(&mut self.asked) {
            match a {
                Ask::PlayPause => self.paused = !self.paused,
                Ask::Faster => {
                    self.speed = SPEEDS
                        .iter()
                        .copied()
                        .find(|s| *s > self.speed)
                        .unwrap_or(self.speed)
                }
                Ask::Slower => {
                    self.speed = SPEEDS
                        .iter()
                        .rev()
                        .copied()
                        .find(|s| *s < self.speed)
                        .unwrap_or(self.speed)
                }
                Ask::NextEvent => {
                    self.paused = true;
                    self.step_event = true;
                }
                Ask::Skip(ms) => {
                    if let Some((l, t)) = self.anchor {
                        self.anchor = Some((l, t.plus(ms.max(0))));
                    }
                }
            }
        }
        true
    }

    /// Whether the event at `ts` may apply at our `local`. The first event
    /// starts the replay's clock at its own time.
    pub fn due(&mut self, local: Millis, ts: Ts) -> Due {
        let (_, t0) = *self.anchor.get_or_insert((local, ts));
        if std::mem::take(&mut self.step_event) {
            // One event on: the replay's clock goes to it (never back).
            self.anchor = Some((local, t0.max(ts)));
            return Due::Now;
        }
        match self.replay_time(local) {
            Some(now) if now >= ts => Due::Now,
            _ if self.paused => Due::Paused,
            Some(now) => Due::In(((ts.since(now) as f64 / self.speed).ceil() as Millis).max(1)),
            None => Due::Now,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plays_at_its_speed_and_stands_still_paused() {
        let mut p = Pace::new(10.0);
        assert_eq!(p.replay_time(0), None);
        assert_eq!(
            p.due(1_000, Ts(50_000)),
            Due::Now,
            "the first event starts it"
        );
        assert_eq!(p.replay_time(3_000), Some(Ts(70_000)));
        assert_eq!(p.due(3_000, Ts(80_000)), Due::In(1_000));
        p.ask(Ask::PlayPause);
        assert_eq!(p.replay_time(3_000), Some(Ts(70_000)), "asked, not applied");
        assert!(p.settle(3_000));
        assert!(!p.settle(3_000), "nothing more asked");
        assert_eq!(p.replay_time(60_000), Some(Ts(70_000)));
        assert_eq!(p.due(60_000, Ts(80_000)), Due::Paused);
        p.ask(Ask::PlayPause);
        p.settle(60_000);
        assert_eq!(
            p.replay_time(61_000),
            Some(Ts(80_000)),
            "on from where it stood"
        );
    }

    #[test]
    fn speeds_step_through_the_list_and_keep_the_replays_time() {
        let mut p = Pace::new(10.0);
        p.due(0, Ts(0));
        p.ask(Ask::Faster);
        p.settle(1_000);
        assert_eq!((p.speed(), p.speed_text().as_str()), (20.0, "x20"));
        assert_eq!(p.replay_time(2_000), Some(Ts(30_000)));
        for _ in 0..6 {
            p.ask(Ask::Slower);
        }
        p.settle(2_000);
        assert_eq!(p.speed_text(), "x0.25");
        // An odd speed from the command line steps to its neighbours.
        let mut p = Pace::new(3.0);
        p.ask(Ask::Faster);
        p.settle(0);
        assert_eq!(p.speed(), 5.0);
        let mut p = Pace::new(5000.0);
        p.ask(Ask::Faster);
        p.settle(0);
        assert_eq!(p.speed(), 5000.0, "the top stays the top");
    }

    #[test]
    fn one_event_on_pauses_and_applies_exactly_the_next() {
        let mut p = Pace::new(1.0);
        p.due(0, Ts(0));
        p.ask(Ask::NextEvent);
        p.settle(1_000);
        assert!(p.paused());
        assert_eq!(p.due(1_000, Ts(60_000)), Due::Now);
        assert_eq!(p.replay_time(5_000), Some(Ts(60_000)), "at the event");
        assert_eq!(p.due(5_000, Ts(61_000)), Due::Paused, "and no further");
        // An event already past does not take the clock back.
        p.ask(Ask::NextEvent);
        p.settle(5_000);
        assert_eq!(p.due(5_000, Ts(59_000)), Due::Now);
        assert_eq!(p.replay_time(5_000), Some(Ts(60_000)));
    }

    #[test]
    fn a_skip_moves_the_clock_on_paused_or_not() {
        let mut p = Pace::new(2.0);
        p.due(0, Ts(0));
        p.ask(Ask::PlayPause);
        p.ask(Ask::Skip(1_000));
        p.settle(500);
        assert_eq!(p.replay_time(9_000), Some(Ts(2_000)));
        assert_eq!(p.due(9_000, Ts(2_000)), Due::Now);
        p.ask(Ask::Skip(-5_000));
        p.settle(9_000);
        assert_eq!(p.replay_time(9_000), Some(Ts(2_000)), "never back");
    }

    #[test]
    fn asks_are_bounded_and_bad_speeds_are_one() {
        let mut p = Pace::new(f64::NAN);
        assert_eq!(p.speed(), 1.0);
        for _ in 0..1_000 {
            p.ask(Ask::Faster);
        }
        assert_eq!(p.asked.len(), MAX_ASKED);
    }
}
