//! `queuetop relay --metrics-listen`: after relaying the sample day to a
//! real nats-server, the relay's /metrics says it published exactly the
//! frames a reader of the stream applied, with nothing buffered, dropped
//! or failed; `promtool check metrics` accepts the output; SIGTERM ends it.

use std::io::{BufRead, BufReader, Write};
use std::net::SocketAddr;
use std::process::{Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use super::broker::Broker;
use super::{DAY, Running, fixture, read, relay};
use crate::exporter::{get, samples, skip_prometheus};

const SERVING: &str = "queuetop: serving metrics on http://";
const ENDED: &str = "the replay ended; metrics still served";

/// Waits for a stderr line containing `what`, for at most 30 s.
fn wait_for(lines: &mpsc::Receiver<String>, what: &str) -> String {
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let left = deadline.saturating_duration_since(Instant::now());
        match lines.recv_timeout(left) {
            Ok(l) if l.contains(what) => return l,
            Ok(_) => {}
            Err(e) => panic!("no `{what}` on the relay's stderr: {e}"),
        }
    }
}

fn promtool_check(text: &str) {
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

#[test]
fn the_relay_serves_what_it_published() {
    let dir = tempfile::tempdir().unwrap();
    let broker = Broker::start(dir.path());
    let mut cmd = relay(dir.path(), &broker.url(), "paris", &fixture(DAY), "max");
    cmd.args(["--metrics-listen", "127.0.0.1:0"]);
    let mut running = Running::spawn(cmd);
    let stderr = BufReader::new(running.0.stderr.take().unwrap());
    let (tx, lines) = mpsc::channel();
    std::thread::spawn(move || {
        for l in stderr.lines().map_while(Result::ok) {
            if tx.send(l).is_err() {
                break;
            }
        }
    });
    let addr: SocketAddr = wait_for(&lines, SERVING)
        .split_once(SERVING)
        .and_then(|(_, rest)| rest.trim().strip_suffix("/metrics"))
        .and_then(|a| a.parse().ok())
        .expect("an address after the prefix");
    // The replay relayed and every frame stored; the relay stays up.
    wait_for(&lines, ENDED);
    let (code, _, text) = get(addr, "/metrics", "*/*");
    assert_eq!(code, 200);
    let m = samples(&text);
    let at = |k: &str| *m.get(k).unwrap_or_else(|| panic!("no {k} in:\n{text}"));
    let r = read(
        dir.path(),
        &broker.url(),
        "queuetop.paris.events",
        "2s",
        "15m",
    );
    assert_eq!(r["feed"]["duplicates"], 0);
    assert_eq!(r["feed"]["gaps"], 0);
    assert_eq!(r["feed"]["rejected"], 0);
    let got = r["feed"]["events"].as_u64().unwrap();
    // The sample day's 29 events and the first and last snapshots.
    assert_eq!(got, 31);
    assert_eq!(
        at("queuetop_relay_published_total{site=\"paris\"}"),
        got as f64
    );
    assert_eq!(at("queuetop_relay_buffered{site=\"paris\"}"), 0.0);
    assert_eq!(at("queuetop_relay_dropped_total{site=\"paris\"}"), 0.0);
    assert_eq!(at("queuetop_relay_nats_connected{site=\"paris\"}"), 1.0);
    assert_eq!(
        at("queuetop_relay_publish_errors_total{site=\"paris\"}"),
        0.0
    );
    // The floor's figures are served too, as `queuetop export` serves them.
    assert_eq!(at("queuetop_floor_entered{site=\"paris\"}"), 7.0);
    if !skip_prometheus("promtool") {
        promtool_check(&text);
    }
    let pid = running.0.id().to_string();
    assert!(
        Command::new("kill")
            .args(["-TERM", &pid])
            .status()
            .unwrap()
            .success()
    );
    let deadline = Instant::now() + Duration::from_secs(10);
    let status = loop {
        if let Some(s) = running.0.try_wait().unwrap() {
            break s;
        }
        assert!(
            Instant::now() < deadline,
            "the relay did not stop on SIGTERM"
        );
        std::thread::sleep(Duration::from_millis(20));
    };
    assert!(status.success(), "{status}");
}
