//! Where the broker is and how we log in. Credentials never come from the
//! command line: a token or a user and password from the environment, or a
//! NATS creds file named by path.

use std::path::PathBuf;
use std::time::Duration;

use async_nats::{Client, ConnectOptions, Event};
use tokio::sync::mpsc;

use crate::Secret;
use crate::error::LinkError;

/// Environment variables read for credentials.
pub const TOKEN_ENV: &str = "QUEUETOP_NATS_TOKEN";
pub const USER_ENV: &str = "QUEUETOP_NATS_USER";
pub const PASSWORD_ENV: &str = "QUEUETOP_NATS_PASSWORD";

/// How we log in to the broker.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub enum NatsAuth {
    #[default]
    None,
    Token(Secret),
    UserPassword {
        user: String,
        password: Secret,
    },
    /// A NATS `.creds` file (a user JWT and its nkey seed).
    CredsFile(PathBuf),
}

impl NatsAuth {
    /// From a creds file when one is given, else the environment.
    pub fn from_env(
        creds: Option<PathBuf>,
        env: &dyn Fn(&str) -> Option<String>,
    ) -> Result<NatsAuth, String> {
        if let Some(path) = creds {
            return Ok(NatsAuth::CredsFile(path));
        }
        let get = |n: &str| env(n).filter(|v| !v.is_empty());
        match (get(TOKEN_ENV), get(USER_ENV), get(PASSWORD_ENV)) {
            (Some(_), Some(_), _) => Err(format!(
                "set either {TOKEN_ENV} or {USER_ENV}/{PASSWORD_ENV}, not both"
            )),
            (Some(t), None, _) => Ok(NatsAuth::Token(Secret(t))),
            (None, Some(user), Some(p)) => Ok(NatsAuth::UserPassword {
                user,
                password: Secret(p),
            }),
            (None, Some(_), None) => Err(format!("{USER_ENV} is set but {PASSWORD_ENV} is not")),
            (None, None, _) => Ok(NatsAuth::None),
        }
    }
}

/// The broker, checked once.
#[derive(Clone, Debug)]
pub struct NatsTarget {
    /// The address as async-nats takes it (`nats://`, `tls://`, `ws://`, `wss://`).
    addr: String,
    /// The address as the user wrote it, for logs and the screen.
    shown: String,
    auth: NatsAuth,
    /// An extra trusted CA for `tls://` and `nats+wss://`.
    ca_file: Option<PathBuf>,
    pub connect_timeout: Duration,
    pub ping_interval: Duration,
}

/// Each way of writing the broker's address, and what async-nats calls it.
/// `ws://` and `wss://` already name a WebSocket feed, so NATS's WebSocket
/// listener is written `nats+ws://` or `nats+wss://`.
const FORMS: &[(&str, &str)] = &[
    ("nats://", "nats://"),
    ("tls://", "tls://"),
    ("nats+ws://", "ws://"),
    ("nats+wss://", "wss://"),
];

impl NatsTarget {
    pub fn parse(url: &str, auth: NatsAuth) -> Result<NatsTarget, String> {
        let url = url.trim();
        let shown = crate::target::redact(url);
        let (prefix, real) = FORMS
            .iter()
            .find(|(p, _)| {
                url.get(..p.len())
                    .is_some_and(|head| head.eq_ignore_ascii_case(p))
            })
            .ok_or_else(|| {
                format!("'{shown}' is not a nats://, tls://, nats+ws:// or nats+wss:// address")
            })?;
        let rest = &url[prefix.len()..];
        let authority = rest.split(['/', '?', '#']).next().unwrap_or_default();
        if authority.contains('@') {
            return Err(format!(
                "'{shown}': credentials in the address would show in the process list; use {TOKEN_ENV}, {USER_ENV}/{PASSWORD_ENV} or --nats-creds"
            ));
        }
        if authority.is_empty() {
            return Err(format!("'{shown}' has no host"));
        }
        let d = queuetop_engine::config::FeedTiming::default();
        Ok(NatsTarget {
            addr: format!("{real}{rest}"),
            shown,
            auth,
            ca_file: None,
            connect_timeout: Duration::from_millis(d.connect_timeout.max(100) as u64),
            ping_interval: Duration::from_millis(d.ping_interval.max(100) as u64),
        })
    }

    /// Trusts `ca` too (PEM) when the broker speaks TLS.
    pub fn with_ca(mut self, ca: Option<PathBuf>) -> Self {
        self.ca_file = ca;
        self
    }

    pub fn describe(&self) -> String {
        self.shown.clone()
    }

    /// Connects once. The returned receiver says when the connection is
    /// lost: the caller drops the client then, and retries on its own
    /// backoff (the client's own reconnect gets one quick try only, so the
    /// two never fight).
    pub async fn connect(&self) -> Result<(Client, mpsc::Receiver<String>), LinkError> {
        let (lost_tx, lost_rx) = mpsc::channel::<String>(4);
        let mut opts = match &self.auth {
            NatsAuth::None => ConnectOptions::new(),
            NatsAuth::Token(t) => ConnectOptions::with_token(t.0.clone()),
            NatsAuth::UserPassword { user, password } => {
                ConnectOptions::with_user_and_password(user.clone(), password.0.clone())
            }
            NatsAuth::CredsFile(path) => ConnectOptions::with_credentials_file(path)
                .await
                .map_err(|e| LinkError::new(format!("creds file {}: {e}", path.display())))?,
        };
        if let Some(ca) = &self.ca_file {
            opts = opts.add_root_certificates(ca.clone());
        }
        if self.addr.starts_with("tls://") {
            opts = opts.require_tls(true);
        }
        opts = opts
            .name("queuetop")
            .connection_timeout(self.connect_timeout)
            .ping_interval(self.ping_interval)
            .max_reconnects(1)
            .ignore_discovered_servers()
            .event_callback(move |event| {
                let lost_tx = lost_tx.clone();
                async move {
                    let why = match event {
                        Event::Disconnected => Some("the broker connection was lost".to_string()),
                        Event::Closed => Some("the broker connection closed".to_string()),
                        Event::ServerError(e) => {
                            tracing::warn!("nats: server error: {e}");
                            None
                        }
                        _ => None,
                    };
                    if let Some(why) = why {
                        let _ = lost_tx.try_send(why);
                    }
                }
            });
        let client = tokio::time::timeout(
            self.connect_timeout.saturating_mul(2),
            opts.connect(self.addr.as_str()),
        )
        .await
        .map_err(|_| LinkError::timeout("connecting to the broker"))?
        .map_err(connect_error)?;
        Ok((client, lost_rx))
    }
}

fn connect_error(e: async_nats::ConnectError) -> LinkError {
    use async_nats::ConnectErrorKind as K;
    let auth = matches!(e.kind(), K::AuthorizationViolation | K::Authentication);
    let mut err = LinkError::new(format!("broker: {e}"));
    err.auth = auth;
    err
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn forms_of_the_address() {
        let t = NatsTarget::parse("nats://127.0.0.1:4222", NatsAuth::None).unwrap();
        assert_eq!(t.addr, "nats://127.0.0.1:4222");
        let t = NatsTarget::parse("NATS+WS://h:8080", NatsAuth::None).unwrap();
        assert_eq!(t.addr, "ws://h:8080");
        let t = NatsTarget::parse("nats+wss://h/", NatsAuth::None).unwrap();
        assert_eq!(t.addr, "wss://h/");
        assert!(NatsTarget::parse("ws://h", NatsAuth::None).is_err());
        let e = NatsTarget::parse("nats://me:pw@h:4222", NatsAuth::None).unwrap_err();
        assert!(
            e.contains("QUEUETOP_NATS_TOKEN") && !e.contains("pw"),
            "{e}"
        );
    }

    #[test]
    fn credentials_from_the_environment() {
        let env = |pairs: &'static [(&'static str, &'static str)]| {
            move |n: &str| {
                pairs
                    .iter()
                    .find(|(k, _)| *k == n)
                    .map(|(_, v)| v.to_string())
            }
        };
        let none: &[(&str, &str)] = &[];
        assert_eq!(NatsAuth::from_env(None, &env(none)), Ok(NatsAuth::None));
        assert_eq!(
            NatsAuth::from_env(None, &env(&[(TOKEN_ENV, "t0k")])),
            Ok(NatsAuth::Token(Secret("t0k".into())))
        );
        assert!(NatsAuth::from_env(None, &env(&[(USER_ENV, "u")])).is_err());
        assert_eq!(
            NatsAuth::from_env(None, &env(&[(USER_ENV, "u"), (PASSWORD_ENV, "p")])),
            Ok(NatsAuth::UserPassword {
                user: "u".into(),
                password: Secret("p".into())
            })
        );
        assert!(NatsAuth::from_env(None, &env(&[(USER_ENV, "u"), (TOKEN_ENV, "t")])).is_err());
    }
}
