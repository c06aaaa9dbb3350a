//! The footer: the filter being typed, or key hints.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Style;

use super::spans;
use crate::alerts::Level;
use crate::model::Scene;
use crate::theme::Theme;

pub fn render(scene: &Scene, theme: Theme, area: Rect, buf: &mut Buffer) {
    if area.height == 0 {
        return;
    }
    let mut parts: Vec<(String, Style)> = Vec::new();
    if let Some(note) = &scene.mark_note {
        parts.push(("mark note: ".into(), theme.key()));
        parts.push((format!("{note}_"), Style::new()));
        parts.push(("   Enter mark  Esc no mark".into(), theme.dim()));
    } else if let (true, Some(typed)) = (scene.filter_editing, &scene.time_prompt) {
        parts.push(("rewind to (HH:MM): ".into(), theme.key()));
        parts.push((format!("{typed}_"), Style::new()));
        parts.push(("   Enter go  Esc cancel".into(), theme.dim()));
    } else if scene.filter_editing {
        let (label, text, error) = if scene.searching {
            ("search: ", &scene.search, &scene.search_error)
        } else {
            ("filter: ", &scene.filter, &scene.filter_error)
        };
        parts.push((label.into(), theme.key()));
        parts.push((format!("{text}_"), Style::new()));
        match error {
            // Typing goes on; the error says why nothing is hidden yet.
            Some(e) => parts.push((format!("   {e}"), theme.level(Level::Warn))),
            None => parts.push(("   Enter keep  Esc clear".into(), theme.dim())),
        }
    } else {
        if let Some(e) = &scene.time_error {
            parts.push((format!("{e}  "), theme.level(Level::Warn)));
        }
        if !scene.filter.is_empty() {
            parts.push(("filter: ".into(), theme.key()));
            parts.push((scene.filter.clone(), theme.paused()));
            if let Some(e) = &scene.filter_error {
                parts.push((format!(" ({e})"), theme.level(Level::Warn)));
            }
            parts.push((" (Esc clears)  ".into(), theme.dim()));
        }
        let hints: &[(&str, &str)] = if scene.details.is_some() {
            &[
                ("Esc", "back"),
                ("Up/Down", "scroll"),
                ("?", "help"),
                ("q", "quit"),
            ]
        } else {
            &[
                // Most needed first: a narrow screen keeps the first ones.
                ("q", "quit"),
                ("?", "help"),
                ("Tab", "pane"),
                ("s/S", "sort"),
                ("/", "filter"),
                ("p", "pause"),
                ("Enter", "details"),
                ("Up/Down", "move"),
                ("w", "window"),
            ]
        };
        // Whole hints only: one cut in half ("Enter detai") helps nobody,
        // and `?` lists every key anyway.
        let mut used: usize = parts.iter().map(|(t, _)| t.chars().count()).sum();
        for (k, what) in hints {
            let width = k.chars().count() + 1 + what.chars().count();
            if used + width > area.width as usize {
                break;
            }
            used += width + 2;
            parts.push(((*k).into(), theme.key()));
            parts.push((format!(" {what}  "), Style::new()));
        }
    }
    let refs: Vec<(&str, Style)> = parts.iter().map(|(t, s)| (t.as_str(), *s)).collect();
    spans(buf, area, area.y, area.x, &refs);
}
