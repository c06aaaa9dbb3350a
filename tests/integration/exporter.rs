//! `queuetop export`, end to end: the real binary serves a replay's
//! figures; they agree with `queuetop snapshot` of the same replay, pass
//! `promtool check metrics`, and read back the same through a real
//! Prometheus that scrapes the exporter on loopback.
//!
//! Prometheus and promtool come from the Debian package `prometheus`
//! (.ci/run installs it). Without them these tests fail, unless
//! QUEUETOP_SKIP_PROMETHEUS=1 is set for a local run, which skips only the
//! parts that need them (and says so on stderr).

use std::collections::HashMap;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::Value;

const SAMPLE: &str = "sample-day.jsonl";

fn bin() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_queuetop"));
    c.env("XDG_CONFIG_HOME", env!("CARGO_MANIFEST_DIR"))
        .env_remove("HOME")
        .env("TZ", "UTC");
    c
}

fn resource(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/resources")
        .join(name)
}

/// A child process killed when the test ends, however it ends.
struct Killed(Child);

impl Drop for Killed {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Whether Prometheus's tools are to be skipped (a local run without them).
pub(crate) fn skip_prometheus(what: &str) -> bool {
    let found = Command::new(what)
        .arg("--version")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    if found {
        return false;
    }
    if std::env::var("QUEUETOP_SKIP_PROMETHEUS").as_deref() == Ok("1") {
        eprintln!("SKIPPED: `{what}` not found and QUEUETOP_SKIP_PROMETHEUS=1");
        return true;
    }
    panic!(
        "`{what}` not found: install the Debian package `prometheus` (apt-get install -y prometheus), \
         or set QUEUETOP_SKIP_PROMETHEUS=1 to skip this part locally"
    );
}

/// Starts `queuetop export` on the sample replay at full speed, on a port
/// the system picks; returns it and the address it printed on stderr.
fn start_export(extra: &[&str]) -> (Killed, SocketAddr) {
    start_export_of(&resource(SAMPLE), extra)
}

/// [`start_export`] on any replay.
fn start_export_of(replay: &Path, extra: &[&str]) -> (Killed, SocketAddr) {
    start_export_with(bin(), replay, extra)
}

/// [`start_export_of`], run by `cmd` (the binary, or something that runs it).
fn start_export_with(mut cmd: Command, replay: &Path, extra: &[&str]) -> (Killed, SocketAddr) {
    let mut child = cmd
        .args(["export", "--replay"])
        .arg(replay)
        .args(["--speed", "max", "--metrics-listen", "127.0.0.1:0"])
        .args(extra)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start queuetop export");
    let mut stderr = BufReader::new(child.stderr.take().unwrap());
    let mut line = String::new();
    stderr.read_line(&mut line).expect("read stderr");
    let child = Killed(child);
    let addr = line
        .trim()
        .strip_prefix("queuetop: serving metrics on http://")
        .and_then(|rest| rest.strip_suffix("/metrics"))
        .unwrap_or_else(|| panic!("no address on stderr: {line:?}"));
    // Keep draining stderr so the exporter never blocks on a full pipe.
    std::thread::spawn(move || std::io::copy(&mut stderr, &mut std::io::sink()));
    (child, addr.parse().expect("an address"))
}

/// `GET path` over HTTP/1.0 (no chunked bodies to undo; the server under
/// test, so no client crate hides what it sends): the status line's code, the headers, the body.
pub(crate) fn get(addr: SocketAddr, path: &str, accept: &str) -> (u16, String, String) {
    try_get(addr, path, accept).expect("connect")
}

fn try_get(addr: SocketAddr, path: &str, accept: &str) -> std::io::Result<(u16, String, String)> {
    let mut s = TcpStream::connect(addr)?;
    s.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    write!(
        s,
        "GET {path} HTTP/1.0\r\nHost: {addr}\r\nAccept: {accept}\r\nConnection: close\r\n\r\n"
    )?;
    let mut raw = String::new();
    s.read_to_string(&mut raw)?;
    let (head, body) = raw.split_once("\r\n\r\n").expect("an HTTP answer");
    let code = head
        .split(' ')
        .nth(1)
        .and_then(|c| c.parse().ok())
        .unwrap_or(0);
    Ok((code, head.to_string(), body.to_string()))
}

/// Samples by `name{labels}` as written (labels in the exporter's order).
pub(crate) fn samples(text: &str) -> HashMap<String, f64> {
    text.lines()
        .filter(|l| !l.starts_with('#') && !l.is_empty())
        .filter_map(|l| {
            let (k, v) = l.rsplit_once(' ')?;
            Some((k.to_string(), v.parse().ok()?))
        })
        .collect()
}

/// The metrics once the replay has ended (its figures no longer move).
fn ended_metrics(addr: SocketAddr, accept: &str) -> String {
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let (code, _, body) = get(addr, "/metrics", accept);
        assert_eq!(code, 200, "{body}");
        if body.contains("queuetop_feed_state{site=\"\",state=\"ended\"} 1") {
            return body;
        }
        assert!(Instant::now() < deadline, "the replay never ended:\n{body}");
        std::thread::sleep(Duration::from_millis(50));
    }
}

fn snapshot_json() -> Value {
    let out = bin()
        .args(["snapshot", "--replay"])
        .arg(resource(SAMPLE))
        .args(["--speed", "max"])
        .output()
        .expect("run queuetop snapshot");
    assert!(out.status.success());
    serde_json::from_slice(&out.stdout).expect("JSON")
}

fn close(a: f64, b: f64, what: &str) {
    assert!((a - b).abs() < 1e-3, "{what}: exporter {a}, snapshot {b}");
}

/// Compares every queue's and the floor's exported figures with the JSON.
fn compare(m: &HashMap<String, f64>, snap: &Value) {
    let mut scopes: Vec<(String, &Value)> = vec![("queuetop_floor".into(), &snap["totals"])];
    let queues = snap["queues"].as_array().unwrap();
    assert!(queues.len() >= 2, "the sample has several queues");
    for q in queues {
        scopes.push((
            format!("queuetop_queue|{}", q["queue"].as_str().unwrap()),
            q,
        ));
    }
    for (scope, j) in scopes {
        let (prefix, labels) = match scope.split_once('|') {
            Some((p, q)) => (p.to_string(), format!("queue=\"{q}\",site=\"\"")),
            None => (scope.clone(), "site=\"\"".to_string()),
        };
        let key = |name: &str| format!("{prefix}_{name}{{{labels}}}");
        let pairs: [(&str, &str, f64); 12] = [
            ("waiting", "waiting", 1.0),
            ("longest_wait_seconds", "longest_wait_s", 1.0),
            ("entered", "entered", 1.0),
            ("answered", "answered", 1.0),
            ("abandoned", "abandoned", 1.0),
            ("asa_seconds", "asa_s", 1.0),
            ("service_level_ratio", "service_level_pct", 100.0),
            ("abandon_ratio", "abandon_rate_pct", 100.0),
            ("att_seconds", "att_s", 1.0),
            ("avg_hold_seconds", "avg_hold_s", 1.0),
            ("aht_seconds", "aht_s", 1.0),
            ("fcr_ratio", "fcr_pct", 100.0),
        ];
        for (name, json, scale) in pairs {
            match j[json].as_f64() {
                // Percentages are rounded to 0.1 in the JSON.
                Some(v) if scale > 1.0 => {
                    let got = m[&key(name)];
                    assert!(
                        (got * scale - v).abs() <= 0.05 + 1e-9,
                        "{}: {got} vs {v}%",
                        key(name)
                    );
                }
                Some(v) => close(m[&key(name)], v, &key(name)),
                None => assert!(
                    !m.contains_key(&key(name)),
                    "{} is null in the JSON",
                    key(name)
                ),
            }
        }
        let frt = &j["frt_s"];
        close(
            m[&key("first_responses")],
            frt["count"].as_f64().unwrap(),
            "frt count",
        );
        for (name, json) in [("frt_avg_seconds", "avg"), ("frt_p90_seconds", "p90")] {
            match frt[json].as_f64() {
                Some(v) => close(m[&key(name)], v, &key(name)),
                None => assert!(!m.contains_key(&key(name))),
            }
        }
        for (state, n) in j["agents"].as_object().unwrap() {
            let k = format!("{prefix}_agents{{{labels},state=\"{state}\"}}");
            close(m[&k], n.as_f64().unwrap(), &k);
        }
    }
    let feed = &snap["feed"];
    for name in [
        "events",
        "rejected",
        "unknown",
        "duplicates",
        "gaps",
        "priority_ignored",
        "reconnects",
    ] {
        let k = format!("queuetop_feed_{name}_total{{site=\"\"}}");
        close(m[&k], feed[name].as_f64().unwrap(), &k);
    }
    close(
        m["queuetop_feed_last_event_age_seconds{site=\"\"}"],
        feed["last_event_age_s"].as_f64().unwrap(),
        "last event age",
    );
    // A replay at its end: the link is down, the state says why.
    assert_eq!(m["queuetop_feed_connected{site=\"\"}"], 0.0);
    assert_eq!(
        m["queuetop_window_seconds{site=\"\"}"],
        snap["window_s"].as_f64().unwrap()
    );
}

#[test]
fn export_serves_the_figures_of_the_snapshot_and_stops_on_sigterm() {
    let (mut export, addr) = start_export(&[]);
    let om = ended_metrics(addr, "application/openmetrics-text; version=1.0.0");
    assert!(
        om.trim_end().ends_with("# EOF"),
        "OpenMetrics ends with # EOF"
    );
    assert!(om.contains("# TYPE queuetop_feed_events counter"));
    let (_, head, text) = get(addr, "/metrics", "*/*");
    assert!(head.contains("text/plain; version=0.0.4"), "{head}");
    assert!(text.contains("# TYPE queuetop_feed_events_total counter"));
    assert!(!text.contains("# EOF") && !text.contains("# UNIT"));
    let snap = snapshot_json();
    // Both formats carry the same samples, and they are the snapshot's.
    assert_eq!(samples(&om), samples(&text));
    compare(&samples(&text), &snap);
    // No alert engine on the monitor yet: no alert series (an empty
    // family is not written at all).
    assert!(!text.contains("queuetop_alert_active"));
    // Off by default: no per-agent series.
    assert!(!text.contains("queuetop_agent_"));
    // Still served after the replay's end, until a signal ends it cleanly.
    std::thread::sleep(Duration::from_millis(300));
    assert_eq!(samples(&get(addr, "/metrics", "*/*").2), samples(&text));
    let pid = export.0.id().to_string();
    assert!(
        Command::new("kill")
            .args(["-TERM", &pid])
            .status()
            .unwrap()
            .success()
    );
    let deadline = Instant::now() + Duration::from_secs(10);
    let status = loop {
        if let Some(s) = export.0.try_wait().unwrap() {
            break s;
        }
        assert!(Instant::now() < deadline, "export did not stop on SIGTERM");
        std::thread::sleep(Duration::from_millis(20));
    };
    assert!(status.success(), "{status}");
}

#[test]
fn per_agent_series_only_when_asked_for() {
    let (_export, addr) = start_export(&["--metrics-agents"]);
    let text = ended_metrics(addr, "*/*");
    let snap = snapshot_json();
    let m = samples(&text);
    for a in snap["agents"].as_array().unwrap() {
        let id = a["agent_id"].as_str().unwrap();
        let k = format!(
            "queuetop_agent_state_seconds{{agent=\"{id}\",site=\"\",state=\"{}\"}}",
            a["state"].as_str().unwrap()
        );
        close(m[&k], a["state_for_s"].as_f64().unwrap(), &k);
        let k = format!("queuetop_agent_handled{{agent=\"{id}\",site=\"\"}}");
        close(m[&k], a["handled"].as_f64().unwrap(), &k);
    }
}

#[test]
fn promtool_accepts_the_output() {
    if skip_prometheus("promtool") {
        return;
    }
    let (_export, addr) = start_export(&["--metrics-agents"]);
    let text = ended_metrics(addr, "*/*");
    let mut promtool = Command::new("promtool")
        .args(["check", "metrics"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start promtool");
    promtool
        .stdin
        .take()
        .unwrap()
        .write_all(text.as_bytes())
        .unwrap();
    let out = promtool.wait_with_output().unwrap();
    let said = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        out.status.success() && said.trim().is_empty(),
        "promtool: {said}\n{text}"
    );
}

/// A free loopback port: bound, read and released (Prometheus takes no
/// port 0).
fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// The value of an instant query's single series, once Prometheus has one.
fn query(prom: SocketAddr, promql: &str, deadline: Instant) -> f64 {
    let path = format!("/api/v1/query?query={}", encode(promql));
    loop {
        // Refused until Prometheus has started listening.
        let (code, _, body) = try_get(prom, &path, "application/json").unwrap_or_default();
        if code == 200 {
            let v: Value = serde_json::from_str(&body).expect("JSON from Prometheus");
            assert_eq!(v["status"], "success", "{body}");
            if let Some(r) = v["data"]["result"].as_array().and_then(|r| r.first()) {
                return r["value"][1].as_str().unwrap().parse().unwrap();
            }
        }
        assert!(
            Instant::now() < deadline,
            "Prometheus never had {promql}: {body}"
        );
        std::thread::sleep(Duration::from_millis(200));
    }
}

/// Percent-encodes a query for the URL.
fn encode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'_' | b'-' | b'.' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// A real Prometheus on a free loopback port, scraping `target` every
/// second; killed (and its data removed) when dropped.
struct Prometheus {
    addr: SocketAddr,
    _child: Killed,
    _dir: tempfile::TempDir,
}

fn start_prometheus(target: SocketAddr) -> Prometheus {
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("prometheus.yml");
    std::fs::write(
        &config,
        format!(
            "global:\n  scrape_interval: 1s\n  scrape_timeout: 1s\nscrape_configs:\n  - job_name: queuetop\n    static_configs:\n      - targets: ['{target}']\n"
        ),
    )
    .unwrap();
    let port = free_port();
    let prom_addr: SocketAddr = format!("127.0.0.1:{port}").parse().unwrap();
    let child = Killed(
        Command::new("prometheus")
            .arg(format!("--config.file={}", config.display()))
            .arg(format!(
                "--storage.tsdb.path={}",
                dir.path().join("data").display()
            ))
            .arg(format!("--web.listen-address={prom_addr}"))
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(std::fs::File::create(dir.path().join("prometheus.log")).unwrap())
            .spawn()
            .expect("start prometheus"),
    );
    Prometheus {
        addr: prom_addr,
        _child: child,
        _dir: dir,
    }
}

#[test]
fn a_real_prometheus_scrapes_the_same_figures() {
    if skip_prometheus("prometheus") {
        return;
    }
    let (_export, addr) = start_export(&[]);
    ended_metrics(addr, "*/*");
    let prom = start_prometheus(addr);
    let prom_addr = prom.addr;
    let deadline = Instant::now() + Duration::from_secs(60);
    let snap = snapshot_json();
    let billing = snap["queues"]
        .as_array()
        .unwrap()
        .iter()
        .find(|q| q["queue"] == "billing")
        .expect("a billing queue in the sample");
    let got = query(
        prom_addr,
        "queuetop_queue_waiting{queue=\"billing\"}",
        deadline,
    );
    close(got, billing["waiting"].as_f64().unwrap(), "billing waiting");
    let got = query(
        prom_addr,
        "queuetop_queue_longest_wait_seconds{queue=\"billing\"}",
        deadline,
    );
    close(
        got,
        billing["longest_wait_s"].as_f64().unwrap(),
        "billing longest wait",
    );
    // A counter, as OpenMetrics names it, and the exporter is up.
    let got = query(prom_addr, "queuetop_feed_events_total", deadline);
    close(got, snap["feed"]["events"].as_f64().unwrap(), "events");
    assert_eq!(query(prom_addr, "up{job=\"queuetop\"}", deadline), 1.0);
}

#[test]
fn a_missing_or_taken_address_is_a_usage_error() {
    let out = bin().args(["export", "--demo"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("--metrics-listen"), "{err}");
    assert_eq!(err.lines().count(), 1, "{err}");
    let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = taken.local_addr().unwrap().to_string();
    let out = bin()
        .args(["export", "--demo", "--metrics-listen", &addr])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains(&format!("--metrics-listen {addr}")), "{err}");
}

#[test]
fn a_bad_action_is_refused_before_anything_is_served() {
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("config.toml");
    std::fs::write(
        &config,
        "[[alerts.actions]]\nexec = [\"true\"]\nwebhook = \"http://127.0.0.1:9/\"\n",
    )
    .unwrap();
    // The exporter, and the relay's own metrics (its broker is never
    // reached: the config is refused first).
    for command in [
        &["export"][..],
        &["relay", "--to", "nats://127.0.0.1:9"][..],
    ] {
        let out = bin()
            .args(command)
            .args(["--metrics-listen", "127.0.0.1:0", "--replay"])
            .arg(resource(SAMPLE))
            .arg("--config")
            .arg(&config)
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2), "{command:?}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains("alerts.actions[0]"), "{command:?}: {err}");
        // Not announced as serving, then refused: one line, the error.
        assert!(!err.contains("serving metrics"), "{command:?}: {err}");
        assert_eq!(err.lines().count(), 1, "{command:?}: {err}");
    }
}

#[test]
fn the_alerts_firing_are_served() {
    // The alert scenario whose file ends with two alerts firing (see
    // tests/resources/alerts/05-active-at-end.expected.json).
    let dir = tempfile::tempdir().unwrap();
    let alerts = resource("alerts/05-active-at-end.toml");
    let rules = std::fs::read_to_string(&alerts).unwrap();
    let cfg = dir.path().join("config.toml");
    std::fs::write(&cfg, format!("timezone = \"UTC\"\n{rules}")).unwrap();
    let cfg = cfg.to_str().expect("a UTF-8 path");
    let (_child, addr) = start_export_of(
        &resource("alerts/05-active-at-end.jsonl"),
        &["--config", cfg],
    );
    let text = ended_metrics(addr, "text/plain");
    let m = samples(&text);
    let active = |rule: &str, subject: &str| {
        m.iter()
            .filter(|(k, _)| {
                k.starts_with("queuetop_alert_active{")
                    && k.contains(&format!("rule=\"{rule}\""))
                    && k.contains(&format!("subject=\"{subject}\""))
                    && k.contains("level=\"critical\"")
            })
            .map(|(_, v)| *v)
            .collect::<Vec<_>>()
    };
    assert_eq!(active("waiting", "q"), [1.0], "{text}");
    assert_eq!(active("wrap_up_s", "a1"), [1.0], "{text}");
}

/// Queue ids that would end a label value early or escape its closing
/// quote if written raw, each with a different number of contacts waiting.
const HOSTILE_IDS: [(&str, usize); 3] = [
    ("x\",site=\"spoofed\",injected=\"1", 1),
    ("q\\back", 2),
    ("q\\", 3),
];

/// A replay in which each of [`HOSTILE_IDS`] has its contacts waiting.
fn hostile_replay(dir: &Path) -> PathBuf {
    let mut lines = Vec::new();
    let mut n = 0;
    for (id, waiting) in HOSTILE_IDS {
        for _ in 0..waiting {
            n += 1;
            lines.push(serde_json::json!({
                "type": "contact.queued",
                "ts": "2026-11-23T09:21:00Z",
                "contact_id": format!("c{n}"),
                "queue": id,
                "channel": "voice",
            }));
        }
    }
    let text: String = lines.iter().map(|l| format!("{l}\n")).collect();
    let path = dir.join("hostile-ids.jsonl");
    std::fs::write(&path, text).unwrap();
    path
}

#[test]
fn hostile_ids_stay_one_label_value_each() {
    let dir = tempfile::tempdir().unwrap();
    let (_export, addr) = start_export_of(&hostile_replay(dir.path()), &[]);
    for accept in ["text/plain", "application/openmetrics-text"] {
        let text = ended_metrics(addr, accept);
        assert!(
            text.contains(
                r#"queuetop_queue_waiting{queue="x\",site=\"spoofed\",injected=\"1",site=""} 1"#
            ),
            "{accept}:\n{text}"
        );
        assert!(
            text.contains(r#"queuetop_queue_waiting{queue="q\\back",site=""} 2"#),
            "{accept}:\n{text}"
        );
        assert!(
            text.contains(r#"queuetop_queue_waiting{queue="q\\",site=""} 3"#),
            "{accept}:\n{text}"
        );
    }
    if skip_prometheus("prometheus") {
        return;
    }
    // Prometheus reads each id back whole, and nothing else.
    let prom = start_prometheus(addr);
    let deadline = Instant::now() + Duration::from_secs(60);
    for (id, waiting) in HOSTILE_IDS {
        let id = id.replace('\\', "\\\\").replace('"', "\\\"");
        let got = query(
            prom.addr,
            &format!("queuetop_queue_waiting{{queue=\"{id}\"}}"),
            deadline,
        );
        assert_eq!(got, waiting as f64, "{id}");
    }
    let got = query(prom.addr, "count(queuetop_queue_waiting)", deadline);
    assert_eq!(got, HOSTILE_IDS.len() as f64);
    assert_eq!(query(prom.addr, "up{job=\"queuetop\"}", deadline), 1.0);
}

/// Ids that differ only in what a label never shows (a control character,
/// a zero width space) read the same once shown: each label set is still
/// written once per family (twice is invalid in both exposition formats,
/// and Prometheus keeps one of them at random), with the figures of the id
/// sent as it is shown, not of a look-alike.
#[test]
fn look_alike_ids_are_one_series_each() {
    let dir = tempfile::tempdir().unwrap();
    let lines = [
        r#"{"type":"agent.state","ts":"2026-11-23T09:20:00Z","agent_id":"a1","state":"available"}"#,
        r#"{"type":"agent.state","ts":"2026-11-23T09:20:00Z","agent_id":"a\u00011","state":"away"}"#,
        r#"{"type":"agent.state","ts":"2026-11-23T09:20:00Z","agent_id":"a\u200b1","state":"busy"}"#,
        r#"{"type":"contact.queued","ts":"2026-11-23T09:21:00Z","contact_id":"c1","queue":"qa"}"#,
        r#"{"type":"contact.queued","ts":"2026-11-23T09:21:00Z","contact_id":"c2","queue":"q\u0001a"}"#,
        r#"{"type":"contact.queued","ts":"2026-11-23T09:21:00Z","contact_id":"c3","queue":"q\u0001a"}"#,
    ];
    let path = dir.path().join("look-alikes.jsonl");
    std::fs::write(&path, lines.map(|l| format!("{l}\n")).concat()).unwrap();
    let (_export, addr) = start_export_of(&path, &["--metrics-agents"]);
    for accept in ["text/plain", "application/openmetrics-text"] {
        let text = ended_metrics(addr, accept);
        let series = |prefix: &str| {
            text.lines()
                .filter(|l| l.starts_with(prefix))
                .filter_map(|l| l.rsplit_once(' '))
                .map(|(k, v)| (k, v.parse::<f64>().unwrap()))
                .collect::<Vec<_>>()
        };
        assert_eq!(
            series("queuetop_queue_waiting{"),
            [(r#"queuetop_queue_waiting{queue="qa",site=""}"#, 1.0)],
            "{accept}:\n{text}"
        );
        assert_eq!(
            series("queuetop_queue_agents{").len(),
            DISPLAY_STATES,
            "{accept}:\n{text}"
        );
        let state = series("queuetop_agent_state_seconds{");
        assert_eq!(
            state.iter().map(|(k, _)| *k).collect::<Vec<_>>(),
            [r#"queuetop_agent_state_seconds{agent="a1",site="",state="available"}"#],
            "{accept}:\n{text}"
        );
        assert_eq!(
            series("queuetop_agent_handled{").len(),
            1,
            "{accept}:\n{text}"
        );
    }
}

/// Clients holding more connections than the exporter has file
/// descriptors: it cannot accept for a while, says so once in the log (not
/// on every retry), and serves again once they are gone.
#[test]
fn running_out_of_file_descriptors_is_logged_once() {
    let dir = tempfile::tempdir().unwrap();
    let log = dir.path().join("export.log");
    // The binary under a limit of 64 open files.
    let mut limited = Command::new("sh");
    limited
        .args(["-c", "ulimit -n 64 && exec \"$0\" \"$@\""])
        .arg(env!("CARGO_BIN_EXE_queuetop"))
        .env("XDG_CONFIG_HOME", env!("CARGO_MANIFEST_DIR"))
        .env_remove("HOME")
        .env("TZ", "UTC");
    let log_arg = log.to_str().unwrap();
    let (_export, addr) = start_export_with(limited, &resource(SAMPLE), &["--log", log_arg]);
    ended_metrics(addr, "*/*");
    let held: Vec<TcpStream> = (0..100)
        .map(|_| TcpStream::connect(addr).unwrap())
        .collect();
    // Retried every tenth of a second meanwhile.
    std::thread::sleep(Duration::from_secs(3));
    drop(held);
    assert!(ended_metrics(addr, "text/plain").contains("queuetop_queue_waiting"));
    let text = std::fs::read_to_string(&log).unwrap();
    let lines = text.lines().filter(|l| l.contains("cannot accept")).count();
    assert_eq!(lines, 1, "{text}");
}

/// The display states an agent count is given for.
const DISPLAY_STATES: usize = 6;

/// A client that connects and says nothing is cut off (after the
/// exporter's 10 s for a request's headers), and scrapes go on meanwhile.
#[test]
fn a_silent_connection_is_closed_and_stalls_nobody() {
    let (_export, addr) = start_export(&[]);
    ended_metrics(addr, "*/*");
    let mut silent = TcpStream::connect(addr).unwrap();
    silent
        .set_read_timeout(Some(Duration::from_secs(30)))
        .unwrap();
    let opened = Instant::now();
    // A scrape while it hangs there.
    assert!(ended_metrics(addr, "text/plain").contains("queuetop_queue_waiting"));
    let mut byte = [0u8; 1];
    let n = silent.read(&mut byte).unwrap_or(0);
    let after = opened.elapsed();
    assert_eq!(n, 0, "closed without a word");
    assert!(
        (Duration::from_secs(8)..Duration::from_secs(25)).contains(&after),
        "closed after {after:?}"
    );
}
