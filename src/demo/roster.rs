//! Who works on the simulated floor and what comes in: the queues with their
//! traffic, handling times and habits, and the agents with their skills.
//!
//! The figures are chosen so that the floor at rate 1 runs at about 80 %
//! occupancy: busy enough that contacts wait now and then, with a surge or
//! the lunch hour pushing a queue past its service level.

/// What kind of work a queue carries. It decides how contacts are handled:
/// voice one at a time with holds and transfers, chat up to
/// [`CHAT_CONCURRENCY`] at once with a first reply, email one at a time,
/// answered by a reply and never abandoned.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Medium {
    Voice,
    Chat,
    Email,
}

impl Medium {
    /// The feed-v1 `channel` string.
    pub fn channel(self) -> &'static str {
        match self {
            Medium::Voice => "voice",
            Medium::Chat => "chat",
            Medium::Email => "email",
        }
    }

    /// Routing order when an agent frees up: callers on the line first,
    /// then chats, then the email pile.
    pub fn priority(self) -> u8 {
        match self {
            Medium::Voice => 0,
            Medium::Chat => 1,
            Medium::Email => 2,
        }
    }
}

/// How many chats one agent holds at most.
pub const CHAT_CONCURRENCY: usize = 3;

/// A queue stops taking new contacts at this many waiting (a full queue
/// gives callers a busy tone), which keeps memory and snapshots bounded
/// however high `--rate` goes.
pub const MAX_WAITING: usize = 200;

/// A log-normal duration: mean and coefficient of variation, in seconds.
#[derive(Clone, Copy, Debug)]
pub struct Dur {
    pub mean_s: f64,
    pub cv: f64,
}

const fn dur(mean_s: f64, cv: f64) -> Dur {
    Dur { mean_s, cv }
}

#[derive(Clone, Copy, Debug)]
pub struct QueueSpec {
    pub id: &'static str,
    pub name: &'static str,
    pub medium: Medium,
    pub sl_threshold_s: u32,
    /// Arrivals per hour at the busiest time of day, at rate 1.
    pub per_hour: f64,
    /// Talk time (voice), conversation length (chat) or work time (email).
    pub handle: Dur,
    /// How long a customer waits before giving up; `None`: never.
    pub patience: Option<Dur>,
    /// Share of voice contacts put on hold once.
    pub hold_p: f64,
    /// Share of contacts transferred, and where to.
    pub transfer_p: f64,
    pub transfer_to: &'static [&'static str],
    /// Share of contacts that end resolved.
    pub resolve_p: f64,
    /// After-contact work.
    pub wrap: Dur,
    /// Weight of the queue when a surge (an outage, a campaign) hits.
    pub surge_weight: f64,
}

pub const QUEUES: [QueueSpec; 6] = [
    QueueSpec {
        id: "billing",
        name: "Billing",
        medium: Medium::Voice,
        sl_threshold_s: 20,
        per_hour: 65.0,
        handle: dur(300.0, 0.6),
        patience: Some(dur(150.0, 0.9)),
        hold_p: 0.25,
        transfer_p: 0.05,
        transfer_to: &["sales", "tech"],
        resolve_p: 0.85,
        wrap: dur(25.0, 0.5),
        surge_weight: 3.0,
    },
    QueueSpec {
        id: "sales",
        name: "Sales",
        medium: Medium::Voice,
        sl_threshold_s: 30,
        per_hour: 31.0,
        handle: dur(400.0, 0.6),
        patience: Some(dur(180.0, 0.9)),
        hold_p: 0.15,
        transfer_p: 0.04,
        transfer_to: &["billing"],
        resolve_p: 0.9,
        wrap: dur(30.0, 0.5),
        surge_weight: 1.5,
    },
    QueueSpec {
        id: "tech",
        name: "Tech Support",
        medium: Medium::Voice,
        sl_threshold_s: 60,
        per_hour: 35.0,
        handle: dur(540.0, 0.6),
        patience: Some(dur(300.0, 0.8)),
        hold_p: 0.35,
        transfer_p: 0.04,
        transfer_to: &["billing"],
        resolve_p: 0.72,
        wrap: dur(45.0, 0.6),
        surge_weight: 4.0,
    },
    QueueSpec {
        id: "soporte",
        name: "Soporte en Español",
        medium: Medium::Voice,
        sl_threshold_s: 30,
        per_hour: 9.0,
        handle: dur(360.0, 0.6),
        patience: Some(dur(180.0, 0.9)),
        hold_p: 0.2,
        transfer_p: 0.05,
        transfer_to: &["tech", "billing"],
        resolve_p: 0.82,
        wrap: dur(25.0, 0.5),
        surge_weight: 0.5,
    },
    QueueSpec {
        id: "chat",
        name: "Chat Support",
        medium: Medium::Chat,
        sl_threshold_s: 60,
        per_hour: 80.0,
        handle: dur(720.0, 0.5),
        patience: Some(dur(360.0, 0.8)),
        hold_p: 0.0,
        transfer_p: 0.0,
        transfer_to: &[],
        resolve_p: 0.8,
        wrap: dur(10.0, 0.5),
        surge_weight: 1.5,
    },
    QueueSpec {
        id: "email",
        name: "Email",
        medium: Medium::Email,
        sl_threshold_s: 3600,
        per_hour: 20.0,
        handle: dur(360.0, 0.5),
        patience: None,
        hold_p: 0.0,
        transfer_p: 0.0,
        transfer_to: &[],
        resolve_p: 0.75,
        wrap: dur(15.0, 0.5),
        surge_weight: 0.0,
    },
];

/// The index of a queue in [`QUEUES`].
pub fn queue_index(id: &str) -> Option<usize> {
    QUEUES.iter().position(|q| q.id == id)
}

#[derive(Clone, Copy, Debug)]
pub struct AgentSpec {
    pub id: &'static str,
    pub name: &'static str,
    /// Queue ids the agent serves, in the order it prefers them.
    pub queues: &'static [&'static str],
}

const fn agent(id: &'static str, name: &'static str, queues: &'static [&'static str]) -> AgentSpec {
    AgentSpec { id, name, queues }
}

/// Forty agents of a mid-size multilingual floor. A few names carry
/// non-ASCII letters so the screen is exercised with them.
pub const AGENTS: [AgentSpec; 40] = [
    agent("a01", "Dana Ruiz", &["billing", "sales"]),
    agent("a02", "Marcus Okafor", &["billing"]),
    agent("a03", "Priya Raman", &["billing"]),
    agent("a04", "Tom Becker", &["billing", "sales"]),
    agent("a05", "Aisha Khan", &["billing"]),
    agent("a06", "Liam O'Connor", &["billing"]),
    agent("a07", "Zoë Åberg", &["billing", "email"]),
    agent("a08", "Hiroshi Tanaka", &["billing"]),
    agent("a09", "Grace Mwangi", &["billing", "sales"]),
    agent("a10", "Ethan Brooks", &["billing"]),
    agent("a11", "Sofia Rossi", &["sales"]),
    agent("a12", "Jamal Carter", &["sales", "billing"]),
    agent("a13", "Emily Nguyen", &["sales"]),
    agent("a14", "Lars Johansson", &["sales"]),
    agent("a15", "Fatima Haddad", &["sales", "billing"]),
    agent("a16", "Noah Fischer", &["sales"]),
    agent("a17", "Kwame Mensah", &["tech"]),
    agent("a18", "Mei Chen", &["tech"]),
    agent("a19", "Oliver Schmidt", &["tech"]),
    agent("a20", "Ananya Iyer", &["tech"]),
    agent("a21", "Søren Kjær", &["tech"]),
    agent("a22", "Chloé Dubois", &["tech"]),
    agent("a23", "Ravi Patel", &["tech"]),
    agent("a24", "Sarah Goldberg", &["tech"]),
    agent("a25", "Diego Herrera", &["tech", "soporte"]),
    agent("a26", "Hannah Lee", &["tech"]),
    agent("a27", "José Núñez", &["soporte", "billing"]),
    agent("a28", "María Fernández", &["soporte", "billing"]),
    agent("a29", "Lucía Gómez", &["soporte", "sales"]),
    agent("a30", "Aylin Yılmaz", &["chat"]),
    agent("a31", "Ben Adeyemi", &["chat"]),
    agent("a32", "Camille Laurent", &["chat"]),
    agent("a33", "Nguyễn Thu Hà", &["chat"]),
    agent("a34", "Jack Murphy", &["chat"]),
    agent("a35", "Isabela Costa", &["chat", "email"]),
    agent("a36", "Yusuf Demir", &["chat"]),
    agent("a37", "Łukasz Wróbel", &["email", "chat"]),
    agent("a38", "Ingrid Halvorsen", &["email"]),
    agent("a39", "Samuel Osei", &["email", "chat"]),
    agent("a40", "Rachel Kim", &["email"]),
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_skill_and_transfer_names_a_queue() {
        for a in &AGENTS {
            assert!(!a.queues.is_empty(), "{} serves nothing", a.id);
            for q in a.queues {
                assert!(queue_index(q).is_some(), "{}: unknown queue {q}", a.id);
            }
        }
        for q in &QUEUES {
            for t in q.transfer_to {
                assert!(queue_index(t).is_some_and(|i| QUEUES[i].id != q.id));
            }
        }
    }

    #[test]
    fn every_queue_is_staffed_and_ids_are_unique() {
        for q in &QUEUES {
            assert!(
                AGENTS.iter().filter(|a| a.queues.contains(&q.id)).count() >= 4,
                "{} is understaffed",
                q.id
            );
        }
        let mut ids: Vec<_> = AGENTS.iter().map(|a| a.id).collect();
        ids.sort();
        ids.dedup();
        assert_eq!(ids.len(), AGENTS.len());
        assert!(AGENTS.iter().any(|a| !a.name.is_ascii()));
    }
}
