//! The demo as a WebSocket feed: one simulation, run in real time and
//! broadcast to every client.
//!
//! Each client gets a snapshot of the floor on connect, then the live
//! stream. A client that falls so far behind that the broadcast buffer
//! moved past it is sent a fresh snapshot and goes on from there: it is
//! neither dropped nor allowed to make the server buffer without bound.
//! What clients send (a subscribe message, say) is read and ignored;
//! pings are answered.

use std::net::{Ipv4Addr, SocketAddr};
use std::sync::Arc;
use std::time::Duration;

use futures_util::{SinkExt, StreamExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::broadcast::error::RecvError;
use tokio::task::{JoinHandle, JoinSet};
use tokio::time::{Instant, MissedTickBehavior};
use tokio_tungstenite::tungstenite::protocol::WebSocketConfig;
use tokio_tungstenite::tungstenite::{Message, Utf8Bytes};
use tokio_tungstenite::{WebSocketStream, accept_async_with_config};

use super::hub::Hub;
use super::sim::{Sim, WARM_UP};
use queuetop_engine::time::Ts;

/// The seed when none is given: the same demo day every time.
pub const DEFAULT_SEED: u64 = 1;

/// How often the simulation catches up with the clock.
pub const TICK: Duration = Duration::from_millis(100);

/// Frames kept for slow clients (shared by all of them). At rate 1 the
/// floor makes about one event a second, so a client must stall for many
/// minutes before it needs a fresh snapshot.
pub const BACKLOG: usize = 1024;

/// Clients served at once; more are turned away.
pub const MAX_CLIENTS: usize = 256;

/// Clients only send a subscribe message; anything bigger is refused.
const MAX_INCOMING: usize = 64 * 1024;

const HANDSHAKE_TIMEOUT: Duration = Duration::from_secs(10);

/// The feed's clock: the wall clock read once at start, then moved on by
/// the monotonic clock, so `ts` never goes back when the system clock is
/// stepped (and tokio's paused clock drives it in tests).
#[derive(Clone, Copy, Debug)]
pub struct SimClock {
    base_ms: i64,
    base: Instant,
}

impl SimClock {
    pub fn start() -> SimClock {
        let base_ms = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX));
        SimClock {
            base_ms,
            base: Instant::now(),
        }
    }

    pub fn now(&self) -> Ts {
        let elapsed = i64::try_from(self.base.elapsed().as_millis()).unwrap_or(i64::MAX);
        Ts(self.base_ms.saturating_add(elapsed))
    }
}

/// Serves the demo on `listener` until the task is dropped or aborted
/// (which also ends every client's connection). The floor is warmed up
/// first, so the first client already sees a busy floor.
pub async fn serve(listener: TcpListener, seed: u64, rate: f64) {
    let clock = SimClock::start();
    // Warm up through the hub, so the warm-up is the history new clients get.
    let now = clock.now();
    let hub = Arc::new(Hub::new(Sim::new(seed, now.minus(WARM_UP), rate), BACKLOG));
    hub.tick(now);
    tracing::info!(seed, rate, "demo floor warmed up");
    run(listener, hub, Some(clock)).await;
}

/// Serves the demo on a loopback port of this process, for `queuetop
/// --demo`: returns the address to connect to and the server's task
/// (abort it to stop the server and all its connections).
pub async fn serve_in_process(
    seed: u64,
    rate: f64,
) -> std::io::Result<(SocketAddr, JoinHandle<()>)> {
    let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, 0)).await?;
    let addr = listener.local_addr()?;
    Ok((addr, tokio::spawn(serve(listener, seed, rate))))
}

/// How often a repeated server-side problem may be logged again.
const WARN_EVERY: Duration = Duration::from_secs(10);

/// Lets one log line through per [`WARN_EVERY`], counting the rest, so a
/// flood of connections cannot flood the log.
#[derive(Debug, Default)]
struct Throttle {
    last: Option<Instant>,
    suppressed: u64,
}

impl Throttle {
    /// `Some(lines suppressed since the last one)` when a line may be written.
    fn ready(&mut self, now: Instant) -> Option<u64> {
        match self.last {
            Some(t) if now.duration_since(t) < WARN_EVERY => {
                self.suppressed += 1;
                None
            }
            _ => {
                self.last = Some(now);
                Some(std::mem::take(&mut self.suppressed))
            }
        }
    }
}

/// Accepts clients and, with a clock, advances the hub every [`TICK`].
/// Without one, whoever holds the hub moves it (tests).
pub(super) async fn run(listener: TcpListener, hub: Arc<Hub>, clock: Option<SimClock>) {
    let mut ticker = tokio::time::interval(TICK);
    ticker.set_missed_tick_behavior(MissedTickBehavior::Skip);
    let mut clients = JoinSet::new();
    let (mut full, mut failing) = (Throttle::default(), Throttle::default());
    loop {
        tokio::select! {
            _ = ticker.tick(), if clock.is_some() => {
                if let Some(c) = &clock {
                    hub.tick(c.now());
                }
            }
            accepted = listener.accept() => match accepted {
                Ok((stream, peer)) => {
                    if clients.len() >= MAX_CLIENTS {
                        if let Some(more) = full.ready(Instant::now()) {
                            tracing::warn!(%peer, more, "turned a client away: {MAX_CLIENTS} already connected");
                        }
                        continue;
                    }
                    clients.spawn(client(stream, peer, hub.clone()));
                }
                Err(e) => {
                    // Out of file descriptors and the like: wait, then go on.
                    if let Some(more) = failing.ready(Instant::now()) {
                        tracing::warn!(more, "accepting a connection failed: {e}");
                    }
                    tokio::time::sleep(TICK).await;
                }
            },
            Some(_) = clients.join_next(), if !clients.is_empty() => {}
        }
    }
}

async fn client(stream: TcpStream, peer: SocketAddr, hub: Arc<Hub>) {
    let _ = stream.set_nodelay(true);
    let config = WebSocketConfig::default()
        .max_message_size(Some(MAX_INCOMING))
        .max_frame_size(Some(MAX_INCOMING));
    let mut ws = match tokio::time::timeout(
        HANDSHAKE_TIMEOUT,
        accept_async_with_config(stream, Some(config)),
    )
    .await
    {
        Ok(Ok(ws)) => ws,
        Ok(Err(e)) => return tracing::info!(%peer, "WebSocket handshake failed: {e}"),
        Err(_) => return tracing::info!(%peer, "WebSocket handshake timed out"),
    };
    tracing::info!(%peer, "client connected");
    let (hello, mut rx) = hub.join(true);
    if send_all(&mut ws, hello).await.is_err() {
        return;
    }
    loop {
        tokio::select! {
            frame = rx.recv() => match frame {
                Ok(text) => {
                    if ws.send(Message::Text(text)).await.is_err() {
                        break;
                    }
                }
                Err(RecvError::Lagged(missed)) => {
                    tracing::info!(%peer, missed, "client fell behind: sending a fresh snapshot");
                    let (hello, fresh) = hub.join(false);
                    rx = fresh;
                    if send_all(&mut ws, hello).await.is_err() {
                        break;
                    }
                }
                Err(RecvError::Closed) => break,
            },
            incoming = ws.next() => match incoming {
                // tungstenite queued the pong; send it now.
                Some(Ok(Message::Ping(_))) => {
                    if ws.flush().await.is_err() {
                        break;
                    }
                }
                Some(Ok(Message::Close(_))) | None => break,
                Some(Ok(_)) => {}
                Some(Err(e)) => {
                    tracing::info!(%peer, "connection failed: {e}");
                    break;
                }
            },
        }
    }
    let _ = ws.close(None).await;
    tracing::info!(%peer, "client disconnected");
}

async fn send_all(
    ws: &mut WebSocketStream<TcpStream>,
    frames: Vec<Utf8Bytes>,
) -> Result<(), tokio_tungstenite::tungstenite::Error> {
    for f in frames {
        ws.feed(Message::Text(f)).await?;
    }
    ws.flush().await
}

#[cfg(test)]
mod tests {
    use super::*;
    use queuetop_engine::protocol::{Decoded, Event, EventKind, decode_frame};
    use tokio_tungstenite::{MaybeTlsStream, connect_async};

    type Client = WebSocketStream<MaybeTlsStream<TcpStream>>;

    fn t0() -> Ts {
        Ts::parse_rfc3339("2026-11-23T08:30:00Z").unwrap_or_default()
    }

    fn decode(text: &str) -> Event<'static> {
        let mut out = Vec::new();
        decode_frame(text, |d| out.push(d));
        match out.pop() {
            Some(Decoded::Event(ev)) if out.is_empty() => ev.into_owned(),
            other => panic!("not one event: {other:?}"),
        }
    }

    async fn next_text(ws: &mut Client) -> Event<'static> {
        loop {
            let msg = tokio::time::timeout(Duration::from_secs(10), ws.next())
                .await
                .expect("a frame within 10 s")
                .expect("the connection is open")
                .expect("a good frame");
            if let Message::Text(t) = msg {
                return decode(&t);
            }
        }
    }

    /// Reads the recent past (if sent), the snapshot and the `queue.info`
    /// events that follow it.
    async fn read_hello(ws: &mut Client) -> Event<'static> {
        let mut snap = next_text(ws).await;
        while snap.seq.is_some() {
            snap = next_text(ws).await; // the recent past, before the snapshot
        }
        assert!(matches!(snap.kind, EventKind::Snapshot(_)), "{snap:?}");
        for _ in 0..super::super::roster::QUEUES.len() {
            let info = next_text(ws).await;
            assert!(matches!(info.kind, EventKind::QueueInfo { .. }));
            assert_eq!(info.seq, None);
        }
        snap
    }

    async fn start(capacity: usize) -> (Arc<Hub>, Client, JoinHandle<()>) {
        let hub = Arc::new(Hub::new(Sim::new(1, t0(), 1.0), capacity));
        hub.tick(t0().plus(10 * 60_000));
        let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, 0)).await.unwrap();
        let addr = listener.local_addr().unwrap();
        let server = tokio::spawn(run(listener, hub.clone(), None));
        let (ws, _) = connect_async(format!("ws://{addr}")).await.unwrap();
        (hub, ws, server)
    }

    #[tokio::test]
    async fn a_client_that_falls_behind_gets_a_fresh_snapshot() {
        let (hub, mut ws, server) = start(8).await;
        let first = read_hello(&mut ws).await;
        assert_eq!(first.ts, t0().plus(10 * 60_000));

        // Far more events than the backlog holds, while the client's task
        // cannot run (this runtime has one thread and tick() never yields).
        let sent = hub.tick(t0().plus(40 * 60_000));
        assert!(sent > 8 * 4, "only {sent} events");
        let (at, last_seq) = hub.position();

        let resync = read_hello(&mut ws).await;
        assert_eq!(resync.ts, at, "a snapshot of the floor as it is now");
        // The live stream goes on right after the snapshot's position (a
        // few seconds: fewer events than the backlog holds).
        let more = hub.tick(at.plus(6_000));
        assert!((1..8).contains(&more), "{more} events");
        let next = next_text(&mut ws).await;
        assert_eq!(next.seq, Some(last_seq + 1));
        server.abort();
    }

    #[tokio::test]
    async fn a_client_that_keeps_up_gets_every_event_once() {
        let (hub, mut ws, server) = start(4096).await;
        read_hello(&mut ws).await;
        let (_, before) = hub.position();
        let sent = hub.tick(t0().plus(20 * 60_000)) as u64;
        assert!(sent > 10);
        for i in 1..=sent {
            assert_eq!(next_text(&mut ws).await.seq, Some(before + i));
        }
        server.abort();
    }

    #[tokio::test(start_paused = true)]
    async fn repeated_warnings_are_throttled() {
        let mut t = Throttle::default();
        assert_eq!(t.ready(Instant::now()), Some(0));
        for _ in 0..5 {
            tokio::time::advance(Duration::from_secs(1)).await;
            assert_eq!(t.ready(Instant::now()), None);
        }
        tokio::time::advance(WARN_EVERY).await;
        assert_eq!(t.ready(Instant::now()), Some(5));
        assert_eq!(t.ready(Instant::now()), None);
    }

    #[tokio::test(start_paused = true)]
    async fn the_ticker_keeps_the_floor_at_the_clock() {
        let clock = SimClock::start();
        let opened = clock.now();
        let hub = Arc::new(Hub::new(Sim::new(1, opened, 1.0), 64));
        let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, 0)).await.unwrap();
        let server = tokio::spawn(run(listener, hub.clone(), Some(clock)));
        tokio::time::sleep(Duration::from_secs(60)).await;
        let now = clock.now();
        assert_eq!(now.since(opened), 60_000, "the feed clock follows tokio's");
        let (at, seq) = hub.position();
        assert!(
            now.since(at) <= TICK.as_millis() as i64,
            "the floor lags {}",
            now.since(at)
        );
        // The announcements, then a minute of heartbeats (and contacts).
        let announced =
            (super::super::roster::QUEUES.len() + super::super::roster::AGENTS.len()) as u64;
        assert!(seq >= announced + 11, "only {seq} events");
        server.abort();
    }

    #[tokio::test]
    async fn stopping_the_server_closes_its_clients() {
        let (_hub, mut ws, server) = start(64).await;
        read_hello(&mut ws).await;
        server.abort();
        let end = tokio::time::timeout(Duration::from_secs(10), async {
            loop {
                match ws.next().await {
                    None | Some(Err(_)) | Some(Ok(Message::Close(_))) => return,
                    Some(Ok(_)) => {}
                }
            }
        })
        .await;
        assert!(end.is_ok(), "the client was left hanging");
    }
}
