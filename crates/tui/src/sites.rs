//! A view of several sites (docs/sites.md): each site's link in the
//! header, so a dead site shows at once without blanking the others, and
//! each queue's and agent's site in the events log. The queues table's
//! groups by site are [`crate::tree`]'s.

use super::alerts::Level;
use super::fit::clean;
use super::model::SiteLink;
use super::theme::Theme;
use queuetop_engine::health::{FeedHealth, LinkState};
use queuetop_engine::monitor::{Monitor, Site};
use queuetop_engine::time::{Millis, Ts};
use ratatui::style::Style;

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
        .sites()
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
