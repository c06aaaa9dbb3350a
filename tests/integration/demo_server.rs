//! The demo server, spoken to by a real WebSocket client over loopback.

use std::collections::BTreeMap;
use std::time::Duration;

use futures_util::{SinkExt, StreamExt};
use queuetop::demo::roster::{AGENTS, QUEUES};
use queuetop::demo::serve_in_process;
use queuetop_engine::floor::{Floor, Settings};
use queuetop_engine::protocol::{Decoded, Event, EventKind, decode_frame};
use tokio::net::TcpStream;
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::{MaybeTlsStream, WebSocketStream, connect_async};

type Client = WebSocketStream<MaybeTlsStream<TcpStream>>;

/// Busy enough that a test sees events within a second or two.
const RATE: f64 = 50.0;

fn decode(text: &str) -> Event<'static> {
    let mut out = Vec::new();
    decode_frame(text, |d| out.push(d));
    match out.pop() {
        Some(Decoded::Event(ev)) if out.is_empty() => ev.into_owned(),
        other => panic!("not one event: {other:?} from {text}"),
    }
}

/// The next message, whatever it is.
async fn next(ws: &mut Client) -> Message {
    tokio::time::timeout(Duration::from_secs(20), ws.next())
        .await
        .expect("a frame within 20 s")
        .expect("the connection is open")
        .expect("a good frame")
}

/// The next text frame, as its text and its event.
async fn next_event(ws: &mut Client) -> (String, Event<'static>) {
    loop {
        if let Message::Text(t) = next(ws).await {
            let text = t.to_string();
            let ev = decode(&text);
            return (text, ev);
        }
    }
}

/// Reads the greeting (snapshot, then `queue.info` for each queue) and
/// `n` live events; returns the snapshot and the live events by `seq`.
async fn session(ws: &mut Client, n: usize) -> (Event<'static>, BTreeMap<u64, String>) {
    // First the recent past, numbered, then the snapshot.
    let (_, mut snap) = next_event(ws).await;
    let mut past: Vec<Event<'static>> = Vec::new();
    while !matches!(snap.kind, EventKind::Snapshot(_)) {
        past.push(snap);
        snap = next_event(ws).await.1;
    }
    assert!(
        past.len() > QUEUES.len(),
        "the recent past comes before the snapshot"
    );
    // It opens with every queue's queue.info, unnumbered, at its first
    // instant (see the_recent_past_is_read_with_each_queues_threshold...).
    let (preamble, past) = past.split_at(QUEUES.len());
    for info in preamble {
        assert!(matches!(info.kind, EventKind::QueueInfo { .. }), "{info:?}");
        assert_eq!((info.seq, info.ts), (None, past[0].ts));
    }
    for pair in past.windows(2) {
        assert_eq!(
            pair[1].seq,
            pair[0].seq.map(|s| s + 1),
            "the past is numbered without gaps"
        );
    }
    let first = past.first().map(|e| e.ts).unwrap_or(snap.ts);
    assert!(
        first >= snap.ts.minus(15 * 60_000),
        "at most 15 minutes of past"
    );
    assert!(
        past.iter().all(|e| e.ts <= snap.ts),
        "nothing from the future"
    );
    for _ in 0..QUEUES.len() {
        let (_, info) = next_event(ws).await;
        assert!(matches!(info.kind, EventKind::QueueInfo { .. }), "{info:?}");
    }
    let mut live = BTreeMap::new();
    let mut last = None;
    while live.len() < n {
        let (text, ev) = next_event(ws).await;
        let seq = ev.seq.expect("live events carry seq");
        if let Some(prev) = last {
            assert_eq!(seq, prev + 1, "seq goes up by one");
        }
        assert!(ev.ts >= snap.ts, "no event older than the snapshot");
        last = Some(seq);
        live.insert(seq, text);
    }
    (snap, live)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn clients_get_a_snapshot_then_the_same_live_stream() {
    let (addr, server) = serve_in_process(5, RATE).await.unwrap();
    assert!(addr.ip().is_loopback());
    let url = format!("ws://{addr}");
    let (mut a, _) = connect_async(&url).await.unwrap();
    let (mut b, _) = connect_async(&url).await.unwrap();

    let (snap_a, live_a) = session(&mut a, 15).await;
    let (_, live_b) = session(&mut b, 15).await;

    // The snapshot is the whole warmed-up floor.
    let EventKind::Snapshot(body) = &snap_a.kind else {
        panic!("the first frame is not a snapshot: {snap_a:?}");
    };
    assert_eq!(snap_a.seq, None);
    assert_eq!(body.agents.len(), AGENTS.len());
    assert_eq!(body.queues.len(), QUEUES.len());
    assert!(body.agents.iter().any(|a| !a.contacts.is_empty()));
    let now_ms = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_millis() as i64;
    assert!(
        (now_ms - snap_a.ts.0).abs() < 60_000,
        "stamped with the wall clock"
    );

    // Both clients see the same events, word for word.
    let common: Vec<_> = live_a.keys().filter(|s| live_b.contains_key(s)).collect();
    assert!(common.len() >= 5, "the streams hardly overlap: {common:?}");
    for s in common {
        assert_eq!(live_a[s], live_b[s]);
    }
    server.abort();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_floor_fed_by_the_server_refuses_nothing() {
    let (addr, server) = serve_in_process(8, RATE).await.unwrap();
    let (mut ws, _) = connect_async(format!("ws://{addr}")).await.unwrap();
    let mut floor = Floor::new(Settings::default());
    // The recent past, the snapshot, the queue.info greeting, then live.
    let mut after_snapshot = None;
    while after_snapshot.is_none_or(|n| n < QUEUES.len() + 20) {
        let Message::Text(t) = next(&mut ws).await else {
            continue;
        };
        decode_frame(&t, |d| {
            if let Decoded::Event(ev) = &d {
                floor.advance(ev.ts);
                if matches!(ev.kind, EventKind::Snapshot(_)) {
                    after_snapshot = Some(0);
                } else if let Some(n) = &mut after_snapshot {
                    *n += 1;
                }
            }
            floor.ingest(&d);
        });
    }
    let counts = floor.counts();
    assert_eq!((counts.rejected, counts.unknown, counts.gaps), (0, 0, 0));
    assert_eq!(floor.agent_ids().count(), AGENTS.len());
    server.abort();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pings_are_answered_and_client_text_is_ignored() {
    let (addr, server) = serve_in_process(2, RATE).await.unwrap();
    let (mut ws, _) = connect_async(format!("ws://{addr}")).await.unwrap();
    let mut snap = next_event(&mut ws).await.1;
    while !matches!(snap.kind, EventKind::Snapshot(_)) {
        snap = next_event(&mut ws).await.1; // the recent past
    }
    assert!(matches!(snap.kind, EventKind::Snapshot(_)));

    ws.send(Message::text(r#"{"action":"subscribe","queues":["*"]}"#))
        .await
        .unwrap();
    ws.send(Message::Ping(b"are you there".to_vec().into()))
        .await
        .unwrap();
    let mut texts_after = 0;
    loop {
        match next(&mut ws).await {
            Message::Pong(p) => {
                assert_eq!(&p[..], b"are you there");
                break;
            }
            Message::Text(_) => texts_after += 1,
            Message::Close(c) => panic!("closed: {c:?}"),
            _ => {}
        }
    }
    // Still served after both.
    let (_, ev) = next_event(&mut ws).await;
    assert!(ev.seq.is_some() || matches!(ev.kind, EventKind::QueueInfo { .. }));
    assert!(texts_after < 10_000);
    server.abort();
}

/// Each queue's service level over the rolling window, settled.
fn service_levels(floor: &mut Floor) -> Vec<(String, Option<f64>)> {
    floor.settle();
    floor
        .queue_views(queuetop_engine::floor::WindowKind::Rolling)
        .into_iter()
        .map(|v| (v.id.to_string(), v.figures.service_level))
        .collect()
}

/// The day's opening, which announced each queue's service-level
/// threshold, lies further back than the recent past a client is sent;
/// without a `queue.info` first, the past's waits would be counted against
/// the default threshold until the greeting's `queue.info` came, and a
/// rewind into that past would show other figures than the live view.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_recent_past_is_read_with_each_queues_threshold_from_its_first_frame() {
    let (addr, server) = serve_in_process(1, RATE).await.unwrap();
    let (mut ws, _) = connect_async(format!("ws://{addr}")).await.unwrap();
    let mut floor = Floor::new(Settings::default());
    let mut announced = std::collections::BTreeSet::new();
    let mut first_ts = None;
    let mut before_hello = None;
    let mut greeting_left = None;
    while greeting_left != Some(0) {
        let Message::Text(t) = next(&mut ws).await else {
            continue;
        };
        let ev = decode(&t);
        let first = *first_ts.get_or_insert(ev.ts);
        match &ev.kind {
            EventKind::QueueInfo { queue, .. } if before_hello.is_none() => {
                assert_eq!(ev.ts, first, "announced at the past's first instant");
                announced.insert(queue.to_string());
            }
            EventKind::Queued { queue, .. } if before_hello.is_none() => {
                assert!(
                    announced.contains(queue.as_ref()),
                    "{queue} before its queue.info"
                );
            }
            EventKind::Snapshot(_) => {
                // The past is in; the snapshot and the queues' greeting follow.
                before_hello = Some(service_levels(&mut floor));
                greeting_left = Some(QUEUES.len() + 1);
            }
            _ => {}
        }
        floor.advance(ev.ts);
        floor.apply(&ev);
        if let Some(n) = &mut greeting_left {
            *n -= 1;
        }
    }
    assert_eq!(announced.len(), QUEUES.len());
    // The greeting's queue.info changes no figure of the past.
    let before = before_hello.expect("a snapshot came");
    assert!(before.iter().any(|(_, sl)| sl.is_some()), "{before:?}");
    assert_eq!(before, service_levels(&mut floor));
    server.abort();
}
