//! Instants and durations on the feed's clock.
//!
//! Everything in the core measures time in whole milliseconds since the Unix
//! epoch, on the *feed's* clock. Nothing in the core reads the wall clock: the
//! caller passes `now` in, which keeps replay, snapshots and tests exact.

use std::fmt;
use std::str::FromStr;

/// Milliseconds, the unit of every duration in the core.
pub type Millis = i64;

/// An instant on the feed's clock: milliseconds since the Unix epoch.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Ts(pub i64);

/// The latest instant we accept from a feed: 9999-12-30T22:00:00Z, the
/// end of the range the time library can print. Bounding it keeps every
/// subtraction between two instants far from overflow, and an instant we
/// accept as epoch milliseconds can always be shown as RFC 3339.
pub const MAX_TS: i64 = 253_402_207_200_000;

/// The end of the times a feed may stamp: 2100-01-01T00:00:00Z. No
/// contact center platform's clock is there; a time at or after it is a
/// broken or hostile frame (the year 9999, the largest time RFC 3339
/// can write), and one such event would otherwise set the floor's
/// clock for good, since it never goes back: every wait after it would
/// read as centuries. Decoders refuse it (feed-v1) or read it as no time
/// (the platforms' own fields), as they do a time before 2000.
pub const FEED_TIME_END: Ts = Ts(4_102_444_800_000);

impl Ts {
    pub const fn from_millis(ms: i64) -> Self {
        Ts(ms)
    }

    pub const fn millis(self) -> i64 {
        self.0
    }

    /// `self - earlier`, never negative: events that arrive out of order must
    /// not produce negative waits or talk times.
    pub fn since(self, earlier: Ts) -> Millis {
        self.0.saturating_sub(earlier.0).max(0)
    }

    pub fn plus(self, d: Millis) -> Ts {
        Ts(self.0.saturating_add(d))
    }

    pub fn minus(self, d: Millis) -> Ts {
        Ts(self.0.saturating_sub(d))
    }

    /// Parses an RFC 3339 timestamp (`2026-11-23T09:00:03.250Z`, any offset).
    /// Sub-millisecond digits are truncated.
    pub fn parse_rfc3339(s: &str) -> Option<Ts> {
        // RFC 3339's shape is checked here (jiff alone would also take ISO
        // 8601's other forms, such as `+0100` or `+24:00`); jiff then checks
        // the calendar and does the arithmetic.
        let fraction = rfc3339_fraction(s.as_bytes())?;
        let t = match fraction {
            // jiff reads at most nanoseconds; RFC 3339 allows any precision.
            Some((start, end)) if end - start > 9 => {
                let cut = format!("{}{}", &s[..start + 9], &s[end..]);
                jiff::Timestamp::from_str(&cut).ok()?
            }
            _ => jiff::Timestamp::from_str(s).ok()?,
        };
        let ms = t.as_millisecond();
        (0..=MAX_TS).contains(&ms).then_some(Ts(ms))
    }

    /// Accepts epoch milliseconds only within the same range as RFC 3339 input.
    pub fn from_epoch_millis(ms: i64) -> Option<Ts> {
        (0..=MAX_TS).contains(&ms).then_some(Ts(ms))
    }
}

/// Checks the shape `YYYY-MM-DDTHH:MM:SS[.frac](Z|+HH:MM|-HH:MM)` (RFC 3339
/// section 5.6; `t`, `z` and a space for `T` are allowed, as its notes say).
/// Returns the byte range of the fraction's digits, if any.
fn rfc3339_fraction(b: &[u8]) -> Option<Option<(usize, usize)>> {
    let digits =
        |r: std::ops::Range<usize>| b.get(r).is_some_and(|d| d.iter().all(u8::is_ascii_digit));
    let two = |i: usize| -> Option<u8> {
        digits(i..i + 2).then(|| (b[i] - b'0') * 10 + (b[i + 1] - b'0'))
    };
    let shape = digits(0..4)
        && b.get(4) == Some(&b'-')
        && digits(5..7)
        && b.get(7) == Some(&b'-')
        && digits(8..10)
        && matches!(b.get(10), Some(b'T' | b't' | b' '))
        && digits(11..13)
        && b.get(13) == Some(&b':')
        && digits(14..16)
        && b.get(16) == Some(&b':')
        && digits(17..19);
    if !shape {
        return None;
    }
    let mut i = 19;
    let mut fraction = None;
    if b.get(i) == Some(&b'.') {
        let start = i + 1;
        i = start;
        while b.get(i).is_some_and(u8::is_ascii_digit) {
            i += 1;
        }
        if i == start {
            return None;
        }
        fraction = Some((start, i));
    }
    let zone_ok = match &b[i..] {
        [b'Z' | b'z'] => true,
        [b'+' | b'-', _, _, b':', _, _] => {
            two(i + 1).is_some_and(|h| h <= 23) && two(i + 4).is_some_and(|m| m <= 59)
        }
        _ => false,
    };
    zone_ok.then_some(fraction)
}

impl fmt::Display for Ts {
    /// RFC 3339 in UTC, with milliseconds only when they are not zero:
    /// `2026-11-23T09:30:00Z`, `2026-11-23T09:30:00.250Z`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match jiff::Timestamp::from_millisecond(self.0) {
            Ok(t) if self.0.rem_euclid(1000) == 0 => {
                write!(f, "{}", t.strftime("%Y-%m-%dT%H:%M:%SZ"))
            }
            Ok(t) => write!(f, "{}", t.strftime("%Y-%m-%dT%H:%M:%S%.3fZ")),
            Err(_) => write!(f, "{}ms", self.0),
        }
    }
}

/// Seconds as a JSON-friendly number with millisecond precision.
pub fn secs(ms: Millis) -> f64 {
    ms as f64 / 1000.0
}

/// Parses a duration as the command line and config take it: `90s`, `15m`,
/// `1h`, `1h30m`, `500ms`. A bare number means seconds. Zero is refused by
/// the callers that need a positive span, not here.
pub fn parse_duration(s: &str) -> Result<Millis, String> {
    let t = s.trim();
    if t.is_empty() {
        return Err("empty duration".into());
    }
    if let Ok(n) = t.parse::<f64>() {
        if n.is_finite() && (0.0..=1e12).contains(&n) {
            return Ok((n * 1000.0).round() as Millis);
        }
        return Err(format!("'{s}' is not a duration"));
    }
    match humantime::parse_duration(t) {
        Ok(d) => i64::try_from(d.as_millis())
            .ok()
            .filter(|ms| *ms <= 1_000_000_000_000)
            .ok_or_else(|| format!("'{s}' is too long")),
        Err(_) => Err(format!(
            "'{s}' is not a duration (expected e.g. 90s, 15m, 1h)"
        )),
    }
}

/// Formats a duration for people: `42s`, `3m07s`, `1h02m`, `2d03h`.
pub fn human(ms: Millis) -> String {
    let s = ms.max(0) / 1000;
    match s {
        0..=59 => format!("{s}s"),
        60..=3599 => format!("{}m{:02}s", s / 60, s % 60),
        3600..=86_399 => format!("{}h{:02}m", s / 3600, (s % 3600) / 60),
        _ => format!("{}d{:02}h", s / 86_400, (s % 86_400) / 3600),
    }
}

impl FromStr for Ts {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Ts::parse_rfc3339(s).ok_or_else(|| format!("'{s}' is not an RFC 3339 time"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rfc3339_forms() {
        assert_eq!(Ts::parse_rfc3339("1970-01-01T00:00:01Z"), Some(Ts(1000)));
        assert_eq!(
            Ts::parse_rfc3339("1970-01-01T00:00:01.2509Z"),
            Some(Ts(1250))
        );
        assert_eq!(Ts::parse_rfc3339("1970-01-01T01:00:00+01:00"), Some(Ts(0)));
        assert_eq!(
            Ts::parse_rfc3339("2026-11-23T09:00:00Z"),
            Some(Ts(1_795_424_400_000))
        );
        assert_eq!(Ts::parse_rfc3339("yesterday"), None);
        // Any precision; digits past the millisecond are dropped.
        assert_eq!(
            Ts::parse_rfc3339("1970-01-01T00:00:01.2509876543210Z"),
            Some(Ts(1250))
        );
        assert_eq!(Ts::parse_rfc3339("1970-01-01 00:00:01z"), Some(Ts(1000)));
        // ISO 8601 forms that are not RFC 3339.
        for bad in [
            "2026-11-23T09:00:20+24:00",
            "2026-11-23T09:00:20+01:60",
            "2026-11-23T09:00:20+0100",
            "2026-11-23T09:00:20+01",
            "20261123T090020Z",
            "2026-11-23T09:00:20,5Z",
            "2026-11-23T09:00:20.Z",
            "2026-11-23T09:00Z",
            "2026-11-23T09:00:20",
            "2026-11-23T09:00:20Zjunk",
        ] {
            assert_eq!(Ts::parse_rfc3339(bad), None, "{bad}");
        }
        assert_eq!(Ts::parse_rfc3339("1969-12-31T23:59:59Z"), None);
    }

    #[test]
    fn the_last_instant_accepted_is_the_same_either_way() {
        let last = Ts::parse_rfc3339("9999-12-30T22:00:00Z");
        assert_eq!(last, Ts::from_epoch_millis(MAX_TS));
        assert_eq!(Ts(MAX_TS).to_string(), "9999-12-30T22:00:00Z");
        assert_eq!(Ts::parse_rfc3339("9999-12-30T22:00:00.001Z"), None);
        assert_eq!(Ts::from_epoch_millis(MAX_TS + 1), None);
    }

    #[test]
    fn display_round_trips() {
        assert_eq!(Ts(1_795_424_400_000).to_string(), "2026-11-23T09:00:00Z");
        assert_eq!(
            Ts(1_795_424_400_250).to_string(),
            "2026-11-23T09:00:00.250Z"
        );
        assert_eq!(
            Ts::parse_rfc3339(&Ts(1_795_424_400_250).to_string()),
            Some(Ts(1_795_424_400_250))
        );
    }

    #[test]
    fn durations() {
        assert_eq!(parse_duration("90s"), Ok(90_000));
        assert_eq!(parse_duration("15m"), Ok(900_000));
        assert_eq!(parse_duration("1h"), Ok(3_600_000));
        assert_eq!(parse_duration("1h30m"), Ok(5_400_000));
        assert_eq!(parse_duration("500ms"), Ok(500));
        assert_eq!(parse_duration("2.5"), Ok(2500));
        assert!(parse_duration("soon").is_err());
        assert!(parse_duration("-5s").is_err());
        assert!(parse_duration("").is_err());
    }

    #[test]
    fn since_never_negative() {
        assert_eq!(Ts(10).since(Ts(20)), 0);
        assert_eq!(Ts(20).since(Ts(10)), 10);
    }

    #[test]
    fn human_durations() {
        assert_eq!(human(42_000), "42s");
        assert_eq!(human(187_000), "3m07s");
        assert_eq!(human(3_720_000), "1h02m");
        assert_eq!(human(-5), "0s");
    }
}
