//! NATS, for a whole floor: a relay publishes feed-v1 frames to a JetStream
//! stream, and any number of readers follow it, each reading the day's
//! history first.
//!
//! - [`options`]: the broker's address (`nats://`, `tls://`, and the
//!   WebSocket listener as `nats+ws://` / `nats+wss://`), credentials from
//!   the environment or a creds file, and the one retry policy: ours. The
//!   client's own reconnect is held to a single quick try; when the
//!   connection is lost the client is dropped and our backoff decides when
//!   to connect again.
//! - [`stream`]: the JetStream stream the relay creates or updates, and
//!   how a reader finds it.
//! - [`outbox`]: the relay's bounded buffer of numbered frames, waiting
//!   for the broker's acknowledgement.
//! - [`batch`]: several frames to a broker message, so that a reader
//!   catching up pays the per-message cost once for many events.
//! - [`publisher`]: drains the outbox into the stream, with acknowledgements
//!   and message ids so that a retry never stores a frame twice.
//! - [`reader`]: follows a subject into a monitor, history first, and
//!   resumes after the last stream sequence it applied.

pub mod batch;
pub mod options;
pub mod outbox;
pub mod publisher;
pub mod reader;
pub mod stream;

pub use options::{NatsAuth, NatsTarget};
