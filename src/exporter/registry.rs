//! The registry of one scrape, built from a [`Collected`] copy and encoded
//! by `prometheus-client` (OpenMetrics text). Conventions of the Prometheus
//! ecosystem: base units (seconds; ratios 0-1), `_total` counters, labels
//! `queue`, `site`, `state`. A figure that is undefined (a mean of nothing)
//! has no sample rather than a made-up value. docs/exporter.md lists every
//! metric.

use std::sync::Arc;
use std::sync::atomic::AtomicU64;

use prometheus_client::collector::Collector;
use prometheus_client::encoding::{
    DescriptorEncoder, EncodeLabelSet, EncodeLabelValue, LabelValueEncoder,
};
use prometheus_client::metrics::MetricType;

use prometheus_client::encoding::text::encode;
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::gauge::Gauge;
use prometheus_client::metrics::info::Info;
use prometheus_client::registry::{Registry, Unit};
use queuetop_engine::floor::DisplayState;
use queuetop_engine::health::FeedHealth;
use queuetop_feed::nats::publisher::StatsNow;

use super::collect::{Agent, Collected, Feed, Scope};

type Labels = Vec<(String, String)>;
type GaugeFamily = Family<Labels, Gauge<f64, AtomicU64>>;
type CounterFamily = Family<Labels, Counter<u64>>;

/// The unit a figure is exported in (its name's suffix).
#[derive(Clone, Copy)]
enum Kind {
    Count,
    Seconds,
    Ratio,
}

/// One figure of a scope: the name after `queuetop_queue_` or
/// `queuetop_floor_`, its help, its unit and how to read it (in that unit).
struct Figure {
    name: &'static str,
    help: &'static str,
    kind: Kind,
    read: fn(&Scope) -> Option<f64>,
}

fn seconds(ms: Option<f64>) -> Option<f64> {
    ms.map(|ms| ms / 1000.0)
}

fn ratio(pct: Option<f64>) -> Option<f64> {
    pct.map(|p| p / 100.0)
}

const FIGURES: &[Figure] = &[
    Figure {
        name: "waiting",
        help: "Contacts waiting now",
        kind: Kind::Count,
        read: |s| Some(s.waiting as f64),
    },
    Figure {
        name: "longest_wait",
        help: "The longest wait of the contacts waiting now (0 when none waits)",
        kind: Kind::Seconds,
        read: |s| Some(s.longest_wait as f64 / 1000.0),
    },
    Figure {
        name: "sl_threshold",
        help: "The service level threshold: answered within this counts as in service",
        kind: Kind::Seconds,
        read: |s| Some(s.sl_threshold as f64 / 1000.0),
    },
    Figure {
        name: "entered",
        help: "Contacts that entered in the window (a gauge: the window rolls)",
        kind: Kind::Count,
        read: |s| Some(s.figures.entered as f64),
    },
    Figure {
        name: "answered",
        help: "Contacts answered in the window",
        kind: Kind::Count,
        read: |s| Some(s.figures.answered as f64),
    },
    Figure {
        name: "abandoned",
        help: "Contacts abandoned in the window",
        kind: Kind::Count,
        read: |s| Some(s.figures.abandoned as f64),
    },
    Figure {
        name: "asa",
        help: "Average speed of answer in the window",
        kind: Kind::Seconds,
        read: |s| seconds(s.figures.asa),
    },
    Figure {
        name: "service_level",
        help: "Service level in the window (0-1), by the scope's formula",
        kind: Kind::Ratio,
        read: |s| ratio(s.figures.service_level),
    },
    Figure {
        name: "abandon",
        help: "Abandon rate in the window (0-1)",
        kind: Kind::Ratio,
        read: |s| ratio(s.figures.abandon_rate),
    },
    Figure {
        name: "att",
        help: "Average talk time in the window",
        kind: Kind::Seconds,
        read: |s| seconds(s.figures.att),
    },
    Figure {
        name: "avg_hold",
        help: "Average hold time of handled contacts in the window",
        kind: Kind::Seconds,
        read: |s| seconds(s.figures.avg_hold),
    },
    Figure {
        name: "aht",
        help: "Average handle time (talk, hold and wrap-up) in the window",
        kind: Kind::Seconds,
        read: |s| seconds(s.figures.aht),
    },
    Figure {
        name: "first_responses",
        help: "First responses (chat, email) in the window",
        kind: Kind::Count,
        read: |s| Some(s.figures.frt.count as f64),
    },
    Figure {
        name: "frt_avg",
        help: "Average first response time in the window",
        kind: Kind::Seconds,
        read: |s| seconds(s.figures.frt.avg),
    },
    Figure {
        name: "frt_p50",
        help: "Median first response time in the window",
        kind: Kind::Seconds,
        read: |s| seconds(s.figures.frt.p50),
    },
    Figure {
        name: "frt_p90",
        help: "90th percentile of the first response time in the window",
        kind: Kind::Seconds,
        read: |s| seconds(s.figures.frt.p90),
    },
    Figure {
        name: "fcr",
        help: "First contact resolution in the window (0-1)",
        kind: Kind::Ratio,
        read: |s| ratio(s.figures.fcr),
    },
];

/// A label set. The encoder writes values as it gets them, so each value
/// is escaped here as both exposition formats require: a feed's id with a
/// quote or a backslash must not end the value early and make labels of
/// its own (`x",site="spoofed`) or make the whole scrape unreadable.
fn labels(pairs: &[(&str, &str)]) -> Labels {
    pairs
        .iter()
        .map(|(k, v)| (k.to_string(), escaped(v)))
        .collect()
}

/// `\`, `"` and a line feed as `\\`, `\"` and `\n` (control characters
/// are stripped before, in [`super::collect`]; escaped here too, should
/// one ever come through).
fn escaped(v: &str) -> String {
    let mut out = String::with_capacity(v.len());
    for c in v.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '"' => out.push_str("\\\""),
            '\n' => out.push_str("\\n"),
            c => out.push(c),
        }
    }
    out
}

fn gauge(reg: &mut Registry, name: &str, help: &str, kind: Kind, rows: Vec<(Labels, f64)>) {
    let family = GaugeFamily::default();
    for (l, v) in rows {
        family.get_or_create(&l).set(v);
    }
    match kind {
        Kind::Count => reg.register(name, help, family),
        Kind::Seconds => reg.register_with_unit(name, help, Unit::Seconds, family),
        Kind::Ratio => reg.register_with_unit(name, help, Unit::Other("ratio".into()), family),
    }
}

/// A counter of one site; `name` without `_total` (the encoder adds it).
fn counter(reg: &mut Registry, name: &str, help: &str, site: &str, value: u64) {
    counters(reg, name, help, vec![(labels(&[("site", site)]), value)]);
}

/// A counter family, one row per label set.
fn counters(reg: &mut Registry, name: &str, help: &str, rows: Vec<(Labels, u64)>) {
    let family = CounterFamily::default();
    for (l, v) in rows {
        family.get_or_create(&l).inc_by(v);
    }
    reg.register(name, help, family);
}

/// The figures of every scope of one kind (`queue` or `floor`).
fn scopes(reg: &mut Registry, prefix: &str, rows: &[(Labels, &Scope)]) {
    for f in FIGURES {
        let values = rows
            .iter()
            .filter_map(|(l, s)| (f.read)(s).map(|v| (l.clone(), v)))
            .collect();
        gauge(reg, &format!("{prefix}_{}", f.name), f.help, f.kind, values);
    }
    let mut by_state = Vec::new();
    for (l, s) in rows {
        for state in DisplayState::ALL {
            let mut l = l.clone();
            l.push(("state".into(), state.as_str().into()));
            by_state.push((l, f64::from(s.agents.get(state))));
        }
    }
    gauge(
        reg,
        &format!("{prefix}_agents"),
        "Agents by display state (an agent in several queues counts in each)",
        Kind::Count,
        by_state,
    );
}

/// The registry of one scrape.
pub fn registry(c: &Collected) -> Registry {
    let mut reg = Registry::with_prefix("queuetop");
    let site = c.site.as_str();
    reg.register(
        "build",
        "The queuetop version and the kind of source it reads",
        Info::new(labels(&[
            ("version", env!("CARGO_PKG_VERSION")),
            ("source", c.source_kind),
        ])),
    );
    gauge(
        &mut reg,
        "window",
        "The span of the window the window figures cover",
        Kind::Seconds,
        vec![(labels(&[("site", site)]), c.window as f64 / 1000.0)],
    );
    feed(&mut reg, c);
    let queues: Vec<(Labels, &Scope)> = c
        .queues
        .iter()
        .map(|(q, s)| (labels(&[("queue", &q.id), ("site", &q.site)]), s))
        .collect();
    scopes(&mut reg, "queue", &queues);
    scopes(&mut reg, "floor", &[(labels(&[("site", site)]), &c.floor)]);
    if !c.agents.is_empty() {
        reg.register_collector(Box::new(AgentSeries(Arc::clone(&c.agents))));
    }
    let alerts = c
        .alerts
        .iter()
        .map(|a| {
            let l = labels(&[
                ("rule", &a.rule),
                ("subject", &a.subject.id),
                ("level", a.level),
                ("site", &a.subject.site),
            ]);
            (l, 1.0)
        })
        .collect();
    if let Some(r) = &c.relay {
        relay(&mut reg, site, r);
    }
    gauge(
        &mut reg,
        "alert_active",
        "1 for each alert firing now (subject: the queue or agent id, empty for the feed)",
        Kind::Count,
        alerts,
    );
    reg
}

/// A feed counter: its name (without `_total`), help, and how to read it.
type FeedCounter = (&'static str, &'static str, fn(&Feed) -> u64);

/// The feed's series: one per site in a floor of several sites, else one
/// for the floor's feed.
fn feed(reg: &mut Registry, c: &Collected) {
    let rows: Vec<(&str, &Feed)> = if c.sites.is_empty() {
        vec![(c.site.as_str(), &c.feed)]
    } else {
        c.sites.iter().map(|(s, f)| (s.as_str(), f)).collect()
    };
    let site = |s: &str| labels(&[("site", s)]);
    let one = |v: bool| if v { 1.0 } else { 0.0 };
    gauge(
        reg,
        "feed_connected",
        "1 while the link to the source is up (also while stale or resyncing), else 0",
        Kind::Count,
        rows.iter()
            .map(|(s, f)| (site(s), one(f.connected)))
            .collect(),
    );
    let states = rows
        .iter()
        .flat_map(|(s, f)| {
            FeedHealth::ALL.iter().map(move |st| {
                let l = labels(&[("site", s), ("state", st.as_str())]);
                (l, one(*st == f.health))
            })
        })
        .collect();
    gauge(
        reg,
        "feed_state",
        "1 for the feed's state now (the snapshot's feed.state), 0 for the others",
        Kind::Count,
        states,
    );
    gauge(
        reg,
        "feed_last_event_age",
        "Time since the last event (for a replay: on the events' own clock)",
        Kind::Seconds,
        rows.iter()
            .filter_map(|(s, f)| f.last_event_age.map(|ms| (site(s), ms as f64 / 1000.0)))
            .collect(),
    );
    gauge(
        reg,
        "feed_clock_offset",
        "Our clock minus the feed's, as learnt from event times (positive: the feed is behind)",
        Kind::Seconds,
        rows.iter()
            .map(|(s, f)| (site(s), f.clock_offset as f64 / 1000.0))
            .collect(),
    );
    let count = |read: fn(&Feed) -> u64| -> Vec<(Labels, u64)> {
        rows.iter().map(|(s, f)| (site(s), read(f))).collect()
    };
    let series: [FeedCounter; 8] = [
        ("feed_events", "Events applied to the floor", |f| {
            f.counts.events
        }),
        (
            "feed_rejected",
            "Frames or events refused by the decoder",
            |f| f.counts.rejected,
        ),
        (
            "feed_unknown",
            "Events of a type queuetop does not know",
            |f| f.counts.unknown,
        ),
        (
            "feed_duplicates",
            "Events dropped as repeats of a seq already applied",
            |f| f.counts.duplicates,
        ),
        (
            "feed_gaps",
            "Forward jumps in the feed's seq numbers",
            |f| f.counts.gaps,
        ),
        (
            "feed_over_limit",
            "Events dropped because a size limit was hit",
            |f| f.counts.over_limit,
        ),
        (
            "feed_priority_ignored",
            "Contact priorities that were not a 32-bit signed whole number",
            |f| f.counts.priority_ignored,
        ),
        (
            "feed_reconnects",
            "Reconnections after the first connection",
            |f| f.reconnects,
        ),
    ];
    for (name, help, read) in series {
        counters(reg, name, help, count(read));
    }
}

/// The relay's own series (`queuetop relay --metrics-listen`).
fn relay(reg: &mut Registry, site: &str, r: &StatsNow) {
    let one = |v: bool| if v { 1.0 } else { 0.0 };
    counter(
        reg,
        "relay_published",
        "Frames the broker acknowledged as stored",
        site,
        r.published,
    );
    gauge(
        reg,
        "relay_buffered",
        "Frames waiting in the relay's buffer for the broker",
        Kind::Count,
        vec![(labels(&[("site", site)]), r.buffered as f64)],
    );
    counter(
        reg,
        "relay_dropped",
        "Frames dropped, oldest first, because the buffer was full",
        site,
        r.dropped,
    );
    gauge(
        reg,
        "relay_nats_connected",
        "1 while a session with the NATS broker is open, else 0",
        Kind::Count,
        vec![(labels(&[("site", site)]), one(r.connected))],
    );
    counter(
        reg,
        "relay_publish_errors",
        "Broker sessions ended by an error (a publish refused, a frame not stored, no acknowledgement in time, the link lost)",
        site,
        r.errors,
    );
}

/// Per-agent series, only when asked for (one series per agent and figure),
/// written straight from the collected agents as the registry is encoded:
/// at 50,000 agents, families of owned label sets cost tens of megabytes
/// and most of a scrape's time.
/// (The help ends with a period, as the registry adds one to the others.)
#[derive(Debug)]
struct AgentSeries(Arc<Vec<Agent>>);

impl Collector for AgentSeries {
    fn encode(&self, mut encoder: DescriptorEncoder) -> std::fmt::Result {
        gauges(
            &mut encoder,
            "agent_state",
            "Time the agent has been in its current state (label state); per agent.",
            Some(&Unit::Seconds),
            self.0.iter().map(|a| {
                let [agent, site] = agent_labels(a);
                let labels = [agent, site, ("state", Escaped(a.state.as_str()))];
                (labels, a.state_for as f64 / 1000.0)
            }),
        )?;
        gauges(
            &mut encoder,
            "agent_handled",
            "Contacts the agent handled in the window; per agent.",
            None,
            self.0.iter().map(|a| (agent_labels(a), a.handled as f64)),
        )
    }
}

/// An agent's `agent` and `site` labels.
fn agent_labels(a: &Agent) -> [(&'static str, Escaped<'_>); 2] {
    [
        ("agent", Escaped(&a.place.id)),
        ("site", Escaped(&a.place.site)),
    ]
}

/// One gauge family, a series for each row's labels.
fn gauges<S: EncodeLabelSet>(
    encoder: &mut DescriptorEncoder,
    name: &str,
    help: &str,
    unit: Option<&Unit>,
    rows: impl Iterator<Item = (S, f64)>,
) -> std::fmt::Result {
    let mut family = encoder.encode_descriptor(name, help, unit, MetricType::Gauge)?;
    for (labels, value) in rows {
        family.encode_family(&labels)?.encode_gauge(&value)?;
    }
    Ok(())
}

/// A label value written escaped as [`escaped`] makes it, without a copy.
struct Escaped<'a>(&'a str);

impl EncodeLabelValue for Escaped<'_> {
    fn encode(&self, encoder: &mut LabelValueEncoder) -> std::fmt::Result {
        use std::fmt::Write;
        // Runs without anything to escape are written whole.
        let mut rest = self.0;
        while let Some(i) = rest.find(['\\', '"', '\n']) {
            encoder.write_str(&rest[..i])?;
            encoder.write_str(match rest.as_bytes()[i] {
                b'\\' => "\\\\",
                b'"' => "\\\"",
                _ => "\\n",
            })?;
            rest = &rest[i + 1..];
        }
        encoder.write_str(rest)
    }
}

/// The scrape as OpenMetrics text (ends with `# EOF`).
pub fn render(c: &Collected) -> String {
    let mut out = String::new();
    // Encoding into a String cannot fail.
    let _ = encode(&mut out, &registry(c));
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::exporter::collect::{Agent, Alert, Place};
    use queuetop_engine::floor::{AgentCounts, FeedCounts, Figures};

    fn scope(waiting: usize, asa: Option<f64>) -> Scope {
        Scope {
            waiting,
            longest_wait: 41_200,
            sl_threshold: 20_000,
            agents: AgentCounts([1, 2, 0, 0, 0, 0]),
            figures: Figures {
                asa,
                service_level: Some(85.7),
                ..Figures::default()
            },
        }
    }

    fn place(site: &str, id: &str) -> Place {
        Place {
            site: site.into(),
            id: id.into(),
        }
    }

    fn collected() -> Collected {
        Collected {
            site: String::new(),
            source_kind: "replay",
            window: 900_000,
            feed: Feed {
                health: FeedHealth::Stale,
                connected: true,
                counts: FeedCounts {
                    events: 12,
                    ..FeedCounts::default()
                },
                reconnects: 2,
                last_event_age: None,
                clock_offset: -1_500,
            },
            sites: Vec::new(),
            floor: scope(3, Some(12_500.0)),
            queues: vec![(place("", "billing"), scope(1, None))],
            agents: vec![Agent {
                place: place("", "a7"),
                state: DisplayState::WrapUp,
                state_for: 75_000,
                handled: 6,
            }]
            .into(),
            alerts: vec![Alert {
                rule: "longest_wait_s".into(),
                subject: place("", "billing"),
                level: "critical",
            }],
            relay: None,
        }
    }

    #[test]
    fn base_units_and_undefined_figures_have_no_sample() {
        let text = render(&collected());
        for line in [
            "queuetop_floor_asa_seconds{site=\"\"} 12.5",
            "queuetop_queue_longest_wait_seconds{queue=\"billing\",site=\"\"} 41.2",
            "queuetop_queue_service_level_ratio{queue=\"billing\",site=\"\"} 0.857",
            "queuetop_queue_agents{queue=\"billing\",site=\"\",state=\"available\"} 2.0",
            "queuetop_feed_events_total{site=\"\"} 12",
            "queuetop_feed_reconnects_total{site=\"\"} 2",
            "queuetop_feed_connected{site=\"\"} 1.0",
            "queuetop_feed_state{site=\"\",state=\"stale\"} 1.0",
            "queuetop_feed_clock_offset_seconds{site=\"\"} -1.5",
            "queuetop_alert_active{rule=\"longest_wait_s\",subject=\"billing\",level=\"critical\",site=\"\"} 1.0",
            "queuetop_agent_state_seconds{agent=\"a7\",site=\"\",state=\"wrap_up\"} 75.0",
        ] {
            assert!(text.lines().any(|l| l == line), "no `{line}` in:\n{text}");
        }
        // The queue's ASA is undefined: no sample, not a zero.
        assert!(!text.contains("queuetop_queue_asa_seconds{"));
        assert!(!text.contains("queuetop_feed_last_event_age_seconds{"));
        // Only the relay has relay series.
        assert!(!text.contains("queuetop_relay_"));
        assert!(text.contains("queuetop_feed_state{site=\"\",state=\"connected\"} 0.0"));
    }

    /// Whatever the state, exactly one of the state series is 1: a NATS
    /// reader loading the day's history had none.
    #[test]
    fn every_feed_state_has_its_series() {
        let mut c = collected();
        for h in FeedHealth::ALL {
            c.feed.health = h;
            let text = render(&c);
            let ones: Vec<&str> = text
                .lines()
                .filter(|l| l.starts_with("queuetop_feed_state{") && l.ends_with(" 1.0"))
                .collect();
            let want = format!(
                "queuetop_feed_state{{site=\"\",state=\"{}\"}} 1.0",
                h.as_str()
            );
            assert_eq!(ones, [want.as_str()], "{h:?}");
        }
    }

    /// A floor of several sites: each queue, agent and alert under its own
    /// site with its own id, and one feed series per site.
    #[test]
    fn sites_label_their_own_queues_agents_alerts_and_feeds() {
        let mut c = collected();
        c.queues = vec![
            (place("lisbon", "billing"), scope(2, None)),
            (place("paris", "billing"), scope(1, None)),
        ];
        Arc::make_mut(&mut c.agents)[0].place = place("paris", "a7");
        c.alerts[0].subject = place("lisbon", "billing");
        let mut down = c.feed.clone();
        down.connected = false;
        down.health = FeedHealth::Reconnecting;
        down.counts.events = 5;
        c.sites = vec![("lisbon".into(), c.feed.clone()), ("paris".into(), down)];
        let text = render(&c);
        for line in [
            "queuetop_queue_waiting{queue=\"billing\",site=\"lisbon\"} 2.0",
            "queuetop_queue_waiting{queue=\"billing\",site=\"paris\"} 1.0",
            "queuetop_agent_handled{agent=\"a7\",site=\"paris\"} 6.0",
            "queuetop_alert_active{rule=\"longest_wait_s\",subject=\"billing\",level=\"critical\",site=\"lisbon\"} 1.0",
            "queuetop_feed_connected{site=\"lisbon\"} 1.0",
            "queuetop_feed_connected{site=\"paris\"} 0.0",
            "queuetop_feed_events_total{site=\"lisbon\"} 12",
            "queuetop_feed_events_total{site=\"paris\"} 5",
            "queuetop_feed_state{site=\"paris\",state=\"reconnecting\"} 1.0",
        ] {
            assert!(text.lines().any(|l| l == line), "no `{line}` in:\n{text}");
        }
        // The sites replace the floor's own feed series: nothing doubled.
        assert!(
            !text.contains("queuetop_feed_connected{site=\"\"}"),
            "{text}"
        );
    }

    #[test]
    fn an_agents_hostile_id_stays_one_label_value() {
        let mut c = collected();
        Arc::make_mut(&mut c.agents)[0].place = place("", "x\",site=\"spoofed\\\nend\\");
        let text = render(&c);
        for line in [
            "queuetop_agent_state_seconds{agent=\"x\\\",site=\\\"spoofed\\\\\\nend\\\\\",site=\"\",state=\"wrap_up\"} 75.0",
            "queuetop_agent_handled{agent=\"x\\\",site=\\\"spoofed\\\\\\nend\\\\\",site=\"\"} 6.0",
        ] {
            assert!(text.lines().any(|l| l == line), "no `{line}` in:\n{text}");
        }
    }

    #[test]
    fn the_relay_series() {
        let mut c = collected();
        c.site = "east".into();
        c.relay = Some(StatsNow {
            published: 42,
            errors: 1,
            connected: true,
            buffered: 3,
            dropped: 7,
        });
        let text = render(&c);
        for line in [
            "queuetop_relay_published_total{site=\"east\"} 42",
            "queuetop_relay_buffered{site=\"east\"} 3.0",
            "queuetop_relay_dropped_total{site=\"east\"} 7",
            "queuetop_relay_nats_connected{site=\"east\"} 1.0",
            "queuetop_relay_publish_errors_total{site=\"east\"} 1",
        ] {
            assert!(text.lines().any(|l| l == line), "no `{line}` in:\n{text}");
        }
    }

    /// Every metric served is in docs/exporter.md, by its full name or, for
    /// the per-scope figures, by its name after the scope's prefix.
    #[test]
    fn every_metric_is_documented() {
        let doc = include_str!("../../docs/exporter.md");
        let mut c = collected();
        // Every figure defined, so that every metric has a sample.
        c.feed.last_event_age = Some(1_000);
        c.relay = Some(StatsNow::default());
        c.floor.figures = Figures {
            asa: Some(1.0),
            service_level: Some(1.0),
            abandon_rate: Some(1.0),
            att: Some(1.0),
            avg_hold: Some(1.0),
            aht: Some(1.0),
            frt: queuetop_engine::floor::Frt {
                count: 1,
                avg: Some(1.0),
                p50: Some(1.0),
                p90: Some(1.0),
            },
            fcr: Some(1.0),
            ..Figures::default()
        };
        let text = super::super::format::to_prometheus_text(&render(&c));
        let mut names: Vec<&str> = text
            .lines()
            .filter_map(|l| l.strip_prefix("# TYPE "))
            .filter_map(|l| l.split(' ').next())
            .collect();
        names.dedup();
        let floor = names.iter().filter(|n| n.starts_with("queuetop_floor_"));
        assert_eq!(floor.count(), FIGURES.len() + 1, "{names:?}");
        let scoped =
            |n: &&str| n.starts_with("queuetop_floor_") || n.starts_with("queuetop_queue_");
        assert_eq!(names.iter().filter(|n| !scoped(n)).count(), 22, "{names:?}");
        for name in names {
            let short = name
                .strip_prefix("queuetop_queue_")
                .or_else(|| name.strip_prefix("queuetop_floor_"));
            let documented = match short {
                Some(s) => doc.contains(&format!("| `{s}` ")) || doc.contains(&format!("| `{s}{{")),
                None => doc.contains(&format!("`{name}{{")),
            };
            assert!(documented, "docs/exporter.md lacks {name}");
        }
    }
}
