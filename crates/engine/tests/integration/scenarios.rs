//! Scenario fixtures: each `tests/resources/scenarios/NAME.jsonl` is a feed,
//! replayed through the real decoder and floor; `NAME.expected.json` holds the
//! figures computed by hand (a subset of the snapshot: every key given must
//! match, arrays element by element). An optional `NAME.toml` is the config.

use std::path::{Path, PathBuf};

use queuetop_engine::config;
use queuetop_engine::floor::Floor;
use queuetop_engine::monitor::{Monitor, SourceInfo, SourceKind};
use queuetop_engine::replay::apply_all;
use queuetop_engine::snapshot;
use serde_json::Value;

fn dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/resources/scenarios")
}

fn run(feed: &Path) -> Value {
    let cfg_path = feed.with_extension("toml");
    let text = std::fs::read_to_string(&cfg_path).unwrap_or_default();
    let mut file = config::parse(&text).expect("scenario config");
    // Fixtures must not depend on the machine's time zone.
    file.timezone.get_or_insert_with(|| "UTC".into());
    let metrics = config::metrics(&file, None).expect("scenario metrics");
    let source = SourceInfo {
        kind: SourceKind::Replay,
        target: "scenario".into(),
    };
    let mut m = Monitor::new(
        Floor::new(metrics.settings),
        source,
        queuetop_engine::dialect::DialectKind::Native.make(),
    );
    let input = std::io::BufReader::new(std::fs::File::open(feed).expect("feed"));
    apply_all(&mut m, input, 1 << 20).expect("replay");
    m.set_link(queuetop_engine::health::LinkState::Ended);
    serde_json::to_value(snapshot::build(&m, metrics.window.kind(), None, 5_000)).expect("json")
}

/// Checks that every key of `want` is in `got` with an equal value; numbers
/// are compared to 1e-9.
fn subset(want: &Value, got: &Value, path: &str, errors: &mut Vec<String>) {
    match (want, got) {
        (Value::Object(w), Value::Object(g)) => {
            for (k, wv) in w {
                match g.get(k) {
                    Some(gv) => subset(wv, gv, &format!("{path}.{k}"), errors),
                    None => errors.push(format!("{path}.{k}: missing")),
                }
            }
        }
        (Value::Array(w), Value::Array(g)) => {
            if w.len() != g.len() {
                errors.push(format!("{path}: {} items, expected {}", g.len(), w.len()));
            }
            for (i, (wv, gv)) in w.iter().zip(g).enumerate() {
                subset(wv, gv, &format!("{path}[{i}]"), errors);
            }
        }
        (Value::Number(w), Value::Number(g)) => {
            let (w, g) = (
                w.as_f64().unwrap_or(f64::NAN),
                g.as_f64().unwrap_or(f64::NAN),
            );
            if (w - g).abs() > 1e-9 {
                errors.push(format!("{path}: {g}, expected {w}"));
            }
        }
        (w, g) if w == g => {}
        (w, g) => errors.push(format!("{path}: {g}, expected {w}")),
    }
}

#[test]
fn every_scenario_matches_its_hand_computed_figures() {
    let mut feeds: Vec<PathBuf> = std::fs::read_dir(dir())
        .expect("scenario dir")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "jsonl"))
        .collect();
    feeds.sort();
    assert!(feeds.len() >= 10, "scenarios missing: {feeds:?}");
    let mut failures = Vec::new();
    for feed in &feeds {
        let expected_path = feed.with_extension("expected.json");
        let want: Value =
            serde_json::from_str(&std::fs::read_to_string(&expected_path).expect("expected file"))
                .unwrap_or_else(|e| panic!("{}: {e}", expected_path.display()));
        let got = run(feed);
        let mut errors = Vec::new();
        subset(&want, &got, "", &mut errors);
        if !errors.is_empty() {
            let name = feed
                .file_stem()
                .unwrap_or_default()
                .to_string_lossy()
                .to_string();
            failures.push(format!(
                "{name}:\n  {}\n  got: {}",
                errors.join("\n  "),
                got
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}
