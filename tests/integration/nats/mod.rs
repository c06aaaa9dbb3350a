//! The relay and NATS readers against a real nats-server (JetStream on,
//! started by each test on loopback ports): what a replay relays reads
//! back as the replay; a late reader has the day; a broker restart loses
//! and doubles nothing; a relay restart resyncs the readers.
//!
//! The fixture is tests/resources/sample-day.jsonl (ten minutes of a small
//! floor, 09:20 to 09:30, one bad line). Readers' figures are compared
//! with `snapshot --replay` of the same file: every block but `source`
//! and `feed`, which name the source and count the relay's own snapshot
//! events (and not the bad line, which the relay does not pass on).

pub mod broker;
mod metrics;
mod sites;

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::time::Duration;

use serde_json::Value;

use broker::Broker;

const DAY: &str = "tests/resources/sample-day.jsonl";

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(name)
}

/// The binary with a clean environment: no proxy, no user config, no NATS
/// credentials.
fn command(dir: &Path, args: &[&str]) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_queuetop"));
    cmd.args(args)
        .current_dir(dir)
        .env("XDG_CONFIG_HOME", dir)
        .env("HOME", dir);
    for v in [
        "HTTP_PROXY",
        "http_proxy",
        "HTTPS_PROXY",
        "https_proxy",
        "NO_PROXY",
        "no_proxy",
        "QUEUETOP_NATS_TOKEN",
        "QUEUETOP_NATS_USER",
        "QUEUETOP_NATS_PASSWORD",
    ] {
        cmd.env_remove(v);
    }
    cmd
}

fn run(dir: &Path, args: &[&str]) -> Output {
    command(dir, args).output().unwrap()
}

fn ok(out: Output) -> Output {
    assert!(
        out.status.success(),
        "exit {:?}\nstdout: {}\nstderr: {}",
        out.status.code(),
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

fn json(out: &Output) -> Value {
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "not JSON ({e}): {}\nstderr: {}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        )
    })
}

/// A child process killed on drop (a test that fails leaves none behind).
struct Running(Child);

impl Running {
    fn spawn(mut cmd: Command) -> Running {
        Running(
            cmd.stdout(Stdio::piped())
                .stderr(Stdio::piped())
                .spawn()
                .unwrap(),
        )
    }

    fn finish(mut self) -> Output {
        let child = std::mem::replace(&mut self.0, Command::new("true").spawn().unwrap());
        child.wait_with_output().unwrap()
    }
}

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Relays the fixture to `url` as site `site`; `speed` paces it.
fn relay(dir: &Path, url: &str, site: &str, file: &Path, speed: &str) -> Command {
    command(
        dir,
        &[
            "relay",
            "--replay",
            file.to_str().unwrap(),
            "--speed",
            speed,
            "--to",
            url,
            "--site",
            site,
        ],
    )
}

/// The figures of a `snapshot` of a NATS subject (it must succeed).
fn read(dir: &Path, url: &str, subject: &str, after: &str, window: &str) -> Value {
    json(&ok(reader(dir, url, subject, after, window)
        .output()
        .unwrap()))
}

/// `snapshot` of a NATS subject.
fn reader(dir: &Path, url: &str, subject: &str, after: &str, window: &str) -> Command {
    command(
        dir,
        &[
            "snapshot",
            "--url",
            url,
            "--subject",
            subject,
            "--after",
            after,
            "--window",
            window,
        ],
    )
}

fn replay_snapshot(dir: &Path, file: &Path, window: &str) -> Value {
    json(&ok(run(
        dir,
        &[
            "snapshot",
            "--replay",
            file.to_str().unwrap(),
            "--window",
            window,
        ],
    )))
}

/// Every block but the source's name and the feed's counts.
fn figures(v: &Value) -> Value {
    let mut v = v.clone();
    if let Some(o) = v.as_object_mut() {
        o.remove("source");
        o.remove("feed");
    }
    v
}

/// The day's counts and averages of the totals and each queue: what a
/// reader that ran along and one that came late must agree on (the live
/// timers, such as the longest wait, go on ticking for the one that ran
/// along).
fn today(v: &Value) -> Value {
    const KEYS: &[&str] = &[
        "entered",
        "answered",
        "abandoned",
        "asa_s",
        "service_level_pct",
        "abandon_rate_pct",
        "att_s",
        "avg_hold_s",
        "aht_s",
        "frt_s",
        "fcr_pct",
    ];
    let pick = |o: &Value| -> Value {
        KEYS.iter()
            .map(|k| (k.to_string(), o.get(*k).cloned().unwrap_or(Value::Null)))
            .collect::<serde_json::Map<_, _>>()
            .into()
    };
    let queues: Vec<Value> = v["queues"]
        .as_array()
        .map(|qs| {
            qs.iter()
                .map(|q| serde_json::json!([q["queue"], pick(q)]))
                .collect()
        })
        .unwrap_or_default();
    serde_json::json!({ "totals": pick(&v["totals"]), "queues": queues })
}

#[test]
fn a_relayed_replay_reads_back_as_the_replay_over_tcp_and_websocket() {
    let dir = tempfile::tempdir().unwrap();
    let broker = Broker::start(dir.path());
    let day = fixture(DAY);
    ok(relay(dir.path(), &broker.url(), "paris", &day, "max")
        .output()
        .unwrap());
    let a = read(
        dir.path(),
        &broker.url(),
        "queuetop.paris.events",
        "2s",
        "15m",
    );
    let b = read(
        dir.path(),
        &broker.ws_url(),
        "queuetop.*.events",
        "2s",
        "15m",
    );
    let expected = replay_snapshot(dir.path(), &day, "15m");
    // The wildcard reads every site: paris, the only one, named on each
    // queue and agent and in `sites` (docs/sites.md); the figures are the same.
    assert_eq!(b["sites"][0]["site"], "paris");
    assert_eq!(figures(&a), sites::unsited(&figures(&b)));
    assert_eq!(figures(&a), figures(&expected));
    // The fixture's figures are really there (7 entered in all).
    assert_eq!(a["totals"]["entered"], 7);
    // Nothing lost or doubled on the way: every relayed event applied once.
    assert_eq!(a["feed"]["duplicates"], 0);
    assert_eq!(a["feed"]["gaps"], 0);
    assert_eq!(a["feed"]["state"], "connected");
    // The same subject from the config file alone: `[feed]` url and subject.
    let config = dir.path().join("reader.toml");
    std::fs::write(
        &config,
        format!(
            "[feed]\nurl = \"{}\"\nsubject = \"queuetop.paris.events\"\n",
            broker.url()
        ),
    )
    .unwrap();
    let c = json(&ok(run(
        dir.path(),
        &[
            "snapshot",
            "--config",
            config.to_str().unwrap(),
            "--after",
            "2s",
        ],
    )));
    assert_eq!(figures(&c), figures(&a));
}

#[test]
fn a_reader_that_comes_late_has_the_day_of_one_that_ran_along() {
    let dir = tempfile::tempdir().unwrap();
    let broker = Broker::start(dir.path());
    let day = fixture(DAY);
    // The stream must store the subject for a reader to find it: a relay
    // run over an empty file creates it and publishes nothing.
    let empty = dir.path().join("empty.jsonl");
    std::fs::write(&empty, "").unwrap();
    ok(relay(dir.path(), &broker.url(), "paris", &empty, "max")
        .output()
        .unwrap());
    let along = Running::spawn(reader(
        dir.path(),
        &broker.url(),
        "queuetop.paris.events",
        "9s",
        "today",
    ));
    std::thread::sleep(Duration::from_millis(1500));
    // Ten minutes of floor in about four seconds, while the first reader follows.
    ok(relay(dir.path(), &broker.url(), "paris", &day, "150")
        .output()
        .unwrap());
    let late = read(
        dir.path(),
        &broker.url(),
        "queuetop.paris.events",
        "2s",
        "today",
    );
    let along = json(&ok(along.finish()));
    let expected = replay_snapshot(dir.path(), &day, "today");
    assert_eq!(today(&along), today(&expected));
    assert_eq!(today(&late), today(&expected));
    assert_eq!(figures(&late), figures(&expected));
    assert_eq!(along["feed"]["events"], late["feed"]["events"]);
}

#[test]
fn a_broker_restart_mid_stream_loses_and_doubles_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let mut broker = Broker::start(dir.path());
    let day = fixture(DAY);
    // The stream first, so the reader that runs along is connected
    // before the broker goes down.
    let empty = dir.path().join("empty.jsonl");
    std::fs::write(&empty, "").unwrap();
    ok(relay(dir.path(), &broker.url(), "paris", &empty, "max")
        .output()
        .unwrap());
    // Long enough for the relay's four seconds, the broker's two down and
    // its reconnect backoff on a busy CI host (14 s was not, once).
    let along = Running::spawn(reader(
        dir.path(),
        &broker.url(),
        "queuetop.paris.events",
        "25s",
        "today",
    ));
    std::thread::sleep(Duration::from_millis(1000));
    let relaying = Running::spawn(relay(dir.path(), &broker.url(), "paris", &day, "150"));
    // Down for two seconds in the middle of the relay's four.
    std::thread::sleep(Duration::from_millis(1500));
    broker.stop();
    std::thread::sleep(Duration::from_millis(2000));
    broker.restart();
    let relayed = ok(relaying.finish());
    let log = String::from_utf8_lossy(&relayed.stderr);
    // It saw the broker go, and went on on its own backoff.
    assert!(log.contains("next try in"), "{log}");
    // Time to read the day back from a broker just restarted, on a busy
    // host (2 s was not, once).
    let late = read(
        dir.path(),
        &broker.url(),
        "queuetop.paris.events",
        "5s",
        "today",
    );
    let along = json(&ok(along.finish()));
    let expected = replay_snapshot(dir.path(), &day, "today");
    assert_eq!(figures(&late), figures(&expected));
    assert_eq!(today(&along), today(&expected));
    for r in [&late, &along] {
        assert_eq!(r["feed"]["duplicates"], 0, "{r}");
        assert_eq!(r["feed"]["gaps"], 0, "{r}");
    }
    assert_eq!(along["feed"]["events"], late["feed"]["events"]);
    assert!(
        along["feed"]["reconnects"].as_u64().unwrap_or(0) >= 1,
        "{along}"
    );
}

/// A relay's first life, for the restart tests: the fixture's first 15
/// lines, written in `dir`.
fn first_life(dir: &Path) -> PathBuf {
    let day = std::fs::read_to_string(fixture(DAY)).unwrap();
    let lines: Vec<&str> = day.lines().collect();
    let first = dir.join("first.jsonl");
    std::fs::write(&first, lines[..15].join("\n")).unwrap();
    first
}

#[test]
fn a_restarted_relay_resyncs_the_readers_from_its_snapshot() {
    let dir = tempfile::tempdir().unwrap();
    let broker = Broker::start(dir.path());
    // The relay's first life: the morning's first half. Its second life
    // knows only a later floor: agent a1 back from lunch, one new caller.
    let first = first_life(dir.path());
    let second = dir.path().join("second.jsonl");
    std::fs::write(
        &second,
        concat!(
            r#"{"type":"agent.state","ts":"2026-11-23T09:40:00Z","agent_id":"a1","state":"available","name":"Dana Ruiz","queues":["billing"]}"#,
            "\n",
            r#"{"type":"contact.queued","ts":"2026-11-23T09:40:05Z","contact_id":"c99","queue":"billing"}"#,
            "\n"
        ),
    )
    .unwrap();
    let out = ok(relay(dir.path(), &broker.url(), "paris", &first, "max")
        .output()
        .unwrap());
    assert!(String::from_utf8_lossy(&out.stderr).contains("numbering from 1"));
    let out = ok(relay(dir.path(), &broker.url(), "paris", &second, "max")
        .output()
        .unwrap());
    // The second life goes on numbering where the first stopped.
    let log = String::from_utf8_lossy(&out.stderr);
    let from: u64 = log
        .split("numbering from ")
        .nth(1)
        .and_then(|rest| rest.split_whitespace().next())
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("{log}"));
    assert!(from > 15, "{log}");
    let r = read(
        dir.path(),
        &broker.url(),
        "queuetop.paris.events",
        "2s",
        "today",
    );
    // The live state is the restarted relay's: only a1, only c99 waiting.
    let second_only = replay_snapshot(dir.path(), &second, "today");
    // Live keys only: the agents' window figures (occupancy, handled) are
    // the whole day's, both lives, as they should be.
    let live = |v: &Value| -> Vec<Value> {
        v["agents"]
            .as_array()
            .expect("agents")
            .iter()
            .map(|a| {
                let keys = [
                    "agent_id",
                    "name",
                    "state",
                    "reason",
                    "state_for_s",
                    "queues",
                    "contacts",
                ];
                Value::Object(
                    keys.iter()
                        .map(|k| (k.to_string(), a[*k].clone()))
                        .collect(),
                )
            })
            .collect()
    };
    assert_eq!(live(&r), live(&second_only));
    assert_eq!(r["totals"]["waiting"], 1);
    assert_eq!(r["totals"]["waiting"], second_only["totals"]["waiting"]);
    // The day's history is both lives': c99 comes on top of the first's.
    let first_only = replay_snapshot(dir.path(), &first, "today");
    assert_eq!(
        r["totals"]["entered"].as_u64().unwrap(),
        first_only["totals"]["entered"].as_u64().unwrap() + 1
    );
    assert_eq!(r["feed"]["gaps"], 0);
    assert_eq!(r["feed"]["duplicates"], 0);
}

/// Bad command lines stop at once with status 2 and one line naming the
/// flag, before anything connects (no broker runs here: port 9 refuses).
#[test]
fn bad_relay_and_reader_command_lines_are_usage_errors() {
    let dir = tempfile::tempdir().unwrap();
    let day = fixture(DAY);
    let day = day.to_str().unwrap();
    let cases: &[(&[&str], &str)] = &[
        (
            &[
                "relay",
                "--replay",
                day,
                "--to",
                "nats://127.0.0.1:9",
                "--site",
                "a b",
            ],
            "--site",
        ),
        (
            &[
                "relay",
                "--replay",
                day,
                "--to",
                "nats://127.0.0.1:9",
                "--subject",
                "queuetop.*.events",
            ],
            "without wildcards",
        ),
        (
            &[
                "relay",
                "--replay",
                day,
                "--to",
                "nats://127.0.0.1:9",
                "--retention",
                "forever",
            ],
            "--retention",
        ),
        (
            &["relay", "--replay", day, "--to", "ws://127.0.0.1:9"],
            "--to",
        ),
        (
            &[
                "relay",
                "--replay",
                day,
                "--to",
                "nats://127.0.0.1:9",
                "--batch",
                "0",
            ],
            "--batch",
        ),
        (
            &[
                "relay",
                "--replay",
                day,
                "--to",
                "nats://127.0.0.1:9",
                "--linger",
                "2h",
            ],
            "--linger",
        ),
        (
            &[
                "relay",
                "--replay",
                day,
                "--to",
                "nats://relay:s3cret@127.0.0.1:9",
            ],
            "QUEUETOP_NATS_PASSWORD",
        ),
        (
            &[
                "relay",
                "--replay",
                day,
                "--to",
                "nats://127.0.0.1:9",
                "--nats-creds",
                "missing.creds",
            ],
            "--nats-creds",
        ),
        (
            &[
                "relay",
                "--url",
                "nats://127.0.0.1:9",
                "--subject",
                "x",
                "--to",
                "nats://127.0.0.1:9",
            ],
            "already a NATS stream",
        ),
        (&["snapshot", "--url", "nats://127.0.0.1:9"], "--subject"),
        (
            &[
                "snapshot",
                "--url",
                "nats://127.0.0.1:9",
                "--subject",
                "a..b",
            ],
            "--subject",
        ),
        (
            &[
                "snapshot",
                "--url",
                "nats://127.0.0.1:9",
                "--subject",
                "a",
                "--dialect",
                "twilio",
            ],
            "native",
        ),
    ];
    for (args, says) in cases {
        let o = run(dir.path(), args);
        let e = String::from_utf8_lossy(&o.stderr);
        assert_eq!(o.status.code(), Some(2), "{args:?}: {e}");
        assert!(e.contains(says), "{args:?}: {e}");
        assert_eq!(e.lines().count(), 1, "{args:?}: {e}");
        assert!(!e.contains("s3cret"), "{e}");
    }
}

/// Credentials come from the environment: a broker that requires a token
/// lets in a relay and a reader that have it in QUEUETOP_NATS_TOKEN, and a
/// reader without it is told the broker refused it.
#[test]
fn a_token_from_the_environment_logs_in() {
    let dir = tempfile::tempdir().unwrap();
    let broker = Broker::start_with(
        dir.path(),
        "authorization {\n  token: \"t0ken-for-test\"\n}\n",
    );
    let day = fixture(DAY);
    let mut relaying = relay(dir.path(), &broker.url(), "paris", &day, "max");
    relaying.env("QUEUETOP_NATS_TOKEN", "t0ken-for-test");
    ok(relaying.output().unwrap());
    let mut r = reader(
        dir.path(),
        &broker.url(),
        "queuetop.paris.events",
        "2s",
        "15m",
    );
    r.env("QUEUETOP_NATS_TOKEN", "t0ken-for-test");
    let got = json(&ok(r.output().unwrap()));
    assert_eq!(got["totals"]["entered"], 7);
    let refused = reader(
        dir.path(),
        &broker.url(),
        "queuetop.paris.events",
        "2s",
        "15m",
    )
    .output()
    .unwrap();
    assert_eq!(refused.status.code(), Some(1));
    let e = String::from_utf8_lossy(&refused.stderr);
    assert!(
        e.contains("credentials refused") || e.contains("uthoriz"),
        "{e}"
    );
    assert!(!e.contains("t0ken-for-test"), "{e}");
}

/// A private CA for a TLS broker: the CA's PEM, the broker's cert and key.
fn pki() -> (String, String, String) {
    use rcgen::{
        BasicConstraints, CertificateParams, CertifiedIssuer, DnType, IsCa, KeyPair,
        KeyUsagePurpose,
    };
    let mut ca = CertificateParams::new(Vec::<String>::new()).unwrap();
    ca.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    ca.distinguished_name
        .push(DnType::CommonName, "queuetop test CA");
    ca.key_usages = vec![KeyUsagePurpose::KeyCertSign, KeyUsagePurpose::CrlSign];
    let ca = CertifiedIssuer::self_signed(ca, KeyPair::generate().unwrap()).unwrap();
    let key = KeyPair::generate().unwrap();
    let leaf = CertificateParams::new(vec!["127.0.0.1".to_string(), "localhost".to_string()])
        .unwrap()
        .signed_by(&key, &ca)
        .unwrap();
    (ca.pem(), leaf.pem(), key.serialize_pem())
}

/// `tls://` and `nats+wss://` to a broker whose certificate comes from a
/// private CA, trusted through the config's `feed.ca_file`; without it the
/// reader cannot connect.
#[test]
fn tls_and_secure_websocket_with_a_private_ca() {
    let dir = tempfile::tempdir().unwrap();
    let (ca, cert, key) = pki();
    let d = dir.path();
    std::fs::write(d.join("ca.pem"), ca).unwrap();
    std::fs::write(d.join("cert.pem"), cert).unwrap();
    std::fs::write(d.join("key.pem"), key).unwrap();
    let files = format!(
        "cert_file: \"{}\"\n    key_file: \"{}\"",
        d.join("cert.pem").display(),
        d.join("key.pem").display()
    );
    let broker = Broker::start_tls(d, &files);
    std::fs::create_dir_all(d.join("queuetop")).unwrap();
    std::fs::write(
        d.join("queuetop/config.toml"),
        format!("[feed]\nca_file = \"{}\"\n", d.join("ca.pem").display()),
    )
    .unwrap();
    let tls = format!("tls://127.0.0.1:{}", broker.port);
    let wss = format!("nats+wss://127.0.0.1:{}", broker.ws_port);
    let day = fixture(DAY);
    ok(relay(d, &tls, "paris", &day, "max").output().unwrap());
    let a = read(d, &tls, "queuetop.paris.events", "2s", "15m");
    let b = read(d, &wss, "queuetop.paris.events", "2s", "15m");
    let expected = replay_snapshot(d, &day, "15m");
    assert_eq!(figures(&a), figures(&expected));
    assert_eq!(figures(&b), figures(&expected));
    // Without the CA the broker's certificate is not trusted.
    std::fs::write(d.join("queuetop/config.toml"), "").unwrap();
    let refused = reader(d, &tls, "queuetop.paris.events", "2s", "15m")
        .output()
        .unwrap();
    let e = String::from_utf8_lossy(&refused.stderr);
    assert_eq!(refused.status.code(), Some(1), "{e}");
    assert!(e.contains("no connection to tls://127.0.0.1"), "{e}");
    assert!(e.contains("certificate"), "{e}");
}

/// `--snapshot-every` publishes the live floor on that beat, between the
/// events: a reader applies each one, and since each repeats the state the
/// events built, no figure moves.
#[test]
fn periodic_snapshots_are_published_and_change_no_figure() {
    let dir = tempfile::tempdir().unwrap();
    let broker = Broker::start(dir.path());
    let day = fixture(DAY);
    let mut relaying = relay(dir.path(), &broker.url(), "paris", &day, "150");
    relaying.args(["--snapshot-every", "500ms"]);
    ok(relaying.output().unwrap());
    let r = read(
        dir.path(),
        &broker.url(),
        "queuetop.paris.events",
        "2s",
        "today",
    );
    let expected = replay_snapshot(dir.path(), &day, "today");
    assert_eq!(figures(&r), figures(&expected));
    // 29 events, the first and last snapshots, and some on the beat in the
    // four seconds of the relay's run.
    let events = r["feed"]["events"].as_u64().unwrap();
    let replayed = expected["feed"]["events"].as_u64().unwrap();
    assert!(events >= replayed + 2 + 4, "{events} events for {replayed}");
    assert_eq!(r["feed"]["gaps"], 0);
}

/// The relay sends the events that are ready several to a broker message
/// (`--batch`): the stream holds fewer messages, a reader catching up pays
/// the per-message cost once for many, and the figures are the same.
#[test]
fn several_events_travel_in_one_message_and_read_back_the_same() {
    let dir = tempfile::tempdir().unwrap();
    let broker = Broker::start(dir.path());
    let day = fixture(DAY);
    for (site, batch) in [("one", "1"), ("five", "5")] {
        ok(relay(dir.path(), &broker.url(), site, &day, "max")
            .args(["--batch", batch])
            .output()
            .unwrap());
    }
    // How many messages a reader found stored, from its log.
    let read = |site: &str| -> (Value, u64) {
        let log = dir.path().join(format!("{site}.log"));
        let v = json(&ok(reader(
            dir.path(),
            &broker.url(),
            &format!("queuetop.{site}.events"),
            "2s",
            "today",
        )
        .args(["--log", log.to_str().unwrap()])
        .output()
        .unwrap()));
        let text = std::fs::read_to_string(&log).unwrap();
        let stored = text
            .split(" frames of history)")
            .next()
            .and_then(|head| head.rsplit('(').next())
            .and_then(|n| n.parse().ok())
            .unwrap_or_else(|| panic!("no history count in {text}"));
        (v, stored)
    };
    let (one, singles) = read("one");
    let (five, batched) = read("five");
    // One event a message: every event, the relay's two snapshots (at the
    // first event and at the end) among them. Five a message: a fifth of
    // that, rounded up per run of frames that were ready together.
    let events = one["feed"]["events"].as_u64().unwrap();
    assert_eq!(singles, events, "one a message");
    assert!(
        batched < singles && batched >= singles.div_ceil(5),
        "{batched} messages for {singles} frames"
    );
    let expected = replay_snapshot(dir.path(), &day, "today");
    assert_eq!(figures(&one), figures(&expected));
    assert_eq!(figures(&five), figures(&expected));
    for v in [&one, &five] {
        assert_eq!(v["feed"]["duplicates"], 0);
        assert_eq!(v["feed"]["gaps"], 0);
        assert_eq!(v["feed"]["events"], one["feed"]["events"]);
    }
}

/// Publishes `payload` on `subject` over NATS's own text protocol, as an
/// operator's test or a foreign publisher would (no JetStream headers).
fn publish_raw(url: &str, subject: &str, payload: &str) {
    use std::io::{BufRead, BufReader, Write};
    let addr = url.trim_start_matches("nats://");
    let mut tcp = std::net::TcpStream::connect(addr).unwrap();
    tcp.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    let mut lines = BufReader::new(tcp.try_clone().unwrap());
    let mut info = String::new();
    lines.read_line(&mut info).unwrap();
    assert!(info.starts_with("INFO"), "{info}");
    write!(
        tcp,
        "CONNECT {{\"verbose\":false}}\r\nPUB {subject} {}\r\n{payload}\r\nPING\r\n",
        payload.len()
    )
    .unwrap();
    let mut pong = String::new();
    lines.read_line(&mut pong).unwrap();
    assert!(pong.starts_with("PONG"), "{pong}");
}

#[test]
fn a_restarted_relay_numbers_on_past_a_foreign_message() {
    let dir = tempfile::tempdir().unwrap();
    let broker = Broker::start(dir.path());
    let first = first_life(dir.path());
    ok(relay(dir.path(), &broker.url(), "paris", &first, "max")
        .output()
        .unwrap());
    // Someone else's message is the subject's last.
    publish_raw(&broker.url(), "queuetop.paris.events", "garbage");
    // Within the broker's duplicate window, a second life with a new
    // caller: numbered from 1 again, its messages would have the first
    // life's ids and be dropped as duplicates.
    let second = dir.path().join("second.jsonl");
    std::fs::write(
        &second,
        concat!(
            r#"{"type":"contact.queued","ts":"2026-11-23T09:40:05Z","contact_id":"c99","queue":"billing"}"#,
            "\n"
        ),
    )
    .unwrap();
    let out = ok(relay(dir.path(), &broker.url(), "paris", &second, "max")
        .output()
        .unwrap());
    let log = String::from_utf8_lossy(&out.stderr);
    assert!(!log.contains("numbering from 1\n"), "{log}");
    assert!(!log.contains("duplicates"), "{log}");
    let r = read(
        dir.path(),
        &broker.url(),
        "queuetop.paris.events",
        "2s",
        "today",
    );
    // The second life's caller reached the reader: the interval from
    // 09:30 has it alone, waiting.
    assert_eq!(r["now"], "2026-11-23T09:40:05Z", "{r}");
    assert_eq!(r["interval"]["totals"]["entered"], 1, "{r}");
    assert_eq!(r["interval"]["totals"]["waiting"], 1, "{r}");
}
