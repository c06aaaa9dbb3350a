//! The rewind history: the floor reached by seeking to `t` is the floor of
//! a replay stopped at `t` (their JSON snapshots are identical), the bytes
//! stay inside the bound on a long run, and a checkpoint's byte estimate is
//! close to what a copy of the floor really allocates.

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;

use proptest::prelude::*;
use queuetop_engine::dialect::DialectKind;
use queuetop_engine::floor::{Floor, Settings, WindowKind};
use queuetop_engine::history::Bounds;
use queuetop_engine::monitor::{Monitor, SourceInfo, SourceKind};
use queuetop_engine::protocol::{Decoded, decode_frame};
use queuetop_engine::snapshot;
use queuetop_engine::time::Ts;
use serde_json::{Value, json};

#[path = "../../../../benches/stream.rs"]
#[allow(dead_code)]
mod stream;

const T0: i64 = 1_795_424_400_000;

fn monitor() -> Monitor {
    Monitor::new(
        Floor::new(Settings::default()),
        SourceInfo::new(SourceKind::Replay, "test"),
        DialectKind::Native.make(),
    )
}

/// Both windows' snapshots of a floor, wrapped alike (the snapshot reads
/// the monitor around the floor too).
fn figures(floor: Floor) -> (Value, Value) {
    let m = Monitor::new(
        floor,
        SourceInfo::new(SourceKind::Replay, "test"),
        DialectKind::Native.make(),
    );
    let json = |k| serde_json::to_value(snapshot::build(&m, k, None, 5_000)).expect("json");
    (json(WindowKind::Rolling), json(WindowKind::Today))
}

/// Feeds one line as a paced replay does (`--speed` other than `max`):
/// each event waits until the replay's clock reaches its time (the floor's
/// clock moves there), then is applied; items after an event due past
/// `stop` are not applied. Returns false once stopped.
fn paced(m: &mut Monitor, line: &str, stop: Option<Ts>) -> bool {
    let mut items = Vec::new();
    let now = m.floor.now();
    m.dialect_mut()
        .decode(line, now, &mut |d| items.push(d.into_owned()));
    for d in items {
        if let Decoded::Event(ev) = &d {
            if stop.is_some_and(|t| ev.ts > t) {
                return false;
            }
            m.floor.advance(ev.ts);
        }
        m.replay_decoded(&d);
    }
    true
}

/// A paced replay stopped at `t`: every item up to the first event due
/// after `t`, then the clock moved on to `t`.
fn replay_stopped_at(lines: &[String], t: Ts) -> Floor {
    let mut m = monitor();
    for line in lines {
        if !paced(&mut m, line, Some(t)) {
            break;
        }
    }
    m.floor.advance(t);
    m.floor.settle();
    m.floor
}

fn recorded(lines: &[String], bounds: Bounds) -> Monitor {
    let mut m = monitor();
    m.keep_history(bounds);
    for line in lines {
        paced(&mut m, line, None);
    }
    m
}

/// The time of the frame's first event, if it holds one.
fn event_ts(line: &str) -> Option<Ts> {
    let mut ts = None;
    decode_frame(line, |d| {
        if let (None, Decoded::Event(ev)) = (ts, &d) {
            ts = Some(ev.ts);
        }
    });
    ts
}

fn small_bounds(every_s: i64, steps: usize) -> Bounds {
    Bounds {
        checkpoint_every: every_s * 1_000,
        checkpoint_steps: steps,
        ..Bounds::default()
    }
}

/// One frame of a feed over a small world (so events collide), junk
/// included, its time a little after the one before (sometimes before it).
fn frame() -> impl Strategy<Value = (Value, i64)> {
    let contact = (0..8u8).prop_map(|i| format!("c{i}"));
    let agent = (0..4u8).prop_map(|i| format!("a{i}"));
    let queue = (0..3u8).prop_map(|i| format!("q{i}"));
    let state = prop::sample::select(vec!["available", "busy", "wrap_up", "away", "offline"]);
    let kind = prop_oneof![
        4 => (contact.clone(), queue.clone(), prop::option::of(0..3u8)).prop_map(|(c, q, k)| {
            let mut v = json!({"type":"contact.queued","contact_id":c,"queue":q,"channel":"chat"});
            if let Some(k) = k {
                v["customer_id"] = json!(format!("k{k}"));
            }
            v
        }),
        4 => (contact.clone(), agent.clone())
            .prop_map(|(c, a)| json!({"type":"contact.answered","contact_id":c,"agent_id":a})),
        2 => contact.clone().prop_map(|c| json!({"type":"contact.first_response","contact_id":c})),
        2 => contact.clone().prop_map(|c| json!({"type":"contact.abandoned","contact_id":c})),
        1 => contact.clone().prop_map(|c| json!({"type":"contact.hold","contact_id":c})),
        1 => contact.clone().prop_map(|c| json!({"type":"contact.resumed","contact_id":c})),
        3 => (contact.clone(), any::<bool>())
            .prop_map(|(c, r)| json!({"type":"contact.ended","contact_id":c,"resolved":r})),
        1 => (contact.clone(), agent.clone())
            .prop_map(|(c, a)| json!({"type":"contact.message","contact_id":c,"from":"agent","agent_id":a})),
        1 => (contact.clone(), 1..6i64)
            .prop_map(|(c, s)| json!({"type":"contact.survey","contact_id":c,"csat":s})),
        2 => (agent.clone(), state, prop::collection::vec(queue.clone(), 0..3))
            .prop_map(|(a, s, qs)| json!({"type":"agent.state","agent_id":a,"state":s,"queues":qs})),
        1 => (queue.clone(), 5..60u32)
            .prop_map(|(q, t)| json!({"type":"queue.info","queue":q,"sl_threshold_s":t})),
        1 => Just(json!({"type":"heartbeat"})),
        1 => (contact.clone(), agent.clone(), queue.clone()).prop_map(|(c, a, q)| json!({"type":"snapshot",
            "queues":[{"queue":q,"waiting":[{"contact_id":c,"since":T0}]}],
            "agents":[{"agent_id":a,"state":"available","since":T0}]})),
        1 => Just(json!({"type":"contact.queued","contact_id":7})),
        1 => Just(json!({"type":"mystery","seq":3})),
    ];
    (kind, -3_000i64..40_000, prop::option::of(0u64..400)).prop_map(|(mut v, dt, seq)| {
        if let Some(s) = seq {
            v["seq"] = json!(s);
        }
        (v, dt)
    })
}

/// A feed of 50 to 400 frames spread over up to a few hours, with a few
/// lines that are not JSON at all.
fn feed() -> impl Strategy<Value = Vec<String>> {
    prop::collection::vec(frame(), 50..400).prop_map(|frames| {
        let mut t = T0;
        let mut out = Vec::new();
        for (i, (mut v, dt)) in frames.into_iter().enumerate() {
            t += dt;
            v["ts"] = json!(t);
            out.push(v.to_string());
            if i % 97 == 13 {
                out.push("{not json".to_string());
            }
        }
        out
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn seeking_to_t_gives_the_floor_of_a_replay_stopped_at_t(
        lines in feed(),
        every_s in 10i64..600,
        steps in 3usize..80,
        at in 0.0f64..1.05,
        on_an_event in any::<bool>(),
        pick in any::<prop::sample::Index>(),
    ) {
        let m = recorded(&lines, small_bounds(every_s, steps));
        let h = m.history().expect("kept");
        let times: Vec<Ts> = lines.iter().filter_map(|l| event_ts(l)).collect();
        let first = times.first().copied().unwrap_or(Ts(T0));
        let span = h.latest().since(first).max(1) as f64;
        // Half the time exactly an event's time: the edge of a step.
        let t = if on_an_event && !times.is_empty() {
            (*pick.get(&times)).max(first)
        } else {
            first.plus((span * at) as i64)
        };
        prop_assert_eq!(figures(h.seek(t)), figures(replay_stopped_at(&lines, t)));
    }
}

/// The same on a long, realistic feed: 50 agents, 5 queues, 20,000 events
/// (a few hours of feed time), at a spread of instants.
#[test]
fn seeking_a_long_realistic_feed_matches_its_replay() {
    let lines = stream::generate(&stream::Shape {
        agents: 50,
        queues: 5,
        events: 20_000,
        conversations: true,
    });
    let m = recorded(&lines, Bounds::default());
    let h = m.history().expect("kept");
    assert!(h.checkpoints() > 5, "{} checkpoints", h.checkpoints());
    let (first, last) = (h.earliest(), h.latest());
    for k in 0..=12 {
        // Seven minutes and a bit apart: checkpoints, and between them.
        let t = first.plus(k * 7 * 60_000 + 1_234).min(last);
        // And the time of the first event at or after it: a step's edge.
        let edge = lines
            .iter()
            .filter_map(|l| event_ts(l))
            .find(|&e| e >= t)
            .unwrap_or(last);
        assert_eq!(
            figures(h.seek(edge)),
            figures(replay_stopped_at(&lines, edge)),
            "at {edge:?}"
        );
        assert_eq!(
            figures(h.seek(t)),
            figures(replay_stopped_at(&lines, t)),
            "at {t:?}"
        );
    }
}

#[test]
fn the_day_sample_seeks_like_its_replay() {
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../tests/resources/sample-day.jsonl"
    ))
    .expect("sample day");
    let lines: Vec<String> = text.lines().map(str::to_string).collect();
    let m = recorded(&lines, small_bounds(60, 4));
    let h = m.history().expect("kept");
    let (first, last) = (h.earliest(), h.latest());
    let mut t = first;
    while t <= last.plus(60_000) {
        assert_eq!(figures(h.seek(t)), figures(replay_stopped_at(&lines, t)));
        t = t.plus(17_000);
    }
}

#[test]
fn a_long_run_stays_inside_the_byte_bound_and_keeps_the_newest() {
    let lines = stream::generate(&stream::Shape {
        agents: 200,
        queues: 20,
        events: 60_000,
        conversations: false,
    });
    let bounds = Bounds {
        max_bytes: 2 << 20,
        checkpoint_every: 60_000,
        ..Bounds::default()
    };
    let mut m = monitor();
    m.keep_history(bounds);
    let mut evicted = false;
    let mut earliest = Ts(i64::MIN);
    for line in &lines {
        paced(&mut m, line, None);
        let h = m.history().expect("kept");
        assert!(
            h.bytes() <= bounds.max_bytes || h.checkpoints() == 1,
            "{} bytes in {} checkpoints",
            h.bytes(),
            h.checkpoints()
        );
        evicted |= h.earliest() > earliest && earliest != Ts(i64::MIN);
        earliest = h.earliest();
    }
    assert!(evicted, "the bound never let anything go");
    // What is left still seeks right, oldest and newest.
    let h = m.history().expect("kept");
    for t in [h.earliest(), h.latest()] {
        assert_eq!(
            figures(h.seek(t)),
            figures(replay_stopped_at(&lines, t)),
            "at {t:?}"
        );
    }
}

#[test]
fn the_age_bound_lets_the_oldest_hours_go() {
    let lines = stream::generate(&stream::Shape {
        agents: 100,
        queues: 10,
        events: 40_000,
        conversations: false,
    });
    let bounds = Bounds {
        max_age: 30 * 60_000,
        checkpoint_every: 60_000,
        ..Bounds::default()
    };
    let m = recorded(&lines, bounds);
    let h = m.history().expect("kept");
    let covered = h.latest().since(h.earliest());
    assert!(
        h.latest().since(Ts(T0)) > 2 * bounds.max_age,
        "the feed is long enough"
    );
    // The last half hour, and at most one checkpoint's spacing more.
    assert!(covered >= bounds.max_age, "{covered} ms kept");
    assert!(
        covered <= bounds.max_age + 2 * bounds.checkpoint_every,
        "{covered} ms kept"
    );
}

// ---- what a copy of the floor allocates ---------------------------------

/// Counts the bytes allocated on this thread (tests run on many threads at
/// once; each measures only its own).
struct Counting;

thread_local! {
    static NET: Cell<isize> = const { Cell::new(0) };
}

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, l: Layout) -> *mut u8 {
        let _ = NET.try_with(|n| n.set(n.get() + l.size() as isize));
        unsafe { System.alloc(l) }
    }
    unsafe fn dealloc(&self, p: *mut u8, l: Layout) {
        let _ = NET.try_with(|n| n.set(n.get() - l.size() as isize));
        unsafe { System.dealloc(p, l) }
    }
    unsafe fn realloc(&self, p: *mut u8, l: Layout, new: usize) -> *mut u8 {
        let _ = NET.try_with(|n| n.set(n.get() + new as isize - l.size() as isize));
        unsafe { System.realloc(p, l, new) }
    }
}

#[global_allocator]
static ALLOC: Counting = Counting;

#[test]
fn a_checkpoints_estimate_is_within_a_third_of_what_a_copy_allocates() {
    for (agents, queues, events) in [(50, 5, 5_000), (2_000, 80, 100_000)] {
        let lines = stream::generate(&stream::Shape {
            agents,
            queues,
            events,
            conversations: true,
        });
        let mut m = monitor();
        for line in &lines {
            m.replay_frame(line);
        }
        let before = NET.with(Cell::get);
        let copy = m.floor.clone();
        let heap = NET.with(Cell::get) - before;
        let real = heap as usize + std::mem::size_of::<Floor>();
        // The chunks the copy shares with the floor are not allocated again.
        let estimate = copy.approx_bytes() - copy.approx_bytes_shared_with(&m.floor);
        eprintln!("{agents} agents: a copy allocates {real} bytes, estimated {estimate}");
        assert!(
            estimate * 3 >= real * 2 && estimate * 3 <= real * 4,
            "{agents} agents: estimated {estimate}, allocated {real}"
        );
    }
}
