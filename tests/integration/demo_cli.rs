//! `queuetop serve-demo`, run as a real process.

use std::process::Stdio;
use std::time::Duration;

use futures_util::StreamExt;
use queuetop_engine::protocol::{Decoded, EventKind, decode_frame};
use tokio::io::{AsyncBufReadExt, BufReader};
use tokio::process::Command;
use tokio_tungstenite::connect_async;
use tokio_tungstenite::tungstenite::Message;

fn queuetop() -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_queuetop"));
    cmd.stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .kill_on_drop(true);
    cmd
}

#[tokio::test]
async fn serve_demo_prints_its_address_and_serves_a_snapshot() {
    let mut child = queuetop()
        .args([
            "serve-demo",
            "--listen",
            "127.0.0.1:0",
            "--seed",
            "3",
            "--rate",
            "2",
        ])
        .spawn()
        .unwrap();
    let stdout = child.stdout.take().unwrap();
    let mut lines = BufReader::new(stdout).lines();
    let line = tokio::time::timeout(Duration::from_secs(30), lines.next_line())
        .await
        .expect("the address within 30 s")
        .unwrap()
        .expect("a line on stdout");
    let url = line
        .strip_prefix("serving the demo feed on ")
        .unwrap_or_else(|| panic!("unexpected first line: {line}"));
    assert!(
        url.starts_with("ws://127.0.0.1:") && !url.ends_with(":0"),
        "{url}"
    );

    let (mut ws, _) = connect_async(url).await.unwrap();
    // The recent past comes first; the snapshot follows it.
    let mut agents = None;
    while agents.is_none() {
        let frame = tokio::time::timeout(Duration::from_secs(30), ws.next())
            .await
            .expect("a frame within 30 s")
            .unwrap()
            .unwrap();
        let Message::Text(text) = frame else {
            panic!("not a text frame: {frame:?}");
        };
        decode_frame(&text, |d| match d {
            Decoded::Event(ev) => {
                if let EventKind::Snapshot(s) = ev.kind {
                    agents = Some(s.agents.len());
                }
            }
            other => panic!("{other:?}"),
        });
    }
    assert_eq!(agents, Some(40));

    child.kill().await.unwrap();
    // Nothing else was printed to stdout.
    assert_eq!(lines.next_line().await.unwrap(), None);
}

#[tokio::test]
async fn bad_rate_or_address_is_a_usage_error() {
    for args in [
        vec!["serve-demo", "--rate=-3"],
        vec!["serve-demo", "--rate", "1e9"],
        vec!["serve-demo", "--listen", "not an address"],
    ] {
        let out = queuetop().args(&args).output().await.unwrap();
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(
            err.contains("--rate") || err.contains("--listen"),
            "{args:?}: {err}"
        );
        assert!(out.stdout.is_empty());
    }
}

/// `--demo` serves the simulation on a loopback port and reads it through
/// the real WebSocket client: a snapshot shows a full, labelled floor.
#[test]
fn snapshot_of_the_demo_goes_through_the_real_client() {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_queuetop"))
        .args([
            "snapshot", "--demo", "--seed", "3", "--after", "1500ms", "--format", "json",
        ])
        .env("XDG_CONFIG_HOME", env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("run queuetop");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
    assert_eq!(v["source"]["kind"], "demo");
    // No config with thresholds: the demo's own apply, and say so.
    assert_eq!(v["source"]["target"], "seed 3, demo thresholds");
    assert_eq!(v["feed"]["state"], "connected");
    assert_eq!(v["feed"]["rejected"], 0);
    assert_eq!(v["agents"].as_array().map(Vec::len), Some(40));
    // The recent past arrived first, so the window figures are already there.
    assert!(
        v["totals"]["answered"].as_i64().unwrap_or(0) > 0,
        "{}",
        v["totals"]
    );
    assert!(
        v["totals"]["service_level_pct"].is_number(),
        "{}",
        v["totals"]
    );
}

/// With no thresholds in the config, the demo's built-in ones apply: the
/// first seconds of the seeded demo already show alerts.
#[test]
fn the_demo_ships_with_thresholds_and_a_config_replaces_them() {
    let snap = |config: Option<&std::path::Path>| {
        let mut c = std::process::Command::new(env!("CARGO_BIN_EXE_queuetop"));
        c.args(["snapshot", "--demo", "--after", "2s", "--format", "json"])
            .env("XDG_CONFIG_HOME", env!("CARGO_MANIFEST_DIR"));
        if let Some(p) = config {
            c.arg("--config").arg(p);
        }
        let out = c.output().expect("run queuetop");
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        serde_json::from_slice::<serde_json::Value>(&out.stdout).expect("JSON")
    };
    let v = snap(None);
    assert_eq!(v["source"]["target"], "seed 1, demo thresholds");
    let alerts = v["alerts"].as_array().expect("alerts");
    assert!(!alerts.is_empty(), "{}", v["alerts"]);
    let levels: Vec<&str> = alerts.iter().filter_map(|a| a["level"].as_str()).collect();
    assert!(levels.contains(&"warning"), "{levels:?}");
    assert!(levels.contains(&"critical"), "{levels:?}");

    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("config.toml");
    std::fs::write(&config, "[defaults]\nwaiting = { warn = 10000 }\n").unwrap();
    let v = snap(Some(&config));
    assert_eq!(v["source"]["target"], "seed 1");
    assert_eq!(
        v["alerts"].as_array().map(Vec::len),
        Some(0),
        "{}",
        v["alerts"]
    );
}
