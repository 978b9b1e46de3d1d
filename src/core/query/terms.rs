//! Terms and the word rules every count uses.
//!
//! A term is `[Label=]alternative | alternative | …`; an alternative is one or more words, the
//! last of which may end in `*` (prefix). Words are maximal runs of alphanumeric characters
//! (`char::is_alphanumeric`) compared case-insensitively (`str::to_lowercase`). An article's words
//! are scanned left to right; at each position the longest matching alternative counts one
//! mention and the scan resumes after it. Each term is counted on its own.
//!
//! The [`Matcher`] compiles many terms at once and rejects most articles with an Aho-Corasick
//! prefilter before splitting them into words (terms of single words are counted from the
//! prefilter's hits alone); the README states these rules for users.

use std::fmt;

use rustc_hash::FxHashMap;
use serde::{Deserialize, Serialize};

/// One word of an alternative, lower-cased.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum WordPattern {
    Exact(String),
    /// The last word of an alternative written with a trailing `*`.
    Prefix(String),
}

impl WordPattern {
    pub fn matches(&self, lower_word: &str) -> bool {
        match self {
            Self::Exact(w) => w == lower_word,
            Self::Prefix(p) => lower_word.starts_with(p.as_str()),
        }
    }
}

/// A parsed term: what the user typed, its label and its alternatives.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Term {
    pub label: String,
    pub alternatives: Vec<Vec<WordPattern>>,
}

#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum TermError {
    #[error("the term is empty")]
    Empty,
    #[error("the label before '=' is empty")]
    EmptyLabel,
    #[error("alternative {0} has no words (words are letters and digits)")]
    NoWords(usize),
    #[error("'*' may only end the last word of an alternative (in \"{0}\")")]
    MisplacedStar(String),
    #[error("too many different words in the terms ({0}); at most {MAX_TESTS} are supported at once")]
    TooManyWords(usize),
}

/// Splits text into words: maximal runs of alphanumeric characters, with their byte ranges.
pub fn words(text: &str) -> impl Iterator<Item = (usize, usize)> + '_ {
    let mut at = 0;
    std::iter::from_fn(move || {
        let (start, end) = next_word(text, at)?;
        at = end;
        Some((start, end))
    })
}

/// The first word of `text` at or after byte `from` (a char boundary): [`words`] one at a time,
/// for callers that keep their own cursor (the store's tokenizer).
pub fn next_word(text: &str, from: usize) -> Option<(usize, usize)> {
    let rest = text.get(from..)?;
    let (offset, _) = rest.char_indices().find(|(_, c)| c.is_alphanumeric())?;
    let start = from + offset;
    let end = text[start..].char_indices().find(|(_, c)| !c.is_alphanumeric()).map_or(text.len(), |(i, _)| start + i);
    Some((start, end))
}

/// Lower-cases one word into `out` exactly as `str::to_lowercase` does, without allocating for
/// ASCII words (most of them). Every counter (text scan, store, query) compares words this way.
pub fn lower_word_into(word: &str, out: &mut String) {
    out.clear();
    if word.is_ascii() {
        out.extend(word.bytes().map(|b| char::from(b.to_ascii_lowercase())));
    } else {
        // Not `chars().flat_map(char::to_lowercase)`: the string version knows final sigma.
        out.push_str(&word.to_lowercase());
    }
}

/// How many words `text` holds: starts of alphanumeric runs.
fn count_words(text: &str) -> usize {
    let mut in_word = false;
    let mut n = 0;
    for c in text.chars() {
        let alnum = c.is_alphanumeric();
        n += usize::from(alnum && !in_word);
        in_word = alnum;
    }
    n
}

fn lower_words(text: &str) -> Vec<String> {
    words(text).map(|(s, e)| text[s..e].to_lowercase()).collect()
}

impl Term {
    /// Parses `[Label=]alternative | alternative | …`.
    pub fn parse(input: &str) -> Result<Term, TermError> {
        let input = input.trim();
        if input.is_empty() {
            return Err(TermError::Empty);
        }
        let (label, body) = match input.split_once('=') {
            Some((label, body)) => {
                let label = label.trim();
                if label.is_empty() {
                    return Err(TermError::EmptyLabel);
                }
                (label.to_string(), body)
            }
            None => (input.to_string(), input),
        };
        let mut alternatives = Vec::new();
        for (n, alternative) in body.split('|').enumerate() {
            let alternative = alternative.trim();
            let (text, prefix) = match alternative.strip_suffix('*') {
                Some(rest) if !rest.ends_with(|c: char| !c.is_alphanumeric()) => (rest, true),
                Some(_) => return Err(TermError::MisplacedStar(alternative.to_string())),
                None => (alternative, false),
            };
            if text.contains('*') {
                return Err(TermError::MisplacedStar(alternative.to_string()));
            }
            let mut words: Vec<WordPattern> = lower_words(text).into_iter().map(WordPattern::Exact).collect();
            if words.is_empty() {
                return Err(TermError::NoWords(n + 1));
            }
            if prefix && let Some(WordPattern::Exact(last)) = words.pop() {
                words.push(WordPattern::Prefix(last));
            }
            alternatives.push(words);
        }
        alternatives.dedup();
        Ok(Term { label, alternatives })
    }
}

impl fmt::Display for Term {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.label)
    }
}

/// One counted mention: term number and the byte range from its first to its last word.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Mention {
    pub start: usize,
    pub end: usize,
    pub term: usize,
}

/// How many distinct word patterns one matcher holds: a fixed-size bit set keeps scanning
/// allocation-free.
pub const MAX_TESTS: usize = 256;

/// The set of word patterns one text word satisfies.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct TestSet([u64; MAX_TESTS / 64]);

impl TestSet {
    fn insert(&mut self, test: usize) {
        self.0[test / 64] |= 1 << (test % 64);
    }
    fn contains(&self, test: usize) -> bool {
        self.0[test / 64] & (1 << (test % 64)) != 0
    }
    pub fn is_empty(&self) -> bool {
        self.0.iter().all(|w| *w == 0)
    }
}

/// A word of the text that satisfies at least one pattern.
#[derive(Clone, Copy, Debug)]
pub struct MatchedWord {
    /// Position among all the text's words: adjacency decides multi-word alternatives.
    pub position: usize,
    pub start: usize,
    pub end: usize,
    pub tests: TestSet,
}

/// Many terms compiled for counting and highlighting.
#[derive(Clone, Debug)]
pub struct Matcher {
    terms: Vec<Term>,
    /// Per term, its alternatives as pattern numbers, longest first.
    alternatives: Vec<Vec<Vec<usize>>>,
    exact: FxHashMap<String, TestSet>,
    prefixes: Vec<(String, usize)>,
    /// Finds where a pattern word may occur; `None` when some pattern is not ASCII and every
    /// text must be split into words.
    prefilter: Option<Prefilter>,
    /// When every alternative of every term is one exact word (the common case): per pattern,
    /// the terms it is an alternative of. Counting then needs no word scan (see
    /// [`Matcher::count_single_words`]).
    single_words: Option<Vec<Vec<usize>>>,
}

/// Non-ASCII characters whose lower case contains ASCII letters (KELVIN SIGN → k, İ → i̇), with
/// that letter: text holding them must not be rejected by an ASCII-only prefilter.
const ASCII_LOWERING: [(&str, char); 2] = [("\u{212a}", 'k'), ("\u{130}", 'i')];

/// Finds every ASCII pattern word case-insensitively: the text is lower-cased (ASCII letters
/// only, a vectorised copy) and searched for the lower-case words with Aho-Corasick's SIMD
/// Teddy. That is faster than a case-insensitive search of the original, which must look for
/// every case variant of each word's first bytes and confirm each hit. The characters of
/// [`ASCII_LOWERING`] are searched apart, for the patterns holding their letter; a text holding
/// one is split into words.
#[derive(Clone, Debug)]
struct Prefilter {
    words: aho_corasick::AhoCorasick,
    /// The same words searched leftmost-longest, for counting single-word terms.
    longest: aho_corasick::AhoCorasick,
    lowering: Vec<memchr::memmem::Finder<'static>>,
}

thread_local! {
    /// The lower-cased copy of the text a thread searches, kept for the next text.
    static LOWERED: std::cell::RefCell<Vec<u8>> = const { std::cell::RefCell::new(Vec::new()) };
}

impl Prefilter {
    fn new(needles: &[&str]) -> Option<Prefilter> {
        if needles.is_empty() || !needles.iter().all(|n| n.is_ascii()) {
            return None;
        }
        let build = |kind| aho_corasick::AhoCorasick::builder().match_kind(kind).build(needles).ok();
        let words = build(aho_corasick::MatchKind::LeftmostFirst)?;
        let longest = build(aho_corasick::MatchKind::LeftmostLongest)?;
        let lowering = ASCII_LOWERING
            .iter()
            .filter(|(_, letter)| needles.iter().any(|n| n.contains(*letter)))
            .map(|(c, _)| memchr::memmem::Finder::new(c.as_bytes()).into_owned())
            .collect();
        Some(Prefilter { words, longest, lowering })
    }

    /// Start offsets of the pattern words in `text`, case-insensitively, in order; `None` when
    /// the text holds a character of [`ASCII_LOWERING`] that a pattern needs, and must be split
    /// into words instead.
    fn find_all(&self, text: &str) -> Option<Vec<usize>> {
        self.search_lowered(text, |lowered, lowering| {
            (!lowering).then(|| self.words.find_iter(lowered).map(|m| m.start()).collect())
        })
    }

    /// Runs `search` with `text` lower-cased (ASCII letters only, same offsets), and whether the
    /// text holds a character of [`ASCII_LOWERING`] that a pattern needs. The lower-casing pass
    /// also notes the last bytes of those characters (`0xB0` of İ, `0xAA` of K): they are rare,
    /// so the exact search for the characters seldom runs. (Their first bytes could not serve:
    /// `0xE2` starts most typographic punctuation.)
    fn search_lowered<R>(&self, text: &str, search: impl FnOnce(&[u8], bool) -> R) -> R {
        LOWERED.with_borrow_mut(|lowered| {
            lowered.clear();
            let mut last_bytes = 0u8;
            lowered.extend(text.bytes().map(|b| {
                last_bytes |= u8::from(b == 0xb0) | u8::from(b == 0xaa);
                b.to_ascii_lowercase()
            }));
            let lowering = last_bytes != 0 && self.lowering.iter().any(|f| f.find(text.as_bytes()).is_some());
            search(lowered, lowering)
        })
    }

    /// Where the characters of [`ASCII_LOWERING`] that a pattern needs occur in `text`.
    fn lowering_offsets(&self, text: &str) -> Vec<usize> {
        self.lowering.iter().flat_map(|finder| finder.find_iter(text.as_bytes())).collect()
    }
}

/// Whether `c` is one of the non-ASCII characters whose lower case holds ASCII letters.
pub fn lowers_to_ascii(c: char) -> bool {
    let mut buf = [0; 4];
    let c = &*c.encode_utf8(&mut buf);
    ASCII_LOWERING.iter().any(|(lowering, _)| *lowering == c)
}

impl Matcher {
    pub fn new(terms: Vec<Term>) -> Result<Matcher, TermError> {
        let mut patterns: Vec<WordPattern> = Vec::new();
        let mut alternatives = Vec::with_capacity(terms.len());
        for term in &terms {
            let mut alts: Vec<Vec<usize>> = term
                .alternatives
                .iter()
                .map(|alt| {
                    alt.iter()
                        .map(|p| match patterns.iter().position(|q| q == p) {
                            Some(i) => i,
                            None => {
                                patterns.push(p.clone());
                                patterns.len() - 1
                            }
                        })
                        .collect()
                })
                .collect();
            alts.sort_by_key(|a: &Vec<usize>| std::cmp::Reverse(a.len()));
            alternatives.push(alts);
        }
        if patterns.len() > MAX_TESTS {
            return Err(TermError::TooManyWords(patterns.len()));
        }
        let prefixes: Vec<(String, usize)> = patterns
            .iter()
            .enumerate()
            .filter_map(|(i, p)| match p {
                WordPattern::Prefix(s) => Some((s.clone(), i)),
                WordPattern::Exact(_) => None,
            })
            .collect();
        let mut exact: FxHashMap<String, TestSet> = FxHashMap::default();
        for p in &patterns {
            if let WordPattern::Exact(word) = p {
                let mut set = TestSet::default();
                for (i, q) in patterns.iter().enumerate() {
                    if q.matches(word) {
                        set.insert(i);
                    }
                }
                exact.insert(word.clone(), set);
            }
        }
        let needles: Vec<&str> = patterns
            .iter()
            .map(|p| match p {
                WordPattern::Exact(s) | WordPattern::Prefix(s) => s.as_str(),
            })
            .collect();
        let prefilter = Prefilter::new(&needles);
        let single_words =
            (prefixes.is_empty() && alternatives.iter().flatten().all(|alt| alt.len() == 1)).then(|| {
                let mut terms_of: Vec<Vec<usize>> = vec![Vec::new(); patterns.len()];
                for (term, alts) in alternatives.iter().enumerate() {
                    for alt in alts {
                        if !terms_of[alt[0]].contains(&term) {
                            terms_of[alt[0]].push(term);
                        }
                    }
                }
                terms_of
            });
        Ok(Matcher { terms, alternatives, exact, prefixes, prefilter, single_words })
    }

    /// Compiles terms given as text, e.g. from the command line.
    pub fn parse(terms: &[impl AsRef<str>]) -> Result<Matcher, TermError> {
        Matcher::new(terms.iter().map(|t| Term::parse(t.as_ref())).collect::<Result<_, _>>()?)
    }

    pub fn terms(&self) -> &[Term] {
        &self.terms
    }

    /// The words a text must hold for some pattern to match: the exact pattern words, and the
    /// prefixes (lower-cased). A store expands the prefixes with its word list.
    pub fn pattern_words(&self) -> (Vec<&str>, Vec<&str>) {
        let mut exact: Vec<&str> = self.exact.keys().map(String::as_str).collect();
        exact.sort_unstable();
        let prefixes = self.prefixes.iter().map(|(p, _)| p.as_str()).collect();
        (exact, prefixes)
    }

    /// Whether every alternative of every term is one exact word (see
    /// [`Matcher::terms_counting_word`]).
    pub fn counts_single_words(&self) -> bool {
        self.single_words.is_some()
    }

    /// When every alternative of every term is one exact word, counting needs only how often
    /// each word occurs: for a word, the terms it counts one mention for, once each (see
    /// [`Matcher::count_single_words`]). `None` when some term needs word positions.
    pub fn terms_counting_word(&self, lower_word: &str) -> Option<Vec<usize>> {
        let terms_of = self.single_words.as_ref()?;
        let tests = self.exact.get(lower_word).copied().unwrap_or_default();
        let mut terms: Vec<usize> =
            (0..terms_of.len()).filter(|&p| tests.contains(p)).flat_map(|p| terms_of[p].iter().copied()).collect();
        terms.sort_unstable();
        terms.dedup();
        Some(terms)
    }

    /// The patterns a lower-cased word satisfies.
    pub fn tests_for(&self, lower_word: &str) -> TestSet {
        let mut set = self.exact.get(lower_word).copied().unwrap_or_default();
        for (prefix, i) in &self.prefixes {
            if lower_word.starts_with(prefix.as_str()) {
                set.insert(*i);
            }
        }
        set
    }

    /// For each of the sorted, non-overlapping byte ranges `records` of `text`: whether a
    /// pattern word may occur in it. `None` when the patterns have no prefilter and every text
    /// must be split into words. The text is lower-cased once; after a hit the search resumes
    /// at the end of its range, so a record's further mentions cost nothing here.
    pub fn records_with_candidates(&self, text: &str, records: &[(usize, usize)]) -> Option<Vec<bool>> {
        let prefilter = self.prefilter.as_ref()?;
        let mut hit = vec![false; records.len()];
        let (Some(first), Some(last)) = (records.first(), records.last()) else { return Some(hit) };
        let span = &text[first.0..last.1];
        // The first record that ends after `offset` (of the span).
        let record_at = |offset: usize| records.partition_point(|r| r.1 <= first.0 + offset);
        prefilter.search_lowered(span, |lowered, lowering| {
            if lowering {
                for offset in prefilter.lowering_offsets(span) {
                    let r = record_at(offset);
                    if records.get(r).is_some_and(|range| range.0 <= first.0 + offset) {
                        hit[r] = true;
                    }
                }
            }
            let mut at = 0;
            while let Some(found) = prefilter.words.find(aho_corasick::Input::new(lowered).range(at..)) {
                let r = record_at(found.start());
                let Some(range) = records.get(r) else { break };
                if range.0 <= first.0 + found.start() {
                    hit[r] = true;
                    at = range.1 - first.0;
                } else {
                    // Between records (a line break): go on from the next record.
                    at = range.0 - first.0;
                }
                if at >= lowered.len() {
                    break;
                }
            }
        });
        Some(hit)
    }

    /// Whether some pattern word holds a digit.
    pub fn has_digit_patterns(&self) -> bool {
        self.needles().any(|n| n.bytes().any(|b| b.is_ascii_digit()))
    }

    fn needles(&self) -> impl Iterator<Item = &str> {
        self.exact.keys().map(String::as_str).chain(self.prefixes.iter().map(|(p, _)| p.as_str()))
    }

    /// The text's words that satisfy some pattern, in order. `position` differences of 1 mark
    /// adjacent words; larger gaps mean other words lie between.
    pub fn matched_words(&self, text: &str) -> Vec<MatchedWord> {
        let Some(prefilter) = &self.prefilter else {
            return self.matched_words_by_splitting(text);
        };
        if text.is_empty() {
            // Common when counting: records read for their date only have no text.
            return Vec::new();
        }
        let Some(hits) = prefilter.find_all(text) else {
            return self.matched_words_by_splitting(text);
        };
        // Only the words around the prefilter's hits can satisfy a pattern (every pattern word is
        // one of its literals), so the rest of the text is never split into words.
        let mut out: Vec<MatchedWord> = Vec::new();
        let mut lower = String::new();
        let mut at = 0;
        for hit in hits {
            if hit < at {
                // Inside a word already looked at.
                continue;
            }
            let start = text[..hit]
                .char_indices()
                .rev()
                .take_while(|(_, c)| c.is_alphanumeric())
                .last()
                .map_or(hit, |(i, _)| i);
            let end =
                text[hit..].char_indices().find(|(_, c)| !c.is_alphanumeric()).map_or(text.len(), |(i, _)| hit + i);
            at = end.max(hit + 1);
            let tests = self.word_tests(&text[start..end], &mut lower);
            if tests.is_empty() {
                continue;
            }
            let position = match out.last() {
                Some(prev) if !text[prev.end..start].chars().any(char::is_alphanumeric) => prev.position + 1,
                Some(prev) => prev.position + 2,
                None => 0,
            };
            out.push(MatchedWord { position, start, end, tests });
        }
        out
    }

    /// [`Matcher::matched_words`] with each word's true position: its index among all the text's
    /// words (what proximity and fields are measured in), found by counting the words between
    /// the matched ones rather than splitting and lower-casing them all.
    pub fn positioned_words(&self, text: &str) -> Vec<MatchedWord> {
        let mut matched = self.matched_words(text);
        let (mut at, mut position) = (0, 0);
        for word in &mut matched {
            position += count_words(&text[at..word.start]);
            word.position = position;
            position += 1;
            at = word.end;
        }
        matched
    }

    /// [`Matcher::matched_words`] for patterns the prefilter cannot handle: every word is looked up.
    fn matched_words_by_splitting(&self, text: &str) -> Vec<MatchedWord> {
        let mut lower = String::new();
        words(text)
            .enumerate()
            .filter_map(|(position, (start, end))| {
                let tests = self.word_tests(&text[start..end], &mut lower);
                (!tests.is_empty()).then_some(MatchedWord { position, start, end, tests })
            })
            .collect()
    }

    fn word_tests(&self, word: &str, lower: &mut String) -> TestSet {
        lower_word_into(word, lower);
        self.tests_for(lower)
    }

    /// Mentions per term in `text`, or `None` when there are none at all (without allocating:
    /// most articles of a large corpus mention none of the terms).
    pub fn count_if_any(&self, text: &str) -> Option<Vec<u32>> {
        if let Some(counted) = self.count_single_words(text) {
            return counted;
        }
        let matched = self.matched_words(text);
        if matched.is_empty() {
            return None;
        }
        let mut counts = vec![0; self.terms.len()];
        self.scan(&matched, |m| counts[m.term] += 1);
        Some(counts)
    }

    /// [`Matcher::count_if_any`] for terms of single exact words, straight from the prefilter's
    /// hits: with one-word alternatives the longest-match scan counts every text word that
    /// equals a pattern, once for each term it belongs to. A hit is such a word when no letter
    /// or digit touches it on either side; as patterns are whole words, the longest pattern
    /// found at a word's start is the only one that can equal it (hence leftmost-longest
    /// search). `None` when this does not apply: other terms, no prefilter, or a text with a
    /// character that lower-cases to an ASCII letter (İ, K), which is split into words instead.
    fn count_single_words(&self, text: &str) -> Option<Option<Vec<u32>>> {
        let (terms_of, prefilter) = (self.single_words.as_ref()?, self.prefilter.as_ref()?);
        if text.is_empty() {
            return Some(None);
        }
        prefilter.search_lowered(text, |lowered, lowering| {
            if lowering {
                return None;
            }
            let mut counts: Option<Vec<u32>> = None;
            for hit in prefilter.longest.find_iter(lowered) {
                let before = text[..hit.start()].chars().next_back();
                let after = text[hit.end()..].chars().next();
                if before.is_some_and(char::is_alphanumeric) || after.is_some_and(char::is_alphanumeric) {
                    continue;
                }
                let counts = counts.get_or_insert_with(|| vec![0; self.terms.len()]);
                for &term in &terms_of[hit.pattern().as_usize()] {
                    counts[term] += 1;
                }
            }
            Some(counts)
        })
    }

    /// Mentions per term in `text`.
    pub fn count(&self, text: &str) -> Vec<u32> {
        self.count_if_any(text).unwrap_or_else(|| vec![0; self.terms.len()])
    }

    /// Every mention of every term, sorted by position, then term.
    pub fn mentions(&self, text: &str) -> Vec<Mention> {
        let mut out = Vec::new();
        self.scan(&self.matched_words(text), |m| out.push(m));
        out.sort();
        out
    }

    /// Every place each term's alternatives match, overlapping or not (the query evaluator
    /// decides which count): `emit(term, first, last)` with indexes into `matched` of the first
    /// and last word, in order of `first`, longer alternatives first at one place.
    pub fn occurrences(&self, matched: &[MatchedWord], mut emit: impl FnMut(usize, usize, usize)) {
        for (term, alternatives) in self.alternatives.iter().enumerate() {
            for k in 0..matched.len() {
                for alt in alternatives {
                    let fits = alt.iter().enumerate().all(|(j, &test)| {
                        matched
                            .get(k + j)
                            .is_some_and(|w| w.position == matched[k].position + j && w.tests.contains(test))
                    });
                    if fits {
                        emit(term, k, k + alt.len() - 1);
                    }
                }
            }
        }
    }

    /// The greedy longest-match scan of the rules, per term, over the words that can take part.
    /// Skipping words that satisfy no pattern is exact: no alternative can start at them.
    pub fn scan(&self, matched: &[MatchedWord], mut emit: impl FnMut(Mention)) {
        for (term, alternatives) in self.alternatives.iter().enumerate() {
            let mut k = 0;
            while k < matched.len() {
                let found = alternatives.iter().find(|alt| {
                    alt.iter().enumerate().all(|(j, &test)| {
                        matched
                            .get(k + j)
                            .is_some_and(|w| w.position == matched[k].position + j && w.tests.contains(test))
                    })
                });
                match found {
                    Some(alt) => {
                        let last = &matched[k + alt.len() - 1];
                        emit(Mention { term, start: matched[k].start, end: last.end });
                        k += alt.len();
                    }
                    None => k += 1,
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn count(term: &str, text: &str) -> u32 {
        Matcher::parse(&[term]).unwrap().count(text)[0]
    }

    #[test]
    fn parse_labels_alternatives_and_prefixes() {
        let t = Term::parse("Putin = Putin | Vladimir Putin").unwrap();
        assert_eq!(t.label, "Putin");
        assert_eq!(t.alternatives.len(), 2);
        let t = Term::parse("kirill*").unwrap();
        assert_eq!(t.label, "kirill*");
        assert_eq!(t.alternatives, vec![vec![WordPattern::Prefix("kirill".into())]]);
        assert_eq!(Term::parse("  "), Err(TermError::Empty));
        assert_eq!(Term::parse("=x"), Err(TermError::EmptyLabel));
        assert_eq!(Term::parse("a | --"), Err(TermError::NoWords(2)));
        assert!(matches!(Term::parse("pu*tin"), Err(TermError::MisplacedStar(_))));
        assert!(matches!(Term::parse("putin *"), Err(TermError::MisplacedStar(_))));
    }

    #[test]
    fn words_split_on_punctuation_apostrophes_and_hyphens() {
        assert_eq!(count("putin", "Putin's pro-Putin PUTIN putinism"), 3);
        assert_eq!(count("U.S.", "The U.S. and the u.s, not US"), 2);
        assert_eq!(count("Putin’s", "Putin’s"), 1);
    }

    #[test]
    fn longest_alternative_counts_once() {
        assert_eq!(count("Putin | Vladimir Putin", "Vladimir Putin met Putin"), 2);
        assert_eq!(count("Vladimir | Vladimir Putin", "Vladimir Putin"), 1);
        assert_eq!(count("a b | b c", "a b c"), 1);
        assert_eq!(count("Vladimir | Vladimir Putin | Putin", "Vladimir Putin"), 1);
    }

    #[test]
    fn prefix_alternatives() {
        assert_eq!(count("Kirill*", "Kirillov, Kirill and kirillova; Kiril"), 3);
        assert_eq!(count("central bank*", "Central Banks and central banking, central bank"), 3);
    }

    #[test]
    fn unicode_case_and_prefilter_bypass() {
        assert_eq!(count("путин", "ПУТИН и Путин"), 2);
        assert_eq!(count("kursk", "\u{212a}ursk"), 1, "KELVIN SIGN lower-cases to ASCII k");
        assert_eq!(count("i* | putin", "\u{130}stanbul"), 1, "İ lower-cases to i and a combining dot");
        assert_eq!(count("putin | istanbul", "\u{130}stanbul Putin"), 1);
        assert_eq!(count("straße", "STRASSE Straße"), 1);
    }

    #[test]
    fn the_quick_lowering_check_knows_the_last_bytes() {
        let last_bytes: Vec<u8> = ASCII_LOWERING.iter().map(|(c, _)| *c.as_bytes().last().unwrap()).collect();
        assert_eq!(last_bytes, [0xaa, 0xb0]);
    }

    #[test]
    fn every_char_lowering_to_ascii_bypasses_the_prefilter() {
        let missing: Vec<(char, char)> = (0x80..=0x10ffff_u32)
            .filter_map(char::from_u32)
            .flat_map(|c| c.to_lowercase().filter(char::is_ascii_alphanumeric).map(move |l| (c, l)))
            .filter(|&(c, l)| !ASCII_LOWERING.iter().any(|&(s, letter)| s == c.to_string() && letter == l))
            .collect();
        assert_eq!(missing, Vec::<(char, char)>::new());
    }

    #[test]
    fn mentions_have_byte_ranges() {
        let text = "Russian President Vladimir Putin; Putin's";
        let m = Matcher::parse(&["Putin | Vladimir Putin", "president"]).unwrap().mentions(text);
        let spans: Vec<(usize, &str)> = m.iter().map(|m| (m.term, &text[m.start..m.end])).collect();
        assert_eq!(spans, vec![(1, "President"), (0, "Vladimir Putin"), (0, "Putin")]);
    }
}
