//! Several sites in one monitor (docs/sites.md): three sites, one of them
//! never connected. Ids never collide across sites, each site keeps its own
//! `seq` numbering and resync, the grand total is exact, and the snapshot
//! gains `site` keys and a `sites` block only when there are sites.

use queuetop_engine::config;
use queuetop_engine::dialect::DialectKind;
use queuetop_engine::floor::{Floor, WindowKind};
use queuetop_engine::health::{FeedHealth, LinkState};
use queuetop_engine::monitor::{Monitor, SourceInfo, SourceKind};
use queuetop_engine::site::SiteName;
use queuetop_engine::snapshot;
use queuetop_engine::time::Ts;
use serde_json::Value;

const T0: i64 = 1_795_424_400_000; // 2026-11-23T09:00:00Z

fn bare() -> Monitor {
    let mut file = config::parse("").unwrap();
    file.timezone = Some("UTC".into());
    let metrics = config::metrics(&file, None).unwrap();
    Monitor::new(
        Floor::new(metrics.settings),
        SourceInfo::new(SourceKind::Url, "sites"),
        DialectKind::Native.make(),
    )
}

fn three_sites() -> Monitor {
    let mut m = bare();
    for name in ["paris", "lisbon", "rome"] {
        let info = SourceInfo::new(SourceKind::Url, &format!("wss://{name}.example/feed"));
        m.add_site(
            SiteName::new(name).unwrap(),
            info,
            DialectKind::Native.make(),
        );
    }
    m
}

fn frame(m: &mut Monitor, site: usize, at_s: i64, text: &str) {
    m.site_live_frame(site, text, Ts(T0 + at_s * 1000));
}

fn queued(seq: u64, at_s: i64, contact: &str, queue: &str) -> String {
    format!(
        r#"{{"type":"contact.queued","ts":{},"seq":{seq},"contact_id":"{contact}","queue":"{queue}"}}"#,
        T0 + at_s * 1000
    )
}

fn agent(at_s: i64, id: &str, queue: &str) -> String {
    format!(
        r#"{{"type":"agent.state","ts":{},"agent_id":"{id}","state":"available","queues":["{queue}"]}}"#,
        T0 + at_s * 1000
    )
}

fn json(m: &Monitor, local_s: i64) -> Value {
    let snap = snapshot::build(
        m,
        WindowKind::Rolling,
        Some(Ts(T0 + local_s * 1000)),
        60_000,
    );
    serde_json::to_value(snap).unwrap()
}

/// Paris and Lisbon both have a queue `billing` and an agent `a1`, with
/// their own `seq` numbers from 1; Rome never connects.
fn busy_day() -> Monitor {
    let mut m = three_sites();
    m.set_site_link(
        2,
        LinkState::Reconnecting {
            attempt: 3,
            next_try_ms: 4_000,
            last_error: "connection refused".into(),
        },
    );
    for site in [0, 1] {
        m.site_connected(site, Ts(T0));
        m.set_site_link(site, LinkState::Connected);
        frame(&mut m, site, 0, &agent(0, "a1", "billing"));
    }
    frame(&mut m, 0, 1, &queued(1, 1, "c1", "billing"));
    frame(&mut m, 0, 2, &queued(2, 2, "c2", "billing"));
    frame(&mut m, 1, 3, &queued(1, 3, "c1", "billing"));
    m.tick(Ts(T0 + 5_000));
    m
}

#[test]
fn the_same_ids_at_two_sites_are_two_queues_and_two_agents() {
    let m = busy_day();
    let v = json(&m, 5);
    let queues: Vec<(&str, &str, u64)> = v["queues"]
        .as_array()
        .unwrap()
        .iter()
        .map(|q| {
            (
                q["site"].as_str().unwrap(),
                q["queue"].as_str().unwrap(),
                q["waiting"].as_u64().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        queues,
        vec![("lisbon", "billing", 1), ("paris", "billing", 2)]
    );
    let agents: Vec<(&str, &str, &str)> = v["agents"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| {
            (
                a["site"].as_str().unwrap(),
                a["agent_id"].as_str().unwrap(),
                a["queues"][0].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        agents,
        vec![("lisbon", "a1", "billing"), ("paris", "a1", "billing")]
    );
    // The grand total is every site's.
    assert_eq!(v["totals"]["entered"], 3);
    assert_eq!(v["totals"]["waiting"], 3);
    assert_eq!(v["totals"]["agents"]["available"], 2);
}

#[test]
fn one_dead_site_is_shown_dead_and_blanks_nothing() {
    let m = busy_day();
    let v = json(&m, 5);
    // The view as a whole is connected: two of three sites are.
    assert_eq!(v["feed"]["state"], "connected");
    assert_eq!(
        m.health(Some(Ts(T0 + 5_000)), 60_000),
        FeedHealth::Connected
    );
    let sites = v["sites"].as_array().unwrap();
    let states: Vec<(&str, &str)> = sites
        .iter()
        .map(|s| (s["site"].as_str().unwrap(), s["state"].as_str().unwrap()))
        .collect();
    assert_eq!(
        states,
        vec![
            ("paris", "connected"),
            ("lisbon", "connected"),
            ("rome", "reconnecting")
        ]
    );
    assert_eq!(sites[0]["totals"]["entered"], 2);
    assert_eq!(sites[0]["totals"]["waiting"], 2);
    assert_eq!(sites[0]["totals"]["agents"]["available"], 1);
    assert_eq!(sites[1]["totals"]["entered"], 1);
    assert_eq!(sites[2]["totals"]["entered"], 0);
    assert_eq!(sites[2]["events"], 0);
    assert_eq!(sites[2]["source"]["target"], "wss://rome.example/feed");
    assert_eq!(sites[0]["events"], 3);
}

#[test]
fn each_site_numbers_its_own_events() {
    let mut m = busy_day();
    // Lisbon's seq 1 is not a repeat of Paris's seq 1; its own repeat is.
    assert_eq!(m.floor.counts().duplicates, 0);
    frame(&mut m, 1, 6, &queued(1, 3, "c1", "billing"));
    // Paris jumps from 2 to 5: a gap at Paris only.
    frame(&mut m, 0, 7, &queued(5, 7, "c9", "billing"));
    let v = json(&m, 7);
    let sites = v["sites"].as_array().unwrap();
    assert_eq!(
        (sites[0]["duplicates"].as_u64(), sites[0]["gaps"].as_u64()),
        (Some(0), Some(1))
    );
    assert_eq!(
        (sites[1]["duplicates"].as_u64(), sites[1]["gaps"].as_u64()),
        (Some(1), Some(0))
    );
    // The feed's figures add the sites up.
    assert_eq!(v["feed"]["duplicates"], 1);
    assert_eq!(v["feed"]["gaps"], 1);
    assert_eq!(v["totals"]["entered"], 4);
}

#[test]
fn a_sites_snapshot_replaces_that_site_only() {
    let mut m = busy_day();
    // Lisbon reconnects: Lisbon resyncs, Paris does not.
    m.site_connected(1, Ts(T0 + 10_000));
    assert!(m.sites()[1].resyncing());
    assert!(!m.sites()[0].resyncing());
    // Lisbon's snapshot: nobody waits at Lisbon any more, its a1 is away.
    let snap = format!(
        r#"{{"type":"snapshot","ts":{},"queues":[{{"queue":"billing","waiting":[]}}],"agents":[{{"agent_id":"a1","state":"away","since":{}}}]}}"#,
        T0 + 11_000,
        T0 + 10_500
    );
    frame(&mut m, 1, 11, &snap);
    assert!(!m.sites()[1].resyncing());
    let v = json(&m, 11);
    let waiting: Vec<(&str, u64)> = v["queues"]
        .as_array()
        .unwrap()
        .iter()
        .map(|q| (q["site"].as_str().unwrap(), q["waiting"].as_u64().unwrap()))
        .collect();
    assert_eq!(waiting, vec![("lisbon", 0), ("paris", 2)]);
    let states: Vec<(&str, &str)> = v["agents"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| (a["site"].as_str().unwrap(), a["state"].as_str().unwrap()))
        .collect();
    assert_eq!(states, vec![("lisbon", "away"), ("paris", "available")]);
}

#[test]
fn one_feed_serializes_as_it_always_did() {
    let mut m = bare();
    m.connected(Ts(T0));
    m.set_link(LinkState::Connected);
    m.live_frame(&agent(0, "a1", "billing"), Ts(T0));
    m.live_frame(&queued(1, 1, "c1", "billing"), Ts(T0 + 1_000));
    let v = json(&m, 1);
    assert!(v.get("sites").is_none());
    assert!(v["queues"][0].get("site").is_none());
    assert!(v["agents"][0].get("site").is_none());
    assert_eq!(v["queues"][0]["queue"], "billing");
}

#[test]
fn a_site_total_row_adds_its_queues_percentiles_and_all() {
    let mut m = three_sites();
    m.site_connected(0, Ts(T0));
    m.set_site_link(0, LinkState::Connected);
    frame(&mut m, 0, 0, &agent(0, "a1", "billing"));
    frame(&mut m, 0, 0, &agent(0, "a2", "sales"));
    let mut seq = 0;
    let mut next = || {
        seq += 1;
        seq
    };
    // Two answers in billing after 10 s and 20 s, one in sales after 40 s.
    for (contact, queue, agent, q_at, a_at) in [
        ("c1", "billing", "a1", 10, 20),
        ("c2", "billing", "a1", 30, 50),
        ("c3", "sales", "a2", 10, 50),
    ] {
        frame(&mut m, 0, q_at, &queued(next(), q_at, contact, queue));
        let answered = format!(
            r#"{{"type":"contact.answered","ts":{},"seq":{},"contact_id":"{contact}","agent_id":"{agent}"}}"#,
            T0 + a_at * 1000,
            next()
        );
        frame(&mut m, 0, a_at, &answered);
    }
    m.tick(Ts(T0 + 60_000));
    let v = json(&m, 60);
    let paris = &v["sites"][0]["totals"];
    assert_eq!(paris["answered"], 3);
    // (10 + 20 + 40) / 3 s, as the grand total says.
    assert_eq!(paris["asa_s"], v["totals"]["asa_s"]);
    assert_eq!(paris["asa_s"], 23.333);
    assert_eq!(paris["max_wait_s"], 40.0);
}

#[test]
fn a_view_of_sites_keeps_no_rewind_history() {
    // The history replays one feed's plain events; a site's are renamed on
    // the way in. A view that gains a site drops it rather than rewind to
    // a floor without that site's events.
    let mut m = bare();
    m.keep_history(queuetop_engine::history::Bounds::default());
    assert!(m.history().is_some());
    m.add_site(
        SiteName::new("paris").unwrap(),
        SourceInfo::new(SourceKind::Url, "wss://paris.example/feed"),
        DialectKind::Native.make(),
    );
    assert!(m.history().is_none());
    // Asked for after the sites were added (as the view does): none either.
    m.keep_history(queuetop_engine::history::Bounds::default());
    assert!(m.history().is_none());
}
