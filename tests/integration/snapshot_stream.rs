//! `queuetop snapshot --every DUR [--count N]`: a stream for scripts,
//! through real pipes.

use std::io::{BufRead, BufReader, Read};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use serde_json::Value;

fn bin() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_queuetop"));
    c.env("XDG_CONFIG_HOME", env!("CARGO_MANIFEST_DIR"))
        .env_remove("HOME")
        .env("TZ", "UTC");
    c
}

fn resource(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/resources")
        .join(name)
}

/// `snapshot --demo --every 1s --count 3 | head -1`: the reader takes one
/// line and closes the pipe; the next write fails and the run ends with
/// status 0 and nothing on stderr.
#[test]
fn a_reader_that_goes_away_ends_the_stream_cleanly() {
    let mut child = bin()
        .args(["snapshot", "--demo", "--every", "1s", "--count", "3"])
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start queuetop");
    let mut out = BufReader::new(child.stdout.take().unwrap());
    let mut line = String::new();
    out.read_line(&mut line).unwrap();
    let v: Value = serde_json::from_str(&line).expect("one JSON object on the first line");
    assert_eq!(v["source"]["kind"], "demo");
    drop(out);
    let mut err = String::new();
    child
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut err)
        .unwrap();
    let status = child.wait().unwrap();
    assert!(status.success(), "{status}: {err}");
    assert!(err.is_empty(), "stderr: {err}");
}

#[test]
fn count_lines_of_json_one_object_each() {
    let out = bin()
        .args(["snapshot", "--demo", "--every", "200ms", "--count", "3"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8(out.stdout).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 3, "{text}");
    let nows: Vec<String> = lines
        .iter()
        .map(|l| {
            let v: Value = serde_json::from_str(l).expect("a JSON object a line");
            assert_eq!(v["version"], 1);
            v["now"].as_str().unwrap().to_string()
        })
        .collect();
    assert!(nows.windows(2).all(|w| w[0] <= w[1]), "{nows:?}");
}

#[test]
fn text_tables_repeat_with_a_separator_between() {
    let out = bin()
        .args([
            "snapshot", "--demo", "--every", "200ms", "--count", "2", "--format", "text",
        ])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8(out.stdout).unwrap();
    let parts: Vec<&str> = text.split("\n---\n").collect();
    assert_eq!(parts.len(), 2, "{text}");
    assert_eq!(text.lines().filter(|l| *l == "---").count(), 1);
    let first_line = |s: &str| {
        s.lines()
            .next()
            .unwrap_or("")
            .split_whitespace()
            .next()
            .map(str::to_string)
    };
    assert_eq!(
        first_line(parts[0]),
        first_line(parts[1]),
        "the same tables again"
    );
}

/// A replay at full speed ends before the first beat: one line, its last
/// figures, as the one-shot snapshot prints them.
#[test]
fn a_replay_that_ends_prints_its_last_figures_once() {
    let feed = resource("sample-day.jsonl");
    let run = |extra: &[&str]| {
        let out = bin()
            .args(["snapshot", "--replay"])
            .arg(&feed)
            .args(["--speed", "max"])
            .args(extra)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).unwrap()
    };
    let stream = run(&["--every", "1h", "--count", "5"]);
    assert_eq!(stream.lines().count(), 1, "{stream}");
    let once: Value = serde_json::from_str(&run(&[])).unwrap();
    let streamed: Value = serde_json::from_str(&stream).unwrap();
    assert_eq!(streamed, once);
}

#[test]
fn bad_every_and_count_are_usage_errors() {
    for args in [
        &["snapshot", "--demo", "--every", "0s"][..],
        &["snapshot", "--demo", "--every", "soon"],
        &["snapshot", "--demo", "--count", "2"],
        &["snapshot", "--demo", "--every", "1s", "--count", "0"],
    ] {
        let out = bin().args(args).output().unwrap();
        assert_eq!(
            out.status.code(),
            Some(2),
            "{args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
}

/// `snapshot --replay` of a named pipe whose writer writes the whole day
/// and goes: the file is opened once, so nothing the writer sent is lost
/// and the run ends (opened twice, the first open took the writer's lines
/// and the second waited for another writer forever).
#[test]
fn a_named_pipe_is_read_once_to_its_end() {
    let dir = tempfile::tempdir().unwrap();
    let fifo = dir.path().join("feed.fifo");
    let made = Command::new("mkfifo").arg(&fifo).status().expect("mkfifo");
    assert!(made.success());
    let day = std::fs::read(resource("sample-day.jsonl")).unwrap();
    let writer = {
        let fifo = fifo.clone();
        let day = day.clone();
        // Opening a pipe to write waits for its reader.
        std::thread::spawn(move || std::fs::write(&fifo, day).expect("write the pipe"))
    };
    let mut child = bin()
        .args(["snapshot", "--replay"])
        .arg(&fifo)
        .args(["--speed", "max", "--format", "json"])
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start queuetop");
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    while child.try_wait().unwrap().is_none() {
        if std::time::Instant::now() > deadline {
            let _ = child.kill();
            panic!("snapshot of a named pipe did not end");
        }
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    writer.join().unwrap();
    let mut out = String::new();
    child
        .stdout
        .take()
        .unwrap()
        .read_to_string(&mut out)
        .unwrap();
    let v: Value = serde_json::from_str(&out).expect("the snapshot's JSON");
    let file = bin()
        .args(["snapshot", "--replay"])
        .arg(resource("sample-day.jsonl"))
        .args(["--speed", "max", "--format", "json"])
        .output()
        .unwrap();
    let f: Value = serde_json::from_slice(&file.stdout).unwrap();
    assert_eq!(v["feed"]["events"], f["feed"]["events"], "{out}");
    assert_eq!(v["totals"], f["totals"]);
}
