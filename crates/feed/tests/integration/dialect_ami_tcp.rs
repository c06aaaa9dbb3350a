//! The `ami://` source against a loopback server speaking AMI's text
//! protocol (banner, `Action: Login`, `Key: Value` blocks ended by a blank
//! line, `Action: Ping`), as described in the Asterisk Manager Interface
//! documentation (https://docs.asterisk.org/Configuration/Interfaces/Asterisk-Manager-Interface-AMI/).

use std::sync::{Arc, Mutex};
use std::time::Duration;

use queuetop_engine::dialect::{DialectKind, Signal};
use queuetop_engine::floor::{Floor, Settings};
use queuetop_engine::health::LinkState;
use queuetop_engine::monitor::{Monitor, SourceInfo, SourceKind};
use queuetop_engine::protocol::RejectKind;
use queuetop_engine::time::Ts;
use queuetop_feed::ami::{AmiConfig, AmiTarget, AmiTransport};
use queuetop_feed::supervisor::Rules;
use queuetop_feed::{FeedSink, LocalClock, Secret};
use tokio::io::AsyncWriteExt;
use tokio::net::TcpListener;
use tokio::sync::mpsc;

use crate::ami_server::{greet, pong_forever, read_block};

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
    queuetop_feed::serve(
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

/// A client's parts for a server on `port`: its target, a sink into a new
/// monitor, that monitor, and the sink's reports.
fn client_parts(
    port: u16,
) -> (
    AmiTarget,
    Sink,
    Arc<Mutex<Monitor>>,
    mpsc::UnboundedReceiver<Seen>,
) {
    let (tx, rx) = mpsc::unbounded_channel();
    let mon = monitor();
    let sink = Sink {
        tx,
        monitor: mon.clone(),
    };
    let target = AmiTarget::parse(&format!("ami://queuetop@127.0.0.1:{port}")).unwrap();
    (target, sink, mon, rx)
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
    let (target, sink, mon, mut rx) = client_parts(port);
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
        assert_eq!(m.reconnects(), 1);
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
    let (target, sink, _, mut rx) = client_parts(port);
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
    let (target, sink, _, mut rx) = client_parts(port);
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

#[tokio::test]
async fn a_line_over_the_limit_is_skipped_and_the_next_message_arrives_at_once() {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    let server = tokio::spawn(async move {
        let (s, _) = listener.accept().await.unwrap();
        let (mut r, mut w) = greet(s, "s").await.unwrap();
        w.write_all(b"Event: QueueCallerJoin\r\nUniqueid: 1795424410.1\r\nQueue: support\r\n\r\n")
            .await
            .unwrap();
        // A line of 1 MiB, far over MAX_LINE, inside a block; then one
        // with no blank line after it: the next message follows at once.
        let huge = format!("Event: VarSet\r\nValue: {}\r\n\r\n", "x".repeat(1 << 20));
        w.write_all(huge.as_bytes()).await.unwrap();
        let bare = format!("{}\r\n", "y".repeat(1 << 20));
        w.write_all(bare.as_bytes()).await.unwrap();
        w.write_all(b"Event: QueueCallerJoin\r\nUniqueid: 1795424420.2\r\nQueue: sales\r\n\r\n")
            .await
            .unwrap();
        w.flush().await.unwrap();
        // Pings go unanswered: only the messages above keep the link alive.
        while !read_block(&mut r).await.is_empty() {}
    });
    let (target, sink, mon, mut rx) = client_parts(port);
    let client = tokio::spawn(async move {
        let cfg = AmiConfig {
            connect_timeout: Duration::from_secs(2),
            max_block_bytes: 64 * 1024,
        };
        // An idle timeout far longer than the wait below: the second
        // message must not need a reconnect to get through.
        let rules = Rules::new(
            None,
            Duration::from_secs(30),
            Duration::from_secs(30),
            Duration::from_secs(2),
        );
        queuetop_feed::serve(
            AmiTransport::new(target, Secret("s".into()), cfg),
            rules,
            sink,
            LocalClock::System,
        )
        .await;
    });
    next(&mut rx, |s| *s == Seen::Connected).await;
    let started = std::time::Instant::now();
    let mut seen = Vec::new();
    tokio::time::timeout(Duration::from_secs(3), async {
        while !seen
            .iter()
            .any(|s| matches!(s, Seen::Frame(f) if f.contains("1795424420.2")))
        {
            seen.push(rx.recv().await.expect("sink open"));
        }
    })
    .await
    .unwrap_or_else(|_| panic!("the message after the long line never came: {seen:?}"));
    assert!(started.elapsed() < Duration::from_secs(3));
    assert!(
        seen.iter()
            .any(|s| matches!(s, Seen::Frame(f) if f.contains("1795424410.1")))
    );
    let refused = seen
        .iter()
        .filter(|s| **s == Seen::Refused(RejectKind::TooLarge))
        .count();
    assert_eq!(refused, 2, "{seen:?}");
    assert!(
        !seen
            .iter()
            .any(|s| matches!(s, Seen::State(LinkState::Reconnecting { .. }))),
        "no reconnect: {seen:?}"
    );
    {
        let m = mon.lock().unwrap();
        assert_eq!(m.floor.live_contacts(), 2);
        assert_eq!(m.floor.counts().rejected, 2, "the two long lines");
    }
    client.abort();
    server.abort();
}
