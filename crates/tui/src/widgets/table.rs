//! The queues and agents tables: a title line, column headers, rows, and an
//! optional totals row. Columns that do not fit are dropped by priority.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Style;

use super::title_line;
use crate::columns::{ColumnSpec, fit as fit_columns};
use crate::fit;
use crate::model::{Row, TableScene};
use crate::theme::Theme;

#[allow(clippy::too_many_arguments)]
pub fn render<C: Copy + PartialEq>(
    name: &str,
    t: &TableScene,
    all: &[C],
    spec: fn(C) -> ColumnSpec,
    spark_col: Option<usize>,
    theme: Theme,
    area: Rect,
    buf: &mut Buffer,
) {
    if area.height == 0 {
        return;
    }
    let count = if t.shown == t.total {
        format!("{name} {}", t.total)
    } else {
        format!("{name} {} of {}", t.shown, t.total)
    };
    let sort_label = all
        .get(t.sort_col)
        .map(|c| spec(*c).label)
        .unwrap_or_default();
    let position = if t.shown > t.rows.len() && !t.rows.is_empty() {
        format!("  rows {}-{}", t.offset + 1, t.offset + t.rows.len())
    } else {
        String::new()
    };
    let aside = t
        .aside
        .as_deref()
        .map_or_else(String::new, |a| format!("   {a}"));
    let title = format!(
        "{count}  sort {sort_label}{}{position}{aside}",
        theme.sort_arrow(t.reversed)
    );
    title_line(buf, area, &title, t.focused, theme);
    if area.height < 2 {
        return;
    }
    let cols = fit_columns(all, spec, area.width);
    let index_of = |c: C| all.iter().position(|x| *x == c).unwrap_or(0);
    // Column headers.
    let mut x = area.x;
    let y = area.y + 1;
    for (c, w) in &cols {
        let s = spec(*c);
        let mut label = s.label.to_string();
        if index_of(*c) == t.sort_col {
            label.push_str(theme.sort_arrow(t.reversed));
        }
        put(
            buf,
            x,
            y,
            &label,
            *w as usize,
            s.right,
            theme.column_header(),
            theme,
        );
        x = x.saturating_add(w + 1);
    }
    for (y, row) in (area.y + 2..).zip(t.rows.iter().chain(t.totals.iter())) {
        if y >= area.bottom() {
            break;
        }
        let is_totals = t.totals.as_ref().is_some_and(|r| std::ptr::eq(r, row));
        draw_row(
            row, &cols, spec, &index_of, spark_col, is_totals, theme, area, y, buf,
        );
    }
}

#[allow(clippy::too_many_arguments)]
fn draw_row<C: Copy>(
    row: &Row,
    cols: &[(C, u16)],
    spec: fn(C) -> ColumnSpec,
    index_of: &dyn Fn(C) -> usize,
    spark_col: Option<usize>,
    totals: bool,
    theme: Theme,
    area: Rect,
    y: u16,
    buf: &mut Buffer,
) {
    let base = if row.selected {
        theme.selected()
    } else if totals {
        theme.totals()
    } else if row.dim {
        theme.dim()
    } else {
        Style::new()
    };
    if row.selected {
        buf.set_style(Rect::new(area.x, y, area.width, 1), base);
    }
    let mut x = area.x;
    for (c, w) in cols {
        let i = index_of(*c);
        let s = spec(*c);
        let w = *w as usize;
        let level = row.cells.get(i).map(|c| c.level).unwrap_or_default();
        let tint = match row.cells.get(i).and_then(|c| c.state) {
            Some(st) => theme.agent_state(st),
            None => Style::new(),
        };
        // An alert's style wins over the state's colour.
        let style = base.patch(tint).patch(theme.level(level));
        if Some(i) == spark_col {
            if !totals {
                buf.set_stringn(x, y, sparkline(&row.spark, w, theme), w, style);
            }
        } else {
            let cell = row.cells.get(i).map(|c| c.text.as_str()).unwrap_or("");
            // Defence in depth: the builder cleaned it already.
            put(buf, x, y, &fit::clean(cell), w, s.right, style, theme);
        }
        x = x.saturating_add(w as u16 + 1);
        if x >= area.right() {
            break;
        }
    }
}

/// Writes `text` cut to `w` columns, aligned in its cell. The padding is
/// not written: the frame starts blank, and every character written costs
/// time (graphemes are measured one by one).
#[allow(clippy::too_many_arguments)]
fn put(
    buf: &mut Buffer,
    x: u16,
    y: u16,
    text: &str,
    w: usize,
    right: bool,
    style: Style,
    theme: Theme,
) {
    let t = fit::truncate(text, w, theme.ellipsis());
    let shift = if right {
        w.saturating_sub(fit::width(&t))
    } else {
        0
    };
    buf.set_stringn(x + shift as u16, y, &t, w, style);
}

/// The last samples as bars, `width` characters, each the maximum of its
/// stretch of seconds, scaled to the largest value shown.
pub fn sparkline(samples: &[u32], width: usize, theme: Theme) -> String {
    if width == 0 || samples.is_empty() {
        return " ".repeat(width);
    }
    let per = crate::watch::SPARK_SECONDS.div_ceil(width).max(1);
    let buckets: Vec<u32> = samples
        .rchunks(per)
        .take(width)
        .map(|c| c.iter().copied().max().unwrap_or(0))
        .collect();
    let top = buckets.iter().copied().max().unwrap_or(0).max(1);
    let bars = theme.bars();
    let drawn: String = buckets
        .iter()
        .rev()
        .map(|v| bars[(*v as usize * 7).div_ceil(top as usize).min(7)])
        .collect();
    let pad = width.saturating_sub(buckets.len());
    " ".repeat(pad) + &drawn
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sparkline_scales_and_pads() {
        let t = Theme::new(false, false);
        assert_eq!(sparkline(&[], 4, t), "    ");
        // 300 s over 10 chars: 30 s per char; 60 samples fill 2 chars.
        let mut s = vec![0u32; 30];
        s.extend(vec![4u32; 30]);
        assert_eq!(sparkline(&s, 10, t), "        ▁█");
        let a = Theme::new(false, true);
        assert_eq!(sparkline(&s, 10, a), "        _#");
    }
}
