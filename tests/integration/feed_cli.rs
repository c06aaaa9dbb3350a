//! The built binary against a loopback feed: `snapshot --url ... --after 1s`.
#![allow(clippy::result_large_err)]

use std::process::{Command, Output};
use std::sync::{Arc, Mutex};

use futures_util::{SinkExt, StreamExt};
use tokio::net::TcpListener;
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::tungstenite::handshake::server::{Request, Response};

fn now_ms() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_millis() as i64
}

/// The binary with a clean environment: no proxy, no user config.
fn queuetop(dir: &std::path::Path, args: &[&str], envs: &[(&str, &str)]) -> Output {
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
    ] {
        cmd.env_remove(v);
    }
    for (k, v) in envs {
        cmd.env(k, v);
    }
    cmd.output().unwrap()
}

#[derive(Default)]
struct Seen {
    auth: Option<String>,
    tenant: Option<String>,
    texts: Vec<String>,
}

/// A feed that greets every connection with a few events.
async fn feed(seen: Arc<Mutex<Seen>>) -> std::net::SocketAddr {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move {
        while let Ok((tcp, _)) = listener.accept().await {
            let seen = seen.clone();
            tokio::spawn(async move {
                let s2 = seen.clone();
                let cb = move |req: &Request, resp: Response| {
                    let mut s = s2.lock().unwrap();
                    let h = |n: &str| {
                        req.headers()
                            .get(n)
                            .map(|v| v.to_str().unwrap().to_string())
                    };
                    s.auth = h("authorization");
                    s.tenant = h("x-tenant");
                    Ok(resp)
                };
                let Ok(mut ws) = tokio_tungstenite::accept_hdr_async(tcp, cb).await else {
                    return;
                };
                let t = now_ms();
                let frames = [
                    format!(
                        r#"{{"type":"queue.info","ts":{t},"queue":"billing","name":"Billing","sl_threshold_s":20}}"#
                    ),
                    format!(
                        r#"{{"type":"agent.state","ts":{t},"agent_id":"a7","state":"available","name":"Dana Ruiz","queues":["billing"]}}"#
                    ),
                    format!(
                        r#"[{{"type":"contact.queued","ts":{},"seq":1,"contact_id":"c1","queue":"billing"}},{{"type":"heartbeat","ts":{t}}}]"#,
                        t - 3000
                    ),
                    // The feed's own frame in the shape of a mark.
                    format!(
                        r#"{{"type":"queuetop.mark","ts":"{}","note":"forged"}}"#,
                        queuetop_engine::time::Ts(t)
                    ),
                ];
                for f in frames {
                    let _ = ws.send(Message::text(f)).await;
                }
                while let Some(Ok(m)) = ws.next().await {
                    if let Message::Text(t) = m {
                        seen.lock().unwrap().texts.push(t.to_string());
                    }
                }
            });
        }
    });
    addr
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn snapshot_of_a_live_feed() {
    let seen = Arc::new(Mutex::new(Seen::default()));
    let addr = feed(seen.clone()).await;
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("qt.toml"),
        "[feed]\nsubscribe = '{\"op\":\"subscribe\"}'\n[feed.headers]\nX-Tenant = \"acme\"\n",
    )
    .unwrap();
    let url = format!("ws://{addr}/floor?key=hidden");
    let path = dir.path().to_path_buf();
    let out = tokio::task::spawn_blocking(move || {
        queuetop(
            &path,
            &[
                "snapshot",
                "--url",
                &url,
                "--after",
                "1s",
                "--config",
                "qt.toml",
                "--token-env",
                "QT_TEST_TOKEN",
                "--record",
                "rec.jsonl",
            ],
            &[("QT_TEST_TOKEN", "sekrit-42")],
        )
    })
    .await
    .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    assert!(!stdout.contains("sekrit-42") && !stderr.contains("sekrit-42"));
    let snap: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(snap["source"]["kind"], "url");
    assert_eq!(snap["source"]["target"], format!("ws://{addr}/floor"));
    assert_eq!(snap["feed"]["state"], "connected");
    assert_eq!(snap["feed"]["events"], 4);
    assert_eq!(snap["feed"]["rejected"], 0);
    assert_eq!(snap["feed"]["reconnects"], 0);
    assert_eq!(snap["totals"]["waiting"], 1);
    let longest = snap["totals"]["longest_wait_s"].as_f64().unwrap();
    assert!((3.5..10.0).contains(&longest), "{longest}");
    assert_eq!(snap["queues"][0]["queue"], "billing");
    assert_eq!(snap["queues"][0]["name"], "Billing");
    assert_eq!(snap["agents"][0]["agent_id"], "a7");
    assert_eq!(snap["agents"][0]["state"], "available");
    {
        let s = seen.lock().unwrap();
        assert_eq!(s.auth.as_deref(), Some("Bearer sekrit-42"));
        assert_eq!(s.tenant.as_deref(), Some("acme"));
        assert_eq!(s.texts, [r#"{"op":"subscribe"}"#]);
    }
    let recorded = std::fs::read_to_string(dir.path().join("rec.jsonl")).unwrap();
    assert_eq!(recorded.lines().count(), 3, "{recorded}");
    assert!(recorded.lines().next().unwrap().contains("queue.info"));
    // The feed's mark-shaped frame: unknown live, and not recorded (a
    // replay would have taken it for a supervisor's mark).
    assert_eq!(snap["feed"]["unknown"], 1);
    assert!(!recorded.contains("forged"), "{recorded}");
}

#[test]
fn no_connection_within_after_is_exit_1() {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let dir = tempfile::tempdir().unwrap();
    let url = format!("ws://127.0.0.1:{port}/");
    let out = queuetop(
        dir.path(),
        &["snapshot", "--url", &url, "--after", "1s"],
        &[],
    );
    assert_eq!(out.status.code(), Some(1));
    assert!(out.stdout.is_empty());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(
        stderr.starts_with(&format!(
            "queuetop: no connection to {url} within 1s: connection refused"
        )),
        "{stderr}"
    );
}

#[test]
fn a_missing_token_variable_is_exit_2() {
    let dir = tempfile::tempdir().unwrap();
    let out = queuetop(
        dir.path(),
        &[
            "snapshot",
            "--url",
            "ws://127.0.0.1:9/",
            "--token-env",
            "QT_UNSET_TOKEN",
        ],
        &[],
    );
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("QT_UNSET_TOKEN") && stderr.contains("--token-env"),
        "{stderr}"
    );
}
