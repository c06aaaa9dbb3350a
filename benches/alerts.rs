//! The cost of one alert evaluation (every rule, every queue and agent) on
//! a floor of 50,000 agents over 200 queues: with limits that few pass (a
//! normal day), and with limits every away and on-contact agent passes (an
//! outage), and with every limit out of reach (the cost of looking alone).
//! The benchmark floor's states are hours old, so "normal" has about
//! 20,000 agent alerts firing (away for lunch, ghosts).
//!
//!     cargo bench --bench alerts

mod support;

use criterion::{Criterion, criterion_group, criterion_main};
use queuetop_engine::alert::{Engine, FeedHealthInput};
use queuetop_engine::config;
use support::floor;

const NORMAL: &str = r#"
[defaults]
longest_wait_s = { warn = 60, crit = 180, for = "10s" }
waiting = { warn = 5, crit = 15 }
service_level_pct = { warn = 80, crit = 60 }
abandon_rate_pct = { warn = 5, crit = 10 }
asa_s = { warn = 30, crit = 60 }
entered = { warn = 500 }
no_agent_waiting = { warn = 0 }
wait_forecast_s = { warn = 120, crit = 30 }
agents_short = { warn = 0, crit = 3 }
[agents]
wrap_up_s = { warn = 120, crit = 300 }
busy_s = { warn = 600 }
away_s = { warn = 900 }
on_hold_s = { warn = 120 }
talk_s = { warn = 1200 }
ghost_s = { warn = 300 }
[agents.away_reasons]
lunch = { warn = 3600 }
[alerts.feed]
stale_s = { warn = 10 }
"#;

fn bench(c: &mut Criterion) {
    let m = floor(50_000, 200);
    let health = FeedHealthInput::default();
    let now = m.floor.now();
    let quiet = NORMAL
        .lines()
        .map(|l| match l.split_once(" = { warn") {
            Some((k, _)) if !l.starts_with('[') => format!("{k} = {{ warn = 1e9 }}"),
            _ => l.to_string(),
        })
        .collect::<Vec<_>>()
        .join("\n");
    for (name, text) in [
        (
            "quiet: nothing past a limit",
            quiet.replace("service_level_pct = { warn = 1e9 }", ""),
        ),
        ("normal", NORMAL.to_string()),
        (
            "outage",
            NORMAL
                .replace("lunch = { warn = 3600 }", "lunch = { warn = 0 }")
                .replace("talk_s = { warn = 1200 }", "talk_s = { warn = 0 }"),
        ),
    ] {
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
}

criterion_group!(benches, bench);
criterion_main!(benches);
