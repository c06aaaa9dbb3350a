//! The WebSocket transport: TCP (or a proxy tunnel), TLS for wss://, the
//! handshake with our headers, each stage under `connect_timeout`; and the
//! link that turns WebSocket messages into what the supervisor reads.

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use futures_util::{SinkExt, StreamExt};
use tokio::io::{AsyncRead, AsyncWrite};
use tokio::net::TcpStream;
use tokio::time::timeout;
use tokio_tungstenite::WebSocketStream;
use tokio_tungstenite::tungstenite::client::IntoClientRequest;
use tokio_tungstenite::tungstenite::error::ProtocolError;
use tokio_tungstenite::tungstenite::http::{HeaderMap, HeaderName, HeaderValue, Request};
use tokio_tungstenite::tungstenite::protocol::WebSocketConfig;
use tokio_tungstenite::tungstenite::protocol::frame::CloseFrame;
use tokio_tungstenite::tungstenite::{Error as WsError, Message, Utf8Bytes};

use super::FeedConfig;
use super::error::LinkError;
use super::head;
use super::link::{Link, Received, Transport};
use super::proxy::{self, Proxy};
use super::target::Target;
use super::tls;
use queuetop_engine::protocol::RejectKind;

/// Headers the WebSocket handshake sets itself; a config may not replace them.
const RESERVED: [&str; 6] = [
    "host",
    "upgrade",
    "connection",
    "sec-websocket-key",
    "sec-websocket-version",
    "sec-websocket-extensions",
];

/// A byte stream: plain TCP, TLS, either through a proxy tunnel.
pub trait Io: AsyncRead + AsyncWrite + Unpin + Send {}
impl<T: AsyncRead + AsyncWrite + Unpin + Send> Io for T {}

pub struct WsTransport {
    target: Target,
    proxy: Option<Proxy>,
    /// The extra headers and `Authorization`, marked sensitive.
    headers: HeaderMap,
    tls: Option<Arc<rustls::ClientConfig>>,
    connect_timeout: Duration,
    ws_config: WebSocketConfig,
}

impl WsTransport {
    /// Checks everything that can be checked before connecting; the proxy
    /// comes from `cfg.proxy` or the process environment.
    pub fn new(cfg: &FeedConfig) -> Result<Self, String> {
        Self::with_env(cfg, &|name| std::env::var(name).ok())
    }

    pub fn with_env(
        cfg: &FeedConfig,
        env: &dyn Fn(&str) -> Option<String>,
    ) -> Result<Self, String> {
        let target = Target::parse(&cfg.url)?;
        let proxy = proxy::choose(cfg.proxy.as_deref(), &target, env)?;
        let mut headers = HeaderMap::new();
        for (name, value) in &cfg.headers {
            let key = format!("key `feed.headers.{name}`");
            let n = HeaderName::from_bytes(name.as_bytes())
                .map_err(|_| format!("{key}: not a valid header name"))?;
            if RESERVED.contains(&n.as_str()) {
                return Err(format!(
                    "{key}: the WebSocket handshake sets this header itself"
                ));
            }
            let mut v = HeaderValue::from_str(value)
                .map_err(|_| format!("{key}: the value has characters a header may not have"))?;
            v.set_sensitive(true);
            headers.append(n, v);
        }
        if let Some(token) = &cfg.token {
            let mut v = HeaderValue::from_str(&format!("Bearer {}", token.0)).map_err(|_| {
                "the bearer token has characters a header may not have (a line break?)".to_string()
            })?;
            v.set_sensitive(true);
            headers.insert(
                tokio_tungstenite::tungstenite::http::header::AUTHORIZATION,
                v,
            );
        }
        let tls = match target.tls {
            true => Some(tls::client_config(cfg.ca_file.as_deref())?),
            false => None,
        };
        let max = |n: usize| (n > 0).then_some(n);
        let ws_config = WebSocketConfig::default()
            .max_frame_size(max(cfg.max_frame_bytes))
            .max_message_size(max(cfg.max_message_bytes));
        let t = WsTransport {
            target,
            proxy,
            headers,
            tls,
            connect_timeout: cfg.connect_timeout,
            ws_config,
        };
        t.request().map_err(|e| e.reason)?;
        Ok(t)
    }

    /// The proxy in use, if any (for the log).
    pub fn proxy(&self) -> Option<&Proxy> {
        self.proxy.as_ref()
    }

    fn request(&self) -> Result<Request<()>, LinkError> {
        let mut req = self
            .target
            .url
            .as_str()
            .into_client_request()
            .map_err(|_| {
                LinkError::new(format!("'{}' is not a usable URL", self.target.redacted()))
            })?;
        for (n, v) in &self.headers {
            req.headers_mut().append(n, v.clone());
        }
        Ok(req)
    }

    async fn open_stream(&self) -> Result<Box<dyn Io>, LinkError> {
        let t = self.connect_timeout;
        let (host, port) = match &self.proxy {
            Some(p) => (p.host.as_str(), p.port),
            None => (self.target.host.as_str(), self.target.port),
        };
        let stage = format!("connecting to {}", super::target::authority(host, port));
        let mut tcp = timeout(t, tcp_connect(host, port, &stage))
            .await
            .map_err(|_| LinkError::timeout(&stage))??;
        if let Some(p) = &self.proxy {
            let stage = format!("waiting for proxy {}", p.authority());
            timeout(t, proxy::tunnel(&mut tcp, p, &self.target.authority()))
                .await
                .map_err(|_| LinkError::timeout(&stage))??;
        }
        Ok(match &self.tls {
            Some(config) => Box::new(
                timeout(t, tls::handshake(config.clone(), &self.target.host, tcp))
                    .await
                    .map_err(|_| LinkError::timeout("in the TLS handshake"))??,
            ),
            None => Box::new(tcp),
        })
    }
}

async fn tcp_connect(host: &str, port: u16, stage: &str) -> Result<TcpStream, LinkError> {
    let addrs: Vec<SocketAddr> = tokio::net::lookup_host((host, port))
        .await
        .map_err(|_| LinkError::new(format!("cannot resolve {host}")))?
        .collect();
    let mut last = LinkError::new(format!("cannot resolve {host}"));
    for addr in addrs {
        match TcpStream::connect(addr).await {
            Ok(s) => {
                // Events are small and latency matters more than packet count.
                let _ = s.set_nodelay(true);
                return Ok(s);
            }
            Err(e) => last = LinkError::io(&e, stage),
        }
    }
    Err(last)
}

impl Transport for WsTransport {
    type Link = WsLink;

    async fn connect(&self) -> Result<WsLink, LinkError> {
        // The answer is gathered whole first: a head trickled in many small
        // reads is limited by the timeout below, not by a count of reads.
        let stream: Box<dyn Io> = Box::new(head::GatherHead::new(self.open_stream().await?));
        let request = self.request()?;
        let (ws, _response) = timeout(
            self.connect_timeout,
            tokio_tungstenite::client_async_with_config(request, stream, Some(self.ws_config)),
        )
        .await
        .map_err(|_| LinkError::timeout("in the WebSocket handshake"))?
        .map_err(handshake_error)?;
        Ok(WsLink {
            ws,
            flush_timeout: self.connect_timeout,
        })
    }

    fn describe(&self) -> String {
        match &self.proxy {
            Some(p) => format!(
                "{} via proxy {} ({})",
                self.target.redacted(),
                p.authority(),
                p.origin
            ),
            None => self.target.redacted(),
        }
    }
}

/// A reason for a failed handshake. Built from the parts only: the error
/// itself is never formatted whole, so no request header can leak.
fn handshake_error(e: WsError) -> LinkError {
    match e {
        WsError::Http(resp) => {
            let s = resp.status();
            let text = format!("HTTP {} {}", s.as_u16(), s.canonical_reason().unwrap_or(""));
            let text = text.trim_end().to_string();
            match s.as_u16() {
                401 | 403 => LinkError::auth(text),
                300..=399 => {
                    LinkError::new(format!("{text} from server (redirects are not followed)"))
                }
                _ => LinkError::new(format!("{text} from server")),
            }
        }
        WsError::Io(e) => LinkError::io(&e, "in the WebSocket handshake"),
        WsError::Protocol(p) => LinkError::new(format!("WebSocket handshake: {p}")),
        WsError::Capacity(_) | WsError::AttackAttempt => {
            LinkError::new("WebSocket handshake: answer too large")
        }
        WsError::HttpFormat(_) => LinkError::new("WebSocket handshake: answer is not valid HTTP"),
        _ => LinkError::new("WebSocket handshake failed"),
    }
}

pub struct WsLink {
    ws: WebSocketStream<Box<dyn Io>>,
    flush_timeout: Duration,
}

impl Link for WsLink {
    type Text = Utf8Bytes;

    async fn next(&mut self) -> Result<Received<Utf8Bytes>, LinkError> {
        match self.ws.next().await {
            Some(Ok(Message::Text(t))) => Ok(Received::Text(t)),
            Some(Ok(Message::Binary(_))) => Ok(Received::Refused(RejectKind::Binary)),
            Some(Ok(Message::Ping(_))) => {
                // tungstenite queued the pong; push it out now rather than
                // with the next read, which may be a while on a quiet feed.
                match timeout(self.flush_timeout, self.ws.flush()).await {
                    Ok(Err(e)) => Err(read_error(e)),
                    _ => Ok(Received::Alive),
                }
            }
            Some(Ok(Message::Pong(_) | Message::Frame(_))) => Ok(Received::Alive),
            Some(Ok(Message::Close(frame))) => Err(closed(frame)),
            Some(Err(e)) => Err(read_error(e)),
            None => Err(LinkError::new("connection closed")),
        }
    }

    async fn send(&mut self, text: String) -> Result<(), LinkError> {
        self.ws.send(Message::text(text)).await.map_err(read_error)
    }

    async fn ping(&mut self) -> Result<(), LinkError> {
        self.ws
            .send(Message::Ping(Default::default()))
            .await
            .map_err(read_error)
    }

    async fn close(&mut self) {
        let _ = timeout(self.flush_timeout, self.ws.close(None)).await;
    }
}

fn closed(frame: Option<CloseFrame>) -> LinkError {
    let Some(f) = frame else {
        return LinkError::new("closed by server");
    };
    let code = u16::from(f.code);
    let text = if f.reason.is_empty() {
        format!("closed by server ({code})")
    } else {
        format!("closed by server ({code}: {})", f.reason.as_str())
    };
    if (4000..=4999).contains(&code) {
        LinkError::auth(text)
    } else {
        LinkError::new(text)
    }
}

fn read_error(e: WsError) -> LinkError {
    match e {
        WsError::Capacity(_) => LinkError::refused(RejectKind::TooLarge, "frame too large"),
        WsError::Utf8(_) => LinkError::refused(RejectKind::NotUtf8, "text frame is not UTF-8"),
        WsError::Io(e) => LinkError::new(super::error::io_reason(&e)),
        WsError::Protocol(ProtocolError::ResetWithoutClosingHandshake) => {
            LinkError::new("connection dropped by the server")
        }
        WsError::Protocol(p) => LinkError::new(format!("protocol error: {p}")),
        WsError::ConnectionClosed | WsError::AlreadyClosed => LinkError::new("connection closed"),
        WsError::WriteBufferFull(_) => LinkError::new("send buffer full"),
        _ => LinkError::new("WebSocket error"),
    }
}

#[cfg(test)]
mod tests {
    /// tungstenite logs the whole handshake request, `Authorization` header
    /// included, at `trace` level through the `log` crate. The `log`
    /// dependency's `max_level_debug` feature compiles every `trace!` out, so
    /// no log setting can ever write the token.
    #[test]
    fn trace_logging_is_compiled_out() {
        assert!(log::STATIC_MAX_LEVEL <= log::LevelFilter::Debug);
    }
}
