//! End to end: rewinding the real view in a real terminal (tmux). The
//! replay ends at 09:20:00; the keys go back, the REWIND label says where
//! (in reverse video), and L, End or a step forward past now bring the
//! live floor back without the label.

use crate::e2e_tmux::{Tmux, command};

/// The header's first line.
fn top(s: &str) -> &str {
    s.lines().next().unwrap_or_default()
}

#[test]
fn rewind_the_label_and_back_to_live() {
    let dir = tempfile::tempdir().expect("tempdir");
    let t = Tmux::start("rewind", &command(&dir.path().join("q.log")));
    t.wait_for("the replayed floor", |s| {
        s.contains("ended") && s.contains("feed time 09:20:00") && !s.contains("REWIND")
    });

    // Left twice, then Shift-Left: twelve minutes back.
    t.keys(&["Left", "Left"]);
    t.wait_for("two minutes back", |s| {
        top(s).contains("REWIND 09:18 (-2m)") && s.contains("feed time 09:18:00")
    });
    t.keys(&["S-Left"]);
    t.wait_for("twelve minutes back", |s| {
        top(s).contains("REWIND 09:08 (-12m)") && s.contains("feed time 09:08:00")
    });
    let styled = t.screen_styled();
    let first = styled.lines().next().unwrap_or_default();
    let at = first.find("REWIND").expect("the label");
    // The attributes set just before the label: reverse video (7).
    let before = &first[..at];
    let last_sgr = before.rsplit("\u{1b}[").next().unwrap_or_default();
    assert!(
        last_sgr
            .trim_end()
            .trim_end_matches('m')
            .split(';')
            .any(|p| p == "7"),
        "REWIND not in reverse video: {first:?}"
    );

    // L: live again, the label gone.
    t.keys(&["L"]);
    t.wait_for("live", |s| {
        !s.contains("REWIND") && s.contains("feed time 09:20:00")
    });

    // t 09:10 Enter goes there; End comes back.
    t.keys(&["t", "0", "9", ":", "1", "0"]);
    t.wait_for("the time typed", |s| {
        s.contains("rewind to (HH:MM): 09:10_")
    });
    t.keys(&["Enter"]);
    t.wait_for("09:10", |s| top(s).contains("REWIND 09:10 (-10m)"));
    t.keys(&["End"]);
    t.wait_for("live after End", |s| !s.contains("REWIND"));

    // A step forward past now is live too.
    t.keys(&["Left", "S-Right"]);
    t.wait_for("live after a step past now", |s| {
        !s.contains("REWIND") && s.contains("feed time 09:20:00")
    });

    t.keys(&["q"]);
    let s = t.wait_for("exit", |s| s.contains("EXITED"));
    assert!(s.contains("EXITED 0"), "{s}");
}

/// A replay played at real speed: space pauses and plays it, `+` speeds it
/// up, `.` applies the next event; the header says so throughout.
#[test]
fn replay_controls_in_the_header() {
    let dir = tempfile::tempdir().expect("tempdir");
    let cmd = command(&dir.path().join("q.log")).replace("--speed max", "--speed 1");
    let t = Tmux::start("replay-keys", &cmd);
    t.wait_for("playing", |s| top(s).contains("playing x1"));
    t.keys(&["Space"]);
    t.wait_for("paused", |s| top(s).contains("paused x1"));
    t.keys(&["+", "+"]);
    let paused = t.wait_for("faster", |s| top(s).contains("paused x5"));
    // The first two events are at 09:00:00; the next one is later.
    let clock = |s: &str| {
        s.lines()
            .nth(1)
            .and_then(|l| l.split("feed time ").nth(1))
            .map(|t| t[..8].to_string())
            .unwrap_or_default()
    };
    let before = clock(&paused);
    t.keys(&["."]);
    t.wait_for("the next event", |s| {
        top(s).contains("paused x5") && !clock(s).is_empty() && clock(s) != before
    });
    t.keys(&["Space"]);
    t.wait_for("playing again", |s| top(s).contains("playing x5"));
    t.keys(&["q"]);
    let s = t.wait_for("exit", |s| s.contains("EXITED"));
    assert!(s.contains("EXITED 0"), "{s}");
}
