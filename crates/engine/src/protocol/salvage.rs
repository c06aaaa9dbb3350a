//! The second, slower reading of a frame the one-pass decoder refused.
//!
//! The one-pass decoder reads every number as it goes, and serde_json
//! stops the whole parse at a number it cannot hold (`1e400` is valid JSON
//! syntax but no `f64`). Without this, one such value in one event of a
//! batch would cost every event of the frame, which feed-v1 forbids. So a
//! refused frame is read again for its structure only (a raw value checks
//! the syntax but reads no number), and each item is decoded on its own:
//! only the item holding the bad value is refused.

use std::collections::BTreeMap;

use serde::de::DeserializeSeed;
use serde_json::value::RawValue;

use super::decode::{Decoded, ItemSeed, Reject, RejectKind};
use super::slots::Val;

/// The feed-v1 field names, to name the one whose value could not be read.
const FIELDS: [&str; 19] = [
    "type",
    "ts",
    "seq",
    "contact_id",
    "queue",
    "channel",
    "customer_id",
    "agent_id",
    "resolved",
    "state",
    "name",
    "reason",
    "sl_threshold_s",
    "queues",
    "agents",
    "from",
    "csat",
    "nps",
    "priority",
];

/// Decodes `frame` item by item. A frame that is not JSON even for its
/// structure is one rejection, as before.
pub(super) fn decode_items<'a>(frame: &'a str, out: &mut impl FnMut(Decoded<'a>)) {
    let not_json = || Decoded::Rejected(Reject::new(RejectKind::NotJson, frame));
    let Ok(whole) = serde_json::from_str::<&'a RawValue>(frame) else {
        return out(not_json());
    };
    if !whole.get().starts_with('[') {
        return out(decode_item(whole));
    }
    match serde_json::from_str::<Vec<&'a RawValue>>(whole.get()) {
        Ok(items) => items.into_iter().for_each(|item| out(decode_item(item))),
        Err(_) => out(not_json()),
    }
}

fn decode_item(item: &RawValue) -> Decoded<'_> {
    let text = item.get();
    let mut de = serde_json::Deserializer::from_str(text);
    match (ItemSeed { frame: text }).deserialize(&mut de) {
        Ok(decoded) => decoded,
        Err(_) => unreadable(text),
    }
}

/// An event with a value serde_json cannot read: refused, naming the
/// field, and keeping its `seq` (so that it is not taken for a gap).
fn unreadable(text: &str) -> Decoded<'static> {
    let fields: BTreeMap<String, &RawValue> = serde_json::from_str(text).unwrap_or_default();
    let bad = fields
        .iter()
        .find(|(_, v)| serde_json::from_str::<Val<'_>>(v.get()).is_err())
        .and_then(|(k, _)| FIELDS.iter().find(|f| **f == k.as_str()).copied())
        .unwrap_or("event");
    let seq = fields
        .get("seq")
        .and_then(|v| serde_json::from_str::<u64>(v.get()).ok());
    Decoded::Rejected(Reject {
        seq,
        ..Reject::new(RejectKind::BadValue(bad), text)
    })
}

#[cfg(test)]
mod tests {
    use super::super::decode_frame;
    use super::*;

    fn decode(frame: &str) -> Vec<Decoded<'_>> {
        let mut out = Vec::new();
        decode_frame(frame, |d| out.push(d));
        out
    }

    #[test]
    fn an_out_of_range_number_costs_only_its_event() {
        let frame = r#"[{"type":"heartbeat","ts":1000,"seq":1},
            {"type":"heartbeat","ts":1e400,"seq":2},
            {"type":"heartbeat","ts":3000,"seq":3}]"#;
        let out = decode(frame);
        assert_eq!(out.len(), 3);
        assert!(matches!(&out[0], Decoded::Event(e) if e.seq == Some(1)));
        match &out[1] {
            Decoded::Rejected(r) => {
                assert_eq!(r.kind, RejectKind::BadValue("ts"));
                assert_eq!(r.seq, Some(2));
                assert!(r.excerpt.contains("1e400"), "{}", r.excerpt);
            }
            other => panic!("{other:?}"),
        }
        assert!(matches!(&out[2], Decoded::Event(e) if e.seq == Some(3)));
    }

    #[test]
    fn a_lone_event_with_such_a_number_is_refused_by_field() {
        let out = decode(r#"{"type":"heartbeat","ts":1,"seq":-1e999}"#);
        assert!(
            matches!(&out[..], [Decoded::Rejected(r)] if r.kind == RejectKind::BadValue("seq")),
            "{out:?}"
        );
    }

    #[test]
    fn broken_json_is_still_one_rejection() {
        let out = decode(r#"[{"type":"heartbeat","ts":1},{"type":"#);
        assert!(
            matches!(&out[..], [Decoded::Rejected(r)] if r.kind == RejectKind::NotJson),
            "{out:?}"
        );
    }
}
