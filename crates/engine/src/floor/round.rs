//! A figure rounded exactly, for one the screen and the JSON both show to
//! the same decimals (a survey score's mean): a tie goes to the even digit
//! as docs/metrics.md says (111 over 40 is 2.78), where rounding the binary
//! quotient lands ties on either side (2.775 is 2.77499999999999991).

/// `num / den` to `digits` decimals, a tie to the even digit, worked out on
/// the integers; `None` when `den` is not positive.
pub fn decimal(num: i64, den: i64, digits: u32) -> Option<f64> {
    if den <= 0 {
        return None;
    }
    let scale = 10u64.pow(digits);
    let d = den.unsigned_abs();
    // In 64 bits when the scaled value fits (any real count does): a
    // 128-bit division costs several times more, on every queue's figures
    // of every frame.
    let (q, r) = match num.unsigned_abs().checked_mul(scale) {
        Some(n) => (u128::from(n / d), u128::from(n % d)),
        None => {
            let n = u128::from(num.unsigned_abs()) * u128::from(scale);
            (n / u128::from(d), n % u128::from(d))
        }
    };
    let q = match (2 * r).cmp(&u128::from(d)) {
        std::cmp::Ordering::Less => q,
        std::cmp::Ordering::Greater => q + 1,
        std::cmp::Ordering::Equal => q + (q & 1),
    };
    let v = q as f64 / scale as f64;
    Some(if num < 0 { -v } else { v })
}

/// `100 * num / den`, not rounded, as a double that rounds as the exact
/// value does wherever it is shown: one division of whole numbers, and a
/// value that is a tie at one decimal (49 of 80: 61.25; 247 of 2,000:
/// 12.35, whose nearest double is a hair below) moved one unit in its last
/// place to the side its even digit is on, so that one decimal gives 61.2
/// and 12.4. (Ties at the unit, where the screen rounds some percentages,
/// are halves, which binary holds and this never moves.)
pub fn pct(num: i64, den: i64) -> Option<f64> {
    if den <= 0 {
        return None;
    }
    let x = num.saturating_mul(100) as f64 / den as f64;
    // Twice the value in tenths is an odd whole number only at a tie (in
    // 64 bits: no count is anywhere near overflowing them).
    let Some(twice_tenths) = num.checked_mul(2_000) else {
        return Some(x);
    };
    if twice_tenths % den != 0 || (twice_tenths / den) % 2 == 0 {
        return Some(x);
    }
    let even = decimal(num.saturating_mul(100), den, 1)?;
    Some(if even == x {
        x
    } else {
        ulp_toward(x, even > x)
    })
}

/// The next double from `x` (not zero: a tie never is) up or down. (As
/// `f64::next_up`, which is newer than the Rust this builds with.)
fn ulp_toward(x: f64, up: bool) -> f64 {
    let bits = x.to_bits();
    // Away from zero is one more in the bits, toward it one less.
    f64::from_bits(if (x > 0.0) == up { bits + 1 } else { bits - 1 })
}

/// A share of a whole, kept as its two whole numbers so that each place
/// rounds it exactly to its own precision (occupancy: time occupied over
/// time occupied or available; the JSON shows it to one decimal, the screen
/// to the unit, and rounding a rounded value again would land ties wrong).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Share {
    part: i64,
    whole: i64,
}

impl Share {
    /// `None` for a whole of nothing.
    pub fn new(part: i64, whole: i64) -> Option<Share> {
        (whole > 0).then_some(Share { part, whole })
    }

    /// As a percentage, not rounded (to sort, compare and subtract).
    pub fn pct(self) -> f64 {
        100.0 * self.part as f64 / self.whole as f64
    }

    /// As a percentage to `digits` decimals, a tie to the even digit.
    pub fn pct_to(self, digits: u32) -> f64 {
        decimal(self.part.saturating_mul(100), self.whole, digits).unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ties_go_to_the_even_digit_on_the_exact_value() {
        assert_eq!(decimal(111, 40, 2), Some(2.78));
        assert_eq!(decimal(109, 40, 2), Some(2.72));
        assert_eq!(decimal(6_125, 1_000, 2), Some(6.12));
        // 12.35 has no exact binary form: its double is below the tie.
        assert_eq!(decimal(247, 20, 1), Some(12.4));
        assert_eq!(decimal(-111, 40, 2), Some(-2.78));
        assert_eq!(decimal(6, 7, 3), Some(0.857));
        assert_eq!(decimal(0, 5, 2), Some(0.0));
        assert_eq!(decimal(1, 0, 2), None);
        // Past 64 bits once scaled: the wide path, the same answer.
        let wide = decimal(i64::MAX, 10, 2).unwrap();
        assert!((wide / (i64::MAX as f64 / 10.0) - 1.0).abs() < 1e-12);
        assert_eq!(decimal(-i64::MAX, 10, 2), Some(-wide));
        assert_eq!(decimal(1, -3, 2), None);
    }

    /// As the JSON rounds: to one decimal by the binary value's text.
    fn one_decimal(x: f64) -> String {
        format!("{x:.1}")
    }

    #[test]
    fn a_percentage_rounds_as_its_exact_value() {
        assert_eq!(one_decimal(pct(49, 80).unwrap()), "61.2");
        assert_eq!(one_decimal(pct(23, 80).unwrap()), "28.8");
        assert_eq!(one_decimal(pct(247, 2_000).unwrap()), "12.4");
        assert_eq!(one_decimal(pct(249, 2_000).unwrap()), "12.4");
        assert_eq!(one_decimal(pct(-247, 2_000).unwrap()), "-12.4");
        assert_eq!(one_decimal(pct(1, 3).unwrap()), "33.3");
        // The unit, as the screen shows NPS: 12.5 is a half binary holds.
        assert_eq!(format!("{:.0}", pct(1, 8).unwrap()), "12");
        assert_eq!(pct(1, 0), None);
    }

    #[test]
    fn a_share_rounds_exactly_at_each_precision() {
        // 66.35 % has no exact binary form; its double is below the tie.
        let s = Share::new(1_327, 2_000).unwrap();
        assert_eq!(s.pct_to(1), 66.4);
        assert_eq!(
            Share::new(77, 200).unwrap().pct_to(0),
            38.0,
            "38.5: to even"
        );
        assert_eq!(Share::new(7_709, 20_000).unwrap().pct_to(0), 39.0, "38.545");
        assert_eq!(Share::new(7_709, 20_000).unwrap().pct_to(1), 38.5);
        assert!((s.pct() - 66.35).abs() < 1e-9);
        assert_eq!(Share::new(1, 0), None);
    }

    proptest::proptest! {
        #[test]
        fn a_percentage_is_within_an_ulp_and_rounds_as_the_exact_value(num in -100_000i64..100_000, den in 1i64..100_000) {
            let got = pct(num, den).unwrap();
            let exact = 100.0 * num as f64 / den as f64;
            proptest::prop_assert!((got - exact).abs() <= exact.abs() * 1e-15 + 1e-12);
            let want = decimal(num * 100, den, 1).unwrap();
            proptest::prop_assert_eq!(one_decimal(got), one_decimal(want));
        }

        #[test]
        fn within_half_a_unit_of_the_last_digit(num in -1_000_000i64..1_000_000, den in 1i64..100_000) {
            let got = decimal(num, den, 2).unwrap();
            let exact = num as f64 / den as f64;
            proptest::prop_assert!((got - exact).abs() <= 0.005 + 1e-9);
            // And it reads back as a number of two decimals.
            proptest::prop_assert_eq!(format!("{got:.2}").parse::<f64>().unwrap(), got);
        }
    }
}
