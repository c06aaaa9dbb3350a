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
    let hhmm = |t| crate::clock::time_of_day(t, tz, "%H:%M");
    // Before the feed has given a time there is no interval to name.
    let span = match (hhmm(start), hhmm(end)) {
        (Some(a), Some(b)) => format!("{a}-{b}"),
        _ => "interval".to_string(),
    };
    let f = floor
        .totals(WindowKind::Interval, AgentCounts::default())
        .figures;
    let pct = |p: Option<f64>| p.map_or_else(|| "-".to_string(), |v| format!("{v:.1}%"));
    let asa = f
        .asa
        .map_or_else(|| "-".to_string(), |v| human(v.round() as i64));
    format!(
        "{span}: SL {}  ASA {}  ABN {}",
        pct(f.service_level),
        asa,
        pct(f.abandon_rate)
    )
}

#[cfg(test)]
mod tests {
    use queuetop_engine::floor::{Floor, Settings};

    #[test]
    fn a_floor_without_a_time_names_no_interval() {
        let floor = Floor::new(Settings::default());
        assert_eq!(super::strip(&floor), "interval: SL -  ASA -  ABN -");
    }
}
