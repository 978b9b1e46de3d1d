//! Sentences a source repeats verbatim in many of its articles: feed footers ("Read Full Article
//! at RT.com"), newsletter plugs ("Follow our Australia news live blog for the latest updates"),
//! credit lines. They are the source's boilerplate, not news, so entity recognition leaves them
//! out ([`Article::repeated`]); they stay in the text that is counted and searched, which is
//! what the reader sees.
//!
//! The comparison runs over the articles read together: one file, or one block of a JSON Lines
//! file (a few thousand records). It does not reach across files, so a folder holding one
//! article per file is not compared: there the HTML extractor's boilerplate removal does the work.

use rustc_hash::FxHashMap;

use crate::core::article::Article;

/// A sentence found in at least this many articles of one source (read together) is
/// boilerplate. Five keeps a quotation repeated by a few follow-up stories.
const MIN_ARTICLES: u32 = 5;

/// Shorter sentences are left alone: a fragment cut at an abbreviation the splitter did not
/// know ("The U.S.") repeats in many articles without being boilerplate.
const MIN_WORDS: usize = 4;

/// Marks, in every article, the sentences that at least [`MIN_ARTICLES`] articles of the same
/// source share word for word.
pub(super) fn mark(articles: &mut [Article]) {
    let key = |article: &Article, (start, end): (usize, usize)| {
        let source = article.source.as_deref().unwrap_or("");
        (
            xxhash_rust::xxh3::xxh3_64(source.as_bytes()),
            xxhash_rust::xxh3::xxh3_64(&article.text.as_bytes()[start..end]),
        )
    };
    let mut seen: FxHashMap<(u64, u64), u32> = FxHashMap::default();
    let mut keys = Vec::new();
    for article in articles.iter() {
        keys.clear();
        keys.extend(sentences(&article.text).map(|s| key(article, s)));
        keys.sort_unstable();
        keys.dedup();
        for &k in &keys {
            *seen.entry(k).or_default() += 1;
        }
    }
    if seen.values().all(|&n| n < MIN_ARTICLES) {
        return;
    }
    for article in articles.iter_mut() {
        let repeated: Vec<(u32, u32)> = sentences(&article.text)
            .filter(|&s| seen.get(&key(article, s)).is_some_and(|&n| n >= MIN_ARTICLES))
            .map(|(start, end)| (start as u32, end as u32))
            .collect();
        article.repeated = repeated;
    }
}

/// The sentences of a text as byte ranges, trimmed: each line is split after `.`, `!` or `?`
/// followed by white space. Ranges holding no letter or digit are left out.
fn sentences(text: &str) -> impl Iterator<Item = (usize, usize)> + '_ {
    let mut pieces = Vec::new();
    let mut start = 0;
    let mut word_start = 0;
    for (i, c) in text.char_indices() {
        if c == '\n' || (c.is_whitespace() && ends_sentence(&text[word_start..i])) {
            pieces.push((start, i));
            start = i + c.len_utf8();
        }
        if c.is_whitespace() {
            word_start = i + c.len_utf8();
        }
    }
    pieces.push((start, text.len()));
    pieces.into_iter().filter_map(move |(s, e)| {
        let piece = &text[s..e];
        let trimmed = piece.trim();
        if !trimmed.chars().any(char::is_alphanumeric) {
            return None;
        }
        if trimmed.split_whitespace().count() < MIN_WORDS {
            return None;
        }
        let lead = piece.len() - piece.trim_start().len();
        Some((s + lead, s + lead + trimmed.len()))
    })
}

/// Whether a word ends a sentence: it ends in `.`, `!` or `?` and is not an abbreviation (a
/// word with another full stop inside, "U.S.", or a short capitalised one, "Gov.", "Mr.").
fn ends_sentence(word: &str) -> bool {
    let Some(stem) = word.strip_suffix(['.', '!', '?']) else { return false };
    if !word.ends_with('.') {
        return true;
    }
    let short_capital = stem.chars().count() <= 4 && stem.chars().next().is_some_and(char::is_uppercase);
    !stem.contains('.') && !short_capital
}

/// `text` with the `repeated` ranges blanked out by spaces, byte for byte, so every offset into
/// it is an offset into `text`. Borrowed when there is nothing to blank.
pub fn without_repeated<'a>(text: &'a str, repeated: &[(u32, u32)]) -> std::borrow::Cow<'a, str> {
    if repeated.is_empty() {
        return std::borrow::Cow::Borrowed(text);
    }
    let mut bytes = text.as_bytes().to_vec();
    for &(start, end) in repeated {
        let (start, end) = (start as usize, (end as usize).min(bytes.len()));
        if start < end && text.is_char_boundary(start) && text.is_char_boundary(end) {
            bytes[start..end].fill(b' ');
        }
    }
    // Whole characters were replaced by ASCII spaces, so the bytes are still UTF-8.
    std::borrow::Cow::Owned(String::from_utf8(bytes).unwrap_or_else(|_| text.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sentences_split_at_lines_and_full_stops() {
        let text = "Short title\nThe first one is here. A second one here!  The U.S. Gov. Smith spoke today\n\n  Read Full Article at RT.com \n";
        let got: Vec<&str> = sentences(text).map(|(s, e)| &text[s..e]).collect();
        assert_eq!(
            got,
            [
                "The first one is here.",
                "A second one here!",
                "The U.S. Gov. Smith spoke today",
                "Read Full Article at RT.com"
            ]
        );
    }

    #[test]
    fn blanking_keeps_offsets_and_utf8() {
        let text = "Zürich wins. Read Full Article at RT.com";
        let blanked = without_repeated(text, &[(14, text.len() as u32)]);
        assert_eq!(blanked.len(), text.len());
        assert!(blanked.starts_with("Zürich wins."));
        assert!(blanked[14..].trim().is_empty());
    }
}
