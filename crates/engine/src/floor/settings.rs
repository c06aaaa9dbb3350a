//! What the floor model needs to know from the configuration: the windows,
//! and per queue how service level and abandons are counted.

use std::collections::HashMap;

use jiff::tz::TimeZone;

use crate::time::{Millis, Ts};

/// The interval beside the day and the rolling window: half an hour, as
/// the platforms' interval reports.
pub const DEFAULT_INTERVAL: Millis = 30 * 60_000;

/// Service level when no config or `queue.info` sets a threshold.
pub const DEFAULT_SL_THRESHOLD: Millis = 20_000;

/// How `service_level_pct` is computed (docs/metrics.md, `sl_formula`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum SlFormula {
    /// Answered within T over answered + abandoned (Twilio Flex, Genesys Cloud).
    #[default]
    Answered,
    /// Waits that ended within T, by answer or abandon, over all ended waits (Amazon Connect).
    Removed,
    /// Answered within T over answered; abandons ignored (Asterisk).
    Asterisk,
}

impl SlFormula {
    pub fn parse(s: &str) -> Option<Self> {
        Some(match s {
            "answered" => SlFormula::Answered,
            "removed" => SlFormula::Removed,
            "asterisk" => SlFormula::Asterisk,
            _ => return None,
        })
    }

    pub fn as_str(self) -> &'static str {
        match self {
            SlFormula::Answered => "answered",
            SlFormula::Removed => "removed",
            SlFormula::Asterisk => "asterisk",
        }
    }
}

/// Per-queue counting rules. `None` means "not set here": look further down
/// the chain (`[queues.ID]`, then `queue.info`, then `[defaults]`, then the
/// built-in default).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct QueuePolicy {
    pub name: Option<String>,
    /// The group the queue is shown in (`group = "..."`).
    pub group: Option<super::GroupKey>,
    pub sl_threshold: Option<Millis>,
    pub short_abandon: Option<Millis>,
    pub sl_formula: Option<SlFormula>,
}

/// When "today" starts: a local time of day in a time zone.
#[derive(Clone, Debug)]
pub struct DayStart {
    pub tz: TimeZone,
    pub hour: i8,
    pub minute: i8,
}

impl Default for DayStart {
    fn default() -> Self {
        DayStart {
            tz: TimeZone::UTC,
            hour: 0,
            minute: 0,
        }
    }
}

impl DayStart {
    /// The latest day start at or before `now`.
    pub fn last_start(&self, now: Ts) -> Ts {
        let Ok(t) = jiff::Timestamp::from_millisecond(now.0) else {
            return Ts(0);
        };
        let zoned = t.to_zoned(self.tz.clone());
        let at = |date: jiff::civil::Date| {
            date.at(self.hour, self.minute, 0, 0)
                .to_zoned(self.tz.clone())
                .map(|z| Ts(z.timestamp().as_millisecond()))
                .ok()
        };
        let today = zoned.date();
        match at(today) {
            Some(start) if start <= now => start,
            _ => today.yesterday().ok().and_then(at).unwrap_or(Ts(0)),
        }
    }
}

/// Bounds that keep a hostile or runaway feed from taking all memory.
#[derive(Clone, Debug)]
pub struct Limits {
    pub queues: usize,
    pub agents: usize,
    pub contacts: usize,
    pub customers: usize,
    /// Window samples kept; past this the oldest leave the rolling window early.
    pub samples: usize,
    /// Ended contact ids remembered, so late or repeated events for them are
    /// ignored rather than counted twice.
    pub finished: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            queues: 10_000,
            agents: 100_000,
            contacts: 1_000_000,
            customers: 500_000,
            samples: 2_000_000,
            finished: 131_072,
        }
    }
}

#[derive(Clone, Debug)]
pub struct Settings {
    /// The rolling window `W`.
    pub window: Millis,
    /// FCR: a contact is a repeat if its customer started another within this.
    pub repeat_window: Millis,
    pub day_start: DayStart,
    /// The interval's length: it divides a day, and intervals start at
    /// local midnight in `day_start`'s time zone.
    pub interval: Millis,
    pub defaults: QueuePolicy,
    pub queues: HashMap<String, QueuePolicy>,
    pub limits: Limits,
    /// Keep the "today" sums beside the rolling ones (the screen flips
    /// between them; a snapshot of the rolling window can skip the work).
    pub track_today: bool,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            window: 15 * 60_000,
            repeat_window: 24 * 3_600_000,
            day_start: DayStart::default(),
            interval: DEFAULT_INTERVAL,
            defaults: QueuePolicy::default(),
            queues: HashMap::new(),
            limits: Limits::default(),
            track_today: true,
        }
    }
}

impl Settings {
    pub fn policy(&self, queue: &str) -> Option<&QueuePolicy> {
        self.queues.get(queue)
    }

    /// One queue's settings, its `[queues.ID]` looked up once.
    pub fn queue(&self, queue: &str) -> QueueSettings<'_> {
        QueueSettings {
            own: self.policy(queue),
            defaults: &self.defaults,
        }
    }

    /// The effective service-level threshold of a queue (see
    /// [`QueueSettings::sl_threshold`]).
    pub fn sl_threshold(&self, queue: &str, from_feed: Option<Millis>) -> Millis {
        self.queue(queue).sl_threshold(from_feed)
    }

    pub fn short_abandon(&self, queue: &str) -> Millis {
        self.queue(queue).short_abandon()
    }

    pub fn sl_formula(&self, queue: &str) -> SlFormula {
        self.queue(queue).sl_formula()
    }

    /// The formula for the totals row: `[defaults]`, else the built-in one.
    pub fn total_sl_formula(&self) -> SlFormula {
        self.defaults.sl_formula.unwrap_or_default()
    }
}

/// A queue's `[queues.ID]`, if it has one, over `[defaults]`: what a
/// frame reads of each of thousands of queues, with one lookup.
#[derive(Clone, Copy, Debug)]
pub struct QueueSettings<'s> {
    own: Option<&'s QueuePolicy>,
    defaults: &'s QueuePolicy,
}

impl<'s> QueueSettings<'s> {
    /// docs/metrics.md's "config, then `queue.info`, then default 20 s",
    /// where the config is `[queues.ID]` then `[defaults]` (as for alerts).
    pub fn sl_threshold(self, from_feed: Option<Millis>) -> Millis {
        self.own
            .and_then(|p| p.sl_threshold)
            .or(self.defaults.sl_threshold)
            .or(from_feed)
            .unwrap_or(DEFAULT_SL_THRESHOLD)
    }

    pub fn short_abandon(self) -> Millis {
        self.own
            .and_then(|p| p.short_abandon)
            .or(self.defaults.short_abandon)
            .unwrap_or(0)
    }

    pub fn sl_formula(self) -> SlFormula {
        self.own
            .and_then(|p| p.sl_formula)
            .or(self.defaults.sl_formula)
            .unwrap_or_default()
    }

    /// The name the config gives the queue, if any.
    pub fn name(self) -> Option<&'s str> {
        self.own.and_then(|p| p.name.as_deref())
    }
}

/// `[queues.ID]` settings for a floor of `sites` ([`crate::site::per_site`]), each
/// queue's group made that site's own: `Voice` at paris and at lisbon are
/// two groups, as their queues are two queues.
pub fn policies_per_site(
    map: &std::collections::HashMap<String, QueuePolicy>,
    sites: &[crate::site::SiteName],
) -> std::collections::HashMap<String, QueuePolicy> {
    use crate::site::{SEP, per_site, split};
    let mut out = per_site(map, sites);
    for (id, policy) in out.iter_mut() {
        if let (Some(site), _) = split(id)
            && let Some(g) = &policy.group
        {
            policy.group = Some(g.in_site(&format!("{site}{SEP}")));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ts(s: &str) -> Ts {
        Ts::parse_rfc3339(s).unwrap()
    }

    #[test]
    fn day_start_in_utc() {
        let d = DayStart::default();
        assert_eq!(
            d.last_start(ts("2026-11-23T09:30:00Z")),
            ts("2026-11-23T00:00:00Z")
        );
        assert_eq!(
            d.last_start(ts("2026-11-23T00:00:00Z")),
            ts("2026-11-23T00:00:00Z")
        );
    }

    #[test]
    fn day_start_before_local_start_is_yesterday() {
        let d = DayStart {
            tz: TimeZone::fixed(jiff::tz::offset(2)),
            hour: 6,
            minute: 30,
        };
        // 03:00 UTC is 05:00 local: before 06:30, so the day began yesterday.
        assert_eq!(
            d.last_start(ts("2026-11-23T03:00:00Z")),
            ts("2026-11-22T04:30:00Z")
        );
        assert_eq!(
            d.last_start(ts("2026-11-23T05:00:00Z")),
            ts("2026-11-23T04:30:00Z")
        );
    }

    #[test]
    fn threshold_chain() {
        let mut s = Settings::default();
        assert_eq!(s.sl_threshold("q", None), 20_000);
        assert_eq!(s.sl_threshold("q", Some(10_000)), 10_000);
        // The config, [defaults] included, comes before the feed.
        s.defaults.sl_threshold = Some(30_000);
        assert_eq!(s.sl_threshold("q", None), 30_000);
        assert_eq!(s.sl_threshold("q", Some(10_000)), 30_000);
        s.queues.insert(
            "q".into(),
            QueuePolicy {
                sl_threshold: Some(5_000),
                ..Default::default()
            },
        );
        assert_eq!(s.sl_threshold("q", Some(10_000)), 5_000);
    }
}
