//! Exporting the screen (`e`): what is on screen, row by row as drawn, then
//! the whole event log (the pane shows only its last lines), as plain text
//! and as Markdown, for "send me what you saw".
//!
//! Everything on screen went through the scene's cleaning, and the log's
//! text is cleaned again here, so no control character from the feed
//! reaches a file; Markdown escapes what a renderer would take as markup or
//! HTML.

use std::io::Write;
use std::path::{Path, PathBuf};

use ratatui::buffer::Buffer;
use unicode_width::UnicodeWidthStr;

use crate::fit::clean;
use crate::log::{EventLog, Severity};
use crate::model::HeaderScene;

/// The rows of a drawn screen as text, trailing blanks dropped. A wide
/// character's hidden second cell is not a character of the row.
pub fn screen_rows(buf: &Buffer) -> Vec<String> {
    let area = buf.area;
    (area.y..area.bottom())
        .map(|y| {
            let mut row = String::new();
            let mut hidden = 0usize;
            for x in area.x..area.right() {
                if hidden > 0 {
                    hidden -= 1;
                    continue;
                }
                let sym = buf[(x, y)].symbol();
                let sym = if sym.is_empty() { " " } else { sym };
                hidden = sym.width().saturating_sub(1);
                row.push_str(sym);
            }
            // Symbols are the screen's own; strip anyway, as for any file.
            clean(row.trim_end()).into_owned()
        })
        .collect()
}

fn level_word(s: Severity) -> &'static str {
    match s {
        Severity::Info => "info",
        Severity::Good => "ok",
        Severity::Warn => "warning",
        Severity::Crit => "critical",
    }
}

/// One log entry's time, level and text, cleaned.
fn log_rows<'l>(
    log: &'l EventLog,
    clock: &'l dyn Fn(queuetop_engine::time::Ts) -> String,
) -> impl Iterator<Item = (String, &'static str, String)> + 'l {
    log.window(0, log.len()).map(move |e| {
        (
            clock(e.at),
            level_word(e.severity),
            clean(&e.text).into_owned(),
        )
    })
}

/// The plain text file: the screen, a blank line, then every log entry.
pub fn text(
    rows: &[String],
    log: &EventLog,
    clock: &dyn Fn(queuetop_engine::time::Ts) -> String,
) -> String {
    let mut out = rows.join("\n");
    out.push_str(&format!("\n\nEvent log, every entry ({}):\n", log.len()));
    for (time, level, text) in log_rows(log, clock) {
        out.push_str(&format!("{time}  {level:<8}  {text}\n"));
    }
    out
}

/// Markdown text that shows as written: markup and HTML characters escaped.
pub fn md_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in clean(s).chars() {
        match c {
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '\\' | '`' | '*' | '_' | '[' | ']' | '|' | '#' | '~' => {
                out.push('\\');
                out.push(c);
            }
            c => out.push(c),
        }
    }
    out
}

/// The Markdown file: a title from the header, the screen in a code block
/// (fenced longer than any run of backticks in it), then the log as a table.
pub fn markdown(
    header: &HeaderScene,
    rows: &[String],
    log: &EventLog,
    clock: &dyn Fn(queuetop_engine::time::Ts) -> String,
) -> String {
    let longest_ticks = rows
        .iter()
        .flat_map(|r| r.split(|c| c != '`'))
        .map(str::len)
        .max()
        .unwrap_or(0);
    let fence = "`".repeat((longest_ticks + 1).max(3));
    let label = header.label.map_or(String::new(), |l| format!("{l} "));
    let mut out = format!(
        "# queuetop screen at {}\n\n{}{} ({})\n\n{fence}text\n",
        md_escape(&header.clock),
        md_escape(&label),
        md_escape(&header.target),
        md_escape(&header.link),
    );
    for r in rows {
        out.push_str(r);
        out.push('\n');
    }
    out.push_str(&format!(
        "{fence}\n\n## Event log ({} entries)\n\n",
        log.len()
    ));
    out.push_str("| time | level | event |\n|---|---|---|\n");
    for (time, level, text) in log_rows(log, clock) {
        out.push_str(&format!(
            "| {} | {level} | {} |\n",
            md_escape(&time),
            md_escape(&text)
        ));
    }
    out
}

/// Writes `name.txt` and `name.md` in `dir`, never over an existing file
/// (`name-2`, `name-3`... when taken). Returns the text file's path.
pub fn write(dir: &Path, name: &str, text: &str, markdown: &str) -> std::io::Result<PathBuf> {
    for n in 1..1000 {
        let stem = if n == 1 {
            name.to_string()
        } else {
            format!("{name}-{n}")
        };
        let txt = dir.join(format!("{stem}.txt"));
        let md = dir.join(format!("{stem}.md"));
        if md.exists() {
            continue;
        }
        let mut f = match std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&txt)
        {
            Ok(f) => f,
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => continue,
            Err(e) => return Err(e),
        };
        f.write_all(text.as_bytes())?;
        std::fs::write(&md, markdown)?;
        return Ok(txt);
    }
    Err(std::io::Error::other("too many exports with one name"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markdown_escapes_markup_html_and_controls() {
        assert_eq!(
            md_escape("<b>|x|</b> *a* \u{1b}[31m"),
            "&lt;b&gt;\\|x\\|&lt;/b&gt; \\*a\\* \\[31m"
        );
    }
}
