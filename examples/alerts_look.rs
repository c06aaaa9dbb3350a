//! Runs the alert benchmark's looks a given number of times, for counting
//! instructions with callgrind (repeatable where timings are not): the
//! cost of one look is the difference between two runs over the number of
//! looks added.
//!
//!     cargo build --release --example alerts_look
//!     valgrind --tool=callgrind target/release/examples/alerts_look normal 1
//!     valgrind --tool=callgrind target/release/examples/alerts_look normal 101
//!
//! Cases: `quiet`, `normal`, `outage` (as in `benches/alerts.rs`),
//! `changed` (normal, with 500 agents changing before each look) and
//! `events` (those changes with one look at the start only, to subtract).

#[path = "../benches/support/mod.rs"]
mod support;

use queuetop_engine::alert::{Engine, FeedHealthInput};
use queuetop_engine::config;
use support::alert_cases::{NORMAL, cases, change_agents};

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let (case, looks) = match (
        args.get(1),
        args.get(2).and_then(|n| n.parse::<usize>().ok()),
    ) {
        (Some(c), Some(n)) => (c.as_str(), n),
        _ => {
            eprintln!("usage: alerts_look quiet|normal|outage|changed LOOKS");
            std::process::exit(2);
        }
    };
    let text = match case {
        "changed" | "events" => NORMAL.to_string(),
        _ => match cases().into_iter().find(|(n, _)| n.starts_with(case)) {
            Some((_, t)) => t,
            None => {
                eprintln!("no case {case}");
                std::process::exit(2);
            }
        },
    };
    let mut m = support::floor(50_000, 200);
    let rules = config::rules(&config::parse(&text).expect("config")).expect("rules");
    let mut engine = Engine::new(rules);
    let health = FeedHealthInput::default();
    let mut t = m.floor.now();
    let mut changes = 0;
    for round in 0..looks {
        if matches!(case, "changed" | "events") && round > 0 {
            change_agents(&mut m.floor, round);
        }
        if case == "events" && round > 0 {
            continue;
        }
        t = t.plus(1);
        changes += engine.evaluate(&m.floor, &health, t).changes.len();
    }
    println!(
        "{case}: {looks} looks, {changes} changes, {} alerts firing",
        engine.active().count()
    );
}
