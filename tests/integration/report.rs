//! `queuetop report`: a postmortem from a scenario file. Its tables are held
//! to the snapshot at each interval's end, its HTML and SVG charts are
//! rendered by headless Chromium, and a hostile recording leaves no control
//! character or markup in it.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::Value;

fn bin() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_queuetop"));
    c.env("XDG_CONFIG_HOME", "/nonexistent");
    c
}

fn scenario(ext: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/resources/scenarios")
        .join(format!("42-interval-beside-the-day.{ext}"))
}

fn ok(o: Output) -> String {
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    String::from_utf8(o.stdout).expect("UTF-8")
}

/// The rows of the Markdown table under `### heading`, as cells.
fn table(md: &str, heading: &str) -> Vec<Vec<String>> {
    md.split(&format!("\n### {heading}\n"))
        .nth(1)
        .expect("the section")
        .lines()
        .skip_while(|l| !l.starts_with('|'))
        .take_while(|l| l.starts_with('|'))
        .skip(2)
        .map(|l| {
            l.trim_matches('|')
                .split('|')
                .map(|c| c.trim().to_string())
                .collect()
        })
        .collect()
}

fn cell(v: &Value) -> String {
    v.as_f64().map_or("-".to_string(), |f| format!("{f:.1}"))
}

/// The snapshot's `interval` block after the events before `end`.
fn interval_at(end: &str, dir: &Path) -> Value {
    let text = std::fs::read_to_string(scenario("jsonl")).expect("feed");
    let prefix: String = text
        .lines()
        .filter(|l| {
            let v: Value = serde_json::from_str(l).expect("a JSON line");
            v["ts"].as_str().expect("ts") < end
        })
        .map(|l| format!("{l}\n"))
        .collect();
    let path = dir.join(format!("prefix-{}.jsonl", end.replace(':', "")));
    std::fs::write(&path, prefix).expect("prefix");
    let out = ok(bin()
        .args(["snapshot", "--speed", "max", "--format", "json", "--replay"])
        .arg(&path)
        .arg("--config")
        .arg(scenario("toml"))
        .output()
        .expect("snapshot"));
    let v: Value = serde_json::from_str(&out).expect("json");
    v["interval"].clone()
}

#[test]
fn the_tables_match_the_snapshot_at_each_interval_end() {
    let dir = tempfile::tempdir().expect("tempdir");
    let md = ok(bin()
        .args(["report", "--replay"])
        .arg(scenario("jsonl"))
        .arg("--config")
        .arg(scenario("toml"))
        .output()
        .expect("report"));
    // Kolkata's hour intervals end at half past UTC hours; the last one at
    // the recording's end.
    let ends = [
        ("2026-11-23T05:30:00Z", "10:00-11:00"),
        ("2026-11-23T06:30:00Z", "11:00-12:00"),
        ("2026-11-23T06:40:01Z", "12:00-12:10"),
    ];
    for heading in ["all queues", "q"] {
        let rows = table(&md, heading);
        assert_eq!(rows.len(), ends.len(), "{heading}: {rows:?}\n{md}");
        for (row, (end, label)) in rows.iter().zip(ends) {
            let block = interval_at(end, dir.path());
            let f = if heading == "q" {
                &block["queues"][0]
            } else {
                &block["totals"]
            };
            let want = vec![
                label.to_string(),
                f["entered"].to_string(),
                f["answered"].to_string(),
                f["abandoned"].to_string(),
                cell(&f["service_level_pct"]),
                cell(&f["asa_s"]),
                cell(&f["abandon_rate_pct"]),
                cell(&f["aht_s"]),
                cell(&f["max_wait_s"]),
            ];
            assert_eq!(row, &want, "{heading} at {end}");
        }
    }
    // Hand-computed (tests/resources/scenarios/README.md, 42): the middle
    // hour served c2 in 10 s and c4 in 40 s and lost c3.
    assert_eq!(
        table(&md, "all queues")[1],
        [
            "11:00-12:00",
            "3",
            "2",
            "1",
            "33.3",
            "25.0",
            "33.3",
            "730.0",
            "60.0"
        ]
    );
}

/// Runs headless Chromium on `url`, returning the DOM it built.
fn chromium_dom(url: &str, profile: &Path) -> String {
    let v = Command::new("chromium").arg("--version").output();
    assert!(
        v.is_ok_and(|o| o.status.success()),
        "chromium is required for this test (apt-get install chromium)"
    );
    let out = Command::new("chromium")
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--dump-dom",
        ])
        .arg(format!("--user-data-dir={}", profile.display()))
        .arg(url)
        .output()
        .expect("chromium runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).to_string()
}

#[test]
fn the_html_renders_in_chromium_and_the_svg_charts_parse() {
    let dir = tempfile::tempdir().expect("tempdir");
    let html = dir.path().join("pm.html");
    ok(bin()
        .args(["report", "--format", "html", "--replay"])
        .arg(scenario("jsonl"))
        .arg("--config")
        .arg(scenario("toml"))
        .arg("--out")
        .arg(&html)
        .output()
        .expect("report"));
    let profile = dir.path().join("chromium-profile");
    let dom = chromium_dom(&format!("file://{}", html.display()), &profile);
    assert!(dom.contains("<h1>Postmortem: "), "{dom}");
    assert_eq!(
        dom.matches("<table class=\"intervals\">").count(),
        2,
        "{dom}"
    );
    // One chart per scope, inline, each with its four panels.
    assert_eq!(dom.matches("<svg").count(), 2, "{dom}");
    assert!(dom.contains("service level % (rolling window)"));

    let md = dir.path().join("pm.md");
    let text = ok(bin()
        .args(["report", "--replay"])
        .arg(scenario("jsonl"))
        .arg("--config")
        .arg(scenario("toml"))
        .arg("--out")
        .arg(&md)
        .output()
        .expect("report"));
    assert!(text.is_empty(), "--out writes nothing to stdout");
    let md_text = std::fs::read_to_string(&md).expect("markdown");
    for link in ["pm-charts/00-all.svg", "pm-charts/01-q.svg"] {
        assert!(md_text.contains(&format!("]({link})")), "{md_text}");
        let svg = dir.path().join(link);
        let dom = chromium_dom(&format!("file://{}", svg.display()), &profile);
        // An SVG that is not well-formed XML shows Chromium's parser error.
        assert!(
            dom.contains("<svg") && !dom.contains("parsererror"),
            "{link}: {dom}"
        );
        assert!(dom.contains("abandon rate %"), "{link}");
    }
}

#[test]
fn the_span_is_the_recordings_own_and_no_row_has_no_time() {
    // The sample day runs from 09:20:00 to 09:30:00 exactly, an interval's
    // end (the default intervals are half hours).
    let day = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/resources/sample-day.jsonl");
    let md = ok(bin()
        .env("TZ", "UTC")
        .args(["report", "--replay"])
        .arg(&day)
        .output()
        .expect("report"));
    assert!(
        md.contains("From 09:20:00 (2026-11-23T09:20:00Z) to 09:30:00 (2026-11-23T09:30:00Z)"),
        "{md}"
    );
    let rows = table(&md, "all queues");
    assert_eq!(rows.len(), 1, "{rows:?}");
    assert_eq!(rows[0][0], "09:00-09:30");
    assert_eq!(rows[0][1], "7", "{rows:?}");
}

#[test]
fn what_is_counted_on_the_last_boundary_keeps_its_row() {
    // c2 abandons at 09:30:00 exactly, the first instant of the next
    // interval: that interval has no time, but it has c2's abandon.
    let dir = tempfile::tempdir().expect("tempdir");
    let file = dir.path().join("boundary.jsonl");
    std::fs::write(
        &file,
        [
            r#"{"type":"queue.info","ts":"2026-11-23T09:20:00Z","queue":"billing","sl_threshold_s":20}"#,
            r#"{"type":"contact.queued","ts":"2026-11-23T09:20:00Z","contact_id":"c1","queue":"billing"}"#,
            r#"{"type":"contact.abandoned","ts":"2026-11-23T09:25:00Z","contact_id":"c1"}"#,
            r#"{"type":"contact.queued","ts":"2026-11-23T09:29:00Z","contact_id":"c2","queue":"billing"}"#,
            r#"{"type":"contact.abandoned","ts":"2026-11-23T09:30:00Z","contact_id":"c2"}"#,
        ]
        .join("\n"),
    )
    .unwrap();
    let report = |extra: &[&str]| {
        ok(bin()
            .env("TZ", "UTC")
            .args(["report", "--replay"])
            .arg(&file)
            .args(extra)
            .output()
            .expect("report"))
    };
    let md = report(&[]);
    let rows = table(&md, "all queues");
    let abandoned: Vec<(&str, &str)> = rows
        .iter()
        .map(|r| (r[0].as_str(), r[3].as_str()))
        .collect();
    assert_eq!(
        abandoned,
        [("09:00-09:30", "1"), ("09:30-09:30", "1")],
        "{md}"
    );
    // A span after the recording's end has no events, and says so.
    let md = report(&["--from", "2026-11-23T11:00:00Z"]);
    assert!(
        md.contains("The recording holds no events in the span reported."),
        "{md}"
    );
}

#[test]
fn a_hostile_recording_leaves_no_control_character_or_markup() {
    let dir = tempfile::tempdir().expect("tempdir");
    let feed = dir.path().join("hostile.jsonl");
    let hostile = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/resources/ui/hostile.jsonl"),
    )
    .expect("fixture");
    let mark = r#"{"type":"queuetop.mark","ts":"2026-11-23T09:00:30Z","note":"<script>alert(1)</script>\u001b[2J\u009b31m|"}"#;
    std::fs::write(&feed, format!("{hostile}{mark}\n")).expect("feed");
    for format in ["markdown", "html"] {
        let out = ok(bin()
            .args(["report", "--format", format, "--replay"])
            .arg(&feed)
            .output()
            .expect("report"));
        let bad: Vec<char> = out
            .chars()
            .filter(|c| *c != '\n' && queuetop_engine::text::is_unsafe(*c))
            .collect();
        assert!(bad.is_empty(), "{format}: {bad:?}");
        assert!(!out.contains("<script>"), "{format}: {out}");
        assert!(
            out.contains("&lt;script&gt;alert(1)&lt;/script&gt;"),
            "{format}: {out}"
        );
    }
}
