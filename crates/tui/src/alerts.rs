//! Alerts (docs/metrics.md, Alerts): thresholds from the config and a queue's
//! figures in, levels out; and the crossings and returns between two looks,
//! as event log entries. Pure: no clock, no terminal.
//!
//! A figure is *past* its threshold when it is strictly beyond it: more
//! waiting than `waiting_warn`, a longer wait than `longest_wait_warn_s`,
//! a service level below `sl_target_pct` (a warning only).

use std::collections::HashMap;

use super::log::{LogEntry, Severity};
use queuetop_engine::config::Thresholds;
use queuetop_engine::time::{Millis, Ts, human};

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Default, Hash)]
pub enum Level {
    #[default]
    Ok,
    Warn,
    Crit,
}

/// The levels of one queue's alerting figures.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub struct QueueLevels {
    pub waiting: Level,
    pub longest_wait: Level,
    pub service_level: Level,
}

impl QueueLevels {
    pub fn worst(&self) -> Level {
        self.waiting.max(self.longest_wait).max(self.service_level)
    }
}

fn past<T: PartialOrd + Copy>(v: T, warn: Option<T>, crit: Option<T>) -> Level {
    if crit.is_some_and(|c| v > c) {
        Level::Crit
    } else if warn.is_some_and(|w| v > w) {
        Level::Warn
    } else {
        Level::Ok
    }
}

/// The figures an alert looks at.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Observed {
    pub waiting: usize,
    pub longest_wait: Millis,
    /// Percent; `None` when undefined (no alert then).
    pub service_level: Option<f64>,
}

pub fn levels(t: &Thresholds, o: &Observed) -> QueueLevels {
    QueueLevels {
        waiting: past(
            o.waiting as u64,
            t.waiting_warn.map(u64::from),
            t.waiting_crit.map(u64::from),
        ),
        longest_wait: past(o.longest_wait, t.longest_wait_warn, t.longest_wait_crit),
        service_level: match (o.service_level, t.sl_target_pct) {
            (Some(sl), Some(target)) if sl < target => Level::Warn,
            _ => Level::Ok,
        },
    }
}

fn severity(l: Level) -> Severity {
    match l {
        Level::Ok => Severity::Good,
        Level::Warn => Severity::Warn,
        Level::Crit => Severity::Crit,
    }
}

fn level_word(l: Level) -> &'static str {
    match l {
        Level::Ok => "normal",
        Level::Warn => "warning",
        Level::Crit => "critical",
    }
}

/// Remembers each queue's levels and reports what changed.
#[derive(Debug, Default, Clone)]
pub struct AlertTracker {
    last: HashMap<Box<str>, QueueLevels>,
}

/// What one look at a queue produced.
#[derive(Debug, Default, PartialEq)]
pub struct Crossings {
    pub entries: Vec<LogEntry>,
    /// A figure went into critical (the bell rings for this).
    pub into_critical: bool,
}

impl AlertTracker {
    /// Compares a queue's levels with the last look; `label` is the name
    /// shown, already cleaned.
    pub fn observe(
        &mut self,
        queue: &str,
        label: &str,
        t: &Thresholds,
        o: &Observed,
        at: Ts,
        out: &mut Crossings,
    ) -> QueueLevels {
        let now = levels(t, o);
        let before = self.last.get(queue).copied().unwrap_or_default();
        if now == before {
            return now;
        }
        let mut report = |was: Level, is: Level, what: String, threshold: String| {
            if was == is {
                return;
            }
            if is == Level::Crit {
                out.into_critical = true;
            }
            let text = if is == Level::Ok {
                format!("{label}: {what} back to normal")
            } else {
                format!("{label}: {what} {} ({threshold})", level_word(is))
            };
            out.entries.push(LogEntry::new(at, severity(is), text));
        };
        let limit = |warn: Option<String>, crit: Option<String>, is: Level| match is {
            Level::Crit => crit.map(|c| format!("over {c}")).unwrap_or_default(),
            _ => warn.map(|w| format!("over {w}")).unwrap_or_default(),
        };
        report(
            before.waiting,
            now.waiting,
            format!("{} waiting", o.waiting),
            limit(
                t.waiting_warn.map(|w| w.to_string()),
                t.waiting_crit.map(|c| c.to_string()),
                now.waiting,
            ),
        );
        report(
            before.longest_wait,
            now.longest_wait,
            format!("longest wait {}", human(o.longest_wait)),
            limit(
                t.longest_wait_warn.map(human),
                t.longest_wait_crit.map(human),
                now.longest_wait,
            ),
        );
        report(
            before.service_level,
            now.service_level,
            match o.service_level {
                Some(sl) => format!("service level {sl:.1}%"),
                None => "service level".to_string(),
            },
            t.sl_target_pct
                .map(|p| format!("target {p}%"))
                .unwrap_or_default(),
        );
        self.last.insert(queue.into(), now);
        now
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t() -> Thresholds {
        Thresholds {
            longest_wait_warn: Some(60_000),
            longest_wait_crit: Some(180_000),
            waiting_warn: Some(5),
            waiting_crit: Some(15),
            sl_target_pct: Some(80.0),
        }
    }

    fn o(waiting: usize, longest: Millis, sl: Option<f64>) -> Observed {
        Observed {
            waiting,
            longest_wait: longest,
            service_level: sl,
        }
    }

    #[test]
    fn levels_are_strictly_past_thresholds() {
        let l = levels(&t(), &o(5, 60_000, Some(80.0)));
        assert_eq!(l, QueueLevels::default());
        let l = levels(&t(), &o(6, 60_001, Some(79.9)));
        assert_eq!(
            (l.waiting, l.longest_wait, l.service_level),
            (Level::Warn, Level::Warn, Level::Warn)
        );
        let l = levels(&t(), &o(16, 180_001, None));
        assert_eq!((l.waiting, l.longest_wait), (Level::Crit, Level::Crit));
        assert_eq!(l.service_level, Level::Ok);
        assert_eq!(l.worst(), Level::Crit);
        // No thresholds, no alerts.
        assert_eq!(
            levels(&Thresholds::default(), &o(999, 9_999_999, Some(0.0))),
            QueueLevels::default()
        );
    }

    #[test]
    fn crossings_and_returns_are_logged_once() {
        let mut tr = AlertTracker::default();
        let mut out = Crossings::default();
        tr.observe("b", "Billing", &t(), &o(6, 0, None), Ts(1000), &mut out);
        assert_eq!(out.entries.len(), 1);
        assert_eq!(out.entries[0].text, "Billing: 6 waiting warning (over 5)");
        assert!(!out.into_critical);

        let mut out = Crossings::default();
        tr.observe("b", "Billing", &t(), &o(7, 0, None), Ts(2000), &mut out);
        assert!(out.entries.is_empty(), "same level: nothing new");

        let mut out = Crossings::default();
        tr.observe(
            "b",
            "Billing",
            &t(),
            &o(7, 181_000, None),
            Ts(3000),
            &mut out,
        );
        assert_eq!(
            out.entries[0].text,
            "Billing: longest wait 3m01s critical (over 3m00s)"
        );
        assert_eq!(out.entries[0].severity, Severity::Crit);
        assert!(out.into_critical);

        let mut out = Crossings::default();
        tr.observe("b", "Billing", &t(), &o(0, 0, None), Ts(4000), &mut out);
        let texts: Vec<&str> = out.entries.iter().map(|e| e.text.as_str()).collect();
        assert_eq!(
            texts,
            vec![
                "Billing: 0 waiting back to normal",
                "Billing: longest wait 0s back to normal"
            ]
        );
        assert!(out.entries.iter().all(|e| e.severity == Severity::Good));
    }
}
