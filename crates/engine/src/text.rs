//! Untrusted strings made safe to keep and to show.
//!
//! Every string from a feed may carry terminal escape sequences (to retitle
//! the window, recolour the screen, hide text) or bidirectional overrides (to
//! make a name read backwards). We remove both before anything is stored.

use std::borrow::Cow;

/// Most bytes an id or a display name may have (feed-v1.md, Common fields).
pub const MAX_ID_BYTES: usize = 256;
pub const MAX_NAME_BYTES: usize = 256;

/// True for characters that must never reach a terminal: C0 controls
/// (including ESC, CR, LF, TAB), DEL, C1 controls, and the Unicode
/// bidirectional embeddings, overrides, isolates and marks.
pub fn is_unsafe(c: char) -> bool {
    matches!(c,
        '\u{0}'..='\u{1f}' | '\u{7f}'..='\u{9f}'
        | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}'
        | '\u{200e}' | '\u{200f}' | '\u{061c}')
}

/// Removes unsafe characters, borrowing when there is nothing to remove
/// (the common case, and the fast one).
pub fn strip<'a>(s: Cow<'a, str>) -> Cow<'a, str> {
    // Printable ASCII is the common case and needs no character decoding.
    if s.bytes().all(|b| (0x20..0x7f).contains(&b)) || !s.chars().any(is_unsafe) {
        return s;
    }
    Cow::Owned(s.chars().filter(|c| !is_unsafe(*c)).collect())
}

/// Cuts `s` to at most `max` bytes without splitting a character.
pub fn truncate(s: Cow<'_, str>, max: usize) -> Cow<'_, str> {
    if s.len() <= max {
        return s;
    }
    let mut end = max;
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    match s {
        Cow::Borrowed(b) => Cow::Borrowed(&b[..end]),
        Cow::Owned(mut o) => {
            o.truncate(end);
            Cow::Owned(o)
        }
    }
}

/// A short, safe excerpt of a rejected frame for the log.
pub fn excerpt(raw: &str) -> String {
    let cleaned: String = raw
        .chars()
        .take(120)
        .map(|c| if is_unsafe(c) { '?' } else { c })
        .collect();
    if raw.chars().nth(120).is_some() {
        format!("{cleaned}...")
    } else {
        cleaned
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strips_escapes_and_bidi() {
        let s = strip(Cow::Borrowed("Da\u{1b}]0;pwned\u{7}na\u{202e}x\u{9b}1m"));
        assert_eq!(s, "Da]0;pwnednax1m");
        assert!(matches!(
            strip(Cow::Borrowed("Dana Ruiz")),
            Cow::Borrowed(_)
        ));
    }

    #[test]
    fn truncates_on_char_boundary() {
        assert_eq!(truncate(Cow::Borrowed("ééé"), 3), "é");
        assert_eq!(truncate(Cow::Borrowed("abc"), 3), "abc");
    }

    #[test]
    fn excerpt_is_safe_and_short() {
        let e = excerpt(&format!("\u{1b}[2J{}", "x".repeat(300)));
        assert!(!e.contains('\u{1b}'));
        assert!(e.ends_with("..."));
    }
}
