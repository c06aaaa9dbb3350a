//! The rolling window and the "today" window.
//!
//! Samples are kept while they are inside the rolling window `(now - W, now]`
//! and summed into three sets of [`Scopes`]: the rolling one, from which they
//! are subtracted again as they age out, and two calendar [`Period`]s, today
//! and the current interval, which only grow until their next boundary
//! resets them. The samples are held in time order by [`Held`], as
//! occupancy's records are.

use super::held::{Held, Timed};
use super::occupancy::{Base, Occupancy};
use super::packed::PackedSample;
use super::period::{Calendar, Period};
use super::sample::{Sample, SampleKind, Scopes, WaitRules};
use crate::time::{Millis, Ts};

impl Timed for PackedSample {
    fn at(&self) -> Ts {
        self.ts()
    }
}

#[derive(Clone, Debug)]
pub struct Window {
    width: Millis,
    max_samples: usize,
    now: Ts,
    held: Held<PackedSample>,
    pub rolling: Scopes,
    pub today: Period,
    pub interval: Period,
    rules: Vec<WaitRules>,
    /// A queue's rules changed since the held waits were classified.
    unsettled: bool,
    settled_at: Ts,
    /// Samples pushed out of the rolling window early by the sample limit.
    pub overflowed: u64,
    /// Occupancy's time integrals (not samples: see [`super::occupancy`]).
    pub occupancy: Occupancy,
}

impl Window {
    /// Heap bytes held, roughly (for the rewind history's bound).
    pub(super) fn heap_bytes_by_part(&self) -> Vec<(&'static str, usize)> {
        use super::footprint::{scopes, vec};
        let (rolling, rolling_longest) = scopes(&self.rolling);
        let (today, today_longest) = scopes(&self.today.sums);
        let (interval, interval_longest) = scopes(&self.interval.sums);
        vec![
            ("window samples", vec(&self.rules) + self.held.heap_bytes()),
            ("rolling sums", rolling),
            ("rolling longest waits", rolling_longest),
            ("today sums", today),
            ("today longest waits", today_longest),
            ("interval sums", interval),
            ("interval longest waits", interval_longest),
            ("occupancy records", self.occupancy.records_bytes()),
            (
                "occupancy sums",
                self.occupancy.heap_bytes() - self.occupancy.records_bytes(),
            ),
        ]
    }

    /// Heap bytes shared with `other` (a copy): samples and records.
    pub(super) fn shared_bytes(&self, other: &Window) -> usize {
        self.held.shared_bytes(&other.held) + self.occupancy.shared_bytes(&other.occupancy)
    }

    /// `today` is kept only when `track_today` (a snapshot of the rolling
    /// window needs no day); the interval always is.
    pub fn new(
        width: Millis,
        today: Calendar,
        interval: Calendar,
        max_samples: usize,
        track_today: bool,
    ) -> Self {
        Window {
            width: width.max(1),
            max_samples: max_samples.max(1),
            now: Ts(i64::MIN),
            held: Held::default(),
            rolling: Scopes::default(),
            today: Period::new(today, track_today),
            interval: Period::new(interval, true),
            rules: Vec::new(),
            unsettled: false,
            settled_at: Ts(i64::MIN),
            overflowed: 0,
            occupancy: Occupancy::default(),
        }
    }

    /// The window's clock.
    pub fn now(&self) -> Ts {
        self.now
    }

    /// The rolling window's old end, `now - W` (outside it).
    pub fn cutoff(&self) -> Ts {
        self.now.minus(self.width)
    }

    pub fn width(&self) -> Millis {
        self.width
    }

    pub fn today_start(&self) -> Ts {
        self.today.start()
    }

    pub fn interval_start(&self) -> Ts {
        self.interval.start()
    }

    /// Counts a sample, with `sign`, in the periods it belongs to.
    fn apply_periods(&mut self, s: &Sample, sign: i64) {
        self.today.apply(s, sign);
        self.interval.apply(s, sign);
    }

    pub fn add_queue(&mut self, rules: WaitRules) {
        self.rules.push(rules);
        self.rolling.queues.push(Default::default());
        self.today.add_queue();
        self.interval.add_queue();
        self.occupancy.add_queue();
    }

    pub fn add_agent(&mut self) {
        self.rolling.agents.push(Default::default());
        self.today.add_agent();
        self.interval.add_agent();
        self.occupancy.add_agent();
    }

    /// Changes how a queue's waits are classified. New waits use the new
    /// rules at once; the waits already held are counted again by
    /// [`Window::settle`], which runs at most once a second of feed time
    /// (a feed flipping thresholds cannot make every event rescan the
    /// window), and before figures are read. (Waits already gone from the
    /// rolling window keep, in the periods' sums, the class they had.)
    pub fn set_rules(&mut self, queue: usize, rules: WaitRules) {
        if self.rules.get(queue) == Some(&rules) || queue >= self.rules.len() {
            return;
        }
        self.rules[queue] = rules;
        self.unsettled = true;
    }

    /// Counts the held waits again under their queue's current rules.
    pub fn settle(&mut self) {
        if !self.unsettled {
            return;
        }
        self.unsettled = false;
        self.settled_at = self.now;
        let (rolling, today, interval, rules) = (
            &mut self.rolling,
            &mut self.today,
            &mut self.interval,
            &self.rules,
        );
        let mut reclassify = |p: &PackedSample| -> Option<PackedSample> {
            let s = &p.unpack();
            let new = reclassified(s, rules)?;
            rolling.apply(s, -1);
            rolling.apply(&new, 1);
            for period in [&mut *today, &mut *interval] {
                period.apply(s, -1);
                period.apply(&new, 1);
            }
            Some(PackedSample::from(&new))
        };
        self.held.update(&mut reclassify);
    }

    /// Records a completed sample. A sample stamped after `now` (a feed
    /// clock a little ahead of our estimate) counts as of `now`.
    pub fn push(&mut self, mut sample: Sample) {
        if sample.ts > self.now {
            sample.ts = self.now;
        }
        if let SampleKind::Wait { wait, end, class } = &mut sample.kind {
            let rules = sample.queue.and_then(|q| self.rules.get(q.0 as usize));
            *class = rules.map(|r| r.classify(*wait, *end)).unwrap_or_default();
        }
        // Counted as it will be held, so that what leaves the sums later
        // is exactly what entered them.
        let packed = PackedSample::from(&sample);
        let sample = packed.unpack();
        self.apply_periods(&sample, 1);
        if sample.ts <= self.now.minus(self.width) {
            return; // already older than the rolling window
        }
        self.rolling.apply(&sample, 1);
        self.held.push(packed);
        if self.held.len() > self.max_samples {
            self.overflowed += 1;
            self.pop_oldest();
        }
    }

    /// Moves the window to `now`. Time only moves forward; an earlier `now`
    /// is ignored.
    pub fn advance(&mut self, now: Ts) {
        if now <= self.now {
            return;
        }
        self.now = now;
        if self.today.due(now) {
            self.roll_day(now);
        }
        if self.interval.due(now) {
            self.roll_interval(now);
        }
        let cutoff = now.minus(self.width);
        while self.held.oldest().is_some_and(|ts| ts <= cutoff) {
            self.pop_oldest();
        }
        self.occupancy.expire(cutoff);
        if self.unsettled && now.since(self.settled_at) >= 1_000 {
            self.settle();
        }
    }

    fn pop_oldest(&mut self) {
        if let Some(p) = self.held.pop_oldest() {
            let s = p.unpack();
            self.rolling.apply(&s, -1);
            if self.unsettled {
                self.settle_leaving(&s);
            }
        }
    }

    /// A wait leaving the rolling window while the rules changed and the
    /// held waits are not yet counted again ([`Window::settle`] runs at most
    /// once a second): the periods' sums count it under the current rules
    /// now, as they would have had it stayed until then. Without this, a
    /// threshold changed a moment before the wait left would never reach it
    /// (docs/metrics.md: the waits still in the window are counted again).
    fn settle_leaving(&mut self, s: &Sample) {
        if let Some(new) = reclassified(s, &self.rules) {
            self.apply_periods(s, -1);
            self.apply_periods(&new, 1);
        }
    }

    fn roll_day(&mut self, now: Ts) {
        let held = self
            .held
            .iter_from(self.today.counts_from_at(now))
            .map(PackedSample::unpack);
        let start = self.today.roll(now, held);
        self.occupancy.roll(Base::Today, start);
    }

    fn roll_interval(&mut self, now: Ts) {
        let held = self
            .held
            .iter_from(self.interval.counts_from_at(now))
            .map(PackedSample::unpack);
        let start = self.interval.roll(now, held);
        self.occupancy.roll(Base::Interval, start);
    }

    #[cfg(test)]
    pub fn len(&self) -> usize {
        self.held.len()
    }
}

/// A wait as its queue's current rules class it, if that is not the class
/// it was counted with.
fn reclassified(s: &Sample, rules: &[WaitRules]) -> Option<Sample> {
    let SampleKind::Wait { wait, end, class } = s.kind else {
        return None;
    };
    let new = s
        .queue
        .and_then(|q| rules.get(q.0 as usize))?
        .classify(wait, end);
    (new != class).then_some(Sample {
        kind: SampleKind::Wait {
            wait,
            end,
            class: new,
        },
        ..*s
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::floor::sample::{QueueIdx, WaitClass, WaitEnd};

    fn entered(ts: i64) -> Sample {
        Sample {
            ts: Ts(ts),
            queue: Some(QueueIdx(0)),
            kind: SampleKind::Entered,
        }
    }

    fn day() -> Calendar {
        Calendar::Day(crate::floor::DayStart::default())
    }

    fn every_minute() -> Calendar {
        Calendar::Every {
            length: 60_000,
            tz: jiff::tz::TimeZone::UTC,
        }
    }

    fn window(width: Millis) -> Window {
        let mut w = Window::new(width, day(), every_minute(), 100, true);
        w.add_queue(WaitRules {
            threshold: 20_000,
            short_abandon: 0,
        });
        w
    }

    #[test]
    fn membership_is_open_at_the_old_end_and_closed_at_now() {
        let mut w = window(10_000);
        w.advance(Ts(100_000));
        w.push(entered(90_000)); // exactly now - W: outside
        w.push(entered(90_001));
        w.push(entered(100_000));
        assert_eq!(w.rolling.total.entered, 2);
        w.advance(Ts(100_001));
        assert_eq!(w.rolling.total.entered, 1);
        w.advance(Ts(110_000));
        assert_eq!(w.rolling.total.entered, 0);
        assert_eq!(w.len(), 0);
    }

    #[test]
    fn late_samples_expire_in_time_order() {
        let mut w = window(10_000);
        w.advance(Ts(100_000));
        w.push(entered(99_000));
        w.push(entered(95_000)); // late
        w.push(entered(97_000)); // late
        assert_eq!(w.rolling.total.entered, 3);
        w.advance(Ts(105_500));
        assert_eq!(w.rolling.total.entered, 2);
        w.advance(Ts(107_500));
        assert_eq!(w.rolling.total.entered, 1);
        w.advance(Ts(109_000));
        assert_eq!(w.rolling.total.entered, 0);
    }

    #[test]
    fn today_survives_the_rolling_window_and_resets_at_day_start() {
        let day = 86_400_000;
        let mut w = window(10_000);
        w.advance(Ts(day + 1_000));
        w.push(entered(day + 1_000));
        w.advance(Ts(day + 60_000));
        assert_eq!(w.rolling.total.entered, 0);
        assert_eq!(w.today.sums.total.entered, 1);
        w.advance(Ts(2 * day + 5));
        assert_eq!(w.today.sums.total.entered, 0);
    }

    #[test]
    fn the_interval_resets_at_each_boundary_and_today_does_not() {
        let mut w = window(10_000);
        w.advance(Ts(120_000));
        w.push(entered(120_000)); // the first instant of the interval
        w.advance(Ts(179_999));
        w.push(entered(179_999)); // its last
        assert_eq!(w.rolling.total.entered, 1, "the first has aged out");
        assert_eq!(w.interval.sums.total.entered, 2);
        assert_eq!(w.interval_start(), Ts(120_000));
        w.advance(Ts(180_000));
        assert_eq!(w.interval.sums.total.entered, 0);
        assert_eq!(w.interval_start(), Ts(180_000));
        assert_eq!(w.today.sums.total.entered, 2);
    }

    #[test]
    fn threshold_change_reclassifies_held_waits() {
        let mut w = window(60_000);
        w.advance(Ts(100_000));
        let wait = |ms| Sample {
            ts: Ts(100_000),
            queue: Some(QueueIdx(0)),
            kind: SampleKind::Wait {
                wait: Some(ms),
                end: WaitEnd::Answered,
                class: WaitClass::default(),
            },
        };
        w.push(wait(15_000));
        w.push(wait(25_000));
        assert_eq!(w.rolling.total.answered_within, 1);
        w.set_rules(
            0,
            WaitRules {
                threshold: 30_000,
                short_abandon: 0,
            },
        );
        assert_eq!(w.rolling.total.answered_within, 1, "not yet counted again");
        w.advance(Ts(101_000));
        assert_eq!(w.rolling.total.answered_within, 2, "a second later it is");
        assert_eq!(w.rolling.queues[0].answered_within, 2);
    }

    #[test]
    fn a_wait_leaving_the_window_before_the_recount_is_counted_under_the_new_threshold() {
        // The threshold changes 8 s before the wait leaves the rolling
        // window, and the next moment is after it left: the periods count
        // it under the new threshold all the same.
        let mut w = window(900_000);
        w.advance(Ts(100_000));
        w.push(Sample {
            ts: Ts(100_000),
            queue: Some(QueueIdx(0)),
            kind: SampleKind::Wait {
                wait: Some(6_000),
                end: WaitEnd::Answered,
                class: WaitClass::default(),
            },
        });
        w.advance(Ts(992_000));
        assert_eq!(w.today.sums.total.answered_within, 1, "6 s within 20 s");
        w.set_rules(
            0,
            WaitRules {
                threshold: 5_000,
                short_abandon: 0,
            },
        );
        w.advance(Ts(1_004_000));
        assert_eq!(w.rolling.total.answered, 0, "it has left the window");
        // (The interval, a minute here, began after the wait.)
        let today = &w.today.sums;
        assert_eq!(today.total.answered, 1);
        assert_eq!(today.total.answered_within, 0, "6 s is over 5 s");
        assert_eq!(today.queues[0].answered_within, 0);
        // Counting again later changes nothing more.
        w.settle();
        assert_eq!(w.today.sums.total.answered_within, 0);
    }

    #[test]
    fn the_longest_wait_survives_reclassification_in_every_window() {
        let mut w = window(10_000);
        w.advance(Ts(100_000));
        let wait = |ms, end| Sample {
            ts: Ts(100_000),
            queue: Some(QueueIdx(0)),
            kind: SampleKind::Wait {
                wait: Some(ms),
                end,
                class: WaitClass::default(),
            },
        };
        w.push(wait(25_000, WaitEnd::Answered));
        w.push(wait(15_000, WaitEnd::Answered));
        w.push(wait(30_000, WaitEnd::Abandoned));
        w.set_rules(
            0,
            WaitRules {
                threshold: 30_000,
                short_abandon: 0,
            },
        );
        w.advance(Ts(101_000));
        for sums in [&w.rolling, &w.today.sums, &w.interval.sums] {
            assert_eq!(sums.total.longest_wait(), Some(30_000));
            assert_eq!(sums.queues[0].longest_wait(), Some(30_000));
        }
        // The rolling window lets them go; the periods keep them.
        w.advance(Ts(111_000));
        assert_eq!(w.rolling.total.longest_wait(), None);
        assert_eq!(w.today.sums.total.longest_wait(), Some(30_000));
        assert_eq!(w.interval.sums.queues[0].longest_wait(), Some(30_000));
    }

    #[test]
    fn sample_limit_drops_the_oldest() {
        let mut w = Window::new(1_000_000, day(), every_minute(), 2, true);
        w.add_queue(WaitRules {
            threshold: 1,
            short_abandon: 0,
        });
        w.advance(Ts(10));
        w.push(entered(1));
        w.push(entered(2));
        w.push(entered(3));
        assert_eq!(w.rolling.total.entered, 2);
        assert_eq!(w.overflowed, 1);
    }
}
