//! The counting rules, checked against a naive reference implementation of the README's wording,
//! and the word index checked against counting on the text itself.

#![allow(clippy::unwrap_used)] // tests: a panic is the failure report

use std::path::Path;

use presswatch::core::index::Index;
use presswatch::core::ingest::{self, ImportOptions, ImportProgress};
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

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

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
        text in text_strategy(),
        markup in prop::sample::select(vec!["", "<b>", "&amp;", "&#80;", "\\u0050", "<p>x</p>", "&nbsp;"]),
        terms in prop::collection::vec(term_strategy(), 1..3),
    ) {
        let matcher = Matcher::parse(&terms).unwrap();
        let raw = format!("{{\"title\": {}, \"description\": \"{markup}\"}}", serde_json::to_string(&text).unwrap());
        let decoded: serde_json::Value = serde_json::from_str(&raw).unwrap();
        let full = format!("{}\n{}", decoded["title"].as_str().unwrap(), decoded["description"].as_str().unwrap());
        if matcher.count(&full).iter().any(|c| *c > 0) {
            prop_assert!(matcher.may_match_raw(&raw), "{raw}");
        }
    }
}

#[test]
fn index_counts_equal_text_counts_on_sample_data() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("sample-data");
    let options = ImportOptions::default();
    let terms = ["Putin", "Trump | Donald Trump", "central bank*", "Kirillov", "Assad", "U.S.", "Путин", "oreshnik"];
    let matcher = Matcher::parse(&terms).unwrap();
    let index = Index::build(&root, &options, &ImportProgress::default()).unwrap();
    let by_text = ingest::import(&root, &options, &ImportProgress::default(), |a| matcher.count(&a.text)).unwrap();
    assert_eq!(index.articles.len(), by_text.items.len());
    let hits = index.count(&matcher);
    for (t, term_hits) in hits.iter().enumerate() {
        let mut from_index = vec![0; index.articles.len()];
        for (article, n) in &term_hits.hits {
            from_index[*article as usize] = *n;
        }
        let from_text: Vec<u32> = by_text.items.iter().map(|c| c[t]).collect();
        assert_eq!(from_index, from_text, "term {}", terms[t]);
    }
    assert!(hits[0].mentions() > 100, "the sample data is about Putin");
}
