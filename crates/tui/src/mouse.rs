//! Clicks to actions, from the screen as last drawn (a pure function of
//! the scene): the left button on a table's row selects it, on its column
//! headers sorts by that column (again: reverses). The wheel is in the key
//! table like any key ([`crate::input`]). Only button presses are asked of
//! the terminal (crate::terminal): never motion, which would cost bytes on
//! every move of the mouse over a slow link.

use crossterm::event::{Event, MouseButton, MouseEventKind};
use ratatui::layout::{Position, Rect};

use crate::action::{Action, Table};
use crate::columns::{AgentCol, ColumnSpec, QueueCol};
use crate::input::bound;
use crate::keys::Key;
use crate::model::{Scene, TableScene};
use crate::widgets::column_at;

/// The action a click at the event's cell asks for, on `scene` (what the
/// screen shows); `None` for anything else, or where a click means nothing
/// (the header, the log, the totals row, an overlay).
pub fn action(ev: &Event, scene: &Scene, filter_editing: bool) -> Option<Action> {
    let Event::Mouse(m) = ev else { return None };
    if m.kind != MouseEventKind::Down(MouseButton::Left)
        || scene.plan.too_small
        || scene.help
        || scene.details.is_some()
    {
        return None;
    }
    let at = Position::new(m.column, m.row);
    let queues = (Table::Queues, scene.plan.queues, &scene.queues);
    let agents = (Table::Agents, scene.plan.agents, &scene.agents);
    let (table, area, t) = [queues, agents]
        .into_iter()
        .find(|(_, area, _)| area.contains(at))?;
    match at.y - area.y {
        // The title line.
        0 => None,
        1 if bound(filter_editing, Key::ClickHeader) => {
            let col = match table {
                Table::Queues => column(t, &QueueCol::ALL, QueueCol::spec, area, at.x)?,
                Table::Agents => column(t, &AgentCol::ALL, AgentCol::spec, area, at.x)?,
            };
            Some(Action::SortBy(table, col))
        }
        1 => None,
        y if bound(filter_editing, Key::Click) => {
            // A channel's row (crate::channels) selects its queue: the
            // table's own rows are counted, not the lines.
            let line = usize::from(y - 2);
            let own = t.rows.get(..=line)?.iter().filter(|r| !r.sub).count();
            own.checked_sub(1)
                .map(|row| Action::Select(table, t.offset + row))
        }
        _ => None,
    }
}

/// The index (among all the table's columns) of the column under `x`.
fn column<C: Copy + PartialEq>(
    t: &TableScene,
    all: &[C],
    spec: fn(C) -> ColumnSpec,
    area: Rect,
    x: u16,
) -> Option<usize> {
    let c = column_at(t, all, spec, area, x)?;
    all.iter().position(|a| *a == c)
}
