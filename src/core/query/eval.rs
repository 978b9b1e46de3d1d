//! What a query matches and counts in one article, given the article's words.
//!
//! The rules (the README states them for users):
//! - A **leaf** (word, prefix, phrase) occurs wherever its words occur consecutively; a `title:`
//!   leaf only where all its words lie in the text's first line, a `text:` leaf only where they
//!   all lie after it.
//! - An article **matches** by the Boolean logic: a leaf holds when it occurs, `source:` when the
//!   article's source equals the name (trimmed, lower-cased), `A NEAR/n B` when an occurrence of
//!   A and one of B do not overlap and at most n words lie strictly between them (`ONEAR`: A's
//!   first).
//! - Its **mentions** are 0 unless it matches; then they are the occurrences of the positive
//!   leaves (those under no `NOT`), a leaf under `NEAR` only where it takes part in a satisfying
//!   pair, counted left to right with the longest occurrence first at each position and the scan
//!   going on after it — the rule the terms follow for their alternatives.
//!
//! The words come from the article's text ([`Matcher::positioned_words`]) or from the store's
//! postings; both give the same [`MatchedWord`]s (with true word positions), so both count alike.

use super::syntax::{Field, Leaf, Near, Node, Query, QueryError, source_keys};
use super::terms::{MatchedWord, Matcher, Mention, Term, TermError, words};

/// A query ready to evaluate on many articles.
#[derive(Clone, Debug)]
pub struct CompiledQuery {
    pub query: Query,
    /// The distinct leaves; leaf `i` is term `i` of `matcher`, with one alternative.
    leaves: Vec<Leaf>,
    matcher: Matcher,
    tree: Tree,
    nears: Vec<NearIds>,
    /// Per leaf: whether every occurrence counts (it is positive somewhere outside NEAR).
    counted_everywhere: Vec<bool>,
    /// The names of the `source:` filters, as compared.
    sources: Vec<String>,
    /// Whether an article with no occurrence of any leaf can match (a query like `NOT sport`).
    matches_without_words: bool,
}

#[derive(Clone, Debug)]
enum Tree {
    Leaf(usize),
    Source(usize),
    And(Vec<Tree>),
    Or(Vec<Tree>),
    Not(Box<Tree>),
    Near(usize),
}

#[derive(Clone, Debug)]
struct NearIds {
    left: Vec<usize>,
    right: Vec<usize>,
    distance: u32,
    ordered: bool,
    /// Under no NOT: its pairs count as mentions.
    positive: bool,
}

/// One occurrence: indexes into the article's matched words of its first and last word.
type Occurrence = (usize, usize);

#[derive(Debug, thiserror::Error)]
pub enum CompileError {
    #[error(transparent)]
    Syntax(#[from] QueryError),
    #[error(transparent)]
    Words(#[from] TermError),
}

impl CompiledQuery {
    /// Parses and compiles `[Label=]query`.
    pub fn parse(input: &str) -> Result<CompiledQuery, CompileError> {
        Ok(CompiledQuery::new(Query::parse(input)?)?)
    }

    pub fn new(query: Query) -> Result<CompiledQuery, TermError> {
        let mut builder = Builder::default();
        let tree = builder.tree(&query.root, true);
        let terms: Vec<Term> = builder
            .leaves
            .iter()
            .map(|leaf| Term { label: leaf.to_string(), alternatives: vec![leaf.words.clone()] })
            .collect();
        let matcher = Matcher::new(terms)?;
        let matches_without_words = match builder.sources.len() {
            // Each source filter holds or not: try every combination (a handful at most).
            k if k <= 12 => (0u32..1 << k).any(|flags| eval_empty(&tree, flags)),
            _ => true,
        };
        Ok(CompiledQuery {
            query,
            leaves: builder.leaves,
            matcher,
            tree,
            nears: builder.nears,
            counted_everywhere: builder.counted_everywhere,
            sources: builder.sources,
            matches_without_words,
        })
    }

    pub fn label(&self) -> &str {
        &self.query.label
    }

    /// The words of every leaf, for finding them in a text or in the store.
    pub fn matcher(&self) -> &Matcher {
        &self.matcher
    }

    /// Whether an article holding none of the leaves' words can match, so that every article
    /// must be evaluated, not only those holding a leaf word.
    pub fn matches_without_words(&self) -> bool {
        self.matches_without_words
    }

    /// Whether the query filters by source (the article's source is then needed).
    pub fn has_sources(&self) -> bool {
        !self.sources.is_empty()
    }

    /// The `source:` names, as compared (trimmed, lower-cased).
    pub fn sources(&self) -> &[String] {
        &self.sources
    }

    /// For each `source:` filter, whether an article with this source passes it (its source or
    /// its outlet equal the name).
    pub fn source_flags(&self, source: Option<&str>) -> Vec<bool> {
        let keys = source.map(source_keys).unwrap_or_default();
        self.sources.iter().map(|s| keys.contains(s)).collect()
    }

    /// The mentions in an article whose words matching a leaf are `matched` (in order),
    /// `title_words` words long in its first line, passing the source filters `sources`:
    /// `None` when it does not match, else the counted occurrences as (first, last) indexes
    /// into `matched`.
    pub fn evaluate(&self, matched: &[MatchedWord], title_words: usize, sources: &[bool]) -> Option<Vec<Occurrence>> {
        let mut occurrences: Vec<Vec<Occurrence>> = vec![Vec::new(); self.leaves.len()];
        self.matcher.occurrences(matched, |leaf, first, last| {
            let fits = match self.leaves[leaf].field {
                Field::Any => true,
                Field::Title => matched[last].position < title_words,
                Field::Text => matched[first].position >= title_words,
            };
            if fits {
                occurrences[leaf].push((first, last));
            }
        });
        let pairs: Vec<NearPairs> = self.nears.iter().map(|n| near_pairs(n, &occurrences, matched)).collect();
        let flags = |i: usize| sources.get(i).copied().unwrap_or(false);
        if !eval(&self.tree, &occurrences, &pairs, &flags) {
            return None;
        }
        let mut counted: Vec<Occurrence> = Vec::new();
        for (leaf, list) in occurrences.iter().enumerate() {
            if self.counted_everywhere[leaf] {
                counted.extend_from_slice(list);
            }
        }
        for (near, pairs) in self.nears.iter().zip(&pairs) {
            if near.positive {
                counted.extend(pairs.eligible.iter().copied());
            }
        }
        // Left to right, the longest first at each place; an occurrence inside a counted one
        // is passed over.
        counted.sort_unstable_by(|a, b| a.0.cmp(&b.0).then(b.1.cmp(&a.1)));
        counted.dedup();
        let mut mentions = Vec::new();
        let mut resume = 0;
        for (first, last) in counted {
            if first >= resume {
                mentions.push((first, last));
                resume = last + 1;
            }
        }
        Some(mentions)
    }

    /// Mentions in `text` (of an article from `source`), `None` when it does not match.
    pub fn count_text(&self, text: &str, source: Option<&str>) -> Option<u32> {
        self.mentions(text, source).map(|m| m.len() as u32)
    }

    /// The counted mentions in `text` with their byte ranges, `None` when it does not match.
    pub fn mentions(&self, text: &str, source: Option<&str>) -> Option<Vec<Mention>> {
        let matched = self.matcher.positioned_words(text);
        let counted = self.evaluate(&matched, title_words(text), &self.source_flags(source))?;
        Some(
            counted
                .into_iter()
                .map(|(f, l)| Mention { start: matched[f].start, end: matched[l].end, term: 0 })
                .collect(),
        )
    }
}

/// Words in a text's first line: the `title:` field.
pub fn title_words(text: &str) -> usize {
    words(&text[..text.find('\n').unwrap_or(text.len())]).count()
}

/// Numbers the leaves, sources and NEARs of a query tree.
#[derive(Default)]
struct Builder {
    leaves: Vec<Leaf>,
    counted_everywhere: Vec<bool>,
    nears: Vec<NearIds>,
    sources: Vec<String>,
}

impl Builder {
    fn leaf(&mut self, leaf: &Leaf) -> usize {
        match self.leaves.iter().position(|l| l == leaf) {
            Some(i) => i,
            None => {
                self.leaves.push(leaf.clone());
                self.counted_everywhere.push(false);
                self.leaves.len() - 1
            }
        }
    }

    /// `positive`: under no NOT.
    fn tree(&mut self, node: &Node, positive: bool) -> Tree {
        match node {
            Node::Leaf(leaf) => {
                let i = self.leaf(leaf);
                self.counted_everywhere[i] |= positive;
                Tree::Leaf(i)
            }
            Node::Source(name) => {
                let i = self.sources.iter().position(|s| s == name).unwrap_or_else(|| {
                    self.sources.push(name.clone());
                    self.sources.len() - 1
                });
                Tree::Source(i)
            }
            Node::And(children) => Tree::And(children.iter().map(|c| self.tree(c, positive)).collect()),
            Node::Or(children) => Tree::Or(children.iter().map(|c| self.tree(c, positive)).collect()),
            Node::Not(child) => Tree::Not(Box::new(self.tree(child, false))),
            Node::Near(Near { left, right, distance, ordered }) => {
                let left = left.iter().map(|l| self.leaf(l)).collect();
                let right = right.iter().map(|l| self.leaf(l)).collect();
                self.nears.push(NearIds { left, right, distance: *distance, ordered: *ordered, positive });
                Tree::Near(self.nears.len() - 1)
            }
        }
    }
}

/// A NEAR node in one article: whether a pair satisfies it, and the occurrences in such pairs.
struct NearPairs {
    satisfied: bool,
    eligible: Vec<Occurrence>,
}

/// Finds the occurrences of a NEAR's sides that take part in a satisfying pair, in
/// O(n log n): a side's occurrences sorted by first and by last word position answer "is there
/// one starting (ending) within this range" by binary search.
fn near_pairs(near: &NearIds, occurrences: &[Vec<Occurrence>], matched: &[MatchedWord]) -> NearPairs {
    let positions = |leaves: &[usize]| -> Vec<(usize, usize, Occurrence)> {
        leaves
            .iter()
            .flat_map(|&l| occurrences[l].iter())
            .map(|&(f, l)| (matched[f].position, matched[l].position, (f, l)))
            .collect()
    };
    let (a, b) = (positions(&near.left), positions(&near.right));
    let n = near.distance as usize;
    let sorted = |side: &[(usize, usize, Occurrence)], key: fn(&(usize, usize, Occurrence)) -> usize| {
        let mut v: Vec<usize> = side.iter().map(key).collect();
        v.sort_unstable();
        v
    };
    let (b_starts, b_ends) = (sorted(&b, |o| o.0), sorted(&b, |o| o.1));
    let (a_starts, a_ends) = (sorted(&a, |o| o.0), sorted(&a, |o| o.1));
    // Any value of `sorted` within lo..=hi?
    let any_in = |sorted: &[usize], lo: usize, hi: usize| {
        let i = sorted.partition_point(|&v| v < lo);
        sorted.get(i).is_some_and(|&v| v <= hi)
    };
    let mut eligible = Vec::new();
    for &(start, end, occ) in &a {
        // A partner after it (ONEAR needs that order) or, for NEAR, before it.
        let after = any_in(&b_starts, end + 1, end + 1 + n);
        let before = !near.ordered && start > 0 && any_in(&b_ends, start.saturating_sub(1 + n), start - 1);
        if after || before {
            eligible.push(occ);
        }
    }
    let satisfied = !eligible.is_empty();
    for &(start, end, occ) in &b {
        let a_first = start > 0 && any_in(&a_ends, start.saturating_sub(1 + n), start - 1);
        let b_first = !near.ordered && any_in(&a_starts, end + 1, end + 1 + n);
        if a_first || b_first {
            eligible.push(occ);
        }
    }
    NearPairs { satisfied, eligible }
}

fn eval(tree: &Tree, occurrences: &[Vec<Occurrence>], pairs: &[NearPairs], sources: &impl Fn(usize) -> bool) -> bool {
    match tree {
        Tree::Leaf(i) => !occurrences[*i].is_empty(),
        Tree::Source(i) => sources(*i),
        Tree::And(children) => children.iter().all(|c| eval(c, occurrences, pairs, sources)),
        Tree::Or(children) => children.iter().any(|c| eval(c, occurrences, pairs, sources)),
        Tree::Not(child) => !eval(child, occurrences, pairs, sources),
        Tree::Near(i) => pairs[*i].satisfied,
    }
}

/// The tree's value for an article with no leaf occurrence and the source filters in `flags`.
fn eval_empty(tree: &Tree, flags: u32) -> bool {
    match tree {
        Tree::Leaf(_) | Tree::Near(_) => false,
        Tree::Source(i) => flags & (1 << i) != 0,
        Tree::And(children) => children.iter().all(|c| eval_empty(c, flags)),
        Tree::Or(children) => children.iter().any(|c| eval_empty(c, flags)),
        Tree::Not(child) => !eval_empty(child, flags),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Mentions in `text`, or `None` when the query does not match it.
    fn count(query: &str, text: &str) -> Option<u32> {
        CompiledQuery::parse(query).unwrap_or_else(|e| panic!("{query}: {e}")).count_text(text, Some("Capital Desk"))
    }

    #[test]
    fn boolean_logic_decides_the_match() {
        let text = "Putin met Trump. Sport was not discussed.";
        assert_eq!(count("putin trump", text), Some(2));
        assert_eq!(count("putin AND biden", text), None);
        assert_eq!(count("putin OR biden", text), Some(1));
        assert_eq!(count("putin NOT sport", text), None);
        assert_eq!(count("putin -biden", text), Some(1));
        assert_eq!(count("NOT biden", text), Some(0), "matches with nothing to count");
    }

    #[test]
    fn negative_leaves_never_count_and_positive_ones_always_do() {
        let text = "Putin, Biden and Putin.";
        assert_eq!(count("(putin AND trump) OR biden", text), Some(3), "putin is positive though its branch failed");
        assert_eq!(count("biden NOT (trump AND putin)", text), Some(1));
    }

    #[test]
    fn longest_first_as_for_terms() {
        let text = "Vladimir Putin said Putin.";
        assert_eq!(count("\"vladimir putin\" OR putin", text), Some(2));
        assert_eq!(count("vladimir putin", text), Some(3), "two clauses: each word counts");
    }

    #[test]
    fn near_counts_only_pairing_occurrences() {
        // Positions: kursk 0, offensive 4, kursk 20.
        let text = format!("Kursk a b c offensive {} Kursk", "x ".repeat(14));
        assert_eq!(count("kursk NEAR/3 offensive", &text), Some(2));
        assert_eq!(count("kursk NEAR/2 offensive", &text), None);
        assert_eq!(count("offensive ONEAR/3 kursk", &text), None, "ONEAR wants the left side first");
        assert_eq!(count("kursk ONEAR/3 offensive", &text), Some(2));
        assert_eq!(count("kursk OR (kursk NEAR/3 offensive)", &text), Some(3), "a plain kursk counts everywhere");
        assert_eq!(count("x NEAR/0 x", "x x"), Some(2), "adjacent, not overlapping");
        assert_eq!(count("x NEAR/0 x", "x"), None, "an occurrence does not pair with itself");
        assert_eq!(count("\"a b\" NEAR/0 b", "a b c"), None, "overlapping occurrences do not pair");
    }

    #[test]
    fn fields_and_sources() {
        let text = "Putin in the title\nTrump and Putin in the body";
        assert_eq!(count("title:putin", text), Some(1));
        assert_eq!(count("text:putin", text), Some(1));
        assert_eq!(count("title:trump", text), None);
        assert_eq!(count("source:\"capital desk\" putin", text), Some(2));
        assert_eq!(count("source:\"Other Desk\" putin", text), None);
        assert_eq!(count("NOT source:\"Other Desk\"", text), Some(0));
    }

    #[test]
    fn articles_without_leaf_words_are_considered_only_when_they_can_match() {
        assert!(!CompiledQuery::parse("putin OR trump").unwrap().matches_without_words());
        assert!(CompiledQuery::parse("NOT sport").unwrap().matches_without_words());
        assert!(CompiledQuery::parse("source:x").unwrap().matches_without_words());
        assert!(!CompiledQuery::parse("source:x putin").unwrap().matches_without_words());
    }

    #[test]
    fn highlights_are_the_counted_mentions() {
        let text = "Kursk offensive; much later, Kursk.";
        let q = CompiledQuery::parse("kursk NEAR/1 offensive").unwrap();
        let spans: Vec<&str> = q.mentions(text, None).unwrap().iter().map(|m| &text[m.start..m.end]).collect();
        assert_eq!(spans, ["Kursk", "offensive"]);
    }
}
