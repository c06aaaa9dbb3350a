//! The commands: the terminal view, a snapshot, the demo server. Each takes
//! the command line, resolves it with the config into a plan, and runs.

use std::sync::{Arc, Mutex};

use crate::cli::{Cli, Command, Format, SnapshotArgs};
use crate::error::{AppError, AppResult};
use crate::exporter::{Exporter, Look};
use crate::logging::{init_log, log_path};
use crate::plan::resolve;
use crate::source::{self, Source, SourceFailure, flush};
use crate::view;
use queuetop_engine::config;
use queuetop_engine::floor::WindowKind;
use queuetop_engine::health::LinkState;
use queuetop_engine::monitor::lock;
use queuetop_engine::snapshot;
use queuetop_engine::time::{Ts, parse_duration};
use queuetop_feed as feed;

pub fn run(cli: Cli) -> AppResult<()> {
    match cli.command {
        Some(Command::Snapshot(args)) => snapshot_command(args),
        Some(Command::ServeDemo(args)) => crate::demo::command::serve_demo(args),
        Some(Command::Completions(args)) => crate::generate::completions(args.shell),
        Some(Command::Man) => crate::generate::man_page(),
        Some(Command::Export(args)) => crate::export::export_command(args),
        Some(Command::Relay(args)) => crate::relay::relay_command(*args),
        Some(Command::Report(args)) => crate::report::report_command(args),
        None => view_command(cli),
    }
}

/// `queuetop [SOURCE]`: the live terminal view.
fn view_command(cli: Cli) -> AppResult<()> {
    let r = resolve(&cli.source, &cli.options)?;
    let start = crate::plan::start_view(&cli.view, &r.file)?;
    init_log(log_path(&cli.options, &r.file).as_deref())?;
    let timing = config::feed_timing(&r.file.feed)?;
    let palette = crate::plan::theme(&cli.options, &r.file)?;
    let (theme, max_fps, bell) = queuetop_tui::run::ViewOptions::display(
        &r.file.display,
        cli.options.no_color,
        cli.options.ascii,
        palette,
    );
    let source = Source::choose(&cli.source, &cli.options, &r, "1")?;
    // The view can flip between the rolling window and today: keep both.
    let mut monitor = source.monitor(&r, true)?;
    // The view can rewind: keep the floor's past within `[history]`.
    if let Some(bounds) = config::history(&r.file.history)? {
        monitor.keep_history(bounds);
    }
    let monitor = Arc::new(Mutex::new(monitor));
    let speed = match &source.kind {
        source::Spec::Replay { speed_text, .. } => Some(speed_text.clone()),
        _ => None,
    };
    let wall_clock = source.wall_clock();
    let recording = source.recording(&r, &cli.options)?;
    // A bad action is a config error before anything is served.
    let notifier = crate::notify::Notifier::from_config(&r.file)?;
    let exporter = match &cli.metrics.metrics_listen {
        Some(addr) => {
            let look = Look {
                window: r.metrics.window.kind(),
                wall_clock,
                stale_after: timing.stale_after,
                agents: cli.metrics.metrics_agents,
                site: String::new(),
            };
            let e = Exporter::bind(addr, monitor.clone(), look)?;
            if let Ok(a) = e.local_addr() {
                // Not on stderr: that is the terminal the view draws on.
                tracing::info!("serving metrics on http://{a}/metrics");
            }
            Some(e)
        }
        None => None,
    };
    let task = source.task(monitor.clone(), timing.max_frame_bytes, recording.clone())?;
    let opts = queuetop_tui::run::ViewOptions {
        theme,
        max_fps,
        bell,
        // Off with --no-mouse or [display] mouse = false.
        mouse: !cli.options.no_mouse && r.file.display.mouse.unwrap_or(true),
        stale_after: timing.stale_after,
        window: r.metrics.window.kind(),
        wall_clock,
        speed,
        start,
    };
    let result = view::start(
        monitor.clone(),
        opts,
        task,
        exporter,
        notifier,
        recording.clone(),
        r.file
            .display
            .export_dir
            .as_ref()
            .map_or_else(|| std::path::PathBuf::from("."), std::path::PathBuf::from),
    )
    .map_err(|e| AppError::Runtime(e.to_string()));
    flush(recording.as_ref());
    result
}

/// `queuetop snapshot`: run the source, then print every figure once.
fn snapshot_command(args: SnapshotArgs) -> AppResult<()> {
    if args.every.is_some() {
        return crate::stream::stream_command(args);
    }
    // Said, not dropped: a script that passed it expects it to count.
    if args.count.is_some() {
        return Err(AppError::Usage(
            "--count: only with --every (a one-shot snapshot prints once)".into(),
        ));
    }
    let r = resolve(&args.source, &args.options)?;
    init_log(log_path(&args.options, &r.file).as_deref())?;
    let kind = r.metrics.window.kind();
    let timing = config::feed_timing(&r.file.feed)?;
    let after = match &args.after {
        Some(s) => parse_duration(s).ok().filter(|ms| *ms > 0).ok_or_else(|| {
            AppError::Usage(format!(
                "--after: '{s}' is not a duration longer than zero (e.g. 5s)"
            ))
        })?,
        None => 5_000,
    };
    let source = Source::choose(&args.source, &args.options, &r, "max")?;
    if args.after.is_some()
        && let source::Spec::Replay { speed: None, .. } = &source.kind
    {
        return Err(AppError::Usage(
            "--after: a replay at full speed is read to its end; give a --speed other than max to play it for a while"
                .into(),
        ));
    }
    let mut monitor = source.monitor(&r, kind == WindowKind::Today)?;
    let recording = source.recording(&r, &args.options)?;
    if let source::Spec::Replay {
        path,
        file,
        speed: None,
        ..
    } = &source.kind
    {
        // As fast as possible, on this thread: no runtime needed.
        queuetop_engine::replay::apply_all(
            &mut monitor,
            std::io::BufReader::new(file),
            timing.max_frame_bytes,
        )
        .map_err(|e| AppError::Runtime(format!("--replay {}: {e}", path.display())))?;
        monitor.set_link(LinkState::Ended);
        // The last second of the file, looked at after its events.
        monitor.look_alerts(None);
        if args.format == Format::Text {
            // The tables need every agent at once: the floor's memory goes
            // before the text is made, so the two are never held together.
            let snap = snapshot::build(&monitor, kind, None, timing.stale_after);
            drop(monitor);
            return print_text(&snap);
        }
        // Agents are made one at a time as they are written: at 50,000
        // agents a list of them would be held beside the floor.
        let snap = snapshot::build_streamed(&monitor, kind, None, timing.stale_after);
        return print_snapshot(snap, args.format);
    }
    let is_replay = !source.wall_clock();
    let broker = source.is_broker();
    let target = source.info.target.clone();
    let shared = Arc::new(Mutex::new(monitor));
    let task = source.task(shared.clone(), timing.max_frame_bytes, recording.clone())?;
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| AppError::Runtime(format!("cannot start the runtime: {e}")))?;
    let failure = runtime.block_on(async {
        if is_replay {
            // A paced replay runs to the end of its file.
            return task.await.err();
        }
        let client = tokio::spawn(task);
        let end = tokio::time::Instant::now() + std::time::Duration::from_millis(after as u64);
        let mut ticks = tokio::time::interval(std::time::Duration::from_millis(250));
        loop {
            tokio::select! {
                _ = ticks.tick() => {
                    let mut m = lock(&shared);
                    // A broker's history is on the events' own time: the
                    // clock is ours only once live frames come.
                    if !broker || m.last_frame_local().is_some() {
                        m.tick(Ts(feed::clock::system_ms()));
                    }
                }
                _ = tokio::time::sleep_until(end) => break,
            }
        }
        client.abort();
        match client.await {
            Ok(Err(failure)) => Some(failure),
            _ => None,
        }
    });
    drop(runtime);
    flush(recording.as_ref());
    if let Some(SourceFailure(why)) = failure {
        return Err(AppError::Runtime(why));
    }
    let mut m = lock(&shared);
    if is_replay {
        m.look_alerts(None);
        return print_snapshot(
            snapshot::build_streamed(&m, kind, None, timing.stale_after),
            args.format,
        );
    }
    let now = Ts(feed::clock::system_ms());
    // Only history from a broker (nothing live came): the figures as of
    // its last event, as for a replay.
    let history_only = broker && m.last_frame_local().is_none();
    if !history_only {
        m.tick(now);
    }
    if !m.connected_once() {
        let why = match m.link() {
            LinkState::Reconnecting { last_error, .. } => format!(": {last_error}"),
            LinkState::AuthFailed { detail, .. } => format!(": credentials refused ({detail})"),
            _ => String::new(),
        };
        return Err(AppError::Runtime(format!(
            "no connection to {target} within {}{why}",
            args.after.as_deref().unwrap_or("5s")
        )));
    }
    let local_now = (!history_only).then_some(now);
    print_snapshot(
        snapshot::build_streamed(&m, kind, local_now, timing.stale_after),
        args.format,
    )
}

fn print_snapshot(snap: snapshot::Snapshot<snapshot::Agents<'_>>, format: Format) -> AppResult<()> {
    match format {
        Format::Json => {
            print_with(|out| snapshot::write_json(&snap, out).map_err(std::io::Error::from))
        }
        Format::Text => print_text(&snap.map_agents(|a| a.iter().collect())),
    }
}

fn print_text(snap: &snapshot::Snapshot) -> AppResult<()> {
    let text = snapshot::render_text(snap);
    print_with(|out| out.write_all(text.trim_end().as_bytes()))
}

/// Writes to stdout what `write` writes, then a newline.
fn print_with(write: impl FnOnce(&mut dyn std::io::Write) -> std::io::Result<()>) -> AppResult<()> {
    use std::io::Write;
    let mut stdout = std::io::BufWriter::new(std::io::stdout().lock());
    match write(&mut stdout)
        .and_then(|()| stdout.write_all(b"\n"))
        .and_then(|()| stdout.flush())
    {
        Ok(()) => Ok(()),
        // The reader went away (`| head`): nothing more to say.
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        Err(e) => Err(AppError::Runtime(format!("cannot print the snapshot: {e}"))),
    }
}
