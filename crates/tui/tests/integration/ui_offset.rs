//! The header's clock offset has the sign of the snapshot's
//! `clock_offset_s`: our clock minus the feed's, `+` when the feed is
//! behind us. Frames go through the live path (the monitor estimates the
//! offset from their `ts` and our receive time), then the same monitor is
//! drawn on a TestBackend and exported as JSON.

use queuetop_engine::dialect::DialectKind;
use queuetop_engine::floor::{Floor, WindowKind};
use queuetop_engine::health::LinkState;
use queuetop_engine::monitor::{Monitor, SourceInfo, SourceKind};
use queuetop_engine::snapshot;
use queuetop_engine::time::Ts;
use queuetop_tui::run::{View, ViewOptions, draw};
use queuetop_tui::theme::Theme;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::layout::Rect;

const LOCAL: i64 = 1_795_424_400_000;

/// A live monitor whose feed's clock is `skew` ms behind ours (negative:
/// ahead), drawn at our `LOCAL`; the header's lines and the JSON offset.
fn header_and_json(skew: i64) -> (String, f64) {
    let mut m = Monitor::new(
        Floor::new(Default::default()),
        SourceInfo {
            kind: SourceKind::Url,
            target: "wss://events.example.com/v1/floor".into(),
        },
        DialectKind::Native.make(),
    );
    m.connected(Ts(LOCAL - 10_000));
    m.set_link(LinkState::Connected);
    for i in 0..10 {
        let local = LOCAL - 10_000 + i * 1000;
        let ts = local - skew;
        m.live_frame(
            &format!(
                r#"{{"type":"contact.queued","ts":{ts},"contact_id":"c{i}","queue":"billing"}}"#
            ),
            Ts(local),
        );
    }
    m.tick(Ts(LOCAL));
    let json = snapshot::build(&m, WindowKind::Rolling, Some(Ts(LOCAL)), 5_000);
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
    view.look(&mut m, &opts, Ts(LOCAL));
    let (w, h) = (160, 40);
    let mut t = Terminal::new(TestBackend::new(w, h)).expect("terminal");
    for _ in 0..2 {
        if let Some(scene) = view.scene(&mut m, &opts, Ts(LOCAL), Rect::new(0, 0, w, h)) {
            draw(&mut t, &scene, opts.theme).expect("draw");
        }
    }
    let screen = t.backend().to_string();
    let head: String = screen.lines().take(3).collect::<Vec<_>>().join("\n");
    (head, json.feed.clock_offset_s)
}

/// The signed seconds the header shows after "clock offset ".
fn shown_offset(head: &str) -> f64 {
    let at = head
        .find("clock offset ")
        .unwrap_or_else(|| panic!("no offset in {head}"))
        + "clock offset ".len();
    let figure: String = head[at..]
        .chars()
        .take_while(|c| matches!(c, '+' | '-' | '.' | '0'..='9'))
        .collect();
    assert!(figure.starts_with(['+', '-']), "unsigned: {head}");
    figure
        .parse()
        .unwrap_or_else(|_| panic!("{figure:?} in {head}"))
}

#[test]
fn a_feed_behind_us_is_plus_in_the_header_and_the_json() {
    let (head, json) = header_and_json(3_600_000);
    assert_eq!(json, 3600.0);
    assert_eq!(shown_offset(&head), json, "{head}");
    insta::with_settings!({snapshot_path => "../../../../tests/resources/ui", prepend_module_to_snapshot => false}, {
        insta::assert_snapshot!("header_feed_behind", head);
    });
}

#[test]
fn a_feed_ahead_of_us_is_minus_in_both() {
    let (head, json) = header_and_json(-90_000);
    assert_eq!(json, -90.0);
    assert_eq!(shown_offset(&head), json, "{head}");
}
