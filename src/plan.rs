//! The command line and the config file resolved into one plan: the config
//! with the flags applied, the metrics settings and the dialect.

use crate::cli::{Options, SourceArgs, ViewArgs};
use crate::error::{AppError, AppResult};
use queuetop_engine::alert::Rules;
use queuetop_engine::config::{self, ConfigFile, Metrics};
use queuetop_engine::dialect::{DialectKind, DialectSetup};
use queuetop_engine::floor::WindowKind;
use queuetop_tui::columns::{self, AgentCol, QueueCol};
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

/// The live view's start-up filter, sort and columns: the flags, else the
/// view chosen (`--view`, else `[display] view`), else `[display]`; checked
/// now so that a bad one stops the start with one line naming where it
/// came from (exit 2).
pub fn start_view(view: &ViewArgs, file: &ConfigFile) -> AppResult<Start> {
    let display = &file.display;
    let chosen = match (&view.view, &display.view) {
        (Some(n), _) => Some((n, "--view")),
        (None, Some(n)) => Some((n, "key `display.view`")),
        (None, None) => None,
    };
    let named = match chosen {
        Some((name, from)) => {
            let v = file.views.get(name).ok_or_else(|| {
                let known: Vec<&str> = file.views.keys().map(String::as_str).collect();
                AppError::Usage(format!(
                    "{from}: no view `{name}` in the config (its [views.NAME]: {})",
                    if known.is_empty() {
                        "none".to_string()
                    } else {
                        known.join(", ")
                    }
                ))
            })?;
            Some((name.as_str(), v))
        }
        None => None,
    };
    let from_view = |key: &str| named.map(|(n, _)| format!("key `views.{n}.{key}`"));
    let mut probe = UiState::new(WindowKind::Rolling);
    let (filter, filter_from) = match (
        &view.filter,
        named.and_then(|(_, v)| v.filter.as_ref()),
        &display.filter,
    ) {
        (Some(f), _, _) => (Some(f.clone()), "--filter".to_string()),
        (None, Some(f), _) => (Some(f.clone()), from_view("filter").unwrap_or_default()),
        (None, None, Some(f)) => (Some(f.clone()), "key `display.filter`".to_string()),
        (None, None, None) => (None, String::new()),
    };
    if let Some(f) = &filter {
        probe
            .start_with_filter(f)
            .map_err(|e| AppError::Usage(format!("{filter_from}: '{f}': {e}")))?;
    }
    let (sort, sort_from) = match (
        &view.sort,
        named.and_then(|(_, v)| v.sort.as_ref()),
        &display.sort,
    ) {
        (Some(s), _, _) => (Some(s.clone()), "--sort".to_string()),
        (None, Some(s), _) => (Some(s.clone()), from_view("sort").unwrap_or_default()),
        (None, None, Some(s)) => (Some(s.clone()), "key `display.sort`".to_string()),
        (None, None, None) => (None, String::new()),
    };
    if let Some(s) = &sort {
        probe
            .start_with_sort(s)
            .map_err(|e| AppError::Usage(format!("{sort_from}: {e}")))?;
    }
    let (mut queue_columns, mut agent_columns) = (None, None);
    if let Some((name, v)) = named {
        let key = |k: &str, e: String| AppError::Usage(format!("key `views.{name}.{k}`: {e}"));
        queue_columns = v
            .queue_columns
            .as_ref()
            .map(|n| columns::parse_list(n, QueueCol::by_name, &QueueCol::ALL, |c| c.spec().label))
            .transpose()
            .map_err(|e| key("queue_columns", e))?;
        agent_columns = v
            .agent_columns
            .as_ref()
            .map(|n| columns::parse_list(n, AgentCol::by_name, &AgentCol::ALL, |c| c.spec().label))
            .transpose()
            .map_err(|e| key("agent_columns", e))?;
    }
    Ok(Start {
        filter,
        sort,
        queue_columns,
        agent_columns,
        pin_alerts: display.pin_alerts,
    })
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
