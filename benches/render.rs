//! Rendering costs: time per frame on a big floor (5,000 agents, 200 queues
//! at 160x48, sorting and filtering included) and on the biggest floor
//! the issue names (50,000 agents, 2,000 queues at 200x60), and bytes
//! written to the terminal per second (50 agents at 120x40, and 50,000
//! agents at 200x60) through CrosstermBackend and ratatui's diffing, with
//! timers ticking and with nothing changing. The 50,000-agent frame is
//! measured on a floor that does not change between frames (the kept
//! agents' order and counts have nothing to bring up to date) and on one
//! where 100 agents change state before each frame (a busy floor at 10
//! frames a second).
//!
//!     cargo bench --bench render

mod support;

use std::borrow::Cow;
use std::time::{Duration, Instant};

use criterion::{Criterion, criterion_group, criterion_main};
use queuetop_engine::floor::WindowKind;
use queuetop_engine::monitor::Monitor;
use queuetop_engine::protocol::{AgentState, Event, EventKind};
use queuetop_tui::agent_order::AgentOrder;
use queuetop_tui::build::{Context, build, prepare};
use queuetop_tui::columns::{AgentCol, QueueCol};
use queuetop_tui::run::draw;
use queuetop_tui::state::UiState;
use queuetop_tui::theme::Theme;
use queuetop_tui::watch::Watch;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::layout::Rect;
use support::{bytes_per_second, bytes_per_second_on, floor, floor_in_groups, options};

/// A benchmark case: its name, and how it sets the view up.
type Case = (&'static str, fn(&mut UiState));

/// A frame's whole build: sort and filter, reconcile the UI state, format.
fn frame(
    m: &Monitor,
    (st, order): &mut (UiState, AgentOrder),
    watch: &Watch,
    ctx: &Context<'_>,
    area: Rect,
) -> queuetop_tui::model::Scene {
    let f = prepare(m, st, order, watch, ctx, area);
    st.reconcile(&f.facts);
    build(m, st, f, watch, ctx)
}

/// A view's state as a case sets it up, with the agents' order it keeps.
fn view(setup: fn(&mut UiState)) -> (UiState, AgentOrder) {
    let mut st = UiState::new(WindowKind::Rolling);
    setup(&mut st);
    (st, AgentOrder::default())
}

/// A settled floor of `agents` over `queues`, and its watcher.
fn setup(agents: usize, queues: usize) -> (Monitor, Watch) {
    settled(floor(agents, queues))
}

fn settled(mut m: Monitor) -> (Monitor, Watch) {
    m.floor.settle();
    let mut watch = Watch::default();
    watch.observe(&m);
    (m, watch)
}

fn context<'a>(m: &'a Monitor, theme: Theme) -> Context<'a> {
    Context {
        theme,
        alerts: m.alert_engine(),
        stale_after: 5_000,
        local: m.floor.now(),
        speed: None,
    }
}

/// A whole frame (build and draw) for each case, in one group.
fn frame_cases(
    c: &mut Criterion,
    group: &str,
    m: &Monitor,
    watch: &Watch,
    area: Rect,
    cases: &[Case],
) {
    let opts = options();
    let ctx = context(m, opts.theme);
    let mut term = Terminal::new(TestBackend::new(area.width, area.height)).unwrap();
    let mut group = c.benchmark_group(group);
    for (name, setup) in cases {
        let mut st = view(*setup);
        group.bench_function(*name, |b| {
            b.iter(|| {
                let scene = frame(m, &mut st, watch, &ctx, area);
                draw(&mut term, &scene, opts.theme).unwrap();
            })
        });
    }
    group.finish();
}

/// Each queue's view, as the queues table reads them.
fn queue_views(c: &mut Criterion, name: &str, m: &Monitor) {
    let (counts, _) = m.floor.agent_counts();
    c.bench_function(name, |b| {
        b.iter(|| {
            m.floor
                .queue_ids()
                .map(|q| m.floor.queue_view(q, WindowKind::Rolling, counts).waiting)
                .sum::<usize>()
        })
    });
}

fn big_floor(c: &mut Criterion) {
    let (m, watch) = setup(5_000, 200);
    let area = Rect::new(0, 0, 160, 48);
    frame_cases(
        c,
        "frame_5000_agents_200_queues_160x48",
        &m,
        &watch,
        area,
        &[
            ("default_sort", |_| {}),
            ("sort_by_name_reversed", |st| {
                st.agent_sort.col = AgentCol::Name;
                st.agent_sort.reversed = true;
            }),
            ("filter_away", |st| {
                st.start_with_filter("away").unwrap();
            }),
        ],
    );
    let opts = options();
    let ctx = context(&m, opts.theme);
    let mut st = view(|_| {});
    c.bench_function("build_only_5000_agents", |b| {
        b.iter(|| frame(&m, &mut st, &watch, &ctx, area))
    });
    let scene = frame(&m, &mut st, &watch, &ctx, area);
    let mut term = Terminal::new(TestBackend::new(160, 48)).unwrap();
    c.bench_function("draw_only_160x48", |b| {
        b.iter(|| draw(&mut term, &scene, opts.theme).unwrap())
    });
    queue_views(c, "queue_views_200", &m);
    c.bench_function("agent_counts_5000", |b| b.iter(|| m.floor.agent_counts()));
    // The watcher runs on every change too (alerts, logins, sparklines).
    let mut watch = watch;
    c.bench_function("watch_5000_agents_200_queues", |b| {
        b.iter(|| watch.observe(&m))
    });
}

/// The 50,000-agent floor's cases: the lists sorted (and, in the last
/// case, filtered) as a supervisor would.
const HUGE_CASES: &[Case] = &[
    ("default_sort", |_| {}),
    ("sorted_by_wait_and_name_reversed", |st| {
        st.queue_sort.col = QueueCol::Waiting;
        st.agent_sort.col = AgentCol::Name;
        st.agent_sort.reversed = true;
    }),
    ("sorted_and_filtered_away", |st| {
        st.queue_sort.col = QueueCol::Waiting;
        st.agent_sort.col = AgentCol::Name;
        st.agent_sort.reversed = true;
        st.start_with_filter("away").unwrap();
    }),
    ("sorted_by_time_in_state", |st| {
        st.agent_sort.col = AgentCol::For;
    }),
    // Sorting by a window figure reads every queue's figures, not only
    // the rows drawn.
    ("queues_sorted_by_service_level", |st| {
        st.queue_sort.col = QueueCol::ServiceLevel;
    }),
];

/// Agents that change state before each frame of a busy floor: 100 at 10
/// frames a second is 1,000 state changes a second.
const CHANGES_PER_FRAME: usize = 100;

/// Before each frame (and not timed), `CHANGES_PER_FRAME` agents spread
/// over the floor change state and the feed's clock moves 100 ms; then one
/// whole frame, build and draw, is timed.
fn changing_frame_cases(
    c: &mut Criterion,
    group: &str,
    m: &mut Monitor,
    watch: &Watch,
    area: Rect,
    cases: &[Case],
) {
    const STATES: [AgentState; 4] = [
        AgentState::Available,
        AgentState::Away,
        AgentState::Busy,
        AgentState::WrapUp,
    ];
    let opts = options();
    let agents = m.floor.agent_slots();
    let mut term = Terminal::new(TestBackend::new(area.width, area.height)).unwrap();
    let mut group = c.benchmark_group(group);
    let mut next = 0usize;
    for (name, setup) in cases {
        let mut st = view(*setup);
        group.bench_function(*name, |b| {
            b.iter_custom(|iters| {
                let mut spent = Duration::ZERO;
                for _ in 0..iters {
                    let ts = m.floor.now().plus(100);
                    m.floor.advance(ts);
                    for _ in 0..CHANGES_PER_FRAME {
                        // A stride prime to the floor's size visits every
                        // agent before any comes again.
                        let a = next.wrapping_mul(7_919) % agents;
                        m.floor.apply(&Event {
                            ts,
                            seq: None,
                            kind: EventKind::AgentState {
                                agent: Cow::Owned(format!("a{a:05}")),
                                state: STATES[next % STATES.len()],
                                name: None,
                                queues: None,
                                reason: None,
                            },
                        });
                        next += 1;
                    }
                    m.floor.settle();
                    let ctx = context(m, opts.theme);
                    let start = Instant::now();
                    let scene = frame(m, &mut st, watch, &ctx, area);
                    draw(&mut term, &scene, opts.theme).unwrap();
                    spent += start.elapsed();
                }
                spent
            })
        });
    }
    group.finish();
}

/// One frame at 50,000 agents over 2,000 queues at 200x60, on a floor
/// that stands still and on a busy one.
fn huge_floor(c: &mut Criterion) {
    let (mut m, watch) = setup(50_000, 2_000);
    let area = Rect::new(0, 0, 200, 60);
    frame_cases(
        c,
        "frame_50000_agents_2000_queues_200x60",
        &m,
        &watch,
        area,
        HUGE_CASES,
    );
    // The parts of a frame, to see what dominates.
    let ctx = context(&m, options().theme);
    let mut st = view(|_| {});
    c.bench_function("build_only_50000_agents_200x60", |b| {
        b.iter(|| frame(&m, &mut st, &watch, &ctx, area))
    });
    queue_views(c, "queue_views_2000", &m);
    c.bench_function("agent_counts_50000", |b| b.iter(|| m.floor.agent_counts()));
    changing_frame_cases(
        c,
        "frame_50000_agents_2000_queues_200x60_100_changes_per_frame",
        &mut m,
        &watch,
        area,
        HUGE_CASES,
    );
    // The queues in 50 groups: each group's row counts its agents.
    let (m, watch) = settled(floor_in_groups(50_000, 2_000, 50));
    frame_cases(
        c,
        "frame_50000_agents_2000_queues_50_groups_200x60",
        &m,
        &watch,
        area,
        &HUGE_CASES[..1],
    );
}

fn bytes(c: &mut Criterion) {
    let ticking = bytes_per_second(60, true);
    let idle = bytes_per_second(60, false);
    println!("bytes/s at 120x40, 50 agents, timers ticking: {ticking:.0}");
    println!("bytes/s at 120x40, 50 agents, nothing changing: {idle:.0}");
    let area = Rect::new(0, 0, 200, 60);
    let big = bytes_per_second_on(floor(50_000, 2_000), area, 30, true);
    let big_idle = bytes_per_second_on(floor(50_000, 2_000), area, 5, false);
    println!("bytes/s at 200x60, 50,000 agents, 2,000 queues, timers ticking: {big:.0}");
    println!("bytes/s at 200x60, 50,000 agents, 2,000 queues, nothing changing: {big_idle:.0}");
    c.bench_function("one_second_of_ticks_50_agents_120x40", |b| {
        b.iter(|| bytes_per_second(1, true))
    });
}

criterion_group!(benches, big_floor, huge_floor, bytes);
criterion_main!(benches);
