//! The rules: what each looks at, which way is worse, and its limits.

use crate::time::Millis;

/// How bad a figure is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Default, Hash)]
pub enum Level {
    #[default]
    Ok,
    Warn,
    Crit,
}

impl Level {
    pub fn as_str(self) -> &'static str {
        match self {
            Level::Ok => "ok",
            Level::Warn => "warning",
            Level::Crit => "critical",
        }
    }
}

/// Which way a figure goes bad.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Direction {
    /// Worse when higher (waits, counts): past means `value > threshold`.
    Above,
    /// Worse when lower (service level, time left): past means `value < threshold`.
    Below,
}

/// One rule's levels and timing. Values are in the rule's unit (seconds,
/// percent, contacts, agents).
#[derive(Clone, Copy, Debug, PartialEq, Default)]
pub struct Limit {
    pub warn: Option<f64>,
    pub crit: Option<f64>,
    /// How long the figure must stay past a level before it fires.
    pub hold: Millis,
    /// How long it must stay clear before the alert returns.
    pub clear_for: Millis,
    /// How far back past the threshold the figure must be to count as clear.
    pub clear_margin: f64,
}

impl Limit {
    pub fn is_set(&self) -> bool {
        self.warn.is_some() || self.crit.is_some()
    }

    /// The mildest threshold: a figure not past it needs no look.
    pub fn first(&self, dir: Direction) -> Option<f64> {
        match (self.warn, self.crit, dir) {
            (Some(w), Some(c), Direction::Above) => Some(w.min(c)),
            (Some(w), Some(c), Direction::Below) => Some(w.max(c)),
            (w, c, _) => w.or(c),
        }
    }
}

/// Rules about one queue.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum QueueRule {
    LongestWait,
    Waiting,
    ServiceLevel,
    AbandonRate,
    Asa,
    Entered,
    NoAgent,
    WaitForecast,
    AgentsShort,
    Csat,
    Art,
    Occupancy,
}

impl QueueRule {
    pub const ALL: [QueueRule; 12] = [
        QueueRule::LongestWait,
        QueueRule::Waiting,
        QueueRule::ServiceLevel,
        QueueRule::AbandonRate,
        QueueRule::Asa,
        QueueRule::Entered,
        QueueRule::NoAgent,
        QueueRule::WaitForecast,
        QueueRule::AgentsShort,
        QueueRule::Csat,
        QueueRule::Art,
        QueueRule::Occupancy,
    ];

    /// The rule's name, also its config key.
    pub fn as_str(self) -> &'static str {
        match self {
            QueueRule::LongestWait => "longest_wait_s",
            QueueRule::Waiting => "waiting",
            QueueRule::ServiceLevel => "service_level_pct",
            QueueRule::AbandonRate => "abandon_rate_pct",
            QueueRule::Asa => "asa_s",
            QueueRule::Entered => "entered",
            QueueRule::NoAgent => "no_agent_waiting",
            QueueRule::WaitForecast => "wait_forecast_s",
            QueueRule::AgentsShort => "agents_short",
            QueueRule::Csat => "csat_pct",
            QueueRule::Art => "art_s",
            QueueRule::Occupancy => "occupancy_pct",
        }
    }

    pub fn direction(self) -> Direction {
        match self {
            QueueRule::ServiceLevel | QueueRule::WaitForecast | QueueRule::Csat => Direction::Below,
            _ => Direction::Above,
        }
    }

    pub fn index(self) -> usize {
        self as usize
    }
}

/// Rules about one agent (time in a state, or the ghost check).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum AgentRule {
    WrapUp,
    Busy,
    Away,
    OnHold,
    Talk,
    Ghost,
}

impl AgentRule {
    pub const ALL: [AgentRule; 6] = [
        AgentRule::WrapUp,
        AgentRule::Busy,
        AgentRule::Away,
        AgentRule::OnHold,
        AgentRule::Talk,
        AgentRule::Ghost,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            AgentRule::WrapUp => "wrap_up_s",
            AgentRule::Busy => "busy_s",
            AgentRule::Away => "away_s",
            AgentRule::OnHold => "on_hold_s",
            AgentRule::Talk => "talk_s",
            AgentRule::Ghost => "ghost_s",
        }
    }

    pub fn index(self) -> usize {
        self as usize
    }
}

/// Rules about the feed itself.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum FeedRule {
    Stale,
    Disconnected,
    Resync,
}

impl FeedRule {
    pub const ALL: [FeedRule; 3] = [FeedRule::Stale, FeedRule::Disconnected, FeedRule::Resync];

    pub fn as_str(self) -> &'static str {
        match self {
            FeedRule::Stale => "stale_s",
            FeedRule::Disconnected => "disconnected_s",
            FeedRule::Resync => "resync_s",
        }
    }

    pub fn index(self) -> usize {
        self as usize
    }
}

/// Which rule an alert comes from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum RuleId {
    Queue(QueueRule),
    Agent(AgentRule),
    /// An away reason's own limit: index into [`AgentLimits::reasons`].
    AwayReason(u16),
    Feed(FeedRule),
}

/// Every queue rule's limit, by [`QueueRule::index`].
pub type QueueLimits = [Limit; 12];

#[derive(Clone, Debug, Default, PartialEq)]
pub struct AgentLimits {
    pub rules: [Limit; 6],
    /// Per away reason: (rule name `away_s:REASON`, reason, limit). Such a
    /// limit replaces `away_s` for agents away with that reason.
    pub reasons: Vec<(Box<str>, Box<str>, Limit)>,
}

/// Every rule from the config.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Rules {
    pub defaults: QueueLimits,
    pub queues: std::collections::HashMap<String, QueueLimits>,
    pub agents: AgentLimits,
    pub feed: [Limit; 3],
}

impl Rules {
    /// Whether any rule is set (no rules: nothing to look at).
    pub fn any(&self) -> bool {
        let set = |ls: &[Limit]| ls.iter().any(Limit::is_set);
        set(&self.defaults)
            || self.queues.values().any(|q| set(q))
            || set(&self.agents.rules)
            || self.agents.reasons.iter().any(|r| r.2.is_set())
            || set(&self.feed)
    }

    pub fn for_queue(&self, id: &str) -> &QueueLimits {
        self.queues.get(id).unwrap_or(&self.defaults)
    }

    /// The rule's name as shown and exported.
    pub fn name(&self, rule: RuleId) -> &str {
        match rule {
            RuleId::Queue(r) => r.as_str(),
            RuleId::Agent(r) => r.as_str(),
            RuleId::AwayReason(i) => self
                .agents
                .reasons
                .get(i as usize)
                .map_or("away_s", |(n, _, _)| n),
            RuleId::Feed(r) => r.as_str(),
        }
    }

    pub fn direction(rule: RuleId) -> Direction {
        match rule {
            RuleId::Queue(r) => r.direction(),
            _ => Direction::Above,
        }
    }
}
