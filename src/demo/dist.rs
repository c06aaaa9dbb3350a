//! The few random draws the simulation makes, as milliseconds.
//!
//! One seeded generator drives everything, and draws happen in a fixed order
//! (the order events are processed), so a seed always gives the same floor.

use rand::{RngExt, SeedableRng};
use rand_distr::{Distribution, Exp, LogNormal};

use super::roster::Dur;
use queuetop_engine::time::Millis;

/// The generator: PCG is small, fast and has a stable, documented output
/// for a given seed, unlike `StdRng`, whose algorithm may change.
pub type DemoRng = rand_pcg::Pcg64;

pub fn rng(seed: u64) -> DemoRng {
    DemoRng::seed_from_u64(seed)
}

fn ms(secs: f64) -> Millis {
    (secs * 1000.0).round() as Millis
}

/// A log-normal duration, clamped to `[min_s, max_s]`: most contacts are
/// short, a few run long, none absurdly.
pub fn lognormal(rng: &mut DemoRng, d: Dur, min_s: f64, max_s: f64) -> Millis {
    let s = match LogNormal::from_mean_cv(d.mean_s, d.cv) {
        Ok(dist) => dist.sample(rng),
        Err(_) => d.mean_s,
    };
    ms(s.clamp(min_s, max_s))
}

/// The gap to the next event of a Poisson process with `per_hour` events
/// an hour; `None` when the rate is zero.
pub fn exp_gap(rng: &mut DemoRng, per_hour: f64) -> Option<Millis> {
    if !(per_hour > 0.0 && per_hour.is_finite()) {
        return None;
    }
    let dist = Exp::new(per_hour / 3_600_000.0).ok()?;
    // At least 1 ms, so time always moves on.
    Some((dist.sample(rng).round() as Millis).max(1))
}

/// A uniform duration between `lo_s` and `hi_s` seconds.
pub fn uniform(rng: &mut DemoRng, lo_s: f64, hi_s: f64) -> Millis {
    if hi_s <= lo_s {
        return ms(lo_s);
    }
    ms(rng.random_range(lo_s..hi_s))
}

pub fn chance(rng: &mut DemoRng, p: f64) -> bool {
    rng.random_bool(p.clamp(0.0, 1.0))
}

/// A uniform float in `[0, 1)`.
pub fn unit(rng: &mut DemoRng) -> f64 {
    rng.random::<f64>()
}

/// An index below `n` (`n > 0`).
pub fn pick(rng: &mut DemoRng, n: usize) -> usize {
    if n <= 1 { 0 } else { rng.random_range(0..n) }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lognormal_is_clamped_and_near_its_mean() {
        let mut r = rng(1);
        let d = Dur {
            mean_s: 300.0,
            cv: 0.6,
        };
        let n = 4000;
        let draws: Vec<Millis> = (0..n).map(|_| lognormal(&mut r, d, 20.0, 1800.0)).collect();
        assert!(draws.iter().all(|&x| (20_000..=1_800_000).contains(&x)));
        let mean = draws.iter().sum::<Millis>() as f64 / n as f64 / 1000.0;
        assert!((270.0..330.0).contains(&mean), "mean {mean}");
    }

    #[test]
    fn exp_gap_mean_matches_rate() {
        let mut r = rng(2);
        let n = 4000;
        let total: Millis = (0..n).filter_map(|_| exp_gap(&mut r, 60.0)).sum();
        let mean_s = total as f64 / n as f64 / 1000.0;
        assert!((55.0..65.0).contains(&mean_s), "mean gap {mean_s}");
        assert_eq!(exp_gap(&mut r, 0.0), None);
        assert_eq!(exp_gap(&mut r, f64::NAN), None);
    }

    #[test]
    fn same_seed_same_draws() {
        let (mut a, mut b) = (rng(9), rng(9));
        let xs: Vec<_> = (0..10).map(|_| uniform(&mut a, 1.0, 9.0)).collect();
        let ys: Vec<_> = (0..10).map(|_| uniform(&mut b, 1.0, 9.0)).collect();
        assert_eq!(xs, ys);
        let mut c = rng(10);
        let zs: Vec<_> = (0..10).map(|_| uniform(&mut c, 1.0, 9.0)).collect();
        assert_ne!(xs, zs);
    }
}
