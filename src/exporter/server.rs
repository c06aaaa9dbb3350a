//! The HTTP server of the exporter: `GET /metrics` (axum on the tokio
//! runtime the source runs on). The address is bound before the runtime
//! starts, so a port in use is a clear error before anything else runs.

use std::future::Future;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};

use axum::Router;
use axum::body::Bytes;
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
    /// The last body made. Scrapes take turns making it, and one that
    /// finds nothing changed since sends the same bytes: with one series
    /// per agent a body is tens of megabytes, and slow or many scrapers
    /// would otherwise each hold their own copy, and make it again.
    made: tokio::sync::Mutex<Made>,
    /// Bodies made so far (for tests).
    renders: std::sync::atomic::AtomicU64,
}

/// What a body shows, as far as it can change: the monitor's changes,
/// the alerts' crossings, the relay's figures, the floor's time (a paced
/// replay moves it between events), and, for a live source, the wall
/// clock's second (ages and live timers tick by it).
#[derive(Clone, Copy, Debug, PartialEq)]
struct Seen {
    generation: u64,
    alert_seq: u64,
    floor_now: Ts,
    second: i64,
    relay: Option<feed::nats::publisher::StatsNow>,
}

/// A body, in OpenMetrics, and in the classic text once asked for; none
/// before the first scrape.
#[derive(Default)]
struct Made {
    seen: Option<Seen>,
    /// When its figures were read from the monitor.
    read_at: Option<std::time::Instant>,
    openmetrics: Bytes,
    text: Option<Bytes>,
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
                made: tokio::sync::Mutex::new(Made::default()),
                renders: std::sync::atomic::AtomicU64::new(0),
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
        // hyper answers these itself; the exporter has no figure of its
        // own to count them in, so they are logged, a line a minute a kind.
        let refused = Arc::new(Refused::default());
        let note = move |kind| {
            refused.note(kind, std::time::Instant::now());
        };
        crate::http::serve(listener, app, HEADER_TIMEOUT, "metrics", note, stop).await
    }
}

/// Requests hyper refused before the exporter saw them, by kind, logged
/// one line a minute for each kind.
#[derive(Default)]
struct Refused {
    counts: [std::sync::atomic::AtomicU64; 2],
    logged: crate::logging::Throttle<2>,
}

impl Refused {
    /// Counts one refusal; returns whether it was logged.
    fn note(&self, kind: crate::http::Unreadable, now: std::time::Instant) -> bool {
        let i = kind as usize;
        let total = self.counts[i].fetch_add(1, std::sync::atomic::Ordering::Relaxed) + 1;
        let due = self.logged.due(i, total, now).is_some();
        if due {
            // Ours, never request bytes.
            let why = kind.why();
            tracing::warn!("metrics: refused a request: {why} ({total} so far)");
        }
        due
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
    let accept = headers.get(header::ACCEPT).and_then(|v| v.to_str().ok());
    let format = Format::from_accept(accept);
    let body = body(&s, format).await;
    (
        StatusCode::OK,
        [(header::CONTENT_TYPE, format.content_type())],
        body,
    )
        .into_response()
}

impl Made {
    /// Whether this body answers a scrape that came at `came` and would
    /// see `seen` now: nothing it shows has changed, or it was read after
    /// the scrape came (so it is as new as the scrape asked for).
    fn serves(&self, seen: Option<Seen>, came: std::time::Instant) -> bool {
        (self.seen.is_some() && self.seen == seen) || self.read_at.is_some_and(|t| t >= came)
    }
}

/// The body of a scrape now: the last one made when its figures were read
/// after this scrape came (it waited while that body was made: at 100,000
/// agents that takes about a second, and a burst of scrapes would
/// otherwise make one each, in turn) or when nothing it shows has changed
/// since; else a new one.
async fn body(s: &Scraper, format: Format) -> Bytes {
    let came = std::time::Instant::now();
    let mut made = s.made.lock().await;
    let now = Ts(feed::clock::system_ms());
    let relay = s.relay.as_ref().map(|r| r.stats());
    let fresh = {
        let m = lock(&s.monitor);
        let seen = Some(Seen {
            generation: m.generation(),
            alert_seq: m.alert_seq(),
            floor_now: m.floor.now(),
            // A replay's figures tick with its own time, not our clock.
            second: if s.look.wall_clock {
                now.0.div_euclid(1_000)
            } else {
                0
            },
            relay,
        });
        (!made.serves(seen, came)).then(|| {
            let read_at = std::time::Instant::now();
            (seen, read_at, collect(&m, &s.look, now, m.alerts()))
        })
    };
    if let Some((seen, read_at, mut collected)) = fresh {
        collected.relay = relay;
        s.renders.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        *made = Made {
            seen,
            read_at: Some(read_at),
            openmetrics: Bytes::from(render(&collected)),
            text: None,
        };
    }
    match format {
        Format::OpenMetrics => made.openmetrics.clone(),
        Format::PrometheusText => {
            let Made {
                openmetrics, text, ..
            } = &mut *made;
            text.get_or_insert_with(|| {
                // Made from a String just above, so it is UTF-8.
                let openmetrics = std::str::from_utf8(openmetrics).unwrap_or_default();
                Bytes::from(to_prometheus_text(openmetrics))
            })
            .clone()
        }
    }
}

#[cfg(test)]
mod tests {
    use std::sync::atomic::Ordering;

    use queuetop_engine::dialect::DialectKind;
    use queuetop_engine::floor::{Floor, Settings, WindowKind};
    use queuetop_engine::monitor::{SourceInfo, SourceKind};

    use super::*;

    fn scraper(wall_clock: bool) -> Scraper {
        let source = SourceInfo {
            kind: SourceKind::Replay,
            target: "test".into(),
        };
        let mut m = Monitor::new(
            Floor::new(Settings::default()),
            source,
            DialectKind::Native.make(),
        );
        m.replay_frame(r#"{"type":"agent.state","agent_id":"a1","state":"available","queues":["q"],"ts":"2026-11-23T09:20:00Z"}"#);
        let look = Look {
            window: WindowKind::Rolling,
            wall_clock,
            stale_after: 5_000,
            agents: true,
            site: String::new(),
        };
        // The scraper alone: the tests ask it for bodies, not over HTTP.
        Exporter::bind("127.0.0.1:0", Arc::new(Mutex::new(m)), look)
            .expect("a loopback port binds")
            .scraper
    }

    #[tokio::test]
    async fn scrapes_of_an_unchanged_replay_share_one_body() {
        let s = scraper(false);
        let formats = [Format::OpenMetrics, Format::PrometheusText];
        let bodies = futures_util::future::join_all((0..8).map(|i| body(&s, formats[i % 2]))).await;
        let again = body(&s, Format::OpenMetrics).await;
        assert_eq!(s.renders.load(Ordering::Relaxed), 1);
        let text = String::from_utf8_lossy(&bodies[0]);
        assert!(text.contains("agent=\"a1\""), "{text}");
        // The same bytes for each format, not copies.
        for (i, b) in bodies.iter().enumerate().skip(2) {
            assert_eq!(b.as_ptr(), bodies[i % 2].as_ptr());
        }
        assert_ne!(bodies[0].as_ptr(), bodies[1].as_ptr(), "two formats");
        assert_eq!(again.as_ptr(), bodies[0].as_ptr());

        // A change of the floor makes a new body at once.
        lock(&s.monitor).replay_frame(
            r#"{"type":"agent.state","agent_id":"a2","state":"away","queues":["q"],"ts":"2026-11-23T09:20:01Z"}"#,
        );
        let after = body(&s, Format::OpenMetrics).await;
        assert_eq!(s.renders.load(Ordering::Relaxed), 2);
        assert!(String::from_utf8_lossy(&after).contains("agent=\"a2\""));
    }

    #[tokio::test]
    async fn a_replay_whose_time_moves_between_events_gets_a_new_body() {
        let s = scraper(false);
        let before = body(&s, Format::OpenMetrics).await;
        {
            // A paced replay moves the floor's time with no event.
            let mut m = lock(&s.monitor);
            let later = m.floor.now().plus(60_000);
            m.floor.advance(later);
        }
        let after = body(&s, Format::OpenMetrics).await;
        assert_eq!(s.renders.load(Ordering::Relaxed), 2);
        assert_ne!(before, after, "a minute more in state");
    }

    #[test]
    fn refusals_are_logged_once_a_minute_for_each_kind() {
        use crate::http::Unreadable::{Malformed, TooLarge};
        let r = Refused::default();
        let t0 = std::time::Instant::now();
        let later = |s| t0 + std::time::Duration::from_secs(s);
        assert!(r.note(Malformed, t0));
        assert!(!r.note(Malformed, later(30)));
        assert!(
            r.note(TooLarge, later(30)),
            "another kind has its own minute"
        );
        assert!(r.note(Malformed, later(61)));
        let counts = r.counts.each_ref().map(|c| c.load(Ordering::Relaxed));
        assert_eq!(counts, [3, 1]);
    }

    #[test]
    fn a_body_serves_scrapes_that_see_the_same_or_came_before_it_was_read() {
        let t0 = std::time::Instant::now();
        let t1 = t0 + std::time::Duration::from_millis(900);
        let seen = |generation| {
            Some(Seen {
                generation,
                alert_seq: 0,
                floor_now: Ts(0),
                second: 7,
                relay: None,
            })
        };
        let made = Made {
            seen: seen(1),
            read_at: Some(t1),
            ..Made::default()
        };
        assert!(made.serves(seen(1), t1 + std::time::Duration::from_secs(5)));
        // Changed since, but read after the scrape came (it waited).
        assert!(made.serves(seen(2), t0));
        assert!(made.serves(seen(2), t1));
        // Changed, and read before the scrape came.
        assert!(!made.serves(seen(2), t1 + std::time::Duration::from_millis(1)));
        assert!(!Made::default().serves(seen(1), t0));
        assert!(!Made::default().serves(None, t0));
    }
}
