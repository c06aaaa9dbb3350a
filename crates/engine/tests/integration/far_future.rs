//! A feed whose events carry absurd times (docs/protocol.md, "Time"): an
//! event stamped more than a day ahead of both the feed's own established
//! time and our clock is refused and does not move the clock, while a
//! platform whose clock is hours off from ours, a lone event stamped an
//! hour ahead, a feed that went quiet for days, and a feed whose first
//! event was stamped long ago all keep working. A time from 2100 on is
//! refused outright, first event and replays included.

use queuetop_engine::dialect::DialectKind;
use queuetop_engine::floor::{Floor, Settings};
use queuetop_engine::monitor::{Monitor, SourceInfo, SourceKind};
use queuetop_engine::time::Ts;

/// Our (the jump host's) wall clock at the start: 2026-11-23T09:00:00Z.
const LOCAL0: i64 = 1_795_424_400_000;
/// The platform's clock is three hours behind ours.
const BEHIND: i64 = 3 * 3_600_000;
/// 9999-01-01T00:00:00Z: absurd for a feed, refused by the decoder.
const Y9999: i64 = 253_370_764_800_000;
const HOUR: i64 = 3_600_000;
/// Forty days past our clock: a time the decoder takes, which only the
/// rule for events far ahead can refuse.
const FAR: i64 = LOCAL0 + 40 * 24 * HOUR;

fn monitor() -> Monitor {
    let source = SourceInfo {
        kind: SourceKind::Url,
        target: "wss://feed.example".into(),
    };
    Monitor::new(
        Floor::new(Settings::default()),
        source,
        DialectKind::Native.make(),
    )
}

fn heartbeat(ts: i64) -> String {
    format!(r#"{{"type":"heartbeat","ts":{ts}}}"#)
}

/// A heartbeat at each of `seconds` after our start, stamped by the
/// platform's clock (behind ours). Returns our clock at the last one.
fn heartbeats_each_second(m: &mut Monitor, seconds: std::ops::RangeInclusive<i64>) -> i64 {
    let mut local = LOCAL0;
    for s in seconds {
        local = LOCAL0 + s * 1000;
        m.live_frame(&heartbeat(local - BEHIND), Ts(local));
    }
    local
}

/// Feeds a contact's queueing, then a minute of normal heartbeats, each
/// second followed by one stamped forty days ahead. Returns our clock at the end.
fn a_minute_of_interleaved_absurd_heartbeats(m: &mut Monitor) -> i64 {
    let queued = LOCAL0 - BEHIND - 40;
    m.live_frame(
        &format!(
            r#"{{"type":"contact.queued","ts":{queued},"contact_id":"c1","queue":"billing"}}"#
        ),
        Ts(LOCAL0),
    );
    let mut local = LOCAL0;
    for s in 1..=60 {
        local = LOCAL0 + s * 1000;
        m.live_frame(&heartbeat(local - BEHIND - 40), Ts(local));
        m.live_frame(&heartbeat(FAR + s), Ts(local + 10));
    }
    local
}

#[test]
fn a_stream_of_far_future_times_does_not_take_the_clock() {
    let mut m = monitor();
    let local = a_minute_of_interleaved_absurd_heartbeats(&mut m);
    let feed_now = local - BEHIND - 40;
    assert_eq!(
        m.floor.now(),
        Ts(feed_now),
        "the floor keeps the platform's time ({} ms off)",
        m.floor.now().0 - feed_now
    );
    assert_eq!(m.clock().offset(), BEHIND + 40);
    let c = m.floor.counts();
    assert_eq!(c.rejected, 60, "every heartbeat forty days ahead: {c:?}");
    assert_eq!(c.events, 61, "the queueing and the normal heartbeats");
    // The caller has waited the minute it has, by the platform's clock.
    assert_eq!(m.floor.live_contacts(), 1);
    assert_eq!(m.floor.latest_event(), Some(Ts(feed_now)));
}

#[test]
fn a_platform_hours_off_and_a_lone_hour_ahead_are_believed() {
    let mut m = monitor();
    for s in 0..20 {
        let local = LOCAL0 + s * 1000;
        m.live_frame(&heartbeat(local - BEHIND), Ts(local));
    }
    // One event an hour ahead of the feed: believed (applied, not refused),
    // but set aside by the clock's estimate as before.
    let local = LOCAL0 + 20_000;
    m.live_frame(&heartbeat(local - BEHIND + HOUR), Ts(local));
    let c = m.floor.counts();
    assert_eq!((c.events, c.rejected), (21, 0), "{c:?}");
    assert_eq!(m.clock().offset(), BEHIND);
    // 23 hours ahead is still within a day of the feed's time.
    m.live_frame(&heartbeat(local - BEHIND + 23 * HOUR), Ts(local));
    assert_eq!(m.floor.counts().rejected, 0);
}

#[test]
fn a_feed_quiet_for_days_is_followed_when_it_speaks_again() {
    let mut m = monitor();
    heartbeats_each_second(&mut m, 0..=4);
    // A weekend without a word, then events again at the feed's true time:
    // more than a day after the last one, but not ahead of the feed's clock
    // as it has ticked meanwhile.
    let local = LOCAL0 + 60 * HOUR;
    m.live_frame(&heartbeat(local - BEHIND), Ts(local));
    let c = m.floor.counts();
    assert_eq!((c.events, c.rejected), (6, 0), "{c:?}");
    assert_eq!(m.floor.now(), Ts(local - BEHIND));
}

#[test]
fn our_clock_set_back_by_days_does_not_make_the_feed_too_far_ahead() {
    let mut m = monitor();
    heartbeats_each_second(&mut m, 0..=4);
    // The jump host's clock is corrected two days back while we run: the
    // feed's next events are judged against the time the floor already
    // has, not against our clock.
    let local = LOCAL0 - 48 * HOUR + 6_000;
    m.live_frame(&heartbeat(LOCAL0 + 6_000 - BEHIND), Ts(local));
    assert_eq!(m.floor.counts().rejected, 0);
    assert_eq!(m.floor.latest_event(), Some(Ts(LOCAL0 + 6_000 - BEHIND)));
}

#[test]
fn the_first_event_sets_the_time_whatever_our_clock_says() {
    // Nothing to judge the first event by but our clock, which may be
    // wrong: it is believed, even three years from ours.
    let mut m = monitor();
    m.live_frame(&heartbeat(LOCAL0 + 3 * 365 * 24 * HOUR), Ts(LOCAL0));
    let c = m.floor.counts();
    assert_eq!((c.events, c.rejected), (1, 0), "{c:?}");
}

#[test]
fn an_absurd_first_event_is_refused_and_the_real_ones_are_followed() {
    // The very first event, stamped in the year 9999: with nothing yet to
    // judge it by it would set the floor's clock for good (it never goes
    // back). A time from 2100 on is refused by the decoder, live or not.
    let mut m = monitor();
    m.live_frame(&heartbeat(Y9999), Ts(LOCAL0));
    let local = heartbeats_each_second(&mut m, 1..=10);
    let c = m.floor.counts();
    assert_eq!((c.events, c.rejected), (10, 1), "{c:?}");
    assert_eq!(m.floor.now(), Ts(local - BEHIND));
}

#[test]
fn a_replay_refuses_a_time_from_2100_on_and_keeps_its_clock() {
    let mut m = monitor();
    m.replay_frame(&heartbeat(LOCAL0));
    m.replay_frame(&heartbeat(Y9999));
    m.replay_frame(&heartbeat(LOCAL0 + 5_000));
    assert_eq!(m.floor.now(), Ts(LOCAL0 + 5_000));
    assert_eq!(m.floor.counts().rejected, 1);
}

#[test]
fn a_replayed_mark_from_2100_on_does_not_move_the_clock() {
    // A mark moves a replay's clock to its time: one in the year 9999
    // would have set it for good.
    let mut m = monitor();
    let lines = [
        heartbeat(LOCAL0),
        r#"{"type":"queuetop.mark","ts":"9999-01-01T00:00:00Z","note":"x"}"#.to_string(),
        heartbeat(LOCAL0 + 5_000),
    ]
    .join("\n");
    queuetop_engine::replay::apply_all(&mut m, lines.as_bytes(), 1 << 20).expect("replays");
    assert_eq!(m.floor.now(), Ts(LOCAL0 + 5_000));
}

#[test]
fn a_replay_takes_its_times_as_they_are() {
    // Replay is untouched: `now` is the latest event time.
    let mut m = monitor();
    m.replay_frame(&heartbeat(LOCAL0));
    m.replay_frame(&heartbeat(LOCAL0 + 48 * HOUR));
    assert_eq!(m.floor.now(), Ts(LOCAL0 + 48 * HOUR));
    assert_eq!(m.floor.counts().rejected, 0);
}

#[test]
fn a_site_is_held_to_the_same_rule() {
    let mut m = monitor();
    let site = m.add_site(
        queuetop_engine::site::SiteName::new("paris").unwrap(),
        SourceInfo::new(SourceKind::Url, "wss://paris.example/feed"),
        DialectKind::Native.make(),
    );
    let mut local = LOCAL0;
    for s in 0..60 {
        local = LOCAL0 + s * 1000;
        m.site_live_frame(site, &heartbeat(local - BEHIND), Ts(local));
        m.site_live_frame(site, &heartbeat(FAR + s), Ts(local + 10));
    }
    assert_eq!(m.floor.now(), Ts(local - BEHIND));
    let s = &m.sites()[site];
    assert_eq!((s.counts.events, s.counts.rejected), (60, 60));
    assert_eq!(m.floor.counts().rejected, 60);
}

#[test]
fn a_first_event_stamped_long_ago_does_not_shut_out_the_feed() {
    let mut m = monitor();
    // 2001-01-01, from a broken or hostile feed (or a stale buffered
    // event): the feed's time learnt from it is years behind its real
    // events, which are close to our clock and must still be applied.
    m.live_frame(&heartbeat(978_307_200_000), Ts(LOCAL0));
    let local = heartbeats_each_second(&mut m, 1..=60);
    let c = m.floor.counts();
    assert_eq!((c.events, c.rejected), (61, 0), "{c:?}");
    assert_eq!(m.floor.now(), Ts(local - BEHIND));
}
