//! A hint to the processor to start loading what an event will touch a
//! little later. On a floor of 50,000 agents an agent's parts (its state,
//! its occupancy, its window sums) are rarely in the cache; asked for as
//! soon as the agent is known, their loads overlap the event's other work
//! instead of stalling it one after another.

/// Asks the processor to bring `x` into the cache, without waiting for it.
#[cfg(target_arch = "x86_64")]
pub fn prefetch<T>(x: &T) {
    use std::arch::x86_64::{_MM_HINT_T0, _mm_prefetch};
    // SAFETY: a prefetch is only a hint: it reads nothing the program sees
    // and never faults, whatever the address; SSE, which it needs, is part
    // of every x86-64 processor.
    unsafe { _mm_prefetch::<_MM_HINT_T0>(std::ptr::from_ref(x).cast()) }
}

/// Elsewhere, nothing: the load waits until it is needed.
#[cfg(not(target_arch = "x86_64"))]
pub fn prefetch<T>(_: &T) {}
