//! Follows a subject into a monitor: first the stream's history from the
//! start of the floor's day (applied on the events' own time, as a replay
//! is, so "today" and the rolling window are right from the first second),
//! then live frames as they come. After a lost connection it resumes just
//! after the last stream sequence it applied: no gap, no double count.

use std::convert::Infallible;
use std::sync::{Arc, Mutex};

use async_nats::jetstream::{self, consumer::DeliverPolicy, consumer::pull};
use futures_util::StreamExt;
use tokio::time::Instant;

use super::options::NatsTarget;
use super::stream::find;
use crate::backoff::{Backoff, STABLE_AFTER};
use crate::clock::system_ms;
use crate::error::LinkError;
use queuetop_engine::dialect::DialectKind;
use queuetop_engine::health::LinkState;
use queuetop_engine::monitor::{Monitor, SourceInfo, SourceKind, lock};
use queuetop_engine::protocol::RejectKind;
use queuetop_engine::site::SiteName;
use queuetop_engine::time::Ts;

/// What to follow.
#[derive(Clone, Debug)]
pub struct Follow {
    /// The subject; wildcards allowed (`queuetop.*.events`).
    pub subject: String,
    pub max_frame_bytes: usize,
    /// The monitor's site every message belongs to (a `[[feeds]]` entry
    /// read from NATS); `None`: the whole monitor, or by the subject's
    /// wildcard.
    pub site: Option<usize>,
}

impl Follow {
    /// The link of what this follows: its site's, or every site's.
    fn set_link(&self, m: &mut Monitor, state: LinkState) {
        match self.site {
            Some(i) => m.set_site_link(i, state),
            None => m.set_shared_link(state),
        }
    }
}

/// Where the reader is in the stream.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
struct Position {
    /// The last stream sequence applied.
    applied: Option<u64>,
}

/// Runs forever (drop the future to stop it).
pub async fn follow(target: NatsTarget, what: Follow, monitor: Arc<Mutex<Monitor>>) -> Infallible {
    let mut backoff = Backoff::default();
    let mut at = Position::default();
    what.set_link(&mut lock(&monitor), LinkState::Connecting);
    tracing::info!("nats: connecting to {}", target.describe());
    loop {
        let up = Instant::now();
        let e = session(&target, &what, &monitor, &mut at).await;
        if up.elapsed() >= STABLE_AFTER {
            backoff.reset();
        }
        let (attempt, delay) = backoff.fail();
        tracing::warn!(
            "nats: {} (attempt {attempt}, next try in {} ms)",
            e.reason,
            delay.as_millis()
        );
        let next_try_ms = system_ms().saturating_add(delay.as_millis() as i64);
        let state = if e.auth {
            LinkState::AuthFailed {
                detail: e.reason,
                next_try_ms,
            }
        } else {
            LinkState::Reconnecting {
                attempt,
                next_try_ms,
                last_error: e.reason,
            }
        };
        what.set_link(&mut lock(&monitor), state);
        tokio::time::sleep(delay).await;
    }
}

/// One connection's life: returns why it ended.
async fn session(
    target: &NatsTarget,
    what: &Follow,
    monitor: &Arc<Mutex<Monitor>>,
    at: &mut Position,
) -> LinkError {
    let (client, mut lost) = match target.connect().await {
        Ok(c) => c,
        Err(e) => return e,
    };
    let js = jetstream::new(client);
    let stream = match find(&js, &what.subject).await {
        Ok(s) => s,
        Err(e) => return e,
    };
    let deliver_policy = match at.applied {
        Some(seq) => DeliverPolicy::ByStartSequence {
            start_sequence: seq + 1,
        },
        None => {
            let start = {
                let m = lock(monitor);
                m.floor.settings().day_start.last_start(Ts(system_ms()))
            };
            let Ok(start_time) =
                time::OffsetDateTime::from_unix_timestamp_nanos(i128::from(start.0) * 1_000_000)
            else {
                return LinkError::new("the day's start is out of range");
            };
            DeliverPolicy::ByStartTime { start_time }
        }
    };
    let consumer = match stream
        .create_consumer(pull::OrderedConfig {
            filter_subject: what.subject.clone(),
            deliver_policy,
            ..Default::default()
        })
        .await
    {
        Ok(c) => c,
        Err(e) => return LinkError::new(format!("reading {}: {e}", what.subject)),
    };
    // What the stream holds already is history; what comes after is live.
    let total = consumer.cached_info().num_pending;
    let mut messages = match consumer.messages().await {
        Ok(m) => m,
        Err(e) => return LinkError::new(format!("reading {}: {e}", what.subject)),
    };
    {
        let mut m = lock(monitor);
        // The numbering goes on where it stopped: nothing to resync.
        match what.site {
            Some(i) => m.site_resumed(i),
            None => m.resumed(),
        }
        what.set_link(&mut m, loading(0, total));
    }
    tracing::info!(
        "nats: following {} on {} ({total} frames of history)",
        what.subject,
        target.describe()
    );
    let sites = site_token(&what.subject);
    let mut done = 0u64;
    let started = Instant::now();
    if total == 0 {
        tracing::info!("nats: no history to load");
    }
    loop {
        tokio::select! {
            why = lost.recv() => {
                return LinkError::new(why.unwrap_or_else(|| "the broker connection closed".into()));
            }
            next = messages.next() => match next {
                None => return LinkError::new("the broker ended the subscription"),
                Some(Err(e)) => return LinkError::new(format!("reading {}: {e}", what.subject)),
                Some(Ok(msg)) => {
                    let seq = msg.info().map(|i| i.stream_sequence).ok();
                    let history = done < total;
                    let mut m = lock(monitor);
                    let site = what.site.or_else(|| {
                        sites.and_then(|pos| site_of(&mut m, msg.subject.as_str(), pos))
                    });
                    apply(&mut m, site, &msg.payload, history, what.max_frame_bytes);
                    if history {
                        done += 1;
                        // Progress every thousand frames: the screen redraws on change.
                        if done == total || done % 1000 == 0 {
                            what.set_link(&mut m, loading(done, total));
                        }
                        if done == total {
                            tracing::info!(
                                "nats: history loaded: {total} frames in {} ms",
                                started.elapsed().as_millis()
                            );
                        }
                    }
                    if let Some(seq) = seq {
                        at.applied = Some(seq);
                    }
                }
            },
        }
    }
}

/// Loading history, or connected once there is none left.
fn loading(done: u64, total: u64) -> LinkState {
    if done >= total {
        LinkState::Connected
    } else {
        LinkState::LoadingHistory { done, total }
    }
}

/// Most sites one wildcard subject may bring (each a header entry).
pub const MAX_SITES: usize = 64;

/// Which token of a message's subject names its site: the one `*` of a
/// subject such as `queuetop.*.events` (the relay publishes each site on
/// `queuetop.<site>.events`). A subject without exactly one `*`, or with
/// `>`, is read as one feed, as before.
pub fn site_token(subject: &str) -> Option<usize> {
    let tokens: Vec<&str> = subject.split('.').collect();
    if tokens.contains(&">") {
        return None;
    }
    let mut stars = tokens.iter().enumerate().filter(|(_, t)| **t == "*");
    match (stars.next(), stars.next()) {
        (Some((i, _)), None) => Some(i),
        _ => None,
    }
}

/// The monitor's site for a message on `subject`, found or added. A token
/// that is no site name (docs/sites.md), or one site too many, is refused
/// and counted like a bad frame.
fn site_of(m: &mut Monitor, subject: &str, pos: usize) -> Option<usize> {
    let token = subject.split('.').nth(pos).unwrap_or_default();
    let site = SiteName::new(token).ok().and_then(|name| {
        let source = SourceInfo::new(SourceKind::Url, subject);
        m.site_named(&name, &source, || DialectKind::Native.make(), MAX_SITES)
    });
    if site.is_none() {
        // Logged as the other refusals are, one line every so often: a
        // line for each such message would let any publisher fill the log.
        let why = format!("a message on {subject:?} names no site queuetop can show");
        m.refused_saying(RejectKind::BadValue("subject"), &why, Ts(system_ms()));
    }
    site
}

/// One frame from the broker: refused if it is too big or not text;
/// history on the events' own time, live frames on ours. `site`: the
/// site it belongs to, read from its subject (None: the only feed).
fn apply(
    m: &mut Monitor,
    site: Option<usize>,
    payload: &[u8],
    history: bool,
    max_frame_bytes: usize,
) {
    let local = Ts(system_ms());
    let refuse = |m: &mut Monitor, why| match site {
        Some(i) => m.site_refused(i, why, local),
        None => m.refused(why, local),
    };
    if payload.len() > max_frame_bytes {
        refuse(m, RejectKind::TooLarge);
        return;
    }
    let Ok(text) = std::str::from_utf8(payload) else {
        refuse(m, RejectKind::NotUtf8);
        return;
    };
    match (site, history) {
        (Some(i), true) => m.site_replay_frame(i, text),
        (Some(i), false) => {
            m.site_live_frame(i, text, local);
        }
        (None, true) => m.replay_frame(text),
        (None, false) => {
            m.live_frame(text, local);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::site_token;

    #[test]
    fn the_one_star_names_the_site() {
        assert_eq!(site_token("queuetop.*.events"), Some(1));
        assert_eq!(site_token("floors.*"), Some(1));
        assert_eq!(site_token("queuetop.paris.events"), None);
        assert_eq!(site_token("queuetop.*.*"), None);
        assert_eq!(site_token("queuetop.>"), None);
    }
}
