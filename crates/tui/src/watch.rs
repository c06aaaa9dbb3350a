//! Watching the floor between frames: alert crossings, agents logging in
//! and out, the link going down and up, resyncs and gaps, all written to the
//! event log; and the per-queue waiting samples of the sparklines. It runs
//! on every change and every second, paused or not, so nothing is missed.

use std::collections::{HashMap, VecDeque};

use super::alerts::{Level, entry};
use super::fit::clean;
use super::log::{EventLog, LogEntry, Severity};
use queuetop_engine::alert::Subject;
use queuetop_engine::floor::DisplayState;
use queuetop_engine::health::LinkState;
use queuetop_engine::monitor::{Monitor, SourceKind};
use queuetop_engine::time::{Ts, human};

/// Seconds of waiting counts a sparkline covers.
pub const SPARK_SECONDS: usize = 300;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum LinkWord {
    Connecting,
    Connected,
    Down,
    AuthFailed,
    Ended,
}

fn link_word(l: &LinkState) -> LinkWord {
    match l {
        LinkState::Connecting => LinkWord::Connecting,
        // History is read on a live connection.
        LinkState::Connected | LinkState::LoadingHistory { .. } => LinkWord::Connected,
        LinkState::Reconnecting { .. } => LinkWord::Down,
        LinkState::AuthFailed { .. } => LinkWord::AuthFailed,
        LinkState::Ended => LinkWord::Ended,
    }
}

#[derive(Debug, Default)]
pub struct Watch {
    pub log: EventLog,
    /// The next alert change to read from the monitor.
    alert_seq: u64,
    /// Per agent index: was it logged in (not offline) at the last look.
    present: Vec<Option<bool>>,
    primed: bool,
    link: Option<LinkWord>,
    down_since: Option<Ts>,
    resyncing: bool,
    gaps: u64,
    sparks: HashMap<Box<str>, VecDeque<u32>>,
    last_second: Option<i64>,
    /// Incident marks already written to the log.
    marks_seen: u64,
}

impl Watch {
    /// Waiting counts of a queue, oldest first.
    pub fn spark(&self, queue: &str) -> Option<&VecDeque<u32>> {
        self.sparks.get(queue)
    }

    /// Looks at the monitor; returns true when an alert went critical (bell).
    pub fn observe(&mut self, m: &Monitor) -> bool {
        let floor = &m.floor;
        let now = floor.now();
        // Alerts first: their changes happened at or before this look (a
        // replay's, all along the file), so they come before what this
        // look sees of the link.
        let into_critical = self.observe_alerts(m);
        // Marks, like alerts, were set at or before this look.
        for mark in m.marks().since(self.marks_seen) {
            self.log
                .push(LogEntry::new(mark.at, Severity::Info, mark.describe()));
        }
        self.marks_seen = m.marks().made();
        self.observe_link(m, now);
        let counts = floor.counts();
        if counts.gaps > self.gaps {
            let n = counts.gaps - self.gaps;
            self.log.push(LogEntry::new(
                now,
                Severity::Warn,
                format!(
                    "gap in the feed's sequence ({n} new, {} in all)",
                    counts.gaps
                ),
            ));
            self.gaps = counts.gaps;
        }
        if floor.resyncing() != self.resyncing {
            self.resyncing = floor.resyncing();
            let (sev, text) = if self.resyncing {
                (Severity::Warn, "resyncing: live state may be stale")
            } else {
                (Severity::Good, "resync done")
            };
            self.log.push(LogEntry::new(now, sev, text));
        }
        self.observe_agents(m);
        // Queues: alerts, and one sparkline sample per second of feed time.
        let second = now.0.div_euclid(1000);
        let steps = match self.last_second {
            Some(s) if second > s => (second - s).min(SPARK_SECONDS as i64) as usize,
            Some(_) => 0,
            None => 1,
        };
        self.last_second = Some(self.last_second.map_or(second, |s| s.max(second)));
        let (per_queue, _) = floor.agent_counts();
        if steps > 0 {
            // Only who waits: the window figures would cost far more.
            for q in floor.queue_ids() {
                let v = floor.queue_view_live(q, per_queue);
                let ring = self.sparks.entry(v.id.into()).or_default();
                for _ in 0..steps {
                    if ring.len() == SPARK_SECONDS {
                        ring.pop_front();
                    }
                    ring.push_back(v.waiting as u32);
                }
            }
        }
        into_critical
    }

    /// The engine's crossings and returns since the last look, as log
    /// entries; true when one went into critical.
    fn observe_alerts(&mut self, m: &Monitor) -> bool {
        let floor = &m.floor;
        let now = floor.now();
        let (per_queue, _) = floor.agent_counts();
        let changes = m.alert_changes_since(self.alert_seq);
        self.alert_seq = changes.next;
        if changes.missed > 0 {
            self.log.push(LogEntry::new(
                now,
                Severity::Warn,
                format!(
                    "{} alert changes not shown (too many at once)",
                    changes.missed
                ),
            ));
        }
        let rules = m.alert_engine().rules();
        let mut into_critical = false;
        for c in changes.items {
            let label = match c.subject {
                Subject::Queue(q) => {
                    let v = floor.queue_view_live(q, per_queue);
                    crate::sites::with_site(m, v.id, &clean(v.label()))
                }
                Subject::Agent(a) if (a.0 as usize) < floor.agent_slots() => {
                    let (id, name, _, _) = floor.agent_brief(a);
                    crate::sites::with_site(m, id, &clean(name.unwrap_or(id)))
                }
                Subject::Agent(_) => clean(&c.subject_id).into_owned(),
                Subject::Feed => "feed".to_string(),
            };
            into_critical |= c.to == Level::Crit && c.from < Level::Crit;
            self.log.push(entry(rules, c, &label));
        }
        into_critical
    }

    fn observe_link(&mut self, m: &Monitor, now: Ts) {
        let word = link_word(m.link());
        let before = self.link.replace(word);
        if before == Some(word) {
            return;
        }
        let entry = match (before, m.link()) {
            (_, LinkState::Reconnecting { last_error, .. }) => {
                self.down_since.get_or_insert(now);
                LogEntry::new(
                    now,
                    Severity::Crit,
                    format!("connection lost: {}", clean(last_error)),
                )
            }
            (_, LinkState::AuthFailed { detail, .. }) => {
                self.down_since.get_or_insert(now);
                LogEntry::new(
                    now,
                    Severity::Crit,
                    format!("authentication refused: {}", clean(detail)),
                )
            }
            (
                Some(LinkWord::Down | LinkWord::AuthFailed),
                LinkState::Connected | LinkState::LoadingHistory { .. },
            ) => {
                let gap = self.down_since.take().map(|t| now.since(t)).unwrap_or(0);
                LogEntry::new(
                    now,
                    Severity::Good,
                    format!("connection restored after {}", human(gap)),
                )
            }
            (_, LinkState::LoadingHistory { .. }) => {
                LogEntry::new(now, Severity::Info, "connected, loading history")
            }
            (_, LinkState::Connected) => match m.source().kind {
                SourceKind::Replay => LogEntry::new(now, Severity::Info, "replay started"),
                _ => LogEntry::new(now, Severity::Info, "connected"),
            },
            (_, LinkState::Ended) => LogEntry::new(now, Severity::Info, "end of the feed"),
            (_, LinkState::Connecting) => return,
        };
        self.log.push(entry);
    }

    fn observe_agents(&mut self, m: &Monitor) {
        let floor = &m.floor;
        let first_look = !self.primed;
        for a in floor.agent_ids() {
            let (id, name, state, since) = floor.agent_brief(a);
            let on = state != DisplayState::Offline;
            let i = a.0 as usize;
            if self.present.len() <= i {
                self.present.resize(i + 1, None);
            }
            let before = self.present[i].replace(on);
            let changed = match before {
                Some(was) => was != on,
                // A new agent logging in is news; the first population is not.
                None => on && !first_look,
            };
            if changed {
                let who = crate::sites::with_site(m, id, &clean(name.unwrap_or(id)));
                let text = if on {
                    format!("{who} logged in")
                } else {
                    format!("{who} logged out")
                };
                self.log.push(LogEntry::new(since, Severity::Info, text));
            }
        }
        if floor.agent_ids().next().is_some() {
            self.primed = true;
        }
    }
}
