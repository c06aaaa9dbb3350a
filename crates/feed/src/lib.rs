//! The live feed: a client that rides out outages.
//!
//! The client owns the connection (TLS, proxy, handshake, subscribe, pings,
//! idle timeout, reconnect with backoff) and hands what it receives to a
//! [`FeedSink`]. It knows nothing of the floor: the sink decodes and applies.
//!
//! # Layout
//!
//! - [`supervisor`]: the reconnect loop, written once for any transport:
//!   exponential backoff with full jitter ([`backoff`]), state reports to the
//!   sink, our keep-alive pings, the idle timeout, and make-before-break
//!   when the sink returns [`Signal::ReconnectSoon`].
//! - [`link`]: what a transport must offer the supervisor. A [`Transport`]
//!   opens a [`Link`] (with its own timeouts per stage); a link yields
//!   [`Received`] items (a text frame, something refused, or mere proof of
//!   life) from a cancel-safe `next()`, and takes text `send`s and `ping`s.
//!   Failures are [`LinkError`]s: a short reason for the screen, whether the
//!   server refused our credentials, and whether a refused frame broke it.
//! - [`ws`]: the WebSocket transport, built from [`target`] (the URL),
//!   [`proxy`] (HTTP CONNECT tunnels, `HTTPS_PROXY`, `NO_PROXY`) and [`tls`]
//!   (rustls, the system's roots and an optional CA file).
//! - [`sink`]: the [`FeedSink`] that feeds a shared [`Monitor`](queuetop_engine::monitor::Monitor).
//! - [`setup`]: [`FeedConfig`] from the config file and the command line.
//! - [`broadcast`]: the other direction: a WebSocket server that broadcasts
//!   one producer's frames to many clients (the demo serves its simulated
//!   floor with it).
//!
//! Another transport (an Asterisk AMI line protocol over plain TCP, say)
//! implements [`Transport`] and [`Link`] (a line or a message block is a
//! `Text`; `ping` sends `Action: Ping`) and runs under
//! [`supervisor::supervise`] with the same [`supervisor::Rules`].
//!
//! A fast feed never waits for the screen: each frame goes to the sink as it
//! is read, the sink applies it under a short lock, and the screen draws
//! from the latest state. Nothing is queued between them.

pub mod ami;
pub mod backoff;
pub mod broadcast;
pub mod clock;
pub mod error;
mod head;
pub mod link;
pub mod nats;
pub mod proxy;
pub mod record;
pub mod replay;
pub mod scheme;
pub mod setup;
pub mod sink;
pub mod supervisor;
pub mod target;
pub mod tls;
pub mod ws;

use std::convert::Infallible;
use std::time::Duration;

pub use clock::LocalClock;
pub use error::LinkError;
pub use link::{Link, Received, Transport};
pub use sink::MonitorSink;
pub use ws::WsTransport;

use queuetop_engine::dialect::Signal;
use queuetop_engine::health::LinkState;
use queuetop_engine::protocol::RejectKind;

/// Everything the client needs to connect. Built from the config and the
/// command line by [`setup::feed_config`]; the token is already resolved.
#[derive(Clone, Debug, Default)]
pub struct FeedConfig {
    pub url: String,
    /// Bearer token, sent as `Authorization: Bearer ...`. Never logged.
    pub token: Option<Secret>,
    /// Extra handshake headers.
    pub headers: Vec<(String, String)>,
    /// Sent verbatim after every connect.
    pub subscribe: Option<String>,
    /// Extra trusted CA (PEM), beside the system's roots.
    pub ca_file: Option<std::path::PathBuf>,
    /// `Some("")` turns the proxy off; `None` means: from the environment.
    pub proxy: Option<String>,
    pub connect_timeout: Duration,
    pub ping_interval: Duration,
    pub idle_timeout: Duration,
    pub max_frame_bytes: usize,
    pub max_message_bytes: usize,
}

impl FeedConfig {
    /// A config for `url` with every default (config.example.toml).
    pub fn new(url: impl Into<String>) -> Self {
        let d = queuetop_engine::config::FeedTiming::default();
        let ms = |m: i64| Duration::from_millis(m.max(0) as u64);
        FeedConfig {
            url: url.into(),
            connect_timeout: ms(d.connect_timeout),
            ping_interval: ms(d.ping_interval),
            idle_timeout: ms(d.idle_timeout),
            max_frame_bytes: d.max_frame_bytes,
            max_message_bytes: d.max_message_bytes,
            ..FeedConfig::default()
        }
    }

    /// The liveness rules for the supervisor.
    pub fn rules(&self) -> supervisor::Rules {
        supervisor::Rules::new(
            self.subscribe.clone(),
            self.ping_interval,
            self.idle_timeout,
            self.connect_timeout,
        )
    }
}

/// A secret that does not print.
#[derive(Clone, Default, PartialEq, Eq)]
pub struct Secret(pub String);

impl std::fmt::Debug for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Secret(..)")
    }
}

/// Where the client delivers what it receives. `local_ms` is our wall
/// clock (epoch ms) when the frame arrived.
pub trait FeedSink: Send + 'static {
    /// A connection is up (called again after every reconnect).
    fn connected(&mut self, local_ms: i64);
    /// A text frame arrived.
    fn frame(&mut self, text: &str, local_ms: i64) -> Signal;
    /// A frame was refused before decoding (binary, oversized).
    fn refused(&mut self, why: RejectKind, local_ms: i64);
    /// The link changed state.
    fn state(&mut self, state: LinkState, local_ms: i64);
    /// Text frames to send after each connect (a dialect's subscribe).
    fn on_connect_messages(&mut self) -> Vec<String> {
        Vec::new()
    }
}

/// Runs the WebSocket client forever (drop the future to stop it). Returns
/// only if `cfg` can never work (a bad URL, header or CA file); check it
/// first with [`WsTransport::new`] and [`serve`] to report that as a usage
/// error instead.
pub async fn run(cfg: FeedConfig, sink: impl FeedSink) -> Result<Infallible, String> {
    let transport = WsTransport::new(&cfg)?;
    Ok(serve(transport, cfg.rules(), sink, LocalClock::System).await)
}

/// Runs any transport under the reconnect loop, forever. `clock` is our
/// wall clock ([`LocalClock::System`] except in tests).
pub async fn serve<T: Transport>(
    transport: T,
    rules: supervisor::Rules,
    mut sink: impl FeedSink,
    clock: LocalClock,
) -> Infallible {
    supervisor::supervise(
        transport,
        rules,
        &mut sink,
        clock,
        backoff::Backoff::default(),
    )
    .await
}
