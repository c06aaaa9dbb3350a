//! The `ami://` source against a loopback server speaking AMI's text
//! protocol (banner, `Action: Login`, `Key: Value` blocks ended by a blank
//! line, `Action: Ping`), as described in the Asterisk Manager Interface
//! documentation (https://docs.asterisk.org/Configuration/Interfaces/Asterisk-Manager-Interface-AMI/).

use std::sync::{Arc, Mutex};
use std::time::Duration;

use queuetop::dialect::{DialectKind, Signal};
use queuetop::feed::ami::{AmiConfig, AmiTarget, AmiTransport};
use queuetop::feed::supervisor::Rules;
use queuetop::feed::{FeedSink, LinkState, LocalClock, Secret};
use queuetop::floor::{Floor, Settings};
use queuetop::monitor::{Monitor, SourceInfo, SourceKind};
use queuetop::protocol::RejectKind;
use queuetop::time::Ts;
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::mpsc;

#[derive(Debug, Clone, PartialEq)]
enum Seen {
    Connected,
    Frame(String),
    State(LinkState),
    Refused(RejectKind),
}

/// A sink that feeds a real monitor (Asterisk dialect) and reports.
struct Sink {
    tx: mpsc::UnboundedSender<Seen>,
    monitor: Arc<Mutex<Monitor>>,
}

impl FeedSink for Sink {
    fn connected(&mut self, local_ms: i64) {
        self.monitor.lock().unwrap().connected(Ts(local_ms));
        let _ = self.tx.send(Seen::Connected);
    }
    fn frame(&mut self, text: &str, local_ms: i64) -> Signal {
        let s = self.monitor.lock().unwrap().live_frame(text, Ts(local_ms));
        let _ = self.tx.send(Seen::Frame(text.to_string()));
        s
    }
    fn refused(&mut self, why: RejectKind, local_ms: i64) {
        self.monitor.lock().unwrap().refused(why, Ts(local_ms));
        let _ = self.tx.send(Seen::Refused(why));
    }
    fn state(&mut self, state: LinkState, _local_ms: i64) {
        let _ = self.tx.send(Seen::State(state));
    }
}

/// The AMI source under the feed's own supervisor, with short timings.
async fn run(target: AmiTarget, secret: Secret, sink: Sink) {
    let cfg = AmiConfig {
        connect_timeout: Duration::from_secs(2),
        max_block_bytes: 4096,
    };
    let rules = Rules::new(
        None,
        Duration::from_millis(100),
        Duration::from_millis(600),
        Duration::from_secs(2),
    );
    queuetop::feed::serve(
        AmiTransport::new(target, secret, cfg),
        rules,
        sink,
        LocalClock::System,
    )
    .await;
}

fn monitor() -> Arc<Mutex<Monitor>> {
    let source = SourceInfo {
        kind: SourceKind::Url,
        target: "ami://queuetop@127.0.0.1".into(),
    };
    Arc::new(Mutex::new(Monitor::new(
        Floor::new(Settings::default()),
        source,
        DialectKind::Asterisk.make(),
    )))
}

/// Reads one AMI block (until a blank line) from the client.
async fn read_block(r: &mut BufReader<tokio::net::tcp::OwnedReadHalf>) -> Vec<(String, String)> {
    let mut out = Vec::new();
    loop {
        let mut line = String::new();
        if r.read_line(&mut line).await.unwrap_or(0) == 0 {
            return out;
        }
        let line = line.trim_end();
        if line.is_empty() {
            if out.is_empty() {
                continue;
            }
            return out;
        }
        if let Some((k, v)) = line.split_once(": ") {
            out.push((k.to_string(), v.to_string()));
        }
    }
}

fn field<'a>(b: &'a [(String, String)], k: &str) -> Option<&'a str> {
    b.iter().find(|(x, _)| x == k).map(|(_, v)| v.as_str())
}

/// Banner and login; answers as the secret deserves. Returns the halves
/// when logged in.
async fn greet(
    s: TcpStream,
    secret: &str,
) -> Option<(
    BufReader<tokio::net::tcp::OwnedReadHalf>,
    tokio::net::tcp::OwnedWriteHalf,
)> {
    let (r, mut w) = s.into_split();
    let mut r = BufReader::new(r);
    w.write_all(b"Asterisk Call Manager/9.0.0\r\n").await.ok()?;
    let login = read_block(&mut r).await;
    assert_eq!(field(&login, "Action"), Some("Login"));
    assert_eq!(field(&login, "Username"), Some("queuetop"));
    let id = field(&login, "ActionID").unwrap_or("").to_string();
    if field(&login, "Secret") != Some(secret) {
        let msg =
            format!("Response: Error\r\nActionID: {id}\r\nMessage: Authentication failed\r\n\r\n");
        w.write_all(msg.as_bytes()).await.ok()?;
        return None;
    }
    let ok = format!(
        "Response: Success\r\nActionID: {id}\r\nMessage: Authentication accepted\r\n\r\n\
         Event: FullyBooted\r\nPrivilege: system,all\r\nStatus: Fully Booted\r\n\r\n"
    );
    w.write_all(ok.as_bytes()).await.ok()?;
    Some((r, w))
}

/// Answers pings with pongs until the client goes away.
async fn pong_forever(
    mut r: BufReader<tokio::net::tcp::OwnedReadHalf>,
    mut w: tokio::net::tcp::OwnedWriteHalf,
) {
    loop {
        let b = read_block(&mut r).await;
        if b.is_empty() {
            return;
        }
        if field(&b, "Action") == Some("Ping") {
            let id = field(&b, "ActionID").unwrap_or("");
            let msg = format!(
                "Response: Success\r\nActionID: {id}\r\nPing: Pong\r\nTimestamp: 1795424400.000000\r\n\r\n"
            );
            if w.write_all(msg.as_bytes()).await.is_err() {
                return;
            }
        }
    }
}

async fn next(rx: &mut mpsc::UnboundedReceiver<Seen>, want: impl Fn(&Seen) -> bool) -> Seen {
    tokio::time::timeout(Duration::from_secs(10), async {
        loop {
            let s = rx.recv().await.expect("sink open");
            if want(&s) {
                return s;
            }
        }
    })
    .await
    .expect("expected report did not come")
}

#[tokio::test]
async fn logs_in_reads_events_rides_out_a_drop_and_pings() {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    let server = tokio::spawn(async move {
        // First connection: two queue events, an oversized block, then a drop.
        let (s, _) = listener.accept().await.unwrap();
        let (_r, mut w) = greet(s, "s3cret").await.unwrap();
        let events = "Event: QueueCallerJoin\r\nPrivilege: agent,all\r\nChannel: PJSIP/t-1\r\nUniqueid: 1795424410.1\r\nQueue: support\r\nPosition: 1\r\nCount: 1\r\n\r\n\
             Event: Newexten\r\nChannel: PJSIP/t-1\r\n\r\n";
        w.write_all(events.as_bytes()).await.unwrap();
        let big = format!("Event: VarSet\r\nValue: {}\r\n\r\n", "x".repeat(5000));
        w.write_all(big.as_bytes()).await.unwrap();
        w.flush().await.unwrap();
        drop(w);
        drop(_r);
        // Second connection: one more event, then pongs.
        let (s, _) = listener.accept().await.unwrap();
        let (r, mut w) = greet(s, "s3cret").await.unwrap();
        w.write_all(b"Event: QueueCallerJoin\r\nUniqueid: 1795424420.2\r\nQueue: sales\r\n\r\n")
            .await
            .unwrap();
        pong_forever(r, w).await;
    });
    let (tx, mut rx) = mpsc::unbounded_channel();
    let mon = monitor();
    let sink = Sink {
        tx,
        monitor: mon.clone(),
    };
    let target = AmiTarget::parse(&format!("ami://queuetop@127.0.0.1:{port}")).unwrap();
    let client = tokio::spawn(async move { run(target, Secret("s3cret".into()), sink).await });

    next(&mut rx, |s| *s == Seen::Connected).await;
    let Seen::Frame(first) = next(&mut rx, |s| matches!(s, Seen::Frame(_))).await else {
        unreachable!()
    };
    assert!(first.contains("\"Event\":\"FullyBooted\""), "{first}");
    let Seen::Frame(join) = next(
        &mut rx,
        |s| matches!(s, Seen::Frame(f) if f.contains("QueueCallerJoin")),
    )
    .await
    else {
        unreachable!()
    };
    assert!(join.starts_with("{\"Event\":\"QueueCallerJoin\",\"Privilege\":\"agent,all\""));
    assert_eq!(
        next(&mut rx, |s| matches!(s, Seen::Refused(_))).await,
        Seen::Refused(RejectKind::TooLarge)
    );
    let drop_state = next(&mut rx, |s| {
        matches!(s, Seen::State(LinkState::Reconnecting { .. }))
    })
    .await;
    assert!(matches!(
        drop_state,
        Seen::State(LinkState::Reconnecting { attempt: 1, .. })
    ));
    next(&mut rx, |s| *s == Seen::Connected).await;
    next(
        &mut rx,
        |s| matches!(s, Seen::Frame(f) if f.contains("1795424420.2")),
    )
    .await;
    let Seen::Frame(pong) = next(
        &mut rx,
        |s| matches!(s, Seen::Frame(f) if f.contains("Pong")),
    )
    .await
    else {
        unreachable!()
    };
    assert!(pong.contains("\"Ping\":\"Pong\""));
    {
        let m = mon.lock().unwrap();
        assert_eq!(m.reconnects, 1);
        assert_eq!(
            m.floor.live_contacts(),
            2,
            "both callers wait, across the reconnect"
        );
        let c = m.floor.counts();
        assert!(c.events >= 3, "two joins and at least one heartbeat: {c:?}");
        assert_eq!(c.rejected, 1, "the oversized block");
        assert!(
            c.unknown >= 2,
            "FullyBooted and Newexten are not queue events"
        );
    }
    client.abort();
    server.abort();
}

#[tokio::test]
async fn a_refused_login_is_an_authentication_failure() {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    let server = tokio::spawn(async move {
        loop {
            let (s, _) = listener.accept().await.unwrap();
            assert!(greet(s, "the-right-one").await.is_none());
        }
    });
    let (tx, mut rx) = mpsc::unbounded_channel();
    let sink = Sink {
        tx,
        monitor: monitor(),
    };
    let target = AmiTarget::parse(&format!("ami://queuetop@127.0.0.1:{port}")).unwrap();
    let client = tokio::spawn(async move { run(target, Secret("wrong".into()), sink).await });
    let Seen::State(LinkState::AuthFailed { detail, .. }) = next(&mut rx, |s| {
        matches!(s, Seen::State(LinkState::AuthFailed { .. }))
    })
    .await
    else {
        unreachable!()
    };
    assert!(detail.contains("Authentication failed"), "{detail}");
    client.abort();
    server.abort();
}

#[tokio::test]
async fn a_silent_server_is_dropped_after_the_idle_timeout() {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    let server = tokio::spawn(async move {
        let (s, _) = listener.accept().await.unwrap();
        // Logged in, then never a byte again (pings go unanswered).
        let (mut r, _w) = greet(s, "s").await.unwrap();
        loop {
            if read_block(&mut r).await.is_empty() {
                break;
            }
        }
        let _ = listener.accept().await;
    });
    let (tx, mut rx) = mpsc::unbounded_channel();
    let sink = Sink {
        tx,
        monitor: monitor(),
    };
    let target = AmiTarget::parse(&format!("ami://queuetop@127.0.0.1:{port}")).unwrap();
    let client = tokio::spawn(async move { run(target, Secret("s".into()), sink).await });
    next(&mut rx, |s| *s == Seen::Connected).await;
    let Seen::State(LinkState::Reconnecting { last_error, .. }) = next(&mut rx, |s| {
        matches!(s, Seen::State(LinkState::Reconnecting { .. }))
    })
    .await
    else {
        unreachable!()
    };
    assert!(last_error.contains("idle"), "{last_error}");
    client.abort();
    server.abort();
}

/// The binary end to end: `snapshot --url ami://...` logs in with the
/// secret from the environment and reads the floor through the dialect.
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
