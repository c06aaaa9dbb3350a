//! Clicks on the screen as drawn (crate::mouse): a row selects, a column
//! header sorts and a second click reverses; clicks elsewhere, other
//! buttons and motion do nothing.

use super::ui_render::{case, find, screen};
use crossterm::event::{Event, KeyModifiers, MouseButton, MouseEvent, MouseEventKind};
use queuetop_engine::monitor::SourceKind;
use queuetop_tui::action::{Action, Table};
use queuetop_tui::columns::{AgentCol, QueueCol};
use queuetop_tui::mouse;
use queuetop_tui::state::Pane;

fn at(kind: MouseEventKind, (column, row): (u16, u16)) -> Event {
    Event::Mouse(MouseEvent {
        kind,
        column,
        row,
        modifiers: KeyModifiers::NONE,
    })
}

fn click(xy: (u16, u16)) -> Event {
    at(MouseEventKind::Down(MouseButton::Left), xy)
}

#[test]
fn a_header_click_sorts_and_again_reverses() {
    let mut c = case("alerts", SourceKind::Url);
    let t = c.render(80, 24);
    let sl = find(t.backend().buffer(), "SL%").expect("SL% header");
    let scene = c.view.shown().expect("drawn");
    let a = mouse::action(&click(sl), scene, false);
    assert_eq!(
        a,
        Some(Action::SortBy(
            Table::Queues,
            QueueCol::ServiceLevel.index()
        ))
    );
    // Anywhere in the column's width, not only on its letters.
    assert_eq!(mouse::action(&click((sl.0 - 3, sl.1)), scene, false), a);
    c.view.state.apply(a.expect("sorts"));
    let s = screen(&c.render(80, 24));
    assert!(s.contains("sort SL%▲"), "{s}");
    let scene = c.view.shown().expect("drawn");
    let again = mouse::action(&click(sl), scene, false).expect("sorts");
    c.view.state.apply(again);
    let t = c.render(80, 24);
    let s = screen(&t);
    assert!(s.contains("sort SL%▼"), "{s}");
    // The agents' headers sort the agents.
    let for_ = find(t.backend().buffer(), "FOR").expect("FOR header");
    let scene = c.view.shown().expect("drawn");
    assert_eq!(
        mouse::action(&click(for_), scene, false),
        Some(Action::SortBy(Table::Agents, AgentCol::For.index()))
    );
}

#[test]
fn a_row_click_selects_it_and_focuses_its_table() {
    let mut c = case("alerts", SourceKind::Url);
    let t = c.render(80, 24);
    let buf = t.backend().buffer().clone();
    let scene = c.view.shown().expect("drawn").clone();
    let billing = find(&buf, "Billing").expect("Billing row");
    let a = mouse::action(&click(billing), &scene, false).expect("selects");
    c.view.state.apply(a);
    c.render(80, 24);
    assert_eq!(c.view.state.queues.id.as_deref(), Some("billing"));
    let kim = find(&buf, "Kim Park").expect("an agent row");
    let a = mouse::action(&click((kim.0 + 20, kim.1)), &scene, false).expect("selects");
    c.view.state.apply(a);
    c.render(80, 24);
    assert_eq!(c.view.state.focus, Pane::Agents);
    assert_eq!(
        c.view.state.agents.id.as_deref(),
        Some("a5"),
        "Kim Park's id"
    );
}

#[test]
fn clicks_that_mean_nothing_do_nothing() {
    let mut c = case("alerts", SourceKind::Url);
    let t = c.render(80, 24);
    let buf = t.backend().buffer().clone();
    let scene = c.view.shown().expect("drawn").clone();
    let total = find(&buf, "TOTAL").expect("totals");
    let title = find(&buf, "Queues 4").expect("title");
    let log = find(&buf, "Events").expect("log");
    let billing = find(&buf, "Billing").expect("row");
    for ev in [
        click(total),
        click(title),
        click(log),
        click((0, 0)),
        click((200, 200)),
        at(MouseEventKind::Down(MouseButton::Right), billing),
        at(MouseEventKind::Up(MouseButton::Left), billing),
        at(MouseEventKind::Moved, billing),
        at(MouseEventKind::Drag(MouseButton::Left), billing),
    ] {
        assert_eq!(mouse::action(&ev, &scene, false), None, "{ev:?}");
    }
    // Not while the filter is typed, nor under the help or the details.
    assert_eq!(mouse::action(&click(billing), &scene, true), None);
    c.view.state.apply(Action::Help);
    c.render(80, 24);
    let help = c.view.shown().expect("drawn");
    assert_eq!(mouse::action(&click(billing), help, false), None);
}
