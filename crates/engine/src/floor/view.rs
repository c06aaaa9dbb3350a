//! Reading the floor: the figures of docs/metrics.md, per queue, per agent and in
//! total, computed from the live state and the window sums. The snapshot
//! command and the screen both read through here, so they always agree.

use super::Floor;
use super::live::{DisplayState, Phase, hold_as_of};
use super::occupancy::{Base, OccScope};
use super::round::{Share, decimal, pct};
use super::sample::{AgentIdx, Agg, QueueIdx};
use super::settings::SlFormula;
use crate::time::{Millis, Ts};

/// Which window the window figures cover.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum WindowKind {
    /// `(now - W, now]`
    #[default]
    Rolling,
    /// From the last day start to now.
    Today,
    /// From the start of the current interval (config `interval`, aligned
    /// to the clock) to now.
    Interval,
}

/// First-response time: count, mean and nearest-rank percentiles (ms).
#[derive(Clone, Debug, PartialEq, Default)]
pub struct Frt {
    pub count: i64,
    pub avg: Option<f64>,
    pub p50: Option<f64>,
    pub p90: Option<f64>,
}

/// A response-time figure: count, mean and nearest-rank p90 (ms).
#[derive(Clone, Debug, PartialEq, Default)]
pub struct Art {
    pub count: i64,
    pub avg: Option<f64>,
    pub p90: Option<f64>,
}

impl Art {
    fn of(h: &super::histogram::Histogram) -> Self {
        Art {
            count: h.count() as i64,
            avg: ratio(h.sum(), h.count() as i64),
            p90: h.percentile(90.0),
        }
    }
}

/// The window figures of one scope. Durations in milliseconds; `None` where
/// docs/metrics.md says null (a mean or a percentage of nothing).
#[derive(Clone, Debug, PartialEq, Default)]
pub struct Figures {
    pub entered: i64,
    pub answered: i64,
    pub abandoned: i64,
    pub asa: Option<f64>,
    pub service_level: Option<f64>,
    pub abandon_rate: Option<f64>,
    pub att: Option<f64>,
    pub avg_hold: Option<f64>,
    pub aht: Option<f64>,
    pub frt: Frt,
    pub fcr: Option<f64>,
    pub art: Art,
    /// Contacts ended resolved, and the mean of their lives (ms).
    pub resolved: i64,
    pub resolution: Option<f64>,
    pub avg_wait: Option<f64>,
    pub max_wait: Option<f64>,
    pub csat_pct: Option<f64>,
    pub csat_avg: Option<f64>,
    pub nps: Option<f64>,
    pub occupancy: Option<Share>,
}

fn ratio(num: i64, den: i64) -> Option<f64> {
    (den > 0).then(|| num as f64 / den as f64)
}

impl Figures {
    pub(super) fn from_agg(a: &Agg, formula: SlFormula) -> Self {
        let counted = a.answered + a.abandoned_counted;
        let service_level = match formula {
            SlFormula::Answered => pct(a.answered_within, counted),
            // "over all waits that ended": moves and ends while waiting too.
            SlFormula::Removed => pct(
                a.answered_within + a.abandoned_counted_within,
                counted + a.left,
            ),
            SlFormula::Asterisk => pct(a.answered_within, a.answered),
        };
        Figures {
            entered: a.entered,
            answered: a.answered,
            abandoned: a.abandoned,
            asa: ratio(a.answered_wait, a.answered),
            service_level,
            abandon_rate: pct(a.abandoned_counted, counted),
            att: ratio(a.talk, a.ended),
            avg_hold: ratio(a.hold, a.ended),
            aht: ratio(a.talk + a.hold + a.wrap, a.ended),
            frt: Frt {
                count: a.frt.count() as i64,
                avg: ratio(a.frt.sum(), a.frt.count() as i64),
                p50: a.frt.percentile(50.0),
                p90: a.frt.percentile(90.0),
            },
            fcr: pct(a.first_contact_resolved, a.resolutions),
            art: Art::of(&a.art),
            resolved: a.resolved,
            resolution: ratio(a.resolved_ms, a.resolved),
            avg_wait: ratio(a.waits_ms, a.waits),
            max_wait: a.longest_wait().map(|m| m as f64),
            csat_pct: pct(a.surveys.csat_satisfied, a.surveys.csat),
            // Scores to two decimals, as shown.
            csat_avg: decimal(a.surveys.csat_sum, a.surveys.csat, 2),
            nps: pct(a.surveys.promoters - a.surveys.detractors, a.surveys.nps),
            // Not a sum of samples: the floor fills it in.
            occupancy: None,
        }
    }
}

/// Agents by display state.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub struct AgentCounts(pub [u32; 6]);

impl AgentCounts {
    pub fn get(&self, s: DisplayState) -> u32 {
        self.0[s.index()]
    }

    /// Agents present, whatever their state.
    pub fn all(&self) -> u32 {
        self.0.iter().sum()
    }

    /// Agents logged in (everything but offline).
    pub fn staffed(&self) -> u32 {
        self.0.iter().sum::<u32>() - self.get(DisplayState::Offline)
    }
}

/// One queue (or the totals, with an empty id) as shown.
#[derive(Clone, Debug, PartialEq)]
pub struct QueueView<'f> {
    pub idx: Option<QueueIdx>,
    pub id: &'f str,
    pub name: Option<&'f str>,
    pub sl_threshold: Millis,
    pub sl_formula: SlFormula,
    pub waiting: usize,
    pub longest_wait: Millis,
    pub agents: AgentCounts,
    pub figures: Figures,
}

impl QueueView<'_> {
    /// The name to show: the configured or fed name, else the id.
    pub fn label(&self) -> &str {
        self.name.unwrap_or(self.id)
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct ContactView<'f> {
    pub id: &'f str,
    pub queue: Option<&'f str>,
    pub channel: &'f str,
    pub talk: Millis,
    pub on_hold: bool,
}

#[derive(Clone, Debug, PartialEq)]
pub struct AgentView<'f> {
    pub idx: AgentIdx,
    pub id: &'f str,
    pub name: Option<&'f str>,
    pub state: DisplayState,
    /// Only while away.
    pub reason: Option<&'f str>,
    pub state_for: Millis,
    pub queues: Vec<&'f str>,
    pub contacts: Vec<ContactView<'f>>,
    pub handled: i64,
    pub att: Option<f64>,
    pub art: Art,
    pub csat_avg: Option<f64>,
    pub occupancy: Option<Share>,
    /// Recent display states, newest last.
    pub history: Vec<(Ts, DisplayState)>,
}

impl AgentView<'_> {
    pub fn label(&self) -> &str {
        self.name.unwrap_or(self.id)
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct WaitingView<'f> {
    pub id: &'f str,
    pub since: Ts,
    pub wait: Millis,
    pub channel: &'f str,
    /// Higher is more urgent; 0 by default.
    pub priority: i32,
}

impl Floor {
    pub(super) fn scopes(&self, kind: WindowKind) -> &super::sample::Scopes {
        match kind {
            WindowKind::Rolling => &self.window.rolling,
            WindowKind::Today => &self.window.today.sums,
            WindowKind::Interval => &self.window.interval.sums,
        }
    }

    /// How long the chosen window is, as of now.
    pub fn window_span(&self, kind: WindowKind) -> Millis {
        match kind {
            WindowKind::Rolling => self.window.width(),
            WindowKind::Today => self.now.since(self.window.today_start()),
            WindowKind::Interval => self.now.since(self.window.interval_start()),
        }
    }

    /// When the chosen window began, as of now.
    pub fn window_start(&self, kind: WindowKind) -> Ts {
        match kind {
            WindowKind::Rolling => self.window.cutoff(),
            WindowKind::Today => self.window.today_start(),
            WindowKind::Interval => self.window.interval_start(),
        }
    }

    /// Whether the chosen window's floor-wide sums hold anything (a sample
    /// of any kind: an entry, an end, a response, a survey).
    pub fn counted_anything(&self, kind: WindowKind) -> bool {
        self.scopes(kind).total != super::sample::Agg::default()
    }

    /// When the current interval ends (the next one's first instant).
    pub fn interval_end(&self) -> Ts {
        self.window.interval.end()
    }

    /// The configured interval length (`interval`).
    pub fn interval_length(&self) -> Millis {
        self.settings.interval
    }

    pub fn queue_ids(&self) -> impl Iterator<Item = QueueIdx> + '_ {
        (0..self.queues.len()).map(|i| QueueIdx(i as u32))
    }

    pub fn queue_index(&self, id: &str) -> Option<QueueIdx> {
        self.queue_index.get(id).copied()
    }

    /// One queue's figures. `counts` comes from [`Floor::agent_counts`].
    pub fn queue_view(
        &self,
        q: QueueIdx,
        kind: WindowKind,
        counts: &[AgentCounts],
    ) -> QueueView<'_> {
        let mut v = self.queue_view_live(q, counts);
        v.figures = self.queue_figures(q, kind);
        v
    }

    /// One queue's window figures alone.
    pub fn queue_figures(&self, q: QueueIdx, kind: WindowKind) -> Figures {
        let formula = self.settings.sl_formula(&self.queues[q.0 as usize].id);
        Figures {
            occupancy: self.occupancy(OccScope::Queue(q.0 as usize), kind),
            ..Figures::from_agg(self.scopes(kind).queue(q), formula)
        }
    }

    /// One queue's live part (who waits, for how long, its agents), its
    /// window figures left empty: what a caller that looks at thousands of
    /// queues and shows a few dozen needs of the rest (the figures are the
    /// costly part).
    pub fn queue_view_live(&self, q: QueueIdx, counts: &[AgentCounts]) -> QueueView<'_> {
        let queue = &self.queues[q.0 as usize];
        let settings = self.settings.queue(&queue.id);
        QueueView {
            idx: Some(q),
            id: &queue.id,
            name: settings.name().or(queue.feed_name.as_deref()),
            sl_threshold: settings.sl_threshold(queue.feed_threshold),
            sl_formula: settings.sl_formula(),
            waiting: queue.waiting.len(),
            longest_wait: queue.oldest().map_or(0, |since| self.now.since(since)),
            agents: counts.get(q.0 as usize).copied().unwrap_or_default(),
            figures: Figures::default(),
        }
    }

    /// Occupancy of one scope over the chosen window (docs/metrics.md).
    pub fn occupancy(&self, scope: OccScope, kind: WindowKind) -> Option<Share> {
        let occ = &self.window.occupancy;
        let base = match kind {
            WindowKind::Rolling => None,
            WindowKind::Today => Some(Base::Today),
            WindowKind::Interval => Some(Base::Interval),
        };
        let (occupied, both) = occ.parts(scope, self.window.cutoff(), self.now, base)?;
        Share::new(occupied, both)
    }

    /// Every queue, sorted by id.
    pub fn queue_views(&self, kind: WindowKind) -> Vec<QueueView<'_>> {
        let (counts, _) = self.agent_counts();
        let mut v: Vec<_> = self
            .queue_ids()
            .map(|q| self.queue_view(q, kind, counts))
            .collect();
        v.sort_by(|a, b| a.id.cmp(b.id));
        v
    }

    /// The whole floor. Its window figures include samples that belong to no
    /// queue (events for contacts never seen queued).
    pub fn totals(&self, kind: WindowKind, agents: AgentCounts) -> QueueView<'_> {
        let oldest = self.queues.iter().filter_map(|q| q.oldest()).min();
        let (sl_threshold, formula) = self.total_rules();
        QueueView {
            idx: None,
            id: "",
            name: None,
            sl_threshold,
            sl_formula: formula,
            waiting: self.queues.iter().map(|q| q.waiting.len()).sum(),
            longest_wait: oldest.map_or(0, |since| self.now.since(since)),
            agents,
            figures: Figures {
                occupancy: self.occupancy(OccScope::Total, kind),
                ..Figures::from_agg(&self.scopes(kind).total, formula)
            },
        }
    }

    /// The service-level threshold and formula of a row of several queues
    /// (the floor's, a group's, a site's): the config's defaults.
    pub(super) fn total_rules(&self) -> (Millis, super::SlFormula) {
        let threshold = self
            .settings
            .defaults
            .sl_threshold
            .unwrap_or(super::DEFAULT_SL_THRESHOLD);
        (threshold, self.settings.total_sl_formula())
    }

    /// Agents a snapshot has not left out.
    pub fn agent_ids(&self) -> impl Iterator<Item = AgentIdx> + '_ {
        self.agents
            .iter()
            .enumerate()
            .filter(|(_, a)| a.present)
            .map(|(i, _)| AgentIdx(i as u32))
    }

    /// Whether a snapshot has not left the agent out.
    pub fn is_present(&self, a: AgentIdx) -> bool {
        self.agents[a.0 as usize].present
    }

    pub fn agent_index(&self, id: &str) -> Option<AgentIdx> {
        self.known_agent(id)
            .filter(|a| self.agents[a.0 as usize].present)
    }

    /// Cheap facts for sorting and filtering many agents without building views.
    pub fn agent_brief(&self, a: AgentIdx) -> (&str, Option<&str>, DisplayState, Ts) {
        let agent = &self.agents[a.0 as usize];
        (
            &agent.id,
            agent.name.as_deref(),
            agent.display(),
            agent.shown_since,
        )
    }

    /// The queues an agent serves, each with its id.
    pub fn agent_queues(&self, a: AgentIdx) -> impl Iterator<Item = (QueueIdx, &str)> + '_ {
        self.agents[a.0 as usize]
            .queues
            .iter()
            .map(|q| (*q, &*self.queues[q.0 as usize].id))
    }

    pub fn agent_queue_ids(&self, a: AgentIdx) -> impl Iterator<Item = &str> + '_ {
        self.agents[a.0 as usize]
            .queues
            .iter()
            .map(|q| &*self.queues[q.0 as usize].id)
    }

    pub fn agent_view(&self, a: AgentIdx, kind: WindowKind) -> AgentView<'_> {
        let agent = &self.agents[a.0 as usize];
        let shown = agent.display();
        let mut contacts: Vec<ContactView<'_>> = agent
            .contacts
            .iter()
            .filter_map(|k| self.contacts.get(*k))
            .filter_map(|c| match c.phase {
                Phase::Connected {
                    queue,
                    answered,
                    held,
                    hold_since,
                    ..
                } => Some(ContactView {
                    id: &c.id,
                    queue: queue.map(|q| &*self.queues[q.0 as usize].id),
                    channel: c.channel.as_ref().map_or("voice", |ch| ch.as_str()),
                    talk: self.now.since(answered)
                        - hold_as_of(answered, held, hold_since, self.now),
                    on_hold: hold_since.is_some(),
                }),
                Phase::Waiting { .. } => None,
            })
            .collect();
        contacts.sort_by(|x, y| x.id.cmp(y.id));
        let agg = self.scopes(kind).agent(a);
        AgentView {
            idx: a,
            id: &agent.id,
            name: agent.name.as_deref(),
            state: shown,
            reason: if shown == DisplayState::Away {
                agent.reason.as_deref()
            } else {
                None
            },
            state_for: self.now.since(agent.shown_since),
            queues: agent
                .queues
                .iter()
                .map(|q| &*self.queues[q.0 as usize].id)
                .collect(),
            contacts,
            handled: agg.handled,
            att: ratio(agg.talk, agg.handled),
            art: Art::of(&agg.art),
            csat_avg: decimal(agg.surveys().csat_sum, agg.surveys().csat, 2),
            occupancy: self.occupancy(OccScope::Agent(a.0 as usize), kind),
            history: agent.history.iter().collect(),
        }
    }

    /// Every present agent, sorted by id.
    pub fn agent_views(&self, kind: WindowKind) -> Vec<AgentView<'_>> {
        let mut v: Vec<_> = self.agent_ids().map(|a| self.agent_view(a, kind)).collect();
        v.sort_by(|a, b| a.id.cmp(b.id));
        v
    }

    /// The contacts waiting in a queue, longest wait first.
    pub fn waiting_in(&self, q: QueueIdx) -> Vec<WaitingView<'_>> {
        self.queues[q.0 as usize]
            .waiting
            .iter()
            .filter_map(|(since, key)| {
                let c = self.contacts.get(*key)?;
                Some(WaitingView {
                    id: &c.id,
                    since: *since,
                    wait: self.now.since(*since),
                    channel: c.channel.as_ref().map_or("voice", |ch| ch.as_str()),
                    priority: c.priority,
                })
            })
            .collect()
    }

    /// Agents serving a queue.
    pub fn agents_of(&self, q: QueueIdx) -> impl Iterator<Item = AgentIdx> + '_ {
        self.agent_ids()
            .filter(move |a| self.agents[a.0 as usize].queues.contains(&q))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::floor::Settings;

    /// A snapshot of the rolling window keeps no day: its queues and agents
    /// read as empty for today, and nothing is indexed past its sums.
    #[test]
    fn a_day_not_kept_reads_as_empty() {
        let f = crate::floor::floor_timed(
            Settings {
                track_today: false,
                ..Settings::default()
            },
            &[
                r#"{"type":"agent.state","ts":1000,"agent_id":"a1","state":"available","queues":["q1"]}"#,
                r#"{"type":"contact.queued","ts":2000,"contact_id":"c1","queue":"q1"}"#,
                r#"{"type":"contact.answered","ts":3000,"contact_id":"c1","agent_id":"a1"}"#,
                r#"{"type":"contact.ended","ts":9000,"contact_id":"c1"}"#,
            ],
        );
        let (counts, _) = f.agent_counts();
        let a = f.agent_ids().next().expect("an agent");
        let q = f.queue_ids().next().expect("a queue");
        assert_eq!(f.agent_view(a, WindowKind::Rolling).handled, 1);
        assert_eq!(f.agent_view(a, WindowKind::Today).handled, 0);
        assert_eq!(
            f.queue_view(q, WindowKind::Rolling, counts)
                .figures
                .answered,
            1
        );
        assert_eq!(
            f.queue_view(q, WindowKind::Today, counts).figures.answered,
            0
        );
    }
}
