//! Plain text: an optional `Key: value` header block (our own convention, and the RFC 822 headers
//! of Usenet and e-mail messages), then the body.
//!
//! Without a header block the article's text is the whole file and the title is the first line
//! when it reads like a headline, else the file name.

use super::Draft;

/// Header keys we read. Other keys (Message-ID, Path, Lines …) may appear in the block but are
/// ignored; at least one known key is needed for the block to count as a header.
const KNOWN_KEYS: [&str; 10] =
    ["title", "subject", "date", "published", "source", "from", "publisher", "newsgroups", "url", "link"];

/// Longest header block we look for: Usenet headers can be long, prose never looks like this.
const MAX_HEADER_LINES: usize = 200;

pub fn parse_text(text: &str, file_stem: &str) -> Draft {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    match header_block(text) {
        Some((fields, body)) => from_header(&fields, body, file_stem),
        None => Draft {
            title: headline(text).unwrap_or_else(|| file_stem.to_string()),
            text: text.to_string(),
            ..Draft::default()
        },
    }
}

fn from_header(fields: &[(String, String)], body: &str, file_stem: &str) -> Draft {
    let get = |keys: &[&str]| {
        keys.iter().find_map(|k| fields.iter().find(|(key, v)| key == k && !v.is_empty()).map(|(_, v)| v.clone()))
    };
    let title = get(&["title", "subject"]).unwrap_or_else(|| file_stem.to_string());
    // The blank line (or lines) separating header and body are not part of the body.
    let mut body = body;
    while let Some((line, rest)) = body.split_once('\n') {
        if !line.trim().is_empty() {
            break;
        }
        body = rest;
    }
    Draft {
        // Plain text has no headings: a first line equal to the title is text and is counted.
        text: crate::core::article::title_and_body(&title, body, false),
        title,
        source: get(&["source", "publisher", "newsgroups", "from"]),
        url: get(&["url", "link"]),
        date_value: get(&["date", "published"]),
        date_detail: ["date", "published"]
            .into_iter()
            .find(|k| fields.iter().any(|(key, v)| key == k && !v.is_empty()))
            .map(|k| std::borrow::Cow::Borrowed(if k == "date" { "header Date" } else { "header Published" })),
        ..Draft::default()
    }
}

/// Splits off a header block: lines `Key: value` (or folded continuation lines) up to the first
/// blank line, with at least one known key. Returns the lower-cased fields and the body.
fn header_block(text: &str) -> Option<(Vec<(String, String)>, &str)> {
    let mut fields: Vec<(String, String)> = Vec::new();
    let mut offset = 0;
    let mut lines = text.split_inclusive('\n').enumerate().peekable();
    while let Some((n, line)) = lines.next() {
        let content = line.trim_end_matches(['\n', '\r']);
        // An empty line ends the block. A line of only spaces does too, unless the block clearly
        // goes on after it (Usenet posters fold long fields with such lines).
        let blank = content.trim().is_empty();
        let mut block_goes_on = || {
            lines.peek().is_some_and(|(_, next)| {
                let next = next.trim_end_matches(['\n', '\r']);
                !next.trim().is_empty() && (next.starts_with([' ', '\t']) || field(next).is_some())
            })
        };
        if content.is_empty() || (blank && !block_goes_on()) {
            let known = fields.iter().any(|(k, _)| KNOWN_KEYS.contains(&k.as_str()));
            return (known && n > 0).then(|| (fields, &text[offset..]));
        }
        if n >= MAX_HEADER_LINES {
            return None;
        }
        if content.starts_with([' ', '\t']) {
            // RFC 822 folding: continues the previous field.
            let (_, value) = fields.last_mut()?;
            if !blank {
                value.push(' ');
                value.push_str(content.trim());
            }
        } else {
            let (key, value) = field(content)?;
            fields.push((key.to_ascii_lowercase(), value.trim().to_string()));
        }
        offset += line.len();
    }
    // A file that is nothing but a header has an empty body.
    let known = fields.iter().any(|(k, _)| KNOWN_KEYS.contains(&k.as_str()));
    known.then(|| (fields, &text[text.len()..]))
}

/// `Key: value`, where the key is an RFC 822 field name: printable ASCII without spaces or
/// colons ("Article-I.D.").
fn field(line: &str) -> Option<(&str, &str)> {
    let (key, value) = line.split_once(':')?;
    let key_ok = !key.is_empty() && key.len() <= 40 && key.bytes().all(|b| b.is_ascii_graphic());
    key_ok.then_some((key, value))
}

/// The first non-empty line when it reads like a headline: short and without a final full stop.
fn headline(text: &str) -> Option<String> {
    let line = text.lines().map(str::trim).find(|l| !l.is_empty())?;
    let short = line.chars().count() <= 150 && line.split_whitespace().count() <= 25;
    (short && !line.ends_with('.')).then(|| line.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn header_block_sets_metadata_and_text_is_title_plus_body() {
        let d = parse_text(
            "Title: Putin ready to meet Trump\nDate: 2024-12-19\nSource: Baltic Wire\nURL: https://x.example/a\n\nBody line.\n",
            "f",
        );
        assert_eq!(d.title, "Putin ready to meet Trump");
        assert_eq!(d.text, "Putin ready to meet Trump\nBody line.\n");
        assert_eq!(d.source.as_deref(), Some("Baltic Wire"));
        assert_eq!(d.url.as_deref(), Some("https://x.example/a"));
        assert_eq!(d.date_value.as_deref(), Some("2024-12-19"));
    }

    #[test]
    fn usenet_headers_with_unknown_keys_and_folding() {
        let d = parse_text(
            "Path: a!b\nFrom: kent@x.com (Kent)\nNewsgroups: talk.religion.misc\nSubject: Re: Is it\n good?\nDate: 26 Apr 93 00:13:14 GMT\nLines: 2\n\nHello.\n",
            "f",
        );
        assert_eq!(d.title, "Re: Is it good?");
        assert_eq!(d.source.as_deref(), Some("talk.religion.misc"));
        assert_eq!(d.date_value.as_deref(), Some("26 Apr 93 00:13:14 GMT"));
        assert!(d.text.ends_with("Hello.\n"));
    }

    #[test]
    fn no_header_headline_title_and_whole_text() {
        let text = "Kremlin denies report\n\nMOSCOW, Dec. 19, 2024 — The Kremlin said.\n";
        let d = parse_text(text, "stem");
        assert_eq!(d.title, "Kremlin denies report");
        assert_eq!(d.text, text);
        assert_eq!(d.date_value, None);
    }

    #[test]
    fn sentence_first_line_falls_back_to_file_name() {
        let d = parse_text("This is a sentence that ends with a stop.\nMore.", "2024-12-19-notes");
        assert_eq!(d.title, "2024-12-19-notes");
    }

    #[test]
    fn usenet_field_names_may_hold_dots() {
        let d = parse_text("From: a@b.c\nArticle-I.D.: x.1\nDate: 17 Apr 93 17:33:47 GMT\n\nBody\n", "f");
        assert_eq!(d.date_value.as_deref(), Some("17 Apr 93 17:33:47 GMT"));
    }

    #[test]
    fn whitespace_lines_inside_a_usenet_header_fold_into_it() {
        let d =
            parse_text("From: a@b.c\nKeywords: cars\n  \n     To reader,\nDate: 24 Apr 93 14:11:16 GMT\n\nBody\n", "f");
        assert_eq!(d.date_value.as_deref(), Some("24 Apr 93 14:11:16 GMT"));
        let d = parse_text("Title: Ours\n  \nBody text starts here.\n", "f");
        assert_eq!(d.text, "Ours\nBody text starts here.\n");
    }

    #[test]
    fn prose_with_a_colon_is_not_a_header() {
        let text = "Note: this is not metadata\n\nBody";
        let d = parse_text(text, "f");
        assert_eq!(d.text, text);
        let text = "Date: today\nand then prose without colon\n\nBody";
        assert_eq!(parse_text(text, "f").text, text);
    }
}
