//! The Amazon Connect dialect: agent event stream records and contact events.
//!
//! Fixture `tests/resources/dialects/amazon-connect/queue-day.jsonl` is written
//! from Amazon's documentation of the payloads: "Agent event streams data
//! model" (https://docs.aws.amazon.com/connect/latest/adminguide/agent-event-stream-model.html)
//! and "Amazon Connect contact events"
//! (https://docs.aws.amazon.com/connect/latest/adminguide/contact-events.html),
//! EventBridge envelope included. One `CONNECTED_TO_AGENT` uses `AgentInfo`,
//! as some of Amazon's samples do; the last frame is an array of two records.

use crate::dialect_common;

use dialect_common::*;
use queuetop_engine::dialect::DialectKind;
use serde_json::{Value, json};

const T0: i64 = 1_795_424_400_000; // 2026-11-23T09:00:00Z

#[test]
fn replayed_day_gives_the_expected_snapshot() {
    let snap = replay(
        DialectKind::AmazonConnect,
        "amazon-connect",
        "queue-day.jsonl",
    );
    assert_eq!(snap, expected("amazon-connect", "queue-day.snapshot.json"));
    let billing = queue(&snap, "q-billing-0001");
    assert_eq!(
        billing["name"], "Billing",
        "queue names come from the routing profile"
    );
    // c-1 waited 14 s, c-4 (agent stream only) 7 s.
    assert_eq!(billing["asa_s"], 10.5);
    assert_eq!(billing["abandoned"], 1, "c-2 disconnected while queued");
    assert_eq!(
        billing["att_s"], 160.0,
        "180 s connected, 20 s of it on hold"
    );
    assert_eq!(billing["avg_hold_s"], 20.0);
    assert_eq!(billing["aht_s"], 210.0, "with 30 s of after-contact work");
    assert_eq!(snap["totals"]["waiting"], 1);
    assert_eq!(snap["totals"]["longest_wait_s"], 50.0);
    let dana = agent(&snap, "agent-0001");
    assert_eq!(dana["state"], "on_contact");
    assert_eq!(dana["contacts"][0]["talk_s"], 38.0);
    let lee = agent(&snap, "agent-0002");
    assert_eq!(
        (&lee["state"], &lee["reason"]),
        (&json!("away"), &json!("Lunch"))
    );
    assert_eq!(snap["feed"]["rejected"], 0);
}

fn agent_event(kind: &str, at: &str, status: (&str, &str), contacts: Value) -> String {
    json!({
        "AgentARN": "arn:aws:connect:us-west-2:1:instance/i/agent/a1",
        "EventType": kind,
        "EventTimestamp": at,
        "CurrentAgentSnapshot": {
            "AgentStatus": {"Name": status.0, "Type": status.1, "StartTimestamp": "2026-11-23T08:00:00Z"},
            "Configuration": {"FirstName": "Dana", "LastName": "Ruiz"},
            "Contacts": contacts
        }
    })
    .to_string()
}

#[test]
fn snapshots_are_diffed_and_a_quiet_heart_beat_is_a_heartbeat() {
    let mut d = DialectKind::AmazonConnect.make();
    let first = feed(
        d.as_mut(),
        &agent_event(
            "LOGIN",
            "2026-11-23T09:00:00Z",
            ("Available", "ROUTABLE"),
            json!([]),
        ),
        0,
    );
    assert_eq!(first.events[0].1, "a1:available");
    assert_eq!(
        first.events[0].2,
        T0 - 3_600_000,
        "first sight: since the status began"
    );
    let beat = feed(
        d.as_mut(),
        &agent_event(
            "HEART_BEAT",
            "2026-11-23T09:02:00Z",
            ("Available", "ROUTABLE"),
            json!([]),
        ),
        0,
    );
    assert_eq!(types(&beat), ["heartbeat"]);
    let connected = json!([{"ContactId": "c1", "State": "CONNECTED", "Channel": "CHAT",
        "ConnectedToAgentTimestamp": "2026-11-23T09:02:30Z"}]);
    let c = feed(
        d.as_mut(),
        &agent_event(
            "STATE_CHANGE",
            "2026-11-23T09:02:31Z",
            ("Available", "ROUTABLE"),
            connected.clone(),
        ),
        0,
    );
    assert_eq!(
        c.events,
        vec![("contact.answered".into(), "c1".into(), T0 + 150_000)]
    );
    let again = feed(
        d.as_mut(),
        &agent_event(
            "HEART_BEAT",
            "2026-11-23T09:04:31Z",
            ("Available", "ROUTABLE"),
            connected,
        ),
        0,
    );
    assert_eq!(types(&again), ["heartbeat"], "same snapshot, nothing new");
    let gone = feed(
        d.as_mut(),
        &agent_event(
            "STATE_CHANGE",
            "2026-11-23T09:05:00Z",
            ("Available", "ROUTABLE"),
            json!([]),
        ),
        0,
    );
    assert_eq!(
        types(&gone),
        ["contact.ended"],
        "cleared without after-contact work"
    );
    let out = feed(
        d.as_mut(),
        &agent_event(
            "LOGOUT",
            "2026-11-23T09:06:00Z",
            ("Offline", "OFFLINE"),
            json!([]),
        ),
        0,
    );
    assert_eq!(out.events[0].1, "a1:offline");
}

#[test]
fn both_streams_telling_one_answer_give_one_event_and_casings_agree() {
    for key in ["agentInfo", "AgentInfo"] {
        let mut d = DialectKind::AmazonConnect.make();
        let ev = json!({"detail-type": "Amazon Connect Contact Event", "time": "2026-11-23T09:00:10Z",
            "detail": {"eventType": "CONNECTED_TO_AGENT", "contactId": "c1",
                key: {"agentArn": "arn:x/agent/a1", "connectedToAgentTimestamp": "2026-11-23T09:00:09Z"}}})
        .to_string();
        let o = feed(d.as_mut(), &ev, 0);
        assert_eq!(
            o.events,
            vec![("contact.answered".into(), "c1".into(), T0 + 9_000)],
            "{key}"
        );
        let snap = agent_event(
            "STATE_CHANGE",
            "2026-11-23T09:00:11Z",
            ("Available", "ROUTABLE"),
            json!([{"ContactId": "c1", "State": "CONNECTED"}]),
        );
        assert!(!types(&feed(d.as_mut(), &snap, 0)).contains(&"contact.answered"));
    }
}

#[test]
fn malformed_and_unknown_records_are_counted() {
    let mut d = DialectKind::AmazonConnect.make();
    assert_eq!(
        feed(d.as_mut(), r#"{"AgentARN":"a"}"#, 0).rejected,
        1,
        "no EventType"
    );
    assert_eq!(
        feed(d.as_mut(), r#"{"AgentARN":"a","EventType":"NEW_THING"}"#, 0).unknown,
        1
    );
    assert_eq!(
        feed(
            d.as_mut(),
            r#"{"detail":{"eventType":"QUEUED","contactId":"c"}}"#,
            0
        )
        .rejected,
        1
    );
    assert_eq!(
        feed(d.as_mut(), r#"[1,{"foo":1}]"#, 0),
        Outcome {
            events: vec![],
            rejected: 1,
            unknown: 1
        }
    );
}

/// Fixture `agent-status.jsonl`: agent event stream records as AWS's
/// "Agent event streams data model" page describes them: `AgentStatus` with
/// `ARN`, `Name` and `StartTimestamp` only (no `Type`), and routing profiles
/// whose `InboundQueues` list the agent's own queue
/// (`.../queue/agent/<id>`, `"Name": null`). By hand at 10:06: Dana went on
/// Break at 10:05 (away, 60 s), Lee is at Lunch since 10:00 (away, 360 s),
/// Ana is Offline; the only queue is Billing, and it is each agent's only
/// queue.
#[test]
fn status_names_decide_without_type_and_personal_queues_are_no_queues() {
    let snap = replay(
        DialectKind::AmazonConnect,
        "amazon-connect",
        "agent-status.jsonl",
    );
    assert_eq!(
        snap,
        expected("amazon-connect", "agent-status.snapshot.json")
    );
    let dana = agent(&snap, "agent-0101");
    assert_eq!(
        (&dana["state"], &dana["reason"]),
        (&"away".into(), &"Break".into())
    );
    assert_eq!(dana["state_for_s"], 60.0);
    let lee = agent(&snap, "agent-0102");
    assert_eq!(
        (&lee["state"], &lee["reason"]),
        (&"away".into(), &"Lunch".into())
    );
    assert_eq!(agent(&snap, "agent-0103")["state"], "offline");
    let queues: Vec<&str> = snap["queues"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|q| q["queue"].as_str())
        .collect();
    assert_eq!(queues, ["q-billing-0001"]);
    for a in snap["agents"].as_array().unwrap() {
        assert_eq!(a["queues"], serde_json::json!(["q-billing-0001"]));
    }
}
