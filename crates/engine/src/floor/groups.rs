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
    /// The sums of the queues `pick` chooses (by index and id).
    pub(super) fn sum_queues(
        &self,
        kind: WindowKind,
        pick: impl Fn(QueueIdx, &str) -> bool,
    ) -> Sum {
        let scopes = self.scopes(kind);
        let mut sum = Sum {
            agg: Agg::default(),
            waiting: 0,
            oldest: None,
        };
        for (i, q) in self.queues.iter().enumerate() {
            if !pick(QueueIdx(i as u32), &q.id) {
                continue;
            }
            if let Some(a) = scopes.queues.get(i) {
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

    /// The group a queue is shown in (config `group`, noted when the
    /// queue was added: no lookup by name on every frame).
    pub fn group_of(&self, q: QueueIdx) -> Option<&GroupKey> {
        self.group_of_queue(q)
    }

    /// A group's row: its queues added up; agents serving any of them,
    /// each counted once.
    pub fn group_totals<'f>(&'f self, key: &'f GroupKey, kind: WindowKind) -> QueueView<'f> {
        let group = self.group_index(key);
        let mine = |q: QueueIdx, _: &str| group.is_some() && self.queue_group_index(q) == group;
        let agents = self.agent_counts_of_group(key);
        let sum = self.sum_queues(kind, mine);
        self.sum_view(key.as_str(), Some(key.name()), sum, agents)
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
}
