//! `snapshot --format text` with names and ids that are wide (CJK, emoji),
//! zero-width-joined (an emoji family, a Devanagari conjunct) or carry
//! combining marks: every column of both tables starts (left-aligned) or
//! ends (right-aligned) at the header's column, counted in terminal
//! columns as unicode-width counts them (as the view does).

use std::path::Path;
use std::process::Command;

use unicode_width::UnicodeWidthStr;

fn text_snapshot() -> String {
    let feed = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/resources/text/wide-names.jsonl");
    let out = Command::new(env!("CARGO_BIN_EXE_queuetop"))
        .args(["snapshot", "--replay"])
        .arg(&feed)
        .args(["--format", "text"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

/// Terminal column where byte `at` of `line` is drawn.
fn col(line: &str, at: usize) -> usize {
    line[..at].width()
}

/// The header's cells: (start column, end column) of each.
fn header(line: &str) -> Vec<(usize, usize)> {
    tokens(line)
        .into_iter()
        .map(|(at, t)| (col(line, at), col(line, at + t.len())))
        .collect()
}

/// Whitespace-separated tokens with their byte offsets.
fn tokens(s: &str) -> Vec<(usize, &str)> {
    let mut out = Vec::new();
    let mut start = None;
    for (i, c) in s.char_indices() {
        match (c == ' ', start) {
            (true, Some(b)) => {
                out.push((b, &s[b..i]));
                start = None;
            }
            (false, None) => start = Some(i),
            _ => {}
        }
    }
    if let Some(b) = start {
        out.push((b, &s[b..]));
    }
    out
}

/// Byte offset of `cell` in `line` at or after `from`.
fn find(line: &str, cell: &str, from: usize) -> usize {
    from + line[from..]
        .find(cell)
        .unwrap_or_else(|| panic!("{cell:?} not in {line:?}"))
}

/// The rows of the table whose header starts with `first`.
fn table<'a>(out: &'a str, first: &str) -> (&'a str, Vec<&'a str>) {
    let mut lines = out.lines().skip_while(|l| !l.starts_with(first));
    let head = lines.next().unwrap_or_else(|| panic!("no {first} table"));
    (head, lines.take_while(|l| !l.is_empty()).collect())
}

/// Right-aligned cells, the last `n` of the row: each ends where its
/// header ends.
fn check_right(line: &str, head: &[(usize, usize)], n: usize) {
    let toks = tokens(line);
    let cells = &toks[toks.len() - n..];
    for (j, (at, t)) in cells.iter().enumerate() {
        let c = head.len() - n + j;
        assert_eq!(
            col(line, at + t.len()),
            head[c].1,
            "column {c} ({t:?}) does not end under its header in {line:?}"
        );
    }
}

#[test]
fn text_tables_align_by_display_width() {
    let out = text_snapshot();

    let (head_line, rows) = table(&out, "QUEUE ");
    let head = header(head_line);
    let queues = [
        ("billing", "账单 服务"),
        ("sales", "Ventas 🎧"),
        ("サポート", "Soporte te\u{301}cnico"),
    ];
    assert_eq!(rows.len(), queues.len() + 1, "{out}");
    for (id, name) in queues {
        let line = rows
            .iter()
            .find(|l| l.starts_with(&format!("{id} ")))
            .unwrap_or_else(|| panic!("no row for {id}: {out}"));
        let at = find(line, name, id.len());
        assert_eq!(col(line, at), head[1].0, "NAME of {id}: {line:?}");
        check_right(line, &head, head.len() - 2);
    }
    let total = rows.last().unwrap();
    assert!(total.starts_with("TOTAL "), "{out}");
    check_right(total, &head, head.len() - 2);

    let (head_line, rows) = table(&out, "AGENT ");
    let head = header(head_line);
    // (id, name, state cell, queues cell, contacts cell)
    let agents = [
        ("a1", "王小明", "on_contact", "billing", "c1 108s"),
        ("a2", "Ana 🎧", "away (lunch)", "sales", ""),
        (
            "a3",
            "👩\u{200d}👩\u{200d}👧 Team",
            "available",
            "sales,サポート",
            "",
        ),
        (
            "a4",
            "Jose\u{301} Nu\u{303}n\u{303}ez",
            "available",
            "サポート",
            "",
        ),
        ("a5", "क्\u{200d}षमा", "available", "billing", ""),
        ("工号7", "Dana Ruiz", "wrap_up", "billing,sales", ""),
    ];
    assert_eq!(rows.len(), agents.len(), "{out}");
    for (id, name, state, queues, contacts) in agents {
        let line = rows
            .iter()
            .find(|l| l.starts_with(&format!("{id} ")))
            .unwrap_or_else(|| panic!("no row for {id}: {out}"));
        let name_at = find(line, name, id.len());
        assert_eq!(col(line, name_at), head[1].0, "NAME of {id}: {line:?}");
        let state_at = find(line, state, name_at + name.len());
        assert_eq!(col(line, state_at), head[2].0, "STATE of {id}: {line:?}");
        let rest = state_at + state.len();
        let (for_at, for_s) = tokens(&line[rest..])[0];
        assert_eq!(
            col(line, rest + for_at),
            head[3].0,
            "FOR_S of {id}: {line:?}"
        );
        let queues_at = find(line, queues, rest + for_at + for_s.len());
        assert_eq!(col(line, queues_at), head[4].0, "QUEUES of {id}: {line:?}");
        if !contacts.is_empty() {
            let at = find(line, contacts, queues_at + queues.len());
            assert_eq!(col(line, at), head[5].0, "CONTACTS of {id}: {line:?}");
        }
        check_right(line, &head, 2);
    }
}

/// The interval beside the window, as the JSON's `interval` block: a
/// second table after the queues', headed by the interval's start.
#[test]
fn the_text_has_the_interval_table_with_the_jsons_figures() {
    let dir = tempfile::tempdir().unwrap();
    let feed = dir.path().join("interval.jsonl");
    std::fs::write(
        &feed,
        [
            r#"{"type":"queue.info","ts":"2026-11-23T09:00:00Z","queue":"q1","name":"One"}"#,
            r#"{"type":"contact.queued","ts":"2026-11-23T09:25:00Z","contact_id":"c1","queue":"q1"}"#,
            r#"{"type":"contact.abandoned","ts":"2026-11-23T09:26:00Z","contact_id":"c1"}"#,
            r#"{"type":"contact.queued","ts":"2026-11-23T09:35:00Z","contact_id":"c2","queue":"q1"}"#,
            r#"{"type":"contact.abandoned","ts":"2026-11-23T09:36:00Z","contact_id":"c2"}"#,
            r#"{"type":"heartbeat","ts":"2026-11-23T09:40:00Z"}"#,
        ]
        .join("\n"),
    )
    .unwrap();
    let run = |format: &str| {
        let out = Command::new(env!("CARGO_BIN_EXE_queuetop"))
            .args(["snapshot", "--replay"])
            .arg(&feed)
            .args(["--window", "1h", "--format", format])
            .output()
            .unwrap();
        assert!(out.status.success());
        String::from_utf8(out.stdout).unwrap()
    };
    let json: serde_json::Value = serde_json::from_str(&run("json")).unwrap();
    assert_eq!(json["totals"]["entered"], 2, "the hour's window");
    assert_eq!(json["interval"]["totals"]["entered"], 1, "09:30 to now");
    let text = run("text");
    let (_, interval) = text
        .split_once("interval from 2026-11-23T09:30:00Z   600 s of 1800 s\n")
        .unwrap_or_else(|| panic!("no interval heading in\n{text}"));
    let total_entered = |table: &str| -> String {
        let mut lines = table.lines().skip_while(|l| !l.starts_with("QUEUE"));
        let head = tokens(lines.next().unwrap());
        let col = head.iter().position(|(_, t)| *t == "ENTERED").unwrap();
        let total = lines.find(|l| l.starts_with("TOTAL")).unwrap();
        // TOTAL's empty NAME cell leaves one token fewer than the header.
        tokens(total)[col - 1].1.to_string()
    };
    assert_eq!(total_entered(&text), "2");
    assert_eq!(total_entered(interval), "1");
}
