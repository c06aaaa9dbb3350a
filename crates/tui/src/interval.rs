//! The current interval beside the window the tables show: its start and
//! end and the floor's service level, speed of answer and abandon rate over
//! it, for the queues pane's title. Supervisors read "SL this half hour"
//! beside "SL today" (or the rolling window), as on the platforms' boards.

use queuetop_engine::floor::{AgentCounts, Floor, WindowKind};
use queuetop_engine::time::human;

/// `09:00-09:30: SL 92.3%  ASA 14s  ABN 3.1%`, the floor's figures from the
/// interval's start to now (`-` where a figure has nothing to count yet).
pub fn strip(floor: &Floor) -> String {
    let start = floor.window_start(WindowKind::Interval);
    let end = start.plus(floor.interval_length());
    let tz = &floor.settings().day_start.tz;
    let hhmm = |t: queuetop_engine::time::Ts| match jiff::Timestamp::from_millisecond(t.0) {
        Ok(t) => t.to_zoned(tz.clone()).strftime("%H:%M").to_string(),
        Err(_) => "--:--".to_string(),
    };
    let f = floor
        .totals(WindowKind::Interval, AgentCounts::default())
        .figures;
    let pct = |p: Option<f64>| p.map_or_else(|| "-".to_string(), |v| format!("{v:.1}%"));
    let asa = f
        .asa
        .map_or_else(|| "-".to_string(), |v| human(v.round() as i64));
    format!(
        "{}-{}: SL {}  ASA {}  ABN {}",
        hhmm(start),
        hhmm(end),
        pct(f.service_level),
        asa,
        pct(f.abandon_rate)
    )
}
