//! Adding one scope's running sums into another: a site's total row is the
//! sum of its queues' sums (docs/sites.md). Histograms add bucket by
//! bucket, so a merged percentile is the one of all the samples together,
//! never an average of percentiles.

use super::sample::{Agg, Surveys};

impl Surveys {
    fn merge(&mut self, o: &Surveys) {
        self.csat += o.csat;
        self.csat_sum += o.csat_sum;
        self.csat_satisfied += o.csat_satisfied;
        self.nps += o.nps;
        self.promoters += o.promoters;
        self.detractors += o.detractors;
    }
}

impl Agg {
    pub(super) fn merge(&mut self, o: &Agg) {
        self.entered += o.entered;
        self.answered += o.answered;
        self.answered_wait += o.answered_wait;
        self.answered_within += o.answered_within;
        self.abandoned += o.abandoned;
        self.abandoned_counted += o.abandoned_counted;
        self.abandoned_counted_within += o.abandoned_counted_within;
        self.left += o.left;
        self.ended += o.ended;
        self.talk += o.talk;
        self.hold += o.hold;
        self.wrap += o.wrap;
        self.frt.merge(&o.frt);
        self.resolutions += o.resolutions;
        self.first_contact_resolved += o.first_contact_resolved;
        self.art.merge(&o.art);
        self.resolved += o.resolved;
        self.resolved_ms += o.resolved_ms;
        self.waits += o.waits;
        self.waits_ms += o.waits_ms;
        self.longest.merge(&o.longest);
        self.answered_longest = self.answered_longest.max(o.answered_longest);
        self.surveys.merge(&o.surveys);
    }
}

#[cfg(test)]
mod tests {
    use super::super::histogram::Histogram;

    #[test]
    fn merged_percentiles_are_those_of_every_sample() {
        let (mut a, mut b) = (Histogram::default(), Histogram::default());
        for v in [1_000, 2_000, 3_000] {
            a.add(v);
        }
        for v in [40_000, 45_000] {
            b.add(v);
        }
        a.merge(&b);
        assert_eq!(a.count(), 5);
        assert_eq!(a.sum(), 91_000);
        // Rank 3 of 5 is 3 s; rank 5 is 45 s: not a mean of two p50s.
        assert_eq!(a.percentile(50.0), Some(3_000.0));
        assert_eq!(a.percentile(90.0), Some(45_000.0));
    }
}
