//! Floors and a byte counter shared by the render benchmark and the
//! bytes-on-the-wire test.

#![allow(dead_code)]

pub mod alert_cases;

use std::borrow::Cow;
use std::io::Write;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use queuetop_engine::dialect::DialectKind;
use queuetop_engine::floor::{Floor, GroupKey, Limits, QueuePolicy, Settings, WindowKind};
use queuetop_engine::health::LinkState;
use queuetop_engine::monitor::{Monitor, SourceInfo, SourceKind};
use queuetop_engine::protocol::{AgentState, Event, EventKind, Priority};
use queuetop_engine::time::Ts;
use queuetop_tui::run::{View, ViewOptions, draw};
use queuetop_tui::theme::Theme;
use ratatui::backend::CrosstermBackend;
use ratatui::layout::Rect;
use ratatui::{Terminal, TerminalOptions, Viewport};

const T0: i64 = 1_795_424_400_000;

fn s(x: String) -> Cow<'static, str> {
    Cow::Owned(x)
}

/// A floor of `agents` agents over `queues` queues: a third on a contact,
/// some away, a few contacts waiting per queue, and an hour of history.
pub fn floor(agents: usize, queues: usize) -> Monitor {
    floor_in_groups(agents, queues, 0)
}

/// The same floor with its queues shown in `groups` groups (config
/// `group`; none when 0), queue `q` in group `q % groups`.
pub fn floor_in_groups(agents: usize, queues: usize, groups: usize) -> Monitor {
    let mut settings = Settings {
        limits: Limits {
            agents: agents + 10,
            queues: queues + 10,
            ..Limits::default()
        },
        ..Settings::default()
    };
    for q in (0..queues).filter(|_| groups > 0) {
        let group = GroupKey::new(&format!("Group {}", q % groups)).expect("a group name");
        let policy = QueuePolicy {
            group: Some(group),
            ..QueuePolicy::default()
        };
        settings.queues.insert(format!("q{q:03}"), policy);
    }
    let mut m = Monitor::new(
        Floor::new(settings),
        SourceInfo {
            kind: SourceKind::Url,
            target: "wss://bench".into(),
        },
        DialectKind::Native.make(),
    );
    let mut ts = T0;
    let mut apply = |m: &mut Monitor, kind: EventKind<'static>, step: i64| {
        ts += step;
        let ev = Event {
            ts: Ts(ts),
            seq: None,
            kind,
        };
        m.floor.advance(ev.ts);
        m.floor.apply(&ev);
    };
    for q in 0..queues {
        apply(
            &mut m,
            EventKind::QueueInfo {
                queue: s(format!("q{q:03}")),
                name: Some(s(format!("Queue number {q}"))),
                sl_threshold: None,
            },
            0,
        );
    }
    for a in 0..agents {
        let state = if a % 7 == 0 {
            AgentState::Away
        } else {
            AgentState::Available
        };
        apply(
            &mut m,
            EventKind::AgentState {
                agent: s(format!("a{a:05}")),
                state,
                name: Some(s(format!("Agent {} {}", a % 97, a))),
                queues: Some(vec![
                    s(format!("q{:03}", a % queues)),
                    s(format!("q{:03}", (a * 7) % queues)),
                ]),
                reason: (a % 7 == 0).then(|| s("lunch".into())),
            },
            10,
        );
    }
    // History: contacts answered and ended, then a third of agents busy.
    let mut c = 0;
    for a in 0..agents {
        if a % 7 == 0 {
            continue;
        }
        for round in 0..2 {
            let id = format!("c{c}");
            c += 1;
            let q = format!("q{:03}", a % queues);
            apply(
                &mut m,
                EventKind::Queued {
                    contact: s(id.clone()),
                    queue: s(q),
                    channel: None,
                    customer: None,
                    priority: Priority::Absent,
                },
                5,
            );
            apply(
                &mut m,
                EventKind::Answered {
                    contact: s(id.clone()),
                    agent: s(format!("a{a:05}")),
                },
                15,
            );
            if round == 0 || a % 3 != 0 {
                apply(
                    &mut m,
                    EventKind::Ended {
                        contact: s(id),
                        resolved: Some(true),
                    },
                    120,
                );
            }
        }
    }
    for q in 0..queues {
        for w in 0..3 {
            apply(
                &mut m,
                EventKind::Queued {
                    contact: s(format!("w{q}-{w}")),
                    queue: s(format!("q{q:03}")),
                    channel: None,
                    customer: None,
                    priority: Priority::Absent,
                },
                50,
            );
        }
    }
    m.set_link(LinkState::Connected);
    m
}

pub fn options() -> ViewOptions {
    ViewOptions {
        theme: Theme::new(true, false),
        max_fps: 20,
        bell: false,
        mouse: false,
        stale_after: 5_000,
        window: WindowKind::Rolling,
        wall_clock: true,
        speed: None,
        start: Default::default(),
    }
}

#[derive(Clone, Default)]
pub struct Counter(pub Arc<AtomicUsize>);

impl Write for Counter {
    fn write(&mut self, b: &[u8]) -> std::io::Result<usize> {
        self.0.fetch_add(b.len(), Ordering::Relaxed);
        Ok(b.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// Bytes written per simulated second, after the first full frame: 50
/// agents over 5 queues at 120x40.
pub fn bytes_per_second(seconds: i64, tick: bool) -> f64 {
    bytes_per_second_on(floor(50, 5), Rect::new(0, 0, 120, 40), seconds, tick)
}

/// [`bytes_per_second`] on any floor and terminal size.
pub fn bytes_per_second_on(mut m: Monitor, area: Rect, seconds: i64, tick: bool) -> f64 {
    let opts = options();
    let mut view = View::new(WindowKind::Rolling);
    let counter = Counter::default();
    let mut t = Terminal::with_options(
        CrosstermBackend::new(counter.clone()),
        TerminalOptions {
            viewport: Viewport::Fixed(area),
        },
    )
    .unwrap();
    let start = m.floor.now();
    let mut frame = |m: &mut Monitor, view: &mut View, local: Ts| {
        view.look(m, &opts, local);
        if let Some(scene) = view.scene(m, &opts, local, area) {
            draw(&mut t, &scene, opts.theme).unwrap();
        }
    };
    frame(&mut m, &mut view, start);
    let first = counter.0.load(Ordering::Relaxed);
    for i in 1..=seconds {
        // Twenty looks a second, as the loop does at max_fps 20.
        for k in 0..20 {
            let local = if tick {
                start.plus(i * 1000 + k * 50 - 1000)
            } else {
                start
            };
            frame(&mut m, &mut view, local);
        }
    }
    (counter.0.load(Ordering::Relaxed) - first) as f64 / seconds as f64
}
