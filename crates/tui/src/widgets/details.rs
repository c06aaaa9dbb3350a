//! The details view of one queue or agent, over the whole body.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Style;

use super::{spans, title_line};
use crate::fit;
use crate::model::{Cell, DetailsScene};
use crate::theme::Theme;

/// One line of the scrolling part.
enum Line<'a> {
    Heading(&'a str),
    Columns(&'a [&'static str]),
    Row(&'a [Cell]),
    Blank,
}

pub fn render(d: &DetailsScene, theme: Theme, area: Rect, buf: &mut Buffer) {
    if area.height == 0 {
        return;
    }
    title_line(buf, area, &d.title, true, theme);
    let mut y = area.y + 1;
    // Facts flow across lines: "label value   label value ...".
    let mut x = area.x;
    for (label, cell) in &d.facts {
        let text = format!("{} ", fit::clean(&cell.text));
        let need = (fit::width(label) + 1 + fit::width(&text) + 2) as u16;
        if x > area.x && x + need > area.right() {
            x = area.x;
            y += 1;
        }
        if y >= area.bottom() {
            return;
        }
        x = spans(
            buf,
            area,
            y,
            x,
            &[
                (label, theme.dim()),
                (" ", Style::new()),
                (&text, theme.level(cell.level)),
                ("  ", Style::new()),
            ],
        );
    }
    if !d.facts.is_empty() {
        y += 2;
    }
    let mut lines: Vec<(Line<'_>, Option<&[u16]>)> = Vec::new();
    let widths: Vec<Vec<u16>> = d
        .sections
        .iter()
        .map(|s| column_widths(&s.columns, &s.rows))
        .collect();
    for (s, w) in d.sections.iter().zip(&widths) {
        lines.push((Line::Heading(&s.heading), None));
        if !s.rows.is_empty() {
            lines.push((Line::Columns(&s.columns), Some(w)));
        }
        for r in &s.rows {
            lines.push((Line::Row(r), Some(w)));
        }
        lines.push((Line::Blank, None));
    }
    for (line, w) in lines.iter().skip(d.scroll) {
        if y >= area.bottom() {
            break;
        }
        match line {
            Line::Heading(h) => {
                buf.set_stringn(area.x, y, fit::clean(h), area.width as usize, theme.title());
            }
            Line::Columns(cols) => {
                let cells: Vec<Cell> = cols.iter().map(|c| Cell::plain(*c)).collect();
                row(
                    &cells,
                    w.unwrap_or(&[]),
                    theme.column_header(),
                    theme,
                    area,
                    y,
                    buf,
                );
            }
            Line::Row(cells) => row(cells, w.unwrap_or(&[]), Style::new(), theme, area, y, buf),
            Line::Blank => {}
        }
        y += 1;
    }
}

/// Each column as wide as its widest cell (at most 32 columns), the last
/// taking what is left.
fn column_widths(cols: &[&'static str], rows: &[Vec<Cell>]) -> Vec<u16> {
    cols.iter()
        .enumerate()
        .map(|(i, c)| {
            let widest = rows
                .iter()
                .filter_map(|r| r.get(i))
                .map(|cell| fit::width(&fit::clean(&cell.text)))
                .max()
                .unwrap_or(0);
            widest.max(c.len()).min(32) as u16
        })
        .collect()
}

fn row(
    cells: &[Cell],
    widths: &[u16],
    base: Style,
    theme: Theme,
    area: Rect,
    y: u16,
    buf: &mut Buffer,
) {
    let mut x = area.x;
    let n = cells.len();
    for (i, cell) in cells.iter().enumerate() {
        if x >= area.right() {
            break;
        }
        let room = (area.right() - x) as usize;
        let w = if i + 1 == n {
            room
        } else {
            (widths.get(i).copied().unwrap_or(10) as usize).min(room)
        };
        let text = fit::pad(&fit::clean(&cell.text), w, false, theme.ellipsis());
        buf.set_stringn(x, y, &text, w, base.patch(theme.level(cell.level)));
        x = x.saturating_add(w as u16 + 2);
    }
}
