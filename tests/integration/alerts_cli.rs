//! The alert rules through the built binary: a config and a feed from
//! tests/resources/alerts, and the snapshot's `alerts` list at the end of
//! the file (05-active-at-end.expected.json explains the figures).

use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::{Value, json};

fn resource(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/resources/alerts")
        .join(name)
}

fn snapshot(feed: &str, config: &Path) -> Value {
    let out = Command::new(env!("CARGO_BIN_EXE_queuetop"))
        .env("XDG_CONFIG_HOME", env!("CARGO_MANIFEST_DIR"))
        .env_remove("HOME")
        .env("TZ", "UTC")
        .args(["snapshot", "--replay"])
        .arg(resource(feed))
        .args(["--speed", "max", "--format", "json", "--config"])
        .arg(config)
        .output()
        .expect("run queuetop");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("JSON on stdout")
}

#[test]
fn the_snapshot_lists_the_alerts_firing_at_the_end_of_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let cfg = dir.path().join("config.toml");
    let rules = std::fs::read_to_string(resource("05-active-at-end.toml")).unwrap();
    std::fs::write(&cfg, format!("timezone = \"UTC\"\n{rules}")).unwrap();
    let v = snapshot("05-active-at-end.jsonl", &cfg);
    assert_eq!(v["now"], "2026-11-23T09:01:30Z");
    assert_eq!(
        v["alerts"],
        json!([
            {"rule": "wrap_up_s", "subject": "a1", "kind": "agent", "level": "critical",
             "since": "2026-11-23T09:00:31Z", "value": 90.0, "threshold": 60.0},
            {"rule": "waiting", "subject": "q", "kind": "queue", "level": "critical",
             "since": "2026-11-23T09:00:10Z", "value": 3.0, "threshold": 2.0},
        ])
    );
    assert_eq!(v["uncertain_since"], Value::Null);
}

#[test]
fn no_rules_no_alerts() {
    let dir = tempfile::tempdir().unwrap();
    let cfg = dir.path().join("config.toml");
    std::fs::write(&cfg, "timezone = \"UTC\"\n").unwrap();
    let v = snapshot("05-active-at-end.jsonl", &cfg);
    assert_eq!(v["alerts"], json!([]));
}
