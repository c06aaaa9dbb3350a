//! The help overlay: every key, and what the symbols mean.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::widgets::{Block, Borders, Clear, Widget};

use super::spans;
use crate::alerts::Level;
use crate::keys::{BINDINGS, Binding, When};
use crate::theme::Theme;

/// The bindings that apply where help can be opened (not while a filter is
/// being typed: there `?` is text).
fn shown() -> impl Iterator<Item = &'static Binding> {
    BINDINGS.iter().filter(|b| b.when != When::Filtering)
}

pub fn render(theme: Theme, area: Rect, buf: &mut Buffer) {
    // Each symbol, what it means, and the same in a word or two.
    let symbols = [
        (
            theme.level_symbol(Level::Warn).to_string(),
            "past a warning threshold",
            "warn",
        ),
        (
            theme.level_symbol(Level::Crit).to_string(),
            "past a critical threshold",
            "crit",
        ),
        (
            theme.hold_mark().to_string(),
            "contact on hold",
            // The ASCII mark is the word itself.
            if theme.hold_mark().contains("hold") {
                ""
            } else {
                "on hold"
            },
        ),
        ("AWY".into(), "agents away or busy", "away/busy"),
        (
            theme.good_mark().to_string(),
            "back to normal (event log)",
            "ok",
        ),
        (
            theme.uncertain_mark().to_string(),
            "figures that may miss events (a resync)",
            "unsure",
        ),
        (
            format!(
                "{}{}",
                theme.fold_mark(false),
                theme.fold_mark(true).trim_end()
            ),
            "group or site open / folded (f)",
            "fold",
        ),
    ];
    let legend: Vec<(String, String)> = symbols
        .iter()
        .map(|(s, long, _)| (s.clone(), long.to_string()))
        .collect();
    let lines = shown().count() + legend.len() + 1;
    let w = area.width.saturating_sub(2).min(72);
    let h = area.height.min(lines as u16 + 2);
    // Too short for the legend's own lines (80x24): it goes, in short, on
    // the bottom border, so that no symbol is left unexplained.
    // On a narrow one, as many whole entries as fit, rather than one cut
    // in half by the corner.
    let short_legend = (lines as u16 + 2 > h).then(|| {
        let room = w.saturating_sub(2) as usize;
        (1..=symbols.len())
            .rev()
            .map(|n| {
                let parts: Vec<String> = symbols[..n]
                    .iter()
                    .map(|(s, _, short)| format!("{s} {short}").trim_end().to_string())
                    .collect();
                format!(" {} ", parts.join("  "))
            })
            .find(|l| unicode_width::UnicodeWidthStr::width(l.as_str()) <= room)
            .unwrap_or_default()
    });
    let popup = Rect::new(
        area.x + (area.width - w) / 2,
        area.y + (area.height - h) / 2,
        w,
        h,
    );
    Clear.render(popup, buf);
    let mut block = Block::new()
        .borders(Borders::ALL)
        .border_set(theme.border())
        .title(" Keys (Esc closes) ")
        .title_style(theme.title())
        .style(theme.screen());
    if let Some(legend) = short_legend {
        block = block.title_bottom(legend);
    }
    block.render(popup, buf);
    let inner = Rect::new(
        popup.x + 1,
        popup.y + 1,
        popup.width.saturating_sub(2),
        popup.height.saturating_sub(2),
    );
    let key_w = shown().map(|b| b.keys.len()).max().unwrap_or(0) + 2;
    let rows = shown()
        .map(|b| (b.keys.to_string(), b.description.to_string()))
        .chain(std::iter::once((String::new(), String::new())))
        .chain(legend);
    for (i, (k, v)) in rows.enumerate() {
        let y = inner.y + i as u16;
        if y >= inner.bottom() {
            break;
        }
        let k = format!("{k:<key_w$}");
        spans(
            buf,
            inner,
            y,
            inner.x,
            &[(&k, theme.key()), (&v, Style::new())],
        );
    }
}
