//! One pass over an event object: every field any event type uses is
//! captured as a [`Val`] (scalars parsed, strings borrowed from the frame
//! when they have no escapes), the two list fields as raw JSON, and
//! everything else skipped. The per-type decoding then only looks at
//! captured values, so a frame is scanned once.

use std::borrow::Cow;
use std::fmt;

use serde::de::{self, Deserialize, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde_json::value::RawValue;

/// A JSON value as far as the decoder cares.
#[derive(Debug, Clone, PartialEq)]
pub enum Val<'a> {
    Null,
    Bool(bool),
    Int(i64),
    UInt(u64),
    Float(f64),
    Str(Cow<'a, str>),
    List(Vec<Val<'a>>),
    /// An object where a scalar or list was expected (skipped, not kept).
    Object,
}

struct ValVisitor<'a>(std::marker::PhantomData<&'a ()>);

impl<'de: 'a, 'a> Visitor<'de> for ValVisitor<'a> {
    type Value = Val<'a>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON value")
    }
    fn visit_unit<E>(self) -> Result<Val<'a>, E> {
        Ok(Val::Null)
    }
    fn visit_none<E>(self) -> Result<Val<'a>, E> {
        Ok(Val::Null)
    }
    fn visit_bool<E>(self, v: bool) -> Result<Val<'a>, E> {
        Ok(Val::Bool(v))
    }
    fn visit_i64<E>(self, v: i64) -> Result<Val<'a>, E> {
        Ok(Val::Int(v))
    }
    fn visit_u64<E>(self, v: u64) -> Result<Val<'a>, E> {
        Ok(Val::UInt(v))
    }
    fn visit_f64<E>(self, v: f64) -> Result<Val<'a>, E> {
        Ok(Val::Float(v))
    }
    fn visit_borrowed_str<E>(self, v: &'de str) -> Result<Val<'a>, E> {
        Ok(Val::Str(Cow::Borrowed(v)))
    }
    fn visit_str<E>(self, v: &str) -> Result<Val<'a>, E> {
        Ok(Val::Str(Cow::Owned(v.to_owned())))
    }
    fn visit_string<E>(self, v: String) -> Result<Val<'a>, E> {
        Ok(Val::Str(Cow::Owned(v)))
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Val<'a>, A::Error> {
        let mut items = Vec::new();
        while let Some(v) = seq.next_element::<Val<'a>>()? {
            items.push(v);
        }
        Ok(Val::List(items))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Val<'a>, A::Error> {
        while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
        Ok(Val::Object)
    }
}

impl<'de: 'a, 'a> Deserialize<'de> for Val<'a> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(ValVisitor(std::marker::PhantomData))
    }
}

/// The captured fields of one event object. `None` is absent or null.
#[derive(Debug, Default)]
pub struct Slots<'a> {
    pub ty: Option<Val<'a>>,
    pub ts: Option<Val<'a>>,
    pub seq: Option<Val<'a>>,
    pub contact_id: Option<Val<'a>>,
    pub queue: Option<Val<'a>>,
    pub channel: Option<Val<'a>>,
    pub customer_id: Option<Val<'a>>,
    pub agent_id: Option<Val<'a>>,
    pub resolved: Option<Val<'a>>,
    pub state: Option<Val<'a>>,
    pub name: Option<Val<'a>>,
    pub reason: Option<Val<'a>>,
    pub sl_threshold_s: Option<Val<'a>>,
    pub from: Option<Val<'a>>,
    pub csat: Option<Val<'a>>,
    pub nps: Option<Val<'a>>,
    /// Any JSON value: a number serde_json cannot hold is [`Val::Object`]
    /// here (not an integer), so that it never costs its event.
    pub priority: Option<Val<'a>>,
    /// A list of ids (`agent.state`) or of queue objects (`snapshot`).
    pub queues: Option<&'a RawValue>,
    pub agents: Option<&'a RawValue>,
    /// A key appeared twice.
    pub duplicate: bool,
}

#[derive(Debug, PartialEq)]
pub(super) enum Key {
    Type,
    Ts,
    Seq,
    ContactId,
    Queue,
    Channel,
    CustomerId,
    AgentId,
    Resolved,
    State,
    Name,
    Reason,
    SlThreshold,
    From,
    Csat,
    Nps,
    Priority,
    Queues,
    Agents,
    Other,
}

impl Key {
    /// By length and first byte, then the whole name: a key is matched
    /// with one comparison, not tried against each name in turn.
    pub(super) fn of(v: &str) -> Key {
        let b = v.as_bytes();
        match (b.len(), b.first().copied().unwrap_or(0)) {
            (2, b't') if b == b"ts" => Key::Ts,
            (3, b's') if b == b"seq" => Key::Seq,
            (3, b'n') if b == b"nps" => Key::Nps,
            (4, b't') if b == b"type" => Key::Type,
            (4, b'n') if b == b"name" => Key::Name,
            (4, b'f') if b == b"from" => Key::From,
            (4, b'c') if b == b"csat" => Key::Csat,
            (5, b'q') if b == b"queue" => Key::Queue,
            (5, b's') if b == b"state" => Key::State,
            (6, b'r') if b == b"reason" => Key::Reason,
            (6, b'q') if b == b"queues" => Key::Queues,
            (6, b'a') if b == b"agents" => Key::Agents,
            (7, b'c') if b == b"channel" => Key::Channel,
            (8, b'a') if b == b"agent_id" => Key::AgentId,
            (8, b'r') if b == b"resolved" => Key::Resolved,
            (8, b'p') if b == b"priority" => Key::Priority,
            (10, b'c') if b == b"contact_id" => Key::ContactId,
            (11, b'c') if b == b"customer_id" => Key::CustomerId,
            (14, b's') if b == b"sl_threshold_s" => Key::SlThreshold,
            _ => Key::Other,
        }
    }
}

struct KeyVisitor;

impl Visitor<'_> for KeyVisitor {
    type Value = Key;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a field name")
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Key, E> {
        Ok(Key::of(v))
    }
}

impl<'de> Deserialize<'de> for Key {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_identifier(KeyVisitor)
    }
}

#[inline(always)]
pub(super) fn put<T>(slot: &mut Option<T>, value: Option<T>, duplicate: &mut bool) {
    if let Some(v) = value {
        *duplicate |= slot.is_some();
        *slot = Some(v);
    }
}

/// Reads an event object's fields from a JSON map.
pub fn read_slots<'de, A: MapAccess<'de>>(mut map: A) -> Result<Slots<'de>, A::Error> {
    let mut s = Slots::default();
    let d = &mut s.duplicate;
    while let Some(key) = map.next_key::<Key>()? {
        let slot = match key {
            Key::Type => &mut s.ty,
            Key::Ts => &mut s.ts,
            Key::Seq => &mut s.seq,
            Key::ContactId => &mut s.contact_id,
            Key::Queue => &mut s.queue,
            Key::Channel => &mut s.channel,
            Key::CustomerId => &mut s.customer_id,
            Key::AgentId => &mut s.agent_id,
            Key::Resolved => &mut s.resolved,
            Key::State => &mut s.state,
            Key::Name => &mut s.name,
            Key::Reason => &mut s.reason,
            Key::SlThreshold => &mut s.sl_threshold_s,
            Key::From => &mut s.from,
            Key::Csat => &mut s.csat,
            Key::Nps => &mut s.nps,
            Key::Priority => {
                // Read raw first: `1e400` is valid JSON but no number serde
                // can hold, and an optional display field must not refuse
                // the contact's queueing.
                let raw = map.next_value::<&'de RawValue>()?;
                let v = serde_json::from_str::<Val<'de>>(raw.get()).unwrap_or(Val::Object);
                put(&mut s.priority, (v != Val::Null).then_some(v), d);
                continue;
            }
            Key::Queues => {
                put(&mut s.queues, map.next_value::<Option<&'de RawValue>>()?, d);
                continue;
            }
            Key::Agents => {
                put(&mut s.agents, map.next_value::<Option<&'de RawValue>>()?, d);
                continue;
            }
            Key::Other => {
                map.next_value::<IgnoredAny>()?;
                continue;
            }
        };
        let v = map.next_value::<Val<'de>>()?;
        put(slot, (v != Val::Null).then_some(v), d);
    }
    Ok(s)
}

#[cfg(test)]
mod tests {
    use super::Key;

    #[test]
    fn every_key_is_matched_by_its_name_only() {
        let names = [
            ("type", Key::Type),
            ("ts", Key::Ts),
            ("seq", Key::Seq),
            ("contact_id", Key::ContactId),
            ("queue", Key::Queue),
            ("channel", Key::Channel),
            ("customer_id", Key::CustomerId),
            ("agent_id", Key::AgentId),
            ("resolved", Key::Resolved),
            ("state", Key::State),
            ("name", Key::Name),
            ("reason", Key::Reason),
            ("sl_threshold_s", Key::SlThreshold),
            ("from", Key::From),
            ("csat", Key::Csat),
            ("nps", Key::Nps),
            ("queues", Key::Queues),
            ("agents", Key::Agents),
        ];
        for (name, key) in names {
            assert_eq!(Key::of(name), key, "{name}");
            assert_eq!(Key::of(&name.to_uppercase()), Key::Other, "{name}");
            assert_eq!(Key::of(&format!("{name}x")), Key::Other, "{name}");
            assert_eq!(Key::of(&name[1..]), Key::Other, "{name}");
            let last = name.len() - 1;
            assert_eq!(
                Key::of(&format!("{}_", &name[..last])),
                Key::Other,
                "{name}"
            );
        }
        assert_eq!(Key::of(""), Key::Other);
    }
}
