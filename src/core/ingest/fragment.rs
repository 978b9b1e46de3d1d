//! Text of the small HTML fragments that feeds and JSON exports put in titles and descriptions
//! (`<p>Lead &amp; more</p>`).
//!
//! Uses html5ever's tokenizer without building a tree: it decodes every entity and knows which
//! elements hold raw text (scripts, styles), at a fraction of the cost of a DOM. Whole pages go
//! through the main-text extractor in `html` instead. Fragments with only the plainest markup
//! skip the tokenizer (`plain_markup`), with the same result.

mod plain_markup;

use std::borrow::Cow;
use std::cell::RefCell;

use html5ever::tendril::StrTendril;
use html5ever::tokenizer::states::RawKind;
use html5ever::tokenizer::{BufferQueue, TagKind, Token, TokenSink, TokenSinkResult, Tokenizer, TokenizerOpts};

/// The fragment's text: tags dropped (block elements become line breaks), entities decoded,
/// script and style contents left out. Strings without `<` or `&` are returned as they are.
pub fn fragment_text(fragment: &str) -> Cow<'_, str> {
    // memchr's SIMD search: `str::contains` with a char set walks the string char by char.
    if memchr::memchr2(b'<', b'&', fragment.as_bytes()).is_none() {
        return Cow::Borrowed(fragment);
    }
    let text = plain_markup::text(fragment).unwrap_or_else(|| tokenized_text(fragment));
    Cow::Owned(text.trim().to_string())
}

/// Whether the fragment's first text is inside a heading (`<h1>`…`<h6>`), as in
/// `<div><h1>Title</h1><p>Body</p></div>`. Reads only up to that first text: tags before it are
/// skipped, and so are comments and the contents of elements that hold no text (scripts, styles).
pub fn opens_with_heading(fragment: &str) -> bool {
    let mut rest = fragment.trim_start_matches('\u{feff}');
    loop {
        rest = rest.trim_start();
        if let Some(after) = rest.strip_prefix("<!--") {
            let Some(end) = after.find("-->") else { return false };
            rest = &after[end + 3..];
            continue;
        }
        let Some(tag) = rest.strip_prefix('<') else { return false };
        let closing = tag.starts_with('/');
        let name: String = tag
            .trim_start_matches('/')
            .chars()
            .take_while(char::is_ascii_alphanumeric)
            .map(|c| c.to_ascii_lowercase())
            .collect();
        if name.is_empty() && !closing {
            // `<` that starts no tag is text.
            return false;
        }
        if !closing && matches!(name.as_str(), "h1" | "h2" | "h3" | "h4" | "h5" | "h6") {
            return true;
        }
        let Some(end) = tag.find('>') else { return false };
        rest = &tag[end + 1..];
        if !closing && matches!(name.as_str(), "script" | "style" | "noscript" | "template") {
            // Case-insensitively, without copying the rest (many scripts before the first text
            // would make copies quadratic).
            let close = format!("</{name}");
            let Some(at) = rest.as_bytes().windows(close.len()).position(|w| w.eq_ignore_ascii_case(close.as_bytes()))
            else {
                return false;
            };
            rest = &rest[at..];
        }
    }
}

/// The fragment's text by html5ever's tokenizer, untrimmed. Tags keep their first few hundred
/// attributes (the tokenizer's duplicate check is quadratic in their number), and a spent time
/// budget leaves the rest of the fragment out.
fn tokenized_text(fragment: &str) -> String {
    let sink = TextSink::default();
    let tokenizer = Tokenizer::new(sink, TokenizerOpts::default());
    let input = BufferQueue::default();
    input.push_back(StrTendril::from_slice(&super::html_bounds::cap_attributes(fragment)));
    let _ = tokenizer.feed(&input);
    tokenizer.end();
    tokenizer.sink.text.into_inner()
}

#[derive(Default)]
struct TextSink {
    text: RefCell<String>,
    /// Inside `<script>` or `<style>`: characters are not text.
    raw: RefCell<bool>,
}

/// Elements whose boundaries separate words (block-level); inline ones (`<b>`, `<a>`) do not.
pub(super) fn is_block(name: &str) -> bool {
    matches!(
        name,
        "p" | "br"
            | "div"
            | "li"
            | "ul"
            | "ol"
            | "h1"
            | "h2"
            | "h3"
            | "h4"
            | "h5"
            | "h6"
            | "tr"
            | "td"
            | "th"
            | "blockquote"
            | "pre"
            | "section"
            | "article"
            | "header"
            | "footer"
            | "table"
            | "hr"
            | "figure"
            | "figcaption"
            | "dd"
            | "dt"
    )
}

impl TokenSink for TextSink {
    type Handle = ();

    fn process_token(&self, token: Token, _line: u64) -> TokenSinkResult<()> {
        if super::budget::exhausted() {
            return TokenSinkResult::Continue;
        }
        match token {
            Token::CharacterTokens(t) if !*self.raw.borrow() => self.text.borrow_mut().push_str(&t),
            Token::TagToken(tag) => {
                let name: &str = &tag.name;
                if is_block(name) {
                    let mut text = self.text.borrow_mut();
                    if !text.is_empty() && !text.ends_with('\n') {
                        text.push('\n');
                    }
                }
                let raw_kind = match name {
                    "script" => Some(RawKind::ScriptData),
                    "style" | "noscript" | "template" => Some(RawKind::Rawtext),
                    _ => None,
                };
                if let Some(kind) = raw_kind {
                    let start = tag.kind == TagKind::StartTag && !tag.self_closing;
                    *self.raw.borrow_mut() = start;
                    if start {
                        return TokenSinkResult::RawData(kind);
                    }
                }
            }
            _ => {}
        }
        TokenSinkResult::Continue
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn a_heading_before_any_text_opens_the_fragment() {
        assert!(opens_with_heading("<h1>Putin speaks</h1><p>Body</p>"));
        assert!(opens_with_heading("\n <div class=\"x\"><!-- c --><H2 id=t>Putin</H2>"));
        assert!(opens_with_heading("<style>h1{}</style><h3>T</h3>"));
        assert!(!opens_with_heading("<p>Putin speaks</p><h1>Later</h1>"));
        assert!(!opens_with_heading("Putin speaks<h1>x</h1>"));
        assert!(!opens_with_heading("<hr><p>x</p>"));
        assert!(!opens_with_heading("< h1>x"));
        assert!(!opens_with_heading(""));
    }

    #[test]
    fn plain_strings_are_borrowed() {
        assert!(matches!(fragment_text("Putin said"), Cow::Borrowed("Putin said")));
    }

    #[test]
    fn tags_entities_blocks_and_scripts() {
        assert_eq!(fragment_text("<p>Lead &amp; <b>bold</b></p><p>Next&nbsp;one</p>"), "Lead & bold\nNext\u{a0}one");
        assert_eq!(fragment_text("Pu<i>tin</i> &#8217; &lt;b&gt;"), "Putin \u{2019} <b>");
        assert_eq!(fragment_text("a<script>var putin = 1;</script>b<style>p{}</style>c"), "abc");
        assert_eq!(fragment_text("x < y & z"), "x < y & z");
        assert_eq!(fragment_text("<img src=x alt='Putin'>"), "");
    }

    fn fragment_piece() -> impl proptest::strategy::Strategy<Value = String> {
        use proptest::prelude::*;
        prop_oneof![
            6 => "[a-zA-Z0-9 é.,'\"=/;:#-]{0,12}",
            6 => proptest::sample::select(vec![
                "<p>", "</p>", "<P>", "</div >", "<br/>", "<br />", "<hr>", "<li>", "<b>", "</b>", "<strong>",
                r#"<a href="https://x.example/?a=1&amp;b=2">"#, "<a href='x' target=\"_blank\">", "</a>",
                r#"<img src="x" alt="Putin" />"#, "<a b=\"c\"d>", "<a href=x>", "<div class = \"c\" hidden>",
                "<a  b = 'c' >", "<p/x>", "<o:p>", "</ p>", "</>", "< p>", "<3", "<", "</", "<!-- c -->", "<!DOCTYPE>",
                "<?x?>", "<script>var a = '<p>';</script>", "<style>p{}</style>", "<noscript>n</noscript>",
                "&amp;", "&lt;", "&gt;", "&quot;", "&nbsp;", "&rsquo;", "&mdash;", "&NotEqualTilde;", "&notit;",
                "&amp", "&bogus;", "&", "& ", "&#039;", "&#39;", "&#x2019;", "&#X41;", "&#0;", "&#128;",
                "&#55296;", "&#1114112;", "&#12ab;", "&#;", "&#x;", "\n", "\t", "\r\n", "\u{0}", "\u{feff}",
            ])
            .prop_map(str::to_string),
        ]
    }

    /// Every title and description of a month of real feeds (when the corpus is beside the
    /// checkout): the plain-markup reader reads most and agrees on each.
    #[test]
    fn plain_markup_agrees_on_a_month_of_real_feeds() {
        use std::io::Read;
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../shared/corpora/rss-2023/monthly/2023-03.jsonl.gz");
        let Ok(file) = std::fs::File::open(path) else {
            eprintln!("notice: {path} is absent; skipping this corpus test");
            return;
        };
        let mut text = String::new();
        flate2::read::MultiGzDecoder::new(file).read_to_string(&mut text).unwrap();
        let (mut read, mut with_markup) = (0, 0);
        for line in text.lines() {
            let record: serde_json::Value = serde_json::from_str(line).unwrap();
            for field in ["title", "description"] {
                let Some(fragment) = record[field].as_str().filter(|f| f.contains(['<', '&'])) else { continue };
                with_markup += 1;
                if let Some(plain) = plain_markup::text(fragment) {
                    assert_eq!(plain, tokenized_text(fragment), "{fragment}");
                    read += 1;
                }
            }
        }
        assert!(read * 10 > with_markup * 9, "{read} of {with_markup}");
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(4000))]
        /// Whenever the plain-markup reader reads a fragment, it gives the tokenizer's text.
        #[test]
        fn plain_markup_reads_as_the_tokenizer_does(pieces in proptest::collection::vec(fragment_piece(), 0..12)) {
            let fragment = pieces.concat();
            if let Some(text) = plain_markup::text(&fragment) {
                proptest::prop_assert_eq!(text, tokenized_text(&fragment), "{:?}", fragment);
            }
        }
    }
}
