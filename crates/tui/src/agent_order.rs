//! The agents table's order, kept between frames: the agents that pass the
//! filter, sorted. A frame on a big floor shows a few dozen agents of tens
//! of thousands, and between two frames a few hundred change; only those
//! are taken out and put back in place, found through the floor's log of
//! changed agents. Every sort key is fixed while its agent does not change
//! (time in state sorts by when the state began, which time passing does
//! not move), so the agents that did not change keep their order.
//!
//! The order is built anew when what it was built for changes (the sort,
//! the filter, the window, the queue names a filter reads), or when the
//! log cannot say what changed: another floor (a seek, a rewind, the live
//! floor back after one) or more changes than the log keeps.

use std::cmp::Ordering;

use queuetop_engine::floor::{AgentIdx, ChangeMark, Floor, WindowKind};

use crate::columns::AgentCol;
use crate::filter::Filter;
use crate::state::Sort;
use crate::subjects::AgentRow;

/// An agent's sort key: a number, two texts, and the id to break ties.
pub(crate) type AgentKey<'f> = (u64, &'f str, &'f str, &'f str);

/// Agents: name A to Z; state in display order (on contact first, offline
/// last), then name; longest in state first; first queue A to Z.
pub(crate) fn agent_key(floor: &Floor, a: AgentIdx, col: AgentCol) -> AgentKey<'_> {
    let (id, name, state, since) = floor.agent_brief(a);
    let label = name.unwrap_or(id);
    match col {
        AgentCol::State => (state.index() as u64, label, "", id),
        // Earliest start first is longest in state first; the sign bit
        // flip keeps the order of i64 in u64.
        AgentCol::For => ((since.0 as u64) ^ (1 << 63), "", "", id),
        AgentCol::Queue => (0, floor.agent_queue_ids(a).next().unwrap_or(""), label, id),
        _ => (0, label, "", id),
    }
}

/// The start of an agent's sort key (its number and the first bytes of
/// its first text), kept by agent index: most comparisons end there
/// without reading the agents themselves, which at 50,000 agents are a
/// cache miss or two each. It orders as the key does; equal heads leave
/// it to the whole key.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord)]
struct Head(u64, [u8; 16]);

impl Head {
    fn of(key: &AgentKey<'_>) -> Head {
        // Shorter texts are padded with zeros, which sort first, as the
        // end of a text does: a head never orders two keys the wrong way.
        let mut text = [0u8; 16];
        let b = key.1.as_bytes();
        let n = b.len().min(text.len());
        text[..n].copy_from_slice(&b[..n]);
        Head(key.0, text)
    }
}

/// How a shown agent `x` (its head kept in `heads`) sorts against `y`
/// with its head (a total order: ids differ).
fn compare(
    floor: &Floor,
    sort: Sort<AgentCol>,
    heads: &[Head],
    x: AgentIdx,
    (y_head, y): (Head, AgentIdx),
) -> Ordering {
    let o = heads[x.0 as usize]
        .cmp(&y_head)
        .then_with(|| agent_key(floor, x, sort.col).cmp(&agent_key(floor, y, sort.col)));
    if sort.reversed { o.reverse() } else { o }
}

/// What an order was built for: a change to any of it rebuilds it.
#[derive(Clone, Debug, PartialEq)]
struct Basis {
    sort: Sort<AgentCol>,
    filter: Option<Filter>,
    window: WindowKind,
    sites: bool,
    /// Each queue's name (or id) by queue index, when a filter reads them.
    labels: Vec<String>,
}

/// What a frame's agents are read through to sort and filter them.
pub struct Look<'a, 'f> {
    pub floor: &'f Floor,
    pub sort: Sort<AgentCol>,
    pub filter: Option<&'a Filter>,
    pub window: WindowKind,
    /// The view has sites (a `site:` term reads the agent's id).
    pub sites: bool,
    /// Each queue's name (or id) by queue index; empty without a filter.
    pub labels: &'a [&'f str],
}

impl Look<'_, '_> {
    fn shows(&self, a: AgentIdx) -> bool {
        self.floor.is_present(a)
            && self.filter.is_none_or(|f| {
                f.matches(&AgentRow {
                    sites: self.sites,
                    floor: self.floor,
                    a,
                    kind: self.window,
                    labels: self.labels,
                })
            })
    }

    fn same_basis(&self, b: &Basis) -> bool {
        b.sort == self.sort
            && b.filter.as_ref() == self.filter
            && b.window == self.window
            && b.sites == self.sites
            && b.labels
                .iter()
                .map(String::as_str)
                .eq(self.labels.iter().copied())
    }
}

/// The agents table's order, kept by the view from frame to frame and
/// brought up to date by [`AgentOrder::update`] before each one.
#[derive(Debug, Default)]
pub struct AgentOrder {
    basis: Option<Basis>,
    /// The floor's change mark when the order was last brought up to date.
    mark: Option<ChangeMark>,
    /// The agents shown, in the table's order.
    order: Vec<AgentIdx>,
    /// By agent index: the head of its key, for the agents shown (stale
    /// for the others).
    heads: Vec<Head>,
    /// By agent index: taken out in the update under way (all false
    /// between updates).
    taken: Vec<bool>,
    /// The previous order's buffer, reused for the next.
    spare: Vec<AgentIdx>,
}

impl AgentOrder {
    /// Brings the order up to date with the floor and `look`.
    pub fn update(&mut self, look: &Look<'_, '_>) {
        let floor = look.floor;
        let same = self.basis.as_ref().is_some_and(|b| look.same_basis(b));
        let changed = match self.mark {
            Some(mark) if same => floor.agents_changed_since(mark),
            _ => None,
        };
        match changed {
            Some(changed) => {
                let changed: Vec<AgentIdx> = changed.collect();
                self.replace(look, &changed);
            }
            None => self.rebuild(look),
        }
        self.mark = Some(floor.agent_change_mark());
    }

    /// Sorts every agent shown from scratch.
    fn rebuild(&mut self, look: &Look<'_, '_>) {
        let floor = look.floor;
        let col = look.sort.col;
        self.heads.resize(floor.agent_slots(), Head::default());
        let mut keyed: Vec<(Head, AgentKey<'_>, AgentIdx)> = floor
            .agent_ids()
            .filter(|a| look.shows(*a))
            .map(|a| {
                let key = agent_key(floor, a, col);
                (Head::of(&key), key, a)
            })
            .collect();
        let by_key = |x: &(Head, AgentKey<'_>, AgentIdx), y: &(Head, AgentKey<'_>, AgentIdx)| {
            x.0.cmp(&y.0).then_with(|| x.1.cmp(&y.1))
        };
        if look.sort.reversed {
            keyed.sort_unstable_by(|x, y| by_key(y, x));
        } else {
            keyed.sort_unstable_by(by_key);
        }
        self.order.clear();
        for (head, _, a) in &keyed {
            self.heads[a.0 as usize] = *head;
            self.order.push(*a);
        }
        self.basis = Some(Basis {
            sort: look.sort,
            filter: look.filter.cloned(),
            window: look.window,
            sites: look.sites,
            labels: look.labels.iter().map(|l| l.to_string()).collect(),
        });
    }

    /// Takes the `changed` agents out and puts those still shown back in
    /// place; every other agent's key is as it was, so the rest stays
    /// sorted.
    fn replace(&mut self, look: &Look<'_, '_>, changed: &[AgentIdx]) {
        if changed.is_empty() {
            return;
        }
        let (floor, sort) = (look.floor, look.sort);
        self.taken.resize(floor.agent_slots(), false);
        let mut back: Vec<AgentIdx> = Vec::with_capacity(changed.len());
        for &a in changed {
            let t = &mut self.taken[a.0 as usize];
            if !*t {
                *t = true;
                back.push(a);
            }
        }
        let taken = &self.taken;
        self.order.retain(|a| !taken[a.0 as usize]);
        for a in &back {
            self.taken[a.0 as usize] = false;
        }
        back.retain(|a| look.shows(*a));
        self.heads.resize(floor.agent_slots(), Head::default());
        for a in &back {
            self.heads[a.0 as usize] = Head::of(&agent_key(floor, *a, sort.col));
        }
        let heads = &self.heads;
        let compare =
            |x: AgentIdx, y: AgentIdx| compare(floor, sort, heads, x, (heads[y.0 as usize], y));
        back.sort_unstable_by(|x, y| compare(*x, *y));
        // A merge: each agent put back goes after the run of those that
        // sort before it.
        let mut merged = std::mem::take(&mut self.spare);
        merged.clear();
        merged.reserve(self.order.len() + back.len());
        let mut rest = &self.order[..];
        for a in back {
            let i = rest.partition_point(|x| compare(*x, a).is_lt());
            merged.extend_from_slice(&rest[..i]);
            merged.push(a);
            rest = &rest[i..];
        }
        merged.extend_from_slice(rest);
        self.spare = std::mem::replace(&mut self.order, merged);
    }

    /// The order as last brought up to date.
    pub fn agents(&self) -> &[AgentIdx] {
        &self.order
    }

    /// How many agents shown sort before `a` (which need not be shown).
    pub fn rank(&self, floor: &Floor, sort: Sort<AgentCol>, a: AgentIdx) -> usize {
        // `a`'s head, from the floor: the kept one is stale if it is not shown.
        let probe = (Head::of(&agent_key(floor, a, sort.col)), a);
        self.order
            .partition_point(|x| compare(floor, sort, &self.heads, *x, probe).is_lt())
    }

    /// Where `a` is in the order, if it is shown.
    pub fn position(&self, floor: &Floor, sort: Sort<AgentCol>, a: AgentIdx) -> Option<usize> {
        let i = self.rank(floor, sort, a);
        (self.order.get(i) == Some(&a)).then_some(i)
    }
}
