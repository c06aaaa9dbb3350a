//! The real binary over each platform's feed: a recorded day replayed by
//! `queuetop snapshot --dialect` gives the same figures as the engine's own
//! replay (the expected snapshots beside the fixtures), and an AMI server
//! on loopback is read directly.

use std::path::PathBuf;

use serde_json::Value;
use tokio::io::AsyncWriteExt;
use tokio::net::TcpListener;

#[path = "../../crates/feed/tests/integration/ami_server.rs"]
mod ami_server;
use ami_server::{greet, pong_forever};

fn resource(platform: &str, file: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/resources/dialects")
        .join(platform)
        .join(file)
}

/// Runs `queuetop snapshot --replay F --dialect D --format json`.
fn run_binary(dialect: &str, platform: &str, file: &str) -> Value {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_queuetop"))
        .args(["snapshot", "--replay"])
        .arg(resource(platform, file))
        .args(["--dialect", dialect, "--format", "json"])
        .env_remove("XDG_CONFIG_HOME")
        .env("HOME", env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("run queuetop");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let mut v: Value = serde_json::from_slice(&out.stdout).expect("json output");
    v["source"]["target"] = Value::String(file.to_string());
    // The fixtures pin the window's figures; the interval block is the
    // scenarios' subject.
    let interval = v.as_object_mut().and_then(|o| o.remove("interval"));
    assert!(interval.is_some(), "every snapshot has an interval block");
    v
}

fn expected(platform: &str) -> Value {
    let text = std::fs::read_to_string(resource(platform, "queue-day.snapshot.json"))
        .expect("expected snapshot");
    serde_json::from_str(&text).expect("expected json")
}

#[test]
fn the_binary_replays_each_platform_end_to_end() {
    for (dialect, platform) in [
        ("asterisk", "asterisk"),
        ("amazon-connect", "amazon-connect"),
        ("twilio", "twilio"),
        ("genesys", "genesys"),
    ] {
        let v = run_binary(dialect, platform, "queue-day.jsonl");
        assert_eq!(v, expected(platform), "{platform}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_binary_reads_an_ami_server_directly() {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    let server = tokio::spawn(async move {
        loop {
            let Ok((s, _)) = listener.accept().await else {
                return;
            };
            tokio::spawn(async move {
                let Some((r, mut w)) = greet(s, "s3cret").await else {
                    return;
                };
                let join = "Event: QueueCallerJoin\r\nUniqueid: 1795424410.1\r\nQueue: support\r\nCallerIDNum: 5551234\r\nPosition: 1\r\nCount: 1\r\n\r\n";
                let _ = w.write_all(join.as_bytes()).await;
                pong_forever(r, w).await;
            });
        }
    });
    let url = format!("ami://queuetop@127.0.0.1:{port}");
    let out = tokio::task::spawn_blocking(move || {
        std::process::Command::new(env!("CARGO_BIN_EXE_queuetop"))
            .args([
                "snapshot",
                "--url",
                &url,
                "--token-env",
                "QT_AMI_SECRET",
                "--after",
                "1500ms",
            ])
            .env("QT_AMI_SECRET", "s3cret")
            .env("XDG_CONFIG_HOME", env!("CARGO_MANIFEST_DIR"))
            .output()
            .expect("run queuetop")
    })
    .await
    .unwrap();
    server.abort();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    assert!(!stderr.contains("s3cret"));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
    assert_eq!(v["source"]["kind"], "url");
    assert_eq!(
        v["source"]["target"],
        format!("ami://queuetop@127.0.0.1:{port}")
    );
    assert_eq!(v["feed"]["state"], "connected");
    assert_eq!(v["totals"]["waiting"], 1);
    assert_eq!(v["queues"][0]["queue"], "support");
}

/// An ami:// feed without a secret is a command-line error (exit 2).
#[test]
fn an_ami_url_needs_a_secret() {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_queuetop"))
        .args(["snapshot", "--url", "ami://queuetop@127.0.0.1:5038"])
        .env("XDG_CONFIG_HOME", env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("run queuetop");
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("AMI secret"));
}
