//! The command line and the config file resolved into one plan: the config
//! with the flags applied, the metrics settings and the dialect.

use crate::cli::{Options, SourceArgs, ViewArgs};
use crate::error::{AppError, AppResult};
use queuetop_engine::alert::Rules;
use queuetop_engine::config::{self, ConfigFile, DisplaySection, Metrics};
use queuetop_engine::dialect::{DialectKind, DialectSetup};
use queuetop_engine::floor::WindowKind;
use queuetop_tui::run::Start;
use queuetop_tui::state::UiState;
use queuetop_tui::theme::palette::Palette;

pub const NO_SOURCE_HELP: &str = "no feed to show: give one with --url wss://HOST/PATH (or [feed] url in the config file), \
     play a recording with --replay FILE, or try the built-in demo with --demo";

/// The demo's thresholds, used when `--demo` runs with a config that sets
/// no alert rule (a newcomer should see alerts work). A file, so that a
/// reader of `serve-demo` can use it with `--config`.
pub const DEMO_THRESHOLDS: &str = include_str!("../examples/demo.toml");

/// The config file and the metrics settings, with the command line applied.
pub struct Resolved {
    pub file: ConfigFile,
    pub metrics: Metrics,
    pub dialect: DialectKind,
    /// The alert rules: the config's, or the demo's (see `demo_thresholds`).
    pub rules: Rules,
    /// The rules are the demo's built-in ones: said on screen.
    pub demo_thresholds: bool,
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
    let (rules, demo_thresholds) = alert_rules(&file, source.demo)?;
    Ok(Resolved {
        file,
        metrics,
        dialect,
        rules,
        demo_thresholds,
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

/// The config's alert rules; with `--demo` and none set, the demo's.
pub fn alert_rules(file: &ConfigFile, demo: bool) -> AppResult<(Rules, bool)> {
    let rules = config::rules(file)?;
    if !demo || rules.any() {
        return Ok((rules, false));
    }
    let demo_file = config::parse(DEMO_THRESHOLDS)
        .map_err(|e| AppError::Runtime(format!("the demo's thresholds: {e}")))?;
    let rules = config::rules(&demo_file)
        .map_err(|e| AppError::Runtime(format!("the demo's thresholds: {e}")))?;
    Ok((rules, true))
}

/// The theme: `--theme`, else `[display] theme`, else the default.
pub fn theme(options: &Options, file: &ConfigFile) -> AppResult<&'static Palette> {
    match (&options.theme, &file.display.theme) {
        (Some(n), _) => crate::themes::find(n, "--theme"),
        (None, Some(n)) => crate::themes::find(n, "key `display.theme`"),
        (None, None) => Ok(queuetop_tui::theme::palette::default_palette()),
    }
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
