//! The reconnect loop, for any [`Transport`]: connect, greet, read until the
//! link dies (or idles out), wait with backoff, again, forever. It also
//! sends our keep-alive pings, and opens the next link before the old one
//! closes when the sink says a close is coming (make-before-break).

use std::convert::Infallible;
use std::future::Future;
use std::pin::Pin;
use std::time::Duration;

use tokio::time::{Instant, MissedTickBehavior, sleep, timeout};

use super::FeedSink;
use super::backoff::{Backoff, STABLE_AFTER};
use super::clock::LocalClock;
use super::error::LinkError;
use super::link::{Link, Received, Transport};
use queuetop_engine::dialect::Signal;
use queuetop_engine::health::LinkState;

/// The liveness rules, the same for every transport.
#[derive(Clone, Debug)]
pub struct Rules {
    /// Sent verbatim after every connect, before the sink's own messages.
    pub subscribe: Option<String>,
    pub ping_interval: Duration,
    /// No frame at all for this long: the link is dead.
    pub idle_timeout: Duration,
    /// Bound on every send (greeting, pings).
    pub send_timeout: Duration,
    /// A link up this long resets the backoff.
    pub stable_after: Duration,
}

impl Rules {
    pub fn new(subscribe: Option<String>, ping: Duration, idle: Duration, send: Duration) -> Self {
        Rules {
            subscribe,
            ping_interval: ping.max(Duration::from_millis(10)),
            idle_timeout: idle.max(Duration::from_millis(10)),
            send_timeout: send.max(Duration::from_millis(10)),
            stable_after: STABLE_AFTER,
        }
    }
}

/// How a link's life ended.
enum End<L> {
    /// Died or idled out.
    Lost(LinkError),
    /// Replaced by a link opened ahead of the old one's close.
    Switched(L),
}

type Opening<'a, L> = Pin<Box<dyn Future<Output = Result<L, LinkError>> + Send + 'a>>;

/// Runs forever. Drop the future to stop it.
pub async fn supervise<T: Transport, S: FeedSink>(
    transport: T,
    rules: Rules,
    sink: &mut S,
    clock: LocalClock,
    mut backoff: Backoff,
) -> Infallible {
    let mut ready: Option<T::Link> = None;
    sink.state(LinkState::Connecting, clock.now_ms());
    tracing::info!("feed: connecting to {}", transport.describe());
    loop {
        let link = match ready.take() {
            Some(link) => link,
            None => {
                let greeting = greeting(&rules, sink);
                match open(&transport, greeting, rules.send_timeout).await {
                    Ok(link) => link,
                    Err(e) => {
                        wait(&mut backoff, e, sink, clock).await;
                        continue;
                    }
                }
            }
        };
        sink.connected(clock.now_ms());
        sink.state(LinkState::Connected, clock.now_ms());
        tracing::info!("feed: connected to {}", transport.describe());
        let up = Instant::now();
        let end = drive(&transport, link, &rules, sink, clock).await;
        if up.elapsed() >= rules.stable_after {
            backoff.reset();
        }
        match end {
            End::Switched(next) => {
                tracing::info!("feed: switched to the new connection");
                backoff.reset();
                ready = Some(next);
            }
            End::Lost(e) => {
                if let Some(kind) = e.refused {
                    sink.refused(kind, clock.now_ms());
                }
                wait(&mut backoff, e, sink, clock).await;
            }
        }
    }
}

/// What to send after a connect: the configured subscribe, then the sink's.
fn greeting<S: FeedSink>(rules: &Rules, sink: &mut S) -> Vec<String> {
    rules
        .subscribe
        .iter()
        .cloned()
        .chain(sink.on_connect_messages())
        .collect()
}

/// Connects and greets.
async fn open<T: Transport>(
    transport: &T,
    greeting: Vec<String>,
    send_timeout: Duration,
) -> Result<T::Link, LinkError> {
    let mut link = transport.connect().await?;
    for message in greeting {
        timeout(send_timeout, link.send(message))
            .await
            .map_err(|_| LinkError::timeout("sending the subscribe message"))??;
    }
    Ok(link)
}

/// Reports the failure and sleeps the backoff.
async fn wait<S: FeedSink>(backoff: &mut Backoff, e: LinkError, sink: &mut S, clock: LocalClock) {
    let (attempt, delay) = backoff.fail();
    let now = clock.now_ms();
    let next_try_ms = now.saturating_add(delay.as_millis() as i64);
    tracing::warn!(
        "feed: {} (attempt {attempt}, next try in {} ms)",
        e.reason,
        delay.as_millis()
    );
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
    sink.state(state, now);
    sleep(delay).await;
}

/// Reads one link until it ends. Every frame goes to the sink at once.
async fn drive<'t, T: Transport, S: FeedSink>(
    transport: &'t T,
    mut link: T::Link,
    rules: &Rules,
    sink: &mut S,
    clock: LocalClock,
) -> End<T::Link> {
    let mut last_rx = Instant::now();
    let idle = sleep(rules.idle_timeout);
    tokio::pin!(idle);
    let mut ping =
        tokio::time::interval_at(Instant::now() + rules.ping_interval, rules.ping_interval);
    ping.set_missed_tick_behavior(MissedTickBehavior::Delay);
    let mut next: Option<Opening<'t, T::Link>> = None;
    loop {
        // Biased, with the frames last: a flooding feed must not starve
        // the switch to the next link, our pings or the idle check.
        tokio::select! {
            biased;
            opened = async {
                match next.as_mut() {
                    Some(opening) => opening.await,
                    None => std::future::pending().await,
                }
            }, if next.is_some() => {
                next = None;
                match opened {
                    Ok(new) => {
                        link.close().await;
                        return End::Switched(new);
                    }
                    Err(e) => tracing::warn!("feed: opening the next connection early failed: {}", e.reason),
                }
            },
            _ = ping.tick() => {
                match timeout(rules.send_timeout, link.ping()).await {
                    Ok(Ok(())) => {}
                    Ok(Err(e)) => return End::Lost(e),
                    Err(_) => return End::Lost(LinkError::timeout("sending a ping")),
                }
            },
            () = &mut idle => {
                let quiet = last_rx.elapsed();
                if quiet >= rules.idle_timeout {
                    return End::Lost(LinkError::new("idle timeout"));
                }
                idle.as_mut().reset(last_rx + rules.idle_timeout);
            },
            got = link.next() => match got {
                Ok(Received::Text(text)) => {
                    last_rx = Instant::now();
                    let signal = sink.frame(&text, clock.now_ms());
                    drop(text);
                    if signal == Signal::ReconnectSoon && next.is_none() {
                        tracing::info!("feed: the server will close this connection; opening the next one");
                        next = Some(Box::pin(open(transport, greeting(rules, sink), rules.send_timeout)));
                    }
                }
                Ok(Received::Refused(kind)) => {
                    last_rx = Instant::now();
                    sink.refused(kind, clock.now_ms());
                }
                Ok(Received::Alive) => last_rx = Instant::now(),
                Err(e) => {
                    // If the next link is on its way, wait for it rather
                    // than start over.
                    if let Some(opening) = next.take() {
                        if let Some(kind) = e.refused {
                            sink.refused(kind, clock.now_ms());
                        }
                        return match opening.await {
                            Ok(new) => End::Switched(new),
                            Err(_) => End::Lost(LinkError { refused: None, ..e }),
                        };
                    }
                    return End::Lost(e);
                }
            },
        }
    }
}
