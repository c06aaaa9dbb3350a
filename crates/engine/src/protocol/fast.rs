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

/// Fills `slots` (empty) from `frame` if it is one flat event object of
/// the common shape; `None` leaves it to serde (and `slots` half filled).
pub fn flat_slots<'a>(frame: &'a str, slots: &mut Slots<'a>) -> Option<()> {
    let mut r = Reader {
        b: frame.as_bytes(),
        s: frame,
        i: 0,
    };
    r.ws();
    r.eat(b'{')?;
    loop {
        r.ws_eat(b'"')?;
        let key = r.key()?;
        r.ws_eat(b':')?;
        r.ws_then();
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
            Key::Other => {
                r.value()?;
                match r.ws_next()? {
                    b',' => continue,
                    b'}' => break,
                    _ => return None,
                }
            }
        };
        r.value_into(slot, d)?;
        match r.ws_next()? {
            b',' => {}
            b'}' => break,
            _ => return None,
        }
    }
    r.ws();
    (r.i == r.b.len()).then_some(())
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

    /// Whitespace, then `want`. Compact JSON has none between tokens, so
    /// the next byte is looked at first.
    #[inline(always)]
    fn ws_eat(&mut self, want: u8) -> Option<()> {
        if self.b.get(self.i) == Some(&want) {
            self.i += 1;
            return Some(());
        }
        self.ws();
        self.eat(want)
    }

    /// Whitespace, then the next byte.
    #[inline(always)]
    fn ws_next(&mut self) -> Option<u8> {
        match self.next()? {
            b' ' | b'\n' | b'\t' | b'\r' => {
                self.ws();
                self.next()
            }
            c => Some(c),
        }
    }

    /// Whitespace before a value, if any.
    #[inline(always)]
    fn ws_then(&mut self) {
        if let Some(b' ' | b'\n' | b'\t' | b'\r') = self.b.get(self.i) {
            self.ws();
        }
    }

    /// JSON's whitespace, as serde_json skips it.
    fn ws(&mut self) {
        while let Some(b' ' | b'\n' | b'\t' | b'\r') = self.b.get(self.i) {
            self.i += 1;
        }
    }

    /// The rest of a key whose opening quote was read. The names we keep
    /// are matched in place with their closing quote (one comparison of a
    /// few bytes); any other key is read as a string.
    #[inline(always)]
    fn key(&mut self) -> Option<Key> {
        let rest = self.b.get(self.i..)?;
        let (key, len) = match *rest.first()? {
            b't' if rest.starts_with(b"type\"") => (Key::Type, 5),
            b't' if rest.starts_with(b"ts\"") => (Key::Ts, 3),
            b's' if rest.starts_with(b"seq\"") => (Key::Seq, 4),
            b's' if rest.starts_with(b"state\"") => (Key::State, 6),
            b'c' if rest.starts_with(b"contact_id\"") => (Key::ContactId, 11),
            b'c' if rest.starts_with(b"channel\"") => (Key::Channel, 8),
            b'c' if rest.starts_with(b"customer_id\"") => (Key::CustomerId, 12),
            b'a' if rest.starts_with(b"agent_id\"") => (Key::AgentId, 9),
            b'q' if rest.starts_with(b"queue\"") => (Key::Queue, 6),
            b'f' if rest.starts_with(b"from\"") => (Key::From, 5),
            b'r' if rest.starts_with(b"resolved\"") => (Key::Resolved, 9),
            _ => return Some(Key::of(self.string()?)),
        };
        self.i += len;
        Some(key)
    }

    /// The rest of a string whose opening quote was read: without escapes
    /// or control characters (which serde_json refuses), else `None`.
    /// Eight bytes at a time while eight remain (ids and keys are short, so
    /// a word at a time beats a call to a vector search).
    #[inline(always)]
    fn string(&mut self) -> Option<&'a str> {
        let start = self.i;
        let mut i = start;
        while let Some(word) = self.b.get(i..i + 8) {
            let w = u64::from_le_bytes(word.try_into().ok()?);
            let m = special(w);
            if m != 0 {
                return self.string_end(start, i + (m.trailing_zeros() / 8) as usize);
            }
            i += 8;
        }
        while let Some(&c) = self.b.get(i) {
            if c == b'"' || c == b'\\' || c < 0x20 {
                return self.string_end(start, i);
            }
            i += 1;
        }
        None
    }

    /// The string from `start` to the special byte at `at`: its closing
    /// quote, or an escape or control character (serde's way).
    fn string_end(&mut self, start: usize, at: usize) -> Option<&'a str> {
        if self.b[at] != b'"' {
            return None;
        }
        self.i = at + 1;
        // The quotes are ASCII, so both ends are on character boundaries.
        self.s.get(start..at)
    }

    fn literal<V>(&mut self, word: &[u8], v: V) -> Option<V> {
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
            b'0'..=b'9' => self.unsigned().map(Val::UInt),
            // Negative numbers, lists, objects: serde's way.
            _ => None,
        }
    }

    /// [`Reader::value`] read straight into its slot (a null leaves the
    /// slot as it is), `duplicate` noting a slot already filled. Each kind
    /// is stored where it is read: a value built aside and then copied
    /// whole was read back with wider loads than the stores that had just
    /// made it, which the processor cannot forward (a stall on every field
    /// of every frame).
    #[inline(always)]
    fn value_into(&mut self, slot: &mut Option<Val<'a>>, duplicate: &mut bool) -> Option<()> {
        match *self.b.get(self.i)? {
            b'"' => {
                self.i += 1;
                let s = self.string()?;
                put(slot, Some(Val::Str(Cow::Borrowed(s))), duplicate);
            }
            b't' => {
                self.literal(b"true", ())?;
                put(slot, Some(Val::Bool(true)), duplicate);
            }
            b'f' => {
                self.literal(b"false", ())?;
                put(slot, Some(Val::Bool(false)), duplicate);
            }
            b'n' => self.literal(b"null", ())?,
            b'0'..=b'9' => {
                let n = self.unsigned()?;
                put(slot, Some(Val::UInt(n)), duplicate);
            }
            // Negative numbers, lists, objects: serde's way.
            _ => return None,
        }
        Some(())
    }

    /// A non-negative integer as serde_json reads it (`visit_u64`); a
    /// leading zero, a fraction, an exponent or more than `u64` gives up.
    fn unsigned(&mut self) -> Option<u64> {
        let start = self.i;
        let mut n: u64 = 0;
        // A time in milliseconds has thirteen digits: the first eight at once.
        if let Some(word) = self.b.get(start..start + 8) {
            let w = u64::from_le_bytes(word.try_into().ok()?);
            if eight_digits(w) {
                n = parse_eight(w);
                self.i += 8;
            }
        }
        // Nineteen digits always fit a u64; a twentieth may not.
        while let Some(&c @ b'0'..=b'9') = self.b.get(self.i) {
            if self.i - start >= 19 {
                n = n.checked_mul(10)?.checked_add(u64::from(c - b'0'))?;
            } else {
                n = n * 10 + u64::from(c - b'0');
            }
            self.i += 1;
        }
        if self.b[start] == b'0' && self.i - start > 1 {
            return None;
        }
        match self.b.get(self.i) {
            Some(b'.' | b'e' | b'E') => None,
            _ => Some(n),
        }
    }
}

/// Whether all eight bytes of a word are ASCII digits.
fn eight_digits(w: u64) -> bool {
    const HIGH_NIBBLES: u64 = 0xf0f0_f0f0_f0f0_f0f0;
    const ZEROS: u64 = 0x3030_3030_3030_3030;
    w & HIGH_NIBBLES == ZEROS && w.wrapping_add(0x0606_0606_0606_0606) & HIGH_NIBBLES == ZEROS
}

/// The number eight ASCII digits spell, the first in the lowest byte
/// (pairs, then fours, then all eight, each by one multiplication).
fn parse_eight(w: u64) -> u64 {
    let v = w - 0x3030_3030_3030_3030;
    let v = v * 10 + (v >> 8);
    let low = (v & 0x0000_00ff_0000_00ff).wrapping_mul(100 + (1_000_000 << 32));
    let high = ((v >> 16) & 0x0000_00ff_0000_00ff).wrapping_mul(1 + (10_000 << 32));
    low.wrapping_add(high) >> 32
}

/// A word whose bytes are each flagged (high bit) where they are a quote,
/// a backslash or a control character; the lowest flag is always exact
/// (a borrow can only flag bytes above a true one).
fn special(w: u64) -> u64 {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    let zero = |x: u64| x.wrapping_sub(ONES) & !x & HIGH;
    let quote = zero(w ^ (ONES * u64::from(b'"')));
    let backslash = zero(w ^ (ONES * u64::from(b'\\')));
    let control = w.wrapping_sub(ONES * 0x20) & !w & HIGH;
    quote | backslash | control
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
            r#"{"types":"x","type":"heartbeat","t":1,"tsx":2,"ts":3,"queue_":"a","queue":"q","s":"","contact_i":"c","contact_id":"d","agent_idx":"e","from ":"f"}"#,
            r#"{"type":"heartbeat","ts":null,"seq":null}"#,
        ];
        for f in frames {
            let mut s = Slots::default();
            let fast = flat_slots(f, &mut s).map(|()| format!("{s:?}"));
            assert!(fast.is_some(), "{f}");
            assert_eq!(fast, by_serde(f), "{f}");
        }
    }

    /// Strings are read a word at a time: a quote, an escape or a control
    /// character at every place in a word, and strings of every length
    /// around a word's, read as serde reads them (or left to it).
    #[test]
    fn strings_agree_with_serde_at_every_place_in_a_word() {
        for len in 0..26 {
            for at in 0..=len {
                for special in ["", "\\\"", "\\n", "\t", "\u{1f}", "é", "\u{7f}"] {
                    let mut text: String = "abcdefghijklmnopqrstuvwxyz"[..len].into();
                    if !special.is_empty() {
                        text.replace_range(at..at, special);
                    }
                    let f = format!(r#"{{"type":"{text}","ts":1,"contact_id":"{text}"}}"#);
                    let mut s = Slots::default();
                    match flat_slots(&f, &mut s) {
                        Some(()) => assert_eq!(Some(format!("{s:?}")), by_serde(&f), "{f}"),
                        None => assert!(
                            special.starts_with('\\') || special == "\t" || special == "\u{1f}",
                            "{f}"
                        ),
                    }
                }
            }
        }
    }

    /// Numbers of every length, eight digits read at once when there are
    /// eight, up to and past the largest u64.
    #[test]
    fn numbers_agree_with_serde_at_every_length() {
        let digits = "18446744073709551615999";
        for len in 1..=digits.len() {
            for n in [&digits[..len], &"90817263540123456789"[..len.min(20)]] {
                for after in ["", "0", ".5", "e3", " "] {
                    let f = format!(r#"{{"type":"x","ts":{n}{after},"seq":{n}}}"#);
                    let mut s = Slots::default();
                    if flat_slots(&f, &mut s).is_some() {
                        assert_eq!(Some(format!("{s:?}")), by_serde(&f), "{f}");
                    } else {
                        // Given up: a fraction, an exponent, or past u64.
                        let whole = format!("{n}{after}");
                        assert!(
                            whole.contains(['.', 'e']) || whole.trim().parse::<u64>().is_err(),
                            "{f}"
                        );
                    }
                }
            }
        }
        let mut s = Slots::default();
        assert!(flat_slots(r#"{"type":"x","ts":1795424400000}"#, &mut s).is_some());
        assert_eq!(s.ts, Some(Val::UInt(1_795_424_400_000)));
        assert!(flat_slots(r#"{"type":"x","ts":012345678}"#, &mut Slots::default()).is_none());
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
            assert!(flat_slots(f, &mut Slots::default()).is_none(), "{f}");
        }
    }
}
