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

/// `queuetop man`: the manual page (roff) on stdout, one section per
/// subcommand after the main one.
pub fn man_page() -> AppResult<()> {
    let cmd = Cli::command();
    let mut buf = Vec::new();
    render(&cmd, &mut buf)?;
    for sub in cmd.get_subcommands().filter(|s| s.get_name() != "help") {
        let name = format!("queuetop-{}", sub.get_name());
        let sub = sub.clone().name(name);
        buf.extend_from_slice(b".bp\n");
        render(&sub, &mut buf)?;
    }
    write_out(&buf)
}

fn render(cmd: &clap::Command, buf: &mut Vec<u8>) -> AppResult<()> {
    clap_mangen::Man::new(cmd.clone())
        .render(buf)
        .map_err(|e| AppError::Runtime(format!("cannot render the manual: {e}")))
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
