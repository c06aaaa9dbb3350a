//! `queuetop relay`: reads one source, as the view would, and publishes
//! what its floor applies to a NATS JetStream stream, numbered per site,
//! with the live floor as a `snapshot` event at the start and at a fixed
//! interval. Headless: it logs to stderr (or `--log`), stops with a
//! non-zero status on a bad command line or config, and otherwise keeps
//! retrying both the platform and the broker, on the same backoff.

mod publish;
mod replay;
mod sink;

use std::sync::{Arc, Mutex};
use std::time::Duration;

use crate::cli::RelayArgs;
use crate::error::{AppError, AppResult};
use crate::logging::{init_service_log, log_path};
use crate::plan::resolve;
use crate::source::{self, Live, Source, Spec, check_subject, nats_auth};
use queuetop_engine::config;
use queuetop_engine::time::{Ts, parse_duration};
use queuetop_feed::backoff::Backoff;
use queuetop_feed::clock::system_ms;
use queuetop_feed::nats::NatsTarget;
use queuetop_feed::nats::batch::Batching;
use queuetop_feed::nats::outbox::Outbox;
use queuetop_feed::nats::publisher::{self, Shared};
use queuetop_feed::nats::stream::StreamPlan;
use queuetop_feed::{LocalClock, WsTransport};

use crate::exporter::{Exporter, Look};
use crate::ingest::counters::Counters;
use crate::ingest::{self, Listen, ListenFlags};
use crate::notify::Notifier;
use publish::Relay;
use queuetop_engine::floor::WindowKind;
use queuetop_engine::monitor::{SourceInfo, SourceKind, lock};

/// How often a live floor is moved on to the wall clock while metrics are
/// served (as `queuetop export` does).
const TICK: Duration = Duration::from_millis(250);
use sink::RelaySink;

/// What the relay reads: a source as the view reads it, or webhooks.
enum Input {
    Source(Box<Source>),
    Webhook(Listen),
}

impl Input {
    /// Whether the floor follows our wall clock (a live feed or webhooks)
    /// rather than a recording's own time.
    fn wall_clock(&self) -> bool {
        match self {
            Input::Source(source) => source.wall_clock(),
            Input::Webhook(_) => true,
        }
    }
}

/// Everything checked before anything connects.
struct Plan {
    target: NatsTarget,
    stream: StreamPlan,
    site: String,
    every: Duration,
    buffer: usize,
    batching: Batching,
}

pub fn relay_command(args: RelayArgs) -> AppResult<()> {
    let r = resolve(&args.source, &args.options)?;
    init_service_log(log_path(&args.options, &r.file).as_deref())?;
    let plan = plan(
        &args,
        r.file.feed.ca_file.as_ref().map(std::path::PathBuf::from),
    )?;
    let timing = config::feed_timing(&r.file.feed)?;
    // The relay's own floor: what its snapshots are made of.
    // The day's totals are kept only when metrics over the day are asked for.
    let window = r.metrics.window.kind();
    let today = args.metrics.metrics_listen.is_some() && window == WindowKind::Today;
    let (input, monitor) = match &args.listen {
        Some(addr) => {
            let listen = Listen::plan(
                ListenFlags {
                    addr,
                    dialect: r.dialect,
                    public_url: args.public_url.as_deref(),
                    twilio_token_file: args.twilio_token_file.as_deref(),
                    secret_header: &args.secret_header,
                    secret_file: args.webhook_secret_file.as_deref(),
                    max_body: args.max_body,
                    read_timeout: parse_duration(&args.read_timeout)
                        .ok()
                        .filter(|ms| *ms > 0)
                        .map(|ms| Duration::from_millis(ms as u64))
                        .ok_or_else(|| {
                            AppError::Usage(format!(
                                "--read-timeout: '{}' is not a duration (e.g. 10s)",
                                args.read_timeout
                            ))
                        })?,
                },
                &|n| std::env::var(n).ok(),
            )?;
            let info = SourceInfo::new(SourceKind::Url, &format!("webhook http://{addr}"));
            let monitor = source::build_monitor(&r, info, r.dialect, today)?;
            (Input::Webhook(listen), monitor)
        }
        None => {
            let source = Source::choose(&args.source, &args.options, &r, "max")?;
            if source.is_broker() {
                return Err(AppError::Usage(
                    "relay: the source is already a NATS stream; relay reads a platform feed, a recording or the demo".into(),
                ));
            }
            let monitor = source.monitor(&r, today)?;
            (Input::Source(Box::new(source)), monitor)
        }
    };
    let monitor = Arc::new(Mutex::new(monitor));
    // A bad action is a config error before anything is served or said.
    let notifier = crate::notify::Notifier::from_config(&r.file)?;
    let exporter = match &args.metrics.metrics_listen {
        Some(addr) => {
            let look = Look {
                window,
                wall_clock: input.wall_clock(),
                stale_after: timing.stale_after,
                agents: args.metrics.metrics_agents,
                site: plan.site.clone(),
            };
            let exporter = Exporter::bind(addr, monitor.clone(), look)?;
            let bound = exporter
                .local_addr()
                .map_err(|e| AppError::Runtime(format!("--metrics-listen: {e}")))?;
            // On stderr too, for scripts and tests that asked for port 0.
            say(&format!(
                "queuetop: serving metrics on http://{bound}/metrics"
            ));
            tracing::info!("relay: serving metrics on http://{bound}/metrics");
            Some(exporter)
        }
        None => None,
    };
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .map_err(|e| AppError::Runtime(format!("cannot start the runtime: {e}")))?;
    runtime.block_on(run(
        plan,
        input,
        monitor,
        timing.max_frame_bytes,
        exporter,
        notifier,
    ))
}

/// One line on stderr; a failed write (a closed terminal) is let go.
fn say(line: &str) {
    use std::io::Write;
    let _ = writeln!(std::io::stderr(), "{line}");
}

/// `ca` is the config's `feed.ca_file`: it is trusted for the broker too.
fn plan(args: &RelayArgs, ca: Option<std::path::PathBuf>) -> AppResult<Plan> {
    let site = args.site.trim().to_string();
    if site.is_empty()
        || !site
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
    {
        return Err(AppError::Usage(format!(
            "--site: '{site}' must be letters, digits, '-' or '_'"
        )));
    }
    let subject = args
        .source
        .subject
        .clone()
        .unwrap_or_else(|| format!("queuetop.{site}.events"));
    check_subject(&subject, false).map_err(|e| AppError::Usage(format!("--subject: {e}")))?;
    let duration = |flag: &str, s: &str| {
        parse_duration(s)
            .ok()
            .filter(|ms| *ms > 0)
            .map(|ms| Duration::from_millis(ms as u64))
            .ok_or_else(|| AppError::Usage(format!("{flag}: '{s}' is not a duration (e.g. 24h)")))
    };
    let max_age = duration("--retention", &args.retention)?;
    let every = duration("--snapshot-every", &args.snapshot_every)?;
    let name = args.stream.trim().to_string();
    if name.is_empty()
        || name.chars().any(|c| {
            matches!(c, '.' | '*' | '>' | '/' | '\\') || c.is_whitespace() || c.is_control()
        })
    {
        return Err(AppError::Usage(format!(
            "--stream: '{name}' is not a stream name (no spaces, dots or wildcards)"
        )));
    }
    if args.batch == 0 {
        return Err(AppError::Usage(
            "--batch: a message holds at least one event".into(),
        ));
    }
    let linger = parse_duration(&args.linger)
        .ok()
        .filter(|ms| *ms <= 60_000)
        .map(|ms| Duration::from_millis(ms as u64))
        .ok_or_else(|| {
            AppError::Usage(format!(
                "--linger: '{}' is not a duration of at most a minute (e.g. 100ms, 0)",
                args.linger
            ))
        })?;
    if args.buffer == 0 {
        return Err(AppError::Usage(
            "--buffer: must hold at least one frame".into(),
        ));
    }
    let target = NatsTarget::parse(
        &args.to,
        nats_auth(args.source.nats_creds.as_deref(), "--nats-creds").map_err(AppError::Usage)?,
    )
    .map_err(|e| AppError::Usage(format!("--to: {e}")))?
    .with_ca(ca);
    Ok(Plan {
        target,
        stream: StreamPlan {
            name,
            subject,
            max_age,
        },
        site,
        every,
        buffer: args.buffer,
        batching: Batching {
            max_events: args.batch,
            linger,
        },
    })
}

async fn run(
    plan: Plan,
    input: Input,
    monitor: Arc<Mutex<queuetop_engine::monitor::Monitor>>,
    max_line: usize,
    exporter: Option<Exporter>,
    notifier: Option<Notifier>,
) -> AppResult<()> {
    // The listener binds before anything else: a taken port is a fatal
    // config error, not something to retry.
    let listener = match &input {
        Input::Webhook(listen) => {
            let l = tokio::net::TcpListener::bind(&listen.addr)
                .await
                .map_err(|e| AppError::Usage(format!("--listen {}: {e}", listen.addr)))?;
            let local = l
                .local_addr()
                .map_err(|e| AppError::Runtime(format!("--listen {}: {e}", listen.addr)))?;
            tracing::info!(
                "relay: listening for webhooks at http://{local}{}",
                listen.route.path()
            );
            Some(l)
        }
        Input::Source(_) => None,
    };
    tracing::info!(
        "relay: site {} to {} (stream {}, subject {})",
        plan.site,
        plan.target.describe(),
        plan.stream.name,
        plan.stream.subject
    );
    let mut backoff = Backoff::default();
    // The broker first: the numbering goes on from the last frame stored.
    let session = publisher::open_until_up(&plan.target, &plan.stream, &mut backoff).await;
    let last = match publisher::last_seq(&session, &plan.stream).await {
        Ok(n) => n,
        Err(e) => {
            tracing::warn!("relay: {}; numbering from 1", e.reason);
            0
        }
    };
    tracing::info!("relay: numbering from {}", last + 1);
    backoff.reset();
    let shared = Shared::new(Outbox::new(plan.buffer, last));
    let relay = Relay::new(monitor, shared.clone());
    let publishing = tokio::spawn(publisher::run(
        plan.target.clone(),
        plan.stream.clone(),
        plan.site.clone(),
        plan.batching,
        shared.clone(),
        session,
        backoff,
    ));
    let live = input.wall_clock();
    // Served from here on: the outbox (and so the numbering) exists once
    // the broker was reached the first time.
    // A live floor moves on to the wall clock between events, as in
    // `queuetop export`, so waits and windows are current and alert rules
    // on time (an agent too long in wrap-up) are looked at.
    let ticking = (live && (exporter.is_some() || notifier.is_some())).then(|| {
        let monitor = relay.monitor.clone();
        tokio::spawn(async move {
            let mut ticks = tokio::time::interval(TICK);
            loop {
                ticks.tick().await;
                lock(&monitor).tick(Ts(system_ms()));
            }
        })
    });
    let serving = exporter.map(|e| {
        let e = e.with_relay(shared.clone());
        tokio::spawn(async move {
            if let Err(e) = e.run(std::future::pending()).await {
                tracing::error!("relay: the metrics server stopped: {e}");
            }
        })
    });
    // Alert actions run beside the source, as in the view.
    let acting = notifier.map(|n| n.spawn(relay.monitor.clone()));
    let snapshots = {
        let relay = relay.clone();
        let every = plan.every;
        tokio::spawn(async move {
            let mut ticks = tokio::time::interval_at(tokio::time::Instant::now() + every, every);
            loop {
                ticks.tick().await;
                relay.snapshot(live.then(|| Ts(system_ms())));
            }
        })
    };
    let counters = Arc::new(Counters::default());
    let listening = listener.is_some();
    let reading = async {
        match (input, listener) {
            (Input::Webhook(listen), Some(l)) => {
                webhooks(l, listen, relay.clone(), counters.clone()).await
            }
            (Input::Source(source), _) => feed(*source, relay.clone(), max_line, plan.buffer).await,
            (Input::Webhook(_), None) => {
                Err(AppError::Runtime("relay: the listener is not bound".into()))
            }
        }
    };
    let mut stopped = false;
    let result = tokio::select! {
        r = reading => r,
        () = stop_signal() => {
            tracing::info!("relay: stopping");
            stopped = true;
            Ok(())
        }
    };
    snapshots.abort();
    if listening {
        tracing::info!("relay: webhooks {}", counters.summary());
    }
    // What is still waiting gets a few seconds to reach the broker.
    let deadline = tokio::time::Instant::now() + Duration::from_secs(5);
    while relay.waiting() > 0 && tokio::time::Instant::now() < deadline {
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    if relay.waiting() > 0 {
        tracing::warn!("relay: {} frames not stored at exit", relay.waiting());
    }
    // With metrics served, a replay's end does not end the relay (as with
    // `queuetop export`): its last figures stay served until a signal.
    if result.is_ok() && serving.is_some() && !stopped {
        tracing::info!("relay: the replay ended; metrics still served until a signal");
        stop_signal().await;
    }
    publishing.abort();
    for task in [serving, ticking, acting].into_iter().flatten() {
        task.abort();
    }
    result
}

/// Serves webhooks into the relay until the server fails.
async fn webhooks(
    listener: tokio::net::TcpListener,
    listen: Listen,
    relay: Relay,
    counters: Arc<Counters>,
) -> AppResult<()> {
    {
        // No connection to lose: the floor is live as soon as we listen.
        let mut m = queuetop_engine::monitor::lock(&relay.monitor);
        m.connected(Ts(system_ms()));
        m.set_link(queuetop_engine::health::LinkState::Connected);
    }
    let deliver: ingest::server::Deliver = Arc::new(move |frame: &str| {
        relay.live_frame(frame, Ts(system_ms()));
    });
    ingest::server::serve(listener, listen, counters, deliver)
        .await
        .map_err(|e| AppError::Runtime(format!("--listen: {e}")))
}

/// Runs the source into the relay until it ends (a recording) or forever.
async fn feed(source: Source, relay: Relay, max_line: usize, buffer: usize) -> AppResult<()> {
    match source.kind {
        Spec::Replay {
            path, file, speed, ..
        } => {
            let hold_at = buffer.div_ceil(2);
            replay::relay_file(
                &relay,
                std::io::BufReader::new(file),
                speed,
                max_line,
                hold_at,
            )
            .await
            .map_err(|e| AppError::Runtime(format!("--replay {}: {e}", path.display())))?;
            // Readers learn the state at the end from the last frames; one
            // more snapshot makes it explicit for a late one.
            relay.snapshot(None);
            tracing::info!("relay: end of {}", path.display());
            Ok(())
        }
        Spec::Live { link, cfg } => {
            let rules = cfg.rules();
            let sink = RelaySink(relay);
            match link {
                Live::Ws(t) => {
                    match queuetop_feed::serve(t, rules, sink, LocalClock::System).await {}
                }
                Live::Ami(t) => {
                    match queuetop_feed::serve(t, rules, sink, LocalClock::System).await {}
                }
            }
        }
        Spec::Demo { seed } => {
            let (addr, _server) = crate::demo::serve_in_process(seed, 1.0)
                .await
                .map_err(|e| AppError::Runtime(format!("cannot serve the demo: {e}")))?;
            let cfg = source::demo_feed_config(format!("ws://{addr}"));
            let t = WsTransport::new(&cfg)
                .map_err(|e| AppError::Runtime(format!("cannot reach the demo: {e}")))?;
            match queuetop_feed::serve(t, cfg.rules(), RelaySink(relay), LocalClock::System).await {}
        }
        Spec::Broker { .. } => Err(AppError::Usage(
            "relay: a NATS source cannot be relayed".into(),
        )),
        Spec::Sites { .. } => Err(AppError::Usage(
            "relay: one relay per site; give its source on the command line (the config's [[feeds]] are for the view)".into(),
        )),
    }
}

/// Ctrl-C or SIGTERM (systemd's stop).
async fn stop_signal() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        if let Ok(mut term) = signal(SignalKind::terminate()) {
            tokio::select! {
                _ = term.recv() => {}
                _ = tokio::signal::ctrl_c() => {}
            }
            return;
        }
    }
    let _ = tokio::signal::ctrl_c().await;
}
