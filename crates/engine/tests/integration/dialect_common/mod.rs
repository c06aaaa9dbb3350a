//! Shared by the dialect tests: replay a platform fixture through the real
//! decoder, floor and snapshot, and compare with the expected snapshot.
#![allow(dead_code)]

use std::path::PathBuf;

use queuetop_engine::dialect::{Dialect, DialectKind};
use queuetop_engine::floor::{Floor, Settings, WindowKind};
use queuetop_engine::health::LinkState;
use queuetop_engine::monitor::{Monitor, SourceInfo, SourceKind};
use queuetop_engine::protocol::{Decoded, EventKind};
use queuetop_engine::replay::apply_all;
use queuetop_engine::snapshot;
use queuetop_engine::time::Ts;
use serde_json::Value;

pub fn resource(platform: &str, file: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../tests/resources/dialects")
        .join(platform)
        .join(file)
}

/// The snapshot JSON of a replayed fixture, its source target reduced to
/// the file name (the path differs between machines).
pub fn replay(kind: DialectKind, platform: &str, file: &str) -> Value {
    let path = resource(platform, file);
    let f = std::fs::File::open(&path).expect("fixture");
    replay_from(kind, file, std::io::BufReader::new(f))
}

/// The snapshot JSON of recorded lines replayed from any reader.
pub fn replay_from(kind: DialectKind, target: &str, input: impl std::io::BufRead) -> Value {
    let source = SourceInfo {
        kind: SourceKind::Replay,
        target: target.to_string(),
    };
    let mut m = Monitor::new(Floor::new(Settings::default()), source, kind.make());
    apply_all(&mut m, input, 1 << 20).expect("replay");
    m.set_link(LinkState::Ended);
    let snap = snapshot::build(&m, WindowKind::Rolling, None, 5_000);
    let mut json: Value = serde_json::from_str(&snapshot::render_json(&snap)).expect("json");
    // The platforms' fixtures pin what each dialect makes of its events: the
    // window's figures. The interval block repeats them over another span;
    // the scenarios (42-interval-beside-the-day) pin that.
    let interval = json.as_object_mut().and_then(|o| o.remove("interval"));
    assert!(interval.is_some(), "every snapshot has an interval block");
    json
}

pub fn expected(platform: &str, file: &str) -> Value {
    let text = std::fs::read_to_string(resource(platform, file)).expect("expected snapshot");
    serde_json::from_str(&text).expect("expected json")
}

pub fn queue<'v>(snap: &'v Value, id: &str) -> &'v Value {
    snap["queues"]
        .as_array()
        .and_then(|qs| qs.iter().find(|q| q["queue"] == id))
        .unwrap_or_else(|| panic!("no queue {id}"))
}

pub fn agent<'v>(snap: &'v Value, id: &str) -> &'v Value {
    snap["agents"]
        .as_array()
        .and_then(|a| a.iter().find(|x| x["agent_id"] == id))
        .unwrap_or_else(|| panic!("no agent {id}"))
}

/// What one frame decodes to, as (type, contact or agent id) pairs, plus
/// the number of rejected and unknown outcomes.
#[derive(Debug, Default, PartialEq)]
pub struct Outcome {
    pub events: Vec<(String, String, i64)>,
    pub rejected: usize,
    pub unknown: usize,
}

pub fn feed(d: &mut dyn Dialect, frame: &str, received: i64) -> Outcome {
    let mut o = Outcome::default();
    d.decode(frame, Ts(received), &mut |x: Decoded<'_>| match x {
        Decoded::Event(e) => {
            let who = match &e.kind {
                EventKind::Queued { contact, .. }
                | EventKind::Answered { contact, .. }
                | EventKind::Abandoned { contact }
                | EventKind::Hold { contact }
                | EventKind::Resumed { contact }
                | EventKind::Ended { contact, .. }
                | EventKind::FirstResponse { contact, .. } => contact.to_string(),
                EventKind::AgentState { agent, state, .. } => format!("{agent}:{}", state.as_str()),
                EventKind::QueueInfo { queue, .. } => queue.to_string(),
                _ => String::new(),
            };
            o.events.push((e.kind.type_name().to_string(), who, e.ts.0));
        }
        Decoded::Rejected(_) => o.rejected += 1,
        Decoded::Unknown { .. } => o.unknown += 1,
    });
    o
}

pub fn types(o: &Outcome) -> Vec<&str> {
    o.events.iter().map(|(t, _, _)| t.as_str()).collect()
}

/// Every event a fixture's lines decode to, fed in order to one dialect.
pub fn decode_fixture(kind: DialectKind, platform: &str, file: &str) -> Outcome {
    let text = std::fs::read_to_string(resource(platform, file)).expect("fixture");
    let mut d = kind.make();
    let mut all = Outcome::default();
    for line in text.lines().filter(|l| !l.trim().is_empty()) {
        let o = feed(d.as_mut(), line, 0);
        all.events.extend(o.events);
        all.rejected += o.rejected;
        all.unknown += o.unknown;
    }
    all
}

/// How many events of `type_name` the outcome holds for `who`.
pub fn count(o: &Outcome, type_name: &str, who: &str) -> usize {
    o.events
        .iter()
        .filter(|(t, w, _)| t == type_name && w == who)
        .count()
}
