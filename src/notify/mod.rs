//! Alert actions (docs/alerts.md, Actions): the engine's crossings and
//! returns, read from the monitor a few times a second, sent to programs
//! (`exec`) and HTTP endpoints (`webhook`) on tokio tasks of their own. The
//! view and the feed never wait for an action: the monitor's lock is held
//! only to copy the new changes out, and every run or request is a task
//! with a timeout.

pub mod exec;
pub mod limit;
pub mod message;
pub mod stats;
pub mod webhook;

use std::collections::HashSet;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use queuetop_engine::alert::Level;
use queuetop_engine::config::{self, ActionKind, Actions, ConfigFile};
use queuetop_engine::monitor::{Monitor, lock};
use tokio::sync::Semaphore;

use crate::error::{AppError, AppResult};

use exec::ExecOutcome;
use limit::RateLimit;
use message::{AlertMessage, wanted};
use stats::{Failure, Stats};
use webhook::{SendOutcome, Webhook};

/// Most webhook requests under way at once (a hanging server holds its
/// requests until their timeouts; past this, new ones are dropped and
/// counted rather than piling up).
const MAX_HTTP_IN_FLIGHT: usize = 64;

/// How often the monitor is looked at for new changes.
const POLL: Duration = Duration::from_millis(250);

enum Prepared {
    Exec {
        argv: Arc<[String]>,
        timeout: Duration,
    },
    Webhook(Arc<Webhook>),
}

struct Action {
    what: Prepared,
    min_level: Level,
}

pub struct Notifier {
    actions: Vec<Action>,
    limit: RateLimit,
    stats: Arc<Stats>,
    /// (action, rule) pairs with a program running.
    running: Arc<Mutex<HashSet<(usize, String)>>>,
    http_slots: Arc<Semaphore>,
}

impl Notifier {
    /// The config's actions, ready to run; `None` when there are none.
    /// Tokens are read from the environment here, once.
    pub fn new(actions: &Actions) -> Result<Option<Self>, String> {
        Self::with_backoff(actions, Duration::from_secs(1))
    }

    /// As [`Notifier::new`], with the webhooks' first retry after
    /// `first_retry` (doubling from there).
    pub fn with_backoff(actions: &Actions, first_retry: Duration) -> Result<Option<Self>, String> {
        if actions.list.is_empty() {
            return Ok(None);
        }
        let mut client = None;
        let mut list = Vec::new();
        for (i, a) in actions.list.iter().enumerate() {
            let timeout = Duration::from_millis(a.timeout.max(1) as u64);
            let what = match &a.kind {
                ActionKind::Exec { argv } => Prepared::Exec {
                    argv: argv.clone().into(),
                    timeout,
                },
                ActionKind::Webhook {
                    url,
                    format,
                    token_env,
                    retries,
                } => {
                    let token = match token_env {
                        Some(var) => Some(std::env::var(var).map_err(|_| {
                            format!(
                                "key `alerts.actions[{i}].token_env`: the variable {var} is not set"
                            )
                        })?),
                        None => None,
                    };
                    let c = match &client {
                        Some(c) => c,
                        None => client.insert(webhook::client()?),
                    };
                    Prepared::Webhook(Arc::new(
                        Webhook::new(c.clone(), url, *format, token, *retries, timeout)
                            .with_backoff(first_retry),
                    ))
                }
            };
            list.push(Action {
                what,
                min_level: a.min_level,
            });
        }
        Ok(Some(Notifier {
            actions: list,
            limit: RateLimit::new(
                actions.per_rule_per_minute,
                actions.per_minute,
                Instant::now(),
            ),
            stats: Arc::new(Stats::default()),
            running: Arc::new(Mutex::new(HashSet::new())),
            http_slots: Arc::new(Semaphore::new(MAX_HTTP_IN_FLIGHT)),
        }))
    }

    /// The config file's `[[alerts.actions]]`, ready to run: the one way
    /// the view, `queuetop export` and `queuetop relay` start them. `None`
    /// when there are none; a bad action or a missing token variable is a
    /// config error (exit 2).
    pub fn from_config(file: &ConfigFile) -> AppResult<Option<Self>> {
        Self::new(&config::actions(file)?).map_err(AppError::Usage)
    }

    /// Follows `monitor`'s alert changes on a task of the current runtime
    /// until that task is aborted or the runtime ends.
    /// Changes from now on are sent, even those made before the task first
    /// runs (a replay at full speed does not wait for it).
    pub fn spawn(self, monitor: Arc<Mutex<Monitor>>) -> tokio::task::JoinHandle<()> {
        let from = lock(&monitor).alert_seq();
        tokio::spawn(self.watch_from(monitor, from))
    }

    pub fn stats(&self) -> Arc<Stats> {
        self.stats.clone()
    }

    /// Sends one change to every action that takes it. Returns at once:
    /// each run or request is a task of its own (call inside a runtime).
    pub fn dispatch(&mut self, msg: AlertMessage, from: Level, to: Level, now: Instant) {
        let takers: Vec<usize> = (0..self.actions.len())
            .filter(|i| wanted(from, to, self.actions[*i].min_level))
            .collect();
        if takers.is_empty() {
            return;
        }
        if !self.limit.allow(&msg.rule, now) {
            self.stats.fail(
                Failure::RateLimited,
                &format!("{} {} {}", msg.rule, msg.kind, msg.subject),
            );
            return;
        }
        let msg = Arc::new(msg);
        for i in takers {
            match &self.actions[i].what {
                Prepared::Exec { argv, timeout } => {
                    self.spawn_exec(i, argv.clone(), *timeout, msg.clone())
                }
                Prepared::Webhook(hook) => self.spawn_webhook(hook.clone(), msg.clone()),
            }
        }
    }

    fn spawn_exec(&self, i: usize, argv: Arc<[String]>, timeout: Duration, msg: Arc<AlertMessage>) {
        let key = (i, msg.rule.clone());
        {
            let mut running = self.running.lock().unwrap_or_else(|e| e.into_inner());
            if !running.insert(key.clone()) {
                self.stats.fail(
                    Failure::ExecBusy,
                    &format!("{}: the last run for {} is still going", argv[0], msg.rule),
                );
                return;
            }
        }
        let (running, stats) = (self.running.clone(), self.stats.clone());
        tokio::spawn(async move {
            let report = exec::run(&argv, &msg, timeout).await;
            running
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .remove(&key);
            match report.outcome {
                ExecOutcome::Success => {
                    stats
                        .sent
                        .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                }
                ExecOutcome::Failed(why) => {
                    let err = String::from_utf8_lossy(&report.stderr);
                    let err = queuetop_engine::text::strip(err);
                    let first = err.lines().next().unwrap_or("").chars().take(200);
                    stats.fail(
                        Failure::ExecFailed,
                        &format!("{why}: {}", first.collect::<String>()),
                    );
                }
                ExecOutcome::TimedOut => stats.fail(
                    Failure::ExecTimedOut,
                    &format!("{} killed after {}", argv[0], humanish(timeout)),
                ),
            }
        });
    }

    fn spawn_webhook(&self, hook: Arc<Webhook>, msg: Arc<AlertMessage>) {
        let Ok(permit) = self.http_slots.clone().try_acquire_owned() else {
            self.stats.fail(Failure::HttpBusy, &hook.shown_url());
            return;
        };
        let stats = self.stats.clone();
        tokio::spawn(async move {
            let report = hook.send(&msg).await;
            drop(permit);
            use std::sync::atomic::Ordering::Relaxed;
            stats
                .retries
                .fetch_add(u64::from(report.attempts.saturating_sub(1)), Relaxed);
            let url = hook.shown_url();
            match report.outcome {
                SendOutcome::Delivered => {
                    stats.sent.fetch_add(1, Relaxed);
                }
                SendOutcome::Refused(s) => stats.fail(Failure::Http4xx, &format!("{url}: {s}")),
                SendOutcome::ServerError(s) => stats.fail(
                    Failure::Http5xx,
                    &format!("{url}: {s} after {} attempts", report.attempts),
                ),
                SendOutcome::Unreachable(why) => stats.fail(
                    Failure::HttpConnect,
                    &format!("{url}: {why} after {} attempts", report.attempts),
                ),
            }
        });
    }

    /// Follows the monitor's changes from the change numbered `next` on,
    /// until the task is dropped.
    async fn watch_from(mut self, monitor: Arc<Mutex<Monitor>>, mut next: u64) {
        let mut tick = tokio::time::interval(POLL);
        tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            tick.tick().await;
            // Copied out under the lock, sent after it is released.
            let batch: Vec<(AlertMessage, Level, Level)> = {
                let m = lock(&monitor);
                let changes = m.alert_changes_since(next);
                next = changes.next;
                if changes.missed > 0 {
                    tracing::warn!(
                        "alert actions: {} changes were too many to keep",
                        changes.missed
                    );
                }
                let rules = m.alert_engine().rules();
                changes
                    .items
                    .map(|c| {
                        (
                            AlertMessage::new(rules, c, &m.source().target),
                            c.from,
                            c.to,
                        )
                    })
                    .collect()
            };
            let now = Instant::now();
            for (msg, from, to) in batch {
                self.dispatch(msg, from, to, now);
            }
        }
    }
}

fn humanish(d: Duration) -> String {
    queuetop_engine::time::human(d.as_millis() as i64)
}
