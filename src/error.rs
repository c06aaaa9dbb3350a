//! How a run ends badly, and the exit status that says so.

use queuetop_engine::config::ConfigError;

/// How a run ends badly: exit status 2 for usage and config, 1 at run time.
#[derive(Debug)]
pub enum AppError {
    Usage(String),
    Runtime(String),
}

impl AppError {
    pub fn exit_code(&self) -> i32 {
        match self {
            AppError::Usage(_) => 2,
            AppError::Runtime(_) => 1,
        }
    }

    pub fn message(&self) -> &str {
        match self {
            AppError::Usage(m) | AppError::Runtime(m) => m,
        }
    }
}

impl From<ConfigError> for AppError {
    fn from(e: ConfigError) -> Self {
        AppError::Usage(e.0)
    }
}

pub type AppResult<T> = Result<T, AppError>;
