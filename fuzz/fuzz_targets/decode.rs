//! Any bytes as a feed frame: the decoder and the floor never panic, and the
//! floor's invariants hold afterwards.
//!
//!     cargo fuzz run decode

#![no_main]

use libfuzzer_sys::fuzz_target;
use queuetop_engine::floor::{Floor, Settings};
use queuetop_engine::protocol::{Decoded, decode_frame};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let mut floor = Floor::new(Settings::default());
    // Each line is one frame, so one input can drive a little story.
    for frame in text.lines() {
        decode_frame(frame, |d| {
            if let Decoded::Event(ev) = &d {
                floor.advance(ev.ts);
            }
            floor.ingest(&d);
        });
    }
    if let Err(e) = floor.audit() {
        panic!("invariant broken: {e}");
    }
    let _ = floor.queue_views(queuetop_engine::floor::WindowKind::Rolling);
    let _ = floor.agent_views(queuetop_engine::floor::WindowKind::Today);
});
