//! Untrusted text made safe and made to fit. Every string from the feed goes
//! through [`clean`] at the widget boundary (the decoder already stripped
//! it: this is defence in depth), and every cell is cut to its width in
//! terminal columns, never in bytes or chars, so wide characters and
//! combining marks cannot push a column out of line.

use std::borrow::Cow;

use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

/// Strips control characters, C1 codes and bidi overrides.
pub fn clean(s: &str) -> Cow<'_, str> {
    queuetop_engine::text::strip(Cow::Borrowed(s))
}

/// Display width in terminal columns.
pub fn width(s: &str) -> usize {
    UnicodeWidthStr::width(s)
}

/// Cuts `s` to at most `max` columns, ending with `ellipsis` when cut.
pub fn truncate(s: &str, max: usize, ellipsis: &str) -> String {
    if width(s) <= max {
        return s.to_string();
    }
    let ell = width(ellipsis);
    if max < ell {
        return take_cols(s, max).to_string();
    }
    let mut out = take_cols(s, max - ell).to_string();
    out.push_str(ellipsis);
    out
}

/// The longest prefix of `s` that is at most `max` columns wide.
fn take_cols(s: &str, max: usize) -> &str {
    let mut used = 0;
    for (i, c) in s.char_indices() {
        let w = c.width().unwrap_or(0);
        if used + w > max {
            return &s[..i];
        }
        used += w;
    }
    s
}

/// `s` cut or padded to exactly `w` columns, right-aligned or left-aligned.
pub fn pad(s: &str, w: usize, right: bool, ellipsis: &str) -> String {
    let t = truncate(s, w, ellipsis);
    let fill = " ".repeat(w.saturating_sub(width(&t)));
    if right { fill + &t } else { t + &fill }
}

/// Cleans, then truncates: the one call for a feed string in a cell.
pub fn cell(s: &str, max: usize, ellipsis: &str) -> String {
    truncate(&clean(s), max, ellipsis)
}

/// Case-insensitive substring test; `needle` must already be lowercase.
/// ASCII haystacks (the common case) are compared without allocating.
pub fn contains_ci(hay: &str, needle: &str) -> bool {
    if needle.is_empty() {
        return true;
    }
    if hay.is_ascii() && needle.is_ascii() {
        let (h, n) = (hay.as_bytes(), needle.as_bytes());
        if h.len() < n.len() {
            return false;
        }
        // The filter tests every agent's name and queues each frame: look
        // at one byte per place, and at the rest only where it matches.
        let first = n[0].to_ascii_lowercase();
        let rest = &n[1..];
        return (0..=h.len() - n.len()).any(|i| {
            h[i].to_ascii_lowercase() == first && h[i + 1..i + n.len()].eq_ignore_ascii_case(rest)
        });
    }
    hay.to_lowercase().contains(needle)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn truncates_by_columns_with_ellipsis() {
        assert_eq!(truncate("Dana Ruiz", 20, "…"), "Dana Ruiz");
        assert_eq!(truncate("Dana Ruiz", 5, "…"), "Dana…");
        assert_eq!(truncate("Dana Ruiz", 5, "~"), "Dana~");
        // Wide characters count two columns each and are never split.
        assert_eq!(truncate("日本語名前", 5, "…"), "日本…");
        assert_eq!(width(&truncate("日本語名前", 4, "…")), 3);
        assert_eq!(truncate("abc", 0, "…"), "");
    }

    #[test]
    fn combining_marks_take_no_column() {
        let s = "e\u{301}e\u{301}e\u{301}";
        assert_eq!(width(s), 3);
        assert_eq!(pad(s, 5, false, "…"), format!("{s}  "));
    }

    #[test]
    fn clean_strips_escapes() {
        assert_eq!(clean("a\u{1b}]0;x\u{7}b\u{9b}c"), "a]0;xbc");
    }

    #[test]
    fn contains_ci_ascii_and_unicode() {
        assert!(contains_ci("Dana Ruiz", "ruiz"));
        assert!(!contains_ci("Dana", "ruiz"));
        assert!(contains_ci("ÉLODIE", "élo"));
        assert!(contains_ci("x", ""));
        assert!(contains_ci("Queue number 12", "NUMBER 1"));
        assert!(contains_ci("away", "AWAY") && contains_ci("x away", "away"));
        assert!(!contains_ci("awa", "away") && !contains_ci("a way", "away"));
    }
}
