//! The feed's URL, checked once: scheme, host, port, and a form fit for
//! logs and the screen (no credentials, no query: tokens hide there too).

use url::{Host, Url};

#[derive(Clone, Debug)]
pub struct Target {
    pub url: Url,
    pub tls: bool,
    /// Host name or IP address, without brackets.
    pub host: String,
    pub port: u16,
}

impl Target {
    pub fn parse(s: &str) -> Result<Target, String> {
        let url = Url::parse(s.trim()).map_err(|e| format!("'{}' is not a URL: {e}", redact(s)))?;
        let tls = match url.scheme() {
            "wss" => true,
            "ws" => false,
            other => {
                return Err(format!(
                    "'{}': the scheme must be ws:// or wss://, not {other}://",
                    redact(s)
                ));
            }
        };
        let host = match url.host() {
            Some(Host::Domain(d)) => d.to_string(),
            Some(Host::Ipv4(ip)) => ip.to_string(),
            Some(Host::Ipv6(ip)) => ip.to_string(),
            None => return Err(format!("'{}' has no host", redact(s))),
        };
        let port = url
            .port_or_known_default()
            .unwrap_or(if tls { 443 } else { 80 });
        Ok(Target {
            url,
            tls,
            host,
            port,
        })
    }

    /// `host:port` as a CONNECT request and the Host header write it.
    pub fn authority(&self) -> String {
        authority(&self.host, self.port)
    }

    pub fn redacted(&self) -> String {
        redact_url(&self.url)
    }
}

pub fn authority(host: &str, port: u16) -> String {
    if host.contains(':') {
        format!("[{host}]:{port}")
    } else {
        format!("{host}:{port}")
    }
}

/// A URL without user, password, query or fragment.
pub fn redact(s: &str) -> String {
    match Url::parse(s.trim()) {
        Ok(u) => redact_url(&u),
        // Not a URL: show only up to the first character that could start
        // credentials or a query.
        Err(_) => s
            .split(['@', '?', '#'])
            .next()
            .unwrap_or_default()
            .chars()
            .filter(|c| !queuetop_engine::text::is_unsafe(*c))
            .take(200)
            .collect(),
    }
}

fn redact_url(u: &Url) -> String {
    let mut u = u.clone();
    let _ = u.set_username("");
    let _ = u.set_password(None);
    u.set_query(None);
    u.set_fragment(None);
    u.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_ws_and_wss_with_default_ports() {
        let t = Target::parse("wss://feed.example.com/v1").unwrap();
        assert!(t.tls);
        assert_eq!((t.host.as_str(), t.port), ("feed.example.com", 443));
        let t = Target::parse("ws://[::1]:9000/x").unwrap();
        assert!(!t.tls);
        assert_eq!(t.authority(), "[::1]:9000");
        assert!(Target::parse("http://x/").unwrap_err().contains("ws://"));
        assert!(Target::parse("nonsense").is_err());
    }

    #[test]
    fn redaction_drops_credentials_and_query() {
        assert_eq!(
            redact("wss://me:pw@h.example/p?token=s3cret#f"),
            "wss://h.example/p"
        );
        assert_eq!(redact("not a url?token=s3cret"), "not a url");
    }
}
