//! The rule engine as the monitor runs it: when to look, what the feed's
//! health is at that look, and the crossings and returns kept for whoever
//! reads them (the event log, the actions) at its own pace.
//!
//! When: a live source is looked at on each tick of the view or of the
//! snapshot loop (our wall clock moves the floor). A replay is looked at
//! once per whole second of feed time, after that second's events, as
//! frames are applied: so `for` and clear durations play out in a replay
//! exactly as they would have live, whatever the replay's speed.

use std::collections::VecDeque;

use super::eval::{Active, Change, Engine, FeedHealthInput};
use super::rule::Rules;
use crate::floor::Floor;
use crate::time::Ts;

/// How many changes are kept for readers that fall behind; older ones are
/// dropped (and counted).
pub const RECENT_CAPACITY: usize = 4096;

/// Most seconds of feed time a replay catches up on, one look each, when
/// events jump ahead; past that it looks once at the end of the jump (a
/// quiet hour in a recording costs one look, not 3,600).
const MAX_CATCH_UP: i64 = 600;

/// What the monitor knows of the link, for the feed rules, on our clock.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct LinkFacts {
    pub connected: bool,
    /// While connected: when the last event (or frame) arrived.
    pub last_arrival: Option<Ts>,
    /// While down: when it went down.
    pub down_since: Option<Ts>,
    /// While resyncing: when it began.
    pub resync_since: Option<Ts>,
}

impl LinkFacts {
    fn health(&self, local: Ts) -> FeedHealthInput {
        let age = |t: Option<Ts>| t.map(|t| local.since(t).max(0));
        FeedHealthInput {
            stale_for: if self.connected && self.resync_since.is_none() {
                age(self.last_arrival)
            } else {
                None
            },
            disconnected_for: age(self.down_since),
            resyncing_for: age(self.resync_since),
        }
    }
}

pub struct LiveAlerts {
    engine: Engine,
    /// Feed time of the last look.
    last_look: Option<Ts>,
    recent: VecDeque<Change>,
    /// Changes ever pushed: the sequence number of the next one.
    pushed: u64,
    /// Whether any rule is set, asked once per applied event: worked out
    /// once, since the rules never change.
    has_rules: bool,
}

impl Default for LiveAlerts {
    fn default() -> Self {
        LiveAlerts::new(Rules::default())
    }
}

fn second_floor(t: Ts) -> Ts {
    Ts(t.0.div_euclid(1000) * 1000)
}

impl LiveAlerts {
    pub fn new(rules: Rules) -> Self {
        LiveAlerts {
            has_rules: rules.any(),
            engine: Engine::new(rules),
            last_look: None,
            recent: VecDeque::new(),
            pushed: 0,
        }
    }

    /// Whether there is anything to look at.
    pub fn has_rules(&self) -> bool {
        self.has_rules
    }

    pub fn engine(&self) -> &Engine {
        &self.engine
    }

    pub fn active(&self) -> impl Iterator<Item = Active<'_>> + '_ {
        self.engine.active()
    }

    /// Looks at the floor at its `now` (settle it first), with the link's
    /// health at our `local` time (`None` for a replay: only staleness on
    /// the feed's own clock applies).
    pub fn look(&mut self, floor: &Floor, link: &LinkFacts, local: Option<Ts>) {
        let now = floor.now();
        let health = match local {
            Some(l) => link.health(l),
            None => FeedHealthInput {
                stale_for: floor.latest_event().map(|t| now.since(t).max(0)),
                ..FeedHealthInput::default()
            },
        };
        let eval = self.engine.evaluate(floor, &health, now);
        self.last_look = Some(now);
        for c in eval.changes {
            if self.recent.len() == RECENT_CAPACITY {
                self.recent.pop_front();
            }
            self.recent.push_back(c);
            self.pushed += 1;
        }
    }

    /// The whole seconds of feed time a replay must be looked at before an
    /// event at `ts` is applied: those after the last look and before `ts`.
    /// Call [`LiveAlerts::look`] at each, with the floor moved there.
    pub fn seconds_before(&mut self, ts: Ts) -> impl Iterator<Item = Ts> + use<> {
        let first = match self.last_look {
            Some(t) => second_floor(t).plus(1000),
            None => {
                // Nothing looked at yet: the first look is at the first
                // event's second, after its events.
                self.last_look = Some(second_floor(ts).plus(-1000));
                second_floor(ts)
            }
        };
        let last = if second_floor(ts) == ts {
            ts.plus(-1000)
        } else {
            second_floor(ts)
        };
        let n = ((last.0 - first.0).div_euclid(1000) + 1).max(0);
        let (head, tail) = if n > MAX_CATCH_UP {
            (MAX_CATCH_UP - 1, Some(last))
        } else {
            (n, None)
        };
        (0..head).map(move |i| first.plus(i * 1000)).chain(tail)
    }

    /// Changes from sequence number `from` on, and the number to ask from
    /// next time. A reader that fell more than [`RECENT_CAPACITY`] behind
    /// gets what is still kept; `missed` says how many it lost.
    pub fn changes_since(&self, from: u64) -> Changes<'_> {
        let first_kept = self.pushed - self.recent.len() as u64;
        let start = from.max(first_kept);
        Changes {
            items: self.recent.range((start - first_kept) as usize..),
            next: self.pushed,
            missed: start.saturating_sub(from),
        }
    }

    /// The sequence number the next change will get (a new reader starts here).
    pub fn next_seq(&self) -> u64 {
        self.pushed
    }

    /// Feed time of the last look.
    pub fn last_look(&self) -> Option<Ts> {
        self.last_look
    }
}

pub struct Changes<'a> {
    pub items: std::collections::vec_deque::Iter<'a, Change>,
    pub next: u64,
    pub missed: u64,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn replay_looks_once_a_second_after_its_events() {
        let mut l = LiveAlerts::default();
        // First event at 10.000: nothing before it; the look at 10 comes
        // when a later event arrives.
        assert_eq!(l.seconds_before(Ts(10_000)).count(), 0);
        assert_eq!(l.seconds_before(Ts(10_000)).count(), 0);
        let s: Vec<i64> = l.seconds_before(Ts(12_500)).map(|t| t.0).collect();
        assert_eq!(s, vec![10_000, 11_000, 12_000]);
        l.last_look = Some(Ts(12_000));
        // An event exactly on a second: that second waits for it.
        let s: Vec<i64> = l.seconds_before(Ts(14_000)).map(|t| t.0).collect();
        assert_eq!(s, vec![13_000]);
        l.last_look = Some(Ts(13_000));
        // A long jump: capped, then one look at the end of it.
        let s: Vec<Ts> = l.seconds_before(Ts(13_000 + 3_600_000)).collect();
        assert_eq!(s.len() as i64, MAX_CATCH_UP);
        assert_eq!(s.last(), Some(&Ts(13_000 + 3_599_000)));
    }

    #[test]
    fn a_resync_not_done_fires_resync_s_and_is_not_stale() {
        use super::super::rule::{FeedRule, Level, Limit, RuleId};
        let mut rules = Rules::default();
        rules.feed[FeedRule::Resync.index()] = Limit {
            warn: Some(5.0),
            crit: Some(30.0),
            ..Limit::default()
        };
        rules.feed[FeedRule::Stale.index()] = Limit {
            warn: Some(1.0),
            ..Limit::default()
        };
        let mut l = LiveAlerts::new(rules);
        let floor = Floor::new(crate::floor::Settings::default());
        let link = LinkFacts {
            connected: true,
            last_arrival: Some(Ts(0)),
            resync_since: Some(Ts(1_000)),
            ..LinkFacts::default()
        };
        let levels = |l: &LiveAlerts| {
            l.active()
                .map(|a| (a.rule_id, a.level, a.value))
                .collect::<Vec<_>>()
        };
        // 5 s into the resync: not past 5 s yet.
        l.look(&floor, &link, Some(Ts(6_000)));
        assert_eq!(levels(&l), vec![]);
        l.look(&floor, &link, Some(Ts(6_001)));
        let resync = RuleId::Feed(FeedRule::Resync);
        assert_eq!(levels(&l), vec![(resync, Level::Warn, Some(5.001))]);
        l.look(&floor, &link, Some(Ts(31_001)));
        assert_eq!(levels(&l), vec![(resync, Level::Crit, Some(30.001))]);
        // Done: it returns; the last event is long ago, so now it is stale.
        let done = LinkFacts {
            resync_since: None,
            ..link
        };
        l.look(&floor, &done, Some(Ts(32_000)));
        let stale = RuleId::Feed(FeedRule::Stale);
        assert_eq!(levels(&l), vec![(stale, Level::Warn, Some(32.0))]);
    }

    #[test]
    fn link_health_on_our_clock() {
        let f = LinkFacts {
            connected: true,
            last_arrival: Some(Ts(1_000)),
            ..LinkFacts::default()
        };
        assert_eq!(f.health(Ts(4_000)).stale_for, Some(3_000));
        let down = LinkFacts {
            down_since: Some(Ts(2_000)),
            ..LinkFacts::default()
        };
        let h = down.health(Ts(9_000));
        assert_eq!((h.stale_for, h.disconnected_for), (None, Some(7_000)));
    }
}
