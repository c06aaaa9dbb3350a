//! Queue groups (`group = "..."` under `[queues.ID]`): a group's row adds
//! up its queues, as a site's row does (docs/ui.md, Queue groups).

use super::Floor;
use super::sample::{Agg, QueueIdx};
use super::view::{AgentCounts, Figures, QueueView, WindowKind};
use crate::time::Ts;

/// Marks a group's key among queue ids: the ASCII group separator, which
/// the screen never shows (control characters are stripped). With sites
/// the site's prefix comes first (`paris/` + mark + name).
const MARK: char = '\u{1d}';

/// A group's key: its row id in the queues table, unique per site.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct GroupKey(Box<str>);

impl GroupKey {
    /// A group named `name`: 1 to 64 characters, no control characters.
    pub fn new(name: &str) -> Result<Self, String> {
        let ok = !name.trim().is_empty()
            && name.chars().count() <= 64
            && !name.chars().any(crate::text::is_unsafe);
        if ok {
            Ok(GroupKey(format!("{MARK}{}", name.trim()).into()))
        } else {
            Err("a group name is 1 to 64 characters, none of them control characters".into())
        }
    }

    /// The same group at the site whose ids start with `prefix`.
    pub fn in_site(&self, prefix: &str) -> GroupKey {
        GroupKey(format!("{prefix}{}", self.0).into())
    }

    /// The row id.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The name as configured (without site or mark).
    pub fn name(&self) -> &str {
        self.0.rsplit(MARK).next().unwrap_or_default()
    }

    /// Whether a row id is a group's.
    pub fn is_key(id: &str) -> bool {
        id.contains(MARK)
    }
}

/// What a row of several queues adds up: window sums, waits, the oldest.
pub(super) struct Sum {
    pub agg: Agg,
    pub waiting: usize,
    pub oldest: Option<Ts>,
}

impl Floor {
    /// The sums of the queues `pick` chooses (by id).
    pub(super) fn sum_queues(&self, kind: WindowKind, pick: impl Fn(&str) -> bool) -> Sum {
        let picked = (0..self.queues.len())
            .map(|i| QueueIdx(i as u32))
            .filter(|q| pick(&self.queues[q.0 as usize].id));
        self.sum_of(Some(kind), picked)
    }

    /// The sums of `queues`; without a window, their waits only.
    fn sum_of(&self, kind: Option<WindowKind>, queues: impl Iterator<Item = QueueIdx>) -> Sum {
        let scopes = kind.map(|k| self.scopes(k));
        let mut sum = Sum {
            agg: Agg::default(),
            waiting: 0,
            oldest: None,
        };
        for qi in queues {
            let i = qi.0 as usize;
            let Some(q) = self.queues.get(i) else {
                continue;
            };
            if let Some(a) = scopes.and_then(|s| s.queues.get(i)) {
                sum.agg.merge(a);
            }
            sum.waiting += q.waiting.len();
            sum.oldest = match (sum.oldest, q.oldest()) {
                (Some(a), Some(b)) => Some(a.min(b)),
                (a, b) => a.or(b),
            };
        }
        sum
    }

    /// A row of several queues: `sum` as a [`QueueView`] with no index.
    pub(super) fn sum_view<'f>(
        &'f self,
        id: &'f str,
        name: Option<&'f str>,
        sum: Sum,
        agents: AgentCounts,
    ) -> QueueView<'f> {
        // The floor's own rules (not its figures: working those out for
        // every group row would sweep every queue each time).
        let (sl_threshold, formula) = self.total_rules();
        QueueView {
            idx: None,
            id,
            name,
            sl_threshold,
            sl_formula: formula,
            waiting: sum.waiting,
            longest_wait: sum.oldest.map_or(0, |since| self.now.since(since)),
            agents,
            figures: Figures {
                // Occupancy is an integral over agents, not a sum of queue
                // samples: a row of several queues leaves it out.
                occupancy: None,
                ..Figures::from_agg(&sum.agg, formula)
            },
        }
    }

    /// A group's row: its queues added up; agents serving any of them,
    /// each counted once.
    pub fn group_totals<'f>(&'f self, key: &'f GroupKey, kind: WindowKind) -> QueueView<'f> {
        self.group_row(key, Some(kind))
    }

    /// A group's row without its window figures (who waits, for how long,
    /// its agents), as [`Floor::queue_view_live`] is a queue's: adding up
    /// each group's window sums for rows not drawn is most of a frame of
    /// many groups.
    pub fn group_totals_live<'f>(&'f self, key: &'f GroupKey) -> QueueView<'f> {
        self.group_row(key, None)
    }

    fn group_row<'f>(&'f self, key: &'f GroupKey, kind: Option<WindowKind>) -> QueueView<'f> {
        let agents = self.agent_counts_of_group(key);
        let sum = self.sum_of(kind, self.queues_of_group(key).iter().copied());
        self.sum_view(key.as_str(), Some(key.name()), sum, agents)
    }

    /// The group whose row has this id, if any.
    pub fn group_key(&self, id: &str) -> Option<&GroupKey> {
        self.group_keys().find(|k| k.as_str() == id)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_key_is_marked_and_keeps_its_name_per_site() {
        let g = GroupKey::new(" Sales team ").unwrap();
        assert_eq!(g.name(), "Sales team");
        assert!(GroupKey::is_key(g.as_str()));
        assert!(!GroupKey::is_key("sales"));
        let at = g.in_site("paris/");
        assert_eq!(at.name(), "Sales team");
        assert!(at.as_str().starts_with("paris/"));
        assert_ne!(at, g);
        assert!(GroupKey::new("").is_err());
        assert!(GroupKey::new("a\u{1b}b").is_err());
    }

    /// A group's row: its queues' waits and window sums, its agents once
    /// each; the row without figures has the same live part.
    #[test]
    fn a_group_row_adds_up_its_queues_and_counts_each_agent_once() {
        use crate::floor::{QueuePolicy, Settings};
        let g = GroupKey::new("Front").unwrap();
        let mut settings = Settings::default();
        for q in ["q1", "q2"] {
            let policy = QueuePolicy {
                group: Some(g.clone()),
                ..QueuePolicy::default()
            };
            settings.queues.insert(q.to_string(), policy);
        }
        let mut f = crate::floor::floor_timed(
            settings,
            &[
                r#"{"type":"agent.state","ts":1000,"agent_id":"a1","state":"available","queues":["q1","q2"]}"#,
                r#"{"type":"agent.state","ts":1000,"agent_id":"a2","state":"away","queues":["q2","q3"]}"#,
                r#"{"type":"agent.state","ts":1000,"agent_id":"a3","state":"available","queues":["q3"]}"#,
                r#"{"type":"contact.queued","ts":2000,"contact_id":"c1","queue":"q1"}"#,
                r#"{"type":"contact.queued","ts":3000,"contact_id":"c2","queue":"q2"}"#,
                r#"{"type":"contact.queued","ts":4000,"contact_id":"c3","queue":"q3"}"#,
                r#"{"type":"contact.answered","ts":5000,"contact_id":"c2","agent_id":"a1"}"#,
            ],
        );
        f.advance(Ts(10_000));
        f.settle();
        let row = f.group_totals(&g, WindowKind::Rolling);
        assert_eq!((row.waiting, row.longest_wait), (1, 8_000), "c1 in q1");
        assert_eq!(row.figures.entered, 2, "c1 and c2, not c3");
        assert_eq!(row.figures.answered, 1);
        // a1 serves both queues and is counted once; a2 serves one; a3 none.
        use crate::floor::DisplayState::{Away, OnContact};
        assert_eq!((row.agents.get(OnContact), row.agents.get(Away)), (1, 1));
        assert_eq!(row.agents.all(), 2);
        let live = f.group_totals_live(&g);
        assert_eq!(
            (live.waiting, live.longest_wait, live.agents),
            (row.waiting, row.longest_wait, row.agents)
        );
        assert_eq!(live.figures.entered, 0, "no window figures");
        assert_eq!(f.group_key(g.as_str()), Some(&g));
        assert_eq!(f.group_key("q1"), None);
    }
}
