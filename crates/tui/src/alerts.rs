//! Alerts on screen (docs/alerts.md): the levels of a queue's cells and of
//! an agent's row, read from the monitor's rule engine (the one source of
//! truth: `for`, hysteresis and every rule are the engine's), and its
//! crossings and returns as event log entries. Pure: no clock, no terminal.

use super::log::{LogEntry, Severity};
use queuetop_engine::alert::{Change, Direction, Engine, QueueRule, RuleId, Rules, Subject};
use queuetop_engine::floor::QueueIdx;
use queuetop_engine::time::{Millis, human};

pub use queuetop_engine::alert::Level;

/// The levels of one queue's alerting figures shown as cells.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub struct QueueLevels {
    pub waiting: Level,
    pub longest_wait: Level,
    pub service_level: Level,
    pub abandon_rate: Level,
    pub asa: Level,
    pub csat: Level,
    pub art: Level,
    pub occupancy: Level,
}

impl QueueLevels {
    pub fn of(engine: &Engine, q: QueueIdx) -> Self {
        let l = |r| engine.level(RuleId::Queue(r), Subject::Queue(q));
        QueueLevels {
            waiting: l(QueueRule::Waiting).max(l(QueueRule::NoAgent)),
            longest_wait: l(QueueRule::LongestWait).max(l(QueueRule::WaitForecast)),
            service_level: l(QueueRule::ServiceLevel),
            abandon_rate: l(QueueRule::AbandonRate),
            asa: l(QueueRule::Asa),
            csat: l(QueueRule::Csat),
            art: l(QueueRule::Art),
            occupancy: l(QueueRule::Occupancy),
        }
    }

    pub fn worst(&self) -> Level {
        self.waiting
            .max(self.longest_wait)
            .max(self.service_level)
            .max(self.abandon_rate)
            .max(self.asa)
            .max(self.csat)
            .max(self.art)
            .max(self.occupancy)
    }
}

fn severity(l: Level) -> Severity {
    match l {
        Level::Ok => Severity::Good,
        Level::Warn => Severity::Warn,
        Level::Crit => Severity::Crit,
    }
}

fn dur(v: f64) -> String {
    human((v * 1000.0).round() as Millis)
}

/// The figure as a phrase: "5 waiting", "longest wait 3m00s".
fn what(rules: &Rules, rule: RuleId, v: Option<f64>) -> String {
    use queuetop_engine::alert::{AgentRule, FeedRule};
    let n = |v: f64| format!("{v:.0}");
    let Some(v) = v else {
        // The figure is gone (the agent left the state, the window has no
        // samples): name it alone.
        return match rule {
            RuleId::Queue(r) => match r {
                QueueRule::LongestWait => "longest wait",
                QueueRule::Waiting => "waiting",
                QueueRule::ServiceLevel => "service level",
                QueueRule::AbandonRate => "abandon rate",
                QueueRule::Asa => "ASA",
                QueueRule::Entered => "entered",
                QueueRule::NoAgent => "no agent available",
                QueueRule::WaitForecast => "wait forecast",
                QueueRule::AgentsShort => "staffing",
                QueueRule::Csat => "CSAT",
                QueueRule::Art => "ART",
                QueueRule::Occupancy => "occupancy",
            }
            .to_string(),
            RuleId::Agent(r) => match r {
                AgentRule::WrapUp => "wrap-up time",
                AgentRule::Busy => "busy time",
                AgentRule::Away => "away time",
                AgentRule::OnHold => "hold time",
                AgentRule::Talk => "talk time",
                AgentRule::Ghost => "available time",
            }
            .to_string(),
            RuleId::AwayReason(i) => {
                let reason = rules.agents.reasons.get(i as usize).map_or("", |r| &*r.1);
                format!("away ({reason}) time")
            }
            RuleId::Feed(r) => match r {
                FeedRule::Stale => "staleness",
                FeedRule::Disconnected => "connection",
                FeedRule::Resync => "resync",
            }
            .to_string(),
        };
    };
    match rule {
        RuleId::Queue(r) => match r {
            QueueRule::LongestWait => format!("longest wait {}", dur(v)),
            QueueRule::Waiting => format!("{} waiting", n(v)),
            QueueRule::ServiceLevel => format!("service level {v:.1}%"),
            QueueRule::AbandonRate => format!("abandon rate {v:.1}%"),
            QueueRule::Asa => format!("ASA {}", dur(v)),
            QueueRule::Entered => format!("{} entered", n(v)),
            QueueRule::NoAgent => format!("{} waiting and no agent available", n(v)),
            QueueRule::WaitForecast => format!("longest wait critical in {}", dur(v)),
            QueueRule::AgentsShort => format!("short by {} agents", n(v)),
            QueueRule::Csat => format!("CSAT {v:.1}%"),
            QueueRule::Art => format!("ART {}", dur(v)),
            QueueRule::Occupancy => format!("occupancy {v:.1}%"),
        },
        RuleId::Agent(r) => match r {
            AgentRule::WrapUp => format!("in wrap-up for {}", dur(v)),
            AgentRule::Busy => format!("busy for {}", dur(v)),
            AgentRule::Away => format!("away for {}", dur(v)),
            AgentRule::OnHold => format!("on hold for {}", dur(v)),
            AgentRule::Talk => format!("talking for {}", dur(v)),
            AgentRule::Ghost => format!("available for {} while contacts wait", dur(v)),
        },
        RuleId::AwayReason(i) => {
            let reason = rules.agents.reasons.get(i as usize).map_or("", |r| &*r.1);
            format!("away ({reason}) for {}", dur(v))
        }
        RuleId::Feed(r) => match r {
            FeedRule::Stale => format!("no event for {}", dur(v)),
            FeedRule::Disconnected => format!("down for {}", dur(v)),
            FeedRule::Resync => format!("resync not done after {}", dur(v)),
        },
    }
}

fn threshold_text(rule: RuleId, t: f64) -> String {
    let seconds = match rule {
        RuleId::Queue(r) => matches!(
            r,
            QueueRule::LongestWait | QueueRule::Asa | QueueRule::WaitForecast | QueueRule::Art
        ),
        _ => true,
    };
    let shown = if seconds {
        dur(t)
    } else if matches!(
        rule,
        RuleId::Queue(
            QueueRule::ServiceLevel
                | QueueRule::AbandonRate
                | QueueRule::Csat
                | QueueRule::Occupancy
        )
    ) {
        format!("{t}%")
    } else {
        format!("{t}")
    };
    match (rule, Rules::direction(rule)) {
        (RuleId::Queue(QueueRule::ServiceLevel), _) => format!("target {shown}"),
        (_, Direction::Above) => format!("over {shown}"),
        (_, Direction::Below) => format!("under {shown}"),
    }
}

/// One crossing or return as a log entry; `label` is who it is about as
/// shown (the queue's or agent's name, cleaned; "feed" for the feed).
pub fn entry(rules: &Rules, c: &Change, label: &str) -> LogEntry {
    let what = what(rules, c.rule, c.value);
    let text = if c.to == Level::Ok {
        format!("{label}: {what} back to normal")
    } else {
        let word = match c.to {
            Level::Crit => "critical",
            _ => "warning",
        };
        match c.threshold {
            Some(t) => format!("{label}: {what} {word} ({})", threshold_text(c.rule, t)),
            None => format!("{label}: {what} {word}"),
        }
    };
    LogEntry::new(c.at, severity(c.to), text)
}

#[cfg(test)]
mod tests {
    use super::*;
    use queuetop_engine::alert::AgentRule;
    use queuetop_engine::floor::AgentIdx;
    use queuetop_engine::time::Ts;

    fn change(rule: RuleId, subject: Subject, from: Level, to: Level, v: f64, t: f64) -> Change {
        Change {
            rule,
            subject,
            subject_id: "x".into(),
            from,
            to,
            at: Ts(1000),
            value: Some(v),
            threshold: Some(t),
        }
    }

    #[test]
    fn crossings_and_returns_read_as_sentences() {
        let r = Rules::default();
        let q = Subject::Queue(QueueIdx(0));
        let e = entry(
            &r,
            &change(
                RuleId::Queue(QueueRule::Waiting),
                q,
                Level::Ok,
                Level::Warn,
                6.0,
                5.0,
            ),
            "Billing",
        );
        assert_eq!(e.text, "Billing: 6 waiting warning (over 5)");
        assert_eq!(e.severity, Severity::Warn);
        let e = entry(
            &r,
            &change(
                RuleId::Queue(QueueRule::LongestWait),
                q,
                Level::Warn,
                Level::Crit,
                181.0,
                180.0,
            ),
            "Billing",
        );
        assert_eq!(e.text, "Billing: longest wait 3m01s critical (over 3m00s)");
        assert_eq!(e.severity, Severity::Crit);
        let e = entry(
            &r,
            &change(
                RuleId::Queue(QueueRule::ServiceLevel),
                q,
                Level::Ok,
                Level::Warn,
                50.0,
                80.0,
            ),
            "Sales",
        );
        assert_eq!(e.text, "Sales: service level 50.0% warning (target 80%)");
        let a = Subject::Agent(AgentIdx(3));
        let mut back = change(
            RuleId::Agent(AgentRule::WrapUp),
            a,
            Level::Warn,
            Level::Ok,
            0.0,
            0.0,
        );
        back.value = None;
        let e = entry(&r, &back, "Dana");
        assert_eq!(e.text, "Dana: wrap-up time back to normal");
        assert_eq!(e.severity, Severity::Good);
        let e = entry(
            &r,
            &change(
                RuleId::Agent(AgentRule::WrapUp),
                a,
                Level::Ok,
                Level::Crit,
                700.0,
                600.0,
            ),
            "Dana",
        );
        assert_eq!(e.text, "Dana: in wrap-up for 11m40s critical (over 10m00s)");
    }
}
