//! A removable histogram for first-response percentiles.
//!
//! The rolling window adds and removes samples all the time, and the screen
//! asks for p50/p90 every frame, so percentiles come from buckets rather than
//! a sorted list. Buckets are 100 ms wide below 50 s and 1 % wide above, and
//! each remembers the sum of its values: a percentile is the mean of the
//! bucket holding the nearest-rank sample. That is exact whenever the bucket
//! holds one distinct value and never off by more than the bucket's width,
//! well inside docs/metrics.md's max(1 s, 2 %).

use crate::time::Millis;

const LINEAR_STEP: Millis = 100;
const LINEAR_LIMIT: Millis = 50_000;
const LINEAR_BUCKETS: u32 = (LINEAR_LIMIT / LINEAR_STEP) as u32;
/// ln(1.01): each logarithmic bucket is 1 % wider than the one before.
const LOG_RATIO_LN: f64 = 0.009_950_330_853_168_083;

#[derive(Clone, Debug, Default, PartialEq)]
pub struct Histogram {
    /// The buckets that hold a sample, in order: a few hundred at most, so
    /// a sorted vector is searched in one piece of memory where a B-tree
    /// would chase nodes (each sample is added to several histograms, and
    /// removed again as it leaves the rolling window).
    buckets: Vec<Bucket>,
    count: u32,
    sum: i64,
}

#[derive(Clone, Copy, Debug, PartialEq)]
struct Bucket {
    id: u32,
    /// Samples held, never 0 (an emptied bucket is removed).
    n: u32,
    sum: i64,
}

/// The bucket a value falls in: a sample's is worked out once for every
/// histogram it is added to (a logarithm above 50 s).
pub(super) fn bucket_of(v: Millis) -> u32 {
    let v = v.max(0);
    if v < LINEAR_LIMIT {
        return (v / LINEAR_STEP) as u32;
    }
    let steps = ((v as f64 / LINEAR_LIMIT as f64).ln() / LOG_RATIO_LN) as u32;
    LINEAR_BUCKETS + steps
}

impl Histogram {
    /// Heap bytes held, roughly (for the rewind history's bound).
    pub(super) fn heap_bytes(&self) -> usize {
        super::footprint::vec(&self.buckets)
    }

    #[cfg(test)]
    pub fn add(&mut self, v: Millis) {
        self.add_in(bucket_of(v), v);
    }

    /// [`Histogram::add`] with `v`'s bucket already known.
    pub(super) fn add_in(&mut self, bucket: u32, v: Millis) {
        self.add_n(bucket, 1, v);
        self.count += 1;
        self.sum += v;
    }

    /// Where bucket `id` is held (`Ok`), or would go (`Err`), as a binary
    /// search of all the buckets would say. Ids are distinct and sorted,
    /// so the bucket of `id` is at place `id` or before: where every
    /// bucket below it is held, as in the busy range of a histogram, it is
    /// found with one look, and otherwise only the places up to `id` are
    /// searched.
    fn find(&self, id: u32) -> Result<usize, usize> {
        let end = self.buckets.len().min(id as usize + 1);
        let Some(last) = end.checked_sub(1) else {
            return Err(0);
        };
        match self.buckets[last].id {
            held if held == id => Ok(last),
            // Every bucket up to `end` is below `id`, and any after it above.
            held if held < id => Err(end),
            _ => self.buckets[..last].binary_search_by_key(&id, |b| b.id),
        }
    }

    /// Adds `n` samples summing to `sum` to one bucket, not to the totals.
    fn add_n(&mut self, id: u32, n: u32, sum: i64) {
        match self.find(id) {
            Ok(i) => {
                let b = &mut self.buckets[i];
                b.n += n;
                b.sum += sum;
            }
            Err(i) => self.buckets.insert(i, Bucket { id, n, sum }),
        }
    }

    #[cfg(test)]
    pub fn remove(&mut self, v: Millis) {
        self.remove_in(bucket_of(v), v);
    }

    /// [`Histogram::remove`] with `v`'s bucket already known.
    pub(super) fn remove_in(&mut self, id: u32, v: Millis) {
        if let Ok(i) = self.find(id) {
            let e = &mut self.buckets[i];
            e.n = e.n.saturating_sub(1);
            e.sum -= v;
            if e.n == 0 {
                self.buckets.remove(i);
            }
            self.count = self.count.saturating_sub(1);
            self.sum -= v;
        }
    }

    pub fn count(&self) -> u32 {
        self.count
    }

    pub fn sum(&self) -> i64 {
        self.sum
    }

    /// Adds every sample of `other` (a site's total row, docs/sites.md).
    pub fn merge(&mut self, other: &Histogram) {
        for b in &other.buckets {
            self.add_n(b.id, b.n, b.sum);
        }
        self.count += other.count;
        self.sum += other.sum;
    }

    /// Nearest-rank percentile: the sample at rank `ceil(p/100 * n)`.
    pub fn percentile(&self, p: f64) -> Option<f64> {
        if self.count == 0 {
            return None;
        }
        let rank = ((p / 100.0 * self.count as f64).ceil() as u32).clamp(1, self.count);
        let mut seen = 0;
        for b in &self.buckets {
            seen += b.n;
            if seen >= rank {
                return Some(b.sum as f64 / b.n as f64);
            }
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn exact(values: &mut [Millis], p: f64) -> f64 {
        values.sort();
        let rank = ((p / 100.0 * values.len() as f64).ceil() as usize).clamp(1, values.len());
        values[rank - 1] as f64
    }

    #[test]
    fn nearest_rank_on_distinct_values() {
        let mut h = Histogram::default();
        for v in [9_000, 1_000, 38_000, 14_000, 5_000] {
            h.add(v);
        }
        // n = 5: p50 is rank 3, p90 is rank 5.
        assert_eq!(h.percentile(50.0), Some(9_000.0));
        assert_eq!(h.percentile(90.0), Some(38_000.0));
        h.remove(38_000);
        assert_eq!(h.percentile(90.0), Some(14_000.0));
        assert_eq!(h.count(), 4);
    }

    #[test]
    fn buckets_are_found_where_a_binary_search_finds_them() {
        let mut h = Histogram::default();
        let mut x = 11u64;
        for _ in 0..3_000 {
            x = x.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1);
            let id = (x >> 33) as u32 % 700;
            let want = h.buckets.binary_search_by_key(&id, |b| b.id);
            assert_eq!(h.find(id), want, "bucket {id}");
            if x >> 63 == 0 {
                h.add_n(id, 1, 0);
            } else if let Ok(i) = want {
                h.buckets.remove(i);
            }
        }
    }

    #[test]
    fn empty_has_no_percentile() {
        let mut h = Histogram::default();
        assert_eq!(h.percentile(50.0), None);
        h.add(5);
        h.remove(5);
        assert_eq!(h.percentile(50.0), None);
        assert!(h.buckets.is_empty());
    }

    #[test]
    fn error_stays_inside_the_spec_bound() {
        let mut values: Vec<Millis> = (0..2_000)
            .map(|i| (i * i * 37 + i * 911) % 3_600_000)
            .collect();
        let mut h = Histogram::default();
        for v in &values {
            h.add(*v);
        }
        for p in [1.0, 50.0, 90.0, 99.0, 100.0] {
            let want = exact(&mut values, p);
            let got = h.percentile(p).unwrap();
            let bound = (0.02 * want).max(1000.0);
            assert!((got - want).abs() <= bound, "p{p}: got {got}, want {want}");
        }
    }
}
