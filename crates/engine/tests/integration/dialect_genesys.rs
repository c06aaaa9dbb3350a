//! The Genesys Cloud dialect: Notification API messages.
//!
//! Fixture `tests/resources/dialects/genesys/queue-day.jsonl` is a recording
//! (each message in the recording envelope with its receive time) written
//! from Genesys' documentation of the notification service
//! (https://developer.genesys.cloud/notificationsalerts/notifications/) and
//! of the topics' schemas: `v2.routing.queues.{id}.conversations`
//! (QueueConversationEventTopicConversation), `v2.users.{id}.activity`,
//! `.presence`, `.routingStatus`; `channel.metadata` heartbeats and
//! `v2.system.socket_closing`.

use crate::dialect_common;

use dialect_common::*;
use queuetop_engine::dialect::{DialectKind, DialectSetup, Signal};
use queuetop_engine::protocol::Decoded;
use queuetop_engine::time::Ts;
use serde_json::json;

#[test]
fn replayed_day_gives_the_expected_snapshot() {
    let snap = replay(DialectKind::Genesys, "genesys", "queue-day.jsonl");
    assert_eq!(snap, expected("genesys", "queue-day.snapshot.json"));
    let q = queue(&snap, "qqqqqqqq-0000-0000-0000-000000support");
    assert_eq!(q["asa_s"], 12.0, "acd connected 09:00:10, agent 09:00:22");
    assert_eq!(
        q["abandoned"], 1,
        "the customer left while the acd held the call"
    );
    assert_eq!(q["att_s"], 150.0, "180 s connected, 30 s held");
    assert_eq!(q["avg_hold_s"], 30.0);
    assert_eq!(q["aht_s"], 210.0, "with 30 s until the wrap-up code");
    assert_eq!(snap["totals"]["waiting"], 1);
    assert_eq!(snap["totals"]["longest_wait_s"], 50.0);
    let dana = agent(&snap, "uuuuuuuu-0000-0000-0000-00000000dana");
    assert_eq!(dana["state"], "available");
    assert_eq!(
        dana["state_for_s"], 68.0,
        "since her wrap-up code at 09:03:52"
    );
    let lee = agent(&snap, "uuuuuuuu-0000-0000-0000-000000000lee");
    assert_eq!(
        (&lee["state"], &lee["reason"]),
        (&json!("away"), &json!("Meal"))
    );
    assert_eq!(snap["feed"]["unknown"], 1, "the subscribe answer");
}

#[test]
fn socket_closing_asks_for_the_next_socket_and_heartbeats_are_heartbeats() {
    let mut d = DialectKind::Genesys.make();
    let mut seen = 0;
    let closing = r#"{"topicName":"v2.system.socket_closing","eventBody":{"message":"closing"}}"#;
    let s = d.decode(closing, Ts(0), &mut |_: Decoded<'_>| seen += 1);
    assert_eq!((s, seen), (Signal::ReconnectSoon, 0));
    let beat = r#"{"topicName":"channel.metadata","eventBody":{"message":"WebSocket Heartbeat"}}"#;
    let o = feed(d.as_mut(), beat, 42);
    assert_eq!(o.events, vec![("heartbeat".into(), String::new(), 42)]);
    // In a batch, one closing warning is enough.
    let batch = format!("[{beat},{closing}]");
    assert_eq!(
        d.decode(&batch, Ts(0), &mut |_: Decoded<'_>| {}),
        Signal::ReconnectSoon
    );
}

#[test]
fn subscribes_to_the_configured_queues_unless_told_otherwise() {
    let setup = DialectSetup {
        queues: vec!["q1".into(), "q2".into()],
        subscribe_configured: false,
    };
    let msgs = DialectKind::Genesys.make_with(&setup).on_connect();
    assert_eq!(msgs.len(), 1);
    let v: serde_json::Value = serde_json::from_str(&msgs[0]).unwrap();
    assert_eq!(
        v,
        json!({"message": "subscribe", "topics": [
            "v2.routing.queues.q1.conversations", "v2.routing.queues.q2.conversations"]})
    );
    let own = DialectSetup {
        subscribe_configured: true,
        ..setup
    };
    assert!(DialectKind::Genesys.make_with(&own).on_connect().is_empty());
    assert!(
        DialectKind::Genesys.make().on_connect().is_empty(),
        "no queues, nothing to ask"
    );
}

#[test]
fn malformed_and_unknown_messages_are_counted() {
    let mut d = DialectKind::Genesys.make();
    assert_eq!(
        feed(d.as_mut(), r#"{"eventBody":{}}"#, 0).rejected,
        1,
        "no topicName"
    );
    let no_id =
        r#"{"topicName":"v2.routing.queues.q.conversations","eventBody":{"participants":[]}}"#;
    assert_eq!(feed(d.as_mut(), no_id, 0).rejected, 1);
    assert_eq!(
        feed(
            d.as_mut(),
            r#"{"topicName":"v2.analytics.queues.q.observations"}"#,
            0
        )
        .unknown,
        1
    );
}

/// Fixture `blind-transfer.jsonl`: a blind transfer from Dana (support) to
/// the sales queue, as the conversation topic shows it
/// (QueueConversationEventTopicConversation): Dana's participant gets its
/// `endTime` and `disconnectType: transfer`, and a new acd participant for
/// sales is connected at that same instant; the snapshots then come on the
/// sales queue's topic. By hand, from 12:00:00: acd support connected
/// 12:00:10, Dana 12:00:16 (wait 6 s), transferred 12:01:16 (talk 60 s);
/// acd sales 12:01:16, Lee 12:01:40 (wait 24 s), the customer hung up
/// 12:03:10 (talk 90 s). One contact, one first response of 6 s.
#[test]
fn a_blind_transfer_keeps_its_second_leg() {
    let snap = replay(DialectKind::Genesys, "genesys", "blind-transfer.jsonl");
    assert_eq!(snap, expected("genesys", "blind-transfer.snapshot.json"));
    let t = &snap["totals"];
    assert_eq!(t["entered"], 2);
    assert_eq!(t["answered"], 2);
    assert_eq!(t["frt_s"]["count"], 1);
    assert_eq!(t["frt_s"]["avg"], 6.0);
    let support = queue(&snap, "qqqqqqqq-0000-0000-0000-000000support");
    let sales = queue(&snap, "qqqqqqqq-0000-0000-0000-0000000sales");
    assert_eq!(support["asa_s"], 6.0);
    assert_eq!(sales["asa_s"], 24.0);
    assert_eq!(support["aht_s"], 60.0);
    assert_eq!(sales["aht_s"], 90.0);
    assert_eq!(
        agent(&snap, "uuuuuuuu-0000-0000-0000-00000000dana")["handled"],
        1
    );
    assert_eq!(
        agent(&snap, "uuuuuuuu-0000-0000-0000-000000000lee")["handled"],
        1
    );

    let o = decode_fixture(DialectKind::Genesys, "genesys", "blind-transfer.jsonl");
    assert_eq!(count(&o, "contact.queued", "conv-x"), 2);
    assert_eq!(count(&o, "contact.ended", "conv-x"), 1, "only the hang-up");
}

/// Fixture `call-hold.jsonl`: Genesys puts `startHoldTime` on the call
/// (`participants[].calls[].startHoldTime`, QueueConversationEventTopicCall),
/// not on the participant. The hold began at 12:01:00 and its notification
/// arrived at 12:01:30; the resume arrived at 12:01:45 (the call says
/// nothing of when the hold ended, so its arrival stands). By hand: hold
/// 45 s (not the 15 s between the arrivals), connected 12:00:16 to 12:02:16
/// (120 s), talk 75 s, AHT 120 s.
#[test]
fn hold_starts_at_the_calls_start_hold_time() {
    let snap = replay(DialectKind::Genesys, "genesys", "call-hold.jsonl");
    assert_eq!(snap, expected("genesys", "call-hold.snapshot.json"));
    let t = &snap["totals"];
    assert_eq!(t["avg_hold_s"], 45.0);
    assert_eq!(t["att_s"], 75.0);
    assert_eq!(t["aht_s"], 120.0);
}

/// Fixture `consult-transfer.jsonl`: a consult transfer to another queue
/// on the conversation topic. Dana holds the customer (`calls[].held`,
/// `startHoldTime`) and consults Sales: a new acd participant connects
/// while Dana is still connected, Lee answers the consult, then Dana
/// leaves (`disconnectType: transfer`) and the customer is off hold with
/// Lee. By hand, from 13:00:00: queued in Support 13:00:10, Dana answered
/// 13:00:16 (wait 6 s), held from 13:02:00, left 13:02:50 (154 s connected,
/// 50 s of it on hold: ATT 104 s, AHT 154 s); the re-queue into Sales is at
/// the instant Dana left, answered by Lee at once (ASA 0 s: the customer
/// was on hold with Dana during the consult, not waiting in Sales); Lee
/// talked to 13:05:50 (180 s). One first response (6 s), one wait per
/// queue.
#[test]
fn a_consult_transfer_to_a_queue_is_a_requeue_at_the_first_agents_leave() {
    let snap = replay(DialectKind::Genesys, "genesys", "consult-transfer.jsonl");
    assert_eq!(snap, expected("genesys", "consult-transfer.snapshot.json"));
    let t = &snap["totals"];
    assert_eq!(t["frt_s"]["count"], 1, "one first response");
    assert_eq!(t["frt_s"]["avg"], 6.0);
    let support = queue(&snap, "qqqqqqqq-0000-0000-0000-000000support");
    let sales = queue(&snap, "qqqqqqqq-0000-0000-0000-0000000sales");
    assert_eq!(
        (&support["entered"], &sales["entered"]),
        (&1.into(), &1.into())
    );
    assert_eq!(
        (&support["answered"], &sales["answered"]),
        (&1.into(), &1.into())
    );
    assert_eq!(
        (&support["asa_s"], &sales["asa_s"]),
        (&6.0.into(), &0.0.into())
    );
    assert_eq!(support["avg_hold_s"], 50.0);
    assert_eq!(
        (&support["aht_s"], &sales["aht_s"]),
        (&154.0.into(), &180.0.into())
    );
    assert_eq!(
        agent(&snap, "uuuuuuuu-0000-0000-0000-000000000lee")["handled"],
        1
    );
}

/// The acd participant's `conversationRoutingData.priority` (higher routed
/// first, 0 by default) is the waiting contact's priority.
#[test]
fn the_acd_participants_routing_priority_is_the_contacts() {
    let conv = |id: &str, prio: serde_json::Value, at: &str| {
        let frame = json!({
            "topicName": "v2.routing.queues.q1.conversations",
            "eventBody": {"id": id, "participants": [
                {"purpose": "customer", "calls": [{"state": "connected"}], "connectedTime": at},
                {"purpose": "acd", "calls": [{"state": "connected"}], "connectedTime": at,
                 "queueId": "q1", "conversationRoutingData": {"priority": prio}}
            ]}
        });
        format!(
            "{}\n",
            json!({"qt_received": 1_795_424_460_000i64, "frame": frame})
        )
    };
    let text = [
        conv("conv-1", json!(50), "2026-11-23T09:00:00.000Z"),
        conv("conv-2", json!(0), "2026-11-23T09:00:30.000Z"),
        conv("conv-3", json!("urgent"), "2026-11-23T09:00:40.000Z"),
        // Genesys allows priorities below the default.
        conv("conv-4", json!(-5), "2026-11-23T09:00:45.000Z"),
    ]
    .concat();
    let snap = replay_from(DialectKind::Genesys, "priority", text.as_bytes());
    let q = queue(&snap, "q1");
    assert_eq!(q["waiting"], 4);
    assert_eq!(q["waiting_by_priority"][0]["priority"], 50);
    assert_eq!(q["longest_high_priority"]["contact_id"], "conv-1");
    assert_eq!(q["waiting_by_priority"][1]["waiting"], 2);
    assert_eq!(q["waiting_by_priority"][2]["priority"], -5);
    assert_eq!(snap["feed"]["priority_ignored"], 1);
}

/// Fixture `wrapup.jsonl`: the end of wrap-up as the queue conversation
/// topic's models give it (QueueConversationEventTopicParticipant
/// `startAcwTime` / `endAcwTime` and `wrapup`; the call's `wrapup` and
/// `afterCallWork` with `state`, `startTime`, `endTime`). Dana's
/// conversation: queued 11:00:00, answered 11:00:10, ended 11:03:10, her
/// wrap-up code at 11:03:40 (`wrapup.endTime`, `endAcwTime`) told at
/// 11:03:55. Lee's: queued 11:01:00, answered 11:01:20, ended 11:02:20,
/// his code on the call only (`calls[].wrapup`, `afterCallWork.state:
/// complete`, ended 11:02:35). By hand: asa (10 + 20) / 2 = 15 s, att
/// (180 + 60) / 2 = 120 s, aht (210 + 75) / 2 = 142.5 s; both available at
/// 11:05:00, Dana for 80 s, Lee for 145 s.
#[test]
fn wrap_up_ends_when_genesys_says_it_did() {
    let snap = replay(DialectKind::Genesys, "genesys", "wrapup.jsonl");
    assert_eq!(snap, expected("genesys", "wrapup.snapshot.json"));
    let q = queue(&snap, "qqqqqqqq-0000-0000-0000-000000support");
    assert_eq!(q["asa_s"], 15.0);
    assert_eq!(q["att_s"], 120.0);
    assert_eq!(q["aht_s"], 142.5, "30 s and 15 s of wrap-up");
    let dana = agent(&snap, "uuuuuuuu-0000-0000-0000-00000000dana");
    assert_eq!(
        (&dana["state"], &dana["state_for_s"]),
        (&json!("available"), &json!(80.0))
    );
    let lee = agent(&snap, "uuuuuuuu-0000-0000-0000-000000000lee");
    assert_eq!(
        (&lee["state"], &lee["state_for_s"]),
        (&json!("available"), &json!(145.0)),
        "the code on the call ends the wrap-up too"
    );
}

/// Fixture `confined.jsonl`: a hold that the call model's `confined`
/// flag tells ("True if this call is held and the person on this side
/// hears hold music"; `held` is the same with silence): the customer's
/// call is confined, not held, from `startHoldTime` 11:30:40, told at
/// 11:30:42, and no longer at 11:31:10. By hand: queued 11:30:00, answered
/// 11:30:08 (wait 8 s), ended 11:32:08: 120 s connected, 30 s of it on
/// hold, talk 90 s.
#[test]
fn a_confined_call_is_on_hold() {
    let snap = replay(DialectKind::Genesys, "genesys", "confined.jsonl");
    assert_eq!(snap, expected("genesys", "confined.snapshot.json"));
    let q = queue(&snap, "qqqqqqqq-0000-0000-0000-000000support");
    assert_eq!(q["asa_s"], 8.0);
    assert_eq!(q["avg_hold_s"], 30.0);
    assert_eq!(q["att_s"], 90.0);
    assert_eq!(q["aht_s"], 120.0);
}

/// Fixture `monitor.jsonl`: a supervisor listens in on Dana's call, a
/// participant with `monitoredParticipantId` naming Dana's ("If this
/// participant is a monitor, then this will be the id of the participant
/// that is being monitored"). Dana and the customer hang up at 12:32:00;
/// the monitor's leg is still up in that notification and ends at
/// 12:32:01. By hand: queued 12:30:00, answered by Dana 12:30:08, ended
/// 12:32:00: one contact, talk 112 s, all Dana's; the supervisor handled
/// nothing.
#[test]
fn a_monitoring_supervisor_is_not_the_agent() {
    let snap = replay(DialectKind::Genesys, "genesys", "monitor.jsonl");
    assert_eq!(snap, expected("genesys", "monitor.snapshot.json"));
    let q = queue(&snap, "qqqqqqqq-0000-0000-0000-000000support");
    assert_eq!(q["answered"], 1);
    assert_eq!(q["att_s"], 112.0);
    let dana = agent(&snap, "uuuuuuuu-0000-0000-0000-00000000dana");
    assert_eq!(
        (&dana["handled"], &dana["att_s"]),
        (&json!(1), &json!(112.0))
    );
    let supervisor = snap["agents"]
        .as_array()
        .and_then(|a| {
            a.iter()
                .find(|x| x["agent_id"] == "uuuuuuuu-0000-0000-0000-000000000sup")
        })
        .cloned();
    assert_eq!(supervisor, None, "never an agent of the contact");
}

/// `connectedTime` is a date-time in the queue conversation topic's
/// participant model (QueueConversationEventTopicParticipant, every
/// MyPureCloud SDK's docs). One that is not a time cannot be a wait's
/// start or an answer's time: the notification counts as rejected, and
/// what can still be read of it is sent. Conversation first seen answered,
/// its queue's participant's `connectedTime` broken: the answer counts,
/// the wait cannot, and the broken time is counted, not dropped in
/// silence.
#[test]
fn a_connected_time_that_is_not_a_time_is_counted() {
    let q = "qqqqqqqq-0000-0000-0000-000000support";
    let conv = |acd_time: &str, agent_time: &str| {
        json!({"topicName": format!("v2.routing.queues.{q}.conversations"), "version": "2",
               "eventBody": {"id": "conv-9", "participants": [
                   {"id": "p-c", "purpose": "customer", "connectedTime": "2026-11-23T09:00:08.000Z",
                    "calls": [{"id": "c", "state": "connected", "held": false}]},
                   {"id": "p-q", "purpose": "acd", "queueId": q, "connectedTime": acd_time,
                    "endTime": "2026-11-23T09:00:25.000Z",
                    "calls": [{"id": "c", "state": "disconnected", "held": false}]},
                   {"id": "p-u", "purpose": "agent", "userId": "u1", "queueId": q,
                    "connectedTime": agent_time,
                    "calls": [{"id": "c", "state": "connected", "held": false}]}]}})
        .to_string()
    };
    let received = 1_795_424_430_000; // 09:00:30
    let mut d = DialectKind::Genesys.make();
    let o = feed(
        d.as_mut(),
        &conv("not a time", "2026-11-23T09:00:25.000Z"),
        received,
    );
    assert_eq!(
        o.events,
        vec![("contact.answered".into(), "conv-9".into(), received - 5_000)]
    );
    assert_eq!(o.rejected, 1, "the queue's broken connectedTime is counted");

    // The agent's: the answer's time is the arrival's, and counted too.
    let mut d = DialectKind::Genesys.make();
    let o = feed(
        d.as_mut(),
        &conv("2026-11-23T09:00:10.000Z", "25 past nine"),
        received,
    );
    assert_eq!(types(&o), ["contact.queued", "contact.answered"]);
    assert_eq!(o.rejected, 1);

    // Well-formed times: nothing is counted.
    let mut d = DialectKind::Genesys.make();
    let o = feed(
        d.as_mut(),
        &conv("2026-11-23T09:00:10.000Z", "2026-11-23T09:00:25.000Z"),
        received,
    );
    assert_eq!(types(&o), ["contact.queued", "contact.answered"]);
    assert_eq!(o.rejected, 0);
}

/// `v2.users.{id}.routingStatus` alone (its model,
/// UserRoutingStatusNotificationRoutingStatus, has `status` OFF_QUEUE,
/// IDLE, INTERACTING, NOT_RESPONDING, COMMUNICATING, and `startTime`): an
/// agent who goes OFF_QUEUE is not routable, whatever presence is known or
/// not. With no presence heard of, or an On Queue presence not yet
/// replaced (the presence topic is another message, in no set order), the
/// agent is away, without a reason; with a presence, that is the reason.
#[test]
fn off_queue_is_away_without_a_presence() {
    let routing = |status: &str, at: &str| {
        json!({"topicName": "v2.users.u-1.routingStatus", "version": "2",
               "eventBody": {"routingStatus": {"status": status, "startTime": at}}})
        .to_string()
    };
    let mut d = DialectKind::Genesys.make();
    let idle = feed(d.as_mut(), &routing("IDLE", "2026-11-23T09:00:00.000Z"), 0);
    assert_eq!(idle.events[0].1, "u-1:available");
    let off = feed(
        d.as_mut(),
        &routing("OFF_QUEUE", "2026-11-23T09:01:00.000Z"),
        0,
    );
    assert_eq!(
        off.events,
        vec![("agent.state".into(), "u-1:away".into(), 1_795_424_460_000)]
    );

    let mut d = DialectKind::Genesys.make();
    let presence = json!({"topicName": "v2.users.u-1.presence", "version": "2",
        "eventBody": {"source": "PURECLOUD",
                      "presenceDefinition": {"id": "pd-onqueue", "systemPresence": "On Queue"},
                      "message": "", "modifiedDate": "2026-11-23T09:00:00.000Z"}});
    feed(d.as_mut(), &presence.to_string(), 0);
    feed(d.as_mut(), &routing("IDLE", "2026-11-23T09:00:00.000Z"), 0);
    let off = feed(
        d.as_mut(),
        &routing("OFF_QUEUE", "2026-11-23T09:01:00.000Z"),
        0,
    );
    assert_eq!(types(&off), ["agent.state"]);
    assert_eq!(off.events[0].1, "u-1:away");
}
