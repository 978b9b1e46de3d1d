//! Judging a raw JSON record against the terms before decoding it, so a record that cannot
//! mention any term skips the expensive part of its import (string decoding, HTML tokenizing).
//!
//! The matcher's prefilter looks for every pattern word as a case-insensitive substring. Decoding
//! a record changes its text in only two ways, and this module finds the records where either
//! could produce a pattern word that the raw bytes do not spell out:
//! - *replacement*: a JSON `\uXXXX` escape or an HTML character reference becomes one character;
//!   that is a risk only when the character can be part of an ASCII pattern word (an ASCII letter
//!   or digit, or one of the few characters whose lower case is ASCII), or when it starts markup
//!   of its own (`<`, `&` decoded from JSON, which the HTML step then reads);
//! - *removal*: tags, comments and script/style contents vanish, joining the text around them;
//!   a pattern word can only span the gap when ASCII letters or digits stand on both sides.
//!
//! Anything else (quotes, dashes, `&nbsp;`, `\n`, non-ASCII letters) cannot create an ASCII
//! pattern word, so the common RSS record with markup but without a term stays on the fast path.

use html5ever::data::NAMED_ENTITIES;

use crate::core::query::Matcher;

/// False only when decoding `raw` cannot produce a mention of any of the matcher's terms.
pub fn may_mention(matcher: &Matcher, raw: &str) -> bool {
    may_mention_each(matcher, raw, &[(0, raw.len())])[0]
}

/// [`may_mention`] for many records of one text, given as sorted, non-overlapping byte ranges:
/// the prefilter runs once over the span they cover instead of once per record.
pub fn may_mention_each(matcher: &Matcher, text: &str, records: &[(usize, usize)]) -> Vec<bool> {
    // Numbers decode to digits the raw text may not spell (`1e3` → `1000`), so digit patterns
    // are never judged on raw bytes.
    let hits = if matcher.has_digit_patterns() { None } else { matcher.records_with_candidates(text, records) };
    let Some(mut may) = hits else { return vec![true; records.len()] };
    for (may, &(start, end)) in may.iter_mut().zip(records) {
        *may = *may || decoding_may_spell_a_word(&text[start..end]);
    }
    may
}

fn decoding_may_spell_a_word(raw: &str) -> bool {
    let b = raw.as_bytes();
    memchr::memchr3_iter(b'\\', b'<', b'&', b).any(|i| match b[i] {
        b'\\' => b.get(i + 1) == Some(&b'u') && escape_is_risky(&b[i + 2..]),
        b'<' => starts_markup(b.get(i + 1).copied()) && removal_may_join(raw, i),
        _ => reference_is_risky(&b[i + 1..]),
    })
}

/// Whether a character, produced by decoding, can be part of an ASCII pattern word.
fn word_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || crate::core::query::lowers_to_ascii(c)
}

/// `hex` follows `\u`. Malformed escapes are risky: the full parse reports them.
fn escape_is_risky(hex: &[u8]) -> bool {
    let Some(code) =
        hex.get(..4).and_then(|h| std::str::from_utf8(h).ok()).and_then(|h| u32::from_str_radix(h, 16).ok())
    else {
        return true;
    };
    // Surrogate halves make characters outside the BMP, none of which is risky. A decoded `<` or
    // `&` starts markup for the HTML step, and `#` or `;` can complete a character reference
    // whose `&` is written plainly (`&\u0023115;` is `&#115;`, an `s`).
    char::from_u32(code).is_some_and(|c| word_char(c) || matches!(c, '<' | '&' | '#' | ';'))
}

/// Tags, end tags, comments, doctypes and processing instructions start like this; a `<` before
/// anything else stays text. A JSON escape after `<` may decode to any of them.
fn starts_markup(next: Option<u8>) -> bool {
    next.is_some_and(|n| n.is_ascii_alphabetic() || matches!(n, b'/' | b'!' | b'?' | b'\\'))
}

/// Whether removing the markup that starts at `at` (with any markup right after it) could join
/// two parts of a pattern word: only when ASCII letters or digits stand on both sides. Characters
/// that decode to one (escapes, references) are judged on their own.
fn removal_may_join(raw: &str, at: usize) -> bool {
    let b = raw.as_bytes();
    if !word_byte_before(&b[..at]) {
        return false;
    }
    let mut i = at;
    while b.get(i) == Some(&b'<') && starts_markup(b.get(i + 1).copied()) {
        if b[i + 1..].starts_with(b"!--") {
            let Some(end) = memchr::memmem::find(&b[i..], b"-->") else { return true };
            i += end + 3;
        } else {
            let Some(end) = memchr::memchr(b'>', &b[i..]) else { return true };
            let tag = &b[i + 1..i + end];
            // A quoted `>` could end the tag later than the first `>`, a JSON escape could hide
            // one or the element's name, and the contents of script and style elements vanish
            // with their tags.
            if tag.iter().any(|c| matches!(c, b'"' | b'\'' | b'\\')) || removes_contents(tag) {
                return true;
            }
            if super::fragment::is_block(&tag_name(tag)) {
                // Block elements become line breaks: the two sides stay apart.
                return false;
            }
            i += end + 1;
        }
    }
    b.get(i).is_some_and(u8::is_ascii_alphanumeric)
}

/// Whether the raw bytes end in an ASCII letter or digit that decodes as itself: not the letter
/// of a JSON escape such as `\n`, which decodes to white space.
fn word_byte_before(before: &[u8]) -> bool {
    let Some(&last) = before.last() else { return false };
    if !last.is_ascii_alphanumeric() {
        // Non-ASCII letters cannot be part of an ASCII pattern word; characters that lower-case
        // to ASCII are found by the prefilter itself.
        return false;
    }
    let backslashes = before[..before.len() - 1].iter().rev().take_while(|c| **c == b'\\').count();
    !(matches!(last, b'n' | b't' | b'r' | b'b' | b'f') && backslashes % 2 == 1)
}

/// The lower-cased element name of a start or end tag (`tag` is what lies between `<` and `>`).
fn tag_name(tag: &[u8]) -> String {
    let tag = tag.strip_prefix(b"/").unwrap_or(tag);
    tag.iter().take_while(|c| c.is_ascii_alphanumeric()).map(|c| char::from(c.to_ascii_lowercase())).collect()
}

/// Start tags whose element contents the fragment reader drops (see `fragment.rs`).
fn removes_contents(tag: &[u8]) -> bool {
    matches!(tag_name(tag).as_str(), "script" | "style" | "noscript" | "template")
}

/// `rest` follows `&`: a numeric reference, or a name that HTML may decode (with or without `;`:
/// every prefix of the name is tried, as legacy references need none).
fn reference_is_risky(rest: &[u8]) -> bool {
    if rest.first() == Some(&b'#') {
        let (digits, radix) = match rest.get(1) {
            Some(b'x' | b'X') => (&rest[2..], 16),
            _ => (&rest[1..], 10),
        };
        let len = digits.iter().take(8).take_while(|c| char::from(**c).is_digit(radix)).count();
        let Some(code) = std::str::from_utf8(&digits[..len]).ok().and_then(|d| u32::from_str_radix(d, radix).ok())
        else {
            // Out of range or no digits: decodes to U+FFFD or stays text.
            return false;
        };
        // What a reference decodes to is text, never markup again.
        return char::from_u32(code).is_some_and(word_char);
    }
    let len = rest.iter().take(40).take_while(|c| c.is_ascii_alphanumeric()).count();
    let with_semicolon = rest.get(len) == Some(&b';');
    // ASCII, so valid UTF-8; with its `;` when it has one (the table's key for full names).
    let Ok(name_semicolon) = std::str::from_utf8(&rest[..len + usize::from(with_semicolon)]) else { return false };
    let name = &name_semicolon[..len];
    let risky = |&(a, b): &(u32, u32)| [a, b].into_iter().filter(|c| *c != 0).filter_map(char::from_u32).any(word_char);
    // The tokenizer decodes the longest name in the table: the whole name with its `;` when
    // that is one (the usual `&amp;`), else a legacy name without `;`, at most six letters long.
    if with_semicolon && let Some(whole) = NAMED_ENTITIES.get(name_semicolon).filter(|v| v.0 != 0) {
        return risky(whole);
    }
    (1..=len.min(6)).any(|n| NAMED_ENTITIES.get(&name[..n]).is_some_and(risky))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn may(term: &str, raw: &str) -> bool {
        may_mention(&Matcher::parse(&[term]).unwrap(), raw)
    }

    #[test]
    fn plain_records_are_judged_by_the_prefilter() {
        assert!(may("putin", r#"{"title": "Putin's talk"}"#));
        assert!(!may("putin", r#"{"title": "Trump's talk"}"#));
    }

    #[test]
    fn harmless_markup_keeps_the_fast_path() {
        for raw in [
            r#"{"description": "<p>Storm &amp; snow&nbsp;&#8217;s \u2019 here</p>"}"#,
            r#"{"description": "line\n<p>next</p>"}"#,
            r#"{"description": "<p>pu<b>\ntin</b></p>"}"#,
            r#"{"description": "<ul><li>first time</li><li>second</li></ul>"}"#,
            r#"{"description": "pu</p><p>tin"}"#,
            r#"{"description": "café<b>x</b>"}"#,
            r#"{"description": "a < b &unknown; &#xZZ; &Kopf;"}"#,
        ] {
            assert!(!may("putin", raw), "{raw}");
        }
    }

    #[test]
    fn decoding_that_could_spell_a_word_takes_the_full_path() {
        for raw in [
            r#"{"title": "Pu<b>tin</b>"}"#,
            r#"{"title": "Pu<!-- x -->tin"}"#,
            r#"{"title": "Pu<i></i><b>tin"}"#,
            r#"{"title": "Pu</script>tin"}"#,
            r#"{"title": "Pu<\u002fb>tin"}"#,
            r#"{"title": "&\u0023112;utin"}"#,
            r#"{"title": "Pu<script> x</script>tin"}"#,
            r#"{"title": "Pu<a title='>'>tin"}"#,
            r#"{"title": "&#80;utin"}"#,
            r#"{"title": "&#x50;utin"}"#,
            r#"{"title": "\u0050utin"}"#,
            r#"{"title": "\u003cb\u003e"}"#,
            r#"{"title": "x\\n<b>tin"}"#,
        ] {
            assert!(may("putin", raw), "{raw}");
        }
    }

    #[test]
    fn references_without_semicolon_are_at_most_six_letters() {
        // The table also holds every prefix of every name, with no character, for the tokenizer.
        let longest =
            NAMED_ENTITIES.entries().filter(|(k, v)| !k.ends_with(';') && v.0 != 0).map(|(k, _)| k.len()).max();
        assert_eq!(longest, Some(6));
    }

    #[test]
    fn records_of_one_block_are_judged_apart() {
        let text = "{\"title\": \"Trump\"}\n{\"title\": \"Putin\"}\n{\"title\": \"Pu<b>tin\"}\n{}";
        let mut records = Vec::new();
        let mut start = 0;
        for line in text.split('\n') {
            records.push((start, start + line.len()));
            start += line.len() + 1;
        }
        let matcher = Matcher::parse(&["putin"]).unwrap();
        assert_eq!(may_mention_each(&matcher, text, &records), vec![false, true, true, false]);
        assert_eq!(may_mention_each(&matcher, text, &records[1..2]), vec![true]);
    }

    #[test]
    fn digit_and_non_ascii_patterns_always_decode() {
        assert!(may("1000", r#"{"title": 1e3}"#));
        assert!(may("путин", r#"{"title": "x"}"#));
    }
}
