//! The mouse modes the real binary asks of a real terminal (tmux reports
//! them): button presses with SGR coordinates, never motion (1002 or 1003:
//! a report for every move, bytes a slow SSH link does not need); none with
//! --no-mouse; none left on after the exit.

use super::e2e_tmux::{Tmux, fixture};

/// Standard (1000), button-motion (1002), any-motion (1003), SGR (1006).
const FLAGS: &str =
    "#{mouse_standard_flag} #{mouse_button_flag} #{mouse_all_flag} #{mouse_sgr_flag}";

fn command(extra: &str) -> String {
    format!(
        "XDG_CONFIG_HOME=/nonexistent '{bin}' --replay '{feed}' --speed max --config '{cfg}' {extra}; echo EXITED $?; sleep 60",
        bin = env!("CARGO_BIN_EXE_queuetop"),
        feed = fixture("e2e.jsonl").display(),
        cfg = fixture("config.toml").display(),
    )
}

fn flags_while_running_and_after(name: &str, extra: &str) -> (String, String) {
    let t = Tmux::start(name, &command(extra));
    t.wait_for("the floor", |s| {
        s.contains("Technical supp") && s.contains("ended")
    });
    let running = t.query(FLAGS);
    t.keys(&["q"]);
    t.wait_for("the exit", |s| s.contains("EXITED 0"));
    (running, t.query(FLAGS))
}

#[test]
fn button_presses_only_and_none_left_after_exit() {
    let (running, after) = flags_while_running_and_after("mouse", "");
    assert_eq!(running, "1 0 0 1", "1000 and 1006 only, never motion");
    assert_eq!(after, "0 0 0 0", "the mouse handed back");
}

#[test]
fn no_mouse_asks_for_none() {
    let (running, after) = flags_while_running_and_after("nomouse", "--no-mouse");
    assert_eq!(running, "0 0 0 0");
    assert_eq!(after, "0 0 0 0");
}
