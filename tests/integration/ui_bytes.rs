//! What the view writes to the terminal over time, counted through
//! CrosstermBackend and ratatui's diffing: nothing at all when nothing
//! changes, and little when only timers tick (a slow SSH link must keep up).
//! Byte counts are deterministic; timings live in benches/render.rs.

#[path = "../../benches/support/mod.rs"]
mod support;

#[test]
fn nothing_changing_writes_nothing() {
    assert_eq!(support::bytes_per_second(30, false), 0.0);
}

#[test]
fn ticking_timers_write_little() {
    let b = support::bytes_per_second(30, true);
    assert!(b > 0.0, "timers tick on screen");
    assert!(b < 1536.0, "{b} bytes/s with 50 agents at 120x40");
}
