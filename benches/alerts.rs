//! The cost of one alert evaluation (every rule, every queue and agent) on
//! a floor of 50,000 agents over 200 queues: with limits that few pass (a
//! normal day), and with limits every away and on-contact agent passes (an
//! outage), and with every limit out of reach (the cost of looking alone).
//! The benchmark floor's states are hours old, so "normal" has about
//! 20,000 agent alerts firing (away for lunch, ghosts).
//!
//! The floor does not move between those looks (the rules' clock does, by
//! a millisecond each). "normal, 500 agents changed" applies 500
//! `agent.state` events (agents going busy and back) before each look;
//! "500 agent.state events alone" is that part without the look, to
//! subtract.
//!
//!     cargo bench --bench alerts

mod support;

use criterion::{Criterion, criterion_group, criterion_main};
use queuetop_engine::alert::{Engine, FeedHealthInput};
use queuetop_engine::config;
use support::alert_cases::{NORMAL, cases, change_agents};
use support::floor;

fn bench(c: &mut Criterion) {
    let m = floor(50_000, 200);
    let health = FeedHealthInput::default();
    let now = m.floor.now();
    for (name, text) in cases() {
        let rules = config::rules(&config::parse(&text).unwrap()).unwrap();
        let mut engine = Engine::new(rules);
        let mut t = now;
        // Warm up: alerts that fire have fired.
        engine.evaluate(&m.floor, &health, t);
        eprintln!("{name}: {} alerts firing", engine.active().count());
        c.bench_function(
            &format!("alerts/evaluate 50k agents 200 queues ({name})"),
            |b| {
                b.iter(|| {
                    t = t.plus(1);
                    std::hint::black_box(engine.evaluate(&m.floor, &health, t).changes.len())
                })
            },
        );
    }
    let mut m = floor(50_000, 200);
    let rules = config::rules(&config::parse(NORMAL).unwrap()).unwrap();
    let mut engine = Engine::new(rules);
    let mut t = now;
    engine.evaluate(&m.floor, &health, t);
    let mut round = 0;
    c.bench_function(
        "alerts/evaluate 50k agents 200 queues (normal, 500 agents changed)",
        |b| {
            b.iter(|| {
                round += 1;
                change_agents(&mut m.floor, round);
                t = t.plus(1);
                std::hint::black_box(engine.evaluate(&m.floor, &health, t).changes.len())
            })
        },
    );
    c.bench_function("alerts/500 agent.state events alone", |b| {
        b.iter(|| {
            round += 1;
            change_agents(&mut m.floor, round);
            std::hint::black_box(m.floor.now())
        })
    });
}

criterion_group!(benches, bench);
criterion_main!(benches);
