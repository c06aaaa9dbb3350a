//! The snapshot: every figure at one instant, as docs/snapshot.md's JSON (and as
//! tables for people). Built from the same floor views the screen draws.

mod sites;
mod text;

use serde::Serialize;

pub use sites::SiteJson;
pub use text::render_text;

use crate::floor::{AgentCounts, AgentIdx, Art, DisplayState, Figures, QueueView, WindowKind};
use crate::monitor::Monitor;
use crate::time::{Millis, Ts, secs};

/// `x` rounded to `digits` decimals as its decimal text would show it
/// (ties to even on the exact binary value, as most languages print and
/// round numbers), so the JSON agrees with other tools' rounding. The
/// floor works figures out so that an exact tie is one in binary too (see
/// `s` and the floor's percentages).
fn round_to(x: f64, digits: usize) -> f64 {
    format!("{x:.digits$}").parse().unwrap_or(x)
}

/// Seconds with millisecond precision (durations in the JSON). Rounded to
/// the millisecond first: a mean of whole milliseconds that ends in half
/// of one (2,500.5 ms) is exactly a tie there and goes to the even digit
/// (2.500 s), where its quotient by 1,000 would have no exact binary form
/// and round by the accident of its last bit.
fn s(ms: f64) -> f64 {
    round_to(ms.round_ties_even() / 1000.0, 3)
}

fn s_opt(ms: Option<f64>) -> Option<f64> {
    ms.map(s)
}

/// Percentages are given to one decimal, as in docs/snapshot.md's example.
fn pct(p: Option<f64>) -> Option<f64> {
    p.map(|p| round_to(p, 1))
}

/// An id from the feed, as it may be shown: ids are kept exactly inside,
/// but control characters never reach the output.
fn shown(id: &str) -> String {
    crate::text::strip(std::borrow::Cow::Borrowed(id)).into_owned()
}

/// A whole number of seconds prints as an integer (`20`, not `20.0`).
fn whole_or_secs(ms: Millis) -> serde_json::Number {
    if ms % 1000 == 0 {
        serde_json::Number::from(ms / 1000)
    } else {
        serde_json::Number::from_f64(secs(ms)).unwrap_or_else(|| serde_json::Number::from(0))
    }
}

/// `A` is the agents: a `Vec` of them ([`build`]), or [`Agents`], which
/// makes each one as it is written ([`build_streamed`]): at 50,000 agents
/// the list would be tens of megabytes held beside the floor for nothing.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Snapshot<A = Vec<AgentJson>> {
    pub version: u32,
    pub now: String,
    pub window_s: serde_json::Number,
    /// The first doubt of the window figures still in doubt (metrics.md,
    /// "Figures that may miss events"); `None` when they can be trusted.
    pub uncertain_since: Option<String>,
    pub source: SourceJson,
    pub feed: FeedJson,
    pub totals: TotalsJson,
    pub queues: Vec<QueueJson>,
    pub agents: A,
    pub alerts: Vec<AlertJson>,
    /// Each site of a view of several (docs/snapshot.md, "Sites").
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub sites: Vec<SiteJson>,
    /// The current interval beside the window (docs/snapshot.md).
    pub interval: IntervalJson,
}

/// The current interval (config `interval`, aligned to the clock): the same
/// figures as the window's, for the floor and each queue.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct IntervalJson {
    /// When the interval began.
    pub start: String,
    /// Its configured length.
    pub length_s: serde_json::Number,
    /// Seconds from its start to `now`, as `window_s` is for the window.
    pub window_s: serde_json::Number,
    pub uncertain_since: Option<String>,
    pub totals: TotalsJson,
    pub queues: Vec<QueueJson>,
}

/// One alert firing (docs/alerts.md).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct AlertJson {
    pub rule: String,
    /// The queue or agent id; "" for the feed.
    pub subject: String,
    /// `queue`, `agent` or `feed`.
    pub kind: &'static str,
    pub level: &'static str,
    pub since: String,
    /// The figure at the last look, in the rule's unit.
    pub value: Option<f64>,
    /// The threshold of its level.
    pub threshold: Option<f64>,
}

impl AlertJson {
    pub fn from_active(a: &crate::alert::Active<'_>) -> Self {
        use crate::alert::Subject;
        AlertJson {
            rule: shown(a.rule),
            subject: shown(a.subject_id),
            kind: match a.subject {
                Subject::Queue(_) => "queue",
                Subject::Agent(_) => "agent",
                Subject::Feed => "feed",
            },
            level: a.level.as_str(),
            since: a.since.to_string(),
            value: a.value.map(|v| round_to(v, 3)),
            threshold: a.threshold,
        }
    }
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct SourceJson {
    pub kind: String,
    pub target: String,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct FeedJson {
    pub state: String,
    pub events: u64,
    pub rejected: u64,
    pub unknown: u64,
    pub duplicates: u64,
    pub gaps: u64,
    /// Contact priorities that were not usable (the events were applied).
    pub priority_ignored: u64,
    pub reconnects: u64,
    pub last_event_age_s: Option<f64>,
    pub clock_offset_s: f64,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct AgentsJson {
    pub on_contact: u32,
    pub available: u32,
    pub busy: u32,
    pub wrap_up: u32,
    pub away: u32,
    pub offline: u32,
}

impl From<AgentCounts> for AgentsJson {
    fn from(c: AgentCounts) -> Self {
        AgentsJson {
            on_contact: c.get(DisplayState::OnContact),
            available: c.get(DisplayState::Available),
            busy: c.get(DisplayState::Busy),
            wrap_up: c.get(DisplayState::WrapUp),
            away: c.get(DisplayState::Away),
            offline: c.get(DisplayState::Offline),
        }
    }
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct FrtJson {
    pub count: i64,
    pub avg: Option<f64>,
    pub p50: Option<f64>,
    pub p90: Option<f64>,
}

/// ART: count, mean and p90 (docs/snapshot.md).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ArtJson {
    pub count: i64,
    pub avg: Option<f64>,
    pub p90: Option<f64>,
}

impl From<&Art> for ArtJson {
    fn from(a: &Art) -> Self {
        ArtJson {
            count: a.count,
            avg: s_opt(a.avg),
            p90: s_opt(a.p90),
        }
    }
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ResolutionJson {
    pub count: i64,
    pub avg: Option<f64>,
}

/// A mean of survey scores, to two decimals (a 1-5 scale needs no more).
fn score(v: Option<f64>) -> Option<f64> {
    v.map(|v| round_to(v, 2))
}

/// The figures every scope has, in docs/snapshot.md's order.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct FiguresJson {
    pub waiting: usize,
    pub longest_wait_s: f64,
    pub agents: AgentsJson,
    pub entered: i64,
    pub answered: i64,
    pub abandoned: i64,
    pub asa_s: Option<f64>,
    pub service_level_pct: Option<f64>,
    pub abandon_rate_pct: Option<f64>,
    pub att_s: Option<f64>,
    pub avg_hold_s: Option<f64>,
    pub aht_s: Option<f64>,
    pub frt_s: FrtJson,
    pub fcr_pct: Option<f64>,
    pub art_s: ArtJson,
    pub resolution_s: ResolutionJson,
    pub avg_wait_s: Option<f64>,
    pub max_wait_s: Option<f64>,
    pub csat_pct: Option<f64>,
    pub csat_avg: Option<f64>,
    pub nps: Option<f64>,
    pub occupancy_pct: Option<f64>,
}

impl FiguresJson {
    fn from_view(v: &QueueView<'_>) -> Self {
        let f: &Figures = &v.figures;
        FiguresJson {
            waiting: v.waiting,
            longest_wait_s: secs(v.longest_wait),
            agents: v.agents.into(),
            entered: f.entered,
            answered: f.answered,
            abandoned: f.abandoned,
            asa_s: s_opt(f.asa),
            service_level_pct: pct(f.service_level),
            abandon_rate_pct: pct(f.abandon_rate),
            att_s: s_opt(f.att),
            avg_hold_s: s_opt(f.avg_hold),
            aht_s: s_opt(f.aht),
            frt_s: FrtJson {
                count: f.frt.count,
                avg: s_opt(f.frt.avg),
                p50: s_opt(f.frt.p50),
                p90: s_opt(f.frt.p90),
            },
            fcr_pct: pct(f.fcr),
            art_s: (&f.art).into(),
            resolution_s: ResolutionJson {
                count: f.resolved,
                avg: s_opt(f.resolution),
            },
            avg_wait_s: s_opt(f.avg_wait),
            max_wait_s: s_opt(f.max_wait),
            csat_pct: pct(f.csat_pct),
            csat_avg: score(f.csat_avg),
            nps: pct(f.nps),
            occupancy_pct: f.occupancy.map(|s| s.pct_to(1)),
        }
    }
}

pub type TotalsJson = FiguresJson;

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct QueueJson {
    pub queue: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub site: Option<String>,
    pub name: Option<String>,
    pub sl_threshold_s: serde_json::Number,
    pub sl_formula: &'static str,
    #[serde(flatten)]
    pub figures: FiguresJson,
    /// The waiting contacts by channel, longest wait first.
    pub waiting_by_channel: Vec<ChannelJson>,
    /// The agent available longest, `null` when nobody is available.
    pub longest_available: Option<AvailableJson>,
    /// The waiting contacts by priority, the highest priority first.
    pub waiting_by_priority: Vec<PriorityJson>,
    /// The high-priority contact (priority 1 or more) waiting longest,
    /// `null` when none waits.
    pub longest_high_priority: Option<HighPriorityJson>,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct PriorityJson {
    pub priority: i32,
    pub waiting: u32,
    pub longest_wait_s: f64,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct HighPriorityJson {
    pub contact_id: String,
    pub priority: i32,
    pub wait_s: f64,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ChannelJson {
    pub channel: String,
    pub waiting: u32,
    pub longest_wait_s: f64,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct AvailableJson {
    pub agent_id: String,
    pub name: Option<String>,
    pub available_s: f64,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ContactJson {
    pub contact_id: String,
    pub queue: Option<String>,
    pub talk_s: f64,
    pub on_hold: bool,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct AgentJson {
    pub agent_id: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub site: Option<String>,
    pub name: Option<String>,
    pub state: &'static str,
    pub reason: Option<String>,
    pub state_for_s: f64,
    pub queues: Vec<String>,
    pub contacts: Vec<ContactJson>,
    pub handled: i64,
    pub att_s: Option<f64>,
    pub art_s: ArtJson,
    pub csat_avg: Option<f64>,
    pub occupancy_pct: Option<f64>,
}

/// Builds the snapshot. `local_now` is our wall clock for a live source
/// (None for a replay, whose time is the events' own).
pub fn build(
    m: &Monitor,
    kind: WindowKind,
    local_now: Option<Ts>,
    stale_after: Millis,
) -> Snapshot {
    build_streamed(m, kind, local_now, stale_after).map_agents(|a| a.iter().collect())
}

/// The agents of a snapshot, in the order shown, each made as it is read.
pub struct Agents<'m> {
    m: &'m Monitor,
    kind: WindowKind,
    order: Vec<AgentIdx>,
}

impl<'m> Agents<'m> {
    fn new(m: &'m Monitor, kind: WindowKind) -> Self {
        // Sorted as shown; ids differing only in control characters, which
        // are not shown, by the ids themselves.
        let mut keyed: Vec<_> = m
            .floor
            .agent_ids()
            .map(|a| {
                let id = m.floor.agent_brief(a).0;
                ((sites::split(m, id), id), a)
            })
            .collect();
        keyed.sort_by(|x, y| x.0.cmp(&y.0));
        Agents {
            m,
            kind,
            order: keyed.into_iter().map(|(_, a)| a).collect(),
        }
    }

    pub fn len(&self) -> usize {
        self.order.len()
    }

    pub fn is_empty(&self) -> bool {
        self.order.is_empty()
    }

    pub fn iter(&self) -> impl ExactSizeIterator<Item = AgentJson> + '_ {
        self.order.iter().map(|&a| agent_json(self.m, a, self.kind))
    }
}

impl Serialize for Agents<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(self.iter())
    }
}

fn agent_json(m: &Monitor, a: AgentIdx, kind: WindowKind) -> AgentJson {
    let a = m.floor.agent_view(a, kind);
    let (site, agent_id) = sites::split(m, a.id);
    let mut contacts: Vec<ContactJson> = a
        .contacts
        .iter()
        .map(|c| ContactJson {
            contact_id: sites::own(m, c.id),
            queue: c.queue.map(|q| sites::own(m, q)),
            talk_s: secs(c.talk),
            on_hold: c.on_hold,
        })
        .collect();
    contacts.sort_by(|x, y| x.contact_id.cmp(&y.contact_id));
    AgentJson {
        agent_id,
        site,
        name: a.name.map(str::to_string),
        state: a.state.as_str(),
        reason: a.reason.map(str::to_string),
        state_for_s: secs(a.state_for),
        queues: a.queues.iter().map(|q| sites::own(m, q)).collect(),
        contacts,
        handled: a.handled,
        att_s: s_opt(a.att),
        art_s: (&a.art).into(),
        csat_avg: score(a.csat_avg),
        occupancy_pct: a.occupancy.map(|s| s.pct_to(1)),
    }
}

/// The snapshot with its agents made as they are written.
pub fn build_streamed(
    m: &Monitor,
    kind: WindowKind,
    local_now: Option<Ts>,
    stale_after: Millis,
) -> Snapshot<Agents<'_>> {
    let floor = &m.floor;
    let (counts, total_counts) = floor.agent_counts();
    let queues = queue_rows(m, kind, counts);
    let agents = Agents::new(m, kind);
    let counts_f = floor.counts();
    let last_event_age = match local_now {
        Some(now) => m.last_event_local().map(|t| secs(now.since(t))),
        None => floor.latest_event().map(|t| secs(floor.now().since(t))),
    };
    let mut alerts: Vec<AlertJson> = m.alerts().map(|a| AlertJson::from_active(&a)).collect();
    alerts.sort_by(|a, b| (a.kind, &a.subject, &a.rule).cmp(&(b.kind, &b.subject, &b.rule)));
    Snapshot {
        version: 1,
        now: floor.now().to_string(),
        window_s: whole_or_secs(floor.window_span(kind)),
        uncertain_since: floor.uncertain_since(kind).map(|u| u.since.to_string()),
        source: SourceJson {
            kind: m.source().kind.as_str().to_string(),
            target: m.source().target.clone(),
        },
        feed: FeedJson {
            state: m.health(local_now, stale_after).as_str().to_string(),
            events: counts_f.events,
            rejected: counts_f.rejected,
            unknown: counts_f.unknown,
            duplicates: counts_f.duplicates,
            gaps: counts_f.gaps,
            priority_ignored: counts_f.priority_ignored,
            reconnects: m.reconnects(),
            last_event_age_s: last_event_age,
            clock_offset_s: secs(m.clock().offset()),
        },
        totals: FiguresJson::from_view(&floor.totals(kind, total_counts)),
        queues,
        agents,
        alerts,
        sites: sites::sites(m, kind, local_now, stale_after),
        interval: IntervalJson {
            // Before any event no interval has begun: say `now`.
            start: floor
                .window_start(WindowKind::Interval)
                .min(floor.now())
                .to_string(),
            length_s: whole_or_secs(floor.interval_length()),
            window_s: whole_or_secs(floor.window_span(WindowKind::Interval)),
            uncertain_since: floor
                .uncertain_since(WindowKind::Interval)
                .map(|u| u.since.to_string()),
            totals: FiguresJson::from_view(&floor.totals(WindowKind::Interval, total_counts)),
            queues: queue_rows(m, WindowKind::Interval, counts),
        },
    }
}

/// Every queue's figures over `kind`, sorted as shown.
fn queue_rows(m: &Monitor, kind: WindowKind, counts: &[AgentCounts]) -> Vec<QueueJson> {
    let floor = &m.floor;
    let available = floor.longest_available_all();
    let mut queues: Vec<QueueJson> = floor
        .queue_ids()
        .map(|q| floor.queue_view(q, kind, counts))
        .map(|v| QueueJson {
            queue: sites::own(m, v.id),
            site: sites::split(m, v.id).0,
            name: v.name.map(str::to_string),
            sl_threshold_s: whole_or_secs(v.sl_threshold),
            sl_formula: v.sl_formula.as_str(),
            figures: FiguresJson::from_view(&v),
            waiting_by_channel: v
                .idx
                .map(|q| floor.waiting_by_channel(q))
                .unwrap_or_default()
                .into_iter()
                .map(|c| ChannelJson {
                    channel: shown(c.channel),
                    waiting: c.waiting,
                    longest_wait_s: secs(c.longest),
                })
                .collect(),
            longest_available: v
                .idx
                .and_then(|q| available.get(q.0 as usize).copied().flatten())
                .map(|(a, for_)| {
                    let (id, name, _, _) = floor.agent_brief(a);
                    AvailableJson {
                        agent_id: sites::own(m, id),
                        name: name.map(str::to_string),
                        available_s: secs(for_),
                    }
                }),
            waiting_by_priority: v
                .idx
                .map(|q| floor.waiting_by_priority(q))
                .unwrap_or_default()
                .into_iter()
                .map(|p| PriorityJson {
                    priority: p.priority,
                    waiting: p.waiting,
                    longest_wait_s: secs(p.longest),
                })
                .collect(),
            longest_high_priority: v.idx.and_then(|q| floor.longest_high_priority(q)).map(|h| {
                HighPriorityJson {
                    contact_id: sites::own(m, h.contact),
                    priority: h.priority,
                    wait_s: secs(h.wait),
                }
            }),
        })
        .collect();
    queues.sort_by(|a, b| (&a.site, &a.queue).cmp(&(&b.site, &b.queue)));
    queues
}

impl<A> Snapshot<A> {
    /// The same snapshot with its agents in another form.
    pub fn map_agents<B>(self, f: impl FnOnce(A) -> B) -> Snapshot<B> {
        Snapshot {
            version: self.version,
            now: self.now,
            window_s: self.window_s,
            uncertain_since: self.uncertain_since,
            source: self.source,
            feed: self.feed,
            totals: self.totals,
            queues: self.queues,
            agents: f(self.agents),
            alerts: self.alerts,
            sites: self.sites,
            interval: self.interval,
        }
    }
}

/// Writes the JSON to `out` as [`render_json`] makes it, without holding
/// the text.
pub fn write_json<A: Serialize>(
    snap: &Snapshot<A>,
    out: impl std::io::Write,
) -> serde_json::Result<()> {
    serde_json::to_writer_pretty(out, snap)
}

pub fn render_json<A: Serialize>(snap: &Snapshot<A>) -> String {
    // Serializing plain data cannot fail; fall back to an empty object anyway.
    serde_json::to_string_pretty(snap).unwrap_or_else(|_| "{}".to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rounding_follows_the_decimal_text() {
        assert_eq!(pct(Some(31.25)), Some(31.2));
        assert_eq!(pct(Some(31.35)), Some(31.4));
        assert_eq!(pct(Some(100.0 * 6.0 / 7.0)), Some(85.7));
        assert_eq!(s(24_666.666), 24.667);
        assert_eq!(s(1.5), 0.002);
        assert_eq!(
            s(2.5),
            0.002,
            "a tie of the exact value goes to the even digit"
        );
        assert_eq!(s(2_500.5), 2.5);
        assert_eq!(s(2_501.5), 2.502);
        // A percentage's tie, as the floor works it out (one division).
        assert_eq!(pct(Some(4_900.0 / 80.0)), Some(61.2));
        assert_eq!(pct(Some(2_300.0 / 80.0)), Some(28.8));
    }

    #[test]
    fn shown_ids_carry_no_control_characters() {
        assert_eq!(shown("a\u{1b}]0;x\u{7}\u{202e}b"), "a]0;xb");
    }
}
