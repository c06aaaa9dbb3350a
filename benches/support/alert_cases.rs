//! The alert benchmark's rules and floor changes, shared with the example
//! that counts a look's instructions (`examples/alerts_look.rs`).

use std::borrow::Cow;

use queuetop_engine::floor::Floor;
use queuetop_engine::protocol::{AgentState, Event, EventKind};

pub const NORMAL: &str = r#"
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

/// The cases: with limits every figure stays under (the cost of looking
/// alone), the normal day, and an outage (every away and on-contact agent
/// past a limit).
pub fn cases() -> Vec<(&'static str, String)> {
    let quiet = NORMAL
        .lines()
        .map(|l| match l.split_once(" = { warn") {
            Some((k, _)) if !l.starts_with('[') => format!("{k} = {{ warn = 1e9 }}"),
            _ => l.to_string(),
        })
        .collect::<Vec<_>>()
        .join("\n");
    vec![
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
    ]
}

/// Agents that change before each look in the "changed" case.
pub const CHANGED: usize = 500;

/// `CHANGED` available agents go busy (or back), at the floor's now.
pub fn change_agents(floor: &mut Floor, round: usize) {
    let state = if round % 2 == 0 {
        AgentState::Busy
    } else {
        AgentState::Available
    };
    for k in 0..CHANGED {
        // Available agents of the benchmark floor: not a multiple of 7.
        let a = 1 + k * 7;
        let ev = Event {
            ts: floor.now(),
            seq: None,
            kind: EventKind::AgentState {
                agent: Cow::Owned(format!("a{a:05}")),
                state,
                name: None,
                queues: None,
                reason: None,
            },
        };
        floor.apply(&ev);
    }
}
