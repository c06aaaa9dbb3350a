//! The Prometheus exporter (docs/exporter.md): the figures of a monitor,
//! served at `/metrics` in the OpenMetrics text format (or the classic
//! Prometheus text format for clients that do not ask for OpenMetrics).
//!
//! Each scrape takes the monitor's lock just long enough to copy the
//! figures out ([`collect`]), then builds and encodes a registry from the
//! copy ([`registry`]) with the lock released, so a scrape never holds up
//! the feed or the screen.

pub mod collect;
pub mod format;
pub mod registry;
pub mod server;

pub use collect::{Collected, Look};
pub use server::Exporter;
