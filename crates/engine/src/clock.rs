//! The feed's clock, estimated from our own.
//!
//! docs/protocol.md: the offset between our clock and the feed's is the minimum of
//! `receive_time - ts` over a recent window (the minimum removes network
//! delay), and live timers tick as `local_now - offset`. One bad timestamp
//! must not throw every timer off, so per-second minima that sit far below
//! the others (a single event stamped in the future) are set aside; a real
//! change of the feed's clock moves the median too, and is followed within
//! half the window.
//!
//! A stream of such timestamps would move the median too, so an event
//! stamped more than [`MAX_AHEAD`] past both the feed's established time
//! and our clock is not believed at all ([`FeedClock::far_ahead`]): it is
//! refused before it can teach the clock anything. Neither yardstick alone
//! will do: our clock may be wrong, even by days, and the feed's time as
//! learnt may be wrong too (a first event stamped years ago).

use std::collections::VecDeque;

use crate::protocol::{Reject, RejectKind};
use crate::time::{Millis, Ts};

/// Seconds of history the estimate looks at.
const WINDOW_SECONDS: usize = 30;
/// A per-second minimum this far below the median is an outlier.
const OUTLIER: Millis = 60_000;
/// How far past the feed's established time an event may be stamped and
/// still be believed: a day, far more than any real clock error between a
/// platform's servers, and a bound that a feed stamping events in the year
/// 9999 cannot talk its way past.
pub const MAX_AHEAD: Millis = 24 * 3_600_000;

#[derive(Debug, Default, Clone)]
pub struct FeedClock {
    /// (local second, min of local - ts in that second), oldest first.
    buckets: VecDeque<(i64, Millis)>,
    offset: Option<Millis>,
}

impl FeedClock {
    /// Notes that an event stamped `ts` arrived at `local` (our wall clock).
    pub fn observe(&mut self, local: Ts, ts: Ts) {
        let sample = local.0.saturating_sub(ts.0);
        let second = local.0.div_euclid(1000);
        match self.buckets.back_mut() {
            Some((s, min)) if *s == second => {
                if sample < *min {
                    *min = sample;
                } else {
                    return;
                }
            }
            _ => {
                self.buckets.push_back((second, sample));
                while self
                    .buckets
                    .front()
                    .is_some_and(|(s, _)| *s <= second - WINDOW_SECONDS as i64)
                {
                    self.buckets.pop_front();
                }
            }
        }
        self.offset = Some(self.estimate());
    }

    fn estimate(&self) -> Millis {
        let mut minima: Vec<Millis> = self.buckets.iter().map(|(_, m)| *m).collect();
        minima.sort_unstable();
        let median = minima[minima.len() / 2];
        minima
            .into_iter()
            .find(|m| *m >= median - OUTLIER)
            .unwrap_or(median)
    }

    /// `local - feed`: positive when the feed's clock is behind ours.
    pub fn offset(&self) -> Millis {
        self.offset.unwrap_or(0)
    }

    /// The feed's time now, given ours.
    pub fn feed_now(&self, local: Ts) -> Ts {
        local.minus(self.offset())
    }

    /// Whether an event stamped `ts`, arriving at `local`, is more than
    /// [`MAX_AHEAD`] past both the feed's established time and our clock.
    /// The established time is the later of the clock's estimate now (the
    /// feed's time, ticking on ours since) and `floor_now` (the time the
    /// floor already has, which never goes back, so our clock set back by
    /// days does not turn the feed's next events into refusals). Our clock
    /// too, because the established time can be wrong: a first event
    /// stamped years ago would otherwise shut out every real one after it.
    /// Before the first event there is nothing to judge by but our clock,
    /// which is not to be trusted alone: nothing is refused.
    pub fn far_ahead(&self, local: Ts, floor_now: Ts, ts: Ts) -> bool {
        if self.offset.is_none() {
            return false;
        }
        let established = self.feed_now(local).max(floor_now);
        ts > established.plus(MAX_AHEAD) && ts > local.plus(MAX_AHEAD)
    }

    /// Forgets the estimate (a new source).
    pub fn reset(&mut self) {
        *self = FeedClock::default();
    }
}

/// The refusal of an event [`FeedClock::far_ahead`] does not believe:
/// counted as a bad `ts`, with the event's `seq` (it arrived: no gap; it
/// was not applied: a corrected one with the same `seq` still is).
pub fn far_ahead_reject(ts: Ts, seq: Option<u64>) -> Reject {
    Reject {
        kind: RejectKind::BadValue("ts"),
        excerpt: format!(
            "ts {} is more than a day ahead of the feed's own time and of this machine's clock",
            ts.0
        ),
        seq,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn minimum_removes_network_delay() {
        let mut c = FeedClock::default();
        // The feed runs one hour ahead; delays of 80, 20 and 50 ms.
        let ahead = 3_600_000;
        for (local, delay) in [(10_000, 80), (10_300, 20), (10_600, 50)] {
            c.observe(Ts(local), Ts(local - delay + ahead));
        }
        assert_eq!(c.offset(), 20 - ahead);
        assert_eq!(c.feed_now(Ts(20_000)), Ts(20_000 - 20 + ahead));
    }

    #[test]
    fn one_future_timestamp_is_set_aside() {
        let mut c = FeedClock::default();
        for s in 0..10 {
            c.observe(Ts(s * 1000), Ts(s * 1000 - 30));
        }
        c.observe(Ts(10_000), Ts(10_000 + 365 * 86_400_000));
        assert_eq!(c.offset(), 30);
    }

    #[test]
    fn a_real_clock_change_is_followed() {
        let mut c = FeedClock::default();
        for s in 0..30 {
            c.observe(Ts(s * 1000), Ts(s * 1000));
        }
        for s in 30..50 {
            c.observe(Ts(s * 1000), Ts(s * 1000 + 7_200_000));
        }
        assert_eq!(c.offset(), -7_200_000);
    }

    #[test]
    fn an_event_far_ahead_of_the_feeds_time_is_not_believed() {
        let mut c = FeedClock::default();
        assert!(!c.far_ahead(Ts(0), Ts(0), Ts(i64::MAX)), "no time yet");
        c.observe(Ts(10_000), Ts(10_000 - 7_200_000));
        let feed = 10_000 - 7_200_000;
        assert!(!c.far_ahead(Ts(10_000), Ts(feed), Ts(feed + MAX_AHEAD)));
        // Over a day past the feed's time, but not past ours by a day.
        assert!(!c.far_ahead(Ts(10_000), Ts(feed), Ts(feed + MAX_AHEAD + 1)));
        // Past both by over a day.
        assert!(c.far_ahead(Ts(10_000), Ts(feed), Ts(10_000 + MAX_AHEAD + 1)));
        // Our clock has moved on a day: so has the feed's.
        assert!(!c.far_ahead(Ts(10_000 + MAX_AHEAD), Ts(feed), Ts(feed + 2 * MAX_AHEAD)));
        // Our clock set back: the floor's time still stands.
        assert!(!c.far_ahead(Ts(10_000 - 3 * MAX_AHEAD), Ts(feed), Ts(feed + 1)));
        // The feed's time learnt years behind its real events (a first
        // event stamped long ago): ours still stands.
        let mut old = FeedClock::default();
        old.observe(Ts(10_000), Ts(10_000 - 100 * MAX_AHEAD));
        assert!(!old.far_ahead(Ts(11_000), Ts(10_000 - 100 * MAX_AHEAD), Ts(11_000)));
    }
}
