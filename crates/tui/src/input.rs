//! Keys and mouse to actions, looked up in the one table of bindings
//! ([`crate::keys`]) that the help overlay and the docs list too.

use crossterm::event::{Event, KeyCode, KeyEvent, KeyEventKind, KeyModifiers, MouseEventKind};

use crate::action::Action;
use crate::keys::{BINDINGS, Does, Key};

/// Maps a terminal event to an action, by the first row of
/// [`BINDINGS`] that applies and binds it. While the filter is being typed,
/// printable keys go into it.
pub fn map(ev: &Event, filter_editing: bool) -> Option<Action> {
    match ev {
        Event::Key(k) if k.kind != KeyEventKind::Release => {
            match lookup(filter_editing, |key| matches_key(key, k))? {
                Does::Act(a) => Some(a),
                Does::Type => match k.code {
                    KeyCode::Char(c) => Some(Action::FilterChar(c)),
                    _ => None,
                },
                Does::Point => None,
            }
        }
        Event::Mouse(m) => match lookup(filter_editing, |key| {
            matches!(
                (key, m.kind),
                (Key::WheelUp, MouseEventKind::ScrollUp)
                    | (Key::WheelDown, MouseEventKind::ScrollDown)
            )
        })? {
            Does::Act(a) => Some(a),
            // Clicks need the screen: crate::mouse.
            Does::Type | Does::Point => None,
        },
        // Not a key: the terminal changed, so draw again at once.
        Event::Resize(..) | Event::FocusGained => Some(Action::Redraw),
        _ => None,
    }
}

/// Whether `key` does something while the filter is (or is not) typed.
pub fn bound(filter_editing: bool, key: Key) -> bool {
    lookup(filter_editing, |k| k == key).is_some()
}

fn lookup(filter_editing: bool, hit: impl Fn(Key) -> bool) -> Option<Does> {
    BINDINGS
        .iter()
        .filter(|b| b.when.applies(filter_editing))
        .flat_map(|b| b.map.iter().copied())
        .find(|(key, _)| hit(*key))
        .map(|(_, does)| does)
}

fn matches_key(key: Key, k: &KeyEvent) -> bool {
    let ctrl = k.modifiers.contains(KeyModifiers::CONTROL);
    match (key, k.code) {
        (Key::Char(want), KeyCode::Char(c)) => !ctrl && c == want,
        (Key::Printable, KeyCode::Char(_)) => !ctrl,
        (Key::Ctrl(want), KeyCode::Char(c)) => ctrl && c.to_ascii_lowercase() == want,
        (Key::Shift(want), code) => code == want && k.modifiers.contains(KeyModifiers::SHIFT),
        (Key::Code(want), code) => code == want,
        _ => false,
    }
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
            Some(Action::Interrupt)
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
        assert_eq!(
            map(&key(KeyCode::Char('G'), KeyModifiers::SHIFT), false),
            Some(Action::End)
        );
        assert_eq!(
            map(&key(KeyCode::Char('g'), none), false),
            Some(Action::Home)
        );
        assert_eq!(
            map(&key(KeyCode::Char('l'), KeyModifiers::CONTROL), false),
            Some(Action::Redraw)
        );
        assert_eq!(map(&key(KeyCode::Char('l'), none), false), None);
        assert_eq!(
            map(&key(KeyCode::Enter, none), true),
            Some(Action::FilterDone)
        );
        assert_eq!(
            map(&key(KeyCode::Backspace, none), true),
            Some(Action::FilterBackspace)
        );
        assert_eq!(map(&key(KeyCode::Esc, none), true), Some(Action::Back));
        assert_eq!(map(&key(KeyCode::Tab, none), true), None);
    }

    #[test]
    fn arrows_rewind_a_minute_and_shift_ten() {
        use crate::rewind::{BIG_STEP, STEP};
        let none = KeyModifiers::NONE;
        let shift = KeyModifiers::SHIFT;
        assert_eq!(
            map(&key(KeyCode::Left, none), false),
            Some(Action::Seek(-STEP))
        );
        assert_eq!(
            map(&key(KeyCode::Right, none), false),
            Some(Action::Seek(STEP))
        );
        assert_eq!(
            map(&key(KeyCode::Left, shift), false),
            Some(Action::Seek(-BIG_STEP))
        );
        assert_eq!(
            map(&key(KeyCode::Right, shift), false),
            Some(Action::Seek(BIG_STEP))
        );
        assert_eq!(
            map(&key(KeyCode::Char('L'), shift), false),
            Some(Action::Live)
        );
        assert_eq!(
            map(&key(KeyCode::Char('t'), none), false),
            Some(Action::GoToTime)
        );
        // While a filter or a time is typed, `t` is typed.
        assert_eq!(
            map(&key(KeyCode::Char('t'), none), true),
            Some(Action::FilterChar('t'))
        );
    }
}
