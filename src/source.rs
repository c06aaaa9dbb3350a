//! Where events come from: a recording, a live feed (a WebSocket, or
//! Asterisk's AMI over TCP), or the built-in demo; the monitor they feed;
//! and the task that brings them in. The view and the snapshot command both
//! start their source here, so every source behaves the same in both.

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, PoisonError};

use crate::cli::{Options, SourceArgs};
use crate::demo;
use crate::error::{AppError, AppResult};
use crate::plan::{NO_SOURCE_HELP, Resolved, dialect_setup, parse_speed};
use queuetop_engine::config;
use queuetop_engine::dialect::DialectKind;
use queuetop_engine::floor::Floor;
use queuetop_engine::monitor::{Monitor, SourceInfo, SourceKind};
use queuetop_feed as feed;
use queuetop_feed::ami::{AmiConfig, AmiTarget, AmiTransport};
use queuetop_feed::nats::reader::Follow;
use queuetop_feed::nats::{NatsAuth, NatsTarget};
use queuetop_feed::record::Recorder;
use queuetop_feed::scheme::Scheme;
use queuetop_feed::sink::Recording;
use queuetop_feed::{FeedConfig, LocalClock, MonitorSink, WsTransport};

mod sites;

/// Why a source stopped for good before its end (a replay file that could
/// not be read, a demo that could not start). Live feeds never stop: they
/// reconnect.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourceFailure(pub String);

/// A task that writes into the monitor until its source has no more.
pub type SourceTask =
    std::pin::Pin<Box<dyn std::future::Future<Output = Result<(), SourceFailure>> + Send>>;

/// How a live source connects.
#[allow(clippy::large_enum_variant)]
pub enum Live {
    Ws(WsTransport),
    Ami(AmiTransport),
}

// Built once per run: the size of its largest variant costs nothing.
#[allow(clippy::large_enum_variant)]
pub enum Spec {
    /// A recording; `speed` `None` is `max`.
    Replay {
        path: PathBuf,
        /// Opened once, when the command line was read: a named pipe
        /// opened twice would lose what its writer sent to the first
        /// open, then wait forever on the second.
        file: std::fs::File,
        speed: Option<f64>,
        speed_text: String,
    },
    Live {
        link: Live,
        cfg: FeedConfig,
    },
    Demo {
        seed: u64,
    },
    /// A NATS broker's stream: the day's history, then live.
    Broker {
        target: NatsTarget,
        follow: Follow,
    },
    /// `[[feeds]]`: several sites in one view (docs/sites.md).
    Sites {
        sites: Vec<sites::SiteSource>,
    },
}

/// A source, checked and ready to start: every problem with the command
/// line or config shows up here, before any terminal is taken.
pub struct Source {
    pub kind: Spec,
    pub info: SourceInfo,
    pub dialect: DialectKind,
}

impl Source {
    /// Picks the source from the command line, then the config's `[feed]`.
    /// `default_speed` is how fast a replay plays when `--speed` is not given.
    pub fn choose(
        src: &SourceArgs,
        options: &Options,
        r: &Resolved,
        default_speed: &str,
    ) -> AppResult<Source> {
        if let Some(path) = &src.replay {
            let speed_text = src
                .speed
                .clone()
                .unwrap_or_else(|| default_speed.to_string());
            let speed = parse_speed(&speed_text)?;
            let file = open_replay(path)?;
            let info = SourceInfo::new(SourceKind::Replay, &path.display().to_string());
            return Ok(Source {
                kind: Spec::Replay {
                    path: path.clone(),
                    file,
                    speed,
                    speed_text,
                },
                info,
                dialect: r.dialect,
            });
        }
        if src.demo {
            let seed = src.seed.unwrap_or(demo::DEFAULT_SEED);
            // Said in the header and the snapshot: the alerts come from
            // the demo's own thresholds, not the user's config.
            let target = if r.demo_thresholds {
                format!("seed {seed}, demo thresholds")
            } else {
                format!("seed {seed}")
            };
            let info = SourceInfo::new(SourceKind::Demo, &target);
            return Ok(Source {
                kind: Spec::Demo { seed },
                info,
                dialect: DialectKind::Native,
            });
        }
        if src.url.is_none() && !r.file.feeds.is_empty() {
            let sites = sites::choose(r)?;
            return Ok(Source {
                info: sites::info(&sites),
                kind: Spec::Sites { sites },
                dialect: DialectKind::Native,
            });
        }
        if src.url.is_none() && r.file.feed.url.is_none() {
            return Err(AppError::Usage(NO_SOURCE_HELP.into()));
        }
        let flags = feed::setup::Flags {
            url: src.url.as_deref(),
            token_env: options.token_env.as_deref(),
        };
        let cfg = feed::setup::feed_config(&r.file.feed, flags, &|n| std::env::var(n).ok())
            .map_err(AppError::Usage)?;
        let url_flag = if src.url.is_some() {
            "--url"
        } else {
            "key `feed.url`"
        };
        match Scheme::of(&cfg.url) {
            Some(Scheme::Ami) => return ami(src, cfg, r, url_flag),
            Some(Scheme::Nats) => return broker(src, &cfg, r, url_flag),
            Some(Scheme::WebSocket) => {}
            None => {
                return Err(AppError::Usage(format!(
                    "{url_flag}: '{}' must start with {}",
                    feed::target::redact(&cfg.url),
                    Scheme::prefixes()
                )));
            }
        }
        let link =
            Live::Ws(WsTransport::new(&cfg).map_err(|e| AppError::Usage(naming(url_flag, e)))?);
        let info = SourceInfo::new(SourceKind::Url, &feed::target::redact(&cfg.url));
        Ok(Source {
            kind: Spec::Live { link, cfg },
            info,
            dialect: r.dialect,
        })
    }

    /// The monitor this source feeds. `track_today` keeps the day's sums
    /// too (the view can flip to them; a snapshot of the rolling window
    /// does not need them).
    pub fn monitor(&self, r: &Resolved, track_today: bool) -> AppResult<Monitor> {
        if let Spec::Sites { sites } = &self.kind {
            return sites::monitor(r, self.info.clone(), sites, track_today);
        }
        if let Spec::Broker { follow, .. } = &self.kind
            && queuetop_feed::nats::reader::site_token(&follow.subject).is_some()
        {
            return sites::broker_monitor(r, self.info.clone(), track_today);
        }
        build_monitor(r, self.info.clone(), self.dialect, track_today)
    }

    /// The `--record` file (or key `feed.record`), opened for appending.
    pub fn recording(&self, r: &Resolved, options: &Options) -> AppResult<Option<Recording>> {
        let record = options
            .record
            .clone()
            .or_else(|| r.file.feed.record.as_ref().map(PathBuf::from));
        if let Some(path) = record {
            if matches!(self.kind, Spec::Replay { .. }) {
                return Err(AppError::Usage(
                    "--record: only a live feed or the demo can be recorded".into(),
                ));
            }
            if matches!(self.kind, Spec::Sites { .. }) {
                return Err(AppError::Usage(
                    "--record: a recording holds one feed; record each site on its own".into(),
                ));
            }
            let rec = Recorder::create(&path)
                .map_err(|e| AppError::Usage(format!("--record {}: {e}", path.display())))?;
            return Ok(Some(Arc::new(Mutex::new(rec))));
        }
        Ok(None)
    }

    /// Whether this is a broker's stream (history first, then live).
    pub fn is_broker(&self) -> bool {
        match &self.kind {
            Spec::Broker { .. } => true,
            // Sites all read from a broker: its history is on the events'
            // own time, as one broker's is.
            Spec::Sites { sites } => sites
                .iter()
                .all(|s| matches!(s.spec, sites::SiteSpec::Broker { .. })),
            _ => false,
        }
    }

    /// Whether the floor's time follows our wall clock (live and demo) or
    /// the events' own (a replay).
    pub fn wall_clock(&self) -> bool {
        !matches!(self.kind, Spec::Replay { .. })
    }

    /// The task that feeds `monitor`. A replay ends at the end of its
    /// file; a live source or the demo runs until the task is dropped.
    pub fn task(
        self,
        monitor: Arc<Mutex<Monitor>>,
        max_line: usize,
        recording: Option<Recording>,
    ) -> AppResult<SourceTask> {
        Ok(match self.kind {
            Spec::Replay {
                path, file, speed, ..
            } => Box::pin(async move {
                let input = std::io::BufReader::new(file);
                feed::replay::play(monitor, input, speed, max_line)
                    .await
                    .map_err(|e| SourceFailure(format!("--replay {}: {e}", path.display())))
            }),
            Spec::Live { link, cfg } => {
                let sink = MonitorSink::new(monitor).recording_to(recording);
                let rules = cfg.rules();
                match link {
                    Live::Ws(t) => Box::pin(async move {
                        match queuetop_feed::serve(t, rules, sink, LocalClock::System).await {}
                    }),
                    Live::Ami(t) => Box::pin(async move {
                        match queuetop_feed::serve(t, rules, sink, LocalClock::System).await {}
                    }),
                }
            }
            Spec::Broker { target, follow } => Box::pin(async move {
                match queuetop_feed::nats::reader::follow(target, follow, monitor).await {}
            }),
            Spec::Sites { sites } => sites::task(sites, monitor),
            Spec::Demo { seed } => Box::pin(async move {
                // The demo is served on a loopback port and read through the
                // same client as a real feed, so it exercises the same path.
                let (addr, _server) = demo::serve_in_process(seed, 1.0)
                    .await
                    .map_err(|e| SourceFailure(format!("cannot serve the demo: {e}")))?;
                let cfg = demo_feed_config(format!("ws://{addr}"));
                let t = WsTransport::new(&cfg)
                    .map_err(|e| SourceFailure(format!("cannot reach the demo: {e}")))?;
                let sink = MonitorSink::new(monitor).recording_to(recording);
                match queuetop_feed::serve(t, cfg.rules(), sink, LocalClock::System).await {}
            }),
        })
    }
}

/// A floor for `info`, decoded by `dialect`, with the config's settings.
pub fn build_monitor(
    r: &Resolved,
    info: SourceInfo,
    dialect: DialectKind,
    track_today: bool,
) -> AppResult<Monitor> {
    let timing = config::feed_timing(&r.file.feed)?;
    let mut settings = r.metrics.settings.clone();
    settings.track_today = track_today;
    let dialect = dialect.make_with(&dialect_setup(&r.file));
    let mut m = Monitor::new(Floor::new(settings), info, dialect);
    m.set_resync_grace(timing.resync_grace);
    m.set_alert_rules(r.rules.clone());
    Ok(m)
}

/// The demo's own feed settings: loopback, no proxy, no token.
pub fn demo_feed_config(url: String) -> FeedConfig {
    FeedConfig {
        proxy: Some(String::new()),
        ..FeedConfig::new(url)
    }
}

/// A setup error said under the flag or key it is about: `url_flag`,
/// unless it names its own key already (a bad `feed.ca_file`).
fn naming(url_flag: &str, e: String) -> String {
    if e.starts_with("key `") {
        e
    } else {
        format!("{url_flag}: {e}")
    }
}

/// `ami://USER@HOST:5038`: Asterisk's manager interface, spoken directly.
fn ami(src: &SourceArgs, cfg: FeedConfig, r: &Resolved, url_flag: &str) -> AppResult<Source> {
    let dialect = match r.dialect {
        DialectKind::Native | DialectKind::Asterisk => DialectKind::Asterisk,
        other => {
            let from = if src.dialect.is_some() {
                "--dialect"
            } else {
                "key `feed.dialect`"
            };
            return Err(AppError::Usage(format!(
                "{from}: an ami:// feed speaks the asterisk dialect, not {other}"
            )));
        }
    };
    let target =
        AmiTarget::parse(&cfg.url).map_err(|e| AppError::Usage(format!("{url_flag}: {e}")))?;
    let secret = cfg.token.clone().ok_or_else(|| {
        AppError::Usage(format!(
            "{url_flag}: an ami:// feed needs the AMI secret: name its environment variable with --token-env or key `feed.token_env`, or set key `feed.token_file`"
        ))
    })?;
    let ami_cfg = AmiConfig {
        connect_timeout: cfg.connect_timeout,
        max_block_bytes: cfg.max_frame_bytes,
    };
    let transport = AmiTransport::new(target, secret, ami_cfg);
    use feed::link::Transport;
    let info = SourceInfo::new(SourceKind::Url, &transport.describe());
    Ok(Source {
        kind: Spec::Live {
            link: Live::Ami(transport),
            cfg,
        },
        info,
        dialect,
    })
}

/// Writes out what the recording still buffers (the sink flushes nothing
/// per frame, to keep the feed fast).
pub fn flush(recording: Option<&Recording>) {
    if let Some(r) = recording {
        r.lock().unwrap_or_else(PoisonError::into_inner).flush();
    }
}

/// `nats://HOST:4222 --subject S`: a relay's stream on a NATS broker. The
/// relay publishes feed-v1, so no other dialect applies.
fn broker(src: &SourceArgs, cfg: &FeedConfig, r: &Resolved, url_flag: &str) -> AppResult<Source> {
    if r.dialect != DialectKind::Native {
        return Err(AppError::Usage(format!(
            "{url_flag}: a NATS stream carries feed-v1 (the native dialect), not {}",
            r.dialect
        )));
    }
    let (subject, subject_flag) = match (&src.subject, &r.file.feed.subject) {
        (Some(s), _) => (s.clone(), "--subject"),
        (None, Some(s)) => (s.clone(), "key `feed.subject`"),
        (None, None) => {
            return Err(AppError::Usage(format!(
                "{url_flag}: a NATS source needs --subject or key `feed.subject` (e.g. queuetop.main.events, or queuetop.*.events for every site)"
            )));
        }
    };
    check_subject(&subject, true).map_err(|e| AppError::Usage(format!("{subject_flag}: {e}")))?;
    // The flag wins over the config's key.
    let auth = match (&src.nats_creds, &r.file.feed.nats_creds) {
        (None, Some(file)) => nats_auth(Some(Path::new(file)), "key `feed.nats_creds`"),
        (flag, _) => nats_auth(flag.as_deref(), "--nats-creds"),
    }
    .map_err(AppError::Usage)?;
    let target = NatsTarget::parse(&cfg.url, auth)
        .map_err(|e| AppError::Usage(naming(url_flag, e)))?
        .with_ca(cfg.ca_file.clone());
    let info = SourceInfo::new(SourceKind::Url, &format!("{} {subject}", target.describe()));
    Ok(Source {
        kind: Spec::Broker {
            target,
            follow: Follow {
                subject,
                max_frame_bytes: cfg.max_frame_bytes,
                site: None,
            },
        },
        info,
        dialect: DialectKind::Native,
    })
}

/// NATS credentials: a creds file (which must exist), or the environment.
/// A problem is said under `said_as`, the flag or key that gives them.
pub fn nats_auth(creds: Option<&Path>, said_as: &str) -> Result<NatsAuth, String> {
    if let Some(p) = creds
        && !p.is_file()
    {
        return Err(format!("{said_as}: {}: no such file", p.display()));
    }
    NatsAuth::from_env(creds.map(Path::to_path_buf), &|n| std::env::var(n).ok())
        .map_err(|e| format!("{said_as}: {e}"))
}

/// A NATS subject: dot-separated tokens, no spaces; wildcards (`*`, a
/// final `>`) only where `wildcards` allows them (a reader, not a relay).
pub fn check_subject(subject: &str, wildcards: bool) -> Result<(), String> {
    let tokens: Vec<&str> = subject.split('.').collect();
    let last = tokens.len() - 1;
    for (i, t) in tokens.iter().enumerate() {
        if t.is_empty() || t.chars().any(|c| c.is_whitespace() || c.is_control()) {
            return Err(format!("'{subject}' is not a NATS subject"));
        }
        let wild = *t == "*" || (*t == ">" && i == last);
        if !wild && (t.contains('*') || t.contains('>')) {
            return Err(format!("'{subject}' is not a NATS subject"));
        }
        if wild && !wildcards {
            return Err(format!(
                "'{subject}': a relay publishes to one subject, without wildcards"
            ));
        }
    }
    Ok(())
}

/// Opens a replay file; a missing or unreadable one is a bad command line.
pub fn open_replay(path: &std::path::Path) -> AppResult<std::fs::File> {
    let f = std::fs::File::open(path)
        .map_err(|e| AppError::Usage(format!("--replay {}: {e}", path.display())))?;
    match f.metadata() {
        Ok(m) if m.is_dir() => Err(AppError::Usage(format!(
            "--replay {}: is a directory",
            path.display()
        ))),
        _ => Ok(f),
    }
}
