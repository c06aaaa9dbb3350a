//! feed-v1 itself.

use super::{Dialect, Signal};
use crate::protocol::{Decoded, decode_frame};
use crate::time::Ts;

pub struct Native;

impl Dialect for Native {
    fn decode<'a>(
        &mut self,
        frame: &'a str,
        _received: Ts,
        out: &mut dyn FnMut(Decoded<'a>),
    ) -> Signal {
        decode_frame(frame, out);
        Signal::None
    }
}
