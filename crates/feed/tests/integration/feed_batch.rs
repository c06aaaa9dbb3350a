//! A batch frame with one number no f64 can hold (`1e400`, valid JSON
//! syntax): through the client into a real Monitor, only that event is
//! refused.

use crate::common;

use common::{Ev, Rec, Server, Tee, monitor, queued, spawn_client_clock};
use queuetop_engine::floor::WindowKind;
use queuetop_engine::snapshot;
use queuetop_engine::time::Ts;
use queuetop_feed::{FeedConfig, LocalClock, MonitorSink};

#[tokio::test(start_paused = true)]
async fn one_out_of_range_ts_costs_only_its_event() {
    let mut server = Server::start().await;
    let shared = monitor();
    let rec = Rec::default();
    let clock = LocalClock::tokio_anchored();
    let t0 = clock.now_ms();
    let client = spawn_client_clock(
        FeedConfig::new(server.url()),
        Tee(MonitorSink::new(shared.clone()), rec.clone()),
        clock,
    );
    let mut conn = server.conn().await;
    let frame = format!(
        "[{},{},{},{}]",
        queued("c1", "billing", t0 - 4000),
        r#"{"type":"contact.queued","ts":1e400,"contact_id":"c2","queue":"billing"}"#,
        queued("c3", "billing", t0 - 2000),
        format_args!(
            r#"{{"type":"contact.answered","ts":{t0},"contact_id":"c1","agent_id":"a1"}}"#
        ),
    );
    conn.send_text(&frame).await;
    rec.until("the batch", |e| e.iter().any(|e| matches!(e, Ev::Frame(_))))
        .await;
    let local = Ts(clock.now_ms());
    let mut m = shared.lock().unwrap();
    m.tick(local);
    let s = snapshot::build(&m, WindowKind::Rolling, Some(local), 5_000);
    assert_eq!((s.feed.events, s.feed.rejected), (3, 1));
    assert_eq!(s.totals.entered, 2);
    assert_eq!(s.totals.answered, 1);
    assert_eq!(s.totals.waiting, 1, "c3 waits; c2 was never applied");
    assert_eq!(s.agents.len(), 1);
    assert_eq!(s.agents[0].contacts[0].contact_id, "c1");
    drop(m);
    client.abort();
}
