//! A replay as a live source: frames from a file, applied as the file's own
//! clock says, scaled by the speed (docs/protocol.md, Time).
//!
//! Each frame is decoded once (a dialect may keep state between frames and
//! must never see a frame twice); its events are kept, owned, until virtual
//! time reaches their `ts`, then applied. Between events the floor's clock
//! moves with virtual time, so timers tick; at the end of the file it stays
//! at the last event's time and the link says ended. The view can pause
//! it, change its speed and step it through the monitor's pace
//! (`Monitor::replay_due`), which this task alone applies, on its clock.

use std::io::BufRead;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::time::Instant;

use queuetop_engine::health::LinkState;
use queuetop_engine::monitor::{Monitor, lock};
use queuetop_engine::pace::Due;
use queuetop_engine::protocol::{Decoded, RejectKind};
use queuetop_engine::replay::{Line, LineReader, Progress, apply_lines};
use queuetop_engine::time::Ts;

/// How often the floor's clock is moved on while waiting for an event.
const TICK: Duration = Duration::from_millis(200);
/// At `max` speed, frames applied per lock, so the screen gets its turn.
const MAX_BATCH: usize = 512;

/// Maps wall time to virtual time: `origin_ts` at `origin`, `speed` times
/// faster after (a relay's replay; the view's paced replay uses a `Pace`,
/// which it can pause and step).
#[derive(Clone, Copy, Debug)]
pub struct Pacer {
    origin: Instant,
    origin_ts: Ts,
    speed: f64,
}

impl Pacer {
    pub fn new(origin: Instant, origin_ts: Ts, speed: f64) -> Self {
        Pacer {
            origin,
            origin_ts,
            speed,
        }
    }

    /// Virtual now at `at`.
    pub fn virtual_at(&self, at: Instant) -> Ts {
        let elapsed = at.saturating_duration_since(self.origin).as_secs_f64() * 1000.0;
        self.origin_ts.plus((elapsed * self.speed) as i64)
    }

    /// When virtual time reaches `ts`.
    pub fn due(&self, ts: Ts) -> Instant {
        let ahead = ts.since(self.origin_ts) as f64 / self.speed;
        // Far future times (a file spanning years at speed 1) saturate.
        let ahead = Duration::from_secs_f64((ahead / 1000.0).min(1e9));
        self.origin + ahead
    }
}

/// Plays `input` into the monitor. `speed` is a factor, or `None` for `max`
/// (everything at once, in batches). Ends with the link `Ended`; only a read
/// error stops it early.
pub async fn play(
    monitor: Arc<Mutex<Monitor>>,
    input: impl BufRead,
    speed: Option<f64>,
    max_line: usize,
) -> Result<(), String> {
    let mut lines = LineReader::new(input, max_line);
    lock(&monitor).set_link(LinkState::Connected);
    let result = match speed {
        None => play_max(&monitor, &mut lines).await,
        Some(s) => play_paced(&monitor, &mut lines, s).await,
    };
    let mut m = lock(&monitor);
    m.floor.settle();
    m.set_link(LinkState::Ended);
    if let Err(e) = &result {
        tracing::error!("replay stopped: {e}");
    }
    result
}

fn next<R: BufRead>(lines: &mut LineReader<R>) -> Result<Option<Line>, String> {
    lines
        .next_line()
        .map_err(|e| format!("line {}: {e}", lines.line_no + 1))
}

async fn play_max<R: BufRead>(
    monitor: &Mutex<Monitor>,
    lines: &mut LineReader<R>,
) -> Result<(), String> {
    while apply_lines(&mut lock(monitor), lines, MAX_BATCH)? == Progress::More {
        tokio::task::yield_now().await;
    }
    Ok(())
}

async fn play_paced<R: BufRead>(
    monitor: &Mutex<Monitor>,
    lines: &mut LineReader<R>,
    speed: f64,
) -> Result<(), String> {
    // The view pauses, speeds up and steps the replay through the pace
    // in the monitor; our clock is milliseconds since the start.
    let start = Instant::now();
    let local = || start.elapsed().as_millis() as i64;
    lock(monitor).pace_replay(speed);
    while let Some(line) = next(lines)? {
        let text = match line {
            Line::Frame(t) => t,
            Line::TooLong | Line::NotUtf8 => {
                let why = if line == Line::TooLong {
                    RejectKind::TooLarge
                } else {
                    RejectKind::NotUtf8
                };
                let mut m = lock(monitor);
                let now = m.floor.now();
                m.refused(why, now);
                continue;
            }
        };
        // A mark comes after the events before it, which are applied by
        // now: it sees the figures they left, as it did when it was made.
        if let Some(mark) = queuetop_engine::mark::Mark::from_line(&text) {
            lock(monitor).mark(mark);
            continue;
        }
        // Decode once, under the lock (the dialect lives in the monitor).
        let items: Vec<Decoded<'static>> = {
            let mut m = lock(monitor);
            let received = m.floor.now();
            let mut items = Vec::new();
            m.dialect_mut()
                .decode(&text, received, &mut |d| items.push(d.into_owned()));
            items
        };
        for d in items {
            if let Decoded::Event(ev) = &d {
                loop {
                    let wait = match lock(monitor).replay_due(local(), ev.ts) {
                        None | Some(Due::Now) => break,
                        Some(Due::In(ms)) => Duration::from_millis(ms as u64).min(TICK),
                        Some(Due::Paused) => TICK,
                    };
                    tokio::time::sleep(wait).await;
                }
            }
            lock(monitor).replay_decoded(&d);
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use queuetop_engine::floor::Floor;
    use queuetop_engine::monitor::{SourceInfo, SourceKind};
    use queuetop_engine::pace::Ask;

    fn monitor() -> Arc<Mutex<Monitor>> {
        Arc::new(Mutex::new(Monitor::new(
            Floor::new(Default::default()),
            SourceInfo {
                kind: SourceKind::Replay,
                target: "t".into(),
            },
            queuetop_engine::dialect::DialectKind::Native.make(),
        )))
    }

    const FEED: &str = concat!(
        r#"{"type":"agent.state","ts":1000000,"agent_id":"a1","state":"available"}"#,
        "\n",
        r#"{"type":"contact.queued","ts":1010000,"contact_id":"c1","queue":"q"}"#,
        "\n",
        r#"{"type":"contact.answered","ts":1030000,"contact_id":"c1","agent_id":"a1"}"#,
        "\n"
    );

    #[test]
    fn pacer_scales_time() {
        let t0 = Instant::now();
        let p = Pacer::new(t0, Ts(1_000_000), 10.0);
        assert_eq!(p.virtual_at(t0 + Duration::from_secs(2)), Ts(1_020_000));
        assert_eq!(p.due(Ts(1_030_000)), t0 + Duration::from_secs(3));
        assert_eq!(p.due(Ts(0)), t0, "the past is due now");
    }

    #[tokio::test(start_paused = true)]
    async fn events_apply_when_virtual_time_reaches_them() {
        let m = monitor();
        let task = tokio::spawn(play(m.clone(), FEED.as_bytes(), Some(10.0), 1 << 20));
        tokio::time::sleep(Duration::from_millis(500)).await;
        {
            let g = lock(&m);
            assert_eq!(g.floor.counts().events, 1, "only the first event is due");
            // The floor's clock follows virtual time, one tick (200 ms) behind at most.
            let now = g.floor.now();
            assert!(
                (Ts(1_003_000)..=Ts(1_005_000)).contains(&now),
                "timers tick with virtual time: {now:?}"
            );
            assert_eq!(*g.link(), LinkState::Connected);
        }
        tokio::time::sleep(Duration::from_millis(1_000)).await;
        assert_eq!(lock(&m).floor.counts().events, 2);
        task.await.unwrap().unwrap();
        let g = lock(&m);
        assert_eq!(g.floor.counts().events, 3);
        assert_eq!(*g.link(), LinkState::Ended);
        assert_eq!(g.floor.now(), Ts(1_030_000), "stops at the last event");
    }

    #[tokio::test(start_paused = true)]
    async fn the_view_pauses_steps_and_speeds_the_replay() {
        let m = monitor();
        let task = tokio::spawn(play(m.clone(), FEED.as_bytes(), Some(10.0), 1 << 20));
        let ask = |a| assert!(lock(&m).ask_replay(a), "paced");
        tokio::time::sleep(Duration::from_millis(100)).await;
        assert_eq!(lock(&m).floor.counts().events, 1);
        ask(Ask::PlayPause);
        // Applied at the replay task's next look, a tick at most.
        tokio::time::sleep(Duration::from_millis(300)).await;
        let stood = lock(&m).floor.now();
        assert!(stood <= Ts(1_004_000), "{stood:?}");
        tokio::time::sleep(Duration::from_secs(30)).await;
        {
            let g = lock(&m);
            assert_eq!(g.floor.counts().events, 1, "paused: nothing more applies");
            assert_eq!(g.floor.now(), stood, "the clock stood still");
            assert!(g.pace().is_some_and(|p| p.paused()));
        }
        // One event on: exactly the next, the clock at its time.
        ask(Ask::NextEvent);
        tokio::time::sleep(Duration::from_millis(500)).await;
        {
            let g = lock(&m);
            assert_eq!(g.floor.counts().events, 2);
            assert_eq!(g.floor.now(), Ts(1_010_000));
        }
        tokio::time::sleep(Duration::from_secs(30)).await;
        assert_eq!(
            lock(&m).floor.counts().events,
            2,
            "still paused after a step"
        );
        // Twice as fast, playing: the last event, 20 s on, in about 1 s.
        ask(Ask::Faster);
        ask(Ask::PlayPause);
        tokio::time::sleep(Duration::from_millis(700)).await;
        assert_eq!(lock(&m).floor.counts().events, 2);
        tokio::time::sleep(Duration::from_millis(700)).await;
        assert_eq!(lock(&m).floor.counts().events, 3);
        assert_eq!(lock(&m).pace().map(|p| p.speed()), Some(20.0));
        task.await.unwrap().unwrap();
    }

    #[tokio::test(start_paused = true)]
    async fn a_skip_applies_what_it_passes_at_once() {
        let m = monitor();
        let task = tokio::spawn(play(m.clone(), FEED.as_bytes(), Some(1.0), 1 << 20));
        tokio::time::sleep(Duration::from_millis(100)).await;
        assert_eq!(lock(&m).floor.counts().events, 1);
        assert!(lock(&m).ask_replay(Ask::Skip(60_000)), "paced");
        // At speed 1 the other two are 10 s and 30 s away: a tick, not 30 s.
        tokio::time::sleep(Duration::from_millis(300)).await;
        assert_eq!(lock(&m).floor.counts().events, 3);
        task.await.unwrap().unwrap();
    }

    #[tokio::test(start_paused = true)]
    async fn max_speed_applies_everything() {
        let m = monitor();
        play(m.clone(), FEED.as_bytes(), None, 1 << 20)
            .await
            .unwrap();
        let g = lock(&m);
        assert_eq!(g.floor.counts().events, 3);
        assert_eq!(g.floor.now(), Ts(1_030_000));
        assert_eq!(*g.link(), LinkState::Ended);
    }
}
