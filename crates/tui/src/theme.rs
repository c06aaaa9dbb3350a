//! Styles and symbols. Colour is never the only signal: every alert also has
//! a symbol, and plain mode (NO_COLOR, `--no-color`) keeps bold, reverse and
//! underline so that warnings still stand out on a monochrome terminal.
//! ASCII mode (`--ascii`) swaps every box-drawing and block character for
//! ASCII, for terminals and fonts that mangle them.

use ratatui::style::{Color, Modifier, Style};
use ratatui::symbols::border;

use super::alerts::Level;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub struct Theme {
    pub color: bool,
    pub ascii: bool,
}

/// Borders drawn with ASCII only.
const ASCII_BORDER: border::Set<'static> = border::Set {
    top_left: "+",
    top_right: "+",
    bottom_left: "+",
    bottom_right: "+",
    vertical_left: "|",
    vertical_right: "|",
    horizontal_top: "-",
    horizontal_bottom: "-",
};

const BARS: [&str; 8] = ["▁", "▂", "▃", "▄", "▅", "▆", "▇", "█"];
const ASCII_BARS: [&str; 8] = ["_", ".", ":", "-", "=", "+", "*", "#"];

/// True when the environment asks for no colour (any non-empty NO_COLOR).
pub fn no_color_env() -> bool {
    std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty())
}

impl Theme {
    pub fn new(color: bool, ascii: bool) -> Self {
        Theme { color, ascii }
    }

    fn pick(&self, colored: Style, plain: Style) -> Style {
        if self.color { colored } else { plain }
    }

    /// The DEMO / REPLAY label: reverse video in every mode, so that nobody
    /// mistakes simulated or recorded data for the live floor.
    pub fn source_label(&self) -> Style {
        self.pick(
            Style::new()
                .fg(Color::Black)
                .bg(Color::Yellow)
                .add_modifier(Modifier::BOLD | Modifier::REVERSED),
            Style::new().add_modifier(Modifier::BOLD | Modifier::REVERSED),
        )
    }

    pub fn paused(&self) -> Style {
        Style::new().add_modifier(Modifier::BOLD | Modifier::REVERSED)
    }

    /// A figure at a level. Colours are set on both fg and bg so that they
    /// read the same on dark and light terminals.
    pub fn level(&self, level: Level) -> Style {
        match level {
            Level::Ok => Style::new(),
            Level::Warn => self.pick(
                Style::new()
                    .fg(Color::Black)
                    .bg(Color::Yellow)
                    .add_modifier(Modifier::BOLD),
                Style::new().add_modifier(Modifier::UNDERLINED),
            ),
            Level::Crit => self.pick(
                Style::new()
                    .fg(Color::White)
                    .bg(Color::Red)
                    .add_modifier(Modifier::BOLD),
                Style::new().add_modifier(Modifier::BOLD | Modifier::UNDERLINED),
            ),
        }
    }

    /// The symbol beside a figure at a level: colour-blind and monochrome safe.
    pub fn level_symbol(&self, level: Level) -> &'static str {
        match (level, self.ascii) {
            (Level::Ok, _) => "",
            (Level::Warn, _) => "!",
            (Level::Crit, false) => "‼",
            (Level::Crit, true) => "!!",
        }
    }

    pub fn good(&self) -> Style {
        self.pick(Style::new().fg(Color::Green), Style::new())
    }

    pub fn title(&self) -> Style {
        Style::new().add_modifier(Modifier::BOLD)
    }

    pub fn focused_title(&self) -> Style {
        Style::new().add_modifier(Modifier::BOLD | Modifier::REVERSED)
    }

    pub fn column_header(&self) -> Style {
        Style::new().add_modifier(Modifier::BOLD | Modifier::UNDERLINED)
    }

    pub fn totals(&self) -> Style {
        Style::new().add_modifier(Modifier::BOLD)
    }

    pub fn selected(&self) -> Style {
        Style::new().add_modifier(Modifier::REVERSED)
    }

    pub fn dim(&self) -> Style {
        self.pick(Style::new().add_modifier(Modifier::DIM), Style::new())
    }

    pub fn key(&self) -> Style {
        Style::new().add_modifier(Modifier::BOLD)
    }

    pub fn border(&self) -> border::Set<'static> {
        if self.ascii {
            ASCII_BORDER
        } else {
            border::PLAIN
        }
    }

    /// The horizontal rule above a pane.
    pub fn rule(&self) -> &'static str {
        if self.ascii { "-" } else { "─" }
    }

    pub fn ellipsis(&self) -> &'static str {
        if self.ascii { "~" } else { "…" }
    }

    /// Bar characters of a sparkline, lowest first.
    pub fn bars(&self) -> &'static [&'static str; 8] {
        if self.ascii { &ASCII_BARS } else { &BARS }
    }

    pub fn sort_arrow(&self, reversed: bool) -> &'static str {
        match (reversed, self.ascii) {
            (false, false) => "▲",
            (true, false) => "▼",
            (false, true) => "^",
            (true, true) => "v",
        }
    }

    pub fn hold_mark(&self) -> &'static str {
        if self.ascii { "(hold)" } else { "⏸" }
    }

    /// Before "uncertain since": window figures that may miss events.
    pub fn uncertain_mark(&self) -> &'static str {
        if self.ascii { "~" } else { "≈" }
    }

    pub fn separator(&self) -> &'static str {
        if self.ascii { " | " } else { " │ " }
    }
}
