//! The event log pane: crossings and returns, logins, link changes.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Style;

use super::{spans, title_line};
use crate::alerts::Level;
use crate::fit;
use crate::log::Severity;
use crate::model::Scene;
use crate::theme::Theme;

fn mark(s: Severity, theme: Theme) -> (&'static str, Style) {
    match s {
        Severity::Info => (" ", Style::new()),
        Severity::Good => (theme.good_mark(), theme.good()),
        Severity::Warn => ("!", theme.level(Level::Warn)),
        Severity::Crit => (theme.level_symbol(Level::Crit), theme.level(Level::Crit)),
    }
}

pub fn render(scene: &Scene, theme: Theme, area: Rect, buf: &mut Buffer) {
    if area.height == 0 {
        return;
    }
    let title = if scene.log_back > 0 {
        format!("Events {}  ({} newer below)", scene.log_len, scene.log_back)
    } else {
        format!("Events {}", scene.log_len)
    };
    title_line(buf, area, &title, scene.log_focused, theme);
    for (i, line) in scene.log.iter().enumerate() {
        let y = area.y + 1 + i as u16;
        if y >= area.bottom() {
            break;
        }
        let (sym, style) = mark(line.severity, theme);
        let sym = format!("{sym:<2} ");
        let text = fit::clean(&line.text);
        let text_style = match line.severity {
            Severity::Crit | Severity::Warn => style,
            _ => Style::new(),
        };
        spans(
            buf,
            area,
            y,
            area.x,
            &[
                (&line.time, theme.dim()),
                (" ", Style::new()),
                (&sym, style),
                (&text, text_style),
            ],
        );
    }
}
