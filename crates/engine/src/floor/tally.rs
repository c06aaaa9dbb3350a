//! Agents by display state, per queue, per group of queues, per site and
//! on the whole floor, kept as each agent changes instead of counted on
//! every look: a frame on a floor of 50,000 agents reads these counts for
//! its queue, group and site rows and its totals, and only a few hundred
//! agents change between two frames.

use std::collections::HashMap;

use foldhash::fast::RandomState;
use smallvec::SmallVec;

use super::Floor;
use super::groups::GroupKey;
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
    /// Per queue: its group's place in `groups` (config `group`), if any.
    queue_group: Vec<Option<u32>>,
    /// Each group, its agents, and its queues.
    groups: Vec<(GroupKey, AgentCounts)>,
    group_queues: Vec<Vec<QueueIdx>>,
    /// By site: an id's prefix up to and with the site separator, and
    /// that site's agents (an agent notes its site's place when it is
    /// first seen: a change is not a search of its id and a lookup).
    site_index: HashMap<Box<str>, u32, RandomState>,
    sites: Vec<AgentCounts>,
}

impl Tally {
    /// The place among the sites of the site an agent id names (`paris/`
    /// of `paris/a7`), if it names one; a new site is added.
    pub fn site_of(&mut self, id: &str) -> Option<u32> {
        let prefix = &id[..=id.find(crate::site::SEP)?];
        if let Some(&s) = self.site_index.get(prefix) {
            return Some(s);
        }
        let s = self.sites.len() as u32;
        self.sites.push(AgentCounts::default());
        self.site_index.insert(prefix.into(), s);
        Some(s)
    }

    /// A new queue, in `group` if the config puts it in one.
    pub fn add_queue(&mut self, group: Option<&GroupKey>) {
        let q = QueueIdx(self.per_queue.len() as u32);
        self.per_queue.push(AgentCounts::default());
        let g = group.map(|key| match self.groups.iter().position(|(k, _)| k == key) {
            Some(g) => g,
            None => {
                self.groups.push((key.clone(), AgentCounts::default()));
                self.group_queues.push(Vec::new());
                self.groups.len() - 1
            }
        });
        if let Some(g) = g {
            self.group_queues[g].push(q);
        }
        self.queue_group.push(g.map(|g| g as u32));
    }

    /// Counts an agent (`by` 1) or stops counting it (`by` -1) as `c`. A
    /// queue listed twice counts the agent twice, as it always has; a group
    /// and a site count it once.
    fn count(&mut self, c: &Counted, by: i32, site: Option<u32>) {
        let Some((state, queues)) = c else { return };
        let i = state.index();
        let add = |n: &mut u32| *n = n.wrapping_add_signed(by);
        add(&mut self.total.0[i]);
        let mut groups: SmallVec<[u32; 4]> = SmallVec::new();
        for q in queues {
            add(&mut self.per_queue[q.0 as usize].0[i]);
            if let Some(&Some(g)) = self.queue_group.get(q.0 as usize)
                && !groups.contains(&g)
            {
                groups.push(g);
            }
        }
        for g in groups {
            add(&mut self.groups[g as usize].1.0[i]);
        }
        if let Some(counts) = site.and_then(|s| self.sites.get_mut(s as usize)) {
            add(&mut counts.0[i]);
        }
    }
}

impl Floor {
    /// Agents by display state: per queue (by queue index) and for the
    /// whole floor. Agents a snapshot left out are not counted.
    pub fn agent_counts(&self) -> (&[AgentCounts], AgentCounts) {
        (&self.tally.per_queue, self.tally.total)
    }

    /// The group a queue is shown in (config `group`, noted when the
    /// queue was added: no lookup by name on every frame).
    pub fn group_of(&self, q: QueueIdx) -> Option<&GroupKey> {
        let g = self.queue_group_index(q)?;
        self.tally.groups.get(g as usize).map(|(k, _)| k)
    }

    /// The place of a queue's group among the groups (compared as numbers
    /// where a frame compares every queue with every group).
    pub fn queue_group_index(&self, q: QueueIdx) -> Option<u32> {
        *self.tally.queue_group.get(q.0 as usize)?
    }

    /// How many groups queues were put in: a group's place is below it.
    pub fn group_count(&self) -> usize {
        self.tally.groups.len()
    }

    /// The queues of a group.
    pub(super) fn queues_of_group(&self, key: &GroupKey) -> &[QueueIdx] {
        match self.group_index(key) {
            Some(g) => &self.tally.group_queues[g as usize],
            None => &[],
        }
    }

    /// Every group a queue was put in.
    pub(super) fn group_keys(&self) -> impl Iterator<Item = &GroupKey> {
        self.tally.groups.iter().map(|(k, _)| k)
    }

    pub(super) fn group_index(&self, key: &GroupKey) -> Option<u32> {
        let g = self.tally.groups.iter().position(|(k, _)| k == key)?;
        Some(g as u32)
    }

    /// Agents serving any queue of the group, each counted once.
    pub fn agent_counts_of_group(&self, key: &GroupKey) -> AgentCounts {
        self.tally
            .groups
            .iter()
            .find(|(k, _)| k == key)
            .map_or_else(AgentCounts::default, |(_, c)| *c)
    }

    /// Agents of the site whose ids start with `prefix` (`paris/`), by
    /// display state (agents a snapshot left out are not counted).
    pub fn agent_counts_in(&self, prefix: &str) -> AgentCounts {
        let site = self.tally.site_index.get(prefix);
        site.and_then(|&s| self.tally.sites.get(s as usize))
            .copied()
            .unwrap_or_default()
    }

    /// Brings the tally up to date with one agent that may have changed
    /// (its presence, display state or queues).
    pub(super) fn recount(&mut self, a: AgentIdx) {
        let agent = &mut self.agents[a.0 as usize];
        // Compared in place first: most changes leave the tally as it was,
        // and building the new value would copy the queues every time.
        let unchanged = match &agent.counted {
            Some((state, queues)) => {
                agent.present && *state == agent.display() && *queues == agent.queues
            }
            None => !agent.present,
        };
        if unchanged {
            return;
        }
        let site = agent.site;
        self.tally.count(&agent.counted, -1, site);
        // Changed in place, field by field: a new value built aside and
        // copied over whole was read back with wider loads than the stores
        // that had just made it, which the processor cannot forward.
        let display = agent.display();
        match &mut agent.counted {
            Some((state, queues)) if agent.present => {
                *state = display;
                if *queues != agent.queues {
                    *queues = SmallVec::from_slice(&agent.queues);
                }
            }
            counted => {
                *counted = agent
                    .present
                    .then(|| (display, SmallVec::from_slice(&agent.queues)))
            }
        }
        self.tally.count(&agent.counted, 1, site);
    }
}
