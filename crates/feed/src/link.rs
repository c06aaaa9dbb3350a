//! What the supervisor needs from a transport: a way to open a link, and a
//! link that yields text frames and takes text sends. The WebSocket client
//! is one transport; a plain-TCP line protocol (Asterisk AMI) is another,
//! with the same reconnect and liveness rules.

use std::future::Future;
use std::ops::Deref;

use super::error::LinkError;
use queuetop_engine::protocol::RejectKind;

/// One thing read from a link.
#[derive(Debug)]
pub enum Received<T> {
    /// A text frame (WebSocket) or a message (a line protocol).
    Text(T),
    /// Something refused before decoding (a binary frame); the link carries on.
    Refused(RejectKind),
    /// Traffic that only proves the link alive (ping, pong).
    Alive,
}

/// An open connection.
pub trait Link: Send {
    /// A received text, handed to the sink by reference and then dropped.
    type Text: Deref<Target = str> + Send;

    /// The next thing from the peer. An error (the peer closed too) ends
    /// the link. Must be cancel-safe: the supervisor races it with timers.
    fn next(&mut self) -> impl Future<Output = Result<Received<Self::Text>, LinkError>> + Send;

    /// Sends one text message. The supervisor bounds it with a timeout.
    fn send(&mut self, text: String) -> impl Future<Output = Result<(), LinkError>> + Send;

    /// Sends our own keep-alive (a WebSocket ping; an AMI `Action: Ping`).
    fn ping(&mut self) -> impl Future<Output = Result<(), LinkError>> + Send;

    /// Says goodbye politely (a close frame, a logoff), best effort.
    fn close(&mut self) -> impl Future<Output = ()> + Send;
}

/// Opens links to one place. Each stage of opening has its own timeout.
pub trait Transport: Send + Sync {
    type Link: Link;

    fn connect(&self) -> impl Future<Output = Result<Self::Link, LinkError>> + Send;

    /// Where it connects, fit for logs (no credentials, no query).
    fn describe(&self) -> String;
}
