//! The monitor: one floor, the source feeding it, and how that source is
//! doing. The feed task writes here (under a lock) as frames arrive; the
//! screen and the snapshot printer read it. Time comes in from outside.

use crate::alert::live::Changes;
use crate::alert::{Active, Engine, LinkFacts, LiveAlerts, Rules};
use crate::clock::FeedClock;
use crate::diag::RejectLog;
use crate::dialect::{Dialect, Signal};
use crate::floor::Floor;
use crate::health::{FeedHealth, LinkState};
use crate::history::{Bounds, History};
use crate::protocol::{Decoded, Event, RejectKind};
use crate::time::{Millis, Ts};

mod pace;
mod sites;

pub use sites::{Site, SiteCounts};

/// Sees each event a frame applies (a relay's way in).
pub type Tap<'t> = &'t mut dyn FnMut(&Event<'_>);

/// What kind of source feeds the floor; demo and replay are labelled on screen.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SourceKind {
    Url,
    Demo,
    Replay,
}

impl SourceKind {
    pub fn as_str(self) -> &'static str {
        match self {
            SourceKind::Url => "url",
            SourceKind::Demo => "demo",
            SourceKind::Replay => "replay",
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SourceInfo {
    pub kind: SourceKind,
    /// The URL (without credentials or query), the replay file, or the demo's seed.
    pub target: String,
}

impl SourceInfo {
    /// The target comes from the command line or config, which may be a
    /// file name or URL with control characters in it: shown stripped, like
    /// everything else that reaches the screen.
    pub fn new(kind: SourceKind, target: &str) -> Self {
        let target = crate::text::strip(std::borrow::Cow::Borrowed(target)).into_owned();
        SourceInfo { kind, target }
    }
}

/// Events per second over the last few seconds (local time).
#[derive(Debug, Default, Clone)]
pub struct RateMeter {
    second: i64,
    this_second: u64,
    last_second: u64,
}

impl RateMeter {
    pub fn add(&mut self, n: u64, local: Ts) {
        self.roll(local);
        self.this_second += n;
    }

    fn roll(&mut self, local: Ts) {
        let s = local.0.div_euclid(1000);
        if s != self.second {
            self.last_second = if s == self.second + 1 {
                self.this_second
            } else {
                0
            };
            self.this_second = 0;
            self.second = s;
        }
    }

    /// Events in the last whole second before `local`'s. Read without
    /// rolling, so a view can read it through a shared reference: what a
    /// roll to `local` would leave in `last_second`.
    pub fn per_second(&self, local: Ts) -> u64 {
        let s = local.0.div_euclid(1000);
        if s == self.second {
            self.last_second
        } else if s == self.second + 1 {
            self.this_second
        } else {
            0
        }
    }
}

/// Takes the shared monitor's lock. A panic elsewhere while it was held
/// leaves the floor as consistent as each event left it, so the lock's
/// poison is ignored: a monitor that keeps showing beats one that stops.
pub fn lock(m: &std::sync::Mutex<Monitor>) -> std::sync::MutexGuard<'_, Monitor> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

/// One floor and the state of the source feeding it. The floor is open to
/// its readers; the source's own state (link, reconnects, arrival times,
/// rate, generation) changes only through the methods below, so every
/// change bumps `generation` and the screen never misses one.
pub struct Monitor {
    pub floor: Floor,
    clock: FeedClock,
    source: SourceInfo,
    link: LinkState,
    reconnects: u64,
    connected_once: bool,
    /// Our wall clock (epoch ms) when the last frame and event arrived.
    last_frame_local: Option<Ts>,
    last_event_local: Option<Ts>,
    rate: RateMeter,
    /// Bumped on every change, so the screen knows when to redraw.
    generation: u64,
    resync_grace: Millis,
    resync_started: Option<Ts>,
    dialect: Box<dyn Dialect>,
    rejects: RejectLog,
    limits: crate::diag::LimitLog,
    alerts: LiveAlerts,
    /// Our wall clock when the link went down (for `disconnected_s`).
    down_since: Option<Ts>,
    /// The feeds of a view of several sites (docs/sites.md); empty for one feed.
    sites: Vec<Site>,
    /// Incident marks, set on screen or read back from a recording.
    marks: crate::mark::Marks,
    /// The floor's past, for rewinding the view (off unless asked for).
    history: Option<History>,
    /// A replay played at a speed: its clock, which the view can pause,
    /// speed up and step (see `monitor/pace.rs`).
    pace: Option<crate::pace::Pace>,
}

impl Monitor {
    pub fn new(floor: Floor, source: SourceInfo, dialect: Box<dyn Dialect>) -> Self {
        Monitor {
            floor,
            clock: FeedClock::default(),
            source,
            link: LinkState::Connecting,
            reconnects: 0,
            connected_once: false,
            last_frame_local: None,
            last_event_local: None,
            rate: RateMeter::default(),
            generation: 0,
            resync_grace: 10_000,
            resync_started: None,
            dialect,
            rejects: RejectLog::default(),
            limits: Default::default(),
            alerts: LiveAlerts::default(),
            down_since: None,
            sites: Vec::new(),
            marks: Default::default(),
            history: None,
            pace: None,
        }
    }

    /// Keeps a bounded history of the floor from now on, so that the view
    /// can show it as it was at an earlier instant ([`History::seek`]).
    /// Not for a view of sites, whichever came first (see
    /// [`Monitor::add_site`]): its history would rewind to an empty floor.
    pub fn keep_history(&mut self, bounds: Bounds) {
        if self.has_sites() {
            return;
        }
        self.history = Some(History::new(&self.floor, bounds));
    }

    pub fn history(&self) -> Option<&History> {
        self.history.as_ref()
    }

    /// After a frame: a history checkpoint when one is due, the bound
    /// kept; events dropped at a limit said in the log.
    pub(crate) fn frame_done(&mut self) {
        if let Some(h) = &mut self.history {
            h.after_frame(&self.floor);
        }
        self.limits
            .note(self.floor.counts().over_limit, self.floor.now());
    }

    /// The feed's clock, as estimated from arrivals.
    pub fn clock(&self) -> &FeedClock {
        &self.clock
    }

    /// What this monitor reads (for labels and the snapshot).
    pub fn source(&self) -> &SourceInfo {
        &self.source
    }

    pub fn link(&self) -> &LinkState {
        &self.link
    }

    /// Connections after the first.
    pub fn reconnects(&self) -> u64 {
        self.reconnects
    }

    /// Whether any connection was ever up.
    pub fn connected_once(&self) -> bool {
        self.connected_once
    }

    /// Our wall clock when the last frame arrived.
    pub fn last_frame_local(&self) -> Option<Ts> {
        self.last_frame_local
    }

    /// Our wall clock when the last event arrived.
    pub fn last_event_local(&self) -> Option<Ts> {
        self.last_event_local
    }

    /// Events per second, as last counted.
    pub fn rate(&self) -> &RateMeter {
        &self.rate
    }

    /// Bumped on every change: equal generations, nothing to redraw.
    pub fn generation(&self) -> u64 {
        self.generation
    }

    /// The feeds of a view of several sites, by name; empty for one feed.
    pub fn sites(&self) -> &[Site] {
        &self.sites
    }

    /// The incident marks made or read back so far.
    pub fn marks(&self) -> &crate::mark::Marks {
        &self.marks
    }

    /// How long after a reconnect the live state may wait for a snapshot.
    pub fn set_resync_grace(&mut self, grace: Millis) {
        self.resync_grace = grace;
    }

    /// A new connection that goes on exactly where the last one stopped
    /// (a broker consumer resuming from its last sequence): counted as a
    /// reconnect, but with nothing missed there is nothing to resync.
    pub fn resumed(&mut self) {
        if self.connected_once {
            self.reconnects += 1;
        }
        self.connected_once = true;
        self.generation += 1;
    }

    /// The alert rules to run (docs/alerts.md); none by default.
    pub fn set_alert_rules(&mut self, rules: Rules) {
        self.alerts = LiveAlerts::new(rules);
    }

    /// The alerts firing now, in no order.
    pub fn alerts(&self) -> impl Iterator<Item = Active<'_>> {
        self.alerts.active()
    }

    /// The rule engine, for the levels of one queue's or agent's rules.
    pub fn alert_engine(&self) -> &Engine {
        self.alerts.engine()
    }

    /// Crossings and returns from sequence number `from` on (see
    /// [`LiveAlerts::changes_since`]); start from [`Monitor::alert_seq`].
    pub fn alert_changes_since(&self, from: u64) -> Changes<'_> {
        self.alerts.changes_since(from)
    }

    /// The sequence number of the next crossing or return.
    pub fn alert_seq(&self) -> u64 {
        self.alerts.next_seq()
    }

    /// Runs the alert rules at the floor's `now`. `local` is our wall
    /// clock for a live source (the feed rules are measured on it), `None`
    /// for a replay.
    pub fn look_alerts(&mut self, local: Option<Ts>) {
        if !self.alerts.has_rules() {
            return;
        }
        let down = matches!(
            self.link,
            LinkState::Reconnecting { .. } | LinkState::AuthFailed { .. }
        );
        match (down, local) {
            (true, Some(l)) => {
                self.down_since.get_or_insert(l);
            }
            _ => self.down_since = None,
        }
        self.floor.settle();
        let link = LinkFacts {
            connected: self.link == LinkState::Connected,
            last_arrival: self.last_event_local.or(self.last_frame_local),
            down_since: self.down_since,
            resync_since: if self.floor.resyncing() {
                self.resync_started
            } else {
                None
            },
        };
        self.alerts.look(&self.floor, &link, local);
    }

    /// The line `--record` keeps for a live frame arriving at `local`: the
    /// frame, stamped by the dialect when its events carry no time of their
    /// own. Call it before [`Monitor::live_frame`] (the clock as it was).
    pub fn record_line(&self, text: &str, local: Ts) -> String {
        self.dialect.record_line(text, self.clock.feed_now(local))
    }

    pub fn dialect_mut(&mut self) -> &mut dyn Dialect {
        self.dialect.as_mut()
    }

    /// A live frame arrived at `local` (our wall clock): decode it, learn
    /// the feed's clock from it, apply it at the feed's `now`.
    pub fn live_frame(&mut self, text: &str, local: Ts) -> Signal {
        self.live_frame_tap(text, local, &mut |_| {})
    }

    /// [`Monitor::live_frame`], handing each event it applies (not the
    /// duplicates, nothing refused) to `tap` first: a relay passes on what
    /// the floor took, in the floor's order.
    pub fn live_frame_tap(&mut self, text: &str, local: Ts, tap: Tap<'_>) -> Signal {
        self.last_frame_local = Some(local);
        let received = self.clock.feed_now(local);
        let (floor, clock, rejects) = (&mut self.floor, &mut self.clock, &mut self.rejects);
        let history = &mut self.history;
        let mut applied = 0;
        let signal = self.dialect.decode(text, received, &mut |d: Decoded<'_>| {
            let d = match d {
                // Stamped absurdly far ahead of the feed's time (a stream of
                // them would take the clock): refused, the clock untouched.
                Decoded::Event(ev)
                    if !floor.is_duplicate(&ev) && clock.far_ahead(local, floor.now(), ev.ts) =>
                {
                    Decoded::Rejected(crate::clock::far_ahead_reject(ev.ts, ev.seq))
                }
                d => d,
            };
            match &d {
                // A duplicate is dropped whole: it teaches nothing of the clock.
                Decoded::Event(ev) if !floor.is_duplicate(ev) => {
                    clock.observe(local, ev.ts);
                    floor.advance(clock.feed_now(local));
                    applied += 1;
                    tap(ev);
                }
                Decoded::Rejected(r) => rejects.note(r.kind, &r.excerpt, local),
                _ => {}
            }
            if let Some(h) = history {
                h.note(floor.now(), &d);
            }
            floor.ingest(&d);
        });
        if applied > 0 {
            self.last_event_local = Some(local);
            self.rate.add(applied, local);
        }
        self.frame_done();
        self.generation += 1;
        signal
    }

    /// Sets an incident mark: the figures as they stand now are kept, to
    /// show the change since.
    pub fn mark(&mut self, mark: crate::mark::Mark) {
        // A replayed mark made while the feed was quiet is later than the
        // last event: the figures are taken at its own time.
        self.floor.advance(mark.at);
        self.floor.settle();
        self.marks.add(mark, &self.floor);
        self.generation += 1;
    }

    /// A frame from a file, applied at once on the events' own time.
    pub fn replay_frame(&mut self, text: &str) {
        self.replay_frame_with(text, None);
    }

    /// [`Monitor::replay_frame`], handing each applied event to `tap` first.
    pub fn replay_frame_tap(&mut self, text: &str, tap: Tap<'_>) {
        self.replay_frame_with(text, Some(tap));
    }

    /// Without a tap, nothing is asked per event beyond applying it (a
    /// replay is the hot path).
    fn replay_frame_with(&mut self, text: &str, mut tap: Option<Tap<'_>>) {
        let received = self.floor.now();
        let (floor, rejects, alerts) = (&mut self.floor, &mut self.rejects, &mut self.alerts);
        let history = &mut self.history;
        let mut applied = false;
        self.dialect.decode(text, received, &mut |d: Decoded<'_>| {
            if let (Some(tap), Decoded::Event(ev)) = (tap.as_mut(), &d)
                && !floor.is_duplicate(ev)
            {
                tap(ev);
            }
            applied |= replay_item(floor, rejects, alerts, history, &d);
        });
        if applied {
            self.last_event_local = Some(self.floor.now());
        }
        self.frame_done();
        self.generation += 1;
    }

    /// One decoded item of a paced replay, applied when its time has come
    /// (the frame was decoded earlier, once).
    pub fn replay_decoded(&mut self, d: &Decoded<'_>) {
        if replay_item(
            &mut self.floor,
            &mut self.rejects,
            &mut self.alerts,
            &mut self.history,
            d,
        ) {
            self.last_event_local = Some(self.floor.now());
            self.rate.add(1, self.floor.now());
        }
        self.frame_done();
        self.generation += 1;
    }

    /// A frame refused before decoding (binary, oversized, not UTF-8).
    pub fn refused(&mut self, why: RejectKind, local: Ts) {
        self.refused_saying(why, "", local);
    }

    /// [`Monitor::refused`], its log line (one per kind every so often)
    /// ending with `excerpt`.
    pub fn refused_saying(&mut self, why: RejectKind, excerpt: &str, local: Ts) {
        if let Some(h) = &mut self.history {
            h.note_refused(self.floor.now());
        }
        self.floor.count_rejected();
        self.rejects.note(why, excerpt, local);
        self.generation += 1;
    }

    /// A new connection is up. Its `seq` numbering goes on from the last
    /// one (it belongs to the feed, so a server replaying from an earlier
    /// point has its repeats dropped); after a reconnect the live state is
    /// suspect until a snapshot arrives.
    pub fn connected(&mut self, local: Ts) {
        if self.connected_once {
            self.reconnects += 1;
            if let Some(h) = &mut self.history {
                h.note_resync(self.floor.now(), true);
            }
            self.floor.begin_resync();
            self.resync_started = Some(local);
        }
        self.connected_once = true;
        self.generation += 1;
    }

    /// How the feed is doing at `local_now` (our wall clock; `None` for a
    /// replay, whose time is the events' own): stale once nothing has
    /// arrived for longer than `stale_after`.
    pub fn health(&self, local_now: Option<Ts>, stale_after: Millis) -> FeedHealth {
        health_of(
            &self.link,
            self.floor.resyncing(),
            self.last_event_local.or(self.last_frame_local),
            local_now,
            stale_after,
        )
    }

    pub fn set_link(&mut self, state: LinkState) {
        if self.link != state {
            self.link = state;
            self.generation += 1;
        }
    }

    /// Moves the floor to the feed's time for our `local` time, and ends a
    /// resync whose grace has passed.
    pub fn tick(&mut self, local: Ts) {
        let now = self.sites_feed_now(local);
        self.floor
            .advance(now.unwrap_or(self.clock.feed_now(local)));
        self.tick_sites(local);
        self.floor.settle();
        if let Some(start) = self.resync_started
            && (!self.floor.resyncing() || local.since(start) >= self.resync_grace)
        {
            if let Some(h) = &mut self.history {
                h.note_resync(self.floor.now(), false);
            }
            self.floor.end_resync();
            self.resync_started = None;
            self.generation += 1;
        }
        self.look_alerts(Some(local));
    }
}

/// A feed's health from its link, whether it is resyncing, and when
/// anything last arrived (our wall clock): one rule for a monitor's feed
/// and for each site's.
pub(crate) fn health_of(
    link: &LinkState,
    resyncing: bool,
    last_arrival: Option<Ts>,
    local_now: Option<Ts>,
    stale_after: Millis,
) -> FeedHealth {
    match link {
        LinkState::Connecting => FeedHealth::Connecting,
        LinkState::LoadingHistory { .. } => FeedHealth::LoadingHistory,
        LinkState::Reconnecting { .. } => FeedHealth::Reconnecting,
        LinkState::AuthFailed { .. } => FeedHealth::AuthFailed,
        LinkState::Ended => FeedHealth::Ended,
        LinkState::Connected if resyncing => FeedHealth::Resyncing,
        LinkState::Connected => match (local_now, last_arrival) {
            (Some(now), Some(last)) if now.since(last) > stale_after => FeedHealth::Stale,
            (Some(_), None) => FeedHealth::Stale,
            _ => FeedHealth::Connected,
        },
    }
}

/// Applies one item on the events' own time: an event moves the clock to
/// its `ts` first (unless it is a duplicate, which moves nothing). Returns
/// whether an event was applied.
fn replay_item(
    floor: &mut Floor,
    rejects: &mut RejectLog,
    alerts: &mut LiveAlerts,
    history: &mut Option<History>,
    d: &Decoded<'_>,
) -> bool {
    let applied = match d {
        Decoded::Event(ev) if !floor.is_duplicate(ev) => {
            if alerts.has_rules() {
                // The seconds before this event, each looked at after its
                // own events, as they would have been live.
                for s in alerts.seconds_before(ev.ts) {
                    floor.advance(s);
                    floor.settle();
                    alerts.look(floor, &LinkFacts::default(), None);
                }
            }
            floor.advance(ev.ts);
            true
        }
        Decoded::Rejected(r) => {
            rejects.note(r.kind, &r.excerpt, floor.now());
            false
        }
        _ => false,
    };
    if let Some(h) = history {
        h.note(floor.now(), d);
    }
    floor.ingest(d);
    applied
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_rate_is_the_last_whole_second_read_without_rolling() {
        let mut r = RateMeter::default();
        r.add(3, Ts(10_100));
        r.add(2, Ts(10_900));
        // Within the second being counted: the one before had nothing.
        assert_eq!(r.per_second(Ts(10_950)), 0);
        // The next second: the five just counted.
        assert_eq!(r.per_second(Ts(11_000)), 5);
        assert_eq!(r.per_second(Ts(11_999)), 5);
        // Reading did not roll: a later add in 11 still sees the five.
        r.add(1, Ts(11_500));
        assert_eq!(r.per_second(Ts(11_600)), 5);
        assert_eq!(r.per_second(Ts(12_000)), 1);
        // A second or more with nothing, or a clock gone back: nothing.
        assert_eq!(r.per_second(Ts(13_000)), 0);
        assert_eq!(r.per_second(Ts(9_000)), 0);
    }
}
