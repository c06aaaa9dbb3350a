//! The alert engine looks only at agents that changed or whose time came
//! (docs/alerts.md, "How the rules are looked at"); the reference engine
//! looks at every agent on every look and counts agents from scratch. Over
//! random feeds and random looks (on the floor's clock and on a rules'
//! clock of its own), both must find exactly the same crossings and
//! returns, at the same looks, and list the same alerts with the same
//! values.

use proptest::prelude::*;
use queuetop_engine::alert::{Active, Engine, FeedHealthInput};
use queuetop_engine::config;
use queuetop_engine::dialect::DialectKind;
use queuetop_engine::floor::{Floor, Settings};
use queuetop_engine::monitor::{Monitor, SourceInfo, SourceKind};
use queuetop_engine::time::Ts;
use serde_json::{Value, json};

const T0: i64 = 1_795_424_400_000;

/// Small limits, `for`, clear durations and margins: things fire, hold,
/// clear and come back within the few minutes a case covers.
const RULES: &str = r#"
[defaults]
waiting = { warn = 1, crit = 3, for = "2s" }
no_agent_waiting = { warn = 0 }
longest_wait_s = { warn = 5, crit = 20, clear_for = "3s", clear_margin = 2 }
[agents]
wrap_up_s = { warn = 5, crit = 15, for = "3s", clear_for = "2s", clear_margin = 1 }
busy_s = { warn = 8 }
away_s = { warn = 10, crit = 30, clear_for = "4s" }
on_hold_s = { warn = 3, crit = 9, for = "1500ms" }
talk_s = { warn = 6, crit = 25, clear_for = "2s", clear_margin = 3 }
ghost_s = { warn = 4, crit = 12, for = "1s" }
[agents.away_reasons]
lunch = { warn = 20, crit = 40 }
"#;

fn event() -> impl Strategy<Value = Value> {
    let contact = (0..8u8).prop_map(|i| format!("c{i}"));
    let agent = (0..6u8).prop_map(|i| format!("a{i}"));
    let queue = (0..3u8).prop_map(|i| format!("q{i}"));
    let state = prop::sample::select(vec!["available", "busy", "wrap_up", "away", "offline"]);
    let reason = prop::option::of(prop::sample::select(vec!["lunch", "break"]));
    prop_oneof![
        (contact.clone(), queue.clone()).prop_map(
            |(c, q)| json!({"type":"contact.queued","contact_id":c,"queue":q,"channel":"voice"})
        ),
        (contact.clone(), agent.clone())
            .prop_map(|(c, a)| json!({"type":"contact.answered","contact_id":c,"agent_id":a})),
        contact
            .clone()
            .prop_map(|c| json!({"type":"contact.abandoned","contact_id":c})),
        contact
            .clone()
            .prop_map(|c| json!({"type":"contact.hold","contact_id":c})),
        contact
            .clone()
            .prop_map(|c| json!({"type":"contact.resumed","contact_id":c})),
        contact
            .clone()
            .prop_map(|c| json!({"type":"contact.ended","contact_id":c})),
        (
            agent.clone(),
            state,
            prop::option::of(prop::collection::vec(queue.clone(), 0..3)),
            reason
        )
            .prop_map(|(a, s, qs, r)| {
                let mut v = json!({"type":"agent.state","agent_id":a,"state":s});
                if let Some(qs) = qs {
                    v["queues"] = json!(qs);
                }
                if let Some(r) = r {
                    v["reason"] = json!(r);
                }
                v
            }),
        (contact.clone(), agent.clone(), queue.clone(), any::<bool>()).prop_map(
            |(c, a, q, hold)| json!({"type":"snapshot",
            "queues":[{"queue":q,"waiting":[{"contact_id":"w9","since":T0}]}],
            "agents":[{"agent_id":a,"state":"available","since":T0,"queues":[q],
                       "contacts":[{"contact_id":c,"since":T0,"on_hold":hold}]}]})
        ),
    ]
}

/// One step: an event `dt` ms after the last (sometimes before it: a
/// feed's events are not always in order), or none; then looks, each
/// after the floor moved on by a while, the rules' clock drifting from
/// the floor's by a few ms (sometimes back).
#[derive(Clone, Debug)]
struct Step {
    event: Option<(Value, i64)>,
    looks: Vec<(i64, i64)>,
}

fn steps() -> impl Strategy<Value = Vec<Step>> {
    let step = (
        prop::option::weighted(0.8, (event(), -2_000i64..6_000)),
        prop::collection::vec((0i64..4_000, -3i64..40), 0..4),
    )
        .prop_map(|(event, looks)| Step { event, looks });
    prop::collection::vec(step, 1..120)
}

fn active(e: &Engine) -> Vec<String> {
    let mut v: Vec<String> = e
        .active()
        .map(|a: Active<'_>| {
            format!(
                "{} {:?} {} {:?} {:?} {:?} {:?} {:?}",
                a.rule,
                a.subject,
                a.subject_id,
                a.level,
                a.since,
                a.level_since,
                a.value,
                a.threshold
            )
        })
        .collect();
    v.sort();
    v
}

fn monitor() -> Monitor {
    Monitor::new(
        Floor::new(Settings::default()),
        SourceInfo::new(SourceKind::Replay, "follow"),
        DialectKind::Native.make(),
    )
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn following_finds_what_looking_at_everyone_finds(steps in steps()) {
        let rules = config::rules(&config::parse(RULES).unwrap()).unwrap();
        let mut following = Engine::new(rules.clone());
        let mut reference = Engine::reference(rules);
        let mut m = monitor();
        let health = FeedHealthInput::default();
        let mut t = T0;
        let mut drift = 0i64;
        let mut looks = 0;
        for step in steps {
            if let Some((mut ev, dt)) = step.event {
                t += dt;
                ev["ts"] = json!(t);
                m.replay_frame(&ev.to_string());
            }
            for (wait, d) in step.looks {
                t = t.max(m.floor.now().0) + wait;
                m.floor.advance(Ts(t));
                m.floor.settle();
                drift += d;
                let now = m.floor.now().plus(drift);
                let a = following.evaluate(&m.floor, &health, now);
                let b = reference.evaluate(&m.floor, &health, now);
                looks += 1;
                prop_assert_eq!(&a.changes, &b.changes, "changes at look {}", looks);
                prop_assert_eq!(active(&following), active(&reference), "active at look {}", looks);
                prop_assert_eq!(a.forecasts, b.forecasts);
            }
        }
    }
}

/// The property above is only worth something if its feeds make agent
/// alerts fire, hold, clear and come back: a fixed feed that does all of
/// it, checked the same way.
#[test]
fn a_busy_feed_fires_and_returns_agent_alerts_the_same_way() {
    let rules = config::rules(&config::parse(RULES).unwrap()).unwrap();
    let mut following = Engine::new(rules.clone());
    let mut reference = Engine::reference(rules);
    let mut m = monitor();
    let health = FeedHealthInput::default();
    let feed = [
        (
            0,
            json!({"type":"agent.state","agent_id":"a1","state":"wrap_up","queues":["q0"]}),
        ),
        (
            0,
            json!({"type":"agent.state","agent_id":"a2","state":"available","queues":["q0"]}),
        ),
        (
            1_000,
            json!({"type":"contact.queued","contact_id":"c1","queue":"q0","channel":"voice"}),
        ),
        (
            2_000,
            json!({"type":"agent.state","agent_id":"a3","state":"away","reason":"lunch","queues":["q1"]}),
        ),
        (
            9_000,
            json!({"type":"contact.answered","contact_id":"c1","agent_id":"a2"}),
        ),
        (15_000, json!({"type":"contact.hold","contact_id":"c1"})),
        (30_000, json!({"type":"contact.resumed","contact_id":"c1"})),
        (40_000, json!({"type":"contact.ended","contact_id":"c1"})),
        (
            41_000,
            json!({"type":"agent.state","agent_id":"a1","state":"available"}),
        ),
        (
            90_000,
            json!({"type":"agent.state","agent_id":"a3","state":"busy"}),
        ),
    ];
    let mut fired = std::collections::BTreeSet::new();
    let mut returned = 0;
    let mut next = 0;
    for s in 0..=120 {
        let now = Ts(T0 + s * 1_000);
        while next < feed.len() && T0 + feed[next].0 <= now.0 {
            let mut ev = feed[next].1.clone();
            ev["ts"] = json!(T0 + feed[next].0);
            m.replay_frame(&ev.to_string());
            next += 1;
        }
        m.floor.advance(now);
        m.floor.settle();
        let a = following.evaluate(&m.floor, &health, now);
        let b = reference.evaluate(&m.floor, &health, now);
        assert_eq!(a.changes, b.changes, "at {s} s");
        assert_eq!(active(&following), active(&reference), "at {s} s");
        for c in &a.changes {
            let name = following.rules().name(c.rule).to_string();
            if c.to > c.from {
                fired.insert(name);
            } else {
                returned += 1;
            }
        }
    }
    for rule in [
        "wrap_up_s",
        "on_hold_s",
        "talk_s",
        "ghost_s",
        "away_s:lunch",
    ] {
        assert!(fired.contains(rule), "{rule} never fired: {fired:?}");
    }
    assert!(returned > 3, "only {returned} returns");
}
