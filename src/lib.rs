//! queuetop: a terminal live queue monitor for contact centers.
//!
//! Data flows one way: a source (the [`feed`] client, a [`replay`] file, the
//! demo) delivers frames; a [`dialect`] decodes them into [`protocol`]
//! events; events change the [`floor`] inside the [`monitor`]; the floor is
//! read as figures by the [`snapshot`] printer and the terminal view.

pub mod alert;
pub mod app;
pub mod cli;
pub mod clock;
pub mod config;
pub mod demo;
pub mod diag;
pub mod dialect;
pub mod feed;
pub mod floor;
pub mod monitor;
pub mod protocol;
pub mod replay;
pub mod snapshot;
pub mod source;
pub mod text;
pub mod time;
pub mod ui;
