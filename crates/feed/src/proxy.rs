//! HTTP CONNECT proxies: which one to use (config, then the environment,
//! with `NO_PROXY`), and opening a tunnel through it. Jump hosts often reach
//! the outside only this way. tokio-tungstenite has no proxy support, so we
//! open the tunnel ourselves and run TLS and the WebSocket handshake in it.

use base64::Engine;
use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt};
use url::Url;

use super::Secret;
use super::error::LinkError;
use super::target::{Target, authority};

/// Most bytes of a proxy's answer to CONNECT we read before giving up.
const MAX_HEAD: usize = 8 * 1024;

#[derive(Clone, Debug)]
pub struct Proxy {
    pub host: String,
    pub port: u16,
    /// `Basic ...` credentials from the proxy URL's user and password.
    auth: Option<Secret>,
    /// Where the proxy came from, for messages ("HTTPS_PROXY", "key `feed.proxy`").
    pub origin: String,
}

impl Proxy {
    pub fn parse(s: &str, origin: &str) -> Result<Proxy, String> {
        let s = s.trim();
        let with_scheme = if s.contains("://") {
            s.to_string()
        } else {
            format!("http://{s}")
        };
        let bad = |why: &str| format!("{origin}: '{}' {why}", super::target::redact(&with_scheme));
        let url = Url::parse(&with_scheme).map_err(|e| bad(&format!("is not a proxy URL: {e}")))?;
        if url.scheme() != "http" {
            return Err(bad(
                "is not supported: give an HTTP CONNECT proxy as http://HOST:PORT",
            ));
        }
        let host = match url.host() {
            Some(url::Host::Domain(d)) => d.to_string(),
            Some(url::Host::Ipv4(ip)) => ip.to_string(),
            Some(url::Host::Ipv6(ip)) => ip.to_string(),
            None => return Err(bad("has no host")),
        };
        let decode = |s: &str| {
            percent_encoding::percent_decode_str(s)
                .decode_utf8_lossy()
                .into_owned()
        };
        let auth = (!url.username().is_empty()).then(|| {
            let pair = format!(
                "{}:{}",
                decode(url.username()),
                decode(url.password().unwrap_or(""))
            );
            Secret(format!(
                "Basic {}",
                base64::engine::general_purpose::STANDARD.encode(pair)
            ))
        });
        Ok(Proxy {
            host,
            port: url.port_or_known_default().unwrap_or(80),
            auth,
            origin: origin.to_string(),
        })
    }

    pub fn authority(&self) -> String {
        authority(&self.host, self.port)
    }
}

/// The proxy for `target`: `configured` wins (`""` means none); otherwise
/// `https_proxy`/`HTTPS_PROXY` for wss://, `http_proxy`/`HTTP_PROXY` for
/// ws://, unless `no_proxy`/`NO_PROXY` names the host.
pub fn choose(
    configured: Option<&str>,
    target: &Target,
    env: &dyn Fn(&str) -> Option<String>,
) -> Result<Option<Proxy>, String> {
    if let Some(c) = configured {
        return if c.trim().is_empty() {
            Ok(None)
        } else {
            Proxy::parse(c, "key `feed.proxy`").map(Some)
        };
    }
    let first = |names: [&'static str; 2]| {
        names
            .into_iter()
            .find_map(|n| env(n).filter(|v| !v.trim().is_empty()).map(|v| (n, v)))
    };
    let names = if target.tls {
        ["https_proxy", "HTTPS_PROXY"]
    } else {
        ["http_proxy", "HTTP_PROXY"]
    };
    let Some((name, value)) = first(names) else {
        return Ok(None);
    };
    if let Some((_, list)) = first(["no_proxy", "NO_PROXY"])
        && bypass(&list, &target.host, target.port)
    {
        return Ok(None);
    }
    Proxy::parse(&value, name).map(Some)
}

/// Whether a `NO_PROXY` list names `host:port`. Entries are separated by
/// commas (or spaces): `*` (everything), a host or domain suffix
/// (`example.com` and `.example.com` both match `a.example.com`), an IP
/// address, each optionally with `:port`.
pub fn bypass(list: &str, host: &str, port: u16) -> bool {
    let host = host.trim_end_matches('.').to_ascii_lowercase();
    list.split([',', ' '])
        .map(str::trim)
        .filter(|e| !e.is_empty())
        .any(|entry| {
            if entry == "*" {
                return true;
            }
            let (name, entry_port) = split_port(entry);
            if entry_port.is_some_and(|p| p != port) {
                return false;
            }
            let name = name
                .trim_start_matches("*.")
                .trim_start_matches('.')
                .trim_end_matches('.')
                .to_ascii_lowercase();
            !name.is_empty()
                && (host == name
                    || (host.len() > name.len()
                        && host.ends_with(&name)
                        && host.as_bytes()[host.len() - name.len() - 1] == b'.'))
        })
}

/// `host:port`, `[v6]:port`, `[v6]`, bare `v6` or `host`.
fn split_port(entry: &str) -> (&str, Option<u16>) {
    if let Some(rest) = entry.strip_prefix('[') {
        let (h, after) = rest.split_once(']').unwrap_or((rest, ""));
        return (h, after.strip_prefix(':').and_then(|p| p.parse().ok()));
    }
    match entry.rsplit_once(':') {
        Some((h, p)) if !h.contains(':') => match p.parse() {
            Ok(p) => (h, Some(p)),
            Err(_) => (entry, None),
        },
        _ => (entry, None),
    }
}

/// Asks the proxy for a tunnel to `host:port` over `stream`; on success the
/// stream is the tunnel. The answer is read a byte at a time, so that not
/// one byte of the tunnel is taken with it, and no further than `MAX_HEAD`.
pub async fn tunnel<S: AsyncRead + AsyncWrite + Unpin>(
    stream: &mut S,
    proxy: &Proxy,
    to: &str,
) -> Result<(), LinkError> {
    let stage = format!("talking to proxy {}", proxy.authority());
    let mut request = format!("CONNECT {to} HTTP/1.1\r\nHost: {to}\r\n");
    if let Some(auth) = &proxy.auth {
        request.push_str("Proxy-Authorization: ");
        request.push_str(&auth.0);
        request.push_str("\r\n");
    }
    request.push_str("\r\n");
    stream
        .write_all(request.as_bytes())
        .await
        .map_err(|e| LinkError::io(&e, &stage))?;
    drop(request);
    let mut head = Vec::with_capacity(256);
    while !head.ends_with(b"\r\n\r\n") {
        if head.len() >= MAX_HEAD {
            return Err(LinkError::new(format!(
                "proxy {} sent an over-long answer",
                proxy.authority()
            )));
        }
        let mut byte = [0u8; 1];
        match stream.read(&mut byte).await {
            Ok(0) => {
                return Err(LinkError::new(format!(
                    "proxy {} closed the connection",
                    proxy.authority()
                )));
            }
            Ok(_) => head.push(byte[0]),
            Err(e) => return Err(LinkError::io(&e, &stage)),
        }
    }
    let mut headers = [httparse::EMPTY_HEADER; 64];
    let mut response = httparse::Response::new(&mut headers);
    match response.parse(&head) {
        Ok(httparse::Status::Complete(_)) => match response.code {
            Some(200..=299) => Ok(()),
            Some(code) => Err(LinkError::new(format!(
                "proxy {} refused the tunnel: {code} {}",
                proxy.authority(),
                response.reason.unwrap_or("")
            ))),
            None => Err(LinkError::new("proxy answer has no status")),
        },
        _ => Err(LinkError::new(format!(
            "proxy {} did not answer in HTTP",
            proxy.authority()
        ))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env(vars: &[(&str, &str)]) -> impl Fn(&str) -> Option<String> {
        let vars: Vec<(String, String)> = vars
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        move |name| vars.iter().find(|(k, _)| k == name).map(|(_, v)| v.clone())
    }

    #[test]
    fn no_proxy_matches_suffixes_ports_and_star() {
        assert!(bypass("*", "anything", 1));
        assert!(bypass("example.com", "feed.example.com", 443));
        assert!(bypass(".example.com", "feed.example.com", 443));
        assert!(bypass("example.com", "example.com", 443));
        assert!(!bypass("example.com", "badexample.com", 443));
        assert!(bypass("localhost, 127.0.0.1", "127.0.0.1", 9));
        assert!(bypass("feed.example.com:443", "feed.example.com", 443));
        assert!(!bypass("feed.example.com:443", "feed.example.com", 8443));
        assert!(bypass("[::1]:80", "::1", 80));
        assert!(bypass("::1", "::1", 80));
        assert!(!bypass("", "a", 1));
    }

    #[test]
    fn environment_and_config_choose_the_proxy() {
        let wss = Target::parse("wss://feed.example.com/").unwrap();
        let ws = Target::parse("ws://feed.example.com/").unwrap();
        let e = env(&[
            ("HTTPS_PROXY", "proxy:3128"),
            ("http_proxy", "http://p2:8080"),
        ]);
        let p = choose(None, &wss, &e).unwrap().unwrap();
        assert_eq!(
            (p.authority().as_str(), p.origin.as_str()),
            ("proxy:3128", "HTTPS_PROXY")
        );
        assert_eq!(
            choose(None, &ws, &e).unwrap().unwrap().authority(),
            "p2:8080"
        );
        // The config wins; "" turns the proxy off.
        assert!(choose(Some(""), &wss, &e).unwrap().is_none());
        let p = choose(Some("http://cfg:1"), &wss, &e).unwrap().unwrap();
        assert_eq!(p.authority(), "cfg:1");
        let e = env(&[("HTTPS_PROXY", "proxy:3128"), ("NO_PROXY", ".example.com")]);
        assert!(choose(None, &wss, &e).unwrap().is_none());
        let e = env(&[("HTTPS_PROXY", "socks5://p:1")]);
        assert!(
            choose(None, &wss, &e)
                .unwrap_err()
                .starts_with("HTTPS_PROXY:")
        );
    }

    #[test]
    fn credentials_become_basic_auth_and_stay_hidden() {
        let p = Proxy::parse("http://us%40er:p%3Ass@proxy:8080", "x").unwrap();
        let expected = base64::engine::general_purpose::STANDARD.encode("us@er:p:ss");
        assert_eq!(p.auth, Some(Secret(format!("Basic {expected}"))));
        assert!(!format!("{p:?}").contains(&expected));
    }
}
