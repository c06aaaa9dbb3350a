//! `seq` across reconnects, through the client into a real Monitor: a
//! server that resumes from an earlier point has its repeats dropped, and a
//! restarted server that numbers from 1 again (announcing itself with a
//! `snapshot`) loses nothing.

use crate::common;

use std::sync::{Arc, Mutex};

use common::{Conn, Ev, Rec, Server, Tee, monitor, spawn_client_clock};
use queuetop_engine::floor::WindowKind;
use queuetop_engine::monitor::Monitor;
use queuetop_engine::snapshot;
use queuetop_engine::time::Ts;
use queuetop_feed::{FeedConfig, LocalClock, MonitorSink};

const AGENTS: usize = 4;
const CONTACTS: usize = 400;

/// The feed's events, numbered from `first_seq`: four agents come
/// available (unless `agents` is false), then contacts overlap as on a real
/// floor: each is queued, answered two steps later and ended two after
/// that, so at any cut some wait and some talk. 400 ms of feed time between
/// events, all inside the 15-minute window.
fn day(base: i64, first_seq: u64, tag: &str, agents: bool) -> Vec<String> {
    let mut bodies = Vec::new();
    if agents {
        for a in 0..AGENTS {
            bodies.push(format!(
                r#""type":"agent.state","agent_id":"a{a}","state":"available","queues":["billing"]"#
            ));
        }
    }
    for step in 0..CONTACTS + 4 {
        if step < CONTACTS {
            bodies.push(format!(
                r#""type":"contact.queued","contact_id":"{tag}{step}","queue":"billing""#
            ));
        }
        if let Some(c) = step.checked_sub(2).filter(|c| *c < CONTACTS) {
            let agent = c % AGENTS;
            bodies.push(format!(
                r#""type":"contact.answered","contact_id":"{tag}{c}","agent_id":"a{agent}""#
            ));
        }
        if let Some(c) = step.checked_sub(4).filter(|c| *c < CONTACTS) {
            bodies.push(format!(r#""type":"contact.ended","contact_id":"{tag}{c}""#));
        }
    }
    bodies
        .into_iter()
        .enumerate()
        .map(|(k, body)| {
            let seq = first_seq + k as u64;
            let ts = base + k as i64 * 400;
            format!(r#"{{"ts":{ts},"seq":{seq},{body}}}"#)
        })
        .collect()
}

/// What a supervisor reads: the window's counts and each agent's handled.
#[derive(Debug, PartialEq)]
struct Figures {
    entered: i64,
    answered: i64,
    aht_s: Option<f64>,
    handled: Vec<(String, i64)>,
}

fn figures(m: &Arc<Mutex<Monitor>>, local: Ts) -> (Figures, u64) {
    let mut m = m.lock().unwrap();
    m.tick(local);
    let s = snapshot::build(&m, WindowKind::Rolling, Some(local), 5_000);
    let f = Figures {
        entered: s.totals.entered,
        answered: s.totals.answered,
        aht_s: s.totals.aht_s,
        handled: s
            .agents
            .iter()
            .map(|a| (a.agent_id.clone(), a.handled))
            .collect(),
    };
    (f, s.feed.duplicates)
}

struct Run {
    server: Server,
    shared: Arc<Mutex<Monitor>>,
    rec: Rec,
    clock: LocalClock,
    client: tokio::task::JoinHandle<()>,
}

async fn start() -> Run {
    let server = Server::start().await;
    let shared = monitor();
    let rec = Rec::default();
    let clock = LocalClock::tokio_anchored();
    let client = spawn_client_clock(
        FeedConfig::new(server.url()),
        Tee(MonitorSink::new(shared.clone()), rec.clone()),
        clock,
    );
    Run {
        server,
        shared,
        rec,
        clock,
        client,
    }
}

/// Sends `frames`, then waits until the client has read the last one (so a
/// drop after it loses nothing in flight).
async fn send_all(rec: &Rec, conn: &mut Conn, frames: &[String]) {
    for f in frames {
        conn.send_text(f).await;
    }
    let last = frames.last().expect("frames").clone();
    let count = frames.iter().filter(|f| **f == last).count();
    rec.until("the last frame", |e| {
        e.iter().filter(|e| **e == Ev::Frame(last.clone())).count() >= count
    })
    .await;
}

/// The same feed over one connection that is never cut.
async fn uncut(events: &[String]) -> Figures {
    let mut run = start().await;
    let mut conn = run.server.conn().await;
    send_all(&run.rec, &mut conn, events).await;
    let (f, dups) = figures(&run.shared, Ts(run.clock.now_ms()));
    assert_eq!(dups, 0);
    run.client.abort();
    f
}

/// The link drops after `cut` events; the server then resumes from the
/// event numbered `resume_from` (1 = the whole feed again).
async fn cut_and_resume(events: &[String], cut: usize, resume_from: usize) -> (Figures, u64) {
    let mut run = start().await;
    let mut conn = run.server.conn().await;
    send_all(&run.rec, &mut conn, &events[..cut]).await;
    drop(conn);
    let mut conn = run.server.conn().await;
    send_all(&run.rec, &mut conn, &events[resume_from - 1..]).await;
    assert_eq!(run.rec.connects(), 2);
    let out = figures(&run.shared, Ts(run.clock.now_ms()));
    run.client.abort();
    out
}

fn base() -> i64 {
    // Feed time ending about now: the events span 8 minutes.
    LocalClock::tokio_anchored().now_ms() - (AGENTS + 3 * CONTACTS) as i64 * 400
}

#[tokio::test(start_paused = true)]
async fn a_resume_from_seq_1_counts_nothing_twice() {
    let events = day(base(), 1, "c", true);
    let want = uncut(&events).await;
    assert_eq!(want.entered, CONTACTS as i64);
    assert_eq!(want.answered, CONTACTS as i64);
    assert!(want.handled.iter().all(|(_, h)| *h == 100), "{want:?}");
    let (got, dups) = cut_and_resume(&events, 900, 1).await;
    assert_eq!(got, want);
    assert_eq!(dups, 900, "every repeat dropped as a duplicate");
}

#[tokio::test(start_paused = true)]
async fn a_resume_with_an_overlap_of_300_frames_counts_nothing_twice() {
    let events = day(base(), 1, "c", true);
    let want = uncut(&events).await;
    let (got, dups) = cut_and_resume(&events, 900, 601).await;
    assert_eq!(got, want);
    assert_eq!(dups, 300);
}

/// The restarted server's `snapshot`: nobody waits, the agents available.
fn snapshot_event(ts: i64, seq: u64) -> String {
    let agents: Vec<String> = (0..AGENTS)
        .map(|a| {
            format!(
                r#"{{"agent_id":"a{a}","state":"available","since":{ts},"queues":["billing"]}}"#
            )
        })
        .collect();
    format!(
        r#"{{"type":"snapshot","ts":{ts},"seq":{seq},"queues":[{{"queue":"billing","waiting":[]}}],"agents":[{}]}}"#,
        agents.join(",")
    )
}

#[tokio::test(start_paused = true)]
async fn a_restarted_server_numbering_from_1_with_a_snapshot_loses_nothing() {
    let b = LocalClock::tokio_anchored().now_ms() - 300_000;
    // Before the restart, seq 1..=304: 102 contacts queued, 100 answered, 98
    // ended (25, 25, 24 and 24 per agent); two wait and two talk when it
    // goes.
    let before: Vec<String> = day(b, 1, "old", true)[..AGENTS + 300].to_vec();
    // After it: a snapshot as seq 1 (nobody waits, nobody talks), then the
    // same again for new contacts from seq 2 on: every number one already
    // applied before the restart.
    let later = b + 304 * 400;
    let mut after = vec![snapshot_event(later, 1)];
    let new = day(later + 400, 2, "new", false);
    after.extend_from_slice(&new[..300]);

    let Run {
        server,
        shared,
        rec,
        clock,
        client,
    } = start().await;
    let mut server = server;
    let addr = server.addr;
    let mut conn = server.conn().await;
    send_all(&rec, &mut conn, &before).await;
    drop(conn);
    server.stop();
    // Let the aborted listener go before its port is bound again.
    tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    let mut server = Server::restart_on(addr).await;
    let mut conn = server.conn().await;
    send_all(&rec, &mut conn, &after).await;
    let (got, dups) = figures(&shared, Ts(clock.now_ms()));
    assert_eq!(dups, 0, "{got:?}");
    assert_eq!((got.entered, got.answered), (204, 200), "{got:?}");
    let handled: Vec<i64> = got.handled.iter().map(|(_, h)| *h).collect();
    assert_eq!(handled, [50, 50, 48, 48], "{got:?}");

    // The new numbering holds across the next cut: the restarted server
    // resumes with an overlap of 50 events, dropped as repeats; the 30 after
    // them queue, answer and end 10 contacts each.
    drop(conn);
    let mut conn = server.conn().await;
    send_all(&rec, &mut conn, &new[250..330]).await;
    let (got, dups) = figures(&shared, Ts(clock.now_ms()));
    assert_eq!(dups, 50, "{got:?}");
    assert_eq!((got.entered, got.answered), (214, 210), "{got:?}");
    client.abort();
}
