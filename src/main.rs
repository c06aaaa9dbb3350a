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
            say(&format!(
                "{} (queuetop --help lists every option)",
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
