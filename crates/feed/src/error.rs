//! Why a link failed, in a few words a supervisor can read on screen.
//!
//! Reasons are built here from typed errors, never by formatting a whole
//! handshake error: those may carry request headers, and the bearer token
//! is one of them.

use std::borrow::Cow;
use std::io;

use queuetop_engine::protocol::RejectKind;

/// Longest reason we keep (it goes into the header line).
const MAX_REASON: usize = 100;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LinkError {
    /// A short human reason: "connection refused", "idle timeout", ...
    pub reason: String,
    /// The server refused our credentials (HTTP 401/403, close code 4000-4999).
    pub auth: bool,
    /// A frame we refused broke the link (an oversized frame): count it.
    pub refused: Option<RejectKind>,
}

impl LinkError {
    pub fn new(reason: impl Into<String>) -> Self {
        LinkError {
            reason: clean(reason.into()),
            auth: false,
            refused: None,
        }
    }

    pub fn auth(reason: impl Into<String>) -> Self {
        LinkError {
            auth: true,
            ..LinkError::new(reason)
        }
    }

    pub fn refused(kind: RejectKind, reason: impl Into<String>) -> Self {
        LinkError {
            refused: Some(kind),
            ..LinkError::new(reason)
        }
    }

    /// An I/O error during `stage` ("connecting to HOST:PORT", ...).
    pub fn io(e: &io::Error, stage: &str) -> Self {
        LinkError::new(format!("{} ({stage})", io_reason(e)))
    }

    pub fn timeout(stage: &str) -> Self {
        LinkError::new(format!("timed out {stage}"))
    }
}

impl std::fmt::Display for LinkError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.reason)
    }
}

impl std::error::Error for LinkError {}

/// A few words for an I/O error; the common ones in plain words.
pub fn io_reason(e: &io::Error) -> String {
    use io::ErrorKind as K;
    match e.kind() {
        K::ConnectionRefused => "connection refused".into(),
        K::ConnectionReset => "connection reset".into(),
        K::ConnectionAborted => "connection aborted".into(),
        K::BrokenPipe => "connection broken".into(),
        K::UnexpectedEof => "connection closed".into(),
        K::TimedOut => "timed out".into(),
        K::HostUnreachable => "host unreachable".into(),
        K::NetworkUnreachable => "network unreachable".into(),
        K::AddrNotAvailable => "address not available".into(),
        _ => e.to_string(),
    }
}

/// Reasons may quote the server (a close reason): keep them short and free
/// of control characters.
fn clean(s: String) -> String {
    let s = queuetop_engine::text::strip(Cow::Owned(s));
    queuetop_engine::text::truncate(s, MAX_REASON).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reasons_are_short_and_clean() {
        let e = LinkError::new(format!("closed \u{1b}[31m{}", "x".repeat(500)));
        assert!(e.reason.len() <= MAX_REASON);
        assert!(!e.reason.contains('\u{1b}'));
        let refused = io::Error::from(io::ErrorKind::ConnectionRefused);
        assert_eq!(
            LinkError::io(&refused, "connecting to h:1").reason,
            "connection refused (connecting to h:1)"
        );
    }
}
