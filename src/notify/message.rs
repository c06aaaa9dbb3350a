//! One crossing or return as the actions send it: owned, with every string
//! from the feed stripped of control characters (a queue id is the feed's
//! to choose, and it ends up in a chat channel or a shell script).

use serde::Serialize;

use queuetop_engine::alert::{Change, Level, Rules, Subject};
use queuetop_engine::text::strip;

fn clean(s: &str) -> String {
    strip(std::borrow::Cow::Borrowed(s)).into_owned()
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct AlertMessage {
    pub rule: String,
    /// The queue or agent id; "" for the feed.
    pub subject: String,
    /// `queue`, `agent` or `feed`.
    pub kind: &'static str,
    /// The level now: `warning`, `critical`, or `ok` for a return.
    pub level: &'static str,
    /// The level before.
    pub from: &'static str,
    /// When it crossed, on the feed's clock (RFC 3339).
    pub at: String,
    /// The figure, in the rule's unit.
    pub value: Option<f64>,
    pub threshold: Option<f64>,
    /// The source, as the header shows it.
    pub source: String,
    /// One line for people (the Slack/Teams body).
    pub text: String,
}

impl AlertMessage {
    pub fn new(rules: &Rules, c: &Change, source: &str) -> Self {
        let rule = clean(rules.name(c.rule));
        let subject = clean(&c.subject_id);
        let kind = match c.subject {
            Subject::Queue(_) => "queue",
            Subject::Agent(_) => "agent",
            Subject::Feed => "feed",
        };
        let who = if subject.is_empty() {
            kind.to_string()
        } else {
            format!("{kind} {subject}")
        };
        let num = |v: Option<f64>| v.map_or_else(|| "-".to_string(), |v| format!("{v:.1}"));
        let text = if c.to == Level::Ok {
            format!(
                "[queuetop] back to normal: {who} {rule} (was {})",
                c.from.as_str()
            )
        } else {
            format!(
                "[queuetop] {}: {who} {rule} = {} (threshold {})",
                c.to.as_str(),
                num(c.value),
                num(c.threshold)
            )
        };
        AlertMessage {
            rule,
            subject,
            kind,
            level: c.to.as_str(),
            from: c.from.as_str(),
            at: c.at.to_string(),
            value: c.value,
            threshold: c.threshold,
            source: clean(source),
            text,
        }
    }

    pub fn json(&self) -> String {
        serde_json::to_string(self).unwrap_or_else(|_| "{}".into())
    }

    /// The environment of an `exec` action: `QUEUETOP_ALERT_*`.
    pub fn env(&self) -> Vec<(&'static str, String)> {
        let num = |v: Option<f64>| v.map(|v| v.to_string()).unwrap_or_default();
        vec![
            ("QUEUETOP_ALERT_RULE", self.rule.clone()),
            ("QUEUETOP_ALERT_SUBJECT", self.subject.clone()),
            ("QUEUETOP_ALERT_KIND", self.kind.to_string()),
            ("QUEUETOP_ALERT_LEVEL", self.level.to_string()),
            ("QUEUETOP_ALERT_FROM", self.from.to_string()),
            ("QUEUETOP_ALERT_AT", self.at.clone()),
            ("QUEUETOP_ALERT_VALUE", num(self.value)),
            ("QUEUETOP_ALERT_THRESHOLD", num(self.threshold)),
            ("QUEUETOP_ALERT_TEXT", self.text.clone()),
        ]
    }
}

/// Whether an action acting from level `min` on takes a change from
/// `from` to `to`: a rise into `min` or above, or a fall from `min` or
/// above to below it (the return). A fall that stays at or above `min`
/// (critical back to warning, acting from warning) is not sent.
pub fn wanted(from: Level, to: Level, min: Level) -> bool {
    (to >= min && to > from) || (to < min && from >= min)
}

#[cfg(test)]
mod tests {
    use super::*;
    use Level::*;

    #[test]
    fn which_changes_an_action_takes() {
        assert!(wanted(Ok, Warn, Warn));
        assert!(wanted(Warn, Crit, Warn));
        assert!(!wanted(Crit, Warn, Warn));
        assert!(wanted(Warn, Ok, Warn));
        assert!(!wanted(Ok, Warn, Crit));
        assert!(wanted(Warn, Crit, Crit));
        assert!(wanted(Crit, Warn, Crit));
        assert!(!wanted(Warn, Ok, Crit));
    }
}
