//! Named views on the command line (`--view NAME`, `[views.NAME]`): a bad
//! one stops the start with one line naming the key, exit status 2.

use std::process::{Command, Output};

fn run(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_queuetop"))
        .args(args)
        .env("NO_COLOR", "1")
        // No user config may leak into the tests.
        .env("XDG_CONFIG_HOME", env!("CARGO_MANIFEST_DIR"))
        .env_remove("HOME")
        .output()
        .expect("run queuetop")
}

fn usage_error(o: &Output, needle: &str) {
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(2), "stderr: {err}");
    assert_eq!(err.trim_end().lines().count(), 1, "one line: {err}");
    assert!(err.contains(needle), "{needle:?} not in {err:?}");
}

fn with_config(text: &str, args: &[&str]) -> Output {
    let dir = tempfile::tempdir().expect("tempdir");
    let cfg = dir.path().join("views.toml");
    std::fs::write(&cfg, text).expect("write config");
    let mut all = vec!["--demo", "--config", cfg.to_str().expect("utf-8 path")];
    all.extend_from_slice(args);
    run(&all)
}

const VIEWS: &str = r#"
[views.billing-floor]
queue_columns = ["QUEUE", "WAIT", "LONGEST", "SL%", "trend"]
agent_columns = ["AGENT", "STATE", "FOR"]
sort = "-SL%"
filter = "queue:billing"

[views.typo]
queue_columns = ["QUEUE", "WAITT"]

[views.typo-agents]
agent_columns = ["AGENT", "FOR", "FOR"]

[views.bad-sort]
sort = "colour"
"#;

#[test]
fn a_bad_view_names_the_key() {
    usage_error(
        &with_config(VIEWS, &["--view", "typo"]),
        "key `views.typo.queue_columns`: unknown column `WAITT`",
    );
    usage_error(
        &with_config(VIEWS, &["--view", "typo-agents"]),
        "key `views.typo-agents.agent_columns`: lists `FOR` twice",
    );
    usage_error(
        &with_config(VIEWS, &["--view", "bad-sort"]),
        "key `views.bad-sort.sort`",
    );
    usage_error(
        &with_config(VIEWS, &["--view", "nope"]),
        "--view: no view `nope` in the config",
    );
    let default_view = format!("[display]\nview = \"typo\"\n{VIEWS}");
    usage_error(
        &with_config(&default_view, &[]),
        "key `views.typo.queue_columns`",
    );
    usage_error(
        &with_config("[views.x]\ncolumns = [\"QUEUE\"]\n", &["--view", "x"]),
        "unknown field `columns`",
    );
}

#[test]
fn a_good_view_passes_the_checks_and_flags_win() {
    // No terminal here: the view stops later, at run time, never with 2.
    for args in [
        &["--view", "billing-floor"][..],
        &["--view", "bad-sort", "--sort", "WAIT"][..],
    ] {
        let o = with_config(VIEWS, args);
        assert_ne!(
            o.status.code(),
            Some(2),
            "{args:?}: {}",
            String::from_utf8_lossy(&o.stderr)
        );
    }
}

#[test]
fn the_example_configs_view_is_accepted() {
    let cfg = concat!(env!("CARGO_MANIFEST_DIR"), "/config.example.toml");
    let o = run(&["--demo", "--config", cfg, "--view", "billing-floor"]);
    assert_ne!(
        o.status.code(),
        Some(2),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
}
