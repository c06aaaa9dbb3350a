//! The command line (docs/snapshot.md). Parsing only: checking values and merging
//! with the config happens in [`crate::plan`].

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

#[derive(Debug, Parser)]
#[command(
    name = "queuetop",
    version,
    about = "A terminal live queue monitor for contact centers",
    after_help = "Try it now:  queuetop --demo\nDocs: README.md and docs/ in the source tree.",
    args_conflicts_with_subcommands = true
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,
    #[command(flatten)]
    pub source: SourceArgs,
    #[command(flatten)]
    pub options: Options,
    #[command(flatten)]
    pub metrics: MetricsArgs,
    #[command(flatten)]
    pub view: ViewArgs,
}

/// How the live view starts (each also in the config's `[display]`; the
/// command line wins). docs/ui.md describes both.
#[derive(Debug, Args, Default, Clone)]
pub struct ViewArgs {
    /// Start with this filter, e.g. 'state:away queue:billing' or '!offline'.
    #[arg(long, value_name = "EXPR")]
    pub filter: Option<String>,
    /// Start sorted by this column, named as its header shows (SL%, WAIT,
    /// FOR...); descending with a '-' prefix or ':desc'.
    #[arg(long, value_name = "COLUMN", allow_hyphen_values = true)]
    pub sort: Option<String>,
    /// Start with a view named in the config ([views.NAME]: columns, sort,
    /// filter); --sort and --filter win over the view's.
    #[arg(long, value_name = "NAME")]
    pub view: Option<String>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// No terminal UI: run, then print the figures once.
    Snapshot(SnapshotArgs),
    /// Serve the built-in simulated contact center as a WebSocket feed.
    ServeDemo(ServeDemoArgs),
    /// No terminal UI: serve the figures to Prometheus until a signal.
    Export(ExportArgs),
    /// No terminal UI: read a source and publish it to a NATS JetStream
    /// stream, for any number of readers (docs/relay.md).
    Relay(Box<RelayArgs>),
    /// No terminal UI: a postmortem of a recording (timeline, figures per
    /// interval, charts) in Markdown or HTML (docs/report.md).
    Report(ReportArgs),
    /// Print a shell completion script (bash, zsh, fish, elvish, powershell).
    Completions(CompletionsArgs),
    /// Print the manual page (roff), e.g. `queuetop man | man -l -`.
    Man,
}

#[derive(Debug, Args)]
pub struct CompletionsArgs {
    /// The shell to complete for.
    #[arg(value_enum)]
    pub shell: clap_complete::Shell,
}

/// The Prometheus exporter (docs/exporter.md).
#[derive(Debug, Args, Default, Clone)]
pub struct MetricsArgs {
    /// Serve the figures at http://ADDR/metrics (e.g. 127.0.0.1:9464; port 0 picks one).
    #[arg(long, value_name = "ADDR")]
    pub metrics_listen: Option<String>,
    /// Also export one series per agent (one per agent and figure: mind the cardinality).
    #[arg(long, requires = "metrics_listen")]
    pub metrics_agents: bool,
}

#[derive(Debug, Args)]
pub struct ExportArgs {
    #[command(flatten)]
    pub source: SourceArgs,
    #[command(flatten)]
    pub options: Options,
    /// Serve the figures at http://ADDR/metrics (e.g. 127.0.0.1:9464; port 0 picks one).
    #[arg(long, value_name = "ADDR")]
    pub metrics_listen: String,
    /// Also export one series per agent (one per agent and figure: mind the cardinality).
    #[arg(long)]
    pub metrics_agents: bool,
}

/// Where events come from (one of; default: the config file's [feed]).
#[derive(Debug, Args, Default, Clone)]
pub struct SourceArgs {
    /// A ws:// or wss:// feed, ami://USER@HOST:5038 (Asterisk), or a NATS
    /// broker: nats://, tls://, nats+ws://, nats+wss:// (with --subject).
    #[arg(long, value_name = "URL", group = "src")]
    pub url: Option<String>,
    /// A file of recorded frames, one JSON frame a line.
    #[arg(long, value_name = "FILE", group = "src")]
    pub replay: Option<PathBuf>,
    /// Replay speed: a factor (1, 10, 0.5) or `max`.
    #[arg(
        long,
        value_name = "F",
        requires = "replay",
        allow_negative_numbers = true
    )]
    pub speed: Option<String>,
    /// The built-in simulated contact center.
    #[arg(long, group = "src")]
    pub demo: bool,
    /// Seed of the demo (the same seed gives the same floor).
    #[arg(long, value_name = "N", allow_negative_numbers = true)]
    pub seed: Option<u64>,
    /// The feed's protocol: native, asterisk, amazon-connect, twilio, genesys.
    #[arg(long, value_name = "NAME")]
    pub dialect: Option<String>,
    /// NATS subject: the one a nats:// source reads (wildcards allowed,
    /// e.g. queuetop.*.events); for `relay`, the one it publishes to.
    #[arg(long, value_name = "SUBJECT")]
    pub subject: Option<String>,
    /// A NATS creds file. Otherwise credentials come from the environment:
    /// QUEUETOP_NATS_TOKEN, or QUEUETOP_NATS_USER and QUEUETOP_NATS_PASSWORD.
    #[arg(long, value_name = "FILE")]
    pub nats_creds: Option<PathBuf>,
}

/// Options, each also in the config file (the command line wins).
#[derive(Debug, Args, Default, Clone)]
pub struct Options {
    /// Config file (default: $XDG_CONFIG_HOME/queuetop/config.toml when it exists).
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// Rolling window, e.g. 90s, 15m, 1h, or `today` (default 15m).
    #[arg(long, value_name = "DUR")]
    pub window: Option<String>,
    /// With --url or --demo: append every received frame to FILE, one a line.
    #[arg(long, value_name = "FILE")]
    pub record: Option<PathBuf>,
    /// Read the bearer token from this environment variable.
    #[arg(long, value_name = "NAME")]
    pub token_env: Option<String>,
    /// Write diagnostics here (never to the terminal the UI draws on).
    #[arg(long, value_name = "FILE")]
    pub log: Option<PathBuf>,
    /// Plain styles (NO_COLOR is honoured too).
    #[arg(long)]
    pub no_color: bool,
    /// ASCII-only borders and bars.
    #[arg(long)]
    pub ascii: bool,
    /// No mouse: the terminal keeps its own text selection (clicks and the
    /// wheel are not reported to queuetop).
    #[arg(long)]
    pub no_mouse: bool,
    /// Colour theme: default, light, high-contrast, colorblind, a file
    /// $XDG_CONFIG_HOME/queuetop/themes/NAME.toml, or a path to a .toml.
    #[arg(long, value_name = "NAME")]
    pub theme: Option<String>,
}

#[derive(Debug, Clone, Copy, ValueEnum, PartialEq, Eq, Default)]
pub enum Format {
    #[default]
    Json,
    Text,
}

#[derive(Debug, Args)]
pub struct SnapshotArgs {
    #[command(flatten)]
    pub source: SourceArgs,
    #[command(flatten)]
    pub options: Options,
    /// For a live source: wait this long, then print (default 5s).
    #[arg(long, value_name = "DUR", conflicts_with = "every")]
    pub after: Option<String>,
    /// Print the figures every DUR (wall time), one JSON object a line, until --count or a signal.
    #[arg(long, value_name = "DUR")]
    pub every: Option<String>,
    /// With --every: stop after N snapshots.
    #[arg(long, value_name = "N", requires = "every", value_parser = clap::value_parser!(u64).range(1..))]
    pub count: Option<u64>,
    #[arg(long, value_enum, default_value_t = Format::Json)]
    pub format: Format,
}

#[derive(Debug, Args)]
pub struct ReportArgs {
    /// The recording (any dialect; incident marks are honoured).
    #[arg(long, value_name = "FILE")]
    pub replay: PathBuf,
    /// The recording's protocol: native, asterisk, amazon-connect, twilio, genesys.
    #[arg(long, value_name = "NAME")]
    pub dialect: Option<String>,
    #[command(flatten)]
    pub options: Options,
    #[arg(long, value_enum, default_value_t = ReportFormat::Markdown)]
    pub format: ReportFormat,
    /// Write here instead of stdout (Markdown: the charts go in NAME-charts/ beside it).
    #[arg(long, value_name = "PATH")]
    pub out: Option<PathBuf>,
    /// Report from this time on (RFC 3339); earlier events still build the floor.
    #[arg(long, value_name = "TIME")]
    pub from: Option<String>,
    /// Report up to this time (RFC 3339); later lines are not read.
    #[arg(long, value_name = "TIME")]
    pub to: Option<String>,
}

#[derive(Debug, Clone, Copy, ValueEnum, PartialEq, Eq, Default)]
pub enum ReportFormat {
    #[default]
    Markdown,
    Html,
}

#[derive(Debug, Args)]
pub struct ServeDemoArgs {
    /// Address to listen on.
    #[arg(long, value_name = "ADDR", default_value = "127.0.0.1:8765")]
    pub listen: String,
    /// Seed of the simulation.
    #[arg(long, value_name = "N", allow_negative_numbers = true)]
    pub seed: Option<u64>,
    /// Arrival rate factor (1 = a normal day, 2 = twice as busy).
    #[arg(long, value_name = "X", allow_negative_numbers = true)]
    pub rate: Option<f64>,
    /// Write diagnostics here.
    #[arg(long, value_name = "FILE")]
    pub log: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct RelayArgs {
    #[command(flatten)]
    pub source: SourceArgs,
    #[command(flatten)]
    pub options: Options,
    /// The NATS broker to publish to: nats://HOST:PORT, tls://, nats+ws://, nats+wss://.
    #[arg(long, value_name = "URL")]
    pub to: String,
    /// This site's name; the default subject is queuetop.<site>.events.
    #[arg(long, value_name = "NAME", default_value = "main")]
    pub site: String,
    /// How long the stream keeps frames (e.g. 24h, 36h, 7d).
    #[arg(long, value_name = "DUR", default_value = "24h")]
    pub retention: String,
    /// How often the live floor is published as a snapshot event.
    #[arg(long, value_name = "DUR", default_value = "60s")]
    pub snapshot_every: String,
    /// The JetStream stream (created, or updated to carry the subject).
    #[arg(long, value_name = "NAME", default_value = "QUEUETOP")]
    pub stream: String,
    /// Frames kept while the broker is away; past that the oldest go (counted).
    #[arg(long, value_name = "N", default_value_t = 100_000)]
    pub buffer: usize,
    /// Most events in one broker message (1: one event a message).
    #[arg(long, value_name = "N", default_value_t = 100)]
    pub batch: usize,
    /// How long a message that could hold more events waits for them
    /// (e.g. 100ms; 0 sends at once).
    #[arg(long, value_name = "DUR", default_value = "100ms")]
    pub linger: String,
    #[command(flatten)]
    pub metrics: MetricsArgs,
    /// Take webhooks at http://ADDR instead of reading a feed: Twilio event
    /// callbacks at /twilio (--dialect twilio) or EventBridge posts at
    /// /eventbridge (--dialect amazon-connect). See docs/relay.md, Webhooks.
    #[arg(long, value_name = "ADDR", conflicts_with_all = ["url", "replay", "demo"])]
    pub listen: Option<String>,
    /// The Event Callback URL exactly as configured in Twilio (what Twilio signs).
    #[arg(long, value_name = "URL", requires = "listen")]
    pub public_url: Option<String>,
    /// A file holding the Twilio auth token (else $QUEUETOP_TWILIO_AUTH_TOKEN).
    #[arg(long, value_name = "FILE", requires = "listen")]
    pub twilio_token_file: Option<PathBuf>,
    /// The header carrying the EventBridge shared secret.
    #[arg(long, value_name = "NAME", default_value = "X-Queuetop-Secret")]
    pub secret_header: String,
    /// A file holding the EventBridge shared secret (else $QUEUETOP_WEBHOOK_SECRET).
    #[arg(long, value_name = "FILE", requires = "listen")]
    pub webhook_secret_file: Option<PathBuf>,
    /// The largest webhook body accepted, in bytes; larger ones get 413.
    #[arg(long, value_name = "BYTES", default_value_t = 1_048_576)]
    pub max_body: usize,
    /// How long a webhook's body may take to arrive; slower ones get 408.
    #[arg(long, value_name = "DUR", default_value = "10s")]
    pub read_timeout: String,
}
