//! The feed-v1 decoder against the letter of docs/protocol.md.

use std::borrow::Cow;

use queuetop_engine::protocol::{
    AgentState, Csat, Decoded, Event, EventKind, Nps, Priority, RejectKind, Sender, decode_frame,
};
use queuetop_engine::time::Ts;

fn decode(frame: &str) -> Vec<Decoded<'_>> {
    let mut out = Vec::new();
    decode_frame(frame, |d| out.push(d));
    out
}

fn one(frame: &str) -> Event<'_> {
    match decode(frame).pop() {
        Some(Decoded::Event(e)) => e,
        other => panic!("expected one event from {frame}, got {other:?}"),
    }
}

fn rejected(frame: &str) -> RejectKind {
    match decode(frame).as_slice() {
        [Decoded::Rejected(r)] => r.kind,
        other => panic!("expected one rejection from {frame}, got {other:?}"),
    }
}

const T0: i64 = 1_795_424_400_000; // 2026-11-23T09:00:00Z

#[test]
fn every_event_type_decodes() {
    let e = one(
        r#"{"type":"contact.queued","ts":"2026-11-23T09:00:03.250Z","seq":41,"contact_id":"c1001","queue":"billing","channel":"voice","customer_id":"cus-88","priority":3}"#,
    );
    assert_eq!(e.ts, Ts(T0 + 3_250));
    assert_eq!(e.seq, Some(41));
    assert_eq!(
        e.kind,
        EventKind::Queued {
            contact: "c1001".into(),
            queue: "billing".into(),
            channel: Some("voice".into()),
            customer: Some("cus-88".into()),
            priority: Priority::Given(3),
        }
    );
    let cases: &[(&str, &str)] = &[
        (
            r#"{"type":"contact.answered","ts":1795424400000,"contact_id":"c","agent_id":"a"}"#,
            "contact.answered",
        ),
        (
            r#"{"type":"contact.first_response","ts":1795424400000,"contact_id":"c"}"#,
            "contact.first_response",
        ),
        (
            r#"{"type":"contact.abandoned","ts":1795424400000,"contact_id":"c"}"#,
            "contact.abandoned",
        ),
        (
            r#"{"type":"contact.hold","ts":1795424400000,"contact_id":"c"}"#,
            "contact.hold",
        ),
        (
            r#"{"type":"contact.resumed","ts":1795424400000,"contact_id":"c"}"#,
            "contact.resumed",
        ),
        (
            r#"{"type":"contact.ended","ts":1795424400000,"contact_id":"c","resolved":false}"#,
            "contact.ended",
        ),
        (
            r#"{"type":"agent.state","ts":1795424400000,"agent_id":"a","state":"away","reason":"lunch"}"#,
            "agent.state",
        ),
        (
            r#"{"type":"queue.info","ts":1795424400000,"queue":"q","sl_threshold_s":12.5}"#,
            "queue.info",
        ),
        (r#"{"type":"heartbeat","ts":1795424400000}"#, "heartbeat"),
        (
            r#"{"type":"snapshot","ts":1795424400000,"queues":[],"agents":[]}"#,
            "snapshot",
        ),
    ];
    for (frame, ty) in cases {
        assert_eq!(one(frame).kind.type_name(), *ty, "{frame}");
    }
    match one(r#"{"type":"queue.info","ts":1795424400000,"queue":"q","sl_threshold_s":12.5}"#).kind
    {
        EventKind::QueueInfo { sl_threshold, .. } => assert_eq!(sl_threshold, Some(12_500)),
        k => panic!("{k:?}"),
    }
    match one(
        r#"{"type":"agent.state","ts":0,"agent_id":"a","state":"wrap_up","queues":["x","y","x"]}"#,
    )
    .kind
    {
        EventKind::AgentState { state, queues, .. } => {
            assert_eq!(state, AgentState::WrapUp);
            assert_eq!(queues, Some(vec![Cow::from("x"), Cow::from("y")]));
        }
        k => panic!("{k:?}"),
    }
}

#[test]
fn strings_borrow_from_the_frame_when_clean() {
    let frame = r#"{"type":"contact.abandoned","ts":0,"contact_id":"plain"}"#;
    match one(frame).kind {
        EventKind::Abandoned {
            contact: Cow::Borrowed(_),
        } => {}
        k => panic!("expected a borrowed id, got {k:?}"),
    }
    match one(r#"{"type":"contact.abandoned","ts":0,"contact_id":"caf\u00e9"}"#).kind {
        EventKind::Abandoned { contact } => assert_eq!(contact, "café"),
        k => panic!("{k:?}"),
    }
}

#[test]
fn batches_keep_good_events_beside_bad_ones() {
    let out = decode(
        r#"[{"type":"heartbeat","ts":0},{"type":"contact.hold","ts":0},7,{"type":"x.y","ts":0},{"type":"heartbeat","ts":1}]"#,
    );
    assert_eq!(out.len(), 5);
    assert!(matches!(out[0], Decoded::Event(_)));
    assert!(matches!(&out[1], Decoded::Rejected(r) if r.kind == RejectKind::Missing("contact_id")));
    assert!(matches!(&out[2], Decoded::Rejected(r) if r.kind == RejectKind::NotAnObject));
    assert!(matches!(out[3], Decoded::Unknown { .. }));
    assert!(matches!(out[4], Decoded::Event(_)));
    assert!(decode("[]").is_empty());
}

#[test]
fn malformed_input_is_rejected_by_kind() {
    assert_eq!(rejected("not json"), RejectKind::NotJson);
    assert_eq!(
        rejected(r#"{"type":"heartbeat","ts":0} trailing"#),
        RejectKind::NotJson
    );
    assert_eq!(rejected("42"), RejectKind::NotAnObject);
    assert_eq!(rejected(r#""heartbeat""#), RejectKind::NotAnObject);
    assert_eq!(rejected(r#"{"ts":0}"#), RejectKind::Missing("type"));
    assert_eq!(
        rejected(r#"{"type":5,"ts":0}"#),
        RejectKind::WrongType("type")
    );
    assert_eq!(
        rejected(r#"{"type":"heartbeat"}"#),
        RejectKind::Missing("ts")
    );
    assert_eq!(
        rejected(r#"{"type":"heartbeat","ts":null}"#),
        RejectKind::Missing("ts")
    );
    assert_eq!(
        rejected(r#"{"type":"heartbeat","ts":1.5}"#),
        RejectKind::WrongType("ts")
    );
    assert_eq!(
        rejected(r#"{"type":"heartbeat","ts":"yesterday"}"#),
        RejectKind::BadValue("ts")
    );
    assert_eq!(
        rejected(r#"{"type":"heartbeat","ts":-1}"#),
        RejectKind::BadValue("ts")
    );
    assert_eq!(
        rejected(r#"{"type":"heartbeat","ts":0,"seq":-3}"#),
        RejectKind::WrongType("seq")
    );
    assert_eq!(
        rejected(r#"{"type":"heartbeat","ts":0,"seq":"7"}"#),
        RejectKind::WrongType("seq")
    );
    assert_eq!(
        rejected(r#"{"type":"contact.ended","ts":0,"contact_id":"c","resolved":"yes"}"#),
        RejectKind::WrongType("resolved")
    );
    assert_eq!(
        rejected(r#"{"type":"contact.answered","ts":0,"contact_id":"c","agent_id":7}"#),
        RejectKind::WrongType("agent_id")
    );
    assert_eq!(
        rejected(r#"{"type":"agent.state","ts":0,"agent_id":"a","state":"asleep"}"#),
        RejectKind::BadValue("state")
    );
    assert_eq!(
        rejected(r#"{"type":"agent.state","ts":0,"agent_id":"a","state":"busy","queues":"q"}"#),
        RejectKind::WrongType("queues")
    );
    assert_eq!(
        rejected(r#"{"type":"queue.info","ts":0,"queue":"q","sl_threshold_s":-1}"#),
        RejectKind::BadValue("sl_threshold_s")
    );
    assert_eq!(
        rejected(r#"{"type":"contact.hold","ts":0,"contact_id":""}"#),
        RejectKind::BadValue("contact_id")
    );
    assert_eq!(
        rejected(r#"{"type":"heartbeat","ts":0,"ts":1}"#),
        RejectKind::BadValue("object")
    );
    assert_eq!(
        rejected(r#"{"type":"snapshot","ts":0,"queues":[]}"#),
        RejectKind::Missing("agents")
    );
    assert_eq!(
        rejected(
            r#"{"type":"snapshot","ts":0,"queues":[{"queue":"q","waiting":[{"contact_id":"c"}]}],"agents":[]}"#
        ),
        RejectKind::Missing("since")
    );
}

#[test]
fn a_batch_that_is_not_json_is_one_rejection_and_applies_nothing() {
    let out = decode(r#"[{"type":"heartbeat","ts":0},{"type":"heartbeat","ts":1},{"type":"heartb"#);
    assert_eq!(out.len(), 1);
    assert!(matches!(&out[0], Decoded::Rejected(r) if r.kind == RejectKind::NotJson));
    let out = decode(r#"[{"type":"heartbeat","ts":0}] trailing"#);
    assert!(matches!(out.as_slice(), [Decoded::Rejected(r)] if r.kind == RejectKind::NotJson));
}

#[test]
fn unknown_and_rejected_items_keep_their_seq() {
    let out = decode(
        r#"[{"type":"x.y","ts":0,"seq":7},{"type":"contact.hold","ts":0,"seq":8},{"type":"heartbeat","ts":0,"seq":"9"}]"#,
    );
    assert!(matches!(out[0], Decoded::Unknown { seq: Some(7) }));
    assert!(matches!(&out[1], Decoded::Rejected(r) if r.seq == Some(8)));
    assert!(matches!(&out[2], Decoded::Rejected(r) if r.seq.is_none()));
}

#[test]
fn unknown_types_and_fields_are_ignored() {
    assert!(matches!(
        decode(r#"{"type":"contact.transferred","ts":"garbage"}"#).as_slice(),
        [Decoded::Unknown { .. }]
    ));
    // A field the type does not use is ignored whatever its shape.
    let e = one(
        r#"{"type":"agent.state","ts":0,"agent_id":"a","state":"busy","resolved":"n/a","extra":{"x":[1]}}"#,
    );
    assert_eq!(e.kind.type_name(), "agent.state");
    // Null optional fields are absent.
    match one(r#"{"type":"contact.queued","ts":0,"contact_id":"c","queue":"q","channel":null}"#)
        .kind
    {
        EventKind::Queued { channel, .. } => assert_eq!(channel, None),
        k => panic!("{k:?}"),
    }
}

#[test]
fn ids_are_bounded_and_names_truncated() {
    let long = "x".repeat(257);
    let frame = format!(r#"{{"type":"contact.hold","ts":0,"contact_id":"{long}"}}"#);
    assert_eq!(rejected(&frame), RejectKind::TooLong("contact_id"));
    let ok = "x".repeat(256);
    let frame = format!(r#"{{"type":"contact.hold","ts":0,"contact_id":"{ok}"}}"#);
    assert_eq!(
        one(&frame).kind,
        EventKind::Hold {
            contact: ok.as_str().into()
        }
    );
    let name = "é".repeat(200); // 400 bytes
    let frame =
        format!(r#"{{"type":"agent.state","ts":0,"agent_id":"a","state":"busy","name":"{name}"}}"#);
    match one(&frame).kind {
        EventKind::AgentState { name: Some(n), .. } => {
            assert_eq!(n.len(), 256);
            assert!(n.chars().all(|c| c == 'é'));
        }
        k => panic!("{k:?}"),
    }
}

#[test]
fn names_are_stripped_and_ids_kept_opaque() {
    let frame = r#"{"type":"agent.state","ts":0,"agent_id":"a\u0007b","state":"away","name":"Dana\u001b]0;pwned\u0007 Ruiz\u202e","reason":"lu\u009bnch"}"#;
    match one(frame).kind {
        EventKind::AgentState {
            agent,
            name,
            reason,
            ..
        } => {
            // Ids stay exact (two ids differing in a control character are
            // two agents); they are stripped wherever they are shown.
            assert_eq!(agent, "a\u{7}b");
            assert_eq!(name.as_deref(), Some("Dana]0;pwned Ruiz"));
            assert_eq!(reason.as_deref(), Some("lunch"));
        }
        k => panic!("{k:?}"),
    }
}

#[test]
fn timestamps_in_both_forms_agree() {
    assert_eq!(
        one(r#"{"type":"heartbeat","ts":"2026-11-23T10:00:00+01:00"}"#).ts,
        Ts(T0)
    );
    assert_eq!(one(r#"{"type":"heartbeat","ts":1795424400000}"#).ts, Ts(T0));
    assert_eq!(
        one(r#"{"type":"heartbeat","ts":"2026-11-23T09:00:00.123456Z"}"#).ts,
        Ts(T0 + 123)
    );
}

#[test]
fn a_time_from_2100_on_is_refused_in_either_form() {
    // No platform's clock is there: the year 9999, in either form, would
    // set the floor's clock for good.
    for ts in [
        r#""9999-01-01T00:00:00Z""#,
        r#""2100-01-01T00:00:00Z""#,
        "4102444800000",
        "253370764800000",
    ] {
        let frame = format!(r#"{{"type":"heartbeat","ts":{ts}}}"#);
        assert_eq!(rejected(&frame), RejectKind::BadValue("ts"), "{frame}");
    }
    let frame = r#"{"type":"snapshot","ts":1795424400000,"agents":[],"queues":[{"queue":"q","waiting":[{"contact_id":"c","since":"9999-01-01T00:00:00Z"}]}]}"#;
    assert_eq!(rejected(frame), RejectKind::BadValue("since"));
    assert_eq!(
        one(r#"{"type":"heartbeat","ts":"2099-12-31T23:59:59.999Z"}"#).ts,
        Ts(4_102_444_800_000 - 1)
    );
}

#[test]
fn snapshot_body_decodes() {
    let e = one(r#"{"type":"snapshot","ts":1795424400000,
            "queues":[{"queue":"q","name":"Q","waiting":[{"contact_id":"c1","since":"2026-11-23T08:59:00Z","channel":"chat","first_queued":1795424300000}]}],
            "agents":[{"agent_id":"a","state":"busy","since":0,"contacts":[{"contact_id":"c2","since":5,"on_hold":true}]}]}"#);
    let EventKind::Snapshot(s) = e.kind else {
        panic!("not a snapshot")
    };
    assert_eq!(s.queues[0].waiting[0].since, Ts(T0 - 60_000));
    assert_eq!(
        s.queues[0].waiting[0].first_queued,
        Some(Ts(1_795_424_300_000))
    );
    assert!(s.agents[0].contacts[0].on_hold);
    assert_eq!(s.agents[0].queues, None);
}

#[test]
fn deep_nesting_never_overflows_the_stack() {
    // Deep nesting in a field we ignore is skipped without recursion.
    let deep = format!(
        r#"{{"type":"heartbeat","ts":0,"x":{}{}}}"#,
        "[".repeat(100_000),
        "]".repeat(100_000)
    );
    assert!(matches!(decode(&deep).as_slice(), [Decoded::Event(_)]));
    // In a field we read, it is refused.
    let deep = format!(
        r#"{{"type":"agent.state","ts":0,"agent_id":"a","state":"busy","queues":{}{}}}"#,
        "[".repeat(10_000),
        "]".repeat(10_000)
    );
    assert_eq!(rejected(&deep), RejectKind::WrongType("queues"));
    assert_eq!(rejected(&"[".repeat(100_000)), RejectKind::NotJson);
}

#[test]
fn conversation_messages_and_surveys_decode_with_their_bounds() {
    let e = one(
        r#"{"type":"contact.message","ts":"2026-11-23T09:10:31Z","contact_id":"ch77","from":"agent","agent_id":"a9"}"#,
    );
    assert_eq!(
        e.kind,
        EventKind::Message {
            contact: "ch77".into(),
            from: Sender::Agent,
            agent: Some("a9".into())
        }
    );
    let e = one(
        r#"{"type":"contact.survey","ts":"2026-11-23T09:07:40Z","contact_id":"c1001","csat":5,"nps":0}"#,
    );
    assert_eq!(
        e.kind,
        EventKind::Survey {
            contact: "c1001".into(),
            csat: Csat::new(5),
            nps: Nps::new(0)
        }
    );
    let m = |rest: &str| {
        format!(r#"{{"type":"contact.message","ts":1795424400000,"contact_id":"c"{rest}}}"#)
    };
    assert_eq!(rejected(&m("")), RejectKind::Missing("from"));
    assert_eq!(
        rejected(&m(r#","from":"bot""#)),
        RejectKind::BadValue("from")
    );
    assert_eq!(rejected(&m(r#","from":1"#)), RejectKind::WrongType("from"));
    let s = |rest: &str| {
        format!(r#"{{"type":"contact.survey","ts":1795424400000,"contact_id":"c"{rest}}}"#)
    };
    assert_eq!(rejected(&s(r#","csat":0"#)), RejectKind::BadValue("csat"));
    assert_eq!(rejected(&s(r#","csat":6"#)), RejectKind::BadValue("csat"));
    assert_eq!(rejected(&s(r#","nps":-1"#)), RejectKind::BadValue("nps"));
    assert_eq!(rejected(&s(r#","nps":11"#)), RejectKind::BadValue("nps"));
    assert_eq!(rejected(&s(r#","nps":"9""#)), RejectKind::WrongType("nps"));
    assert_eq!(
        rejected(&s(r#","csat":4.0"#)),
        RejectKind::WrongType("csat")
    );
    assert_eq!(
        rejected(&s(r#","csat":18446744073709551615"#)),
        RejectKind::BadValue("csat")
    );
    // Both answers are optional; null is absent.
    assert!(matches!(
        one(&s(r#","csat":null"#)).kind,
        EventKind::Survey {
            csat: None,
            nps: None,
            ..
        }
    ));
}

/// `priority`: a 32-bit signed integer, higher more urgent; anything else
/// is kept as unusable (the floor counts it) and never refuses the
/// contact's queueing, read the direct way or serde's (a batch, an escape).
#[test]
fn priority_is_an_integer_in_range_and_never_refuses_the_event() {
    let cases: &[(&str, Priority)] = &[
        ("", Priority::Absent),
        (r#","priority":null"#, Priority::Absent),
        (r#","priority":0"#, Priority::Given(0)),
        (r#","priority":7"#, Priority::Given(7)),
        (r#","priority":2147483647"#, Priority::Given(2_147_483_647)),
        (r#","priority":2147483648"#, Priority::Invalid),
        (r#","priority":18446744073709551616"#, Priority::Invalid),
        (r#","priority":-1"#, Priority::Given(-1)),
        (r#","priority":-2147483648"#, Priority::Given(i32::MIN)),
        (r#","priority":-2147483649"#, Priority::Invalid),
        (r#","priority":3.0"#, Priority::Invalid),
        (r#","priority":1e400"#, Priority::Invalid),
        (r#","priority":"3""#, Priority::Invalid),
        (r#","priority":true"#, Priority::Invalid),
        (r#","priority":[1]"#, Priority::Invalid),
        (r#","priority":{"level":1}"#, Priority::Invalid),
    ];
    for (extra, want) in cases {
        let ev = format!(
            r#"{{"type":"contact.queued","ts":1795424400000,"contact_id":"c","queue":"q"{extra}}}"#
        );
        // Alone, in a batch, and with an escape (which the direct read leaves to serde).
        let escaped = ev.replace(r#""q""#, r#""\u0071""#);
        for frame in [ev.clone(), format!("[{ev}]"), escaped] {
            match decode(&frame).as_slice() {
                [
                    Decoded::Event(Event {
                        kind:
                            EventKind::Queued {
                                priority, queue, ..
                            },
                        ..
                    }),
                ] => {
                    assert_eq!(priority, want, "{frame}");
                    assert_eq!(queue, "q", "{frame}");
                }
                other => panic!("{frame}: {other:?}"),
            }
        }
    }
}
