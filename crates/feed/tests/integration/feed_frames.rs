//! Hostile and odd frames, and a feed whose clock is not ours, through the
//! client into a real Monitor.

use crate::common;

use std::time::Duration;

use common::{Ev, Rec, Server, Tee, monitor, queued, spawn_client_clock};
use queuetop_engine::floor::WindowKind;
use queuetop_engine::protocol::RejectKind;
use queuetop_engine::snapshot;
use queuetop_engine::time::Ts;
use queuetop_feed::{FeedConfig, LocalClock, MonitorSink};

#[tokio::test(start_paused = true)]
async fn bad_frames_are_counted_and_nothing_else_is_lost() {
    let mut server = Server::start().await;
    let shared = monitor();
    let rec = Rec::default();
    let mut cfg = FeedConfig::new(server.url());
    cfg.max_frame_bytes = 4096;
    cfg.max_message_bytes = 4096;
    let clock = LocalClock::tokio_anchored();
    let t0 = clock.now_ms();
    let client = spawn_client_clock(
        cfg,
        Tee(MonitorSink::new(shared.clone()), rec.clone()),
        clock,
    );

    let mut conn = server.conn().await;
    conn.send_text(&queued("c1", "billing", t0)).await;
    conn.send_text("{not json").await;
    conn.send_binary(vec![1, 2, 3]).await;
    conn.send_text(&queued("c2", "billing", t0)).await;
    rec.until("c2", |e| {
        e.iter()
            .any(|e| matches!(e, Ev::Frame(f) if f.contains("c2")))
    })
    .await;
    {
        let m = shared.lock().unwrap();
        let c = m.floor.counts();
        assert_eq!(
            (c.events, c.rejected),
            (2, 2),
            "the binary frame did not drop the link"
        );
        assert_eq!(m.reconnects(), 0);
    }
    // An oversized frame breaks this connection (the limit is enforced from
    // the frame header, before its payload is read) ...
    conn.send_text(&format!(
        r#"{{"type":"heartbeat","ts":{t0},"pad":"{}"}}"#,
        "x".repeat(5000)
    ))
    .await;
    // ... the client comes back, and carries on.
    let mut conn2 = server.conn().await;
    conn2.send_text(&queued("c3", "sales", t0)).await;
    rec.until("c3", |e| {
        e.iter()
            .any(|e| matches!(e, Ev::Frame(f) if f.contains("c3")))
    })
    .await;
    let refused: Vec<RejectKind> = rec
        .events()
        .into_iter()
        .filter_map(|e| match e {
            Ev::Refused(k) => Some(k),
            _ => None,
        })
        .collect();
    assert_eq!(refused, [RejectKind::Binary, RejectKind::TooLarge]);
    let mut m = shared.lock().unwrap();
    m.tick(Ts(clock.now_ms()));
    let c = m.floor.counts();
    // 3 events; refused: not JSON, binary, too large.
    assert_eq!((c.events, c.rejected), (3, 3));
    assert_eq!(m.reconnects(), 1);
    let snap = snapshot::build(&m, WindowKind::Rolling, Some(Ts(clock.now_ms())), 5_000);
    assert_eq!(snap.totals.waiting, 3);
    assert_eq!(snap.feed.rejected, 3);
    drop(m);
    drop(conn);
    client.abort();
}

#[tokio::test(start_paused = true)]
async fn a_feed_clock_an_hour_ahead_still_gives_true_waits() {
    let mut server = Server::start().await;
    let shared = monitor();
    let rec = Rec::default();
    let clock = LocalClock::tokio_anchored();
    let client = spawn_client_clock(
        FeedConfig::new(server.url()),
        Tee(MonitorSink::new(shared.clone()), rec.clone()),
        clock,
    );
    let ahead = 3_600_000;
    let mut conn = server.conn().await;
    let feed_now = clock.now_ms() + ahead;
    // One contact queued 5 s ago on the feed's clock, one just now.
    conn.send_text(&format!(
        "[{},{}]",
        queued("early", "billing", feed_now - 5_000),
        queued("now", "billing", feed_now)
    ))
    .await;
    rec.until("the batch", |e| e.iter().any(|e| matches!(e, Ev::Frame(_))))
        .await;
    // 20 s pass (the server answers our pings meanwhile).
    let until = tokio::time::Instant::now() + Duration::from_secs(20);
    while let Ok(Some(_)) = tokio::time::timeout_at(until, conn.recv()).await {}
    let local = Ts(clock.now_ms());
    let mut m = shared.lock().unwrap();
    m.tick(local);
    let snap = snapshot::build(&m, WindowKind::Rolling, Some(local), 5_000);
    assert_eq!(snap.feed.clock_offset_s, -3600.0);
    assert_eq!(snap.now, Ts(feed_now + 20_000).to_string());
    assert_eq!(snap.totals.waiting, 2);
    assert_eq!(snap.totals.longest_wait_s, 25.0);
    assert_eq!(snap.queues[0].figures.longest_wait_s, 25.0);
    drop(m);
    client.abort();
}
