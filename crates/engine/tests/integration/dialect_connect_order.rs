//! Amazon Connect contact events arrive in no order (EventBridge), and each
//! later event repeats the times the earlier ones carried. Whatever the
//! order of each contact's own events, the figures are the same: the
//! fixtures replayed with every contact's events shuffled give their
//! hand-computed snapshots, and generated contacts give the snapshot of
//! their in-order replay.

use proptest::prelude::*;
use queuetop_engine::dialect::DialectKind;
use queuetop_engine::time::Ts;
use serde_json::{Value, json};

use crate::dialect_common::{expected, replay_from, resource};

/// The lines of a fixture, grouped by `detail.contactId` in the order the
/// contacts first appear.
fn by_contact(file: &str) -> Vec<Vec<String>> {
    let text = std::fs::read_to_string(resource("amazon-connect", file)).expect("fixture");
    group(
        text.lines()
            .filter(|l| !l.trim().is_empty())
            .map(str::to_owned),
    )
}

fn group(lines: impl Iterator<Item = String>) -> Vec<Vec<String>> {
    let mut groups: Vec<(String, Vec<String>)> = Vec::new();
    for line in lines {
        let v: Value = serde_json::from_str(&line).expect("json line");
        let id = v["detail"]["contactId"].as_str().unwrap_or("").to_owned();
        match groups.iter_mut().find(|(k, _)| *k == id) {
            Some((_, g)) => g.push(line),
            None => groups.push((id, vec![line])),
        }
    }
    groups.into_iter().map(|(_, g)| g).collect()
}

/// Each group shuffled on its own, the groups kept in their order.
fn shuffled(groups: Vec<Vec<String>>) -> impl Strategy<Value = String> {
    groups
        .into_iter()
        .map(|g| Just(g).prop_shuffle())
        .collect::<Vec<_>>()
        .prop_map(|gs| gs.concat().iter().map(|l| format!("{l}\n")).collect())
}

fn replay(text: &str) -> Value {
    replay_from(DialectKind::AmazonConnect, "order", text.as_bytes())
}

/// A generated contact: its wait, then its talk, or an abandon.
#[derive(Clone, Debug)]
struct Call {
    start: i64,
    wait: i64,
    talk: Option<i64>,
}

const T0: i64 = 1_795_435_200_000; // 2026-11-23T12:00:00Z

/// The contact events AWS documents for one call, each later one carrying
/// the queue and agent times of the earlier ones.
fn events(i: usize, c: &Call) -> Vec<String> {
    let iso = |ms: i64| Ts(ms).to_string();
    let inst = "arn:aws:connect:us-west-2:123456789012:instance/i-1";
    let id = format!("c-{i}");
    let queued = T0 + c.start * 1000;
    let answered = queued + c.wait * 1000;
    let queue = json!({"queueArn": format!("{inst}/queue/q-{}", i % 2),
        "enqueueTimestamp": iso(queued), "queueType": "STANDARD"});
    let agent = json!({"agentArn": format!("{inst}/agent/a-{i}"),
        "connectedToAgentTimestamp": iso(answered)});
    let ev = |kind: &str, at: i64, extra: Value| {
        let mut d = json!({"eventType": kind, "contactId": id, "initialContactId": id,
            "channel": "VOICE", "instanceArn": inst, "initiationMethod": "INBOUND",
            "initiationTimestamp": iso(queued - 2000)});
        if let (Some(d), Some(x)) = (d.as_object_mut(), extra.as_object()) {
            d.extend(x.clone());
        }
        json!({"version": "0", "id": format!("ev-{id}-{kind}"),
            "detail-type": "Amazon Connect Contact Event", "source": "aws.connect",
            "time": iso(at), "detail": d})
        .to_string()
    };
    let mut out = vec![
        ev("INITIATED", queued - 2000, json!({})),
        ev("QUEUED", queued, json!({"queueInfo": queue})),
    ];
    match c.talk {
        Some(talk) => {
            let end = answered + talk * 1000;
            out.push(ev(
                "CONNECTED_TO_AGENT",
                answered,
                json!({"queueInfo": queue, "agentInfo": agent}),
            ));
            out.push(ev(
                "DISCONNECTED",
                end,
                json!({"queueInfo": queue, "agentInfo": agent, "disconnectTimestamp": iso(end),
                    "disconnectReason": "CUSTOMER_DISCONNECT"}),
            ));
        }
        None => out.push(ev(
            "DISCONNECTED",
            answered,
            json!({"queueInfo": queue, "disconnectTimestamp": iso(answered),
                "disconnectReason": "CUSTOMER_DISCONNECT"}),
        )),
    }
    out
}

fn calls() -> impl Strategy<Value = Vec<Call>> {
    prop::collection::vec(
        (0i64..300, 1i64..90, prop::option::weighted(0.8, 1i64..200))
            .prop_map(|(start, wait, talk)| Call { start, wait, talk }),
        1..8,
    )
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn out_of_order_fixture_gives_its_snapshot_in_any_order(
        text in shuffled(by_contact("out-of-order.jsonl"))
    ) {
        let mut snap = replay(&text);
        snap["source"]["target"] = "out-of-order.jsonl".into();
        prop_assert_eq!(snap, expected("amazon-connect", "out-of-order.snapshot.json"));
    }

    #[test]
    fn transfer_fixture_gives_its_snapshot_in_any_order_of_each_leg(
        text in shuffled(by_contact("transfer-disconnect-first.jsonl"))
    ) {
        let mut snap = replay(&text);
        snap["source"]["target"] = "transfer-disconnect-first.jsonl".into();
        prop_assert_eq!(
            snap,
            expected("amazon-connect", "transfer-disconnect-first.snapshot.json")
        );
    }

    #[test]
    fn generated_contacts_give_the_same_figures_in_any_order(
        (cs, in_order, any_order) in calls().prop_flat_map(|cs| {
            let groups: Vec<Vec<String>> =
                cs.iter().enumerate().map(|(i, c)| events(i, c)).collect();
            let text: String = groups.concat().iter().map(|l| format!("{l}\n")).collect();
            (Just(cs), Just(text), shuffled(groups))
        })
    ) {
        let a = replay(&in_order);
        let b = replay(&any_order);
        let answered = cs.iter().filter(|c| c.talk.is_some()).count();
        prop_assert_eq!(&a["totals"]["entered"], &json!(cs.len()));
        prop_assert_eq!(&a["totals"]["answered"], &json!(answered));
        prop_assert_eq!(&a["totals"]["abandoned"], &json!(cs.len() - answered));
        prop_assert_eq!(&a["totals"], &b["totals"]);
        prop_assert_eq!(&a["queues"], &b["queues"]);
        prop_assert_eq!(&a["agents"], &b["agents"]);
        prop_assert_eq!(&a["feed"]["events"], &b["feed"]["events"]);
    }
}
