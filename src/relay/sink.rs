//! The relay as a feed's sink: the supervisor of a WebSocket or AMI feed
//! hands it each frame, as it would the view's monitor sink.

use queuetop_engine::dialect::Signal;
use queuetop_engine::health::LinkState;
use queuetop_engine::monitor::lock;
use queuetop_engine::protocol::RejectKind;
use queuetop_engine::time::Ts;
use queuetop_feed::FeedSink;

use super::publish::Relay;

pub struct RelaySink(pub Relay);

impl FeedSink for RelaySink {
    fn connected(&mut self, local_ms: i64) {
        lock(&self.0.monitor).connected(Ts(local_ms));
    }

    fn frame(&mut self, text: &str, local_ms: i64) -> Signal {
        self.0.live_frame(text, Ts(local_ms))
    }

    fn refused(&mut self, why: RejectKind, local_ms: i64) {
        lock(&self.0.monitor).refused(why, Ts(local_ms));
    }

    fn state(&mut self, state: LinkState, _local_ms: i64) {
        lock(&self.0.monitor).set_link(state);
    }

    fn on_connect_messages(&mut self) -> Vec<String> {
        lock(&self.0.monitor).dialect_mut().on_connect()
    }
}
