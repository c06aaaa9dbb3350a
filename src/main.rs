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
/// `queuetop snapshot` when a subcommand was named. The value of an option
/// that takes one (`--replay report`) is not a subcommand.
fn help_command() -> String {
    use clap::CommandFactory;
    let cmd = Cli::command();
    let takes_value = |flag: &str| {
        cmd.get_arguments()
            .any(|a| a.get_long() == Some(flag) && a.get_action().takes_values())
    };
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        match a.strip_prefix("--") {
            Some(flag) if !flag.contains('=') && takes_value(flag) => {
                args.next();
            }
            Some(_) => {}
            None if a.starts_with('-') => {}
            None => {
                if cmd.get_subcommands().any(|s| s.get_name() == a) {
                    return format!("queuetop {a}");
                }
                break;
            }
        }
    }
    "queuetop".into()
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
