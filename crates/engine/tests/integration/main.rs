//! The engine's integration tests: the protocol, the scenarios (data under
//! tests/resources at the repository root), the floor's properties and the
//! dialects, all through the public API with time passed in.

mod alert_follow;
mod alerts;
mod dialect_amazon_connect;
mod dialect_asterisk;
mod dialect_common;
mod dialect_connect_order;
mod dialect_genesys;
mod dialect_hostile;
mod dialect_transfers;
mod dialect_twilio;
mod far_future;
mod floor_properties;
mod history;
mod invisible;
mod live_snapshot;
mod protocol;
mod scenarios;
mod sites;
mod streamed;
