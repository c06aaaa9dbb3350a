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
    let scale = 10i128.pow(digits);
    let n = i128::from(num).unsigned_abs() * scale.unsigned_abs();
    let d = i128::from(den).unsigned_abs();
    let (q, r) = (n / d, n % d);
    let q = match (2 * r).cmp(&d) {
        std::cmp::Ordering::Less => q,
        std::cmp::Ordering::Greater => q + 1,
        std::cmp::Ordering::Equal => q + (q & 1),
    };
    let v = q as f64 / scale as f64;
    Some(if num < 0 { -v } else { v })
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
        assert_eq!(decimal(1, -3, 2), None);
    }

    proptest::proptest! {
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
