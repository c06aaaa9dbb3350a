//! Builds the render benchmark's biggest floor (50,000 agents, 2,000
//! queues) and draws a given number of frames at 200x60, for counting
//! instructions with callgrind (repeatable where timings on a shared host
//! are not). Only `run_frames` is counted:
//!
//!     cargo build --profile bench --example frame_look
//!     valgrind --tool=callgrind --collect-atstart=no \
//!         --toggle-collect='*run_frames*' \
//!         target/release/examples/frame_look default 5
//!
//! Cases: `default` (the default sorts), `sorted` (queues by waiting,
//! agents by name reversed), `filtered` (the same, filtered to `away`),
//! `sl` (queues by service level, a window figure), `groups` (the default
//! sorts, the queues in 50 groups).

#[path = "../benches/support/mod.rs"]
mod support;

use queuetop_engine::floor::WindowKind;
use queuetop_engine::monitor::Monitor;
use queuetop_tui::agent_order::AgentOrder;
use queuetop_tui::build::{Context, build, prepare};
use queuetop_tui::columns::{AgentCol, QueueCol};
use queuetop_tui::run::draw;
use queuetop_tui::state::UiState;
use queuetop_tui::watch::Watch;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::layout::Rect;

#[inline(never)]
fn run_frames(
    m: &Monitor,
    st: &mut UiState,
    order: &mut AgentOrder,
    watch: &Watch,
    ctx: &Context<'_>,
    term: &mut Terminal<TestBackend>,
    frames: usize,
) {
    let area = Rect::new(0, 0, 200, 60);
    let theme = ctx.theme;
    for _ in 0..frames {
        let f = prepare(m, st, order, watch, ctx, area);
        st.reconcile(&f.facts);
        let scene = build(m, st, f, watch, ctx);
        let _ = draw(term, &scene, theme);
    }
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let (case, frames) = match (
        args.get(1),
        args.get(2).and_then(|n| n.parse::<usize>().ok()),
    ) {
        (Some(c), Some(n)) => (c.clone(), n),
        _ => {
            eprintln!("usage: frame_look default|sorted|filtered|sl|groups FRAMES");
            std::process::exit(2);
        }
    };
    let mut m = if case == "groups" {
        support::floor_in_groups(50_000, 2_000, 50)
    } else {
        support::floor(50_000, 2_000)
    };
    m.floor.settle();
    let opts = support::options();
    let mut watch = Watch::default();
    watch.observe(&m);
    let ctx = Context {
        theme: opts.theme,
        alerts: m.alert_engine(),
        stale_after: 5_000,
        local: m.floor.now(),
        speed: None,
    };
    let mut st = UiState::new(WindowKind::Rolling);
    if case == "sl" {
        st.queue_sort.col = QueueCol::ServiceLevel;
    } else if case != "default" && case != "groups" {
        st.queue_sort.col = QueueCol::Waiting;
        st.agent_sort.col = AgentCol::Name;
        st.agent_sort.reversed = true;
    }
    if case == "filtered" && st.start_with_filter("away").is_err() {
        std::process::exit(2);
    }
    let Ok(mut term) = Terminal::new(TestBackend::new(200, 60));
    // One frame first: the selection settles and the agents' order is
    // built, as in a live view.
    let mut order = AgentOrder::default();
    run_frames(&m, &mut st, &mut order, &watch, &ctx, &mut term, 1);
    run_frames(&m, &mut st, &mut order, &watch, &ctx, &mut term, frames);
}
