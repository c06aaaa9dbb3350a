//! What the platform dialects share: a frame is one JSON object or an array
//! of them; each object is handed to the dialect on its own, so one bad
//! message never costs the others; recordings wrap each frame with the time
//! it arrived, because some platforms' messages carry no time of their own.

use std::borrow::Cow;

use serde_json::value::RawValue;

use super::json::Obj;
use super::{Dialect, Signal, one_line};
use crate::protocol::{AgentState, Decoded, Event, EventKind, Reject, RejectKind, Str};
use crate::time::{FEED_TIME_END, Ts};

/// A dialect that reads a platform's JSON messages one object at a time.
pub(crate) trait Platform {
    /// One message. `raw` is its text, for reject excerpts.
    fn message<'b>(
        &mut self,
        msg: &Obj<'b>,
        raw: &'b str,
        received: Ts,
        out: &mut Out<'_, 'b>,
    ) -> Signal;

    /// Text frames to send after every (re)connect.
    fn on_connect(&mut self) -> Vec<String> {
        Vec::new()
    }
}

/// Every platform dialect decodes, records and subscribes the same way.
impl<P: Platform + Send> Dialect for P {
    fn decode<'a>(
        &mut self,
        frame: &'a str,
        received: Ts,
        out: &mut dyn FnMut(Decoded<'a>),
    ) -> Signal {
        decode(self, frame, received, out)
    }

    fn on_connect(&mut self) -> Vec<String> {
        Platform::on_connect(self)
    }

    fn record_line(&self, frame: &str, received: Ts) -> String {
        record_line(frame, received)
    }
}

/// Where a dialect puts what it decoded.
pub(crate) struct Out<'o, 'b> {
    f: &'o mut dyn FnMut(Decoded<'b>),
    /// Events handed out so far (for dialects that answer "nothing changed"
    /// with a heartbeat).
    pub events: usize,
}

impl<'o, 'b> Out<'o, 'b> {
    pub fn new(f: &'o mut dyn FnMut(Decoded<'b>)) -> Self {
        Out { f, events: 0 }
    }

    pub fn event(&mut self, ts: Ts, kind: EventKind<'b>) {
        self.events += 1;
        (self.f)(Decoded::Event(Event {
            ts,
            seq: None,
            kind,
        }));
    }

    pub fn reject(&mut self, kind: RejectKind, raw: &str) {
        (self.f)(Decoded::Rejected(Reject::new(kind, raw)));
    }

    pub fn unknown(&mut self) {
        (self.f)(Decoded::Unknown { seq: None });
    }

    /// Either the events of a message, or why it was refused.
    pub fn result(&mut self, r: Result<(), RejectKind>, raw: &str) {
        if let Err(k) = r {
            self.reject(k, raw);
        }
    }
}

/// An agent's state as a dialect last sent it, to send only changes.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Sent {
    pub state: AgentState,
    pub reason: Option<Box<str>>,
    pub name: Option<Box<str>>,
    pub queues: Vec<Box<str>>,
}

/// An owned copy of a string the dialect remembers, as an event field.
pub(crate) fn owned<'b>(s: &str) -> Str<'b> {
    Cow::Owned(s.to_owned())
}

/// The key that marks a recorded frame: `{"qt_received":MS,"frame":...}`.
const ENVELOPE: &str = "{\"qt_received\":";

/// The line `--record` writes: the platform's frame, untouched, inside an
/// envelope that keeps when it arrived (on the feed's clock). A frame that
/// is not JSON is kept as a JSON string, so the line stays one JSON object.
pub(crate) fn record_line(frame: &str, received: Ts) -> String {
    let line = one_line(frame);
    if serde_json::from_str::<&RawValue>(&line).is_ok() {
        format!("{ENVELOPE}{},\"frame\":{}}}", received.0, line.trim())
    } else {
        let text = serde_json::to_string(frame).unwrap_or_else(|_| "\"\"".into());
        format!("{ENVELOPE}{},\"frame_text\":{text}}}", received.0)
    }
}

/// Decodes one frame for a platform dialect: opens a recording envelope if
/// there is one (its time replaces `received`), then each object in turn.
pub(crate) fn decode<'a, P: Platform>(
    p: &mut P,
    frame: &'a str,
    received: Ts,
    out: &mut dyn FnMut(Decoded<'a>),
) -> Signal {
    if !frame.trim_start().starts_with(ENVELOPE) {
        return decode_body(p, frame, received, out);
    }
    let env = match Obj::parse(frame) {
        Ok(o) => o,
        Err(k) => {
            out(Decoded::Rejected(Reject::new(k, frame)));
            return Signal::None;
        }
    };
    let Some(at) = env
        .text("qt_received")
        .and_then(|t| t.parse::<i64>().ok())
        .and_then(Ts::from_epoch_millis)
        // It stands in for the platform's time: a year-9999 envelope
        // would stamp its events then (no lower bound: it is our own
        // clock's, and a test recording may start at 0).
        .filter(|t| *t < FEED_TIME_END)
    else {
        out(Decoded::Rejected(Reject::new(
            RejectKind::BadValue("qt_received"),
            frame,
        )));
        return Signal::None;
    };
    if let Some(inner) = env.get("frame") {
        return decode_body(p, inner.get(), at, out);
    }
    match env.str("frame_text") {
        Some(Cow::Borrowed(text)) => decode_body(p, text, at, out),
        Some(Cow::Owned(text)) => {
            // Unescaped into a buffer of our own: the events cannot borrow
            // from it beyond this call, so they are copied out.
            let mut fwd = |d: Decoded<'_>| out(d.into_owned());
            decode_body(p, &text, at, &mut fwd)
        }
        None => {
            out(Decoded::Rejected(Reject::new(
                RejectKind::Missing("frame"),
                frame,
            )));
            Signal::None
        }
    }
}

fn decode_body<'b, P: Platform>(
    p: &mut P,
    body: &'b str,
    received: Ts,
    out: &mut dyn FnMut(Decoded<'b>),
) -> Signal {
    let mut o = Out::new(out);
    if body.trim_start().starts_with('[') {
        let items: Vec<&'b RawValue> = match serde_json::from_str(body) {
            Ok(v) => v,
            Err(_) => {
                o.reject(RejectKind::NotJson, body);
                return Signal::None;
            }
        };
        let mut signal = Signal::None;
        for item in items {
            if one(p, item, received, &mut o) == Signal::ReconnectSoon {
                signal = Signal::ReconnectSoon;
            }
        }
        signal
    } else {
        match serde_json::from_str::<&'b RawValue>(body) {
            Ok(item) => one(p, item, received, &mut o),
            Err(_) => {
                o.reject(RejectKind::NotJson, body);
                Signal::None
            }
        }
    }
}

fn one<'b, P: Platform>(
    p: &mut P,
    item: &'b RawValue,
    received: Ts,
    o: &mut Out<'_, 'b>,
) -> Signal {
    match Obj::from_raw(item) {
        Ok(msg) => p.message(&msg, item.get(), received, o),
        Err(k) => {
            o.reject(k, item.get());
            Signal::None
        }
    }
}
