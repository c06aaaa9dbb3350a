//! Two relays (paris and lisbon) into one nats-server, read with one
//! wildcard subject: each site apart, its own figures, the grand total
//! over both (docs/sites.md).

use serde_json::Value;

use super::broker::Broker;
use super::{DAY, fixture, json, ok, read, relay, replay_snapshot, today};

/// A snapshot of sites without what sites add: the `sites` block and the
/// `site` key of queues and agents.
pub(super) fn unsited(v: &Value) -> Value {
    let mut v = v.clone();
    if let Some(o) = v.as_object_mut() {
        o.remove("sites");
    }
    // The interval block's queues carry their site too.
    let lists = [("queues", false), ("agents", false), ("queues", true)];
    for (list, interval) in lists {
        let holder = if interval { &mut v["interval"] } else { &mut v };
        if let Some(items) = holder[list].as_array_mut() {
            for item in items {
                if let Some(o) = item.as_object_mut() {
                    o.remove("site");
                }
            }
        }
    }
    v
}

/// Relays the fixture's day as paris and lisbon, and reads both with the
/// wildcard subject.
fn two_relayed_sites(dir: &std::path::Path, broker: &Broker) -> Value {
    let day = fixture(DAY);
    for site in ["paris", "lisbon"] {
        ok(relay(dir, &broker.url(), site, &day, "max")
            .output()
            .unwrap());
    }
    read(dir, &broker.url(), "queuetop.*.events", "2s", "today")
}

#[test]
fn two_relayed_sites_read_with_one_wildcard() {
    let dir = tempfile::tempdir().unwrap();
    let broker = Broker::start(dir.path());
    let both = two_relayed_sites(dir.path(), &broker);
    let one = replay_snapshot(dir.path(), &fixture(DAY), "today");

    // Sites in name order, each with the day of one relay.
    let sites = both["sites"].as_array().expect("sites");
    let names: Vec<&str> = sites.iter().map(|s| s["site"].as_str().unwrap()).collect();
    assert_eq!(names, ["lisbon", "paris"]);
    for s in sites {
        assert_eq!(s["state"], "connected", "{s}");
        assert_eq!(s["duplicates"], 0, "{s}");
        assert_eq!(s["gaps"], 0, "{s}");
        assert_eq!(
            s["source"]["target"],
            format!("queuetop.{}.events", s["site"].as_str().unwrap())
        );
        for k in [
            "entered",
            "answered",
            "abandoned",
            "asa_s",
            "service_level_pct",
        ] {
            assert_eq!(s["totals"][k], one["totals"][k], "{k} of {}", s["site"]);
        }
    }
    // The same queue ids at both sites are two queues each.
    let queues = both["queues"].as_array().unwrap();
    assert_eq!(queues.len(), 2 * one["queues"].as_array().unwrap().len());
    // Each site's queues are the replay's queues, figure for figure.
    for site in ["lisbon", "paris"] {
        let mine: Vec<Value> = queues
            .iter()
            .filter(|q| q["site"] == site)
            .cloned()
            .collect();
        let v = unsited(&serde_json::json!({ "totals": one["totals"], "queues": mine }));
        assert_eq!(today(&v)["queues"], today(&one)["queues"], "{site}");
    }
    // The grand total counts both; its means and percentiles, over twice
    // the same samples, are the single day's.
    let (t, o) = (&both["totals"], &one["totals"]);
    assert_eq!(
        t["entered"].as_i64().unwrap(),
        2 * o["entered"].as_i64().unwrap()
    );
    for k in ["asa_s", "service_level_pct", "aht_s"] {
        assert_eq!(t[k], o[k], "{k}");
    }
    for k in ["avg", "p50", "p90"] {
        assert_eq!(t["frt_s"][k], o["frt_s"][k], "frt_s.{k}");
    }
    assert_eq!(
        t["frt_s"]["count"].as_i64().unwrap(),
        2 * o["frt_s"]["count"].as_i64().unwrap()
    );
}

/// The same two relayed sites, each named in `[[feeds]]` with its own
/// subject: the same sites and figures as the wildcard gives; and a NATS
/// site without a subject is a usage error naming the key.
#[test]
fn relayed_sites_listed_in_feeds_read_as_the_wildcard_reads_them() {
    let dir = tempfile::tempdir().unwrap();
    let broker = Broker::start(dir.path());
    let wildcard = two_relayed_sites(dir.path(), &broker);
    let config = dir.path().join("sites.toml");
    let entry = |site: &str| {
        format!(
            "[[feeds]]\nsite = \"{site}\"\nurl = \"{}\"\nsubject = \"queuetop.{site}.events\"\n",
            broker.url()
        )
    };
    std::fs::write(&config, entry("lisbon") + &entry("paris")).unwrap();
    let cfg = config.to_str().unwrap();
    let listed = json(&ok(super::run(
        dir.path(),
        &[
            "snapshot", "--config", cfg, "--after", "2s", "--window", "today",
        ],
    )));
    let sites = listed["sites"].as_array().expect("sites");
    let names: Vec<&str> = sites.iter().map(|s| s["site"].as_str().unwrap()).collect();
    assert_eq!(names, ["lisbon", "paris"]);
    for (a, b) in sites.iter().zip(wildcard["sites"].as_array().unwrap()) {
        for k in ["state", "events", "duplicates", "gaps", "totals"] {
            assert_eq!(a[k], b[k], "{k} of {}", a["site"]);
        }
        assert_eq!(a["state"], "connected");
    }
    assert_eq!(today(&listed)["queues"], today(&wildcard)["queues"]);
    assert_eq!(listed["totals"], wildcard["totals"]);

    std::fs::write(
        &config,
        format!("[[feeds]]\nsite = \"paris\"\nurl = \"{}\"\n", broker.url()),
    )
    .unwrap();
    let out = super::run(dir.path(), &["snapshot", "--config", cfg, "--after", "1s"]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("feeds[0].subject"), "{err}");
}

/// Messages on a subject whose site token is no site name are refused and
/// counted, and logged as every other refusal is: one line per kind every
/// so often, not a line per message (a foreign publisher could otherwise
/// fill the log).
#[test]
fn messages_naming_no_site_are_counted_and_logged_once() {
    let dir = tempfile::tempdir().unwrap();
    let broker = Broker::start(dir.path());
    let beats = dir.path().join("beats.jsonl");
    let lines: String = (0..20)
        .map(|i| format!("{{\"type\":\"heartbeat\",\"ts\":\"2026-11-23T09:00:{i:02}Z\"}}\n"))
        .collect();
    std::fs::write(&beats, lines).unwrap();
    let mut publish = relay(dir.path(), &broker.url(), "main", &beats, "max");
    publish.args(["--subject", "queuetop.no!site.events", "--batch", "1"]);
    ok(publish.output().unwrap());

    let log = dir.path().join("reader.log");
    let mut cmd = super::reader(dir.path(), &broker.url(), "queuetop.*.events", "2s", "15m");
    cmd.arg("--log").arg(&log);
    let v = json(&ok(cmd.output().unwrap()));
    // Every message is refused: the beats and the relay's snapshots.
    let feed = &v["feed"];
    assert!(feed["rejected"].as_u64().unwrap() >= 20, "{feed}");
    assert_eq!(feed["rejected"], feed["events"], "{feed}");
    let log = std::fs::read_to_string(&log).unwrap();
    let lines = log.lines().filter(|l| l.contains("no!site")).count();
    assert_eq!(lines, 1, "{log}");
}
