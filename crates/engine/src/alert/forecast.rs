//! Forecasts no wallboard shows live (docs/metrics.md, Forecasts).
//!
//! - **Time to critical wait**: contacts are answered oldest first at the
//!   queue's answer rate of the rolling window (answers / the part of the
//!   window seen). The i-th waiting contact (1 = oldest) is answered `i / r`
//!   from now; it crosses the critical longest wait `T` in `T - wait_i`. The
//!   forecast is the first crossing of a contact not answered before it:
//!   0 if the longest wait is already past `T`, `None` if nobody crosses at
//!   this rate (or nobody waits).
//! - **Agents needed** (Erlang C): traffic `A = λ × AHT`, `λ` = `entered`
//!   over the part of the window seen, AHT = the window's `aht_s`; the fewest
//!   agents for the queue's SL target within its `sl_threshold_s`.

use super::erlang;
use crate::floor::{Floor, QueueIdx};
use crate::time::{Millis, Ts};

/// Waiting contacts looked at per queue and tick, at most: beyond this many,
/// the forecast is "not before these are answered" (bounded cost).
pub const MAX_SCAN: usize = 10_000;

/// Most agents Erlang C is asked about.
pub const MAX_AGENTS: u32 = 20_000;

/// Seconds until the longest wait of a queue passes `crit` (ms).
pub fn time_to_critical(
    waiting: impl Iterator<Item = Ts>,
    now: Ts,
    crit: Millis,
    answered: i64,
    seen: Millis,
) -> Option<f64> {
    let rate = if seen > 0 {
        answered.max(0) as f64 / (seen as f64 / 1000.0)
    } else {
        0.0
    };
    for (i, since) in waiting.take(MAX_SCAN).enumerate() {
        let left = (crit - now.since(since)) as f64 / 1000.0;
        if left < 0.0 {
            return Some(0.0);
        }
        let answered_in = if rate > 0.0 {
            (i + 1) as f64 / rate
        } else {
            f64::INFINITY
        };
        if left < answered_in {
            return Some(left);
        }
    }
    None
}

/// The inputs of the staffing forecast, kept for display and for the docs.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Staffing {
    /// Arrivals per second.
    pub arrival_rate: f64,
    pub aht_s: f64,
    /// Erlangs.
    pub traffic: f64,
    pub needed: u32,
    /// Agents who can take the queue's contacts now (available, on contact,
    /// wrap-up).
    pub staffed: u32,
}

impl Staffing {
    /// Positive when short of agents.
    pub fn short(&self) -> i64 {
        self.needed as i64 - self.staffed as i64
    }
}

/// A queue's forecasts, as of one evaluation.
#[derive(Clone, Copy, Debug, PartialEq, Default)]
pub struct QueueForecast {
    pub queue: Option<QueueIdx>,
    /// Seconds until the longest wait passes the critical threshold.
    pub critical_in_s: Option<f64>,
    pub staffing: Option<Staffing>,
}

/// Erlang C staffing for a queue's window figures; `None` without the
/// inputs (no SL target, no handle time, no arrivals seen).
pub fn staffing(
    entered: i64,
    aht_ms: Option<f64>,
    seen: Millis,
    sl_threshold: Millis,
    target_pct: Option<f64>,
    staffed: u32,
) -> Option<Staffing> {
    let target = target_pct? / 100.0;
    let aht_s = aht_ms? / 1000.0;
    if seen <= 0 || aht_s <= 0.0 {
        return None;
    }
    let arrival_rate = entered.max(0) as f64 / (seen as f64 / 1000.0);
    let traffic = arrival_rate * aht_s;
    let needed = erlang::agents_needed(
        traffic,
        aht_s,
        sl_threshold as f64 / 1000.0,
        target,
        MAX_AGENTS,
    )?;
    Some(Staffing {
        arrival_rate,
        aht_s,
        traffic,
        needed,
        staffed,
    })
}

/// The inputs of [`staffing`], to know when its answer can be reused.
pub type StaffingKey = (i64, u64, Millis, Millis, u64, u32);

/// One queue's last staffing forecast and its inputs. Between two looks a
/// second apart the window's figures rarely move, and the Erlang C search
/// costs an `exp` per agent tried: with 200 queues that was most of a look.
pub type StaffingMemo = Option<(StaffingKey, Option<Staffing>)>;

/// Both forecasts of one queue; `crit` is the critical longest wait (ms).
#[allow(clippy::too_many_arguments)]
pub fn queue_forecast(
    memo: &mut StaffingMemo,
    floor: &Floor,
    q: QueueIdx,
    answered: i64,
    entered: i64,
    aht_ms: Option<f64>,
    sl_threshold: Millis,
    crit: Option<Millis>,
    target_pct: Option<f64>,
    staffed: u32,
) -> QueueForecast {
    let seen = floor.window_seen();
    QueueForecast {
        queue: Some(q),
        critical_in_s: crit
            .and_then(|c| time_to_critical(floor.waiting_since(q), floor.now(), c, answered, seen)),
        staffing: {
            let key = (
                entered,
                aht_ms.map_or(u64::MAX, f64::to_bits),
                seen,
                sl_threshold,
                target_pct.map_or(u64::MAX, f64::to_bits),
                staffed,
            );
            match memo {
                Some((k, v)) if *k == key => *v,
                _ => {
                    let v = staffing(entered, aht_ms, seen, sl_threshold, target_pct, staffed);
                    *memo = Some((key, v));
                    v
                }
            }
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn time_to_critical_cases() {
        let now = Ts(1_000_000);
        let w = |secs: &[i64]| secs.iter().map(|s| now.minus(s * 1000)).collect::<Vec<_>>();
        // No answers: the oldest (100 s) crosses 180 s in 80 s.
        assert_eq!(
            time_to_critical(w(&[100, 50]).into_iter(), now, 180_000, 0, 900_000),
            Some(80.0)
        );
        // Already past.
        assert_eq!(
            time_to_critical(w(&[200]).into_iter(), now, 180_000, 9, 900_000),
            Some(0.0)
        );
        // 90 answers in 900 s = 0.1/s: the oldest (170 s, 10 s left) is
        // answered in 10 s, just in time; the second (150 s, 30 s left) in
        // 20 s; the third (100 s, 80 s left) in 30 s. Nobody crosses.
        assert_eq!(
            time_to_critical(w(&[170, 150, 100]).into_iter(), now, 180_000, 90, 900_000),
            None
        );
        // 45 answers in 900 s = 0.05/s: the oldest (178 s) crosses in 2 s,
        // long before its answer in 20 s; with the oldest at 150 s (30 s
        // left, answered in 20 s) the next (5 s left, answered in 40 s)
        // crosses first, in 5 s.
        assert_eq!(
            time_to_critical(w(&[178, 175]).into_iter(), now, 180_000, 45, 900_000),
            Some(2.0)
        );
        assert_eq!(
            time_to_critical(w(&[150, 175]).into_iter(), now, 180_000, 45, 900_000),
            Some(5.0)
        );
        assert_eq!(
            time_to_critical(std::iter::empty(), now, 180_000, 0, 900_000),
            None
        );
    }

    #[test]
    fn staffing_from_window_figures() {
        // 360 entered in 30 min, AHT 240 s, 80 % in 15 s: 48 Erlangs, 55
        // agents (erlang.rs has the reference values).
        let s = staffing(360, Some(240_000.0), 1_800_000, 15_000, Some(80.0), 50).unwrap();
        assert!((s.traffic - 48.0).abs() < 1e-9);
        assert_eq!((s.needed, s.short()), (55, 5));
        // The window is only 10 min old: the rate is over what was seen.
        let s = staffing(120, Some(240_000.0), 600_000, 15_000, Some(80.0), 60).unwrap();
        assert!((s.traffic - 48.0).abs() < 1e-9);
        assert_eq!(s.short(), -5);
        assert_eq!(staffing(10, None, 600_000, 15_000, Some(80.0), 1), None);
        assert_eq!(staffing(10, Some(1.0), 600_000, 15_000, None, 1), None);
    }
}
