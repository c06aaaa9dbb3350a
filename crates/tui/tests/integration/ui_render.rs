//! Snapshot tests of the terminal view: floors built from feed fixtures
//! (tests/resources/ui/*.jsonl, with config.toml's thresholds), rendered
//! through ratatui's TestBackend at a fixed `now`; each expected screen is a
//! `.snap` file beside the feeds.

use std::path::{Path, PathBuf};

use queuetop_engine::config;
use queuetop_engine::dialect::DialectKind;
use queuetop_engine::floor::{Floor, WindowKind};
use queuetop_engine::health::LinkState;
use queuetop_engine::monitor::{Monitor, SourceInfo, SourceKind};
use queuetop_engine::replay::apply_all;
use queuetop_engine::time::Ts;
use queuetop_tui::action::Action;
use queuetop_tui::run::{View, ViewOptions, draw};
use queuetop_tui::theme::Theme;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::{Color, Modifier};

fn dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/resources/ui")
}

pub(crate) struct Case {
    monitor: Monitor,
    pub(crate) view: View,
    pub(crate) opts: ViewOptions,
    local: Ts,
}

pub(crate) fn case(feed: &str, kind: SourceKind) -> Case {
    case_with(feed, kind, "config.toml")
}

fn case_with(feed: &str, kind: SourceKind, config_file: &str) -> Case {
    let text = std::fs::read_to_string(dir().join(config_file)).expect("config");
    let file = config::parse(&text).expect("config parses");
    let metrics = config::metrics(&file, None).expect("metrics");
    let target = match kind {
        SourceKind::Url => "wss://events.example.com/v1/floor".to_string(),
        SourceKind::Demo => "seed 7".to_string(),
        SourceKind::Replay => format!("{feed}.jsonl"),
    };
    let mut monitor = Monitor::new(
        Floor::new(metrics.settings),
        SourceInfo { kind, target },
        DialectKind::Native.make(),
    );
    monitor.set_alert_rules(config::rules(&file).expect("rules"));
    let input = std::fs::File::open(dir().join(format!("{feed}.jsonl"))).expect("feed");
    apply_all(&mut monitor, std::io::BufReader::new(input), 1 << 20).expect("replay");
    monitor.set_link(LinkState::Connected);
    let local = monitor.floor.now();
    let opts = ViewOptions {
        theme: Theme::new(true, false),
        max_fps: 20,
        bell: false,
        mouse: false,
        stale_after: 5_000,
        window: WindowKind::Rolling,
        wall_clock: kind != SourceKind::Replay,
        speed: (kind == SourceKind::Replay).then(|| "10".to_string()),
        start: Default::default(),
    };
    Case {
        monitor,
        view: View::new(WindowKind::Rolling),
        opts,
        local,
    }
}

impl Case {
    fn keys(&mut self, actions: &[Action]) -> &mut Self {
        for a in actions {
            self.view.state.apply(*a);
        }
        self
    }

    pub(crate) fn render(&mut self, w: u16, h: u16) -> Terminal<TestBackend> {
        self.view.look(&mut self.monitor, &self.opts, self.local);
        let mut t = Terminal::new(TestBackend::new(w, h)).expect("terminal");
        let area = Rect::new(0, 0, w, h);
        // Build twice: the first build settles the selection on a row.
        for _ in 0..2 {
            if let Some(scene) = self
                .view
                .scene(&mut self.monitor, &self.opts, self.local, area)
            {
                draw(&mut t, &scene, self.opts.theme).expect("draw");
            }
        }
        t
    }
}

pub(crate) fn screen(t: &Terminal<TestBackend>) -> String {
    t.backend().to_string()
}

macro_rules! snap {
    ($name:expr, $value:expr) => {
        insta::with_settings!({snapshot_path => "../../../../tests/resources/ui", prepend_module_to_snapshot => false}, {
            insta::assert_snapshot!($name, $value);
        });
    };
}

/// The cell where `text` starts on screen.
pub(crate) fn find(buf: &Buffer, text: &str) -> Option<(u16, u16)> {
    for y in 0..buf.area.height {
        let line: String = (0..buf.area.width)
            .map(|x| buf[(x, y)].symbol().to_string())
            .collect();
        if let Some(i) = line.find(text) {
            let col = line[..i].chars().count() as u16;
            return Some((col, y));
        }
    }
    None
}

#[test]
fn normal_floor() {
    let mut c = case("normal", SourceKind::Url);
    let t = c.render(80, 24);
    let s = screen(&t);
    assert!(s.contains("Billing"), "{s}");
    assert!(
        !s.contains('‼') && !s.contains("REPLAY"),
        "a calm live floor: {s}"
    );
    snap!("normal_80x24", s);
    snap!("normal_160x48", screen(&c.render(160, 48)));
}

#[test]
fn alerts_warning_and_critical() {
    let mut c = case("alerts", SourceKind::Url);
    let t = c.render(160, 48);
    let buf = t.backend().buffer();
    // Support: 5 waiting (> 4) and 3m00s (> 2m): critical, with the symbol.
    let (x, y) = find(buf, "3m00s‼").expect("critical longest wait");
    assert_eq!(buf[(x, y)].bg, Color::Red);
    let (x, y) = find(buf, "3!").expect("billing waiting warning");
    assert_eq!(buf[(x, y)].bg, Color::Yellow);
    let s = screen(&t);
    assert!(
        s.contains("Sales: service level 0.0% warning (target 80%)"),
        "{s}"
    );
    assert!(s.contains("critical (over 2m00s)"), "{s}");
    snap!("alerts_160x48", s);
    snap!("alerts_80x24", screen(&c.render(80, 24)));
}

#[test]
fn no_color_keeps_alerts_visible_without_colour() {
    let mut c = case("alerts", SourceKind::Replay);
    c.opts.theme = Theme::new(false, false);
    let t = c.render(80, 24);
    let buf = t.backend().buffer();
    for cell in buf.content() {
        assert_eq!(
            (cell.fg, cell.bg),
            (Color::Reset, Color::Reset),
            "no colour at all"
        );
    }
    let (x, y) = find(buf, "3m00s‼").expect("critical longest wait");
    assert!(
        buf[(x, y)]
            .modifier
            .contains(Modifier::BOLD | Modifier::UNDERLINED)
    );
    let (x, y) = find(buf, "REPLAY").expect("label");
    assert!(
        buf[(x, y)].modifier.contains(Modifier::REVERSED),
        "label in reverse video"
    );
    snap!("no_color_80x24", screen(&t));
}

#[test]
fn ascii_mode_uses_only_ascii() {
    let mut c = case("alerts", SourceKind::Url);
    c.opts.theme = Theme::new(true, true);
    let plain = |t: &Terminal<TestBackend>| {
        for cell in t.backend().buffer().content() {
            // Names from the feed may be any script; drawing must be ASCII.
            let sym = cell.symbol();
            assert!(
                sym.is_ascii() || sym.chars().all(char::is_alphanumeric),
                "non-ASCII drawing character {sym:?}"
            );
        }
    };
    let t = c.render(100, 30);
    plain(&t);
    let s = screen(&t);
    assert!(s.contains("3m00s!!") && s.contains("-- Queues"), "{s}");
    c.keys(&[Action::Help]);
    let t = c.render(100, 30);
    plain(&t);
    snap!("ascii_help_100x30", screen(&t));
}

#[test]
fn help_overlay() {
    let mut c = case("normal", SourceKind::Url);
    c.keys(&[Action::Help]);
    let s = screen(&c.render(80, 24));
    assert!(
        s.contains("Keys (Esc closes)") && s.contains("reverse the sort"),
        "{s}"
    );
    // Every binding that can be pressed while help is reachable is listed.
    for b in queuetop_tui::keys::BINDINGS {
        if b.when != queuetop_tui::keys::When::Filtering {
            assert!(
                s.contains(b.keys) && s.contains(b.description),
                "{b:?}\n{s}"
            );
        }
    }
    snap!("help_80x24", s);
    // Too short for the symbols' own lines: each is explained on the
    // bottom border, and on a narrow terminal only whole entries are.
    for entry in [
        "! warn",
        "‼ crit",
        "AWY away/busy",
        "✓ ok",
        "≈ unsure",
        "▾ ▸ fold",
    ] {
        assert!(s.contains(entry), "{entry}: {s}");
    }
    let narrow = screen(&c.render(44, 24));
    assert!(narrow.contains("⏸ on hold"), "{narrow}");
    assert!(!narrow.contains("AWY"), "{narrow}");
}

#[test]
fn queue_details() {
    let mut c = case("alerts", SourceKind::Url);
    // Sort by waiting (most first): support is on top.
    c.keys(&[Action::Sort]);
    c.render(80, 24);
    c.keys(&[Action::Enter]);
    let s = screen(&c.render(80, 24));
    assert!(
        s.contains("Queue Technical support, second line (support)"),
        "{s}"
    );
    assert!(s.contains("w0") && s.contains("3m00s"), "{s}");
    snap!("details_queue_80x24", s);
    c.keys(&[Action::Back]);
    assert!(c.view.state.details.is_none());
}

#[test]
fn agent_details() {
    let mut c = case("normal", SourceKind::Url);
    c.keys(&[Action::NextPane]);
    c.render(160, 48);
    c.keys(&[Action::Down, Action::Down, Action::Enter]);
    let s = screen(&c.render(160, 48));
    assert!(s.contains("Agent "), "{s}");
    assert!(s.contains("Recent states"), "{s}");
    snap!("details_agent_160x48", s);
}

#[test]
fn filter_active() {
    let mut c = case("normal", SourceKind::Url);
    c.keys(&[
        Action::StartFilter,
        Action::FilterChar('s'),
        Action::FilterChar('u'),
        Action::FilterChar('p'),
    ]);
    let s = screen(&c.render(80, 24));
    assert!(s.contains("Queues 1 of 4"), "{s}");
    assert!(s.contains("Élodie") && !s.contains("Kim Park"), "{s}");
    assert!(
        s.contains("Agents 3 of 8") && s.contains("TOTAL (all)"),
        "{s}"
    );
    assert!(s.contains("filter: sup_"), "{s}");
    snap!("filter_80x24", s);
}

fn type_filter(c: &mut Case, text: &str) {
    c.keys(&[Action::StartFilter]);
    for ch in text.chars() {
        c.keys(&[Action::FilterChar(ch)]);
    }
}

#[test]
fn field_filter_kept_shows_in_the_footer() {
    let mut c = case("normal", SourceKind::Url);
    // Away agents serving billing: Dana Ruiz (away: lunch) only; Jürgen
    // Gross serves billing too but is busy. The queues table has no state,
    // so `state:` leaves it to `queue:billing`: Billing alone.
    type_filter(&mut c, "state:away queue:billing");
    c.keys(&[Action::FilterDone]);
    let s = screen(&c.render(80, 24));
    assert!(s.contains("Queues 1 of 4") && s.contains("Billing"), "{s}");
    assert!(
        s.contains("Agents 1 of 8") && s.contains("Dana Ruiz"),
        "{s}"
    );
    assert!(!s.contains("Jürgen"), "{s}");
    assert!(s.contains("filter: state:away queue:billing"), "{s}");
    snap!("filter_fields_80x24", s);
}

#[test]
fn search_jumps_between_matches_and_hides_nothing() {
    let mut c = case("normal", SourceKind::Url);
    // Agents by state: three on contact (rows 0-2), Kim Park and Élodie
    // Martin available (rows 3 and 4), then busy, away, offline.
    c.keys(&[Action::NextPane, Action::StartSearch]);
    for ch in "state:avail".chars() {
        c.keys(&[Action::FilterChar(ch)]);
    }
    let s = screen(&c.render(80, 24));
    assert!(s.contains("search: state:avail_"), "{s}");
    assert!(s.contains("Agents 8 "), "nothing hidden: {s}");
    assert_eq!(c.view.state.agents.index, 3, "the first match as typed");
    c.keys(&[Action::FilterDone, Action::SearchNext]);
    c.render(80, 24);
    assert_eq!(c.view.state.agents.index, 4);
    c.keys(&[Action::SearchNext]);
    c.render(80, 24);
    assert_eq!(c.view.state.agents.index, 3, "wraps to the first");
    c.keys(&[Action::SearchPrev]);
    c.render(80, 24);
    assert_eq!(c.view.state.agents.index, 4, "back wraps to the last");
    // The queues (by name: Billing, Chat, Sales, Technical...): a search
    // for `queue:chat` lands on Chat; the filter stays empty.
    c.keys(&[Action::PrevPane, Action::StartSearch]);
    for ch in "sales".chars() {
        c.keys(&[Action::FilterChar(ch)]);
    }
    c.keys(&[Action::FilterDone]);
    let s = screen(&c.render(80, 24));
    assert_eq!(c.view.state.queues.index, 2, "{s}");
    assert!(
        c.view.state.filter.is_empty() && s.contains("Queues 4 "),
        "{s}"
    );
}

#[test]
fn bad_filter_says_why_while_typing_and_hides_nothing() {
    let mut c = case("normal", SourceKind::Url);
    type_filter(&mut c, "colour:red");
    let s = screen(&c.render(80, 24));
    assert!(s.contains("unknown field `colour:`"), "{s}");
    assert!(s.contains("Queues 4 ") && s.contains("Agents 8 "), "{s}");
}

#[test]
fn paused_freezes_the_figures() {
    let mut c = case("normal", SourceKind::Url);
    c.keys(&[Action::Pause]);
    let t = c.render(80, 24);
    let s = screen(&t);
    assert!(s.contains("PAUSED"), "{s}");
    snap!("paused_80x24", s);
}

#[test]
fn reconnecting_with_countdown() {
    let mut c = case("normal", SourceKind::Url);
    let next = c.local.0 + 4_200;
    c.monitor.set_link(LinkState::Reconnecting {
        attempt: 3,
        next_try_ms: next,
        last_error: "connection refused\u{1b}[2J".into(),
    });
    let s = screen(&c.render(80, 24));
    assert!(
        s.contains("RECONNECTING in 5s (attempt 3: connection refused[2J)"),
        "{s}"
    );
    assert!(
        s.contains("connection lost: connection refused[2J"),
        "logged: {s}"
    );
    snap!("reconnecting_80x24", s);
}

#[test]
fn loading_history_shows_its_progress() {
    let mut c = case("normal", SourceKind::Url);
    c.monitor.set_link(LinkState::LoadingHistory {
        done: 4_250,
        total: 10_000,
    });
    let s = screen(&c.render(80, 24));
    assert!(s.contains("loading history 42%"), "{s}");
    assert!(s.contains("connected, loading history"), "logged: {s}");
    snap!("loading_history_80x24", s);
}

#[test]
fn stale_feed_says_so() {
    let mut c = case("normal", SourceKind::Url);
    c.local = c.local.plus(12_000);
    let s = screen(&c.render(80, 24));
    assert!(
        s.contains("STALE") && s.contains("last event 12s ago"),
        "{s}"
    );
}

#[test]
fn demo_and_replay_labels() {
    let mut c = case("normal", SourceKind::Demo);
    let s = screen(&c.render(80, 24));
    assert!(s.starts_with("\" DEMO "), "{s}");
    snap!("demo_80x24", s);
    let mut c = case("normal", SourceKind::Replay);
    let s = screen(&c.render(80, 24));
    assert!(s.contains(" REPLAY ") && s.contains("playing x10"), "{s}");
    c.monitor.set_link(LinkState::Ended);
    let s = screen(&c.render(80, 24));
    assert!(s.contains(" REPLAY ") && s.contains("ended"), "{s}");
    snap!("replay_ended_80x24", s);
}

#[test]
fn too_small_never_panics_and_keeps_the_label() {
    let mut c = case("normal", SourceKind::Replay);
    for (w, h) in [(1, 1), (10, 3), (80, 0), (0, 24), (39, 24), (80, 9)] {
        let t = c.render(w, h);
        if w > 0 && h > 0 {
            // The label comes first, whatever the size.
            assert_eq!(t.backend().buffer()[(0, 0)].symbol(), "R", "{w}x{h}");
        }
    }
    snap!("too_small_10x3", screen(&c.render(10, 3)));
    snap!("too_small_39x12", screen(&c.render(39, 12)));
}

#[test]
fn window_flips_to_today() {
    let mut c = case("normal", SourceKind::Url);
    c.keys(&[Action::Window]);
    let s = screen(&c.render(80, 24));
    assert!(s.contains("window today (9h20m)"), "{s}");
}

#[test]
fn the_interval_shows_beside_today() {
    let mut c = case("normal", SourceKind::Url);
    c.keys(&[Action::Window]);
    // The strip's figures are the snapshot's `interval` block.
    let json =
        queuetop_engine::snapshot::build(&c.monitor, WindowKind::Today, Some(c.local), 5_000);
    assert_eq!(json.interval.start, "2026-11-23T09:00:00Z");
    let f = &json.interval.totals;
    let strip = format!(
        "09:00-09:30: SL {:.1}%  ASA {}s  ABN {:.1}%",
        f.service_level_pct.expect("SL"),
        f.asa_s.expect("ASA") as i64, // whole seconds, as on screen
        f.abandon_rate_pct.expect("abandon rate"),
    );
    let small = screen(&c.render(80, 24));
    assert!(small.contains("window today (9h20m)"), "{small}");
    assert!(small.contains(&strip), "{strip} not in\n{small}");
    snap!("interval_today_80x24", small);
    let big = screen(&c.render(160, 48));
    assert!(big.contains(&strip), "{big}");
    snap!("interval_today_160x48", big);
}

#[test]
fn hostile_strings_are_stripped_on_screen() {
    let mut c = case("hostile", SourceKind::Url);
    // Wide enough for the whole (stripped) agent name beside every column.
    let t = c.render(130, 30);
    for cell in t.backend().buffer().content() {
        assert!(
            !cell.symbol().chars().any(queuetop_engine::text::is_unsafe),
            "{:?}",
            cell.symbol()
        );
    }
    let s = screen(&t);
    assert!(s.contains("Eve]0;pwned[31mRed1mXZ"), "{s}");
}

#[test]
fn agents_past_a_limit_are_marked_like_queues() {
    let mut c = case_with("normal", SourceKind::Url, "agents_alerts.toml");
    let t = c.render(80, 24);
    let buf = t.backend().buffer();
    // Busy 20m00s, past 15m: critical, the symbol and the style of a queue's.
    let (x, y) = find(buf, "20m00s‼").expect("critical busy agent");
    assert_eq!(buf[(x, y)].bg, Color::Red);
    // Away for lunch 8m00s, past 5m: a warning.
    let (x, y) = find(buf, "8m00s!").expect("lunch warning");
    assert_eq!(buf[(x, y)].bg, Color::Yellow);
    let s = screen(&t);
    assert!(
        s.contains("Jürgen Groß-Überlänge-Schmidt: busy for 15m01s critical"),
        "{s}"
    );
    snap!("agents_alerts_80x24", s);
}

#[test]
fn a_gap_marks_the_window_uncertain_in_the_header() {
    let mut c = case("normal", SourceKind::Url);
    let s = screen(&c.render(120, 24));
    assert!(!s.contains("uncertain"), "{s}");
    // seq 30 was the last: 31..=34 never came.
    c.monitor
        .replay_frame(r#"{"type":"heartbeat","ts":"2026-11-23T09:20:00Z","seq":35}"#);
    let s = screen(&c.render(120, 24));
    assert!(s.contains("≈uncertain since 09:20:00"), "{s}");
}

/// The same floor in each built-in theme: the text is the same (insta
/// shows text only); the styles are the theme file's, read from the buffer.
#[test]
fn each_built_in_theme() {
    use queuetop_tui::theme::palette;
    for name in palette::built_in_names() {
        let p = palette::built_in(name).expect("built in");
        let mut c = case("alerts", SourceKind::Url);
        c.opts.theme = Theme::new(true, false).with_palette(p);
        let t = c.render(80, 24);
        let buf = t.backend().buffer();
        let (x, y) = find(buf, "3m00s‼").expect("critical longest wait");
        let cell = &buf[(x, y)];
        assert_eq!(Some(cell.fg), p.critical.fg, "{name}: critical fg");
        assert_eq!(Some(cell.bg), p.critical.bg, "{name}: critical bg");
        let (x, y) = find(buf, "3!").expect("billing waiting warning");
        assert_eq!(Some(buf[(x, y)].bg), p.warning.bg, "{name}: warning bg");
        // A theme that paints the screen paints the blank cells too.
        let corner = &buf[(79, 23)];
        assert_eq!(corner.bg, p.screen.bg.unwrap_or(Color::Reset), "{name}");
        // Colour stays "attention": agent states are not coloured.
        let (x, y) = find(buf, "available").expect("an available agent");
        assert_eq!(
            buf[(x, y)].fg,
            p.screen.fg.unwrap_or(Color::Reset),
            "{name}"
        );
        snap!(format!("theme_{name}_80x24"), screen(&t));
    }
    // As the files say: critical differs per theme.
    let crit = |n: &str| palette::built_in(n).unwrap().critical.bg;
    assert_eq!(crit("default"), Some(Color::Red));
    assert_eq!(crit("colorblind"), Some(Color::Rgb(0x40, 0x70, 0xe0)));
    assert_eq!(crit("high-contrast"), Some(Color::Rgb(0xd7, 0x00, 0x00)));
    assert_eq!(crit("light"), Some(Color::Rgb(0xc0, 0x00, 0x00)));
}

#[test]
fn no_color_wins_over_any_theme_and_state_colours_are_opt_in() {
    use queuetop_tui::theme::palette;
    let p = palette::built_in("light").unwrap();
    let mut c = case("alerts", SourceKind::Url);
    c.opts.theme = Theme::new(false, false).with_palette(p);
    let t = c.render(80, 24);
    for cell in t.backend().buffer().content() {
        assert_eq!((cell.fg, cell.bg), (Color::Reset, Color::Reset));
    }
    // With agent state colours on, the STATE cell takes the theme's colour.
    let p = palette::built_in("colorblind").unwrap();
    c.opts.theme = Theme::new(true, false)
        .with_palette(p)
        .with_agent_state_colors(true);
    let t = c.render(160, 48);
    let buf = t.backend().buffer();
    let (x, y) = find(buf, "available").expect("an available agent");
    assert_eq!(
        Some(buf[(x, y)].fg),
        p.agent_state(queuetop_engine::floor::DisplayState::Available)
            .fg
    );
}

/// The snapshot's figures without its source (the file's name differs).
fn figures_json(m: &Monitor) -> serde_json::Value {
    let snap = queuetop_engine::snapshot::build(m, WindowKind::Rolling, None, 5_000);
    let mut v = serde_json::to_value(snap).expect("json");
    v["source"] = serde_json::Value::Null;
    v
}

#[test]
fn a_recorded_mark_replays_into_the_log_and_changes_nothing_else() {
    let mut marked = case("marked", SourceKind::Replay);
    let plain = case("normal", SourceKind::Replay);
    // The mark line is neither an event, nor unknown, nor refused.
    assert_eq!(figures_json(&marked.monitor), figures_json(&plain.monitor));
    let mark = marked.monitor.marks().latest().expect("the mark").clone();
    assert_eq!(mark.at, Ts::parse_rfc3339("2026-11-23T09:03:45Z").unwrap());
    assert_eq!(mark.note, "billing abandons after the IVR change");
    let s = screen(&marked.render(80, 24));
    assert!(
        s.contains("09:03:45    mark: billing abandons after the IVR change"),
        "{s}"
    );
}

#[test]
fn change_since_the_mark() {
    let mut c = case("marked", SourceKind::Replay);
    c.keys(&[Action::SinceMark]);
    let small = screen(&c.render(80, 24));
    assert!(small.contains("CHANGE since mark 09:03:45"), "{small}");
    // At 09:03:45 Billing had served one call within its threshold and lost
    // one (SL 50.0 %, the warning in the log); by 09:20 its rolling window
    // holds only the 5 s answer at 09:15:05: SL 100.0 %, +50.0 points.
    let row = small
        .lines()
        .find(|l| l.starts_with("\"Billing"))
        .expect("billing row");
    assert!(row.contains("+50.0"), "{row}");
    snap!("since_mark_80x24", small);
    snap!("since_mark_160x48", screen(&c.render(160, 48)));
    // M again: the figures themselves.
    c.keys(&[Action::SinceMark]);
    let back = screen(&c.render(80, 24));
    assert!(!back.contains("CHANGE since mark"), "{back}");
}

#[test]
fn change_since_the_mark_without_a_mark_says_how_to_set_one() {
    let mut c = case("normal", SourceKind::Url);
    c.keys(&[Action::SinceMark]);
    let s = screen(&c.render(80, 24));
    assert!(s.contains("no mark yet: m sets one"), "{s}");
    // The figures themselves stay (nothing to change from).
    let plain = screen(&case("normal", SourceKind::Url).render(80, 24));
    // Every line but the queues' title is the same.
    let rest = |s: &str| -> Vec<String> {
        s.lines()
            .filter(|l| !l.contains("── Queues"))
            .map(str::to_string)
            .collect()
    };
    assert_eq!(rest(&s).len(), 23);
    assert_eq!(rest(&s), rest(&plain));
}

#[test]
fn typing_a_mark_note_sets_a_stripped_bounded_mark() {
    let mut c = case("normal", SourceKind::Url);
    c.keys(&[Action::Mark]);
    for ch in "trunk\u{1b} down".chars() {
        c.keys(&[Action::FilterChar(ch)]);
    }
    let typing = screen(&c.render(80, 24));
    assert!(typing.contains("mark note: trunk down_"), "{typing}");
    snap!("mark_note_80x24", typing);
    c.keys(&[Action::FilterDone]);
    let line = c.view.take_mark(&mut c.monitor).expect("a mark line");
    assert_eq!(
        line,
        r#"{"type":"queuetop.mark","ts":"2026-11-23T09:20:00Z","note":"trunk down"}"#
    );
    let after = screen(&c.render(80, 24));
    assert!(after.contains("09:20:00    mark: trunk down"), "{after}");
    // Esc while typing sets none; a note past the bound is cut.
    c.keys(&[Action::Mark, Action::FilterChar('x'), Action::Back]);
    assert!(c.view.take_mark(&mut c.monitor).is_none());
    c.keys(&[Action::Mark]);
    for _ in 0..500 {
        c.keys(&[Action::FilterChar('z')]);
    }
    c.keys(&[Action::FilterDone]);
    c.view.take_mark(&mut c.monitor).expect("a mark");
    let note = &c.monitor.marks().latest().expect("kept").note;
    assert_eq!(note.len(), queuetop_engine::mark::MAX_NOTE_CHARS);
}

/// The rows of a TestBackend screen as it prints them (`"row"` a line, a
/// note after wide characters), trailing blanks dropped.
fn backend_rows(t: &Terminal<TestBackend>) -> Vec<String> {
    t.backend()
        .to_string()
        .lines()
        .map(|l| {
            let l = l.strip_prefix('"').unwrap_or(l);
            let end = l.find("\" Hidden by").unwrap_or(l.len().saturating_sub(1));
            l[..end].trim_end().to_string()
        })
        .collect()
}

#[test]
fn export_writes_the_screen_and_the_whole_log() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut c = case("marked", SourceKind::Replay);
    let t = c.render(80, 24);
    let path = c
        .view
        .export_screen(&c.monitor, c.opts.theme, dir.path())
        .expect("exported");
    assert_eq!(
        path,
        dir.path().join("queuetop-screen-20261123-092000.txt"),
        "named after the floor's time"
    );
    let text = std::fs::read_to_string(&path).expect("text file");
    let on_screen = backend_rows(&t);
    assert_eq!(on_screen.len(), 24);
    let file_rows: Vec<&str> = text.lines().take(24).collect();
    assert_eq!(file_rows, on_screen, "the file's screen is the screen");
    assert!(on_screen[0].contains("REPLAY") && on_screen[0].contains("marked.jsonl"));
    // The whole log, not only the pane's last lines: the first entry is
    // scrolled out of the pane at 80x24.
    assert!(!on_screen.iter().any(|r| r.contains("09:02:30")));
    assert!(text.contains("Event log, every entry (6):"), "{text}");
    assert!(
        text.contains("09:02:30  warning   Sales: service level 0.0% warning (target 80%)"),
        "{text}"
    );
    assert!(text.contains("09:03:45  info      mark: billing abandons after the IVR change"));
    let md = std::fs::read_to_string(path.with_extension("md")).expect("markdown file");
    assert!(
        md.starts_with(
            "# queuetop screen at 09:20:00\n\nREPLAY marked.jsonl (playing x10)\n\n```text\n"
        ),
        "{md}"
    );
    for row in &on_screen {
        assert!(
            md.contains(&format!("{row}\n")),
            "{row} not in the markdown"
        );
    }
    assert!(md.contains("| 09:03:45 | info | mark: billing abandons after the IVR change |"));
    // The log says where it went; a second export does not overwrite.
    let s = screen(&c.render(80, 24));
    assert!(s.contains("screen exported to"), "{s}");
    let again = c
        .view
        .export_screen(&c.monitor, c.opts.theme, dir.path())
        .expect("exported again");
    assert_eq!(
        again,
        dir.path().join("queuetop-screen-20261123-092000-2.txt")
    );
}

#[test]
fn a_hostile_feed_leaves_no_control_byte_in_an_export() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut c = case("hostile", SourceKind::Url);
    let now = c.monitor.floor.now();
    c.monitor.mark(queuetop_engine::mark::Mark::new(
        now,
        "<script>alert(1)</script> | \u{1b}[2J\u{9b}31m",
    ));
    c.render(130, 30);
    let path = c
        .view
        .export_screen(&c.monitor, c.opts.theme, dir.path())
        .expect("exported");
    let text = std::fs::read_to_string(&path).expect("text");
    let md = std::fs::read_to_string(path.with_extension("md")).expect("markdown");
    for (name, body) in [("text", &text), ("markdown", &md)] {
        let bad: Vec<char> = body
            .chars()
            .filter(|c| *c != '\n' && queuetop_engine::text::is_unsafe(*c))
            .collect();
        assert!(bad.is_empty(), "{name}: {bad:?}");
    }
    assert!(text.contains("Eve]0;pwned[31mRed1mXZ"), "{text}");
    // Inside the fenced screen, markup is shown as is (a code block renders
    // nothing); everywhere else it is escaped.
    let (screen_part, log_part) = md.split_once("\n## Event log").expect("two parts");
    assert!(screen_part.contains("\n```text\n") && screen_part.ends_with("```\n"));
    assert!(!log_part.contains("<script>"), "{log_part}");
    assert!(
        md.contains("&lt;script&gt;alert(1)&lt;/script&gt; \\| \\[2J31m"),
        "{md}"
    );
}
