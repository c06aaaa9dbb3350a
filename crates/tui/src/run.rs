//! The loop: input, a look at the monitor, and a frame when something
//! visible changed, at most `max_fps` times a second.
//!
//! The monitor is shared with the source task, which writes into it as
//! events arrive. The loop holds the lock only to look (generation, clock)
//! and to build the visible part of the scene; drawing to the terminal,
//! which may block on a slow SSH link, happens with the lock released, so
//! an event flood never stalls input and a stalled terminal never stalls
//! the feed.

use std::io::{self, Write};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use crossterm::event;
use ratatui::Terminal;
use ratatui::backend::{Backend, CrosstermBackend};
use ratatui::layout::Rect;

use crate::agent_order::AgentOrder;
use crate::build::{Context, build, prepare};
use crate::columns::{AgentCol, QueueCol};
use crate::input;
use crate::model::Scene;
use crate::rewind::SeekTo;
use crate::state::UiState;
use crate::theme::palette::Palette;
use crate::theme::{Theme, no_color_env};
use crate::watch::Watch;
use crate::widgets;
use queuetop_engine::config::DisplaySection;
use queuetop_engine::floor::{Floor, WindowKind};
use queuetop_engine::monitor::{Monitor, lock};
use queuetop_engine::pace::Ask;
use queuetop_engine::time::{Millis, Ts};

/// How the view looks and behaves: `[display]` with the flags winning.
#[derive(Clone, Debug)]
pub struct ViewOptions {
    pub theme: Theme,
    pub max_fps: u32,
    pub bell: bool,
    pub mouse: bool,
    pub stale_after: Millis,
    pub window: WindowKind,
    /// Live sources: the floor's timers follow our wall clock (corrected by
    /// the feed's offset). A replay drives the floor's time itself.
    pub wall_clock: bool,
    /// A replay's speed, for the header.
    pub speed: Option<String>,
    /// The start-up filter and sort.
    pub start: Start,
}

/// How the view starts: a filter and a sort, already checked (see
/// [`UiState::start_with_filter`] and [`UiState::start_with_sort`]).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Start {
    pub filter: Option<String>,
    pub sort: Option<String>,
    /// A view's columns, in order (checked: see [`crate::columns::parse_list`]).
    pub queue_columns: Option<Vec<QueueCol>>,
    pub agent_columns: Option<Vec<AgentCol>>,
    /// `[display] pin_alerts` (default on).
    pub pin_alerts: Option<bool>,
}

impl ViewOptions {
    /// `--no-color` / `--ascii` win over the config; `NO_COLOR` (any
    /// non-empty value) turns colour off too, whatever the theme.
    /// `[display] agent_state_colors` wins over the theme's.
    pub fn display(
        section: &DisplaySection,
        no_color_flag: bool,
        ascii_flag: bool,
        palette: &'static Palette,
    ) -> (Theme, u32, bool) {
        let color = !(no_color_flag || section.no_color.unwrap_or(false) || no_color_env());
        let ascii = ascii_flag || section.ascii.unwrap_or(false);
        let fps = section.max_fps.unwrap_or(20).clamp(1, 60);
        let theme = Theme::new(color, ascii).with_palette(palette);
        let theme = match section.agent_state_colors {
            Some(on) => theme.with_agent_state_colors(on),
            None => theme,
        };
        (theme, fps, section.bell.unwrap_or(false))
    }
}

pub fn wall_ms() -> Ts {
    let ms = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_millis() as i64)
        .unwrap_or(0);
    Ts(ms)
}

/// Draws a scene on any backend (the loop, the tests and the benchmarks).
pub fn draw<B: Backend>(
    terminal: &mut Terminal<B>,
    scene: &Scene,
    theme: Theme,
) -> Result<(), B::Error> {
    terminal.draw(|f| widgets::render(scene, theme, f.buffer_mut()))?;
    Ok(())
}

/// The view's state between frames.
pub struct View {
    pub state: UiState,
    pub watch: Watch,
    /// The agents table's order, kept from frame to frame.
    agent_order: AgentOrder,
    last_scene: Option<Scene>,
    last_generation: Option<u64>,
    last_feed_second: i64,
    last_wall_second: i64,
    /// The floor at the instant shown while rewound, sought once per
    /// instant (a seek replays up to a segment of the history).
    rewound: Option<(Ts, Floor)>,
    /// No rules: the levels of a rewound floor's cells. The live rules'
    /// levels are now's, and marking an earlier instant's figures with
    /// them would mislead; the log and the header's alerts stay live.
    no_alerts: queuetop_engine::alert::Engine,
}

impl View {
    /// Applies the start-up filter and sort. They were checked when the
    /// command line was read; one that fails here is left out.
    pub fn start(&mut self, start: &Start) {
        if let Some(f) = &start.filter {
            let _ = self.state.start_with_filter(f);
        }
        if let Some(s) = &start.sort {
            let _ = self.state.start_with_sort(s);
        }
        if let Some(c) = &start.queue_columns {
            self.state.queue_columns = c.clone();
        }
        if let Some(c) = &start.agent_columns {
            self.state.agent_columns = c.clone();
        }
        if let Some(p) = start.pin_alerts {
            self.state.pin_alerts = p;
        }
    }

    pub fn new(window: WindowKind) -> Self {
        View {
            state: UiState::new(window),
            watch: Watch::default(),
            agent_order: AgentOrder::default(),
            last_scene: None,
            last_generation: None,
            last_feed_second: i64::MIN,
            last_wall_second: i64::MIN,
            rewound: None,
            no_alerts: queuetop_engine::alert::Engine::new(Default::default()),
        }
    }

    /// The scene last drawn: what is on screen (where a click landed).
    pub fn shown(&self) -> Option<&Scene> {
        self.last_scene.as_ref()
    }

    /// Looks at the monitor: moves live time on, feeds the watchers.
    /// Returns (something visible may have changed, ring the bell).
    pub fn look(&mut self, m: &mut Monitor, opts: &ViewOptions, local: Ts) -> (bool, bool) {
        if opts.wall_clock {
            m.tick(local);
        } else {
            // A replay's floor moves with its events; the rules still look
            // at each frame (the last second of a paused or ended replay).
            m.look_alerts(None);
        }
        self.pass_to_replay(m);
        let reach = crate::rewind::Reach {
            live: m.floor.now(),
            earliest: m.history().map(|h| h.earliest()),
            tz: &m.floor.settings().day_start.tz,
        };
        let rewound = self.state.rewind.resolve(&reach);
        if !self.state.rewind.is_rewound() {
            self.rewound = None;
        }
        let feed_second = m.floor.now().0.div_euclid(1000);
        // Header timers (last event, reconnect countdown) tick on our clock.
        let wall_second = if opts.wall_clock {
            local.0.div_euclid(1000)
        } else {
            0
        };
        let changed = rewound
            || self.last_generation != Some(m.generation())
            || feed_second != self.last_feed_second
            || wall_second != self.last_wall_second;
        if !changed {
            return (false, false);
        }
        self.last_generation = Some(m.generation());
        self.last_feed_second = feed_second;
        self.last_wall_second = wall_second;
        let bell = self.watch.observe(m);
        (true, bell)
    }

    /// Sets the mark asked for with `m`, if any, at the floor's now; returns
    /// its line for the recording.
    pub fn take_mark(&mut self, m: &mut Monitor) -> Option<String> {
        let note = self.state.pending_mark.take()?;
        let mark = queuetop_engine::mark::Mark::new(m.floor.now(), &note);
        let line = mark.to_line();
        m.mark(mark);
        Some(line)
    }

    /// Writes the screen last drawn, with the whole event log, to `dir` as
    /// text and Markdown, and says where in the log. Returns the text
    /// file's path.
    pub fn export_screen(
        &mut self,
        m: &Monitor,
        theme: Theme,
        dir: &std::path::Path,
    ) -> Result<std::path::PathBuf, String> {
        let now = m.floor.now();
        let tz = m.floor.settings().day_start.tz.clone();
        let result = match &self.last_scene {
            None => Err("nothing on screen yet".to_string()),
            Some(scene) => {
                let mut buf = ratatui::buffer::Buffer::empty(scene.plan.area);
                widgets::render(scene, theme, &mut buf);
                let rows = crate::export::screen_rows(&buf);
                let clock = |t: Ts| crate::clock::hms(t, &tz);
                let text = crate::export::text(&rows, &self.watch.log, &clock);
                let md = crate::export::markdown(&scene.header, &rows, &self.watch.log, &clock);
                let stamp = match jiff::Timestamp::from_millisecond(now.0) {
                    Ok(t) => t.to_zoned(tz.clone()).strftime("%Y%m%d-%H%M%S").to_string(),
                    Err(_) => "unknown-time".to_string(),
                };
                crate::export::write(dir, &format!("queuetop-screen-{stamp}"), &text, &md)
                    .map_err(|e| format!("{}: {e}", dir.display()))
            }
        };
        use crate::log::{LogEntry, Severity};
        let entry = match &result {
            Ok(p) => LogEntry::new(
                now,
                Severity::Info,
                format!(
                    "screen exported to {} (and .md)",
                    crate::fit::clean(&p.display().to_string())
                ),
            ),
            Err(e) => LogEntry::new(
                now,
                Severity::Warn,
                format!("screen export failed: {}", crate::fit::clean(e)),
            ),
        };
        self.watch.log.push(entry);
        result
    }

    /// Builds the scene for `area`; `None` when it equals the one on screen.
    pub fn scene(
        &mut self,
        m: &mut Monitor,
        opts: &ViewOptions,
        local: Ts,
        area: Rect,
    ) -> Option<Scene> {
        // Settling is the floor's own bookkeeping, done before anything
        // reads it; from here on the monitor is only read.
        m.floor.settle();
        let live_now = m.floor.now();
        let label = self
            .state
            .rewind
            .label(live_now, &m.floor.settings().day_start.tz);
        // Rewound: the scene is built from the floor at the instant shown,
        // put in the monitor's place for the build and taken out again
        // before the lock is let go (the feed keeps applying to the live
        // floor outside this). Alerts, the log and the link stay live.
        let mut past = self.past_floor(m);
        if let Some((_, f)) = &mut past {
            std::mem::swap(&mut m.floor, f);
        }
        let scene = self.build_scene(m, opts, local, area, past.is_some());
        if let Some((_, f)) = &mut past {
            std::mem::swap(&mut m.floor, f);
        }
        self.rewound = past;
        let mut scene = scene;
        scene.header.rewind = label;
        if self.last_scene.as_ref() == Some(&scene) {
            return None;
        }
        self.last_scene = Some(scene.clone());
        Some(scene)
    }

    /// Hands what the replay keys asked to a paced replay; and a step
    /// forward from the replay's own time plays ahead (there is nothing
    /// to rewind forward to).
    fn pass_to_replay(&mut self, m: &mut Monitor) {
        let r = &mut self.state.rewind;
        if m.pace().is_none() {
            r.replay.clear();
            return;
        }
        for a in r.replay.drain(..) {
            m.ask_replay(a);
        }
        if let (None, Some(SeekTo::By(d))) = (r.at, r.pending)
            && d > 0
        {
            m.ask_replay(Ask::Skip(d));
            r.pending = None;
        }
    }

    /// The floor at the instant shown, from the last seek when it was to
    /// the same instant.
    fn past_floor(&mut self, m: &Monitor) -> Option<(Ts, Floor)> {
        let at = self.state.rewind.at?;
        match self.rewound.take() {
            Some((t, f)) if t == at => Some((t, f)),
            _ => m.history().map(|h| (at, h.seek(at))),
        }
    }

    fn build_scene(
        &mut self,
        m: &Monitor,
        opts: &ViewOptions,
        local: Ts,
        area: Rect,
        rewound: bool,
    ) -> Scene {
        let ctx = Context {
            theme: opts.theme,
            alerts: if rewound {
                &self.no_alerts
            } else {
                m.alert_engine()
            },
            stale_after: opts.stale_after,
            local: if opts.wall_clock {
                local
            } else {
                m.floor.now()
            },
            speed: opts.speed.clone(),
        };
        let frame = prepare(
            m,
            &self.state,
            &mut self.agent_order,
            &self.watch,
            &ctx,
            area,
        );
        self.state.reconcile(&frame.facts);
        build(m, &self.state, frame, &self.watch, &ctx)
    }
}

/// Runs the view until `q`, Ctrl-C or `stop`. Each incident mark set on
/// screen is handed to `record_mark` as its recording line (`--record`).
pub fn run<W: Write>(
    terminal: &mut Terminal<CrosstermBackend<W>>,
    monitor: Arc<Mutex<Monitor>>,
    opts: ViewOptions,
    stop: &AtomicBool,
    record_mark: &mut dyn FnMut(&str),
    export_dir: &std::path::Path,
) -> io::Result<()> {
    let frame_gap = Duration::from_secs(1) / opts.max_fps.max(1);
    // How often the loop looks at the monitor when no key comes.
    let look_gap = frame_gap.min(Duration::from_millis(100));
    let mut view = View::new(opts.window);
    view.start(&opts.start);
    let mut dirty = true;
    let mut pending = true;
    let mut last_draw: Option<Instant> = None;
    loop {
        if stop.load(Ordering::SeqCst) || view.state.quit {
            return Ok(());
        }
        let wait = match last_draw {
            Some(t) if pending || dirty => frame_gap.saturating_sub(t.elapsed()).min(look_gap),
            _ => look_gap,
        };
        let input = crate::terminal::wait_input(wait)?;
        if input == crate::terminal::Input::HungUp {
            tracing::info!("the terminal hung up; leaving");
            return Ok(());
        }
        // crossterm is asked on every pass, not only when the terminal has
        // bytes: it learns of a resize from a signal, and when that resize
        // is still unread as a key arrives, it returns the resize and loses
        // the key's readiness (its poll is edge-triggered), so the key sat
        // unread until the next one. Reading the resize within a pass of it
        // keeps the two apart.
        if event::poll(Duration::ZERO)? {
            loop {
                let ev = event::read()?;
                let editing = view.state.filter_editing;
                let clicked = || {
                    (view.last_scene.as_ref()).and_then(|s| crate::mouse::action(&ev, s, editing))
                };
                if let Some(a) = input::map(&ev, editing).or_else(clicked) {
                    dirty |= view.state.apply(a);
                }
                if view.state.quit || !event::poll(Duration::ZERO)? {
                    break;
                }
            }
            if view.state.quit {
                return Ok(());
            }
        }
        let local = wall_ms();
        if view.state.pending_mark.is_some() {
            let line = {
                let mut m = lock(&monitor);
                // The floor's clock first: the mark is stamped with it.
                view.look(&mut m, &opts, local);
                view.take_mark(&mut m)
            };
            if let Some(line) = line {
                record_mark(&line);
            }
        }
        let may_draw = last_draw.is_none_or(|t| t.elapsed() >= frame_gap);
        // The viewport follows the terminal, within the bound.
        let area = crate::terminal::drawn_area(terminal.size()?);
        if area != terminal.get_frame().area() {
            terminal.resize(area)?;
            dirty = true;
        }
        let (scene, bell) = {
            let mut m = lock(&monitor);
            let (changed, bell) = view.look(&mut m, &opts, local);
            pending |= changed;
            let wanted = dirty || (pending && !view.state.paused);
            let scene = if wanted && may_draw {
                dirty = false;
                pending = false;
                Some(view.scene(&mut m, &opts, local, area))
            } else {
                None
            };
            (scene, bell)
        };
        if let Some(scene) = scene {
            last_draw = Some(Instant::now());
            if let Some(scene) = scene {
                draw(terminal, &scene, opts.theme)?;
            }
        }
        if std::mem::take(&mut view.state.pending_export) {
            // What was drawn last is what is on screen.
            let m = lock(&monitor);
            if let Err(e) = view.export_screen(&m, opts.theme, export_dir) {
                tracing::warn!("screen export failed: {e}");
            }
            dirty = true;
        }
        if bell && opts.bell {
            let w = terminal.backend_mut();
            w.write_all(b"\x07")?;
            Write::flush(w)?;
        }
    }
}
