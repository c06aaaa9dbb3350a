//! Drawing a [`Scene`]: pure functions from the scene to a buffer. Nothing
//! here reads the monitor, the clock or the terminal.

mod details;
mod event_log;
mod footer;
mod header;
mod help;
mod table;

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Style;

use super::columns::{AgentCol, QueueCol};
use super::fit;
use super::model::Scene;
use super::theme::Theme;

/// The column of a table under screen column `x`, as the table is drawn
/// (for a click on its headers).
pub fn column_at<C: Copy + PartialEq>(
    t: &crate::model::TableScene,
    all: &[C],
    spec: fn(C) -> crate::columns::ColumnSpec,
    area: Rect,
    x: u16,
) -> Option<C> {
    table::column_at(t, all, spec, area, x)
}

/// Draws the whole screen.
pub fn render(scene: &Scene, theme: Theme, buf: &mut Buffer) {
    let area = scene.plan.area.intersection(buf.area);
    if area.is_empty() {
        return;
    }
    // A theme with its own screen colours paints them under everything.
    let screen = theme.screen();
    if screen != Style::new() {
        buf.set_style(area, screen);
    }
    if scene.plan.too_small || area != scene.plan.area {
        too_small(scene, theme, area, buf);
        return;
    }
    header::render(&scene.header, theme, scene.plan.header, buf);
    match &scene.details {
        Some(d) => details::render(d, theme, scene.plan.body, buf),
        None => {
            table::render(
                "Queues",
                &scene.queues,
                &QueueCol::ALL,
                QueueCol::spec,
                Some(QueueCol::Trend.index()),
                theme,
                scene.plan.queues,
                buf,
            );
            table::render(
                "Agents",
                &scene.agents,
                &AgentCol::ALL,
                AgentCol::spec,
                None,
                theme,
                scene.plan.agents,
                buf,
            );
            event_log::render(scene, theme, scene.plan.log, buf);
        }
    }
    footer::render(scene, theme, scene.plan.footer, buf);
    if scene.help {
        help::render(theme, area, buf);
    }
}

/// Below the minimum size: the source label first (a replay must never pass
/// for the live floor, whatever the size), then what is wrong.
fn too_small(scene: &Scene, theme: Theme, area: Rect, buf: &mut Buffer) {
    let mut y = area.y;
    let mut line = |text: &str, style: Style, y: &mut u16| {
        if *y < area.bottom() {
            buf.set_stringn(area.x, *y, text, area.width as usize, style);
            *y += 1;
        }
    };
    if let Some(label) = scene.header.label {
        line(label, theme.source_label(), &mut y);
    }
    line("terminal too small", Style::new(), &mut y);
    line(
        &format!(
            "{}x{}, need {}x{}",
            area.width,
            area.height,
            super::layout::MIN_WIDTH,
            super::layout::MIN_HEIGHT
        ),
        Style::new(),
        &mut y,
    );
}

/// Writes spans left to right on one line, cutting at the area's edge.
/// Returns the next free column.
pub(crate) fn spans(buf: &mut Buffer, area: Rect, y: u16, x: u16, parts: &[(&str, Style)]) -> u16 {
    let mut x = x;
    for (text, style) in parts {
        if x >= area.right() {
            break;
        }
        let room = (area.right() - x) as usize;
        let (nx, _) = buf.set_stringn(x, y, text, room, *style);
        x = nx;
    }
    x
}

/// A pane's title line: `── Title ─────` across the width.
pub(crate) fn title_line(buf: &mut Buffer, area: Rect, title: &str, focused: bool, theme: Theme) {
    if area.height == 0 {
        return;
    }
    let rule = theme.rule();
    let style = if focused {
        theme.focused_title()
    } else {
        theme.title()
    };
    let t = fit::truncate(
        title,
        (area.width as usize).saturating_sub(4),
        theme.ellipsis(),
    );
    let x = spans(
        buf,
        area,
        area.y,
        area.x,
        &[
            (&rule.repeat(2), theme.dim()),
            (" ", Style::new()),
            (&t, style),
            (" ", Style::new()),
        ],
    );
    let rest = area.right().saturating_sub(x) as usize;
    buf.set_stringn(x, area.y, rule.repeat(rest), rest, theme.dim());
}
