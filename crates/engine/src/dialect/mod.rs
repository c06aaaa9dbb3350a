//! Dialects: decoders from a platform's own messages to feed-v1 events.
//!
//! The floor model and everything after it only ever see feed-v1
//! [`Event`](crate::protocol::Event)s. A dialect is one module with one
//! [`Dialect`] implementation; adding a platform means adding a module here
//! and a line in [`DialectKind`], nothing else.

mod amazon_connect;
mod asterisk;
mod genesys;
mod json;
mod ledger;
mod memo;
mod native;
mod platform;
mod twilio;

use std::fmt;

pub use amazon_connect::AmazonConnect;
pub use asterisk::Asterisk;
pub use genesys::Genesys;
pub use native::Native;
pub use twilio::Twilio;

use crate::protocol::Decoded;
use crate::time::Ts;

/// What the transport should do after a frame.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum Signal {
    #[default]
    None,
    /// The server announced it will close this connection soon: open the
    /// next one now, before the old one drops (Genesys `socket_closing`).
    ReconnectSoon,
}

pub trait Dialect: Send {
    /// Decodes one received text frame, handing every event or problem to
    /// `out`. `received` is when the frame arrived, on the feed's clock as
    /// best known; platforms whose messages carry no time use it as `ts`.
    fn decode<'a>(
        &mut self,
        frame: &'a str,
        received: Ts,
        out: &mut dyn FnMut(Decoded<'a>),
    ) -> Signal;

    /// Text frames to send after every (re)connect, after the configured
    /// subscribe message.
    fn on_connect(&mut self) -> Vec<String> {
        Vec::new()
    }

    /// The line `--record` writes for a frame: by default the frame itself,
    /// on one line. A dialect whose messages carry no time keeps the receive
    /// time here, so that a replay sees the same times.
    fn record_line(&self, frame: &str, _received: Ts) -> String {
        one_line(frame)
    }
}

/// A frame on one line: raw line breaks are JSON whitespace outside strings
/// (and not allowed inside them), so replacing them keeps the JSON intact.
pub fn one_line(frame: &str) -> String {
    frame.replace(['\n', '\r'], " ")
}

/// What a dialect may need from the configuration.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct DialectSetup {
    /// The queue ids the config names (`[queues.ID]`): Genesys subscribes
    /// to their conversation topics.
    pub queues: Vec<String>,
    /// The config sets its own subscribe message; the dialect then sends
    /// none of its own.
    pub subscribe_configured: bool,
}

/// Declares every dialect once: its variant, its name on the command line
/// and in the config, and how to make it. Adding a dialect is adding its
/// module and one line to the list below.
macro_rules! dialects {
    ($($(#[$doc:meta])* $variant:ident => $name:literal, $make:expr;)+) => {
        /// The dialects queuetop speaks.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
        pub enum DialectKind {
            #[default]
            $($(#[$doc])* $variant,)+
        }

        impl DialectKind {
            pub const ALL: &'static [DialectKind] = &[$(DialectKind::$variant,)+];

            pub fn name(self) -> &'static str {
                match self {
                    $(DialectKind::$variant => $name,)+
                }
            }

            pub fn make_with(self, setup: &DialectSetup) -> Box<dyn Dialect> {
                let make: fn(&DialectSetup) -> Box<dyn Dialect> = match self {
                    $(DialectKind::$variant => $make,)+
                };
                make(setup)
            }
        }
    };
}

dialects! {
    /// feed-v1 itself (the default: the first line).
    Native => "native", |_| Box::new(Native);
    Asterisk => "asterisk", |_| Box::new(Asterisk::default());
    AmazonConnect => "amazon-connect", |_| Box::new(AmazonConnect::default());
    Twilio => "twilio", |_| Box::new(Twilio::default());
    Genesys => "genesys", |setup| Box::new(Genesys::new(setup));
}

impl DialectKind {
    /// Every name, for messages: `native, asterisk, ...`.
    pub fn names() -> String {
        Self::ALL
            .iter()
            .map(|k| k.name())
            .collect::<Vec<_>>()
            .join(", ")
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.iter().copied().find(|k| k.name() == s)
    }

    pub fn make(self) -> Box<dyn Dialect> {
        self.make_with(&DialectSetup::default())
    }
}

impl fmt::Display for DialectKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}
