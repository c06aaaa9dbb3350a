//! The postmortem of a recording (`queuetop report`): the data only. A
//! recording is replayed once, in its own time; along the way the collector
//! notes the timeline (alert crossings and returns, gaps in the feed's
//! `seq`, incident marks), every queue's figures at the end of each interval
//! (the snapshot's `interval` block, taken just before the interval's last
//! instant passes), and one sample a minute of what the charts draw. The
//! binary writes it as Markdown or HTML, with its charts.

use std::io::BufRead;

use crate::floor::WindowKind;
use crate::mark::Mark;
use crate::monitor::Monitor;
use crate::protocol::{Decoded, RejectKind};
use crate::replay::{Line, LineReader};
use crate::snapshot::{self, IntervalJson};
use crate::time::{Millis, Ts};

/// Samples for the charts: one a minute of feed time.
pub const SAMPLE_EVERY: Millis = 60_000;
/// At most this many samples a queue (two weeks of minutes): a hostile
/// file of far-apart times cannot make the report take all memory.
pub const MAX_SAMPLES: usize = 20_160;

/// What happened, when.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum MomentKind {
    Alert,
    Gap,
    Mark,
}

impl MomentKind {
    pub fn as_str(&self) -> &'static str {
        match self {
            MomentKind::Alert => "alert",
            MomentKind::Gap => "gap",
            MomentKind::Mark => "mark",
        }
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct Moment {
    pub at: Ts,
    pub kind: MomentKind,
    /// Cleaned of control characters (ids and notes come from the file).
    pub text: String,
}

/// One sample of one queue (or the floor, id "").
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Sample {
    pub at: Ts,
    pub waiting: usize,
    pub longest_wait_s: f64,
    /// Over the rolling window, as on screen.
    pub service_level_pct: Option<f64>,
    pub abandon_rate_pct: Option<f64>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Series {
    /// The queue's id ("" for the whole floor) and what to call it.
    pub id: String,
    pub label: String,
    pub samples: Vec<Sample>,
}

/// One interval's figures, as the snapshot's `interval` block says them at
/// the interval's end (or at the report's end, for the last one).
#[derive(Clone, Debug, PartialEq)]
pub struct IntervalRow {
    pub start: Ts,
    pub end: Ts,
    pub figures: IntervalJson,
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct Report {
    pub source: String,
    pub first: Option<Ts>,
    pub last: Option<Ts>,
    pub timeline: Vec<Moment>,
    pub intervals: Vec<IntervalRow>,
    pub series: Vec<Series>,
}

/// The span to report on; events before `from` still build the floor.
#[derive(Clone, Copy, Debug, Default)]
pub struct Span {
    pub from: Option<Ts>,
    pub to: Option<Ts>,
}

impl Span {
    fn holds(&self, t: Ts) -> bool {
        self.from.is_none_or(|f| t >= f) && self.to.is_none_or(|e| t <= e)
    }
}

struct Collector {
    span: Span,
    report: Report,
    alert_seq: u64,
    gaps: u64,
    next_sample: Option<Ts>,
    /// The end of the interval whose row was taken last.
    taken: Option<Ts>,
    /// The earliest event time read (events may come out of order).
    first_event: Option<Ts>,
}

fn clean(s: &str) -> String {
    crate::text::strip(std::borrow::Cow::Borrowed(s)).into_owned()
}

impl Collector {
    /// Takes what happened on the floor since the last look.
    fn look(&mut self, m: &Monitor) {
        let now = m.floor.now();
        let changes = m.alert_changes_since(self.alert_seq);
        self.alert_seq = changes.next;
        let rules = m.alert_engine().rules();
        for c in changes.items {
            if !self.span.holds(c.at) {
                continue;
            }
            let value = c.value.map_or(String::new(), |v| format!(" {v:.1}"));
            self.report.timeline.push(Moment {
                at: c.at,
                kind: MomentKind::Alert,
                text: format!(
                    "{} {}{value}: {} to {}",
                    clean(&c.subject_id),
                    clean(rules.name(c.rule)),
                    c.from.as_str(),
                    c.to.as_str()
                ),
            });
        }
        let gaps = m.floor.counts().gaps;
        if gaps > self.gaps && self.span.holds(now) {
            self.report.timeline.push(Moment {
                at: now,
                kind: MomentKind::Gap,
                text: format!("gap in the feed's seq ({} in all)", gaps),
            });
        }
        self.gaps = gaps;
    }

    /// Moves the floor on to `until`, taking each interval's row just
    /// before it ends and a sample at each minute on the way.
    fn catch_up(&mut self, m: &mut Monitor, until: Ts) {
        if m.floor.latest_event().is_none() {
            return;
        }
        for _ in 0..1_000_000 {
            let end = m.floor.interval_end();
            let sample = *self.next_sample.get_or_insert_with(|| {
                Ts(m.floor.now().0.div_euclid(SAMPLE_EVERY) * SAMPLE_EVERY + SAMPLE_EVERY)
            });
            if self.taken != Some(end) && end <= until && end <= sample {
                m.floor.advance(end.minus(1));
                m.floor.settle();
                self.take_interval(m, end);
                continue;
            }
            if sample > until {
                return;
            }
            m.floor.advance(sample);
            m.floor.settle();
            self.take_sample(m, sample);
            self.next_sample = Some(sample.plus(SAMPLE_EVERY));
        }
    }

    fn take_interval(&mut self, m: &Monitor, end: Ts) {
        self.taken = Some(end);
        let start = m.floor.window_start(WindowKind::Interval);
        let inside =
            self.span.from.is_none_or(|f| end > f) && self.span.to.is_none_or(|t| start < t);
        if inside {
            let snap = snapshot::build(m, WindowKind::Rolling, None, 5_000);
            self.report.intervals.push(IntervalRow {
                start,
                end,
                figures: snap.interval,
            });
        }
    }

    fn take_sample(&mut self, m: &Monitor, at: Ts) {
        if !self.span.holds(at) {
            return;
        }
        let floor = &m.floor;
        let (counts, total) = floor.agent_counts();
        let mut views: Vec<_> = floor
            .queue_ids()
            .map(|q| floor.queue_view(q, WindowKind::Rolling, counts))
            .collect();
        views.sort_by(|a, b| a.id.cmp(b.id));
        views.insert(0, floor.totals(WindowKind::Rolling, total));
        for v in views {
            let series = match self.report.series.iter_mut().position(|s| s.id == v.id) {
                Some(i) => &mut self.report.series[i],
                None => {
                    let label = if v.id.is_empty() {
                        "all queues"
                    } else {
                        v.label()
                    };
                    self.report.series.push(Series {
                        id: v.id.to_string(),
                        label: clean(label),
                        samples: Vec::new(),
                    });
                    let last = self.report.series.len() - 1;
                    &mut self.report.series[last]
                }
            };
            if series.samples.len() < MAX_SAMPLES {
                series.samples.push(Sample {
                    at,
                    waiting: v.waiting,
                    longest_wait_s: v.longest_wait as f64 / 1000.0,
                    service_level_pct: v.figures.service_level,
                    abandon_rate_pct: v.figures.abandon_rate,
                });
            }
        }
    }
}

/// Replays `input` into `m` (its rules set, its floor fresh) and collects
/// the report over `span`. Only a read error stops it.
pub fn collect(
    m: &mut Monitor,
    input: impl BufRead,
    max_line: usize,
    span: Span,
) -> Result<Report, String> {
    let mut c = Collector {
        span,
        report: Report {
            source: m.source().target.clone(),
            ..Report::default()
        },
        alert_seq: m.alert_seq(),
        gaps: 0,
        next_sample: None,
        taken: None,
        first_event: None,
    };
    let mut lines = LineReader::new(input, max_line);
    let mut items: Vec<Decoded<'static>> = Vec::new();
    'file: loop {
        let line = lines
            .next_line()
            .map_err(|e| format!("line {}: {e}", lines.line_no + 1))?;
        let text = match line {
            None => break,
            Some(Line::Frame(t)) => t,
            Some(other) => {
                let why = if other == Line::TooLong {
                    RejectKind::TooLarge
                } else {
                    RejectKind::NotUtf8
                };
                let now = m.floor.now();
                m.refused(why, now);
                continue;
            }
        };
        if let Some(mark) = Mark::from_line(&text) {
            if span.to.is_some_and(|t| mark.at > t) {
                break;
            }
            c.catch_up(m, mark.at);
            if span.holds(mark.at) {
                c.report.timeline.push(Moment {
                    at: mark.at,
                    kind: MomentKind::Mark,
                    text: mark.describe(),
                });
            }
            m.mark(mark);
            continue;
        }
        items.clear();
        let received = m.floor.now();
        m.dialect_mut()
            .decode(&text, received, &mut |d| items.push(d.into_owned()));
        for d in &items {
            if let Decoded::Event(ev) = d {
                if span.to.is_some_and(|t| ev.ts > t) {
                    break 'file;
                }
                c.first_event = Some(c.first_event.map_or(ev.ts, |f| f.min(ev.ts)));
                c.catch_up(m, ev.ts);
            }
            m.replay_decoded(d);
            c.look(m);
        }
    }
    m.floor.settle();
    if let Some(last) = m.floor.latest_event() {
        // The last interval, as far as the recording (or `--to`) goes.
        let end = span.to.map_or(last, |t| t.min(m.floor.interval_end()));
        c.catch_up(m, end);
        let start = m.floor.window_start(WindowKind::Interval);
        // A recording that ends on an interval's boundary has no time in
        // the next interval: no row for it, unless something was counted
        // at that very instant (or it is the only row).
        let empty = start >= m.floor.now()
            && c.taken.is_some()
            && !m.floor.counted_anything(WindowKind::Interval);
        if c.taken != Some(m.floor.interval_end()) && !empty {
            let snap = snapshot::build(m, WindowKind::Rolling, None, 5_000);
            if span.from.is_none_or(|f| m.floor.now() >= f) {
                c.report.intervals.push(IntervalRow {
                    start,
                    end: m.floor.now(),
                    figures: snap.interval,
                });
            }
        }
        // Where the recording (or `--from`, if later) starts, not the
        // start of its first interval.
        // Nothing at or after `--from`: no span to speak of.
        let last = m.floor.now();
        c.report.first = c
            .first_event
            .map(|t| span.from.map_or(t, |f| t.max(f)))
            .filter(|&first| first <= last);
        c.report.last = c.report.first.map(|_| last);
    }
    c.look(m);
    Ok(c.report)
}
