//! `queuetop report`: a postmortem of a recording, in Markdown (charts as
//! SVG files beside it) or HTML (charts inline). The engine collects the
//! figures ([`queuetop_engine::report`]); this module draws and writes.

mod chart;
pub mod write;

use std::path::{Path, PathBuf};

use queuetop_engine::config;
use queuetop_engine::report::{Report, Span, collect};
use queuetop_engine::time::Ts;

use crate::cli::{ReportArgs, ReportFormat, SourceArgs};
use crate::error::{AppError, AppResult};
use crate::logging::{init_log, log_path};
use crate::plan::resolve;
use crate::source::{self, Source};

fn time_flag(flag: &str, v: &Option<String>) -> AppResult<Option<Ts>> {
    match v {
        None => Ok(None),
        Some(s) => Ts::parse_rfc3339(s).map(Some).ok_or_else(|| {
            AppError::Usage(format!(
                "{flag}: '{s}' is not an RFC 3339 time (e.g. 2026-11-23T09:30:00Z)"
            ))
        }),
    }
}

pub fn report_command(args: ReportArgs) -> AppResult<()> {
    let source_args = SourceArgs {
        replay: Some(args.replay.clone()),
        dialect: args.dialect.clone(),
        ..SourceArgs::default()
    };
    let r = resolve(&source_args, &args.options)?;
    init_log(log_path(&args.options, &r.file).as_deref())?;
    let span = Span {
        from: time_flag("--from", &args.from)?,
        to: time_flag("--to", &args.to)?,
    };
    if let (Some(a), Some(b)) = (span.from, span.to)
        && b <= a
    {
        return Err(AppError::Usage("--to: must be later than --from".into()));
    }
    let timing = config::feed_timing(&r.file.feed)?;
    let source = Source::choose(&source_args, &args.options, &r, "max")?;
    let mut monitor = source.monitor(&r, true)?;
    let file = source::open_replay(&args.replay)?;
    let report = collect(
        &mut monitor,
        std::io::BufReader::new(file),
        timing.max_frame_bytes,
        span,
    )
    .map_err(|e| AppError::Runtime(format!("--replay {}: {e}", args.replay.display())))?;
    let tz = monitor.floor.settings().day_start.tz.clone();
    // HH:MM:SS; the interval tables and the charts' axes cut it to HH:MM.
    let clock = move |t: Ts| queuetop_tui::clock::hms(t, &tz);
    let text = match args.format {
        ReportFormat::Html => {
            let charts = charts(&report, &clock)?
                .into_iter()
                .map(|(id, _, svg)| (id, inline(&svg)))
                .collect::<Vec<_>>();
            write::html(&report, &clock, &charts)
        }
        ReportFormat::Markdown => match &args.out {
            Some(out) => {
                let links = write_charts(&report, &clock, out)?;
                write::markdown(&report, &clock, &links)
            }
            None => write::markdown(&report, &clock, &[]),
        },
    };
    match &args.out {
        Some(path) => std::fs::write(path, text)
            .map_err(|e| AppError::Runtime(format!("--out {}: {e}", path.display()))),
        None => {
            use std::io::Write;
            let mut out = std::io::stdout().lock();
            out.write_all(text.as_bytes())
                .and_then(|_| out.flush())
                .map_err(|e| AppError::Runtime(format!("stdout: {e}")))
        }
    }
}

/// Each scope's chart: (id, file name, SVG text).
fn charts(
    report: &Report,
    clock: &dyn Fn(Ts) -> String,
) -> AppResult<Vec<(String, String, String)>> {
    write::scopes(report)
        .into_iter()
        .enumerate()
        .filter_map(|(i, (id, _))| {
            let series = report.series.iter().find(|s| s.id == id)?;
            Some(
                chart::svg(series, clock)
                    .map(|svg| (id.clone(), write::chart_name(i, &id), svg))
                    .map_err(|e| AppError::Runtime(format!("chart: {e}"))),
            )
        })
        .collect()
}

/// The SVG as an element of an HTML page (no XML declaration).
fn inline(svg: &str) -> String {
    match svg.find("<svg") {
        Some(i) => svg[i..].to_string(),
        None => svg.to_string(),
    }
}

/// Writes the charts in `NAME-charts/` beside `out`; returns each scope's
/// link, relative to `out`.
fn write_charts(
    report: &Report,
    clock: &dyn Fn(Ts) -> String,
    out: &Path,
) -> AppResult<Vec<(String, String)>> {
    let stem = out.file_stem().map_or_else(
        || "report".to_string(),
        |s| s.to_string_lossy().into_owned(),
    );
    let dir_name = format!("{stem}-charts");
    let dir: PathBuf = out.with_file_name(&dir_name);
    std::fs::create_dir_all(&dir)
        .map_err(|e| AppError::Runtime(format!("{}: {e}", dir.display())))?;
    let mut links = Vec::new();
    for (id, name, svg) in charts(report, clock)? {
        let path = dir.join(&name);
        std::fs::write(&path, svg)
            .map_err(|e| AppError::Runtime(format!("{}: {e}", path.display())))?;
        links.push((id, format!("{dir_name}/{name}")));
    }
    Ok(links)
}
