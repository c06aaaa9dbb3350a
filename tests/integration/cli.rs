//! The built binary, end to end: `snapshot --replay`, exit codes, messages.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::Value;

fn bin() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_queuetop"));
    // No user config may leak into the tests.
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

fn run(args: &[&str]) -> Output {
    bin().args(args).output().expect("run queuetop")
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).to_string()
}

fn keys(v: &Value) -> Vec<&str> {
    v.as_object()
        .expect("object")
        .keys()
        .map(String::as_str)
        .collect()
}

const FIGURE_KEYS: [&str; 22] = [
    "waiting",
    "longest_wait_s",
    "agents",
    "entered",
    "answered",
    "abandoned",
    "asa_s",
    "service_level_pct",
    "abandon_rate_pct",
    "att_s",
    "avg_hold_s",
    "aht_s",
    "frt_s",
    "fcr_pct",
    "art_s",
    "resolution_s",
    "avg_wait_s",
    "max_wait_s",
    "csat_pct",
    "csat_avg",
    "nps",
    "occupancy_pct",
];

#[test]
fn snapshot_replay_prints_cli_md_json() {
    let feed = resource("sample-day.jsonl");
    let out = run(&[
        "snapshot",
        "--replay",
        feed.to_str().unwrap(),
        "--speed",
        "max",
        "--format",
        "json",
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    let v: Value = serde_json::from_slice(&out.stdout).expect("valid JSON on stdout");
    // Key order as docs/snapshot.md gives it.
    assert_eq!(
        keys(&v),
        [
            "version",
            "now",
            "window_s",
            "uncertain_since",
            "source",
            "feed",
            "totals",
            "queues",
            "agents",
            "alerts",
            "interval"
        ]
    );
    assert_eq!(
        keys(&v["interval"]),
        [
            "start",
            "length_s",
            "window_s",
            "uncertain_since",
            "totals",
            "queues"
        ]
    );
    assert_eq!(v["interval"]["length_s"], 1800);
    assert_eq!(keys(&v["interval"]["totals"]), keys(&v["totals"]));
    assert_eq!(
        v["interval"]["queues"].as_array().map(Vec::len),
        v["queues"].as_array().map(Vec::len)
    );
    assert_eq!(v["version"], 1);
    assert_eq!(v["window_s"], 900);
    assert_eq!(keys(&v["source"]), ["kind", "target"]);
    assert_eq!(v["source"]["kind"], "replay");
    assert_eq!(
        keys(&v["feed"]),
        [
            "state",
            "events",
            "rejected",
            "unknown",
            "duplicates",
            "gaps",
            "priority_ignored",
            "reconnects",
            "last_event_age_s",
            "clock_offset_s"
        ]
    );
    assert_eq!(v["feed"]["state"], "ended");
    assert_eq!(keys(&v["totals"]), FIGURE_KEYS);
    assert_eq!(
        keys(&v["totals"]["agents"]),
        [
            "on_contact",
            "available",
            "busy",
            "wrap_up",
            "away",
            "offline"
        ]
    );
    assert_eq!(keys(&v["totals"]["frt_s"]), ["count", "avg", "p50", "p90"]);
    assert_eq!(keys(&v["totals"]["art_s"]), ["count", "avg", "p90"]);
    assert_eq!(keys(&v["totals"]["resolution_s"]), ["count", "avg"]);
    let queues = v["queues"].as_array().unwrap();
    assert!(!queues.is_empty());
    let mut queue_keys = vec!["queue", "name", "sl_threshold_s", "sl_formula"];
    queue_keys.extend(FIGURE_KEYS);
    queue_keys.extend([
        "waiting_by_channel",
        "longest_available",
        "waiting_by_priority",
        "longest_high_priority",
    ]);
    for q in queues {
        assert_eq!(keys(q), queue_keys);
        for c in q["waiting_by_channel"].as_array().unwrap() {
            assert_eq!(keys(c), ["channel", "waiting", "longest_wait_s"]);
        }
        if !q["longest_available"].is_null() {
            assert_eq!(
                keys(&q["longest_available"]),
                ["agent_id", "name", "available_s"]
            );
        }
        for p in q["waiting_by_priority"].as_array().unwrap() {
            assert_eq!(keys(p), ["priority", "waiting", "longest_wait_s"]);
        }
        if !q["longest_high_priority"].is_null() {
            assert_eq!(
                keys(&q["longest_high_priority"]),
                ["contact_id", "priority", "wait_s"]
            );
        }
    }
    let ids: Vec<&str> = queues
        .iter()
        .map(|q| q["queue"].as_str().unwrap())
        .collect();
    let mut sorted = ids.clone();
    sorted.sort();
    assert_eq!(ids, sorted, "queues sorted by id");
    let agents = v["agents"].as_array().unwrap();
    assert!(!agents.is_empty());
    for a in agents {
        assert_eq!(
            keys(a),
            [
                "agent_id",
                "name",
                "state",
                "reason",
                "state_for_s",
                "queues",
                "contacts",
                "handled",
                "att_s",
                "art_s",
                "csat_avg",
                "occupancy_pct"
            ]
        );
        for c in a["contacts"].as_array().unwrap() {
            assert_eq!(keys(c), ["contact_id", "queue", "talk_s", "on_hold"]);
        }
    }
    let ids: Vec<&str> = agents
        .iter()
        .map(|a| a["agent_id"].as_str().unwrap())
        .collect();
    let mut sorted = ids.clone();
    sorted.sort();
    assert_eq!(ids, sorted, "agents sorted by id");
    // The sample day's figures, computed by hand (see the file's comments).
    assert_eq!(v["now"], "2026-11-23T09:30:00Z");
    assert_eq!(v["feed"]["events"], 29);
    assert_eq!(v["feed"]["rejected"], 1);
    assert_eq!(v["totals"]["waiting"], 2);
    assert_eq!(v["totals"]["longest_wait_s"], 95.0);
    assert_eq!(v["totals"]["answered"], 4);
    assert_eq!(v["totals"]["abandoned"], 1);
    assert_eq!(v["totals"]["asa_s"], 15.0);
    assert_eq!(v["totals"]["service_level_pct"], 60.0);
    assert_eq!(v["totals"]["abandon_rate_pct"], 20.0);
}

#[test]
fn text_format_has_both_tables() {
    let feed = resource("sample-day.jsonl");
    let out = run(&[
        "snapshot",
        "--replay",
        feed.to_str().unwrap(),
        "--format",
        "text",
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        text.contains("QUEUE") && text.contains("AGENT") && text.contains("TOTAL"),
        "{text}"
    );
    assert!(text.lines().any(|l| l.starts_with("billing ")), "{text}");
}

#[test]
fn text_format_marks_nulls_and_never_echoes_control_characters() {
    let dir = tempfile::tempdir().unwrap();
    // A file name can carry escape sequences too; it is shown stripped.
    let feed = dir.path().join("evil\u{1b}]0;pwned\u{7}\u{1b}[2J.jsonl");
    std::fs::write(
        &feed,
        concat!(
            r#"{"type":"agent.state","ts":0,"agent_id":"a1","state":"available","queues":["q"]}"#,
            "\n",
            r#"{"type":"contact.queued","ts":1000,"contact_id":"c1","queue":"q"}"#,
            "\n"
        ),
    )
    .unwrap();
    let f = feed.to_str().unwrap();
    let out = run(&["snapshot", "--replay", f, "--format", "text"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        !text.contains('\u{1b}') && !text.contains('\u{7}'),
        "{text:?}"
    );
    assert!(text.contains("evil]0;pwned[2J.jsonl"), "{text}");
    // No queue.info and no agent name: `-`, as where the JSON has null.
    let row = |first: &str| {
        text.lines()
            .find(|l| l.starts_with(first))
            .unwrap_or_else(|| panic!("no {first} row in {text}"))
            .split_whitespace()
            .nth(1)
            .map(str::to_string)
    };
    assert_eq!(row("q ").as_deref(), Some("-"), "{text}");
    assert_eq!(row("a1 ").as_deref(), Some("-"), "{text}");

    let missing = dir.path().join("gone\u{1b}[2J.jsonl");
    let out = run(&["snapshot", "--replay", missing.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    assert!(
        err.contains("gone[2J.jsonl") && !err.contains('\u{1b}'),
        "{err:?}"
    );
    let out = run(&["snapshot", "--replay", f, "--window", "\u{1b}[2Jsoon"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(!stderr(&out).contains('\u{1b}'), "{:?}", stderr(&out));
}

#[test]
fn window_flag_sets_the_window() {
    let feed = resource("sample-day.jsonl");
    let out = run(&[
        "snapshot",
        "--replay",
        feed.to_str().unwrap(),
        "--window",
        "90s",
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["window_s"], 90);
}

fn one_line_error(o: &Output, code: i32, needle: &str) {
    assert_eq!(o.status.code(), Some(code), "stderr: {}", stderr(o));
    let err = stderr(o);
    assert_eq!(err.trim_end().lines().count(), 1, "one line, got: {err}");
    assert!(err.contains(needle), "{needle:?} not in {err:?}");
    assert!(!err.contains("panicked"), "{err}");
    assert!(o.stdout.is_empty());
}

#[test]
fn errors_are_one_clear_line_with_the_right_status() {
    let feed = resource("sample-day.jsonl");
    let f = feed.to_str().unwrap();
    let dir = resource("");
    let cases: &[(&[&str], &str)] = &[
        (
            &["snapshot", "--replay", "no/such/file.jsonl"],
            "--replay no/such/file.jsonl",
        ),
        (&["snapshot", "--replay", f, "--window", "soon"], "--window"),
        (&["snapshot", "--replay", f, "--window", "0s"], "--window"),
        (&["snapshot", "--replay", f, "--speed", "fast"], "--speed"),
        (&["snapshot", "--replay", f, "--format", "xml"], "--format"),
        (
            &["snapshot", "--replay", f, "--dialect", "klingon"],
            "--dialect",
        ),
        (&["snapshot", "--bogus"], "--bogus"),
        (
            &["snapshot", "--replay", dir.to_str().unwrap()],
            "directory",
        ),
        // The help named is the one that lists the option.
        (
            &["snapshot", "--replay", f, "--format", "yaml"],
            "(queuetop snapshot --help lists every option)",
        ),
        (&["--bogus"], "(queuetop --help lists"),
        // An option's value that names a subcommand is not one.
        (&["--replay", "report", "--bogus"], "(queuetop --help lists"),
        // Flags that would do nothing here are refused, not dropped.
        (
            &["snapshot", "--demo", "--count", "2", "--after", "1s"],
            "--count: only with --every",
        ),
        (
            &["snapshot", "--replay", f, "--after", "2s"],
            "--after: a replay at full speed",
        ),
        // A negative number is a bad value, not an unknown flag.
        (
            &["snapshot", "--replay", f, "--speed", "-1"],
            "not a positive factor",
        ),
    ];
    for (args, needle) in cases {
        one_line_error(&run(args), 2, needle);
    }
}

#[test]
fn a_bad_start_up_filter_or_sort_stops_with_one_line() {
    // Checked before the view needs a terminal: these exit 2 here too.
    one_line_error(
        &run(&["--demo", "--filter", "state:bogus"]),
        2,
        "--filter: 'state:bogus': unknown state `bogus`",
    );
    one_line_error(
        &run(&["--demo", "--filter", "colour:red"]),
        2,
        "unknown field `colour:`",
    );
    one_line_error(
        &run(&["--demo", "--sort", "-bogus"]),
        2,
        "--sort: unknown sort column `bogus`",
    );
    let dir = tempfile::tempdir().unwrap();
    let cfg = dir.path().join("view.toml");
    std::fs::write(&cfg, "[display]\nfilter = \"!\"\n").unwrap();
    let c = cfg.to_str().unwrap();
    one_line_error(&run(&["--demo", "--config", c]), 2, "key `display.filter`");
    std::fs::write(&cfg, "[display]\nsort = \"colour\"\n").unwrap();
    one_line_error(&run(&["--demo", "--config", c]), 2, "key `display.sort`");
    // The flag wins over the config.
    let o = run(&[
        "--demo", "--config", c, "--sort", "SL%:desc", "--filter", "x",
    ]);
    assert_ne!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(!stderr(&o).contains("display.sort"), "{}", stderr(&o));
}

#[test]
fn no_source_says_how_to_start() {
    let o = run(&["snapshot"]);
    one_line_error(&o, 2, "--demo");
    assert!(stderr(&o).contains("--url"));
    let o = run(&[]);
    one_line_error(&o, 2, "--demo");
}

#[test]
fn config_errors_name_the_key_and_line() {
    let dir = tempfile::tempdir().unwrap();
    let cfg = dir.path().join("bad.toml");
    std::fs::write(&cfg, "window = \"15m\"\n\n[defaults]\nwaiting_wran = 3\n").unwrap();
    let feed = resource("sample-day.jsonl");
    let o = run(&[
        "snapshot",
        "--replay",
        feed.to_str().unwrap(),
        "--config",
        cfg.to_str().unwrap(),
    ]);
    one_line_error(&o, 2, "line 4");
    assert!(stderr(&o).contains("waiting_wran"));
    std::fs::write(&cfg, "[queues.billing]\nsl_threshold_s = \"twenty\"\n").unwrap();
    let o = run(&[
        "snapshot",
        "--replay",
        feed.to_str().unwrap(),
        "--config",
        cfg.to_str().unwrap(),
    ]);
    one_line_error(&o, 2, "line 2");
    // A rule given as a bare number says what a rule looks like.
    std::fs::write(&cfg, "[agents.away_reasons]\nlunch = 3600\n").unwrap();
    let o = run(&[
        "snapshot",
        "--replay",
        feed.to_str().unwrap(),
        "--config",
        cfg.to_str().unwrap(),
    ]);
    one_line_error(
        &o,
        2,
        "expected a rule table such as { warn = 60, crit = 180 }",
    );
    let o = run(&[
        "snapshot",
        "--replay",
        feed.to_str().unwrap(),
        "--config",
        "missing.toml",
    ]);
    one_line_error(&o, 2, "missing.toml");
}

#[test]
fn serve_demo_on_a_taken_address_is_a_usage_error() {
    // As --metrics-listen: status 2, the flag named.
    let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = taken.local_addr().unwrap().to_string();
    let o = run(&["serve-demo", "--listen", &addr]);
    one_line_error(&o, 2, &format!("--listen {addr}"));
}

#[test]
fn a_bad_ca_file_is_named_as_its_own_key() {
    let dir = tempfile::tempdir().unwrap();
    let cfg = dir.path().join("ca.toml");
    let missing = dir.path().join("missing-ca.pem");
    let not_pem = dir.path().join("not.pem");
    std::fs::write(&not_pem, "not a certificate\n").unwrap();
    for (ca, says) in [
        (&missing, "missing-ca.pem"),
        (&not_pem, "no PEM certificate"),
    ] {
        std::fs::write(
            &cfg,
            format!(
                "[feed]\nurl = \"wss://127.0.0.1:1/feed\"\nca_file = \"{}\"\n",
                ca.display()
            ),
        )
        .unwrap();
        let o = run(&["snapshot", "--config", cfg.to_str().unwrap()]);
        one_line_error(&o, 2, says);
        // The key at fault, and no other key before it.
        assert!(
            stderr(&o).starts_with("queuetop: key `feed.ca_file`"),
            "{}",
            stderr(&o)
        );
    }
}

#[test]
fn events_dropped_at_a_limit_are_said_in_the_log() {
    // One queue past the 10,000 a floor holds: counted, and logged once.
    let dir = tempfile::tempdir().unwrap();
    let feed = dir.path().join("queues.jsonl");
    let lines: String = (0..10_001)
        .map(|i| {
            format!(
                "{{\"type\":\"queue.info\",\"queue\":\"q{i}\",\"ts\":\"2026-11-23T09:00:00Z\"}}\n"
            )
        })
        .collect();
    std::fs::write(&feed, lines).unwrap();
    let log = dir.path().join("queuetop.log");
    let o = run(&[
        "snapshot",
        "--replay",
        feed.to_str().unwrap(),
        "--log",
        log.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let said = std::fs::read_to_string(&log).unwrap();
    let lines: Vec<&str> = said.lines().filter(|l| l.contains("at a limit")).collect();
    assert_eq!(lines.len(), 1, "{said}");
    assert!(lines[0].contains("so far: 1 "), "{said}");
}

#[test]
fn the_example_config_is_accepted() {
    let feed = resource("sample-day.jsonl");
    let cfg = Path::new(env!("CARGO_MANIFEST_DIR")).join("config.example.toml");
    let o = run(&[
        "snapshot",
        "--replay",
        feed.to_str().unwrap(),
        "--config",
        cfg.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let v: Value = serde_json::from_slice(&o.stdout).unwrap();
    let billing = v["queues"]
        .as_array()
        .unwrap()
        .iter()
        .find(|q| q["queue"] == "billing")
        .unwrap();
    assert_eq!(billing["sl_threshold_s"], 30);
    assert_eq!(billing["name"], "Billing");
}

#[test]
fn help_and_version_exit_zero() {
    let o = run(&["--help"]);
    assert!(o.status.success());
    assert!(String::from_utf8_lossy(&o.stdout).contains("snapshot"));
    let o = run(&["--version"]);
    assert!(o.status.success());
}

/// The URL's scheme picks the transport; one it does not know is a bad
/// command line that lists the ones it does.
#[test]
fn an_unknown_url_scheme_names_the_known_ones() {
    let o = run(&["snapshot", "--url", "http://feeds.example.com/floor"]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    let e = stderr(&o);
    assert!(e.contains("--url"), "{e}");
    assert!(
        e.contains("ws://, wss://, ami://, nats://, tls://, nats+ws:// or nats+wss://"),
        "{e}"
    );
    assert_eq!(e.lines().count(), 1, "{e}");
}

#[test]
fn bash_loads_the_completion_script() {
    let script = run(&["completions", "bash"]);
    assert!(script.status.success(), "{}", stderr(&script));
    let dir = tempfile::tempdir().expect("a temp dir");
    let file = dir.path().join("queuetop.bash");
    std::fs::write(&file, &script.stdout).expect("write the script");
    let out = Command::new("bash")
        .arg("-c")
        .arg(format!(
            "source '{}' && complete -p queuetop",
            file.display()
        ))
        .output()
        .expect("run bash");
    assert!(out.status.success(), "{}", stderr(&out));
    let said = String::from_utf8_lossy(&out.stdout);
    assert!(said.contains("queuetop"), "{said}");
    // Subcommands and flags are completed from the real command line.
    let text = String::from_utf8_lossy(&script.stdout);
    for word in ["snapshot", "serve-demo", "--replay", "--window"] {
        assert!(text.contains(word), "no {word} in the script");
    }
}

#[test]
fn every_shell_gets_a_script() {
    for shell in ["bash", "zsh", "fish", "elvish", "powershell"] {
        let o = run(&["completions", shell]);
        assert!(o.status.success(), "{shell}: {}", stderr(&o));
        assert!(!o.stdout.is_empty(), "{shell}: empty script");
    }
    let o = run(&["completions", "tcsh"]);
    assert_eq!(
        o.status.code(),
        Some(2),
        "an unknown shell is a usage error"
    );
}

#[test]
fn the_manual_page_renders_with_every_command() {
    let page = run(&["man"]);
    assert!(page.status.success(), "{}", stderr(&page));
    let dir = tempfile::tempdir().expect("a temp dir");
    let file = dir.path().join("queuetop.1");
    std::fs::write(&file, &page.stdout).expect("write the page");
    let out = Command::new("man")
        .arg("-l")
        .arg(&file)
        .env("MANPAGER", "cat")
        .env("MANWIDTH", "80")
        .output()
        .expect("man is installed (.ci/run installs man-db)");
    assert!(out.status.success(), "{}", stderr(&out));
    let text = String::from_utf8_lossy(&out.stdout);
    for word in [
        "NAME",
        "SYNOPSIS",
        "--replay",
        "QUEUETOP SNAPSHOT",
        "QUEUETOP SERVE-DEMO",
        "queuetop snapshot [--url]",
        "EXIT STATUS",
        "SEE ALSO",
    ] {
        assert!(
            text.contains(word),
            "no {word} in the rendered page:\n{text}"
        );
    }
    // The after-help's two lines stay two lines; one page, no references
    // to pages that do not exist.
    assert!(!text.contains("--demo Docs"), "{text}");
    assert!(!text.contains("queuetop-snapshot"), "{text}");
}

#[test]
fn an_unknown_theme_lists_the_available_ones() {
    let dir = tempfile::tempdir().unwrap();
    let themes = dir.path().join("queuetop/themes");
    std::fs::create_dir_all(&themes).unwrap();
    std::fs::write(
        themes.join("mine.toml"),
        "[styles]\ngood = { fg = \"blue\" }\n",
    )
    .unwrap();
    let o = bin()
        .env("XDG_CONFIG_HOME", dir.path())
        .args(["--demo", "--theme", "nope"])
        .output()
        .unwrap();
    one_line_error(&o, 2, "--theme: no theme 'nope'");
    let e = stderr(&o);
    assert!(
        e.contains("available: default, light, high-contrast, colorblind, mine"),
        "{e}"
    );
}

#[test]
fn a_bad_theme_file_names_the_key_and_line() {
    let dir = tempfile::tempdir().unwrap();
    let themes = dir.path().join("queuetop/themes");
    std::fs::create_dir_all(&themes).unwrap();
    std::fs::write(
        themes.join("broken.toml"),
        "# mine\n[styles]\nwarning = { fg = \"black\" }\ncritical = { fg = \"purpel\" }\n",
    )
    .unwrap();
    let config = dir.path().join("config.toml");
    std::fs::write(&config, "[display]\ntheme = \"broken\"\n").unwrap();
    let o = bin()
        .env("XDG_CONFIG_HOME", dir.path())
        .args(["--demo", "--config"])
        .arg(&config)
        .output()
        .unwrap();
    one_line_error(
        &o,
        2,
        "line 4: key `styles.critical.fg`: 'purpel' is not a colour",
    );
    assert!(stderr(&o).contains("broken.toml"), "{}", stderr(&o));
}
