//! Invisible format characters (zero width space U+200B, byte order mark
//! U+FEFF, word joiner U+2060, a joiner U+200D that joins nothing) make
//! look-alike names and ids. Through the real decoder and floor, they are
//! gone from every name and id the snapshot shows; the joiners an emoji
//! needs stay.

use queuetop_engine::dialect::DialectKind;
use queuetop_engine::floor::{Floor, WindowKind};
use queuetop_engine::monitor::{Monitor, SourceInfo, SourceKind};
use queuetop_engine::replay::apply_all;
use queuetop_engine::snapshot;

const FEED: &str = r#"{"type":"queue.info","ts":1000,"queue":"bil\ufeffling","name":"\u200bBilling\u2060"}
{"type":"agent.state","ts":1000,"agent_id":"a\u200b7","state":"available","name":"Da\u200bna\ufeff Ru\u200diz","queues":["bil\ufeffling"]}
{"type":"agent.state","ts":1000,"agent_id":"a8","state":"away","reason":"lu\u2060nch\u200d","name":"\u200d\ud83d\udc69\u200d\ud83d\udc69\u200d\ud83d\udc67"}
{"type":"contact.queued","ts":2000,"contact_id":"c\u20601","queue":"bil\ufeffling"}
{"type":"contact.answered","ts":3000,"contact_id":"c\u20601","agent_id":"a\u200b7"}
{"type":"heartbeat","ts":9000}
"#;

#[test]
fn invisible_characters_are_gone_from_names_and_ids_as_shown() {
    let mut m = Monitor::new(
        Floor::new(Default::default()),
        SourceInfo {
            kind: SourceKind::Replay,
            target: "invisible".into(),
        },
        DialectKind::Native.make(),
    );
    apply_all(&mut m, FEED.as_bytes(), 1 << 20).expect("replay");
    let snap = snapshot::build(&m, WindowKind::Rolling, None, 5_000);
    assert_eq!(snap.feed.events, 6);
    assert_eq!(snap.queues.len(), 1);
    assert_eq!(snap.queues[0].queue, "billing");
    assert_eq!(snap.queues[0].name.as_deref(), Some("Billing"));
    let a7 = &snap.agents[0];
    assert_eq!(a7.agent_id, "a7");
    assert_eq!(a7.name.as_deref(), Some("Dana Ruiz"));
    assert_eq!(a7.queues, ["billing"]);
    assert_eq!(a7.contacts[0].contact_id, "c1");
    let a8 = &snap.agents[1];
    assert_eq!(a8.reason.as_deref(), Some("lunch"));
    // The leading joiner joins nothing; the family's two stay.
    assert_eq!(
        a8.name.as_deref(),
        Some("\u{1f469}\u{200d}\u{1f469}\u{200d}\u{1f467}")
    );
    // The text export shows the same.
    let text = snapshot::render_text(&snap);
    for bad in ['\u{200b}', '\u{feff}', '\u{2060}'] {
        assert!(!text.contains(bad), "{bad:?} in {text}");
    }
    assert!(text.contains("a7     Dana Ruiz"), "{text}");
}
