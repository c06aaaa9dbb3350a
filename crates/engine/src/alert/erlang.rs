//! Erlang C (M/M/N): the probability a contact waits, the service level it
//! gives, and the agents a target needs. Stable for large N: Erlang B by its
//! recursion, then C from B, never a factorial.

/// Probability that a contact waits, with `n` agents and `a` Erlangs of
/// traffic; 1 when `n <= a` (the queue grows without bound).
pub fn wait_probability(n: u32, a: f64) -> f64 {
    let mut b = 1.0;
    for k in 1..=n {
        b = a * b / (k as f64 + a * b);
    }
    erlang_c_from_b(n, a, b)
}

fn erlang_c_from_b(n: u32, a: f64, b: f64) -> f64 {
    let n = n as f64;
    if n <= a {
        return 1.0;
    }
    n * b / (n - a * (1.0 - b))
}

/// Share (0-1) of contacts answered within `t_s`, with `n` agents, `a`
/// Erlangs and handle time `aht_s`.
pub fn service_level(n: u32, a: f64, aht_s: f64, t_s: f64) -> f64 {
    if (n as f64) <= a {
        return 0.0;
    }
    1.0 - wait_probability(n, a) * (-(n as f64 - a) * t_s / aht_s).exp()
}

/// The fewest agents whose service level reaches `target` (0-1); `None`
/// when the inputs make no sense or more than `max_n` would be needed.
pub fn agents_needed(a: f64, aht_s: f64, t_s: f64, target: f64, max_n: u32) -> Option<u32> {
    if !(a.is_finite() && aht_s > 0.0 && t_s >= 0.0 && (0.0..1.0).contains(&target)) {
        return None;
    }
    if a <= 0.0 {
        return Some(0);
    }
    let mut b = 1.0;
    for n in 1..=max_n {
        b = a * b / (n as f64 + a * b);
        if (n as f64) <= a {
            continue;
        }
        let sl = 1.0 - erlang_c_from_b(n, a, b) * (-(n as f64 - a) * t_s / aht_s).exp();
        if sl >= target {
            return Some(n);
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    // Reference values: computed independently in exact rational arithmetic
    // with Python's `fractions` and the textbook factorial form
    // Ec = (A^N/N! * N/(N-A)) / (sum_{k<N} A^k/k! + A^N/N! * N/(N-A)),
    // SL = 1 - Ec * exp(-(N-A) T / AHT). The first case is the widely used
    // worked example "360 calls per half hour, 4 minute calls, 55 agents,
    // 15 second target" (A = 48 Erlangs).
    fn close(a: f64, b: f64) -> bool {
        (a - b).abs() < 1e-9
    }

    #[test]
    fn worked_example_48_erlangs() {
        let a = 360.0 / 1800.0 * 240.0;
        assert!(close(a, 48.0));
        assert!(close(wait_probability(55, a), 0.2387009363780092));
        assert!(close(service_level(55, a, 240.0, 15.0), 0.8458830921705803));
        assert!(close(service_level(54, a, 240.0, 15.0), 0.792914311143661));
        assert_eq!(agents_needed(a, 240.0, 15.0, 0.80, 1000), Some(55));
        assert_eq!(agents_needed(a, 240.0, 15.0, 0.79, 1000), Some(54));
    }

    #[test]
    fn ten_erlangs_80_in_20() {
        assert!(close(wait_probability(13, 10.0), 0.28527045303649295));
        assert!(close(
            service_level(13, 10.0, 180.0, 20.0),
            0.7955947884177831
        ));
        assert!(close(
            service_level(14, 10.0, 180.0, 20.0),
            0.8883500191794669
        ));
        assert_eq!(agents_needed(10.0, 180.0, 20.0, 0.80, 1000), Some(14));
    }

    #[test]
    fn small_and_degenerate_inputs() {
        assert!(close(wait_probability(2, 1.0), 1.0 / 3.0));
        assert!(close(wait_probability(4, 1.0), 0.02040816326530612));
        assert_eq!(wait_probability(3, 3.0), 1.0);
        assert_eq!(agents_needed(0.0, 180.0, 20.0, 0.8, 10), Some(0));
        assert_eq!(agents_needed(5.0, 180.0, 20.0, 1.0, 1000), None);
        assert_eq!(agents_needed(500.0, 180.0, 20.0, 0.8, 100), None);
        // Large traffic stays finite (no factorial overflow).
        let n = agents_needed(2000.0, 300.0, 20.0, 0.8, 5000).unwrap();
        assert!((2000..2100).contains(&n), "{n}");
    }
}
