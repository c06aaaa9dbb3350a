//! Rewinding the view: which instant the person asked to see, how that
//! request meets the live clock and the history's reach, and the words the
//! header shows while rewound.
//!
//! The person's choice lives in [`crate::state::UiState`] (a [`Rewind`]);
//! the keys only ask ([`SeekTo`]), because how far "a minute back" goes
//! depends on the live clock, which the view resolves under the monitor's
//! lock ([`Rewind::resolve`]). The floor at the instant is sought once per
//! instant and kept by the view while it is shown.

use jiff::tz::TimeZone;
use queuetop_engine::pace::Ask;
use queuetop_engine::time::{Millis, Ts};

use crate::action::Action;

/// One step of `Left`/`Right`, and of the same with Shift.
pub const STEP: Millis = 60_000;
pub const BIG_STEP: Millis = 10 * STEP;

/// Most characters a typed time takes (`HH:MM:SS`).
const TYPED_MAX: usize = 8;

/// Where a key asked to go.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SeekTo {
    /// From the instant shown (the live one when live), back (negative)
    /// or forward.
    By(Millis),
    /// The latest instant at or before now showing this time of day.
    TimeOfDay(u32),
    Live,
}

/// The rewind part of what the person chose.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Rewind {
    /// The instant shown; `None` while live.
    pub at: Option<Ts>,
    /// A request the next look resolves against the live clock.
    pub pending: Option<SeekTo>,
    /// The time of day being typed after `t`; `None` when not typing.
    pub typing: Option<String>,
    /// Why the last typed time was refused (shown until the next key).
    pub error: Option<String>,
    /// What a replay's pace was asked (pause, speed, steps), passed on at
    /// the next look; a live source has no pace and they are dropped.
    pub replay: Vec<Ask>,
}

/// Most replay asks kept between two looks (a key held down).
const MAX_REPLAY_ASKS: usize = 32;

/// What the live side offers a seek: its clock, the earliest instant the
/// history reaches (`None`: no history kept), and the time zone of the
/// times of day.
pub struct Reach<'a> {
    pub live: Ts,
    pub earliest: Option<Ts>,
    pub tz: &'a TimeZone,
}

impl Rewind {
    pub fn is_rewound(&self) -> bool {
        self.at.is_some()
    }

    /// Settles a pending request, and keeps the instant inside what the
    /// history still holds (it lets its oldest part go as time passes).
    /// Returns whether the instant shown changed.
    pub fn resolve(&mut self, reach: &Reach<'_>) -> bool {
        let before = self.at;
        let Some(earliest) = reach.earliest else {
            // Nothing kept: nothing to go back to.
            self.pending = None;
            self.at = None;
            return before.is_some();
        };
        if let Some(p) = self.pending.take() {
            let wanted = match p {
                SeekTo::Live => None,
                SeekTo::By(d) => Some(self.at.unwrap_or(reach.live).plus(d)),
                SeekTo::TimeOfDay(secs) => Some(time_of_day_before(reach.live, secs, reach.tz)),
            };
            // Forward to now or past it is live again.
            self.at = wanted.filter(|&t| t < reach.live);
        }
        if let Some(t) = self.at {
            // Before the history's reach: as far back as it goes (the
            // header says which instant that is).
            self.at = Some(t.max(earliest).min(reach.live));
        }
        self.at != before
    }

    /// `REWIND 09:42 (-12m)`: the instant shown and how far behind live.
    pub fn label(&self, live: Ts, tz: &TimeZone) -> Option<String> {
        let at = self.at?;
        let hm = crate::clock::hm(at, tz);
        Some(format!("REWIND {hm} ({})", behind(live.since(at))))
    }
}

/// How far behind live, in the largest units that say it: `-40s`,
/// `-12m`, `-2h05m`.
fn behind(ms: Millis) -> String {
    let s = ms.max(0) / 1000;
    if s < 60 {
        format!("-{s}s")
    } else if s < 3600 {
        format!("-{}m", s / 60)
    } else {
        format!("-{}h{:02}m", s / 3600, s % 3600 / 60)
    }
}

/// The latest instant at or before `now` whose time of day in `tz` is
/// `secs` after midnight: today's, or yesterday's when today's is still
/// to come.
fn time_of_day_before(now: Ts, secs: u32, tz: &TimeZone) -> Ts {
    let Ok(t) = jiff::Timestamp::from_millisecond(now.0) else {
        return now;
    };
    let zoned = t.to_zoned(tz.clone());
    let at_day = |z: &jiff::Zoned| -> Option<Ts> {
        let day = z.date();
        let time = jiff::civil::Time::new(
            (secs / 3600) as i8,
            (secs / 60 % 60) as i8,
            (secs % 60) as i8,
            0,
        )
        .ok()?;
        let z = day.to_datetime(time).to_zoned(tz.clone()).ok()?;
        Some(Ts(z.timestamp().as_millisecond()))
    };
    match at_day(&zoned) {
        Some(t) if t <= now => t,
        _ => zoned
            .yesterday()
            .ok()
            .and_then(|y| at_day(&y))
            .unwrap_or(now),
    }
}

/// `09:42`, `9:42` or `09:42:30` as seconds after midnight.
pub fn parse_time_of_day(text: &str) -> Result<u32, String> {
    let bad = || format!("`{text}` is not a time of day (HH:MM)");
    let parts: Vec<&str> = text.trim().split(':').collect();
    if !(2..=3).contains(&parts.len()) {
        return Err(bad());
    }
    let mut out = 0u32;
    for (i, p) in parts.iter().enumerate() {
        let ok = !p.is_empty() && p.len() <= 2 && p.bytes().all(|b| b.is_ascii_digit());
        let n: u32 = if ok { p.parse().map_err(|_| bad())? } else { 0 };
        let max = if i == 0 { 23 } else { 59 };
        if !ok || n > max || (i > 0 && p.len() != 2) {
            return Err(bad());
        }
        out = out * 60 + n;
    }
    Ok(if parts.len() == 2 { out * 60 } else { out })
}

/// The typing mode the rewind shares with the filter: while a time is
/// typed, the filter's "being typed" flag is set (so that keys type) and
/// the search's is not.
pub struct Typing<'a> {
    pub editing: &'a mut bool,
    pub searching: &'a mut bool,
}

impl Rewind {
    /// The rewind keys, and the keys while a time is typed. Returns `None`
    /// for an action that is not about rewinding (the caller applies it),
    /// or whether the state changed.
    pub fn apply(&mut self, action: Action, typing: Typing<'_>) -> Option<bool> {
        if self.typing.is_some() {
            match action {
                Action::FilterChar(c) => {
                    if let Some(t) = self.typing.as_mut()
                        && t.chars().count() < TYPED_MAX
                        && (c.is_ascii_digit() || c == ':')
                    {
                        t.push(c);
                    }
                }
                Action::FilterBackspace => {
                    if let Some(t) = self.typing.as_mut() {
                        t.pop();
                    }
                }
                Action::FilterDone => {
                    let text = self.typing.take().unwrap_or_default();
                    *typing.editing = false;
                    match parse_time_of_day(&text) {
                        Ok(secs) => self.pending = Some(SeekTo::TimeOfDay(secs)),
                        Err(e) => self.error = Some(e),
                    }
                }
                Action::Back => {
                    self.typing = None;
                    *typing.editing = false;
                }
                // Ctrl-C and the like still work while typing.
                _ => return None,
            }
            return Some(true);
        }
        let had_error = self.error.take().is_some();
        match action {
            // Keys faster than the view looks add up.
            Action::Seek(by) => {
                self.pending = Some(match self.pending {
                    Some(SeekTo::By(d)) => SeekTo::By(d.saturating_add(by)),
                    _ => SeekTo::By(by),
                })
            }
            Action::GoToTime => {
                self.typing = Some(String::new());
                // Typed keys go to the time, as they go to a filter.
                *typing.editing = true;
                *typing.searching = false;
            }
            Action::Live => self.pending = Some(SeekTo::Live),
            Action::PlayPause
            | Action::Faster
            | Action::Slower
            | Action::NextEvent
            | Action::NextSecond => {
                if self.replay.len() < MAX_REPLAY_ASKS {
                    self.replay.push(match action {
                        Action::PlayPause => Ask::PlayPause,
                        Action::Faster => Ask::Faster,
                        Action::Slower => Ask::Slower,
                        Action::NextEvent => Ask::NextEvent,
                        _ => Ask::Skip(1_000),
                    });
                }
            }
            // End while rewound goes back to live (and to the end of
            // nothing else); live, it is the last row as always.
            Action::End if self.at.is_some() => self.pending = Some(SeekTo::Live),
            _ => return had_error.then_some(true),
        }
        Some(true)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const NOW: Ts = Ts(1_795_424_400_000 + 3_600_000); // 2026-11-23T10:00:00Z

    fn reach(tz: &TimeZone) -> Reach<'_> {
        Reach {
            live: NOW,
            earliest: Some(NOW.minus(3 * 3_600_000)),
            tz,
        }
    }

    #[test]
    fn times_of_day_parse_and_refuse() {
        assert_eq!(parse_time_of_day("09:42"), Ok(9 * 3600 + 42 * 60));
        assert_eq!(parse_time_of_day("9:42"), Ok(9 * 3600 + 42 * 60));
        assert_eq!(parse_time_of_day("23:59:30"), Ok(86_370));
        for bad in [
            "", "9", "24:00", "09:60", "09:4", "a:bc", "1:2:3:4", "09:42:7",
        ] {
            assert!(parse_time_of_day(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn steps_go_back_from_live_and_forward_to_live() {
        let tz = TimeZone::UTC;
        let mut r = Rewind {
            pending: Some(SeekTo::By(-STEP)),
            ..Rewind::default()
        };
        assert!(r.resolve(&reach(&tz)));
        assert_eq!(r.at, Some(NOW.minus(STEP)));
        assert_eq!(r.label(NOW, &tz).as_deref(), Some("REWIND 09:59 (-1m)"));
        r.pending = Some(SeekTo::By(-BIG_STEP));
        r.resolve(&reach(&tz));
        assert_eq!(r.at, Some(NOW.minus(11 * STEP)));
        // Past the history's reach: as far as it goes.
        r.pending = Some(SeekTo::By(-10 * 3_600_000));
        r.resolve(&reach(&tz));
        assert_eq!(r.at, Some(NOW.minus(3 * 3_600_000)));
        assert_eq!(r.label(NOW, &tz).as_deref(), Some("REWIND 07:00 (-3h00m)"));
        // Forward past now: live.
        r.pending = Some(SeekTo::By(4 * 3_600_000));
        r.resolve(&reach(&tz));
        assert_eq!(r.at, None);
        assert_eq!(r.label(NOW, &tz), None);
    }

    #[test]
    fn a_time_of_day_is_the_latest_one_not_to_come() {
        let tz = TimeZone::UTC;
        let mut r = Rewind {
            pending: Some(SeekTo::TimeOfDay(9 * 3600 + 42 * 60)),
            ..Rewind::default()
        };
        r.resolve(&reach(&tz));
        assert_eq!(r.at, Some(NOW.minus(18 * STEP)));
        assert_eq!(r.label(NOW, &tz).as_deref(), Some("REWIND 09:42 (-18m)"));
        // 10:30 has not come yet today: yesterday's, before the reach.
        r.pending = Some(SeekTo::TimeOfDay(10 * 3600 + 30 * 60));
        r.resolve(&reach(&tz));
        assert_eq!(r.at, Some(NOW.minus(3 * 3_600_000)));
        // In another zone, the time of day is that zone's.
        let paris = TimeZone::get("Europe/Paris").expect("tzdb");
        r.pending = Some(SeekTo::TimeOfDay(10 * 3600 + 42 * 60));
        r.resolve(&reach(&paris));
        assert_eq!(r.at, Some(NOW.minus(18 * STEP)));
    }

    #[test]
    fn without_a_history_there_is_no_rewind() {
        let tz = TimeZone::UTC;
        let mut r = Rewind {
            pending: Some(SeekTo::By(-STEP)),
            ..Rewind::default()
        };
        r.resolve(&Reach {
            live: NOW,
            earliest: None,
            tz: &tz,
        });
        assert_eq!(r.at, None);
    }

    #[test]
    fn the_keys_type_a_time_and_end_goes_live() {
        let (mut editing, mut searching) = (false, true);
        let mut r = Rewind::default();
        let mut key = |r: &mut Rewind, a| {
            r.apply(
                a,
                Typing {
                    editing: &mut editing,
                    searching: &mut searching,
                },
            )
        };
        key(&mut r, Action::GoToTime);
        for c in "9:4x2".chars() {
            assert_eq!(key(&mut r, Action::FilterChar(c)), Some(true));
        }
        assert_eq!(r.typing.as_deref(), Some("9:42"));
        key(&mut r, Action::FilterDone);
        assert_eq!(r.pending, Some(SeekTo::TimeOfDay(9 * 3600 + 42 * 60)));
        // Not typing: other keys are not the rewind's.
        assert_eq!(key(&mut r, Action::FilterChar('q')), None);
        assert_eq!(key(&mut r, Action::Quit), None);
        // A bad time says why and goes nowhere.
        r.pending = None;
        key(&mut r, Action::GoToTime);
        key(&mut r, Action::FilterChar('9'));
        key(&mut r, Action::FilterDone);
        assert!(r.error.is_some());
        assert_eq!(r.pending, None);
        // End: the last row when live (not the rewind's), live when rewound.
        assert_eq!(key(&mut r, Action::End), Some(true), "clears the error");
        assert_eq!(key(&mut r, Action::End), None);
        r.at = Some(NOW);
        key(&mut r, Action::End);
        assert_eq!(r.pending, Some(SeekTo::Live));
        // Steps pressed before the view looks add up.
        r.pending = None;
        key(&mut r, Action::Seek(-STEP));
        key(&mut r, Action::Seek(-BIG_STEP));
        assert_eq!(r.pending, Some(SeekTo::By(-STEP - BIG_STEP)));
    }
}
