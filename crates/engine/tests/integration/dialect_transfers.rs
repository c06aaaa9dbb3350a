//! Transfers through the real decoders and floor: whatever the queues, waits
//! and talk times, a contact transferred from queue to queue has exactly one
//! first response, and one wait (one entered, one answer) per queue it
//! entered. Each dialect writes the transfer in its platform's own shape
//! (the shapes of the blind-transfer fixtures beside the dialect tests).

use std::collections::BTreeMap;

use proptest::prelude::*;
use queuetop_engine::dialect::DialectKind;
use queuetop_engine::time::Ts;
use serde_json::{Value, json};

use crate::dialect_common::{queue, replay_from};

const T0: i64 = 1_795_435_200_000; // 2026-11-23T12:00:00Z

/// One leg: the queue it waits in, its wait and its talk, in seconds (short
/// enough that four legs stay inside the default 15-minute window).
#[derive(Clone, Debug)]
struct Leg {
    queue: usize,
    wait: i64,
    talk: i64,
}

fn legs() -> impl Strategy<Value = Vec<Leg>> {
    prop::collection::vec(
        (0usize..3, 1i64..60, 1i64..120).prop_map(|(queue, wait, talk)| Leg { queue, wait, talk }),
        1..5,
    )
}

const QUEUES: [&str; 3] = ["support", "sales", "billing"];

/// AMI, as app_queue.c sends a blind transfer to the next queue.
fn asterisk(legs: &[Leg]) -> String {
    let uid = "1795435200.1";
    let stamp = |t: i64| format!("{}.000000", t / 1000);
    let mut lines = Vec::new();
    let mut t = T0;
    for (i, leg) in legs.iter().enumerate() {
        let q = QUEUES[leg.queue];
        let member = format!("PJSIP/10{}{i}", leg.queue);
        lines.push(json!({"Event": "QueueCallerJoin", "Timestamp": stamp(t),
            "Uniqueid": uid, "Linkedid": uid, "Queue": q, "Position": "1", "Count": "1"}));
        t += leg.wait * 1000;
        lines.push(json!({"Event": "QueueCallerLeave", "Timestamp": stamp(t),
            "Uniqueid": uid, "Queue": q, "Count": "0", "Position": "1"}));
        lines.push(
            json!({"Event": "AgentConnect", "Timestamp": stamp(t), "Uniqueid": uid,
            "Queue": q, "Interface": member, "MemberName": member,
            "DestUniqueid": format!("1795435200.{}", i + 2), "HoldTime": leg.wait.to_string()}),
        );
        t += leg.talk * 1000;
        let last = i + 1 == legs.len();
        lines.push(
            json!({"Event": "AgentComplete", "Timestamp": stamp(t), "Uniqueid": uid,
            "Queue": q, "Interface": member, "MemberName": member,
            "HoldTime": leg.wait.to_string(), "TalkTime": leg.talk.to_string(),
            "Reason": if last { "caller" } else { "transfer" }}),
        );
    }
    lines.push(json!({"Response": "Success", "Ping": "Pong", "Timestamp": stamp(t + 60_000)}));
    lines.iter().map(|l| l.to_string() + "\n").collect()
}

/// Genesys conversation snapshots: each transfer ends the agent's
/// participant at the instant a new acd participant connects.
fn genesys(legs: &[Leg]) -> String {
    let iso = |ms: i64| Ts(ms).to_string();
    let call = |on: bool| {
        json!([{"id": "call-x", "state": if on { "connected" } else { "disconnected" },
        "held": false, "direction": "inbound"}])
    };
    let mut parts: Vec<Value> = vec![json!({"id": "p-cust", "purpose": "customer",
        "calls": call(true), "connectedTime": iso(T0)})];
    let mut lines = Vec::new();
    let mut push = |t: i64, q: &str, parts: &[Value]| {
        let frame = json!({"topicName": format!("v2.routing.queues.{q}.conversations"),
            "eventBody": {"id": "conv-x", "participants": parts}});
        lines.push(json!({"qt_received": t, "frame": frame}).to_string() + "\n");
    };
    let mut t = T0;
    for (i, leg) in legs.iter().enumerate() {
        let q = QUEUES[leg.queue];
        if let Some(agent) = parts.last_mut().filter(|p| p["purpose"] == "agent") {
            agent["endTime"] = iso(t).into();
            agent["calls"] = call(false);
        }
        parts.push(
            json!({"id": format!("p-acd{i}"), "purpose": "acd", "queueId": q,
            "calls": call(true), "connectedTime": iso(t)}),
        );
        push(t, q, &parts);
        t += leg.wait * 1000;
        if let Some(acd) = parts.last_mut() {
            acd["endTime"] = iso(t).into();
            acd["calls"] = call(false);
        }
        parts.push(
            json!({"id": format!("p-agent{i}"), "purpose": "agent", "queueId": q,
            "userId": format!("user-{i}"), "calls": call(true), "connectedTime": iso(t)}),
        );
        push(t, q, &parts);
        t += leg.talk * 1000;
    }
    for p in parts.iter_mut().filter(|p| p.get("endTime").is_none()) {
        p["endTime"] = iso(t).into();
        p["calls"] = call(false);
    }
    let last = QUEUES[legs[legs.len() - 1].queue];
    push(t, last, &parts);
    let beat =
        json!({"topicName": "channel.metadata", "eventBody": {"message": "WebSocket Heartbeat"}});
    lines.push(json!({"qt_received": t + 60_000, "frame": beat}).to_string() + "\n");
    lines.concat()
}

fn check(kind: DialectKind, text: &str, legs: &[Leg]) -> Result<(), TestCaseError> {
    let snap = replay_from(kind, "transfer", text.as_bytes());
    let t = &snap["totals"];
    prop_assert_eq!(&t["frt_s"]["count"], &json!(1), "one first response: {}", t);
    prop_assert_eq!(&t["frt_s"]["avg"], &json!(legs[0].wait as f64));
    prop_assert_eq!(&t["entered"], &json!(legs.len()));
    prop_assert_eq!(&t["answered"], &json!(legs.len()));
    prop_assert_eq!(&t["waiting"], &json!(0));
    let mut per_queue: BTreeMap<&str, usize> = BTreeMap::new();
    for leg in legs {
        *per_queue.entry(QUEUES[leg.queue]).or_default() += 1;
    }
    for (q, n) in per_queue {
        let row = queue(&snap, q);
        prop_assert_eq!(&row["entered"], &json!(n), "{}", q);
        prop_assert_eq!(&row["answered"], &json!(n), "{}", q);
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn asterisk_transfer_has_one_first_response_and_a_wait_per_queue(legs in legs()) {
        check(DialectKind::Asterisk, &asterisk(&legs), &legs)?;
    }

    #[test]
    fn genesys_transfer_has_one_first_response_and_a_wait_per_queue(legs in legs()) {
        check(DialectKind::Genesys, &genesys(&legs), &legs)?;
    }
}
