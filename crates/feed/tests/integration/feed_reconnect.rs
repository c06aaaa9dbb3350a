//! Reconnecting: after a drop, a close, a server restart, and an idle link;
//! backoff between attempts; the subscribe message sent again every time.

use crate::common;

use std::time::Duration;

use common::{Ev, Rec, Server};
use queuetop_engine::health::LinkState;
use queuetop_feed::backoff::Backoff;
use queuetop_feed::supervisor::supervise;
use queuetop_feed::{FeedConfig, LocalClock, WsTransport};

const SUB: &str = r#"{"op":"subscribe"}"#;

fn cfg(url: String) -> FeedConfig {
    let mut c = FeedConfig::new(url);
    c.subscribe = Some(SUB.into());
    c
}

/// The client with a seeded backoff, so its waits are the same every run.
fn spawn_seeded(cfg: FeedConfig, rec: Rec, seed: u64) -> tokio::task::JoinHandle<()> {
    let transport = WsTransport::with_env(&cfg, &|_| None).unwrap();
    let rules = cfg.rules();
    tokio::spawn(async move {
        let mut sink = rec;
        let backoff = Backoff::new(fastrand::Rng::with_seed(seed));
        supervise(
            transport,
            rules,
            &mut sink,
            LocalClock::tokio_anchored(),
            backoff,
        )
        .await;
    })
}

fn reconnecting(ev: &Ev) -> Option<(u32, i64, String)> {
    match ev {
        Ev::State(LinkState::Reconnecting {
            attempt,
            next_try_ms,
            last_error,
        }) => Some((*attempt, *next_try_ms, last_error.clone())),
        _ => None,
    }
}

fn last_error(rec: &Rec) -> String {
    rec.events()
        .iter()
        .rev()
        .find_map(reconnecting)
        .map(|r| r.2)
        .unwrap_or_default()
}

#[tokio::test(start_paused = true)]
async fn reconnects_after_an_abrupt_drop_and_resubscribes() {
    let mut server = Server::start().await;
    let rec = Rec::default();
    let client = spawn_seeded(cfg(server.url()), rec.clone(), 1);
    let mut conn = server.conn().await;
    assert_eq!(conn.recv_text().await, SUB);
    conn.send_text("A").await;
    rec.until("A", |e| e.contains(&Ev::Frame("A".into()))).await;
    drop(conn);
    let mut conn = server.conn().await;
    assert_eq!(conn.recv_text().await, SUB);
    conn.send_text("B").await;
    rec.until("B", |e| e.contains(&Ev::Frame("B".into()))).await;
    assert_eq!(rec.frames(), ["A", "B"]);
    assert_eq!(rec.connects(), 2);
    assert_eq!(last_error(&rec), "connection dropped by the server");
    assert_eq!(rec.states().last(), Some(&LinkState::Connected));
    client.abort();
}

#[tokio::test(start_paused = true)]
async fn reconnects_after_a_close_frame() {
    let mut server = Server::start().await;
    let rec = Rec::default();
    let client = spawn_seeded(cfg(server.url()), rec.clone(), 2);
    let mut conn = server.conn().await;
    conn.recv_text().await;
    conn.close(1001).await;
    let mut conn = server.conn().await;
    assert_eq!(conn.recv_text().await, SUB);
    assert_eq!(last_error(&rec), "closed by server (1001: bye)");
    rec.until("second connect", |_| rec.connects() == 2).await;
    client.abort();
}

#[tokio::test(start_paused = true)]
async fn backs_off_while_the_server_is_down_then_comes_back() {
    let mut server = Server::start().await;
    let addr = server.addr;
    let rec = Rec::default();
    let client = spawn_seeded(cfg(server.url()), rec.clone(), 3);
    let mut conn = server.conn().await;
    conn.recv_text().await;
    server.stop();
    drop(conn);
    rec.until("six failed attempts", |e| {
        e.iter().filter_map(reconnecting).any(|r| r.0 >= 6)
    })
    .await;
    let mut server = Server::restart_on(addr).await;
    let mut conn = server.conn().await;
    assert_eq!(conn.recv_text().await, SUB, "subscribe sent again");
    rec.until("reconnected", |_| rec.connects() == 2).await;

    let log = rec.log();
    let tries: Vec<(i64, u32, i64, String)> = log
        .iter()
        .filter_map(|(at, e)| reconnecting(e).map(|(a, next, why)| (*at, a, next, why)))
        .collect();
    let attempts: Vec<u32> = tries.iter().map(|t| t.1).collect();
    assert_eq!(attempts[..6], [1, 2, 3, 4, 5, 6], "{tries:?}");
    assert!(
        tries[1..]
            .iter()
            .all(|t| t.3.starts_with("connection refused")),
        "{tries:?}"
    );
    for w in tries.windows(2) {
        let (at, attempt, next_try, _) = &w[0];
        let wait = next_try - at;
        // Full jitter under a doubling ceiling ...
        assert!(
            wait >= 0 && wait as u128 <= Backoff::ceiling(*attempt).as_millis(),
            "{w:?}"
        );
        // ... and the client really waited that long before trying again.
        assert!(w[1].0 >= *next_try, "{w:?}");
    }
    // The waits grow: the later ones are longer than the first ceiling.
    let late: i64 = tries[3..6].iter().map(|t| t.2 - t.0).sum();
    assert!(late > 500, "{tries:?}");
    client.abort();
}

#[tokio::test(start_paused = true)]
async fn a_stable_connection_resets_the_backoff() {
    let mut server = Server::start().await;
    let rec = Rec::default();
    let client = spawn_seeded(cfg(server.url()), rec.clone(), 4);
    // Two short-lived connections: the count of failures goes on.
    for _ in 0..2 {
        let mut conn = server.conn().await;
        conn.recv_text().await;
        drop(conn);
    }
    let mut conn = server.conn().await;
    conn.recv_text().await;
    let attempts = |rec: &Rec| -> Vec<u32> {
        rec.events()
            .iter()
            .filter_map(reconnecting)
            .map(|r| r.0)
            .collect()
    };
    assert_eq!(attempts(&rec), [1, 2]);
    // Up for 61 s (answering our pings), then dropped: attempt 1 again.
    let until = tokio::time::Instant::now() + Duration::from_secs(61);
    let reader = tokio::spawn(async move {
        while let Ok(Some(_)) = tokio::time::timeout_at(until, conn.recv()).await {}
        drop(conn);
    });
    reader.await.unwrap();
    rec.until("the third failure", |e| {
        e.iter().filter_map(reconnecting).count() == 3
    })
    .await;
    assert_eq!(attempts(&rec), [1, 2, 1]);
    client.abort();
}

#[tokio::test(start_paused = true)]
async fn a_silent_server_is_dropped_after_the_idle_timeout() {
    let mut server = Server::start().await;
    let rec = Rec::default();
    let client = spawn_seeded(cfg(server.url()), rec.clone(), 5);
    let mut conn = server.conn().await;
    conn.recv_text().await;
    conn.send_text("last words").await;
    // The server now neither sends nor reads (so our pings go unanswered).
    let mut second = server.conn().await;
    assert_eq!(second.recv_text().await, SUB);
    let log = rec.log();
    let heard = log
        .iter()
        .find(|(_, e)| *e == Ev::Frame("last words".into()))
        .unwrap()
        .0;
    let (gave_up, why) = log
        .iter()
        .find_map(|(at, e)| reconnecting(e).map(|r| (*at, r.2)))
        .unwrap();
    assert_eq!(why, "idle timeout");
    let quiet = gave_up - heard;
    assert!(
        (30_000..31_000).contains(&quiet),
        "gave up after {quiet} ms"
    );
    drop(conn);
    client.abort();
}
