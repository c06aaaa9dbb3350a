//! Drains the relay's outbox into the stream. Frames go out several to a
//! message (see [`super::batch`]), messages go out without waiting for each
//! acknowledgement, then the acknowledgements are awaited in order; a frame
//! leaves the outbox only once stored. Each message carries an id (site and
//! numbers), so a message sent again after a lost acknowledgement is stored
//! once. When the broker goes away the client is dropped and our backoff
//! decides when to connect again.

use std::convert::Infallible;
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::Duration;

use async_nats::HeaderMap;
use async_nats::jetstream;
use tokio::sync::{Notify, mpsc};
use tokio::time::{Instant, timeout};

use super::batch::{Batching, compose};
use super::options::NatsTarget;
use super::outbox::Outbox;
use super::stream::{StreamPlan, ensure};
use crate::backoff::{Backoff, STABLE_AFTER};
use crate::error::LinkError;

/// Frames looked at, and sent, before their acknowledgements are awaited.
const WINDOW: usize = 1024;
const ACK_TIMEOUT: Duration = Duration::from_secs(10);

/// The outbox, shared by the relay (which fills it) and the publisher.
pub struct Shared {
    outbox: Mutex<Outbox>,
    wake: Notify,
    /// The broker's largest message (its `max_payload`), as it last said.
    max_payload: AtomicUsize,
    /// What the publisher did, for the relay's exporter.
    stats: Stats,
}

/// The publisher's counters: read by a scrape without any lock.
#[derive(Debug, Default)]
pub struct Stats {
    /// Frames the broker acknowledged as stored.
    published: AtomicU64,
    /// Sessions that ended in an error (a failed publish, a frame not
    /// stored, an acknowledgement that did not come, the link lost).
    errors: AtomicU64,
    /// A session with the broker is open now.
    connected: AtomicBool,
}

/// A copy of [`Stats`] and of the outbox's figures, at one moment.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct StatsNow {
    pub published: u64,
    pub errors: u64,
    pub connected: bool,
    /// Frames waiting in the outbox.
    pub buffered: usize,
    /// Frames dropped because the outbox was full.
    pub dropped: u64,
}

/// NATS's default `max_payload`, until the broker says otherwise.
pub const DEFAULT_MAX_PAYLOAD: usize = 1024 * 1024;

impl Shared {
    pub fn new(outbox: Outbox) -> Arc<Shared> {
        Arc::new(Shared {
            outbox: Mutex::new(outbox),
            wake: Notify::new(),
            max_payload: AtomicUsize::new(DEFAULT_MAX_PAYLOAD),
            stats: Stats::default(),
        })
    }

    /// The publisher's figures now.
    pub fn stats(&self) -> StatsNow {
        let (buffered, dropped) = {
            let o = self.outbox();
            (o.len(), o.dropped)
        };
        StatsNow {
            published: self.stats.published.load(Ordering::Relaxed),
            errors: self.stats.errors.load(Ordering::Relaxed),
            connected: self.stats.connected.load(Ordering::Relaxed),
            buffered,
            dropped,
        }
    }

    /// The largest frame the broker takes.
    pub fn max_payload(&self) -> usize {
        self.max_payload.load(Ordering::Relaxed)
    }

    pub fn outbox(&self) -> MutexGuard<'_, Outbox> {
        self.outbox.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Tells the publisher there is something to send.
    pub fn wake(&self) {
        self.wake.notify_one();
    }
}

/// A live connection to the stream.
pub struct Session {
    js: jetstream::Context,
    max_payload: usize,
    lost: mpsc::Receiver<String>,
    up: Instant,
    // Keeps the connection open as long as the session lives.
    _client: async_nats::Client,
}

/// Connects and makes sure the stream is there.
pub async fn open(target: &NatsTarget, plan: &StreamPlan) -> Result<Session, LinkError> {
    let (client, lost) = target.connect().await?;
    let js = jetstream::new(client.clone());
    ensure(&js, plan).await?;
    Ok(Session {
        js,
        max_payload: client.server_info().max_payload,
        lost,
        up: Instant::now(),
        _client: client,
    })
}

/// Connects, retrying on our backoff until it works.
pub async fn open_until_up(
    target: &NatsTarget,
    plan: &StreamPlan,
    backoff: &mut Backoff,
) -> Session {
    loop {
        match open(target, plan).await {
            Ok(s) => {
                tracing::info!("nats: connected to {}", target.describe());
                return s;
            }
            Err(e) => {
                let (attempt, delay) = backoff.fail();
                tracing::warn!(
                    "nats: {} (attempt {attempt}, next try in {} ms)",
                    e.reason,
                    delay.as_millis()
                );
                tokio::time::sleep(delay).await;
            }
        }
    }
}

/// The `seq` of the last frame stored on `subject`, or 0 for none.
pub async fn last_seq(session: &Session, plan: &StreamPlan) -> Result<u64, LinkError> {
    let stream = session
        .js
        .get_stream(&plan.name)
        .await
        .map_err(|e| LinkError::new(format!("stream {}: {e}", plan.name)))?;
    let last = match stream.get_last_raw_message_by_subject(&plan.subject).await {
        Ok(m) => m,
        Err(e) if e.kind() == jetstream::stream::LastRawMessageErrorKind::NoMessageFound => {
            return Ok(0);
        }
        Err(e) => return Err(LinkError::new(format!("reading the last frame: {e}"))),
    };
    if let Some(seq) = super::batch::last_seq_of(&last.payload) {
        return Ok(seq);
    }
    // Something else was published on the subject last (an operator's
    // test, a foreign publisher). Numbering from 1 then would give the
    // first messages the ids of the previous relay's, and the broker
    // would drop them as duplicates for its duplicate window: the last
    // frame of ours is looked for further back.
    let mut at = last.sequence;
    for _ in 0..LOOK_BACK {
        at = match at.checked_sub(1) {
            Some(n) if n > 0 => n,
            _ => break,
        };
        match stream.get_raw_message(at).await {
            Ok(m) if m.subject.as_str() == plan.subject => {
                if let Some(seq) = super::batch::last_seq_of(&m.payload) {
                    return Ok(seq);
                }
            }
            Ok(_) => {}
            // Deleted, or aged out: look further back.
            Err(e) if e.kind() == jetstream::stream::RawMessageErrorKind::NoMessageFound => {}
            Err(e) => return Err(LinkError::new(format!("reading an earlier frame: {e}"))),
        }
    }
    Err(LinkError::new(format!(
        "no frame with a seq among the last {LOOK_BACK} messages of the stream before the \
         last on {} (the broker drops, as duplicates, a restarted relay's first messages \
         for its duplicate window)",
        plan.subject
    )))
}

/// How many stored messages a starting relay reads back, at most, for its
/// last frame when the very last message on its subject is not one.
const LOOK_BACK: u64 = 256;

/// Sends the outbox forever, starting on `session`.
pub async fn run(
    target: NatsTarget,
    plan: StreamPlan,
    site: String,
    batching: Batching,
    shared: Arc<Shared>,
    session: Session,
    mut backoff: Backoff,
) -> Infallible {
    let mut session = Some(session);
    // Bounds of messages sent and not yet acknowledged: kept across
    // sessions, so that what is sent again is the same message.
    let mut sent = std::collections::VecDeque::new();
    let mut dropped_seen = 0;
    loop {
        let mut s = match session.take() {
            Some(s) => s,
            None => open_until_up(&target, &plan, &mut backoff).await,
        };
        shared.stats.connected.store(true, Ordering::Relaxed);
        let dropped = shared.outbox().dropped;
        if dropped > dropped_seen {
            tracing::warn!(
                "nats: {} frames dropped in all while the broker was away (buffer full)",
                dropped
            );
            dropped_seen = dropped;
        }
        let e = drain(&mut s, &plan, &site, batching, &shared, &mut sent).await;
        shared.stats.connected.store(false, Ordering::Relaxed);
        shared.stats.errors.fetch_add(1, Ordering::Relaxed);
        if s.up.elapsed() >= STABLE_AFTER {
            backoff.reset();
        }
        let (attempt, delay) = backoff.fail();
        tracing::warn!(
            "nats: {} (attempt {attempt}, next try in {} ms; {} frames waiting)",
            e.reason,
            delay.as_millis(),
            shared.outbox().len()
        );
        drop(s);
        tokio::time::sleep(delay).await;
    }
}

/// Sends until the session fails.
async fn drain(
    s: &mut Session,
    plan: &StreamPlan,
    site: &str,
    batching: Batching,
    shared: &Shared,
    sent: &mut std::collections::VecDeque<(u64, u64)>,
) -> LinkError {
    if s.max_payload > 0 {
        shared.max_payload.store(s.max_payload, Ordering::Relaxed);
    }
    let max_bytes = super::batch::room(shared.max_payload());
    // One line a session for frames the broker would not store as new.
    let mut warned_duplicate = false;
    loop {
        let mut frames = shared.outbox().peek(WINDOW);
        if frames.is_empty() {
            tokio::select! {
                () = shared.wake.notified() => continue,
                why = s.lost.recv() => {
                    return LinkError::new(why.unwrap_or_else(|| "the broker connection closed".into()));
                }
            }
        }
        // Fewer than a message holds: wait a moment for more (a message
        // waiting to be sent again goes at once).
        if frames.len() < batching.max_events && sent.is_empty() && !batching.linger.is_zero() {
            tokio::select! {
                () = tokio::time::sleep(batching.linger) => {}
                why = s.lost.recv() => {
                    return LinkError::new(why.unwrap_or_else(|| "the broker connection closed".into()));
                }
            }
            frames = shared.outbox().peek(WINDOW);
        }
        // Messages up to here were sent before: the broker may well have
        // stored them already, and say so.
        let sent_before = sent.back().map(|&(_, last)| last);
        let composed = compose(&frames, batching.max_events, max_bytes, sent);
        for (seq, bytes) in &composed.too_big {
            // The broker's limit went down since the frame was queued:
            // it can never be stored, and must not block the rest.
            tracing::warn!(
                "nats: frame {seq} ({bytes} bytes) is over the broker's max_payload ({max_bytes}); skipped"
            );
        }
        let mut acks = Vec::with_capacity(composed.messages.len());
        for m in &composed.messages {
            let mut headers = HeaderMap::new();
            headers.insert("Nats-Msg-Id", m.id(site).as_str());
            match s
                .js
                .publish_with_headers(plan.subject.clone(), headers, m.payload.clone().into())
                .await
            {
                Ok(ack) => {
                    let resent = sent_before.is_some_and(|last| m.first <= last);
                    acks.push((m.last, m.frames, resent, ack));
                }
                Err(e) => return LinkError::new(format!("publishing: {e}")),
            }
        }
        let last = frames.last().map(|f| f.seq);
        for (seq, n, resent, ack) in acks {
            match timeout(ACK_TIMEOUT, ack).await {
                Ok(Ok(ack)) => {
                    if ack.duplicate && !resent && !warned_duplicate {
                        // Not stored: its id is one the broker has seen
                        // within its duplicate window, from someone else.
                        warned_duplicate = true;
                        tracing::warn!(
                            "nats: the broker took frames up to {seq} as duplicates of earlier ones and did not store them (another relay publishing the same site?)"
                        );
                    }
                    // Counted first: a scrape that sees the outbox empty
                    // sees every frame it held as published.
                    shared
                        .stats
                        .published
                        .fetch_add(n as u64, Ordering::Relaxed);
                    shared.outbox().acknowledged(seq);
                    sent.pop_front();
                }
                Ok(Err(e)) => return LinkError::new(format!("not stored: {e}")),
                Err(_) => return LinkError::timeout("waiting for the broker to store a frame"),
            }
        }
        // Skipped frames at the end of the look leave too.
        if let Some(last) = last {
            shared.outbox().acknowledged(last);
        }
    }
}
