//! The text of fragments written with the plainest markup, read without the tokenizer.
//!
//! Feed descriptions are mostly `<p>`, `<a href="…">`, `<strong>` and a few character
//! references. html5ever's tokenizer reads them one character at a time through its full state
//! machine, and was the largest cost of counting records that mention a term. This reader
//! accepts a strict subset of HTML whose tokenizing is unambiguous:
//! - start and end tags with ASCII alphanumeric names, and attributes with quoted values or none;
//! - character references ending in `;`: named ones from html5ever's own table, and numeric
//!   ones for ordinary characters;
//! - a `&` or `<` that cannot start a reference or tag, which the tokenizer keeps as text.
//!
//! Anything else (comments, unquoted attributes, references without `;`, script and style
//! elements, carriage returns, NUL, a byte-order mark, unfinished tags) returns `None`, and the
//! caller uses the tokenizer. Tests compare both on random fragments.

use html5ever::data::NAMED_ENTITIES;

use super::is_block;

/// The text html5ever's tokenizer and [`super::TextSink`] would give, untrimmed, or `None`.
pub(super) fn text(fragment: &str) -> Option<String> {
    let b = fragment.as_bytes();
    if fragment.starts_with('\u{feff}') || memchr::memchr2(b'\r', 0, b).is_some() {
        return None;
    }
    let mut out = String::with_capacity(fragment.len());
    let mut i = 0;
    while let Some(found) = memchr::memchr2(b'<', b'&', &b[i..]) {
        let at = i + found;
        out.push_str(&fragment[i..at]);
        i = if b[at] == b'&' { reference(fragment, at, &mut out)? } else { tag(fragment, at, &mut out)? };
    }
    out.push_str(&fragment[i..]);
    Some(out)
}

/// Reads the reference at `at` (a `&`) into `out`; returns where the text goes on.
fn reference(fragment: &str, at: usize, out: &mut String) -> Option<usize> {
    let b = fragment.as_bytes();
    match b.get(at + 1) {
        Some(b'#') => {
            let (digits_from, radix) =
                if matches!(b.get(at + 2), Some(b'x' | b'X')) { (at + 3, 16) } else { (at + 2, 10) };
            let len = b[digits_from..].iter().take_while(|c| c.is_ascii_hexdigit()).count();
            let end = digits_from + len;
            if !(1..=7).contains(&len) || b.get(end) != Some(&b';') {
                return None;
            }
            let code = u32::from_str_radix(&fragment[digits_from..end], radix).ok()?;
            // Decimal digits only, in the decimal form.
            if radix == 10 && !fragment[digits_from..end].bytes().all(|c| c.is_ascii_digit()) {
                return None;
            }
            out.push(ordinary_char(code)?);
            Some(end + 1)
        }
        Some(c) if c.is_ascii_alphanumeric() => {
            let len = b[at + 1..].iter().take_while(|c| c.is_ascii_alphanumeric()).count();
            let end = at + 1 + len;
            if b.get(end) != Some(&b';') {
                return None;
            }
            let &(first, second) = NAMED_ENTITIES.get(&fragment[at + 1..=end])?;
            out.push(char::from_u32(first).filter(|_| first != 0)?);
            if second != 0 {
                out.push(char::from_u32(second)?);
            }
            Some(end + 1)
        }
        // Not a reference: the `&` is text.
        _ => {
            out.push('&');
            Some(at + 1)
        }
    }
}

/// The character a numeric reference stands for, when the tokenizer takes it as written (it
/// replaces NUL, surrogates, C1 controls and out-of-range numbers).
fn ordinary_char(code: u32) -> Option<char> {
    let ordinary = matches!(code, 0x09 | 0x0a | 0x0c | 0x20..=0x7e | 0xa0..=0xd7ff | 0xe000..=0xfdcf | 0xfdf0..=0xfffd);
    ordinary.then(|| char::from_u32(code)).flatten()
}

fn is_html_space(c: u8) -> bool {
    matches!(c, b' ' | b'\t' | b'\n' | 0x0c)
}

/// Reads the tag at `at` (a `<`) into `out` (a line break for block elements); returns where
/// the text goes on.
fn tag(fragment: &str, at: usize, out: &mut String) -> Option<usize> {
    let b = fragment.as_bytes();
    let end_tag = b.get(at + 1) == Some(&b'/');
    let name_from = at + 1 + usize::from(end_tag);
    match b.get(name_from) {
        Some(c) if c.is_ascii_alphabetic() => {}
        // `</` before anything else starts a bogus comment; `<!` and `<?` too.
        _ if end_tag => return None,
        Some(b'!' | b'?') => return None,
        // A `<` before anything else is text.
        _ => {
            out.push('<');
            return Some(at + 1);
        }
    }
    let name_len = b[name_from..].iter().take_while(|c| c.is_ascii_alphanumeric()).count();
    let name = fragment[name_from..name_from + name_len].to_ascii_lowercase();
    if matches!(name.as_str(), "script" | "style" | "noscript" | "template") {
        return None;
    }
    let mut i = name_from + name_len;
    let end = loop {
        while b.get(i).copied().is_some_and(is_html_space) {
            i += 1;
        }
        match *b.get(i)? {
            b'>' => break i + 1,
            b'/' if !end_tag && b.get(i + 1) == Some(&b'>') => break i + 2,
            _ if end_tag || i == name_from + name_len => return None,
            _ => i = attribute(b, i)?,
        }
    };
    if is_block(&name) && !out.is_empty() && !out.ends_with('\n') {
        out.push('\n');
    }
    Some(end)
}

/// Skips the attribute at `i`: a name, then optionally `=` and a quoted value, followed by a
/// space or the tag's end.
fn attribute(b: &[u8], mut i: usize) -> Option<usize> {
    let name_len = b[i..].iter().take_while(|&&c| !is_html_space(c) && !b"/>=\"'<".contains(&c)).count();
    if name_len == 0 {
        return None;
    }
    i += name_len;
    let mut j = i;
    while b.get(j).copied().is_some_and(is_html_space) {
        j += 1;
    }
    if b.get(j) != Some(&b'=') {
        return Some(i);
    }
    j += 1;
    while b.get(j).copied().is_some_and(is_html_space) {
        j += 1;
    }
    let quote = *b.get(j)?;
    if !matches!(quote, b'"' | b'\'') {
        return None;
    }
    let close = j + 1 + memchr::memchr(quote, &b[j + 1..])?;
    match b.get(close + 1) {
        Some(&c) if is_html_space(c) || c == b'>' || c == b'/' => Some(close + 1),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_plain_markup() {
        assert_eq!(
            text(r#"<p>Lead &amp; <a href="https://x.example/?a=1&b=2" target='_blank'>link</a></p><P>It&#039;s&nbsp;x</P>"#)
                .as_deref(),
            Some("Lead & link\nIt's\u{a0}x\n")
        );
        assert_eq!(text("x < y & z <3 &#x2019;").as_deref(), Some("x < y & z <3 \u{2019}"));
        assert_eq!(text("a<br/>b<br >c<hr>").as_deref(), Some("a\nb\nc\n"));
    }

    #[test]
    fn leaves_the_rest_to_the_tokenizer() {
        for fragment in [
            "<!-- c -->x",
            "<script>x</script>",
            "<img src=x>",
            "&notit; &amp",
            "a &#0; b",
            "a &#128; b",
            "<p",
            "<a href=\"x>",
            "</ p>",
            "<o:p>",
            "a\r\nb",
            "\u{feff}<p>x",
            "<p/x>",
            "<a b=\"c\"d>",
        ] {
            assert_eq!(text(fragment), None, "{fragment}");
        }
    }
}
