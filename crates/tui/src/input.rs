//! Keys and mouse to actions. One table, so the help overlay and the docs
//! can list exactly what is bound.

use crossterm::event::{Event, KeyCode, KeyEvent, KeyEventKind, KeyModifiers, MouseEventKind};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Action {
    Quit,
    Help,
    NextPane,
    PrevPane,
    Up,
    Down,
    PageUp,
    PageDown,
    Home,
    End,
    Sort,
    Reverse,
    StartFilter,
    FilterChar(char),
    FilterBackspace,
    FilterDone,
    /// Esc: close help, leave details, clear the filter (one at a time).
    Back,
    Pause,
    Enter,
    Window,
    /// The terminal changed size: draw again at once.
    Redraw,
}

/// Every key, as the help overlay shows it.
pub const KEYS: &[(&str, &str)] = &[
    ("q, Ctrl-C", "quit"),
    ("?", "this help (Esc or ? closes)"),
    (
        "Tab, Shift-Tab",
        "next / previous pane (queues, agents, log)",
    ),
    (
        "Up/Down, k/j",
        "move the selection (scroll in the log and details)",
    ),
    ("PgUp/PgDn", "a page up / down"),
    ("Home/End", "first / last row (oldest / newest log entry)"),
    ("s", "sort by the next column of the focused table"),
    ("S", "reverse the sort"),
    ("/", "filter by name, queue or state; Enter keeps it"),
    ("Esc", "close help, leave details, clear the filter"),
    ("p", "pause the display (the feed is still applied)"),
    ("Enter", "details of the selected queue or agent"),
    ("w", "window: rolling / today"),
    ("mouse wheel", "scroll the focused pane"),
];

/// Maps a terminal event to an action. While the filter is being typed,
/// printable keys go into it.
pub fn map(ev: &Event, filter_editing: bool) -> Option<Action> {
    match ev {
        Event::Key(k) if k.kind != KeyEventKind::Release => map_key(k, filter_editing),
        Event::Mouse(m) => match m.kind {
            MouseEventKind::ScrollUp => Some(Action::Up),
            MouseEventKind::ScrollDown => Some(Action::Down),
            _ => None,
        },
        Event::Resize(..) | Event::FocusGained => Some(Action::Redraw),
        _ => None,
    }
}

fn map_key(k: &KeyEvent, filter_editing: bool) -> Option<Action> {
    let ctrl = k.modifiers.contains(KeyModifiers::CONTROL);
    if ctrl && matches!(k.code, KeyCode::Char('c') | KeyCode::Char('C')) {
        return Some(Action::Quit);
    }
    if filter_editing {
        return match k.code {
            KeyCode::Esc => Some(Action::Back),
            KeyCode::Enter => Some(Action::FilterDone),
            KeyCode::Backspace => Some(Action::FilterBackspace),
            KeyCode::Char(c) if !ctrl => Some(Action::FilterChar(c)),
            _ => None,
        };
    }
    Some(match k.code {
        KeyCode::Char('q') => Action::Quit,
        KeyCode::Char('?') => Action::Help,
        KeyCode::Tab => Action::NextPane,
        KeyCode::BackTab => Action::PrevPane,
        KeyCode::Up | KeyCode::Char('k') => Action::Up,
        KeyCode::Down | KeyCode::Char('j') => Action::Down,
        KeyCode::PageUp => Action::PageUp,
        KeyCode::PageDown => Action::PageDown,
        KeyCode::Home | KeyCode::Char('g') => Action::Home,
        KeyCode::End | KeyCode::Char('G') => Action::End,
        KeyCode::Char('s') => Action::Sort,
        KeyCode::Char('S') => Action::Reverse,
        KeyCode::Char('/') => Action::StartFilter,
        KeyCode::Esc => Action::Back,
        KeyCode::Char('p') => Action::Pause,
        KeyCode::Enter => Action::Enter,
        KeyCode::Char('w') => Action::Window,
        KeyCode::Char('l') if ctrl => Action::Redraw,
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(code: KeyCode, m: KeyModifiers) -> Event {
        Event::Key(KeyEvent::new(code, m))
    }

    #[test]
    fn keys_map_and_filter_captures_letters() {
        let none = KeyModifiers::NONE;
        assert_eq!(
            map(&key(KeyCode::Char('q'), none), false),
            Some(Action::Quit)
        );
        assert_eq!(
            map(&key(KeyCode::Char('q'), none), true),
            Some(Action::FilterChar('q'))
        );
        assert_eq!(
            map(&key(KeyCode::Char('c'), KeyModifiers::CONTROL), true),
            Some(Action::Quit)
        );
        assert_eq!(
            map(&key(KeyCode::Char('j'), none), false),
            Some(Action::Down)
        );
        assert_eq!(
            map(&key(KeyCode::Char('S'), KeyModifiers::SHIFT), false),
            Some(Action::Reverse)
        );
        assert_eq!(map(&key(KeyCode::Char('x'), none), false), None);
        assert_eq!(map(&Event::Resize(10, 10), false), Some(Action::Redraw));
    }
}
