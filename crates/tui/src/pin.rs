//! Alerting queues pinned to the top of the queues table (docs/ui.md): a
//! queue past a threshold must never sit below the fold of a long table.
//! Critical first, then warning, then the rest, each group in the order
//! the person chose; off with `[display] pin_alerts = false`.

use std::cmp::Reverse;

use crate::alerts::Level;

/// Moves the alerting rows of an already sorted list first, worst first,
/// keeping the list's order within each level (the sort is stable).
pub fn alerting_first<T>(rows: &mut [T], level: impl Fn(&T) -> Level) {
    rows.sort_by_cached_key(|r| Reverse(level(r)));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn worst_first_and_the_order_kept_within_a_level() {
        let mut rows = vec![
            ("a", Level::Ok),
            ("b", Level::Warn),
            ("c", Level::Ok),
            ("d", Level::Crit),
            ("e", Level::Warn),
        ];
        alerting_first(&mut rows, |r| r.1);
        let names: Vec<&str> = rows.iter().map(|r| r.0).collect();
        assert_eq!(names, ["d", "b", "e", "a", "c"]);
    }
}
