//! Real parts for the feed tests: a tokio-tungstenite server on loopback
//! (plain or TLS), a CONNECT proxy, and a sink that records what it gets.
#![allow(dead_code, clippy::result_large_err)]

use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use futures_util::{SinkExt, StreamExt};
use queuetop_engine::dialect::Signal;
use queuetop_engine::health::LinkState;
use queuetop_engine::protocol::RejectKind;
use queuetop_feed::{FeedConfig, FeedSink, LocalClock, WsTransport};
use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{Notify, mpsc};
use tokio::task::JoinHandle;
use tokio_tungstenite::WebSocketStream;
use tokio_tungstenite::tungstenite::handshake::server::{ErrorResponse, Request, Response};
use tokio_tungstenite::tungstenite::http::{HeaderMap, StatusCode};
use tokio_tungstenite::tungstenite::protocol::CloseFrame;
use tokio_tungstenite::tungstenite::protocol::frame::coding::CloseCode;
use tokio_tungstenite::tungstenite::{Bytes, Message};

/// Longest a test waits for something (virtual time under a paused clock).
pub const PATIENCE: Duration = Duration::from_secs(600);

// ---------------------------------------------------------------- the sink

#[derive(Clone, Debug, PartialEq)]
pub enum Ev {
    Connected,
    Frame(String),
    Refused(RejectKind),
    State(LinkState),
}

#[derive(Default)]
pub struct Shared {
    log: Mutex<Vec<(i64, Ev)>>,
    notify: Notify,
}

/// Records every call; returns `ReconnectSoon` for frames holding `marker`.
#[derive(Clone, Default)]
pub struct Rec {
    pub shared: Arc<Shared>,
    pub marker: Option<&'static str>,
    pub greeting: Vec<String>,
}

impl Rec {
    fn push(&self, local_ms: i64, ev: Ev) {
        self.shared.log.lock().unwrap().push((local_ms, ev));
        self.shared.notify.notify_waiters();
    }

    pub fn log(&self) -> Vec<(i64, Ev)> {
        self.shared.log.lock().unwrap().clone()
    }

    pub fn events(&self) -> Vec<Ev> {
        self.log().into_iter().map(|(_, e)| e).collect()
    }

    pub fn frames(&self) -> Vec<String> {
        self.events()
            .into_iter()
            .filter_map(|e| match e {
                Ev::Frame(f) => Some(f),
                _ => None,
            })
            .collect()
    }

    pub fn states(&self) -> Vec<LinkState> {
        self.events()
            .into_iter()
            .filter_map(|e| match e {
                Ev::State(s) => Some(s),
                _ => None,
            })
            .collect()
    }

    pub fn connects(&self) -> usize {
        self.events()
            .iter()
            .filter(|e| **e == Ev::Connected)
            .count()
    }

    /// Waits until `pred` holds for the events so far.
    pub async fn until(&self, what: &str, pred: impl Fn(&[Ev]) -> bool) {
        let wait = async {
            loop {
                let notified = self.shared.notify.notified();
                tokio::pin!(notified);
                notified.as_mut().enable();
                if pred(&self.events()) {
                    return;
                }
                notified.await;
            }
        };
        if tokio::time::timeout(PATIENCE, wait).await.is_err() {
            panic!("timed out waiting for {what}; got {:#?}", self.events());
        }
    }

    /// Waits for the client to give up on a connection; its error, as the
    /// header would show it.
    pub async fn first_failure(&self) -> String {
        self.until("a failure", |e| {
            e.iter()
                .any(|e| matches!(e, Ev::State(LinkState::Reconnecting { .. })))
        })
        .await;
        let states = self.states();
        let Some(LinkState::Reconnecting { last_error, .. }) = states.last() else {
            panic!("{states:?}")
        };
        last_error.clone()
    }
}

impl FeedSink for Rec {
    fn connected(&mut self, local_ms: i64) {
        self.push(local_ms, Ev::Connected);
    }
    fn frame(&mut self, text: &str, local_ms: i64) -> Signal {
        self.push(local_ms, Ev::Frame(text.to_string()));
        match self.marker {
            Some(m) if text.contains(m) => Signal::ReconnectSoon,
            _ => Signal::None,
        }
    }
    fn refused(&mut self, why: RejectKind, local_ms: i64) {
        self.push(local_ms, Ev::Refused(why));
    }
    fn state(&mut self, state: LinkState, local_ms: i64) {
        self.push(local_ms, Ev::State(state));
    }
    fn on_connect_messages(&mut self) -> Vec<String> {
        self.greeting.clone()
    }
}

// ---------------------------------------------------------------- the client

/// The client with no proxy from the environment, our wall clock anchored
/// to tokio's (paused) clock.
pub fn spawn_client(cfg: FeedConfig, sink: impl FeedSink) -> JoinHandle<()> {
    spawn_client_env(cfg, sink, &|_| None)
}

pub fn spawn_client_env(
    cfg: FeedConfig,
    sink: impl FeedSink,
    env: &dyn Fn(&str) -> Option<String>,
) -> JoinHandle<()> {
    let transport = WsTransport::with_env(&cfg, env).expect("valid config");
    let rules = cfg.rules();
    tokio::spawn(async move {
        queuetop_feed::serve(transport, rules, sink, LocalClock::tokio_anchored()).await;
    })
}

// ---------------------------------------------------------------- the server

pub trait Io: AsyncRead + AsyncWrite + Unpin + Send {}
impl<T: AsyncRead + AsyncWrite + Unpin + Send> Io for T {}

/// One accepted WebSocket connection, with the handshake's headers.
pub struct Conn {
    pub ws: WebSocketStream<Box<dyn Io>>,
    pub headers: HeaderMap,
    pub path: String,
}

impl Conn {
    /// The next text message (pings are answered on the way).
    pub async fn recv_text(&mut self) -> String {
        loop {
            match self.ws.next().await {
                Some(Ok(Message::Text(t))) => return t.to_string(),
                Some(Ok(_)) => continue,
                other => panic!("expected a text message, got {other:?}"),
            }
        }
    }

    /// The next message of any kind.
    pub async fn recv(&mut self) -> Option<Message> {
        self.ws.next().await.and_then(Result::ok)
    }

    pub async fn send_text(&mut self, text: &str) {
        self.ws.send(Message::text(text)).await.expect("send");
    }

    pub async fn send_binary(&mut self, bytes: Vec<u8>) {
        self.ws
            .send(Message::Binary(Bytes::from(bytes)))
            .await
            .expect("send");
    }

    pub async fn close(mut self, code: u16) {
        let frame = CloseFrame {
            code: CloseCode::from(code),
            reason: "bye".into(),
        };
        let _ = self.ws.close(Some(frame)).await;
        // Let the client's answer come back before the socket goes.
        let _ = tokio::time::timeout(Duration::from_secs(1), self.ws.next()).await;
    }

    /// Reads (answering pings) until the client goes away.
    pub async fn drain(mut self) {
        while let Some(Ok(_)) = self.ws.next().await {}
    }
}

pub type Acceptor = Arc<
    dyn Fn(TcpStream) -> futures_util::future::BoxFuture<'static, std::io::Result<Box<dyn Io>>>
        + Send
        + Sync,
>;

#[derive(Clone, Default)]
pub struct ServerOpts {
    /// Answer 401 unless `Authorization: Bearer <this>`.
    pub require_token: Option<String>,
    /// Wraps each accepted TCP stream (TLS).
    pub acceptor: Option<Acceptor>,
}

pub struct Server {
    pub addr: SocketAddr,
    conns: mpsc::UnboundedReceiver<Conn>,
    /// Handshakes refused with 401.
    pub refused: Arc<Mutex<u32>>,
    task: JoinHandle<()>,
}

impl Server {
    pub async fn start() -> Server {
        Self::with(ServerOpts::default()).await
    }

    pub async fn with(opts: ServerOpts) -> Server {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        Self::on(listener, opts)
    }

    /// Serves on `addr` again (a restarted server).
    pub async fn restart_on(addr: SocketAddr) -> Server {
        let socket = tokio::net::TcpSocket::new_v4().unwrap();
        socket.set_reuseaddr(true).unwrap();
        socket.bind(addr).unwrap();
        Self::on(socket.listen(64).unwrap(), ServerOpts::default())
    }

    pub fn on(listener: TcpListener, opts: ServerOpts) -> Server {
        let addr = listener.local_addr().unwrap();
        let (tx, conns) = mpsc::unbounded_channel();
        let refused = Arc::new(Mutex::new(0));
        let refused2 = refused.clone();
        let task = tokio::spawn(async move {
            loop {
                let Ok((tcp, _)) = listener.accept().await else {
                    return;
                };
                let tx = tx.clone();
                let opts = opts.clone();
                let refused = refused2.clone();
                tokio::spawn(async move {
                    let stream: Box<dyn Io> = match &opts.acceptor {
                        Some(a) => match a(tcp).await {
                            Ok(s) => s,
                            Err(_) => return,
                        },
                        None => Box::new(tcp),
                    };
                    let seen = Arc::new(Mutex::new((HeaderMap::new(), String::new())));
                    let seen2 = seen.clone();
                    let want = opts.require_token.clone();
                    let callback =
                        move |req: &Request, resp: Response| -> Result<Response, ErrorResponse> {
                            *seen2.lock().unwrap() =
                                (req.headers().clone(), req.uri().path().to_string());
                            if let Some(token) = want {
                                let ok = req.headers().get("authorization").is_some_and(|v| {
                                    v.as_bytes() == format!("Bearer {token}").as_bytes()
                                });
                                if !ok {
                                    *refused.lock().unwrap() += 1;
                                    let mut r = ErrorResponse::new(Some("no".into()));
                                    *r.status_mut() = StatusCode::UNAUTHORIZED;
                                    return Err(r);
                                }
                            }
                            Ok(resp)
                        };
                    if let Ok(ws) = tokio_tungstenite::accept_hdr_async(stream, callback).await {
                        let (headers, path) = seen.lock().unwrap().clone();
                        let _ = tx.send(Conn { ws, headers, path });
                    }
                });
            }
        });
        Server {
            addr,
            conns,
            refused,
            task,
        }
    }

    pub fn url(&self) -> String {
        format!("ws://{}/feed", self.addr)
    }

    pub async fn conn(&mut self) -> Conn {
        tokio::time::timeout(PATIENCE, self.conns.recv())
            .await
            .expect("timed out waiting for a connection")
            .expect("server stopped")
    }

    /// Stops listening (the port is free again).
    pub fn stop(self) {
        self.task.abort();
    }
}

// ---------------------------------------------------------------- the proxy

/// A minimal HTTP CONNECT proxy: records each request head, then tunnels.
pub struct ConnectProxy {
    pub addr: SocketAddr,
    pub requests: Arc<Mutex<Vec<String>>>,
}

impl ConnectProxy {
    pub async fn start() -> ConnectProxy {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let requests = Arc::new(Mutex::new(Vec::new()));
        let seen = requests.clone();
        tokio::spawn(async move {
            while let Ok((mut client, _)) = listener.accept().await {
                let seen = seen.clone();
                tokio::spawn(async move {
                    let mut head = Vec::new();
                    let mut byte = [0u8; 1];
                    while !head.ends_with(b"\r\n\r\n") {
                        if client.read(&mut byte).await.unwrap_or(0) == 0 || head.len() > 8192 {
                            return;
                        }
                        head.push(byte[0]);
                    }
                    let head = String::from_utf8_lossy(&head).to_string();
                    seen.lock().unwrap().push(head.clone());
                    let target = head
                        .strip_prefix("CONNECT ")
                        .and_then(|r| r.split(' ').next())
                        .unwrap_or("")
                        .to_string();
                    let Ok(mut upstream) = TcpStream::connect(&target).await else {
                        let _ = client.write_all(b"HTTP/1.1 502 Bad Gateway\r\n\r\n").await;
                        return;
                    };
                    client
                        .write_all(b"HTTP/1.1 200 Connection established\r\n\r\n")
                        .await
                        .unwrap();
                    let _ = tokio::io::copy_bidirectional(&mut client, &mut upstream).await;
                });
            }
        });
        ConnectProxy { addr, requests }
    }

    pub fn requests(&self) -> Vec<String> {
        self.requests.lock().unwrap().clone()
    }
}

/// A frame of feed-v1 events.
pub fn ev(json: &str) -> String {
    json.to_string()
}

// ---------------------------------------------------------------- a monitor

use queuetop_engine::dialect::DialectKind;
use queuetop_engine::floor::{Floor, Settings};
use queuetop_engine::monitor::{Monitor, SourceInfo, SourceKind};
use queuetop_feed::MonitorSink;

pub fn monitor() -> Arc<Mutex<Monitor>> {
    Arc::new(Mutex::new(Monitor::new(
        Floor::new(Settings::default()),
        SourceInfo {
            kind: SourceKind::Url,
            target: "ws://test/".into(),
        },
        DialectKind::Native.make(),
    )))
}

/// Feeds a monitor and records the calls too (so tests can wait on them).
pub struct Tee(pub MonitorSink, pub Rec);

impl FeedSink for Tee {
    fn connected(&mut self, local_ms: i64) {
        self.0.connected(local_ms);
        self.1.connected(local_ms);
    }
    fn frame(&mut self, text: &str, local_ms: i64) -> Signal {
        let signal = self.0.frame(text, local_ms);
        self.1.frame(text, local_ms);
        signal
    }
    fn refused(&mut self, why: RejectKind, local_ms: i64) {
        self.0.refused(why, local_ms);
        self.1.refused(why, local_ms);
    }
    fn state(&mut self, state: LinkState, local_ms: i64) {
        self.0.state(state.clone(), local_ms);
        self.1.state(state, local_ms);
    }
}

/// The client with a given wall clock.
pub fn spawn_client_clock(
    cfg: FeedConfig,
    sink: impl FeedSink,
    clock: LocalClock,
) -> JoinHandle<()> {
    let transport = WsTransport::with_env(&cfg, &|_| None).expect("valid config");
    let rules = cfg.rules();
    tokio::spawn(async move {
        queuetop_feed::serve(transport, rules, sink, clock).await;
    })
}

pub fn queued(id: &str, queue: &str, ts: i64) -> String {
    format!(r#"{{"type":"contact.queued","ts":{ts},"contact_id":"{id}","queue":"{queue}"}}"#)
}
