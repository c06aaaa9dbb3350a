//! The live state: who waits where, and who does what, right now.

use std::collections::BTreeSet;

use smallvec::SmallVec;

use super::occupancy::OccClass;
use super::recent::Recent;
use super::sample::{AgentIdx, QueueIdx};
use crate::protocol::AgentState;
use crate::time::{Millis, Ts};

/// Key of a live contact in the floor's contact slab.
pub type ContactKey = usize;

/// What an agent is shown as: `on_contact` while holding any contact,
/// otherwise its last `agent.state`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum DisplayState {
    OnContact,
    Available,
    Busy,
    WrapUp,
    Away,
    Offline,
}

impl DisplayState {
    pub const ALL: [DisplayState; 6] = [
        DisplayState::OnContact,
        DisplayState::Available,
        DisplayState::Busy,
        DisplayState::WrapUp,
        DisplayState::Away,
        DisplayState::Offline,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            DisplayState::OnContact => "on_contact",
            DisplayState::Available => "available",
            DisplayState::Busy => "busy",
            DisplayState::WrapUp => "wrap_up",
            DisplayState::Away => "away",
            DisplayState::Offline => "offline",
        }
    }

    pub fn index(self) -> usize {
        self as usize
    }
}

impl From<AgentState> for DisplayState {
    fn from(s: AgentState) -> Self {
        match s {
            AgentState::Available => DisplayState::Available,
            AgentState::Busy => DisplayState::Busy,
            AgentState::WrapUp => DisplayState::WrapUp,
            AgentState::Away => DisplayState::Away,
            AgentState::Offline => DisplayState::Offline,
        }
    }
}

#[derive(Clone, Debug)]
pub struct Queue {
    pub id: Box<str>,
    /// From `queue.info` or a snapshot.
    pub feed_name: Option<Box<str>>,
    /// From `queue.info`.
    pub feed_threshold: Option<Millis>,
    /// Waiting contacts, oldest first.
    pub waiting: BTreeSet<(Ts, ContactKey)>,
}

impl Queue {
    pub fn new(id: &str) -> Self {
        Queue {
            id: id.into(),
            feed_name: None,
            feed_threshold: None,
            waiting: BTreeSet::new(),
        }
    }

    pub fn oldest(&self) -> Option<Ts> {
        self.waiting.first().map(|(since, _)| *since)
    }
}

#[derive(Clone, Debug)]
pub struct Agent {
    pub id: super::IdKey,
    pub name: Option<Box<str>>,
    /// The last `agent.state`, and when it began.
    pub state: AgentState,
    pub reason: Option<Box<str>>,
    pub queues: SmallVec<[QueueIdx; 4]>,
    pub contacts: SmallVec<[ContactKey; 2]>,
    /// When the current display state began.
    pub shown_since: Ts,
    /// Start of the wrap-up period in progress.
    pub wrap_since: Option<Ts>,
    /// The queue of the agent's last ended segment: wrap-up belongs there.
    pub last_queue: Option<QueueIdx>,
    /// False once a snapshot left the agent out: hidden, but its window
    /// history stays.
    pub present: bool,
    /// Recent display states, newest last.
    pub history: Recent,
    /// What occupancy last counted this agent as, and in which queues.
    pub occ_class: OccClass,
    pub occ_queues: SmallVec<[QueueIdx; 4]>,
    /// What the floor's agent counts hold for this agent.
    pub counted: super::tally::Counted,
    /// The place of the site its id names among the tally's sites.
    pub site: Option<u32>,
}

impl Agent {
    pub fn new(id: &str, now: Ts) -> Self {
        Agent {
            id: id.into(),
            name: None,
            // An agent first seen answering a contact is logged in; with no
            // other word, it is available once the contact ends.
            state: AgentState::Available,
            reason: None,
            queues: SmallVec::new(),
            contacts: SmallVec::new(),
            shown_since: now,
            wrap_since: None,
            last_queue: None,
            present: true,
            history: Recent::default(),
            occ_class: OccClass::Neither,
            occ_queues: SmallVec::new(),
            counted: None,
            site: None,
        }
    }

    /// What the agent's time counts as for occupancy now: on contact
    /// (however many contacts) or in wrap-up is occupied.
    pub fn occ_class(&self) -> OccClass {
        if !self.present {
            return OccClass::Neither;
        }
        match self.display() {
            DisplayState::OnContact | DisplayState::WrapUp => OccClass::Occupied,
            DisplayState::Available => OccClass::Available,
            _ => OccClass::Neither,
        }
    }

    pub fn display(&self) -> DisplayState {
        if self.contacts.is_empty() {
            self.state.into()
        } else {
            DisplayState::OnContact
        }
    }

    /// Call after anything that may change the display state, with the state
    /// shown before it.
    pub fn note_display(&mut self, before: DisplayState, at: Ts) {
        let now_shown = self.display();
        if now_shown != before || self.history.is_empty() {
            self.shown_since = at;
            self.history.push(at, now_shown);
        }
    }
}

/// A contact's channel. Only `voice` changes a figure (its first response is
/// its answer); the others are kept for display.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Channel {
    Voice,
    Chat,
    Email,
    Sms,
    Social,
    Other(Box<str>),
}

impl Channel {
    pub fn parse(s: &str) -> Self {
        match s {
            "voice" => Channel::Voice,
            "chat" => Channel::Chat,
            "email" => Channel::Email,
            "sms" => Channel::Sms,
            "social" => Channel::Social,
            other => Channel::Other(other.into()),
        }
    }

    pub fn as_str(&self) -> &str {
        match self {
            Channel::Voice => "voice",
            Channel::Chat => "chat",
            Channel::Email => "email",
            Channel::Sms => "sms",
            Channel::Social => "social",
            Channel::Other(s) => s,
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub enum Phase {
    Waiting {
        queue: QueueIdx,
        since: Ts,
    },
    Connected {
        agent: AgentIdx,
        /// Where the segment was answered; `None` when we never saw it queued.
        queue: Option<QueueIdx>,
        answered: Ts,
        /// Hold time of finished holds.
        held: Millis,
        /// Start of the hold in progress.
        hold_since: Option<Ts>,
    },
}

#[derive(Clone, Debug)]
pub struct Contact {
    pub id: super::IdKey,
    /// `None` until a `contact.queued` or snapshot names one: voice.
    pub channel: Option<Channel>,
    /// Starts the first-response clock.
    pub first_queued: Option<Ts>,
    /// First response already counted (or unknowable).
    pub responded: bool,
    /// Its customer started another contact within the repeat window before it.
    pub repeat: bool,
    pub has_customer: bool,
    pub phase: Phase,
    /// The earliest customer turn no agent has answered yet (ART): the
    /// inquiry itself at first, then the first customer message after each
    /// response. One timestamp, however long the conversation.
    pub pending_turn: Option<Ts>,
    /// The queue and agent of its last ended segment (surveys belong there).
    pub last_segment: Option<LastSegment>,
    /// Its routing priority (feed-v1 `priority`): higher is more urgent,
    /// 0 when no event gave one.
    pub priority: i32,
}

/// Where a contact's last segment was: its queue (if it was seen queued)
/// and its agent.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct LastSegment {
    pub queue: Option<QueueIdx>,
    pub agent: AgentIdx,
}

impl Contact {
    pub fn is_voice(&self) -> bool {
        matches!(self.channel, None | Some(Channel::Voice))
    }

    pub fn is_connected(&self) -> bool {
        matches!(self.phase, Phase::Connected { .. })
    }

    /// Its last segment: the one in progress, else the last that ended.
    pub fn segment(&self) -> Option<LastSegment> {
        match self.phase {
            Phase::Connected { agent, queue, .. } => Some(LastSegment { queue, agent }),
            Phase::Waiting { .. } => self.last_segment,
        }
    }

    /// The queue it is in now: where it waits, or where its segment was answered.
    pub fn queue(&self) -> Option<QueueIdx> {
        match self.phase {
            Phase::Waiting { queue, .. } => Some(queue),
            Phase::Connected { queue, .. } => queue,
        }
    }
}

/// Hold time of a segment answered at `answered`, as of `at`. A feed with
/// its holds stamped out of order could claim more hold than the segment
/// lasted: hold never exceeds the segment, so talk is never negative.
pub fn hold_as_of(answered: Ts, held: Millis, hold_since: Option<Ts>, at: Ts) -> Millis {
    (held + hold_since.map_or(0, |h| at.since(h))).min(at.since(answered))
}
