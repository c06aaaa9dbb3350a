//! The connection loop of queuetop's HTTP servers (the exporter's
//! `/metrics`, the relay's webhook listener): hyper's own rather than
//! `axum::serve`, for its header timeout. A client that sends its headers a
//! byte at a time, or holds a connection open and says nothing (after
//! connecting, or between two requests), is cut off after `header_timeout`
//! instead of holding a task and a file descriptor for as long as it likes.
//! Each connection is its own task, so none stalls another.

use std::future::Future;
use std::time::Duration;

use axum::Router;
use tokio::net::TcpListener;

/// Serves `router` on `listener` until `stop` resolves. `what` names the
/// server in the log.
pub async fn serve(
    listener: TcpListener,
    router: Router,
    header_timeout: Duration,
    what: &'static str,
    stop: impl Future<Output = ()>,
) -> std::io::Result<()> {
    tokio::pin!(stop);
    loop {
        let stream = tokio::select! {
            () = &mut stop => return Ok(()),
            accepted = listener.accept() => match accepted {
                Ok((stream, _)) => stream,
                // Out of file descriptors and the like: pass, and try again.
                Err(e) => {
                    tracing::warn!("{what}: cannot accept a connection: {e}");
                    tokio::time::sleep(Duration::from_millis(100)).await;
                    continue;
                }
            },
        };
        let service = hyper_util::service::TowerToHyperService::new(router.clone());
        tokio::spawn(async move {
            let mut http = hyper::server::conn::http1::Builder::new();
            http.timer(hyper_util::rt::TokioTimer::new())
                .header_read_timeout(header_timeout);
            let io = hyper_util::rt::TokioIo::new(stream);
            // A client's broken connection is its own business.
            let _ = http.serve_connection(io, service).await;
        });
    }
}
