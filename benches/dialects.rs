//! Decode + apply throughput per dialect on a generated stream of realistic
//! platform messages (a busy floor: calls queued, answered, held, ended,
//! some abandoned, agent state changes), beside the same floor in feed-v1.
//!
//! `cargo bench --bench dialects`

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use queuetop_engine::dialect::DialectKind;
use queuetop_engine::floor::{Floor, Settings};
use queuetop_engine::monitor::{Monitor, SourceInfo, SourceKind};
use serde_json::json;

const CALLS: usize = 2_000;
const T0: i64 = 1_795_424_400_000;

fn iso(ms: i64) -> String {
    queuetop_engine::time::Ts(ms).to_string()
}

/// (at, kind, call, agent) steps of one synthetic floor, in time order.
fn script() -> Vec<(i64, &'static str, usize, usize)> {
    let mut s = Vec::new();
    for c in 0..CALLS {
        let t = T0 + c as i64 * 3_000;
        let a = c % 40;
        s.push((t, "queued", c, a));
        if c % 10 == 7 {
            s.push((t + 25_000, "abandoned", c, a));
            continue;
        }
        s.push((t + 12_000, "answered", c, a));
        if c % 4 == 0 {
            s.push((t + 40_000, "hold", c, a));
            s.push((t + 55_000, "resumed", c, a));
        }
        s.push((t + 120_000, "ended", c, a));
        if c % 25 == 0 {
            s.push((t + 121_000, "away", c, a));
        }
    }
    s.sort_by_key(|x| x.0);
    s
}

fn native(at: i64, kind: &str, c: usize, a: usize) -> String {
    let (ty, extra) = match kind {
        "queued" => (
            "contact.queued",
            json!({"queue": "support", "channel": "voice"}),
        ),
        "answered" => ("contact.answered", json!({"agent_id": format!("a{a}")})),
        "abandoned" => ("contact.abandoned", json!({})),
        "hold" => ("contact.hold", json!({})),
        "resumed" => ("contact.resumed", json!({})),
        "ended" => ("contact.ended", json!({})),
        _ => (
            "agent.state",
            json!({"agent_id": format!("a{a}"), "state": "away", "reason": "Break"}),
        ),
    };
    let mut v = json!({"type": ty, "ts": at, "contact_id": format!("c{c}")});
    if let (Some(o), Some(e)) = (v.as_object_mut(), extra.as_object()) {
        o.extend(e.clone());
    }
    v.to_string()
}

fn asterisk(at: i64, kind: &str, c: usize, a: usize) -> String {
    let ts = format!("{}.{:06}", at / 1000, (at % 1000) * 1000);
    let uid = format!("{}.{c}", T0 / 1000);
    let base = json!({"Privilege": "agent,all", "Timestamp": ts, "Channel": format!("PJSIP/trunk-{c:08}"),
        "ChannelState": "6", "ChannelStateDesc": "Up", "CallerIDNum": "5551000", "CallerIDName": "Caller",
        "ConnectedLineNum": "<unknown>", "ConnectedLineName": "<unknown>", "Language": "en",
        "AccountCode": "", "Context": "queues", "Exten": "700", "Priority": "3", "Uniqueid": uid,
        "Linkedid": uid, "Queue": "support"});
    let mut v = base;
    let o = v.as_object_mut().unwrap();
    let iface = format!("PJSIP/{}", 1000 + a);
    match kind {
        "queued" => {
            o.insert("Event".into(), "QueueCallerJoin".into());
            o.insert("Position".into(), "1".into());
        }
        "answered" => {
            o.insert("Event".into(), "AgentConnect".into());
            o.insert("Interface".into(), iface.into());
            o.insert("HoldTime".into(), "12".into());
        }
        "abandoned" => {
            o.insert("Event".into(), "QueueCallerAbandon".into());
            o.insert("HoldTime".into(), "25".into());
        }
        "hold" => {
            o.insert("Event".into(), "Hold".into());
        }
        "resumed" => {
            o.insert("Event".into(), "Unhold".into());
        }
        "ended" => {
            o.insert("Event".into(), "AgentComplete".into());
            o.insert("Interface".into(), iface.into());
            o.insert("TalkTime".into(), "108".into());
        }
        _ => {
            o.insert("Event".into(), "QueueMemberPause".into());
            o.insert("Interface".into(), iface.into());
            o.insert("Paused".into(), "1".into());
            o.insert("PausedReason".into(), format!("Break {c}").into());
        }
    }
    v.to_string()
}

fn twilio(at: i64, kind: &str, c: usize, a: usize) -> String {
    let ev = match kind {
        "queued" => "task-queue.entered",
        "answered" => "reservation.accepted",
        "abandoned" => "task.canceled",
        "ended" => "task.completed",
        "hold" | "resumed" => "task.updated",
        _ => "worker.activity.update",
    };
    json!({"EventType": ev, "AccountSid": "AC1", "WorkspaceSid": "WS1", "WorkspaceName": "Flex",
        "Timestamp": (at / 1000).to_string(), "TimestampMs": at.to_string(),
        "TaskSid": format!("WT{c:032}"), "TaskQueueSid": "WQ1", "TaskQueueName": "Support",
        "TaskChannelUniqueName": "voice", "TaskAttributes": "{\"from\":\"+15551000\"}",
        "WorkerSid": format!("WK{a:032}"), "WorkerName": format!("Agent {a}"),
        "WorkerActivityName": if c % 2 == 0 { "Break" } else { "Available" }})
    .to_string()
}

fn connect(at: i64, kind: &str, c: usize, a: usize) -> String {
    let inst = "arn:aws:connect:us-west-2:1:instance/i";
    let state = match kind {
        "answered" | "resumed" => "CONNECTED",
        "hold" => "CONNECTED_ONHOLD",
        "ended" => "ENDED",
        _ => "",
    };
    if state.is_empty() {
        let et = if kind == "queued" {
            "QUEUED"
        } else {
            "DISCONNECTED"
        };
        return json!({"version": "0", "detail-type": "Amazon Connect Contact Event", "source": "aws.connect",
            "time": iso(at), "detail": {"eventType": et, "contactId": format!("c{c}"), "channel": "VOICE",
            "queueInfo": {"queueArn": format!("{inst}/queue/q1"), "enqueueTimestamp": iso(at)}}})
        .to_string();
    }
    let contacts = if kind == "ended" && c % 2 == 1 {
        json!([])
    } else {
        json!([{"ContactId": format!("c{c}"), "Channel": "VOICE", "State": state,
            "StateStartTimestamp": iso(at), "Queue": {"ARN": format!("{inst}/queue/q1"), "Name": "Support"}}])
    };
    json!({"AgentARN": format!("{inst}/agent/a{a}"), "EventType": "STATE_CHANGE", "EventTimestamp": iso(at),
        "CurrentAgentSnapshot": {"AgentStatus": {"Name": "Available", "Type": "ROUTABLE",
            "StartTimestamp": iso(T0)},
        "Configuration": {"FirstName": "Agent", "LastName": format!("{a}"),
            "RoutingProfile": {"InboundQueues": [{"ARN": format!("{inst}/queue/q1"), "Name": "Support"}]}},
        "Contacts": contacts}})
    .to_string()
}

fn genesys(at: i64, kind: &str, c: usize, a: usize) -> String {
    let q = "q-support";
    let cust = |st: &str| json!({"id": "p1", "purpose": "customer", "connectedTime": iso(at - 1000), "calls": [{"state": st}]});
    let acd = |st: &str| json!({"id": "p2", "purpose": "acd", "queueId": q, "connectedTime": iso(at), "calls": [{"state": st}]});
    let agent = |st: &str, held: bool| {
        json!({"id": "p3", "purpose": "agent", "userId": format!("u{a}"),
        "connectedTime": iso(at), "calls": [{"state": st, "held": held}]})
    };
    let parts = match kind {
        "queued" => json!([cust("connected"), acd("connected")]),
        "answered" => json!([
            cust("connected"),
            acd("disconnected"),
            agent("connected", false)
        ]),
        "hold" => json!([cust("connected"), agent("connected", true)]),
        "resumed" => json!([cust("connected"), agent("connected", false)]),
        "abandoned" => json!([cust("disconnected"), acd("disconnected")]),
        "ended" => json!([cust("disconnected"), agent("disconnected", false)]),
        _ => {
            return json!({"topicName": format!("v2.users.u{a}.presence"), "eventBody": {
                "presenceDefinition": {"systemPresence": "Break"}, "modifiedDate": iso(at)}})
            .to_string();
        }
    };
    let frame = json!({"topicName": format!("v2.routing.queues.{q}.conversations"),
        "eventBody": {"id": format!("conv-{c}"), "participants": parts}});
    // Genesys messages carry no time of their own: a recording's envelope does.
    format!("{{\"qt_received\":{at},\"frame\":{frame}}}")
}

/// Writes one step of the script as a platform message.
type MakeFrame = fn(i64, &str, usize, usize) -> String;

fn bench(c: &mut Criterion) {
    let steps = script();
    let streams: [(DialectKind, MakeFrame); 5] = [
        (DialectKind::Native, native),
        (DialectKind::Asterisk, asterisk),
        (DialectKind::AmazonConnect, connect),
        (DialectKind::Twilio, twilio),
        (DialectKind::Genesys, genesys),
    ];
    let mut g = c.benchmark_group("decode+apply");
    for (kind, make) in streams {
        let frames: Vec<String> = steps
            .iter()
            .map(|(t, k, c, a)| make(*t, k, *c, *a))
            .collect();
        let bytes: usize = frames.iter().map(String::len).sum();
        g.throughput(Throughput::Elements(frames.len() as u64));
        g.bench_function(
            format!("{kind} ({} frames, {} KiB)", frames.len(), bytes / 1024),
            |b| {
                b.iter(|| {
                    let source = SourceInfo {
                        kind: SourceKind::Replay,
                        target: String::new(),
                    };
                    let mut m = Monitor::new(Floor::new(Settings::default()), source, kind.make());
                    for f in &frames {
                        m.replay_frame(f);
                    }
                    assert_eq!(m.floor.counts().rejected, 0);
                    m.floor.counts().events
                })
            },
        );
    }
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
