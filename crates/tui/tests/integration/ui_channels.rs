//! `c`: a queue split by channel in the table, and in its details; and the
//! contacts' priorities in the details (docs/ui.md, "A queue by channel").

use crossterm::event::{Event, KeyModifiers, MouseButton, MouseEvent, MouseEventKind};
use queuetop_engine::monitor::SourceKind;
use queuetop_tui::action::{Action, Table};
use queuetop_tui::mouse;

use crate::ui_render::{case, find, screen};

fn click((column, row): (u16, u16)) -> Event {
    Event::Mouse(MouseEvent {
        kind: MouseEventKind::Down(MouseButton::Left),
        column,
        row,
        modifiers: KeyModifiers::NONE,
    })
}

macro_rules! snap {
    ($name:expr, $value:expr) => {
        insta::with_settings!({snapshot_path => "../../../../tests/resources/ui", prepend_module_to_snapshot => false}, {
            insta::assert_snapshot!($name, $value);
        });
    };
}

/// The lines of `s` from the one starting with `from`, `n` of them.
fn lines_from(s: &str, from: &str, n: usize) -> Vec<String> {
    s.lines()
        .map(|l| l.trim_matches('"').trim_end().to_string())
        .skip_while(|l| !l.starts_with(from))
        .take(n)
        .collect()
}

#[test]
fn c_splits_the_selected_queue_by_channel_and_joins_it_again() {
    let mut c = case("channels", SourceKind::Url);
    let before = screen(&c.render(80, 24));
    // Alerting queues first: Customer care (critical, selected), Billing
    // (warning), then Sales.
    assert!(c.view.state.apply(Action::Channels));
    let s = screen(&c.render(80, 24));
    let rows = lines_from(&s, "Customer care", 5);
    assert!(rows[1].starts_with("  └ voice     "), "{s}");
    assert!(rows[2].starts_with("  └ chat      "), "{s}");
    assert!(rows[3].starts_with("  └ email     "), "{s}");
    assert!(rows[4].starts_with("Billing"), "{s}");
    // Two of the three queues fit: the title says which.
    assert!(s.contains("rows 1-2"), "{s}");
    // voice: c1 since 09:10 and c4 since 09:15:10, so 2 waiting, 10m00s.
    assert!(rows[1].contains(" 2 ") && rows[1].contains("10m00s"), "{s}");
    snap!("channels_80x24", s.clone());
    // The selection moves from queue to queue, over the channel rows.
    c.view.state.apply(Action::Down);
    let t = c.render(80, 24);
    assert_eq!(c.view.state.queues.id.as_deref(), Some("billing"));
    // A click on a channel's row selects its queue; on the next queue's
    // row, that queue.
    let buf = t.backend().buffer();
    let email = find(buf, "└ email").expect("email row");
    let billing = find(buf, "Billing").expect("billing row");
    let scene = c.view.shown().expect("drawn");
    assert_eq!(
        mouse::action(&click(email), scene, false),
        Some(Action::Select(Table::Queues, 0))
    );
    assert_eq!(
        mouse::action(&click(billing), scene, false),
        Some(Action::Select(Table::Queues, 1))
    );
    c.view.state.apply(Action::Select(Table::Queues, 0));
    c.render(80, 24);
    assert_eq!(c.view.state.queues.id.as_deref(), Some("care"));
    c.view.state.apply(Action::Channels);
    let after = screen(&c.render(80, 24));
    assert_eq!(after, before, "c again joins the queue back");
}

#[test]
fn several_queues_split_at_200x60_with_escapes_cleaned() {
    let mut c = case("channels", SourceKind::Url);
    c.render(200, 60);
    let mut s = String::new();
    for _ in 0..3 {
        c.view.state.apply(Action::Channels);
        c.view.state.apply(Action::Down);
        s = screen(&c.render(200, 60));
    }
    assert!(!s.contains('\u{1b}'), "{s}");
    let billing = lines_from(&s, "Billing", 3);
    // Longest wait first; the channel's escape is not drawn.
    assert!(billing[1].starts_with("  └ sms[31m"), "{s}");
    assert!(billing[2].starts_with("  └ voice"), "{s}");
    assert!(
        lines_from(&s, "Sales", 2)[1].starts_with("  └ social"),
        "{s}"
    );
    snap!("channels_200x60", s);
}

#[test]
fn details_show_priorities_and_c_lists_the_waiting_by_channel() {
    let mut c = case("channels", SourceKind::Url);
    c.render(200, 60);
    c.view.state.apply(Action::Enter);
    let s = screen(&c.render(200, 60));
    // c4 (priority 9) since 09:15:10 is the high-priority wait longest
    // after c2 (priority 5) since 09:12:30; c5's "urgent" is no priority.
    assert!(
        s.contains("longest high priority c2 7m30s (priority 5)"),
        "{s}"
    );
    assert!(s.contains("Waiting by priority"), "{s}");
    assert!(!s.contains("Waiting on chat"), "{s}");
    c.view.state.apply(Action::Channels);
    let split = screen(&c.render(200, 60));
    assert!(split.contains("Waiting on chat (2)"), "{split}");
    assert!(split.contains("Waiting on email (1)"), "{split}");
    snap!("channels_details_200x60", split);
    // The table behind follows: Customer care is split there too.
    c.view.state.apply(Action::Back);
    let table = screen(&c.render(200, 60));
    assert!(
        lines_from(&table, "Customer care", 2)[1].starts_with("  └ voice"),
        "{table}"
    );
}
