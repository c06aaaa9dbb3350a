//! Several frames in one broker message.
//!
//! A reader catching up on a day pays a fixed cost per broker message (the
//! client's parsing, headers, allocations) on top of decoding the events,
//! and with one event a message that cost was most of a catch-up. So the
//! relay sends the frames that are ready as one feed-v1 batch (a JSON array
//! of events, which every reader already takes), and when fewer are ready
//! than a message may hold it waits a moment (the linger) for more: a live
//! floor's events then travel a few to a message, at the price of that
//! moment's delay. A frame alone is sent as it is, not in an array.
//!
//! A message's id names the numbers it carries (`paris:41` or
//! `paris:41-57`), and a message sent but not acknowledged keeps its
//! bounds: sent again, it has the same frames and the same id, so the
//! broker stores it once.

use std::collections::VecDeque;
use std::time::Duration;

use super::outbox::Numbered;

/// Bytes of a message's limit left for its headers (the broker counts
/// them in `max_payload`): the id, at most a site name and two numbers.
pub const HEADER_ROOM: usize = 128;

/// The most payload bytes a message may carry under the broker's
/// `max_payload`.
pub fn room(max_payload: usize) -> usize {
    max_payload.saturating_sub(HEADER_ROOM)
}

/// Most bytes of a message holding several frames. Far below a reader's
/// default frame limit (1 MiB): a reader refuses a message bigger than its
/// limit whole, and a big frame (a snapshot of a large floor) must not take
/// other events down with it, so it always travels alone.
pub const MAX_BATCH_BYTES: usize = 64 * 1024;

/// How frames are grouped into messages (`--batch`, `--linger`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Batching {
    /// Most events in one message (1: one event a message, no linger).
    pub max_events: usize,
    /// How long a message that could hold more waits for them.
    pub linger: Duration,
}

impl Default for Batching {
    fn default() -> Self {
        Batching {
            max_events: 100,
            linger: Duration::from_millis(100),
        }
    }
}

/// One message to publish: the frames numbered `first..=last`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Message {
    pub first: u64,
    pub last: u64,
    /// Frames in it.
    pub frames: usize,
    pub payload: String,
}

impl Message {
    /// The broker's message id: the site and the numbers carried.
    pub fn id(&self, site: &str) -> String {
        if self.first == self.last {
            format!("{site}:{}", self.first)
        } else {
            format!("{site}:{}-{}", self.first, self.last)
        }
    }
}

/// What [`compose`] made of the frames.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Composed {
    pub messages: Vec<Message>,
    /// Frames too big for any message (`seq`, bytes): never sent.
    pub too_big: Vec<(u64, usize)>,
}

/// Groups `frames` (in order) into messages of at most `max_events` frames
/// and `max_bytes` bytes; a message of several frames holds at most
/// [`MAX_BATCH_BYTES`]. `sent` holds the bounds of messages sent before
/// and not acknowledged, oldest first: a message starting where one of
/// them starts ends where it ended. On return `sent` holds the bounds of
/// the messages made (they are about to be sent).
pub fn compose(
    frames: &[Numbered],
    max_events: usize,
    max_bytes: usize,
    sent: &mut VecDeque<(u64, u64)>,
) -> Composed {
    let max_events = max_events.max(1);
    let mut out = Composed::default();
    let mut bounds = VecDeque::new();
    let mut i = 0;
    while i < frames.len() {
        let first = frames[i].seq;
        // Bounds that end before this frame were acknowledged or dropped.
        while sent.front().is_some_and(|&(_, last)| last < first) {
            sent.pop_front();
        }
        let must_end = match sent.front() {
            Some(&(a, b)) if a <= first => {
                sent.pop_front();
                Some(b)
            }
            _ => None,
        };
        let mut payload_len = 0;
        let mut j = i;
        while j < frames.len() {
            let f = &frames[j];
            if let Some(end) = must_end {
                if f.seq > end {
                    break;
                }
            } else if j - i == max_events
                // The next sent message starts here: ours ends before it.
                || sent.front().is_some_and(|&(a, _)| f.seq >= a)
            {
                break;
            }
            // `[`, the frames, a comma between each, `]`.
            let grown = payload_len + f.frame.len() + 1;
            if j > i && grown + 1 > max_bytes.min(MAX_BATCH_BYTES) {
                break;
            }
            payload_len = grown;
            j += 1;
        }
        if j == i + 1 && frames[i].frame.len() > max_bytes {
            out.too_big.push((frames[i].seq, frames[i].frame.len()));
            i = j;
            continue;
        }
        let part = &frames[i..j];
        let payload = if let [one] = part {
            one.frame.clone()
        } else {
            let mut p = String::with_capacity(payload_len + 1);
            p.push('[');
            for (k, f) in part.iter().enumerate() {
                if k > 0 {
                    p.push(',');
                }
                p.push_str(&f.frame);
            }
            p.push(']');
            p
        };
        let last = part.last().map_or(first, |f| f.seq);
        bounds.push_back((first, last));
        out.messages.push(Message {
            first,
            last,
            frames: part.len(),
            payload,
        });
        i = j;
    }
    // Bounds sent before for frames not in this look are kept for later.
    bounds.extend(sent.drain(..));
    *sent = bounds;
    out
}

/// The largest `seq` in a stored message: a frame or a batch of them.
pub fn last_seq_of(payload: &[u8]) -> Option<u64> {
    // Read once, when a relay starts: a `Value` is fine here.
    let seq = |v: &serde_json::Value| v.get("seq").and_then(serde_json::Value::as_u64);
    match serde_json::from_slice::<serde_json::Value>(payload).ok()? {
        serde_json::Value::Array(v) => v.iter().filter_map(seq).max(),
        one => seq(&one),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn frames(seqs: std::ops::RangeInclusive<u64>) -> Vec<Numbered> {
        seqs.map(|seq| Numbered {
            seq,
            frame: format!(r#"{{"type":"heartbeat","ts":1,"seq":{seq}}}"#),
        })
        .collect()
    }

    #[test]
    fn groups_by_count_and_keeps_a_lone_frame_bare() {
        let f = frames(1..=7);
        let mut sent = VecDeque::new();
        let c = compose(&f, 3, 1 << 20, &mut sent);
        let bounds: Vec<(u64, u64)> = c.messages.iter().map(|m| (m.first, m.last)).collect();
        assert_eq!(bounds, [(1, 3), (4, 6), (7, 7)]);
        assert_eq!(sent, VecDeque::from(vec![(1, 3), (4, 6), (7, 7)]));
        assert_eq!(c.messages[2].payload, f[6].frame, "alone: no array");
        assert_eq!(c.messages[2].id("paris"), "paris:7");
        assert_eq!(c.messages[0].id("paris"), "paris:1-3");
        let batch: Vec<serde_json::Value> =
            serde_json::from_str(&c.messages[0].payload).expect("a JSON array");
        assert_eq!(batch.len(), 3);
        assert_eq!(last_seq_of(c.messages[0].payload.as_bytes()), Some(3));
        assert_eq!(last_seq_of(c.messages[2].payload.as_bytes()), Some(7));
    }

    #[test]
    fn never_passes_the_byte_limit_and_leaves_out_what_cannot_fit() {
        let mut f = frames(1..=4);
        f[2].frame = "x".repeat(500);
        let one = f[0].frame.len();
        let mut sent = VecDeque::new();
        // Room for two small frames in an array, not three.
        let c = compose(&f, 100, 2 * one + 3, &mut sent);
        let bounds: Vec<(u64, u64)> = c.messages.iter().map(|m| (m.first, m.last)).collect();
        assert_eq!(bounds, [(1, 2), (4, 4)]);
        assert_eq!(c.too_big, [(3, 500)]);
        assert!(c.messages.iter().all(|m| m.payload.len() <= 2 * one + 3));
    }

    #[test]
    fn a_big_frame_travels_alone() {
        let mut f = frames(1..=5);
        f[2].frame = format!("{{\"seq\":3,\"x\":\"{}\"}}", "y".repeat(MAX_BATCH_BYTES));
        let mut sent = VecDeque::new();
        let c = compose(&f, 100, 8 << 20, &mut sent);
        let bounds: Vec<(u64, u64)> = c.messages.iter().map(|m| (m.first, m.last)).collect();
        assert_eq!(bounds, [(1, 2), (3, 3), (4, 5)]);
        assert_eq!(c.messages[1].payload, f[2].frame);
    }

    #[test]
    fn a_message_sent_again_has_the_same_frames_and_id() {
        let mut sent = VecDeque::new();
        let first = compose(&frames(1..=2), 10, 1 << 20, &mut sent);
        assert_eq!(first.messages[0].id("s"), "s:1-2");
        // Not acknowledged; more frames came meanwhile.
        let again = compose(&frames(1..=9), 10, 1 << 20, &mut sent);
        let bounds: Vec<(u64, u64)> = again.messages.iter().map(|m| (m.first, m.last)).collect();
        assert_eq!(bounds, [(1, 2), (3, 9)]);
        assert_eq!(again.messages[0], first.messages[0]);
        // Frame 1 was dropped by the full outbox: the rest of the old
        // message still ends where it did.
        let mut sent = VecDeque::from(vec![(1, 4), (5, 6)]);
        let c = compose(&frames(2..=8), 10, 1 << 20, &mut sent);
        let bounds: Vec<(u64, u64)> = c.messages.iter().map(|m| (m.first, m.last)).collect();
        assert_eq!(bounds, [(2, 4), (5, 6), (7, 8)]);
    }

    #[test]
    fn a_stored_message_without_a_number_has_none() {
        assert_eq!(last_seq_of(br#"{"type":"heartbeat","ts":1}"#), None);
        assert_eq!(last_seq_of(b"[]"), None);
        assert_eq!(last_seq_of(b"not json"), None);
        assert_eq!(last_seq_of(br#"[{"seq":4},{"seq":9},{"x":1}]"#), Some(9));
    }
}
