//! `queuetop snapshot --every DUR [--count N]`: the figures again and
//! again, for scripts: one JSON object a line (NDJSON), or with
//! `--format text` the tables repeated like `top -b`, a separator line
//! between two. Each is flushed as it is written. A reader that goes away
//! (`| head -1`) ends the run quietly with status 0.
//!
//! `--every` counts wall time. A replay plays at `--speed` (default 1, its
//! own pace: `max` would be over before the first line), so the feed time
//! between two lines is DUR times the speed; at the end of the file one
//! last snapshot is printed and the run ends.

use std::io::Write;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use crate::cli::{Format, SnapshotArgs};
use crate::error::{AppError, AppResult};
use crate::logging::{init_log, log_path};
use crate::plan::resolve;
use crate::source::{Source, SourceFailure, flush};
use queuetop_engine::config;
use queuetop_engine::floor::WindowKind;
use queuetop_engine::monitor::{Monitor, lock};
use queuetop_engine::snapshot;
use queuetop_engine::time::{Millis, Ts, parse_duration};
use queuetop_feed as feed;

/// The line between two text snapshots.
pub const SEPARATOR: &str = "---";

const TICK: Duration = Duration::from_millis(250);

/// Whether to go on after a line.
#[derive(Debug, PartialEq, Eq)]
enum Flow {
    More,
    Done,
}

/// Writes the snapshots to stdout and counts them.
struct Printer {
    format: Format,
    printed: u64,
    count: Option<u64>,
    wall_clock: bool,
    window: WindowKind,
    stale_after: Millis,
}

impl Printer {
    fn print(&mut self, m: &mut Monitor) -> AppResult<Flow> {
        let local_now = self.wall_clock.then(|| {
            let now = Ts(feed::clock::system_ms());
            m.tick(now);
            now
        });
        let snap = snapshot::build(m, self.window, local_now, self.stale_after);
        let mut text = match self.format {
            Format::Json => serde_json::to_string(&snap).unwrap_or_else(|_| "{}".into()),
            Format::Text => snapshot::render_text(&snap).trim_end().to_string(),
        };
        if self.format == Format::Text && self.printed > 0 {
            text = format!("{SEPARATOR}\n{text}");
        }
        let mut stdout = std::io::stdout().lock();
        match writeln!(stdout, "{text}").and_then(|()| stdout.flush()) {
            Ok(()) => {}
            // The reader went away (`| head -1`): nothing more to say.
            Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => return Ok(Flow::Done),
            Err(e) => return Err(AppError::Runtime(format!("cannot print the snapshot: {e}"))),
        }
        self.printed += 1;
        Ok(match self.count {
            Some(n) if self.printed >= n => Flow::Done,
            _ => Flow::More,
        })
    }
}

pub fn stream_command(args: SnapshotArgs) -> AppResult<()> {
    let every_text = args.every.as_deref().unwrap_or_default();
    let every = parse_duration(every_text)
        .ok()
        .filter(|ms| *ms > 0)
        .ok_or_else(|| {
            AppError::Usage(format!(
                "--every: '{every_text}' is not a duration longer than zero (e.g. 5s)"
            ))
        })?;
    let r = resolve(&args.source, &args.options)?;
    init_log(log_path(&args.options, &r.file).as_deref())?;
    let timing = config::feed_timing(&r.file.feed)?;
    let window = r.metrics.window.kind();
    let source = Source::choose(&args.source, &args.options, &r, "1")?;
    let monitor = Arc::new(Mutex::new(source.monitor(&r, window == WindowKind::Today)?));
    let wall_clock = source.wall_clock();
    let recording = source.recording(&r, &args.options)?;
    let task = source.task(monitor.clone(), timing.max_frame_bytes, recording.clone())?;
    let mut printer = Printer {
        format: args.format,
        printed: 0,
        count: args.count,
        wall_clock,
        window,
        stale_after: timing.stale_after,
    };
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| AppError::Runtime(format!("cannot start the runtime: {e}")))?;
    let result = runtime.block_on(async {
        let stop = crate::signals::stop()
            .map_err(|e| AppError::Runtime(format!("cannot watch for signals: {e}")))?;
        tokio::pin!(stop);
        let mut client = tokio::spawn(task);
        let period = Duration::from_millis(every as u64);
        let mut next = tokio::time::interval_at(tokio::time::Instant::now() + period, period);
        // A slow reader delays a line; the ones after keep their beat.
        next.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        let mut ticks = tokio::time::interval(TICK);
        let outcome = loop {
            tokio::select! {
                () = &mut stop => break Ok(()),
                _ = ticks.tick(), if wall_clock => {
                    lock(&monitor).tick(Ts(feed::clock::system_ms()));
                }
                _ = next.tick() => match printer.print(&mut lock(&monitor)) {
                    Ok(Flow::More) => {}
                    other => break other.map(|_| ()),
                },
                done = &mut client => break match done {
                    // A replay at its end: its last figures, then done.
                    Ok(Ok(())) => printer.print(&mut lock(&monitor)).map(|_| ()),
                    Ok(Err(SourceFailure(why))) => Err(AppError::Runtime(why)),
                    Err(e) => Err(AppError::Runtime(format!("the source stopped: {e}"))),
                },
            }
        };
        client.abort();
        outcome
    });
    runtime.shutdown_background();
    flush(recording.as_ref());
    result
}
