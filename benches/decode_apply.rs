//! Decode + apply throughput of a realistic stream: 5,000 agents, 200
//! queues, 1,000,000 events, one event a frame, through the same path as a
//! replay (`Monitor::replay_frame`: decode, advance the clock, apply).
//!
//! The `with_30pct_messages` variant is the same floor with every contact a
//! chat whose conversation makes 30 % of the events `contact.message`;
//! compare the two in one run:
//!
//!     cargo bench --bench decode_apply

mod stream;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use queuetop_engine::dialect::DialectKind;
use queuetop_engine::floor::{Floor, Settings};
use queuetop_engine::monitor::{Monitor, SourceInfo, SourceKind};

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

fn decode_apply(c: &mut Criterion) {
    let mut group = c.benchmark_group("decode_apply");
    group.sample_size(10);
    for (name, shape) in [
        ("5000_agents_200_queues_1M_events", &stream::BENCH),
        (
            "5000_agents_200_queues_1M_events_with_30pct_messages",
            &stream::BENCH_MESSAGES,
        ),
    ] {
        let frames = stream::generate(shape);
        let messages = frames
            .iter()
            .filter(|f| f.contains(r#""contact.message""#))
            .count();
        eprintln!(
            "{name}: {:.1} % of {} events are messages",
            100.0 * messages as f64 / frames.len() as f64,
            frames.len()
        );
        group.throughput(Throughput::Elements(frames.len() as u64));
        group.bench_function(name, |b| {
            b.iter(|| {
                let mut m = monitor();
                for f in &frames {
                    m.replay_frame(f);
                }
                assert_eq!(m.floor.counts().rejected, 0);
                m.floor.counts().events
            })
        });
    }
    group.finish();
}

criterion_group!(benches, decode_apply);
criterion_main!(benches);
