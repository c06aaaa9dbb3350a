//! Which transport a URL's scheme selects: one table, read by the program
//! when it opens a source and by its error messages. A new transport (a
//! broker, say) is a new row and a new [`Transport`](crate::Transport).

/// The transports queuetop speaks.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Scheme {
    /// feed-v1 or a platform's events over a WebSocket ([`crate::ws`]).
    WebSocket,
    /// Asterisk's manager interface over TCP ([`crate::ami`]).
    Ami,
    /// A NATS broker's JetStream stream ([`crate::nats`]): TCP, TLS, or
    /// the broker's WebSocket listener (`nats+ws://`, since `ws://` is a
    /// WebSocket feed).
    Nats,
}

/// Each URL prefix and its transport.
pub const SCHEMES: &[(&str, Scheme)] = &[
    ("ws://", Scheme::WebSocket),
    ("wss://", Scheme::WebSocket),
    ("ami://", Scheme::Ami),
    ("nats://", Scheme::Nats),
    ("tls://", Scheme::Nats),
    ("nats+ws://", Scheme::Nats),
    ("nats+wss://", Scheme::Nats),
];

impl Scheme {
    /// The transport for `url`, by its scheme (case-insensitive, as URLs'
    /// schemes are). `None` names no transport we have.
    pub fn of(url: &str) -> Option<Scheme> {
        SCHEMES.iter().find_map(|(prefix, scheme)| {
            url.get(..prefix.len())
                .filter(|p| p.eq_ignore_ascii_case(prefix))
                .map(|_| *scheme)
        })
    }

    /// The prefixes, for an error message: `ws://, wss:// or ami://`.
    pub fn prefixes() -> String {
        let all: Vec<&str> = SCHEMES.iter().map(|(p, _)| *p).collect();
        match all.split_last() {
            Some((last, rest)) if !rest.is_empty() => format!("{} or {last}", rest.join(", ")),
            _ => all.join(""),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::Scheme;

    #[test]
    fn each_scheme_picks_its_transport() {
        assert_eq!(Scheme::of("wss://h/p"), Some(Scheme::WebSocket));
        assert_eq!(Scheme::of("WS://h"), Some(Scheme::WebSocket));
        assert_eq!(Scheme::of("ami://u@h:5038"), Some(Scheme::Ami));
        assert_eq!(Scheme::of("http://h"), None);
        assert_eq!(Scheme::of("ws:/"), None);
        assert_eq!(Scheme::of("nats://127.0.0.1:4222"), Some(Scheme::Nats));
        assert_eq!(Scheme::of("nats+wss://h"), Some(Scheme::Nats));
        assert_eq!(Scheme::of("tls://h:4222"), Some(Scheme::Nats));
        assert_eq!(
            Scheme::prefixes(),
            "ws://, wss://, ami://, nats://, tls://, nats+ws:// or nats+wss://"
        );
    }
}
