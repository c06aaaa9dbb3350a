//! The HTTP server of the exporter: `GET /metrics` (axum on the tokio
//! runtime the source runs on). The address is bound before the runtime
//! starts, so a port in use is a clear error before anything else runs.

use std::future::Future;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};

use axum::Router;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use queuetop_engine::monitor::{Monitor, lock};
use queuetop_engine::time::Ts;
use queuetop_feed as feed;
use queuetop_feed::nats::publisher::Shared;

use super::collect::{Look, collect};
use super::format::{Format, to_prometheus_text};
use super::registry::render;
use crate::error::{AppError, AppResult};

struct Scraper {
    monitor: Arc<Mutex<Monitor>>,
    look: Look,
    /// The relay's publisher, whose figures are served too.
    relay: Option<Arc<Shared>>,
}

/// A bound exporter, ready to serve.
pub struct Exporter {
    listener: std::net::TcpListener,
    scraper: Scraper,
}

impl Exporter {
    /// Binds `addr` (`HOST:PORT`; port 0 picks a free one).
    pub fn bind(addr: &str, monitor: Arc<Mutex<Monitor>>, look: Look) -> AppResult<Exporter> {
        let listener = std::net::TcpListener::bind(addr)
            .and_then(|l| l.set_nonblocking(true).map(|()| l))
            .map_err(|e| AppError::Usage(format!("--metrics-listen {addr}: {e}")))?;
        Ok(Exporter {
            listener,
            scraper: Scraper {
                monitor,
                look,
                relay: None,
            },
        })
    }

    /// Also serves the figures of a relay's publisher.
    pub fn with_relay(mut self, shared: Arc<Shared>) -> Exporter {
        self.scraper.relay = Some(shared);
        self
    }

    /// The address bound (with the port chosen when 0 was asked for).
    pub fn local_addr(&self) -> std::io::Result<SocketAddr> {
        self.listener.local_addr()
    }

    /// Serves until `stop` resolves; must run inside a tokio runtime.
    pub async fn run(self, stop: impl Future<Output = ()> + Send + 'static) -> std::io::Result<()> {
        let listener = tokio::net::TcpListener::from_std(self.listener)?;
        let app = Router::new()
            .route("/metrics", get(metrics))
            .route("/", get(index))
            .with_state(Arc::new(self.scraper));
        // The exporter keeps no count of refused requests: hyper's 400s
        // and 431s to a scraper are its own (as they were before).
        crate::http::serve(listener, app, HEADER_TIMEOUT, "metrics", |_| {}, stop).await
    }
}

/// How long a client has to send a request's headers, from its connection
/// or the previous response: far more than a scraper needs, and a bound on
/// idle and trickling connections (a scraper that keeps its connection
/// between scrapes connects again).
pub const HEADER_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(10);

async fn index() -> &'static str {
    "queuetop exporter: the figures are at /metrics\n"
}

async fn metrics(State(s): State<Arc<Scraper>>, headers: HeaderMap) -> Response {
    let mut collected = {
        let m = lock(&s.monitor);
        collect(&m, &s.look, Ts(feed::clock::system_ms()), m.alerts())
    };
    collected.relay = s.relay.as_ref().map(|r| r.stats());
    let accept = headers.get(header::ACCEPT).and_then(|v| v.to_str().ok());
    let format = Format::from_accept(accept);
    let openmetrics = render(&collected);
    let body = match format {
        Format::OpenMetrics => openmetrics,
        Format::PrometheusText => to_prometheus_text(&openmetrics),
    };
    (
        StatusCode::OK,
        [(header::CONTENT_TYPE, format.content_type())],
        body,
    )
        .into_response()
}
