//! Wiring: command line + config file -> a source, a floor, and what to do
//! with them (the terminal view, a snapshot, or the demo server).

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, PoisonError};

use crate::cli::{Cli, Command, Format, Options, SnapshotArgs, SourceArgs};
use crate::source::{self, Source};
use crate::view;
use queuetop_engine::config::{self, ConfigError, ConfigFile, Metrics};
use queuetop_engine::dialect::{DialectKind, DialectSetup};
use queuetop_engine::floor::WindowKind;
use queuetop_engine::health::LinkState;
use queuetop_engine::monitor::Monitor;
use queuetop_engine::snapshot;
use queuetop_engine::time::{Ts, parse_duration};
use queuetop_feed as feed;

/// How a run ends badly: exit status 2 for usage and config, 1 at run time.
#[derive(Debug)]
pub enum AppError {
    Usage(String),
    Runtime(String),
}

impl AppError {
    pub fn exit_code(&self) -> i32 {
        match self {
            AppError::Usage(_) => 2,
            AppError::Runtime(_) => 1,
        }
    }

    pub fn message(&self) -> &str {
        match self {
            AppError::Usage(m) | AppError::Runtime(m) => m,
        }
    }
}

impl From<ConfigError> for AppError {
    fn from(e: ConfigError) -> Self {
        AppError::Usage(e.0)
    }
}

pub type AppResult<T> = Result<T, AppError>;

pub const NO_SOURCE_HELP: &str = "no feed to show: give one with --url wss://HOST/PATH (or [feed] url in the config file), \
     play a recording with --replay FILE, or try the built-in demo with --demo";

/// The config file and the metrics settings, with the command line applied.
pub struct Resolved {
    pub file: ConfigFile,
    pub metrics: Metrics,
    pub dialect: DialectKind,
}

pub fn resolve(source: &SourceArgs, options: &Options) -> AppResult<Resolved> {
    let file = match &options.config {
        Some(p) => config::load(p)?,
        None => match config::default_path() {
            Some(p) => config::load(&p)?,
            None => ConfigFile::default(),
        },
    };
    let metrics = config::metrics(&file, options.window.as_deref())?;
    let dialect_name = source
        .dialect
        .as_deref()
        .or(file.feed.dialect.as_deref())
        .unwrap_or("native");
    let dialect = DialectKind::parse(dialect_name).ok_or_else(|| {
        let flag = if source.dialect.is_some() {
            "--dialect"
        } else {
            "key `feed.dialect`"
        };
        AppError::Usage(format!(
            "{flag}: '{dialect_name}' is not one of {}",
            DialectKind::names()
        ))
    })?;
    Ok(Resolved {
        file,
        metrics,
        dialect,
    })
}

/// What the dialect needs from the config: the queues it names, and
/// whether it sets its own subscribe message.
pub fn dialect_setup(file: &ConfigFile) -> DialectSetup {
    DialectSetup {
        queues: file.queues.keys().cloned().collect(),
        subscribe_configured: file.feed.subscribe.is_some(),
    }
}

/// Replay speed: a positive factor, or `max` (None).
pub fn parse_speed(s: &str) -> AppResult<Option<f64>> {
    if s == "max" {
        return Ok(None);
    }
    match s.parse::<f64>() {
        Ok(f) if f.is_finite() && f > 0.0 => Ok(Some(f)),
        _ => Err(AppError::Usage(format!(
            "--speed: '{s}' is not a positive factor or `max`"
        ))),
    }
}

/// Sets up the log file, if any. Diagnostics never go to the terminal.
pub fn init_log(path: Option<&Path>) -> AppResult<()> {
    let Some(path) = path else { return Ok(()) };
    let file = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(path)
        .map_err(|e| AppError::Usage(format!("--log {}: {e}", path.display())))?;
    let _ = tracing_subscriber::fmt()
        .with_writer(std::sync::Mutex::new(file))
        .with_ansi(false)
        .with_max_level(tracing::Level::INFO)
        .try_init();
    Ok(())
}

fn log_path(options: &Options, file: &ConfigFile) -> Option<PathBuf> {
    options
        .log
        .clone()
        .or_else(|| file.display.log.as_ref().map(PathBuf::from))
}

pub fn run(cli: Cli) -> AppResult<()> {
    match cli.command {
        Some(Command::Snapshot(args)) => snapshot_command(args),
        Some(Command::ServeDemo(args)) => crate::demo::command::serve_demo(args),
        None => view_command(cli),
    }
}

/// `queuetop [SOURCE]`: the live terminal view.
fn view_command(cli: Cli) -> AppResult<()> {
    let r = resolve(&cli.source, &cli.options)?;
    init_log(log_path(&cli.options, &r.file).as_deref())?;
    let timing = config::feed_timing(&r.file.feed)?;
    let (theme, max_fps, bell) = queuetop_tui::run::Options::display(
        &r.file.display,
        cli.options.no_color,
        cli.options.ascii,
    );
    let source = Source::choose(&cli.source, &cli.options, &r, "1")?;
    // The view can flip between the rolling window and today: keep both.
    let monitor = Arc::new(Mutex::new(source.monitor(&r, &cli.options, true)?));
    let speed = match &source.kind {
        source::Kind::Replay { speed_text, .. } => Some(speed_text.clone()),
        _ => None,
    };
    let wall_clock = source.wall_clock();
    let task = source.task(monitor.clone(), timing.max_frame_bytes)?;
    let opts = queuetop_tui::run::Options {
        theme,
        max_fps,
        bell,
        mouse: true,
        alerts: r.metrics.alerts,
        stale_after: timing.stale_after,
        window: r.metrics.window.kind(),
        wall_clock,
        speed,
    };
    let result =
        view::start(monitor.clone(), opts, task).map_err(|e| AppError::Runtime(e.to_string()));
    lock(&monitor).flush_recording();
    result
}

fn lock(m: &Mutex<Monitor>) -> std::sync::MutexGuard<'_, Monitor> {
    m.lock().unwrap_or_else(PoisonError::into_inner)
}

/// `queuetop snapshot`: run the source, then print every figure once.
fn snapshot_command(args: SnapshotArgs) -> AppResult<()> {
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
    let mut monitor = source.monitor(&r, &args.options, kind == WindowKind::Today)?;
    if let source::Kind::Replay {
        path, speed: None, ..
    } = &source.kind
    {
        // As fast as possible, on this thread: no runtime needed.
        let file = source::open_replay(path)?;
        queuetop_engine::replay::apply_all(
            &mut monitor,
            std::io::BufReader::new(file),
            timing.max_frame_bytes,
        )
        .map_err(|e| AppError::Runtime(format!("--replay {}: {e}", path.display())))?;
        monitor.set_link(LinkState::Ended);
        return print_snapshot(
            &snapshot::build(&monitor, kind, None, timing.stale_after),
            args.format,
        );
    }
    let is_replay = !source.wall_clock();
    let target = source.info.target.clone();
    let shared = Arc::new(Mutex::new(monitor));
    let task = source.task(shared.clone(), timing.max_frame_bytes)?;
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| AppError::Runtime(format!("cannot start the runtime: {e}")))?;
    runtime.block_on(async {
        if is_replay {
            // A paced replay runs to the end of its file.
            task.await;
            return;
        }
        let client = tokio::spawn(task);
        let end = tokio::time::Instant::now() + std::time::Duration::from_millis(after as u64);
        let mut ticks = tokio::time::interval(std::time::Duration::from_millis(250));
        loop {
            tokio::select! {
                _ = ticks.tick() => lock(&shared).tick(Ts(feed::clock::system_ms())),
                _ = tokio::time::sleep_until(end) => break,
            }
        }
        client.abort();
    });
    drop(runtime);
    let mut m = lock(&shared);
    m.flush_recording();
    if is_replay {
        if let Some(why) = m.failure.take() {
            return Err(AppError::Runtime(why));
        }
        return print_snapshot(
            &snapshot::build(&m, kind, None, timing.stale_after),
            args.format,
        );
    }
    let now = Ts(feed::clock::system_ms());
    m.tick(now);
    if !m.connected_once {
        let why = match &m.link {
            LinkState::Reconnecting { last_error, .. } => format!(": {last_error}"),
            LinkState::AuthFailed { detail, .. } => format!(": credentials refused ({detail})"),
            _ => String::new(),
        };
        return Err(AppError::Runtime(format!(
            "no connection to {target} within {}{why}",
            args.after.as_deref().unwrap_or("5s")
        )));
    }
    print_snapshot(
        &snapshot::build(&m, kind, Some(now), timing.stale_after),
        args.format,
    )
}

fn print_snapshot(snap: &snapshot::Snapshot, format: Format) -> AppResult<()> {
    use std::io::Write;
    let out = match format {
        Format::Json => snapshot::render_json(snap),
        Format::Text => snapshot::render_text(snap),
    };
    let mut stdout = std::io::stdout().lock();
    match writeln!(stdout, "{}", out.trim_end()).and_then(|()| stdout.flush()) {
        Ok(()) => Ok(()),
        // The reader went away (`| head`): nothing more to say.
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        Err(e) => Err(AppError::Runtime(format!("cannot print the snapshot: {e}"))),
    }
}
