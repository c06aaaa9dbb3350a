//! What a person asked the view to do, whatever key or gesture said it:
//! the vocabulary shared by the key table, the input mapper and the state.

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Action {
    /// `q`: quit (while the help is open, close it).
    Quit,
    /// Ctrl-C: quit, whatever is open or typed.
    Interrupt,
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
    /// `\`: type a search (the filter language; it hides nothing).
    StartSearch,
    /// `n` / `N`: the selection to the next / previous row the search matches.
    SearchNext,
    SearchPrev,
    /// Esc: close help, leave details, clear the filter (one at a time).
    Back,
    Pause,
    Enter,
    Window,
    /// `f`: fold or unfold the selected site or queue group.
    Fold,
    /// `c`: show the selected queue (or the queue in details) split by
    /// channel, or joined again.
    Channels,
    /// `m`: type a note and set an incident mark.
    Mark,
    /// `M`: the window figures as their change since the latest mark.
    SinceMark,
    /// `e`: write what is on screen to a file.
    Export,
    /// The terminal changed size: draw again at once.
    Redraw,
    /// A click on a table's row: its index in the table's order.
    Select(Table, usize),
    /// A click on a column header: the column's index among all the
    /// table's columns. Sorts by it; again reverses.
    SortBy(Table, usize),
    /// Left/Right (Shift: ten times as far): rewind the view by this many
    /// milliseconds of feed time (negative: back).
    Seek(queuetop_engine::time::Millis),
    /// Type a time of day to rewind to.
    GoToTime,
    /// Back to the live floor.
    Live,
    /// A replay's controls: pause / play, faster, slower, one event on,
    /// one second on.
    PlayPause,
    Faster,
    Slower,
    NextEvent,
    NextSecond,
}

/// One of the two tables, for the actions aimed at a row or a column.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Table {
    Queues,
    Agents,
}
