//! The terminal: raw mode and the alternate screen on the way in, and the
//! way back out on every exit (quit, Ctrl-C, SIGTERM, SIGHUP, SIGQUIT,
//! SIGUSR1, SIGUSR2, SIGALRM, a panic).
//!
//! Restoring is idempotent and happens in three places that cover each
//! other: the [`Guard`]'s drop, the panic hook (restore first, then the
//! usual panic message, so it lands on a sane terminal), and the signal
//! flag that ends the loop (which then drops the guard).

use std::io::{self, BufWriter, Stdout, Write};

use std::sync::atomic::{AtomicBool, Ordering};

use crossterm::cursor::{Hide, Show};
use crossterm::execute;
use crossterm::terminal::{
    EnterAlternateScreen, LeaveAlternateScreen, disable_raw_mode, enable_raw_mode,
};
use ratatui::backend::{Backend, CrosstermBackend};
use ratatui::layout::{Rect, Size};
use ratatui::{Terminal, TerminalOptions, Viewport};

pub type Tty = Terminal<CrosstermBackend<BufWriter<Stdout>>>;

/// Set while the terminal is in our hands.
static ACTIVE: AtomicBool = AtomicBool::new(false);
static HOOKED: AtomicBool = AtomicBool::new(false);

// Mouse: button events with SGR coordinates only (for the wheel). The
// any-motion modes crossterm's EnableMouseCapture also turns on would send
// a report for every mouse move, which is traffic a slow SSH link can do
// without.
const MOUSE_ON: &[u8] = b"\x1b[?1000h\x1b[?1006h";
const MOUSE_OFF: &[u8] = b"\x1b[?1006l\x1b[?1000l";

/// Puts the terminal back as we found it. Safe to call any number of times,
/// from any thread; errors are ignored (after SIGHUP there is no terminal).
pub fn restore() {
    if !ACTIVE.swap(false, Ordering::SeqCst) {
        return;
    }
    let mut out = io::stdout();
    let _ = out.write_all(MOUSE_OFF);
    let _ = execute!(out, LeaveAlternateScreen, Show);
    let _ = disable_raw_mode();
    let _ = out.flush();
}

/// What waiting on the keyboard gave.
#[derive(Debug, PartialEq, Eq)]
pub enum Input {
    /// Bytes to read.
    Ready,
    Timeout,
    /// The terminal is gone (an SSH drop, a closed window): nothing will
    /// ever come again, and reading would return nothing at once, forever.
    HungUp,
}

/// Waits up to `timeout` for input on the terminal (standard input).
///
/// crossterm's own poll treats a hung-up terminal as "no input yet" and
/// reads it again at once, spinning a core forever after an SSH drop; a
/// plain poll(2) tells the hang-up apart, so the view can end instead.
pub fn wait_input(timeout: std::time::Duration) -> io::Result<Input> {
    use rustix::event::{PollFd, PollFlags, Timespec, poll};
    let stdin = io::stdin();
    let mut fds = [PollFd::new(&stdin, PollFlags::IN)];
    let ts = Timespec::try_from(timeout).unwrap_or(Timespec {
        tv_sec: 0,
        tv_nsec: 100_000_000,
    });
    match poll(&mut fds, Some(&ts)) {
        Ok(0) => Ok(Input::Timeout),
        Ok(_) => {
            let got = fds[0].revents();
            if got.intersects(PollFlags::HUP | PollFlags::ERR | PollFlags::NVAL) {
                Ok(Input::HungUp)
            } else {
                Ok(Input::Ready)
            }
        }
        Err(rustix::io::Errno::INTR) => Ok(Input::Timeout),
        Err(e) => Err(e.into()),
    }
}

/// Restores the terminal when dropped.
pub struct Guard(());

impl Drop for Guard {
    fn drop(&mut self) {
        restore();
    }
}

fn install_panic_hook() {
    if HOOKED.swap(true, Ordering::SeqCst) {
        return;
    }
    let previous = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        restore();
        tracing::error!("panic: {info}");
        previous(info);
    }));
}

/// Takes the terminal: raw mode, alternate screen, hidden cursor, wheel.
pub fn setup(mouse: bool) -> io::Result<(Tty, Guard)> {
    install_panic_hook();
    enable_raw_mode()?;
    ACTIVE.store(true, Ordering::SeqCst);
    let guard = Guard(());
    let mut out = io::stdout();
    execute!(out, EnterAlternateScreen, Hide)?;
    if mouse {
        out.write_all(MOUSE_ON)?;
        out.flush()?;
    }
    let backend = CrosstermBackend::new(BufWriter::with_capacity(64 * 1024, io::stdout()));
    // A fixed viewport, sized by the loop (never by the terminal alone):
    // see [`drawn_area`].
    let area = drawn_area(backend.size()?);
    let terminal = Terminal::with_options(
        backend,
        TerminalOptions {
            viewport: Viewport::Fixed(area),
        },
    )?;
    Ok((terminal, guard))
}

/// The most columns and rows the view draws on.
pub const MAX_COLS: u16 = 1024;
pub const MAX_ROWS: u16 = 512;

/// The area the view draws on in a terminal of `size`: all of it, up to
/// [`MAX_COLS`] x [`MAX_ROWS`] in its top-left corner. A broken terminal
/// (or one at the end of a bad serial line) can say it is 65535 x 65535:
/// screen buffers for 4 billion cells would abort the process for want of
/// memory, with the terminal left raw.
pub fn drawn_area(size: Size) -> Rect {
    Rect::new(0, 0, size.width.min(MAX_COLS), size.height.min(MAX_ROWS))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_drawn_area_is_the_terminal_up_to_the_bound() {
        assert_eq!(drawn_area(Size::new(80, 24)), Rect::new(0, 0, 80, 24));
        assert_eq!(drawn_area(Size::new(0, 0)), Rect::new(0, 0, 0, 0));
        assert_eq!(
            drawn_area(Size::new(u16::MAX, u16::MAX)),
            Rect::new(0, 0, MAX_COLS, MAX_ROWS)
        );
        assert_eq!(
            drawn_area(Size::new(300, u16::MAX)),
            Rect::new(0, 0, 300, MAX_ROWS)
        );
    }
}
