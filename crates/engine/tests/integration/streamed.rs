//! `snapshot --replay` writes its JSON with the agents made one at a time
//! (a list of 50,000 would be held beside the floor); the text must be
//! exactly what the snapshot built whole gives, order of agents included.

use queuetop_engine::dialect::DialectKind;
use queuetop_engine::floor::{Floor, WindowKind};
use queuetop_engine::monitor::{Monitor, SourceInfo, SourceKind};
use queuetop_engine::replay::apply_all;
use queuetop_engine::snapshot;

// Agents out of id order, and two whose ids differ only in a character
// that is not shown.
const FEED: &str = r#"{"type":"queue.info","ts":1000,"queue":"q1","name":"One"}
{"type":"agent.state","ts":1000,"agent_id":"z9","state":"available","queues":["q1"]}
{"type":"agent.state","ts":1000,"agent_id":"a\u200b2","state":"away","reason":"lunch"}
{"type":"agent.state","ts":1000,"agent_id":"a2","state":"available","queues":["q1"]}
{"type":"agent.state","ts":1000,"agent_id":"m1","state":"available","queues":["q1"]}
{"type":"contact.queued","ts":2000,"contact_id":"c2","queue":"q1"}
{"type":"contact.queued","ts":2000,"contact_id":"c1","queue":"q1"}
{"type":"contact.answered","ts":3000,"contact_id":"c2","agent_id":"m1"}
{"type":"contact.answered","ts":3000,"contact_id":"c1","agent_id":"m1"}
{"type":"heartbeat","ts":9000}
"#;

#[test]
fn the_streamed_json_is_the_whole_snapshots_json() {
    let mut m = Monitor::new(
        Floor::new(Default::default()),
        SourceInfo {
            kind: SourceKind::Replay,
            target: "streamed".into(),
        },
        DialectKind::Native.make(),
    );
    apply_all(&mut m, FEED.as_bytes(), 1 << 20).expect("replay");
    for kind in [WindowKind::Rolling, WindowKind::Today] {
        let whole = snapshot::build(&m, kind, None, 5_000);
        let ids: Vec<&str> = whole.agents.iter().map(|a| a.agent_id.as_str()).collect();
        assert_eq!(ids, ["a2", "a2", "m1", "z9"]);
        assert_eq!(whole.agents[0].state, "available", "the plain id first");
        let contacts: Vec<&str> = whole.agents[2]
            .contacts
            .iter()
            .map(|c| c.contact_id.as_str())
            .collect();
        assert_eq!(contacts, ["c1", "c2"]);

        let streamed = snapshot::build_streamed(&m, kind, None, 5_000);
        assert_eq!(streamed.agents.len(), 4);
        let mut out = Vec::new();
        snapshot::write_json(&streamed, &mut out).expect("written");
        assert_eq!(
            String::from_utf8(out).expect("utf-8"),
            snapshot::render_json(&whole)
        );
    }
}
