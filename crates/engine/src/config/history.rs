//! `[history]`: how far back the view can rewind, in time and in memory.

use serde::Deserialize;

use super::{ConfigError, Dur, err, positive_duration};
use crate::history::Bounds;

#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HistorySection {
    /// Feed time kept, back from now (default 8h).
    pub max_age: Option<Dur>,
    /// Memory the history may take, in MiB (default 256; 0 keeps none).
    pub max_mib: Option<u64>,
}

/// The history's bounds, or `None` when it is turned off (`max_mib = 0`).
pub fn history(section: &HistorySection) -> Result<Option<Bounds>, ConfigError> {
    let d = Bounds::default();
    let max_age = positive_duration("history.max_age", &section.max_age)?.unwrap_or(d.max_age);
    let max_bytes = match section.max_mib {
        None => d.max_bytes,
        Some(0) => return Ok(None),
        Some(n) if n <= 65_536 => (n as usize) << 20,
        Some(n) => {
            return Err(err(format!(
                "key `history.max_mib`: {n} is outside 0 ..= 65536 (MiB)"
            )));
        }
    };
    Ok(Some(Bounds {
        max_age,
        max_bytes,
        ..d
    }))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::parse;

    fn bounds(text: &str) -> Result<Option<Bounds>, ConfigError> {
        history(&parse(text).expect("parses").history)
    }

    #[test]
    fn defaults_are_eight_hours_and_256_mib() {
        let b = bounds("").expect("ok").expect("on");
        assert_eq!((b.max_age, b.max_bytes), (8 * 3_600_000, 256 << 20));
    }

    #[test]
    fn keys_set_the_bounds_and_zero_mib_turns_it_off() {
        let b = bounds("[history]\nmax_age = \"90m\"\nmax_mib = 64\n")
            .expect("ok")
            .expect("on");
        assert_eq!((b.max_age, b.max_bytes), (90 * 60_000, 64 << 20));
        assert_eq!(bounds("[history]\nmax_mib = 0\n"), Ok(None));
    }

    #[test]
    fn the_example_config_says_the_defaults() {
        let text = include_str!("../../../../config.example.toml");
        assert_eq!(bounds(text), Ok(Some(Bounds::default())));
    }

    #[test]
    fn bad_values_name_the_key() {
        for text in [
            "[history]\nmax_age = \"0s\"\n",
            "[history]\nmax_age = \"soon\"\n",
            "[history]\nmax_mib = 100000\n",
        ] {
            let e = bounds(text).expect_err(text);
            assert!(e.0.contains("history.max_"), "{e}");
        }
        assert!(parse("[history]\nkeep = 1\n").is_err());
    }
}
