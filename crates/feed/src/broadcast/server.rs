//! Serving a [`Hub`] over WebSocket.
//!
//! Each client gets the hub's hello on connect, then the live stream. A
//! client that falls so far behind that the broadcast buffer moved past it
//! is sent a fresh hello and goes on from there: it is neither dropped nor
//! allowed to make the server buffer without bound. What clients send (a
//! subscribe message, say) is read and ignored; pings are answered.

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use futures_util::{SinkExt, StreamExt};
use queuetop_engine::time::Ts;
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::broadcast::error::RecvError;
use tokio::task::JoinSet;
use tokio::time::{Instant, MissedTickBehavior};
use tokio_tungstenite::tungstenite::protocol::WebSocketConfig;
use tokio_tungstenite::tungstenite::{Message, Utf8Bytes};
use tokio_tungstenite::{WebSocketStream, accept_async_with_config};

use super::{Hub, Producer};

/// Clients served at once; more are turned away.
pub const MAX_CLIENTS: usize = 256;

/// Clients only send a subscribe message; anything bigger is refused.
const MAX_INCOMING: usize = 64 * 1024;

const HANDSHAKE_TIMEOUT: Duration = Duration::from_secs(10);

/// How often a repeated server-side problem may be logged again.
const WARN_EVERY: Duration = Duration::from_secs(10);

/// What moves the hub on: every `every`, to the instant `now` reads.
pub struct Ticker {
    pub every: Duration,
    pub now: Box<dyn Fn() -> Ts + Send + Sync>,
}

/// Accepts clients and, with a ticker, advances the hub on each tick.
/// Without one, whoever holds the hub moves it (tests). Runs until the task
/// is dropped or aborted, which also ends every client's connection.
pub async fn run<P: Producer>(listener: TcpListener, hub: Arc<Hub<P>>, ticker: Option<Ticker>) {
    let every = ticker
        .as_ref()
        .map_or(Duration::from_millis(100), |t| t.every);
    let mut interval = tokio::time::interval(every);
    interval.set_missed_tick_behavior(MissedTickBehavior::Skip);
    let mut clients = JoinSet::new();
    let (mut full, mut failing) = (Throttle::default(), Throttle::default());
    loop {
        tokio::select! {
            _ = interval.tick(), if ticker.is_some() => {
                if let Some(t) = &ticker {
                    hub.tick((t.now)());
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
                    tokio::time::sleep(every).await;
                }
            },
            Some(_) = clients.join_next(), if !clients.is_empty() => {}
        }
    }
}

async fn client<P: Producer>(stream: TcpStream, peer: SocketAddr, hub: Arc<Hub<P>>) {
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

#[cfg(test)]
mod tests {
    use std::net::Ipv4Addr;

    use super::*;
    use crate::broadcast::HubLimits;
    use tokio_tungstenite::{MaybeTlsStream, connect_async};

    type Client = WebSocketStream<MaybeTlsStream<TcpStream>>;

    /// Counts: one frame per second of time, the hello says the count.
    struct Counter {
        at: Ts,
        n: u64,
    }

    impl Producer for Counter {
        fn advance(&mut self, now: Ts) -> Vec<(Ts, String)> {
            let mut out = Vec::new();
            while self.at.plus(1_000) <= now {
                self.at = self.at.plus(1_000);
                self.n += 1;
                out.push((self.at, format!("frame {}", self.n)));
            }
            out
        }
        fn hello(&self) -> Vec<String> {
            vec![format!("hello {}", self.n)]
        }
    }

    fn limits(backlog: usize) -> HubLimits {
        HubLimits {
            backlog,
            history: 5_000,
            max_history_frames: 100,
        }
    }

    async fn next_text(ws: &mut Client) -> String {
        loop {
            let msg = tokio::time::timeout(Duration::from_secs(10), ws.next())
                .await
                .expect("a frame within 10 s")
                .expect("the connection is open")
                .expect("a good frame");
            if let Message::Text(t) = msg {
                return t.to_string();
            }
        }
    }

    async fn start(backlog: usize) -> (Arc<Hub<Counter>>, Client, tokio::task::JoinHandle<()>) {
        let hub = Arc::new(Hub::new(Counter { at: Ts(0), n: 0 }, limits(backlog)));
        hub.tick(Ts(10_000));
        let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, 0)).await.unwrap();
        let addr = listener.local_addr().unwrap();
        let server = tokio::spawn(run(listener, hub.clone(), None));
        let (ws, _) = connect_async(format!("ws://{addr}")).await.unwrap();
        (hub, ws, server)
    }

    #[tokio::test]
    async fn a_new_client_gets_the_recent_past_then_the_hello_then_the_stream() {
        let (hub, mut ws, server) = start(64).await;
        // History keeps the last 5 s: frames 6..=10 (frame 5 is at the horizon).
        for n in 6..=10 {
            assert_eq!(next_text(&mut ws).await, format!("frame {n}"));
        }
        assert_eq!(next_text(&mut ws).await, "hello 10");
        hub.tick(Ts(12_000));
        assert_eq!(next_text(&mut ws).await, "frame 11");
        assert_eq!(next_text(&mut ws).await, "frame 12");
        server.abort();
    }

    #[tokio::test]
    async fn a_client_that_falls_behind_gets_a_fresh_hello_and_nothing_twice() {
        let (hub, mut ws, server) = start(4).await;
        while next_text(&mut ws).await != "hello 10" {}
        // More frames than the backlog holds while the client's task cannot
        // run (this runtime has one thread and tick() never yields).
        assert_eq!(hub.tick(Ts(30_000)), 20);
        assert_eq!(next_text(&mut ws).await, "hello 30");
        hub.tick(Ts(31_000));
        assert_eq!(next_text(&mut ws).await, "frame 31");
        assert_eq!(hub.with(|c| c.n), 31);
        server.abort();
    }

    #[tokio::test]
    async fn stopping_the_server_closes_its_clients() {
        let (_hub, mut ws, server) = start(64).await;
        next_text(&mut ws).await;
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
}
