//! What the person at the screen chose: focus, selection, sort, filter,
//! pause, overlays, window. Nothing here is drawn and nothing here comes
//! from the feed; the widgets read a [`super::model::Scene`] built from the
//! monitor and this state.

use super::columns::{AgentCol, QueueCol};
use crate::action::{Action, Table};
use crate::filter::{Filter, FilterError};
use queuetop_engine::floor::WindowKind;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum Pane {
    #[default]
    Queues,
    Agents,
    Log,
}

impl Pane {
    fn next(self) -> Pane {
        match self {
            Pane::Queues => Pane::Agents,
            Pane::Agents => Pane::Log,
            Pane::Log => Pane::Queues,
        }
    }

    fn prev(self) -> Pane {
        match self {
            Pane::Queues => Pane::Log,
            Pane::Agents => Pane::Queues,
            Pane::Log => Pane::Agents,
        }
    }
}

/// A position in a list that follows its row: when the list reorders under
/// a live feed, the selection stays on the same queue or agent.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ListPos {
    pub index: usize,
    pub offset: usize,
    /// The id under the selection at the last build; `None` after a move,
    /// so the next build takes the id at the new index.
    pub id: Option<String>,
    /// Rows visible at the last build (for PgUp/PgDn).
    pub visible: usize,
}

impl ListPos {
    fn step(&mut self, by: isize) {
        self.index = self.index.saturating_add_signed(by);
        self.id = None;
    }

    fn home(&mut self) {
        self.index = 0;
        self.id = None;
    }

    fn end(&mut self) {
        self.index = usize::MAX;
        self.id = None;
    }

    /// The position settled on a list of `len` rows, `found` being where the
    /// followed id is now, scrolled so the selection is visible.
    pub fn settled(&self, len: usize, found: Option<usize>, visible: usize) -> ListPos {
        let mut p = self.clone();
        p.settle(len, found, visible);
        p
    }

    /// Settles the position on a list of `len` rows, `found` being where the
    /// followed id is now, and scrolls so the selection is visible.
    pub fn settle(&mut self, len: usize, found: Option<usize>, visible: usize) {
        self.visible = visible;
        if let (Some(_), Some(i)) = (&self.id, found) {
            self.index = i;
        }
        self.index = self.index.min(len.saturating_sub(1));
        if visible == 0 {
            self.offset = self.index;
            return;
        }
        if self.index < self.offset {
            self.offset = self.index;
        } else if self.index >= self.offset + visible {
            self.offset = self.index + 1 - visible;
        }
        self.offset = self.offset.min(len.saturating_sub(visible));
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Sort<C> {
    pub col: C,
    pub reversed: bool,
}

impl<C: PartialEq> Sort<C> {
    /// Sorted by `col`: its own order, reversed when it already sorts.
    fn by(self, col: C) -> Sort<C> {
        let reversed = self.col == col && !self.reversed;
        Sort { col, reversed }
    }
}

/// A queue's or an agent's row, by id: what the details pane shows.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RowId {
    Queue(String),
    Agent(String),
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Details {
    pub target: RowId,
    pub scroll: usize,
}

/// Where a search jump goes from the selection.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Jump {
    /// The first match at or after the selection (as the search is typed).
    Here,
    Next,
    Prev,
}

#[derive(Clone, Debug, PartialEq)]
pub struct UiState {
    pub focus: Pane,
    pub queues: ListPos,
    pub agents: ListPos,
    /// Log entries scrolled back from the newest.
    pub log_back: usize,
    pub log_visible: usize,
    pub queue_sort: Sort<QueueCol>,
    pub agent_sort: Sort<AgentCol>,
    /// The columns each table shows, in order (a view's, or all).
    pub queue_columns: Vec<QueueCol>,
    pub agent_columns: Vec<AgentCol>,
    /// The filter as typed, and as read: a filter that does not parse
    /// hides nothing and the footer says why.
    pub filter: String,
    pub filter_parsed: Result<Filter, FilterError>,
    /// Typing: the filter, or the search when `searching`.
    pub filter_editing: bool,
    /// The search (`\\`): same language, hides nothing, moves the selection.
    pub search: String,
    pub search_parsed: Result<Filter, FilterError>,
    pub searching: bool,
    /// Typing an incident mark's note (`m`); `filter_editing` is set too.
    pub marking: bool,
    pub mark_note: String,
    /// A mark to set, with its note: the loop takes it (it holds the
    /// monitor and the recording).
    pub pending_mark: Option<String>,
    /// Show the window figures as their change since the latest mark.
    pub since_mark: bool,
    /// `e` was pressed: the loop writes the screen to a file.
    pub pending_export: bool,
    /// A jump to a search match the next build makes (it knows the order).
    pub jump: Option<Jump>,
    pub paused: bool,
    /// Alerting queues first (crate::pin); `[display] pin_alerts`.
    pub pin_alerts: bool,
    pub help: bool,
    pub details: Option<Details>,
    pub window: WindowKind,
    /// Enter was pressed: the next build opens the selected row's details
    /// (the build knows which row is under the selection).
    pub open_details: bool,
    pub quit: bool,
    /// Sites and queue groups folded (by row id): their queues hidden.
    pub folded: std::collections::BTreeSet<String>,
    /// Queues shown split by channel (by id): a row per channel under each.
    pub channels: std::collections::BTreeSet<String>,
    /// The instant shown when rewound, and a time being typed.
    pub rewind: crate::rewind::Rewind,
}

/// What a frame's lists came to ([`crate::build::prepare`]): where the
/// selections settle (found from the sorted lists), what Enter would open,
/// and how much there is to scroll through.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ListFacts {
    pub queues: ListPos,
    pub agents: ListPos,
    /// The selection of the focused pane, for details asked for with Enter.
    pub opened: Option<RowId>,
    /// Lines in the details shown, if any.
    pub details_lines: Option<usize>,
    pub log_len: usize,
    pub log_rows: usize,
}

impl UiState {
    /// Brings the selections, the details and the scrolls in line with the
    /// lists as they are now; run before each build.
    pub fn reconcile(&mut self, facts: &ListFacts) {
        self.jump = None;
        self.queues = facts.queues.clone();
        self.agents = facts.agents.clone();
        if std::mem::take(&mut self.open_details) {
            self.details = facts
                .opened
                .clone()
                .map(|target| Details { target, scroll: 0 });
        }
        self.log_visible = facts.log_rows;
        self.log_back = self
            .log_back
            .min(facts.log_len.saturating_sub(facts.log_rows.max(1)));
        // Keep the scroll within what there is to see.
        if let (Some(d), Some(lines)) = (&mut self.details, facts.details_lines) {
            d.scroll = d.scroll.min(lines.saturating_sub(1));
        }
    }

    pub fn new(window: WindowKind) -> Self {
        UiState {
            focus: Pane::Queues,
            queues: ListPos::default(),
            agents: ListPos::default(),
            log_back: 0,
            log_visible: 0,
            queue_sort: Sort {
                col: QueueCol::Name,
                reversed: false,
            },
            agent_sort: Sort {
                col: AgentCol::State,
                reversed: false,
            },
            queue_columns: QueueCol::ALL.to_vec(),
            agent_columns: AgentCol::ALL.to_vec(),
            filter: String::new(),
            filter_parsed: Ok(Filter::default()),
            filter_editing: false,
            search: String::new(),
            search_parsed: Ok(Filter::default()),
            searching: false,
            marking: false,
            mark_note: String::new(),
            pending_mark: None,
            since_mark: false,
            pending_export: false,
            jump: None,
            paused: false,
            pin_alerts: true,
            help: false,
            details: None,
            window,
            open_details: false,
            quit: false,
            folded: Default::default(),
            channels: Default::default(),
            rewind: Default::default(),
        }
    }

    /// The filter in force, if what was typed parses.
    pub fn active_filter(&self) -> Option<&Filter> {
        self.filter_parsed.as_ref().ok().filter(|f| !f.is_empty())
    }

    /// Sets the start-up filter (from `--filter` or the config); refuses
    /// one that does not parse.
    pub fn start_with_filter(&mut self, text: &str) -> Result<(), FilterError> {
        Filter::parse(text)?;
        self.set_filter(text.to_string());
        Ok(())
    }

    /// Sets the start-up sort from a column name as the headers show it
    /// (`SL%`, `wait`, `for`), descending with a `-` prefix or a `:desc`
    /// suffix (`:asc` is the default). Each table that has a column of
    /// that name sorts by it: `QUEUE` sorts queues by name and agents by
    /// queue. "Descending" is the reverse of the column's own order
    /// (figures sort worst first, names A to Z), as `S` does.
    pub fn start_with_sort(&mut self, text: &str) -> Result<(), String> {
        let t = text.trim();
        let (name, reversed) = if let Some(n) = t.strip_prefix('-') {
            (n, true)
        } else if let Some(n) = t.strip_suffix(":desc") {
            (n, true)
        } else {
            (t.strip_suffix(":asc").unwrap_or(t), false)
        };
        let q = QueueCol::sortable_by_label(name);
        let a = AgentCol::sortable_by_label(name);
        if q.is_none() && a.is_none() {
            return Err(format!(
                "unknown sort column `{name}` (a column header: QUEUE, WAIT, SL%, AGENT, STATE, FOR...)"
            ));
        }
        if let Some(col) = q {
            self.queue_sort = Sort { col, reversed };
        }
        if let Some(col) = a {
            self.agent_sort = Sort { col, reversed };
        }
        Ok(())
    }

    /// The search in force, if what was typed parses.
    pub fn active_search(&self) -> Option<&Filter> {
        self.search_parsed.as_ref().ok().filter(|f| !f.is_empty())
    }

    fn set_search(&mut self, f: String) {
        self.search_parsed = Filter::parse(&f);
        self.search = f;
        self.jump = Some(Jump::Here);
    }

    /// What is being typed: the search or the filter.
    fn typed(&self) -> &str {
        if self.marking {
            &self.mark_note
        } else if self.searching {
            &self.search
        } else {
            &self.filter
        }
    }

    fn set_typed(&mut self, f: String) {
        if self.marking {
            self.mark_note = f;
        } else if self.searching {
            self.set_search(f);
        } else {
            self.set_filter(f);
        }
    }

    fn set_filter(&mut self, f: String) {
        self.filter_parsed = Filter::parse(&f);
        self.filter = f;
        self.queues.home();
        self.agents.home();
    }

    fn move_by(&mut self, by: isize) {
        if let Some(d) = &mut self.details {
            d.scroll = d.scroll.saturating_add_signed(by);
            return;
        }
        match self.focus {
            Pane::Queues => self.queues.step(by),
            Pane::Agents => self.agents.step(by),
            // Up in the log goes back in time.
            Pane::Log => self.log_back = self.log_back.saturating_add_signed(-by),
        }
    }

    fn page(&self) -> isize {
        let rows = match self.focus {
            Pane::Queues => self.queues.visible,
            Pane::Agents => self.agents.visible,
            Pane::Log => self.log_visible,
        };
        rows.max(1) as isize
    }

    /// Applies one action. Returns false when it changed nothing.
    pub fn apply(&mut self, action: Action) -> bool {
        // The help covers the screen: keys pressed while it is open must
        // not move or change what is under it unseen, and `q`, pressed to
        // close it, must not close the monitor.
        if self.help {
            match action {
                Action::Help | Action::Back | Action::Quit => self.help = false,
                Action::Interrupt => self.quit = true,
                Action::Redraw => {}
                _ => return false,
            }
            return true;
        }
        let typing = crate::rewind::Typing {
            editing: &mut self.filter_editing,
            searching: &mut self.searching,
        };
        if let Some(changed) = self.rewind.apply(action, typing) {
            return changed;
        }
        let before = self.clone();
        match action {
            Action::Quit | Action::Interrupt => self.quit = true,
            Action::Help => self.help = !self.help,
            Action::NextPane => self.focus = self.focus.next(),
            Action::PrevPane => self.focus = self.focus.prev(),
            Action::Up => self.move_by(-1),
            Action::Down => self.move_by(1),
            Action::PageUp => self.move_by(-self.page()),
            Action::PageDown => self.move_by(self.page()),
            Action::Home => match (&mut self.details, self.focus) {
                (Some(d), _) => d.scroll = 0,
                (None, Pane::Queues) => self.queues.home(),
                (None, Pane::Agents) => self.agents.home(),
                (None, Pane::Log) => self.log_back = usize::MAX,
            },
            Action::End => match (&mut self.details, self.focus) {
                (Some(d), _) => d.scroll = usize::MAX,
                (None, Pane::Queues) => self.queues.end(),
                (None, Pane::Agents) => self.agents.end(),
                (None, Pane::Log) => self.log_back = 0,
            },
            Action::Fold => {
                if let (Pane::Queues, Some(id)) = (self.focus, &self.queues.id)
                    && !self.folded.remove(id)
                {
                    self.folded.insert(id.clone());
                }
            }
            Action::Channels => {
                let id = match (&self.details, self.focus) {
                    (Some(d), _) => match &d.target {
                        RowId::Queue(id) => Some(id),
                        RowId::Agent(_) => None,
                    },
                    (None, Pane::Queues) => self.queues.id.as_ref(),
                    (None, _) => None,
                };
                if let Some(id) = id.cloned()
                    && !self.channels.remove(&id)
                {
                    self.channels.insert(id);
                }
            }
            Action::Sort => match self.focus {
                Pane::Agents => self.agent_sort.col = self.agent_sort.col.next_sort(),
                _ => self.queue_sort.col = self.queue_sort.col.next_sort(),
            },
            Action::Reverse => match self.focus {
                Pane::Agents => self.agent_sort.reversed = !self.agent_sort.reversed,
                _ => self.queue_sort.reversed = !self.queue_sort.reversed,
            },
            Action::StartFilter => {
                self.filter_editing = true;
                self.searching = false;
            }
            Action::StartSearch => {
                // A new search, as in htop: the last one is typed over.
                self.filter_editing = true;
                self.searching = true;
                self.set_search(String::new());
                self.jump = None;
            }
            Action::SearchNext => self.jump = Some(Jump::Next),
            Action::SearchPrev => self.jump = Some(Jump::Prev),
            Action::FilterChar(c) => {
                // Bounded: a filter is a few letters, not a paste of a novel.
                let most = if self.marking {
                    queuetop_engine::mark::MAX_NOTE_CHARS
                } else {
                    64
                };
                if self.typed().chars().count() < most && !queuetop_engine::text::is_unsafe(c) {
                    let mut f = self.typed().to_string();
                    f.push(c);
                    self.set_typed(f);
                }
            }
            Action::FilterBackspace => {
                let mut f = self.typed().to_string();
                f.pop();
                self.set_typed(f);
            }
            Action::FilterDone => {
                if std::mem::take(&mut self.marking) {
                    self.pending_mark = Some(std::mem::take(&mut self.mark_note));
                }
                self.filter_editing = false;
                self.searching = false;
            }
            Action::Mark => {
                self.filter_editing = true;
                self.searching = false;
                self.marking = true;
                self.mark_note.clear();
            }
            Action::SinceMark => self.since_mark = !self.since_mark,
            Action::Export => self.pending_export = true,
            Action::Back => {
                if std::mem::take(&mut self.marking) {
                    // No mark: the filter and the search stay as they were.
                    self.filter_editing = false;
                    self.mark_note.clear();
                } else if self.filter_editing {
                    self.filter_editing = false;
                    self.set_typed(String::new());
                    self.jump = None;
                    self.searching = false;
                } else if self.details.is_some() {
                    self.details = None;
                } else if !self.filter.is_empty() {
                    self.set_filter(String::new());
                }
            }
            Action::Pause => self.paused = !self.paused,
            Action::Enter => {
                if self.details.is_none() && self.focus != Pane::Log {
                    self.open_details = true;
                }
            }
            Action::Window => {
                self.window = match self.window {
                    WindowKind::Rolling => WindowKind::Today,
                    WindowKind::Today | WindowKind::Interval => WindowKind::Rolling,
                }
            }
            Action::Redraw => return true,
            Action::Select(t, index) => {
                let (pane, list) = match t {
                    Table::Queues => (Pane::Queues, &mut self.queues),
                    Table::Agents => (Pane::Agents, &mut self.agents),
                };
                list.index = index;
                list.id = None;
                self.focus = pane;
            }
            Action::SortBy(Table::Queues, i) => {
                if let Some(col) = QueueCol::ALL.get(i).copied().filter(|c| c.sorts()) {
                    self.queue_sort = self.queue_sort.by(col);
                    self.focus = Pane::Queues;
                }
            }
            Action::SortBy(Table::Agents, i) => {
                if let Some(col) = AgentCol::ALL.get(i).copied().filter(|c| c.sorts()) {
                    self.agent_sort = self.agent_sort.by(col);
                    self.focus = Pane::Agents;
                }
            }
            // Handled by `Rewind::apply` above.
            Action::Seek(_)
            | Action::GoToTime
            | Action::Live
            | Action::PlayPause
            | Action::Faster
            | Action::Slower
            | Action::NextEvent
            | Action::NextSecond => {}
        }
        *self != before
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reconcile_opens_details_and_clamps_the_scrolls() {
        let mut s = UiState::new(WindowKind::Rolling);
        s.open_details = true;
        s.log_back = 50;
        let mut facts = ListFacts {
            opened: Some(RowId::Queue("sales".into())),
            details_lines: Some(12),
            log_len: 30,
            log_rows: 10,
            ..ListFacts::default()
        };
        facts.queues.index = 3;
        s.reconcile(&facts);
        assert!(!s.open_details);
        assert_eq!(s.queues.index, 3);
        assert_eq!((s.log_back, s.log_visible), (20, 10));
        let d = s.details.as_mut().expect("opened");
        assert_eq!(d.target, RowId::Queue("sales".into()));
        d.scroll = 40;
        // Open details stay open on what they show; the scroll is clamped.
        facts.opened = Some(RowId::Queue("other".into()));
        s.reconcile(&facts);
        let d = s.details.as_ref().expect("still open");
        assert_eq!((&d.target, d.scroll), (&RowId::Queue("sales".into()), 11));
    }

    #[test]
    fn settle_follows_the_id_and_scrolls() {
        let mut p = ListPos {
            index: 0,
            offset: 0,
            id: Some("x".into()),
            visible: 0,
        };
        p.settle(100, Some(42), 10);
        assert_eq!((p.index, p.offset), (42, 33));
        p.step(1);
        p.settle(100, Some(3), 10);
        assert_eq!(p.index, 43, "after a move the index wins");
        p.end();
        p.settle(100, None, 10);
        assert_eq!((p.index, p.offset), (99, 90));
        p.settle(5, None, 10);
        assert_eq!((p.index, p.offset), (4, 0));
        p.settle(0, None, 10);
        assert_eq!((p.index, p.offset), (0, 0));
    }

    #[test]
    fn the_help_takes_every_key_while_open() {
        let mut s = UiState::new(WindowKind::Rolling);
        s.apply(Action::Help);
        let before = s.clone();
        // Keys meant for the tables change nothing under the help.
        for a in [
            Action::Down,
            Action::End,
            Action::Sort,
            Action::NextPane,
            Action::StartFilter,
            Action::Pause,
            Action::Seek(-60_000),
        ] {
            assert!(!s.apply(a), "{a:?} changed something under the help");
        }
        assert_eq!(s, before);
        // `q` closes the help, not the monitor; then it quits.
        assert!(s.apply(Action::Quit));
        assert!(!s.help && !s.quit);
        s.apply(Action::Quit);
        assert!(s.quit);
        // Ctrl-C quits even with the help open.
        let mut s = UiState::new(WindowKind::Rolling);
        s.apply(Action::Help);
        s.apply(Action::Interrupt);
        assert!(s.quit);
    }

    #[test]
    fn escape_unwinds_one_thing_at_a_time() {
        let mut s = UiState::new(WindowKind::Rolling);
        s.apply(Action::StartFilter);
        s.apply(Action::FilterChar('b'));
        s.apply(Action::FilterDone);
        s.apply(Action::Enter);
        assert!(s.open_details);
        s.open_details = false;
        s.details = Some(Details {
            target: RowId::Queue("billing".into()),
            scroll: 0,
        });
        s.apply(Action::Help);
        assert!(s.help && s.details.is_some() && s.filter == "b");
        s.apply(Action::Back);
        assert!(!s.help && s.details.is_some());
        s.apply(Action::Back);
        assert!(s.details.is_none() && s.filter == "b");
        s.apply(Action::Back);
        assert!(s.filter.is_empty());
        assert!(!s.apply(Action::Back), "nothing left to undo");
    }

    #[test]
    fn sort_keys_act_on_the_focused_table() {
        let mut s = UiState::new(WindowKind::Rolling);
        s.apply(Action::Sort);
        assert_eq!(s.queue_sort.col, QueueCol::Waiting);
        s.apply(Action::NextPane);
        s.apply(Action::Reverse);
        assert!(s.agent_sort.reversed && !s.queue_sort.reversed);
        s.apply(Action::Window);
        assert_eq!(s.window, WindowKind::Today);
    }

    #[test]
    fn clicks_select_and_sort_and_a_second_click_reverses() {
        let mut s = UiState::new(WindowKind::Rolling);
        assert!(s.apply(Action::Select(Table::Agents, 7)));
        assert_eq!(
            (s.focus, s.agents.index, s.agents.id.as_deref()),
            (Pane::Agents, 7, None)
        );
        s.apply(Action::SortBy(
            Table::Queues,
            QueueCol::ServiceLevel.index(),
        ));
        assert_eq!(
            (s.focus, s.queue_sort.col, s.queue_sort.reversed),
            (Pane::Queues, QueueCol::ServiceLevel, false)
        );
        s.apply(Action::SortBy(
            Table::Queues,
            QueueCol::ServiceLevel.index(),
        ));
        assert!(s.queue_sort.reversed, "again reverses");
        s.apply(Action::SortBy(Table::Queues, QueueCol::Waiting.index()));
        assert_eq!(
            (s.queue_sort.col, s.queue_sort.reversed),
            (QueueCol::Waiting, false)
        );
        // The sparkline and the agents' figures do not sort: nothing moves.
        assert!(!s.apply(Action::SortBy(Table::Queues, QueueCol::Trend.index())));
        assert!(!s.apply(Action::SortBy(Table::Agents, AgentCol::Handled.index())));
        assert!(!s.apply(Action::SortBy(Table::Agents, 99)));
        s.apply(Action::SortBy(Table::Agents, AgentCol::For.index()));
        assert_eq!((s.focus, s.agent_sort.col), (Pane::Agents, AgentCol::For));
    }

    #[test]
    fn start_up_sort_reads_headers() {
        let mut s = UiState::new(WindowKind::Rolling);
        s.start_with_sort("-sl%").expect("sl%");
        assert_eq!(
            s.queue_sort,
            Sort {
                col: QueueCol::ServiceLevel,
                reversed: true
            }
        );
        assert_eq!(s.agent_sort.col, AgentCol::State, "agents untouched");
        s.start_with_sort("QUEUE:desc").expect("queue");
        assert_eq!(s.queue_sort.col, QueueCol::Name);
        assert_eq!(
            (s.agent_sort.col, s.agent_sort.reversed),
            (AgentCol::Queue, true)
        );
        s.start_with_sort("for:asc").expect("for");
        assert!(!s.agent_sort.reversed);
        assert!(s.start_with_sort("bogus").unwrap_err().contains("`bogus`"));
        assert!(
            s.start_with_sort("WAITING 5m").is_err(),
            "the sparkline does not sort"
        );
    }

    #[test]
    fn start_up_filter_refuses_what_does_not_parse() {
        let mut s = UiState::new(WindowKind::Rolling);
        assert!(s.start_with_filter("state:bogus").is_err());
        assert!(s.filter.is_empty());
        s.start_with_filter("state:away").expect("parses");
        assert!(s.active_filter().is_some());
    }

    #[test]
    fn filter_refuses_control_characters() {
        let mut s = UiState::new(WindowKind::Rolling);
        s.apply(Action::FilterChar('\u{1b}'));
        s.apply(Action::FilterChar('A'));
        assert_eq!(s.filter.as_str(), "A");
        assert!(s.active_filter().is_some());
        s.apply(Action::FilterChar(':'));
        assert!(s.filter_parsed.is_err() && s.active_filter().is_none());
    }
}
