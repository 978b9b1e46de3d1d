//! The query language against a naive reference written from the README's rules: random texts
//! and random query trees (every operator, nesting, prefixes, phrases, fields, sources, NEAR at
//! the boundary distances), printed as query text, parsed, and counted both on the text and from
//! the store; plus the README's examples by hand.

#![allow(clippy::unwrap_used)] // tests: a panic is the failure report

use std::fmt::Write as _;

use presswatch::core::index::Index;
use presswatch::core::ingest::{ImportOptions, ImportProgress};
use presswatch::core::query::CompiledQuery;
use proptest::prelude::*;

// ---------------------------------------------------------------------------------------------
// The reference: brute force over all word positions, straight from the rules.

#[derive(Clone, Debug)]
enum Field {
    Any,
    Title,
    Text,
}

#[derive(Clone, Debug)]
struct Leaf {
    /// Lower-case words; the last may be a prefix.
    words: Vec<String>,
    prefix: bool,
    field: Field,
}

#[derive(Clone, Debug)]
enum Q {
    Leaf(Leaf),
    Source(&'static str),
    And(Vec<Q>),
    Or(Vec<Q>),
    Not(Box<Q>),
    Near { left: Vec<Leaf>, right: Vec<Leaf>, n: usize, ordered: bool },
}

struct Article {
    words: Vec<String>,
    title_words: usize,
    source: &'static str,
}

impl Article {
    fn new(text: &str, source: &'static str) -> Article {
        let split = |s: &str| -> Vec<String> {
            s.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()).map(str::to_lowercase).collect()
        };
        let title_words = split(text.lines().next().unwrap_or("")).len();
        Article { words: split(text), title_words, source }
    }

    /// Every (start, len) where `leaf` occurs.
    fn occurrences(&self, leaf: &Leaf) -> Vec<(usize, usize)> {
        let len = leaf.words.len();
        (0..self.words.len())
            .filter(|&p| p + len <= self.words.len())
            .filter(|&p| {
                leaf.words.iter().enumerate().all(|(j, w)| {
                    let word = &self.words[p + j];
                    if leaf.prefix && j == len - 1 { word.starts_with(w.as_str()) } else { word == w }
                })
            })
            .filter(|&p| match leaf.field {
                Field::Any => true,
                Field::Title => p + len <= self.title_words,
                Field::Text => p >= self.title_words,
            })
            .map(|p| (p, len))
            .collect()
    }

    fn pairs(&self, left: &[Leaf], right: &[Leaf], n: usize, ordered: bool) -> Vec<((usize, usize), (usize, usize))> {
        let a: Vec<_> = left.iter().flat_map(|l| self.occurrences(l)).collect();
        let b: Vec<_> = right.iter().flat_map(|l| self.occurrences(l)).collect();
        let mut out = Vec::new();
        for &x in &a {
            for &y in &b {
                let a_first = x.0 + x.1 <= y.0 && y.0 - (x.0 + x.1) <= n;
                let b_first = !ordered && y.0 + y.1 <= x.0 && x.0 - (y.0 + y.1) <= n;
                if a_first || b_first {
                    out.push((x, y));
                }
            }
        }
        out
    }

    fn matches(&self, q: &Q) -> bool {
        match q {
            Q::Leaf(l) => !self.occurrences(l).is_empty(),
            Q::Source(s) => self.source.trim().to_lowercase() == s.trim().to_lowercase(),
            Q::And(c) => c.iter().all(|c| self.matches(c)),
            Q::Or(c) => c.iter().any(|c| self.matches(c)),
            Q::Not(c) => !self.matches(c),
            Q::Near { left, right, n, ordered } => !self.pairs(left, right, *n, *ordered).is_empty(),
        }
    }

    /// The occurrences that may count: positive leaves everywhere, NEAR leaves in pairs.
    fn eligible(&self, q: &Q, positive: bool, out: &mut Vec<(usize, usize)>) {
        match q {
            Q::Leaf(l) if positive => out.extend(self.occurrences(l)),
            Q::Leaf(_) | Q::Source(_) => {}
            Q::And(c) | Q::Or(c) => c.iter().for_each(|c| self.eligible(c, positive, out)),
            Q::Not(c) => self.eligible(c, false, out),
            Q::Near { left, right, n, ordered } => {
                if positive {
                    for (x, y) in self.pairs(left, right, *n, *ordered) {
                        out.push(x);
                        out.push(y);
                    }
                }
            }
        }
    }

    fn count(&self, q: &Q) -> Option<u32> {
        if !self.matches(q) {
            return None;
        }
        let mut eligible = Vec::new();
        self.eligible(q, true, &mut eligible);
        let mut n = 0;
        let mut p = 0;
        while p < self.words.len() {
            match eligible.iter().filter(|o| o.0 == p).map(|o| o.1).max() {
                Some(len) => {
                    n += 1;
                    p += len;
                }
                None => p += 1,
            }
        }
        Some(n)
    }
}

// ---------------------------------------------------------------------------------------------
// Query text, written with explicit parentheses so it parses to the tree it came from.

fn leaf_text(l: &Leaf) -> String {
    let field = match l.field {
        Field::Any => "",
        Field::Title => "title:",
        Field::Text => "text:",
    };
    let star = if l.prefix { "*" } else { "" };
    if l.words.len() == 1 {
        format!("{field}{}{star}", l.words[0])
    } else {
        format!("{field}\"{}{star}\"", l.words.join(" "))
    }
}

fn side_text(side: &[Leaf]) -> String {
    if side.len() == 1 {
        leaf_text(&side[0])
    } else {
        format!("({})", side.iter().map(leaf_text).collect::<Vec<_>>().join(" OR "))
    }
}

fn query_text(q: &Q) -> String {
    match q {
        Q::Leaf(l) => leaf_text(l),
        Q::Source(s) => format!("source:\"{s}\""),
        Q::And(c) => format!("({})", c.iter().map(query_text).collect::<Vec<_>>().join(" AND ")),
        Q::Or(c) => format!("({})", c.iter().map(query_text).collect::<Vec<_>>().join(" OR ")),
        Q::Not(c) => format!("NOT ({})", query_text(c)),
        Q::Near { left, right, n, ordered } => {
            format!("{} {}/{n} {}", side_text(left), if *ordered { "ONEAR" } else { "NEAR" }, side_text(right))
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Random texts and trees over a small vocabulary, so that everything meets often.

const VOCABULARY: [&str; 8] = ["putin", "Trump", "KURSK", "offensive", "kur", "bank", "banks", "sport"];
const SOURCES: [&str; 3] = ["Capital Desk", "capital desk ", "Northern Ledger"];

fn text() -> impl Strategy<Value = String> {
    proptest::collection::vec((0..VOCABULARY.len(), 0..6usize), 0..24).prop_map(|words| {
        let mut s = String::new();
        for (w, sep) in words {
            s.push_str(VOCABULARY[w]);
            s.push_str(["  ", ", ", "\n", " - ", "'s ", " "][sep]);
        }
        s
    })
}

fn leaf() -> impl Strategy<Value = Leaf> {
    let word = prop::sample::select(vec!["putin", "trump", "kursk", "offensive", "kur", "bank", "sport", "nothing"]);
    (proptest::collection::vec(word, 1..3), any::<bool>(), 0..3u8).prop_map(|(words, prefix, field)| Leaf {
        words: words.into_iter().map(str::to_string).collect(),
        prefix,
        field: [Field::Any, Field::Title, Field::Text][field as usize].clone(),
    })
}

fn tree() -> impl Strategy<Value = Q> {
    let base = prop_oneof![
        4 => leaf().prop_map(Q::Leaf),
        1 => prop::sample::select(SOURCES.to_vec()).prop_map(Q::Source),
        2 => (proptest::collection::vec(leaf(), 1..3), proptest::collection::vec(leaf(), 1..3), 0..4usize, any::<bool>())
            .prop_map(|(left, right, n, ordered)| Q::Near { left, right, n, ordered }),
    ];
    base.prop_recursive(3, 12, 3, |inner| {
        prop_oneof![
            proptest::collection::vec(inner.clone(), 2..4).prop_map(Q::And),
            proptest::collection::vec(inner.clone(), 2..4).prop_map(Q::Or),
            inner.prop_map(|q| Q::Not(Box::new(q))),
        ]
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 2000, ..ProptestConfig::default() })]

    #[test]
    fn text_counts_follow_the_rules(q in tree(), text in text(), source in 0..3usize) {
        let written = query_text(&q);
        let compiled = CompiledQuery::parse(&written).unwrap_or_else(|e| panic!("{written}: {e}"));
        let expected = Article::new(&text, SOURCES[source]).count(&q);
        prop_assert_eq!(compiled.count_text(&text, Some(SOURCES[source])), expected, "{} on {:?}", written, text);
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]

    /// The same rules from the store's postings: a folder of the random texts, several queries.
    #[test]
    fn store_counts_follow_the_rules(
        queries in proptest::collection::vec(tree(), 1..6),
        texts in proptest::collection::vec((text(), 0..3usize), 1..16),
    ) {
        let folder = tempfile::tempdir().unwrap();
        let mut lines = String::new();
        for (i, (text, source)) in texts.iter().enumerate() {
            let record = serde_json::json!({"title": "", "text": text, "source": SOURCES[*source], "published": format!("2024-01-{:02}T00:00:00Z", 1 + i % 28)});
            // A JSON record's text is its title, a newline, then its body: keep the title empty
            // so the reference sees the same text.
            let _ = writeln!(lines, "{record}");
        }
        std::fs::write(folder.path().join("a.jsonl"), lines).unwrap();
        let index = Index::build(folder.path(), &ImportOptions::default(), &ImportProgress::default()).unwrap();
        for q in &queries {
            let written = query_text(q);
            let compiled = CompiledQuery::parse(&written).unwrap();
            let hits = index.count_query(&compiled);
            for slot in index.articles_in_order() {
                let article = index.article(slot).unwrap();
                let record = article.id.index.unwrap() as usize;
                let source = SOURCES[texts[record].1];
                let expected = Article::new(&article.text, source).count(q);
                let stored = hits.hits.iter().find(|&&(a, _)| a == slot).map(|&(_, n)| n);
                prop_assert_eq!(stored, expected, "{} on {:?}", written, article.text);
            }
        }
    }
}

#[test]
fn the_readme_examples_count_as_documented() {
    let text = "Putin and Trump meet in Riyadh\n\
                Vladimir Putin told Donald Trump that the Kursk offensive had stalled. Sanctions on \
                Russian banks were not discussed; sport was.";
    let cases: [(&str, Option<u32>); 16] = [
        ("putin AND trump", Some(4)),
        ("putin trump", Some(4)),
        ("putin OR biden", Some(2)),
        ("putin AND NOT sport", None),
        ("putin -sport", None),
        ("+putin +riyadh", Some(3)),
        ("\"vladimir putin\"", Some(1)),
        ("\"vladimir putin\" OR putin", Some(2)),
        ("sanction*", Some(1)),
        ("\"russian bank*\"", Some(1)),
        ("kursk NEAR/2 offensive", Some(2)),
        ("kursk NEAR/0 stalled", None),
        ("offensive ONEAR/5 kursk", None),
        ("title:putin", Some(1)),
        ("text:(putin OR trump)", Some(2)),
        ("source:\"capital desk\" putin", Some(2)),
    ];
    for (query, expected) in cases {
        let q = CompiledQuery::parse(query).unwrap_or_else(|e| panic!("{query}: {e}"));
        assert_eq!(q.count_text(text, Some("Capital Desk")), expected, "{query}");
    }
}
