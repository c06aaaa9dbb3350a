//! Every binding, in one table: the input mapper looks keys up in it, the
//! help overlay lists it, and a test holds docs/ui.md to it, so the three
//! cannot drift apart again.

use crate::action::Action;
use crossterm::event::KeyCode;

/// When a binding applies.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum When {
    /// Browsing: no filter being typed.
    Normal,
    /// While a filter is being typed (printable keys go into it).
    Filtering,
    /// In either case.
    Always,
}

impl When {
    /// As the docs' "when" column writes it.
    pub fn as_str(self) -> &'static str {
        match self {
            When::Normal => "normal",
            When::Filtering => "filtering",
            When::Always => "always",
        }
    }

    /// Whether a binding for `self` applies in this mode.
    pub fn applies(self, filter_editing: bool) -> bool {
        match self {
            When::Always => true,
            When::Normal => !filter_editing,
            When::Filtering => filter_editing,
        }
    }
}

/// One key (or mouse gesture) a binding answers to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Key {
    /// A character typed without Ctrl (Shift is part of the character).
    Char(char),
    /// A letter with Ctrl, either case.
    Ctrl(char),
    /// A named key: arrows, Enter, Esc, Tab...
    Code(KeyCode),
    /// A named key with Shift held (list it before the same key without).
    Shift(KeyCode),
    /// Any character typed without Ctrl (the filter text).
    Printable,
    WheelUp,
    WheelDown,
    /// The left button on a table's row, or on its column headers: what it
    /// does depends on where (crate::mouse).
    Click,
    ClickHeader,
}

/// What a key does: an action, or, for [`Key::Printable`], the typed
/// character into the filter.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Does {
    Act(Action),
    Type,
    /// A click: the action is worked out from where it landed.
    Point,
}

/// A row of the table: the keys as people read them, when they apply, what
/// they do in words, and each key with its effect (one row may bind two
/// directions, such as Up and Down).
#[derive(Clone, Copy, Debug)]
pub struct Binding {
    pub keys: &'static str,
    pub when: When,
    pub description: &'static str,
    pub map: &'static [(Key, Does)],
}

use crate::rewind::{BIG_STEP, STEP};
use Does::{Act, Point, Type};
use Key::{Char, Click, ClickHeader, Code, Ctrl, Printable, Shift, WheelDown, WheelUp};

const fn row(
    keys: &'static str,
    when: When,
    description: &'static str,
    map: &'static [(Key, Does)],
) -> Binding {
    Binding {
        keys,
        when,
        description,
        map,
    }
}

/// Every binding, in the order the help and the docs list them. No key is
/// bound twice in one mode (a test checks), so the order does not matter to
/// the mapper.
pub const BINDINGS: &[Binding] = &[
    row("q", When::Normal, "quit", &[(Char('q'), Act(Action::Quit))]),
    row(
        "Ctrl-C",
        When::Always,
        "quit, even while typing a filter",
        &[(Ctrl('c'), Act(Action::Interrupt))],
    ),
    row(
        "?",
        When::Normal,
        "every key and symbol; Esc, ? or q closes it",
        &[(Char('?'), Act(Action::Help))],
    ),
    row(
        "Tab, Shift-Tab",
        When::Normal,
        "next / previous pane: queues, agents, event log",
        &[
            (Code(KeyCode::Tab), Act(Action::NextPane)),
            (Code(KeyCode::BackTab), Act(Action::PrevPane)),
        ],
    ),
    row(
        "Up/Down, k/j",
        When::Normal,
        "move the selection (scroll in the log and in details)",
        &[
            (Code(KeyCode::Up), Act(Action::Up)),
            (Char('k'), Act(Action::Up)),
            (Code(KeyCode::Down), Act(Action::Down)),
            (Char('j'), Act(Action::Down)),
        ],
    ),
    row(
        "PgUp/PgDn",
        When::Normal,
        "a page up / down",
        &[
            (Code(KeyCode::PageUp), Act(Action::PageUp)),
            (Code(KeyCode::PageDown), Act(Action::PageDown)),
        ],
    ),
    row(
        "Home/End, g/G",
        When::Normal,
        "first / last row; in the log, oldest / newest",
        &[
            (Code(KeyCode::Home), Act(Action::Home)),
            (Char('g'), Act(Action::Home)),
            (Code(KeyCode::End), Act(Action::End)),
            (Char('G'), Act(Action::End)),
        ],
    ),
    row(
        "s, S",
        When::Normal,
        "sort by the next column / reverse the sort",
        &[
            (Char('s'), Act(Action::Sort)),
            (Char('S'), Act(Action::Reverse)),
        ],
    ),
    row(
        "/",
        When::Normal,
        "filter by name, queue or state",
        &[(Char('/'), Act(Action::StartFilter))],
    ),
    row(
        "\\, n/N",
        When::Normal,
        "search, hiding nothing / next, previous match",
        &[
            (Char('\\'), Act(Action::StartSearch)),
            (Char('n'), Act(Action::SearchNext)),
            (Char('N'), Act(Action::SearchPrev)),
        ],
    ),
    row(
        "Enter, Esc",
        When::Normal,
        "open details / close help, details or the filter",
        &[
            (Code(KeyCode::Enter), Act(Action::Enter)),
            (Code(KeyCode::Esc), Act(Action::Back)),
        ],
    ),
    row(
        "p",
        When::Normal,
        "pause the display (the feed is still applied)",
        &[(Char('p'), Act(Action::Pause))],
    ),
    row(
        "w",
        When::Normal,
        "the window: rolling / today",
        &[(Char('w'), Act(Action::Window))],
    ),
    row(
        "f, c",
        When::Normal,
        "fold / unfold a site or group / a queue by channel",
        &[
            (Char('f'), Act(Action::Fold)),
            (Char('c'), Act(Action::Channels)),
        ],
    ),
    row(
        "m, M",
        When::Normal,
        "set an incident mark (type a note) / figures since it",
        &[
            (Char('m'), Act(Action::Mark)),
            (Char('M'), Act(Action::SinceMark)),
        ],
    ),
    row(
        "e",
        When::Normal,
        "export the screen and the whole log (.txt and .md)",
        &[(Char('e'), Act(Action::Export))],
    ),
    row(
        "Left/Right",
        When::Normal,
        "rewind a minute back / forward (Shift: ten minutes)",
        &[
            (Shift(KeyCode::Left), Act(Action::Seek(-BIG_STEP))),
            (Shift(KeyCode::Right), Act(Action::Seek(BIG_STEP))),
            (Code(KeyCode::Left), Act(Action::Seek(-STEP))),
            (Code(KeyCode::Right), Act(Action::Seek(STEP))),
        ],
    ),
    row(
        "t, L",
        When::Normal,
        "rewind to a time (type HH:MM) / back to live (or End)",
        &[
            (Char('t'), Act(Action::GoToTime)),
            (Char('L'), Act(Action::Live)),
        ],
    ),
    row(
        "space + - . >",
        When::Normal,
        "replay: pause/play, faster, slower, next event, +1 s",
        &[
            (Char(' '), Act(Action::PlayPause)),
            (Char('+'), Act(Action::Faster)),
            (Char('-'), Act(Action::Slower)),
            (Char('.'), Act(Action::NextEvent)),
            (Char('>'), Act(Action::NextSecond)),
        ],
    ),
    row(
        "Ctrl-L",
        When::Normal,
        "draw the screen again",
        &[(Ctrl('l'), Act(Action::Redraw))],
    ),
    row(
        "mouse wheel",
        When::Always,
        "scroll the focused pane (if the terminal reports it)",
        &[(WheelUp, Act(Action::Up)), (WheelDown, Act(Action::Down))],
    ),
    row(
        "click",
        When::Normal,
        "select a row; a column header sorts (again: reverses)",
        &[(Click, Point), (ClickHeader, Point)],
    ),
    row(
        "any character",
        When::Filtering,
        "goes into the filter, the search or the mark's note",
        &[(Printable, Type)],
    ),
    row(
        "Backspace",
        When::Filtering,
        "deletes the last character",
        &[(Code(KeyCode::Backspace), Act(Action::FilterBackspace))],
    ),
    row(
        "Enter",
        When::Filtering,
        "keeps the filter (or the search); sets the mark",
        &[(Code(KeyCode::Enter), Act(Action::FilterDone))],
    ),
    row(
        "Esc",
        When::Filtering,
        "clears the filter (or the search); no mark",
        &[(Code(KeyCode::Esc), Act(Action::Back))],
    ),
];

#[cfg(test)]
mod tests {
    use super::*;

    /// The rows of the table under "## Keys" in docs/ui.md, backticks
    /// dropped: (key, when, does).
    fn doc_rows(doc: &str) -> Vec<(String, String, String)> {
        let section = doc
            .split("\n## ")
            .find(|s| s.starts_with("Keys\n"))
            .expect("docs/ui.md has a Keys section");
        section
            .lines()
            .filter(|l| l.starts_with('|'))
            .map(|l| {
                l.trim()
                    .trim_matches('|')
                    .split('|')
                    .map(|c| c.trim().replace('`', ""))
                    .collect::<Vec<_>>()
            })
            // The header and the |---| line are not bindings.
            .skip(2)
            .map(|c| {
                assert_eq!(c.len(), 3, "a Keys row has three cells: {c:?}");
                (c[0].clone(), c[1].clone(), c[2].clone())
            })
            .collect()
    }

    #[test]
    fn the_docs_list_exactly_the_bindings() {
        let doc = include_str!("../../../docs/ui.md");
        let table: Vec<(String, String, String)> = BINDINGS
            .iter()
            .map(|b| {
                (
                    b.keys.to_string(),
                    b.when.as_str().to_string(),
                    b.description.to_string(),
                )
            })
            .collect();
        assert_eq!(doc_rows(doc), table);
    }

    #[test]
    fn the_doc_parser_sees_an_extra_row() {
        let doc = "# x\n\n## Keys\n\n| key | when | does |\n|---|---|---|\n| `q` | normal | quit |\n| `x` | normal | new |\n\n## Next\n| a | b | c |\n";
        assert_eq!(
            doc_rows(doc),
            vec![
                ("q".into(), "normal".into(), "quit".into()),
                ("x".into(), "normal".into(), "new".into())
            ]
        );
    }

    #[test]
    fn every_row_fits_the_help_overlay() {
        // The overlay is at most 72 wide, 70 inside its border; one space
        // is kept before the border.
        let key_w = BINDINGS.iter().map(|b| b.keys.len()).max().unwrap_or(0) + 2;
        for b in BINDINGS {
            assert!(key_w + b.description.chars().count() < 70, "{b:?}");
        }
    }

    #[test]
    fn no_key_is_bound_twice_in_one_mode() {
        for editing in [false, true] {
            let keys: Vec<Key> = BINDINGS
                .iter()
                .filter(|b| b.when.applies(editing))
                .flat_map(|b| b.map.iter().map(|(k, _)| *k))
                .collect();
            for (i, k) in keys.iter().enumerate() {
                assert!(!keys[..i].contains(k), "{k:?} bound twice");
            }
        }
    }
}
