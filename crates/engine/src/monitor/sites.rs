//! Several feeds in one monitor (docs/sites.md): each site has its own
//! link, dialect, clock, `seq` numbering, rejects and resync, and all of
//! them feed the one floor under site-prefixed ids. A monitor with no sites
//! is the single feed it always was.

use super::{Monitor, RateMeter, SourceInfo};
use crate::clock::FeedClock;
use crate::diag::RejectLog;
use crate::dialect::{Dialect, Signal};
use crate::health::{FeedHealth, LinkState};
use crate::protocol::{Decoded, EventKind, RejectKind};
use crate::site::{SiteName, into_site};
use crate::time::{Millis, Ts};

/// One site's share of the feed figures (the snapshot's `sites` block).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct SiteCounts {
    pub events: u64,
    pub rejected: u64,
    pub unknown: u64,
    pub duplicates: u64,
    pub gaps: u64,
}

/// A site's `seq` numbering, kept as the floor keeps a single feed's: a
/// `seq` at or below the last applied one is a duplicate, a jump past the
/// last seen one a gap, and a snapshot starts a new numbering.
#[derive(Clone, Copy, Debug, Default)]
struct Numbering {
    last_applied: Option<u64>,
    last_seen: Option<u64>,
}

impl Numbering {
    fn is_duplicate(&self, seq: Option<u64>, snapshot: bool) -> bool {
        !snapshot && matches!((seq, self.last_applied), (Some(s), Some(last)) if s <= last)
    }

    /// Returns whether `seq` jumped past every one seen (a gap).
    fn note(&mut self, seq: Option<u64>) -> bool {
        let Some(seq) = seq else { return false };
        let gap = match self.last_seen {
            Some(last) if seq <= last => return false,
            Some(last) => seq > last + 1,
            None => false,
        };
        self.last_seen = Some(seq);
        gap
    }
}

pub struct Site {
    pub name: SiteName,
    pub source: SourceInfo,
    pub link: LinkState,
    pub reconnects: u64,
    pub connected_once: bool,
    pub last_frame_local: Option<Ts>,
    pub last_event_local: Option<Ts>,
    pub rate: RateMeter,
    pub counts: SiteCounts,
    pub clock: FeedClock,
    prefix: String,
    numbering: Numbering,
    resync_started: Option<Ts>,
    dialect: Box<dyn Dialect>,
    rejects: RejectLog,
}

impl Site {
    /// What the floor ids of this site start with (`paris/`).
    pub fn prefix(&self) -> &str {
        &self.prefix
    }

    /// Waiting for this site's snapshot after a reconnect.
    pub fn resyncing(&self) -> bool {
        self.resync_started.is_some()
    }

    /// How this site's feed is doing, as [`Monitor::health`] for one feed.
    pub fn health(&self, local_now: Option<Ts>, stale_after: Millis) -> FeedHealth {
        super::health_of(
            &self.link,
            self.resyncing(),
            self.last_event_local.or(self.last_frame_local),
            local_now,
            stale_after,
        )
    }
}

impl Monitor {
    /// Adds a site fed by its own source through `dialect`; returns its
    /// index for the `site_*` calls. Names are unique (the caller checks).
    pub fn add_site(
        &mut self,
        name: SiteName,
        source: SourceInfo,
        dialect: Box<dyn Dialect>,
    ) -> usize {
        let prefix = name.prefix();
        // The rewind history replays plain events; a site's are renamed
        // into its prefix on the way in, which it does not know. Rather
        // than rewind to a floor without them, a view of sites keeps none
        // (docs/sites.md).
        self.history = None;
        self.sites.push(Site {
            name,
            source,
            link: LinkState::Connecting,
            reconnects: 0,
            connected_once: false,
            last_frame_local: None,
            last_event_local: None,
            rate: RateMeter::default(),
            counts: SiteCounts::default(),
            clock: FeedClock::default(),
            prefix,
            numbering: Numbering::default(),
            resync_started: None,
            dialect,
            rejects: RejectLog::default(),
        });
        self.sites.len() - 1
    }

    /// Whether this monitor shows several sites.
    pub fn has_sites(&self) -> bool {
        !self.sites.is_empty()
    }

    /// A live frame of site `i` arrived at `local`: as
    /// [`Monitor::live_frame`], with the site's numbering, clock and ids.
    pub fn site_live_frame(&mut self, i: usize, text: &str, local: Ts) -> Signal {
        self.site_frame(i, text, Some(local))
    }

    /// A frame of site `i` from a broker's history: as
    /// [`Monitor::replay_frame`], applied on the events' own time.
    pub fn site_replay_frame(&mut self, i: usize, text: &str) {
        self.site_frame(i, text, None);
    }

    /// `local`: our wall clock for a live frame, `None` for history.
    fn site_frame(&mut self, i: usize, text: &str, local: Option<Ts>) -> Signal {
        let Some(site) = self.sites.get_mut(i) else {
            return Signal::None;
        };
        let floor = &mut self.floor;
        let at = local.unwrap_or(floor.now());
        if local.is_some() {
            site.last_frame_local = Some(at);
        }
        let received = match local {
            Some(l) => site.clock.feed_now(l),
            None => floor.now(),
        };
        let Site {
            dialect,
            clock,
            numbering,
            counts,
            rejects,
            prefix,
            resync_started,
            ..
        } = site;
        let mut applied = 0;
        let signal = dialect.decode(text, received, &mut |d: Decoded<'_>| {
            // As for one feed: live, an event stamped absurdly far ahead of
            // the site's time is refused before it can move its clock.
            let d = match (d, local) {
                (Decoded::Event(ev), Some(l))
                    if !numbering
                        .is_duplicate(ev.seq, matches!(ev.kind, EventKind::Snapshot(_)))
                        && clock.far_ahead(l, floor.now(), ev.ts) =>
                {
                    Decoded::Rejected(crate::clock::far_ahead_reject(ev.ts, ev.seq))
                }
                (d, _) => d,
            };
            match &d {
                Decoded::Event(ev) => {
                    let snapshot = matches!(ev.kind, EventKind::Snapshot(_));
                    if numbering.is_duplicate(ev.seq, snapshot) {
                        counts.duplicates += 1;
                        floor.note_site_seq(true, false);
                        return;
                    }
                    if snapshot {
                        *numbering = Numbering::default();
                        *resync_started = None;
                    }
                    let gap = numbering.note(ev.seq);
                    if ev.seq.is_some() {
                        numbering.last_applied = ev.seq;
                    }
                    if gap {
                        counts.gaps += 1;
                        floor.note_site_seq(false, true);
                    }
                    match local {
                        Some(l) => {
                            clock.observe(l, ev.ts);
                            floor.advance(clock.feed_now(l));
                        }
                        None => floor.advance(ev.ts),
                    }
                    floor.apply_in_site(&into_site(ev, prefix), prefix, counts.events == 0);
                    counts.events += 1;
                    applied += 1;
                }
                Decoded::Unknown { seq } => {
                    if numbering.note(*seq) {
                        counts.gaps += 1;
                        floor.note_site_seq(false, true);
                    }
                    counts.unknown += 1;
                    floor.ingest(&Decoded::Unknown { seq: None });
                }
                Decoded::Rejected(r) => {
                    if numbering.note(r.seq) {
                        counts.gaps += 1;
                        floor.note_site_seq(false, true);
                    }
                    counts.rejected += 1;
                    rejects.note(r.kind, &r.excerpt, at);
                    floor.count_rejected();
                }
            }
        });
        let at = local.unwrap_or(self.floor.now());
        if applied > 0 {
            site.last_event_local = Some(at);
            site.rate.add(applied, at);
            self.last_event_local = Some(at);
            self.rate.add(applied, at);
        }
        if local.is_some() {
            self.last_frame_local = Some(at);
        }
        self.generation += 1;
        self.frame_done();
        signal
    }

    /// The index of the site named `name`, added (in name order) the first
    /// time it is seen: a broker subject with a wildcard finds its sites
    /// as their frames come. `None` past `max` sites.
    pub fn site_named(
        &mut self,
        name: &SiteName,
        source: &SourceInfo,
        dialect: impl FnOnce() -> Box<dyn Dialect>,
        max: usize,
    ) -> Option<usize> {
        match self.sites.binary_search_by(|s| s.name.cmp(name)) {
            Ok(i) => Some(i),
            Err(_) if self.sites.len() >= max => None,
            Err(i) => {
                self.add_site(name.clone(), source.clone(), dialect());
                let mut site = self.sites.pop()?;
                // Found on a link already up: it shares that link.
                site.link = self.link.clone();
                site.connected_once = self.connected_once;
                self.sites.insert(i, site);
                Some(i)
            }
        }
    }

    /// One link for every site (a broker connection carrying them all).
    pub fn set_shared_link(&mut self, state: LinkState) {
        for s in &mut self.sites {
            s.link = state.clone();
        }
        self.set_link(state);
    }

    /// Site `i` refused a frame before decoding it.
    pub fn site_refused(&mut self, i: usize, why: RejectKind, local: Ts) {
        if let Some(site) = self.sites.get_mut(i) {
            site.counts.rejected += 1;
            site.rejects.note(why, "", local);
            self.floor.count_rejected();
            self.generation += 1;
        }
    }

    /// Site `i` connected. After a reconnect that site's live state is
    /// suspect until its own snapshot (or the resync grace); the others'
    /// is not.
    pub fn site_connected(&mut self, i: usize, local: Ts) {
        let Some(site) = self.sites.get_mut(i) else {
            return;
        };
        if site.connected_once {
            site.reconnects += 1;
            site.resync_started = Some(local);
            self.reconnects += 1;
            self.floor.doubt_resync();
        }
        site.connected_once = true;
        self.connected_once = true;
        self.generation += 1;
    }

    /// Site `i` connected again exactly where it stopped (a broker
    /// consumer resuming after its last sequence): a reconnect, with
    /// nothing missed and so nothing to resync.
    pub fn site_resumed(&mut self, i: usize) {
        let Some(site) = self.sites.get_mut(i) else {
            return;
        };
        if site.connected_once {
            site.reconnects += 1;
            self.reconnects += 1;
        }
        site.connected_once = true;
        self.connected_once = true;
        self.generation += 1;
    }

    /// Site `i`'s link changed; the monitor's own link says how the best
    /// of them is, so one dead site does not put the view in reconnecting.
    pub fn set_site_link(&mut self, i: usize, state: LinkState) {
        let Some(site) = self.sites.get_mut(i) else {
            return;
        };
        if site.link != state {
            site.link = state;
            self.generation += 1;
        }
        let best = self
            .sites
            .iter()
            .map(|s| &s.link)
            .min_by_key(|l| link_rank(l))
            .cloned()
            .unwrap_or_default();
        self.set_link(best);
    }

    /// What site `i`'s dialect sends when it connects.
    pub fn site_on_connect(&mut self, i: usize) -> Vec<String> {
        self.sites
            .get_mut(i)
            .map(|s| s.dialect.on_connect())
            .unwrap_or_default()
    }

    /// The floor's time for our `local` time when there are sites: the
    /// latest any site's clock gives (the floor never goes back anyway).
    pub(super) fn sites_feed_now(&self, local: Ts) -> Option<Ts> {
        self.sites.iter().map(|s| s.clock.feed_now(local)).max()
    }

    /// Ends the resync of every site whose grace has passed.
    pub(super) fn tick_sites(&mut self, local: Ts) {
        let grace = self.resync_grace;
        for s in &mut self.sites {
            if s.resync_started.is_some_and(|t| local.since(t) >= grace) {
                s.resync_started = None;
                self.generation += 1;
            }
        }
    }
}

/// Which link is best: a connected site makes the whole view connected.
fn link_rank(l: &LinkState) -> u8 {
    match l {
        LinkState::Connected => 0,
        LinkState::LoadingHistory { .. } => 1,
        LinkState::Connecting => 2,
        LinkState::Reconnecting { .. } => 3,
        LinkState::AuthFailed { .. } => 4,
        LinkState::Ended => 5,
    }
}
