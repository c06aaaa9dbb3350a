//! The live terminal view.
//!
//! State is kept apart from drawing: [`state`] holds what the person chose,
//! [`watch`] follows the floor between frames (alerts, logins, link), and
//! [`build`] turns the monitor and the state into a [`model::Scene`] under
//! the monitor's lock (sort and filter, let the state reconcile its
//! selection with the result, then format: the monitor is only read);
//! [`widgets`] then draw the scene with the lock released. The loop lives
//! in the binary; [`terminal`] sets the terminal up and always puts it back.

pub mod action;
pub mod agent_order;
pub mod alerts;
pub mod build;
pub mod channels;
pub mod clock;
pub mod columns;
pub mod export;
pub mod filter;
pub mod fit;
pub mod input;
pub mod interval;
pub mod keys;
pub mod layout;
pub mod log;
pub mod model;
pub mod mouse;
pub mod pin;
pub mod rewind;
pub mod run;
pub mod since_mark;
pub mod sites;
pub mod state;
mod subjects;
pub mod terminal;
pub mod theme;
pub mod tree;
pub mod waiting;
pub mod watch;
pub mod widgets;
