//! The counting rules, checked against a naive reference implementation of the README's wording,
//! and the word index checked against counting on the text itself.

#![allow(clippy::unwrap_used)] // tests: a panic is the failure report

use std::path::Path;

use presswatch::core::index::Index;
use presswatch::core::ingest::{self, ImportOptions, ImportProgress, json, raw_record};
use presswatch::core::query::{Matcher, Term, WordPattern};
use proptest::prelude::*;

/// The rules as the README states them, written as plainly as possible.
fn naive_count(term: &Term, text: &str) -> u32 {
    let words: Vec<String> =
        text.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()).map(str::to_lowercase).collect();
    let matches_at = |alt: &[WordPattern], pos: usize| {
        alt.iter().enumerate().all(|(k, p)| words.get(pos + k).is_some_and(|w| p.matches(w)))
    };
    let (mut pos, mut count) = (0, 0);
    while pos < words.len() {
        let longest = term.alternatives.iter().filter(|alt| matches_at(alt, pos)).map(Vec::len).max();
        match longest {
            Some(len) => {
                count += 1;
                pos += len;
            }
            None => pos += 1,
        }
    }
    count
}

/// Words from a small vocabulary so that matches are frequent, with case variants, Unicode
/// letters (including ones whose lower case is ASCII), digits and separators.
fn text_strategy() -> impl Strategy<Value = String> {
    let common =
        prop::sample::select(vec!["putin", "Putin", "PUTIN", "vladimir", "Vladimir", "kursk", "Kursk", "u", "S"]);
    let rare = prop::sample::select(vec![
        "putinism",
        "pu",
        "tin",
        "ß",
        "SS",
        "ss",
        "straße",
        "İstanbul",
        "istanbul",
        "\u{212a}ursk",
        "Путин",
        "путин",
        "2024",
        "a1",
        "é",
        "É",
    ]);
    let word = prop_oneof![3 => common, 1 => rare];
    let sep = prop::sample::select(vec![" ", "  ", "'", "’", "-", ".", ". ", ",", "\n", "_", "/", "", "\t"]);
    prop::collection::vec((word, sep), 0..40)
        .prop_map(|parts| parts.into_iter().map(|(w, s)| format!("{w}{s}")).collect())
}

fn term_strategy() -> impl Strategy<Value = String> {
    let common = prop::sample::select(vec!["putin", "Vladimir", "kursk", "u", "s"]);
    let rare = prop::sample::select(vec!["pu", "tin", "ss", "straße", "i", "istanbul", "путин", "2024", "é"]);
    let word = prop_oneof![3 => common, 1 => rare];
    let alternative = (prop::collection::vec(word, 1..4), any::<bool>()).prop_map(|(words, star)| {
        let mut a = words.join(" ");
        if star {
            a.push('*');
        }
        a
    });
    prop::collection::vec(alternative, 1..4).prop_map(|alts| alts.join(" | "))
}

/// Terms whose alternatives are all one exact word: the matcher counts those straight from its
/// prefilter, so they get a test of their own.
fn single_word_term_strategy() -> impl Strategy<Value = String> {
    let word =
        prop::sample::select(vec!["putin", "Vladimir", "kursk", "u", "s", "pu", "tin", "ss", "i", "istanbul", "2024"]);
    prop::collection::vec(word, 1..4).prop_map(|words| words.join(" | "))
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn single_word_terms_count_as_the_naive_reference(
        text in text_strategy(),
        terms in prop::collection::vec(single_word_term_strategy(), 1..4),
    ) {
        let matcher = Matcher::parse(&terms).unwrap();
        let counts = matcher.count(&text);
        for (i, term) in matcher.terms().iter().enumerate() {
            prop_assert_eq!(counts[i], naive_count(term, &text), "term {:?} in {:?}", terms[i], text);
        }
    }

    #[test]
    fn matcher_counts_equal_the_naive_reference(text in text_strategy(), terms in prop::collection::vec(term_strategy(), 1..4)) {
        let matcher = Matcher::parse(&terms).unwrap();
        let counts = matcher.count(&text);
        for (i, term) in matcher.terms().iter().enumerate() {
            prop_assert_eq!(counts[i], naive_count(term, &text), "term {:?} in {:?}", terms[i], text);
        }
        // Highlights are exactly the counted mentions.
        let mentions = matcher.mentions(&text);
        for (i, _) in terms.iter().enumerate() {
            prop_assert_eq!(mentions.iter().filter(|m| m.term == i).count() as u32, counts[i]);
        }
    }

    #[test]
    fn raw_record_prefilter_never_hides_a_mention(
        pieces in prop::collection::vec(marked_up_word(), 1..6),
        escaped in prop::collection::vec(any::<prop::sample::Index>(), 0..3),
        terms in prop::collection::vec(term_strategy(), 1..3),
    ) {
        // Markup inside words (where removing it may join their parts), around them, and
        // characters written as JSON escapes.
        let title: Vec<char> = pieces.concat().chars().collect();
        let escaped: Vec<usize> = escaped.iter().map(|i| i.index(title.len().max(1))).collect();
        let raw = format!("{{\"title\": \"{}\", \"date\": \"2024-12-19\"}}", json_string(&title, &escaped));
        let matcher = Matcher::parse(&terms).unwrap();
        let decoded = json::parse_record(&raw).unwrap().unwrap();
        if matcher.count(&decoded.text).iter().any(|c| *c > 0) {
            prop_assert!(raw_record::may_mention(&matcher, &raw), "{raw}");
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(100))]
    /// A counting import (records judged on their raw bytes, most read for their date only)
    /// counts what a full import counts, record by record.
    #[test]
    fn counting_import_counts_what_a_full_import_counts(
        records in prop::collection::vec(
            (prop::collection::vec(marked_up_word(), 1..4), prop::collection::vec(any::<prop::sample::Index>(), 0..2)),
            1..12,
        ),
        terms in prop::collection::vec(term_strategy(), 1..3),
    ) {
        let mut lines = String::new();
        for (pieces, escaped) in &records {
            let title: Vec<char> = pieces.concat().chars().collect();
            let escaped: Vec<usize> = escaped.iter().map(|i| i.index(title.len().max(1))).collect();
            lines.push_str(&format!(
                "{{\"title\": \"{}\", \"date\": \"2024-12-19\"}}\n",
                json_string(&title, &escaped)
            ));
        }
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("records.jsonl");
        std::fs::write(&file, lines).unwrap();
        let matcher = Matcher::parse(&terms).unwrap();
        let count = |options: &ImportOptions| {
            ingest::import(&file, options, &ImportProgress::default(), |a| matcher.count(&a.text)).unwrap().items
        };
        let counting = ImportOptions { count_only: Some(std::sync::Arc::new(matcher.clone())), ..ImportOptions::default() };
        prop_assert_eq!(count(&counting), count(&ImportOptions::default()));
    }
}

/// A word with markup inserted somewhere in it or around it, and a separator.
fn marked_up_word() -> impl Strategy<Value = String> {
    let word = prop::sample::select(vec!["putin", "Putin", "kursk", "Vladimir", "pu", "tin", "s", "İstanbul", "2024"]);
    let markup = prop::collection::vec(prop::sample::select(MARKUP.to_vec()), 0..3);
    let sep = prop::sample::select(vec![" ", "", ".", "\n", "<br>", "&amp;"]);
    // How the character after the markup is written: as itself, or as a numeric reference
    // (decimal, hexadecimal, decimal without the `;` that HTML tolerates).
    let reference = prop_oneof![5 => Just(0_u8), 1 => Just(1), 1 => Just(2), 1 => Just(3)];
    (word, any::<prop::sample::Index>(), markup, reference, sep).prop_map(|(word, at, markup, reference, sep)| {
        let chars: Vec<char> = word.chars().collect();
        let at = at.index(chars.len() + 1);
        let left: String = chars[..at].iter().collect();
        let right: String = match (reference, chars.get(at).map(|&c| u32::from(c))) {
            (1, Some(code)) => format!("&#{code};"),
            (2, Some(code)) => format!("&#x{code:x};"),
            (3, Some(code)) => format!("&#{code}"),
            _ => chars.get(at).map(char::to_string).unwrap_or_default(),
        } + &chars.get(at + 1..).map(|rest| rest.iter().collect::<String>()).unwrap_or_default();
        format!("{left}{}{right}{sep}", markup.concat())
    })
}

/// Markup that decoding removes or replaces: harmless pieces and pieces that join or spell words.
const MARKUP: [&str; 15] = [
    "<b>",
    "</b>",
    "<p>",
    "<!-- c -->",
    "<script> x</script>",
    "<a title='>'>",
    "&amp;",
    "&#80;",
    "&#x74;",
    "&nbsp;",
    "&eacute;",
    "&ampu",
    "&#8217;",
    "\u{130}",
    "\u{212a}",
];

/// `chars` as the body of a JSON string, writing the characters at `escaped` as `\uXXXX`.
fn json_string(chars: &[char], escaped: &[usize]) -> String {
    let mut out = String::new();
    for (i, &c) in chars.iter().enumerate() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if (c as u32) < 0x20 || escaped.contains(&i) => {
                let mut units = [0u16; 2];
                for unit in c.encode_utf16(&mut units) {
                    out.push_str(&format!("\\u{unit:04x}"));
                }
            }
            c => out.push(c),
        }
    }
    out
}

#[test]
fn index_counts_equal_text_counts_on_sample_data() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("sample-data");
    let options = ImportOptions::default();
    let terms = ["Putin", "Trump | Donald Trump", "central bank*", "Kirillov", "Assad", "U.S.", "Путин", "oreshnik"];
    let matcher = Matcher::parse(&terms).unwrap();
    let index = Index::build(&root, &options, &ImportProgress::default()).unwrap();
    let by_text =
        ingest::import(&root, &options, &ImportProgress::default(), |a| (a.id.clone(), matcher.count(&a.text)))
            .unwrap();
    assert_eq!(index.article_count(), by_text.items.len());
    // Store slots are not import positions: compare article by article, by id.
    let slot_of: std::collections::HashMap<_, _> =
        index.articles_in_order().into_iter().map(|a| (index.meta(a).unwrap().id, a)).collect();
    let hits = index.count(&matcher);
    for (t, term_hits) in hits.iter().enumerate() {
        let from_index: std::collections::HashMap<u32, u32> = term_hits.hits.iter().copied().collect();
        for (id, counts) in &by_text.items {
            let stored = from_index.get(&slot_of[id]).copied().unwrap_or(0);
            assert_eq!(stored, counts[t], "term {} in {id}", terms[t]);
        }
    }
    assert!(hits[0].mentions() > 100, "the sample data is about Putin");
}
