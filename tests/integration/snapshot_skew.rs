//! `queuetop snapshot --url` against a loopback feed whose clock is an
//! hour behind ours: the longest wait is the feed's own (its `now` minus
//! the contact's queued `ts`), and it ticks from one print to the next.

use std::process::Command;
use std::sync::Arc;
use std::time::Duration;

use futures_util::{SinkExt, StreamExt};
use queuetop_engine::time::Ts;
use tokio::net::TcpListener;
use tokio_tungstenite::tungstenite::Message;

const BEHIND: i64 = 3_600_000;

fn now_ms() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_millis() as i64
}

/// A feed 1 h behind us: every connection is told that `c1` was queued at
/// `queued_ts` (its clock), then gets a heartbeat every 200 ms.
async fn behind_feed(queued_ts: i64) -> std::net::SocketAddr {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move {
        while let Ok((tcp, _)) = listener.accept().await {
            tokio::spawn(async move {
                let Ok(ws) = tokio_tungstenite::accept_async(tcp).await else {
                    return;
                };
                let (mut tx, mut rx) = ws.split();
                tokio::spawn(async move { while let Some(Ok(_)) = rx.next().await {} });
                let heartbeat = || format!(r#"{{"type":"heartbeat","ts":{}}}"#, now_ms() - BEHIND);
                let queued = format!(
                    r#"{{"type":"contact.queued","ts":{queued_ts},"contact_id":"c1","queue":"billing"}}"#
                );
                for f in [heartbeat(), queued] {
                    if tx.send(Message::text(f)).await.is_err() {
                        return;
                    }
                }
                loop {
                    tokio::time::sleep(Duration::from_millis(200)).await;
                    if tx.send(Message::text(heartbeat())).await.is_err() {
                        return;
                    }
                }
            });
        }
    });
    addr
}

struct Print {
    /// Our clock when the program started and when it had printed.
    started: i64,
    ended: i64,
    now: i64,
    longest_wait_s: f64,
    clock_offset_s: f64,
}

async fn snapshot(url: Arc<String>, after_s: u64) -> Print {
    tokio::task::spawn_blocking(move || {
        let dir = tempfile::tempdir().unwrap();
        let started = now_ms();
        let out = Command::new(env!("CARGO_BIN_EXE_queuetop"))
            .args(["snapshot", "--url", &url, "--after", &format!("{after_s}s")])
            .current_dir(dir.path())
            .env("XDG_CONFIG_HOME", dir.path())
            .env("HOME", dir.path())
            .env_remove("HTTP_PROXY")
            .env_remove("http_proxy")
            .env_remove("ALL_PROXY")
            .output()
            .unwrap();
        let ended = now_ms();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        let now = Ts::parse_rfc3339(v["now"].as_str().unwrap()).unwrap().0;
        Print {
            started: started + after_s as i64 * 1000,
            ended,
            now,
            longest_wait_s: v["totals"]["longest_wait_s"].as_f64().unwrap(),
            clock_offset_s: v["feed"]["clock_offset_s"].as_f64().unwrap(),
        }
    })
    .await
    .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_feed_an_hour_behind_gives_right_and_ticking_waits() {
    // c1 has waited 5 s on the feed's clock when the server starts.
    let queued_ts = now_ms() - BEHIND - 5_000;
    let url = Arc::new(format!("ws://{}/feed", behind_feed(queued_ts).await));
    let mut prints = Vec::new();
    for after in [1, 3] {
        prints.push(snapshot(url.clone(), after).await);
    }
    for p in &prints {
        // Ours minus the feed's: + when the feed is behind (a little more
        // than an hour: the network delay counts too).
        assert!(
            (3600.0..3600.5).contains(&p.clock_offset_s),
            "{}",
            p.clock_offset_s
        );
        // The feed's time while the program printed, within half a second.
        assert!(
            p.now >= p.started - BEHIND - 500 && p.now <= p.ended - BEHIND + 500,
            "now {} is not the feed's clock ({}..{})",
            p.now,
            p.started - BEHIND,
            p.ended - BEHIND
        );
        let want = (p.now - queued_ts) as f64 / 1000.0;
        assert!(
            (p.longest_wait_s - want).abs() < 0.01,
            "longest wait {} s, the feed's now minus the queued ts is {want} s",
            p.longest_wait_s
        );
        assert!(p.longest_wait_s < 60.0, "{}", p.longest_wait_s);
    }
    // The second print waited 2 s longer and started after the first ended.
    let ticked = prints[1].longest_wait_s - prints[0].longest_wait_s;
    let between = (prints[1].started - prints[0].ended) as f64 / 1000.0;
    assert!(ticked >= between - 0.5, "ticked {ticked} s in {between} s");
    assert!(ticked >= 2.5, "ticked only {ticked} s");
}
