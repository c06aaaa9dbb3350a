//! Alert actions against real parts: webhooks POST to an HTTP server this
//! test starts on a loopback port (it speaks HTTP/1.1 over a real socket
//! and answers from a script), and `exec` runs real programs.

use std::sync::atomic::Ordering;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use queuetop::notify::Notifier;
use queuetop::notify::exec::{self, ExecOutcome, KEEP};
use queuetop::notify::message::AlertMessage;
use queuetop::notify::stats::{Failure, Stats};
use queuetop::notify::webhook::{self, SendOutcome, Webhook};
use queuetop_engine::alert::{Change, Level, QueueRule, RuleId, Rules, Subject};
use queuetop_engine::config::{self, BodyFormat};
use queuetop_engine::floor::QueueIdx;
use queuetop_engine::time::Ts;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;

#[derive(Clone, Copy, Debug)]
enum Answer {
    Status(u16),
    /// Read the request, never answer.
    Hang,
}

#[derive(Clone, Debug, Default)]
struct Seen {
    head: String,
    body: String,
}

/// An HTTP server on 127.0.0.1: answers the n-th request with `script[n]`
/// (the last entry for every later one), one request per connection.
struct Server {
    url: String,
    seen: Arc<Mutex<Vec<Seen>>>,
    task: tokio::task::JoinHandle<()>,
}

impl Drop for Server {
    fn drop(&mut self) {
        self.task.abort();
    }
}

impl Server {
    async fn start(script: Vec<Answer>) -> Server {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}/hook", listener.local_addr().unwrap());
        let seen = Arc::new(Mutex::new(Vec::new()));
        let log = seen.clone();
        let task = tokio::spawn(async move {
            loop {
                let Ok((mut sock, _)) = listener.accept().await else {
                    return;
                };
                let (log, script) = (log.clone(), script.clone());
                tokio::spawn(async move {
                    let mut buf = Vec::new();
                    let mut chunk = [0u8; 4096];
                    // Head, then as much body as Content-Length says.
                    let (head, body_at) = loop {
                        let Ok(n) = sock.read(&mut chunk).await else {
                            return;
                        };
                        if n == 0 {
                            return;
                        }
                        buf.extend_from_slice(&chunk[..n]);
                        if let Some(i) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
                            break (String::from_utf8_lossy(&buf[..i]).to_string(), i + 4);
                        }
                    };
                    let len = head
                        .lines()
                        .find_map(|l| {
                            let (k, v) = l.split_once(':')?;
                            k.eq_ignore_ascii_case("content-length")
                                .then(|| v.trim().parse::<usize>().ok())?
                        })
                        .unwrap_or(0);
                    while buf.len() < body_at + len {
                        let Ok(n) = sock.read(&mut chunk).await else {
                            return;
                        };
                        if n == 0 {
                            break;
                        }
                        buf.extend_from_slice(&chunk[..n]);
                    }
                    let body = String::from_utf8_lossy(&buf[body_at..]).to_string();
                    let n = {
                        let mut l = log.lock().unwrap();
                        l.push(Seen { head, body });
                        l.len() - 1
                    };
                    match script[n.min(script.len() - 1)] {
                        Answer::Status(s) => {
                            let reply = format!(
                                "HTTP/1.1 {s} X\r\ncontent-length: 2\r\nconnection: close\r\n\r\nok"
                            );
                            let _ = sock.write_all(reply.as_bytes()).await;
                            let _ = sock.shutdown().await;
                        }
                        Answer::Hang => {
                            tokio::time::sleep(Duration::from_secs(3600)).await;
                        }
                    }
                });
            }
        });
        Server { url, seen, task }
    }

    fn count(&self) -> usize {
        self.seen.lock().unwrap().len()
    }

    fn requests(&self) -> Vec<Seen> {
        self.seen.lock().unwrap().clone()
    }
}

fn change(rule: QueueRule, subject: &str, to: Level) -> Change {
    Change {
        rule: RuleId::Queue(rule),
        subject: Subject::Queue(QueueIdx(0)),
        subject_id: subject.into(),
        from: Level::Ok,
        to,
        at: Ts::parse_rfc3339("2026-11-23T09:00:41Z").unwrap(),
        value: Some(181.0),
        threshold: Some(180.0),
    }
}

fn message(subject: &str) -> AlertMessage {
    AlertMessage::new(
        &Rules::default(),
        &change(QueueRule::LongestWait, subject, Level::Crit),
        "wss://events.example.com/v1",
    )
}

fn hook(url: &str, retries: u32, timeout_ms: u64) -> Webhook {
    Webhook::new(
        webhook::client().unwrap(),
        url,
        BodyFormat::Json,
        None,
        retries,
        Duration::from_millis(timeout_ms),
    )
    .with_backoff(Duration::from_millis(20))
}

/// Waits (bounded) until `done` holds; false if it never did.
async fn until(mut done: impl FnMut() -> bool) -> bool {
    for _ in 0..200 {
        if done() {
            return true;
        }
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
    done()
}

fn notifier(text: &str) -> Notifier {
    let file = config::parse(text).expect("config");
    let actions = config::actions(&file).expect("actions");
    Notifier::with_backoff(&actions, Duration::from_millis(20))
        .expect("notifier")
        .expect("some actions")
}

fn send_all(n: &mut Notifier, changes: &[Change]) {
    for c in changes {
        let msg = AlertMessage::new(&Rules::default(), c, "test");
        n.dispatch(msg, c.from, c.to, Instant::now());
    }
}

fn failures(s: &Stats, f: Failure) -> u64 {
    s.failures(f)
}

#[tokio::test]
async fn a_500_is_retried_until_it_succeeds() {
    let server = Server::start(vec![
        Answer::Status(500),
        Answer::Status(503),
        Answer::Status(200),
    ])
    .await;
    let r = hook(&server.url, 3, 2_000).send(&message("support")).await;
    assert_eq!(r.outcome, SendOutcome::Delivered);
    assert_eq!(r.attempts, 3);
    assert_eq!(server.count(), 3);
    let body: serde_json::Value = serde_json::from_str(&server.requests()[2].body).unwrap();
    assert_eq!(body["rule"], "longest_wait_s");
    assert_eq!(body["level"], "critical");
    assert_eq!(body["value"], 181.0);
}

#[tokio::test]
async fn a_4xx_is_not_retried() {
    let server = Server::start(vec![Answer::Status(404)]).await;
    let r = hook(&server.url, 5, 2_000).send(&message("support")).await;
    assert_eq!(r.outcome, SendOutcome::Refused(404));
    assert_eq!(r.attempts, 1);
    tokio::time::sleep(Duration::from_millis(200)).await;
    assert_eq!(server.count(), 1, "nothing more after the 4xx");
}

#[tokio::test]
async fn a_dead_server_gets_its_retries_and_not_one_more() {
    let server = Server::start(vec![Answer::Status(500)]).await;
    // 40 alerts of one rule, 5 a minute allowed, 1 retry each: exactly 10
    // requests, whatever the server keeps saying.
    let mut n = notifier(&format!(
        "[alerts]\nactions_per_rule_per_minute = 5\n\
         [[alerts.actions]]\nwebhook = \"{}\"\nretries = 1\ntimeout = \"2s\"\n",
        server.url
    ));
    let stats = n.stats();
    let changes: Vec<Change> = (0..40)
        .map(|i| change(QueueRule::Waiting, &format!("q{i}"), Level::Warn))
        .collect();
    send_all(&mut n, &changes);
    assert!(until(|| failures(&stats, Failure::Http5xx) == 5).await);
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(server.count(), 10);
    assert_eq!(failures(&stats, Failure::RateLimited), 35);
    assert_eq!(stats.retries.load(Ordering::Relaxed), 5);
    assert_eq!(stats.sent.load(Ordering::Relaxed), 0);
}

#[tokio::test]
async fn a_hanging_server_stalls_nothing() {
    let hanging = Server::start(vec![Answer::Hang]).await;
    let fine = Server::start(vec![Answer::Status(204)]).await;
    let mut n = notifier(&format!(
        "[[alerts.actions]]\nwebhook = \"{}\"\nretries = 1\ntimeout = \"300ms\"\n\
         [[alerts.actions]]\nwebhook = \"{}\"\n",
        hanging.url, fine.url
    ));
    let stats = n.stats();
    let started = Instant::now();
    send_all(
        &mut n,
        &[
            change(QueueRule::Waiting, "a", Level::Warn),
            change(QueueRule::LongestWait, "b", Level::Crit),
        ],
    );
    // Dispatch only spawns: it returned long before any timeout.
    assert!(started.elapsed() < Duration::from_millis(300));
    // Both alerts reach the server that answers, while the other hangs.
    assert!(until(|| fine.count() == 2).await, "the next alert went out");
    assert!(until(|| stats.sent.load(Ordering::Relaxed) == 2).await);
    // The hanging one times out on each attempt (two each) and is counted.
    assert!(until(|| failures(&stats, Failure::HttpConnect) == 2).await);
    assert_eq!(hanging.count(), 4);
}

#[tokio::test]
async fn text_format_bearer_token_and_no_control_characters() {
    let server = Server::start(vec![Answer::Status(200)]).await;
    // A variable every test process has stands for the token: setting one
    // here would race with the programs other tests start.
    let token = std::env::var("PATH").expect("PATH is set");
    let mut n = notifier(&format!(
        "[[alerts.actions]]\nwebhook = \"{}\"\nformat = \"text\"\ntoken_env = \"PATH\"\n",
        server.url
    ));
    send_all(
        &mut n,
        &[change(
            QueueRule::Waiting,
            "sup\u{1b}[2Jport\u{7}",
            Level::Crit,
        )],
    );
    assert!(until(|| server.count() == 1).await);
    let req = &server.requests()[0];
    assert!(req.head.starts_with("POST /hook HTTP/1.1"), "{}", req.head);
    assert!(
        req.head
            .lines()
            .any(|l| l == format!("authorization: Bearer {token}")),
        "{}",
        req.head
    );
    let body: serde_json::Value = serde_json::from_str(&req.body).unwrap();
    let text = body["text"].as_str().unwrap();
    assert_eq!(
        text,
        "[queuetop] critical: queue sup[2Jport waiting = 181.0 (threshold 180.0)"
    );
    assert!(!req.body.contains('\u{1b}') && !req.body.contains("\\u001b"));
}

#[test]
fn a_missing_token_variable_is_a_config_error() {
    let file = config::parse(
        "[[alerts.actions]]\nwebhook = \"http://127.0.0.1:9/\"\ntoken_env = \"QUEUETOP_TEST_NO_SUCH_VAR\"\n",
    )
    .unwrap();
    let e = Notifier::new(&config::actions(&file).unwrap())
        .err()
        .expect("an error");
    assert!(e.contains("QUEUETOP_TEST_NO_SUCH_VAR is not set"), "{e}");
}

fn sh(script: &str) -> Vec<String> {
    vec!["sh".into(), "-c".into(), script.into(), "sh".into()]
}

#[tokio::test]
async fn exec_gets_the_alert_on_stdin_and_in_its_environment() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("alert");
    let mut argv = sh(
        "cat > \"$1\"; printf '%s %s %s' \"$QUEUETOP_ALERT_RULE\" \"$QUEUETOP_ALERT_SUBJECT\" \"$QUEUETOP_ALERT_LEVEL\" > \"$1.env\"",
    );
    argv.push(out.to_string_lossy().into_owned());
    let r = exec::run(&argv, &message("support"), Duration::from_secs(10)).await;
    assert_eq!(r.outcome, ExecOutcome::Success);
    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&out).unwrap()).unwrap();
    assert_eq!(json["subject"], "support");
    assert_eq!(json["at"], "2026-11-23T09:00:41Z");
    let env = std::fs::read_to_string(dir.path().join("alert.env")).unwrap();
    assert_eq!(env, "longest_wait_s support critical");
}

#[tokio::test]
async fn exec_that_hangs_is_killed_at_its_timeout() {
    let dir = tempfile::tempdir().unwrap();
    let pid_file = dir.path().join("pid");
    let mut argv = sh("echo $$ > \"$1\"; exec sleep 30");
    argv.push(pid_file.to_string_lossy().into_owned());
    let r = exec::run(&argv, &message("support"), Duration::from_millis(300)).await;
    assert_eq!(r.outcome, ExecOutcome::TimedOut);
    let pid = std::fs::read_to_string(&pid_file).unwrap();
    let pid = pid.trim();
    // The process is gone (reaped): no /proc entry, or a zombie at most.
    let alive = std::fs::read_to_string(format!("/proc/{pid}/stat"))
        .map(|s| !s.contains(") Z "))
        .unwrap_or(false);
    assert!(!alive, "process {pid} still running");
}

/// Whether a process runs (a zombie waiting for its parent does not).
fn running(pid: &str) -> bool {
    std::fs::read_to_string(format!("/proc/{pid}/stat"))
        .map(|s| !s.contains(") Z "))
        .unwrap_or(false)
}

#[tokio::test]
async fn exec_timeout_kills_the_programs_children_too() {
    let dir = tempfile::tempdir().unwrap();
    let pid_file = dir.path().join("pid");
    // A child in the background that would outlive the shell by minutes.
    let mut argv = sh("sleep 300 & echo $! > \"$1\"; sleep 300");
    argv.push(pid_file.to_string_lossy().into_owned());
    let r = exec::run(&argv, &message("support"), Duration::from_millis(500)).await;
    assert_eq!(r.outcome, ExecOutcome::TimedOut);
    let pid = std::fs::read_to_string(&pid_file).unwrap();
    let pid = pid.trim().to_string();
    assert!(!pid.is_empty());
    // SIGKILL is delivered at once; reaping by init may take a moment.
    let deadline = Instant::now() + Duration::from_secs(5);
    while running(&pid) && Instant::now() < deadline {
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    assert!(
        !running(&pid),
        "the background child {pid} outlived the timeout"
    );
}

#[tokio::test]
async fn exec_that_fails_is_counted() {
    let mut n =
        notifier("[[alerts.actions]]\nexec = [\"sh\", \"-c\", \"echo no pager >&2; exit 3\"]\n");
    let stats = n.stats();
    send_all(
        &mut n,
        &[
            change(QueueRule::Waiting, "a", Level::Warn),
            change(QueueRule::LongestWait, "a", Level::Warn),
        ],
    );
    assert!(until(|| failures(&stats, Failure::ExecFailed) == 2).await);
    assert_eq!(stats.sent.load(Ordering::Relaxed), 0);
    let r = exec::run(
        &sh("echo no pager >&2; exit 3"),
        &message("x"),
        Duration::from_secs(5),
    )
    .await;
    assert_eq!(
        r.outcome,
        ExecOutcome::Failed("sh exited with exit status: 3".into())
    );
    assert_eq!(r.stderr, b"no pager\n");
}

#[tokio::test]
async fn exec_runs_one_at_a_time_per_rule() {
    let mut n = notifier("[[alerts.actions]]\nexec = [\"sleep\", \"30\"]\ntimeout = \"400ms\"\n");
    let stats = n.stats();
    let waiting = |s: &str| change(QueueRule::Waiting, s, Level::Warn);
    // The same rule twice at once: the second is skipped while the first runs.
    send_all(&mut n, &[waiting("a"), waiting("b")]);
    assert_eq!(failures(&stats, Failure::ExecBusy), 1);
    assert!(until(|| failures(&stats, Failure::ExecTimedOut) == 1).await);
    // Killed at its timeout, the rule is free again.
    send_all(&mut n, &[waiting("c")]);
    assert!(until(|| failures(&stats, Failure::ExecTimedOut) == 2).await);
    assert_eq!(failures(&stats, Failure::ExecBusy), 1);
}

#[tokio::test]
async fn exec_that_floods_stdout_neither_blocks_nor_grows_memory() {
    // 20 MB on stdout, far past any pipe buffer: read as it comes, kept
    // only to KEEP bytes, and the program runs to its end.
    let argv = sh("head -c 20000000 /dev/zero; echo done >&2");
    let r = exec::run(&argv, &message("support"), Duration::from_secs(20)).await;
    assert_eq!(r.outcome, ExecOutcome::Success);
    assert_eq!(r.stdout_bytes, 20_000_000);
    assert_eq!(r.stdout.len(), KEEP);
    assert_eq!(r.stderr, b"done\n");
}

/// The headless `queuetop export` runs the config's actions as the view
/// does: a replay's crossings reach a webhook on a real server.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn export_of_a_replay_posts_its_alerts_to_a_webhook() {
    let server = Server::start(vec![Answer::Status(200)]).await;
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let alerts = root.join("tests/resources/alerts");
    let rules = std::fs::read_to_string(alerts.join("05-active-at-end.toml")).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let cfg = dir.path().join("config.toml");
    std::fs::write(
        &cfg,
        format!(
            "timezone = \"UTC\"\n[[alerts.actions]]\nwebhook = \"{}\"\n{rules}",
            server.url
        ),
    )
    .unwrap();
    let child = std::process::Command::new(env!("CARGO_BIN_EXE_queuetop"))
        .env("XDG_CONFIG_HOME", env!("CARGO_MANIFEST_DIR"))
        .env_remove("HOME")
        .env("TZ", "UTC")
        .args(["export", "--replay"])
        .arg(alerts.join("05-active-at-end.jsonl"))
        .args([
            "--speed",
            "max",
            "--metrics-listen",
            "127.0.0.1:0",
            "--config",
        ])
        .arg(&cfg)
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .expect("start queuetop export");
    struct Killed(std::process::Child);
    impl Drop for Killed {
        fn drop(&mut self) {
            let _ = self.0.kill();
            let _ = self.0.wait();
        }
    }
    let _child = Killed(child);
    // The four crossings of 05-active-at-end.expected.json.
    let mut want = vec![
        ("waiting", "q", "warning"),
        ("waiting", "q", "critical"),
        ("wrap_up_s", "a1", "warning"),
        ("wrap_up_s", "a1", "critical"),
    ];
    let deadline = Instant::now() + Duration::from_secs(20);
    while server.count() < want.len() && Instant::now() < deadline {
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let mut got: Vec<(String, String, String)> = server
        .requests()
        .iter()
        .map(|r| {
            assert!(r.head.starts_with("POST /hook "), "{}", r.head);
            let v: serde_json::Value = serde_json::from_str(&r.body).expect("alert JSON");
            let s = |k: &str| v[k].as_str().unwrap_or_default().to_string();
            (s("rule"), s("subject"), s("level"))
        })
        .collect();
    got.sort();
    want.sort();
    let want: Vec<(String, String, String)> = want
        .into_iter()
        .map(|(a, b, c)| (a.into(), b.into(), c.into()))
        .collect();
    assert_eq!(got, want);
}
