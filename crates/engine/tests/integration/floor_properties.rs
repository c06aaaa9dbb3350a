//! Properties of the floor under any feed: no panic, consistent live state,
//! no negative counts, and a batch equal to its events applied one by one.

use proptest::prelude::*;
use queuetop_engine::dialect::DialectKind;
use queuetop_engine::floor::{Floor, Settings, WindowKind};
use queuetop_engine::monitor::{Monitor, SourceInfo, SourceKind};
use queuetop_engine::replay::apply_all;
use queuetop_engine::snapshot;
use serde_json::{Value, json};

const T0: i64 = 1_795_424_400_000;

/// One feed-v1 event over a small world (so events collide), or junk.
fn event() -> impl Strategy<Value = Value> {
    let contact = (0..6u8).prop_map(|i| format!("c{i}"));
    let agent = (0..4u8).prop_map(|i| format!("a{i}"));
    let queue = (0..3u8).prop_map(|i| format!("q{i}"));
    let state = prop::sample::select(vec!["available", "busy", "wrap_up", "away", "offline"]);
    let channel = prop::sample::select(vec!["voice", "chat", "email", "fax"]);
    let kind = prop_oneof![
        (contact.clone(), queue.clone(), channel, prop::option::of(0..3u8)).prop_map(|(c, q, ch, cus)| {
            let mut v = json!({"type":"contact.queued","contact_id":c,"queue":q,"channel":ch});
            if let Some(k) = cus {
                v["customer_id"] = json!(format!("k{k}"));
            }
            v
        }),
        (contact.clone(), agent.clone()).prop_map(|(c, a)| json!({"type":"contact.answered","contact_id":c,"agent_id":a})),
        contact.clone().prop_map(|c| json!({"type":"contact.first_response","contact_id":c})),
        contact.clone().prop_map(|c| json!({"type":"contact.abandoned","contact_id":c})),
        contact.clone().prop_map(|c| json!({"type":"contact.hold","contact_id":c})),
        contact.clone().prop_map(|c| json!({"type":"contact.resumed","contact_id":c})),
        (contact.clone(), prop::option::of(any::<bool>())).prop_map(|(c, r)| {
            let mut v = json!({"type":"contact.ended","contact_id":c});
            if let Some(r) = r {
                v["resolved"] = json!(r);
            }
            v
        }),
        (agent.clone(), state, prop::collection::vec(queue.clone(), 0..3))
            .prop_map(|(a, s, qs)| json!({"type":"agent.state","agent_id":a,"state":s,"queues":qs,"reason":"lunch"})),
        (queue.clone(), 0..60u32).prop_map(|(q, t)| json!({"type":"queue.info","queue":q,"sl_threshold_s":t})),
        Just(json!({"type":"heartbeat"})),
        (contact.clone(), agent.clone(), queue.clone()).prop_map(|(c, a, q)| json!({"type":"snapshot",
            "queues":[{"queue":q,"waiting":[{"contact_id":c,"since":T0}]}],
            "agents":[{"agent_id":a,"state":"available","since":T0,"contacts":[{"contact_id":"c9","since":T0,"on_hold":true}]}]})),
        Just(json!({"type":"contact.queued","contact_id":7})),
        Just(json!({"type":"mystery"})),
    ];
    // Times mostly move forward, sometimes back; seq sometimes repeats or jumps.
    (kind, -5_000i64..60_000, prop::option::of(0u64..40)).prop_map(|(mut v, dt, seq)| {
        v["ts"] = json!(T0 + dt);
        if let Some(s) = seq {
            v["seq"] = json!(s);
        }
        v
    })
}

fn frames() -> impl Strategy<Value = Vec<Value>> {
    prop::collection::vec(event(), 0..80).prop_map(|mut evs| {
        // Spread times so windows and timers move.
        for (i, e) in evs.iter_mut().enumerate() {
            if let Some(ts) = e["ts"].as_i64() {
                e["ts"] = json!(ts + i as i64 * 7_000);
            }
        }
        evs
    })
}

fn monitor() -> Monitor {
    let settings = Settings {
        window: 120_000,
        ..Settings::default()
    };
    let source = SourceInfo {
        kind: SourceKind::Replay,
        target: "prop".into(),
    };
    Monitor::new(Floor::new(settings), source, DialectKind::Native.make())
}

fn snapshot_of(lines: &str) -> (Monitor, Value) {
    let mut m = monitor();
    apply_all(&mut m, lines.as_bytes(), 1 << 20).expect("in-memory replay");
    let v =
        serde_json::to_value(snapshot::build(&m, WindowKind::Rolling, None, 5_000)).expect("json");
    (m, v)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 300, ..ProptestConfig::default() })]

    #[test]
    fn any_feed_keeps_the_floor_consistent(evs in frames(), junk in prop::collection::vec(".{0,40}", 0..5)) {
        let mut lines: Vec<String> = evs.iter().map(Value::to_string).collect();
        for (i, j) in junk.iter().enumerate() {
            lines.insert((i * 7) % (lines.len() + 1), j.clone());
        }
        let (m, snap) = snapshot_of(&lines.join("\n"));
        prop_assert_eq!(m.floor.audit(), Ok(()));
        let waiting: u64 = snap["queues"].as_array().unwrap().iter().map(|q| q["waiting"].as_u64().unwrap()).sum();
        prop_assert_eq!(snap["totals"]["waiting"].as_u64(), Some(waiting));
        let on_contact: usize = snap["agents"].as_array().unwrap().iter().map(|a| a["contacts"].as_array().unwrap().len()).sum();
        prop_assert_eq!(waiting as usize + on_contact, m.floor.live_contacts());
        for key in ["entered", "answered", "abandoned"] {
            prop_assert!(snap["totals"][key].as_i64().unwrap() >= 0);
        }
        for pct in ["service_level_pct", "abandon_rate_pct", "fcr_pct"] {
            if let Some(p) = snap["totals"][pct].as_f64() {
                prop_assert!((0.0..=100.0).contains(&p), "{} = {}", pct, p);
            }
        }
    }

    #[test]
    fn a_batch_equals_its_events_one_by_one(evs in frames()) {
        let one_by_one: Vec<String> = evs.iter().map(Value::to_string).collect();
        let batched = Value::Array(evs.clone()).to_string();
        let (_, a) = snapshot_of(&one_by_one.join("\n"));
        let (_, b) = snapshot_of(&batched);
        prop_assert_eq!(a, b);
    }

    #[test]
    fn arbitrary_bytes_never_panic(lines in prop::collection::vec(prop::collection::vec(any::<u8>(), 0..200), 0..20)) {
        let input: Vec<u8> = lines.join(&b'\n');
        let mut m = monitor();
        apply_all(&mut m, input.as_slice(), 1 << 20).expect("in-memory replay");
        prop_assert_eq!(m.floor.audit(), Ok(()));
    }
}
