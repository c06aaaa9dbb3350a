//! The scene: exactly what one frame shows, as owned, cleaned strings.
//! Built under the monitor's lock (only what is visible), then drawn after
//! the lock is released. Two equal scenes draw the same screen, so the loop
//! skips drawing (and writes nothing) when the new scene equals the last.

use super::alerts::Level;
use super::layout::Plan;
use super::log::Severity;
use queuetop_engine::floor::DisplayState;

#[derive(Clone, Debug, PartialEq, Default)]
pub struct Cell {
    pub text: String,
    pub level: Level,
    /// An agent's state, on its STATE cell: coloured only when the theme
    /// asks for agent state colours.
    pub state: Option<DisplayState>,
}

impl Cell {
    pub fn plain(text: impl Into<String>) -> Self {
        Cell {
            text: text.into(),
            level: Level::Ok,
            state: None,
        }
    }
}

#[derive(Clone, Debug, PartialEq, Default)]
pub struct Row {
    /// One cell per column of the table, in the table's column order.
    pub cells: Vec<Cell>,
    /// Waiting counts, oldest first (queues only).
    pub spark: Vec<u32>,
    pub selected: bool,
    pub dim: bool,
    /// A channel's row under its queue (crate::channels): it is drawn, but
    /// it is not one of the table's rows for selection and clicks.
    pub sub: bool,
}

#[derive(Clone, Debug, PartialEq, Default)]
pub struct TableScene {
    pub rows: Vec<Row>,
    /// Said after the title (the queues: the current interval's figures).
    pub aside: Option<String>,
    pub totals: Option<Row>,
    pub sort_col: usize,
    pub reversed: bool,
    pub focused: bool,
    /// Rows after filtering, and before.
    pub shown: usize,
    pub total: usize,
    /// Lines of the list, a tree's site and group rows included (what
    /// scrolls); 0 when it is `shown`.
    pub lines: usize,
    /// Index of the first visible row.
    pub offset: usize,
    /// The columns to show, in order, as indexes into the table's columns
    /// (each row's cells are in that full order); empty: all of them.
    pub columns: Vec<usize>,
    /// Alerting rows were moved first (crate::pin): the title says so.
    pub pinned: bool,
}

#[derive(Clone, Debug, PartialEq, Default)]
pub struct HeaderScene {
    /// "DEMO" or "REPLAY": never hidden.
    pub label: Option<&'static str>,
    /// `REWIND 09:42 (-12m)` while the view shows an earlier instant:
    /// first, never hidden.
    pub rewind: Option<String>,
    pub target: String,
    pub link: String,
    pub link_level: Level,
    pub paused: bool,
    /// The feed's clock, as the time of day.
    pub clock: String,
    pub last_event: Option<String>,
    pub rate: u64,
    pub window: String,
    pub offset: Option<String>,
    pub rejected: u64,
    pub gaps: u64,
    /// Queues whose worst alert is a warning, and a critical.
    pub alerting: AlertCounts,
    /// The window figures may miss events since this time of day (a gap,
    /// a resync or a drop in the window); `None` when they can be trusted.
    pub uncertain_since: Option<String>,
    /// Each site's link, in a view of several (shown instead of the target).
    pub sites: Vec<SiteLink>,
}

/// One site's link in the header: `paris ok`, `rome DOWN`.
#[derive(Clone, Debug, PartialEq, Default)]
pub struct SiteLink {
    pub text: String,
    pub level: Level,
}

/// How many queues alert, by their worst level.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub struct AlertCounts {
    pub warn: usize,
    pub crit: usize,
}

#[derive(Clone, Debug, PartialEq)]
pub struct LogLine {
    pub time: String,
    pub severity: Severity,
    pub text: String,
}

#[derive(Clone, Debug, PartialEq, Default)]
pub struct Section {
    pub heading: String,
    pub columns: Vec<&'static str>,
    pub rows: Vec<Vec<Cell>>,
}

#[derive(Clone, Debug, PartialEq, Default)]
pub struct DetailsScene {
    pub title: String,
    /// Label and value pairs under the title.
    pub facts: Vec<(&'static str, Cell)>,
    pub sections: Vec<Section>,
    pub scroll: usize,
    pub missing: bool,
}

#[derive(Clone, Debug, PartialEq, Default)]
pub struct Scene {
    pub plan: Plan,
    pub header: HeaderScene,
    pub queues: TableScene,
    pub agents: TableScene,
    pub log: Vec<LogLine>,
    pub log_focused: bool,
    pub log_back: usize,
    pub log_len: usize,
    pub details: Option<DetailsScene>,
    pub filter: String,
    /// Why the filter does not parse (it then hides nothing).
    pub filter_error: Option<String>,
    pub filter_editing: bool,
    /// The search (`\\`), why it does not parse, and whether it is being
    /// typed (then `filter_editing` is set too).
    pub search: String,
    pub search_error: Option<String>,
    pub searching: bool,
    /// The incident mark's note being typed (`m`), if one is.
    pub mark_note: Option<String>,
    pub help: bool,
    /// The time of day being typed to rewind to (`t`), and why the last
    /// one was refused.
    pub time_prompt: Option<String>,
    pub time_error: Option<String>,
}
