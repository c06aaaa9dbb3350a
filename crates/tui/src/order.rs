//! The visible stretch of a long list in order, without sorting the list:
//! a frame shows a few dozen agents out of tens of thousands.

use std::cmp::Ordering;

/// Up to this many rows from the top, one pass keeping the smallest is
/// cheaper than partitioning the whole list.
const ONE_PASS_MAX: usize = 256;

/// The items that sort at positions `lo..hi` of `v` under `order` (a total
/// order), in that order. `v` may be reordered.
pub fn window<T: Copy>(
    v: &mut [T],
    lo: usize,
    hi: usize,
    order: impl Fn(&T, &T) -> Ordering,
) -> Vec<T> {
    let hi = hi.min(v.len());
    let lo = lo.min(hi);
    if hi == lo {
        return Vec::new();
    }
    if hi <= ONE_PASS_MAX {
        // The `hi` smallest, sorted: most items lose to the largest kept
        // in one comparison.
        let mut best: Vec<T> = Vec::with_capacity(hi + 1);
        for x in v.iter() {
            if best.len() == hi {
                match best.last() {
                    Some(last) if order(x, last).is_lt() => {
                        best.pop();
                    }
                    _ => continue,
                }
            }
            let at = best.partition_point(|b| order(b, x).is_lt());
            best.insert(at, *x);
        }
        return best.split_off(lo);
    }
    if lo > 0 && lo < v.len() {
        v.select_nth_unstable_by(lo, &order);
    }
    if hi < v.len() {
        v[lo..].select_nth_unstable_by(hi - lo, &order);
    }
    v[lo..hi].sort_unstable_by(&order);
    v[lo..hi].to_vec()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn any_window_is_that_stretch_of_the_sorted_list() {
        // A scrambled list with repeats of the first key (the second breaks ties).
        let list: Vec<(u32, u32)> = (0..2_000u32)
            .map(|i| ((i.wrapping_mul(7919)) % 97, i))
            .collect();
        let mut sorted = list.clone();
        sorted.sort();
        for (lo, hi) in [
            (0, 0),
            (0, 1),
            (0, 40),
            (3, 40),
            (0, 256),
            (100, 257),
            (1_500, 1_540),
            (1_990, 2_100),
            (2_500, 2_600),
        ] {
            let mut v = list.clone();
            let got = window(&mut v, lo, hi, |a, b| a.cmp(b));
            let want = &sorted[lo.min(2_000)..hi.min(2_000)];
            assert_eq!(got, want, "{lo}..{hi}");
        }
    }
}
