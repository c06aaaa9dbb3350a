//! The figures a scrape exports, copied out of the monitor under its lock.
//! Everything here is owned: the lock is released before anything is
//! encoded.

use queuetop_engine::alert::Active;
use queuetop_engine::floor::{
    AgentCounts, DisplayState, FeedCounts, Figures, QueueView, WindowKind,
};
use queuetop_engine::health::{FeedHealth, LinkState};
use queuetop_engine::monitor::Monitor;
use queuetop_engine::time::{Millis, Ts};
use queuetop_feed::nats::publisher::StatsNow;

/// How a scrape looks at the monitor: fixed for a run.
#[derive(Clone, Debug)]
pub struct Look {
    pub window: WindowKind,
    /// Whether the floor's time follows our wall clock (live and demo) or
    /// the events' own (a replay), as [`crate::source::Source::wall_clock`].
    pub wall_clock: bool,
    pub stale_after: Millis,
    /// Export one series per agent (off by default: cardinality).
    pub agents: bool,
    /// The `site` label of every series of a floor of one feed (the
    /// relay's `--site`; "" for the view and `export`). A floor of several
    /// sites labels each queue, agent and feed with its own site.
    pub site: String,
}

/// A queue's or agent's labels: its site and its own id (`billing`, not
/// the floor's `paris/billing`).
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Place {
    pub site: String,
    pub id: String,
}

impl Place {
    /// Where floor id `id` belongs: with sites, the site its id names.
    fn of(m: &Monitor, look: &Look, id: &str) -> Place {
        Place::shown_of(m, look, id).0
    }

    /// [`Place::of`], and whether showing the id removed anything from it
    /// (then another id may read the same).
    fn shown_of(m: &Monitor, look: &Look, id: &str) -> (Place, bool) {
        let (site, own) = if m.has_sites() {
            queuetop_engine::site::split(id)
        } else {
            (None, id)
        };
        let shown_own = queuetop_engine::text::strip(std::borrow::Cow::Borrowed(own));
        let changed = matches!(shown_own, std::borrow::Cow::Owned(_));
        let place = Place {
            site: site.map_or_else(|| look.site.clone(), shown),
            id: shown_own.into_owned(),
        };
        (place, changed)
    }
}

/// Keeps one row per place, `key` giving a row's place, whether showing
/// its id changed it, and the id as sent. Ids that differ only in what
/// [`shown`] removes (`a1` and `a1` with a zero width space) read the
/// same: written as they are, they would be two series with one label set
/// (invalid in both exposition formats; Prometheus keeps either), or one
/// hiding the other. The id shown as it was sent is kept, else the one
/// that sorts first; sorted by place.
fn one_per_place<T>(rows: &mut Vec<T>, key: impl Fn(&T) -> (&Place, bool, &str)) {
    rows.sort_by(|a, b| key(a).cmp(&key(b)));
    rows.dedup_by(|later, kept| key(later).0 == key(kept).0);
}

/// One scope's figures: a queue, or the whole floor.
#[derive(Clone, Debug, PartialEq)]
pub struct Scope {
    pub waiting: usize,
    pub longest_wait: Millis,
    pub sl_threshold: Millis,
    pub agents: AgentCounts,
    pub figures: Figures,
}

impl Scope {
    fn of(v: &QueueView<'_>) -> Self {
        Scope {
            waiting: v.waiting,
            longest_wait: v.longest_wait,
            sl_threshold: v.sl_threshold,
            agents: v.agents,
            figures: v.figures.clone(),
        }
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct Feed {
    pub health: FeedHealth,
    /// The link is up (connected, also while stale or resyncing).
    pub connected: bool,
    pub counts: FeedCounts,
    pub reconnects: u64,
    pub last_event_age: Option<Millis>,
    pub clock_offset: Millis,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Agent {
    pub place: Place,
    pub state: DisplayState,
    pub state_for: Millis,
    pub handled: i64,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Alert {
    pub rule: String,
    /// The queue's or agent's site and id; id "" for the feed.
    pub subject: Place,
    pub level: &'static str,
}

/// Everything one scrape exports.
#[derive(Clone, Debug, PartialEq)]
pub struct Collected {
    pub site: String,
    pub source_kind: &'static str,
    pub window: Millis,
    /// The whole floor's feed: with sites, the best of their links and
    /// the sum of their counts.
    pub feed: Feed,
    /// Each site's feed, by name; empty for a floor of one feed.
    pub sites: Vec<(String, Feed)>,
    pub floor: Scope,
    /// By site and queue id, sorted.
    pub queues: Vec<(Place, Scope)>,
    /// Empty unless [`Look::agents`]. Shared with the scrape's registry,
    /// which writes their series straight from here.
    pub agents: std::sync::Arc<Vec<Agent>>,
    pub alerts: Vec<Alert>,
    /// The publisher's figures, for `queuetop relay` only.
    pub relay: Option<StatsNow>,
}

/// An id from the feed as a label value: control characters never reach
/// the output (as in the JSON snapshot).
fn shown(id: &str) -> String {
    queuetop_engine::text::strip(std::borrow::Cow::Borrowed(id)).into_owned()
}

/// Copies the figures out of `m`. `local_now` is our wall clock, used for
/// a live source only (a replay's time is the events' own, as in the
/// snapshot). `alerts` are the alerts firing now.
pub fn collect<'a>(
    m: &Monitor,
    look: &Look,
    local_now: Ts,
    alerts: impl IntoIterator<Item = Active<'a>>,
) -> Collected {
    let floor = &m.floor;
    let local_now = look.wall_clock.then_some(local_now);
    let (counts, total_counts) = floor.agent_counts();
    let mut queues: Vec<(Place, bool, &str, Scope)> = floor
        .queue_ids()
        .map(|q| floor.queue_view(q, look.window, counts))
        .map(|v| {
            let (place, changed) = Place::shown_of(m, look, v.id);
            (place, changed, v.id, Scope::of(&v))
        })
        .collect();
    one_per_place(&mut queues, |(p, changed, id, _)| (p, *changed, id));
    let queues = queues.into_iter().map(|(p, _, _, s)| (p, s)).collect();
    let agents = if look.agents {
        let mut agents: Vec<(bool, &str, Agent)> = floor
            .agent_ids()
            .map(|a| floor.agent_view(a, look.window))
            .map(|a| {
                let (place, changed) = Place::shown_of(m, look, a.id);
                let agent = Agent {
                    place,
                    state: a.state,
                    state_for: a.state_for,
                    handled: a.handled,
                };
                (changed, a.id, agent)
            })
            .collect();
        // Floor ids are unique: only a changed one can read as another.
        if agents.iter().any(|(changed, _, _)| *changed) {
            one_per_place(&mut agents, |(changed, id, a)| (&a.place, *changed, id));
        }
        agents
            .into_iter()
            .map(|(_, _, a)| a)
            .collect::<Vec<_>>()
            .into()
    } else {
        Default::default()
    };
    let last_event_age = match local_now {
        Some(now) => m.last_event_local().map(|t| now.since(t)),
        None => floor.latest_event().map(|t| floor.now().since(t)),
    };
    Collected {
        site: look.site.clone(),
        source_kind: m.source().kind.as_str(),
        window: floor.window_span(look.window),
        feed: Feed {
            health: m.health(local_now, look.stale_after),
            connected: *m.link() == LinkState::Connected,
            counts: floor.counts(),
            reconnects: m.reconnects(),
            last_event_age,
            clock_offset: m.clock().offset(),
        },
        sites: m
            .sites()
            .iter()
            .map(|s| {
                let c = s.counts;
                let feed = Feed {
                    health: s.health(local_now, look.stale_after),
                    connected: s.link == LinkState::Connected,
                    counts: FeedCounts {
                        events: c.events,
                        rejected: c.rejected,
                        unknown: c.unknown,
                        duplicates: c.duplicates,
                        gaps: c.gaps,
                        ..FeedCounts::default()
                    },
                    reconnects: s.reconnects,
                    last_event_age: local_now
                        .and_then(|now| s.last_event_local.map(|t| now.since(t))),
                    clock_offset: s.clock.offset(),
                };
                (shown(s.name.as_str()), feed)
            })
            .collect(),
        floor: Scope::of(&floor.totals(look.window, total_counts)),
        queues,
        agents,
        alerts: alerts
            .into_iter()
            .map(|a| Alert {
                rule: shown(a.rule),
                subject: Place::of(m, look, a.subject_id),
                level: a.level.as_str(),
            })
            .collect(),
        relay: None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use queuetop_engine::alert::Subject;
    use queuetop_engine::alert::rule::{Level, QueueRule, RuleId};
    use queuetop_engine::dialect::DialectKind;
    use queuetop_engine::floor::{Floor, QueueIdx, Settings};
    use queuetop_engine::monitor::{SourceInfo, SourceKind};

    fn monitor() -> Monitor {
        let mut m = Monitor::new(
            Floor::new(Settings::default()),
            SourceInfo::new(SourceKind::Replay, "day.jsonl"),
            DialectKind::Native.make(),
        );
        m.replay_frame(r#"{"type":"contact.queued","ts":"2026-11-23T09:20:00Z","contact_id":"c1","queue":"bil\u001bling","channel":"voice"}"#);
        m.replay_frame(r#"{"type":"agent.state","ts":"2026-11-23T09:20:30Z","agent_id":"a1","state":"available","queues":["bil\u001bling"]}"#);
        m
    }

    fn look(agents: bool) -> Look {
        Look {
            window: WindowKind::Rolling,
            wall_clock: false,
            stale_after: 30_000,
            agents,
            site: String::new(),
        }
    }

    #[test]
    fn a_replay_is_read_on_the_events_clock_and_ids_lose_control_characters() {
        let m = monitor();
        // Our wall clock is ignored for a replay.
        let c = collect(&m, &look(true), Ts(0), std::iter::empty());
        assert_eq!(c.queues.len(), 1);
        assert_eq!(c.queues[0].0.id, "billing");
        assert_eq!(c.queues[0].1.waiting, 1);
        assert_eq!(c.queues[0].1.longest_wait, 30_000);
        assert_eq!(c.feed.last_event_age, Some(0));
        assert_eq!(c.feed.counts.events, 2);
        assert_eq!(c.agents.len(), 1);
        assert!(
            collect(&m, &look(false), Ts(0), std::iter::empty())
                .agents
                .is_empty()
        );
    }

    #[test]
    fn active_alerts_are_copied_out() {
        let m = monitor();
        let active = Active {
            rule: "longest_wait_s",
            rule_id: RuleId::Queue(QueueRule::LongestWait),
            subject: Subject::Queue(QueueIdx(0)),
            subject_id: "bil\u{1b}ling",
            level: Level::Warn,
            since: Ts(0),
            level_since: Ts(0),
            value: Some(31.0),
            threshold: Some(30.0),
        };
        let c = collect(&m, &look(false), Ts(0), [active]);
        assert_eq!(
            c.alerts,
            [Alert {
                rule: "longest_wait_s".into(),
                subject: Place {
                    site: String::new(),
                    id: "billing".into(),
                },
                level: "warning",
            }]
        );
    }
}
