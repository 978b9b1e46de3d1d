//! The tokenizer the store indexes article text with: exactly the README's word rules
//! ([`crate::core::query::next_word`], lower-cased with [`crate::core::query::lower_word_into`]),
//! and each word's position is its index among the text's words. So a term, phrase or prefix
//! counted from the store's postings is counted exactly as the text scan counts it.
//!
//! The one difference tantivy forces: it cannot index a term longer than 65,530 bytes. Such a
//! word (a run of letters that long is never language) is cut at a character boundary and
//! marked with a NUL, which no word holds: a prefix shorter than the cut still finds it, and no
//! whole word a user can type equals it.

use tantivy::tokenizer::{MAX_TOKEN_LEN, Token, TokenStream, Tokenizer};

use crate::core::query::{lower_word_into, next_word};

#[derive(Clone, Default)]
pub struct WordTokenizer {
    token: Token,
}

pub struct WordStream<'a> {
    text: &'a str,
    at: usize,
    position: usize,
    token: &'a mut Token,
}

impl Tokenizer for WordTokenizer {
    type TokenStream<'a> = WordStream<'a>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> WordStream<'a> {
        self.token.reset();
        WordStream { text, at: 0, position: 0, token: &mut self.token }
    }
}

impl TokenStream for WordStream<'_> {
    fn advance(&mut self) -> bool {
        let Some((start, end)) = next_word(self.text, self.at) else {
            return false;
        };
        self.at = end;
        lower_word_into(&self.text[start..end], &mut self.token.text);
        if self.token.text.len() > MAX_TOKEN_LEN {
            cut_long_word(&mut self.token.text);
        }
        self.token.offset_from = start;
        self.token.offset_to = end;
        self.token.position = self.position;
        self.token.position_length = 1;
        self.position += 1;
        true
    }

    fn token(&self) -> &Token {
        self.token
    }

    fn token_mut(&mut self) -> &mut Token {
        self.token
    }
}

/// Keeps the longest head of `word` that fits with the NUL marker.
fn cut_long_word(word: &mut String) {
    let mut cut = MAX_TOKEN_LEN - 1;
    while !word.is_char_boundary(cut) {
        cut -= 1;
    }
    word.truncate(cut);
    word.push('\0');
}

/// The lower-cased words of `text` as the store indexes them, in order.
pub fn indexed_words(text: &str) -> Vec<String> {
    let mut tokenizer = WordTokenizer::default();
    let mut stream = tokenizer.token_stream(text);
    let mut out = Vec::new();
    while stream.advance() {
        out.push(stream.token().text.clone());
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::query::words;

    #[test]
    fn same_words_as_the_counting_rules() {
        for text in ["Putin's pro-Putin PUTIN", "ΣΟΦΟΣ σοφός", "\u{130}stanbul \u{212a}ursk", "", "  ,;", "a1 b2—c3"]
        {
            let expected: Vec<String> = words(text).map(|(s, e)| text[s..e].to_lowercase()).collect();
            assert_eq!(indexed_words(text), expected, "{text:?}");
        }
    }

    #[test]
    fn positions_count_words() {
        let mut tokenizer = WordTokenizer::default();
        let mut stream = tokenizer.token_stream("one, two; three");
        let mut positions = Vec::new();
        while stream.advance() {
            positions.push((stream.token().position, stream.token().offset_from));
        }
        assert_eq!(positions, vec![(0, 0), (1, 5), (2, 10)]);
    }

    #[test]
    fn words_too_long_for_tantivy_are_cut_and_marked() {
        let long = "ä".repeat(MAX_TOKEN_LEN);
        let words = indexed_words(&format!("x {long} y"));
        assert_eq!(words.len(), 3);
        assert!(words[1].len() <= MAX_TOKEN_LEN && words[1].ends_with('\0') && words[1].starts_with("ää"));
        assert_eq!(words[2], "y");
    }
}
