//! Figures that say when they cannot be trusted (issue 11, item 3).
//!
//! A window figure is a sum over the events we saw. A gap in the feed's
//! `seq`, a resync (the live state replaced by a server snapshot after we
//! already held one, or a reconnect) or an event dropped by a size limit
//! means some events of the window were never counted. Such a figure is
//! still shown, but marked `uncertain_since` until the window has rolled
//! past the last doubt: for the rolling window that is `W` after it; for
//! "today", the next day start.
//!
//! Only the time of the latest doubt and the start of the current uncertain
//! stretch are kept: O(1) memory, whatever the feed does.

use crate::time::{Millis, Ts};

/// Why a window figure is in doubt (several may apply).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct DoubtReasons {
    pub gap: bool,
    pub resync: bool,
    pub dropped: bool,
}

impl DoubtReasons {
    fn add(&mut self, r: Doubt) {
        match r {
            Doubt::Gap => self.gap = true,
            Doubt::Resync => self.resync = true,
            Doubt::Dropped => self.dropped = true,
        }
    }

    /// The reasons as words, for a tooltip or the JSON.
    pub fn words(&self) -> impl Iterator<Item = &'static str> {
        [
            (self.gap, "gap"),
            (self.resync, "resync"),
            (self.dropped, "dropped"),
        ]
        .into_iter()
        .filter(|(on, _)| *on)
        .map(|(_, w)| w)
    }
}

/// One kind of event that makes the window's sums incomplete.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Doubt {
    /// A forward jump in `seq`: events between were never seen.
    Gap,
    /// A reconnect, or a snapshot replacing state we already held.
    Resync,
    /// An event or a window sample dropped by a size limit.
    Dropped,
}

/// Since when a window figure has been in doubt, and why.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Uncertainty {
    /// The first doubt of the uncertain stretch still under way.
    pub since: Ts,
    /// The latest doubt: the figure is trusted again once the window has
    /// rolled past it.
    pub last: Ts,
    pub reasons: DoubtReasons,
}

#[derive(Clone, Debug, Default)]
pub struct Trust {
    rolling: Option<Uncertainty>,
    today: Option<Uncertainty>,
    interval: Option<Uncertainty>,
    /// The floor's first `now`: before it we saw nothing.
    started: Option<Ts>,
}

impl Trust {
    pub fn note_start(&mut self, now: Ts) {
        self.started.get_or_insert(now);
    }

    pub fn started(&self) -> Option<Ts> {
        self.started
    }

    /// Records a doubt at `at`. `width` is the rolling window's, `today_start`
    /// the current day's start.
    pub fn note(&mut self, at: Ts, why: Doubt, width: Millis, today_start: Ts) {
        let rolling = match self.rolling {
            Some(u) if at.since(u.last) < width => u,
            _ => fresh(at),
        };
        self.rolling = Some(grow(rolling, at, why));
        self.today = Some(grow(in_period(self.today, at, today_start), at, why));
    }

    /// Records a doubt at `at` in the interval that began at `start`.
    pub fn note_interval(&mut self, at: Ts, why: Doubt, start: Ts) {
        self.interval = Some(grow(in_period(self.interval, at, start), at, why));
    }

    /// The rolling window `(now - W, now]` is in doubt while it holds the
    /// latest doubt.
    pub fn rolling(&self, now: Ts, width: Millis) -> Option<Uncertainty> {
        self.rolling.filter(|u| now.since(u.last) < width)
    }

    /// The day is in doubt from its first doubt to the next day start.
    pub fn today(&self, today_start: Ts) -> Option<Uncertainty> {
        self.today.filter(|u| u.since >= today_start)
    }

    /// The interval likewise, to its end.
    pub fn interval(&self, start: Ts) -> Option<Uncertainty> {
        self.interval.filter(|u| u.since >= start)
    }
}

/// A calendar period's stretch of doubt: the one under way if it began in
/// the period, else a new one.
fn in_period(held: Option<Uncertainty>, at: Ts, start: Ts) -> Uncertainty {
    match held {
        Some(u) if u.since >= start => u,
        _ => fresh(at),
    }
}

fn fresh(at: Ts) -> Uncertainty {
    Uncertainty {
        since: at,
        last: at,
        reasons: DoubtReasons::default(),
    }
}

fn grow(mut u: Uncertainty, at: Ts, why: Doubt) -> Uncertainty {
    u.last = u.last.max(at);
    u.reasons.add(why);
    u
}

impl super::Floor {
    /// Records a doubt at the floor's `now`.
    pub(super) fn doubt(&mut self, why: Doubt) {
        let (width, start) = (self.window.width(), self.window.today_start());
        self.trust.note(self.now, why, width, start);
        let interval = self.window.interval_start();
        self.trust.note_interval(self.now, why, interval);
    }

    /// Notes the doubts an applied event or a `seq` left behind, from the
    /// counters before and after it: one place, whatever path counted them.
    pub(super) fn doubt_from(&mut self, before: (u64, u64, u64)) {
        let after = self.doubt_counters();
        if after.0 > before.0 {
            self.doubt(Doubt::Gap);
        }
        if after.1 > before.1 || after.2 > before.2 {
            self.doubt(Doubt::Dropped);
        }
    }

    pub(super) fn doubt_counters(&self) -> (u64, u64, u64) {
        (
            self.counts.gaps,
            self.counts.over_limit,
            self.window.overflowed,
        )
    }

    /// Whether the window figures of `kind` may miss events, and since when
    /// (the JSON's `uncertain_since`); `None` when they can be trusted.
    pub fn uncertain_since(&self, kind: super::WindowKind) -> Option<Uncertainty> {
        match kind {
            super::WindowKind::Rolling => self.trust.rolling(self.now, self.window.width()),
            super::WindowKind::Today => self.trust.today(self.window.today_start()),
            super::WindowKind::Interval => self.trust.interval(self.window.interval_start()),
        }
    }

    /// How much of the rolling window the floor has seen: `W`, or less in
    /// the first `W` after it started. Rates (contacts per second) divide
    /// by this, not by `W`, so they are not too low at start.
    pub fn window_seen(&self) -> Millis {
        let w = self.window.width();
        self.trust.started().map_or(0, |s| self.now.since(s).min(w))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rolling_doubt_lasts_one_window_after_the_last_one() {
        let mut t = Trust::default();
        t.note(Ts(10_000), Doubt::Gap, 60_000, Ts(0));
        assert_eq!(t.rolling(Ts(10_000), 60_000).unwrap().since, Ts(10_000));
        // A second doubt inside the window extends the stretch, same start.
        t.note(Ts(40_000), Doubt::Dropped, 60_000, Ts(0));
        let u = t.rolling(Ts(69_999), 60_000).unwrap();
        assert_eq!((u.since, u.last), (Ts(10_000), Ts(40_000)));
        assert!(u.reasons.gap && u.reasons.dropped && !u.reasons.resync);
        assert!(t.rolling(Ts(99_999), 60_000).is_some());
        // (now - W, now] no longer holds 40 000.
        assert!(t.rolling(Ts(100_000), 60_000).is_none());
        // A later doubt starts a new stretch with only its own reason.
        t.note(Ts(200_000), Doubt::Resync, 60_000, Ts(0));
        let u = t.rolling(Ts(200_000), 60_000).unwrap();
        assert_eq!(u.since, Ts(200_000));
        assert_eq!(u.reasons.words().collect::<Vec<_>>(), vec!["resync"]);
    }

    #[test]
    fn today_doubt_lasts_until_the_next_day_start() {
        let mut t = Trust::default();
        t.note(Ts(5_000), Doubt::Gap, 1_000, Ts(0));
        assert_eq!(t.today(Ts(0)).unwrap().since, Ts(5_000));
        assert!(t.today(Ts(86_400_000)).is_none());
        t.note(Ts(86_400_500), Doubt::Gap, 1_000, Ts(86_400_000));
        assert_eq!(t.today(Ts(86_400_000)).unwrap().since, Ts(86_400_500));
    }
}
