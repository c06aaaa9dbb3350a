//! A floor's live state written as a `snapshot` event (what a relay
//! publishes now and then) and applied back: to the same floor it changes
//! no figure and raises no doubt; to an empty floor it gives the same
//! agents and the same waiting contacts.

use std::path::{Path, PathBuf};

use queuetop_engine::config;
use queuetop_engine::floor::{Floor, WindowKind};
use queuetop_engine::monitor::{Monitor, SourceInfo, SourceKind};
use queuetop_engine::protocol::{Event, EventKind, encode};
use queuetop_engine::replay::apply_all;
use queuetop_engine::snapshot;
use serde_json::Value;

fn resources() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/resources")
}

fn monitor() -> Monitor {
    let mut file = config::parse("").unwrap();
    file.timezone = Some("UTC".into());
    let metrics = config::metrics(&file, None).unwrap();
    Monitor::new(
        Floor::new(metrics.settings),
        SourceInfo::new(SourceKind::Replay, "t"),
        queuetop_engine::dialect::DialectKind::Native.make(),
    )
}

fn figures(m: &Monitor) -> Value {
    let mut v = serde_json::to_value(snapshot::build(m, WindowKind::Rolling, None, 5_000)).unwrap();
    v.as_object_mut().unwrap().remove("feed");
    v
}

fn own_snapshot(m: &Monitor) -> String {
    encode(&Event {
        ts: m.floor.now(),
        seq: None,
        kind: EventKind::Snapshot(Box::new(m.floor.live_snapshot())),
    })
}

/// Each agent's live part: who, what, since when, with which contacts.
fn live(v: &Value) -> Value {
    let agents = v["agents"].as_array().cloned().unwrap_or_default();
    agents
        .into_iter()
        .map(|mut a| {
            let o = a.as_object_mut().unwrap();
            // The agent's window figures are history's, not live state.
            for k in ["handled", "att_s", "art_s", "csat_avg", "occupancy_pct"] {
                o.remove(k);
            }
            // Nor does it say since when an agent has been on contact
            // (several contacts back to back): a floor that saw none of
            // them counts from the oldest still open.
            if o.get("state").is_some_and(|s| s == "on_contact") {
                o.remove("state_for_s");
            }
            // feed-v1's snapshot says a contact is on hold, not since
            // when: a floor that never saw the hold start times it from
            // the snapshot, so talk time differs for held contacts only.
            if let Some(cs) = o.get_mut("contacts").and_then(|c| c.as_array_mut()) {
                for c in cs {
                    if c["on_hold"] == true
                        && let Some(c) = c.as_object_mut()
                    {
                        c.remove("talk_s");
                    }
                }
            }
            a
        })
        .collect()
}

/// The feeds: the sample day and every scenario.
fn feeds() -> Vec<PathBuf> {
    let mut v = vec![resources().join("sample-day.jsonl")];
    let mut scenarios: Vec<PathBuf> = std::fs::read_dir(resources().join("scenarios"))
        .unwrap()
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "jsonl"))
        .collect();
    scenarios.sort();
    v.extend(scenarios);
    v
}

#[test]
fn a_floor_applying_its_own_snapshot_changes_no_figure() {
    let mut checked = 0;
    for feed in feeds() {
        let mut m = monitor();
        let input = std::io::BufReader::new(std::fs::File::open(&feed).unwrap());
        apply_all(&mut m, input, 1 << 20).unwrap();
        let before = figures(&m);
        let doubt = m.floor.uncertain_since(WindowKind::Rolling);
        let frame = own_snapshot(&m);
        m.replay_frame(&frame);
        assert_eq!(figures(&m), before, "{}: {frame}", feed.display());
        // No new doubt (a feed with a gap of its own keeps that one).
        assert_eq!(
            m.floor.uncertain_since(WindowKind::Rolling),
            doubt,
            "{}",
            feed.display()
        );

        // On an empty floor: the same people doing the same things (the
        // window's figures, such as contacts handled, are history's).
        let mut fresh = monitor();
        fresh.replay_frame(&frame);
        let f = figures(&fresh);
        assert_eq!(live(&f), live(&before), "{}", feed.display());
        assert_eq!(f["totals"]["waiting"], before["totals"]["waiting"]);
        checked += 1;
    }
    assert!(checked > 5, "only {checked} feeds");
}

/// A feed that sends its recent past, then the live state (the demo does):
/// contacts in the snapshot that began before the first event we saw began
/// before our view, and raise no doubt; one that began after it is an
/// event we missed, and does.
#[test]
fn a_snapshot_after_the_recent_past_doubts_only_what_we_could_have_seen() {
    let past = [
        r#"{"type":"queue.info","ts":"2026-11-23T09:00:00Z","seq":1,"queue":"q1"}"#,
        r#"{"type":"contact.queued","ts":"2026-11-23T09:05:00Z","seq":2,"contact_id":"seen","queue":"q1"}"#,
    ];
    let snapshot = |also: &str| {
        format!(
            r#"{{"type":"snapshot","ts":"2026-11-23T09:20:00Z","queues":[{{"queue":"q1","waiting":[{{"contact_id":"seen","since":"2026-11-23T09:05:00Z"}},{also}]}}],"agents":[]}}"#
        )
    };
    let before_our_view = r#"{"contact_id":"old","since":"2026-11-23T08:50:00Z"}"#;
    let missed = r#"{"contact_id":"new","since":"2026-11-23T09:10:00Z"}"#;
    for (also, doubted) in [(before_our_view, false), (missed, true)] {
        let mut m = monitor();
        for line in past {
            m.replay_frame(line);
        }
        m.replay_frame(&snapshot(also));
        assert_eq!(
            m.floor.uncertain_since(WindowKind::Rolling).is_some(),
            doubted,
            "{also}"
        );
        assert_eq!(figures(&m)["totals"]["waiting"], 2);
    }
}
