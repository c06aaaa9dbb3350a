//! The signals that end a headless run (`export`, `snapshot --every`):
//! SIGINT, SIGTERM and SIGHUP, each a clean end with status 0.

use std::future::Future;
use std::io;

/// A future that resolves on the first of SIGINT, SIGTERM or SIGHUP. Call
/// it inside the runtime, before the work starts, so that no signal
/// arriving early falls through to its default action.
pub fn stop() -> io::Result<impl Future<Output = ()> + Send + 'static> {
    use tokio::signal::unix::{SignalKind, signal};
    let mut int = signal(SignalKind::interrupt())?;
    let mut term = signal(SignalKind::terminate())?;
    let mut hup = signal(SignalKind::hangup())?;
    Ok(async move {
        let kind = tokio::select! {
            _ = int.recv() => "SIGINT",
            _ = term.recv() => "SIGTERM",
            _ = hup.recv() => "SIGHUP",
        };
        tracing::info!("{kind}: leaving");
    })
}
