//! The two header lines: what is shown (source, its label, the link), and
//! how fresh it is (clock, last event, rate, window, offset, counts).

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Style;

use super::spans;
use crate::alerts::Level;
use crate::fit;
use crate::model::HeaderScene;
use crate::theme::Theme;

pub fn render(h: &HeaderScene, theme: Theme, area: Rect, buf: &mut Buffer) {
    if area.height == 0 {
        return;
    }
    let w = area.width as usize;
    // Line 1: REWIND, label, PAUSED, link, target. REWIND, the label and
    // PAUSED come first so that no width can push them off; the target
    // gives way first.
    let rewind = h
        .rewind
        .as_deref()
        .map(|r| format!(" {r} "))
        .unwrap_or_default();
    let label = h.label.map(|l| format!(" {l} ")).unwrap_or_default();
    let paused = if h.paused { " PAUSED " } else { "" };
    let link_style = match h.link_level {
        Level::Ok => theme.good(),
        l => theme.level(l),
    };
    let link_sym = theme.level_symbol(h.link_level);
    let link = format!("{}{link_sym}", h.link);
    let used = fit::width(&rewind) + fit::width(&label) + fit::width(paused) + 3;
    let link = fit::truncate(&link, w.saturating_sub(used), theme.ellipsis());
    let used = used + fit::width(&link);
    let target = fit::truncate(&h.target, w.saturating_sub(used), theme.ellipsis());
    // With sites, each site's link stands where the target would.
    let sites = crate::sites::header_parts(&h.sites, w.saturating_sub(used), theme);
    let mut parts: Vec<(&str, Style)> = Vec::new();
    if !rewind.is_empty() {
        parts.push((&rewind, theme.rewind()));
        parts.push((" ", Style::new()));
    }
    if !label.is_empty() {
        parts.push((&label, theme.source_label()));
        parts.push((" ", Style::new()));
    }
    if !paused.is_empty() {
        parts.push((paused, theme.paused()));
        parts.push((" ", Style::new()));
    }
    parts.push((&link, link_style));
    parts.push((" ", Style::new()));
    if h.sites.is_empty() {
        parts.push((&target, theme.title()));
    } else {
        parts.extend(sites.iter().map(|(t, st)| (t.as_str(), *st)));
    }
    spans(buf, area, area.y, area.x, &parts);
    if area.height < 2 {
        return;
    }

    // Line 2: as many facts as fit, most important first, shown in order.
    let mut facts: Vec<(u8, String, Style)> = vec![
        (0, format!("feed time {}", h.clock), Style::new()),
        (
            1,
            format!(
                "last event {}",
                h.last_event.as_deref().unwrap_or("none yet")
            ),
            Style::new(),
        ),
        (3, format!("{}/s", h.rate), Style::new()),
        (2, format!("window {}", h.window), Style::new()),
    ];
    // Queues in alert, counted whatever the filter and the scroll show:
    // as important as the clock.
    let a = h.alerting;
    if a.crit > 0 {
        facts.push((0, format!("{} crit", a.crit), theme.level(Level::Crit)));
    }
    if a.warn > 0 {
        facts.push((0, format!("{} warn", a.warn), theme.level(Level::Warn)));
    }
    if let Some(o) = &h.offset {
        facts.push((1, format!("clock offset {o}"), theme.level(Level::Warn)));
    }
    if h.rejected > 0 {
        facts.push((
            1,
            format!("rejected {}", h.rejected),
            theme.level(Level::Warn),
        ));
    }
    if h.gaps > 0 {
        facts.push((1, format!("gaps {}", h.gaps), theme.level(Level::Warn)));
    }
    if let Some(since) = &h.uncertain_since {
        // The window's figures may miss events: said next to the window,
        // as important as the window itself.
        facts.push((
            2,
            format!("{}uncertain since {since}", theme.uncertain_mark()),
            theme.level(Level::Warn),
        ));
    }
    let mut keep: Vec<bool> = vec![true; facts.len()];
    let need = |keep: &[bool]| -> usize {
        facts
            .iter()
            .zip(keep)
            .filter(|(_, k)| **k)
            .map(|(f, _)| fit::width(&f.1) + 2)
            .sum()
    };
    for level in (1..=3).rev() {
        if need(&keep) <= w {
            break;
        }
        for (i, f) in facts.iter().enumerate() {
            if f.0 == level {
                keep[i] = false;
            }
        }
    }
    let mut parts: Vec<(&str, Style)> = Vec::new();
    for (f, k) in facts.iter().zip(&keep) {
        if *k {
            if !parts.is_empty() {
                parts.push(("  ", Style::new()));
            }
            parts.push((&f.1, f.2));
        }
    }
    spans(buf, area, area.y + 1, area.x, &parts);
}
