//! Times of day as the screen writes them, in the config's time zone.

use jiff::tz::TimeZone;
use queuetop_engine::time::Ts;

/// `ts` as `format` (`%H:%M`, `%H:%M:%S`) in `tz`; none for an instant
/// jiff cannot hold (the floor before its first event).
pub fn time_of_day(ts: Ts, tz: &TimeZone, format: &str) -> Option<String> {
    let t = jiff::Timestamp::from_millisecond(ts.0).ok()?;
    Some(t.to_zoned(tz.clone()).strftime(format).to_string())
}

/// `09:42:05`, or `--:--:--` where there is no time.
pub fn hms(ts: Ts, tz: &TimeZone) -> String {
    time_of_day(ts, tz, "%H:%M:%S").unwrap_or_else(|| "--:--:--".into())
}

/// `09:42`, or `--:--` where there is no time.
pub fn hm(ts: Ts, tz: &TimeZone) -> String {
    time_of_day(ts, tz, "%H:%M").unwrap_or_else(|| "--:--".into())
}
