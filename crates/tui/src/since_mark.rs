//! The queues table as change since the latest incident mark (`M`): each
//! figure becomes its difference from the mark's (`+37`, `-22.0`), so a
//! supervisor reads at once how far the floor has moved since "it began".
//! Percentages change by points, durations by time, counts by count; a
//! figure that was or is undefined has no change (`-`).

use queuetop_engine::floor::{DisplayState, Floor, QueueView, Share};
use queuetop_engine::mark::{Mark, Point};
use queuetop_engine::time::human;

use crate::columns::QueueCol;
use crate::model::{Cell, Row};

fn count(now: i64, then: i64) -> String {
    match now - then {
        0 => "0".to_string(),
        d => format!("{d:+}"),
    }
}

fn millis(now: i64, then: i64) -> String {
    match now - then {
        0 => "0s".to_string(),
        d if d > 0 => format!("+{}", human(d)),
        d => format!("-{}", human(-d)),
    }
}

fn pts(now: Option<f64>, then: Option<f64>) -> String {
    match (now, then) {
        (Some(a), Some(b)) => format!("{:+.1}", a - b),
        _ => "-".to_string(),
    }
}

fn dur(now: Option<f64>, then: Option<f64>) -> String {
    match (now, then) {
        (Some(a), Some(b)) => millis(a.round() as i64, b.round() as i64),
        _ => "-".to_string(),
    }
}

/// What the queues pane's title says while it shows changes.
/// The queues' title when `M` asks for changes and no mark is set yet.
pub const NO_MARK: &str = "no mark yet: m sets one (M: figures)";

pub fn title(mark: &Mark, floor: &Floor) -> String {
    let tz = &floor.settings().day_start.tz;
    let at = crate::clock::hms(mark.at, tz);
    format!("CHANGE since mark {at} (M: figures)")
}

/// Replaces the figures of `row` (built from `v`) by their change since the
/// mark; a queue the mark did not know changes from nothing.
pub fn overlay(row: &mut Row, v: &QueueView<'_>, at_mark: Option<&Point>) {
    let zero = Point {
        waiting: 0,
        longest_wait: 0,
        agents: Default::default(),
        figures: Default::default(),
    };
    let then = at_mark.unwrap_or(&zero);
    let (f, b) = (&v.figures, &then.figures);
    let agents = |s: DisplayState| {
        let (now, then) = (v.agents.get(s), then.agents.get(s));
        count(i64::from(now), i64::from(then))
    };
    for (col, cell) in QueueCol::ALL.iter().zip(row.cells.iter_mut()) {
        let text = match col {
            QueueCol::Name | QueueCol::Trend => continue,
            QueueCol::Waiting => count(v.waiting as i64, then.waiting as i64),
            QueueCol::Longest => millis(v.longest_wait, then.longest_wait),
            QueueCol::Available => agents(DisplayState::Available),
            QueueCol::OnContact => agents(DisplayState::OnContact),
            QueueCol::WrapUp => agents(DisplayState::WrapUp),
            // As the table counts AWY: away and busy together.
            QueueCol::Away => count(
                i64::from(v.agents.get(DisplayState::Away) + v.agents.get(DisplayState::Busy)),
                i64::from(
                    then.agents.get(DisplayState::Away) + then.agents.get(DisplayState::Busy),
                ),
            ),
            QueueCol::ServiceLevel => pts(f.service_level, b.service_level),
            QueueCol::Asa => dur(f.asa, b.asa),
            QueueCol::AbandonRate => pts(f.abandon_rate, b.abandon_rate),
            QueueCol::Att => dur(f.att, b.att),
            QueueCol::Aht => dur(f.aht, b.aht),
            QueueCol::FrtAvg => dur(f.frt.avg, b.frt.avg),
            QueueCol::FrtP90 => dur(f.frt.p90, b.frt.p90),
            QueueCol::Fcr => pts(f.fcr, b.fcr),
            QueueCol::Occupancy => pts(f.occupancy.map(Share::pct), b.occupancy.map(Share::pct)),
            QueueCol::Art => dur(f.art.avg, b.art.avg),
            QueueCol::ArtP90 => dur(f.art.p90, b.art.p90),
            QueueCol::Csat => pts(f.csat_pct, b.csat_pct),
            QueueCol::Nps => pts(f.nps, b.nps),
            QueueCol::AvgWait => dur(f.avg_wait, b.avg_wait),
            QueueCol::MaxWait => dur(f.max_wait, b.max_wait),
            QueueCol::Resolution => dur(f.resolution, b.resolution),
        };
        // The change is not the figure: its alert colour would mislead.
        *cell = Cell::plain(text);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn changes_are_signed_and_undefined_has_none() {
        assert_eq!(count(40, 3), "+37");
        assert_eq!(count(3, 40), "-37");
        assert_eq!(count(5, 5), "0");
        assert_eq!(pts(Some(60.0), Some(82.0)), "-22.0");
        assert_eq!(pts(None, Some(82.0)), "-");
        assert_eq!(millis(95_000, 15_000), "+1m20s");
        assert_eq!(millis(15_000, 95_000), "-1m20s");
    }
}
