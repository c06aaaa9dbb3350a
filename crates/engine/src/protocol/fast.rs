//! The common frame read without serde's machinery: one flat event object
//! whose values are plain strings (no escapes), non-negative integers,
//! `true`, `false` or `null`, the shape nearly every frame of a live feed
//! has. It fills the same [`Slots`] as [`super::slots::read_slots`] would,
//! byte for byte; anything else (an escape, a nested value, a float, a
//! negative number, a list of queues, broken JSON) makes it give up, and the
//! frame goes the serde way, which decides. So this only ever answers where
//! the two would agree.

use std::borrow::Cow;

use super::slots::{Key, Slots, Val, put};

/// The slots of `frame` if it is one flat event object of the common
/// shape, or `None` to leave it to serde.
pub fn flat_slots(frame: &str) -> Option<Slots<'_>> {
    let mut r = Reader {
        b: frame.as_bytes(),
        s: frame,
        i: 0,
    };
    r.ws();
    r.eat(b'{')?;
    r.ws();
    let mut slots = Slots::default();
    loop {
        r.eat(b'"')?;
        let key = Key::of(r.string()?);
        r.ws();
        r.eat(b':')?;
        r.ws();
        let value = r.value()?;
        let d = &mut slots.duplicate;
        let slot = match key {
            Key::Type => &mut slots.ty,
            Key::Ts => &mut slots.ts,
            Key::Seq => &mut slots.seq,
            Key::ContactId => &mut slots.contact_id,
            Key::Queue => &mut slots.queue,
            Key::Channel => &mut slots.channel,
            Key::CustomerId => &mut slots.customer_id,
            Key::AgentId => &mut slots.agent_id,
            Key::Resolved => &mut slots.resolved,
            Key::State => &mut slots.state,
            Key::Name => &mut slots.name,
            Key::Reason => &mut slots.reason,
            Key::SlThreshold => &mut slots.sl_threshold_s,
            Key::From => &mut slots.from,
            Key::Csat => &mut slots.csat,
            Key::Nps => &mut slots.nps,
            Key::Priority => &mut slots.priority,
            // Kept as raw JSON: serde's way.
            Key::Queues | Key::Agents => return None,
            Key::Other => &mut None,
        };
        put(slot, (value != Val::Null).then_some(value), d);
        r.ws();
        match r.next()? {
            b',' => r.ws(),
            b'}' => break,
            _ => return None,
        }
    }
    r.ws();
    (r.i == r.b.len()).then_some(slots)
}

struct Reader<'a> {
    b: &'a [u8],
    s: &'a str,
    i: usize,
}

impl<'a> Reader<'a> {
    fn next(&mut self) -> Option<u8> {
        let c = *self.b.get(self.i)?;
        self.i += 1;
        Some(c)
    }

    fn eat(&mut self, want: u8) -> Option<()> {
        (self.next()? == want).then_some(())
    }

    /// JSON's whitespace, as serde_json skips it.
    fn ws(&mut self) {
        while let Some(b' ' | b'\n' | b'\t' | b'\r') = self.b.get(self.i) {
            self.i += 1;
        }
    }

    /// The rest of a string whose opening quote was read: without escapes
    /// or control characters (which serde_json refuses), else `None`.
    fn string(&mut self) -> Option<&'a str> {
        let start = self.i;
        loop {
            match self.next()? {
                b'"' => break,
                b'\\' | 0..=0x1f => return None,
                _ => {}
            }
        }
        // The quotes are ASCII, so both ends are on character boundaries.
        self.s.get(start..self.i - 1)
    }

    fn literal(&mut self, word: &[u8], v: Val<'a>) -> Option<Val<'a>> {
        let end = self.i + word.len();
        (self.b.get(self.i..end)? == word).then(|| {
            self.i = end;
            v
        })
    }

    fn value(&mut self) -> Option<Val<'a>> {
        match *self.b.get(self.i)? {
            b'"' => {
                self.i += 1;
                Some(Val::Str(Cow::Borrowed(self.string()?)))
            }
            b't' => self.literal(b"true", Val::Bool(true)),
            b'f' => self.literal(b"false", Val::Bool(false)),
            b'n' => self.literal(b"null", Val::Null),
            b'0'..=b'9' => self.unsigned(),
            // Negative numbers, lists, objects: serde's way.
            _ => None,
        }
    }

    /// A non-negative integer as serde_json reads it (`visit_u64`); a
    /// leading zero, a fraction, an exponent or more than `u64` gives up.
    fn unsigned(&mut self) -> Option<Val<'a>> {
        let start = self.i;
        let mut n: u64 = 0;
        while let Some(&c @ b'0'..=b'9') = self.b.get(self.i) {
            n = n.checked_mul(10)?.checked_add(u64::from(c - b'0'))?;
            self.i += 1;
        }
        if self.b[start] == b'0' && self.i - start > 1 {
            return None;
        }
        match self.b.get(self.i) {
            Some(b'.' | b'e' | b'E') => None,
            _ => Some(Val::UInt(n)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What serde reads, for comparison.
    fn by_serde(frame: &str) -> Option<String> {
        use serde::de::{Deserializer, MapAccess, Visitor};
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Slots<'de>;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("an object")
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Slots<'de>, A::Error> {
                super::super::slots::read_slots(map)
            }
        }
        let mut de = serde_json::Deserializer::from_str(frame);
        let s = (&mut de).deserialize_any(V).ok()?;
        de.end().ok()?;
        Some(format!("{s:?}"))
    }

    #[test]
    fn agrees_with_serde_wherever_it_answers() {
        let frames = [
            r#"{"type":"contact.queued","ts":1795424401000,"seq":7,"contact_id":"c-1","queue":"q1","channel":"chat","customer_id":"cus"}"#,
            r#" { "type" : "agent.state" , "agent_id":"a1","state":"away","reason":"lunch","name":"Ann é"} "#,
            r#"{"type":"contact.ended","ts":"2026-11-24T09:00:00Z","contact_id":"c","resolved":true,"extra":null,"x":false}"#,
            r#"{"type":"contact.survey","ts":1,"contact_id":"c","csat":5,"nps":0,"csat":4}"#,
            r#"{"type":"heartbeat","ts":18446744073709551615}"#,
            r#"{"type":"heartbeat","ts":1}"#,
            r#"{"type":"heartbeat","ts":null,"seq":null}"#,
        ];
        for f in frames {
            let fast = flat_slots(f).map(|s| format!("{s:?}"));
            assert!(fast.is_some(), "{f}");
            assert_eq!(fast, by_serde(f), "{f}");
        }
    }

    #[test]
    fn leaves_everything_else_to_serde() {
        let frames = [
            r#"{"type":"x\"y","ts":1}"#,
            r#"{"type":"x","ts":1.5}"#,
            r#"{"type":"x","ts":-1}"#,
            r#"{"type":"x","ts":01}"#,
            r#"{"type":"x","ts":1e3}"#,
            r#"{"type":"x","ts":18446744073709551616}"#,
            r#"{"type":"agent.state","queues":["q"]}"#,
            r#"{"type":"x","o":{"a":1}}"#,
            r#"{"type":"x","l":[1]}"#,
            r#"[{"type":"x"}]"#,
            r#"{"type":"x"} x"#,
            r#"{"type":"x",}"#,
            r#"{}"#,
            r#"{"type":"x""#,
            r#"{"type":"a	b"}"#,
            r#"{"type":tru}"#,
            "",
        ];
        for f in frames {
            assert!(flat_slots(f).is_none(), "{f}");
        }
    }
}
