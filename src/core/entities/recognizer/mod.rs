//! The named-entity recogniser: tokenises text and tags PER/ORG/LOC/MISC spans, offline, from
//! model data bundled in `assets/`.
//!
//! The tagger is a greedy left-to-right averaged perceptron over BILOU labels (Ratinov & Roth
//! 2009): hashed local features (word, shape, affixes, ±2 context), gazetteers, word clusters learnt
//! from unlabelled news, and document-level features (how a word is capitalised elsewhere in the
//! article, and what it was tagged earlier). It was chosen over a neural model because it needs no
//! runtime beyond plain Rust, tags hundreds of thousands of tokens per second per core, and its
//! training is reproducible from `../shared/corpora` with
//! `cargo run --release --no-default-features --example train_ner -- ../shared/corpora`.
//!
//! It does not group mentions into entities (`Putin` and `Vladimir Putin` are two spans): that is
//! the alias grouping's job.

pub mod conll;
pub mod features;
pub mod labels;
pub mod model;
pub mod tokenize;

use std::ops::Range;
use std::sync::OnceLock;

use self::features::Doc;
use self::model::{Model, ModelError};
use super::{EntityKind, EntitySpan};

/// The model shipped with the program, written by the `train_ner` example.
const BUNDLED_MODEL: &[u8] = include_bytes!("../../../../assets/ner/model.bin.gz");

/// Tags named entities in text. Immutable once built, so one instance serves all threads.
#[derive(Clone, Debug, Default)]
pub struct Recognizer {
    model: Model,
}

impl Recognizer {
    /// The bundled model, read on first use.
    ///
    /// The asset is checked by a unit test, so reading it cannot fail in a tested build; if it
    /// somehow did, an empty model (which finds nothing) is used instead of panicking inside an
    /// import.
    pub fn bundled() -> &'static Recognizer {
        static BUNDLED: OnceLock<Recognizer> = OnceLock::new();
        BUNDLED.get_or_init(|| Recognizer::from_gzip(BUNDLED_MODEL).unwrap_or_default())
    }

    /// A recogniser from a gzip-compressed model file.
    pub fn from_gzip(data: &[u8]) -> Result<Recognizer, ModelError> {
        Ok(Recognizer { model: Model::from_gzip(data)? })
    }

    pub fn from_model(model: Model) -> Recognizer {
        Recognizer { model }
    }

    /// Entity spans in `text`: sorted by start, non-overlapping, byte offsets on char boundaries.
    pub fn recognize(&self, text: &str) -> Vec<EntitySpan> {
        let tokens = tokenize::tokenize(text);
        let sentences = tokenize::sentences(text, &tokens);
        let words: Vec<&str> = tokens.iter().map(|t| &text[t.start..t.end]).collect();
        self.tag_tokens(&words, &sentences)
            .into_iter()
            .filter_map(|(range, kind)| {
                let first = tokens.get(range.start)?;
                let last = tokens.get(range.end.checked_sub(1)?)?;
                Some(EntitySpan { start: first.start, end: last.end, kind })
            })
            .collect()
    }

    /// Entity spans over already tokenised text: `words` is a whole document, `sentences` are
    /// ranges of it in order. Spans are token ranges, sorted and non-overlapping.
    pub fn tag_tokens(&self, words: &[&str], sentences: &[Range<usize>]) -> Vec<(Range<usize>, EntityKind)> {
        let doc = Doc::new(words, sentences, &self.model.resources);
        let tags = features::decode(&doc, |_, rows, allowed| best_allowed(&self.model.scores(rows), allowed));
        sentences
            .iter()
            .filter_map(|range| tags.get(range.clone()).map(|t| (range.start, t)))
            .flat_map(|(offset, t)| {
                labels::decode_spans(t)
                    .into_iter()
                    .map(move |(r, kind)| (r.start + offset..r.end + offset, labels::KINDS[kind.min(3)]))
            })
            .collect()
    }
}

/// The highest-scoring label whose bit is set in `allowed` (lowest label on ties; `O` if none).
pub fn best_allowed<T: PartialOrd + Copy>(scores: &[T], allowed: u32) -> u8 {
    let mut best: Option<(usize, T)> = None;
    for (k, &s) in scores.iter().enumerate() {
        if allowed & (1 << k) != 0 && best.is_none_or(|(_, b)| s > b) {
            best = Some((k, s));
        }
    }
    best.map_or(labels::O, |(k, _)| k as u8)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn found(text: &str) -> Vec<(&str, &'static str)> {
        Recognizer::bundled().recognize(text).into_iter().map(|s| (&text[s.start..s.end], s.kind.as_str())).collect()
    }

    #[test]
    fn bundled_model_loads() {
        assert!(Recognizer::from_gzip(BUNDLED_MODEL).is_ok());
    }

    #[test]
    fn best_allowed_respects_the_mask() {
        assert_eq!(best_allowed(&[5, 9, 7], 0b101), 2);
        assert_eq!(best_allowed(&[5, 9, 7], 0), labels::O);
    }
}
