//! Builds a [`Scene`] from the monitor and the UI state, under the lock, in
//! three steps: [`prepare`] sorts and filters (reading the monitor; the
//! agents' order it keeps between frames is brought up to date with the
//! agents that changed), the UI state reconciles its selection with the
//! result, and [`build`] formats (reading only). Every queue is looked at,
//! cheaply; rows are formatted only for what fits on screen.

use std::cmp::Ordering;

use ratatui::layout::Rect;

use super::agent_order::{AgentOrder, Look, agent_key};
use super::alerts::{Level, QueueLevels};
use super::clock::hms;
use super::columns::{AgentCol, QueueCol};
use super::fit::clean;
use super::layout::{Plan, plan};
use super::model::*;
use super::pin::alerting_first;
use super::state::{Jump, ListFacts, Pane, RowId, UiState};
use super::subjects::{AgentRow, QueueRow};
use super::theme::Theme;
use super::watch::Watch;
use queuetop_engine::alert::Engine;
use queuetop_engine::floor::{
    AgentCounts, AgentIdx, AgentView, DisplayState, Figures, Floor, QueueIdx, QueueView, Share,
    WindowKind,
};
use queuetop_engine::health::FeedHealth;
use queuetop_engine::health::LinkState;
use queuetop_engine::monitor::{Monitor, SourceKind};
use queuetop_engine::time::{Millis, Ts, human};

/// What the builder needs besides the monitor and the UI state.
#[derive(Clone, Debug)]
pub struct Context<'a> {
    pub theme: Theme,
    /// The monitor's rule engine: the levels of queues and agents.
    pub alerts: &'a Engine,
    pub stale_after: Millis,
    /// Our wall clock (epoch ms), or for a replay the virtual `now`.
    pub local: Ts,
    /// A replay's speed, for the header ("x10", "max").
    pub speed: Option<String>,
}

/// Most rows a details section lists (a queue may hold thousands waiting).
const DETAIL_ROWS: usize = 500;

/// A frame's lists, filtered and sorted from the monitor and the UI state
/// (and nothing written back): what [`UiState::reconcile`] needs to keep the
/// selection and scrolls in range, and what [`build`] then formats.
pub struct Frame<'m> {
    pub facts: ListFacts,
    plan: Plan,
    queues: Vec<QueueView<'m>>,
    all_queues: usize,
    total_counts: AgentCounts,
    /// The visible stretch of the agents' order only.
    agents: Vec<AgentIdx>,
    shown_agents: usize,
    all_agents: usize,
    details: Option<DetailsScene>,
    alerting: AlertCounts,
}

/// Sorts and filters the lists for `area`. Where the selections land needs
/// the sorted lists, so it is worked out here; the UI state takes it in
/// [`UiState::reconcile`]. Expects a settled floor ([`Floor::settle`]).
pub fn prepare<'m>(
    m: &'m Monitor,
    st: &UiState,
    order: &mut AgentOrder,
    watch: &Watch,
    ctx: &Context<'_>,
    area: Rect,
) -> Frame<'m> {
    let kind = st.window;
    let floor = &m.floor;
    let (per_queue, total_counts) = floor.agent_counts();

    // Queues: every queue's view (cheap), filtered and sorted.
    let all_queues = floor.queue_ids().count();
    let filter = st.active_filter();
    // A queue's window figures are the costly part of its view: only the
    // rows drawn get them ([`build`]); a sort by one takes that one figure
    // of every queue, below.
    let mut queues: Vec<QueueView<'_>> = floor
        .queue_ids()
        .map(|q| floor.queue_view_live(q, per_queue))
        .collect();
    // An agent's queues match by name too: the names, gathered once.
    // A jump to a search match, in the focused table.
    let jump = st.jump.zip(st.active_search());
    // By queue index: looked up for every agent's every queue.
    let mut labels: Vec<&str> = Vec::new();
    if filter.is_some() || jump.is_some() {
        labels = vec![""; all_queues];
        for v in &queues {
            if let Some(slot) = v.idx.and_then(|q| labels.get_mut(q.0 as usize)) {
                *slot = v.name.unwrap_or(v.id);
            }
        }
    }
    let sites = m.has_sites();
    // Every queue's worst alert: counted for the header (filter or not),
    // and pinned first so that no alerting queue hides below the fold.
    let worst: Vec<Level> = queues
        .iter()
        .map(|v| levels_of(ctx.alerts, v).worst())
        .collect();
    let alerting = AlertCounts {
        warn: worst.iter().filter(|l| **l == Level::Warn).count(),
        crit: worst.iter().filter(|l| **l == Level::Crit).count(),
    };
    if let Some(f) = filter {
        queues.retain(|v| f.matches(&QueueRow(v, sites)));
    }
    let col = st.queue_sort.col;
    let keys: Vec<Option<f64>> = match figure_column(col) {
        Some(fc) => queues
            .iter()
            .map(|v| (fc.read)(&floor.queue_figures(v.idx?, kind)))
            .collect(),
        None => Vec::new(),
    };
    sort_queues(&mut queues, &keys, col, st.queue_sort.reversed);
    // Pinned before the tree is built: alerting queues come first within
    // their site or group, which keep their summary rows above them.
    if st.pin_alerts && alerting.warn + alerting.crit > 0 {
        alerting_first(&mut queues, |v| levels_of(ctx.alerts, v).worst());
    }
    queues = super::tree::arrange(m, queues, kind, filter.is_some(), &st.folded);

    // A queue split by channel has a line per channel under it.
    let channel_lines: usize = if st.channels.is_empty() {
        0
    } else {
        queues
            .iter()
            .map(|v| super::channels::extra(floor, v, &st.channels))
            .sum()
    };
    let plan = plan(area, queues.len() + channel_lines, watch.log.len());
    let found = st
        .queues
        .id
        .as_deref()
        .and_then(|id| queues.iter().position(|v| v.id == id));
    let mut queue_sel = st.queues.clone();
    let mut found = found;
    if let (Some((j, search)), Pane::Queues) = (jump, st.focus) {
        let from = found.unwrap_or(st.queues.index);
        if let Some(i) = jump_index(queues.len(), from, j, |i| {
            search.matches(&QueueRow(&queues[i], sites))
        }) {
            queue_sel.index = i;
            queue_sel.id = None;
            found = None;
        }
    }
    let mut queue_pos = queue_sel.settled(queues.len(), found, plan.queue_rows());
    // Queues split by channel take more than a line each.
    super::channels::keep_in_view(
        &mut queue_pos,
        &queues,
        floor,
        &st.channels,
        plan.queue_rows(),
    );
    queue_pos.id = queues.get(queue_pos.index).map(|v| v.id.to_string());

    // Agents: the order kept from frame to frame, brought up to date with
    // the agents that changed since; views are built for the visible rows
    // only.
    let all_agents = total_counts.all() as usize;
    let sort = st.agent_sort;
    order.update(&Look {
        floor,
        sort,
        filter,
        window: kind,
        sites,
        labels: if filter.is_some() { &labels } else { &[] },
    });
    let order = &*order;
    let keyed = order.agents();
    let selected = st.agents.id.as_deref().and_then(|id| floor.agent_index(id));
    let found = selected.and_then(|a| order.position(floor, sort, a));
    let mut agent_sel = st.agents.clone();
    let mut found = found;
    if let (Some((j, search)), Pane::Agents) = (jump, st.focus) {
        // The nearest match after (or before) the selected agent's place
        // in the order, wrapping.
        let hit = |i: &usize| {
            search.matches(&AgentRow {
                sites,
                floor,
                a: keyed[*i],
                kind,
                labels: &labels,
            })
        };
        let from = match (selected, j) {
            (None, _) => 0,
            (Some(c), Jump::Here | Jump::Prev) => order.rank(floor, sort, c),
            (Some(c), Jump::Next) => order.rank(floor, sort, c) + usize::from(found.is_some()),
        };
        let pick = if j == Jump::Prev {
            (0..from)
                .rev()
                .find(hit)
                .or_else(|| (0..keyed.len()).rev().find(hit))
        } else {
            (from..keyed.len())
                .find(hit)
                .or_else(|| (0..keyed.len()).find(hit))
        };
        if let Some(p) = pick {
            agent_sel.index = p;
            agent_sel.id = None;
            found = None;
        }
    }
    let mut agent_pos = agent_sel.settled(keyed.len(), found, plan.agent_rows());
    let lo = agent_pos.offset.min(keyed.len());
    let hi = (lo + plan.agent_rows()).min(keyed.len());
    let visible = &keyed[lo..hi];
    if let Some(a) = agent_pos.index.checked_sub(lo).and_then(|i| visible.get(i)) {
        agent_pos.id = Some(floor.agent_brief(*a).0.to_string());
    }
    let shown_agents = keyed.len();
    let agents: Vec<AgentIdx> = visible.to_vec();

    // Details: of what Enter asked for (the selection just worked out), or
    // of what is open.
    let opened = match st.focus {
        // A site's or a group's row has no details of its own.
        Pane::Queues => queues
            .get(queue_pos.index)
            .filter(|v| !super::tree::is_summary(v))
            .and(queue_pos.id.clone())
            .map(RowId::Queue),
        Pane::Agents => agent_pos.id.clone().map(RowId::Agent),
        Pane::Log => None,
    };
    let target = if st.open_details {
        opened.as_ref()
    } else {
        st.details.as_ref().map(|d| &d.target)
    };
    let details = target.map(|t| details(floor, kind, t, &st.channels, ctx));
    let details_lines = details
        .as_ref()
        .map(|d| d.sections.iter().map(|s| s.rows.len() + 2).sum());

    Frame {
        facts: ListFacts {
            queues: queue_pos,
            agents: agent_pos,
            opened,
            details_lines,
            log_len: watch.log.len(),
            log_rows: plan.log_rows(),
        },
        plan,
        queues,
        all_queues,
        total_counts,
        agents,
        shown_agents,
        all_agents,
        details,
        alerting,
    }
}

/// Formats the scene from a reconciled UI state: reads only.
pub fn build(
    m: &Monitor,
    st: &UiState,
    frame: Frame<'_>,
    watch: &Watch,
    ctx: &Context<'_>,
) -> Scene {
    let kind = st.window;
    let mut header = header(m, st, ctx);
    let floor = &m.floor;
    let Frame {
        plan,
        queues,
        all_queues,
        total_counts,
        agents,
        shown_agents,
        all_agents,
        details,
        alerting,
        ..
    } = frame;

    // Sites or groups: the table is a tree (summary rows among the queues).
    let tree = m.has_sites() || queues.iter().any(super::tree::is_summary);
    header.alerting = alerting;
    // `M`: the figures as their change since the latest mark, if any.
    let since_mark = st.since_mark.then(|| m.marks().baseline(kind)).flatten();
    let mut queue_rows: Vec<Row> = Vec::with_capacity(plan.queue_rows());
    let (per_queue, _) = floor.agent_counts();
    for (i, v) in queues.iter().enumerate().skip(st.queues.offset) {
        if queue_rows.len() >= plan.queue_rows() {
            break;
        }
        // A row drawn, with its window figures ([`prepare`] leaves them out
        // of queues' rows when it can, and always of groups' rows); a
        // site's row has them already.
        let full = match v.idx {
            Some(q) => Some(floor.queue_view(q, kind, per_queue)),
            None => floor.group_key(v.id).map(|g| floor.group_totals(g, kind)),
        };
        let v = full.as_ref().unwrap_or(v);
        let mut row = queue_row(v, levels_of(ctx.alerts, v), ctx.theme);
        if tree {
            super::tree::name_cell(&mut row, v, m, &st.folded, ctx.theme);
        }
        if let Some(base) = since_mark {
            crate::since_mark::overlay(&mut row, v, base.point(v.id));
        }
        row.selected = i == st.queues.index && st.focus == Pane::Queues;
        row.spark = watch
            .spark(v.id)
            .map(|r| r.iter().copied().collect())
            .unwrap_or_default();
        queue_rows.push(row);
        if !st.channels.is_empty() {
            let depth = super::tree::depth(v, m);
            queue_rows.extend(super::channels::rows(
                floor,
                v,
                &st.channels,
                depth,
                ctx.theme,
            ));
        }
    }
    queue_rows.truncate(plan.queue_rows());
    let totals = floor.totals(kind, total_counts);
    let mut totals_row = queue_row(&totals, QueueLevels::default(), ctx.theme);
    if let Some(base) = since_mark {
        crate::since_mark::overlay(&mut totals_row, &totals, base.point(""));
    }
    // The totals are the whole floor's, filter or not: say so.
    totals_row.cells[QueueCol::Name.index()] = Cell::plain(if st.active_filter().is_none() {
        "TOTAL"
    } else {
        "TOTAL (all)"
    });

    let agent_rows = agents
        .iter()
        .enumerate()
        .map(|(i, a)| {
            let v = floor.agent_view(*a, kind);
            let mut row = agent_row(&v, ctx.alerts.agent_level(*a), ctx.theme);
            row.selected = st.agents.offset + i == st.agents.index && st.focus == Pane::Agents;
            row
        })
        .collect();

    // The log: the visible entries only.
    let tz = &floor.settings().day_start.tz;
    let log = watch
        .log
        .window(st.log_back, plan.log_rows())
        .map(|e| LogLine {
            time: hms(e.at, tz),
            severity: e.severity,
            text: clean(&e.text).into_owned(),
        })
        .collect();

    Scene {
        plan,
        header,
        queues: TableScene {
            rows: queue_rows,
            aside: Some(match (since_mark, m.marks().latest()) {
                // The table shows changes: say so where the figures are.
                (Some(_), Some(mark)) => crate::since_mark::title(mark, floor),
                // Asked for changes with nothing to change from: say how.
                _ if st.since_mark => crate::since_mark::NO_MARK.to_string(),
                _ => crate::interval::strip(floor),
            }),
            totals: Some(totals_row),
            sort_col: st.queue_sort.col.index(),
            reversed: st.queue_sort.reversed,
            focused: st.focus == Pane::Queues,
            // Queues only: a site's or a group's row is not one.
            shown: queues.iter().filter(|v| v.idx.is_some()).count(),
            lines: queues.len(),
            total: all_queues,
            offset: st.queues.offset,
            columns: st.queue_columns.iter().map(|c| c.index()).collect(),
            pinned: st.pin_alerts && alerting.warn + alerting.crit > 0,
        },
        agents: TableScene {
            rows: agent_rows,
            aside: None,
            totals: None,
            sort_col: st.agent_sort.col.index(),
            reversed: st.agent_sort.reversed,
            focused: st.focus == Pane::Agents,
            shown: shown_agents,
            total: all_agents,
            lines: 0,
            offset: st.agents.offset,
            columns: st.agent_columns.iter().map(|c| c.index()).collect(),
            pinned: false,
        },
        log,
        log_focused: st.focus == Pane::Log,
        log_back: st.log_back,
        log_len: watch.log.len(),
        details: details.map(|mut d| {
            d.scroll = st.details.as_ref().map_or(0, |s| s.scroll);
            d
        }),
        filter: clean(&st.filter).into_owned(),
        filter_error: st.filter_parsed.as_ref().err().map(|e| e.to_string()),
        filter_editing: st.filter_editing,
        search: clean(&st.search).into_owned(),
        search_error: st.search_parsed.as_ref().err().map(|e| e.to_string()),
        searching: st.searching,
        mark_note: st.marking.then(|| clean(&st.mark_note).into_owned()),
        help: st.help,
        time_prompt: st.rewind.typing.clone(),
        time_error: st.rewind.error.clone(),
    }
}

fn header(m: &Monitor, st: &UiState, ctx: &Context<'_>) -> HeaderScene {
    let replay = m.source().kind == SourceKind::Replay;
    let floor_now = m.floor.now();
    let label = match m.source().kind {
        SourceKind::Url => None,
        SourceKind::Demo => Some("DEMO"),
        SourceKind::Replay => Some("REPLAY"),
    };
    let (link, link_level) = match m.link() {
        LinkState::Reconnecting {
            attempt,
            next_try_ms,
            last_error,
        } => {
            let wait = (next_try_ms - ctx.local.0).max(0);
            let when = if wait == 0 {
                "now".to_string()
            } else {
                format!("in {}s", (wait + 999) / 1000)
            };
            (
                format!(
                    "RECONNECTING {when} (attempt {attempt}: {})",
                    clean(last_error)
                ),
                Level::Crit,
            )
        }
        LinkState::AuthFailed {
            detail,
            next_try_ms,
        } => {
            let wait = (next_try_ms - ctx.local.0).max(0);
            (
                format!(
                    "AUTH FAILED: {} (retry in {}s)",
                    clean(detail),
                    (wait + 999) / 1000
                ),
                Level::Crit,
            )
        }
        LinkState::Connecting => ("connecting".to_string(), Level::Warn),
        LinkState::LoadingHistory { done, total } => (
            format!("loading history {}%", done * 100 / (*total).max(1)),
            Level::Warn,
        ),
        LinkState::Ended => ("ended".to_string(), Level::Ok),
        // A paced replay's own speed and pause, as the keys set them.
        LinkState::Connected if replay => match m.pace() {
            Some(p) if p.paused() => (format!("paused {}", p.speed_text()), Level::Ok),
            Some(p) => (format!("playing {}", p.speed_text()), Level::Ok),
            None => {
                let speed = ctx.speed.as_deref().unwrap_or("1");
                (format!("playing x{speed}"), Level::Ok)
            }
        },
        LinkState::Connected => match m.health(Some(ctx.local), ctx.stale_after) {
            FeedHealth::Stale => ("STALE".to_string(), Level::Crit),
            FeedHealth::Resyncing => ("resyncing".to_string(), Level::Warn),
            _ => ("connected".to_string(), Level::Ok),
        },
    };
    let last_event = if replay {
        m.floor
            .latest_event()
            .map(|t| format!("{} ago", human(floor_now.since(t))))
    } else {
        m.last_event_local()
            .map(|t| format!("{} ago", human(ctx.local.since(t))))
    };
    let rate_clock = if replay { floor_now } else { ctx.local };
    let window = match st.window {
        WindowKind::Rolling => format!("{} rolling", span(m.floor.window_span(st.window))),
        WindowKind::Today => format!("today ({})", human(m.floor.window_span(st.window))),
        WindowKind::Interval => format!("interval ({})", human(m.floor.window_span(st.window))),
    };
    let offset = m.clock().offset();
    let counts = m.floor.counts();
    HeaderScene {
        label,
        // The view sets it: only it knows the live clock while rewound.
        rewind: None,
        target: clean(&m.source().target).into_owned(),
        link,
        link_level,
        paused: st.paused,
        clock: hms(floor_now, &m.floor.settings().day_start.tz),
        last_event,
        rate: m.rate().per_second(rate_clock),
        window,
        uncertain_since: m
            .floor
            .uncertain_since(st.window)
            .map(|u| hms(u.since, &m.floor.settings().day_start.tz)),
        // The feed's clock differs from ours: say so, timers are corrected.
        // Same meaning and sign as the snapshot's `clock_offset_s`: our
        // clock minus the feed's (+ when the feed is behind us).
        offset: (offset.abs() > 2000).then(|| {
            let sign = if offset > 0 { "+" } else { "-" };
            format!("{sign}{:.1}s", offset.abs() as f64 / 1000.0)
        }),
        rejected: counts.rejected,
        gaps: counts.gaps,
        sites: super::sites::links(m, ctx.local, ctx.stale_after, replay),
        // Filled in from the frame (prepare counts them).
        alerting: AlertCounts::default(),
    }
}

/// A window length as configured: `15m`, `1h`, `1h30m`, `90s`.
fn span(ms: Millis) -> String {
    let s = ms / 1000;
    match (s / 3600, (s % 3600) / 60, s % 60) {
        (0, 0, sec) => format!("{sec}s"),
        (0, m, 0) => format!("{m}m"),
        (h, 0, 0) => format!("{h}h"),
        (h, m, 0) => format!("{h}h{m:02}m"),
        _ => human(ms),
    }
}

fn dur(ms: Millis) -> String {
    human(ms)
}

fn opt_dur(ms: Option<f64>) -> String {
    ms.map_or_else(|| "-".to_string(), |v| human(v.round() as Millis))
}

fn opt_pct(p: Option<f64>) -> String {
    p.map_or_else(|| "-".to_string(), |v| format!("{v:.1}"))
}

/// An NPS score (-100 to 100), signed so that a negative one stands out.
fn opt_score(p: Option<f64>) -> String {
    p.map_or_else(|| "-".to_string(), |v| format!("{v:+.0}"))
}

/// A CSAT mean on its 1-5 scale.
fn opt_mean(p: Option<f64>) -> String {
    p.map_or_else(|| "-".to_string(), |v| format!("{v:.2}"))
}

/// Occupancy in a table cell: whole percent. It is a time integral that
/// moves a little every second; a decimal would redraw every agent row
/// every second (too many bytes on a slow link). The details show one.
fn occ_cell(p: Option<Share>) -> String {
    p.map_or_else(|| "-".to_string(), |s| format!("{:.0}", s.pct_to(0)))
}

fn alerted(text: String, level: Level, theme: Theme) -> Cell {
    Cell {
        text: text + theme.level_symbol(level),
        level,
        state: None,
    }
}

fn levels_of(engine: &Engine, v: &QueueView<'_>) -> QueueLevels {
    v.idx
        .map(|q| QueueLevels::of(engine, q))
        .unwrap_or_default()
}

fn queue_row(v: &QueueView<'_>, lv: QueueLevels, theme: Theme) -> Row {
    let f = &v.figures;
    let c = |s: DisplayState| Cell::plain(v.agents.get(s).to_string());
    let cells = QueueCol::ALL
        .iter()
        .map(|col| match col {
            QueueCol::Name => Cell::plain(clean(v.label())),
            QueueCol::Waiting => alerted(v.waiting.to_string(), lv.waiting, theme),
            QueueCol::Longest => alerted(dur(v.longest_wait), lv.longest_wait, theme),
            QueueCol::Available => c(DisplayState::Available),
            QueueCol::OnContact => c(DisplayState::OnContact),
            QueueCol::WrapUp => c(DisplayState::WrapUp),
            QueueCol::Away => Cell::plain(
                (v.agents.get(DisplayState::Away) + v.agents.get(DisplayState::Busy)).to_string(),
            ),
            QueueCol::ServiceLevel => alerted(opt_pct(f.service_level), lv.service_level, theme),
            QueueCol::Asa => alerted(opt_dur(f.asa), lv.asa, theme),
            QueueCol::AbandonRate => alerted(opt_pct(f.abandon_rate), lv.abandon_rate, theme),
            QueueCol::Att => Cell::plain(opt_dur(f.att)),
            QueueCol::Aht => Cell::plain(opt_dur(f.aht)),
            QueueCol::FrtAvg => Cell::plain(opt_dur(f.frt.avg)),
            QueueCol::FrtP90 => Cell::plain(opt_dur(f.frt.p90)),
            QueueCol::Fcr => Cell::plain(opt_pct(f.fcr)),
            QueueCol::Occupancy => alerted(occ_cell(f.occupancy), lv.occupancy, theme),
            QueueCol::Art => alerted(opt_dur(f.art.avg), lv.art, theme),
            QueueCol::ArtP90 => Cell::plain(opt_dur(f.art.p90)),
            QueueCol::Csat => alerted(opt_pct(f.csat_pct), lv.csat, theme),
            QueueCol::Nps => Cell::plain(opt_score(f.nps)),
            QueueCol::AvgWait => Cell::plain(opt_dur(f.avg_wait)),
            QueueCol::MaxWait => Cell::plain(opt_dur(f.max_wait)),
            QueueCol::Resolution => Cell::plain(opt_dur(f.resolution)),
            QueueCol::Trend => Cell::default(),
        })
        .collect();
    Row {
        cells,
        ..Row::default()
    }
}

pub fn state_word(s: DisplayState) -> &'static str {
    match s {
        DisplayState::OnContact => "on contact",
        DisplayState::Available => "available",
        DisplayState::Busy => "busy",
        DisplayState::WrapUp => "wrap-up",
        DisplayState::Away => "away",
        DisplayState::Offline => "offline",
    }
}

fn contacts_text(v: &AgentView<'_>, theme: Theme) -> String {
    v.contacts
        .iter()
        .map(|c| {
            let hold = if c.on_hold { theme.hold_mark() } else { "" };
            format!("{} {}{hold}", clean(c.id), human(c.talk))
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// `level`: the worst of the agent's alerts, marked on its time in state
/// (every agent rule is a time: in a state, on hold, talking, available).
fn agent_row(v: &AgentView<'_>, level: Level, theme: Theme) -> Row {
    let state = match v.reason {
        Some(r) => format!("{}: {}", state_word(v.state), clean(r)),
        None => state_word(v.state).to_string(),
    };
    let queue = if v.contacts.is_empty() {
        v.queues
            .iter()
            .map(|q| clean(q))
            .collect::<Vec<_>>()
            .join(",")
    } else {
        let mut qs: Vec<String> = v
            .contacts
            .iter()
            .filter_map(|c| c.queue)
            .map(|q| clean(q).into_owned())
            .collect();
        qs.dedup();
        qs.join(",")
    };
    let cells = AgentCol::ALL
        .iter()
        .map(|col| match col {
            AgentCol::Name => Cell::plain(clean(v.label())),
            AgentCol::State => Cell {
                state: Some(v.state),
                ..Cell::plain(state.clone())
            },
            AgentCol::For => alerted(human(v.state_for), level, theme),
            AgentCol::Contacts => Cell::plain(contacts_text(v, theme)),
            AgentCol::Queue => Cell::plain(queue.clone()),
            AgentCol::Handled => Cell::plain(v.handled.to_string()),
            AgentCol::Att => Cell::plain(opt_dur(v.att)),
            AgentCol::Occupancy => Cell::plain(occ_cell(v.occupancy)),
            AgentCol::Art => Cell::plain(opt_dur(v.art.avg)),
            AgentCol::Csat => Cell::plain(opt_mean(v.csat_avg)),
        })
        .collect();
    Row {
        cells,
        dim: v.state == DisplayState::Offline,
        ..Row::default()
    }
}

/// The row a search jump lands on: from `from`, forward (`Here` counts
/// `from` itself) or back, wrapping; `None` when nothing matches.
fn jump_index(len: usize, from: usize, j: Jump, hit: impl Fn(usize) -> bool) -> Option<usize> {
    if len == 0 {
        return None;
    }
    let from = from.min(len - 1);
    (0..len)
        .map(|k| match j {
            Jump::Here => (from + k) % len,
            Jump::Next => (from + 1 + k) % len,
            Jump::Prev => (from + len - 1 - k) % len,
        })
        .find(|i| hit(*i))
}

fn cmp_opt(a: Option<f64>, b: Option<f64>) -> Ordering {
    match (a, b) {
        (Some(x), Some(y)) => x.total_cmp(&y),
        (None, None) => Ordering::Equal,
        (None, Some(_)) => Ordering::Less,
        (Some(_), None) => Ordering::Greater,
    }
}

/// Figures sort worst first: most waiting, longest waits, lowest service
/// level and FCR; names sort A to Z. `S` reverses. `keys` holds, for a
/// window-figure column, each queue's figure (see [`figure`]).
///
/// A view is a few hundred bytes and a sort moves its items many times, so
/// the sort orders indices and the views then move by one swap each at
/// most (none when the order was right already).
fn sort_queues(v: &mut [QueueView<'_>], keys: &[Option<f64>], col: QueueCol, reversed: bool) {
    let key = |i: usize| keys.get(i).copied().flatten();
    let mut order: Vec<usize> = (0..v.len()).collect();
    order.sort_by(|&i, &j| {
        let primary = queue_order(&v[i], &v[j], key(i), key(j), col);
        let primary = if reversed { primary.reverse() } else { primary };
        primary.then_with(|| v[i].id.cmp(v[j].id))
    });
    permute(v, &mut order);
}

/// Puts the item that was at `order[k]` at place `k`, for every `k`.
/// (Swaps move items on: when `order[k]` names a place already filled,
/// that item went where that place's entry says, followed to a place not
/// yet filled.)
fn permute<T>(v: &mut [T], order: &mut [usize]) {
    for k in 0..order.len() {
        let mut from = order[k];
        while from < k {
            from = order[from];
        }
        order[k] = from;
        if from != k {
            v.swap(k, from);
        }
    }
}

/// How two queues compare under `col`, worst first; `ka` and `kb` are
/// their figures for a window-figure column.
fn queue_order(
    a: &QueueView<'_>,
    b: &QueueView<'_>,
    ka: Option<f64>,
    kb: Option<f64>,
    col: QueueCol,
) -> Ordering {
    if let Some(fc) = figure_column(col) {
        return if fc.lowest_worst {
            cmp_opt(ka, kb)
        } else {
            cmp_opt(kb, ka)
        };
    }
    let st = |q: &QueueView<'_>, s: DisplayState| q.agents.get(s);
    match col {
        QueueCol::Name | QueueCol::Trend => a.label().cmp(b.label()),
        QueueCol::Waiting => b.waiting.cmp(&a.waiting),
        QueueCol::Longest => b.longest_wait.cmp(&a.longest_wait),
        QueueCol::Available => st(b, DisplayState::Available).cmp(&st(a, DisplayState::Available)),
        QueueCol::OnContact => st(b, DisplayState::OnContact).cmp(&st(a, DisplayState::OnContact)),
        QueueCol::WrapUp => st(b, DisplayState::WrapUp).cmp(&st(a, DisplayState::WrapUp)),
        QueueCol::Away => (st(b, DisplayState::Away) + st(b, DisplayState::Busy))
            .cmp(&(st(a, DisplayState::Away) + st(a, DisplayState::Busy))),
        // The window figures: compared above.
        _ => Ordering::Equal,
    }
}

/// A queue column that shows a window figure: how to read it, and which
/// end is the worst.
struct FigureColumn {
    read: fn(&Figures) -> Option<f64>,
    /// Service level, FCR, CSAT and NPS: the lowest is the worst. For the
    /// others the highest is (busiest, slowest, most abandoned).
    lowest_worst: bool,
}

/// The window figure `col` shows; `None` for the live columns (who waits,
/// the agents, the name), whose sort needs no figures.
fn figure_column(col: QueueCol) -> Option<FigureColumn> {
    let (read, lowest_worst): (fn(&Figures) -> Option<f64>, bool) = match col {
        QueueCol::ServiceLevel => (|f| f.service_level, true),
        QueueCol::Fcr => (|f| f.fcr, true),
        QueueCol::Csat => (|f| f.csat_pct, true),
        QueueCol::Nps => (|f| f.nps, true),
        QueueCol::Asa => (|f| f.asa, false),
        QueueCol::AbandonRate => (|f| f.abandon_rate, false),
        QueueCol::Att => (|f| f.att, false),
        QueueCol::Aht => (|f| f.aht, false),
        QueueCol::FrtAvg => (|f| f.frt.avg, false),
        QueueCol::FrtP90 => (|f| f.frt.p90, false),
        QueueCol::Occupancy => (|f| f.occupancy.map(Share::pct), false),
        QueueCol::Art => (|f| f.art.avg, false),
        QueueCol::ArtP90 => (|f| f.art.p90, false),
        QueueCol::AvgWait => (|f| f.avg_wait, false),
        QueueCol::MaxWait => (|f| f.max_wait, false),
        QueueCol::Resolution => (|f| f.resolution, false),
        QueueCol::Name
        | QueueCol::Trend
        | QueueCol::Waiting
        | QueueCol::Longest
        | QueueCol::Available
        | QueueCol::OnContact
        | QueueCol::WrapUp
        | QueueCol::Away => return None,
    };
    Some(FigureColumn { read, lowest_worst })
}

fn sort_agents(floor: &Floor, v: &mut [AgentIdx], col: AgentCol, reversed: bool) {
    v.sort_by_cached_key(|a| agent_key(floor, *a, col));
    if reversed {
        v.reverse();
    }
}

/// The agent available longest in a queue, and for how long; `-` when
/// nobody is available.
fn longest_available(floor: &Floor, q: QueueIdx) -> Cell {
    match floor.longest_available(q) {
        Some((a, for_)) => {
            let (id, name, _, _) = floor.agent_brief(a);
            Cell::plain(format!("{} {}", clean(name.unwrap_or(id)), human(for_)))
        }
        None => Cell::plain("-"),
    }
}

fn details(
    floor: &Floor,
    kind: WindowKind,
    target: &RowId,
    split: &std::collections::BTreeSet<String>,
    ctx: &Context<'_>,
) -> DetailsScene {
    let tz = &floor.settings().day_start.tz;
    match target {
        RowId::Queue(id) => {
            let Some(q) = floor.queue_index(id) else {
                return DetailsScene {
                    title: format!("Queue {} is gone", clean(id)),
                    missing: true,
                    ..DetailsScene::default()
                };
            };
            let split = split.contains(id.as_str());
            let (per_queue, _) = floor.agent_counts();
            let v = floor.queue_view(q, kind, per_queue);
            let row = queue_row(&v, levels_of(ctx.alerts, &v), ctx.theme);
            let cell = |c: QueueCol| row.cells[c.index()].clone();
            let f = &v.figures;
            let facts = vec![
                ("waiting", cell(QueueCol::Waiting)),
                ("longest", cell(QueueCol::Longest)),
                ("SL%", cell(QueueCol::ServiceLevel)),
                ("SL threshold", Cell::plain(human(v.sl_threshold))),
                ("SL formula", Cell::plain(v.sl_formula.as_str())),
                ("entered", Cell::plain(f.entered.to_string())),
                ("answered", Cell::plain(f.answered.to_string())),
                ("abandoned", Cell::plain(f.abandoned.to_string())),
                ("ASA", cell(QueueCol::Asa)),
                ("abandon%", cell(QueueCol::AbandonRate)),
                ("ATT", cell(QueueCol::Att)),
                ("hold", Cell::plain(opt_dur(f.avg_hold))),
                ("AHT", cell(QueueCol::Aht)),
                ("FRT avg", cell(QueueCol::FrtAvg)),
                ("FRT p90", cell(QueueCol::FrtP90)),
                ("FCR%", cell(QueueCol::Fcr)),
                ("ART avg", cell(QueueCol::Art)),
                ("ART p90", cell(QueueCol::ArtP90)),
                ("resolution", cell(QueueCol::Resolution)),
                ("avg wait", cell(QueueCol::AvgWait)),
                ("max wait", cell(QueueCol::MaxWait)),
                ("CSAT%", cell(QueueCol::Csat)),
                ("CSAT avg", Cell::plain(opt_mean(f.csat_avg))),
                ("NPS", cell(QueueCol::Nps)),
                (
                    "OCC%",
                    Cell::plain(opt_pct(f.occupancy.map(|s| s.pct_to(1)))),
                ),
                ("longest available", longest_available(floor, q)),
                (
                    "longest high priority",
                    super::waiting::longest_high(floor, q),
                ),
            ];
            let mut agents: Vec<AgentIdx> = floor.agents_of(q).collect();
            sort_agents(floor, &mut agents, AgentCol::State, false);
            let agents: Vec<Vec<Cell>> = agents
                .into_iter()
                .take(DETAIL_ROWS)
                .map(|a| {
                    let v = floor.agent_view(a, kind);
                    let r = agent_row(&v, ctx.alerts.agent_level(a), ctx.theme);
                    vec![
                        r.cells[AgentCol::Name.index()].clone(),
                        r.cells[AgentCol::State.index()].clone(),
                        r.cells[AgentCol::For.index()].clone(),
                        r.cells[AgentCol::Contacts.index()].clone(),
                    ]
                })
                .collect();
            DetailsScene {
                title: format!("Queue {} ({})", clean(v.label()), clean(v.id)),
                facts,
                sections: super::waiting::sections(floor, q, v.waiting, split, DETAIL_ROWS, |t| {
                    hms(t, tz)
                })
                .into_iter()
                .chain([Section {
                    heading: format!("Agents ({})", agents.len()),
                    columns: vec!["AGENT", "STATE", "FOR", "CONTACTS"],
                    rows: agents,
                }])
                .collect(),
                scroll: 0,
                missing: false,
            }
        }
        RowId::Agent(id) => {
            let Some(a) = floor.agent_index(id) else {
                return DetailsScene {
                    title: format!("Agent {} is gone", clean(id)),
                    missing: true,
                    ..DetailsScene::default()
                };
            };
            let v = floor.agent_view(a, kind);
            let row = agent_row(&v, ctx.alerts.agent_level(a), ctx.theme);
            let facts = vec![
                ("state", row.cells[AgentCol::State.index()].clone()),
                ("for", row.cells[AgentCol::For.index()].clone()),
                (
                    "queues",
                    Cell::plain(
                        v.queues
                            .iter()
                            .map(|q| clean(q))
                            .collect::<Vec<_>>()
                            .join(", "),
                    ),
                ),
                ("handled", row.cells[AgentCol::Handled.index()].clone()),
                ("ATT", row.cells[AgentCol::Att.index()].clone()),
                ("ART avg", row.cells[AgentCol::Art.index()].clone()),
                ("ART p90", Cell::plain(opt_dur(v.art.p90))),
                ("CSAT avg", row.cells[AgentCol::Csat.index()].clone()),
                (
                    "OCC%",
                    Cell::plain(opt_pct(v.occupancy.map(|s| s.pct_to(1)))),
                ),
            ];
            let contacts = v
                .contacts
                .iter()
                .map(|c| {
                    vec![
                        Cell::plain(clean(c.id)),
                        Cell::plain(c.queue.map(|q| clean(q).into_owned()).unwrap_or_default()),
                        Cell::plain(clean(c.channel)),
                        Cell::plain(human(c.talk)),
                        Cell::plain(if c.on_hold { "on hold" } else { "" }),
                    ]
                })
                .collect();
            let history = v
                .history
                .iter()
                .rev()
                .map(|(at, s)| vec![Cell::plain(hms(*at, tz)), Cell::plain(state_word(*s))])
                .collect();
            DetailsScene {
                title: format!("Agent {} ({})", clean(v.label()), clean(v.id)),
                facts,
                sections: vec![
                    Section {
                        heading: format!("Contacts ({})", v.contacts.len()),
                        columns: vec!["CONTACT", "QUEUE", "CHANNEL", "TALK", "HOLD"],
                        rows: contacts,
                    },
                    Section {
                        heading: "Recent states (newest first)".to_string(),
                        columns: vec!["SINCE", "STATE"],
                        rows: history,
                    },
                ],
                scroll: 0,
                missing: false,
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::permute;
    use proptest::prelude::*;

    proptest! {
        /// Moving items in place gives what taking them in `order` would.
        #[test]
        fn permute_takes_the_items_in_order(
            order in (0..40usize).prop_flat_map(|n| Just((0..n).collect::<Vec<_>>()).prop_shuffle())
        ) {
            let items: Vec<String> = (0..order.len()).map(|i| format!("q{i}")).collect();
            let want: Vec<String> = order.iter().map(|&i| items[i].clone()).collect();
            let mut got = items;
            permute(&mut got, &mut order.clone());
            prop_assert_eq!(got, want);
        }
    }
}
