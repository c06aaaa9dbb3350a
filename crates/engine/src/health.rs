//! The state of a source's connection, as the header and the snapshot show
//! it. The feed client sets it; the engine only keeps and reports it.

/// The connection as the header shows it.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub enum LinkState {
    /// The first connection attempt is under way.
    #[default]
    Connecting,
    Connected,
    /// Connected to a broker, applying the history it keeps (`done` of
    /// `total` frames) before the live frames.
    LoadingHistory {
        done: u64,
        total: u64,
    },
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

/// How the feed is doing, as one word in the snapshot (`feed.state`) and
/// one label in the header: the link's state, refined by what arrives on
/// it (a connected link whose events stopped is stale; one waiting for a
/// snapshot after a reconnect is resyncing).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FeedHealth {
    Connecting,
    Connected,
    LoadingHistory,
    Resyncing,
    Stale,
    Reconnecting,
    AuthFailed,
    Ended,
}

impl FeedHealth {
    /// Every state, for readers that list them all (the exporter's
    /// `queuetop_feed_state` has a series for each).
    pub const ALL: [FeedHealth; 8] = [
        FeedHealth::Connecting,
        FeedHealth::Connected,
        FeedHealth::LoadingHistory,
        FeedHealth::Resyncing,
        FeedHealth::Stale,
        FeedHealth::Reconnecting,
        FeedHealth::AuthFailed,
        FeedHealth::Ended,
    ];

    /// The word the JSON snapshot uses (docs/snapshot.md).
    pub fn as_str(self) -> &'static str {
        match self {
            FeedHealth::Connecting => "connecting",
            FeedHealth::Connected => "connected",
            FeedHealth::LoadingHistory => "loading_history",
            FeedHealth::Resyncing => "resyncing",
            FeedHealth::Stale => "stale",
            FeedHealth::Reconnecting => "reconnecting",
            FeedHealth::AuthFailed => "auth_failed",
            FeedHealth::Ended => "ended",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::FeedHealth;

    const ALL: [FeedHealth; 8] = FeedHealth::ALL;

    /// Each state in [`FeedHealth::ALL`] at its place. A new state fails to
    /// compile here; it must then be added to `ALL` too (which this test
    /// cannot check), or the exporter has no series for it.
    #[test]
    fn all_lists_every_state() {
        for (i, h) in ALL.iter().enumerate() {
            let place = match h {
                FeedHealth::Connecting => 0,
                FeedHealth::Connected => 1,
                FeedHealth::LoadingHistory => 2,
                FeedHealth::Resyncing => 3,
                FeedHealth::Stale => 4,
                FeedHealth::Reconnecting => 5,
                FeedHealth::AuthFailed => 6,
                FeedHealth::Ended => 7,
            };
            assert_eq!(place, i, "{h:?}");
        }
    }

    /// Scripts read `feed.state`: every word is documented, and no two
    /// states share one.
    #[test]
    fn every_state_word_is_distinct_and_documented() {
        let doc = include_str!("../../../docs/snapshot.md");
        let mut words: Vec<&str> = ALL.iter().map(|h| h.as_str()).collect();
        for w in &words {
            assert!(
                doc.contains(&format!("`{w}`")),
                "docs/snapshot.md lacks `{w}`"
            );
        }
        words.sort();
        words.dedup();
        assert_eq!(words.len(), ALL.len());
    }
}
