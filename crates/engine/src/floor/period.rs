//! Calendar periods: sums that only grow until the next boundary resets
//! them. "Today" (from `day_start`) and the current interval (config
//! `interval`, aligned to the clock) are both one; the rolling window is not
//! (its samples age out one by one, see [`super::window`]).

use jiff::tz::TimeZone;

use super::sample::{Sample, Scopes};
use super::settings::DayStart;
use crate::time::{Millis, Ts};

/// Where a period's boundaries fall.
#[derive(Clone, Debug)]
pub enum Calendar {
    /// One day, from the configured day start.
    Day(DayStart),
    /// Back-to-back intervals of `length` counted from local midnight in
    /// `tz` (the half hours of a platform's interval reports). `length`
    /// divides a day, so every midnight is a boundary; a day made shorter
    /// or longer by a clock change ends its last interval at midnight.
    Every { length: Millis, tz: TimeZone },
}

impl Calendar {
    /// The latest boundary at or before `now`.
    pub fn last_start(&self, now: Ts) -> Ts {
        match self {
            Calendar::Day(day) => day.last_start(now),
            Calendar::Every { length, tz } => {
                let midnight = DayStart {
                    tz: tz.clone(),
                    hour: 0,
                    minute: 0,
                }
                .last_start(now);
                let length = (*length).max(1);
                midnight.plus(now.since(midnight).max(0) / length * length)
            }
        }
    }

    /// The first boundary after `start` (itself a boundary).
    fn next_start(&self, start: Ts) -> Ts {
        // A day lasts 23 to 25 hours: 36 hours on lands inside the next one.
        // An interval's next boundary is at most `length` on (sooner when a
        // midnight comes first).
        let probe = match self {
            Calendar::Day(_) => 36 * 3_600_000,
            Calendar::Every { length, .. } => (*length).max(1),
        };
        let next = self.last_start(start.plus(probe));
        if next > start {
            next
        } else {
            start.plus(probe.min(24 * 3_600_000))
        }
    }
}

/// One calendar period's sums, and where it began.
#[derive(Clone, Debug)]
pub struct Period {
    calendar: Calendar,
    pub sums: Scopes,
    start: Ts,
    next: Ts,
    /// Keep the sums at all (a snapshot of the rolling window needs no day).
    kept: bool,
}

impl Period {
    pub fn new(calendar: Calendar, kept: bool) -> Self {
        Period {
            calendar,
            sums: Scopes {
                period: true,
                ..Scopes::default()
            },
            start: Ts(i64::MAX),
            next: Ts(i64::MIN),
            kept,
        }
    }

    /// When the current period began (`Ts(i64::MAX)` before any time).
    pub fn start(&self) -> Ts {
        self.start
    }

    /// When the current period ends: the next one's start.
    pub fn end(&self) -> Ts {
        self.next
    }

    /// Samples at or after this count in the period; never, when not kept.
    pub fn counts_from(&self) -> Ts {
        if self.kept { self.start } else { Ts(i64::MAX) }
    }

    /// [`Period::counts_from`] once the period holding `now` has started.
    pub fn counts_from_at(&self, now: Ts) -> Ts {
        if self.kept {
            self.calendar.last_start(now)
        } else {
            Ts(i64::MAX)
        }
    }

    /// A period not kept holds no sums for queues and agents (at 50,000
    /// agents they are megabytes); they read as empty.
    pub fn add_queue(&mut self) {
        if self.kept {
            self.sums.queues.push(Default::default());
        }
    }

    pub fn add_agent(&mut self) {
        if self.kept {
            self.sums.agents.push(Default::default());
        }
    }

    /// Counts a sample that belongs to the period, with `sign`.
    pub fn apply(&mut self, sample: &Sample, sign: i64) {
        if sample.ts >= self.counts_from() {
            self.sums.apply(sample, sign);
        }
    }

    /// Whether `now` lies outside the current period.
    pub fn due(&self, now: Ts) -> bool {
        now >= self.next || now < self.start
    }

    /// Starts the period holding `now` and counts again, from the samples
    /// still held, those that belong to it. Returns its start.
    pub fn roll(&mut self, now: Ts, held: impl Iterator<Item = Sample>) -> Ts {
        self.start = self.calendar.last_start(now);
        self.next = self.calendar.next_start(self.start);
        self.sums.clear();
        let from = self.counts_from();
        for s in held.filter(|s| s.ts >= from) {
            self.sums.apply(&s, 1);
        }
        self.start
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ts(s: &str) -> Ts {
        Ts::parse_rfc3339(s).unwrap()
    }

    fn every(minutes: i64, tz: TimeZone) -> Calendar {
        Calendar::Every {
            length: minutes * 60_000,
            tz,
        }
    }

    #[test]
    fn intervals_are_aligned_to_the_clock() {
        let c = every(30, TimeZone::UTC);
        assert_eq!(
            c.last_start(ts("2026-11-23T09:44:59Z")),
            ts("2026-11-23T09:30:00Z")
        );
        assert_eq!(
            c.last_start(ts("2026-11-23T10:00:00Z")),
            ts("2026-11-23T10:00:00Z")
        );
        assert_eq!(
            c.next_start(ts("2026-11-23T23:30:00Z")),
            ts("2026-11-24T00:00:00Z")
        );
    }

    #[test]
    fn intervals_follow_local_midnight() {
        // 5:30 ahead of UTC: hour intervals start at half past UTC hours.
        let Ok(offset) = jiff::tz::Offset::from_seconds(5 * 3_600 + 1_800) else {
            panic!("a valid offset")
        };
        let c = every(60, TimeZone::fixed(offset));
        assert_eq!(
            c.last_start(ts("2026-11-23T04:10:00Z")),
            ts("2026-11-23T03:30:00Z")
        );
    }

    #[test]
    fn a_clock_change_day_ends_its_last_interval_at_midnight() {
        let Ok(tz) = TimeZone::get("Europe/Paris") else {
            return; // no zone database: nothing to check
        };
        // 2026-10-25 has 25 hours in Paris; 90-minute intervals.
        let c = every(90, tz);
        // Midnight was 22:00 UTC the day before; 16 x 90 min later it is
        // 23:00 local, and the next midnight comes an hour after that.
        let last = c.last_start(ts("2026-10-25T22:50:00Z")); // 23:50 local
        assert_eq!(last, ts("2026-10-25T22:00:00Z"));
        assert_eq!(c.next_start(last), ts("2026-10-25T23:00:00Z"));
    }
}
