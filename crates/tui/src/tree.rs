//! The queues table as a tree, as htop shows processes: with several sites
//! (docs/sites.md) each site's row heads its queues; queue groups
//! (`group = "..."`, docs/ui.md) head theirs, where the group's first queue
//! sorts. Summary rows (a site's, a group's) add up what is under them;
//! `f` folds one. With neither sites nor groups the table is flat.

use std::collections::BTreeSet;

use super::alerts::Level;
use super::fit::clean;
use super::model::{Cell, Row};
use super::theme::Theme;
use queuetop_engine::floor::{Floor, GroupKey, QueueView, WindowKind};
use queuetop_engine::health::LinkState;
use queuetop_engine::monitor::{Monitor, Site};

/// The queues, sorted and filtered, as the table shows them. With a filter
/// on, a site none of whose queues passes has no row; a group's row is
/// shown when one of its queues passes (its figures are the whole group's).
pub fn arrange<'m>(
    m: &'m Monitor,
    queues: Vec<QueueView<'m>>,
    kind: WindowKind,
    filtered: bool,
    folded: &BTreeSet<String>,
) -> Vec<QueueView<'m>> {
    let floor = &m.floor;
    let grouped = queues
        .iter()
        .any(|q| q.idx.and_then(|i| floor.group_of(i)).is_some());
    if !m.has_sites() && !grouped {
        return queues;
    }
    let mut out = Vec::with_capacity(queues.len() + m.sites().len());
    if !m.has_sites() {
        in_groups(floor, queues, folded, &mut out);
        return out;
    }
    for s in m.sites() {
        let mine: Vec<QueueView<'m>> = queues
            .iter()
            .filter(|q| q.id.starts_with(s.prefix()))
            .cloned()
            .collect();
        if filtered && mine.is_empty() {
            continue;
        }
        out.push(site_row(m, s, kind));
        if !folded.contains(s.prefix()) {
            in_groups(floor, mine, folded, &mut out);
        }
    }
    // Every floor id of a view of sites carries one; none is ever lost.
    let known = |id: &str| m.sites().iter().any(|s| id.starts_with(s.prefix()));
    out.extend(queues.into_iter().filter(|q| !known(q.id)));
    out
}

/// `queues` in their order, each group's row where its first queue comes,
/// then (unless folded) all of its queues. Groups are told apart by their
/// place among the floor's groups (a number, not a name to hash), and each
/// view moves once.
fn in_groups<'m>(
    floor: &'m Floor,
    queues: Vec<QueueView<'m>>,
    folded: &BTreeSet<String>,
    out: &mut Vec<QueueView<'m>>,
) {
    let group = |q: &QueueView<'m>| q.idx.and_then(|i| floor.queue_group_index(i));
    // Each group's queues (their places in `queues`), in order, found in
    // one pass (not one pass per group: 50 groups of 2,000 queues made
    // that 100,000 comparisons).
    let mut members: Vec<Vec<usize>> = vec![Vec::new(); floor.group_count()];
    for (i, q) in queues.iter().enumerate() {
        if let Some(list) = group(q).and_then(|g| members.get_mut(g as usize)) {
            list.push(i);
        }
    }
    let mut queues: Vec<Option<QueueView<'m>>> = queues.into_iter().map(Some).collect();
    for i in 0..queues.len() {
        // Taken already: a queue of a group whose row came before.
        let Some(q) = queues[i].take() else {
            continue;
        };
        let Some((g, key)) = group(&q).zip(q.idx.and_then(|i| floor.group_of(i))) else {
            out.push(q);
            continue;
        };
        // The group's row where its first queue comes; its window figures
        // only if it is drawn (see build).
        out.push(floor.group_totals_live(key));
        let shown = !folded.contains(key.as_str());
        if shown {
            out.push(q);
        }
        // The rest of its queues, taken now (and dropped when folded).
        for &j in members.get(g as usize).into_iter().flatten() {
            if let Some(v) = queues[j].take()
                && shown
            {
                out.push(v);
            }
        }
    }
}

/// A site's total row: named after the site, with no queue index.
fn site_row<'m>(m: &'m Monitor, s: &'m Site, kind: WindowKind) -> QueueView<'m> {
    let agents = m.floor.agent_counts_in(s.prefix());
    let mut v = m.floor.site_totals(s.prefix(), kind, agents);
    v.name = Some(s.name.as_str());
    v
}

/// Whether a row of the queues table adds up others (a site's, a group's).
pub fn is_summary(v: &QueueView<'_>) -> bool {
    v.idx.is_none()
}

/// How deep a queue's row sits in the tree: under its site, under its
/// group (0 in a flat table).
pub fn depth(v: &QueueView<'_>, m: &Monitor) -> usize {
    let grouped = v.idx.and_then(|i| m.floor.group_of(i)).is_some();
    usize::from(m.has_sites()) + usize::from(grouped)
}

/// The name cell of a row of a tree: a summary row shows its fold mark and
/// its name (a site also its link while it is down); a queue is indented
/// under what heads it and shows its name, or its id without the site.
pub fn name_cell(
    row: &mut Row,
    v: &QueueView<'_>,
    m: &Monitor,
    folded: &BTreeSet<String>,
    theme: Theme,
) {
    let Some(cell) = row.cells.get_mut(0) else {
        return;
    };
    let sites = usize::from(m.has_sites());
    let mark = |id: &str| theme.fold_mark(folded.contains(id));
    if GroupKey::is_key(v.id) {
        let name = clean(v.label());
        *cell = Cell::plain(format!("{}{}{name}", "  ".repeat(sites), mark(v.id)));
    } else if is_summary(v) {
        let site = m.sites().iter().find(|s| Some(s.name.as_str()) == v.name);
        let (text, level) = match site.map(|s| &s.link) {
            Some(LinkState::Reconnecting { .. }) => (format!("{} (down)", v.label()), Level::Crit),
            Some(LinkState::AuthFailed { .. }) => {
                (format!("{} (auth failed)", v.label()), Level::Crit)
            }
            _ => (v.label().to_string(), Level::Ok),
        };
        *cell = Cell {
            text: format!("{}{text}{}", mark(v.id), theme.level_symbol(level)),
            level,
            state: None,
        };
    } else {
        let depth = depth(v, m);
        let own = v
            .name
            .unwrap_or_else(|| queuetop_engine::site::split(v.id).1);
        *cell = Cell::plain(format!("{}{}", "  ".repeat(depth), clean(own)));
    }
}
