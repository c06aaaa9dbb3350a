//! The built-in demo: a simulated contact center served over feed-v1.
//!
//! [`Sim`] is a pure, seeded simulation of a floor of six queues (voice,
//! chat, email) and forty agents: the same seed and start give the same
//! events. [`server`] runs one simulation in real time and broadcasts it as
//! a WebSocket feed (`queuetop serve-demo`, and `queuetop --demo` through
//! [`serve_in_process`]). See docs/demo.md.

mod agents;
mod arrivals;
mod catch_up;
pub mod command;
mod contacts;
mod dist;
mod hub;
pub mod roster;
pub mod server;
mod sim;

pub use queuetop_engine::protocol::encode;
pub use server::{DEFAULT_SEED, serve, serve_in_process};
pub use sim::{HEARTBEAT_EVERY, MAX_RATE, Sim, WARM_UP};
