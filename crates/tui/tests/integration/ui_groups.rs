//! Queue groups (`group = "..."`, docs/ui.md): the `normal` floor with
//! billing and sales in Voice, chat and support in Digital, drawn as a
//! tree; `f` folds the selected group; with sites, each site has its own
//! groups. Snapshots beside the feeds.

use queuetop_engine::config;
use queuetop_engine::dialect::DialectKind;
use queuetop_engine::floor::{Floor, WindowKind};
use queuetop_engine::health::LinkState;
use queuetop_engine::monitor::{Monitor, SourceInfo, SourceKind};
use queuetop_engine::replay::apply_all;
use queuetop_tui::action::Action;
use queuetop_tui::run::{View, ViewOptions};
use queuetop_tui::theme::Theme;

use super::ui_sites::{lines, render, three_sites_with};

macro_rules! snap {
    ($name:expr, $value:expr) => {
        insta::with_settings!({snapshot_path => "../../../../tests/resources/ui", prepend_module_to_snapshot => false}, {
            insta::assert_snapshot!($name, $value);
        });
    };
}

fn grouped_floor() -> (Monitor, View, ViewOptions) {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/resources/ui");
    let text = std::fs::read_to_string(dir.join("groups.toml")).expect("config");
    let file = config::parse(&text).expect("config parses");
    let metrics = config::metrics(&file, None).expect("metrics");
    let mut m = Monitor::new(
        Floor::new(metrics.settings),
        SourceInfo::new(SourceKind::Url, "wss://events.example.com/v1/floor"),
        DialectKind::Native.make(),
    );
    m.set_alert_rules(config::rules(&file).expect("rules"));
    let input = std::fs::File::open(dir.join("normal.jsonl")).expect("feed");
    apply_all(&mut m, std::io::BufReader::new(input), 1 << 20).expect("replay");
    m.set_link(LinkState::Connected);
    let opts = ViewOptions {
        theme: Theme::new(true, false),
        max_fps: 20,
        bell: false,
        mouse: false,
        stale_after: 3_600_000,
        window: WindowKind::Rolling,
        wall_clock: true,
        speed: None,
        start: Default::default(),
    };
    (m, View::new(WindowKind::Rolling), opts)
}

/// The WAIT column of a row (its first number).
fn wait(row: &str) -> u32 {
    row.split_whitespace()
        .find_map(|w| w.trim_end_matches(['!', '‼']).parse().ok())
        .expect(row)
}

#[test]
fn groups_head_their_queues_and_add_them_up() {
    let (mut m, mut view, opts) = grouped_floor();
    let s = render(&mut m, &mut view, &opts, 80, 24);
    let l = lines(&s);
    let at = |start: &str| l.iter().position(|r| r.starts_with(start)).expect(&s);
    let voice = at("▾ Voice");
    let digital = at("▾ Digital");
    // Each group's queues, indented, right under it.
    assert!(
        l[voice + 1].starts_with("  Billing") && l[voice + 2].starts_with("  Sales"),
        "{s}"
    );
    assert!(l[digital + 1].starts_with("  Chat"), "{s}");
    // A group's WAIT is its queues'.
    assert_eq!(
        wait(&l[voice]),
        wait(&l[voice + 1]) + wait(&l[voice + 2]),
        "{s}"
    );
    assert!(s.contains("Queues 4 "), "{s}");
    snap!("groups_80x24", s);
}

#[test]
fn space_folds_the_selected_group_and_unfolds_it() {
    let (mut m, mut view, opts) = grouped_floor();
    render(&mut m, &mut view, &opts, 80, 24);
    // The selection starts on the first row: the Voice group.
    view.state.apply(Action::Fold);
    let s = render(&mut m, &mut view, &opts, 80, 24);
    let l = lines(&s);
    assert!(l.iter().any(|r| r.starts_with("▸ Voice")), "{s}");
    // One row for the group, though its queues are not side by side.
    assert_eq!(l.iter().filter(|r| r.contains("Voice")).count(), 1, "{s}");
    assert!(!l.iter().any(|r| r.starts_with("  Billing")), "{s}");
    assert!(!l.iter().any(|r| r.starts_with("  Sales")), "{s}");
    assert!(l.iter().any(|r| r.starts_with("  Chat")), "{s}");
    snap!("groups_folded_80x24", s);
    view.state.apply(Action::Fold);
    let s = render(&mut m, &mut view, &opts, 80, 24);
    assert!(lines(&s).iter().any(|r| r.starts_with("  Billing")), "{s}");
}

#[test]
fn each_site_has_its_own_groups_at_160x48() {
    let (mut m, mut view, opts) = three_sites_with("groups.toml");
    let s = render(&mut m, &mut view, &opts, 160, 48);
    let l = lines(&s);
    let voices: Vec<&String> = l.iter().filter(|r| r.starts_with("  ▾ Voice")).collect();
    // Paris's, Lisbon's and Rome's (its configured queues, none live): the
    // event log gives its spare rows to the tables.
    assert_eq!(voices.len(), 3, "{s}");
    assert!(s.contains("Queues 12  sort QUEUE▲"), "{s}");
    assert!(s.contains("rows 1-"), "{s}");
    assert!(l.iter().any(|r| r.starts_with("    Billing")), "{s}");
    snap!("sites_groups_160x48", s);
}
