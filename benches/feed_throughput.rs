//! Events per second the client takes from a loopback feed, through the
//! WebSocket reader, the feed-v1 decoder and the floor, into a Monitor.
//!
//! Each iteration sends one round of events (prepared before the clock
//! starts) and ends when the last frame has been applied.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use futures_util::SinkExt;
use queuetop_engine::dialect::{DialectKind, Signal};
use queuetop_engine::floor::{Floor, Settings};
use queuetop_engine::health::LinkState;
use queuetop_engine::monitor::{Monitor, SourceInfo, SourceKind};
use queuetop_engine::protocol::RejectKind;
use queuetop_feed::{FeedConfig, FeedSink, LocalClock, MonitorSink, WsTransport};
use tokio::net::TcpListener;
use tokio::sync::{Notify, mpsc};
use tokio_tungstenite::tungstenite::Message;

const ROUND: u64 = 100_000;

/// MonitorSink, plus a count of frames so the bench knows when a round is in.
struct Counting {
    inner: MonitorSink,
    frames: Arc<AtomicU64>,
    /// Wake the bench only when this many frames are in (waking it on every
    /// frame would measure thread switches, not the client).
    target: Arc<AtomicU64>,
    done: Arc<Notify>,
}

impl FeedSink for Counting {
    fn connected(&mut self, t: i64) {
        self.inner.connected(t);
        self.done.notify_one();
    }
    fn frame(&mut self, text: &str, t: i64) -> Signal {
        let s = self.inner.frame(text, t);
        let seen = self.frames.fetch_add(1, Ordering::Release) + 1;
        if seen >= self.target.load(Ordering::Acquire) {
            self.done.notify_one();
        }
        s
    }
    fn refused(&mut self, why: RejectKind, t: i64) {
        self.inner.refused(why, t);
    }
    fn state(&mut self, state: LinkState, t: i64) {
        self.inner.state(state, t);
    }
}

/// One event of a realistic mix: a contact queues, is answered, ends; its
/// agent goes to wrap-up and back.
fn event(i: u64, ts: i64, out: &mut String) {
    use std::fmt::Write;
    let c = i / 5;
    let q = c % 8;
    let a = c % 64;
    let _ = match i % 5 {
        0 => write!(
            out,
            r#"{{"type":"contact.queued","ts":{ts},"contact_id":"c{c}","queue":"q{q}","channel":"voice","customer_id":"cus{}"}}"#,
            c % 5000
        ),
        1 => write!(
            out,
            r#"{{"type":"contact.answered","ts":{ts},"contact_id":"c{c}","agent_id":"a{a}"}}"#
        ),
        2 => write!(
            out,
            r#"{{"type":"contact.ended","ts":{ts},"contact_id":"c{c}","resolved":true}}"#
        ),
        3 => write!(
            out,
            r#"{{"type":"agent.state","ts":{ts},"agent_id":"a{a}","state":"wrap_up","queues":["q{q}"]}}"#
        ),
        _ => write!(
            out,
            r#"{{"type":"agent.state","ts":{ts},"agent_id":"a{a}","state":"available","name":"Agent {a}"}}"#
        ),
    };
}

/// A round of frames of `per_frame` events each, stamped from `ts`.
fn round(start: u64, per_frame: u64, ts: &mut i64) -> Vec<String> {
    let mut frames = Vec::with_capacity((ROUND / per_frame) as usize);
    let mut i = start;
    while i < start + ROUND {
        let mut f = String::with_capacity(if per_frame > 1 {
            per_frame as usize * 130
        } else {
            160
        });
        if per_frame > 1 {
            f.push('[');
        }
        for k in 0..per_frame {
            if k > 0 {
                f.push(',');
            }
            event(i, *ts, &mut f);
            // 1 ms of feed time per event: 100 s a round.
            *ts += 1;
            i += 1;
        }
        if per_frame > 1 {
            f.push(']');
        }
        frames.push(f);
    }
    frames
}

fn now_ms() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_millis() as i64)
        .unwrap_or(0)
}

fn bench_case(c: &mut Criterion, name: &str, per_frame: u64) {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    let monitor = Arc::new(Mutex::new(Monitor::new(
        Floor::new(Settings::default()),
        SourceInfo {
            kind: SourceKind::Url,
            target: "bench".into(),
        },
        DialectKind::Native.make(),
    )));
    let frames_seen = Arc::new(AtomicU64::new(0));
    let target = Arc::new(AtomicU64::new(0));
    let done = Arc::new(Notify::new());
    // The server: sends each round it is given as fast as it can.
    let (tx, mut rounds) = mpsc::channel::<Vec<String>>(1);
    let addr = rt.block_on(async {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        tokio::spawn(async move {
            let (tcp, _) = listener.accept().await.unwrap();
            let mut ws = tokio_tungstenite::accept_async(tcp).await.unwrap();
            while let Some(frames) = rounds.recv().await {
                for f in frames {
                    ws.feed(Message::text(f)).await.unwrap();
                }
                ws.flush().await.unwrap();
            }
        });
        addr
    });
    let cfg = FeedConfig::new(format!("ws://{addr}/"));
    let transport = WsTransport::with_env(&cfg, &|_| None).unwrap();
    let sink = Counting {
        inner: MonitorSink::new(monitor.clone()),
        frames: frames_seen.clone(),
        target: target.clone(),
        done: done.clone(),
    };
    let client = rt.spawn(queuetop_feed::serve(
        transport,
        cfg.rules(),
        sink,
        LocalClock::System,
    ));
    rt.block_on(async {
        while !monitor.lock().unwrap().connected_once() {
            done.notified().await;
        }
    });

    let mut next_event = 0u64;
    let mut ts = now_ms();
    let mut group = c.benchmark_group("feed_throughput");
    group.throughput(Throughput::Elements(ROUND));
    group.sample_size(10);
    group.measurement_time(Duration::from_secs(8));
    group.bench_function(name, |b| {
        b.iter_custom(|iters| {
            let mut total = Duration::ZERO;
            for _ in 0..iters {
                let frames = round(next_event, per_frame, &mut ts);
                next_event += ROUND;
                let goal = frames_seen.load(Ordering::Acquire) + frames.len() as u64;
                target.store(goal, Ordering::Release);
                let start = Instant::now();
                rt.block_on(async {
                    tx.send(frames).await.unwrap();
                    while frames_seen.load(Ordering::Acquire) < goal {
                        done.notified().await;
                    }
                });
                total += start.elapsed();
            }
            total
        })
    });
    group.finish();
    let m = monitor.lock().unwrap();
    let counts = m.floor.counts();
    assert_eq!(counts.rejected, 0, "the bench feed must be valid");
    assert_eq!(counts.events, next_event, "every event applied");
    drop(m);
    client.abort();
}

/// The same rounds applied straight to a Monitor, without the network: the
/// share of the decoder and the floor in the figures above.
fn apply_only(c: &mut Criterion) {
    let mut group = c.benchmark_group("feed_throughput");
    group.throughput(Throughput::Elements(ROUND));
    group.sample_size(10);
    for (name, per_frame) in [("apply_only_batched_100", 100), ("apply_only_unbatched", 1)] {
        let mut m = Monitor::new(
            Floor::new(Settings::default()),
            SourceInfo {
                kind: SourceKind::Url,
                target: "bench".into(),
            },
            DialectKind::Native.make(),
        );
        let mut next_event = 0u64;
        let mut ts = now_ms();
        group.bench_function(name, |b| {
            b.iter_custom(|iters| {
                let mut total = Duration::ZERO;
                for _ in 0..iters {
                    let frames = round(next_event, per_frame, &mut ts);
                    next_event += ROUND;
                    let start = Instant::now();
                    for f in &frames {
                        m.live_frame(f, queuetop_engine::time::Ts(now_ms()));
                    }
                    total += start.elapsed();
                }
                total
            })
        });
    }
    group.finish();
}

fn batched(c: &mut Criterion) {
    bench_case(c, "batched_100_per_frame", 100);
}

fn unbatched(c: &mut Criterion) {
    bench_case(c, "one_event_per_frame", 1);
}

criterion_group!(benches, batched, unbatched, apply_only);
criterion_main!(benches);
