//! queuetop's engine: everything that is true of a contact center's floor,
//! with no network, terminal or wall clock in it.
//!
//! Data flows one way: frames (text, from whatever source) are decoded by a
//! [`dialect`] into [`protocol`] events; events change the [`floor`] held by
//! a [`monitor`] (with the source's [`health`] and the feed's [`clock`]); the
//! floor is read as figures by the [`snapshot`] printer and by the terminal
//! view (another crate). Time is always passed in.

pub mod alert;
pub mod clock;
pub mod config;
pub mod diag;
pub mod dialect;
pub mod floor;
pub mod health;
pub mod history;
pub mod mark;
pub mod monitor;
pub mod pace;
pub mod protocol;
pub mod replay;
pub mod report;
pub mod site;
pub mod snapshot;
pub mod text;
pub mod time;
