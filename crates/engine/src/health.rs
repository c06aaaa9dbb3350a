//! The state of a source's connection, as the header and the snapshot show
//! it. The feed client sets it; the engine only keeps and reports it.

/// The connection as the header shows it.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub enum LinkState {
    /// The first connection attempt is under way.
    #[default]
    Connecting,
    Connected,
    /// The link failed; the next attempt is at `next_try_ms` (our wall clock,
    /// epoch ms). Once that has passed, that attempt is under way and the
    /// state stays until it succeeds or fails.
    Reconnecting {
        /// Failures in a row.
        attempt: u32,
        next_try_ms: i64,
        last_error: String,
    },
    /// The server refused our credentials (401/403, or a 4xxx close). The
    /// client keeps trying (tokens rotate).
    AuthFailed {
        detail: String,
        next_try_ms: i64,
    },
    /// The source has nothing more to give (a replay at its end).
    Ended,
}
