//! The agents table's order kept from frame to frame equals the order
//! built from scratch, after any feed, sort, filter, window or floor swap
//! (a seek or a rewind puts another floor in the monitor's place): the
//! order itself, and the whole frame built from it (selection, search
//! jumps, the visible rows).

use proptest::prelude::*;
use queuetop_engine::dialect::DialectKind;
use queuetop_engine::floor::{Floor, Settings, WindowKind};
use queuetop_engine::monitor::{Monitor, SourceInfo, SourceKind};
use queuetop_engine::replay::apply_all;
use queuetop_tui::agent_order::{AgentOrder, Look};
use queuetop_tui::build::{Context, build, prepare};
use queuetop_tui::columns::AgentCol;
use queuetop_tui::filter::Filter;
use queuetop_tui::state::{Jump, Pane, Sort, UiState};
use queuetop_tui::theme::Theme;
use queuetop_tui::watch::Watch;
use ratatui::layout::Rect;
use serde_json::{Value, json};

const T0: i64 = 1_795_424_400_000;

const FILTERS: [&str; 10] = [
    "",
    "away",
    "!available",
    "state:on",
    "queue:sales",
    "q1",
    "name:b",
    "reason:lunch",
    "!queue:Support state:av",
    "a1",
];

#[derive(Clone, Debug)]
enum Step {
    Event(Value),
    Sort(usize, bool),
    Filter(usize),
    Window(WindowKind),
    /// Keep a copy of the floor, as a rewind checkpoint does.
    Checkpoint,
    /// Put a kept floor in the monitor's place, and the monitor's in its
    /// (a seek, a rewind and the way back to live).
    Swap(usize),
    Select(usize),
    Search(usize, u8),
}

/// A feed-v1 event over a small world (so agents collide and move).
fn event() -> impl Strategy<Value = Value> {
    let contact = (0..6u8).prop_map(|i| format!("c{i}"));
    let agent = (0..8u8).prop_map(|i| format!("a{i}"));
    let queue = (0..3u8).prop_map(|i| format!("q{i}"));
    let state = prop::sample::select(vec!["available", "busy", "wrap_up", "away", "offline"]);
    let name = prop::sample::select(vec!["Ann", "Bob", "bea", "Cy", "Ann"]);
    let qname = prop::sample::select(vec!["Sales", "Support", "Billing"]);
    let kind = prop_oneof![
        3 => (agent.clone(), state, prop::option::of(name), prop::option::of(prop::collection::vec(queue.clone(), 0..3)), any::<bool>())
            .prop_map(|(a, s, n, qs, lunch)| {
                let mut v = json!({"type":"agent.state","agent_id":a,"state":s});
                if let Some(n) = n { v["name"] = json!(n); }
                if let Some(qs) = qs { v["queues"] = json!(qs); }
                if lunch { v["reason"] = json!("lunch"); }
                v
            }),
        2 => (contact.clone(), queue.clone()).prop_map(|(c, q)| json!({"type":"contact.queued","contact_id":c,"queue":q})),
        2 => (contact.clone(), agent.clone()).prop_map(|(c, a)| json!({"type":"contact.answered","contact_id":c,"agent_id":a})),
        1 => contact.clone().prop_map(|c| json!({"type":"contact.ended","contact_id":c})),
        1 => contact.clone().prop_map(|c| json!({"type":"contact.hold","contact_id":c})),
        1 => (queue.clone(), qname).prop_map(|(q, n)| json!({"type":"queue.info","queue":q,"name":n})),
        1 => (prop::collection::vec((agent, prop::sample::select(vec!["available", "away"])), 0..4), contact)
            .prop_map(|(agents, c)| {
                let agents: Vec<Value> = agents.iter().enumerate().map(|(i, (a, s))| {
                    let mut v = json!({"agent_id":a,"state":s,"since":T0,"queues":["q0"]});
                    if i == 0 {
                        v["contacts"] = json!([{"contact_id":c,"since":T0}]);
                    }
                    v
                }).collect();
                json!({"type":"snapshot","queues":[],"agents":agents})
            }),
    ];
    (kind, 0i64..5_000).prop_map(|(mut v, dt)| {
        v["ts"] = json!(T0 + dt);
        v
    })
}

fn step() -> impl Strategy<Value = Step> {
    prop_oneof![
        8 => event().prop_map(Step::Event),
        1 => (0..AgentCol::ALL.len(), any::<bool>()).prop_map(|(c, r)| Step::Sort(c, r)),
        1 => (0..FILTERS.len()).prop_map(Step::Filter),
        1 => prop::sample::select(vec![WindowKind::Rolling, WindowKind::Today, WindowKind::Interval]).prop_map(Step::Window),
        1 => Just(Step::Checkpoint),
        1 => (0..4usize).prop_map(Step::Swap),
        1 => (0..10usize).prop_map(Step::Select),
        1 => (0..FILTERS.len(), 0..3u8).prop_map(|(f, j)| Step::Search(f, j)),
    ]
}

fn monitor() -> Monitor {
    let source = SourceInfo {
        kind: SourceKind::Replay,
        target: "prop".into(),
    };
    Monitor::new(
        Floor::new(Settings::default()),
        source,
        DialectKind::Native.make(),
    )
}

/// Each queue's name (or id) by queue index, as a filter reads them.
fn labels(floor: &Floor, kind: WindowKind) -> Vec<&str> {
    let (counts, _) = floor.agent_counts();
    floor
        .queue_ids()
        .map(|q| {
            let v = floor.queue_view(q, kind, counts);
            v.name.unwrap_or(v.id)
        })
        .collect()
}

/// The whole frame with `order`, from a copy of the state.
fn frame(
    m: &Monitor,
    st: &UiState,
    order: &mut AgentOrder,
) -> (UiState, queuetop_tui::model::Scene) {
    let mut st = st.clone();
    let watch = Watch::default();
    let ctx = Context {
        theme: Theme::new(true, false),
        alerts: m.alert_engine(),
        stale_after: 5_000,
        local: m.floor.now(),
        speed: None,
    };
    // Small enough that the agents table scrolls.
    let f = prepare(m, &st, order, &watch, &ctx, Rect::new(0, 0, 120, 24));
    st.reconcile(&f.facts);
    let scene = build(m, &st, f, &watch, &ctx);
    (st, scene)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 200, ..ProptestConfig::default() })]

    #[test]
    fn the_kept_order_equals_one_built_from_scratch(steps in prop::collection::vec(step(), 1..60)) {
        let mut m = monitor();
        let mut kept_floors: Vec<Floor> = Vec::new();
        let mut st = UiState::new(WindowKind::Rolling);
        st.focus = Pane::Agents;
        let mut kept = AgentOrder::default();
        let mut kept_for_frames = AgentOrder::default();
        let mut ts = T0;
        for s in &steps {
            match s {
                Step::Event(e) => {
                    let mut e = e.clone();
                    ts += e["ts"].as_i64().unwrap() - T0;
                    e["ts"] = json!(ts);
                    m.floor.advance(queuetop_engine::time::Ts(ts));
                    apply_all(&mut m, e.to_string().as_bytes(), 1 << 20).expect("in-memory replay");
                }
                Step::Sort(c, r) => st.agent_sort = Sort { col: AgentCol::ALL[*c], reversed: *r },
                Step::Filter(f) => st.start_with_filter(FILTERS[*f]).expect("filter parses"),
                Step::Window(w) => st.window = *w,
                Step::Checkpoint => kept_floors.push(m.floor.clone()),
                Step::Swap(i) => {
                    if !kept_floors.is_empty() {
                        let n = kept_floors.len();
                        std::mem::swap(&mut m.floor, &mut kept_floors[*i % n]);
                    }
                }
                Step::Select(i) => {
                    st.agents.index = *i;
                    st.agents.id = None;
                }
                Step::Search(f, j) => {
                    st.search_parsed = Filter::parse(FILTERS[*f]);
                    st.search = FILTERS[*f].to_string();
                    st.jump = Some([Jump::Here, Jump::Next, Jump::Prev][*j as usize]);
                }
            }
            m.floor.settle();
            let floor = &m.floor;
            let labels = labels(floor, st.window);
            let filter = st.active_filter();
            let look = Look {
                floor,
                sort: st.agent_sort,
                filter,
                window: st.window,
                sites: false,
                labels: if filter.is_some() { &labels } else { &[] },
            };
            kept.update(&look);
            let mut fresh = AgentOrder::default();
            fresh.update(&look);
            prop_assert_eq!(kept.agents(), fresh.agents(), "after {:?}", s);

            let (st_kept, scene_kept) = frame(&m, &st, &mut kept_for_frames);
            let (st_fresh, scene_fresh) = frame(&m, &st, &mut AgentOrder::default());
            prop_assert_eq!(&scene_kept, &scene_fresh, "after {:?}", s);
            prop_assert_eq!(&st_kept, &st_fresh);
            st = st_kept;
            st.jump = None;
        }
    }
}
