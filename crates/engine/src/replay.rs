//! Replay: frames from a file, one a line, as `--record` writes them.
//!
//! Lines are read with a hard size limit (a line longer than the frame limit
//! is refused and skipped, never buffered whole), CRLF endings are accepted,
//! a UTF-8 byte order mark at the start of the file is dropped (editors on
//! Windows write one), blank lines are skipped, and a line that is not UTF-8 is a refused frame,
//! like any other bad input. Only a read error stops a replay.

use std::io::{self, BufRead};

/// One line of a replay file.
#[derive(Debug, PartialEq, Eq)]
pub enum Line {
    Frame(String),
    TooLong,
    NotUtf8,
}

pub struct LineReader<R> {
    inner: R,
    max: usize,
    /// 1-based number of the line last returned (for error messages).
    pub line_no: u64,
    /// The line being read, kept between lines: a replay reads millions.
    buf: Vec<u8>,
}

/// One line of a replay file, borrowed from the reader.
#[derive(Debug, PartialEq, Eq)]
pub enum LineRef<'a> {
    Frame(&'a str),
    TooLong,
    NotUtf8,
}

impl<R: BufRead> LineReader<R> {
    pub fn new(inner: R, max: usize) -> Self {
        LineReader {
            inner,
            max,
            line_no: 0,
            buf: Vec::new(),
        }
    }

    /// The next non-blank line, or `None` at the end of the file.
    pub fn next_line(&mut self) -> io::Result<Option<Line>> {
        Ok(match self.read()? {
            None => None,
            Some(false) => Some(Line::TooLong),
            Some(true) => Some(match String::from_utf8(std::mem::take(&mut self.buf)) {
                Ok(s) => Line::Frame(s),
                Err(_) => Line::NotUtf8,
            }),
        })
    }

    /// [`LineReader::next_line`], borrowed: no allocation a line.
    pub fn next_line_ref(&mut self) -> io::Result<Option<LineRef<'_>>> {
        Ok(match self.read()? {
            None => None,
            Some(false) => Some(LineRef::TooLong),
            Some(true) => Some(match std::str::from_utf8(&self.buf) {
                Ok(s) => LineRef::Frame(s),
                Err(_) => LineRef::NotUtf8,
            }),
        })
    }

    /// Reads the next non-blank line into `buf`: `Some(true)` when it
    /// fits the limit, `Some(false)` when it is too long, `None` at the end.
    fn read(&mut self) -> io::Result<Option<bool>> {
        loop {
            let buf = &mut self.buf;
            buf.clear();
            let mut too_long = false;
            let mut saw_any = false;
            loop {
                let chunk = self.inner.fill_buf()?;
                if chunk.is_empty() {
                    break;
                }
                saw_any = true;
                let (take, done) = match memchr::memchr(b'\n', chunk) {
                    Some(i) => (i, true),
                    None => (chunk.len(), false),
                };
                if !too_long {
                    // One byte more than the limit, for a CR before the LF.
                    if buf.len() + take > self.max.saturating_add(1) {
                        too_long = true;
                        *buf = Vec::new();
                    } else {
                        buf.extend_from_slice(&chunk[..take]);
                    }
                }
                self.inner.consume(if done { take + 1 } else { take });
                if done {
                    break;
                }
            }
            if !saw_any {
                return Ok(None);
            }
            self.line_no += 1;
            if buf.last() == Some(&b'\r') {
                buf.pop();
            }
            if self.line_no == 1 && buf.starts_with(b"\xEF\xBB\xBF") {
                buf.drain(..3);
            }
            if too_long || buf.len() > self.max {
                return Ok(Some(false));
            }
            if buf.iter().all(|b| b.is_ascii_whitespace()) {
                continue;
            }
            return Ok(Some(true));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lines(input: &[u8], max: usize) -> Vec<Line> {
        let mut r = LineReader::new(input, max);
        let mut out = Vec::new();
        while let Some(l) = r.next_line().unwrap() {
            out.push(l);
        }
        out
    }

    #[test]
    fn splits_skips_blanks_and_strips_cr() {
        assert_eq!(
            lines(b"{\"a\":1}\r\n\n  \n{\"b\":2}", 100),
            vec![
                Line::Frame("{\"a\":1}".into()),
                Line::Frame("{\"b\":2}".into())
            ]
        );
    }

    #[test]
    fn a_byte_order_mark_opens_the_file_not_a_frame() {
        assert_eq!(
            lines(b"\xEF\xBB\xBF{\"a\":1}\n\xEF\xBB\xBF{\"b\":2}\n", 100),
            vec![
                Line::Frame("{\"a\":1}".into()),
                // Only at the start of the file: later, it is in the frame.
                Line::Frame("\u{feff}{\"b\":2}".into())
            ]
        );
    }

    #[test]
    fn the_limit_is_on_the_frame_not_its_line_ending() {
        assert_eq!(
            lines(b"12345\r\n123456\r\n12345\n", 5),
            vec![
                Line::Frame("12345".into()),
                Line::TooLong,
                Line::Frame("12345".into())
            ]
        );
    }

    #[test]
    fn long_and_binary_lines_are_refused_not_fatal() {
        let mut input = vec![b'x'; 50];
        input.extend_from_slice(b"\n\xff\xfe\nok\n");
        assert_eq!(
            lines(&input, 10),
            vec![Line::TooLong, Line::NotUtf8, Line::Frame("ok".into())]
        );
    }
}

/// Whether a file has more to apply after [`apply_lines`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Progress {
    More,
    Done,
}

/// Applies up to `max_frames` lines of a recording to the monitor on the
/// events' own time. A line too long or not UTF-8 is a refused frame; only
/// a read error stops early (the error names the line).
pub fn apply_lines<R: BufRead>(
    monitor: &mut crate::monitor::Monitor,
    lines: &mut LineReader<R>,
    max_frames: usize,
) -> Result<Progress, String> {
    use crate::protocol::RejectKind;
    for _ in 0..max_frames {
        let line_no = lines.line_no;
        let line = lines
            .next_line_ref()
            .map_err(|e| format!("line {}: {e}", line_no + 1))?;
        let now = monitor.floor.now();
        match line {
            None => return Ok(Progress::Done),
            Some(LineRef::Frame(text)) => match crate::mark::Mark::from_line(text) {
                Some(mark) => monitor.mark(mark),
                None => monitor.replay_frame(text),
            },
            Some(LineRef::TooLong) => monitor.refused(RejectKind::TooLarge, now),
            Some(LineRef::NotUtf8) => monitor.refused(RejectKind::NotUtf8, now),
        }
    }
    Ok(Progress::More)
}

/// Applies a whole recording at once (`--speed max`, tests, `snapshot`),
/// then settles the floor at the last event's time.
pub fn apply_all(
    monitor: &mut crate::monitor::Monitor,
    input: impl BufRead,
    max_line: usize,
) -> Result<(), String> {
    let mut lines = LineReader::new(input, max_line);
    while apply_lines(monitor, &mut lines, usize::MAX)? == Progress::More {}
    monitor.floor.settle();
    Ok(())
}
