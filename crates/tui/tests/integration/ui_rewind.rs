//! Rewinding the view: the REWIND label at every size (and without colour),
//! the floor and timers of the instant shown, the live feed still applied
//! underneath, and back to live. Screens are `.snap` files beside the feeds.

use std::path::{Path, PathBuf};

use queuetop_engine::config;
use queuetop_engine::dialect::DialectKind;
use queuetop_engine::floor::{Floor, WindowKind};
use queuetop_engine::health::LinkState;
use queuetop_engine::history::Bounds;
use queuetop_engine::monitor::{Monitor, SourceInfo, SourceKind};
use queuetop_engine::pace::{Ask, Due, Pace};
use queuetop_engine::replay::apply_all;
use queuetop_engine::time::Ts;
use queuetop_tui::action::Action;
use queuetop_tui::rewind::{BIG_STEP, STEP};
use queuetop_tui::run::{View, ViewOptions, draw};
use queuetop_tui::theme::Theme;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Modifier;

fn dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/resources/ui")
}

macro_rules! snap {
    ($name:expr, $value:expr) => {
        insta::with_settings!({snapshot_path => "../../../../tests/resources/ui", prepend_module_to_snapshot => false}, {
            insta::assert_snapshot!($name, $value);
        });
    };
}

struct Live {
    monitor: Monitor,
    view: View,
    opts: ViewOptions,
}

/// The `normal` floor (09:00 to 09:20 UTC) as a live source that kept its
/// history from the start.
fn live(color: bool) -> Live {
    source(color, SourceKind::Url)
}

fn source(color: bool, kind: SourceKind) -> Live {
    let text = std::fs::read_to_string(dir().join("config.toml")).expect("config");
    let file = config::parse(&text).expect("config parses");
    let metrics = config::metrics(&file, None).expect("metrics");
    let mut monitor = Monitor::new(
        Floor::new(metrics.settings),
        SourceInfo::new(
            kind,
            match kind {
                SourceKind::Replay => "normal.jsonl",
                _ => "wss://events.example.com/v1/floor",
            },
        ),
        DialectKind::Native.make(),
    );
    monitor.set_alert_rules(config::rules(&file).expect("rules"));
    monitor.keep_history(Bounds::default());
    let input = std::fs::File::open(dir().join("normal.jsonl")).expect("feed");
    apply_all(&mut monitor, std::io::BufReader::new(input), 1 << 20).expect("replay");
    monitor.set_link(LinkState::Connected);
    let opts = ViewOptions {
        theme: Theme::new(color, false),
        max_fps: 20,
        bell: false,
        mouse: false,
        stale_after: 3_600_000,
        window: WindowKind::Rolling,
        // Live, but ticked on the feed's own time: the screens are fixed.
        wall_clock: kind != SourceKind::Replay,
        speed: (kind == SourceKind::Replay).then(|| "10".to_string()),
        start: Default::default(),
    };
    Live {
        monitor,
        view: View::new(WindowKind::Rolling),
        opts,
    }
}

impl Live {
    fn keys(&mut self, actions: &[Action]) -> &mut Self {
        for a in actions {
            self.view.state.apply(*a);
        }
        self
    }

    fn render(&mut self, w: u16, h: u16) -> Terminal<TestBackend> {
        let local = self.monitor.floor.now();
        let mut t = Terminal::new(TestBackend::new(w, h)).expect("terminal");
        let area = Rect::new(0, 0, w, h);
        // Build twice: the first build settles the selection on a row.
        for _ in 0..2 {
            self.view.look(&mut self.monitor, &self.opts, local);
            if let Some(scene) = self.view.scene(&mut self.monitor, &self.opts, local, area) {
                draw(&mut t, &scene, self.opts.theme).expect("draw");
            }
        }
        t
    }
}

fn screen(t: &Terminal<TestBackend>) -> String {
    t.backend().to_string()
}

/// The cell where `text` starts on screen.
fn find(buf: &Buffer, text: &str) -> Option<(u16, u16)> {
    for y in 0..buf.area.height {
        let line: String = (0..buf.area.width)
            .map(|x| buf[(x, y)].symbol().to_string())
            .collect();
        if let Some(i) = line.find(text) {
            return Some((line[..i].chars().count() as u16, y));
        }
    }
    None
}

fn reversed_label(t: &Terminal<TestBackend>, label: &str) {
    let buf = t.backend().buffer();
    let (x, y) = find(buf, label).unwrap_or_else(|| panic!("{label} on {}", screen(t)));
    assert_eq!(y, 0, "on the first line");
    for dx in 0..label.len() as u16 {
        assert!(
            buf[(x + dx, y)].modifier.contains(Modifier::REVERSED),
            "{label} in reverse video"
        );
    }
}

#[test]
fn rewinding_twelve_minutes_shows_that_floor_labelled_at_every_size() {
    let mut v = live(true);
    let now_80 = screen(&v.render(80, 24));
    assert!(!now_80.contains("REWIND"), "{now_80}");
    v.keys(&[
        Action::Seek(-BIG_STEP),
        Action::Seek(-STEP),
        Action::Seek(-STEP),
    ]);
    let t = v.render(80, 24);
    reversed_label(&t, "REWIND 09:08 (-12m)");
    let s = screen(&t);
    // The floor and its timers are 09:08's.
    assert!(s.contains("feed time 09:08:00"), "{s}");
    assert_ne!(s, now_80);
    snap!("rewind_80x24", s);
    let t = v.render(160, 48);
    reversed_label(&t, "REWIND 09:08 (-12m)");
    snap!("rewind_160x48", screen(&t));
    // The narrowest screen the view draws still says it.
    reversed_label(&v.render(40, 12), "REWIND 09:08 (-12m)");
}

#[test]
fn without_colour_the_label_is_still_reverse_video() {
    let mut v = live(false);
    v.keys(&[Action::Seek(-BIG_STEP)]);
    let t = v.render(80, 24);
    reversed_label(&t, "REWIND 09:10 (-10m)");
}

#[test]
fn the_live_feed_goes_on_underneath_and_end_comes_back_to_it() {
    let mut v = live(true);
    v.keys(&[Action::Seek(-BIG_STEP)]);
    let before = screen(&v.render(80, 24));
    // A minute of live feed while rewound: a new contact waits in sales.
    v.monitor.replay_frame(
        r#"{"type":"contact.queued","ts":"2026-11-23T09:21:00Z","seq":31,"contact_id":"c99","queue":"sales"}"#,
    );
    let during = screen(&v.render(80, 24));
    // Still 09:10's floor: only the distance to live grew, and the log,
    // which stays live, has the alert the new wait raised.
    let tables = |s: &str| s.lines().take(18).collect::<Vec<_>>().join("\n");
    assert_eq!(
        tables(&during),
        tables(&before).replace("REWIND 09:10 (-10m)", "REWIND 09:10 (-11m)"),
    );
    assert!(
        during.contains("09:20:31 !  Sales: longest wait 1m01s warning"),
        "{during}"
    );
    assert_eq!(
        v.monitor.floor.counts().events,
        44,
        "43 lines, then one live"
    );
    // End: live again, the label gone, the new contact counted.
    v.keys(&[Action::End]);
    let t = v.render(80, 24);
    let s = screen(&t);
    assert!(!s.contains("REWIND"), "{s}");
    assert!(s.contains("feed time 09:21:00"), "{s}");
    // A second End is the last row again, not a rewind matter.
    v.keys(&[Action::End]);
    assert_eq!(v.view.state.rewind.at, None);
}

#[test]
fn forward_past_now_and_l_are_live_and_a_typed_time_goes_there() {
    let mut v = live(true);
    v.keys(&[Action::Seek(-STEP), Action::Seek(STEP)]);
    assert!(!screen(&v.render(80, 24)).contains("REWIND"));
    v.keys(&[Action::GoToTime]);
    for c in "09:05".chars() {
        v.keys(&[Action::FilterChar(c)]);
    }
    let typing = screen(&v.render(80, 24));
    assert!(typing.contains("rewind to (HH:MM): 09:05_"), "{typing}");
    // Typed into the time, not the filter.
    assert_eq!(v.view.state.filter, "");
    v.keys(&[Action::FilterDone]);
    let s = screen(&v.render(80, 24));
    assert!(s.contains("REWIND 09:05 (-15m)"), "{s}");
    assert!(s.contains("feed time 09:05:00"), "{s}");
    // Before the history's start: as far back as it goes, and it says so.
    v.keys(&[Action::Seek(-10 * BIG_STEP)]);
    let s = screen(&v.render(80, 24));
    assert!(s.contains("REWIND 09:00 (-20m)"), "{s}");
    v.keys(&[Action::Live]);
    assert!(!screen(&v.render(80, 24)).contains("REWIND"));
    // A time that is not one says why, and nothing moves.
    v.keys(&[
        Action::GoToTime,
        Action::FilterChar('9'),
        Action::FilterDone,
    ]);
    let s = screen(&v.render(80, 24));
    assert!(s.contains("`9` is not a time of day (HH:MM)"), "{s}");
    assert!(!s.contains("REWIND"), "{s}");
    assert_eq!(v.view.state.rewind.at, None::<Ts>);
}

/// The first two lines: the header.
fn header(t: &Terminal<TestBackend>) -> String {
    screen(t).lines().take(2).collect::<Vec<_>>().join("\n")
}

#[test]
fn a_paced_replays_header_says_its_state_speed_and_time() {
    let mut v = source(true, SourceKind::Replay);
    v.monitor.pace_replay(10.0);
    let playing = header(&v.render(80, 24));
    assert!(playing.contains("REPLAY  playing x10"), "{playing}");
    assert!(playing.contains("feed time 09:20:00"), "{playing}");
    snap!("replay_playing_80x24", playing);
    // The keys ask; the replay task applies the asks (here, by hand).
    v.keys(&[Action::PlayPause, Action::Faster, Action::Faster]);
    v.render(80, 24);
    // The replay task's look before its next event (at the floor's time).
    let next = v.monitor.floor.now();
    assert_eq!(v.monitor.replay_due(0, next), Some(Due::Now));
    assert_eq!(v.monitor.floor.now(), next, "the clock did not move");
    let pace = v.monitor.pace().expect("paced");
    assert_eq!((pace.paused(), pace.speed()), (true, 50.0));
    let t = v.render(80, 24);
    let paused = header(&t);
    assert!(paused.contains("REPLAY  paused x50"), "{paused}");
    snap!("replay_paused_80x24", paused);
    // Rewound in a replay: both said, the replay's speed kept.
    v.keys(&[Action::Seek(-BIG_STEP)]);
    let both = header(&v.render(80, 24));
    assert!(
        both.contains("REWIND 09:10 (-10m)   REPLAY  paused x50 normal.jsonl"),
        "{both}"
    );
    assert!(both.contains("feed time 09:10:00"), "{both}");
    snap!("replay_rewound_80x24", both);
}

#[test]
fn right_from_a_replays_own_time_plays_ahead_and_keys_do_nothing_live() {
    let mut v = source(true, SourceKind::Replay);
    v.monitor.pace_replay(10.0);
    v.keys(&[Action::Seek(STEP), Action::NextEvent, Action::NextSecond]);
    v.render(80, 24);
    let mut asked = Pace::new(10.0);
    for a in [Ask::NextEvent, Ask::Skip(1_000), Ask::Skip(STEP)] {
        asked.ask(a);
    }
    assert_eq!(v.monitor.pace(), Some(&asked));
    assert_eq!(v.view.state.rewind.at, None, "not a rewind");
    // Live: no pace, the replay keys are dropped.
    let mut v = live(true);
    v.keys(&[Action::PlayPause, Action::Faster]);
    let s = screen(&v.render(80, 24));
    assert!(v.view.state.rewind.replay.is_empty());
    assert!(s.contains("connected"), "{s}");
}
