//! Which agents changed, for a reader that follows the floor between looks
//! (the alert engine looks only at agents that changed or whose time came,
//! not at every agent on every tick; the agents table re-sorts only them).
//!
//! A bounded log of agent indices: a reader keeps a mark and asks for the
//! agents noted after it. One that fell further behind than the log holds
//! is told so and looks at every agent, as it would with no log at all.
//!
//! Each log has its own identity, and a copy of a floor (a rewind
//! checkpoint, the floor a seek rebuilds) gets a new one: the copy goes on
//! from a different past, so a mark taken on one floor says nothing about
//! another, and a reader whose floor was swapped under it starts over.

use std::collections::VecDeque;
use std::sync::atomic::{AtomicU64, Ordering};

use super::Floor;
use super::sample::AgentIdx;

/// Agents noted and kept for readers: past this, the oldest go.
const KEPT: usize = 16_384;

/// A reader's place in one floor's log of changed agents.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ChangeMark {
    log: u64,
    noted: u64,
}

#[derive(Debug)]
pub struct AgentChanges {
    /// Which log this is (see the module doc).
    log: u64,
    /// Notes ever made: the mark of the next one.
    noted: u64,
    kept: VecDeque<AgentIdx>,
}

/// A log identity no other log in this process has.
fn new_log() -> u64 {
    static NEXT: AtomicU64 = AtomicU64::new(0);
    NEXT.fetch_add(1, Ordering::Relaxed)
}

impl Default for AgentChanges {
    fn default() -> Self {
        AgentChanges {
            log: new_log(),
            noted: 0,
            kept: VecDeque::new(),
        }
    }
}

/// A copy is another floor's log: a new identity, and none of the notes
/// kept (every mark a reader can hold on the copy is taken after it was
/// made, so they could never be handed out: a rewind checkpoint need not
/// carry them).
impl Clone for AgentChanges {
    fn clone(&self) -> Self {
        AgentChanges {
            log: new_log(),
            noted: self.noted,
            kept: VecDeque::new(),
        }
    }
}

impl AgentChanges {
    pub fn note(&mut self, a: AgentIdx) {
        if self.kept.len() == KEPT {
            self.kept.pop_front();
        }
        self.kept.push_back(a);
        self.noted += 1;
    }
}

impl Floor {
    /// A mark to ask [`Floor::agents_changed_since`] from later.
    pub fn agent_change_mark(&self) -> ChangeMark {
        ChangeMark {
            log: self.agent_changes.log,
            noted: self.agent_changes.noted,
        }
    }

    /// The agents whose facts ([`super::AgentFacts`], their contacts' talk
    /// and hold) may have changed since `mark`, some more than once;
    /// `None` when more changed than are kept, or when the mark is another
    /// floor's (look at every agent).
    pub fn agents_changed_since(
        &self,
        mark: ChangeMark,
    ) -> Option<impl Iterator<Item = AgentIdx> + '_> {
        let c = &self.agent_changes;
        let first_kept = c.noted - c.kept.len() as u64;
        if mark.log != c.log || mark.noted < first_kept || mark.noted > c.noted {
            return None;
        }
        Some(c.kept.range((mark.noted - first_kept) as usize..).copied())
    }
}
