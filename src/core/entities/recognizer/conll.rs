//! Labelled NER data (CoNLL-2003 and WikiANN files) and conlleval-style scoring.
//!
//! Lives in the library rather than in the examples so the scoring rules are unit-tested and the
//! training and evaluation examples read data identically. It never reads files itself.

use std::ops::Range;

use crate::core::entities::EntityKind;

/// One document of labelled tokens. Spans index `words`; sentences cover `words` in order.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct LabelledDoc {
    pub words: Vec<String>,
    pub sentences: Vec<Range<usize>>,
    pub spans: Vec<(Range<usize>, EntityKind)>,
}

impl LabelledDoc {
    pub fn word_refs(&self) -> Vec<&str> {
        self.words.iter().map(String::as_str).collect()
    }
}

fn kind_of(tag: &str) -> Option<EntityKind> {
    match tag {
        "PER" => Some(EntityKind::Person),
        "ORG" => Some(EntityKind::Organization),
        "LOC" => Some(EntityKind::Location),
        "MISC" => Some(EntityKind::Misc),
        _ => None,
    }
}

/// Parses CoNLL-2003 (`word POS chunk TAG`, `-DOCSTART-` between documents, IOB1) or WikiANN
/// (`en:word<TAB>TAG`, IOB2, no documents: every sentence is a document of its own). Chunks
/// follow conlleval: a span starts at `B-X`, or at `I-X` after anything but `X`.
pub fn parse(text: &str) -> Vec<LabelledDoc> {
    let mut docs = Vec::new();
    let mut doc = LabelledDoc::default();
    let mut sentence_start = 0;
    let mut open: Option<(usize, EntityKind)> = None;
    // CoNLL files mark documents (the first marker may be missing); WikiANN files do not.
    let has_docstart = text.contains("-DOCSTART-");
    let close_sentence = |doc: &mut LabelledDoc, start: &mut usize, open: &mut Option<(usize, EntityKind)>| {
        if let Some((s, kind)) = open.take() {
            doc.spans.push((s..doc.words.len(), kind));
        }
        if doc.words.len() > *start {
            doc.sentences.push(*start..doc.words.len());
        }
        *start = doc.words.len();
    };
    for line in text.lines() {
        let line = line.trim_end();
        if line.starts_with("-DOCSTART-") {
            close_sentence(&mut doc, &mut sentence_start, &mut open);
            if !doc.words.is_empty() {
                docs.push(std::mem::take(&mut doc));
            }
            sentence_start = 0;
            continue;
        }
        if line.is_empty() {
            close_sentence(&mut doc, &mut sentence_start, &mut open);
            if !has_docstart && !doc.words.is_empty() {
                docs.push(std::mem::take(&mut doc));
                sentence_start = 0;
            }
            continue;
        }
        let mut fields = line.split_whitespace();
        let (Some(first), Some(tag)) = (fields.next(), line.split_whitespace().last()) else {
            continue;
        };
        let word = first.strip_prefix("en:").filter(|w| !w.is_empty() && line.contains('\t')).unwrap_or(first);
        let (prefix, kind) = match tag.split_once('-') {
            Some((p, k)) => (p, kind_of(k)),
            None => ("O", None),
        };
        let i = doc.words.len();
        let continues = matches!((open, kind), (Some((_, a)), Some(b)) if a == b) && prefix == "I";
        if !continues {
            if let Some((s, k)) = open.take() {
                doc.spans.push((s..i, k));
            }
            if let Some(k) = kind {
                open = Some((i, k));
            }
        }
        doc.words.push(word.to_string());
    }
    close_sentence(&mut doc, &mut sentence_start, &mut open);
    if !doc.words.is_empty() {
        docs.push(doc);
    }
    docs
}

/// Exact-match counts per kind, as conlleval reports them.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Counts {
    pub correct: usize,
    pub predicted: usize,
    pub gold: usize,
}

impl Counts {
    pub fn precision(&self) -> f64 {
        ratio(self.correct, self.predicted)
    }
    pub fn recall(&self) -> f64 {
        ratio(self.correct, self.gold)
    }
    pub fn f1(&self) -> f64 {
        let (p, r) = (self.precision(), self.recall());
        if p + r > 0.0 { 2.0 * p * r / (p + r) } else { 0.0 }
    }
}

fn ratio(a: usize, b: usize) -> f64 {
    if b == 0 { 0.0 } else { a as f64 / b as f64 }
}

/// Scores accumulated over documents, per kind.
#[derive(Clone, Debug, Default)]
pub struct Score {
    /// Indexed like [`super::labels::KINDS`]: PER, ORG, LOC, MISC.
    pub kinds: [Counts; 4],
}

fn kind_slot(kind: EntityKind) -> usize {
    match kind {
        EntityKind::Person => 0,
        EntityKind::Organization => 1,
        EntityKind::Location => 2,
        EntityKind::Misc => 3,
    }
}

impl Score {
    /// Adds one document: a predicted span is correct only if the same range has the same kind
    /// in `gold`.
    pub fn add(&mut self, gold: &[(Range<usize>, EntityKind)], predicted: &[(Range<usize>, EntityKind)]) {
        for (_, kind) in gold {
            self.kinds[kind_slot(*kind)].gold += 1;
        }
        for span in predicted {
            let c = &mut self.kinds[kind_slot(span.1)];
            c.predicted += 1;
            if gold.contains(span) {
                c.correct += 1;
            }
        }
    }

    /// Counts over PER, ORG and LOC: the headline number (MISC excluded).
    pub fn headline(&self) -> Counts {
        self.kinds[..3].iter().fold(Counts::default(), |a, c| Counts {
            correct: a.correct + c.correct,
            predicted: a.predicted + c.predicted,
            gold: a.gold + c.gold,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const CONLL: &str = "-DOCSTART- -X- -X- O\n\nEU NNP I-NP I-ORG\nrejects VBZ I-VP O\nGerman JJ I-NP I-MISC\n\n\
        Peter NNP I-NP I-PER\nBlackburn NNP I-NP I-PER\nB NNP I-NP B-PER\n\n-DOCSTART- -X- -X- O\n\nBonn NNP I-NP I-LOC\n";

    #[test]
    fn parses_iob1_documents_and_sentences() {
        let docs = parse(CONLL);
        assert_eq!(docs.len(), 2);
        assert_eq!(docs[0].words, ["EU", "rejects", "German", "Peter", "Blackburn", "B"]);
        assert_eq!(docs[0].sentences, vec![0..3, 3..6]);
        use EntityKind::*;
        assert_eq!(docs[0].spans, vec![(0..1, Organization), (2..3, Misc), (3..5, Person), (5..6, Person)]);
        assert_eq!(docs[1].spans, vec![(0..1, Location)]);
    }

    #[test]
    fn parses_wikiann_sentences_as_documents() {
        let docs = parse("en:R.H.\tB-ORG\nen:Saunders\tI-ORG\nen:(\tO\n\nen:Anders\tB-PER\n");
        assert_eq!(docs.len(), 2);
        assert_eq!(docs[0].words, ["R.H.", "Saunders", "("]);
        assert_eq!(docs[0].spans, vec![(0..2, EntityKind::Organization)]);
        assert_eq!(docs[1].spans, vec![(0..1, EntityKind::Person)]);
    }

    #[test]
    fn scoring_needs_exact_boundaries_and_kind() {
        use EntityKind::*;
        let gold = vec![(0..2, Person), (3..4, Location), (5..6, Misc)];
        let predicted = vec![(0..1, Person), (3..4, Location), (5..6, Organization)];
        let mut score = Score::default();
        score.add(&gold, &predicted);
        let h = score.headline();
        assert_eq!((h.correct, h.predicted, h.gold), (1, 3, 2));
        assert!((h.precision() - 1.0 / 3.0).abs() < 1e-9);
        assert!((h.recall() - 0.5).abs() < 1e-9);
        assert!((h.f1() - 0.4).abs() < 1e-9);
    }
}
