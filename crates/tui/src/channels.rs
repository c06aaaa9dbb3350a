//! A queue split by channel (`c`): under the queue's row, one row per
//! channel its contacts wait on (voice, chat, ...) with what the floor
//! knows per channel: how many wait, and the longest wait. The other
//! columns stay blank: the window figures are not kept per channel.
//! These rows follow their queue; the selection never rests on them.

use std::collections::BTreeSet;

use super::columns::QueueCol;
use super::fit::clean;
use super::model::{Cell, Row};
use super::state::ListPos;
use super::theme::Theme;
use queuetop_engine::floor::{Floor, QueueView};
use queuetop_engine::time::human;

/// Whether `v` is a queue shown split by channel.
fn open(v: &QueueView<'_>, split: &BTreeSet<String>) -> bool {
    v.idx.is_some() && split.contains(v.id)
}

/// How many channel rows follow `v`.
pub fn extra(floor: &Floor, v: &QueueView<'_>, split: &BTreeSet<String>) -> usize {
    match v.idx {
        Some(q) if open(v, split) => floor.waiting_by_channel(q).len(),
        _ => 0,
    }
}

/// The channel rows of `v` (none unless it is split), indented one step
/// deeper than the queue's own name at `depth`.
pub fn rows(
    floor: &Floor,
    v: &QueueView<'_>,
    split: &BTreeSet<String>,
    depth: usize,
    theme: Theme,
) -> Vec<Row> {
    let Some(q) = v.idx.filter(|_| open(v, split)) else {
        return Vec::new();
    };
    let branch = if theme.ascii { "- " } else { "└ " };
    floor
        .waiting_by_channel(q)
        .into_iter()
        .map(|c| {
            let cells = QueueCol::ALL
                .iter()
                .map(|col| match col {
                    QueueCol::Name => Cell::plain(format!(
                        "{}{branch}{}",
                        "  ".repeat(depth + 1),
                        clean(c.channel)
                    )),
                    QueueCol::Waiting => Cell::plain(c.waiting.to_string()),
                    QueueCol::Longest => Cell::plain(human(c.longest)),
                    _ => Cell::default(),
                })
                .collect();
            Row {
                cells,
                sub: true,
                ..Row::default()
            }
        })
        .collect()
}

/// Scrolls further down, if need be, so that the selected queue and its
/// channel rows fit in `visible` lines with the channel rows of the queues
/// above it.
pub fn keep_in_view(
    pos: &mut ListPos,
    queues: &[QueueView<'_>],
    floor: &Floor,
    split: &BTreeSet<String>,
    visible: usize,
) {
    if split.is_empty() || visible == 0 {
        return;
    }
    let lines = |v: &QueueView<'_>| 1 + extra(floor, v, split);
    let Some(sel) = queues.get(pos.index) else {
        return;
    };
    // The selected queue itself, and as many of its channels as fit.
    let mut used = lines(sel).min(visible);
    let mut first = pos.index;
    while first > pos.offset {
        let above = lines(&queues[first - 1]);
        if used + above > visible {
            break;
        }
        used += above;
        first -= 1;
    }
    pos.offset = first;
}

#[cfg(test)]
mod tests {
    use super::*;
    use queuetop_engine::floor::Settings;
    use queuetop_engine::protocol::{Decoded, decode_frame};
    use queuetop_engine::time::Ts;

    fn floor() -> Floor {
        let mut f = Floor::new(Settings::default());
        for l in [
            r#"{"type":"contact.queued","ts":1000,"contact_id":"v1","queue":"a"}"#,
            r#"{"type":"contact.queued","ts":2000,"contact_id":"c1","queue":"a","channel":"chat"}"#,
            r#"{"type":"contact.queued","ts":3000,"contact_id":"e1","queue":"a","channel":"em\u001b[2Jail"}"#,
            r#"{"type":"contact.queued","ts":1000,"contact_id":"v2","queue":"b"}"#,
        ] {
            decode_frame(l, |d| {
                assert!(matches!(d, Decoded::Event(_)));
                f.ingest(&d);
            });
        }
        f.advance(Ts(10_000));
        f.settle();
        f
    }

    #[test]
    fn a_split_queue_has_a_row_per_channel_and_others_none() {
        let f = floor();
        let (per_queue, _) = f.agent_counts();
        let view = |id: &str| {
            let q = f.queue_index(id).expect("queue");
            f.queue_view(q, Default::default(), per_queue)
        };
        let split: BTreeSet<String> = ["a".to_string()].into();
        let rows = rows(&f, &view("a"), &split, 0, Theme::default());
        let got: Vec<(String, String, String)> = rows
            .iter()
            .map(|r| {
                let c = |col: QueueCol| r.cells[col.index()].text.clone();
                (
                    c(QueueCol::Name),
                    c(QueueCol::Waiting),
                    c(QueueCol::Longest),
                )
            })
            .collect();
        assert_eq!(
            got,
            [
                ("  └ voice".into(), "1".into(), human(9_000)),
                ("  └ chat".into(), "1".into(), human(8_000)),
                // The channel is the feed's text: shown without its escape.
                ("  └ em[2Jail".into(), "1".into(), human(7_000)),
            ]
        );
        assert!(rows.iter().all(|r| r.sub && !r.selected));
        assert!(super::rows(&f, &view("b"), &split, 0, Theme::default()).is_empty());
        assert_eq!(extra(&f, &view("a"), &split), 3);
        assert_eq!(extra(&f, &view("b"), &split), 0);
    }

    #[test]
    fn the_selection_and_its_channels_stay_in_view() {
        let f = floor();
        let (per_queue, _) = f.agent_counts();
        let views: Vec<QueueView<'_>> = ["a", "b"]
            .iter()
            .map(|id| f.queue_view(f.queue_index(id).expect("q"), Default::default(), per_queue))
            .collect();
        let split: BTreeSet<String> = ["a".to_string()].into();
        // Four lines: a and its three channels. Selecting b needs a scroll.
        let mut pos = ListPos {
            index: 1,
            offset: 0,
            ..ListPos::default()
        };
        keep_in_view(&mut pos, &views, &f, &split, 4);
        assert_eq!(pos.offset, 1);
        // Five lines hold everything.
        pos.offset = 0;
        keep_in_view(&mut pos, &views, &f, &split, 5);
        assert_eq!(pos.offset, 0);
    }
}
