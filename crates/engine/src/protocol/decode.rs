//! The feed-v1 decoder: one untrusted text frame in, events out.
//!
//! A frame is one event object or an array of them. Each event is decoded on
//! its own, so one bad event in a batch never costs the others. Decoding
//! borrows from the frame wherever it can: the common event allocates
//! nothing. Fields are captured in one pass (see [`super::slots`]), then
//! checked by the event's type, so that a field another type would use, in
//! a shape this type does not care about, is ignored as feed-v1 asks.

use std::borrow::Cow;
use std::fmt;

use serde::Deserialize;
use serde::de::{DeserializeSeed, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde_json::value::RawValue;
use smallvec::SmallVec;

use super::event::*;
use super::slots::{Slots, Val, read_slots};
use crate::text::{self, MAX_ID_BYTES, MAX_NAME_BYTES};
use crate::time::{FEED_TIME_END, Millis, Ts};

/// Most queue ids kept for one agent; more are ignored (a broken or hostile
/// feed: no agent serves a thousand queues).
pub const MAX_AGENT_QUEUES: usize = 1024;

/// What came out of one event object.
#[derive(Debug, PartialEq)]
pub enum Decoded<'a> {
    Event(Event<'a>),
    /// A well-formed object whose `type` we do not know (forward
    /// compatibility), with its `seq` if it had one.
    Unknown {
        seq: Option<u64>,
    },
    Rejected(Reject),
}

impl Decoded<'_> {
    /// Detaches the item from the frame it was decoded from.
    pub fn into_owned(self) -> Decoded<'static> {
        match self {
            Decoded::Event(e) => Decoded::Event(e.into_owned()),
            Decoded::Unknown { seq } => Decoded::Unknown { seq },
            Decoded::Rejected(r) => Decoded::Rejected(r),
        }
    }
}

/// Why an event or frame was refused, and a safe excerpt for the log.
#[derive(Debug, Clone, PartialEq)]
pub struct Reject {
    pub kind: RejectKind,
    pub excerpt: String,
    /// The item's `seq`, when it had a readable one.
    pub seq: Option<u64>,
}

/// The kinds of problem we count and log (one log line per kind, rate limited).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum RejectKind {
    /// Not JSON at all, or broken JSON.
    NotJson,
    /// JSON, but not an object (or an array of objects).
    NotAnObject,
    /// A required field is absent (or null).
    Missing(&'static str),
    /// A field has the wrong JSON type.
    WrongType(&'static str),
    /// A field has the right type but an impossible value.
    BadValue(&'static str),
    /// An id longer than 256 bytes.
    TooLong(&'static str),
    /// A frame bigger than the configured limit, or a binary frame.
    TooLarge,
    Binary,
    /// Not valid UTF-8 (a replay file line).
    NotUtf8,
}

impl fmt::Display for RejectKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RejectKind::NotJson => write!(f, "frame is not valid JSON"),
            RejectKind::NotAnObject => write!(f, "event is not a JSON object"),
            RejectKind::Missing(k) => write!(f, "required field `{k}` is missing"),
            RejectKind::WrongType(k) => write!(f, "field `{k}` has the wrong type"),
            RejectKind::BadValue(k) => write!(f, "field `{k}` has an invalid value"),
            RejectKind::TooLong(k) => write!(f, "field `{k}` is longer than 256 bytes"),
            RejectKind::TooLarge => write!(f, "frame is larger than the size limit"),
            RejectKind::Binary => write!(f, "binary frame"),
            RejectKind::NotUtf8 => write!(f, "line is not valid UTF-8"),
        }
    }
}

impl Reject {
    pub fn new(kind: RejectKind, raw: &str) -> Self {
        Reject {
            kind,
            excerpt: text::excerpt(raw),
            seq: None,
        }
    }
}

/// Decodes one text frame, handing every event (or problem) to `out` in order.
///
/// The frame is parsed once. Its events are handed on only once the whole
/// frame proved to be JSON: a frame that is not (a batch cut short, say) is
/// one rejection, and nothing of it is applied. A frame that is JSON but
/// holds a value the one pass cannot read (a number out of range) is read
/// again item by item, so that only that item is refused.
pub fn decode_frame<'a>(frame: &'a str, mut out: impl FnMut(Decoded<'a>)) {
    // The common frame, one flat object, is read directly; serde reads the
    // rest (and decides whenever the direct read is unsure).
    // The direct read borrows every string and keeps no list, so nothing
    // left in its slots owns memory: they are not dropped (a drop would
    // look at each of the slots, whether or not it was filled).
    let mut slots = std::mem::ManuallyDrop::new(Slots::default());
    if super::fast::flat_slots(frame, &mut slots).is_some() {
        return out(decode_slots(&mut slots, frame));
    }
    let mut de = serde_json::Deserializer::from_str(frame);
    let mut items: SmallVec<[Decoded<'a>; 1]> = SmallVec::new();
    let seed = FrameSeed {
        frame,
        items: &mut items,
    };
    match seed.deserialize(&mut de).and_then(|()| de.end()) {
        Ok(()) => items.into_iter().for_each(out),
        Err(_) => super::salvage::decode_items(frame, &mut out),
    }
}

/// Parses a frame: an event object, an array of items, or something else.
struct FrameSeed<'f, 'a> {
    frame: &'a str,
    items: &'f mut SmallVec<[Decoded<'a>; 1]>,
}

impl<'de> DeserializeSeed<'de> for FrameSeed<'_, 'de> {
    type Value = ();
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for FrameSeed<'_, 'de> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an event object or an array of them")
    }
    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<(), A::Error> {
        self.items
            .push(decode_slots(&mut read_slots(map)?, self.frame));
        Ok(())
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        while let Some(d) = seq.next_element_seed(ItemSeed { frame: self.frame })? {
            self.items.push(d);
        }
        Ok(())
    }
    fn visit_unit<E: serde::de::Error>(self) -> Result<(), E> {
        self.items.push(not_an_object(self.frame));
        Ok(())
    }
    fn visit_bool<E: serde::de::Error>(self, _: bool) -> Result<(), E> {
        self.visit_unit()
    }
    fn visit_i64<E: serde::de::Error>(self, _: i64) -> Result<(), E> {
        self.visit_unit()
    }
    fn visit_u64<E: serde::de::Error>(self, _: u64) -> Result<(), E> {
        self.visit_unit()
    }
    fn visit_f64<E: serde::de::Error>(self, _: f64) -> Result<(), E> {
        self.visit_unit()
    }
    fn visit_str<E: serde::de::Error>(self, _: &str) -> Result<(), E> {
        self.visit_unit()
    }
}

/// One item of a batch: decoded at once.
pub(super) struct ItemSeed<'a> {
    pub(super) frame: &'a str,
}

impl<'de> DeserializeSeed<'de> for ItemSeed<'de> {
    type Value = Decoded<'de>;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Decoded<'de>, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for ItemSeed<'de> {
    type Value = Decoded<'de>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an event object")
    }
    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Decoded<'de>, A::Error> {
        Ok(decode_slots(&mut read_slots(map)?, self.frame))
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Decoded<'de>, A::Error> {
        while seq.next_element::<IgnoredAny>()?.is_some() {}
        Ok(not_an_object(self.frame))
    }
    fn visit_unit<E: serde::de::Error>(self) -> Result<Decoded<'de>, E> {
        Ok(not_an_object(self.frame))
    }
    fn visit_bool<E: serde::de::Error>(self, _: bool) -> Result<Decoded<'de>, E> {
        self.visit_unit()
    }
    fn visit_i64<E: serde::de::Error>(self, _: i64) -> Result<Decoded<'de>, E> {
        self.visit_unit()
    }
    fn visit_u64<E: serde::de::Error>(self, _: u64) -> Result<Decoded<'de>, E> {
        self.visit_unit()
    }
    fn visit_f64<E: serde::de::Error>(self, _: f64) -> Result<Decoded<'de>, E> {
        self.visit_unit()
    }
    fn visit_str<E: serde::de::Error>(self, _: &str) -> Result<Decoded<'de>, E> {
        self.visit_unit()
    }
}

fn not_an_object<'a>(frame: &str) -> Decoded<'a> {
    Decoded::Rejected(Reject::new(RejectKind::NotAnObject, frame))
}

/// `frame` is only for the log excerpt of a rejection.
fn decode_slots<'a>(slots: &mut Slots<'a>, frame: &str) -> Decoded<'a> {
    // An item that is not applied still used its `seq`: keep it, so that a
    // refused or unknown event is not taken for a gap.
    let seq = match slots.seq {
        Some(Val::UInt(n)) => Some(n),
        _ => None,
    };
    let result = if slots.duplicate {
        Err(RejectKind::BadValue("object"))
    } else {
        decode_event(slots)
    };
    match result {
        Ok(Some(ev)) => Decoded::Event(ev),
        Ok(None) => Decoded::Unknown { seq },
        Err(kind) => Decoded::Rejected(Reject {
            seq,
            ..Reject::new(kind, frame)
        }),
    }
}

type R<T> = Result<T, RejectKind>;

/// The feed-v1 event types, resolved once per event.
#[derive(Clone, Copy)]
enum Type {
    Queued,
    Answered,
    FirstResponse,
    Abandoned,
    Hold,
    Resumed,
    Ended,
    Message,
    Survey,
    AgentState,
    QueueInfo,
    Heartbeat,
    Snapshot,
}

fn event_type(s: &str) -> Option<Type> {
    Some(match s {
        "contact.queued" => Type::Queued,
        "contact.answered" => Type::Answered,
        "contact.first_response" => Type::FirstResponse,
        "contact.abandoned" => Type::Abandoned,
        "contact.hold" => Type::Hold,
        "contact.resumed" => Type::Resumed,
        "contact.ended" => Type::Ended,
        "contact.message" => Type::Message,
        "contact.survey" => Type::Survey,
        "agent.state" => Type::AgentState,
        "queue.info" => Type::QueueInfo,
        "heartbeat" => Type::Heartbeat,
        "snapshot" => Type::Snapshot,
        _ => return None,
    })
}

fn decode_event<'a>(s: &mut Slots<'a>) -> R<Option<Event<'a>>> {
    let ty = match &s.ty {
        None => return Err(RejectKind::Missing("type")),
        Some(Val::Str(t)) => event_type(t),
        Some(_) => return Err(RejectKind::WrongType("type")),
    };
    // Unknown types are ignored whatever their other fields hold.
    let Some(ty) = ty else { return Ok(None) };
    let ts = parse_ts(s.ts.take().ok_or(RejectKind::Missing("ts"))?, "ts")?;
    let seq = match s.seq.take() {
        None => None,
        Some(Val::UInt(n)) => Some(n),
        Some(_) => return Err(RejectKind::WrongType("seq")),
    };
    let kind = match ty {
        Type::Queued => EventKind::Queued {
            contact: id(s.contact_id.take(), "contact_id")?,
            queue: id(s.queue.take(), "queue")?,
            channel: opt_name(s.channel.take(), "channel")?,
            customer: opt_id(s.customer_id.take(), "customer_id")?,
            priority: priority(s.priority.take()),
        },
        Type::Answered => EventKind::Answered {
            contact: id(s.contact_id.take(), "contact_id")?,
            agent: id(s.agent_id.take(), "agent_id")?,
        },
        Type::FirstResponse => EventKind::FirstResponse {
            contact: id(s.contact_id.take(), "contact_id")?,
            agent: opt_id(s.agent_id.take(), "agent_id")?,
        },
        Type::Abandoned => EventKind::Abandoned {
            contact: id(s.contact_id.take(), "contact_id")?,
        },
        Type::Hold => EventKind::Hold {
            contact: id(s.contact_id.take(), "contact_id")?,
        },
        Type::Resumed => EventKind::Resumed {
            contact: id(s.contact_id.take(), "contact_id")?,
        },
        Type::Ended => EventKind::Ended {
            contact: id(s.contact_id.take(), "contact_id")?,
            resolved: s
                .resolved
                .take()
                .map(|v| parse_bool(v, "resolved"))
                .transpose()?,
        },
        Type::Message => EventKind::Message {
            contact: id(s.contact_id.take(), "contact_id")?,
            from: sender(s.from.take(), "from")?,
            agent: opt_id(s.agent_id.take(), "agent_id")?,
        },
        Type::Survey => EventKind::Survey {
            contact: id(s.contact_id.take(), "contact_id")?,
            csat: s
                .csat
                .take()
                .map(|v| {
                    score(v, "csat").and_then(|n| Csat::new(n).ok_or(RejectKind::BadValue("csat")))
                })
                .transpose()?,
            nps: s
                .nps
                .take()
                .map(|v| {
                    score(v, "nps").and_then(|n| Nps::new(n).ok_or(RejectKind::BadValue("nps")))
                })
                .transpose()?,
        },
        Type::AgentState => EventKind::AgentState {
            agent: id(s.agent_id.take(), "agent_id")?,
            state: agent_state(s.state.take(), "state")?,
            name: opt_name(s.name.take(), "name")?,
            queues: s
                .queues
                .take()
                .map(|raw| raw_id_list(raw, "queues"))
                .transpose()?,
            reason: opt_name(s.reason.take(), "reason")?,
        },
        Type::QueueInfo => EventKind::QueueInfo {
            queue: id(s.queue.take(), "queue")?,
            name: opt_name(s.name.take(), "name")?,
            sl_threshold: s
                .sl_threshold_s
                .take()
                .map(|v| seconds(v, "sl_threshold_s"))
                .transpose()?,
        },
        Type::Heartbeat => EventKind::Heartbeat,
        Type::Snapshot => {
            EventKind::Snapshot(Box::new(snapshot(s.queues.take(), s.agents.take())?))
        }
    };
    Ok(Some(Event { ts, seq, kind }))
}

fn string<'a>(v: Val<'a>, field: &'static str) -> R<Cow<'a, str>> {
    match v {
        Val::Str(s) => Ok(s),
        _ => Err(RejectKind::WrongType(field)),
    }
}

/// A raw JSON string slice, borrowed when it has no escapes. Shared with
/// the dialects, which read platform messages as raw slices.
pub(crate) fn raw_str(raw: &RawValue) -> Option<Cow<'_, str>> {
    let t = raw.get();
    let inner = t.strip_prefix('"')?.strip_suffix('"')?;
    if !inner.contains('\\') {
        // RawValue is validated JSON: an unescaped string is its own text.
        return Some(Cow::Borrowed(inner));
    }
    serde_json::from_str::<String>(t).ok().map(Cow::Owned)
}

/// An untrusted id checked: too long is refused (ids must stay whole, so
/// they are not cut), empty is refused. Shared with the dialects.
pub(crate) fn clean_id<'a>(s: Cow<'a, str>, field: &'static str) -> R<Cow<'a, str>> {
    // Ids are opaque: kept exactly, so two ids that differ only in a control
    // character stay two contacts. Every place that shows an id (the screen,
    // the snapshot) strips it on the way out.
    if s.len() > MAX_ID_BYTES {
        return Err(RejectKind::TooLong(field));
    }
    if s.is_empty() {
        return Err(RejectKind::BadValue(field));
    }
    Ok(s)
}

/// An untrusted display string made safe: stripped, then cut to the limit.
pub(crate) fn clean_name(s: Cow<'_, str>) -> Cow<'_, str> {
    text::truncate(text::strip(s), MAX_NAME_BYTES)
}

fn id<'a>(v: Option<Val<'a>>, field: &'static str) -> R<Cow<'a, str>> {
    clean_id(string(v.ok_or(RejectKind::Missing(field))?, field)?, field)
}

fn opt_id<'a>(v: Option<Val<'a>>, field: &'static str) -> R<Option<Cow<'a, str>>> {
    v.map(|v| clean_id(string(v, field)?, field)).transpose()
}

fn opt_name<'a>(v: Option<Val<'a>>, field: &'static str) -> R<Option<Cow<'a, str>>> {
    v.map(|v| string(v, field).map(clean_name)).transpose()
}

fn id_list<'a>(v: Val<'a>, field: &'static str) -> R<Vec<Cow<'a, str>>> {
    let Val::List(items) = v else {
        return Err(RejectKind::WrongType(field));
    };
    // Every item must be an id; past the limit they are checked, not kept.
    let mut out: Vec<Cow<'a, str>> = Vec::with_capacity(items.len().min(MAX_AGENT_QUEUES));
    let mut seen = std::collections::HashSet::with_capacity(out.capacity());
    for item in items {
        let q = clean_id(string(item, field)?, field)?;
        if out.len() < MAX_AGENT_QUEUES && seen.insert(q.clone()) {
            out.push(q);
        }
    }
    Ok(out)
}

fn raw_id_list<'a>(raw: &'a RawValue, field: &'static str) -> R<Vec<Cow<'a, str>>> {
    let v: Val<'a> = serde_json::from_str(raw.get()).map_err(|_| RejectKind::WrongType(field))?;
    id_list(v, field)
}

/// A time field: RFC 3339 or epoch milliseconds, before 2100
/// ([`FEED_TIME_END`]).
fn parse_ts(v: Val<'_>, field: &'static str) -> R<Ts> {
    let t = match v {
        Val::Str(s) => Ts::parse_rfc3339(&s),
        Val::UInt(ms) => i64::try_from(ms).ok().and_then(Ts::from_epoch_millis),
        Val::Int(ms) => Ts::from_epoch_millis(ms),
        _ => return Err(RejectKind::WrongType(field)),
    };
    t.filter(|t| *t < FEED_TIME_END)
        .ok_or(RejectKind::BadValue(field))
}

fn parse_bool(v: Val<'_>, field: &'static str) -> R<bool> {
    match v {
        Val::Bool(b) => Ok(b),
        _ => Err(RejectKind::WrongType(field)),
    }
}

/// A non-negative number of seconds, kept as milliseconds.
fn seconds(v: Val<'_>, field: &'static str) -> R<Millis> {
    let secs = match v {
        Val::UInt(n) => n as f64,
        Val::Int(n) => n as f64,
        Val::Float(f) => f,
        _ => return Err(RejectKind::WrongType(field)),
    };
    if !secs.is_finite() || !(0.0..=1e9).contains(&secs) {
        return Err(RejectKind::BadValue(field));
    }
    Ok((secs * 1000.0).round() as Millis)
}

fn sender(v: Option<Val<'_>>, field: &'static str) -> R<Sender> {
    let s = string(v.ok_or(RejectKind::Missing(field))?, field)?;
    Sender::parse(&s).ok_or(RejectKind::BadValue(field))
}

/// A survey score: a JSON integer (as `seq` is; `4.0` or `"4"` is the
/// wrong type); the range is the caller's, and a value out of it is
/// refused as impossible.
fn score(v: Val<'_>, field: &'static str) -> R<i64> {
    match v {
        Val::Int(n) => Ok(n),
        Val::UInt(n) => Ok(i64::try_from(n).unwrap_or(i64::MAX)),
        _ => Err(RejectKind::WrongType(field)),
    }
}

/// A contact's priority: a JSON integer that fits 32 bits, signed (`3.0`,
/// `"3"` or `true` are not one). Never a reason to refuse the event:
/// anything else is [`Priority::Invalid`], which the floor counts.
fn priority(v: Option<Val<'_>>) -> Priority {
    let n = match v {
        None => return Priority::Absent,
        Some(Val::UInt(n)) => i32::try_from(n).ok(),
        Some(Val::Int(n)) => i32::try_from(n).ok(),
        Some(_) => None,
    };
    n.map_or(Priority::Invalid, Priority::Given)
}

fn agent_state(v: Option<Val<'_>>, field: &'static str) -> R<AgentState> {
    let s = string(v.ok_or(RejectKind::Missing(field))?, field)?;
    AgentState::parse(&s).ok_or(RejectKind::BadValue(field))
}

// ---- the snapshot event --------------------------------------------------
//
// Its body is nested, so it is decoded with typed structures whose leaves are
// still raw slices, then checked with the same helpers as the flat events.

#[derive(Deserialize)]
struct RawQueue<'a> {
    #[serde(borrow)]
    queue: Option<Val<'a>>,
    #[serde(borrow)]
    name: Option<Val<'a>>,
    #[serde(borrow)]
    waiting: Option<Vec<RawWaiting<'a>>>,
}

#[derive(Deserialize)]
struct RawWaiting<'a> {
    #[serde(borrow)]
    contact_id: Option<Val<'a>>,
    #[serde(borrow)]
    since: Option<Val<'a>>,
    #[serde(borrow)]
    channel: Option<Val<'a>>,
    #[serde(borrow)]
    first_queued: Option<Val<'a>>,
    #[serde(borrow, default)]
    priority: Option<Val<'a>>,
}

#[derive(Deserialize)]
struct RawAgent<'a> {
    #[serde(borrow)]
    agent_id: Option<Val<'a>>,
    #[serde(borrow)]
    name: Option<Val<'a>>,
    #[serde(borrow)]
    state: Option<Val<'a>>,
    #[serde(borrow)]
    since: Option<Val<'a>>,
    #[serde(borrow)]
    queues: Option<Val<'a>>,
    #[serde(borrow)]
    reason: Option<Val<'a>>,
    #[serde(borrow)]
    contacts: Option<Vec<RawContact<'a>>>,
}

#[derive(Deserialize)]
struct RawContact<'a> {
    #[serde(borrow)]
    contact_id: Option<Val<'a>>,
    #[serde(borrow)]
    since: Option<Val<'a>>,
    #[serde(borrow)]
    queue: Option<Val<'a>>,
    #[serde(borrow)]
    on_hold: Option<Val<'a>>,
}

fn required_ts(v: Option<Val<'_>>, field: &'static str) -> R<Ts> {
    parse_ts(v.ok_or(RejectKind::Missing(field))?, field)
}

fn list<'a, T: Deserialize<'a>>(raw: Option<&'a RawValue>, field: &'static str) -> R<Vec<T>> {
    let raw = raw.ok_or(RejectKind::Missing(field))?;
    serde_json::from_str(raw.get()).map_err(|_| RejectKind::WrongType(field))
}

fn snapshot<'a>(
    queues: Option<&'a RawValue>,
    agents: Option<&'a RawValue>,
) -> R<FloorSnapshot<'a>> {
    let queues: Vec<RawQueue<'a>> = list(queues, "queues")?;
    let agents: Vec<RawAgent<'a>> = list(agents, "agents")?;
    let mut out = FloorSnapshot {
        queues: Vec::with_capacity(queues.len()),
        agents: Vec::with_capacity(agents.len()),
    };
    for q in queues {
        let waiting = q.waiting.ok_or(RejectKind::Missing("waiting"))?;
        let mut w_out = Vec::with_capacity(waiting.len());
        for w in waiting {
            w_out.push(SnapWaiting {
                contact: id(w.contact_id, "contact_id")?,
                since: required_ts(w.since, "since")?,
                channel: opt_name(w.channel, "channel")?,
                first_queued: w
                    .first_queued
                    .map(|r| parse_ts(r, "first_queued"))
                    .transpose()?,
                priority: priority(w.priority),
            });
        }
        out.queues.push(SnapQueue {
            queue: id(q.queue, "queue")?,
            name: opt_name(q.name, "name")?,
            waiting: w_out,
        });
    }
    for a in agents {
        let mut c_out = Vec::new();
        for c in a.contacts.unwrap_or_default() {
            c_out.push(SnapContact {
                contact: id(c.contact_id, "contact_id")?,
                since: required_ts(c.since, "since")?,
                queue: opt_id(c.queue, "queue")?,
                on_hold: c
                    .on_hold
                    .map(|r| parse_bool(r, "on_hold"))
                    .transpose()?
                    .unwrap_or(false),
            });
        }
        out.agents.push(SnapAgent {
            agent: id(a.agent_id, "agent_id")?,
            name: opt_name(a.name, "name")?,
            state: agent_state(a.state, "state")?,
            since: required_ts(a.since, "since")?,
            queues: a.queues.map(|v| id_list(v, "queues")).transpose()?,
            reason: opt_name(a.reason, "reason")?,
            contacts: c_out,
        });
    }
    Ok(out)
}
