//! Hostile input never panics any dialect: arbitrary strings, arbitrary JSON
//! objects (with the platforms' own keys mixed in), arrays, envelopes.

use proptest::prelude::*;
use queuetop_engine::dialect::DialectKind;
use queuetop_engine::floor::{Floor, Settings};
use queuetop_engine::monitor::{Monitor, SourceInfo, SourceKind};
use serde_json::{Map, Value};

const KEYS: &[&str] = &[
    "Event",
    "Uniqueid",
    "Queue",
    "Interface",
    "Timestamp",
    "Status",
    "Paused",
    "DestUniqueid",
    "Response",
    "Ping",
    "AgentARN",
    "EventType",
    "EventTimestamp",
    "CurrentAgentSnapshot",
    "Contacts",
    "ContactId",
    "State",
    "detail",
    "eventType",
    "contactId",
    "queueInfo",
    "agentInfo",
    "type",
    "data",
    "payload",
    "TaskSid",
    "WorkerSid",
    "TaskQueueSid",
    "TimestampMs",
    "TaskAttributes",
    "topicName",
    "eventBody",
    "participants",
    "purpose",
    "userId",
    "id",
    "connectedTime",
    "endTime",
    "calls",
    "held",
    "qt_received",
    "frame",
    "frame_text",
];
const VALUES: &[&str] = &[
    "QueueCallerJoin",
    "AgentConnect",
    "QueueCallerLeave",
    "Hold",
    "QueueMemberStatus",
    "STATE_CHANGE",
    "HEART_BEAT",
    "QUEUED",
    "DISCONNECTED",
    "CONNECTED",
    "task-queue.entered",
    "reservation.accepted",
    "task.wrapup",
    "com.twilio.taskrouter.task.canceled",
    "channel.metadata",
    "v2.system.socket_closing",
    "v2.routing.queues.q.conversations",
    "v2.users.u.activity",
    "agent",
    "acd",
    "customer",
    "1795424400.5",
    "2026-11-23T09:00:00Z",
    "-1",
    "\u{1b}[2J",
    "",
];

fn leaf() -> impl Strategy<Value = Value> {
    prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        any::<f64>()
            .prop_map(|f| serde_json::Number::from_f64(f).map_or(Value::Null, Value::Number)),
        prop::sample::select(VALUES).prop_map(Value::from),
        ".{0,40}".prop_map(Value::String),
    ]
}

fn json() -> impl Strategy<Value = Value> {
    leaf().prop_recursive(4, 64, 8, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
            prop::collection::vec(
                (
                    prop_oneof![prop::sample::select(KEYS).prop_map(String::from), ".{0,12}"],
                    inner
                ),
                0..10
            )
            .prop_map(|kv| Value::Object(kv.into_iter().collect::<Map<_, _>>())),
        ]
    })
}

fn all_dialects(frames: &[String]) {
    for &kind in DialectKind::ALL {
        let source = SourceInfo {
            kind: SourceKind::Url,
            target: "x".into(),
        };
        let mut m = Monitor::new(Floor::new(Settings::default()), source, kind.make());
        for (i, f) in frames.iter().enumerate() {
            m.live_frame(
                f,
                queuetop_engine::time::Ts(1_795_424_400_000 + i as i64 * 1000),
            );
            m.replay_frame(f);
            let line = m.dialect_mut().record_line(f, queuetop_engine::time::Ts(5));
            // A recording line is one line, and for the platforms one JSON object.
            assert!(
                !line.contains('\n') && !line.contains('\r'),
                "{kind}: {line}"
            );
            if kind != DialectKind::Native {
                let v: Value = serde_json::from_str(&line).expect("recording line is JSON");
                assert_eq!(v["qt_received"], 5, "{kind}");
            }
            m.replay_frame(&line);
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 300, ..ProptestConfig::default() })]

    #[test]
    fn arbitrary_json_never_panics(values in prop::collection::vec(json(), 1..8)) {
        let frames: Vec<String> = values.iter().map(|v| v.to_string()).collect();
        all_dialects(&frames);
    }

    #[test]
    fn arbitrary_strings_never_panic(frames in prop::collection::vec(".{0,200}", 1..8)) {
        all_dialects(&frames);
    }
}

#[test]
fn every_malformed_kind_is_counted_by_every_dialect() {
    for &kind in DialectKind::ALL {
        let source = SourceInfo {
            kind: SourceKind::Replay,
            target: "x".into(),
        };
        let mut m = Monitor::new(Floor::new(Settings::default()), source, kind.make());
        for f in [
            "not json",
            "[{\"type\"",
            "42",
            "\"s\"",
            "{\"a\":1,\"a\":2",
            "{\"qt_received\":\"x\",\"frame\":{}}",
            // The year 9999: it would stamp the frame's events then.
            "{\"qt_received\":253370764800000,\"frame\":{}}",
        ] {
            m.replay_frame(f);
        }
        assert_eq!(m.floor.counts().rejected, 7, "{kind}");
        assert_eq!(m.floor.counts().events, 0, "{kind}");
    }
}

#[test]
fn a_recording_stamped_in_2100_or_later_applies_nothing() {
    // Platform messages with no time of their own: the envelope's time
    // stamps their events. One from the year 9999 is refused; the same
    // message in a sane envelope is applied.
    let cases = [
        (
            DialectKind::Asterisk,
            r#"{"Event":"QueueCallerJoin","Uniqueid":"1.1","Queue":"q","CallerIDNum":"5"}"#,
        ),
        (
            DialectKind::Twilio,
            r#"{"EventType":"worker.activity.update","WorkerSid":"WK1","WorkerActivityName":"Available","WorkerAvailable":"true"}"#,
        ),
    ];
    for (kind, frame) in cases {
        for (received, events, rejected) in
            [(253_370_764_800_000i64, 0, 1), (1_795_424_400_000, 1, 0)]
        {
            let source = SourceInfo {
                kind: SourceKind::Replay,
                target: "x".into(),
            };
            let mut m = Monitor::new(Floor::new(Settings::default()), source, kind.make());
            m.replay_frame(&format!(r#"{{"qt_received":{received},"frame":{frame}}}"#));
            let c = m.floor.counts();
            assert_eq!(
                (c.events, c.rejected),
                (events, rejected),
                "{kind} at {received}"
            );
        }
    }
}
