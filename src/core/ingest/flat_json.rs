//! A fast reader for the flat JSON Lines records that news exports are made of: one object whose
//! values are strings without escapes, `null`, `true`, `false` or numbers.
//!
//! A counting import reads every record for its date, and serde's scan of each string, byte by
//! byte, was the largest part of that. This reader finds a record's quotes sixteen bytes at a
//! time with SIMD compares (the `wide` crate: SSE2 or NEON behind a safe API, portable code
//! elsewhere) and walks only the few bytes between strings.
//!
//! It accepts only what it reads exactly. A record with a control character, a `\u` escape, an
//! escape in a key, a nested object or array, or anything not well formed is handed back as
//! `None`, and the caller parses it with serde, which also words the error of a broken record.
//! So the two readers can only differ on records this one accepts, and tests compare them there.

use wide::u8x16;

/// A value of a flat record, as written.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Value<'a> {
    /// A string's contents (no escapes, so the raw text is the value).
    Str(&'a str),
    /// A string with escapes, as written (between its quotes); [`unescape`] gives its value.
    Escaped(&'a str),
    Null,
    Bool,
    /// A well-formed number, not interpreted.
    Number,
}

/// Calls `field` with every key and value of a flat record, in order, and returns `Some` when
/// the whole line was such a record. `None` means the caller must parse the line another way;
/// `field` may have been called before that was known, so callers keep what it collects until
/// this returns. `field` returns `None` to give up on the record itself.
pub fn read<'a>(line: &'a str, field: impl FnMut(&'a str, Value<'a>) -> Option<()>) -> Option<()> {
    QUOTE_WORDS.with_borrow_mut(|words| {
        let (escapes, control) = scan(line.as_bytes(), words);
        // Strings may not hold control characters, and the line's others are not spaces.
        if control {
            return None;
        }
        walk(line, &Quotes { words, escapes }, field)
    })
}

fn walk<'a>(line: &'a str, quotes: &Quotes<'_>, mut field: impl FnMut(&'a str, Value<'a>) -> Option<()>) -> Option<()> {
    let b = line.as_bytes();
    let mut i = skip_spaces(b, 0);
    if b.get(i) != Some(&b'{') {
        return None;
    }
    i = skip_spaces(b, i + 1);
    if b.get(i) == Some(&b'}') {
        i += 1;
    } else {
        loop {
            if b.get(i) != Some(&b'"') {
                return None;
            }
            let end = quotes.string_end(b, i)?;
            let key = &line[i + 1..end];
            if quotes.escapes && memchr::memchr(b'\\', key.as_bytes()).is_some() {
                return None;
            }
            i = skip_spaces(b, end + 1);
            if b.get(i) != Some(&b':') {
                return None;
            }
            i = skip_spaces(b, i + 1);
            let value = match *b.get(i)? {
                b'"' => {
                    let end = quotes.string_end(b, i)?;
                    let value = &line[i + 1..end];
                    i = end + 1;
                    if quotes.escapes && memchr::memchr(b'\\', value.as_bytes()).is_some() {
                        if !simple_escapes(value.as_bytes()) {
                            return None;
                        }
                        Value::Escaped(value)
                    } else {
                        Value::Str(value)
                    }
                }
                b'n' => {
                    i = literal_end(b, i, b"null")?;
                    Value::Null
                }
                b't' => {
                    i = literal_end(b, i, b"true")?;
                    Value::Bool
                }
                b'f' => {
                    i = literal_end(b, i, b"false")?;
                    Value::Bool
                }
                b'-' | b'0'..=b'9' => {
                    i = number_end(b, i)?;
                    Value::Number
                }
                _ => return None,
            };
            field(key, value)?;
            i = skip_spaces(b, i);
            match *b.get(i)? {
                b',' => i = skip_spaces(b, i + 1),
                b'}' => {
                    i += 1;
                    break;
                }
                _ => return None,
            }
        }
    }
    (skip_spaces(b, i) == b.len()).then_some(())
}

/// The escapes serde reads the same way in every field: all but `\u`, whose surrogate rules
/// differ between serde's borrowed and skipped strings.
const SIMPLE_ESCAPES: &[u8] = b"\"\\/bfnrt";

fn simple_escapes(raw: &[u8]) -> bool {
    let mut i = 0;
    while let Some(at) = memchr::memchr(b'\\', &raw[i..]) {
        match raw.get(i + at + 1) {
            Some(c) if SIMPLE_ESCAPES.contains(c) => i += at + 2,
            _ => return false,
        }
    }
    true
}

/// The value of a [`Value::Escaped`] string.
pub fn unescape(raw: &str) -> String {
    let mut out = String::with_capacity(raw.len());
    let mut rest = raw;
    while let Some(at) = memchr::memchr(b'\\', rest.as_bytes()) {
        out.push_str(&rest[..at]);
        let escaped = rest[at + 1..].chars().next().unwrap_or('\\');
        out.push(match escaped {
            'b' => '\u{8}',
            'f' => '\u{c}',
            'n' => '\n',
            'r' => '\r',
            't' => '\t',
            other => other,
        });
        rest = rest.get(at + 1 + escaped.len_utf8()..).unwrap_or("");
    }
    out.push_str(rest);
    out
}

fn skip_spaces(b: &[u8], mut i: usize) -> usize {
    while b.get(i) == Some(&b' ') {
        i += 1;
    }
    i
}

fn literal_end(b: &[u8], i: usize, literal: &[u8]) -> Option<usize> {
    b[i..].starts_with(literal).then_some(i + literal.len())
}

/// The end of the JSON number at `i`: `-? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?`.
fn number_end(b: &[u8], mut i: usize) -> Option<usize> {
    let digits = |i: &mut usize| {
        let start = *i;
        while b.get(*i).is_some_and(u8::is_ascii_digit) {
            *i += 1;
        }
        *i > start
    };
    if b.get(i) == Some(&b'-') {
        i += 1;
    }
    match b.get(i) {
        Some(b'0') => i += 1,
        Some(b'1'..=b'9') => {
            digits(&mut i);
        }
        _ => return None,
    }
    if b.get(i) == Some(&b'.') {
        i += 1;
        if !digits(&mut i) {
            return None;
        }
    }
    if matches!(b.get(i), Some(b'e' | b'E')) {
        i += 1;
        if matches!(b.get(i), Some(b'+' | b'-')) {
            i += 1;
        }
        if !digits(&mut i) {
            return None;
        }
    }
    Some(i)
}

/// One pass over a line, 64 bytes at a time: where its quotes are (one bit per byte, in
/// reused words), and whether it holds a backslash or a control character.
struct Quotes<'w> {
    words: &'w [u64],
    escapes: bool,
}

/// Fills `words` with the quote bits of `bytes`; returns whether a backslash and whether a
/// control character occur.
fn scan(bytes: &[u8], words: &mut Vec<u64>) -> (bool, bool) {
    words.clear();
    let (quote, backslash, below_space) = (u8x16::splat(b'"'), u8x16::splat(b'\\'), u8x16::splat(0x1f));
    let (mut backslashes, mut controls) = (u8x16::default(), u8x16::default());
    let mut lane_of = |lane: [u8; 16]| {
        let v = u8x16::new(lane);
        backslashes |= v.cmp_eq(backslash);
        // `max(v, 0x1f) == 0x1f` is `v <= 0x1f`: a control character.
        controls |= v.max(below_space).cmp_eq(below_space);
        u64::from(v.cmp_eq(quote).move_mask() as u16)
    };
    let mut chunk_bits = |chunk: &[u8]| {
        let mut bits = 0;
        for (k, lane) in chunk.chunks_exact(16).enumerate() {
            bits |= lane_of(lane.try_into().unwrap_or([b' '; 16])) << (16 * k);
        }
        bits
    };
    let mut chunks = bytes.chunks_exact(64);
    for chunk in &mut chunks {
        words.push(chunk_bits(chunk));
    }
    let rest = chunks.remainder().len();
    if rest > 0 {
        let bits = match bytes.len().checked_sub(64) {
            // The line's last 64 bytes, overlapping the chunk before: its bytes are noted twice
            // (harmless), and the shift keeps the quotes of the rest only. No copy.
            Some(from) => chunk_bits(&bytes[from..]) >> (64 - rest),
            None => {
                // A short line, padded with spaces: neither quotes nor suspect.
                let mut padded = [b' '; 64];
                padded[..rest].copy_from_slice(bytes);
                chunk_bits(&padded)
            }
        };
        words.push(bits);
    }
    (backslashes.any(), controls.any())
}

impl Quotes<'_> {
    /// The first quote after byte `at`.
    fn next_after(&self, at: usize) -> Option<usize> {
        let from = at + 1;
        let mut word = from / 64;
        let mut bits = self.words.get(word)? & (u64::MAX << (from % 64));
        while bits == 0 {
            word += 1;
            bits = *self.words.get(word)?;
        }
        Some(word * 64 + bits.trailing_zeros() as usize)
    }

    /// The closing quote of the string that opens at `open`: the first quote after it that no
    /// backslash escapes (an odd run of backslashes right before it).
    fn string_end(&self, bytes: &[u8], open: usize) -> Option<usize> {
        let mut at = open;
        loop {
            let quote = self.next_after(at)?;
            if !self.escapes {
                return Some(quote);
            }
            let backslashes = bytes[open + 1..quote].iter().rev().take_while(|&&c| c == b'\\').count();
            if backslashes % 2 == 0 {
                return Some(quote);
            }
            at = quote;
        }
    }
}

thread_local! {
    /// [`Quotes::words`] of the line a thread reads, kept for the next line.
    static QUOTE_WORDS: std::cell::RefCell<Vec<u64>> = const { std::cell::RefCell::new(Vec::new()) };
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fields(line: &str) -> Option<Vec<(&str, Value<'_>)>> {
        let mut out = Vec::new();
        read(line, |k, v| {
            out.push((k, v));
            Some(())
        })?;
        Some(out)
    }

    #[test]
    fn reads_flat_records() {
        assert_eq!(
            fields(r#"{"a": "x y", "b":null,"c" : true , "d":-1.5e+3, "e":false, "f":""}"#),
            Some(vec![
                ("a", Value::Str("x y")),
                ("b", Value::Null),
                ("c", Value::Bool),
                ("d", Value::Number),
                ("e", Value::Bool),
                ("f", Value::Str("")),
            ])
        );
        assert_eq!(fields("  {}  "), Some(vec![]));
        assert_eq!(fields(r#"{"é": "ü ☃"}"#), Some(vec![("é", Value::Str("ü ☃"))]));
    }

    #[test]
    fn quotes_across_chunk_boundaries() {
        for pad in 0..140 {
            let key = "k".repeat(pad);
            let value = "v".repeat(140 - pad);
            let line = format!(r#"{{"{key}":"{value}","n":"{pad}"}}"#);
            let pad_text = pad.to_string();
            assert_eq!(
                fields(&line),
                Some(vec![(key.as_str(), Value::Str(&value)), ("n", Value::Str(&pad_text))]),
                "{line}"
            );
        }
    }

    #[test]
    fn lines_of_every_length_around_the_chunk_size() {
        for len in 0..200 {
            let value = "v".repeat(len);
            let line = format!(r#"{{"k": "{value}", "q": "\"x\""}}"#);
            assert_eq!(
                fields(&line),
                Some(vec![("k", Value::Str(&value)), ("q", Value::Escaped(r#"\"x\""#))]),
                "{len}"
            );
        }
    }

    #[test]
    fn hands_back_what_it_does_not_read_exactly() {
        for line in [
            r#"{"a": "\u00e9"}"#,
            r#"{"a": "\x"}"#,
            r#"{"a\"b": "x"}"#,
            r#"{"a": "x\"}"#,
            r#"{"a": "tab	inside"}"#,
            "{\"a\": \"x\"}\t",
            r#"{"a": {"name": "x"}}"#,
            r#"{"a": ["x"]}"#,
            r#"["a"]"#,
            r#"{"a": "cut"#,
            r#"{"a": "x",}"#,
            r#"{"a" "x"}"#,
            r#"{"a": "x"} {"#,
            r#"{"a": nul}"#,
            r#"{"a": truex}"#,
            r#"{"a": 01}"#,
            r#"{"a": 1.}"#,
            r#"{"a": -}"#,
            r#"{"a": 1e}"#,
            r#"{"a": .5}"#,
            r#"{"a": "x" "b": "y"}"#,
            r#"{a: "x"}"#,
            "",
            "   ",
        ] {
            assert_eq!(fields(line), None, "{line}");
        }
    }

    #[test]
    fn reads_simple_escapes() {
        let line = r#"{"a": "say \"hi\" \\", "b": "\\", "c": "x\/y\n\t", "d": "\\\""}"#;
        assert_eq!(
            fields(line),
            Some(vec![
                ("a", Value::Escaped(r#"say \"hi\" \\"#)),
                ("b", Value::Escaped(r"\\")),
                ("c", Value::Escaped(r"x\/y\n\t")),
                ("d", Value::Escaped(r#"\\\""#)),
            ])
        );
        assert_eq!(unescape(r#"say \"hi\" \\"#), r#"say "hi" \"#);
        assert_eq!(unescape(r"x\/y\n\t\b\f\r"), "x/y\n\t\u{8}\u{c}\r");
        // A backslash early in a long line still marks strings after it.
        let long = format!(r#"{{"a": "\\", "b": "{}", "c": "q\"q"}}"#, "x".repeat(200));
        assert_eq!(fields(&long).map(|f| f[2]), Some(("c", Value::Escaped(r#"q\"q"#))));
    }

    #[test]
    fn the_caller_can_give_up() {
        assert!(read(r#"{"a": "x", "b": "y"}"#, |k, _| (k != "b").then_some(())).is_none());
    }
}
