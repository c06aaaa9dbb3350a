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
            vec![
                ("contact.answered".into(), "c1".into(), T0 + 9_000),
                ("heartbeat".into(), "".into(), T0 + 10_000),
            ],
            "{key}: the answer, then the envelope's time"
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

/// Fixture `quick-connect-transfer.jsonl`: an agent transfers a call by
/// quick connect to the Sales queue. Connect gives the transfer a new
/// contact (`c-31`, `initiationMethod: TRANSFER`) whose `initialContactId`
/// and `previousContactId` name the first (`c-30`); both the contact events
/// and the agent event stream tell it, and the old leg's DISCONNECTED comes
/// after the new leg queued. By hand: c-30 queued in Billing at 10:00:05,
/// Dana answered at 10:00:17 (wait 12 s) and transferred at 10:02:17 (talk
/// 120 s, then 30 s of after-contact work to 10:02:47); c-31 queued in Sales
/// at 10:02:17, Lee answered at 10:02:45 (wait 28 s), the caller hung up at
/// 10:05:45 (talk 180 s, 20 s of after-contact work). One contact: one first
/// response (12 s), one wait per queue; SL 50 % (12 s within 20, 28 s not).
#[test]
fn a_quick_connect_transfer_is_one_contact_requeued() {
    let file = "quick-connect-transfer.jsonl";
    let snap = replay(DialectKind::AmazonConnect, "amazon-connect", file);
    assert_eq!(
        snap,
        expected("amazon-connect", "quick-connect-transfer.snapshot.json")
    );
    let t = &snap["totals"];
    assert_eq!(t["frt_s"]["count"], 1, "one first response");
    assert_eq!(t["frt_s"]["avg"], 12.0);
    assert_eq!((&t["entered"], &t["answered"]), (&2.into(), &2.into()));
    assert_eq!(t["service_level_pct"], 50.0);
    let billing = queue(&snap, "q-billing-0001");
    let sales = queue(&snap, "q-sales-0002");
    assert_eq!(
        (&billing["asa_s"], &sales["asa_s"]),
        (&12.0.into(), &28.0.into())
    );
    assert_eq!(
        (&billing["att_s"], &sales["att_s"]),
        (&120.0.into(), &180.0.into())
    );
    assert_eq!(
        (&billing["aht_s"], &sales["aht_s"]),
        (&150.0.into(), &200.0.into())
    );
    assert_eq!(agent(&snap, "agent-0201")["handled"], 1);
    assert_eq!(agent(&snap, "agent-0202")["handled"], 1);

    let o = decode_fixture(DialectKind::AmazonConnect, "amazon-connect", file);
    assert_eq!(
        count(&o, "contact.queued", "c-30"),
        2,
        "Billing, then Sales"
    );
    assert_eq!(count(&o, "contact.answered", "c-30"), 2);
    assert_eq!(
        count(&o, "contact.ended", "c-30"),
        1,
        "only the caller's hang-up"
    );
    assert_eq!(
        types(&o)
            .iter()
            .filter(|t| t.starts_with("contact."))
            .count(),
        5
    );
}

/// Fixture `transfer-disconnect-first.jsonl`: the same transfer in contact
/// events only, the old leg's DISCONNECTED (`disconnectReason: TRANSFER`)
/// delivered before anything of the new leg. The old leg's end is the
/// transfer's first half, not the contact's end: the figures are those of
/// the transfer above without the after-contact work (no agent stream):
/// AHT equals talk, 120 s and 180 s.
#[test]
fn an_old_legs_disconnect_before_the_new_leg_does_not_end_the_contact() {
    let file = "transfer-disconnect-first.jsonl";
    let snap = replay(DialectKind::AmazonConnect, "amazon-connect", file);
    assert_eq!(
        snap,
        expected("amazon-connect", "transfer-disconnect-first.snapshot.json")
    );
    let t = &snap["totals"];
    assert_eq!(t["frt_s"]["count"], 1, "one first response");
    assert_eq!(t["frt_s"]["avg"], 12.0);
    let sales = queue(&snap, "q-sales-0002");
    assert_eq!(
        (&sales["entered"], &sales["answered"]),
        (&1.into(), &1.into())
    );
    assert_eq!(sales["asa_s"], 28.0);
    assert_eq!(queue(&snap, "q-billing-0001")["aht_s"], 120.0);
    assert_eq!(sales["aht_s"], 180.0);
    assert_eq!(agent(&snap, "agent-0202")["handled"], 1);

    let o = decode_fixture(DialectKind::AmazonConnect, "amazon-connect", file);
    let ended: Vec<_> = o
        .events
        .iter()
        .filter(|(t, _, _)| t == "contact.ended")
        .collect();
    assert_eq!(
        ended,
        [&(
            "contact.ended".to_string(),
            "c-30".to_string(),
            T0 + 3_945_000
        )],
        "ended once, at the caller's hang-up (10:05:45)"
    );
}

/// Fixture `out-of-order.jsonl`: EventBridge delivers a contact's events in
/// no order. c-40's DISCONNECTED comes before its QUEUED and its
/// CONNECTED_TO_AGENT; c-41's DISCONNECTED before its CONNECTED_TO_AGENT;
/// c-42 (no agent) is DISCONNECTED before its QUEUED. Each later event
/// carries `queueInfo.enqueueTimestamp` and, once answered,
/// `agentInfo.connectedToAgentTimestamp`. By hand: c-40 waited 20 s
/// (10:10:00 to 10:10:20) and talked 120 s; c-41 waited 9 s (10:11:00 to
/// 10:11:09) and talked 120 s; c-42 abandoned after 40 s. Entered 3,
/// answered 2, abandoned 1, ASA 14.5 s, SL 66.7 % (both within 20 s, of 3).
#[test]
fn out_of_order_contact_events_are_reconciled_from_their_timestamps() {
    let snap = replay(
        DialectKind::AmazonConnect,
        "amazon-connect",
        "out-of-order.jsonl",
    );
    assert_eq!(
        snap,
        expected("amazon-connect", "out-of-order.snapshot.json")
    );
    let t = &snap["totals"];
    assert_eq!(
        (&t["entered"], &t["answered"], &t["abandoned"]),
        (&3.into(), &2.into(), &1.into())
    );
    assert_eq!(t["asa_s"], 14.5);
    assert_eq!(t["att_s"], 120.0);
    assert_eq!(t["frt_s"]["count"], 2);
    assert_eq!(t["service_level_pct"], 66.7);
    assert_eq!(agent(&snap, "agent-0301")["handled"], 1);
    assert_eq!(agent(&snap, "agent-0302")["handled"], 1);
}

/// Fixture `callback.jsonl`: a queued callback. The inbound call (`c-50`)
/// leaves its number in the flow and hangs up without queueing; Connect
/// creates the callback contact (`c-51`, `initiationMethod: CALLBACK`,
/// `previousContactId` and `initialContactId` naming `c-50`), which queues
/// in Billing at 10:20:30 and is answered at 10:22:30 (wait 120 s, talk
/// 180 s). The callback is a contact of its own (the call that asked for it
/// ended): entered 1, answered 1, ASA 120 s; were it linked to the ended
/// call, it would be dropped.
#[test]
fn a_queued_callback_is_a_contact_of_its_own() {
    let snap = replay(
        DialectKind::AmazonConnect,
        "amazon-connect",
        "callback.jsonl",
    );
    assert_eq!(snap, expected("amazon-connect", "callback.snapshot.json"));
    let t = &snap["totals"];
    assert_eq!((&t["entered"], &t["answered"]), (&1.into(), &1.into()));
    assert_eq!((&t["asa_s"], &t["att_s"]), (&120.0.into(), &180.0.into()));
    assert_eq!(t["abandoned"], 0, "the call that asked for it never queued");
    let o = decode_fixture(
        DialectKind::AmazonConnect,
        "amazon-connect",
        "callback.jsonl",
    );
    assert_eq!(count(&o, "contact.queued", "c-51"), 1);
    assert_eq!(count(&o, "contact.answered", "c-51"), 1);
}

/// Fixture `callback-from-queue.jsonl`: the Administrator Guide's "queued
/// callback" example (queued-callback-example.html) in contact events. The
/// inbound call (`c-60`) is put in queue at 11:35; at 11:37 the caller
/// chooses a callback, "so Amazon Connect initiates a callback contact at
/// 11:37, before the inbound contact is disconnected" (`c-61`,
/// `initiationMethod: CALLBACK`); the inbound call disconnects at
/// 11:37:05; the callback is queued at 11:38:39 (99 s of initial delay)
/// and accepted at 11:39:00. The metric definitions page: "An abandoned
/// contact refers to a contact that was disconnected by the customer while
/// in queue. [...] Contacts queued for callback are not counted as
/// abandoned." By hand: Support entered 1, abandoned 0, answered 0 (the
/// wait ended without an agent); Callback entered 1, answered 1 after
/// 21 s, talk 180 s.
#[test]
fn a_call_that_asked_for_a_callback_from_the_queue_is_no_abandon() {
    let snap = replay(
        DialectKind::AmazonConnect,
        "amazon-connect",
        "callback-from-queue.jsonl",
    );
    let support = queue(&snap, "q-support-0006");
    assert_eq!(
        (
            &support["entered"],
            &support["abandoned"],
            &support["answered"]
        ),
        (&1.into(), &0.into(), &0.into())
    );
    assert_eq!(support["waiting"], 0);
    let callback = queue(&snap, "q-callback-0006");
    assert_eq!(
        (
            &callback["entered"],
            &callback["answered"],
            &callback["asa_s"]
        ),
        (&1.into(), &1.into(), &21.0.into())
    );
    assert_eq!(callback["att_s"], 180.0);
    assert_eq!(snap["feed"]["rejected"], 0);
}

/// Fixture `contact-data-updated.jsonl`: contact events in the shapes of
/// AWS's samples on the "Amazon Connect contact events" page. A chat
/// queued at 10:00:00 gets a CONTACT_DATA_UPDATED whose `agentInfo` has
/// `connectedToAgentTimestamp` (and `connectedToSystemTimestamp`) set to
/// `1970-01-01T00:00:00.001Z`, as AWS's "contact properties are updated"
/// sample has it: a time not set, not an answer in 1970. Then the
/// "routing step expires" sample, the connect at 10:01:00 and the
/// disconnect at 10:04:00 and its COMPLETED at 10:04:30. A voice call in
/// the PascalCase keys of the "connected to an agent using routing
/// criteria" sample: queued at 10:02:04, connected at 10:02:09, a tag
/// update at 10:05:00. By hand: the chat waited 60 s and talked 180 s, one
/// contact entered; the call waited 5 s and talks 171 s at 10:05:00, the
/// time of the last event (which sends nothing else: its envelope's time
/// still moves the replay's clock).
#[test]
fn a_time_of_1970_is_a_time_not_set() {
    let snap = replay(
        DialectKind::AmazonConnect,
        "amazon-connect",
        "contact-data-updated.jsonl",
    );
    assert_eq!(
        snap,
        expected("amazon-connect", "contact-data-updated.snapshot.json")
    );
    let chat = queue(&snap, "q-chat-0001");
    assert_eq!(chat["entered"], 1);
    assert_eq!(chat["answered"], 1);
    assert_eq!(chat["asa_s"], 60.0, "answered at 10:01:00, not in 1970");
    assert_eq!(chat["att_s"], 180.0);
    let voice = queue(&snap, "12345678-1234-1234-1234-123456789012");
    assert_eq!(voice["asa_s"], 5.0, "PascalCase keys read alike");
    let a1 = agent(&snap, "agent-chat-0001");
    assert_eq!(a1["handled"], 1);
    assert_eq!(a1["state"], "available");
    let a2 = agent(&snap, "12345678-1234-1234-1234-123456789012");
    assert_eq!(snap["now"], "2026-11-23T10:05:00Z");
    assert_eq!(a2["contacts"][0]["talk_s"], 171.0);
    assert_eq!(snap["feed"]["rejected"], 0);

    // The placeholder alone, on any event, answers nothing.
    let mut d = DialectKind::AmazonConnect.make();
    let o = feed(
        d.as_mut(),
        &json!({"eventType": "CONTACT_DATA_UPDATED", "contactId": "c-9",
                "queueInfo": {"queueArn": "arn:aws:connect:us-west-2:1:instance/i/queue/q",
                              "enqueueTimestamp": "1970-01-01T00:00:00.001Z"},
                "agentInfo": {"agentArn": "arn:aws:connect:us-west-2:1:instance/i/agent/a",
                              "connectedToAgentTimestamp": "1970-01-01T00:00:00.001Z"}})
        .to_string(),
        T0,
    );
    assert!(o.events.is_empty(), "{:?}", o.events);
}

/// The same fixture with the old leg's DISCONNECTED saying nothing of a
/// transfer: AWS's DISCONNECTED sample (contact-events.html) has no
/// `disconnectReason`, and the API reference's DisconnectReason says "Only
/// Amazon Connect outbound campaigns can provide this field". The old
/// leg's end then ends the contact, as far as anyone can tell when it
/// arrives; but the new leg, heard of after, is still a contact (its own:
/// the first one's end was already sent), not dropped. By hand: Sales
/// entered 1, answered 1 after 28 s, talk 180 s; the agent handled it.
/// And the same for a queue-to-queue transfer (`initiationMethod:
/// QUEUE_TRANSFER`, "While the contact is one queue, and was then
/// transferred into another queue using a contact flow block"), the first
/// contact's DISCONNECTED delivered first (events "are not ordered"): the
/// second queue's wait and answer count.
#[test]
fn a_new_leg_after_its_predecessor_ended_is_not_dropped() {
    let text = std::fs::read_to_string(resource(
        "amazon-connect",
        "transfer-disconnect-first.jsonl",
    ))
    .expect("fixture");
    let bare = text.replace(",\"disconnectReason\":\"TRANSFER\"", "");
    assert!(bare.len() < text.len(), "the fixture names the transfer");
    let snap = replay_from(DialectKind::AmazonConnect, "bare", bare.as_bytes());
    let sales = queue(&snap, "q-sales-0002");
    assert_eq!(
        (&sales["entered"], &sales["answered"], &sales["asa_s"]),
        (&1.into(), &1.into(), &28.0.into())
    );
    assert_eq!(sales["att_s"], 180.0);
    assert_eq!(agent(&snap, "agent-0202")["handled"], 1);
    assert_eq!(queue(&snap, "q-billing-0001")["att_s"], 120.0);

    let arn = "arn:aws:connect:us-west-2:123456789012:instance/i";
    let event = |time: &str, detail: Value| {
        json!({"version": "0", "id": format!("ce-{time}"),
               "detail-type": "Amazon Connect Contact Event", "source": "aws.connect",
               "account": "123456789012", "time": time, "region": "us-west-2",
               "resources": [], "detail": detail})
        .to_string()
    };
    let leg = |kind: &str, id: &str, method: &str, queue: &str, enq: &str| {
        json!({"eventType": kind, "contactId": id, "initialContactId": "c-40",
               "channel": "VOICE", "initiationMethod": method,
               "queueInfo": {"queueArn": format!("{arn}/queue/{queue}"),
                             "enqueueTimestamp": enq, "queueType": "STANDARD"}})
    };
    let mut gone = leg(
        "DISCONNECTED",
        "c-40",
        "INBOUND",
        "q-a",
        "2026-11-23T11:00:00.000Z",
    );
    gone["disconnectTimestamp"] = json!("2026-11-23T11:01:00.000Z");
    let mut next = leg(
        "QUEUED",
        "c-41",
        "QUEUE_TRANSFER",
        "q-b",
        "2026-11-23T11:01:00.000Z",
    );
    next["previousContactId"] = json!("c-40");
    let mut answer = next.clone();
    answer["eventType"] = json!("CONNECTED_TO_AGENT");
    answer["agentInfo"] = json!({"agentArn": format!("{arn}/agent/a-41"),
                                 "connectedToAgentTimestamp": "2026-11-23T11:01:30.000Z"});
    let lines = [
        event(
            "2026-11-23T11:00:00Z",
            leg(
                "QUEUED",
                "c-40",
                "INBOUND",
                "q-a",
                "2026-11-23T11:00:00.000Z",
            ),
        ),
        event("2026-11-23T11:01:00Z", gone),
        event("2026-11-23T11:01:00Z", next),
        event("2026-11-23T11:01:30Z", answer),
    ]
    .join("\n");
    let snap = replay_from(DialectKind::AmazonConnect, "queue", lines.as_bytes());
    let b = queue(&snap, "q-b");
    assert_eq!(
        (&b["entered"], &b["answered"], &b["asa_s"]),
        (&1.into(), &1.into(), &30.0.into())
    );
    assert_eq!(agent(&snap, "a-41")["state"], "on_contact");
}

/// The same fixture without its DISCONNECTED, and with the COMPLETED
/// before it. The "Amazon Connect contact events" page: COMPLETED tells
/// when the contact is fully completed, after-contact work included; for a
/// contact without ACW it comes right after the DISCONNECTED, with the
/// same data; events are not ordered and are emitted on a best effort
/// basis. So a COMPLETED is the contact's end at its `disconnectTimestamp`
/// (or `agentInfo.afterContactWorkStartTimestamp`, when ACW began), not at
/// its own time, whether its DISCONNECTED came first, later or never.
#[test]
fn a_completed_ends_the_contact_when_its_disconnected_is_late_or_lost() {
    let text = std::fs::read_to_string(resource("amazon-connect", "contact-data-updated.jsonl"))
        .expect("fixture");
    let lines: Vec<&str> = text.lines().filter(|l| !l.trim().is_empty()).collect();
    let is = |l: &str, kind: &str| l.contains(&format!("\"eventType\":\"{kind}\""));
    let disconnected = *lines
        .iter()
        .find(|l| is(l, "DISCONNECTED"))
        .expect("a DISCONNECTED");
    let completed = *lines
        .iter()
        .find(|l| is(l, "COMPLETED"))
        .expect("a COMPLETED");
    let others: Vec<&str> = lines
        .iter()
        .copied()
        .filter(|l| !is(l, "DISCONNECTED") && !is(l, "COMPLETED"))
        .collect();
    let want = expected("amazon-connect", "contact-data-updated.snapshot.json");
    let chat = |snap: &Value| {
        let q = queue(snap, "q-chat-0001");
        let a = agent(snap, "agent-chat-0001");
        (
            q["answered"].clone(),
            q["att_s"].clone(),
            a["state"].clone(),
            a["handled"].clone(),
        )
    };
    for (name, tail) in [
        ("lost", vec![completed]),
        ("late", vec![completed, disconnected]),
    ] {
        let body: String = others
            .iter()
            .chain(tail.iter())
            .map(|l| format!("{l}\n"))
            .collect();
        let snap = replay_from(DialectKind::AmazonConnect, name, body.as_bytes());
        assert_eq!(chat(&snap), chat(&want), "DISCONNECTED {name}");
        assert_eq!(
            queue(&snap, "q-chat-0001")["att_s"],
            180.0,
            "ended at 10:04:00, not at the COMPLETED's 10:04:30"
        );
        assert_eq!(snap["feed"]["rejected"], 0);
    }

    // Without `disconnectTimestamp`, the ACW start is when the contact ended.
    let mut d = DialectKind::AmazonConnect.make();
    let arn = "arn:aws:connect:us-west-2:1:instance/i";
    let o = feed(
        d.as_mut(),
        &json!({"eventType": "COMPLETED", "contactId": "c-8", "channel": "VOICE",
                "queueInfo": {"queueArn": format!("{arn}/queue/q"),
                              "enqueueTimestamp": "2026-11-23T09:00:00.000Z"},
                "agentInfo": {"agentArn": format!("{arn}/agent/a"),
                              "connectedToAgentTimestamp": "2026-11-23T09:00:10.000Z",
                              "afterContactWorkStartTimestamp": "2026-11-23T09:01:10.000Z",
                              "afterContactWorkEndTimestamp": "2026-11-23T09:01:40.000Z",
                              "afterContactWorkDuration": 30}})
        .to_string(),
        T0 + 100_000,
    );
    assert_eq!(
        o.events,
        vec![
            ("contact.queued".into(), "c-8".into(), T0),
            ("contact.answered".into(), "c-8".into(), T0 + 10_000),
            ("contact.ended".into(), "c-8".into(), T0 + 70_000),
        ]
    );
}

/// Fixture `after-contact-work.jsonl`: the two records of AWS's "Use
/// agent event streams to determine agent ACW time" (Administrator
/// Guide, agent-event-streams.md), the first record queuetop hears of the
/// agent: the call CONNECTED since 18:55:21.021 in its
/// PreviousAgentSnapshot and ENDED at 18:55:27.027 (StateStartTimestamp:
/// "Agent entered ACW at this time") in its CurrentAgentSnapshot; then no
/// contact at 18:55:32.032, which AWS reads as the end of after-contact
/// work: 5.005 s. By hand: talk 6.006 s, wrap-up 5.005 s, handle time
/// 11.011 s; after the first record the agent has been in wrap-up for 0 s
/// (not since the status's StartTimestamp, 18:43:59.059).
#[test]
fn the_first_record_of_an_agent_counts_what_its_previous_snapshot_shows() {
    let snap = replay(
        DialectKind::AmazonConnect,
        "amazon-connect",
        "after-contact-work.jsonl",
    );
    assert_eq!(
        snap,
        expected("amazon-connect", "after-contact-work.snapshot.json")
    );
    let t = &snap["totals"];
    assert_eq!(t["att_s"], 6.006);
    assert_eq!(t["aht_s"], 11.011, "with AWS's 5.005 s of ACW");
    let a = agent(&snap, "agent-ARN");
    assert_eq!(a["handled"], 1);
    assert_eq!(a["state"], "available");

    let text = std::fs::read_to_string(resource("amazon-connect", "after-contact-work.jsonl"))
        .expect("fixture");
    let first = text.lines().next().expect("a record");
    let snap = replay_from(DialectKind::AmazonConnect, "first", first.as_bytes());
    let a = agent(&snap, "agent-ARN");
    assert_eq!(
        (&a["state"], &a["state_for_s"]),
        (&json!("wrap_up"), &json!(0.0)),
        "in ACW since the contact ENDED"
    );
}

/// Fixture `hold-and-pause.jsonl`: agent event stream records of one
/// agent. A call held from 13:01:10 to 13:01:40 whose CONNECTED_ONHOLD
/// (and the CONNECTED after it) keep the StateStartTimestamp of the
/// connect, 13:00:10, as the API reference's AgentContactReference says
/// Connect does ("When AgentContactState is set to CONNECTED_ONHOLD,
/// StateStartTimestamp is not changed"): the records' EventTimestamps tell
/// the hold. Then a task paused twice (PAUSED: "This is only applicable
/// to task contacts"), the second time until it ENDED. By hand: the call
/// waited 8 s, connected 13:00:10 to 13:02:10 (120 s, 30 s held, talk 90
/// s), 20 s of ACW; the task waited 5 s, connected 13:03:00 to 13:06:00
/// (180 s, paused 60 s and 30 s, counted as hold: 90 s, talk 90 s), 20 s
/// of ACW.
#[test]
fn a_hold_keeps_its_time_and_a_paused_task_can_end() {
    let snap = replay(
        DialectKind::AmazonConnect,
        "amazon-connect",
        "hold-and-pause.jsonl",
    );
    assert_eq!(
        snap,
        expected("amazon-connect", "hold-and-pause.snapshot.json")
    );
    let voice = queue(&snap, "q-voice-0009");
    assert_eq!(
        (&voice["att_s"], &voice["avg_hold_s"], &voice["aht_s"]),
        (&json!(90.0), &json!(30.0), &json!(140.0))
    );
    let tasks = queue(&snap, "q-tasks-0009");
    assert_eq!(
        (&tasks["att_s"], &tasks["avg_hold_s"], &tasks["aht_s"]),
        (&json!(90.0), &json!(90.0), &json!(200.0)),
        "the task ended while paused"
    );
    let kim = agent(&snap, "agent-0009");
    assert_eq!(
        (&kim["state"], &kim["handled"]),
        (&json!("available"), &json!(2))
    );
}
