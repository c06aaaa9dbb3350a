//! The connection loop of queuetop's HTTP servers (the exporter's
//! `/metrics`, the relay's webhook listener): hyper's own rather than
//! `axum::serve`, for its header timeout. A client that sends its headers a
//! byte at a time, or holds a connection open and says nothing (after
//! connecting, or between two requests), is cut off after `header_timeout`
//! instead of holding a task and a file descriptor for as long as it likes.
//! Each connection is its own task, so none stalls another.
//!
//! A request hyper cannot read (a broken request line, a head over its
//! limit) is answered by hyper itself (400, 431) and never reaches the
//! router; hyper then ends the connection with a parse error, which is
//! handed to the server's `refused` hook so that it is counted like the
//! router's own refusals.

use std::future::Future;
use std::time::Duration;

use axum::Router;
use tokio::net::TcpListener;

/// A request hyper refused before the router saw it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Unreadable {
    /// Not HTTP/1 (a bad request line or header, HTTP/2 without TLS): 400.
    Malformed,
    /// The request line and headers over hyper's limit: 431 (414 for the URI).
    TooLarge,
}

impl Unreadable {
    /// Why it was refused, for the log.
    pub fn why(self) -> &'static str {
        match self {
            Unreadable::Malformed => "not an HTTP/1.x request (400)",
            Unreadable::TooLarge => "the request line and headers are over the limit (431)",
        }
    }

    /// The refusal a connection ended with, if it was one. A client that
    /// hung up, went quiet past `header_timeout` (an idle keep-alive
    /// connection does) or reset the connection sent no request to refuse:
    /// none of that is counted.
    pub fn of(e: &hyper::Error) -> Option<Unreadable> {
        if e.is_parse_too_large() {
            Some(Unreadable::TooLarge)
        } else if e.is_parse() {
            Some(Unreadable::Malformed)
        } else {
            None
        }
    }
}

/// Serves `router` on `listener` until `stop` resolves. `what` names the
/// server in the log; `refused` hears of every request hyper refused itself.
pub async fn serve(
    listener: TcpListener,
    router: Router,
    header_timeout: Duration,
    what: &'static str,
    refused: impl Fn(Unreadable) + Clone + Send + 'static,
    stop: impl Future<Output = ()>,
) -> std::io::Result<()> {
    tokio::pin!(stop);
    // Clients holding every file descriptor keep accepting failing for as
    // long as they like: one line a minute, not one for each retry.
    let failures_logged = crate::logging::Throttle::<1>::default();
    let mut failures = 0;
    loop {
        let stream = tokio::select! {
            () = &mut stop => return Ok(()),
            accepted = listener.accept() => match accepted {
                Ok((stream, _)) => stream,
                // Out of file descriptors and the like: pass, and try again.
                Err(e) => {
                    failures += 1;
                    if let Some(since) = failures_logged.due(0, failures, std::time::Instant::now()) {
                        tracing::warn!(
                            "{what}: cannot accept a connection: {e} ({since} since the last line, {failures} in all)"
                        );
                    }
                    tokio::time::sleep(Duration::from_millis(100)).await;
                    continue;
                }
            },
        };
        let service = hyper_util::service::TowerToHyperService::new(router.clone());
        let refused = refused.clone();
        tokio::spawn(async move {
            let mut http = hyper::server::conn::http1::Builder::new();
            http.timer(hyper_util::rt::TokioTimer::new())
                .header_read_timeout(header_timeout);
            let io = hyper_util::rt::TokioIo::new(stream);
            // A client's broken connection is its own business; a request
            // hyper refused is the server's to count.
            if let Err(e) = http.serve_connection(io, service).await {
                if let Some(kind) = Unreadable::of(&e) {
                    refused(kind);
                }
            }
        });
    }
}
