//! Webhook ingest, the relay's `--listen` source: an HTTP server taking
//! Twilio TaskRouter event callbacks at `/twilio` and EventBridge
//! API-destination POSTs of Amazon Connect contact events at
//! `/eventbridge`, checked (signature or shared secret), size-limited and
//! read under a timeout, and fed to the relay's dialect as frames.

pub mod counters;
pub mod eventbridge;
pub mod server;
pub mod twilio;

use std::path::Path;
use std::time::Duration;

use crate::error::{AppError, AppResult};
use queuetop_engine::dialect::DialectKind;

/// The one path served: it follows the relay's dialect (one relay, one
/// dialect, one floor); the other path answers 404.
#[derive(Debug, Clone)]
pub enum Route {
    /// `/twilio`: `public_url` is the URL configured in Twilio (what it signs).
    Twilio { token: Vec<u8>, public_url: String },
    /// `/eventbridge`: the secret expected in `header`.
    EventBridge { header: String, secret: Vec<u8> },
}

impl Route {
    pub fn path(&self) -> &'static str {
        match self {
            Route::Twilio { .. } => "/twilio",
            Route::EventBridge { .. } => "/eventbridge",
        }
    }
}

/// The listener, checked before anything binds.
#[derive(Debug, Clone)]
pub struct Listen {
    pub addr: String,
    pub route: Route,
    pub max_body: usize,
    pub read_timeout: Duration,
}

/// What the command line says about the listener (secrets come from the
/// environment or files, never from here).
pub struct ListenFlags<'a> {
    pub addr: &'a str,
    pub dialect: DialectKind,
    pub public_url: Option<&'a str>,
    pub twilio_token_file: Option<&'a Path>,
    pub secret_header: &'a str,
    pub secret_file: Option<&'a Path>,
    pub max_body: usize,
    pub read_timeout: Duration,
}

pub const TWILIO_TOKEN_ENV: &str = "QUEUETOP_TWILIO_AUTH_TOKEN";
pub const WEBHOOK_SECRET_ENV: &str = "QUEUETOP_WEBHOOK_SECRET";

impl Listen {
    pub fn plan(f: ListenFlags<'_>, env: &dyn Fn(&str) -> Option<String>) -> AppResult<Listen> {
        if f.max_body == 0 {
            return Err(AppError::Usage(
                "--max-body: must be at least 1 byte".into(),
            ));
        }
        let route = match f.dialect {
            DialectKind::Twilio => {
                let token = secret(
                    "--twilio-token-file",
                    f.twilio_token_file,
                    TWILIO_TOKEN_ENV,
                    env,
                )?;
                let public_url = f
                    .public_url
                    .ok_or_else(|| {
                        AppError::Usage(
                            "--listen with --dialect twilio needs --public-url: the Event Callback URL as configured in Twilio (what it signs)".into(),
                        )
                    })?
                    .to_string();
                url::Url::parse(&public_url)
                    .map_err(|e| AppError::Usage(format!("--public-url: '{public_url}': {e}")))?;
                Route::Twilio { token, public_url }
            }
            DialectKind::AmazonConnect => {
                let header = f.secret_header.trim().to_string();
                axum::http::HeaderName::try_from(header.as_str()).map_err(|_| {
                    AppError::Usage(format!("--secret-header: '{header}' is not a header name"))
                })?;
                let secret = secret(
                    "--webhook-secret-file",
                    f.secret_file,
                    WEBHOOK_SECRET_ENV,
                    env,
                )?;
                Route::EventBridge { header, secret }
            }
            other => {
                return Err(AppError::Usage(format!(
                    "--listen: takes Twilio callbacks (--dialect twilio) or EventBridge posts (--dialect amazon-connect), not --dialect {}",
                    other.name()
                )));
            }
        };
        Ok(Listen {
            addr: f.addr.to_string(),
            route,
            max_body: f.max_body,
            read_timeout: f.read_timeout,
        })
    }
}

/// A secret from its file (trailing newline dropped) or else its variable.
fn secret(
    flag: &str,
    file: Option<&Path>,
    var: &str,
    env: &dyn Fn(&str) -> Option<String>,
) -> AppResult<Vec<u8>> {
    let text = match file {
        Some(p) => std::fs::read_to_string(p)
            .map_err(|e| AppError::Usage(format!("{flag} {}: {e}", p.display())))?,
        None => env(var)
            .ok_or_else(|| AppError::Usage(format!("--listen: set {var} or give {flag}")))?,
    };
    let text = text.trim_end_matches(['\r', '\n']);
    if text.is_empty() {
        return Err(AppError::Usage(format!(
            "{flag} / {var}: the secret is empty"
        )));
    }
    Ok(text.as_bytes().to_vec())
}
