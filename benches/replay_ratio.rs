//! Decode + apply of a whole replay, as a ratio to the time serde_json
//! needs to parse the same lines into `IgnoredAny`, both measured in one
//! run over the same lines in memory (issue 14's targets: at most 2.5x for
//! 1,000,000 events, 5,000 agents, 200 queues; at most 3x for 2,000,000
//! events, 50,000 agents, 2,000 queues). Each run times the two side by
//! side; the figure is the median over the runs.
//!
//!     cargo bench --bench replay_ratio              # both streams
//!     cargo bench --bench replay_ratio -- 5000      # only the names containing 5000
//!     QUEUETOP_RATIO_RUNS=9 scripts/replay-ratio.sh
//!
//! The replay is `Monitor::replay_frame` per line then `settle`, as
//! `snapshot --replay --speed max` does after reading each line.

mod stream;

use std::hint::black_box;
use std::time::{Duration, Instant};

use queuetop_engine::dialect::DialectKind;
use queuetop_engine::floor::{Floor, Settings};
use queuetop_engine::monitor::{Monitor, SourceInfo, SourceKind};
use serde::de::IgnoredAny;

fn monitor() -> Monitor {
    let source = SourceInfo {
        kind: SourceKind::Replay,
        target: "bench".into(),
    };
    Monitor::new(
        Floor::new(Settings::default()),
        source,
        DialectKind::Native.make(),
    )
}

/// serde_json's own parse of every line, keeping nothing.
#[inline(never)]
fn parse_all(lines: &[String]) -> Duration {
    let start = Instant::now();
    for l in lines {
        black_box(serde_json::from_str::<IgnoredAny>(l).expect("the stream is JSON"));
    }
    start.elapsed()
}

/// Decode and apply every line; the floor is dropped outside the timing.
#[inline(never)]
fn replay_all(lines: &[String]) -> (Duration, Monitor) {
    let start = Instant::now();
    let mut m = monitor();
    for l in lines {
        m.replay_frame(l);
    }
    m.floor.settle();
    (start.elapsed(), m)
}

fn median(v: &mut [f64]) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

fn main() {
    let runs: usize = std::env::var("QUEUETOP_RATIO_RUNS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(5)
        .max(1);
    // `cargo bench` passes `--bench`; a bare word picks streams by name.
    let only: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| !a.starts_with('-'))
        .collect();
    // `cargo test --all-targets` runs this once, unoptimised, as a check
    // that it works: a feed a thousandth the size, one run, and no figure
    // worth reading (`cargo bench` passes --bench).
    let measuring = std::env::args().any(|a| a == "--bench");
    let runs = if measuring { runs } else { 1 };
    let cases = [
        ("5000_agents_200_queues_1M_events", stream::BENCH, 2.5),
        ("50000_agents_2000_queues_2M_events", stream::BIG, 3.0),
    ];
    for (name, full, target) in cases {
        if !only.is_empty() && !only.iter().any(|o| name.contains(o.as_str())) {
            continue;
        }
        let shape = if measuring {
            full
        } else {
            stream::Shape {
                agents: full.agents / 100,
                queues: full.queues / 100,
                events: full.events / 1_000,
                ..full
            }
        };
        let lines = stream::generate(&shape);
        let (mut parse, mut replay, mut ratio) = (Vec::new(), Vec::new(), Vec::new());
        for _ in 0..runs {
            let p = parse_all(&lines).as_secs_f64();
            let (r, m) = replay_all(&lines);
            let r = r.as_secs_f64();
            assert_eq!(m.floor.counts().rejected, 0);
            drop(black_box(m));
            parse.push(p);
            replay.push(r);
            ratio.push(r / p);
        }
        let (p, r, x) = (median(&mut parse), median(&mut replay), median(&mut ratio));
        println!(
            "{name}: serde_json IgnoredAny {:.0} ms, decode+apply {:.0} ms ({:.2} M events/s): \
             ratio {x:.2}x (target {target}x, {}; median of {runs} runs, ratios {:.2}x to {:.2}x)",
            p * 1e3,
            r * 1e3,
            lines.len() as f64 / r / 1e6,
            match (measuring, x <= target) {
                (false, _) => "a check run on a small feed, not a measurement",
                (true, true) => "met",
                (true, false) => "missed",
            },
            ratio[0],
            ratio[ratio.len() - 1],
        );
    }
}
