//! A view of three sites, one of them dead (docs/sites.md): Paris plays
//! the calm `normal` feed, Lisbon the `alerts` one (the same queue and
//! agent ids: they must stay apart), Rome never connects. Drawn on
//! TestBackend at 80x24 and 160x48; the `.snap` files are beside the feeds.

use std::path::{Path, PathBuf};

use queuetop_engine::config;
use queuetop_engine::dialect::DialectKind;
use queuetop_engine::floor::policies_per_site;
use queuetop_engine::floor::{Floor, WindowKind};
use queuetop_engine::health::LinkState;
use queuetop_engine::monitor::{Monitor, SourceInfo, SourceKind};
use queuetop_engine::site::{SiteName, per_site};
use queuetop_engine::time::Ts;
use queuetop_tui::action::Action;
use queuetop_tui::run::{View, ViewOptions, draw};
use queuetop_tui::theme::Theme;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::layout::Rect;

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

/// Both feeds end at 09:20:00: every frame arrives "now", at that time.
const LOCAL: Ts = Ts(1_795_425_600_000);

fn three_sites() -> (Monitor, View, ViewOptions) {
    three_sites_with("config.toml")
}

pub(super) fn three_sites_with(config_file: &str) -> (Monitor, View, ViewOptions) {
    let text = std::fs::read_to_string(dir().join(config_file)).expect("config");
    let file = config::parse(&text).expect("config parses");
    let names: Vec<SiteName> = ["paris", "lisbon", "rome"]
        .iter()
        .map(|n| SiteName::new(n).unwrap())
        .collect();
    let mut settings = config::metrics(&file, None).expect("metrics").settings;
    settings.queues = policies_per_site(&settings.queues, &names);
    let mut rules = config::rules(&file).expect("rules");
    rules.queues = per_site(&rules.queues, &names);
    let mut m = Monitor::new(
        Floor::new(settings),
        SourceInfo::new(SourceKind::Url, "3 sites: paris, lisbon, rome"),
        DialectKind::Native.make(),
    );
    m.set_alert_rules(rules);
    for (i, n) in names.iter().enumerate() {
        let target = format!("wss://{n}.example.com/v1/floor");
        m.add_site(
            n.clone(),
            SourceInfo::new(SourceKind::Url, &target),
            DialectKind::Native.make(),
        );
        let Some(feed) = [Some("normal"), Some("alerts"), None][i] else {
            m.set_site_link(
                i,
                LinkState::Reconnecting {
                    attempt: 4,
                    next_try_ms: LOCAL.0 + 8_000,
                    last_error: "connection refused".into(),
                },
            );
            continue;
        };
        m.site_connected(i, LOCAL);
        m.set_site_link(i, LinkState::Connected);
        let text = std::fs::read_to_string(dir().join(format!("{feed}.jsonl"))).expect("feed");
        for line in text.lines() {
            m.site_live_frame(i, line, LOCAL);
        }
    }
    m.tick(LOCAL);
    let opts = ViewOptions {
        theme: Theme::new(true, false),
        max_fps: 20,
        bell: false,
        mouse: false,
        stale_after: 60_000,
        window: WindowKind::Rolling,
        wall_clock: true,
        speed: None,
        start: Default::default(),
    };
    (m, View::new(WindowKind::Rolling), opts)
}

pub(super) fn render(
    m: &mut Monitor,
    view: &mut View,
    opts: &ViewOptions,
    w: u16,
    h: u16,
) -> String {
    view.look(m, opts, LOCAL);
    let mut t = Terminal::new(TestBackend::new(w, h)).expect("terminal");
    let area = Rect::new(0, 0, w, h);
    for _ in 0..2 {
        if let Some(scene) = view.scene(m, opts, LOCAL, area) {
            draw(&mut t, &scene, opts.theme).expect("draw");
        }
    }
    t.backend().to_string()
}

/// The screen's lines, trimmed, for assertions on rows.
pub(super) fn lines(s: &str) -> Vec<String> {
    s.lines()
        .map(|l| l.trim_matches('"').trim_end().to_string())
        .collect()
}

#[test]
fn three_sites_one_dead_at_80x24() {
    let (mut m, mut view, opts) = three_sites();
    let s = render(&mut m, &mut view, &opts, 80, 24);
    let l = lines(&s);
    // The dead site comes first in the header; the others still show.
    assert!(
        l[0].contains("connected rome DOWN‼  paris ok  lisbon ok"),
        "{s}"
    );
    // Paris's group heads the table, its queues indented under it.
    let paris = l.iter().position(|r| r.starts_with("▾ paris")).expect(&s);
    assert!(l[paris + 1].starts_with("  Billing"), "{s}");
    // Both sites' queues are counted apart: 4 queues each.
    assert!(s.contains("Queues 8 "), "{s}");
    snap!("sites_80x24", s);
}

#[test]
fn three_sites_one_dead_at_160x48() {
    let (mut m, mut view, opts) = three_sites();
    let s = render(&mut m, &mut view, &opts, 160, 48);
    let l = lines(&s);
    for site in ["paris", "lisbon"] {
        assert!(l.iter().any(|r| r.starts_with(&format!("▾ {site}"))), "{s}");
    }
    // Rome has no queue yet its row says it is down.
    assert!(l.iter().any(|r| r.starts_with("▾ rome (down)‼")), "{s}");
    let total = l.iter().find(|r| r.starts_with("TOTAL")).expect(&s);
    let paris = l.iter().find(|r| r.starts_with("▾ paris")).expect(&s);
    let lisbon = l.iter().find(|r| r.starts_with("▾ lisbon")).expect(&s);
    // The WAIT column: the grand total is the two sites' sum.
    let wait = |r: &str| -> u32 {
        r.split_whitespace()
            .find_map(|w| w.trim_end_matches(['!', '‼']).parse().ok())
            .expect(r)
    };
    assert_eq!(wait(total), wait(paris) + wait(lisbon), "{s}");
    snap!("sites_160x48", s);
}

#[test]
fn the_site_filter_keeps_one_site() {
    let (mut m, mut view, opts) = three_sites();
    view.state.apply(Action::StartFilter);
    for ch in "site:lisbon".chars() {
        view.state.apply(Action::FilterChar(ch));
    }
    view.state.apply(Action::FilterDone);
    let s = render(&mut m, &mut view, &opts, 80, 24);
    let l = lines(&s);
    assert!(s.contains("Queues 4 of 8"), "{s}");
    assert!(l.iter().any(|r| r.starts_with("▾ lisbon")), "{s}");
    assert!(!l.iter().any(|r| r.starts_with("▾ paris")), "{s}");
    assert!(s.contains("TOTAL (all)"), "{s}");
}
