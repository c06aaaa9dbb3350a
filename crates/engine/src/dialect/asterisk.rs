//! Asterisk: Asterisk Manager Interface (AMI) queue events, as JSON objects
//! with AMI's own keys and string values (one object per event, the form
//! AMI-to-WebSocket bridges emit, and the form the `ami://` source turns
//! AMI's `Key: Value` blocks into).
//!
//! The events and their fields are app_queue.c's (Asterisk 12 and later).
//! Three things there shape this decoder:
//! - AMI events carry no time unless `timestampevents = yes` (then a
//!   `Timestamp: 1700000000.123456` key); without it the receive time
//!   stands in, and recordings keep it (see [`super::platform::record_line`]).
//! - `QueueCallerLeave` is published *before* `AgentConnect` when a call is
//!   answered (app_queue.c leaves the queue, then announces the connect), and
//!   after `QueueCallerAbandon` whenever the caller leaves unanswered other
//!   than by the exit key (hang-up, queue timeout, leavewhenempty, withdraw:
//!   all are abandons, and Asterisk counts them so). A leave on its own (the
//!   exit key) ends the wait, neither answered nor abandoned. So a leave is
//!   held back for [`LEAVE_GRACE`]: a connect or an abandon in that time
//!   decides it; otherwise the contact has ended. The leave that follows an
//!   abandon adds nothing.
//! - `QueueCallerAbandon.HoldTime` is the seconds waited and
//!   `AgentRingNoAnswer.RingTime` is milliseconds (the XML docs say both are
//!   epoch times); queuetop computes waits itself and uses neither.

use std::borrow::Cow;
use std::collections::VecDeque;

use smallvec::SmallVec;

use super::Signal;
use super::json::Obj;
use super::ledger::{Agents, EmptyQueues};
use super::memo::{DEFAULT_CAP, Memo};
use super::platform::{Out, Platform, Sent, owned};
use crate::protocol::{AgentState, EventKind, Priority, RejectKind};
use crate::time::{Millis, Ts};

/// How long a `QueueCallerLeave` waits for the `AgentConnect` that may
/// follow it before it counts as the end of the contact.
pub const LEAVE_GRACE: Millis = 2_000;

/// How long an `AgentComplete` with `Reason: transfer` waits for the
/// caller's `QueueCallerJoin` in the next queue before it counts as the end
/// of the contact (a transfer to a phone or an IVR, not a queue). The
/// dialplan sends a blind-transferred caller to `Queue()` at once, unless it
/// plays something first: ten seconds covers a short announcement.
pub const TRANSFER_GRACE: Millis = 10_000;

/// Most queues remembered per member.
const MAX_MEMBER_QUEUES: usize = 64;

#[derive(Debug)]
enum Phase {
    Waiting,
    /// Left the queue at this time; the reason is not known yet.
    Left(Ts),
    /// Abandoned: the `QueueCallerLeave` app_queue.c sends next is no news.
    Abandoned,
    /// The member transferred the caller at this time; a join of the same
    /// `Uniqueid` in the next queue makes it a re-queue.
    Transferred(Ts),
    Connected {
        agent_channel: Option<Box<str>>,
        held: bool,
    },
}

#[derive(Debug, Default, Clone, PartialEq)]
struct Member {
    name: Option<Box<str>>,
    queues: SmallVec<[Box<str>; 4]>,
    /// The queues the member is paused in: app_queue.c pauses a member per
    /// queue (PauseQueueMember with a queue, or `autopause = yes`, which
    /// pauses a member who did not answer in that queue only), and
    /// publishes a QueueMemberPause for each queue it pauses.
    paused: SmallVec<[Box<str>; 4]>,
    reason: Option<Box<str>>,
    /// AMI device state (`Status`): 0 unknown .. 8 on hold.
    status: u8,
}

impl Member {
    /// Away only when paused in every queue: a member paused in one queue
    /// still takes the calls of the others.
    fn is_paused(&self) -> bool {
        !self.queues.is_empty()
            && self
                .queues
                .iter()
                .all(|q| self.paused.iter().any(|p| p == q))
    }

    /// Joins `queue` (when told), as the member events all name it.
    fn join(&mut self, queue: Option<&str>) {
        if let Some(q) = queue
            && !self.queues.iter().any(|x| x.as_ref() == q)
            && self.queues.len() < MAX_MEMBER_QUEUES
        {
            self.queues.push(q.into());
        }
    }

    /// Paused or not in `queue`; an event that names no queue (a relay
    /// that dropped it) speaks for all of them.
    fn set_paused(&mut self, queue: Option<&str>, on: bool) {
        match (queue, on) {
            (Some(q), true) => {
                if !self.paused.iter().any(|x| x.as_ref() == q)
                    && self.paused.len() < MAX_MEMBER_QUEUES
                {
                    self.paused.push(q.into());
                }
            }
            (Some(q), false) => self.paused.retain(|x| x.as_ref() != q),
            (None, true) => self.paused = self.queues.clone(),
            (None, false) => self.paused.clear(),
        }
    }

    fn state(&self) -> AgentState {
        if self.queues.is_empty() {
            return AgentState::Offline;
        }
        if self.is_paused() {
            return AgentState::Away;
        }
        match self.status {
            // AST_DEVICE_INVALID, AST_DEVICE_UNAVAILABLE: not reachable.
            4 | 5 => AgentState::Offline,
            // In use, busy, ringing, ring in use, on hold.
            2 | 3 | 6 | 7 | 8 => AgentState::Busy,
            // Not in use, or unknown (Local channels without a state interface).
            _ => AgentState::Available,
        }
    }
}

pub struct Asterisk {
    calls: Memo<Phase>,
    /// The member's channel (`DestUniqueid`) of a connected call, to the
    /// caller's `Uniqueid`: hold is announced on either channel.
    agent_channels: Memo<Box<str>>,
    members: Memo<Member>,
    /// Members' states as last sent.
    sent: Agents,
    /// A caller's `Linkedid` to its `Uniqueid`: with Local-channel members
    /// (FreePBX's default) hold is raised on channels that are neither the
    /// caller's nor the connect's `DestUniqueid`, but all share the
    /// caller's `Linkedid`.
    linked: Memo<Box<str>>,
    leaves: VecDeque<(Box<str>, Ts)>,
    transfers: VecDeque<(Box<str>, Ts)>,
}

impl Default for Asterisk {
    fn default() -> Self {
        Asterisk {
            calls: Memo::new(DEFAULT_CAP),
            agent_channels: Memo::new(DEFAULT_CAP),
            members: Memo::new(DEFAULT_CAP),
            sent: Agents::default(),
            linked: Memo::new(DEFAULT_CAP),
            leaves: VecDeque::new(),
            transfers: VecDeque::new(),
        }
    }
}

impl Platform for Asterisk {
    fn message<'b>(
        &mut self,
        msg: &Obj<'b>,
        raw: &'b str,
        received: Ts,
        out: &mut Out<'_, 'b>,
    ) -> Signal {
        let stamped = msg.ts("Timestamp");
        let ts = stamped.unwrap_or(received);
        self.flush_leaves(ts, out);
        self.flush_transfers(ts, out);
        let before = out.events;
        let r = match msg.str("Event") {
            Some(ev) => self.event(&ev, msg, ts, out),
            None => match msg.str("Response") {
                Some(_)
                    if msg
                        .str("Ping")
                        .is_some_and(|p| p.eq_ignore_ascii_case("pong")) =>
                {
                    out.event(ts, EventKind::Heartbeat);
                    Ok(())
                }
                // Other action responses say nothing about the floor.
                Some(_) => {
                    out.unknown();
                    Ok(())
                }
                None => Err(RejectKind::Missing("Event")),
            },
        };
        // A real AMI stream is mostly messages that change no figure
        // (AgentRingNoAnswer, a repeated QueueMemberStatus, Newexten, VarSet).
        // Their Timestamp is still the feed's time: without a heartbeat the
        // replay clock would stop at the last queue event, and every wait
        // and timer would read short.
        if r.is_ok()
            && out.events == before
            && let Some(at) = stamped
        {
            out.event(at, EventKind::Heartbeat);
        }
        out.result(r, raw);
        Signal::None
    }
}

fn is(ev: &str, name: &str) -> bool {
    ev.eq_ignore_ascii_case(name)
}

impl Asterisk {
    fn event<'b>(
        &mut self,
        ev: &str,
        msg: &Obj<'b>,
        ts: Ts,
        out: &mut Out<'_, 'b>,
    ) -> Result<(), RejectKind> {
        if is(ev, "QueueCallerJoin") {
            let contact = msg.id("Uniqueid", "contact_id")?;
            let queue = msg.id("Queue", "queue")?;
            let customer = msg
                .opt_id("CallerIDNum", "customer_id")
                .ok()
                .flatten()
                .filter(|c| !c.eq_ignore_ascii_case("<unknown>"));
            *self.calls.entry(&contact, || Phase::Waiting) = Phase::Waiting;
            if let Ok(Some(linked)) = msg.opt_id("Linkedid", "Linkedid") {
                *self.linked.entry(&linked, || contact.as_ref().into()) = contact.as_ref().into();
            }
            out.event(
                ts,
                EventKind::Queued {
                    contact,
                    queue,
                    channel: Some(Cow::Borrowed("voice")),
                    customer,
                    // The event's `Priority` is the channel's dialplan
                    // step, not its place in the queue: AMI does not say
                    // what QUEUE_PRIO the caller joined with.
                    priority: Priority::Absent,
                },
            );
        } else if is(ev, "QueueCallerLeave") {
            let contact = msg.id("Uniqueid", "contact_id")?;
            match self.calls.get_mut(&contact) {
                Some(p @ Phase::Waiting) => *p = Phase::Left(ts),
                // Already answered (connect seen first) or otherwise settled.
                Some(_) => return Ok(()),
                None => {
                    self.calls.entry(&contact, || Phase::Left(ts));
                }
            }
            if self.leaves.len() >= DEFAULT_CAP {
                self.leaves.pop_front();
            }
            self.leaves.push_back((contact.as_ref().into(), ts));
        } else if is(ev, "QueueCallerAbandon") {
            let contact = msg.id("Uniqueid", "contact_id")?;
            *self.calls.entry(&contact, || Phase::Abandoned) = Phase::Abandoned;
            out.event(ts, EventKind::Abandoned { contact });
        } else if is(ev, "AgentConnect") {
            let contact = msg.id("Uniqueid", "contact_id")?;
            let agent = msg.id("Interface", "agent_id")?;
            let agent_channel = msg
                .opt_id("DestUniqueid", "DestUniqueid")
                .ok()
                .flatten()
                .map(|c| Box::<str>::from(c.as_ref()));
            if let Some(ch) = &agent_channel {
                *self.agent_channels.entry(ch, || contact.as_ref().into()) =
                    contact.as_ref().into();
            }
            *self.calls.entry(&contact, || Phase::Waiting) = Phase::Connected {
                agent_channel,
                held: false,
            };
            out.event(ts, EventKind::Answered { contact, agent });
        } else if is(ev, "AgentComplete") {
            let contact = msg.id("Uniqueid", "contact_id")?;
            if let Some(Phase::Connected {
                agent_channel: Some(ch),
                ..
            }) = self.calls.remove(&contact)
            {
                self.agent_channels.remove(&ch);
            }
            // A transfer (app_queue.c's blind and attended transfer handlers)
            // is no end yet: a blind transfer to another queue brings the
            // same caller channel back with a QueueCallerJoin, which feed-v1
            // reads as a re-queue of the same contact (one first response).
            if msg
                .str("Reason")
                .is_some_and(|r| r.eq_ignore_ascii_case("transfer"))
            {
                self.calls.entry(&contact, || Phase::Transferred(ts));
                if self.transfers.len() >= DEFAULT_CAP {
                    self.transfers.pop_front();
                }
                self.transfers.push_back((contact.as_ref().into(), ts));
                return Ok(());
            }
            out.event(
                ts,
                EventKind::Ended {
                    contact,
                    resolved: None,
                },
            );
        } else if is(ev, "Hold") || is(ev, "MusicOnHoldStart") {
            self.hold(msg, ts, true, out)?;
        } else if is(ev, "Unhold") || is(ev, "MusicOnHoldStop") {
            self.hold(msg, ts, false, out)?;
        } else if is(ev, "QueueMemberStatus")
            || is(ev, "QueueMemberAdded")
            // A penalty or ringinuse change carries the member's whole
            // state too (app_queue.c documents the same fields for all).
            || is(ev, "QueueMemberPenalty")
            || is(ev, "QueueMemberRinginuse")
        {
            self.member(msg, ts, out, |m, msg| {
                let queue = msg.text("Queue");
                m.join(queue.as_deref());
                if let Some(p) = msg.flag("Paused") {
                    m.set_paused(queue.as_deref(), p);
                    if p {
                        m.reason = paused_reason(msg);
                    }
                }
                if let Some(s) = msg.text("Status").and_then(|s| s.parse().ok()) {
                    m.status = s;
                }
            })?;
        } else if is(ev, "QueueMemberPause") {
            self.member(msg, ts, out, |m, msg| {
                let queue = msg.text("Queue");
                m.join(queue.as_deref());
                if let Some(p) = msg.flag("Paused") {
                    m.set_paused(queue.as_deref(), p);
                    if p {
                        m.reason = paused_reason(msg);
                    }
                }
            })?;
        } else if is(ev, "QueueMemberRemoved") {
            self.member(msg, ts, out, |m, msg| {
                if let Some(q) = msg.text("Queue") {
                    m.queues.retain(|x| x.as_ref() != q.as_ref());
                    m.paused.retain(|x| x.as_ref() != q.as_ref());
                }
            })?;
        } else if is(ev, "AgentCalled") || is(ev, "AgentRingNoAnswer") || is(ev, "AgentDump") {
            // Ringing a member changes no figure; the caller still waits
            // (a member's no-answer rings the next: still one wait). A
            // member who hangs up during the queue's announcement to them
            // (AgentDump, before any AgentConnect) leaves the caller in the
            // queue too: app_queue.c goes back to ringing members.
        } else if is(ev, "AttendedTransfer") || is(ev, "BlindTransfer") {
            // app_queue.c answers both with AgentComplete `Reason: transfer`
            // for a queue call, which decides (a re-queue on the next join,
            // else the end at the transfer).
        } else {
            out.unknown();
        }
        Ok(())
    }

    fn hold<'b>(
        &mut self,
        msg: &Obj<'b>,
        ts: Ts,
        on: bool,
        out: &mut Out<'_, 'b>,
    ) -> Result<(), RejectKind> {
        let uid = msg.id("Uniqueid", "contact_id")?;
        // The caller's channel, or the member's channel of a connected call.
        // Or, failing both, the call the channel is linked to: a Local
        // channel member's phone raises Hold, and music on hold lands on
        // the Local `;2` half.
        let contact: Box<str> = match self.agent_channels.get(&uid) {
            Some(c) => c.clone(),
            None if self.calls.get(&uid).is_some() => uid.as_ref().into(),
            None => match msg
                .opt_id("Linkedid", "Linkedid")
                .ok()
                .flatten()
                .and_then(|l| self.linked.get(&l).cloned())
            {
                Some(c) => c,
                None => uid.as_ref().into(),
            },
        };
        // Music on hold also plays to callers waiting in the queue: only a
        // connected call can be put on hold.
        if let Some(Phase::Connected { held, .. }) = self.calls.get_mut(&contact)
            && *held != on
        {
            *held = on;
            let contact = owned(&contact);
            out.event(
                ts,
                if on {
                    EventKind::Hold { contact }
                } else {
                    EventKind::Resumed { contact }
                },
            );
        }
        Ok(())
    }

    /// Updates a member with `change`, then sends its state if it changed.
    fn member<'b>(
        &mut self,
        msg: &Obj<'b>,
        ts: Ts,
        out: &mut Out<'_, 'b>,
        change: impl FnOnce(&mut Member, &Obj<'b>),
    ) -> Result<(), RejectKind> {
        let agent = msg.id("Interface", "agent_id")?;
        let m = self.members.entry(&agent, Member::default);
        if let Some(n) = msg.name("MemberName") {
            m.name = Some(n.as_ref().into());
        }
        change(m, msg);
        let state = m.state();
        let reason = if state == AgentState::Away {
            m.reason.clone()
        } else {
            None
        };
        let now = Sent {
            state,
            reason,
            name: m.name.clone(),
            queues: m.queues.to_vec(),
        };
        // QueueStatus and QueueMember* events list every queue of the
        // member: an empty list is "in no queue" (and offline).
        self.sent.send(agent, now, EmptyQueues::Send, ts, out);
        Ok(())
    }

    /// Leaves older than the grace, with no connect or abandon since: the
    /// caller left the queue some other way (timeout, exit key, empty queue).
    /// A leave that a connect, abandon or new join settled meanwhile stays in
    /// the list until its turn and is skipped then (its call is no longer
    /// `Left` at that time), so settling costs nothing per event.
    fn flush_leaves<'b>(&mut self, now: Ts, out: &mut Out<'_, 'b>) {
        let left = |p: &Phase, at: Ts| matches!(p, Phase::Left(t) if *t == at);
        end_expired(
            &mut self.leaves,
            &mut self.calls,
            now,
            LEAVE_GRACE,
            left,
            out,
        );
    }
}

impl Asterisk {
    /// Transfers older than [`TRANSFER_GRACE`] whose caller joined no queue:
    /// the contact ended when the member transferred it.
    fn flush_transfers<'b>(&mut self, now: Ts, out: &mut Out<'_, 'b>) {
        let moved = |p: &Phase, at: Ts| matches!(p, Phase::Transferred(t) if *t == at);
        end_expired(
            &mut self.transfers,
            &mut self.calls,
            now,
            TRANSFER_GRACE,
            moved,
            out,
        );
    }
}

/// Why a member is paused: `PausedReason` (Asterisk 13+) or `Reason`.
fn paused_reason(msg: &Obj<'_>) -> Option<Box<str>> {
    msg.name("PausedReason")
        .or_else(|| msg.name("Reason"))
        .map(|r| r.as_ref().into())
}

/// Ends the calls of `pending` older than `grace` that are still in the
/// phase they were queued in (`still`): a call settled meanwhile stays in
/// the list until its turn and is skipped then, so settling costs nothing
/// per event.
fn end_expired<'b>(
    pending: &mut VecDeque<(Box<str>, Ts)>,
    calls: &mut Memo<Phase>,
    now: Ts,
    grace: Millis,
    still: impl Fn(&Phase, Ts) -> bool,
    out: &mut Out<'_, 'b>,
) {
    while let Some((_, at)) = pending.front() {
        if now.since(*at) < grace {
            break;
        }
        let Some((contact, at)) = pending.pop_front() else {
            break;
        };
        if calls.get(&contact).is_some_and(|p| still(p, at)) {
            calls.remove(&contact);
            out.event(
                at,
                EventKind::Ended {
                    contact: owned(&contact),
                    resolved: None,
                },
            );
        }
    }
}
