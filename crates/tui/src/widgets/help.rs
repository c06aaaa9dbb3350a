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
    let legend: Vec<(String, String)> = vec![
        (
            theme.level_symbol(Level::Warn).to_string(),
            "past a warning threshold".into(),
        ),
        (
            theme.level_symbol(Level::Crit).to_string(),
            "past a critical threshold".into(),
        ),
        (theme.hold_mark().to_string(), "contact on hold".into()),
        ("AWY".into(), "agents away or busy".into()),
    ];
    let lines = shown().count() + legend.len() + 1;
    let w = area.width.saturating_sub(2).min(72);
    let h = area.height.min(lines as u16 + 2);
    let popup = Rect::new(
        area.x + (area.width - w) / 2,
        area.y + (area.height - h) / 2,
        w,
        h,
    );
    Clear.render(popup, buf);
    Block::new()
        .borders(Borders::ALL)
        .border_set(theme.border())
        .title(" Keys (Esc closes) ")
        .title_style(theme.title())
        .style(theme.screen())
        .render(popup, buf);
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
