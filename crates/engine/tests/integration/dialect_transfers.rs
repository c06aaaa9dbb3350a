//! Transfers through the real decoders and floor: whatever the queues, waits
//! and talk times, a contact transferred from queue to queue has exactly one
//! first response, and one wait (one entered, one answer) per queue it
//! entered. Each dialect writes the transfer in its platform's own shape
//! (the shapes of the transfer fixtures beside the dialect tests: Asterisk
//! and Genesys blind transfers, Amazon Connect quick connects, Twilio Flex
//! transfers).

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

/// Amazon Connect contact events: each transfer is a new contact whose
/// `initialContactId` names the first and `previousContactId` the one
/// before. Every other transfer delivers the old contact's DISCONNECTED
/// (`disconnectReason: TRANSFER`) before anything of the new one; the
/// others deliver it after the new contact queued.
fn connect(legs: &[Leg]) -> String {
    let iso = |ms: i64| Ts(ms).to_string();
    let inst = "arn:aws:connect:us-west-2:123456789012:instance/i-1";
    let ev = |i: usize, kind: &str, at: i64, extra: Value| {
        let mut d = json!({"eventType": kind, "contactId": format!("c-{i}"),
            "initialContactId": "c-0", "channel": "VOICE", "instanceArn": inst,
            "initiationMethod": if i == 0 { "INBOUND" } else { "TRANSFER" }});
        if i > 0 {
            d["previousContactId"] = format!("c-{}", i - 1).into();
        }
        if let (Some(d), Some(x)) = (d.as_object_mut(), extra.as_object()) {
            d.extend(x.clone());
        }
        json!({"version": "0", "id": format!("ev-{i}-{kind}"),
            "detail-type": "Amazon Connect Contact Event", "source": "aws.connect",
            "time": iso(at), "detail": d})
        .to_string()
            + "\n"
    };
    let mut lines = Vec::new();
    let mut pending_disconnect: Option<String> = None;
    let mut t = T0;
    for (i, leg) in legs.iter().enumerate() {
        let queue = json!({"queueArn": format!("{inst}/queue/{}", QUEUES[leg.queue]),
            "enqueueTimestamp": iso(t), "queueType": "STANDARD"});
        lines.push(ev(i, "INITIATED", t, json!({})));
        lines.push(ev(i, "QUEUED", t, json!({"queueInfo": queue})));
        lines.extend(pending_disconnect.take());
        let answered = t + leg.wait * 1000;
        let agent = json!({"agentArn": format!("{inst}/agent/a-{i}"),
            "connectedToAgentTimestamp": iso(answered)});
        lines.push(ev(
            i,
            "CONNECTED_TO_AGENT",
            answered,
            json!({"queueInfo": queue, "agentInfo": agent}),
        ));
        t = answered + leg.talk * 1000;
        let last = i + 1 == legs.len();
        let reason = if last {
            "CUSTOMER_DISCONNECT"
        } else {
            "TRANSFER"
        };
        let end = ev(
            i,
            "DISCONNECTED",
            t,
            json!({"queueInfo": queue, "agentInfo": agent,
            "disconnectTimestamp": iso(t), "disconnectReason": reason}),
        );
        if last || i % 2 == 1 {
            lines.push(end);
        } else {
            pending_disconnect = Some(end);
        }
    }
    lines.concat()
}

/// Twilio Event Callbacks: each transfer is a new Flex task whose
/// `TaskAttributes` name the first task's conversation; the old task wraps
/// up and completes after the new one is created.
fn twilio(legs: &[Leg]) -> String {
    let ev = |kind: &str, at: i64, i: usize, q: &str, worker: Option<String>| {
        let attrs = if i == 0 {
            json!({"from": "+15550001", "direction": "inbound"})
        } else {
            json!({"from": "+15550001", "direction": "inbound", "transferTargetType": "queue",
                "conversations": {"conversation_id": "WT0"}})
        };
        let mut e = json!({"EventType": kind, "Timestamp": (at / 1000).to_string(),
            "TimestampMs": at.to_string(), "TaskSid": format!("WT{i}"), "TaskQueueSid": q,
            "TaskQueueName": q, "TaskChannelUniqueName": "voice",
            "TaskAttributes": attrs.to_string()});
        if let Some(w) = worker {
            e["WorkerSid"] = w.into();
        }
        e.to_string() + "\n"
    };
    let mut lines = Vec::new();
    let mut t = T0;
    let mut old: Option<(usize, String)> = None;
    for (i, leg) in legs.iter().enumerate() {
        let q = QUEUES[leg.queue];
        lines.push(ev("task.created", t, i, q, None));
        lines.push(ev("task-queue.entered", t, i, q, None));
        if let Some((j, oq)) = old.take() {
            let w = Some(format!("WK{j}"));
            lines.push(ev("reservation.wrapup", t, j, &oq, w.clone()));
            lines.push(ev("task.wrapup", t, j, &oq, None));
            lines.push(ev("task.completed", t + 5_000, j, &oq, w));
        }
        t += leg.wait * 1000;
        lines.push(ev("reservation.accepted", t, i, q, Some(format!("WK{i}"))));
        t += leg.talk * 1000;
        old = Some((i, q.to_string()));
    }
    if let Some((j, oq)) = old {
        lines.push(ev("task.wrapup", t, j, &oq, Some(format!("WK{j}"))));
        lines.push(ev(
            "task.completed",
            t + 5_000,
            j,
            &oq,
            Some(format!("WK{j}")),
        ));
    }
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

    #[test]
    fn connect_transfer_has_one_first_response_and_a_wait_per_queue(legs in legs()) {
        check(DialectKind::AmazonConnect, &connect(&legs), &legs)?;
    }

    #[test]
    fn twilio_transfer_has_one_first_response_and_a_wait_per_queue(legs in legs()) {
        check(DialectKind::Twilio, &twilio(&legs), &legs)?;
    }
}
