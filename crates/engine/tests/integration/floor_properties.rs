//! Properties of the floor under any feed: no panic, consistent live state,
//! no negative counts, and a batch equal to its events applied one by one.

use proptest::prelude::*;
use queuetop_engine::dialect::DialectKind;
use queuetop_engine::floor::{AgentCounts, Floor, GroupKey, QueuePolicy, Settings, WindowKind};
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
        (contact.clone(), prop::sample::select(vec!["customer", "agent", "bot"]), prop::option::of(agent.clone()))
            .prop_map(|(c, f, a)| {
                let mut v = json!({"type":"contact.message","contact_id":c,"from":f});
                if let Some(a) = a {
                    v["agent_id"] = json!(a);
                }
                v
            }),
        (contact.clone(), prop::option::of(-1..7i64), prop::option::of(-1..12i64))
            .prop_map(|(c, csat, nps)| json!({"type":"contact.survey","contact_id":c,"csat":csat,"nps":nps})),
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

/// A turn after a chat is answered.
#[derive(Clone, Copy, Debug)]
enum Turn {
    Customer,
    Agent,
    FirstResponse,
}

fn chat_conversations() -> impl Strategy<Value = Vec<Vec<Turn>>> {
    let turn = prop_oneof![
        Just(Turn::Customer),
        Just(Turn::Agent),
        Just(Turn::FirstResponse)
    ];
    prop::collection::vec(prop::collection::vec(turn, 0..10), 1..6)
}

/// Chat-only feed lines, and how many responses answer a customer message
/// (not the inquiry): the ART samples that are not first samples.
fn chat_feed(convs: &[Vec<Turn>]) -> (Vec<String>, i64) {
    let mut lines = Vec::new();
    let mut t = T0;
    let mut later = 0;
    let mut tick = |step: i64| {
        t += step;
        t
    };
    for (i, turns) in convs.iter().enumerate() {
        let c = format!("ch{i}");
        lines.push(json!({"type":"contact.queued","ts":tick(1_000),"contact_id":c,"queue":"q","channel":"chat"}).to_string());
        lines.push(
            json!({"type":"contact.answered","ts":tick(1_000),"contact_id":c,"agent_id":"a1"})
                .to_string(),
        );
        let (mut pending, mut responded) = (true, false);
        for turn in turns {
            let ts = tick(700);
            let line = match turn {
                Turn::Customer => {
                    pending = true;
                    json!({"type":"contact.message","ts":ts,"contact_id":c,"from":"customer"})
                }
                Turn::Agent | Turn::FirstResponse => {
                    if pending && responded {
                        later += 1;
                    }
                    pending = false;
                    responded = true;
                    match turn {
                        Turn::Agent => {
                            json!({"type":"contact.message","ts":ts,"contact_id":c,"from":"agent","agent_id":"a1"})
                        }
                        _ => json!({"type":"contact.first_response","ts":ts,"contact_id":c}),
                    }
                }
            };
            lines.push(line.to_string());
        }
        lines.push(json!({"type":"contact.ended","ts":tick(500),"contact_id":c}).to_string());
    }
    (lines, later)
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

/// Agents by state per queue and in all, counted from scratch from what
/// the floor shows of each agent.
fn counted_from_scratch(floor: &Floor) -> (Vec<AgentCounts>, AgentCounts) {
    let mut per_queue = vec![AgentCounts::default(); floor.queue_ids().count()];
    let mut total = AgentCounts::default();
    for a in floor.agent_ids() {
        let state = floor.agent_brief(a).2.index();
        total.0[state] += 1;
        for (q, _) in floor.agent_queues(a) {
            per_queue[q.0 as usize].0[state] += 1;
        }
    }
    (per_queue, total)
}

/// Agents by state in `group` (each counted once, however many of its
/// queues it serves) and at each site prefix, counted from scratch as the
/// group and site rows counted them before the floor kept the counts.
fn groups_and_sites_from_scratch(
    floor: &Floor,
    group: &GroupKey,
    prefixes: &[&str],
) -> (AgentCounts, Vec<AgentCounts>) {
    let mut in_group = AgentCounts::default();
    let mut at_site = vec![AgentCounts::default(); prefixes.len()];
    for a in floor.agent_ids() {
        let (id, _, state, _) = floor.agent_brief(a);
        let i = state.index();
        if floor
            .agent_queues(a)
            .any(|(q, _)| floor.group_of(q) == Some(group))
        {
            in_group.0[i] += 1;
        }
        for (k, p) in prefixes.iter().enumerate() {
            if id.starts_with(p) {
                at_site[k].0[i] += 1;
            }
        }
    }
    (in_group, at_site)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 300, ..ProptestConfig::default() })]

    #[test]
    fn kept_group_and_site_counts_equal_a_count_from_scratch(evs in frames(), copy_at in 0usize..80) {
        // Two of the three queues in one group; three agents at two sites
        // (ids `site/own`), one at none.
        let group = GroupKey::new("Front desk").expect("a group name");
        let mut settings = Settings { window: 120_000, ..Settings::default() };
        for q in ["q0", "q1"] {
            let policy = QueuePolicy { group: Some(group.clone()), ..QueuePolicy::default() };
            settings.queues.insert(q.to_string(), policy);
        }
        let source = SourceInfo { kind: SourceKind::Replay, target: "prop".into() };
        let mut m = Monitor::new(Floor::new(settings), source, DialectKind::Native.make());
        let prefixes = ["s1/", "s2/", "s3/"];
        for (i, e) in evs.iter().enumerate() {
            if i == copy_at {
                m.floor = m.floor.clone();
            }
            let line = e
                .to_string()
                .replace("\"a0\"", "\"s1/a0\"")
                .replace("\"a1\"", "\"s1/a1\"")
                .replace("\"a2\"", "\"s2/a2\"");
            apply_all(&mut m, line.as_bytes(), 1 << 20).expect("in-memory replay");
            let (want_group, want_sites) = groups_and_sites_from_scratch(&m.floor, &group, &prefixes);
            prop_assert_eq!(m.floor.agent_counts_of_group(&group), want_group, "after {}", line);
            for (p, want) in prefixes.iter().zip(want_sites) {
                prop_assert_eq!(m.floor.agent_counts_in(p), want, "{} after {}", p, line);
            }
        }
    }

    #[test]
    fn kept_agent_counts_equal_a_count_from_scratch(evs in frames(), copy_at in 0usize..80) {
        // Snapshots (which replace agents or leave them out), agents new to
        // the floor, state and queue changes: after every event, and on a
        // copy of the floor (a checkpoint) that goes on with the rest.
        let mut m = monitor();
        for (i, e) in evs.iter().enumerate() {
            if i == copy_at {
                m.floor = m.floor.clone();
            }
            apply_all(&mut m, e.to_string().as_bytes(), 1 << 20).expect("in-memory replay");
            let (per_queue, total) = m.floor.agent_counts();
            let (want_per_queue, want_total) = counted_from_scratch(&m.floor);
            prop_assert_eq!(per_queue, &want_per_queue[..], "after {}", e);
            prop_assert_eq!(total, want_total, "after {}", e);
        }
    }

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
    fn new_figures_stay_in_their_ranges(evs in frames()) {
        let lines: Vec<String> = evs.iter().map(Value::to_string).collect();
        let (_, snap) = snapshot_of(&lines.join("\n"));
        let scopes = std::iter::once(&snap["totals"])
            .chain(snap["queues"].as_array().unwrap())
            .chain(snap["agents"].as_array().unwrap());
        for f in scopes {
            // ART samples are never negative, so neither is their mean or p90.
            for k in ["avg", "p90"] {
                if let Some(v) = f["art_s"][k].as_f64() {
                    prop_assert!(v >= 0.0, "art_s.{} = {}", k, v);
                }
            }
            prop_assert!(f["art_s"]["count"].as_i64().unwrap() >= 0);
            for k in ["occupancy_pct", "csat_pct"] {
                if let Some(p) = f.get(k).and_then(Value::as_f64) {
                    prop_assert!((0.0..=100.0).contains(&p), "{} = {}", k, p);
                }
            }
            if let Some(n) = f.get("nps").and_then(Value::as_f64) {
                prop_assert!((-100.0..=100.0).contains(&n), "nps = {}", n);
            }
            if let Some(c) = f.get("csat_avg").and_then(Value::as_f64) {
                prop_assert!((1.0..=5.0).contains(&c), "csat_avg = {}", c);
            }
            for k in ["avg_wait_s", "max_wait_s"] {
                if let Some(v) = f.get(k).and_then(Value::as_f64) {
                    prop_assert!(v >= 0.0, "{} = {}", k, v);
                }
            }
            if let (Some(avg), Some(max)) = (f.get("avg_wait_s").and_then(Value::as_f64), f.get("max_wait_s").and_then(Value::as_f64)) {
                prop_assert!(avg <= max + 1e-3, "avg wait {} above max {}", avg, max);
            }
        }
    }

    #[test]
    fn first_art_samples_are_the_first_responses_on_chat_feeds(convs in chat_conversations()) {
        let (lines, later) = chat_feed(&convs);
        let (_, snap) = snapshot_of(&lines.join("\n"));
        let t = &snap["totals"];
        let art = t["art_s"]["count"].as_i64().unwrap();
        let frt = t["frt_s"]["count"].as_i64().unwrap();
        // Every ART sample is either a contact's first (its first response)
        // or answers a later customer turn.
        prop_assert_eq!(art - later, frt);
        if art > 0 {
            prop_assert!(t["art_s"]["avg"].as_f64().unwrap() >= 0.0);
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
