//! Twilio TaskRouter: workspace events, as a relay forwards them to a
//! WebSocket. Three shapes are accepted, each one object per event:
//! - the Event Callback's form fields as a JSON object (PascalCase:
//!   `EventType`, `TaskSid`, `Timestamp` in seconds, `TimestampMs`);
//! - Event Streams CloudEvents (`type: com.twilio.taskrouter.task.created`,
//!   `data.payload` in snake_case with `eventtype`, `timestamp` as RFC 3339);
//! - a bare snake_case payload (`event_type`, `timestamp` in ms or RFC 3339),
//!   or the Event resource (`event_type`, `event_date` or `event_date_ms`, `event_data`).
//!
//! Keys are matched without regard to case or underscores, and epoch
//! numbers are read as seconds or milliseconds by their size.
//!
//! A task is a contact, a worker an agent, a TaskQueue a queue. TaskRouter
//! does not say which queues a worker serves (that is a target expression);
//! the dialect learns it from the queues of the tasks each worker accepts.

use std::borrow::Cow;

use smallvec::SmallVec;

use super::Signal;
use super::json::Obj;
use super::ledger::{Agents, Contacts, EmptyQueues, QueueNames, Queueing};
use super::memo::{DEFAULT_CAP, Memo};
use super::platform::{Out, Platform, Sent, owned};
use crate::protocol::{AgentState, MAX_AGENT_QUEUES, RejectKind, clean_id};
use crate::time::Ts;

/// `TaskAttributes` larger than this are not searched for the customer.
const MAX_ATTRIBUTES: usize = 64 * 1024;

const PREFIX: &str = "com.twilio.taskrouter.";

#[derive(Debug, Default)]
struct WorkerMem {
    activity: Option<(AgentState, Option<Box<str>>)>,
    name: Option<Box<str>>,
    queues: Vec<Box<str>>,
    /// Tasks this worker is wrapping up.
    wrapping: SmallVec<[Box<str>; 2]>,
}

impl WorkerMem {
    fn state(&self) -> (AgentState, Option<Box<str>>) {
        if !self.wrapping.is_empty() {
            return (AgentState::WrapUp, None);
        }
        self.activity
            .clone()
            .unwrap_or((AgentState::Available, None))
    }
}

/// The tasks of one conversation.
#[derive(Debug)]
struct Conversation {
    /// The first task seen: the contact every later task is linked to.
    first: Box<str>,
    /// The newest task: the one whose end is the contact's end.
    latest: Box<str>,
}

/// What TaskRouter told of its workers (activity, name, the queues learnt
/// from accepted tasks, the tasks in wrap-up); what the floor was told of
/// tasks, workers and queues is in the shared ledger.
pub struct Twilio {
    workers: Memo<WorkerMem>,
    /// A conversation's id (`conversations.conversation_id`) to its tasks.
    conversations: Memo<Conversation>,
    /// The worker who accepted each task (a transferred contact's tasks
    /// have different workers).
    task_worker: Memo<Box<str>>,
    contacts: Contacts,
    sent: Agents,
    queue_names: QueueNames,
}

impl Default for Twilio {
    fn default() -> Self {
        Twilio {
            workers: Memo::new(DEFAULT_CAP),
            conversations: Memo::new(DEFAULT_CAP),
            task_worker: Memo::new(DEFAULT_CAP),
            contacts: Contacts::default(),
            sent: Agents::default(),
            queue_names: QueueNames::default(),
        }
    }
}

impl Platform for Twilio {
    fn message<'b>(
        &mut self,
        msg: &Obj<'b>,
        raw: &'b str,
        received: Ts,
        out: &mut Out<'_, 'b>,
    ) -> Signal {
        let r = self.event(msg, received, out);
        out.result(r, raw);
        Signal::None
    }
}

/// The nested fields of the CloudEvent (`data.payload`) or Event resource
/// (`event_data`) shapes, the CloudEvent's type without its prefix, and the
/// envelope's own time. Flat shapes have no nested fields.
fn unpack<'b>(msg: &Obj<'b>) -> (Option<Obj<'b>>, Option<Cow<'b, str>>, Option<Ts>) {
    let cloud_type = msg
        .str("type")
        .filter(|t| t.starts_with(PREFIX))
        .map(|t| match t {
            Cow::Borrowed(b) => Cow::Borrowed(&b[PREFIX.len()..]),
            Cow::Owned(o) => Cow::Owned(o[PREFIX.len()..].to_owned()),
        });
    // The Event resource has `event_date` (RFC 3339, seconds) and, in later
    // versions, `event_date_ms`; the milliseconds win when both are there.
    let top_time = msg
        .ts("time")
        .or_else(|| msg.ts("event_date_ms"))
        .or_else(|| msg.ts("event_date"));
    let fields = match msg.obj("data") {
        Some(data) => Some(data.obj("payload").unwrap_or(data)),
        None => msg.obj("event_data"),
    };
    (fields, cloud_type, top_time)
}

fn sid<'b>(o: &Obj<'b>, key: &str, field: &'static str) -> Result<Cow<'b, str>, RejectKind> {
    o.id(key, field)
}

/// What a task's `TaskAttributes` (a JSON string) tell queuetop.
#[derive(Default)]
struct Attributes {
    /// Who the customer is (`from`, as Flex sets it).
    customer: Option<Cow<'static, str>>,
    /// The conversation the task belongs to (`conversations.conversation_id`,
    /// as Flex and Flex Insights set it): a transfer's new task names the
    /// first task's conversation.
    conversation: Option<Box<str>>,
}

fn attributes(fields: &Obj<'_>) -> Attributes {
    let Some(text) = fields.str("TaskAttributes") else {
        return Attributes::default();
    };
    if text.len() > MAX_ATTRIBUTES {
        return Attributes::default();
    }
    let Ok(attrs) = Obj::parse(&text) else {
        return Attributes::default();
    };
    let customer = attrs
        .str("from")
        .and_then(|f| clean_id(Cow::Owned(f.into_owned()), "customer_id").ok());
    let conversation = attrs
        .obj("conversations")
        .and_then(|c| c.opt_id("conversation_id", "contact_id").ok().flatten())
        .map(|c| Box::<str>::from(c.as_ref()));
    Attributes {
        customer,
        conversation,
    }
}

fn activity_state(fields: &Obj<'_>) -> Option<(AgentState, Option<Box<str>>)> {
    let name = fields.name("WorkerActivityName");
    if fields.flag("WorkerAvailable") == Some(true) {
        return Some((AgentState::Available, None));
    }
    let n = name?;
    Some(match n.to_ascii_lowercase().as_str() {
        "offline" => (AgentState::Offline, None),
        "available" | "idle" => (AgentState::Available, None),
        // A single-tasking workspace moves a worker to the TaskQueue's
        // ReservationActivity ("Reserved" by default) while a task is
        // offered, then to its AssignmentActivity ("Busy"): being offered
        // a task is not being away.
        "busy" | "reserved" => (AgentState::Busy, None),
        "wrap-up" | "wrapup" | "wrap up" => (AgentState::WrapUp, None),
        _ => (AgentState::Away, Some(n.as_ref().into())),
    })
}

impl Twilio {
    fn event<'b>(
        &mut self,
        msg: &Obj<'b>,
        received: Ts,
        out: &mut Out<'_, 'b>,
    ) -> Result<(), RejectKind> {
        let (fields, cloud_type, top_time) = unpack(msg);
        let f = fields.as_ref().unwrap_or(msg);
        // The CloudEvent's `type` is what a subscription names; Twilio's own
        // samples sometimes carry a different `eventtype` in the payload.
        let ty = cloud_type
            .or_else(|| f.str("EventType"))
            .or_else(|| msg.str("EventType"))
            .ok_or(RejectKind::Missing("EventType"))?;
        let ts = f
            .ts("TimestampMs")
            .or_else(|| f.ts("Timestamp"))
            .or(top_time)
            .unwrap_or(received);
        if let Some(q) = f.text("TaskQueueSid")
            && let Some(name) = f.name("TaskQueueName")
            && let Ok(q) = clean_id(q, "queue")
        {
            self.queue_names.announce(q, name, ts, out);
        }
        let attrs = attributes(f);
        match ty.as_ref() {
            "task.created" | "task-queue.entered" | "task-queue.moved" => {
                let task = sid(f, "TaskSid", "contact_id")?;
                let contact = self.contact_of(&task, &attrs);
                let Some(queue) = f.opt_id("TaskQueueSid", "queue")? else {
                    // A task not yet in a queue: its workflow will place it.
                    return Ok(());
                };
                if !self.contacts.leg_may_tell(&contact, &task) {
                    return Ok(());
                }
                let channel = f
                    .name("TaskChannelUniqueName")
                    .filter(|c| c.as_ref() != "default");
                let q = Queueing {
                    contact,
                    leg: Some(task.as_ref().into()),
                    queue,
                    channel,
                    customer: attrs.customer,
                    // TaskRouter's priority: 0 by default, higher first.
                    priority: f.priority("TaskPriority"),
                };
                self.contacts.queued(q, ts, out);
            }
            "reservation.accepted" => {
                let task = sid(f, "TaskSid", "contact_id")?;
                let contact = self.contact_of(&task, &attrs);
                let agent = sid(f, "WorkerSid", "agent_id")?;
                if !self.contacts.leg_may_tell(&contact, &task) {
                    return Ok(());
                }
                let queue = self
                    .contacts
                    .get(&contact)
                    .and_then(|c| c.queue.clone())
                    .or_else(|| {
                        f.opt_id("TaskQueueSid", "queue")
                            .ok()
                            .flatten()
                            .map(|q| q.as_ref().into())
                    });
                *self.task_worker.entry(&task, || "".into()) = agent.as_ref().into();
                if !self.contacts.answered(contact, agent.clone(), ts, out) {
                    return Ok(());
                }
                let w = self.workers.entry(&agent, WorkerMem::default);
                if let Some(q) = queue
                    && !w.queues.contains(&q)
                    && w.queues.len() < MAX_AGENT_QUEUES
                {
                    w.queues.push(q);
                }
                self.send_worker(agent, f, ts, out);
            }
            "task.canceled" => {
                let task = sid(f, "TaskSid", "contact_id")?;
                let contact = self.contact_of(&task, &attrs);
                if !self.contacts.is_current_leg(&task) {
                    // An older task of a transferred conversation.
                    return Ok(());
                }
                // Canceled before a worker accepted it: the caller gave up.
                if self
                    .contacts
                    .get(&contact)
                    .is_none_or(|c| c.agent.is_none())
                {
                    self.contacts.abandoned(contact, ts, out);
                } else {
                    self.contacts.ended(contact, ts, out);
                }
            }
            "task.wrapup" | "reservation.wrapup" => {
                let task = sid(f, "TaskSid", "contact_id")?;
                let contact = self.contact_of(&task, &attrs);
                let worker = self.end_task(contact, &task, ts, out);
                let worker = worker.or_else(|| {
                    f.opt_id("WorkerSid", "agent_id")
                        .ok()
                        .flatten()
                        .map(|w| w.as_ref().into())
                });
                if let Some(w) = worker {
                    let m = self.workers.entry(&w, WorkerMem::default);
                    if !m.wrapping.iter().any(|t| t.as_ref() == task.as_ref())
                        && m.wrapping.len() < 64
                    {
                        m.wrapping.push(task.as_ref().into());
                    }
                    self.send_worker(owned(&w), f, ts, out);
                }
            }
            "task.completed" | "reservation.completed" | "task.deleted" | "task.system-deleted" => {
                let task = sid(f, "TaskSid", "contact_id")?;
                let contact = self.contact_of(&task, &attrs);
                let worker = self.end_task(contact, &task, ts, out);
                if let Some(w) = worker
                    && let Some(m) = self.workers.get_mut(&w)
                {
                    m.wrapping.retain(|t| t.as_ref() != task.as_ref());
                    self.send_worker(owned(&w), f, ts, out);
                }
            }
            // `worker.activity` is the Event resource's older name for an
            // activity change (Twilio's SDK fixtures of that resource).
            "worker.activity.update"
            | "worker.activity"
            | "worker.created"
            | "worker.attributes.update"
            | "worker.capacity.update"
            | "worker.channel.availability.update" => {
                let agent = sid(f, "WorkerSid", "agent_id")?;
                let activity = activity_state(f);
                let m = self.workers.entry(&agent, WorkerMem::default);
                if activity.is_some() {
                    m.activity = activity;
                }
                self.send_worker(agent, f, ts, out);
            }
            "worker.deleted" => {
                let agent = sid(f, "WorkerSid", "agent_id")?;
                let m = self.workers.entry(&agent, WorkerMem::default);
                m.activity = Some((AgentState::Offline, None));
                m.wrapping.clear();
                self.send_worker(agent, f, ts, out);
            }
            "task-queue.created" | "task-queue.updated" => {
                // Announced above from TaskQueueSid and TaskQueueName.
            }
            t if t.starts_with("reservation.")
                || t.starts_with("task.")
                || t.starts_with("task-queue.")
                || t.starts_with("workflow.")
                || t.starts_with("activity.")
                || t.starts_with("workspace.")
                || t.starts_with("worker.") => {}
            _ => out.unknown(),
        }
        Ok(())
    }

    /// The contact a task belongs to: the first task seen in its
    /// conversation (`conversations.conversation_id`); a later task is
    /// linked to it as a leg (a transfer's new task).
    fn contact_of<'b>(&mut self, task: &Cow<'b, str>, attrs: &Attributes) -> Cow<'b, str> {
        // A task that names no conversation is its own (Flex Insights'
        // default: the conversation id is the task's sid).
        let conv = attrs.conversation.as_deref().unwrap_or(task);
        let c = self.conversations.entry(conv, || Conversation {
            first: task.as_ref().into(),
            latest: task.as_ref().into(),
        });
        if c.first.as_ref() == task.as_ref() {
            return self.contacts.root(task.clone());
        }
        let first = owned(&c.first);
        // A task not heard of before is the conversation's newest: it takes
        // over from the one before (Flex links every transfer's task to
        // the conversation, not to the task before it).
        let newer = c.latest.as_ref() != task.as_ref() && self.contacts.is_current_leg(task);
        if newer {
            let before = std::mem::replace(&mut c.latest, task.as_ref().into());
            self.contacts.supersede(&before);
        }
        self.contacts.link(task, first)
    }

    /// Ends a task's conversation (once) unless a later task took it over
    /// (a transfer's first half); returns the worker who had the task.
    fn end_task<'b>(
        &mut self,
        contact: Cow<'b, str>,
        task: &str,
        ts: Ts,
        out: &mut Out<'_, 'b>,
    ) -> Option<Box<str>> {
        let worker = self.task_worker.get(task).cloned();
        if self.contacts.is_current_leg(task) {
            self.contacts.ended(contact, ts, out);
        }
        worker
    }

    /// Sends the worker's state if it, its name or its queues changed.
    fn send_worker<'b>(&mut self, agent: Cow<'b, str>, f: &Obj<'b>, ts: Ts, out: &mut Out<'_, 'b>) {
        let m = self.workers.entry(&agent, WorkerMem::default);
        if let Some(n) = f.name("WorkerName") {
            m.name = Some(n.as_ref().into());
        }
        let (state, reason) = m.state();
        let now = Sent {
            state,
            reason,
            name: m.name.clone(),
            queues: m.queues.clone(),
        };
        // TaskRouter never lists a worker's queues: an empty list means
        // "none learnt yet", not "serves none".
        self.sent.send(agent, now, EmptyQueues::Omit, ts, out);
    }
}
