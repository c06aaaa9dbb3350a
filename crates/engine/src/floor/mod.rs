//! The floor model: the live state of a contact center and every figure of
//! docs/metrics.md, fed with decoded events.
//!
//! It knows nothing of sockets, terminals or the wall clock. The caller moves
//! time forward with [`Floor::advance`] and applies events with
//! [`Floor::apply`]; read the state through [`Floor::view`]. Everything is
//! bounded: ended contacts leave, window samples age out, and remembered ids
//! are capped (see [`Limits`]).

mod apply;
mod audit;
mod breakdown;
mod changes;
mod chunked;
mod conversation;
mod export;
mod facts;
mod footprint;
mod groups;
mod held;
mod histogram;
mod ids;
mod layered;
mod live;
mod memory;
mod merge;
mod occupancy;
mod packed;
mod period;
mod prefetch;
mod priority;
mod recent;
mod resync;
mod round;
mod sample;
mod settings;
mod sites;
mod tally;
mod trust;
mod view;
mod window;

use std::collections::HashMap;

use foldhash::fast::RandomState;

/// An id as the floor holds it: ids of up to 24 bytes (nearly all) sit
/// inline where they are kept, so a lookup compares them where it already
/// is, instead of following a pointer to the heap for each candidate (at
/// 50,000 agents that pointer was a cache miss an event).
type IdKey = compact_str::CompactString;
use slab::Slab;

use crate::protocol::{Decoded, Event, EventKind};
use crate::time::Ts;

pub use breakdown::ChannelWaiting;
pub use changes::ChangeMark;
pub use facts::{AgentFacts, ContactClocks};
pub use groups::GroupKey;
pub use live::{Channel, DisplayState};
pub use priority::{HIGH_PRIORITY, HighPriorityWait, PriorityWaiting};
pub use round::Share;
pub use sample::{AgentIdx, QueueIdx};
pub use settings::{
    DEFAULT_INTERVAL, DEFAULT_SL_THRESHOLD, DayStart, Limits, QueuePolicy, QueueSettings, Settings,
    SlFormula, policies_per_site,
};
pub use trust::{Doubt, DoubtReasons, Uncertainty};
pub use view::{
    AgentCounts, AgentView, Art, ContactView, Figures, Frt, QueueView, WaitingView, WindowKind,
};

use live::{Agent, Contact, Queue};
use memory::{Customers, Finished};
use sample::WaitRules;
use window::Window;

/// What came in, and what of it was refused (the snapshot's `feed` counts).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct FeedCounts {
    /// Events applied to the floor.
    pub events: u64,
    /// Frames or events refused by the decoder.
    pub rejected: u64,
    /// Events of a type we do not know.
    pub unknown: u64,
    /// Events dropped because their `seq` was already applied.
    pub duplicates: u64,
    /// Forward jumps in `seq`.
    pub gaps: u64,
    /// Events that changed nothing: for a contact that already finished, a
    /// second answer by the same agent, a hold while on hold, ...
    pub ignored: u64,
    /// Events dropped because a size limit (queues, agents, contacts) was hit.
    pub over_limit: u64,
    /// Contact priorities that were not a 32-bit signed integer: the event
    /// was applied without them (docs/protocol.md, "Priority").
    pub priority_ignored: u64,
}

/// Clone is a checkpoint: the rewind history keeps copies of the floor.
#[derive(Clone)]
pub struct Floor {
    settings: Settings,
    now: Ts,
    queues: Vec<Queue>,
    queue_index: HashMap<IdKey, QueueIdx, RandomState>,
    agents: Vec<Agent>,
    /// Places in `agents`, by the id each agent holds.
    agent_index: ids::IdIndex,
    contacts: Slab<Contact>,
    /// Keys in `contacts`, by the id each contact holds.
    contact_index: ids::IdIndex,
    finished: Finished,
    customers: Customers,
    window: Window,
    counts: FeedCounts,
    /// The highest `seq` of an applied event: a `seq` at or below it is a
    /// duplicate (feed-v1: "seq <= last applied").
    last_applied_seq: Option<u64>,
    /// The highest `seq` that arrived at all (applied, unknown or refused):
    /// a jump past it is a gap. A refused event's `seq` is not a gap, yet
    /// it was never applied, so a corrected resend of it still applies.
    last_seen_seq: Option<u64>,
    latest_event: Option<Ts>,
    /// The earliest event time seen: a snapshot's contact that began before
    /// it began before anything we could have seen (not a missed event).
    first_event: Option<Ts>,
    /// `now` came from [`Floor::advance`] before any event: a guess that
    /// nothing has aged on yet.
    guessed_now: bool,
    resyncing: bool,
    /// Doubts that make window figures uncertain (gaps, resyncs, drops).
    trust: trust::Trust,
    /// Agents changed, for readers that follow the floor (the alert
    /// engine, the agents table's order).
    agent_changes: changes::AgentChanges,
    /// Agents by display state, per queue and in all.
    tally: tally::Tally,
    /// The id prefix of the site whose snapshot is being applied: it
    /// replaces that site's live state only (docs/sites.md).
    site_scope: Option<Box<str>>,
    /// The event being applied is the first of its site: its snapshot
    /// replaces nothing of that site, so it raises no doubt.
    site_first: bool,
}

impl Floor {
    pub fn new(settings: Settings) -> Self {
        let limits = &settings.limits;
        let mut floor = Floor {
            now: Ts(0),
            queues: Vec::new(),
            queue_index: HashMap::default(),
            agents: Vec::new(),
            agent_index: ids::IdIndex::default(),
            contacts: Slab::new(),
            contact_index: ids::IdIndex::default(),
            finished: Finished::new(limits.finished),
            customers: Customers::new(settings.repeat_window, limits.customers),
            window: Window::new(
                settings.window,
                period::Calendar::Day(settings.day_start.clone()),
                period::Calendar::Every {
                    length: settings.interval,
                    tz: settings.day_start.tz.clone(),
                },
                limits.samples,
                settings.track_today,
            ),
            counts: FeedCounts::default(),
            last_applied_seq: None,
            last_seen_seq: None,
            latest_event: None,
            first_event: None,
            guessed_now: false,
            resyncing: false,
            trust: trust::Trust::default(),
            agent_changes: changes::AgentChanges::default(),
            tally: tally::Tally::default(),
            site_scope: None,
            site_first: false,
            settings,
        };
        // Queues named in the config are shown even before the feed names them.
        let mut configured: Vec<String> = floor.settings.queues.keys().cloned().collect();
        configured.sort();
        for id in configured {
            floor.queue_idx(&id);
        }
        floor
    }

    pub fn settings(&self) -> &Settings {
        &self.settings
    }

    /// The floor's clock (the feed's clock): the latest `now` it was given.
    pub fn now(&self) -> Ts {
        self.now
    }

    /// The latest `ts` of any applied event.
    pub fn latest_event(&self) -> Option<Ts> {
        self.latest_event
    }

    pub fn counts(&self) -> FeedCounts {
        self.counts
    }

    /// Brings every figure up to date before it is read (a threshold that
    /// changed less than a second of feed time ago is applied to the waits
    /// already held).
    pub fn settle(&mut self) {
        self.window.settle();
    }

    /// Moves time forward: window samples age out, timers tick. Never back,
    /// once an event has been applied. Before the first one the caller's
    /// `now` is only a guess (a live caller learns the feed's clock from
    /// events and has to tick on its own clock until then): it is shown, but
    /// nothing ages on it, and the first event's time replaces it even when
    /// it is earlier (a feed whose clock is behind ours).
    pub fn advance(&mut self, now: Ts) {
        if self.latest_event.is_none() {
            self.now = now;
            self.guessed_now = true;
            return;
        }
        if now > self.now {
            self.now = now;
            self.trust.note_start(now);
            self.window.advance(now);
            self.customers.prune(now);
        }
    }

    /// Takes one decoder outcome: applies an event, counts the rest.
    pub fn ingest(&mut self, decoded: &Decoded<'_>) {
        let before = self.doubt_counters();
        match decoded {
            Decoded::Event(ev) => self.apply(ev),
            Decoded::Unknown { seq } => {
                self.counts.unknown += 1;
                self.note_seq(*seq);
            }
            Decoded::Rejected(r) => {
                self.counts.rejected += 1;
                self.note_seq(r.seq);
            }
        }
        self.doubt_from(before);
    }

    /// Counts a frame refused before decoding (binary, oversized, not UTF-8).
    pub fn count_rejected(&mut self) {
        self.counts.rejected += 1;
    }

    /// Whether this event would be dropped as already applied. A caller
    /// that moves time by events asks first, so that a duplicate moves
    /// nothing. A snapshot is never one: it starts a new numbering.
    pub fn is_duplicate(&self, ev: &Event<'_>) -> bool {
        !matches!(ev.kind, EventKind::Snapshot(_))
            && matches!((ev.seq, self.last_applied_seq), (Some(s), Some(last)) if s <= last)
    }

    /// Notes a `seq` that arrived, whether or not its event is applied:
    /// a forward jump past every `seq` seen so far is a gap.
    fn note_seq(&mut self, seq: Option<u64>) {
        let Some(seq) = seq else { return };
        match self.last_seen_seq {
            Some(last) if seq <= last => return,
            Some(last) if seq > last + 1 => self.counts.gaps += 1,
            _ => {}
        }
        self.last_seen_seq = Some(seq);
    }

    /// Applies one event at its own `ts`. Duplicates by `seq` are dropped.
    pub fn apply(&mut self, ev: &Event<'_>) {
        let before = self.doubt_counters();
        if self.is_duplicate(ev) {
            self.counts.duplicates += 1;
            return;
        }
        if let EventKind::Snapshot(_) = ev.kind {
            // feed-v1: `seq` belongs to the feed and survives reconnects;
            // only a snapshot starts a new numbering (a restarted server
            // counting from 1 again). Its own `seq` is the new baseline, or
            // with none, the next event's.
            self.last_applied_seq = None;
            self.last_seen_seq = None;
        }
        self.note_seq(ev.seq);
        if ev.seq.is_some() {
            self.last_applied_seq = ev.seq;
        }
        self.counts.events += 1;
        if std::mem::take(&mut self.guessed_now) {
            // The time so far was a guess; from here on it is the feed's.
            self.trust.note_start(self.now);
            self.window.advance(self.now);
            self.customers.prune(self.now);
        }
        self.latest_event = Some(self.latest_event.map_or(ev.ts, |t| t.max(ev.ts)));
        self.first_event = Some(self.first_event.map_or(ev.ts, |t| t.min(ev.ts)));
        let surprised = match &ev.kind {
            EventKind::Snapshot(snap) => self.replace_live_state(snap, ev.ts),
            _ => {
                self.apply_kind(ev);
                false
            }
        };
        self.doubt_from(before);
        // A snapshot that replaced state we already held with a different
        // one may have skipped outcomes we never counted; the very first
        // one replaces nothing, and one that only repeats what we held (a
        // relay's periodic snapshot) hides nothing.
        if surprised && self.counts.events > 1 && !self.site_first {
            self.doubt(Doubt::Resync);
        }
    }

    /// After a reconnect the live state may be stale until a snapshot comes.
    pub fn begin_resync(&mut self) {
        self.resyncing = true;
        self.doubt(Doubt::Resync);
    }

    /// `resync_grace` passed without a snapshot: trust the events we have.
    pub fn end_resync(&mut self) {
        self.resyncing = false;
    }

    pub fn resyncing(&self) -> bool {
        self.resyncing
    }

    /// Samples pushed out of the rolling window early by the sample limit.
    pub fn window_overflow(&self) -> u64 {
        self.window.overflowed
    }

    /// Live contacts, for tests and diagnostics.
    pub fn live_contacts(&self) -> usize {
        self.contacts.len()
    }

    // ---- tables ---------------------------------------------------------

    fn wait_rules(&self, queue: &str, feed_threshold: Option<crate::time::Millis>) -> WaitRules {
        WaitRules {
            threshold: self.settings.sl_threshold(queue, feed_threshold),
            short_abandon: self.settings.short_abandon(queue),
        }
    }

    fn queue_idx(&mut self, id: &str) -> Option<QueueIdx> {
        if let Some(&i) = self.queue_index.get(id) {
            return Some(i);
        }
        if self.queues.len() >= self.settings.limits.queues {
            return None;
        }
        let i = QueueIdx(self.queues.len() as u32);
        let rules = self.wait_rules(id, None);
        self.queues.push(Queue::new(id));
        self.queue_index.insert(id.into(), i);
        self.window.add_queue(rules);
        let group = self.settings.policy(id).and_then(|p| p.group.clone());
        self.tally.add_queue(group.as_ref());
        Some(i)
    }

    /// The agent of `id`, if the floor holds one (present or not).
    fn known_agent(&self, id: &str) -> Option<AgentIdx> {
        let agents = &self.agents;
        self.agent_index
            .get(id, |p| &agents[p as usize].id)
            .map(AgentIdx)
    }

    /// The live contact of `id`, if there is one.
    fn known_contact(&self, id: &str) -> Option<live::ContactKey> {
        let contacts = &self.contacts;
        let key = self.contact_index.get(id, |p| &contacts[p as usize].id)?;
        Some(key as live::ContactKey)
    }

    /// Whether no contact may be added. A contact's key is its place in
    /// the index, 4 bytes: a slab hands out keys below the most contacts
    /// it ever held at once (a freed key is handed out again before the
    /// slab grows), so while that stays below `u32::MAX`, so does every
    /// key.
    fn contacts_full(&self) -> bool {
        self.contacts.len() >= self.settings.limits.contacts.min(u32::MAX as usize)
    }

    /// Adds a contact, with its id, to the contacts and their index.
    fn add_contact(&mut self, contact: Contact) -> live::ContactKey {
        let key = self.contacts.insert(contact);
        let contacts = &self.contacts;
        self.contact_index
            .insert(&contacts[key].id, key as u32, |p| &contacts[p as usize].id);
        key
    }

    /// Takes a contact out of the contacts and their index.
    fn remove_contact(&mut self, key: live::ContactKey) -> Contact {
        let c = self.contacts.remove(key);
        self.contact_index.remove(&c.id, key as u32);
        c
    }

    fn agent_idx(&mut self, id: &str, at: Ts) -> Option<AgentIdx> {
        if let Some(i) = self.known_agent(id) {
            self.window.occupancy.prefetch_agent(i.0 as usize);
            return Some(i);
        }
        if self.agents.len() >= self.settings.limits.agents {
            return None;
        }
        let i = AgentIdx(self.agents.len() as u32);
        let mut agent = Agent::new(id, at);
        agent.site = self.tally.site_of(id);
        agent.note_display(agent.display(), at);
        self.agents.push(agent);
        let agents = &self.agents;
        self.agent_index.insert(id, i.0, |p| &agents[p as usize].id);
        self.window.add_agent();
        self.agent_changed(i, at);
        Some(i)
    }
}

/// A floor made from feed-v1 lines, for the floor's own unit tests.
#[cfg(test)]
pub(crate) fn floor_of(lines: &[&str]) -> Floor {
    let mut f = Floor::new(Settings::default());
    for l in lines {
        crate::protocol::decode_frame(l, |d| {
            assert!(matches!(d, crate::protocol::Decoded::Event(_)), "{l}");
            f.ingest(&d);
        });
    }
    f.settle();
    f
}

/// A floor of `settings` made from feed-v1 lines with time moved to each
/// event's `ts` first, as a replay does (so that window samples count).
#[cfg(test)]
pub(crate) fn floor_timed(settings: Settings, lines: &[&str]) -> Floor {
    let mut f = Floor::new(settings);
    for l in lines {
        crate::protocol::decode_frame(l, |d| {
            let crate::protocol::Decoded::Event(ev) = &d else {
                panic!("not an event: {l}");
            };
            f.advance(ev.ts);
            f.ingest(&d);
        });
    }
    f.settle();
    f
}
