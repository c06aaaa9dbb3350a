//! Styles and symbols. Colour is never the only signal: every alert also has
//! a symbol, and plain mode (NO_COLOR, `--no-color`) keeps bold, reverse and
//! underline so that warnings still stand out on a monochrome terminal.
//! ASCII mode (`--ascii`) swaps every box-drawing and block character for
//! ASCII, for terminals and fonts that mangle them.
//!
//! The colours come from a theme file ([`palette`]): plain and ASCII mode
//! win over any theme, since they are what the terminal can show.

pub mod contrast;
pub mod palette;

use ratatui::style::{Modifier, Style};
use ratatui::symbols::border;

use super::alerts::Level;
use palette::Palette;
use queuetop_engine::floor::DisplayState;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Theme {
    pub color: bool,
    pub ascii: bool,
    /// Colour the STATE cell of agents by state (the theme's
    /// `agent_state_colors`, or `[display]`'s).
    pub agent_state_colors: bool,
    /// For the whole run: a theme is chosen once, at start-up.
    palette: &'static Palette,
}

impl Default for Theme {
    fn default() -> Self {
        Theme::new(false, false)
    }
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
    /// The default theme.
    pub fn new(color: bool, ascii: bool) -> Self {
        let palette = palette::default_palette();
        Theme {
            color,
            ascii,
            agent_state_colors: palette.agent_state_colors,
            palette,
        }
    }

    /// The same modes, in another theme (with that theme's
    /// `agent_state_colors`).
    pub fn with_palette(self, palette: &'static Palette) -> Self {
        Theme {
            palette,
            agent_state_colors: palette.agent_state_colors,
            ..self
        }
    }

    pub fn with_agent_state_colors(self, on: bool) -> Self {
        Theme {
            agent_state_colors: on,
            ..self
        }
    }

    pub fn palette(&self) -> &'static Palette {
        self.palette
    }

    fn pick(&self, colored: Style, plain: Style) -> Style {
        if self.color { colored } else { plain }
    }

    /// The whole screen, under everything else: unset unless the theme
    /// paints its own background.
    pub fn screen(&self) -> Style {
        self.pick(self.palette.screen, Style::new())
    }

    /// An agent's STATE cell: only with `agent_state_colors`, so that by
    /// default colour keeps meaning "attention".
    pub fn agent_state(&self, s: DisplayState) -> Style {
        if self.color && self.agent_state_colors {
            self.palette.agent_state(s)
        } else {
            Style::new()
        }
    }

    /// The DEMO / REPLAY label: reverse video in every mode, so that nobody
    /// mistakes simulated or recorded data for the live floor.
    pub fn source_label(&self) -> Style {
        self.pick(
            self.palette.source_label,
            Style::new().add_modifier(Modifier::BOLD | Modifier::REVERSED),
        )
    }

    /// The REWIND label: reverse video in every theme and without colour,
    /// so an earlier instant is never taken for now.
    pub fn rewind(&self) -> Style {
        Style::new().add_modifier(Modifier::BOLD | Modifier::REVERSED)
    }

    pub fn paused(&self) -> Style {
        self.pick(
            self.palette.paused,
            Style::new().add_modifier(Modifier::BOLD | Modifier::REVERSED),
        )
    }

    /// A figure at a level. The built-in themes set both fg and bg so that
    /// alerts read the same on dark and light terminals.
    pub fn level(&self, level: Level) -> Style {
        match level {
            Level::Ok => Style::new(),
            Level::Warn => self.pick(
                self.palette.warning,
                Style::new().add_modifier(Modifier::UNDERLINED),
            ),
            Level::Crit => self.pick(
                self.palette.critical,
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
        self.pick(self.palette.good, Style::new())
    }

    pub fn title(&self) -> Style {
        self.pick(
            self.palette.title,
            Style::new().add_modifier(Modifier::BOLD),
        )
    }

    pub fn focused_title(&self) -> Style {
        self.pick(
            self.palette.focused_title,
            Style::new().add_modifier(Modifier::BOLD | Modifier::REVERSED),
        )
    }

    pub fn column_header(&self) -> Style {
        self.pick(
            self.palette.column_header,
            Style::new().add_modifier(Modifier::BOLD | Modifier::UNDERLINED),
        )
    }

    pub fn totals(&self) -> Style {
        self.pick(
            self.palette.totals,
            Style::new().add_modifier(Modifier::BOLD),
        )
    }

    pub fn selected(&self) -> Style {
        self.pick(
            self.palette.selected,
            Style::new().add_modifier(Modifier::REVERSED),
        )
    }

    pub fn dim(&self) -> Style {
        self.pick(self.palette.dim, Style::new())
    }

    pub fn key(&self) -> Style {
        self.pick(self.palette.key, Style::new().add_modifier(Modifier::BOLD))
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

    /// In the event log: back to normal.
    pub fn good_mark(&self) -> &'static str {
        if self.ascii { "+" } else { "✓" }
    }

    /// Before a group's or a site's name: folded (`f`) or open.
    pub fn fold_mark(&self, folded: bool) -> &'static str {
        match (folded, self.ascii) {
            (true, false) => "▸ ",
            (false, false) => "▾ ",
            (true, true) => "+ ",
            (false, true) => "- ",
        }
    }

    /// Before "uncertain since": window figures that may miss events.
    pub fn uncertain_mark(&self) -> &'static str {
        if self.ascii { "~" } else { "≈" }
    }

    pub fn separator(&self) -> &'static str {
        if self.ascii { " | " } else { " │ " }
    }
}
