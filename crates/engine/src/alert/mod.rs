//! Alert rules (docs/alerts.md): rules from the config, the floor's figures
//! and the feed's health in, the alerts firing and the crossings and returns
//! since the last look out. Pure: no terminal, no socket, no wall clock;
//! time is passed in.
//!
//! ```text
//! let mut engine = Engine::new(rules);
//! let eval = engine.evaluate(&floor, &health, floor.now());
//! eval.changes  -> the event log;  engine.active() -> the JSON `alerts` list
//! ```

mod agents;
pub mod erlang;
pub mod eval;
mod follow;
pub mod forecast;
pub mod growth;
pub mod live;
pub mod machine;
pub mod rule;

pub use eval::{Active, Change, Engine, Evaluation, FeedHealthInput, Subject};
pub use forecast::{QueueForecast, Staffing};
pub use live::{LinkFacts, LiveAlerts};
pub use rule::{
    AgentLimits, AgentRule, Direction, FeedRule, Level, Limit, QueueLimits, QueueRule, RuleId,
    Rules,
};
