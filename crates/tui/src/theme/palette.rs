//! A theme as data: the styles of a theme file (TOML), parsed and checked.
//! Parsing is pure: the program reads the file and passes the text in.
//! docs/ui.md (Themes) documents the format; the built-in themes are files
//! under crates/tui/themes/, embedded in the binary.

use std::fmt;
use std::sync::LazyLock;

use queuetop_engine::floor::DisplayState;
use ratatui::style::{Color, Modifier, Style};
use serde::{Deserialize, Deserializer};

/// What a theme sets: one style per role, and the agent state colours.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Palette {
    /// The whole screen; unset (the terminal's own colours) unless given.
    pub screen: Style,
    pub warning: Style,
    pub critical: Style,
    pub good: Style,
    pub source_label: Style,
    pub paused: Style,
    pub title: Style,
    pub focused_title: Style,
    pub column_header: Style,
    pub totals: Style,
    pub selected: Style,
    pub dim: Style,
    pub key: Style,
    /// Per [`DisplayState::index`]: the STATE cell of an agent, when
    /// `agent_state_colors` is on.
    pub agent_states: [Style; 6],
    /// Off by default: colour means "attention", and a floor of coloured
    /// states would drown the alerts.
    pub agent_state_colors: bool,
}

impl Palette {
    pub fn agent_state(&self, s: DisplayState) -> Style {
        self.agent_states[s.index()]
    }
}

/// The built-in themes: name and file text.
pub const BUILT_IN: [(&str, &str); 4] = [
    ("default", include_str!("../../themes/default.toml")),
    ("light", include_str!("../../themes/light.toml")),
    (
        "high-contrast",
        include_str!("../../themes/high-contrast.toml"),
    ),
    ("colorblind", include_str!("../../themes/colorblind.toml")),
];

static PARSED: LazyLock<Vec<Palette>> = LazyLock::new(|| {
    let mut out: Vec<Palette> = Vec::with_capacity(BUILT_IN.len());
    for (name, text) in BUILT_IN {
        // The default is parsed on its own (it is what the others fall
        // back to); every built-in file is checked by a unit test.
        let base = out.first().copied().unwrap_or(EMPTY);
        match parse_over(text, &base) {
            Ok(p) => out.push(p),
            Err(e) => panic!("built-in theme {name}: {e}"),
        }
    }
    out
});

/// No style at all: what the default theme is parsed over.
const EMPTY: Palette = Palette {
    screen: Style::new(),
    warning: Style::new(),
    critical: Style::new(),
    good: Style::new(),
    source_label: Style::new(),
    paused: Style::new(),
    title: Style::new(),
    focused_title: Style::new(),
    column_header: Style::new(),
    totals: Style::new(),
    selected: Style::new(),
    dim: Style::new(),
    key: Style::new(),
    agent_states: [Style::new(); 6],
    agent_state_colors: false,
};

/// A built-in theme by name.
pub fn built_in(name: &str) -> Option<&'static Palette> {
    let i = BUILT_IN.iter().position(|(n, _)| *n == name)?;
    PARSED.get(i)
}

/// The default theme.
pub fn default_palette() -> &'static Palette {
    &PARSED[0]
}

/// The names of the built-in themes, in their order.
pub fn built_in_names() -> impl Iterator<Item = &'static str> {
    BUILT_IN.iter().map(|(n, _)| *n)
}

/// What is wrong with a theme file: the line and key when known.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ThemeError {
    pub line: Option<usize>,
    /// The key's dotted path, e.g. `styles.warning.fg`.
    pub key: Option<String>,
    pub message: String,
}

impl fmt::Display for ThemeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(l) = self.line {
            write!(f, "line {l}: ")?;
        }
        if let Some(k) = &self.key {
            write!(f, "key `{k}`: ")?;
        }
        f.write_str(&self.message)
    }
}

impl std::error::Error for ThemeError {}

/// Parses a theme file. What it leaves out comes from the default theme,
/// style by style (a style it gives replaces the default's whole).
pub fn parse(text: &str) -> Result<Palette, ThemeError> {
    parse_over(text, default_palette())
}

fn parse_over(text: &str, base: &Palette) -> Result<Palette, ThemeError> {
    let de = toml::de::Deserializer::parse(text).map_err(|e| error(text, None, &e))?;
    let file: File = serde_path_to_error::deserialize(de).map_err(|e| {
        let path = e.path().to_string();
        let key = (!path.is_empty() && path != ".").then_some(path);
        error(text, key, e.inner())
    })?;
    Ok(file.over(base))
}

fn error(text: &str, key: Option<String>, e: &toml::de::Error) -> ThemeError {
    // 1-based line of the span's start: newlines before it, plus one.
    let line = e.span().map(|s| {
        text.as_bytes()[..s.start.min(text.len())]
            .iter()
            .filter(|b| **b == b'\n')
            .count()
            + 1
    });
    ThemeError {
        line,
        key,
        message: e.message().trim().replace('\n', " "),
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    agent_state_colors: Option<bool>,
    #[serde(default)]
    styles: Styles,
    #[serde(default)]
    agent_states: States,
}

#[derive(Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct Styles {
    screen: Option<StyleSpec>,
    warning: Option<StyleSpec>,
    critical: Option<StyleSpec>,
    good: Option<StyleSpec>,
    source_label: Option<StyleSpec>,
    paused: Option<StyleSpec>,
    title: Option<StyleSpec>,
    focused_title: Option<StyleSpec>,
    column_header: Option<StyleSpec>,
    totals: Option<StyleSpec>,
    selected: Option<StyleSpec>,
    dim: Option<StyleSpec>,
    key: Option<StyleSpec>,
}

#[derive(Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct States {
    available: Option<StyleSpec>,
    on_contact: Option<StyleSpec>,
    busy: Option<StyleSpec>,
    wrap_up: Option<StyleSpec>,
    away: Option<StyleSpec>,
    offline: Option<StyleSpec>,
}

/// One style as written: `{ fg = "black", bg = "#ffaf00", bold = true }`.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct StyleSpec {
    fg: Option<ColorSpec>,
    bg: Option<ColorSpec>,
    #[serde(default)]
    bold: bool,
    #[serde(default)]
    dim: bool,
    #[serde(default)]
    italic: bool,
    #[serde(default)]
    underlined: bool,
    #[serde(default)]
    reversed: bool,
}

impl StyleSpec {
    fn style(&self) -> Style {
        let mut s = Style::new();
        if let Some(ColorSpec(c)) = self.fg {
            s = s.fg(c);
        }
        if let Some(ColorSpec(c)) = self.bg {
            s = s.bg(c);
        }
        for (on, m) in [
            (self.bold, Modifier::BOLD),
            (self.dim, Modifier::DIM),
            (self.italic, Modifier::ITALIC),
            (self.underlined, Modifier::UNDERLINED),
            (self.reversed, Modifier::REVERSED),
        ] {
            if on {
                s = s.add_modifier(m);
            }
        }
        s
    }
}

fn pick(spec: &Option<StyleSpec>, base: Style) -> Style {
    spec.as_ref().map_or(base, StyleSpec::style)
}

impl File {
    fn over(&self, b: &Palette) -> Palette {
        let s = &self.styles;
        let a = &self.agent_states;
        let mut agent_states = b.agent_states;
        for (state, spec) in [
            (DisplayState::Available, &a.available),
            (DisplayState::OnContact, &a.on_contact),
            (DisplayState::Busy, &a.busy),
            (DisplayState::WrapUp, &a.wrap_up),
            (DisplayState::Away, &a.away),
            (DisplayState::Offline, &a.offline),
        ] {
            agent_states[state.index()] = pick(spec, b.agent_states[state.index()]);
        }
        Palette {
            screen: pick(&s.screen, b.screen),
            warning: pick(&s.warning, b.warning),
            critical: pick(&s.critical, b.critical),
            good: pick(&s.good, b.good),
            source_label: pick(&s.source_label, b.source_label),
            paused: pick(&s.paused, b.paused),
            title: pick(&s.title, b.title),
            focused_title: pick(&s.focused_title, b.focused_title),
            column_header: pick(&s.column_header, b.column_header),
            totals: pick(&s.totals, b.totals),
            selected: pick(&s.selected, b.selected),
            dim: pick(&s.dim, b.dim),
            key: pick(&s.key, b.key),
            agent_states,
            agent_state_colors: self.agent_state_colors.unwrap_or(b.agent_state_colors),
        }
    }
}

/// The colour names a theme may use, as ratatui (and the terminal) knows them.
const NAMES: [(&str, Color); 17] = [
    ("reset", Color::Reset),
    ("black", Color::Black),
    ("red", Color::Red),
    ("green", Color::Green),
    ("yellow", Color::Yellow),
    ("blue", Color::Blue),
    ("magenta", Color::Magenta),
    ("cyan", Color::Cyan),
    ("gray", Color::Gray),
    ("darkgray", Color::DarkGray),
    ("lightred", Color::LightRed),
    ("lightgreen", Color::LightGreen),
    ("lightyellow", Color::LightYellow),
    ("lightblue", Color::LightBlue),
    ("lightmagenta", Color::LightMagenta),
    ("lightcyan", Color::LightCyan),
    ("white", Color::White),
];

/// A colour as written: a name, `#rrggbb`, or an index 0-255 of the
/// terminal's 256-colour palette.
struct ColorSpec(Color);

/// Parses a colour name (any case; `-`, `_` and spaces ignored, so
/// `light-red` is `lightred`) or `#rrggbb`.
pub fn parse_color(s: &str) -> Option<Color> {
    if let Some(hex) = s.strip_prefix('#') {
        if hex.len() != 6 || !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
            return None;
        }
        let n = u32::from_str_radix(hex, 16).ok()?;
        return Some(Color::Rgb((n >> 16) as u8, (n >> 8) as u8, n as u8));
    }
    let key: String = s
        .chars()
        .filter(|c| !matches!(c, '-' | '_' | ' '))
        .flat_map(char::to_lowercase)
        .collect();
    let key = match key.as_str() {
        "grey" => "gray",
        "darkgrey" => "darkgray",
        k => k,
    };
    NAMES.iter().find(|(n, _)| *n == key).map(|(_, c)| *c)
}

impl<'de> Deserialize<'de> for ColorSpec {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        #[serde(untagged)]
        enum Raw {
            Text(String),
            Index(i64),
        }
        let names = NAMES.iter().map(|(n, _)| *n).collect::<Vec<_>>().join(", ");
        let expected = || format!("a colour: one of {names}, \"#rrggbb\", or an index 0-255");
        match Raw::deserialize(d).map_err(|_| serde::de::Error::custom(expected()))? {
            Raw::Text(s) => parse_color(&s)
                .map(ColorSpec)
                .ok_or_else(|| serde::de::Error::custom(format!("'{s}' is not {}", expected()))),
            Raw::Index(i) => u8::try_from(i)
                .map(|i| ColorSpec(Color::Indexed(i)))
                .map_err(|_| serde::de::Error::custom(format!("{i} is not {}", expected()))),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::contrast::{ratio, rgb};
    use super::*;

    #[test]
    fn every_built_in_parses_and_the_default_is_todays_look() {
        for name in built_in_names() {
            assert!(built_in(name).is_some(), "{name}");
        }
        let d = default_palette();
        assert_eq!(
            d.warning,
            Style::new()
                .fg(Color::Black)
                .bg(Color::Yellow)
                .add_modifier(Modifier::BOLD)
        );
        assert_eq!(d.critical.bg, Some(Color::Red));
        assert_eq!(d.screen, Style::new());
        assert!(!d.agent_state_colors);
        assert!(built_in("nope").is_none());
    }

    #[test]
    fn a_user_theme_falls_back_to_the_default_style_by_style() {
        let p =
            parse("agent_state_colors = true\n[styles]\nwarning = { fg = \"#102030\" }\n").unwrap();
        assert_eq!(p.warning, Style::new().fg(Color::Rgb(0x10, 0x20, 0x30)));
        assert_eq!(p.critical, default_palette().critical);
        assert!(p.agent_state_colors);
        let p = parse("[agent_states]\naway = { fg = 208, italic = true }\n").unwrap();
        assert_eq!(
            p.agent_state(DisplayState::Away),
            Style::new()
                .fg(Color::Indexed(208))
                .add_modifier(Modifier::ITALIC)
        );
        assert_eq!(parse("").unwrap(), *default_palette());
    }

    #[test]
    fn colour_names_and_hex() {
        assert_eq!(parse_color("Light-Red"), Some(Color::LightRed));
        assert_eq!(parse_color("dark_grey"), Some(Color::DarkGray));
        assert_eq!(parse_color("#FFaf00"), Some(Color::Rgb(255, 0xaf, 0)));
        for bad in ["#fff", "#gggggg", "purple", "", "#1234567"] {
            assert_eq!(parse_color(bad), None, "{bad}");
        }
    }

    #[test]
    fn errors_name_key_and_line() {
        let cases = [
            (
                "[styles]\nwarning = { fg = \"black\" }\ncritical = { fg = \"purpel\" }\n",
                3,
                "styles.critical.fg",
                "'purpel' is not a colour",
            ),
            (
                "# a comment\n\n[styles]\ngood = { fg = \"green\", bold = \"yes\" }\n",
                4,
                "styles.good.bold",
                "boolean",
            ),
            (
                "[agent_states]\nidle = { fg = \"green\" }\n",
                2,
                "agent_states.idle",
                "unknown field `idle`",
            ),
            (
                "[styles]\nkey = { fg = 300 }\n",
                2,
                "styles.key.fg",
                "300 is not a colour",
            ),
            (
                "[styles]\nwarning = { fgg = \"red\" }\n",
                2,
                "styles.warning.fgg",
                "unknown field `fgg`",
            ),
            (
                "agent_state_colors = 1\n",
                1,
                "agent_state_colors",
                "boolean",
            ),
        ];
        for (text, line, key, what) in cases {
            let e = parse(text).unwrap_err();
            assert_eq!(e.line, Some(line), "{text}: {e}");
            assert_eq!(e.key.as_deref(), Some(key), "{text}: {e}");
            assert!(e.message.contains(what), "{text}: {e}");
            assert!(
                e.to_string()
                    .starts_with(&format!("line {line}: key `{key}`: ")),
                "{e}"
            );
        }
        // Not TOML at all: the line, from toml's own span.
        let e = parse("[styles\n").unwrap_err();
        assert_eq!(e.line, Some(1), "{e}");
    }

    /// WCAG 2.x AA for text: 4.5:1.
    const AA: f64 = 4.5;

    #[test]
    fn colorblind_warning_and_critical_contrast_on_dark_and_light() {
        let p = built_in("colorblind").unwrap();
        // The theme sets no screen colour: dark is black.
        let dark = p.screen.bg.and_then(rgb).unwrap_or((0, 0, 0));
        let light = (255, 255, 255);
        for (what, s) in [("warning", p.warning), ("critical", p.critical)] {
            let colour = s.bg.and_then(rgb).expect("an RGB background");
            let text = s.fg.and_then(rgb).expect("an RGB foreground");
            for (bg_name, bg) in [("dark", dark), ("light", light)] {
                let r = ratio(colour, bg);
                assert!(r >= AA, "{what} {colour:?} on {bg_name}: {r:.2}");
            }
            let r = ratio(text, colour);
            assert!(r >= AA, "{what} text {text:?} on {colour:?}: {r:.2}");
        }
        // No red/green pair: warning and critical are neither red nor green
        // (the channel that dominates is not R alone or G alone).
        for s in [p.warning, p.critical] {
            let (r, g, b) = s.bg.and_then(rgb).unwrap();
            let red = r > g.saturating_mul(2) && r > b.saturating_mul(2);
            let green = g > r.saturating_mul(2) && g > b.saturating_mul(2);
            assert!(!red && !green, "{:?}", (r, g, b));
        }
        assert_ne!(p.warning.bg, p.critical.bg);
    }

    #[test]
    fn every_built_in_alert_text_reads_on_its_colour() {
        for name in built_in_names() {
            let p = built_in(name).unwrap();
            for (what, s) in [("warning", p.warning), ("critical", p.critical)] {
                let (Some(fg), Some(bg)) = (s.fg.and_then(rgb), s.bg.and_then(rgb)) else {
                    panic!("{name} {what}: set both fg and bg");
                };
                let r = ratio(fg, bg);
                assert!(r >= AA, "{name} {what}: {r:.2}");
            }
        }
    }
}
