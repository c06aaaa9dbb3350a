use std::process::ExitCode;

use clap::Parser;
use clap::error::ErrorKind;
use queuetop::app;
use queuetop::cli::Cli;

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) if matches!(e.kind(), ErrorKind::DisplayHelp | ErrorKind::DisplayVersion) => {
            let _ = e.print();
            return ExitCode::SUCCESS;
        }
        Err(e) => {
            // One clear line naming the flag, not a page of usage.
            let rendered = e.render().to_string();
            let mut lines = rendered.lines();
            let mut first = lines
                .next()
                .unwrap_or("error: bad command line")
                .to_string();
            // "required arguments were not provided:" names them on the
            // indented lines after it: keep those on the one line.
            if first.ends_with(':') {
                let named: Vec<&str> = lines
                    .take_while(|l| l.starts_with(' '))
                    .map(str::trim)
                    .collect();
                first = format!("{first} {}", named.join(", "));
            }
            let command = help_command();
            say(&format!(
                "{} ({command} --help lists every option)",
                shown(&first)
            ));
            return ExitCode::from(2);
        }
    };
    match app::run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            say(&format!("queuetop: {}", shown(e.message())));
            ExitCode::from(e.exit_code() as u8)
        }
    }
}

/// The command whose `--help` lists the options of this command line:
/// `queuetop snapshot` when a subcommand was named before anything else.
fn help_command() -> String {
    use clap::CommandFactory;
    let cmd = Cli::command();
    let sub = std::env::args()
        .skip(1)
        .find(|a| !a.starts_with('-'))
        .filter(|a| cmd.get_subcommands().any(|s| s.get_name() == a));
    match sub {
        Some(name) => format!("queuetop {name}"),
        None => "queuetop".into(),
    }
}

/// An error message may quote a file name or value from the command line:
/// its control characters are dropped, line by line, before it reaches the
/// terminal.
fn shown(message: &str) -> String {
    message
        .split('\n')
        .map(|line| queuetop_engine::text::strip(line.into()))
        .collect::<Vec<_>>()
        .join("\n")
}

/// Writes one line to stderr. After an SSH drop stderr is a dead terminal:
/// `eprintln!` would panic there, so a failed write is let go.
fn say(line: &str) {
    use std::io::Write;
    let _ = writeln!(std::io::stderr(), "{line}");
}
