//! Raw text → CoNLL-style tokens with byte offsets, and tokens → sentences.
//!
//! The tagger was trained on CoNLL-2003 tokens, so raw text is cut the same way: clitics split off
//! (`Putin's` → `Putin` `'s`, `can't` → `ca` `n't`), hyphenated words and abbreviations with inner
//! periods kept whole (`al-Assad`, `U.S.`, `J.P.`), numbers with inner separators kept whole
//! (`155,221`, `5.93`), every other punctuation mark a token of its own (runs of the same mark such
//! as `...` or `--` stay together). Curly quotes and apostrophes are accepted wherever straight ones
//! are. Sentence splitting only needs to be good enough for features (sentence-initial words,
//! all-caps headlines); it does not try to resolve every abbreviation.

use std::ops::Range;

/// One token: `text[start..end]`, plus how it is separated from the previous token.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Token {
    pub start: usize,
    pub end: usize,
    /// 0: same line as the previous token; 1: a line break; 2: a paragraph break (a blank line, or
    /// a line break followed by indentation, as Reuters marks paragraphs).
    pub break_before: u8,
}

/// Abbreviations that keep their trailing period (compared case-sensitively, without the period).
const ABBREVIATIONS: &[&str] = &[
    "Mr", "Mrs", "Ms", "Dr", "Prof", "Gen", "Sen", "Rep", "Gov", "Lt", "Col", "Capt", "Sgt", "Maj", "Adm", "Cmdr",
    "Rev", "St", "Jr", "Sr", "Inc", "Corp", "Ltd", "Co", "Bros", "Cos", "Plc", "vs", "Jan", "Feb", "Mar", "Apr", "Aug",
    "Sep", "Sept", "Oct", "Nov", "Dec", "Mt", "Ft", "Messrs", "Dept", "Univ", "Assn", "Ave", "etc", "approx", "Nos",
];

fn is_apostrophe(c: char) -> bool {
    matches!(c, '\'' | '\u{2019}' | '\u{2018}' | '\u{02BC}')
}

/// Characters that join two alphanumeric runs into one token when they sit between them.
fn is_inner_joiner(c: char) -> bool {
    matches!(c, '-' | '.' | '&' | '_' | '@' | '\u{2010}' | '\u{2011}') || is_apostrophe(c)
}

/// Characters that join two digits (`155,221`, `3/4`, `10:30`).
fn is_digit_joiner(c: char) -> bool {
    matches!(c, ',' | '/' | ':')
}

/// Clitics split off the end of a word, CoNLL-style. Lowercase, straight apostrophe; matched
/// case-insensitively with either apostrophe.
const CLITICS: &[&str] = &["n't", "'s", "'re", "'ve", "'ll", "'m", "'d"];

/// Cuts `text` into tokens. Never fails; every token is non-empty and on char boundaries.
pub fn tokenize(text: &str) -> Vec<Token> {
    let mut tokens = Vec::with_capacity(text.len() / 5 + 1);
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    let end_of = |k: usize| chars.get(k).map_or(text.len(), |&(b, _)| b);
    let mut k = 0;
    let mut newlines = 0u8;
    let mut indent_after_newline = false;
    let mut at_start = true;
    while k < chars.len() {
        let (start, c) = chars[k];
        if c.is_whitespace() {
            if c == '\n' {
                newlines = newlines.saturating_add(1);
                indent_after_newline = false;
            } else if newlines > 0 && (c == ' ' || c == '\t') {
                indent_after_newline = true;
            }
            k += 1;
            continue;
        }
        let break_before = if at_start || newlines == 0 {
            0
        } else if newlines >= 2 || indent_after_newline {
            2
        } else {
            1
        };
        at_start = false;
        newlines = 0;
        indent_after_newline = false;
        if c.is_alphanumeric() {
            // A word: alphanumerics, joined by inner punctuation that has alphanumerics on both sides.
            let mut j = k + 1;
            loop {
                match chars.get(j) {
                    Some(&(_, d)) if d.is_alphanumeric() || is_mark(d) => j += 1,
                    Some(&(_, d))
                        if chars.get(j + 1).is_some_and(|&(_, e)| e.is_alphanumeric())
                            && (is_inner_joiner(d)
                                || (is_digit_joiner(d)
                                    && chars[j - 1].1.is_ascii_digit()
                                    && chars[j + 1].1.is_ascii_digit())) =>
                    {
                        j += 2
                    }
                    _ => break,
                }
            }
            // A trailing period belongs to initials (`U.S.`, `J.`) and known abbreviations.
            let word = &text[start..end_of(j)];
            if chars.get(j).is_some_and(|&(_, d)| d == '.') && keeps_period(word) {
                j += 1;
            }
            let end = end_of(j);
            push_word(&mut tokens, text, start, end, break_before);
            k = j;
        } else {
            // Punctuation: a run of the same mark is one token (`...`, `--`, `''`).
            let mut j = k + 1;
            while chars.get(j).is_some_and(|&(_, d)| d == c) {
                j += 1;
            }
            tokens.push(Token { start, end: end_of(j), break_before });
            k = j;
        }
    }
    tokens
}

/// Combining marks stay inside words (decomposed accents).
fn is_mark(c: char) -> bool {
    matches!(c, '\u{0300}'..='\u{036F}')
}

fn keeps_period(word: &str) -> bool {
    let mut letters = word.chars();
    let single_letter = matches!((letters.next(), letters.next()), (Some(a), None) if a.is_alphabetic());
    single_letter
        || (word.contains('.')
            && word.split('.').all(|part| part.chars().count() <= 3 && part.chars().all(char::is_alphabetic)))
        || ABBREVIATIONS.contains(&word)
}

/// Pushes a word token, splitting a trailing clitic (`'s`, `n't` …) into a token of its own.
fn push_word(tokens: &mut Vec<Token>, text: &str, start: usize, end: usize, break_before: u8) {
    let word = &text[start..end];
    if let Some(split) = clitic_split(word) {
        tokens.push(Token { start, end: start + split, break_before });
        tokens.push(Token { start: start + split, end, break_before: 0 });
    } else {
        tokens.push(Token { start, end, break_before });
    }
}

/// True for a clitic token as [`tokenize`] splits them off (`'s`, `’s`, `n't`, `'re` …).
pub fn is_clitic(token: &str) -> bool {
    clitic_split(&format!("x{token}")) == Some(1)
}

/// Byte index inside `word` where a trailing clitic starts, if there is one and something is
/// left before it.
fn clitic_split(word: &str) -> Option<usize> {
    let apostrophe = word.char_indices().rev().find(|&(_, c)| is_apostrophe(c))?;
    let (pos, apo) = apostrophe;
    let after = &word[pos + apo.len_utf8()..];
    for clitic in CLITICS {
        if let Some(rest) = clitic.strip_prefix("n'") {
            // `n't`: the `n` belongs to the clitic.
            if after.eq_ignore_ascii_case(rest) && word[..pos].to_ascii_lowercase().ends_with('n') {
                let split = pos - 1;
                return (split > 0).then_some(split);
            }
        } else if let Some(rest) = clitic.strip_prefix('\'')
            && after.eq_ignore_ascii_case(rest)
        {
            return (pos > 0).then_some(pos);
        }
    }
    None
}

/// Groups tokens into sentences (ranges of token indices, in order, covering every token).
pub fn sentences(text: &str, tokens: &[Token]) -> Vec<Range<usize>> {
    /// Long runs without an end mark (tables, lists) are cut so features stay local.
    const MAX_SENTENCE: usize = 150;
    /// Wrapped news text (Reuters) fills lines to 60-70 characters; a line ending well short of
    /// that, without the paragraph ending, is a title, byline, dateline or table row.
    const SHORT_LINE: usize = 40;
    let mut out = Vec::new();
    let mut line_start = 0;
    let mut start = 0;
    let mut line_has_lower = false;
    let mut line_has_upper = false;
    for (j, tok) in tokens.iter().enumerate() {
        if j > start {
            let prev = &text[tokens[j - 1].start..tokens[j - 1].end];
            let word = &text[tok.start..tok.end];
            let headline_line = tok.break_before > 0 && line_has_upper && !line_has_lower;
            let short_line = tok.break_before > 0 && text[line_start..tokens[j - 1].end].chars().count() < SHORT_LINE;
            // An article's text is its title, a newline, then its body: the first line is always
            // a sentence of its own, so no name runs from the title into the body.
            let first_line_ends = tok.break_before > 0 && line_start == tokens[0].start;
            let breaks = tok.break_before == 2
                || first_line_ends
                || headline_line
                || short_line
                || ends_sentence(text, tokens, j) && !word.starts_with(char::is_lowercase)
                || (tok.break_before > 0 && prev.ends_with(['.', '!', '?', ':']))
                || j - start >= MAX_SENTENCE;
            if breaks {
                out.push(start..j);
                start = j;
            }
        }
        if tok.break_before > 0 || j == 0 {
            line_start = tok.start;
            line_has_lower = false;
            line_has_upper = false;
        }
        for c in text[tok.start..tok.end].chars() {
            line_has_lower |= c.is_lowercase();
            line_has_upper |= c.is_uppercase();
        }
    }
    if start < tokens.len() {
        out.push(start..tokens.len());
    }
    out
}

/// True if the token before `j` ends a sentence: `.`, `!`, `?` (possibly followed by closing
/// quotes or brackets).
fn ends_sentence(text: &str, tokens: &[Token], j: usize) -> bool {
    let mut i = j;
    while i > 0 {
        i -= 1;
        let t = &text[tokens[i].start..tokens[i].end];
        if t.chars().all(is_closing) {
            continue;
        }
        return matches!(t, "." | "!" | "?" | "..." | "?!" | "!!" | "??")
            || t.chars().all(|c| matches!(c, '.' | '!' | '?' | '\u{2026}'));
    }
    false
}

fn is_closing(c: char) -> bool {
    matches!(c, '"' | '\'' | ')' | ']' | '\u{201D}' | '\u{2019}' | '\u{00BB}')
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(text: &str) -> Vec<&str> {
        tokenize(text).iter().map(|t| &text[t.start..t.end]).collect()
    }

    #[test]
    fn splits_possessives_and_negations_like_conll() {
        assert_eq!(words("Putin's army"), ["Putin", "'s", "army"]);
        assert_eq!(words("Trump’s potential"), ["Trump", "’s", "potential"]);
        assert_eq!(words("I can't specify"), ["I", "ca", "n't", "specify"]);
        assert_eq!(words("I’m ready"), ["I", "’m", "ready"]);
        assert_eq!(words("O'Neill and d'Ivoire"), ["O'Neill", "and", "d'Ivoire"]);
        assert_eq!(words("the investors' money"), ["the", "investors", "'", "money"]);
    }

    #[test]
    fn the_title_line_is_a_sentence_of_its_own() {
        // Regression: "Igor Kirillov\nRussia" came out as one PER span across title and body.
        let text =
            "Uzbek suspect detained over the killing of General Igor Kirillov\nRussia said on Wednesday it held a man.";
        let tokens = tokenize(text);
        let sentences = sentences(text, &tokens);
        let first = &sentences[0];
        assert_eq!(&text[tokens[first.end - 1].start..tokens[first.end - 1].end], "Kirillov");
        let spans = crate::core::entities::recognizer::Recognizer::bundled().recognize(text);
        assert!(spans.iter().all(|s| !text[s.start..s.end].contains('\n')), "{spans:?}");
    }

    #[test]
    fn recognises_clitic_tokens() {
        for clitic in ["'s", "’s", "'S", "n't", "'re", "’ll"] {
            assert!(is_clitic(clitic), "{clitic}");
        }
        for word in ["s", "'", "Putin", "O'Neill", "'sa"] {
            assert!(!is_clitic(word), "{word}");
        }
    }

    #[test]
    fn keeps_initials_abbreviations_hyphens_and_numbers_whole() {
        assert_eq!(
            words("U.S. President Bashar al-Assad met J.P. Morgan Mr. Smith."),
            ["U.S.", "President", "Bashar", "al-Assad", "met", "J.P.", "Morgan", "Mr.", "Smith", "."]
        );
        assert_eq!(words("155,221 bags, 5.93 mln."), ["155,221", "bags", ",", "5.93", "mln", "."]);
        assert_eq!(words("He said “anytime.”"), ["He", "said", "“", "anytime", ".", "”"]);
        assert_eq!(words("wait... -- ok"), ["wait", "...", "--", "ok"]);
    }

    #[test]
    fn offsets_are_byte_offsets_on_char_boundaries() {
        let text = "Zürich’s “Café” — Kraków";
        let toks = tokenize(text);
        for t in &toks {
            assert!(text.is_char_boundary(t.start) && text.is_char_boundary(t.end));
            assert!(t.start < t.end);
        }
        assert_eq!(words(text), ["Zürich", "’s", "“", "Café", "”", "—", "Kraków"]);
        assert_eq!(toks[0], Token { start: 0, end: 7, break_before: 0 });
    }

    #[test]
    fn splits_sentences_on_end_marks_headlines_and_paragraphs() {
        let text = "BAHIA COCOA REVIEW\nShowers continued throughout the week in the Bahia cocoa zone,\nalleviating the drought. The U.S. said so.\n    Next paragraph\nAdrian Warner\nBERLIN 1996-08-30";
        let toks = tokenize(text);
        let sents: Vec<Vec<&str>> = sentences(text, &toks)
            .into_iter()
            .map(|r| toks[r].iter().map(|t| &text[t.start..t.end]).collect())
            .collect();
        assert_eq!(
            sents,
            vec![
                vec!["BAHIA", "COCOA", "REVIEW"],
                vec![
                    "Showers",
                    "continued",
                    "throughout",
                    "the",
                    "week",
                    "in",
                    "the",
                    "Bahia",
                    "cocoa",
                    "zone",
                    ",",
                    "alleviating",
                    "the",
                    "drought",
                    "."
                ],
                vec!["The", "U.S.", "said", "so", "."],
                vec!["Next", "paragraph"],
                vec!["Adrian", "Warner"],
                vec!["BERLIN", "1996-08-30"],
            ]
        );
    }

    #[test]
    fn odd_input_does_not_panic() {
        for text in ["", " ", "'", "’s", "n't", "a'", "...", "\n\n\n", "1,", ",1", "x.-y", "é\u{301}"] {
            let toks = tokenize(text);
            let _ = sentences(text, &toks);
        }
    }
}
