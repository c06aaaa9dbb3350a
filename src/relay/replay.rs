//! Relaying a recording: its frames at once (`--speed max`, the relay's
//! default) or paced by their own times. Pacing reads the time of a frame's
//! first feed-v1 event before applying it; a frame of another dialect, or
//! one without a time, goes at once.

use std::io::BufRead;
use std::time::Duration;

use queuetop_engine::monitor::lock;
use queuetop_engine::protocol::{Decoded, RejectKind, decode_frame};
use queuetop_engine::replay::{Line, LineReader};
use queuetop_engine::time::Ts;
use queuetop_feed::replay::Pacer;
use tokio::time::Instant;

use super::publish::Relay;

/// Plays `input` through the relay; returns at the end of the file.
pub async fn relay_file(
    relay: &Relay,
    input: impl BufRead,
    speed: Option<f64>,
    max_line: usize,
    hold_at: usize,
) -> Result<(), String> {
    let mut lines = LineReader::new(input, max_line);
    let mut pacer: Option<Pacer> = None;
    let mut since_yield = 0;
    loop {
        let line = lines
            .next_line()
            .map_err(|e| format!("line {}: {e}", lines.line_no + 1))?;
        let Some(line) = line else { return Ok(()) };
        let text = match line {
            Line::Frame(text) => text,
            bad => {
                // Refused like any bad frame, and counted on the relay's floor.
                let why = if bad == Line::TooLong {
                    RejectKind::TooLarge
                } else {
                    RejectKind::NotUtf8
                };
                let mut m = lock(&relay.monitor);
                let now = m.floor.now();
                m.refused(why, now);
                continue;
            }
        };
        if let Some(speed) = speed
            && let Some(ts) = first_ts(&text)
        {
            let p = *pacer.get_or_insert_with(|| Pacer::new(Instant::now(), ts, speed));
            tokio::time::sleep_until(p.due(ts)).await;
        }
        relay.replay_frame(&text);
        since_yield += 1;
        if since_yield >= 256 {
            since_yield = 0;
            tokio::task::yield_now().await;
        }
        // A file can wait for the broker (no platform is kept waiting):
        // its frames are never dropped for a full buffer.
        while relay.waiting() >= hold_at {
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }
}

fn first_ts(text: &str) -> Option<Ts> {
    let mut ts = None;
    decode_frame(text, |d| {
        if let (None, Decoded::Event(ev)) = (ts, &d) {
            ts = Some(ev.ts);
        }
    });
    ts
}
