//! The `queuetop` program: the command line, the plan it resolves to, the
//! commands, and the simulated contact center of `--demo`.
//!
//! The engine (`queuetop-engine`), the sources (`queuetop-feed`) and the
//! terminal view (`queuetop-tui`) are crates of their own under `crates/`;
//! this crate wires them together and is the only one that knows them all.

pub mod app;
pub mod cli;
pub mod demo;
pub mod error;
pub mod export;
pub mod exporter;
pub mod generate;
pub mod http;
pub mod ingest;
pub mod logging;
pub mod notify;
pub mod plan;
pub mod relay;
pub mod report;
pub mod signals;
pub mod source;
pub mod stream;
pub mod themes;
pub mod view;
