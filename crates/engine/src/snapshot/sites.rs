//! The snapshot of a view of several sites (docs/snapshot.md, "Sites"):
//! a `site` key on queues and agents (their ids are then the site's own),
//! and a `sites` block with each site's link, feed counts and totals. Keys
//! added within version 1: a reader that ignores unknown keys reads on.
//! With one feed (no sites) none of this appears.

use serde::Serialize;

use super::{FiguresJson, SourceJson, shown};
use crate::floor::WindowKind;
use crate::monitor::Monitor;
use crate::time::{Millis, Ts, secs};

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct SiteJson {
    pub site: String,
    pub source: SourceJson,
    pub state: String,
    pub events: u64,
    pub rejected: u64,
    pub unknown: u64,
    pub duplicates: u64,
    pub gaps: u64,
    pub reconnects: u64,
    pub last_event_age_s: Option<f64>,
    pub clock_offset_s: f64,
    pub totals: FiguresJson,
}

/// A floor id as the JSON gives it: the site (when the view has sites;
/// site names are letters, digits, `_` and `-` only) and the site's own
/// id, stripped of control characters.
pub(super) fn split(m: &Monitor, id: &str) -> (Option<String>, String) {
    if !m.has_sites() {
        return (None, shown(id));
    }
    match crate::site::split(id) {
        (Some(site), own) => (Some(site.to_string()), shown(own)),
        (None, own) => (None, shown(own)),
    }
}

/// The site's own id (an agent's queues, a contact's queue: always of the
/// agent's own site).
pub(super) fn own(m: &Monitor, id: &str) -> String {
    split(m, id).1
}

pub(super) fn sites(
    m: &Monitor,
    kind: WindowKind,
    local_now: Option<Ts>,
    stale_after: Millis,
) -> Vec<SiteJson> {
    m.sites()
        .iter()
        .map(|s| {
            let agents = m.floor.agent_counts_in(s.prefix());
            let totals = m.floor.site_totals(s.prefix(), kind, agents);
            SiteJson {
                site: s.name.to_string(),
                source: SourceJson {
                    kind: s.source.kind.as_str().to_string(),
                    target: s.source.target.clone(),
                },
                state: s.health(local_now, stale_after).as_str().to_string(),
                events: s.counts.events,
                rejected: s.counts.rejected,
                unknown: s.counts.unknown,
                duplicates: s.counts.duplicates,
                gaps: s.counts.gaps,
                reconnects: s.reconnects,
                last_event_age_s: local_now
                    .and_then(|now| s.last_event_local.map(|t| secs(now.since(t)))),
                clock_offset_s: secs(s.clock.offset()),
                totals: FiguresJson::from_view(&totals),
            }
        })
        .collect()
}
