//! Diagnostics go to a log file, never to the terminal the view draws on.

use std::path::{Path, PathBuf};

use crate::cli::Options;
use crate::error::{AppError, AppResult};
use queuetop_engine::config::ConfigFile;

/// Sets up the log file, if any. Diagnostics never go to the terminal.
pub fn init_log(path: Option<&Path>) -> AppResult<()> {
    let Some(path) = path else { return Ok(()) };
    let file = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(path)
        .map_err(|e| AppError::Usage(format!("--log {}: {e}", path.display())))?;
    let _ = tracing_subscriber::fmt()
        .with_writer(std::sync::Mutex::new(file))
        .with_ansi(false)
        .with_max_level(tracing::Level::INFO)
        .try_init();
    Ok(())
}

/// A service's log: the file when one is given, else stderr (systemd's
/// journal takes it from there).
pub fn init_service_log(path: Option<&Path>) -> AppResult<()> {
    if path.is_some() {
        return init_log(path);
    }
    let _ = tracing_subscriber::fmt()
        .with_writer(std::io::stderr)
        .with_ansi(false)
        .with_max_level(tracing::Level::INFO)
        .try_init();
    Ok(())
}

pub fn log_path(options: &Options, file: &ConfigFile) -> Option<PathBuf> {
    options
        .log
        .clone()
        .or_else(|| file.display.log.as_ref().map(PathBuf::from))
}
