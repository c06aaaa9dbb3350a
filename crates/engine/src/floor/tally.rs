//! Agents by display state, per queue and on the whole floor, kept as each
//! agent changes instead of counted on every look: a frame on a floor of
//! 50,000 agents reads these counts for its queue rows and its totals,
//! and only a few hundred agents change between two frames.

use smallvec::SmallVec;

use super::Floor;
use super::live::DisplayState;
use super::sample::{AgentIdx, QueueIdx};
use super::view::AgentCounts;

/// What the tally counts an agent as: its display state and its queues;
/// `None` while a snapshot leaves it out (an absent agent counts nowhere).
pub type Counted = Option<(DisplayState, SmallVec<[QueueIdx; 4]>)>;

#[derive(Clone, Debug, Default)]
pub struct Tally {
    per_queue: Vec<AgentCounts>,
    total: AgentCounts,
}

impl Tally {
    pub fn add_queue(&mut self) {
        self.per_queue.push(AgentCounts::default());
    }

    /// Counts an agent (`by` 1) or stops counting it (`by` -1) as `c`. A
    /// queue listed twice counts the agent twice, as it always has.
    fn count(&mut self, c: &Counted, by: i32) {
        let Some((state, queues)) = c else { return };
        let i = state.index();
        let add = |n: &mut u32| *n = n.wrapping_add_signed(by);
        add(&mut self.total.0[i]);
        for q in queues {
            add(&mut self.per_queue[q.0 as usize].0[i]);
        }
    }
}

impl Floor {
    /// Agents by display state: per queue (by queue index) and for the
    /// whole floor. Agents a snapshot left out are not counted.
    pub fn agent_counts(&self) -> (&[AgentCounts], AgentCounts) {
        (&self.tally.per_queue, self.tally.total)
    }

    /// Brings the tally up to date with one agent that may have changed
    /// (its presence, display state or queues).
    pub(super) fn recount(&mut self, a: AgentIdx) {
        let agent = &mut self.agents[a.0 as usize];
        let now: Counted = agent
            .present
            .then(|| (agent.display(), agent.queues.clone()));
        if now == agent.counted {
            return;
        }
        let before = std::mem::replace(&mut agent.counted, now);
        self.tally.count(&before, -1);
        self.tally.count(&agent.counted, 1);
    }
}
