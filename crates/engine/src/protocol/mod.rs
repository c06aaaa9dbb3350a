//! feed-v1: the events queuetop understands, and the decoder that turns
//! untrusted frames into them.
//!
//! Dialects (platform feeds) produce the same [`Event`]s, so everything after
//! this module sees one protocol.

mod decode;
mod encode;
mod event;
mod fast;
mod salvage;
mod slots;

pub use decode::{Decoded, Reject, RejectKind, decode_frame};
pub(crate) use decode::{MAX_AGENT_QUEUES, clean_id, clean_name, raw_str};
pub use encode::{encode, encode_numbered};
pub use event::*;
