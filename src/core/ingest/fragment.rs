//! Text of the small HTML fragments that feeds and JSON exports put in titles and descriptions
//! (`<p>Lead &amp; more</p>`).
//!
//! Uses html5ever's tokenizer without building a tree: it decodes every entity and knows which
//! elements hold raw text (scripts, styles), at a fraction of the cost of a DOM. Whole pages go
//! through the main-text extractor in `html` instead.

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
    let sink = TextSink::default();
    let tokenizer = Tokenizer::new(sink, TokenizerOpts::default());
    let input = BufferQueue::default();
    input.push_back(StrTendril::from_slice(fragment));
    let _ = tokenizer.feed(&input);
    tokenizer.end();
    let text = tokenizer.sink.text.into_inner();
    Cow::Owned(text.trim().to_string())
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
    use super::*;

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
}
