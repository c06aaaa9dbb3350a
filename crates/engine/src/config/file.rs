//! The config file's shape, exactly as users write it (config.example.toml
//! documents every key). Unknown keys and wrong types are errors that name
//! the key and the line.

use std::collections::BTreeMap;

use serde::{Deserialize, Deserializer};

/// A duration as written in the config: `"90s"`, `"15m"`, or a number of seconds.
#[derive(Clone, Debug, PartialEq)]
pub struct Dur(pub String);

impl<'de> Deserialize<'de> for Dur {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        #[serde(untagged)]
        enum Raw {
            Text(String),
            Int(i64),
            Float(f64),
        }
        match Raw::deserialize(d).map_err(|_| {
            serde::de::Error::custom("expected a duration such as \"90s\", \"15m\" or \"1h\"")
        })? {
            Raw::Text(s) => Ok(Dur(s)),
            Raw::Int(n) => Ok(Dur(n.to_string())),
            Raw::Float(f) => Ok(Dur(f.to_string())),
        }
    }
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ConfigFile {
    /// Rolling window: a duration, or "today".
    pub window: Option<Dur>,
    /// When "today" starts, "HH:MM" local time.
    pub day_start: Option<String>,
    /// IANA time zone for `day_start`, e.g. "Europe/Paris"; default the system's.
    pub timezone: Option<String>,
    /// FCR repeat window.
    pub repeat_window: Option<Dur>,
    /// The interval shown beside the day: a duration that divides a day.
    pub interval: Option<Dur>,
    #[serde(default)]
    pub feed: FeedSection,
    /// Several feeds in one view, one site each (docs/sites.md).
    #[serde(default)]
    pub feeds: Vec<toml::Spanned<SiteFeedSection>>,
    #[serde(default)]
    pub defaults: QueueSection,
    #[serde(default)]
    pub queues: BTreeMap<String, QueueSection>,
    #[serde(default)]
    pub display: DisplaySection,
    /// Agent alert rules (docs/alerts.md).
    #[serde(default)]
    pub agents: AgentsSection,
    /// Alert timing defaults and feed health rules (docs/alerts.md).
    #[serde(default)]
    pub alerts: AlertsSection,
    /// Named views of the live view (`--view NAME`, docs/ui.md).
    #[serde(default)]
    pub views: BTreeMap<String, ViewSection>,
    /// How far back the view can rewind (`[history]`).
    #[serde(default)]
    pub history: super::HistorySection,
    /// Where each line of the text began, to name lines in later errors.
    #[serde(skip)]
    pub line_starts: Vec<usize>,
}

/// One alert rule as written: `{ warn = 60, crit = 180, for = "30s" }`.
#[derive(Clone, Debug, Default, Deserialize, PartialEq)]
#[serde(
    deny_unknown_fields,
    expecting = "a rule table such as { warn = 60, crit = 180 }"
)]
pub struct RuleSection {
    pub warn: Option<f64>,
    pub crit: Option<f64>,
    /// Must hold this long before firing.
    #[serde(rename = "for")]
    pub hold: Option<Dur>,
    /// Must be clear this long before returning.
    pub clear_for: Option<Dur>,
    /// Clear means back past the threshold by this much (rule's unit).
    pub clear_margin: Option<f64>,
    /// `off = true` turns a rule from `[defaults]` off for one queue.
    pub off: Option<bool>,
}

pub type RuleKey = Option<toml::Spanned<RuleSection>>;

#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AgentsSection {
    pub wrap_up_s: RuleKey,
    pub busy_s: RuleKey,
    pub away_s: RuleKey,
    pub on_hold_s: RuleKey,
    pub talk_s: RuleKey,
    pub ghost_s: RuleKey,
    /// Per away reason, e.g. `lunch = { warn = 3600 }`: replaces `away_s`.
    #[serde(default)]
    pub away_reasons: BTreeMap<String, toml::Spanned<RuleSection>>,
}

#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AlertsSection {
    /// Default `for` of every rule.
    #[serde(rename = "for")]
    pub hold: Option<Dur>,
    /// Default `clear_for` of every rule.
    pub clear_for: Option<Dur>,
    #[serde(default)]
    pub feed: FeedAlertsSection,
    /// What to do on a crossing or return (docs/alerts.md, Actions).
    #[serde(default)]
    pub actions: Vec<toml::Spanned<ActionSection>>,
    /// Most actions a minute for one rule, and for all rules together.
    pub actions_per_rule_per_minute: Option<u32>,
    pub actions_per_minute: Option<u32>,
}

/// One `[[alerts.actions]]`: exactly one of `exec` and `webhook`.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ActionSection {
    /// The program and its arguments (no shell).
    pub exec: Option<Vec<String>>,
    /// The URL to POST to.
    pub webhook: Option<String>,
    /// `json` (the alert) or `text` (`{"text": ...}`, for Slack and Teams).
    pub format: Option<String>,
    /// The environment variable holding a bearer token.
    pub token_env: Option<String>,
    pub timeout: Option<Dur>,
    /// Webhook attempts after the first, on 5xx or a connection failure.
    pub retries: Option<u32>,
    /// `warning` (default) or `critical`: the mildest level acted on.
    pub min_level: Option<String>,
}

#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FeedAlertsSection {
    pub stale_s: RuleKey,
    pub disconnected_s: RuleKey,
    pub resync_s: RuleKey,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FeedSection {
    pub url: Option<String>,
    pub dialect: Option<String>,
    pub token_env: Option<String>,
    pub token_file: Option<String>,
    pub subscribe: Option<String>,
    #[serde(default)]
    pub headers: BTreeMap<String, String>,
    pub ca_file: Option<String>,
    pub proxy: Option<String>,
    pub connect_timeout: Option<Dur>,
    pub ping_interval: Option<Dur>,
    pub idle_timeout: Option<Dur>,
    pub resync_grace: Option<Dur>,
    pub stale_after: Option<Dur>,
    pub max_frame_bytes: Option<u64>,
    pub max_message_bytes: Option<u64>,
    pub record: Option<String>,
    /// For a NATS `url`: the subject to read (`--subject` wins), as a
    /// `[[feeds]]` entry has it.
    pub subject: Option<String>,
    /// For a NATS `url`: a creds file (`--nats-creds` wins).
    pub nats_creds: Option<String>,
}

/// One `[[feeds]]`: a site and where its events come from. The timings
/// and limits are `[feed]`'s, shared by every site.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SiteFeedSection {
    pub site: String,
    pub url: Option<String>,
    pub dialect: Option<String>,
    pub token_env: Option<String>,
    pub token_file: Option<String>,
    pub subscribe: Option<String>,
    #[serde(default)]
    pub headers: BTreeMap<String, String>,
    pub ca_file: Option<String>,
    pub proxy: Option<String>,
    /// For a `nats://` url: the relay's subject of this site (no wildcards).
    pub subject: Option<String>,
    /// For a `nats://` url: a NATS creds file (else the environment's
    /// `QUEUETOP_NATS_*`, docs/relay.md).
    pub nats_creds: Option<String>,
    /// The built-in demo as this site (instead of `url`), with its seed.
    pub demo: Option<bool>,
    pub seed: Option<u64>,
}

#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct QueueSection {
    pub name: Option<String>,
    /// A group of queues shown together with its totals (skill, team,
    /// line of business); `[queues.ID]` only (docs/ui.md, Queue groups).
    pub group: Option<String>,
    pub sl_threshold_s: Option<f64>,
    pub sl_target_pct: Option<f64>,
    pub sl_formula: Option<String>,
    pub short_abandon_s: Option<f64>,
    pub longest_wait_warn_s: Option<f64>,
    pub longest_wait_crit_s: Option<f64>,
    pub waiting_warn: Option<u32>,
    pub waiting_crit: Option<u32>,
    // Alert rules as tables (docs/alerts.md). The flat keys above stay and
    // set the warn/crit of the first three.
    pub longest_wait_s: RuleKey,
    pub waiting: RuleKey,
    pub service_level_pct: RuleKey,
    pub abandon_rate_pct: RuleKey,
    pub asa_s: RuleKey,
    pub entered: RuleKey,
    pub no_agent_waiting: RuleKey,
    pub wait_forecast_s: RuleKey,
    pub agents_short: RuleKey,
    pub csat_pct: RuleKey,
    /// The average of `art_s` (seconds).
    pub art_s: RuleKey,
    pub occupancy_pct: RuleKey,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DisplaySection {
    pub max_fps: Option<u32>,
    pub no_color: Option<bool>,
    pub ascii: Option<bool>,
    pub bell: Option<bool>,
    pub log: Option<String>,
    /// The live view's start-up filter and sort (as `--filter`, `--sort`).
    pub filter: Option<String>,
    pub sort: Option<String>,
    /// A theme's name (built in, or a file in the themes directory).
    pub theme: Option<String>,
    /// Colour the agents' STATE cells (default: the theme's, off).
    pub agent_state_colors: Option<bool>,
    /// Alerting queues first in the queues table (default on).
    pub pin_alerts: Option<bool>,
    /// Clicks and the wheel (default on); off keeps the terminal's own
    /// text selection.
    pub mouse: Option<bool>,
    /// The view (a `[views.NAME]`) to start with when `--view` is not given.
    pub view: Option<String>,
    /// Where `e` writes the screen (default: the current directory).
    pub export_dir: Option<String>,
}

/// One named view: the columns of each table, in order, and its start-up
/// sort and filter. Column names are checked by the view, not here.
#[derive(Clone, Debug, Default, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct ViewSection {
    pub queue_columns: Option<Vec<String>>,
    pub agent_columns: Option<Vec<String>>,
    pub sort: Option<String>,
    pub filter: Option<String>,
}
