//! Following the floor between looks, so that a look at 50,000 agents
//! touches only those that changed or whose time came:
//!
//! - the floor's log of changed agents ([`Floor::agents_changed_since`]);
//!   each queue's agents by state need no following: the floor keeps
//!   them as agents change ([`Floor::agent_counts`]);
//! - two timer heaps of the instant each agent must be looked at next:
//!   when a figure that only grows (time in a state, talk, hold, the
//!   ghost's wait) will pass a value that matters, on the floor's clock,
//!   and when a `for` or clear clock runs out, on the rules' clock;
//! - per queue, the agents available there, looked at again when the
//!   queue's oldest waiting contact changes (the ghost check reads it).
//!
//! A look at any other agent would change nothing but the value shown,
//! which the engine works out from the agent's [`Growth`] instead
//! (`tests/integration/alert_follow.rs` checks both give the same alerts).
//! Anything that breaks the reasoning (the first look, a log that
//! overflowed, a clock that went back) makes the next look a full one.
//!
//! [`Growth`]: super::growth::Growth

use std::cmp::Reverse;
use std::collections::BinaryHeap;

use smallvec::SmallVec;

use crate::floor::{AgentIdx, ChangeMark, DisplayState, Floor, QueueIdx};
use crate::time::Ts;

/// What an agent was at the last look: its state and its queues.
type Counted = (DisplayState, SmallVec<[QueueIdx; 4]>);

/// Instants at which agents are due, each entry valid while its stamp is
/// the agent's current one (older entries are skipped when they come up).
#[derive(Debug, Default)]
struct Timers {
    heap: BinaryHeap<Reverse<(i64, u32, u32)>>,
}

impl Timers {
    fn push(&mut self, at: Ts, a: usize, stamp: u32) {
        self.heap.push(Reverse((at.0, a as u32, stamp)));
    }

    /// Agents due at `clock`, their entries taken out.
    fn due(&mut self, clock: Ts, stamps: &[u32], out: &mut Vec<AgentIdx>) {
        while let Some(Reverse((at, a, stamp))) = self.heap.peek().copied() {
            if at > clock.0 {
                break;
            }
            self.heap.pop();
            if stamps.get(a as usize) == Some(&stamp) {
                out.push(AgentIdx(a));
            }
        }
    }

    /// Drops stale entries once they outnumber live ones (an agent that
    /// changes on every tick leaves one behind each time).
    fn compact(&mut self, stamps: &[u32]) {
        if self.heap.len() > 2 * stamps.len() + 1024 {
            self.heap
                .retain(|Reverse((_, a, s))| stamps.get(*a as usize) == Some(s));
        }
    }
}

/// What the engine keeps between looks to follow the floor.
#[derive(Debug, Default)]
pub(super) struct Follow {
    /// The floor's change mark after the last look; `None` before the first.
    mark: Option<ChangeMark>,
    /// The floor's and the rules' clocks at the last look.
    last: Option<(Ts, Ts)>,
    /// Per agent: what it was at the last look.
    counted: Vec<Option<Counted>>,
    /// Per agent: the stamp of its timers.
    stamps: Vec<u32>,
    /// Per agent: the engine's generation it was last looked at in.
    looked: Vec<u64>,
    by_floor: Timers,
    by_rules: Timers,
    /// Per queue: agents counted available there (with stale entries,
    /// dropped when the list is read).
    available: Vec<Vec<AgentIdx>>,
    /// Per queue: its oldest waiting contact at the last look.
    oldest: Vec<Option<Ts>>,
}

/// Which agents a look must look at.
pub(super) enum Plan {
    Every,
    These(Vec<AgentIdx>),
}

impl Follow {
    /// Notes what changed agents are now and says which agents to look at
    /// (those changed and those due; the ghost check adds more after the
    /// queues are read, [`Follow::oldest_moved`]).
    pub fn begin(&mut self, floor: &Floor, now: Ts, ghosts: bool) -> Plan {
        let fnow = floor.now();
        let agents = floor.agent_slots();
        let queues = floor.queue_ids().count();
        self.available.resize_with(queues, Vec::new);
        self.counted.resize(agents, None);
        self.stamps.resize(agents, 0);
        self.looked.resize(agents, 0);
        let went_back = self.last.is_some_and(|(f, r)| fnow < f || now < r);
        self.last = Some((fnow, now));
        let changed = match self.mark {
            Some(mark) if !went_back => floor.agents_changed_since(mark),
            _ => None,
        };
        let Some(changed) = changed else {
            self.mark = Some(floor.agent_change_mark());
            self.by_floor.heap.clear();
            self.by_rules.heap.clear();
            for a in 0..agents {
                self.recount(floor, AgentIdx(a as u32), ghosts);
            }
            return Plan::Every;
        };
        let mut list: Vec<AgentIdx> = changed.collect();
        self.mark = Some(floor.agent_change_mark());
        for a in &list {
            self.recount(floor, *a, ghosts);
        }
        self.by_floor.due(fnow, &self.stamps, &mut list);
        self.by_rules.due(now, &self.stamps, &mut list);
        Plan::These(list)
    }

    /// Agents available in queues whose oldest waiting contact is not the
    /// one of the last look: their ghost figure changed.
    pub fn oldest_moved(&mut self, oldest: &[Option<Ts>], out: &mut Vec<AgentIdx>) {
        self.oldest.resize(oldest.len(), None);
        for (q, now) in oldest.iter().enumerate() {
            if self.oldest[q] == *now {
                continue;
            }
            self.oldest[q] = *now;
            let counted = &self.counted;
            let list = &mut self.available[q];
            list.sort_unstable();
            list.dedup();
            list.retain(|a| is_available_in(counted, *a, q));
            out.extend_from_slice(list);
        }
    }

    /// Whether `a` is to be looked at in this look (the first time asked).
    pub fn first_look(&mut self, a: AgentIdx, generation: u64) -> bool {
        match self.looked.get_mut(a.0 as usize) {
            Some(g) if *g != generation => {
                *g = generation;
                true
            }
            _ => false,
        }
    }

    /// Sets when `a` is due next (replacing what was set before).
    pub fn schedule(&mut self, a: AgentIdx, on_floor: Option<Ts>, on_rules: Option<Ts>) {
        let i = a.0 as usize;
        let Some(stamp) = self.stamps.get_mut(i) else {
            return;
        };
        *stamp = stamp.wrapping_add(1);
        let stamp = *stamp;
        if let Some(t) = on_floor {
            self.by_floor.push(t, i, stamp);
        }
        if let Some(t) = on_rules {
            self.by_rules.push(t, i, stamp);
        }
        self.by_floor.compact(&self.stamps);
        self.by_rules.compact(&self.stamps);
    }

    /// Notes what `a` is now: available agents join their queues' lists.
    fn recount(&mut self, floor: &Floor, a: AgentIdx, ghosts: bool) {
        let i = a.0 as usize;
        let now: Option<Counted> = floor
            .agent_facts(a)
            .map(|f| (f.state, SmallVec::from_slice(f.queues)));
        if self.counted[i] == now {
            return;
        }
        let (counts, _) = floor.agent_counts();
        if let Some((s, qs)) = &now {
            for q in qs {
                let q = q.0 as usize;
                if ghosts && *s == DisplayState::Available {
                    let list = &mut self.available[q];
                    list.push(a);
                    let live = counts.get(q).map_or(0, |c| c.get(DisplayState::Available)) as usize;
                    if list.len() > 2 * live + 64 {
                        let counted = &self.counted;
                        list.sort_unstable();
                        list.dedup();
                        // `a` itself is not counted yet: keep it.
                        list.retain(|b| *b == a || is_available_in(counted, *b, q));
                    }
                }
            }
        }
        self.counted[i] = now;
    }
}

fn is_available_in(counted: &[Option<Counted>], a: AgentIdx, q: usize) -> bool {
    matches!(
        counted.get(a.0 as usize),
        Some(Some((DisplayState::Available, qs))) if qs.iter().any(|x| x.0 as usize == q)
    )
}
