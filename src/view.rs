//! The live view as a program: a tokio runtime for the source and the
//! signals, the terminal for the screen, and the view's loop
//! ([`queuetop_tui::run`]) on this thread.

use std::io;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};

use queuetop_engine::monitor::Monitor;
use queuetop_tui::run::{ViewOptions, run};

use crate::exporter::Exporter;
use crate::notify::Notifier;
use crate::source::{SourceFailure, SourceTask};
use queuetop_feed::sink::Recording;

/// Runs the view over a source: a tokio runtime for the source and the
/// signals, the terminal for the screen, and the loop on this thread.
/// Whatever way the loop ends, the terminal is restored before returning.
/// With `exporter`, the figures are served to Prometheus on the same runtime.
/// With `notifier`, alert actions run beside the source.
pub fn start(
    monitor: Arc<Mutex<Monitor>>,
    opts: ViewOptions,
    source: SourceTask,
    exporter: Option<Exporter>,
    notifier: Option<Notifier>,
    recording: Option<Recording>,
    export_dir: std::path::PathBuf,
) -> io::Result<()> {
    use std::io::IsTerminal;
    if !io::stdout().is_terminal() || !io::stdin().is_terminal() {
        return Err(io::Error::other(
            "the live view needs a terminal (for scripts, use `queuetop snapshot`)",
        ));
    }
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .thread_name("queuetop-source")
        .build()?;
    let stop = stop_on_signals(rt.handle())?;
    if let Some(n) = notifier {
        // Alert actions run beside the source, on the same runtime, and
        // end with it. They start first, from the floor's first change: a
        // replay at full speed may be over before a task spawned after it
        // has looked.
        let _in = rt.enter();
        n.spawn(monitor.clone());
    }
    rt.spawn(async move {
        if let Err(SourceFailure(why)) = source.await {
            tracing::error!("{why}");
        }
    });
    if let Some(exporter) = exporter {
        // Ends with the runtime, when the view does.
        rt.spawn(async move {
            if let Err(e) = exporter.run(std::future::pending()).await {
                tracing::error!("the metrics server stopped: {e}");
            }
        });
    }
    let result = {
        let (mut terminal, _guard) = queuetop_tui::terminal::setup(opts.mouse)?;
        // Incident marks go into the recording beside the frames.
        let mut record_mark = |line: &str| {
            if let Some(r) = &recording {
                let mut r = r.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
                r.write(line);
                r.flush();
            }
        };
        let result = run(
            &mut terminal,
            monitor,
            opts,
            &stop,
            &mut record_mark,
            &export_dir,
        );
        // Dropped with its cursor hidden, ratatui's Terminal shows it and
        // eprintln!s any failure, a panic when stderr is a terminal that has
        // hung up. There is nothing left to restore on such a terminal.
        if terminal.show_cursor().is_err() {
            std::mem::forget(terminal);
        }
        result
        // `_guard` restores the terminal here, also on an error.
    };
    queuetop_tui::terminal::restore();
    // The source may be blocked reading a file; do not wait for it.
    rt.shutdown_background();
    result
}

/// Raises the returned flag on SIGTERM, SIGHUP (the SSH link dropped) or
/// SIGINT (raw mode turns Ctrl-C into a key, but `kill -INT` still comes
/// as a signal), and on the other signals whose default action would end
/// the process with the terminal left raw: SIGQUIT, SIGUSR1, SIGUSR2 and
/// SIGALRM. The loop sees the flag within one frame and exits through the
/// same path as `q`.
fn stop_on_signals(rt: &tokio::runtime::Handle) -> io::Result<Arc<AtomicBool>> {
    use tokio::signal::unix::{SignalKind, signal};
    let flag = Arc::new(AtomicBool::new(false));
    let _enter = rt.enter();
    for (name, kind) in [
        ("SIGTERM", SignalKind::terminate()),
        ("SIGHUP", SignalKind::hangup()),
        ("SIGINT", SignalKind::interrupt()),
        ("SIGQUIT", SignalKind::quit()),
        ("SIGUSR1", SignalKind::user_defined1()),
        ("SIGUSR2", SignalKind::user_defined2()),
        ("SIGALRM", SignalKind::alarm()),
    ] {
        // Registered here, before the loop starts, so that no signal
        // arriving early falls through to the default action.
        let mut s = signal(kind)?;
        let flag = flag.clone();
        rt.spawn(async move {
            if s.recv().await.is_some() {
                tracing::info!("{name}: leaving");
                flag.store(true, Ordering::SeqCst);
            }
        });
    }
    Ok(flag)
}
