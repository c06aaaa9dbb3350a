//! What the filter and the search read of a row: a queue's (its id and
//! name, its site) and an agent's (read from the floor as asked). The
//! view's frame and the agents' kept order both match agents through it.

use queuetop_engine::floor::{AgentIdx, DisplayState, Floor, QueueView, WindowKind};

use super::filter::Subject;
use super::fit::contains_ci;

/// A queue as the filter sees it: its id and name; no state or reason;
/// its site when the view has sites.
pub(crate) struct QueueRow<'v, 'f>(pub &'v QueueView<'f>, pub bool);

impl Subject for QueueRow<'_, '_> {
    fn id(&self) -> &str {
        self.0.id
    }
    fn name(&self) -> Option<&str> {
        Some(self.0.label())
    }
    fn is_agent(&self) -> bool {
        false
    }
    fn state(&self) -> Option<DisplayState> {
        None
    }
    fn reason(&self) -> Option<Option<&str>> {
        None
    }
    fn any_queue(&self, needle: &str) -> bool {
        contains_ci(self.0.id, needle) || contains_ci(self.0.label(), needle)
    }
    fn site(&self) -> Option<&str> {
        self.1
            .then(|| queuetop_engine::site::split(self.0.id).0)
            .flatten()
    }
}

/// An agent as the filter sees it, read from the floor as asked (the
/// reason only for a `reason:` term).
pub(crate) struct AgentRow<'f, 'l> {
    /// The view has sites: the agent's id starts with its site's.
    pub sites: bool,
    pub floor: &'f Floor,
    pub a: AgentIdx,
    pub kind: WindowKind,
    /// Each queue's name (or id), by queue index.
    pub labels: &'l [&'f str],
}

impl Subject for AgentRow<'_, '_> {
    fn id(&self) -> &str {
        self.floor.agent_brief(self.a).0
    }
    fn name(&self) -> Option<&str> {
        self.floor.agent_brief(self.a).1
    }
    fn is_agent(&self) -> bool {
        true
    }
    fn state(&self) -> Option<DisplayState> {
        Some(self.floor.agent_brief(self.a).2)
    }
    fn reason(&self) -> Option<Option<&str>> {
        Some(self.floor.agent_view(self.a, self.kind).reason)
    }
    fn site(&self) -> Option<&str> {
        self.sites
            .then(|| queuetop_engine::site::split(self.floor.agent_brief(self.a).0).0)
            .flatten()
    }
    fn any_queue(&self, needle: &str) -> bool {
        self.floor.agent_queues(self.a).any(|(q, id)| {
            contains_ci(id, needle)
                || self
                    .labels
                    .get(q.0 as usize)
                    .is_some_and(|name| contains_ci(name, needle))
        })
    }
}
