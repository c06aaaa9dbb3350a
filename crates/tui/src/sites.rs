//! A view of several sites (docs/sites.md): the queues table in groups,
//! one per site, each headed by the site's total row; and each site's link
//! in the header, so a dead site shows at once without blanking the others.

use super::alerts::Level;
use super::fit::clean;
use super::model::{Cell, Row, SiteLink};
use super::theme::Theme;
use queuetop_engine::floor::{QueueView, WindowKind};
use queuetop_engine::health::{FeedHealth, LinkState};
use queuetop_engine::monitor::{Monitor, Site};
use queuetop_engine::time::{Millis, Ts};
use ratatui::style::Style;

/// The queues, sorted and filtered, in groups by site in the config's
/// order: the site's total row, then its queues in the chosen order. With
/// a filter on, a site none of whose queues is shown is left out.
pub fn group<'m>(
    m: &'m Monitor,
    queues: Vec<QueueView<'m>>,
    kind: WindowKind,
    filtered: bool,
) -> Vec<QueueView<'m>> {
    let mut out = Vec::with_capacity(queues.len() + m.sites.len());
    for s in &m.sites {
        let start = out.len();
        out.push(site_row(m, s, kind));
        out.extend(
            queues
                .iter()
                .filter(|q| q.id.starts_with(s.prefix()))
                .cloned(),
        );
        if filtered && out.len() == start + 1 {
            out.pop();
        }
    }
    // Every floor id of a view of sites carries one; none is ever lost.
    let known = |id: &str| m.sites.iter().any(|s| id.starts_with(s.prefix()));
    out.extend(queues.into_iter().filter(|q| !known(q.id)));
    out
}

/// A site's total row: named after the site, with no queue index.
fn site_row<'m>(m: &'m Monitor, s: &'m Site, kind: WindowKind) -> QueueView<'m> {
    let agents = m.floor.agent_counts_in(s.prefix());
    let mut v = m.floor.site_totals(s.prefix(), kind, agents);
    v.name = Some(s.name.as_str());
    v
}

/// Whether a row of the queues table is a site's total row.
pub fn is_site_row(v: &QueueView<'_>) -> bool {
    v.idx.is_none()
}

/// How a site's link reads: a word and its level.
fn link_word(s: &Site, local: Ts, stale_after: Millis, replay: bool) -> (String, Level) {
    match &s.link {
        LinkState::Reconnecting { .. } => ("DOWN".into(), Level::Crit),
        LinkState::AuthFailed { .. } => ("AUTH FAILED".into(), Level::Crit),
        LinkState::Connecting => ("connecting".into(), Level::Warn),
        LinkState::LoadingHistory { done, total } => (
            format!("loading {}%", done * 100 / (*total).max(1)),
            Level::Warn,
        ),
        LinkState::Ended => ("ended".into(), Level::Ok),
        LinkState::Connected if replay => ("ok".into(), Level::Ok),
        LinkState::Connected => match s.health(Some(local), stale_after) {
            FeedHealth::Stale => ("STALE".into(), Level::Crit),
            FeedHealth::Resyncing => ("resyncing".into(), Level::Warn),
            _ => ("ok".into(), Level::Ok),
        },
    }
}

/// Each site's link for the header, the troubled ones first (a narrow
/// terminal cuts the list from the end: a dead site is never the one cut).
pub fn links(m: &Monitor, local: Ts, stale_after: Millis, replay: bool) -> Vec<SiteLink> {
    let mut v: Vec<SiteLink> = m
        .sites
        .iter()
        .map(|s| {
            let (word, level) = link_word(s, local, stale_after, replay);
            SiteLink {
                text: format!("{} {word}", s.name),
                level,
            }
        })
        .collect();
    v.sort_by_key(|l| std::cmp::Reverse(l.level));
    v
}

/// The name cell of a row in a view of sites: a site's row shows the site
/// (and its link when it is not fine); a queue's is indented under it and
/// shows its name, or its own id without the site.
pub fn name_cell(row: &mut Row, v: &QueueView<'_>, m: &Monitor, theme: Theme) {
    let Some(cell) = row.cells.get_mut(0) else {
        return;
    };
    if is_site_row(v) {
        let site = m.sites.iter().find(|s| Some(s.name.as_str()) == v.name);
        let (text, level) = match site.map(|s| &s.link) {
            Some(LinkState::Reconnecting { .. }) => (format!("{} (down)", v.label()), Level::Crit),
            Some(LinkState::AuthFailed { .. }) => {
                (format!("{} (auth failed)", v.label()), Level::Crit)
            }
            _ => (v.label().to_string(), Level::Ok),
        };
        *cell = Cell {
            text: format!("{text}{}", theme.level_symbol(level)),
            level,
            state: None,
        };
    } else {
        let own = v
            .name
            .unwrap_or_else(|| queuetop_engine::site::split(v.id).1);
        *cell = Cell::plain(format!("  {}", clean(own)));
    }
}

/// The header's site links in `width` columns: `paris ok  rome DOWN‼`,
/// each in its level's style; what does not fit ends in an ellipsis.
pub fn header_parts(links: &[SiteLink], width: usize, theme: Theme) -> Vec<(String, Style)> {
    let mut out = Vec::new();
    let mut left = width;
    for (i, l) in links.iter().enumerate() {
        let sep = if i == 0 { "" } else { "  " };
        let text = format!("{sep}{}{}", l.text, theme.level_symbol(l.level));
        let style = match l.level {
            Level::Ok => theme.good(),
            level => theme.level(level),
        };
        if super::fit::width(&text) > left {
            let cut = super::fit::truncate(&text, left, theme.ellipsis());
            out.push((cut, style));
            break;
        }
        left -= super::fit::width(&text);
        out.push((text, style));
    }
    out
}

/// A queue's or agent's label in the events log: in a view of sites, with
/// its site (`Billing (lisbon)`), since two sites may share names.
pub fn with_site(m: &Monitor, id: &str, label: &str) -> String {
    match queuetop_engine::site::split(id) {
        (Some(site), own) if m.has_sites() => {
            let shown = if label == id { own } else { label };
            format!("{} ({site})", clean(shown))
        }
        _ => label.to_string(),
    }
}
