//! The width rules (docs/ui.md, "Columns"), on a floor as large as a real
//! one gets: 100,000 agents, 10,000 queues (the most a floor keeps), a contact waiting for 30 hours.
//! Counts and durations are never cut: their columns widen, and the queue
//! names give way.

use queuetop_engine::config;
use queuetop_engine::dialect::DialectKind;
use queuetop_engine::floor::{Floor, WindowKind};
use queuetop_engine::health::LinkState;
use queuetop_engine::monitor::{Monitor, SourceInfo, SourceKind};
use queuetop_engine::replay::apply_all;
use queuetop_tui::run::{View, ViewOptions, draw};
use queuetop_tui::theme::Theme;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::layout::Rect;
use std::fmt::Write;

const AGENTS: usize = 100_000;
/// With `billing`, 10,000: the floor's limit on queues.
const QUEUES: usize = 9_999;
const WAITING: usize = 12_345;
/// 2026-11-23T09:00:00Z.
const T0: i64 = 1_795_424_400_000;
const HOUR: i64 = 3_600_000;

/// The feed: every agent available in `billing` and one small queue, a
/// long line waiting in `billing` since T0, and a heartbeat 30 h later.
fn feed() -> String {
    let mut s = String::with_capacity(16 << 20);
    let _ = writeln!(
        s,
        r#"{{"type":"queue.info","ts":{T0},"queue":"billing","name":"Billing, the whole floor"}}"#
    );
    for q in 0..QUEUES {
        let _ = writeln!(
            s,
            r#"{{"type":"queue.info","ts":{T0},"queue":"q{q:05}","name":"Small queue {q:05}"}}"#
        );
    }
    for a in 0..AGENTS {
        let q = a % QUEUES;
        let _ = writeln!(
            s,
            r#"{{"type":"agent.state","ts":{T0},"agent_id":"a{a:06}","name":"Agent {a:06}","state":"available","queues":["billing","q{q:05}"]}}"#
        );
    }
    for c in 0..WAITING {
        let _ = writeln!(
            s,
            r#"{{"type":"contact.queued","ts":{T0},"contact_id":"c{c:06}","queue":"billing"}}"#
        );
    }
    let _ = writeln!(s, r#"{{"type":"heartbeat","ts":{}}}"#, T0 + 30 * HOUR);
    s
}

fn render(w: u16, h: u16) -> String {
    let file = config::parse("timezone = \"UTC\"\n").expect("config");
    let metrics = config::metrics(&file, None).expect("metrics");
    let mut monitor = Monitor::new(
        Floor::new(metrics.settings),
        SourceInfo {
            kind: SourceKind::Url,
            target: "wss://events.example.com/v1/floor".to_string(),
        },
        DialectKind::Native.make(),
    );
    let text = feed();
    apply_all(&mut monitor, text.as_bytes(), 1 << 20).expect("replay");
    monitor.set_link(LinkState::Connected);
    let local = monitor.floor.now();
    let opts = ViewOptions {
        theme: Theme::new(true, false),
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
    view.look(&mut monitor, &opts, local);
    let mut t = Terminal::new(TestBackend::new(w, h)).expect("terminal");
    for _ in 0..2 {
        if let Some(scene) = view.scene(&mut monitor, &opts, local, Rect::new(0, 0, w, h)) {
            draw(&mut t, &scene, opts.theme).expect("draw");
        }
    }
    t.backend().to_string()
}

fn line_with<'s>(screen: &'s str, start: &str) -> &'s str {
    screen
        .lines()
        .find(|l| l.trim_start_matches('"').starts_with(start))
        .unwrap_or_else(|| panic!("no line starting {start:?} in\n{screen}"))
}

#[test]
fn counts_and_long_waits_are_never_cut_at_80x24() {
    let s = render(80, 24);
    let total = line_with(&s, "TOTAL");
    assert!(total.contains(" 12345 "), "{total}");
    assert!(total.contains(" 100000 "), "{total}");
    assert!(total.contains("1d06h"), "{total}");
    let billing = line_with(&s, "Billing");
    assert!(
        billing.contains(" 100000 ") && billing.contains("1d06h"),
        "{billing}"
    );
    assert!(
        !total.contains('…') && !billing.contains("0…"),
        "{total}\n{billing}"
    );
    // The agents' time in state, 30 hours, whole too.
    assert!(line_with(&s, "Agent 0").contains("1d06h"), "{s}");
    insta::with_settings!({snapshot_path => "../../../../tests/resources/ui", prepend_module_to_snapshot => false}, {
        insta::assert_snapshot!("wide_floor_80x24", s);
    });
}

#[test]
fn counts_and_long_waits_are_never_cut_at_200x60() {
    let s = render(200, 60);
    let total = line_with(&s, "TOTAL");
    assert!(
        total.contains(" 100000 ") && !total.contains('…'),
        "{total}"
    );
    assert!(s.contains("Queues 10000"), "{s}");
    insta::with_settings!({snapshot_path => "../../../../tests/resources/ui", prepend_module_to_snapshot => false}, {
        insta::assert_snapshot!("wide_floor_200x60", s);
    });
}
