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
    // A queue's channel rows (crate::channels) are not rows of the list.
    let own = t.rows.iter().filter(|r| !r.sub).count();
    let position = if t.shown.max(t.lines) > own && own > 0 {
        format!("  rows {}-{}", t.offset + 1, t.offset + own)
    } else {
        String::new()
    };
    let pinned = if t.pinned { ", alerts first" } else { "" };
    let aside = t
        .aside
        .as_deref()
        .map_or_else(String::new, |a| format!("   {a}"));
    let title = format!(
        "{count}  sort {sort_label}{}{pinned}{position}{aside}",
        theme.sort_arrow(t.reversed)
    );
    title_line(buf, area, &title, t.focused, theme);
    if area.height < 2 {
        return;
    }
    let cols = layout(t, all, spec, area.width);
    let index_of = |c: C| index_of_all(all, c);
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

/// The columns drawn, in order, with their widths, for a table `width`
/// wide: the view's columns (all when it names none), figures as wide as
/// their widest value, dropped by priority when they do not fit.
fn layout<C: Copy + PartialEq>(
    t: &TableScene,
    all: &[C],
    spec: fn(C) -> ColumnSpec,
    width: u16,
) -> Vec<(C, u16)> {
    // Figures never truncate: a right-aligned column is as wide as the
    // widest cell it shows (its header's width at least); the name, which
    // takes what is left, is what gets cut.
    let shown: Vec<&Row> = t.rows.iter().chain(t.totals.iter()).collect();
    let sized = |c: C| {
        let s = spec(c);
        if !s.right {
            return s;
        }
        let i = index_of_all(all, c);
        let widest = shown
            .iter()
            .filter_map(|r| r.cells.get(i))
            .map(|cell| fit::width(&cell.text))
            .max()
            .unwrap_or(0);
        ColumnSpec {
            width: s.width.max(u16::try_from(widest).unwrap_or(u16::MAX)),
            ..s
        }
    };
    // A view's columns, in its order; all of them when it names none.
    let order: Vec<C> = t
        .columns
        .iter()
        .filter_map(|i| all.get(*i))
        .copied()
        .collect();
    let order = if order.is_empty() { all } else { &order };
    // Each column measured once: fitting asks for the specs many times.
    let specs: Vec<(C, ColumnSpec)> = order.iter().map(|c| (*c, sized(*c))).collect();
    let lookup = |c: C| {
        specs
            .iter()
            .find(|(x, _)| *x == c)
            .map_or_else(|| spec(c), |(_, s)| *s)
    };
    fit_columns(order, lookup, width)
}

/// The column whose header or cells cover screen column `x` of a table
/// drawn in `area` (one space between columns belongs to none).
pub fn column_at<C: Copy + PartialEq>(
    t: &TableScene,
    all: &[C],
    spec: fn(C) -> ColumnSpec,
    area: Rect,
    x: u16,
) -> Option<C> {
    let mut left = area.x;
    for (c, w) in layout(t, all, spec, area.width) {
        if (left..left.saturating_add(w)).contains(&x) {
            return Some(c);
        }
        left = left.saturating_add(w + 1);
    }
    None
}

fn index_of_all<C: PartialEq>(all: &[C], c: C) -> usize {
    all.iter().position(|x| *x == c).unwrap_or(0)
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
