//! The demo simulation: deterministic, believable, and consistent with the
//! floor model (checked through the real decoder and floor).

use std::collections::{BTreeMap, BTreeSet, HashSet};

use queuetop::demo::roster::{AGENTS, QUEUES};
use queuetop::demo::{Sim, WARM_UP, encode};
use queuetop_engine::floor::{DisplayState, Floor, Settings, WindowKind};
use queuetop_engine::protocol::{Decoded, Event, EventKind, decode_frame};
use queuetop_engine::time::Ts;

const HOUR: i64 = 3_600_000;

fn start() -> Ts {
    Ts::parse_rfc3339("2026-11-23T08:30:00Z").unwrap()
}

fn lines(sim: &mut Sim, to: Ts) -> Vec<String> {
    sim.advance(to).iter().map(encode).collect()
}

/// Decodes one frame that must hold exactly one event.
fn decode_one(frame: &str) -> Event<'static> {
    let mut out = Vec::new();
    decode_frame(frame, |d| out.push(d));
    assert_eq!(out.len(), 1, "{frame}");
    match out.pop() {
        Some(Decoded::Event(ev)) => ev.into_owned(),
        other => panic!("not an event: {other:?} from {frame}"),
    }
}

#[test]
fn the_first_events_of_seed_7() {
    let mut sim = Sim::new(7, start(), 1.0);
    let mut out = Vec::new();
    let mut t = start();
    while out.len() < 150 {
        t = t.plus(60_000);
        out.extend(lines(&mut sim, t));
    }
    out.truncate(150);
    insta::assert_snapshot!(out.join("\n"));
}

#[test]
fn same_seed_same_events_other_seed_other_events() {
    let end = start().plus(2 * HOUR);
    let run = |seed| {
        let mut sim = Sim::new(seed, start(), 1.0);
        // Uneven steps: how time is cut must not change what happens.
        let mut out = Vec::new();
        let mut t = start();
        let mut step = 1;
        while t < end {
            t = t.plus(step).min(end);
            step = step * 7 % 90_001 + 1;
            out.extend(lines(&mut sim, t));
        }
        out
    };
    let one_go = |seed| lines(&mut Sim::new(seed, start(), 1.0), end);
    let same = |a: &[String], b: &[String]| {
        assert_eq!(a.len(), b.len());
        if let Some(i) = (0..a.len()).find(|&i| a[i] != b[i]) {
            panic!("event {i} differs:\n{}\n{}", a[i], b[i]);
        }
    };
    let a = run(42);
    assert!(a.len() > 1000, "only {} events in two hours", a.len());
    same(&a, &run(42));
    same(&a, &one_go(42));
    let other = run(43);
    assert!(a != other, "seeds 42 and 43 gave the same events");
}

#[test]
fn the_same_seed_plays_the_same_day_from_any_start() {
    let later = start().plus(86_400_000 + 12_345);
    let a = Sim::new(5, start(), 1.0).advance(start().plus(HOUR));
    let b = Sim::new(5, later, 1.0).advance(later.plus(HOUR));
    assert_eq!(a.len(), b.len());
    for (x, y) in a.iter().zip(&b) {
        assert_eq!(y.ts, x.ts.plus(86_400_000 + 12_345));
        assert_eq!((&x.seq, &x.kind), (&y.seq, &y.kind));
    }
}

/// What a long run looked like, event by event, through the real floor.
#[derive(Default)]
struct Seen {
    waiting_queues: BTreeSet<String>,
    display: BTreeSet<&'static str>,
    reasons: BTreeSet<String>,
    types: BTreeMap<&'static str, usize>,
    transfers: usize,
    repeat_contacts: usize,
    chat_at_three: bool,
    non_ascii_names: usize,
}

fn watch(floor: &Floor, seen: &mut Seen) {
    for q in floor.queue_views(WindowKind::Rolling) {
        if q.waiting > 0 {
            seen.waiting_queues.insert(q.id.to_string());
        }
    }
    let (_, total) = floor.agent_counts();
    for s in DisplayState::ALL {
        if total.get(s) > 0 {
            seen.display.insert(s.as_str());
        }
    }
}

fn long_run(seed: u64, rate: f64, hours: i64) -> (Floor, Seen) {
    let settings = Settings {
        window: hours * HOUR + HOUR,
        ..Settings::default()
    };
    let mut floor = Floor::new(settings);
    let mut sim = Sim::new(seed, start(), rate);
    let mut seen = Seen::default();
    let mut contacts = HashSet::new();
    let mut customers = HashSet::new();
    let mut last = (Ts(0), 0u64);
    let end = start().plus(hours * HOUR);
    let mut t = start();
    while t < end {
        t = t.plus(1_000);
        for ev in sim.advance(t) {
            let frame = encode(&ev);
            let decoded = decode_one(&frame);
            assert_eq!(decoded, ev, "the wire form decodes back to the event");
            let seq = ev.seq.expect("every streamed event has a seq");
            assert_eq!(seq, last.1 + 1, "seq without gaps");
            assert!(ev.ts >= last.0 && ev.ts <= t, "ts in order and not ahead");
            last = (ev.ts, seq);
            *seen.types.entry(ev.kind.type_name()).or_default() += 1;
            match &ev.kind {
                EventKind::Queued {
                    contact, customer, ..
                } => {
                    if !contacts.insert(contact.to_string()) {
                        seen.transfers += 1;
                    } else if let Some(c) = customer
                        && !customers.insert(c.to_string())
                    {
                        seen.repeat_contacts += 1;
                    }
                }
                EventKind::AgentState {
                    reason: Some(r), ..
                } => {
                    seen.reasons.insert(r.to_string());
                }
                EventKind::AgentState { name: Some(n), .. } if !n.is_ascii() => {
                    seen.non_ascii_names += 1;
                }
                _ => {}
            }
            floor.advance(ev.ts);
            floor.apply(&decoded);
            watch(&floor, &mut seen);
        }
        floor.advance(t);
        if let Some(chat) = floor.queue_index("chat") {
            let most = floor
                .agents_of(chat)
                .map(|a| floor.agent_view(a, WindowKind::Rolling).contacts.len())
                .max()
                .unwrap_or(0);
            assert!(most <= 3, "an agent holds {most} chats");
            seen.chat_at_three |= most == 3;
        }
    }
    (floor, seen)
}

#[test]
fn four_hours_through_the_floor_model() {
    let (floor, seen) = long_run(11, 1.0, 4);
    let counts = floor.counts();
    assert_eq!(counts.rejected, 0);
    assert_eq!(counts.ignored, 0, "an event the floor found pointless");
    assert_eq!(counts.unknown, 0);
    assert_eq!(
        (counts.gaps, counts.duplicates, counts.over_limit),
        (0, 0, 0)
    );

    let all_queues: BTreeSet<String> = QUEUES.iter().map(|q| q.id.to_string()).collect();
    assert_eq!(seen.waiting_queues, all_queues, "every queue had a wait");
    let all_states: BTreeSet<&str> = DisplayState::ALL.iter().map(|s| s.as_str()).collect();
    assert_eq!(seen.display, all_states, "every agent state was shown");
    for r in ["lunch", "training", "break"] {
        assert!(seen.reasons.contains(r), "no one went away for {r}");
    }
    for t in [
        "contact.queued",
        "contact.answered",
        "contact.first_response",
        "contact.abandoned",
        "contact.hold",
        "contact.resumed",
        "contact.ended",
        "contact.message",
        "contact.survey",
        "agent.state",
        "queue.info",
        "heartbeat",
    ] {
        assert!(seen.types.get(t).copied().unwrap_or(0) > 0, "no {t}");
    }
    assert!(seen.transfers > 0, "no transfers");
    assert!(seen.repeat_contacts > 0, "no repeat customers");
    assert!(seen.chat_at_three, "no agent ever held three chats");
    assert!(seen.non_ascii_names >= 2, "names are all ASCII");
    // Heartbeats every 5 s.
    assert_eq!(seen.types["heartbeat"] as i64, 4 * HOUR / 5_000);

    let (_, agents) = floor.agent_counts();
    let total = floor.totals(WindowKind::Rolling, agents);
    let f = &total.figures;
    assert!(f.entered > 500, "entered {}", f.entered);
    assert!(f.abandoned > 0);
    let abandon_rate = f.abandon_rate.unwrap();
    assert!(
        (0.5..25.0).contains(&abandon_rate),
        "abandon rate {abandon_rate}"
    );
    let sl = f.service_level.unwrap();
    assert!(
        (0.0..=100.0).contains(&sl) && sl > 40.0,
        "service level {sl}"
    );
    let asa = f.asa.unwrap();
    assert!(asa > 0.0 && asa < 300_000.0, "ASA {asa} ms");
    assert!(f.avg_hold.unwrap() > 0.0);
    assert!(f.aht.unwrap() > f.att.unwrap());
    assert!(f.frt.count > 0);
    // Conversations go on after the first reply, surveys come in.
    assert!(f.art.count > f.frt.count, "ART {:?} FRT {:?}", f.art, f.frt);
    assert!(f.resolution.is_some_and(|r| r > 0.0));
    assert!(f.max_wait.unwrap() >= f.avg_wait.unwrap());
    let csat = f.csat_pct.unwrap();
    assert!((0.0..=100.0).contains(&csat), "CSAT {csat}");
    let nps = f.nps.unwrap();
    assert!((-100.0..=100.0).contains(&nps), "NPS {nps}");
    let occ = f.occupancy.unwrap().pct();
    assert!(occ > 10.0 && occ < 100.0, "occupancy {occ}");
    let fcr = f.fcr.unwrap();
    assert!((40.0..100.0).contains(&fcr), "FCR {fcr}");
    for q in floor.queue_views(WindowKind::Rolling) {
        let fig = &q.figures;
        assert!(fig.answered > 0, "{} answered nothing", q.id);
        if let Some(sl) = fig.service_level {
            assert!((0.0..=100.0).contains(&sl));
        }
        if q.id == "chat" || q.id == "email" {
            assert!(fig.frt.count > 0, "no first responses in {}", q.id);
        }
        eprintln!(
            "{:8} entered {:4} answered {:4} abandoned {:3} asa {:6.1}s sl {:5.1}% aht {:6.1}s fcr {:?} waiting {}",
            q.id,
            fig.entered,
            fig.answered,
            fig.abandoned,
            fig.asa.unwrap_or(0.0) / 1000.0,
            fig.service_level.unwrap_or(0.0),
            fig.aht.unwrap_or(0.0) / 1000.0,
            fig.fcr.map(|x| x.round()),
            q.waiting,
        );
    }
    assert_eq!(floor.agent_ids().count(), AGENTS.len());
}

#[test]
fn the_snapshot_rebuilds_the_floor_that_followed_the_stream() {
    let mut sim = Sim::new(3, start(), 1.5);
    let mut followed = Floor::new(Settings::default());
    let mut checked = 0;
    for step in 1..=12 {
        let t = start().plus(step * 20 * 60_000 + step * 777);
        for ev in sim.advance(t) {
            followed.advance(ev.ts);
            followed.apply(&decode_one(&encode(&ev)));
        }
        followed.advance(t);

        let snap = sim.snapshot_event();
        assert_eq!(snap.ts, t);
        assert_eq!(snap.seq, None);
        let frame = encode(&snap);
        let decoded = decode_one(&frame);
        assert_eq!(decoded, snap);
        let mut fresh = Floor::new(Settings::default());
        fresh.advance(t);
        fresh.apply(&decoded);
        assert_eq!(fresh.counts().rejected + fresh.counts().ignored, 0);
        checked += compare(&followed, &fresh);
    }
    assert!(checked > 100, "compared only {checked} facts");
}

/// Asserts the live state of two floors is the same; returns how many
/// facts were compared.
fn compare(a: &Floor, b: &Floor) -> usize {
    let mut facts = 0;
    for qa in a.queue_views(WindowKind::Rolling) {
        let qi = b.queue_index(qa.id).expect("queue in the snapshot");
        let wa: Vec<_> = a
            .waiting_in(a.queue_index(qa.id).unwrap())
            .iter()
            .map(|w| (w.id.to_string(), w.since, w.channel.to_string()))
            .collect();
        let wb: Vec<_> = b
            .waiting_in(qi)
            .iter()
            .map(|w| (w.id.to_string(), w.since, w.channel.to_string()))
            .collect();
        assert_eq!(wa, wb, "waiting in {}", qa.id);
        assert_eq!(
            qa.label(),
            b.queue_view(qi, WindowKind::Rolling, b.agent_counts().0)
                .label()
        );
        facts += 1 + wa.len();
    }
    assert_eq!(a.agent_counts(), b.agent_counts());
    let mut on_contact = 0;
    for ia in a.agent_ids() {
        let va = a.agent_view(ia, WindowKind::Rolling);
        let ib = b.agent_index(va.id).expect("agent in the snapshot");
        let vb = b.agent_view(ib, WindowKind::Rolling);
        assert_eq!(
            (va.name, va.state, va.reason),
            (vb.name, vb.state, vb.reason),
            "{}",
            va.id
        );
        assert_eq!(va.queues, vb.queues);
        let contacts = |v: &queuetop_engine::floor::AgentView<'_>| {
            v.contacts
                .iter()
                .map(|c| (c.id.to_string(), c.queue.map(str::to_string), c.on_hold))
                .collect::<Vec<_>>()
        };
        assert_eq!(contacts(&va), contacts(&vb), "contacts of {}", va.id);
        if va.state == DisplayState::OnContact {
            on_contact += 1;
            // Talk time restarts only where a snapshot cannot know the
            // hold time already spent.
            for (ca, cb) in va.contacts.iter().zip(&vb.contacts) {
                if !ca.on_hold {
                    assert!(cb.talk >= ca.talk, "talk of {}", ca.id);
                }
            }
        } else {
            assert_eq!(
                va.state_for, vb.state_for,
                "how long {} has been {:?}",
                va.id, va.state
            );
        }
        facts += 1;
    }
    assert!(on_contact > 0, "nobody on contact: a dull floor");
    facts
}

#[test]
fn warm_up_is_busy_and_never_ahead_of_now() {
    let now = Ts::parse_rfc3339("2026-11-23T14:07:31.500Z").unwrap();
    let mut sim = Sim::warmed_up(9, now, 1.0);
    assert_eq!(sim.now(), now);
    let warmed = sim.last_seq();
    assert!(warmed > 200, "a quiet warm-up: {warmed}");
    let EventKind::Snapshot(snap) = sim.snapshot_event().kind else {
        panic!("not a snapshot");
    };
    let busy = snap
        .agents
        .iter()
        .filter(|a| !a.contacts.is_empty())
        .count();
    assert!(busy >= 10, "only {busy} agents on contact after warm-up");
    assert!(snap.agents.iter().all(|a| a.since <= now));
    assert!(
        snap.queues
            .iter()
            .flat_map(|q| &q.waiting)
            .all(|w| w.since <= now)
    );
    // Nothing left over from the warm-up comes out stamped before now.
    let next = sim.advance(now.plus(60_000));
    assert!(!next.is_empty());
    assert!(next.iter().all(|e| e.ts > now && e.ts <= now.plus(60_000)));
    assert_eq!(next[0].seq, Some(warmed + 1));
    // And the warm-up itself was the half hour before now.
    let warm = Sim::new(9, now.minus(WARM_UP), 1.0).advance(now);
    assert_eq!(warm.len() as u64, warmed);
    assert!(
        warm.iter()
            .all(|e| e.ts >= now.minus(WARM_UP) && e.ts <= now)
    );
}

#[test]
fn rate_scales_the_traffic() {
    let queued = |rate| {
        Sim::new(21, start(), rate)
            .advance(start().plus(2 * HOUR))
            .iter()
            .filter(|e| matches!(e.kind, EventKind::Queued { .. }))
            .count()
    };
    let (half, one, two) = (queued(0.5), queued(1.0), queued(2.0));
    assert!(half * 3 < one * 2, "rate 0.5: {half}, rate 1: {one}");
    assert!(one * 3 < two * 2, "rate 1: {one}, rate 2: {two}");
    assert_eq!(queued(0.0), 0);
}

#[test]
fn many_seeds_and_rates_stay_consistent() {
    for (seed, rate, hours) in [
        (0, 0.5, 2),
        (1, 1.0, 2),
        (2, 3.0, 2),
        (3, 10.0, 1),
        (4, 100.0, 1),
        (u64::MAX, 1.0, 2),
    ] {
        let mut floor = Floor::new(Settings::default());
        let mut sim = Sim::new(seed, start(), rate);
        let end = start().plus(hours * HOUR);
        let mut t = start();
        let mut most_waiting = 0;
        while t < end {
            t = t.plus(10_000);
            for ev in sim.advance(t) {
                floor.advance(ev.ts);
                floor.apply(&ev);
            }
            floor.advance(t);
            for q in floor.queue_views(WindowKind::Rolling) {
                most_waiting = most_waiting.max(q.waiting);
            }
        }
        let c = floor.counts();
        assert_eq!(
            (c.rejected, c.ignored, c.gaps, c.over_limit),
            (0, 0, 0, 0),
            "seed {seed} rate {rate}"
        );
        // Full queues refuse new contacts (a transfer may still come in).
        assert!(
            most_waiting <= 210,
            "seed {seed} rate {rate}: {most_waiting} waiting"
        );
    }
}

#[test]
fn the_snapshot_stays_small_when_every_queue_is_full() {
    let mut sim = Sim::new(6, start(), 100.0);
    sim.advance(start().plus(HOUR));
    let frame = encode(&sim.snapshot_event());
    let EventKind::Snapshot(snap) = decode_one(&frame).kind else {
        panic!("not a snapshot");
    };
    let waiting: usize = snap.queues.iter().map(|q| q.waiting.len()).sum();
    assert!(waiting > 500, "the floor is not flooded: {waiting} waiting");
    // Well under the client's default 1 MiB frame limit.
    assert!(frame.len() < 256 * 1024, "{} bytes", frame.len());
}
