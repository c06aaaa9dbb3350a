//! The command line and the config file resolved into one plan: the config
//! with the flags applied, the metrics settings and the dialect.

use crate::cli::{Options, SourceArgs, ViewArgs};
use crate::error::{AppError, AppResult};
use queuetop_engine::config::{self, ConfigFile, DisplaySection, Metrics};
use queuetop_engine::dialect::{DialectKind, DialectSetup};
use queuetop_engine::floor::WindowKind;
use queuetop_tui::run::Start;
use queuetop_tui::state::UiState;

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

/// The live view's start-up filter and sort, from the flags or else the
/// config's `[display]`, checked now so that a bad one stops the start
/// with one line naming where it came from (exit 2).
pub fn start_view(view: &ViewArgs, display: &DisplaySection) -> AppResult<Start> {
    let mut probe = UiState::new(WindowKind::Rolling);
    let (filter, filter_from) = match (&view.filter, &display.filter) {
        (Some(f), _) => (Some(f.clone()), "--filter"),
        (None, Some(f)) => (Some(f.clone()), "key `display.filter`"),
        (None, None) => (None, ""),
    };
    if let Some(f) = &filter {
        probe
            .start_with_filter(f)
            .map_err(|e| AppError::Usage(format!("{filter_from}: '{f}': {e}")))?;
    }
    let (sort, sort_from) = match (&view.sort, &display.sort) {
        (Some(s), _) => (Some(s.clone()), "--sort"),
        (None, Some(s)) => (Some(s.clone()), "key `display.sort`"),
        (None, None) => (None, ""),
    };
    if let Some(s) = &sort {
        probe
            .start_with_sort(s)
            .map_err(|e| AppError::Usage(format!("{sort_from}: {e}")))?;
    }
    Ok(Start { filter, sort })
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
