//! Configuration: the TOML file, merged with the command line (which wins),
//! checked once, and turned into the typed settings each part needs.

mod actions;
mod alerts;
mod file;
mod history;

use std::fmt;
use std::path::{Path, PathBuf};

pub use actions::{ActionKind, ActionSpec, Actions, BodyFormat, actions};
pub use alerts::rules;
pub use file::{
    ActionSection, AgentsSection, AlertsSection, ConfigFile, DisplaySection, Dur,
    FeedAlertsSection, FeedSection, QueueSection, RuleSection, SiteFeedSection, ViewSection,
};
pub use history::{HistorySection, history};

use crate::floor::{DayStart, GroupKey, QueuePolicy, Settings, SlFormula};
use crate::time::{Millis, parse_duration};

/// A config or command-line problem: exit status 2, one line.
#[derive(Debug, Clone, PartialEq)]
pub struct ConfigError(pub String);

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for ConfigError {}

fn err(msg: impl Into<String>) -> ConfigError {
    ConfigError(msg.into())
}

/// Reads and parses a config file; errors name the file, line and key.
pub fn load(path: &Path) -> Result<ConfigFile, ConfigError> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| err(format!("config {}: {e}", path.display())))?;
    parse(&text).map_err(|e| err(format!("config {}: {}", path.display(), e.0)))
}

/// Parses config text. An error reads `line N: <what is wrong>`.
pub fn parse(text: &str) -> Result<ConfigFile, ConfigError> {
    let mut file: ConfigFile = toml::from_str(text).map_err(|e| {
        // 1-based line of the span's start: newlines before it, plus one.
        let line = e.span().map(|s| {
            text.as_bytes()[..s.start.min(text.len())]
                .iter()
                .filter(|b| **b == b'\n')
                .count()
                + 1
        });
        let msg = e.message().trim().replace('\n', " ");
        match line {
            Some(n) => err(format!("line {n}: {msg}")),
            None => err(msg),
        }
    })?;
    file.line_starts = std::iter::once(0)
        .chain(text.match_indices('\n').map(|(i, _)| i + 1))
        .collect();
    Ok(file)
}

/// The default config location: `$XDG_CONFIG_HOME/queuetop/config.toml`
/// (or `~/.config/...`), when it exists.
pub fn default_path() -> Option<PathBuf> {
    let base = std::env::var_os("XDG_CONFIG_HOME")
        .filter(|v| !v.is_empty())
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".config")))?;
    let p = base.join("queuetop").join("config.toml");
    p.is_file().then_some(p)
}

/// The rolling window, or the day so far.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum WindowChoice {
    Rolling(Millis),
    Today,
}

impl WindowChoice {
    /// Which of the floor's windows the figures are read from.
    pub fn kind(self) -> crate::floor::WindowKind {
        match self {
            WindowChoice::Rolling(_) => crate::floor::WindowKind::Rolling,
            WindowChoice::Today => crate::floor::WindowKind::Today,
        }
    }
}

/// Parses `--window` / `window`: a positive duration or `today`.
pub fn parse_window(s: &str) -> Result<WindowChoice, String> {
    if s.trim() == "today" {
        return Ok(WindowChoice::Today);
    }
    match parse_duration(s)? {
        0 => Err(format!(
            "'{s}' is empty: the window must be longer than zero"
        )),
        ms => Ok(WindowChoice::Rolling(ms)),
    }
}

fn duration_key(key: &str, d: &Option<Dur>) -> Result<Option<Millis>, ConfigError> {
    match d {
        None => Ok(None),
        Some(Dur(s)) => parse_duration(s)
            .map(Some)
            .map_err(|e| err(format!("key `{key}`: {e}"))),
    }
}

fn positive_duration(key: &str, d: &Option<Dur>) -> Result<Option<Millis>, ConfigError> {
    match duration_key(key, d)? {
        Some(0) => Err(err(format!("key `{key}`: must be longer than zero"))),
        other => Ok(other),
    }
}

/// `interval`: at least a minute, at most a day, and a divisor of a day, so
/// that every midnight is an interval boundary (15m, 30m, 1h, ...).
fn interval_key(d: &Option<Dur>) -> Result<Option<Millis>, ConfigError> {
    const DAY: Millis = 24 * 3_600_000;
    match duration_key("interval", d)? {
        Some(ms) if !(60_000..=DAY).contains(&ms) || DAY % ms != 0 => Err(err(
            "key `interval`: must be from 1m to 24h and divide a day evenly (e.g. 15m, 30m, 1h)"
                .to_string(),
        )),
        other => Ok(other),
    }
}

fn seconds_key(key: &str, v: Option<f64>) -> Result<Option<Millis>, ConfigError> {
    match v {
        None => Ok(None),
        Some(s) if s.is_finite() && (0.0..=1e9).contains(&s) => {
            Ok(Some((s * 1000.0).round() as Millis))
        }
        Some(s) => Err(err(format!(
            "key `{key}`: {s} is not a number of seconds >= 0"
        ))),
    }
}

fn parse_day_start(s: &str) -> Result<(i8, i8), ConfigError> {
    let bad = || {
        err(format!(
            "key `day_start`: '{s}' is not a time of day (expected HH:MM, e.g. 06:30)"
        ))
    };
    let (h, m) = s.trim().split_once(':').ok_or_else(bad)?;
    let h: i8 = h.parse().map_err(|_| bad())?;
    let m: i8 = m.parse().map_err(|_| bad())?;
    if !(0..24).contains(&h) || !(0..60).contains(&m) {
        return Err(bad());
    }
    Ok((h, m))
}

fn time_zone(name: Option<&str>) -> Result<jiff::tz::TimeZone, ConfigError> {
    match name {
        Some(n) => jiff::tz::TimeZone::get(n).map_err(|_| {
            err(format!(
                "key `timezone`: '{n}' is not a known time zone (e.g. Europe/Paris, UTC)"
            ))
        }),
        // The system's zone, read here, at the edge, once.
        None => Ok(jiff::tz::TimeZone::try_system().unwrap_or(jiff::tz::TimeZone::UTC)),
    }
}

fn queue_policy(key: &str, q: &QueueSection) -> Result<QueuePolicy, ConfigError> {
    let formula = match &q.sl_formula {
        None => None,
        Some(f) => Some(SlFormula::parse(f).ok_or_else(|| {
            err(format!(
                "key `{key}.sl_formula`: '{f}' is not one of answered, removed, asterisk"
            ))
        })?),
    };
    let group = match q.group.as_deref() {
        None => None,
        Some(_) if key == "defaults" => {
            return Err(err(
                "key `defaults.group`: a group is set per queue, under [queues.ID]".to_string(),
            ));
        }
        Some(g) => Some(GroupKey::new(g).map_err(|e| err(format!("key `{key}.group`: {e}")))?),
    };
    Ok(QueuePolicy {
        name: q.name.clone(),
        group,
        sl_threshold: seconds_key(&format!("{key}.sl_threshold_s"), q.sl_threshold_s)?,
        short_abandon: seconds_key(&format!("{key}.short_abandon_s"), q.short_abandon_s)?,
        sl_formula: formula,
    })
}

/// Alert thresholds of one queue (docs/metrics.md, Alerts); `None` means no alert.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Thresholds {
    pub longest_wait_warn: Option<Millis>,
    pub longest_wait_crit: Option<Millis>,
    pub waiting_warn: Option<u32>,
    pub waiting_crit: Option<u32>,
    pub sl_target_pct: Option<f64>,
}

impl Thresholds {
    fn from_section(key: &str, q: &QueueSection, base: &Thresholds) -> Result<Self, ConfigError> {
        if let Some(p) = q.sl_target_pct
            && !(0.0..=100.0).contains(&p)
        {
            return Err(err(format!(
                "key `{key}.sl_target_pct`: {p} is not a percentage from 0 to 100"
            )));
        }
        Ok(Thresholds {
            longest_wait_warn: seconds_key(
                &format!("{key}.longest_wait_warn_s"),
                q.longest_wait_warn_s,
            )?
            .or(base.longest_wait_warn),
            longest_wait_crit: seconds_key(
                &format!("{key}.longest_wait_crit_s"),
                q.longest_wait_crit_s,
            )?
            .or(base.longest_wait_crit),
            waiting_warn: q.waiting_warn.or(base.waiting_warn),
            waiting_crit: q.waiting_crit.or(base.waiting_crit),
            sl_target_pct: q.sl_target_pct.or(base.sl_target_pct),
        })
    }
}

/// Alert thresholds for every queue: `[queues.ID]` over `[defaults]`.
#[derive(Clone, Debug, Default)]
pub struct Alerts {
    pub defaults: Thresholds,
    pub queues: std::collections::HashMap<String, Thresholds>,
}

impl Alerts {
    pub fn for_queue(&self, id: &str) -> &Thresholds {
        self.queues.get(id).unwrap_or(&self.defaults)
    }
}

/// What the metrics part of the config becomes: the floor's settings, the
/// window to show first, and the alert thresholds.
#[derive(Clone, Debug)]
pub struct Metrics {
    pub settings: Settings,
    pub window: WindowChoice,
    pub alerts: Alerts,
}

/// Builds the floor settings from the file, with `--window` (if given) winning.
pub fn metrics(file: &ConfigFile, window_flag: Option<&str>) -> Result<Metrics, ConfigError> {
    let window = match window_flag {
        Some(w) => parse_window(w).map_err(|e| err(format!("--window: {e}")))?,
        None => match &file.window {
            Some(Dur(w)) => parse_window(w).map_err(|e| err(format!("key `window`: {e}")))?,
            None => WindowChoice::Rolling(15 * 60_000),
        },
    };
    let mut settings = Settings::default();
    if let WindowChoice::Rolling(ms) = window {
        settings.window = ms;
    }
    if let Some(rw) = positive_duration("repeat_window", &file.repeat_window)? {
        settings.repeat_window = rw;
    }
    let (hour, minute) = match &file.day_start {
        Some(s) => parse_day_start(s)?,
        None => (0, 0),
    };
    settings.day_start = DayStart {
        tz: time_zone(file.timezone.as_deref())?,
        hour,
        minute,
    };
    if let Some(iv) = interval_key(&file.interval)? {
        settings.interval = iv;
    }
    settings.defaults = queue_policy("defaults", &file.defaults)?;
    let defaults = Thresholds::from_section("defaults", &file.defaults, &Thresholds::default())?;
    let mut alerts = Alerts {
        defaults,
        queues: Default::default(),
    };
    for (id, q) in &file.queues {
        let key = format!("queues.{id}");
        settings.queues.insert(id.clone(), queue_policy(&key, q)?);
        alerts.queues.insert(
            id.clone(),
            Thresholds::from_section(&key, q, &alerts.defaults)?,
        );
    }
    Ok(Metrics {
        settings,
        window,
        alerts,
    })
}

/// Feed timing and limits, with their defaults (docs/protocol.md, issue list).
#[derive(Clone, Debug, PartialEq)]
pub struct FeedTiming {
    pub connect_timeout: Millis,
    pub ping_interval: Millis,
    pub idle_timeout: Millis,
    pub resync_grace: Millis,
    pub stale_after: Millis,
    pub max_frame_bytes: usize,
    pub max_message_bytes: usize,
}

impl Default for FeedTiming {
    fn default() -> Self {
        FeedTiming {
            connect_timeout: 10_000,
            ping_interval: 10_000,
            idle_timeout: 30_000,
            resync_grace: 10_000,
            stale_after: 5_000,
            max_frame_bytes: 1 << 20,
            max_message_bytes: 1 << 20,
        }
    }
}

pub fn feed_timing(f: &FeedSection) -> Result<FeedTiming, ConfigError> {
    let d = FeedTiming::default();
    let bytes = |key: &str, v: Option<u64>, default: usize| -> Result<usize, ConfigError> {
        match v {
            None => Ok(default),
            Some(n) if (1024..=(256 << 20)).contains(&n) => Ok(n as usize),
            Some(n) => Err(err(format!(
                "key `feed.{key}`: {n} is outside 1024 ..= 268435456 bytes"
            ))),
        }
    };
    Ok(FeedTiming {
        connect_timeout: positive_duration("feed.connect_timeout", &f.connect_timeout)?
            .unwrap_or(d.connect_timeout),
        ping_interval: positive_duration("feed.ping_interval", &f.ping_interval)?
            .unwrap_or(d.ping_interval),
        idle_timeout: positive_duration("feed.idle_timeout", &f.idle_timeout)?
            .unwrap_or(d.idle_timeout),
        resync_grace: duration_key("feed.resync_grace", &f.resync_grace)?.unwrap_or(d.resync_grace),
        stale_after: positive_duration("feed.stale_after", &f.stale_after)?
            .unwrap_or(d.stale_after),
        max_frame_bytes: bytes("max_frame_bytes", f.max_frame_bytes, d.max_frame_bytes)?,
        max_message_bytes: bytes(
            "max_message_bytes",
            f.max_message_bytes,
            d.max_message_bytes,
        )?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_key_names_key_and_line() {
        let e = parse("window = \"15m\"\n[feed]\nurl = \"ws://x\"\nurll = 3\n").unwrap_err();
        assert!(e.0.starts_with("line 4:"), "{e}");
        assert!(e.0.contains("urll"), "{e}");
    }

    #[test]
    fn wrong_type_names_key_and_line() {
        let e = parse("[defaults]\nwaiting_warn = \"many\"\n").unwrap_err();
        assert!(e.0.starts_with("line 2:"), "{e}");
    }

    #[test]
    fn example_config_parses_and_resolves() {
        let text = include_str!("../../../../config.example.toml");
        let file = parse(text).unwrap();
        let m = metrics(&file, None).unwrap();
        assert!(m.settings.queues.contains_key("billing"));
        feed_timing(&file.feed).unwrap();
        let r = rules(&file).unwrap();
        assert_eq!(&*r.agents.reasons[0].0, "away_s:lunch");
    }

    #[test]
    fn interval_defaults_to_half_an_hour_and_must_divide_a_day() {
        let file = parse("").unwrap();
        assert_eq!(metrics(&file, None).unwrap().settings.interval, 1_800_000);
        let file = parse("interval = \"15m\"").unwrap();
        assert_eq!(metrics(&file, None).unwrap().settings.interval, 900_000);
        for bad in ["7m", "30s", "25h", "0"] {
            let file = parse(&format!("interval = \"{bad}\"")).unwrap();
            let e = metrics(&file, None).unwrap_err();
            assert!(e.0.contains("key `interval`"), "{bad}: {}", e.0);
        }
    }

    #[test]
    fn window_flag_wins_and_accepts_today() {
        let file = parse("window = \"5m\"").unwrap();
        assert_eq!(
            metrics(&file, None).unwrap().window,
            WindowChoice::Rolling(300_000)
        );
        assert_eq!(
            metrics(&file, Some("90s")).unwrap().window,
            WindowChoice::Rolling(90_000)
        );
        assert_eq!(
            metrics(&file, Some("today")).unwrap().window,
            WindowChoice::Today
        );
        assert!(metrics(&file, Some("0s")).is_err());
        assert!(
            metrics(&file, Some("soon"))
                .unwrap_err()
                .0
                .starts_with("--window:")
        );
    }

    #[test]
    fn bad_values_name_their_key() {
        let file = parse("[queues.billing]\nsl_formula = \"best\"\n").unwrap();
        assert!(
            metrics(&file, None)
                .unwrap_err()
                .0
                .contains("queues.billing.sl_formula")
        );
        let file = parse("day_start = \"25:00\"").unwrap();
        assert!(metrics(&file, None).unwrap_err().0.contains("day_start"));
        let file = parse("timezone = \"Mars/Olympus\"").unwrap();
        assert!(metrics(&file, None).unwrap_err().0.contains("timezone"));
    }

    #[test]
    fn queue_thresholds_fall_back_to_defaults() {
        let file = parse("[defaults]\nwaiting_warn = 5\n[queues.a]\nwaiting_crit = 9\n").unwrap();
        let m = metrics(&file, None).unwrap();
        let a = m.alerts.for_queue("a");
        assert_eq!((a.waiting_warn, a.waiting_crit), (Some(5), Some(9)));
        assert_eq!(m.alerts.for_queue("b").waiting_warn, Some(5));
    }
}
