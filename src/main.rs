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
            let first = rendered.lines().next().unwrap_or("error: bad command line");
            eprintln!("{first} (queuetop --help lists every option)");
            return ExitCode::from(2);
        }
    };
    match app::run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("queuetop: {}", e.message());
            ExitCode::from(e.exit_code() as u8)
        }
    }
}
