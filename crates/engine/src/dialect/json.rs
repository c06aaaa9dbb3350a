//! Reading platform JSON: objects whose keys vary in casing between a
//! platform's own APIs (`EventType`, `event_type`, `eventtype`; `AgentInfo`
//! and `agentInfo`), values captured as raw slices of the frame and parsed
//! only when a dialect asks for them.
//!
//! Nothing here panics on input. Strings borrow from the frame when they
//! carry no escapes; ids and names go through the same sanitizing as feed-v1
//! ([`crate::protocol::clean_id`], [`crate::protocol::clean_name`]).

use std::borrow::Cow;
use std::fmt;

use serde::de::{Deserialize, Deserializer, MapAccess, Visitor};
use serde_json::value::RawValue;
use smallvec::SmallVec;

use crate::protocol::{Priority, RejectKind, clean_id, clean_name, raw_str};
use crate::time::{FEED_TIME_END, MAX_TS, Ts};

/// Most keys one object may have; more is a hostile or broken feed.
pub const MAX_KEYS: usize = 512;

/// One JSON object, its values unparsed.
#[derive(Clone, Debug, Default)]
pub struct Obj<'a> {
    fields: SmallVec<[(Cow<'a, str>, &'a RawValue); 24]>,
}

/// Two keys name the same field when they differ only in ASCII case and in
/// `_` or `-` separators.
pub fn same_key(a: &str, b: &str) -> bool {
    let mut x = a.bytes().filter(|c| *c != b'_' && *c != b'-');
    let mut y = b.bytes().filter(|c| *c != b'_' && *c != b'-');
    loop {
        match (x.next(), y.next()) {
            (None, None) => return true,
            (Some(c), Some(d)) if c.eq_ignore_ascii_case(&d) => {}
            _ => return false,
        }
    }
}

impl<'a> Obj<'a> {
    /// Parses `text` as one object. `Err` says why it is not one.
    pub fn parse(text: &'a str) -> Result<Obj<'a>, RejectKind> {
        let raw: &'a RawValue = serde_json::from_str(text).map_err(|_| RejectKind::NotJson)?;
        Obj::from_raw(raw)
    }

    /// An object from a value already known to be JSON.
    pub fn from_raw(raw: &'a RawValue) -> Result<Obj<'a>, RejectKind> {
        if !raw.get().starts_with('{') {
            return Err(RejectKind::NotAnObject);
        }
        serde_json::from_str::<Obj<'a>>(raw.get()).map_err(|_| RejectKind::BadValue("object"))
    }

    /// The raw value of `key` (first match); JSON `null` counts as absent.
    pub fn get(&self, key: &str) -> Option<&'a RawValue> {
        self.fields
            .iter()
            .find(|(k, _)| same_key(k, key))
            .map(|(_, v)| *v)
            .filter(|v| v.get() != "null")
    }

    pub fn has(&self, key: &str) -> bool {
        self.get(key).is_some()
    }

    /// A string value (not sanitized: for comparisons, not for display).
    pub fn str(&self, key: &str) -> Option<Cow<'a, str>> {
        self.get(key).and_then(raw_str)
    }

    /// A string, or a number or boolean as its JSON text. AMI sends every
    /// value as a string; relays sometimes turn them into numbers.
    pub fn text(&self, key: &str) -> Option<Cow<'a, str>> {
        let raw = self.get(key)?;
        match raw.get().as_bytes().first() {
            Some(b'"') => raw_str(raw),
            Some(b'{') | Some(b'[') => None,
            _ => Some(Cow::Borrowed(raw.get())),
        }
    }

    /// A contact priority, from an integer or its decimal text (form
    /// callbacks send numbers as text) that fits 32 bits, signed; higher is
    /// more urgent. Anything else is [`Priority::Invalid`], never a refusal.
    pub fn priority(&self, key: &str) -> Priority {
        match self.text(key) {
            None => Priority::Absent,
            Some(t) => t
                .trim()
                .parse::<i32>()
                .map_or(Priority::Invalid, Priority::Given),
        }
    }

    /// A nested object; absent, or not an object, is `None`.
    pub fn obj(&self, key: &str) -> Option<Obj<'a>> {
        self.get(key).and_then(|r| Obj::from_raw(r).ok())
    }

    /// A nested array's items; absent, or not an array, is `None`.
    pub fn arr(&self, key: &str) -> Option<Vec<&'a RawValue>> {
        let raw = self.get(key)?;
        if !raw.get().starts_with('[') {
            return None;
        }
        serde_json::from_str(raw.get()).ok()
    }

    /// A boolean, from `true`/`false` or the strings "true"/"false"/"1"/"0"
    /// (form-encoded callbacks and AMI send booleans as text).
    pub fn flag(&self, key: &str) -> Option<bool> {
        match self.text(key)?.as_ref() {
            "true" | "True" | "TRUE" | "1" | "yes" | "Yes" => Some(true),
            "false" | "False" | "FALSE" | "0" | "no" | "No" => Some(false),
            _ => None,
        }
    }

    /// A required id, sanitized like feed-v1's.
    pub fn id(&self, key: &str, field: &'static str) -> Result<Cow<'a, str>, RejectKind> {
        let s = self.text(key).ok_or(if self.has(key) {
            RejectKind::WrongType(field)
        } else {
            RejectKind::Missing(field)
        })?;
        clean_id(s, field)
    }

    /// An optional id: absent is `None`, present but unusable is an error.
    pub fn opt_id(
        &self,
        key: &str,
        field: &'static str,
    ) -> Result<Option<Cow<'a, str>>, RejectKind> {
        if self.has(key) {
            self.id(key, field).map(Some)
        } else {
            Ok(None)
        }
    }

    /// An optional display name, sanitized and cut to the limit; empty is `None`.
    pub fn name(&self, key: &str) -> Option<Cow<'a, str>> {
        let n = clean_name(self.text(key)?);
        (!n.trim().is_empty()).then_some(n)
    }

    /// A time: RFC 3339 text, or epoch seconds or milliseconds (see [`epoch`]).
    pub fn ts(&self, key: &str) -> Option<Ts> {
        parse_time(self.text(key)?.as_ref())
    }
}

/// A time as platforms write it: RFC 3339, or an epoch number, as a number
/// or as text, in seconds (`1700000000`, AMI's `1700000000.123456`) or in
/// milliseconds (`1700000000123`). See [`epoch`]. A time before
/// [`NOT_A_TIME_BEFORE`], or from [`FEED_TIME_END`] on, is none (the
/// caller's stand-in, such as the receive time, is used).
pub fn parse_time(s: &str) -> Option<Ts> {
    let s = s.trim();
    if s.is_empty() {
        return None;
    }
    let t = if s.bytes().all(|b| b.is_ascii_digit() || b == b'.') {
        epoch(s)
    } else {
        Ts::parse_rfc3339(s)
    };
    t.filter(|t| (NOT_A_TIME_BEFORE..FEED_TIME_END).contains(t))
}

/// No contact center platform stamps an event before 2000: a time before
/// it is a field left at zero (`Timestamp: 0` would make a wait of 56
/// years), a stand-in for "not yet" (Amazon Connect writes the epoch's
/// first millisecond), or seconds so large they read as milliseconds of
/// the 1970s.
pub const NOT_A_TIME_BEFORE: Ts = Ts(946_684_800_000); // 2000-01-01T00:00:00Z

/// Epoch seconds or milliseconds, told apart by size: below 10^11 it is
/// seconds (10^11 s is the year 5138, 10^11 ms is 1973), so Twilio's
/// `Timestamp` (seconds) and `timestamp` (milliseconds) both read right.
/// Parsed as decimal text, without floating point, to keep every digit.
pub fn epoch(s: &str) -> Option<Ts> {
    let (int, frac) = match s.split_once('.') {
        Some((i, f)) => (i, f),
        None => (s, ""),
    };
    if int.is_empty() || int.len() > 16 || !frac.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let whole: i64 = int.parse().ok()?;
    let ms = if whole < 100_000_000_000 {
        let mut milli = 0i64;
        for (i, d) in frac.bytes().take(3).enumerate() {
            milli += i64::from(d - b'0') * [100, 10, 1][i];
        }
        whole.checked_mul(1000)?.checked_add(milli)?
    } else {
        whole
    };
    (0..=MAX_TS).contains(&ms).then_some(Ts(ms))
}

impl<'de: 'a, 'a> Deserialize<'de> for Obj<'a> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V<'a>(std::marker::PhantomData<&'a ()>);
        impl<'de: 'a, 'a> Visitor<'de> for V<'a> {
            type Value = Obj<'a>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a JSON object")
            }
            fn visit_map<M: MapAccess<'de>>(self, mut map: M) -> Result<Obj<'a>, M::Error> {
                let mut fields = SmallVec::new();
                while let Some(Key(k)) = map.next_key::<Key<'de>>()? {
                    let v: &'de RawValue = map.next_value()?;
                    if fields.len() >= MAX_KEYS {
                        return Err(serde::de::Error::custom("too many keys"));
                    }
                    fields.push((k, v));
                }
                Ok(Obj { fields })
            }
        }
        d.deserialize_map(V(std::marker::PhantomData))
    }
}

/// A key, borrowed unless it has escapes.
struct Key<'a>(Cow<'a, str>);

impl<'de: 'a, 'a> Deserialize<'de> for Key<'a> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V<'a>(std::marker::PhantomData<&'a ()>);
        impl<'de: 'a, 'a> Visitor<'de> for V<'a> {
            type Value = Key<'a>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a key")
            }
            fn visit_borrowed_str<E>(self, v: &'de str) -> Result<Key<'a>, E> {
                Ok(Key(Cow::Borrowed(v)))
            }
            fn visit_str<E>(self, v: &str) -> Result<Key<'a>, E> {
                Ok(Key(Cow::Owned(v.to_owned())))
            }
        }
        d.deserialize_str(V(std::marker::PhantomData))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_match_across_casings() {
        assert!(same_key("EventType", "event_type"));
        assert!(same_key("eventtype", "EventType"));
        assert!(same_key("detail-type", "DetailType"));
        assert!(!same_key("EventTypes", "EventType"));
        let o = Obj::parse(r#"{"AgentInfo":{"AgentArn":"x"},"n":null}"#).unwrap();
        assert!(o.obj("agentInfo").is_some());
        assert!(o.get("n").is_none());
    }

    #[test]
    fn values_and_limits() {
        let o = Obj::parse(r#"{"a":"x\u001b[2Jy","b":12,"c":"1","d":[1,2],"e":"true"}"#).unwrap();
        assert_eq!(o.name("a").as_deref(), Some("x[2Jy"));
        assert_eq!(o.text("b").as_deref(), Some("12"));
        assert_eq!(o.flag("c"), Some(true));
        assert_eq!(o.flag("e"), Some(true));
        assert_eq!(o.arr("d").map(|v| v.len()), Some(2));
        assert!(o.obj("d").is_none());
        assert_eq!(
            o.id("zz", "contact_id"),
            Err(RejectKind::Missing("contact_id"))
        );
        assert_eq!(
            o.id("d", "contact_id"),
            Err(RejectKind::WrongType("contact_id"))
        );
        let long = format!(r#"{{"a":"{}"}}"#, "x".repeat(300));
        assert_eq!(
            Obj::parse(&long).unwrap().id("a", "agent_id"),
            Err(RejectKind::TooLong("agent_id"))
        );
        assert_eq!(Obj::parse("[1]").unwrap_err(), RejectKind::NotAnObject);
        assert_eq!(Obj::parse("{").unwrap_err(), RejectKind::NotJson);
        let many: String = (0..=MAX_KEYS).map(|i| format!("\"k{i}\":1,")).collect();
        let many = format!("{{{}\"z\":1}}", many);
        assert!(Obj::parse(&many).is_err());
    }

    #[test]
    fn times_in_every_form() {
        assert_eq!(parse_time("1700000000"), Some(Ts(1_700_000_000_000)));
        assert_eq!(parse_time("1700000000.123456"), Some(Ts(1_700_000_000_123)));
        assert_eq!(parse_time("1700000000123"), Some(Ts(1_700_000_000_123)));
        assert_eq!(
            parse_time("2023-11-14T22:13:20.500Z"),
            Some(Ts(1_700_000_000_500))
        );
        assert_eq!(parse_time("99999999999999999999"), None);
        assert_eq!(parse_time("1.2.3"), None);
        assert_eq!(parse_time(""), None);
    }

    #[test]
    fn a_time_before_2000_is_none() {
        // A field left at zero, Connect's "not yet", seconds of the year
        // 10000 (read as milliseconds: 1978), and the first instant kept.
        assert_eq!(parse_time("0"), None);
        assert_eq!(parse_time("1970-01-01T00:00:00.001Z"), None);
        assert_eq!(parse_time("253402300800"), None);
        assert_eq!(parse_time("1e400"), None);
        assert_eq!(parse_time("2000-01-01T00:00:00Z"), Some(NOT_A_TIME_BEFORE));
        assert_eq!(parse_time("946684799"), None);
    }

    #[test]
    fn a_time_from_2100_on_is_none() {
        // The year 9999, as text and as epoch milliseconds; the last
        // millisecond of 2099 is kept.
        assert_eq!(parse_time("9999-01-01T00:00:00Z"), None);
        assert_eq!(parse_time("253370764800000"), None);
        assert_eq!(parse_time("2100-01-01T00:00:00Z"), None);
        assert_eq!(parse_time("4102444800"), None);
        assert_eq!(
            parse_time("2099-12-31T23:59:59.999Z"),
            Some(Ts(FEED_TIME_END.0 - 1))
        );
    }
}
