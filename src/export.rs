//! `queuetop export`: no terminal, the source's figures served to
//! Prometheus until a signal (docs/exporter.md). A replay that reaches its
//! end leaves its last figures served. The config's alert actions run as
//! they do in the view (docs/alerts.md).

use std::sync::{Arc, Mutex};
use std::time::Duration;

use crate::cli::ExportArgs;
use crate::error::{AppError, AppResult};
use crate::exporter::{Exporter, Look};
use crate::logging::{init_service_log, log_path};
use crate::plan::resolve;
use crate::source::{Source, SourceFailure, flush};
use queuetop_engine::config;
use queuetop_engine::floor::WindowKind;
use queuetop_engine::monitor::lock;
use queuetop_engine::time::Ts;
use queuetop_feed as feed;

/// How often a live floor is moved on to the wall clock (waits grow and
/// windows roll between events too), as the view and `snapshot` do.
const TICK: Duration = Duration::from_millis(250);

pub fn export_command(args: ExportArgs) -> AppResult<()> {
    let r = resolve(&args.source, &args.options)?;
    init_service_log(log_path(&args.options, &r.file).as_deref())?;
    let timing = config::feed_timing(&r.file.feed)?;
    let window = r.metrics.window.kind();
    // A replay plays at its own pace (as in the view) unless --speed says.
    let source = Source::choose(&args.source, &args.options, &r, "1")?;
    let monitor = Arc::new(Mutex::new(source.monitor(&r, window == WindowKind::Today)?));
    let wall_clock = source.wall_clock();
    let recording = source.recording(&r, &args.options)?;
    let look = Look {
        window,
        wall_clock,
        stale_after: timing.stale_after,
        agents: args.metrics_agents,
        site: String::new(),
    };
    // A bad action is a config error before anything is served or said.
    let notifier = crate::notify::Notifier::from_config(&r.file)?;
    let exporter = Exporter::bind(&args.metrics_listen, monitor.clone(), look)?;
    let addr = exporter
        .local_addr()
        .map_err(|e| AppError::Runtime(format!("--metrics-listen: {e}")))?;
    // On stderr, for whoever started us (scripts and tests read the port
    // from here when they asked for port 0); the figures are the only output.
    say(&format!(
        "queuetop: serving metrics on http://{addr}/metrics"
    ));
    tracing::info!("serving metrics on http://{addr}/metrics");
    let task = source.task(monitor.clone(), timing.max_frame_bytes, recording.clone())?;
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .thread_name("queuetop-export")
        .build()
        .map_err(|e| AppError::Runtime(format!("cannot start the runtime: {e}")))?;
    let result = runtime.block_on(async {
        let stop = crate::signals::stop()
            .map_err(|e| AppError::Runtime(format!("cannot watch for signals: {e}")))?;
        let (quit, quit_rx) = tokio::sync::oneshot::channel::<()>();
        let server = tokio::spawn(exporter.run(async {
            let _ = quit_rx.await;
        }));
        // Alert actions run beside the source, as in the view; they start
        // first, from the floor's first change: a replay at full speed may
        // be over before a task spawned after it has looked.
        let actions = notifier.map(|n| n.spawn(monitor.clone()));
        let mut client = tokio::spawn(task);
        let mut client_done = false;
        let mut ticks = tokio::time::interval(TICK);
        tokio::pin!(stop);
        let outcome = loop {
            tokio::select! {
                () = &mut stop => break Ok(()),
                _ = ticks.tick(), if wall_clock => {
                    lock(&monitor).tick(Ts(feed::clock::system_ms()));
                }
                done = &mut client, if !client_done => {
                    client_done = true;
                    match done {
                        Ok(Ok(())) => {
                            if !wall_clock {
                                // The recording's last second, looked at
                                // after its events (as `snapshot` does).
                                lock(&monitor).look_alerts(None);
                            }
                            tracing::info!("the source ended; its last figures stay served");
                        }
                        Ok(Err(SourceFailure(why))) => break Err(AppError::Runtime(why)),
                        Err(e) => break Err(AppError::Runtime(format!("the source stopped: {e}"))),
                    }
                }
            }
        };
        client.abort();
        if let Some(a) = actions {
            a.abort();
        }
        let _ = quit.send(());
        // Graceful: requests under way are answered; a client that holds
        // its connection open is not waited for long.
        match tokio::time::timeout(Duration::from_secs(5), server).await {
            Ok(Ok(Err(e))) => tracing::error!("the metrics server stopped: {e}"),
            Ok(Err(e)) => tracing::error!("the metrics server stopped: {e}"),
            Ok(Ok(Ok(()))) | Err(_) => {}
        }
        outcome
    });
    // The source may be blocked reading a file; do not wait for it.
    runtime.shutdown_background();
    flush(recording.as_ref());
    result
}

/// One line on stderr; a failed write (a closed terminal) is let go.
fn say(line: &str) {
    use std::io::Write;
    let _ = writeln!(std::io::stderr(), "{line}");
}
