//! Our wall clock, read at the edge (epoch ms) and handed to the sink.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// Where "now" comes from for the client. The system clock in production;
/// a clock anchored to tokio's lets tests with a paused tokio clock move our
/// wall clock too, so that they are exact.
#[derive(Clone, Copy, Debug, Default)]
pub enum LocalClock {
    #[default]
    System,
    Tokio {
        wall_ms: i64,
        at: tokio::time::Instant,
    },
}

/// The system's wall clock, epoch milliseconds.
pub fn system_ms() -> i64 {
    match SystemTime::now().duration_since(UNIX_EPOCH) {
        Ok(d) => d.as_millis() as i64,
        Err(e) => -(e.duration().as_millis() as i64),
    }
}

impl LocalClock {
    /// Starts at the system's time now and then follows tokio's clock.
    pub fn tokio_anchored() -> Self {
        LocalClock::Tokio {
            wall_ms: system_ms(),
            at: tokio::time::Instant::now(),
        }
    }

    pub fn now_ms(&self) -> i64 {
        match self {
            LocalClock::System => system_ms(),
            LocalClock::Tokio { wall_ms, at } => {
                wall_ms + at.elapsed().min(Duration::from_secs(1 << 40)).as_millis() as i64
            }
        }
    }
}
