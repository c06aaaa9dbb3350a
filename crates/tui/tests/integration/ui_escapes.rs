//! Property: whatever strings a feed sends (names, ids, reasons, channels,
//! with ESC, C1 controls, BEL, bidi overrides), the bytes queuetop writes
//! to the terminal carry only queuetop's own escape sequences: CSI cursor
//! moves, colours and attributes, cursor show/hide. No OSC (window title),
//! DCS, APC, PM or SOS, no raw C1 code, no other control character.
//!
//! Events are applied to the floor directly, bypassing the decoder's own
//! stripping, so this checks the screen's defence on its own.

use std::borrow::Cow;
use std::io::Write;
use std::sync::{Arc, Mutex};

use proptest::prelude::*;
use queuetop_engine::dialect::DialectKind;
use queuetop_engine::floor::{Floor, WindowKind};
use queuetop_engine::health::LinkState;
use queuetop_engine::monitor::{Monitor, SourceInfo, SourceKind};
use queuetop_engine::protocol::{AgentState, Event, EventKind, Priority};
use queuetop_engine::time::Ts;
use queuetop_tui::action::Action;
use queuetop_tui::run::{View, ViewOptions, draw};
use queuetop_tui::theme::Theme;
use ratatui::backend::CrosstermBackend;
use ratatui::layout::Rect;
use ratatui::{Terminal, TerminalOptions, Viewport};

#[derive(Clone, Default)]
struct Shared(Arc<Mutex<Vec<u8>>>);

impl Write for Shared {
    fn write(&mut self, b: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(b);
        Ok(b.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

fn hostile_char() -> impl Strategy<Value = char> {
    prop_oneof![
        4 => any::<char>(),
        2 => Just('\u{1b}'),
        2 => (0x80u32..0xa0).prop_map(|c| char::from_u32(c).unwrap_or('x')),
        1 => Just('\u{7}'),
        1 => Just('\u{9b}'),
        1 => Just('\u{202e}'),
        1 => Just('\u{2066}'),
        1 => Just('\u{0}'),
        1 => Just('\r'),
        1 => Just('\n'),
        3 => "[\\[\\];0-9a-zA-Z]".prop_map(|s: String| s.chars().next().unwrap_or('a')),
        1 => Just('日'),
        1 => Just('\u{301}'),
    ]
}

fn hostile() -> impl Strategy<Value = String> {
    prop::collection::vec(hostile_char(), 0..24).prop_map(|v| v.into_iter().collect())
}

fn s(x: &str) -> Cow<'static, str> {
    Cow::Owned(x.to_string())
}

fn floor_with(names: &[String]) -> Monitor {
    let mut m = Monitor::new(
        Floor::new(Default::default()),
        SourceInfo {
            kind: SourceKind::Url,
            target: format!("wss://x/{}", names[0]),
        },
        DialectKind::Native.make(),
    );
    let t0 = 1_795_424_400_000;
    let mut apply = |ts: i64, kind: EventKind<'static>| {
        let ev = Event {
            ts: Ts(t0 + ts),
            seq: None,
            kind,
        };
        m.floor.advance(ev.ts);
        m.floor.apply(&ev);
    };
    let n = |i: usize| names[i % names.len()].clone();
    apply(
        0,
        EventKind::QueueInfo {
            queue: s(&n(1)),
            name: Some(s(&n(2))),
            sl_threshold: None,
        },
    );
    for a in 0..3 {
        apply(
            1000,
            EventKind::AgentState {
                agent: s(&format!("{}{a}", n(3))),
                state: if a == 2 {
                    AgentState::Away
                } else {
                    AgentState::Available
                },
                name: Some(s(&n(4 + a))),
                queues: Some(vec![s(&n(1)), s(&n(7))]),
                reason: Some(s(&n(8))),
            },
        );
    }
    apply(
        2000,
        EventKind::Queued {
            contact: s(&n(9)),
            queue: s(&n(1)),
            channel: Some(s(&n(10))),
            customer: None,
            priority: Priority::Absent,
        },
    );
    apply(
        3000,
        EventKind::Queued {
            contact: s(&n(11)),
            queue: s(&n(1)),
            channel: None,
            customer: None,
            priority: Priority::Absent,
        },
    );
    apply(
        4000,
        EventKind::Answered {
            contact: s(&n(11)),
            agent: s(&format!("{}0", n(3))),
        },
    );
    m.set_link(LinkState::Reconnecting {
        attempt: 2,
        next_try_ms: t0 + 9000,
        last_error: n(12),
    });
    m
}

/// Checks the bytes: UTF-8, and every control is one of our CSI sequences.
fn check(out: &[u8]) -> Result<(), String> {
    let text = std::str::from_utf8(out).map_err(|e| format!("not UTF-8: {e}"))?;
    let mut it = text.chars().peekable();
    while let Some(c) = it.next() {
        if c == '\u{1b}' {
            if it.next() != Some('[') {
                return Err("ESC not followed by [ (OSC, DCS, APC, ...)".into());
            }
            let mut params = String::new();
            let fin = loop {
                match it.next() {
                    Some(p) if p.is_ascii_digit() || p == ';' || p == '?' || p == ':' => {
                        params.push(p)
                    }
                    Some(f) => break f,
                    None => return Err("unterminated CSI".into()),
                }
            };
            if !matches!(fin, 'm' | 'H' | 'h' | 'l' | 'J' | 'K') {
                return Err(format!("foreign CSI final {fin:?} (params {params:?})"));
            }
            if matches!(fin, 'h' | 'l') && params != "?25" {
                return Err(format!("mode change {params}{fin}"));
            }
        } else if queuetop_engine::text::is_unsafe(c) {
            return Err(format!("raw control {:?} in the output", c));
        }
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 96, .. ProptestConfig::default() })]

    #[test]
    fn feed_strings_never_reach_the_terminal_as_controls(
        names in prop::collection::vec(hostile(), 13..14),
        ascii in any::<bool>(),
        details in any::<bool>(),
    ) {
        let mut m = floor_with(&names);
        let opts = ViewOptions {
            theme: Theme::new(true, ascii),
            max_fps: 20,
            bell: false,
            mouse: false,
            stale_after: 5_000,
            window: WindowKind::Rolling,
            wall_clock: true,
            speed: None,
            start: Default::default(),
        };
        let mut view = View::new(WindowKind::Rolling);
        let out = Shared::default();
        let area = Rect::new(0, 0, 120, 40);
        let mut t = Terminal::with_options(
            CrosstermBackend::new(out.clone()),
            TerminalOptions { viewport: Viewport::Fixed(area) },
        ).unwrap();
        let local = m.floor.now();
        view.look(&mut m, &opts, local);
        for step in 0..3 {
            if step == 1 && details {
                view.state.apply(Action::Enter);
            }
            if step == 2 {
                view.state.apply(Action::Help);
            }
            if let Some(scene) = view.scene(&mut m, &opts, local, area) {
                draw(&mut t, &scene, opts.theme).unwrap();
            }
        }
        let bytes = out.0.lock().unwrap().clone();
        prop_assert!(!bytes.is_empty());
        if let Err(e) = check(&bytes) {
            prop_assert!(false, "{}", e);
        }
    }
}

#[test]
fn the_checker_catches_foreign_sequences() {
    assert!(check(b"\x1b[31mok\x1b[0m\x1b[?25l\x1b[3;4H").is_ok());
    assert!(check(b"\x1b]0;pwned\x07").is_err());
    assert!(check("a\u{9b}1m".as_bytes()).is_err());
    assert!(check(b"\x1b[2J\x1b[6n").is_err());
    assert!(check(b"\x1b[?1049h").is_err());
    assert!(check(b"x\x07").is_err());
}
