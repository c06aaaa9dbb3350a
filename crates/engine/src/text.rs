//! Untrusted strings made safe to keep and to show.
//!
//! Every string from a feed may carry terminal escape sequences (to retitle
//! the window, recolour the screen, hide text) or bidirectional overrides (to
//! make a name read backwards), or invisible format characters (a zero
//! width space, a byte order mark) that make two names look alike. We
//! remove them before anything is stored or shown.

use std::borrow::Cow;

/// Most bytes an id or a display name may have (docs/protocol.md, Common fields).
pub const MAX_ID_BYTES: usize = 256;
pub const MAX_NAME_BYTES: usize = 256;

/// True for characters that must never reach a terminal: C0 controls
/// (including ESC, CR, LF, TAB), DEL, C1 controls, the line and paragraph
/// separators (a line break to some readers of a text or JSON export), and
/// the Unicode bidirectional embeddings, overrides, isolates and marks.
pub fn is_unsafe(c: char) -> bool {
    matches!(c,
        '\u{0}'..='\u{1f}' | '\u{7f}'..='\u{9f}'
        | '\u{2028}' | '\u{2029}'
        | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}'
        | '\u{200e}' | '\u{200f}' | '\u{061c}')
}

/// True for invisible format characters that only make look-alikes: two
/// names or ids that read the same but differ, or a name that reads as
/// blank. Zero width space, word joiner and the invisible operators, the
/// byte order mark, the soft hyphen, the deprecated format controls, the
/// interlinear annotation marks, the Hangul fillers, the shorthand and
/// musical format controls, and the tag characters. The joiners (ZWJ, ZWNJ,
/// the Mongolian vowel separator) and the tags are candidates only: they
/// stay where a script or an emoji needs them (see [`strip`]).
fn is_invisible(c: char) -> bool {
    matches!(c,
        '\u{ad}' | '\u{115f}' | '\u{1160}' | '\u{180e}' | '\u{200b}'..='\u{200d}'
        | '\u{2060}'..='\u{2064}' | '\u{206a}'..='\u{206f}' | '\u{3164}'
        | '\u{feff}' | '\u{ffa0}' | '\u{fff9}'..='\u{fffb}'
        | '\u{1bca0}'..='\u{1bca3}' | '\u{1d173}'..='\u{1d17a}'
        | '\u{e0000}'..='\u{e007f}')
}

/// Letters of the scripts whose spelling uses ZWJ and ZWNJ (Arabic,
/// Syriac, Thaana, N'Ko, the Indic scripts, Myanmar, Khmer, Mongolian).
fn joins(c: char) -> bool {
    matches!(c,
        '\u{600}'..='\u{7ff}' | '\u{860}'..='\u{dff}' | '\u{1000}'..='\u{109f}'
        | '\u{1780}'..='\u{18af}' | '\u{fb50}'..='\u{fdff}' | '\u{fe70}'..='\u{fefc}')
}

/// Pictographs an emoji ZWJ sequence is made of (Extended_Pictographic,
/// roughly), and the presentation selector that may follow one.
fn pictographic(c: char) -> bool {
    matches!(c,
        '\u{a9}' | '\u{ae}' | '\u{203c}' | '\u{2049}' | '\u{2122}' | '\u{2139}'
        | '\u{2194}'..='\u{2199}' | '\u{21a9}' | '\u{21aa}' | '\u{231a}'..='\u{23ff}'
        | '\u{24c2}' | '\u{25aa}'..='\u{27bf}' | '\u{2934}' | '\u{2935}'
        | '\u{2b05}'..='\u{2b55}' | '\u{3030}' | '\u{303d}' | '\u{3297}' | '\u{3299}'
        | '\u{1f000}'..='\u{1faff}')
}

/// Whether an invisible candidate is needed where it stands, between the
/// last character kept and the next one.
fn needed(c: char, prev: Option<char>, next: Option<char>) -> bool {
    let (Some(p), n) = (prev, next) else {
        return false;
    };
    match c {
        // A family or a profession emoji; a conjunct or a joining form.
        '\u{200d}' => {
            ((pictographic(p) || p == '\u{fe0f}') && n.is_some_and(pictographic))
                || (joins(p) && n.is_some_and(joins))
        }
        '\u{200c}' | '\u{180e}' => joins(p) && n.is_some_and(joins),
        // A subdivision flag: black flag, tag letters, cancel tag.
        '\u{e0020}'..='\u{e007f}' => p == '\u{1f3f4}' || ('\u{e0020}'..='\u{e007e}').contains(&p),
        _ => false,
    }
}

/// Removes unsafe characters and look-alike makers, borrowing when there
/// is nothing to remove (the common case, and the fast one).
pub fn strip<'a>(s: Cow<'a, str>) -> Cow<'a, str> {
    // Printable ASCII is the common case and needs no character decoding.
    if s.bytes().all(|b| (0x20..0x7f).contains(&b))
        || !s.chars().any(|c| is_unsafe(c) || is_invisible(c))
    {
        return s;
    }
    let mut out = String::with_capacity(s.len());
    let mut prev = None;
    let mut rest = s.chars().filter(|c| !is_unsafe(*c)).peekable();
    while let Some(c) = rest.next() {
        if is_invisible(c) && !needed(c, prev, rest.peek().copied()) {
            continue;
        }
        out.push(c);
        prev = Some(c);
    }
    if out.len() == s.len() {
        return s;
    }
    Cow::Owned(out)
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
        let s = strip(Cow::Borrowed("Dana\u{2028}Ruiz\u{2029}"));
        assert_eq!(s, "DanaRuiz");
        assert!(matches!(
            strip(Cow::Borrowed("Dana Ruiz")),
            Cow::Borrowed(_)
        ));
    }

    #[test]
    fn strips_look_alike_makers() {
        let s = |t: &str| strip(Cow::Borrowed(t)).into_owned();
        assert_eq!(
            s("Da\u{200b}na\u{feff} Ru\u{200d}iz\u{ad}\u{2060}"),
            "Dana Ruiz"
        );
        assert_eq!(s("\u{3164}"), "");
        assert_eq!(s("a\u{e0041}b"), "ab");
        // A trailing or leading joiner joins nothing.
        assert_eq!(s("\u{200d}\u{1f469}\u{200d}"), "\u{1f469}");
    }

    #[test]
    fn keeps_the_joiners_scripts_and_emoji_need() {
        let keep = |t: &str| assert_eq!(strip(Cow::Borrowed(t)), t, "{t:?}");
        // Family: woman ZWJ woman ZWJ girl; rainbow flag with VS16.
        keep("\u{1f469}\u{200d}\u{1f469}\u{200d}\u{1f467}");
        keep("\u{1f3f3}\u{fe0f}\u{200d}\u{1f308}");
        // Persian "mi-khaham" with ZWNJ; Hindi "ksha" half form with ZWJ.
        keep("\u{645}\u{6cc}\u{200c}\u{62e}\u{648}\u{627}\u{647}\u{645}");
        keep("\u{915}\u{94d}\u{200d}\u{937}");
        // The flag of England: black flag, tags g b e n g, cancel tag.
        keep("\u{1f3f4}\u{e0067}\u{e0062}\u{e0065}\u{e006e}\u{e0067}\u{e007f}");
        assert!(matches!(
            strip(Cow::Borrowed("Zoë Åberg")),
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
