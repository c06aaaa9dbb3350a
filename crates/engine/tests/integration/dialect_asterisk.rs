//! The Asterisk dialect: AMI queue events as JSON objects.
//!
//! Fixture `tests/resources/dialects/asterisk/queue-day.jsonl` is written
//! from Asterisk's own definition of the events: the manager event
//! documentation and publishing code in apps/app_queue.c (Asterisk 18-22,
//! https://github.com/asterisk/asterisk/blob/master/apps/app_queue.c) and
//! https://docs.asterisk.org/Latest_API/API_Documentation/AMI_Events/ (channel
//! snapshot keys, `Timestamp` with `timestampevents = yes`). Its second half
//! is a recording made without `timestampevents`: each frame sits in the
//! recording envelope with its receive time.

use crate::dialect_common;

use dialect_common::*;
use queuetop_engine::dialect::DialectKind;
use serde_json::Value;

const T0: i64 = 1_795_424_400_000; // 2026-11-23T09:00:00Z

fn ami(fields: &[(&str, &str)]) -> String {
    let m: serde_json::Map<String, Value> = fields
        .iter()
        .map(|(k, v)| (k.to_string(), Value::String(v.to_string())))
        .collect();
    Value::Object(m).to_string()
}

#[test]
fn replayed_day_gives_the_expected_snapshot() {
    let snap = replay(DialectKind::Asterisk, "asterisk", "queue-day.jsonl");
    assert_eq!(snap, expected("asterisk", "queue-day.snapshot.json"));
    assert_eq!(snap["now"], "2026-11-23T09:05:30Z");
    let t = &snap["totals"];
    assert_eq!(t["waiting"], 1);
    assert_eq!(t["longest_wait_s"], 110.0, "sales caller since 09:03:40");
    let support = queue(&snap, "support");
    assert_eq!(support["entered"], 4);
    assert_eq!(support["answered"], 2);
    assert_eq!(support["abandoned"], 1);
    assert_eq!(support["waiting"], 0, "the timed-out caller left the queue");
    assert_eq!(support["asa_s"], 11.0);
    assert_eq!(support["att_s"], 150.0);
    assert_eq!(agent(&snap, "PJSIP/1001")["state"], "available");
    let lee = agent(&snap, "PJSIP/1002");
    assert_eq!(lee["state"], "on_contact");
    assert_eq!(lee["contacts"][0]["talk_s"], 70.0);
    let ana = agent(&snap, "PJSIP/1003");
    assert_eq!(
        (&ana["state"], &ana["reason"]),
        (&Value::from("away"), &Value::from("Lunch"))
    );
    assert_eq!(snap["feed"]["rejected"], 0);
    assert_eq!(snap["feed"]["unknown"], 1, "Newexten is not a queue event");
    // 17 queue events (the leave after the abandon is no second end) plus a
    // heartbeat for each timestamped message that maps to none: AgentCalled,
    // the leave before the connect, AgentRingNoAnswer, the leave after the
    // abandon, and the second of each hold/unhold pair.
    assert_eq!(snap["feed"]["events"], 23);
}

/// AMI's own figures agree with ours: `AgentConnect.HoldTime` and
/// `QueueCallerAbandon.HoldTime` are the seconds waited, `AgentComplete`'s
/// `TalkTime` is talk plus hold.
#[test]
fn platform_figures_agree_with_ours() {
    let snap = replay(DialectKind::Asterisk, "asterisk", "queue-day.jsonl");
    let text = std::fs::read_to_string(resource("asterisk", "queue-day.jsonl")).unwrap();
    let mut connect_waits = Vec::new();
    let mut abandon_waits = Vec::new();
    let mut talk = Vec::new();
    for line in text.lines() {
        let v: Value = serde_json::from_str(line).unwrap();
        let ev = if v.get("frame").is_some() {
            &v["frame"]
        } else {
            &v
        };
        let secs = |k: &str| ev[k].as_str().unwrap().parse::<f64>().unwrap();
        match ev["Event"].as_str() {
            Some("AgentConnect") => connect_waits.push(secs("HoldTime")),
            Some("QueueCallerAbandon") => abandon_waits.push(secs("HoldTime")),
            Some("AgentComplete") => talk.push(secs("TalkTime")),
            _ => {}
        }
    }
    let support = queue(&snap, "support");
    let asa = connect_waits.iter().sum::<f64>() / connect_waits.len() as f64;
    assert_eq!(support["asa_s"].as_f64(), Some(asa));
    // One abandon: its wait is the SL denominator's only miss and equals HoldTime.
    assert_eq!(abandon_waits, vec![30.0]);
    assert_eq!(support["abandon_rate_pct"].as_f64(), Some(33.3));
    let ours = support["att_s"].as_f64().unwrap() + support["avg_hold_s"].as_f64().unwrap();
    assert_eq!(talk, vec![ours]);
}

#[test]
fn leave_before_connect_is_an_answer_and_a_lone_leave_ends_the_wait() {
    let mut d = DialectKind::Asterisk.make();
    let join = |uid: &str| {
        ami(&[
            ("Event", "QueueCallerJoin"),
            ("Uniqueid", uid),
            ("Queue", "q"),
        ])
    };
    let leave = |uid: &str| {
        ami(&[
            ("Event", "QueueCallerLeave"),
            ("Uniqueid", uid),
            ("Queue", "q"),
        ])
    };
    assert_eq!(
        types(&feed(d.as_mut(), &join("c1"), T0)),
        ["contact.queued"]
    );
    assert!(feed(d.as_mut(), &leave("c1"), T0 + 5_000).events.is_empty());
    let connect = ami(&[
        ("Event", "AgentConnect"),
        ("Uniqueid", "c1"),
        ("Interface", "PJSIP/1"),
        ("HoldTime", "5"),
    ]);
    assert_eq!(
        types(&feed(d.as_mut(), &connect, T0 + 5_010)),
        ["contact.answered"]
    );
    // A leave with no connect: ended at the leave's time, once the grace passed.
    feed(d.as_mut(), &join("c2"), T0 + 6_000);
    assert!(feed(d.as_mut(), &leave("c2"), T0 + 9_000).events.is_empty());
    let later = feed(d.as_mut(), &join("c3"), T0 + 12_000);
    assert_eq!(
        later.events,
        vec![
            ("contact.ended".into(), "c2".into(), T0 + 9_000),
            ("contact.queued".into(), "c3".into(), T0 + 12_000)
        ]
    );
    // The answered call is not ended by the flush.
    assert!(!later.events.iter().any(|(_, c, _)| c == "c1"));
}

#[test]
fn ring_no_answer_ms_and_queue_music_change_nothing() {
    let mut d = DialectKind::Asterisk.make();
    feed(
        d.as_mut(),
        &ami(&[
            ("Event", "QueueCallerJoin"),
            ("Uniqueid", "c1"),
            ("Queue", "q"),
        ]),
        T0,
    );
    let rna = ami(&[
        ("Event", "AgentRingNoAnswer"),
        ("Uniqueid", "c1"),
        ("Interface", "PJSIP/1"),
        ("RingTime", "15000"),
    ]);
    assert_eq!(
        feed(d.as_mut(), &rna, T0 + 15_000),
        Outcome::default(),
        "no Timestamp: no clock"
    );
    let moh = ami(&[("Event", "MusicOnHoldStart"), ("Uniqueid", "c1")]);
    assert_eq!(feed(d.as_mut(), &moh, T0 + 16_000), Outcome::default());
}

#[test]
fn hold_on_either_channel_counts_once() {
    let mut d = DialectKind::Asterisk.make();
    let connect = ami(&[
        ("Event", "AgentConnect"),
        ("Uniqueid", "c1"),
        ("DestUniqueid", "a1"),
        ("Interface", "PJSIP/1"),
    ]);
    feed(d.as_mut(), &connect, T0);
    let hold = feed(
        d.as_mut(),
        &ami(&[("Event", "Hold"), ("Uniqueid", "a1")]),
        T0 + 1_000,
    );
    assert_eq!(
        hold.events,
        vec![("contact.hold".into(), "c1".into(), T0 + 1_000)]
    );
    let moh = feed(
        d.as_mut(),
        &ami(&[("Event", "MusicOnHoldStart"), ("Uniqueid", "c1")]),
        T0 + 1_001,
    );
    assert!(moh.events.is_empty(), "already on hold");
    let un = feed(
        d.as_mut(),
        &ami(&[("Event", "Unhold"), ("Uniqueid", "a1")]),
        T0 + 4_000,
    );
    assert_eq!(types(&un), ["contact.resumed"]);
}

#[test]
fn timestamp_key_wins_over_receive_time_and_recordings_keep_receive_time() {
    let mut d = DialectKind::Asterisk.make();
    let stamped = ami(&[
        ("Event", "QueueCallerJoin"),
        ("Uniqueid", "c1"),
        ("Queue", "q"),
        ("Timestamp", "1795424400.250000"),
    ]);
    assert_eq!(feed(d.as_mut(), &stamped, 5).events[0].2, T0 + 250);
    let bare = ami(&[
        ("Event", "QueueCallerJoin"),
        ("Uniqueid", "c2"),
        ("Queue", "q"),
    ]);
    let line = d.record_line(&bare, queuetop_engine::time::Ts(T0 + 777));
    assert!(
        line.contains(&bare),
        "the platform's frame is kept whole: {line}"
    );
    let mut fresh = DialectKind::Asterisk.make();
    assert_eq!(feed(fresh.as_mut(), &line, 0).events[0].2, T0 + 777);
}

#[test]
fn member_states_follow_status_pause_and_membership() {
    let mut d = DialectKind::Asterisk.make();
    let status = |s: &str, paused: &str| {
        ami(&[
            ("Event", "QueueMemberStatus"),
            ("Interface", "PJSIP/1"),
            ("MemberName", "Dana"),
            ("Queue", "q"),
            ("Status", s),
            ("Paused", paused),
        ])
    };
    assert_eq!(
        feed(d.as_mut(), &status("1", "0"), T0).events[0].1,
        "PJSIP/1:available"
    );
    assert!(
        feed(d.as_mut(), &status("1", "0"), T0 + 1)
            .events
            .is_empty(),
        "no change, no event"
    );
    assert_eq!(
        feed(d.as_mut(), &status("5", "0"), T0 + 2).events[0].1,
        "PJSIP/1:offline"
    );
    assert_eq!(
        feed(d.as_mut(), &status("2", "1"), T0 + 3).events[0].1,
        "PJSIP/1:away"
    );
    let removed = ami(&[
        ("Event", "QueueMemberRemoved"),
        ("Interface", "PJSIP/1"),
        ("Queue", "q"),
    ]);
    assert_eq!(
        feed(d.as_mut(), &removed, T0 + 4).events[0].1,
        "PJSIP/1:offline"
    );
}

#[test]
fn malformed_ami_objects_are_counted() {
    let mut d = DialectKind::Asterisk.make();
    assert_eq!(
        feed(d.as_mut(), "{\"Uniqueid\":\"x\"}", T0).rejected,
        1,
        "no Event"
    );
    assert_eq!(
        feed(
            d.as_mut(),
            &ami(&[("Event", "QueueCallerJoin"), ("Queue", "q")]),
            T0
        )
        .rejected,
        1
    );
    assert_eq!(
        feed(d.as_mut(), "Event: QueueCallerJoin", T0).rejected,
        1,
        "not JSON"
    );
    assert_eq!(
        feed(d.as_mut(), &ami(&[("Event", "VarSet")]), T0).unknown,
        1
    );
    let long = "x".repeat(300);
    let o = feed(
        d.as_mut(),
        &ami(&[
            ("Event", "QueueCallerJoin"),
            ("Uniqueid", &long),
            ("Queue", "q"),
        ]),
        T0,
    );
    assert_eq!(o.rejected, 1, "ids longer than 256 bytes are refused");
}

/// Fixture `replay-clock.jsonl`: one caller waits while the stream carries
/// only messages that map to no feed-v1 event (AgentCalled,
/// AgentRingNoAnswer, a repeated QueueMemberStatus, then Newexten and VarSet
/// of another channel), each with its `Timestamp` (app_queue.c's events and
/// the channel events of main/manager_channels.c). By hand: the last
/// Timestamp is 10:01:40, the caller joined at 10:00:10, so now is 10:01:40
/// and the longest wait 90 s (the clock used to stop at the join: 0 s).
/// Events: one agent state, one queued, five heartbeats.
#[test]
fn every_timestamped_message_moves_the_replay_clock() {
    let snap = replay(DialectKind::Asterisk, "asterisk", "replay-clock.jsonl");
    assert_eq!(snap, expected("asterisk", "replay-clock.snapshot.json"));
    assert_eq!(snap["now"], "2026-11-23T10:01:40Z");
    assert_eq!(snap["totals"]["waiting"], 1);
    assert_eq!(snap["totals"]["longest_wait_s"], 90.0);
    assert_eq!(snap["feed"]["unknown"], 2, "Newexten and VarSet");
    assert_eq!(agent(&snap, "PJSIP/1001")["state"], "available");
}

/// Fixture `leaves.jsonl`: the ways app_queue.c lets a caller out of the
/// queue (queue_exec: queue timeout, leavewhenempty and withdraw call
/// record_abandoned, which publishes QueueCallerAbandon, before leave_queue
/// publishes QueueCallerLeave; the exit key publishes only the leave), and an
/// answered call (leave, then AgentConnect). By hand, from 11:00:00: five
/// entered (c1..c5), three abandoned (c2 at 30 s, c3 at 30 s, c1 at 60 s),
/// c4 left by the exit key after 15 s (ended, neither answered nor
/// abandoned), c5 answered after 8 s by Dana, talking 42 s at 11:02:00.
#[test]
fn an_abandon_and_its_leave_are_one_abandon_and_the_exit_key_a_leave() {
    let snap = replay(DialectKind::Asterisk, "asterisk", "leaves.jsonl");
    assert_eq!(snap, expected("asterisk", "leaves.snapshot.json"));
    let t = &snap["totals"];
    assert_eq!(t["entered"], 5);
    assert_eq!(t["abandoned"], 3);
    assert_eq!(t["answered"], 1);
    assert_eq!(t["asa_s"], 8.0);
    assert_eq!(t["waiting"], 0);
    assert_eq!(agent(&snap, "PJSIP/1001")["contacts"][0]["talk_s"], 42.0);

    let o = decode_fixture(DialectKind::Asterisk, "asterisk", "leaves.jsonl");
    for abandoned in ["1795431600.1", "1795431600.2", "1795431600.3"] {
        assert_eq!(count(&o, "contact.abandoned", abandoned), 1, "{abandoned}");
        assert_eq!(count(&o, "contact.ended", abandoned), 0, "{abandoned}");
    }
    assert_eq!(count(&o, "contact.ended", "1795431600.4"), 1, "exit key");
    assert_eq!(count(&o, "contact.abandoned", "1795431600.4"), 0);
    assert_eq!(
        count(&o, "contact.ended", "1795431600.5"),
        0,
        "still talking"
    );
}

/// Fixture `blind-transfer.jsonl`: app_queue.c's blind-transfer path
/// (handle_blind_transfer sends AgentComplete with `Reason: transfer`), then
/// the same caller channel, same `Uniqueid`, runs `Queue()` for sales and
/// joins it. By hand, from 12:00:00: joined support at 12:00:10, Dana
/// answered at 12:00:16 (wait 6 s), transferred at 12:01:16 (talk 60 s);
/// joined sales at 12:01:16, Lee answered at 12:01:40 (wait 24 s), the
/// caller hung up at 12:03:10 (talk 90 s). One contact: one first response
/// (6 s, from the first queueing to the first answer), one wait per queue.
#[test]
fn a_blind_transfer_to_a_queue_is_a_requeue_of_the_same_contact() {
    let snap = replay(DialectKind::Asterisk, "asterisk", "blind-transfer.jsonl");
    assert_eq!(snap, expected("asterisk", "blind-transfer.snapshot.json"));
    let t = &snap["totals"];
    assert_eq!(t["frt_s"]["count"], 1, "one first response");
    assert_eq!(t["frt_s"]["avg"], 6.0);
    let support = queue(&snap, "support");
    let sales = queue(&snap, "sales");
    assert_eq!(
        (&support["entered"], &sales["entered"]),
        (&1.into(), &1.into())
    );
    assert_eq!(support["asa_s"], 6.0);
    assert_eq!(sales["asa_s"], 24.0);
    assert_eq!(support["aht_s"], 60.0);
    assert_eq!(sales["aht_s"], 90.0);
    assert_eq!(agent(&snap, "PJSIP/1001")["handled"], 1);
    assert_eq!(agent(&snap, "PJSIP/1002")["handled"], 1);

    let o = decode_fixture(DialectKind::Asterisk, "asterisk", "blind-transfer.jsonl");
    let uid = "1795435210.1";
    assert_eq!(count(&o, "contact.queued", uid), 2);
    assert_eq!(
        count(&o, "contact.ended", uid),
        1,
        "only the caller's hang-up"
    );
}

/// A transfer to a phone or an IVR brings no join: the contact ended when
/// the member transferred it, once the grace has passed.
#[test]
fn a_transfer_out_of_the_queues_ends_the_contact_at_the_transfer() {
    let mut d = DialectKind::Asterisk.make();
    let msg = |ev: &str, extra: &[(&str, &str)]| {
        let mut f = vec![("Event", ev), ("Uniqueid", "c1"), ("Queue", "q")];
        f.extend_from_slice(extra);
        ami(&f)
    };
    feed(d.as_mut(), &msg("QueueCallerJoin", &[]), T0);
    feed(
        d.as_mut(),
        &msg("AgentConnect", &[("Interface", "PJSIP/1")]),
        T0 + 5_000,
    );
    let xfer = msg(
        "AgentComplete",
        &[("Interface", "PJSIP/1"), ("Reason", "transfer")],
    );
    assert!(feed(d.as_mut(), &xfer, T0 + 60_000).events.is_empty());
    let ping = ami(&[("Response", "Success"), ("Ping", "Pong")]);
    assert_eq!(types(&feed(d.as_mut(), &ping, T0 + 65_000)), ["heartbeat"]);
    assert_eq!(
        feed(d.as_mut(), &ping, T0 + 70_000).events[0],
        ("contact.ended".into(), "c1".into(), T0 + 60_000)
    );
}

/// Fixture `local-hold.jsonl`: a queue member reached through a Local
/// channel (`Local/1001@from-queue/n`, FreePBX's default). The member's
/// phone (`PJSIP/1001-...`) raises Hold and, because Local channels
/// intercept music on hold (main/core_local.c), MusicOnHoldStart lands on
/// the Local `;2` half; neither is the caller's `Uniqueid` nor the
/// connect's `DestUniqueid` (the `;1` half), but all carry the caller's
/// `Linkedid`. By hand: answered 12:00:16, held 12:01:00 to 12:01:30,
/// ended 12:02:16: hold 30 s, talk 90 s, AHT 120 s.
#[test]
fn holds_on_local_channel_members_count() {
    let snap = replay(DialectKind::Asterisk, "asterisk", "local-hold.jsonl");
    assert_eq!(snap, expected("asterisk", "local-hold.snapshot.json"));
    let t = &snap["totals"];
    assert_eq!(t["avg_hold_s"], 30.0);
    assert_eq!(t["att_s"], 90.0);
    assert_eq!(t["aht_s"], 120.0);
}

/// Fixture `ring-no-answer.jsonl`: app_queue.c rings Dana (AgentCalled),
/// she does not answer within the ring timeout (AgentRingNoAnswer,
/// `RingTime` 15000 ms), the queue rings Lee, who answers. By hand, from
/// 12:40:00: joined at 12:40:00, Lee answered at 12:40:20 (wait 20 s, the
/// ring to Dana included), talk 60 s. One wait: entered 1, answered 1, ASA
/// 20 s, one first response; Dana handled nothing.
#[test]
fn a_member_not_answering_leaves_one_wait_for_the_next() {
    let snap = replay(DialectKind::Asterisk, "asterisk", "ring-no-answer.jsonl");
    assert_eq!(snap, expected("asterisk", "ring-no-answer.snapshot.json"));
    let t = &snap["totals"];
    assert_eq!((&t["entered"], &t["answered"]), (&1.into(), &1.into()));
    assert_eq!(t["asa_s"], 20.0);
    assert_eq!(t["frt_s"]["count"], 1);
    assert_eq!(agent(&snap, "PJSIP/1001")["handled"], 0);
    assert_eq!(agent(&snap, "PJSIP/1002")["handled"], 1);
}

/// Fixture `attended-transfer.jsonl`: Dana consults her lead on extension
/// 2001 and completes an attended transfer: the AttendedTransfer event
/// (main/manager_bridges.c and the AMI event reference: OrigTransferer,
/// SecondTransferer, Transferee, TransferTarget, `DestType: Bridge`), and
/// app_queue.c's handle_attended_transfer sends AgentComplete with
/// `Reason: transfer`. No queue join follows (the target is a phone), so
/// the contact ends at the transfer once the grace has passed. By hand,
/// from 12:50:00: wait 6 s, talk 84 s (to 12:51:30); the caller's talk with
/// the lead and the Hangup at 12:52:30 are no queue work. AttendedTransfer
/// is known (not counted unknown); the Hangup is not a queue event.
#[test]
fn an_attended_transfer_to_a_phone_ends_the_contact_at_the_transfer() {
    let snap = replay(DialectKind::Asterisk, "asterisk", "attended-transfer.jsonl");
    assert_eq!(
        snap,
        expected("asterisk", "attended-transfer.snapshot.json")
    );
    let t = &snap["totals"];
    assert_eq!((&t["entered"], &t["answered"]), (&1.into(), &1.into()));
    assert_eq!((&t["asa_s"], &t["att_s"]), (&6.0.into(), &84.0.into()));
    assert_eq!(snap["feed"]["unknown"], 1, "only the Hangup");
    let o = decode_fixture(DialectKind::Asterisk, "asterisk", "attended-transfer.jsonl");
    let ended: Vec<_> = o
        .events
        .iter()
        .filter(|(t, _, _)| t == "contact.ended")
        .collect();
    assert_eq!(
        ended,
        [&(
            "contact.ended".to_string(),
            "1795438200.1".to_string(),
            1_795_438_290_000
        )]
    );
}

/// Fixture `agent-dump.jsonl`: app_queue.c's try_calling when the member
/// who answered hangs up during the queue's announcement to them: it
/// publishes AgentDump (no AgentConnect) and returns to ringing, the caller
/// still in the queue; Lee answers next. Then QueueMemberRinginuse and
/// QueueMemberPenalty, which carry a member's whole state like
/// QueueMemberStatus (their manager event documentation includes its
/// fields): the first tells of a member not heard of before. By hand, from
/// 14:00:00: joined at 14:00:00, Dana rung at :01 and dumped the caller at
/// :06, Lee rung at :08 and connected at :12 (one wait of 12 s, answered
/// by Lee), Lee hung up at 14:01:12 (talk 60 s); the last message, a pong,
/// at 14:01:20. Ana (1003) is an available member of support. Nothing is
/// unknown.
#[test]
fn a_dumped_caller_keeps_waiting_and_member_events_carry_state() {
    let snap = replay(DialectKind::Asterisk, "asterisk", "agent-dump.jsonl");
    assert_eq!(snap, expected("asterisk", "agent-dump.snapshot.json"));
    let t = &snap["totals"];
    assert_eq!(t["entered"], 1);
    assert_eq!(t["answered"], 1);
    assert_eq!(t["abandoned"], 0);
    assert_eq!(t["asa_s"], 12.0, "from the join to Lee's connect");
    assert_eq!(t["att_s"], 60.0);
    assert_eq!(agent(&snap, "PJSIP/1002")["handled"], 1);
    assert_eq!(agent(&snap, "PJSIP/1001")["handled"], 0, "Dana only dumped");
    let ana = agent(&snap, "PJSIP/1003");
    assert_eq!(ana["state"], "available");
    assert_eq!(ana["queues"], serde_json::json!(["support"]));
    assert_eq!(snap["feed"]["unknown"], 0);
    assert_eq!(snap["feed"]["rejected"], 0);
}

/// Fixture `per-queue-pause.jsonl`: app_queue.c pauses a member per queue.
/// With `autopause = yes`, rna() pauses a member who did not answer in
/// the ringing queue only (set_member_paused with that queue's name), and
/// a QueueMemberPause is published for that queue; QueueMemberStatus
/// events then carry `Paused` per queue. Dana, in support and sales, does
/// not answer a sales caller and is auto-paused in sales at 15:00:16; Lee
/// takes that call (wait 20 s, talk 90 s). Dana still takes a support call
/// at 15:00:35 (wait 5 s) and talks 60 s. By hand: at 15:02:00 Dana is
/// available (paused in sales only) for 25 s, not away.
#[test]
fn a_member_paused_in_one_queue_still_serves_the_others() {
    let snap = replay(DialectKind::Asterisk, "asterisk", "per-queue-pause.jsonl");
    assert_eq!(snap, expected("asterisk", "per-queue-pause.snapshot.json"));
    let dana = agent(&snap, "PJSIP/1001");
    assert_eq!(
        (&dana["state"], &dana["reason"], &dana["state_for_s"]),
        (&Value::from("available"), &Value::Null, &Value::from(25.0))
    );
    assert_eq!(dana["handled"], 1);
    assert_eq!(queue(&snap, "sales")["asa_s"], 20.0);
    assert_eq!(queue(&snap, "support")["asa_s"], 5.0);
    assert_eq!(snap["totals"]["agents"]["away"], 0);

    // Paused in both queues, she is away, with the reason.
    let both = r#"{"Event":"QueueMemberPause","Timestamp":"1795446130.000000","Queue":"support","MemberName":"Dana Ruiz","Interface":"PJSIP/1001","Status":"1","Paused":"1","PausedReason":"Lunch"}"#;
    let text = std::fs::read_to_string(resource("asterisk", "per-queue-pause.jsonl"))
        .expect("fixture")
        + both
        + "\n";
    let snap = replay_from(DialectKind::Asterisk, "both", text.as_bytes());
    let dana = agent(&snap, "PJSIP/1001");
    assert_eq!(
        (&dana["state"], &dana["reason"]),
        (&Value::from("away"), &Value::from("Lunch"))
    );
}
