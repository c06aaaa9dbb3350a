//! Which agents changed, for a reader that follows the floor between looks
//! (the alert engine looks only at agents that changed or whose time came,
//! not at every agent on every tick).
//!
//! A bounded log of agent indices: a reader keeps a mark and asks for the
//! agents noted after it. One that fell further behind than the log holds
//! is told so and looks at every agent, as it would with no log at all.

use std::collections::VecDeque;

use super::Floor;
use super::sample::AgentIdx;

/// Agents noted and kept for readers: past this, the oldest go.
const KEPT: usize = 16_384;

#[derive(Clone, Debug, Default)]
pub struct AgentChanges {
    /// Notes ever made: the mark of the next one.
    noted: u64,
    log: VecDeque<AgentIdx>,
}

impl AgentChanges {
    pub fn note(&mut self, a: AgentIdx) {
        if self.log.len() == KEPT {
            self.log.pop_front();
        }
        self.log.push_back(a);
        self.noted += 1;
    }
}

impl Floor {
    /// A mark to ask [`Floor::agents_changed_since`] from later.
    pub fn agent_change_mark(&self) -> u64 {
        self.agent_changes.noted
    }

    /// The agents whose facts ([`super::AgentFacts`], their contacts' talk
    /// and hold) may have changed since `mark`, some more than once;
    /// `None` when more changed than are kept (look at every agent).
    pub fn agents_changed_since(&self, mark: u64) -> Option<impl Iterator<Item = AgentIdx> + '_> {
        let c = &self.agent_changes;
        let first_kept = c.noted - c.log.len() as u64;
        if mark < first_kept || mark > c.noted {
            return None;
        }
        Some(c.log.range((mark - first_kept) as usize..).copied())
    }
}
