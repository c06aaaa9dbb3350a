//! What a view chooses (docs/ui.md, "Views"): alerting queues pinned first
//! (on by default), a view's columns in its order, and the start-up sort
//! and filter, on the alerts fixture (one queue critical, two in warning).

use super::ui_render::{case, screen};
use queuetop_engine::monitor::SourceKind;
use queuetop_tui::columns::{AgentCol, QueueCol};
use queuetop_tui::run::Start;

/// The queue names in the order the queues table shows them.
fn queue_order(s: &str) -> Vec<String> {
    let lines: Vec<&str> = s.lines().collect();
    let head = lines
        .iter()
        .position(|l| l.contains("QUEUE") && !l.contains("──"))
        .expect("queue header");
    lines[head + 1..]
        .iter()
        .take_while(|l| !l.contains("TOTAL"))
        .map(|l| {
            l.trim_matches('"')
                .split("  ")
                .next()
                .unwrap_or("")
                .to_string()
        })
        .collect()
}

#[test]
fn alerting_queues_come_first_and_the_header_counts_them() {
    let mut c = case("alerts", SourceKind::Url);
    let s = screen(&c.render(80, 24));
    assert_eq!(
        queue_order(&s),
        ["Technical suppo…", "Billing", "Sales", "Chat"],
        "critical, then the warnings by name, then the rest\n{s}"
    );
    assert!(s.contains("sort QUEUE▲, alerts first"), "{s}");
    assert!(s.contains("1 crit  2 warn"), "{s}");
}

#[test]
fn pinning_can_be_turned_off() {
    let mut c = case("alerts", SourceKind::Url);
    c.view.start(&Start {
        pin_alerts: Some(false),
        ..Start::default()
    });
    let s = screen(&c.render(80, 24));
    assert_eq!(
        queue_order(&s),
        ["Billing", "Chat", "Sales", "Technical suppo…"],
        "{s}"
    );
    assert!(!s.contains("alerts first"), "{s}");
    assert!(
        s.contains("1 crit  2 warn"),
        "the header counts them still\n{s}"
    );
}

#[test]
fn a_view_chooses_columns_order_sort_and_filter() {
    let mut c = case("alerts", SourceKind::Url);
    c.view.start(&Start {
        filter: Some("!chat".to_string()),
        sort: Some("-wait".to_string()),
        queue_columns: Some(vec![
            QueueCol::Name,
            QueueCol::ServiceLevel,
            QueueCol::Waiting,
            QueueCol::Available,
        ]),
        agent_columns: Some(vec![AgentCol::Name, AgentCol::For, AgentCol::State]),
        pin_alerts: Some(false),
    });
    let s = screen(&c.render(80, 24));
    let header = s
        .lines()
        .find(|l| l.contains("QUEUE") && !l.contains("──"))
        .expect("header");
    let words: Vec<&str> = header.trim_matches('"').split_whitespace().collect();
    assert_eq!(words, ["QUEUE", "SL%", "WAIT▼", "AVL"], "{s}");
    let agents = s
        .lines()
        .find(|l| l.contains("AGENT"))
        .expect("agents header");
    let words: Vec<&str> = agents.trim_matches('"').split_whitespace().collect();
    assert_eq!(words, ["AGENT", "FOR", "STATE▲"], "{s}");
    // Fewest waiting first (WAIT reversed), Chat filtered out.
    assert_eq!(
        queue_order(&s),
        ["Sales", "Billing", "Technical support, second line"],
        "{s}"
    );
    insta::with_settings!({snapshot_path => "../../../../tests/resources/ui", prepend_module_to_snapshot => false}, {
        insta::assert_snapshot!("view_columns_80x24", s);
    });
}

/// The queues of the `normal` fixture, only the name and `col` shown,
/// sorted by `sort`: their names, in order.
fn sorted_by(sort: &str, col: QueueCol) -> Vec<String> {
    let mut c = case("normal", SourceKind::Url);
    c.view.start(&Start {
        sort: Some(sort.to_string()),
        queue_columns: Some(vec![QueueCol::Name, col]),
        ..Start::default()
    });
    let s = screen(&c.render(80, 24));
    queue_order(&s)
        .iter()
        .map(|n| n.split_whitespace().next().unwrap_or("").to_string())
        .collect()
}

#[test]
fn a_window_figure_sorts_worst_first_and_reverses() {
    // ASA 13 s, 10 s, 5 s and none: the slowest first, none last.
    assert_eq!(
        sorted_by("ASA", QueueCol::Asa),
        ["Chat", "Technical", "Billing", "Sales"]
    );
    assert_eq!(
        sorted_by("-ASA", QueueCol::Asa),
        ["Sales", "Billing", "Technical", "Chat"]
    );
    // FCR: the lowest is the worst (none, 0 %, then 100 % twice, by id).
    assert_eq!(
        sorted_by("FCR%", QueueCol::Fcr),
        ["Sales", "Technical", "Billing", "Chat"]
    );
    // Occupancy 48, 29, 23 and 14 %: the busiest first.
    assert_eq!(
        sorted_by("OCC%", QueueCol::Occupancy),
        ["Chat", "Technical", "Billing", "Sales"]
    );
}
