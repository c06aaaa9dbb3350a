//! Rendering costs: time per frame on a big floor (5,000 agents, 200 queues
//! at 160x48, sorting and filtering included) and on the biggest floor
//! the issue names (50,000 agents, 2,000 queues at 200x60), and bytes
//! written to the terminal per second (50 agents at 120x40, and 50,000
//! agents at 200x60) through CrosstermBackend and ratatui's diffing, with
//! timers ticking and with nothing changing.
//!
//!     cargo bench --bench render

mod support;

use criterion::{Criterion, criterion_group, criterion_main};
use queuetop_engine::floor::WindowKind;
use queuetop_engine::monitor::Monitor;
use queuetop_tui::build::{Context, build, prepare};
use queuetop_tui::columns::{AgentCol, QueueCol};
use queuetop_tui::run::draw;
use queuetop_tui::state::UiState;
use queuetop_tui::watch::Watch;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::layout::Rect;
use support::{bytes_per_second, bytes_per_second_on, floor, options};

/// A benchmark case: its name, and how it sets the view up.
type Case = (&'static str, fn(&mut UiState));

/// A frame's whole build: sort and filter, reconcile the UI state, format.
fn frame(
    m: &Monitor,
    st: &mut UiState,
    watch: &Watch,
    ctx: &Context<'_>,
    area: Rect,
) -> queuetop_tui::model::Scene {
    let f = prepare(m, st, watch, ctx, area);
    st.reconcile(&f.facts);
    build(m, st, f, watch, ctx)
}

fn big_floor(c: &mut Criterion) {
    let mut m = floor(5_000, 200);
    m.floor.settle();
    let opts = options();
    let mut watch = Watch::default();
    watch.observe(&m, WindowKind::Rolling);
    let area = Rect::new(0, 0, 160, 48);
    let local = m.floor.now();
    let ctx = Context {
        theme: opts.theme,
        alerts: m.alert_engine(),
        stale_after: 5_000,
        local,
        speed: None,
    };
    let mut term = Terminal::new(TestBackend::new(160, 48)).unwrap();
    let mut group = c.benchmark_group("frame_5000_agents_200_queues_160x48");
    let cases: [Case; 3] = [
        ("default_sort", |_| {}),
        ("sort_by_name_reversed", |st| {
            st.agent_sort.col = AgentCol::Name;
            st.agent_sort.reversed = true;
        }),
        ("filter_away", |st| {
            st.start_with_filter("away").unwrap();
        }),
    ];
    for (name, setup) in cases {
        let mut st = UiState::new(WindowKind::Rolling);
        setup(&mut st);
        group.bench_function(name, |b| {
            b.iter(|| {
                let scene = frame(&m, &mut st, &watch, &ctx, area);
                draw(&mut term, &scene, opts.theme).unwrap();
            })
        });
    }
    group.finish();
    let mut st = UiState::new(WindowKind::Rolling);
    c.bench_function("build_only_5000_agents", |b| {
        b.iter(|| frame(&m, &mut st, &watch, &ctx, area))
    });
    let scene = frame(&m, &mut st, &watch, &ctx, area);
    c.bench_function("draw_only_160x48", |b| {
        b.iter(|| draw(&mut term, &scene, opts.theme).unwrap())
    });
    let (counts, _) = m.floor.agent_counts();
    c.bench_function("queue_views_200", |b| {
        b.iter(|| {
            m.floor
                .queue_ids()
                .map(|q| m.floor.queue_view(q, WindowKind::Rolling, &counts).waiting)
                .sum::<usize>()
        })
    });
    c.bench_function("agent_counts_5000", |b| b.iter(|| m.floor.agent_counts()));
    // The watcher runs on every change too (alerts, logins, sparklines).
    c.bench_function("watch_5000_agents_200_queues", |b| {
        b.iter(|| watch.observe(&m, WindowKind::Rolling))
    });
}

/// One frame at 50,000 agents over 2,000 queues at 200x60: the lists
/// sorted (and, in the last case, filtered) as a supervisor would.
fn huge_floor(c: &mut Criterion) {
    let mut m = floor(50_000, 2_000);
    m.floor.settle();
    let opts = options();
    let mut watch = Watch::default();
    watch.observe(&m, WindowKind::Rolling);
    let area = Rect::new(0, 0, 200, 60);
    let ctx = Context {
        theme: opts.theme,
        alerts: m.alert_engine(),
        stale_after: 5_000,
        local: m.floor.now(),
        speed: None,
    };
    let mut term = Terminal::new(TestBackend::new(200, 60)).unwrap();
    let mut group = c.benchmark_group("frame_50000_agents_2000_queues_200x60");
    let cases: [Case; 3] = [
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
    ];
    for (name, setup) in cases {
        let mut st = UiState::new(WindowKind::Rolling);
        setup(&mut st);
        group.bench_function(name, |b| {
            b.iter(|| {
                let scene = frame(&m, &mut st, &watch, &ctx, area);
                draw(&mut term, &scene, opts.theme).unwrap();
            })
        });
    }
    group.finish();
    // The parts of a frame, to see what dominates.
    let mut st = UiState::new(WindowKind::Rolling);
    c.bench_function("build_only_50000_agents_200x60", |b| {
        b.iter(|| frame(&m, &mut st, &watch, &ctx, area))
    });
    let (counts, _) = m.floor.agent_counts();
    c.bench_function("queue_views_2000", |b| {
        b.iter(|| {
            m.floor
                .queue_ids()
                .map(|q| m.floor.queue_view(q, WindowKind::Rolling, &counts).waiting)
                .sum::<usize>()
        })
    });
    c.bench_function("agent_counts_50000", |b| b.iter(|| m.floor.agent_counts()));
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
