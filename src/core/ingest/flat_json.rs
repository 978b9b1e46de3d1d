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
pub fn read<'a>(line: &'a str, mut field: impl FnMut(&'a str, Value<'a>) -> Option<()>) -> Option<()> {
    let b = line.as_bytes();
    let mut quotes = Quotes::new(b);
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
            let end = quotes.string_end(i)?;
            let key = &line[i + 1..end];
            if quotes.escapes_so_far && memchr::memchr(b'\\', key.as_bytes()).is_some() {
                return None;
            }
            i = skip_spaces(b, end + 1);
            if b.get(i) != Some(&b':') {
                return None;
            }
            i = skip_spaces(b, i + 1);
            let value = match *b.get(i)? {
                b'"' => {
                    let end = quotes.string_end(i)?;
                    let value = &line[i + 1..end];
                    i = end + 1;
                    if quotes.escapes_so_far && memchr::memchr(b'\\', value.as_bytes()).is_some() {
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
    if skip_spaces(b, i) != b.len() {
        return None;
    }
    // Strings may not hold control characters: a line with one is not read here, whatever the
    // walk found.
    quotes.finish().then_some(())
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

/// The line's quote positions, found 64 bytes at a time as the walk asks for them, and whether
/// any byte so far is a backslash or a control character.
struct Quotes<'a> {
    bytes: &'a [u8],
    /// Start of the 64-byte chunk `pending` belongs to.
    chunk: usize,
    /// Quotes of the current chunk not yet handed out, one bit per byte.
    pending: u64,
    /// Where the next chunk to scan starts.
    scanned: usize,
    /// Whether the bytes scanned so far hold a backslash: a string read before that can have
    /// no escapes.
    escapes_so_far: bool,
    control: bool,
}

const CHUNK: usize = 64;

impl<'a> Quotes<'a> {
    fn new(bytes: &'a [u8]) -> Self {
        Quotes { bytes, chunk: 0, pending: 0, scanned: 0, escapes_so_far: false, control: false }
    }

    /// The first quote after byte `at`.
    fn next_after(&mut self, at: usize) -> Option<usize> {
        loop {
            if at + 1 >= self.chunk + CHUNK {
                self.pending = 0;
            } else if at + 1 > self.chunk {
                self.pending &= u64::MAX << (at + 1 - self.chunk);
            }
            if self.pending != 0 {
                return Some(self.chunk + self.pending.trailing_zeros() as usize);
            }
            if self.scanned >= self.bytes.len() {
                return None;
            }
            self.chunk = self.scanned;
            self.pending = self.scan_next();
        }
    }

    /// The closing quote of the string that opens at `open`: the first quote after it that no
    /// backslash escapes (an odd run of backslashes right before it).
    fn string_end(&mut self, open: usize) -> Option<usize> {
        let mut at = open;
        loop {
            let quote = self.next_after(at)?;
            if !self.escapes_so_far {
                return Some(quote);
            }
            let backslashes = self.bytes[open + 1..quote].iter().rev().take_while(|&&c| c == b'\\').count();
            if backslashes % 2 == 0 {
                return Some(quote);
            }
            at = quote;
        }
    }

    /// True when no byte of the line is a control character.
    fn finish(mut self) -> bool {
        while self.scanned < self.bytes.len() {
            self.scan_next();
        }
        !self.control
    }

    /// Scans the next chunk: returns its quotes and notes backslashes and control characters.
    fn scan_next(&mut self) -> u64 {
        let bytes = self.bytes;
        let start = self.scanned;
        let end = (start + CHUNK).min(bytes.len());
        self.scanned = end;
        if end - start == CHUNK {
            return self.scan_block(&bytes[start..end]);
        }
        // The line's last bytes, padded with spaces (which are neither quotes nor suspect).
        let mut block = [b' '; CHUNK];
        block[..end - start].copy_from_slice(&bytes[start..end]);
        self.scan_block(&block)
    }

    /// [`Quotes::scan_next`] for one full chunk.
    fn scan_block(&mut self, block: &[u8]) -> u64 {
        let (quote, backslash, below_space) = (u8x16::splat(b'"'), u8x16::splat(b'\\'), u8x16::splat(0x1f));
        let mut quotes = 0u64;
        let (mut backslashes, mut controls) = (u8x16::default(), u8x16::default());
        for (k, lane) in block.chunks_exact(16).enumerate() {
            let v = u8x16::new(lane.try_into().unwrap_or([b' '; 16]));
            quotes |= u64::from(v.cmp_eq(quote).move_mask() as u16) << (16 * k);
            backslashes |= v.cmp_eq(backslash);
            // `max(v, 0x1f) == 0x1f` is `v <= 0x1f`: a control character.
            controls |= v.max(below_space).cmp_eq(below_space);
        }
        self.escapes_so_far |= backslashes.any();
        self.control |= controls.any();
        quotes
    }
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
