//! Incident marks: an instant a supervisor flagged (`m` on screen), with an
//! optional note, and the figures as they stood then, so the screen can show
//! how far each has moved since ("+37 waiting", "SL -22.0 pts").
//!
//! A mark is kept in a recording as one line of feed-v1's shape with a type
//! of its own, `{"type":"queuetop.mark","ts":...,"note":...}`: a feed-v1
//! reader that does not know it counts it as an unknown type and goes on
//! (never as refused), and queuetop's replay takes it as a mark again,
//! whatever dialect the other lines are in.

use std::borrow::Cow;
use std::collections::HashMap;

use serde::{Deserialize, Serialize};

use crate::floor::{AgentCounts, Figures, Floor, QueueView, WindowKind};
use crate::time::{FEED_TIME_END, Millis, Ts};

/// The `type` of a mark's line.
pub const MARK_TYPE: &str = "queuetop.mark";
/// How a mark's line starts, as [`Mark::to_line`] writes it: replay checks
/// this before anything else, so an ordinary frame costs one comparison.
const LINE_START: &str = "{\"type\":\"queuetop.mark\",";
/// A note is a few words, not a paste of a document.
pub const MAX_NOTE_CHARS: usize = 200;
/// Marks kept (the oldest go first): a session marks a handful.
pub const MAX_MARKS: usize = 1_000;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Mark {
    /// On the feed's clock.
    pub at: Ts,
    /// Stripped of control characters, trimmed, at most [`MAX_NOTE_CHARS`];
    /// empty when none was typed.
    pub note: String,
}

#[derive(Serialize, Deserialize)]
struct Line<'a> {
    #[serde(rename = "type", borrow)]
    kind: Cow<'a, str>,
    ts: String,
    #[serde(default, borrow)]
    note: Cow<'a, str>,
}

impl Mark {
    /// A mark at `at`; the note is cleaned and bounded here, so no mark
    /// ever holds a control character or a novel.
    pub fn new(at: Ts, note: &str) -> Self {
        let stripped = crate::text::strip(Cow::Borrowed(note));
        let note: String = stripped.trim().chars().take(MAX_NOTE_CHARS).collect();
        Mark {
            at,
            note: note.trim_end().to_string(),
        }
    }

    /// The recording's line (no newline).
    pub fn to_line(&self) -> String {
        let line = Line {
            kind: Cow::Borrowed(MARK_TYPE),
            ts: self.at.to_string(),
            note: Cow::Borrowed(&self.note),
        };
        // Plain strings cannot fail to serialize; keep the shape anyway.
        serde_json::to_string(&line)
            .unwrap_or_else(|_| format!("{LINE_START}\"ts\":\"{}\",\"note\":\"\"}}", self.at))
    }

    /// The mark a recording's line holds, if it is one.
    pub fn from_line(text: &str) -> Option<Mark> {
        if !text.starts_with(LINE_START) {
            return None;
        }
        let line: Line<'_> = serde_json::from_str(text).ok()?;
        if line.kind != MARK_TYPE {
            return None;
        }
        // A mark moves a replay's clock to its time, which never goes
        // back: bounded as a feed's times are.
        let at = Ts::parse_rfc3339(&line.ts).filter(|t| *t < FEED_TIME_END)?;
        Some(Mark::new(at, &line.note))
    }

    /// As the event log says it.
    pub fn describe(&self) -> String {
        if self.note.is_empty() {
            "mark".to_string()
        } else {
            format!("mark: {}", self.note)
        }
    }
}

/// A scope's figures at a mark.
#[derive(Clone, Debug, PartialEq)]
pub struct Point {
    pub waiting: usize,
    pub longest_wait: Millis,
    pub agents: AgentCounts,
    pub figures: Figures,
}

impl Point {
    fn of(v: &QueueView<'_>) -> Self {
        Point {
            waiting: v.waiting,
            longest_wait: v.longest_wait,
            agents: v.agents,
            figures: v.figures.clone(),
        }
    }
}

/// Every queue's and the floor's figures at a mark, over one window.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Baseline {
    pub total: Option<Point>,
    pub queues: HashMap<String, Point>,
}

impl Baseline {
    fn of(floor: &Floor, kind: WindowKind) -> Self {
        let (counts, total_counts) = floor.agent_counts();
        Baseline {
            total: Some(Point::of(&floor.totals(kind, total_counts))),
            queues: floor
                .queue_ids()
                .map(|q| {
                    let v = floor.queue_view(q, kind, counts);
                    (v.id.to_string(), Point::of(&v))
                })
                .collect(),
        }
    }

    /// A queue's figures at the mark (`None` for the totals: `id` "").
    pub fn point(&self, id: &str) -> Option<&Point> {
        if id.is_empty() {
            self.total.as_ref()
        } else {
            self.queues.get(id)
        }
    }
}

/// The marks of a session, and the figures at the latest one.
#[derive(Clone, Debug, Default)]
pub struct Marks {
    list: std::collections::VecDeque<Mark>,
    /// Marks ever made (the screen logs those it has not seen).
    made: u64,
    /// At the latest mark, by window: rolling, today, interval.
    baselines: Option<[Baseline; 3]>,
}

fn slot(kind: WindowKind) -> usize {
    match kind {
        WindowKind::Rolling => 0,
        WindowKind::Today => 1,
        WindowKind::Interval => 2,
    }
}

impl Marks {
    /// Marks ever made (the screen logs those it has not seen).
    pub fn made(&self) -> u64 {
        self.made
    }

    /// Sets a mark and takes the figures as they stand on `floor`.
    pub fn add(&mut self, mark: Mark, floor: &Floor) {
        if self.list.len() == MAX_MARKS {
            self.list.pop_front();
        }
        self.list.push_back(mark);
        self.made += 1;
        self.baselines = Some([
            Baseline::of(floor, WindowKind::Rolling),
            Baseline::of(floor, WindowKind::Today),
            Baseline::of(floor, WindowKind::Interval),
        ]);
    }

    pub fn latest(&self) -> Option<&Mark> {
        self.list.back()
    }

    /// The marks kept, oldest first.
    pub fn iter(&self) -> impl Iterator<Item = &Mark> {
        self.list.iter()
    }

    /// The marks made after the first `seen` (those still kept).
    pub fn since(&self, seen: u64) -> impl Iterator<Item = &Mark> {
        let new = self.made.saturating_sub(seen) as usize;
        self.list.iter().skip(self.list.len().saturating_sub(new))
    }

    /// The figures at the latest mark over `kind`.
    pub fn baseline(&self, kind: WindowKind) -> Option<&Baseline> {
        self.baselines.as_ref().map(|b| &b[slot(kind)])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_line_round_trips_and_other_lines_are_not_marks() {
        let m = Mark::new(Ts(1_795_424_400_000), "  SIP trunk down  ");
        assert_eq!(m.note, "SIP trunk down");
        let line = m.to_line();
        assert_eq!(
            line,
            r#"{"type":"queuetop.mark","ts":"2026-11-23T09:00:00Z","note":"SIP trunk down"}"#
        );
        assert_eq!(Mark::from_line(&line), Some(m));
        assert_eq!(Mark::from_line(r#"{"type":"heartbeat","ts":0}"#), None);
        assert_eq!(
            Mark::from_line(r#"{"type":"queuetop.mark","ts":"not a time"}"#),
            None
        );
    }

    #[test]
    fn a_mark_in_2100_or_later_is_no_mark() {
        let line = |ts: &str| format!(r#"{{"type":"queuetop.mark","ts":"{ts}","note":"x"}}"#);
        assert!(Mark::from_line(&line("9999-01-01T00:00:00Z")).is_none());
        assert!(Mark::from_line(&line("2100-01-01T00:00:00Z")).is_none());
        assert!(Mark::from_line(&line("2099-12-31T23:59:59Z")).is_some());
    }

    #[test]
    fn a_hostile_note_is_stripped_and_bounded() {
        let note = format!("a\u{1b}]0;x\u{7}\u{202e}b{}", "z".repeat(500));
        let m = Mark::new(Ts(0), &note);
        assert!(!m.note.chars().any(crate::text::is_unsafe));
        assert_eq!(m.note.chars().count(), MAX_NOTE_CHARS);
        // A line from a file gets the same treatment.
        let line = format!(
            "{LINE_START}\"ts\":\"2026-11-23T09:00:00Z\",\"note\":\"\\u001b[31m{}\"}}",
            "y".repeat(300)
        );
        let read = Mark::from_line(&line).expect("a mark");
        assert!(!read.note.chars().any(crate::text::is_unsafe));
        assert_eq!(read.note.chars().count(), MAX_NOTE_CHARS);
    }
}
