//! The Twilio TaskRouter dialect.
//!
//! Fixture `tests/resources/dialects/twilio/queue-day.jsonl` mixes the two
//! shapes Twilio delivers, written from its documentation: the Event
//! Callback's form fields ("TaskRouter Events reference",
//! https://www.twilio.com/docs/taskrouter/api/event/reference) and Event
//! Streams CloudEvents ("TaskRouter event types",
//! https://www.twilio.com/docs/events/event-types/taskrouter/task and
//! .../reservation, .../task-queue, .../worker).

use crate::dialect_common;

use dialect_common::*;
use queuetop_engine::dialect::DialectKind;
use serde_json::json;

const T0: i64 = 1_795_424_400_000; // 2026-11-23T09:00:00Z

#[test]
fn replayed_day_gives_the_expected_snapshot() {
    let snap = replay(DialectKind::Twilio, "twilio", "queue-day.jsonl");
    assert_eq!(snap, expected("twilio", "queue-day.snapshot.json"));
    let support = queue(&snap, "WQ00000000000000000000000000000sup");
    assert_eq!(support["name"], "Support");
    assert_eq!(
        support["asa_s"], 15.0,
        "task 1 reserved at 09:00:10, accepted at 09:00:25"
    );
    assert_eq!(support["abandoned"], 1, "task 2 canceled while queued");
    assert_eq!(support["att_s"], 180.0, "accepted to task.wrapup");
    assert_eq!(
        support["aht_s"], 220.0,
        "with 40 s from wrapup to completed"
    );
    assert_eq!(snap["totals"]["waiting"], 1);
    assert_eq!(snap["totals"]["longest_wait_s"], 20.0);
    assert_eq!(snap["totals"]["asa_s"], 11.5);
    let lee = agent(&snap, "WK0000000000000000000000000000lee");
    assert_eq!(lee["state"], "on_contact");
    assert_eq!(lee["contacts"][0]["talk_s"], 2.0);
    assert_eq!(
        lee["queues"],
        json!(["WQ00000000000000000000000000000bil"]),
        "learnt from the task he accepted"
    );
    let dana = agent(&snap, "WK000000000000000000000000000dana");
    assert_eq!(
        (&dana["state"], &dana["reason"]),
        (&json!("away"), &json!("Break"))
    );
    assert_eq!(snap["feed"]["rejected"], 0);
}

#[test]
fn callback_and_stream_casings_and_time_units_agree() {
    let shapes = [
        json!({"EventType": "task-queue.entered", "TaskSid": "WT1", "TaskQueueSid": "WQ1",
               "Timestamp": "1795424400"}),
        json!({"EventType": "task-queue.entered", "TaskSid": "WT1", "TaskQueueSid": "WQ1",
               "Timestamp": "1795424399", "TimestampMs": "1795424400000"}),
        json!({"event_type": "task-queue.entered", "task_sid": "WT1", "task_queue_sid": "WQ1",
               "timestamp": 1795424400000i64}),
        json!({"type": "com.twilio.taskrouter.task-queue.entered", "time": "2026-11-23T09:00:00Z",
               "data": {"payload": {"eventtype": "task-queue.entered", "task_sid": "WT1",
                        "task_queue_sid": "WQ1", "timestamp": "2026-11-23T09:00:00.000Z"}}}),
    ];
    for s in shapes {
        let mut d = DialectKind::Twilio.make();
        let o = feed(d.as_mut(), &s.to_string(), 0);
        assert_eq!(
            o.events,
            vec![("contact.queued".into(), "WT1".into(), T0)],
            "{s}"
        );
    }
}

#[test]
fn canceled_after_accept_ends_and_repeats_change_nothing() {
    let mut d = DialectKind::Twilio.make();
    let ev = |t: &str, ms: i64| {
        json!({"EventType": t, "TaskSid": "WT1", "TaskQueueSid": "WQ1", "WorkerSid": "WK1",
               "TimestampMs": (T0 + ms).to_string()})
        .to_string()
    };
    assert_eq!(
        types(&feed(d.as_mut(), &ev("task.created", 0), 0)),
        ["contact.queued"]
    );
    assert!(
        feed(d.as_mut(), &ev("task-queue.entered", 1), 0)
            .events
            .is_empty()
    );
    let acc = feed(d.as_mut(), &ev("reservation.accepted", 5_000), 0);
    assert_eq!(types(&acc), ["contact.answered", "agent.state"]);
    assert!(
        feed(d.as_mut(), &ev("reservation.accepted", 5_001), 0)
            .events
            .is_empty()
    );
    assert_eq!(
        types(&feed(d.as_mut(), &ev("task.canceled", 9_000), 0)),
        ["contact.ended"]
    );
    assert!(
        feed(d.as_mut(), &ev("task.completed", 9_500), 0)
            .events
            .is_empty()
    );
}

#[test]
fn malformed_and_unknown_events_are_counted() {
    let mut d = DialectKind::Twilio.make();
    assert_eq!(
        feed(d.as_mut(), r#"{"TaskSid":"WT1"}"#, 0).rejected,
        1,
        "no EventType"
    );
    assert_eq!(
        feed(
            d.as_mut(),
            r#"{"EventType":"reservation.accepted","TaskSid":"WT1"}"#,
            0
        )
        .rejected,
        1
    );
    assert_eq!(
        feed(d.as_mut(), r#"{"EventType":"conference.started"}"#, 0).unknown,
        1
    );
    assert_eq!(
        feed(d.as_mut(), "EventType=task.created&TaskSid=WT1", 0).rejected,
        1
    );
}

/// Fixture `transfer.jsonl`: a Flex cold transfer of a voice task to the
/// Sales queue, as Event Callbacks. Flex creates a new task whose
/// `TaskAttributes` copy the first task's and add `transferTargetType` and
/// `conversations.conversation_id` naming the first task; the first task
/// then wraps up and completes. By hand, from 11:00:00: task 101 entered
/// Support at 11:00:05, Dana accepted at 11:00:20 (wait 15 s); the transfer
/// at 11:03:20 (talk 180 s; Dana wraps up to 11:03:50, 30 s); task 102
/// entered Sales at 11:03:20, Lee accepted at 11:03:45 (wait 25 s), wrap-up
/// at 11:06:45 (talk 180 s), completed 11:07:05 (20 s). One contact: one
/// first response (15 s), one wait per queue; SL 50 %.
#[test]
fn a_flex_transfer_is_a_requeue_of_the_first_task() {
    let snap = replay(DialectKind::Twilio, "twilio", "transfer.jsonl");
    assert_eq!(snap, expected("twilio", "transfer.snapshot.json"));
    let t = &snap["totals"];
    assert_eq!(t["frt_s"]["count"], 1, "one first response");
    assert_eq!(t["frt_s"]["avg"], 15.0);
    assert_eq!(t["service_level_pct"], 50.0);
    let support = queue(&snap, "WQ00000000000000000000000000000sup");
    let sales = queue(&snap, "WQ0000000000000000000000000000sal");
    assert_eq!(
        (&support["asa_s"], &sales["asa_s"]),
        (&15.0.into(), &25.0.into())
    );
    assert_eq!(
        (&support["aht_s"], &sales["aht_s"]),
        (&210.0.into(), &200.0.into())
    );
    assert_eq!(
        agent(&snap, "WK000000000000000000000000000dana")["handled"],
        1
    );
    assert_eq!(
        agent(&snap, "WK0000000000000000000000000000lee")["handled"],
        1
    );

    let o = decode_fixture(DialectKind::Twilio, "twilio", "transfer.jsonl");
    let first = "WT000000000000000000000000000101";
    assert_eq!(count(&o, "contact.queued", first), 2, "Support, then Sales");
    assert_eq!(
        count(&o, "contact.ended", first),
        1,
        "only the last task's wrap-up"
    );
    assert_eq!(
        count(&o, "contact.queued", "WT000000000000000000000000000102"),
        0
    );
}

/// TaskRouter's `TaskPriority` (text in callbacks, a number in Event
/// Streams; higher is served first, 0 by default) is the contact's
/// feed-v1 priority; one that is no priority costs nothing but itself.
#[test]
fn task_priority_becomes_the_contacts_priority() {
    let lines = [
        json!({"EventType": "task-queue.entered", "TaskSid": "WT1", "TaskQueueSid": "WQ1",
               "Timestamp": "1795424400", "TaskPriority": "10"}),
        json!({"type": "com.twilio.taskrouter.task-queue.entered", "time": "2026-11-23T09:00:10Z",
               "data": {"payload": {"eventtype": "task-queue.entered", "task_sid": "WT2",
                        "task_queue_sid": "WQ1", "timestamp": "2026-11-23T09:00:10.000Z",
                        "task_priority": 10}}}),
        json!({"EventType": "task-queue.entered", "TaskSid": "WT3", "TaskQueueSid": "WQ1",
               "Timestamp": "1795424420", "TaskPriority": "0"}),
        json!({"EventType": "task-queue.entered", "TaskSid": "WT4", "TaskQueueSid": "WQ1",
               "Timestamp": "1795424430", "TaskPriority": "high"}),
        json!({"EventType": "task.created", "TaskSid": "WT9", "Timestamp": "1795424440"}),
    ];
    let text: String = lines.iter().map(|l| format!("{l}\n")).collect();
    let snap = replay_from(DialectKind::Twilio, "priority", text.as_bytes());
    let q = queue(&snap, "WQ1");
    // The replay ends at the last queueing, 09:00:30.
    assert_eq!(
        q["waiting_by_priority"],
        json!([
            {"priority": 10, "waiting": 2, "longest_wait_s": 30.0},
            {"priority": 0, "waiting": 2, "longest_wait_s": 10.0}
        ])
    );
    assert_eq!(
        q["longest_high_priority"],
        json!({"contact_id": "WT1", "priority": 10, "wait_s": 30.0})
    );
    assert_eq!(snap["feed"]["priority_ignored"], 1);
    assert_eq!(snap["feed"]["rejected"], 0);
}

/// Fixture `single-tasking.jsonl`: a single-tasking workspace, as Event
/// Callbacks: TaskRouter moves a worker to the TaskQueue's
/// ReservationActivity ("Reserved" by default) when it reserves a task for
/// them, and to its AssignmentActivity ("Busy") when they accept (the
/// Activity resource's documentation); a worker offered a task is busy,
/// not away. With two other shapes from Twilio's own samples: the Event
/// resource as Twilio's SDK fixtures give it (`event_type:
/// worker.activity`, `event_date` in RFC 3339, no `event_date_ms`) and an
/// Event Streams CloudEvent of schema WDSEvent/4 as Twilio's sample gives
/// it (no `time`, the subscription's `type` task.canceled over a payload
/// `eventtype` of reservation.created, the payload's own `timestamp`). By
/// hand, from 15:00:00 in Sales: WT…201 created at :10, Ana reserved at
/// :11 and accepted at :16 (wait 6 s), completed at 15:01:40 (talk 84 s);
/// WT…202 created at :20, reserved for Ben at :21, still pending at the
/// end (waiting 80 s, Ben busy for 79 s); WT…203 created at :25 and
/// canceled at :45 (abandoned after 20 s); Cy went offline at 15:00:30.
#[test]
fn single_tasking_activities_and_the_event_resource() {
    let snap = replay(DialectKind::Twilio, "twilio", "single-tasking.jsonl");
    assert_eq!(snap, expected("twilio", "single-tasking.snapshot.json"));
    let sales = queue(&snap, "WQ00000000000000000000000000000sal");
    assert_eq!(sales["entered"], 3);
    assert_eq!(sales["answered"], 1);
    assert_eq!(sales["asa_s"], 6.0);
    assert_eq!(sales["abandoned"], 1);
    assert_eq!(sales["att_s"], 84.0);
    assert_eq!(sales["waiting"], 1);
    assert_eq!(sales["longest_wait_s"], 80.0);
    let ben = agent(&snap, "WK00000000000000000000000000000ben");
    assert_eq!(
        (&ben["state"], &ben["reason"]),
        (&json!("busy"), &json!(null)),
        "reserved: offered a task, not away"
    );
    assert_eq!(ben["state_for_s"], 79.0);
    let cy = agent(&snap, "WK000000000000000000000000000000cy");
    assert_eq!(cy["state"], "offline");
    assert_eq!(cy["state_for_s"], 70.0, "since the event's event_date");
    assert_eq!(cy["name"], "Cy Tran");
    assert_eq!(
        agent(&snap, "WK00000000000000000000000000000ana")["state"],
        "available"
    );
    assert_eq!(snap["feed"]["unknown"], 0);
    assert_eq!(snap["feed"]["rejected"], 0);
}
