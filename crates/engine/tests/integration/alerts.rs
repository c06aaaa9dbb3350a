//! Alert scenarios: each `tests/resources/alerts/NAME.jsonl` is a feed,
//! `NAME.toml` its config and `NAME.expected.json` the crossings and returns
//! computed by hand (with the reasoning in its `why`). The feed is replayed
//! through the real decoder and floor; the engine looks once a second of
//! feed time, after the events of that second, as the screen does.

use std::path::{Path, PathBuf};

use queuetop_engine::alert::{Active, Engine, FeedHealthInput, Level};
use queuetop_engine::config;
use queuetop_engine::floor::{Floor, QueueIdx};
use queuetop_engine::monitor::{Monitor, SourceInfo, SourceKind};
use queuetop_engine::time::Ts;
use serde_json::{Value, json};

fn dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/resources/alerts")
}

fn ts(v: &Value) -> Ts {
    match v {
        Value::String(s) => Ts::parse_rfc3339(s).expect("timestamp"),
        Value::Number(n) => Ts(n.as_i64().expect("epoch ms")),
        other => panic!("not a time: {other}"),
    }
}

fn level(l: Level) -> &'static str {
    l.as_str()
}

fn active_json(a: &Active<'_>) -> Value {
    json!({
        "rule": a.rule,
        "subject": a.subject_id,
        "level": level(a.level),
        "since": jiff::Timestamp::from_millisecond(a.since.0).unwrap().to_string(),
        "value": a.value,
    })
}

/// Every key of `want` equals the one in `got` (numbers to 1e-6).
fn matches(want: &Value, got: &Value) -> bool {
    match (want, got) {
        (Value::Object(w), Value::Object(g)) => w
            .iter()
            .all(|(k, wv)| g.get(k).is_some_and(|gv| matches(wv, gv))),
        (Value::Number(w), Value::Number(g)) => {
            (w.as_f64().unwrap() - g.as_f64().unwrap()).abs() < 1e-6
        }
        (Value::String(w), Value::String(g)) if w.ends_with('Z') && g.ends_with('Z') => {
            Ts::parse_rfc3339(w) == Ts::parse_rfc3339(g)
        }
        (w, g) => w == g,
    }
}

fn run(feed: &Path) -> Vec<String> {
    let text = std::fs::read_to_string(feed.with_extension("toml")).unwrap_or_default();
    let mut file = config::parse(&text).expect("config");
    file.timezone.get_or_insert_with(|| "UTC".into());
    let metrics = config::metrics(&file, None).expect("metrics");
    let rules = config::rules(&file).expect("rules");
    let want: Value = serde_json::from_str(
        &std::fs::read_to_string(feed.with_extension("expected.json")).expect("expected"),
    )
    .expect("expected json");
    let mut m = Monitor::new(
        Floor::new(metrics.settings),
        SourceInfo::new(SourceKind::Replay, "alerts"),
        queuetop_engine::dialect::DialectKind::Native.make(),
    );
    let lines: Vec<String> = std::fs::read_to_string(feed)
        .expect("feed")
        .lines()
        .map(str::to_string)
        .collect();
    let at = |l: &str| ts(&serde_json::from_str::<Value>(l).expect("line")["ts"]);
    let until = ts(&want["until"]);
    let down: Vec<(Ts, Ts)> = want["down"]
        .as_array()
        .map(|d| d.iter().map(|p| (ts(&p[0]), ts(&p[1]))).collect())
        .unwrap_or_default();
    let mut engine = Engine::new(rules);
    let mut changes = Vec::new();
    let mut errors = Vec::new();
    let mut next = 0;
    let mut now = at(&lines[0]);
    while now <= until {
        while next < lines.len() && at(&lines[next]) <= now {
            m.replay_frame(&lines[next]);
            next += 1;
        }
        m.floor.advance(now);
        m.floor.settle();
        let health = FeedHealthInput {
            stale_for: m.floor.latest_event().map(|t| now.since(t)),
            disconnected_for: down
                .iter()
                .find(|(a, b)| *a <= now && now < *b)
                .map(|(a, _)| now.since(*a)),
            resyncing_for: None,
        };
        let eval = engine.evaluate(&m.floor, &health, now);
        for c in &eval.changes {
            changes.push(json!({
                "at": jiff::Timestamp::from_millisecond(c.at.0).unwrap().to_string(),
                "rule": engine.rules().name(c.rule),
                "subject": &*c.subject_id,
                "to": level(c.to),
            }));
        }
        for check in want["active_at"].as_array().into_iter().flatten() {
            if ts(&check["at"]) != now {
                continue;
            }
            let mut got: Vec<Value> = engine.active().map(|a| active_json(&a)).collect();
            got.sort_by_key(|v| v["rule"].to_string() + &v["subject"].to_string());
            let exp = check["alerts"].as_array().unwrap();
            if got.len() != exp.len() || !exp.iter().zip(&got).all(|(w, g)| matches(w, g)) {
                errors.push(format!(
                    "active at {}: got {got:?}, want {exp:?}",
                    check["at"]
                ));
            }
        }
        for check in want["forecasts_at"].as_array().into_iter().flatten() {
            if ts(&check["at"]) != now {
                continue;
            }
            let q = m
                .floor
                .queue_index(check["queue"].as_str().unwrap())
                .unwrap();
            let f = eval.forecasts[q.0 as usize];
            assert_eq!(f.queue, Some(QueueIdx(q.0)));
            let s = f.staffing.expect("staffing forecast");
            let got = json!({
                "critical_in_s": f.critical_in_s, "traffic": s.traffic, "needed": s.needed,
                "staffed": s.staffed, "aht_s": s.aht_s,
            });
            if !matches(check, &{
                let mut g = got.clone();
                g["at"] = check["at"].clone();
                g["queue"] = check["queue"].clone();
                g
            }) {
                errors.push(format!("forecast at {}: got {got}", check["at"]));
            }
        }
        now = now.plus(1000);
    }
    if let Some(exp) = want["changes"].as_array() {
        if exp.len() != changes.len() || !exp.iter().zip(&changes).all(|(w, g)| matches(w, g)) {
            errors.push(format!(
                "changes:\n  got  {}\n  want {}",
                serde_json::to_string(&changes).unwrap(),
                serde_json::to_string(exp).unwrap()
            ));
        }
    }
    errors
}

#[test]
fn every_alert_scenario_matches_its_hand_computed_changes() {
    let mut feeds: Vec<PathBuf> = std::fs::read_dir(dir())
        .expect("dir")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "jsonl"))
        .collect();
    feeds.sort();
    assert!(feeds.len() >= 4, "scenarios missing: {feeds:?}");
    let failures: Vec<String> = feeds
        .iter()
        .flat_map(|f| {
            let name = f.file_stem().unwrap().to_string_lossy().to_string();
            run(f).into_iter().map(move |e| format!("{name}: {e}"))
        })
        .collect();
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

#[test]
fn a_gap_makes_window_figures_uncertain_until_the_window_rolls_past() {
    let mut file = config::parse("window = \"60s\"").unwrap();
    file.timezone = Some("UTC".into());
    let metrics = config::metrics(&file, None).unwrap();
    let mut m = Monitor::new(
        Floor::new(metrics.settings),
        SourceInfo::new(SourceKind::Replay, "gap"),
        queuetop_engine::dialect::DialectKind::Native.make(),
    );
    m.replay_frame(r#"{"type":"heartbeat","ts":"2026-11-23T09:00:00Z","seq":1}"#);
    assert_eq!(
        m.floor
            .uncertain_since(queuetop_engine::floor::WindowKind::Rolling),
        None
    );
    m.replay_frame(r#"{"type":"heartbeat","ts":"2026-11-23T09:00:10Z","seq":5}"#);
    let u = m
        .floor
        .uncertain_since(queuetop_engine::floor::WindowKind::Rolling)
        .unwrap();
    assert_eq!(u.since, Ts::parse_rfc3339("2026-11-23T09:00:10Z").unwrap());
    assert!(u.reasons.gap);
    assert!(
        m.floor
            .uncertain_since(queuetop_engine::floor::WindowKind::Today)
            .is_some()
    );
    m.floor
        .advance(Ts::parse_rfc3339("2026-11-23T09:01:09.999Z").unwrap());
    assert!(
        m.floor
            .uncertain_since(queuetop_engine::floor::WindowKind::Rolling)
            .is_some()
    );
    m.floor
        .advance(Ts::parse_rfc3339("2026-11-23T09:01:10Z").unwrap());
    assert_eq!(
        m.floor
            .uncertain_since(queuetop_engine::floor::WindowKind::Rolling),
        None
    );
    // A snapshot that repeats the state held hides nothing: no resync.
    m.replay_frame(
        r#"{"type":"contact.queued","ts":"2026-11-23T09:01:15Z","seq":6,"contact_id":"c1","queue":"q"}"#,
    );
    m.replay_frame(r#"{"type":"snapshot","ts":"2026-11-23T09:01:16Z","queues":[{"queue":"q","waiting":[{"contact_id":"c1","since":"2026-11-23T09:01:15Z"}]}],"agents":[]}"#);
    assert_eq!(
        m.floor
            .uncertain_since(queuetop_engine::floor::WindowKind::Rolling),
        None
    );
    // One that drops a contact we held (ended unseen) is a resync.
    m.replay_frame(r#"{"type":"snapshot","ts":"2026-11-23T09:01:20Z","queues":[],"agents":[]}"#);
    let u = m
        .floor
        .uncertain_since(queuetop_engine::floor::WindowKind::Rolling)
        .unwrap();
    assert!(u.reasons.resync && !u.reasons.gap);
}

/// The monitor runs the same rules as the file is replayed into it (once
/// per second of feed time, after that second's events, and once at the
/// last event): the changes up to the file's last event are the ones the
/// scenario computes by hand. Scenarios with a link going down need the
/// harness's `down` and are left out.
#[test]
fn a_replayed_monitor_finds_the_same_changes_as_the_scenarios() {
    let mut checked = 0;
    for name in ["01-queue-for-and-clear", "02-agents", "05-active-at-end"] {
        let feed = dir().join(format!("{name}.jsonl"));
        let text = std::fs::read_to_string(feed.with_extension("toml")).unwrap();
        let mut file = config::parse(&text).unwrap();
        file.timezone.get_or_insert_with(|| "UTC".into());
        let want: Value = serde_json::from_str(
            &std::fs::read_to_string(feed.with_extension("expected.json")).unwrap(),
        )
        .unwrap();
        let mut m = Monitor::new(
            Floor::new(config::metrics(&file, None).unwrap().settings),
            SourceInfo::new(SourceKind::Replay, name),
            queuetop_engine::dialect::DialectKind::Native.make(),
        );
        m.set_alert_rules(config::rules(&file).unwrap());
        let lines = std::fs::read_to_string(&feed).unwrap();
        for l in lines.lines() {
            m.replay_frame(l);
        }
        m.look_alerts(None);
        let end = m.floor.now();
        let got: Vec<Value> = m
            .alert_changes_since(0)
            .items
            .map(|c| {
                json!({
                    "at": jiff::Timestamp::from_millisecond(c.at.0).unwrap().to_string(),
                    "rule": m.alert_engine().rules().name(c.rule),
                    "subject": &*c.subject_id,
                    "to": level(c.to),
                })
            })
            .collect();
        let exp: Vec<&Value> = want["changes"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|c| ts(&c["at"]) <= end)
            .collect();
        assert!(!exp.is_empty(), "{name}: nothing to compare");
        assert_eq!(got.len(), exp.len(), "{name}: got {got:?}");
        for (g, w) in got.iter().zip(&exp) {
            assert!(matches(w, g), "{name}: got {g}, want {w}");
        }
        assert_eq!(m.alert_seq(), got.len() as u64);
        assert_eq!(m.alert_changes_since(m.alert_seq()).items.count(), 0);
        checked += 1;
    }
    assert_eq!(checked, 3);
}
