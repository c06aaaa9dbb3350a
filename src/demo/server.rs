//! The demo as a WebSocket feed: one simulation, run in real time and
//! broadcast to every client by the feed crate's broadcast server (each
//! client gets a snapshot on connect, then the live stream; one that falls
//! behind gets a fresh snapshot).

use std::net::{Ipv4Addr, SocketAddr};
use std::sync::Arc;
use std::time::Duration;

use queuetop_engine::time::Ts;
use queuetop_feed::broadcast::server::{Ticker, run};
use tokio::net::TcpListener;
use tokio::task::JoinHandle;
use tokio::time::Instant;

use super::hub::hub;
use super::sim::{Sim, WARM_UP};

/// The seed when none is given: the same demo day every time.
pub const DEFAULT_SEED: u64 = 1;

/// How often the simulation catches up with the clock.
pub const TICK: Duration = Duration::from_millis(100);

/// Frames kept for slow clients (shared by all of them). At rate 1 the
/// floor makes about one event a second, so a client must stall for many
/// minutes before it needs a fresh snapshot.
pub const BACKLOG: usize = 1024;

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
    let hub = Arc::new(hub(Sim::new(seed, now.minus(WARM_UP), rate), BACKLOG));
    hub.tick(now);
    tracing::info!(seed, rate, "demo floor warmed up");
    run(listener, hub, Some(ticker(clock))).await;
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

fn ticker(clock: SimClock) -> Ticker {
    Ticker {
        every: TICK,
        now: Box::new(move || clock.now()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use futures_util::StreamExt;
    use queuetop_engine::protocol::{Decoded, Event, EventKind, decode_frame};
    use queuetop_feed::broadcast::Hub;
    use tokio::net::TcpStream;
    use tokio_tungstenite::tungstenite::Message;
    use tokio_tungstenite::{MaybeTlsStream, WebSocketStream, connect_async};

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

    /// Reads the recent past (if sent, after its opening `queue.info`s),
    /// the snapshot and the `queue.info` events that follow it.
    async fn read_hello(ws: &mut Client) -> Event<'static> {
        let mut snap = next_text(ws).await;
        while !matches!(snap.kind, EventKind::Snapshot(_)) {
            assert!(snap.seq.is_some() || matches!(snap.kind, EventKind::QueueInfo { .. }));
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

    async fn start(capacity: usize) -> (Arc<Hub<Sim>>, Client, JoinHandle<()>) {
        let hub = Arc::new(hub(Sim::new(1, t0(), 1.0), capacity));
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
        let (at, last_seq) = hub.with(|s| (s.now(), s.last_seq()));

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
        let (_, before) = hub.with(|s| (s.now(), s.last_seq()));
        let sent = hub.tick(t0().plus(20 * 60_000)) as u64;
        assert!(sent > 10);
        for i in 1..=sent {
            assert_eq!(next_text(&mut ws).await.seq, Some(before + i));
        }
        server.abort();
    }

    #[tokio::test(start_paused = true)]
    async fn the_ticker_keeps_the_floor_at_the_clock() {
        let clock = SimClock::start();
        let opened = clock.now();
        let hub = Arc::new(hub(Sim::new(1, opened, 1.0), 64));
        let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, 0)).await.unwrap();
        let server = tokio::spawn(run(listener, hub.clone(), Some(ticker(clock))));
        tokio::time::sleep(Duration::from_secs(60)).await;
        let now = clock.now();
        assert_eq!(now.since(opened), 60_000, "the feed clock follows tokio's");
        let (at, seq) = hub.with(|s| (s.now(), s.last_seq()));
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
}
