//! `[[feeds]]`: several sites in one view (docs/sites.md). Each entry is
//! checked like `[feed]` (its own URL, dialect and token; `[feed]`'s
//! timings), becomes one site of the monitor, and gets its own task with
//! its own reconnects: one site down leaves the others running.

use std::sync::{Arc, Mutex};

use super::{Live, SourceFailure, SourceTask, demo_feed_config};
use crate::demo;
use crate::error::{AppError, AppResult};
use crate::plan::{Resolved, dialect_setup};
use queuetop_engine::config::{self, FeedSection, SiteFeedSection};
use queuetop_engine::dialect::DialectKind;
use queuetop_engine::floor::Floor;
use queuetop_engine::floor::policies_per_site;
use queuetop_engine::monitor::{Monitor, SourceInfo, SourceKind};
use queuetop_engine::site::{SiteName, per_site};
use queuetop_feed as feed;
use queuetop_feed::ami::{AmiConfig, AmiTarget, AmiTransport};
use queuetop_feed::nats::NatsTarget;
use queuetop_feed::nats::reader::Follow;
use queuetop_feed::scheme::Scheme;
use queuetop_feed::{FeedConfig, LocalClock, MonitorSink, WsTransport};

/// Most sites in one view: each is a connection and a header entry.
pub const MAX_SITES: usize = 16;

/// Where one site's events come from.
#[allow(clippy::large_enum_variant)]
pub enum SiteSpec {
    Live {
        link: Live,
        cfg: FeedConfig,
    },
    /// A relay's subject on a NATS broker (docs/relay.md).
    Broker {
        target: NatsTarget,
        follow: Follow,
    },
    Demo {
        seed: u64,
    },
}

pub struct SiteSource {
    pub name: SiteName,
    pub info: SourceInfo,
    pub dialect: DialectKind,
    pub spec: SiteSpec,
}

/// The sites of `[[feeds]]`, checked: every problem is a usage error that
/// names the entry and its key.
pub fn choose(r: &Resolved) -> AppResult<Vec<SiteSource>> {
    let feeds = &r.file.feeds;
    if feeds.len() > MAX_SITES {
        return Err(AppError::Usage(format!(
            "key `feeds`: {} sites, at most {MAX_SITES}",
            feeds.len()
        )));
    }
    let mut out: Vec<SiteSource> = Vec::with_capacity(feeds.len());
    for (i, f) in feeds.iter().enumerate() {
        let key = format!("feeds[{i}]");
        let site = one(&key, f.get_ref(), r)?;
        if out.iter().any(|s| s.name == site.name) {
            return Err(AppError::Usage(format!(
                "key `{key}.site`: '{}' is named twice",
                site.name
            )));
        }
        out.push(site);
    }
    Ok(out)
}

fn one(key: &str, f: &SiteFeedSection, r: &Resolved) -> AppResult<SiteSource> {
    let usage = |what: String| AppError::Usage(format!("key `{key}.{what}"));
    let name = SiteName::new(&f.site).map_err(|e| usage(format!("site`: {e}")))?;
    if f.demo == Some(true) {
        if f.url.is_some() {
            return Err(usage(
                "demo`: a site is either the demo or a url, not both".into(),
            ));
        }
        let seed = f.seed.unwrap_or(demo::DEFAULT_SEED);
        return Ok(SiteSource {
            name,
            info: SourceInfo::new(SourceKind::Demo, &format!("seed {seed}")),
            dialect: DialectKind::Native,
            spec: SiteSpec::Demo { seed },
        });
    }
    let url = f
        .url
        .clone()
        .ok_or_else(|| usage("url`: each site needs a url (or demo = true)".into()))?;
    let dialect_name = f.dialect.as_deref().unwrap_or("native");
    let dialect = DialectKind::parse(dialect_name).ok_or_else(|| {
        usage(format!(
            "dialect`: '{dialect_name}' is not one of {}",
            DialectKind::names()
        ))
    })?;
    let shared = &r.file.feed;
    let section = FeedSection {
        url: Some(url),
        dialect: f.dialect.clone(),
        token_env: f.token_env.clone(),
        token_file: f.token_file.clone(),
        subscribe: f.subscribe.clone(),
        headers: f.headers.clone(),
        ca_file: f.ca_file.clone(),
        proxy: f.proxy.clone(),
        connect_timeout: shared.connect_timeout.clone(),
        ping_interval: shared.ping_interval.clone(),
        idle_timeout: shared.idle_timeout.clone(),
        resync_grace: shared.resync_grace.clone(),
        stale_after: shared.stale_after.clone(),
        max_frame_bytes: shared.max_frame_bytes,
        max_message_bytes: shared.max_message_bytes,
        record: None,
        subject: None,
        nats_creds: None,
    };
    let cfg = feed::setup::feed_config(&section, Default::default(), &|n| std::env::var(n).ok())
        .map_err(|e| AppError::Usage(format!("key `{key}`: {e}")))?;
    let redacted = feed::target::redact(&cfg.url);
    let link = match Scheme::of(&cfg.url) {
        Some(Scheme::WebSocket) => {
            Live::Ws(WsTransport::new(&cfg).map_err(|e| usage(format!("url`: {e}")))?)
        }
        Some(Scheme::Ami) => {
            if !matches!(dialect, DialectKind::Native | DialectKind::Asterisk) {
                return Err(usage(format!(
                    "dialect`: an ami:// feed speaks the asterisk dialect, not {dialect}"
                )));
            }
            let target = AmiTarget::parse(&cfg.url).map_err(|e| usage(format!("url`: {e}")))?;
            let secret = cfg.token.clone().ok_or_else(|| {
                usage(
                    "token_env`: an ami:// feed needs the AMI secret (token_env or token_file)"
                        .into(),
                )
            })?;
            let ami_cfg = AmiConfig {
                connect_timeout: cfg.connect_timeout,
                max_block_bytes: cfg.max_frame_bytes,
            };
            return Ok(SiteSource {
                name,
                info: SourceInfo::new(SourceKind::Url, &redacted),
                dialect: DialectKind::Asterisk,
                spec: SiteSpec::Live {
                    link: Live::Ami(AmiTransport::new(target, secret, ami_cfg)),
                    cfg,
                },
            });
        }
        Some(Scheme::Nats) => return broker(key, name, f, &cfg, dialect),
        None => {
            return Err(usage(format!(
                "url`: '{redacted}' must start with {}",
                Scheme::prefixes()
            )));
        }
    };
    Ok(SiteSource {
        name,
        info: SourceInfo::new(SourceKind::Url, &redacted),
        dialect,
        spec: SiteSpec::Live { link, cfg },
    })
}

/// A site read from a relay's subject on a NATS broker: feed-v1, one
/// subject without wildcards, credentials from a creds file or the
/// environment (never the config or the command line).
fn broker(
    key: &str,
    name: SiteName,
    f: &SiteFeedSection,
    cfg: &FeedConfig,
    dialect: DialectKind,
) -> AppResult<SiteSource> {
    let usage = |what: String| AppError::Usage(format!("key `{key}.{what}"));
    if dialect != DialectKind::Native {
        return Err(usage(format!(
            "dialect`: a NATS stream carries feed-v1 (the native dialect), not {dialect}"
        )));
    }
    let subject = f.subject.clone().ok_or_else(|| {
        usage(format!(
            "subject`: a nats:// site needs the subject its relay publishes (e.g. queuetop.{name}.events)"
        ))
    })?;
    super::check_subject(&subject, false).map_err(|e| usage(format!("subject`: {e}")))?;
    let creds = f.nats_creds.as_deref().map(std::path::Path::new);
    let auth = super::nats_auth(creds, "nats_creds`").map_err(usage)?;
    let target = NatsTarget::parse(&cfg.url, auth)
        .map_err(|e| usage(format!("url`: {e}")))?
        .with_ca(cfg.ca_file.clone());
    let info = SourceInfo::new(SourceKind::Url, &format!("{} {subject}", target.describe()));
    Ok(SiteSource {
        name,
        info,
        dialect: DialectKind::Native,
        spec: SiteSpec::Broker {
            target,
            follow: Follow {
                subject,
                max_frame_bytes: cfg.max_frame_bytes,
                // Set by `task`, which knows the site's index.
                site: None,
            },
        },
    })
}

/// What the header and the snapshot's `source` say of all the sites: a
/// demo among them labels the whole view DEMO.
pub fn info(sites: &[SiteSource]) -> SourceInfo {
    let kind = if sites
        .iter()
        .any(|s| matches!(s.spec, SiteSpec::Demo { .. }))
    {
        SourceKind::Demo
    } else {
        SourceKind::Url
    };
    let names: Vec<&str> = sites.iter().map(|s| s.name.as_str()).collect();
    SourceInfo::new(
        kind,
        &format!("{} sites: {}", sites.len(), names.join(", ")),
    )
}

/// The monitor of the sites. `[queues.ID]` settings and rules apply to
/// that queue at every site (or, keyed `site/ID`, at one).
pub fn monitor(
    r: &Resolved,
    info: SourceInfo,
    sites: &[SiteSource],
    track_today: bool,
) -> AppResult<Monitor> {
    let names: Vec<SiteName> = sites.iter().map(|s| s.name.clone()).collect();
    let timing = config::feed_timing(&r.file.feed)?;
    let mut settings = r.metrics.settings.clone();
    settings.track_today = track_today;
    settings.queues = policies_per_site(&settings.queues, &names);
    let mut rules = r.rules.clone();
    rules.queues = per_site(&rules.queues, &names);
    let mut m = Monitor::new(Floor::new(settings), info, DialectKind::Native.make());
    m.set_resync_grace(timing.resync_grace);
    m.set_alert_rules(rules);
    for s in sites {
        m.add_site(
            s.name.clone(),
            s.info.clone(),
            s.dialect.make_with(&dialect_setup(&r.file)),
        );
    }
    Ok(m)
}

/// The monitor of a NATS subject with a wildcard, whose sites are known
/// only as their frames come: `[queues.ID]` tables are left out (they
/// would show as queues of no site); `[defaults]` applies to every queue.
pub fn broker_monitor(r: &Resolved, info: SourceInfo, track_today: bool) -> AppResult<Monitor> {
    if !r.file.queues.is_empty() {
        tracing::warn!(
            "[queues.ID] tables do not apply to the sites of a wildcard subject (docs/sites.md)"
        );
    }
    let timing = config::feed_timing(&r.file.feed)?;
    let mut settings = r.metrics.settings.clone();
    settings.track_today = track_today;
    settings.queues.clear();
    let mut rules = r.rules.clone();
    rules.queues.clear();
    let mut m = Monitor::new(Floor::new(settings), info, DialectKind::Native.make());
    m.set_resync_grace(timing.resync_grace);
    m.set_alert_rules(rules);
    Ok(m)
}

/// One task running every site's feed; it runs until dropped.
pub fn task(sites: Vec<SiteSource>, monitor: Arc<Mutex<Monitor>>) -> SourceTask {
    let tasks: Vec<SourceTask> = sites
        .into_iter()
        .enumerate()
        .map(|(i, s)| site_task(i, s.spec, monitor.clone()))
        .collect();
    Box::pin(async move {
        // A site that fails for good (the demo could not start) says why;
        // the live ones never end.
        let (first, _, _) = futures_util::future::select_all(tasks).await;
        first
    })
}

fn site_task(i: usize, spec: SiteSpec, monitor: Arc<Mutex<Monitor>>) -> SourceTask {
    let sink = MonitorSink::for_site(monitor.clone(), i);
    match spec {
        SiteSpec::Live { link, cfg } => {
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
        SiteSpec::Broker { target, follow } => {
            let follow = Follow {
                site: Some(i),
                ..follow
            };
            Box::pin(async move {
                match queuetop_feed::nats::reader::follow(target, follow, monitor).await {}
            })
        }
        SiteSpec::Demo { seed } => Box::pin(async move {
            let (addr, _server) = demo::serve_in_process(seed, 1.0)
                .await
                .map_err(|e| SourceFailure(format!("cannot serve the demo: {e}")))?;
            let cfg = demo_feed_config(format!("ws://{addr}"));
            let t = WsTransport::new(&cfg)
                .map_err(|e| SourceFailure(format!("cannot reach the demo: {e}")))?;
            match queuetop_feed::serve(t, cfg.rules(), sink, LocalClock::System).await {}
        }),
    }
}
