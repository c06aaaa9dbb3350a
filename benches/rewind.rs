//! Rewinding: how long a seek takes, anywhere in the history, and how much
//! memory the history holds, at 5,000 and at 50,000 agents.
//!
//!     cargo bench --bench rewind
//!
//! The feed is the benchmark stream (benches/stream.rs) recorded into a
//! history with the default bounds (8 h, 256 MiB, a checkpoint every 10
//! minutes or 30,000 events). A seek is timed at instants spread over the
//! whole history, and at the worst instants (just before each checkpoint,
//! where a seek replays a whole segment). Printed: the history's bytes,
//! checkpoints and reach (and, first, its reach on a feed of eight hours
//! at 5,000 agents), what a copy of the floor is made of and how long it
//! takes, and the replay's time with the history and without.

#[allow(dead_code)] // the shapes other benchmarks use
mod stream;

use std::time::Instant;

use criterion::{Criterion, criterion_group, criterion_main};
use queuetop_engine::dialect::DialectKind;
use queuetop_engine::floor::{Floor, Settings};
use queuetop_engine::history::Bounds;
use queuetop_engine::monitor::{Monitor, SourceInfo, SourceKind};
use queuetop_engine::time::Ts;

/// The feed replayed into a monitor, with the default history or none,
/// and how long the replay took.
fn recorded(frames: &[String], history: bool) -> (Monitor, f64) {
    let mut m = Monitor::new(
        Floor::new(Settings::default()),
        SourceInfo::new(SourceKind::Replay, "bench"),
        DialectKind::Native.make(),
    );
    if history {
        m.keep_history(Bounds::default());
    }
    let start = Instant::now();
    for f in frames {
        m.replay_frame(f);
    }
    (m, start.elapsed().as_secs_f64())
}

/// The `ts` of a benchmark frame.
fn ts_of(frame: &str) -> i64 {
    let at = frame.find("\"ts\":").map_or(0, |i| i + 5);
    let digits: String = frame[at..]
        .chars()
        .take_while(char::is_ascii_digit)
        .collect();
    digits.parse().unwrap_or(0)
}

/// How far back the default bounds reach on a long feed: 3,000,000 events
/// at 5,000 agents, over eight hours of feed time.
fn long_run() {
    let frames = stream::generate(&stream::Shape {
        events: 3_000_000,
        ..stream::BENCH
    });
    let span = ts_of(&frames[frames.len() - 1]) - ts_of(&frames[0]);
    let (m, secs) = recorded(&frames, true);
    let h = m.history().expect("kept");
    eprintln!(
        "long run, 5,000 agents, 3,000,000 events over {:.1} h of feed time ({secs:.1} s): \
         the history reaches back {:.1} h in {} checkpoints, {:.1} MiB",
        span as f64 / 3_600_000.0,
        h.latest().since(h.earliest()) as f64 / 3_600_000.0,
        h.checkpoints(),
        h.bytes() as f64 / (1 << 20) as f64,
    );
}

fn rewind(c: &mut Criterion) {
    let mut group = c.benchmark_group("rewind");
    group.sample_size(10);
    // `cargo test --all-targets` runs this once, unoptimised, as a check:
    // a small feed then (`cargo bench` passes --bench).
    let measuring = std::env::args().any(|a| a == "--bench");
    let events = if measuring { 1_000_000 } else { 20_000 };
    if measuring {
        long_run();
    }
    for (name, agents, queues) in [
        ("5000_agents_200_queues", 5_000, 200),
        ("50000_agents_2000_queues", 50_000, 2_000),
    ] {
        let agents = if measuring { agents } else { agents / 100 };
        let frames = stream::generate(&stream::Shape {
            agents,
            queues: if measuring { queues } else { queues / 100 },
            events,
            conversations: false,
        });
        // The cost of keeping a history on the replay's hot path.
        let (_, without) = recorded(&frames, false);
        let (m, with) = recorded(&frames, true);
        eprintln!("{name}: the replay takes {with:.2} s with the history, {without:.2} s without");
        let h = m.history().expect("kept");
        let (first, last) = (h.earliest(), h.latest());
        let (steps, step_bytes) = h.steps();
        eprintln!(
            "{name}: {steps} steps kept in {:.1} MiB, {:.1} bytes a step",
            step_bytes as f64 / (1 << 20) as f64,
            step_bytes as f64 / steps.max(1) as f64
        );
        eprintln!(
            "{name}: history of {:.1} min of feed time in {} checkpoints, {:.1} MiB \
             (a checkpoint: {:.1} MiB estimated)",
            last.since(first) as f64 / 60_000.0,
            h.checkpoints(),
            h.bytes() as f64 / (1 << 20) as f64,
            m.floor.approx_bytes() as f64 / (1 << 20) as f64,
        );
        for (part, bytes) in m.floor.approx_bytes_by_part() {
            eprintln!(
                "{name}:   {part}: {:.2} MiB",
                bytes as f64 / (1 << 20) as f64
            );
        }
        let start = Instant::now();
        std::hint::black_box(m.floor.clone());
        eprintln!(
            "{name}: one copy of the floor takes {:.1} ms",
            start.elapsed().as_secs_f64() * 1000.0
        );
        // The worst instants: just before each checkpoint but the first.
        let worst: Vec<Ts> = h
            .checkpoint_times()
            .skip(1)
            .map(|t| t.minus(1))
            .chain([last])
            .filter(|t| *t >= first)
            .collect();
        let mut slowest = (0.0f64, Ts(0));
        for &t in &worst {
            let start = Instant::now();
            std::hint::black_box(h.seek(t));
            let ms = start.elapsed().as_secs_f64() * 1000.0;
            if ms > slowest.0 {
                slowest = (ms, t);
            }
        }
        eprintln!(
            "{name}: slowest of {} worst-case seeks {:.1} ms",
            worst.len(),
            slowest.0
        );
        // Instants spread over the whole history, one per iteration.
        let spread: Vec<Ts> = (0..97)
            .map(|k| first.plus(last.since(first) * k / 96))
            .collect();
        let mut i = 0;
        group.bench_function(format!("seek_anywhere_{name}"), |b| {
            b.iter(|| {
                i = (i + 1) % spread.len();
                h.seek(spread[i])
            })
        });
        let mut i = 0;
        group.bench_function(format!("seek_worst_case_{name}"), |b| {
            b.iter(|| {
                i = (i + 1) % worst.len();
                h.seek(worst[i])
            })
        });
    }
    group.finish();
}

criterion_group!(benches, rewind);
criterion_main!(benches);
