//! Twilio TaskRouter: workspace events, as a relay forwards them to a
//! WebSocket. Three shapes are accepted, each one object per event:
//! - the Event Callback's form fields as a JSON object (PascalCase:
//!   `EventType`, `TaskSid`, `Timestamp` in seconds, `TimestampMs`);
//! - Event Streams CloudEvents (`type: com.twilio.taskrouter.task.created`,
//!   `data.payload` in snake_case with `eventtype`, `timestamp` as RFC 3339);
//! - a bare snake_case payload (`event_type`, `timestamp` in ms or RFC 3339),
//!   or the Event resource (`event_type`, `event_date_ms`, `event_data`).
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

/// What TaskRouter told of its workers (activity, name, the queues learnt
/// from accepted tasks, the tasks in wrap-up); what the floor was told of
/// tasks, workers and queues is in the shared ledger.
pub struct Twilio {
    workers: Memo<WorkerMem>,
    contacts: Contacts,
    sent: Agents,
    queue_names: QueueNames,
}

impl Default for Twilio {
    fn default() -> Self {
        Twilio {
            workers: Memo::new(DEFAULT_CAP),
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
    let top_time = msg.ts("time").or_else(|| msg.ts("event_date_ms"));
    let fields = match msg.obj("data") {
        Some(data) => Some(data.obj("payload").unwrap_or(data)),
        None => msg.obj("event_data"),
    };
    (fields, cloud_type, top_time)
}

fn sid<'b>(o: &Obj<'b>, key: &str, field: &'static str) -> Result<Cow<'b, str>, RejectKind> {
    o.id(key, field)
}

/// Who the customer is, from the task's attributes (`from`, as Flex sets it).
fn customer<'b>(fields: &Obj<'b>) -> Option<Cow<'b, str>> {
    let attrs = fields.str("TaskAttributes")?;
    if attrs.len() > MAX_ATTRIBUTES {
        return None;
    }
    let from = Obj::parse(&attrs).ok()?.str("from")?.into_owned();
    clean_id(Cow::Owned(from), "customer_id").ok()
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
        "busy" => (AgentState::Busy, None),
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
        match ty.as_ref() {
            "task.created" | "task-queue.entered" | "task-queue.moved" => {
                let contact = sid(f, "TaskSid", "contact_id")?;
                let Some(queue) = f.opt_id("TaskQueueSid", "queue")? else {
                    // A task not yet in a queue: its workflow will place it.
                    return Ok(());
                };
                let channel = f
                    .name("TaskChannelUniqueName")
                    .filter(|c| c.as_ref() != "default");
                let q = Queueing {
                    contact,
                    leg: None,
                    queue,
                    channel,
                    customer: customer(f),
                };
                self.contacts.queued(q, ts, out);
            }
            "reservation.accepted" => {
                let contact = sid(f, "TaskSid", "contact_id")?;
                let agent = sid(f, "WorkerSid", "agent_id")?;
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
                let contact = sid(f, "TaskSid", "contact_id")?;
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
                let contact = sid(f, "TaskSid", "contact_id")?;
                let worker = self.end_task(contact.clone(), ts, out);
                let worker = worker.or_else(|| {
                    f.opt_id("WorkerSid", "agent_id")
                        .ok()
                        .flatten()
                        .map(|w| w.as_ref().into())
                });
                if let Some(w) = worker {
                    let m = self.workers.entry(&w, WorkerMem::default);
                    if !m.wrapping.iter().any(|t| t.as_ref() == contact.as_ref())
                        && m.wrapping.len() < 64
                    {
                        m.wrapping.push(contact.as_ref().into());
                    }
                    self.send_worker(owned(&w), f, ts, out);
                }
            }
            "task.completed" | "reservation.completed" | "task.deleted" | "task.system-deleted" => {
                let contact = sid(f, "TaskSid", "contact_id")?;
                let worker = self.end_task(contact.clone(), ts, out);
                if let Some(w) = worker
                    && let Some(m) = self.workers.get_mut(&w)
                {
                    m.wrapping.retain(|t| t.as_ref() != contact.as_ref());
                    self.send_worker(owned(&w), f, ts, out);
                }
            }
            "worker.activity.update"
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

    /// Ends a task's conversation (once); returns the worker who had it.
    fn end_task<'b>(
        &mut self,
        contact: Cow<'b, str>,
        ts: Ts,
        out: &mut Out<'_, 'b>,
    ) -> Option<Box<str>> {
        let worker = self.contacts.get(&contact).and_then(|c| c.agent.clone());
        self.contacts.ended(contact, ts, out);
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
