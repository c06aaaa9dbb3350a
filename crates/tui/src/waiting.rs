//! Who waits in a queue, for its details: by channel, by priority, the
//! high-priority contact waiting longest, and the waiting contacts
//! themselves (one list, or one per channel when the queue is split with
//! `c`). Every text from the feed is cleaned before it is shown.

use super::fit::clean;
use super::model::{Cell, Section};
use queuetop_engine::floor::{Floor, QueueIdx, WaitingView};
use queuetop_engine::time::{Ts, human};

/// The high-priority contact waiting longest: id, wait and priority, or
/// `-` when none waits.
pub fn longest_high(floor: &Floor, q: QueueIdx) -> Cell {
    match floor.longest_high_priority(q) {
        Some(h) => Cell::plain(format!(
            "{} {} (priority {})",
            clean(h.contact),
            human(h.wait),
            h.priority
        )),
        None => Cell::plain("-"),
    }
}

/// The sections about waiting contacts, each list cut at `most` rows.
/// `since` formats when a contact started waiting.
pub fn sections(
    floor: &Floor,
    q: QueueIdx,
    waiting: usize,
    split: bool,
    most: usize,
    since: impl Fn(Ts) -> String,
) -> Vec<Section> {
    let by_channel = floor.waiting_by_channel(q);
    let mut out = vec![
        Section {
            heading: "Waiting by channel".to_string(),
            columns: vec!["CHANNEL", "WAITING", "LONGEST"],
            rows: by_channel
                .iter()
                .map(|c| {
                    vec![
                        Cell::plain(clean(c.channel)),
                        Cell::plain(c.waiting.to_string()),
                        Cell::plain(human(c.longest)),
                    ]
                })
                .collect(),
        },
        Section {
            heading: "Waiting by priority".to_string(),
            columns: vec!["PRIORITY", "WAITING", "LONGEST"],
            rows: floor
                .waiting_by_priority(q)
                .into_iter()
                .map(|p| {
                    vec![
                        Cell::plain(p.priority.to_string()),
                        Cell::plain(p.waiting.to_string()),
                        Cell::plain(human(p.longest)),
                    ]
                })
                .collect(),
        },
    ];
    let all = floor.waiting_in(q);
    let row = |w: &WaitingView<'_>| {
        vec![
            Cell::plain(clean(w.id)),
            Cell::plain(clean(w.channel)),
            Cell::plain(w.priority.to_string()),
            Cell::plain(human(w.wait)),
            Cell::plain(since(w.since)),
        ]
    };
    let columns = vec!["CONTACT", "CHANNEL", "PRIO", "WAIT", "SINCE"];
    if split {
        for c in &by_channel {
            out.push(Section {
                heading: format!("Waiting on {} ({})", clean(c.channel), c.waiting),
                columns: columns.clone(),
                rows: all
                    .iter()
                    .filter(|w| w.channel == c.channel)
                    .take(most)
                    .map(row)
                    .collect(),
            });
        }
    } else {
        out.push(Section {
            heading: format!("Waiting ({waiting})"),
            columns,
            rows: all.iter().take(most).map(row).collect(),
        });
    }
    out
}
