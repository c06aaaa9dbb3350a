//! A `webhook` action: an HTTP POST of the alert (JSON, or `{"text": ...}`
//! for Slack and Teams), with a bearer token from the environment. 5xx
//! answers and connection failures (refused, reset, timed out) are retried
//! with exponential backoff; a 4xx is the server saying no, and is not.

use std::time::Duration;

use queuetop_engine::config::BodyFormat;

use super::message::AlertMessage;

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SendOutcome {
    Delivered,
    /// A 4xx (or another answer that is not success): not retried.
    Refused(u16),
    /// 5xx on every attempt.
    ServerError(u16),
    /// No answer on the last attempt (the reason, for the log).
    Unreachable(String),
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SendReport {
    pub outcome: SendOutcome,
    pub attempts: u32,
}

pub struct Webhook {
    client: reqwest::Client,
    url: String,
    format: BodyFormat,
    token: Option<String>,
    retries: u32,
    timeout: Duration,
    /// The wait before the first retry; doubled each time, at most 30 s.
    backoff: Duration,
}

const MAX_BACKOFF: Duration = Duration::from_secs(30);

/// One HTTP client for every webhook (its connections are pooled). TLS is
/// rustls on ring, as the feed's; the system's roots are trusted.
pub fn client() -> Result<reqwest::Client, String> {
    // Installing fails only when a provider is already installed: fine.
    let _ = rustls::crypto::ring::default_provider().install_default();
    reqwest::Client::builder()
        .user_agent(concat!("queuetop/", env!("CARGO_PKG_VERSION")))
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .map_err(|e| format!("cannot set up the HTTP client: {e}"))
}

impl Webhook {
    pub fn new(
        client: reqwest::Client,
        url: &str,
        format: BodyFormat,
        token: Option<String>,
        retries: u32,
        timeout: Duration,
    ) -> Self {
        Webhook {
            client,
            url: url.to_string(),
            format,
            token,
            retries,
            timeout,
            backoff: Duration::from_secs(1),
        }
    }

    /// Sets the first retry's wait (tests use a short one).
    pub fn with_backoff(mut self, backoff: Duration) -> Self {
        self.backoff = backoff;
        self
    }

    /// The URL without credentials, query or fragment, for the log.
    pub fn shown_url(&self) -> String {
        match reqwest::Url::parse(&self.url) {
            Ok(u) => format!(
                "{}://{}{}",
                u.scheme(),
                u.host_str().unwrap_or(""),
                u.port().map(|p| format!(":{p}")).unwrap_or_default()
            ),
            Err(_) => "(bad url)".into(),
        }
    }

    fn body(&self, msg: &AlertMessage) -> String {
        match self.format {
            BodyFormat::Json => msg.json(),
            BodyFormat::Text => serde_json::json!({ "text": msg.text }).to_string(),
        }
    }

    async fn attempt(&self, body: &str) -> Result<u16, String> {
        let mut req = self
            .client
            .post(&self.url)
            .timeout(self.timeout)
            .header(reqwest::header::CONTENT_TYPE, "application/json")
            .body(body.to_string());
        if let Some(t) = &self.token {
            req = req.bearer_auth(t);
        }
        match req.send().await {
            // The body is not read: nothing of it is needed.
            Ok(resp) => Ok(resp.status().as_u16()),
            Err(e) if e.is_timeout() => Err("timed out".into()),
            Err(e) if e.is_connect() => Err("connection failed".into()),
            Err(_) => Err("request failed".into()),
        }
    }

    pub async fn send(&self, msg: &AlertMessage) -> SendReport {
        let body = self.body(msg);
        let mut wait = self.backoff;
        let mut attempts = 0;
        loop {
            attempts += 1;
            let last = attempts > self.retries;
            let outcome = match self.attempt(&body).await {
                Ok(s) if (200..300).contains(&s) => SendOutcome::Delivered,
                Ok(s) if (500..600).contains(&s) => SendOutcome::ServerError(s),
                Ok(s) => SendOutcome::Refused(s),
                Err(why) => SendOutcome::Unreachable(why),
            };
            let retry = matches!(
                outcome,
                SendOutcome::ServerError(_) | SendOutcome::Unreachable(_)
            );
            if !retry || last {
                return SendReport { outcome, attempts };
            }
            tokio::time::sleep(wait).await;
            wait = (wait * 2).min(MAX_BACKOFF);
        }
    }
}
