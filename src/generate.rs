//! Files generated from the command line itself, so they cannot drift from
//! it: shell completion scripts and the manual page.

use std::io::{self, Write};

use clap::CommandFactory;
use clap_complete::Shell;

use crate::cli::Cli;
use crate::error::{AppError, AppResult};

/// `queuetop completions SHELL`: the completion script on stdout.
pub fn completions(shell: Shell) -> AppResult<()> {
    let mut buf = Vec::new();
    clap_complete::generate(shell, &mut Cli::command(), "queuetop", &mut buf);
    write_out(&buf)
}

/// `queuetop man`: the manual page (roff) on stdout, one page with a
/// section per subcommand after the main command's.
pub fn man_page() -> AppResult<()> {
    let cmd = Cli::command();
    let mut buf = Vec::new();
    main_page(&cmd, &mut buf)
        .and_then(|()| {
            cmd.get_subcommands()
                .filter(|s| s.get_name() != "help")
                .try_for_each(|sub| subcommand_section(sub, &mut buf))
        })
        .map_err(|e| AppError::Runtime(format!("cannot render the manual: {e}")))?;
    write_out(&buf)
}

/// A subcommand as a section of the one page, `QUEUETOP SNAPSHOT`, its
/// synopsis and options as subsections (a synopsis that runs as written).
fn subcommand_section(sub: &clap::Command, w: &mut Vec<u8>) -> io::Result<()> {
    let name = format!("queuetop {}", sub.get_name());
    let man = clap_mangen::Man::new(sub.clone().bin_name(name.clone()));
    let mut part = Vec::new();
    man.render_synopsis_section(&mut part)?;
    man.render_options_section(&mut part)?;
    writeln!(w, ".SH \"{}\"", roff(&name.to_uppercase()))?;
    if let Some(about) = sub.get_about() {
        writeln!(w, "{}", roff(&about.to_string()))?;
    }
    for line in String::from_utf8_lossy(&part).lines() {
        match line.strip_prefix(".SH ") {
            Some(title) => writeln!(w, ".SS {title}")?,
            None => writeln!(w, "{line}")?,
        }
    }
    Ok(())
}

/// The main command's page: clap_mangen's sections, but the subcommands
/// named as the sections of this page that follow (there are no separate
/// `queuetop-snapshot(1)` pages), the exit status, and where to go next,
/// a line each.
fn main_page(cmd: &clap::Command, w: &mut Vec<u8>) -> io::Result<()> {
    let man = clap_mangen::Man::new(cmd.clone());
    man.render_title(w)?;
    man.render_name_section(w)?;
    man.render_synopsis_section(w)?;
    man.render_description_section(w)?;
    man.render_options_section(w)?;
    writeln!(w, ".SH SUBCOMMANDS")?;
    writeln!(w, "Each has a section of its own below, under its name.")?;
    for sub in cmd.get_subcommands().filter(|s| s.get_name() != "help") {
        let about = sub.get_about().map(|a| a.to_string()).unwrap_or_default();
        writeln!(w, ".TP")?;
        writeln!(w, "\\fBqueuetop {}\\fR", roff(sub.get_name()))?;
        writeln!(w, "{}", roff(&about))?;
    }
    writeln!(w, ".SH \"EXIT STATUS\"")?;
    for (code, says) in [
        (
            "0",
            "the run ended as asked (quit, a signal, the end of a replay)",
        ),
        (
            "1",
            "at run time: the feed or broker could not be reached, a file could not be written",
        ),
        (
            "2",
            "a bad command line or config file (the message names the flag, or the key and line)",
        ),
    ] {
        writeln!(w, ".TP\n{code}\n{}", roff(says))?;
    }
    writeln!(w, ".SH \"SEE ALSO\"")?;
    writeln!(w, "Try it now: \\fBqueuetop \\-\\-demo\\fR")?;
    writeln!(w, ".br")?;
    writeln!(
        w,
        "README.md and docs/ in the source tree, or /usr/share/doc/queuetop/ where the package is installed."
    )?;
    man.render_version_section(w)
}

/// Text made safe for roff: backslashes and hyphens escaped, and no line
/// starting with a control character.
fn roff(text: &str) -> String {
    let escaped = text.replace('\\', "\\e").replace('-', "\\-");
    match escaped.chars().next() {
        Some('.' | '\'') => format!("\\&{escaped}"),
        _ => escaped,
    }
}

/// Writes to stdout; a reader that closed the pipe early (`| head`) is not
/// an error.
fn write_out(bytes: &[u8]) -> AppResult<()> {
    let mut out = io::stdout().lock();
    match out.write_all(bytes).and_then(|()| out.flush()) {
        Err(e) if e.kind() != io::ErrorKind::BrokenPipe => Err(AppError::Runtime(format!(
            "cannot write to standard output: {e}"
        ))),
        _ => Ok(()),
    }
}
