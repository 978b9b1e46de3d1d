//! The named-entity recogniser: tokenises text and tags PER/ORG/LOC/MISC spans, offline, from
//! model data bundled in `assets/ner/model.bin.gz`.
//!
//! The tagger is a greedy left-to-right averaged perceptron over BILOU labels (Ratinov & Roth
//! 2009): hashed local features (word, shape, affixes, ±2 context, previous two labels),
//! gazetteers, word clusters and a capitalisation prior learnt from unlabelled news, and
//! document-level features (how a word is capitalised elsewhere in the article, and what it was
//! tagged earlier; all-caps headlines are tagged after the body so they can use it). It was
//! chosen over a neural model because it needs no runtime beyond plain Rust, tags several
//! hundred thousand tokens per second per core, and its training is reproducible from
//! `../shared/corpora` with
//! `cargo run --release --no-default-features --example train_ner -- ../shared/corpora`
//! (see `assets/ner/README.md` for data, figures and what was tried).
//!
//! Known weak spots: organisations named after places (sports clubs), and the type of a name
//! that only appears in an all-caps headline (the span is usually right, the type less so).
//!
//! It does not group mentions into entities (`Putin` and `Vladimir Putin` are two spans): that is
//! the alias grouping's job. The submodules are public for the training and evaluation examples;
//! other code needs only [`Recognizer`].

pub mod conll;
pub mod features;
pub mod labels;
pub(crate) mod legal_forms;
pub mod model;
pub(crate) mod name_parts;
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
        self.spans_in(text, true)
    }

    /// The tagger's own spans in `text`, before the rules that tidy them for display (names cut
    /// in two joined again, legal forms joined to company names, sign-offs and lone number words
    /// dropped). The training example
    /// builds its automatic gazetteer from these, so changing a rule never changes the model.
    pub fn recognize_untidied(&self, text: &str) -> Vec<EntitySpan> {
        self.spans_in(text, false)
    }

    fn spans_in(&self, text: &str, tidy: bool) -> Vec<EntitySpan> {
        let tokens = tokenize::tokenize(text);
        let sentences = tokenize::sentences(text, &tokens);
        let words: Vec<&str> = tokens.iter().map(|t| &text[t.start..t.end]).collect();
        let (spans, sign_off) = if tidy {
            (self.tag_tokens(&words, &sentences), sign_off(&words, &tokens))
        } else {
            (self.tagger_spans(&words, &sentences), None)
        };
        spans
            .into_iter()
            .filter(|(range, _)| sign_off.is_none_or(|last| range.start != last))
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
        let mut spans = self.tagger_spans(words, sentences);
        spans.retain(|(r, _)| !(r.len() == 1 && is_number_word(words[r.start])));
        let spans = name_parts::join(words, sentences, spans);
        legal_forms::attach(words, sentences, spans)
    }

    /// [`Recognizer::tag_tokens`] before the tidying rules.
    fn tagger_spans(&self, words: &[&str], sentences: &[Range<usize>]) -> Vec<(Range<usize>, EntityKind)> {
        let doc = Doc::new(words, sentences, &self.model.resources);
        let tags = features::decode(&doc, |i, rows, allowed| {
            best_allowed(&self.model.scores(rows), allowed & doc.allowed_at(i))
        });
        let doc = &doc;
        sentences
            .iter()
            .filter_map(|range| tags.get(range.clone()).map(|t| (range.start, t)))
            .flat_map(|(offset, t)| {
                labels::decode_spans(t).into_iter().filter_map(move |(r, kind)| {
                    let mut r = trim_span(words, r.start + offset..r.end + offset)?;
                    while r.end > r.start && doc.headline_common_word(r.end - 1) {
                        r.end -= 1;
                    }
                    let r = trim_span(words, r)?;
                    Some((r, labels::KINDS[kind.min(3)]))
                })
            })
            .collect()
    }
}

/// A rule that tidies tagged spans (token ranges, sorted) given the words and sentences.
#[cfg(test)]
type SpanRule = fn(&[&str], &[Range<usize>], Vec<(Range<usize>, EntityKind)>) -> Vec<(Range<usize>, EntityKind)>;

/// For the rules' tests: `rule` applied to space-separated words in one sentence, with the
/// resulting spans as text.
#[cfg(test)]
fn apply_rule(rule: SpanRule, text: &str, spans: Vec<(Range<usize>, EntityKind)>) -> Vec<(String, EntityKind)> {
    let words: Vec<&str> = text.split(' ').collect();
    let whole = 0..words.len();
    rule(&words, std::slice::from_ref(&whole), spans).into_iter().map(|(r, k)| (words[r].join(" "), k)).collect()
}

/// The index of a wire sign-off ("... in deposits. REUTER", "AP" on a line of its own): a last
/// word in capitals after the end of the last sentence. It credits the agency that filed the
/// story, which is not a mention of it, and it was typed PER 4,679 times on Reuters-1987.
fn sign_off(words: &[&str], tokens: &[tokenize::Token]) -> Option<usize> {
    let last = words.len().checked_sub(1)?;
    let word = words[last];
    let capitals = word.chars().filter(|c| c.is_alphabetic()).count() >= 2 && !word.chars().any(char::is_lowercase);
    let after_sentence = last > 0 && (tokens[last].break_before > 0 || matches!(words[last - 1], "." | "!" | "?"));
    (capitals && word.chars().all(char::is_alphabetic) && after_sentence).then_some(last)
}

/// Spelled-out numbers: "Nine mths" starts a line of every Reuters earnings table, and the
/// tagger, seeing a capitalised word it rarely met in training, called it a person 357 times.
/// Alone they are never names ("Nine Inch Nails" is more than one word).
fn is_number_word(word: &str) -> bool {
    #[rustfmt::skip]
    const NUMBERS: &[&str] = &[
        "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven",
        "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen",
        "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety", "hundred",
        "thousand", "million", "billion", "trillion", "dozen",
    ];
    NUMBERS.iter().any(|n| word.eq_ignore_ascii_case(n))
}

/// Drops clitics and punctuation from the edges of a span (`Trump ’s` → `Trump`): names never
/// start or end with them, whatever the weights say. `None` if nothing is left.
fn trim_span(words: &[&str], mut r: Range<usize>) -> Option<Range<usize>> {
    let edge = |i: usize| words.get(i).is_none_or(|w| tokenize::is_clitic(w) || !w.chars().any(char::is_alphanumeric));
    while r.start < r.end && edge(r.start) {
        r.start += 1;
    }
    while r.start < r.end && edge(r.end - 1) {
        r.end -= 1;
    }
    (r.start < r.end).then_some(r)
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
        let rec = Recognizer::from_gzip(BUNDLED_MODEL).expect("bundled model parses");
        assert!(!rec.model.resources.gazetteer.phrases.is_empty());
        assert!(!rec.model.resources.clusters.words.is_empty());
    }

    #[test]
    fn possessives_stay_outside_the_name_with_either_apostrophe() {
        let text = "Russian President Vladimir Putin said Putin's army and Trump’s team would meet in Moscow.";
        let spans = found(text);
        assert!(spans.contains(&("Vladimir Putin", "PER")), "{spans:?}");
        assert!(spans.contains(&("Putin", "PER")), "{spans:?}");
        assert!(spans.contains(&("Trump", "PER")), "{spans:?}");
        assert!(spans.contains(&("Moscow", "LOC")), "{spans:?}");
        assert!(spans.iter().all(|(s, _)| !s.contains('\'') && !s.contains('’')), "{spans:?}");
    }

    #[test]
    fn arabic_and_dutch_particles_belong_to_the_name() {
        let text = "Former President Bashar al-Assad fled Syria, and Osama bin Laden hid in Pakistan.";
        let spans = found(text);
        assert!(spans.contains(&("Bashar al-Assad", "PER")), "{spans:?}");
        assert!(spans.contains(&("Osama bin Laden", "PER")), "{spans:?}");
        assert!(spans.contains(&("Syria", "LOC")), "{spans:?}");
    }

    #[test]
    fn all_caps_headline_uses_the_body() {
        let text = "PUTIN WARNS UKRAINE OVER KURSK\n\nMOSCOW, Dec 19 - Russian President Vladimir Putin \
                    said on Thursday that his army would retake the Kursk region from Ukraine.";
        let spans = found(text);
        for expected in [("UKRAINE", "LOC"), ("KURSK", "LOC"), ("MOSCOW", "LOC"), ("Vladimir Putin", "PER")] {
            assert!(spans.contains(&expected), "{expected:?} missing in {spans:?}");
        }
        // The headline's name is found as a name of its own (its type is less sure: headlines
        // carry little evidence, see the module notes), and its common words are not names.
        assert!(spans.iter().any(|(s, _)| *s == "PUTIN"), "{spans:?}");
        assert!(!spans.iter().any(|(s, _)| s.contains("WARNS") || s.contains("OVER")), "{spans:?}");
    }

    #[test]
    fn spelled_out_numbers_alone_are_not_names() {
        assert!(is_number_word("Nine") && is_number_word("NINE") && !is_number_word("Nineveh"));
        let words = ["Nine", "mths", "Shr", "3.07", "dlrs"];
        let whole = 0..words.len();
        let spans = Recognizer::bundled().tag_tokens(&words, std::slice::from_ref(&whole));
        assert!(!spans.iter().any(|(r, _)| r.start == 0), "{spans:?}");
    }

    #[test]
    fn a_wire_sign_off_is_not_a_mention() {
        for text in ["The Reuters board met in London. REUTER", "Reuters said the board met in London.\n REUTER"] {
            let spans = found(text);
            assert!(spans.contains(&("London", "LOC")), "{spans:?}");
            assert!(!spans.iter().any(|(s, _)| *s == "REUTER"), "{spans:?}");
        }
        // A last word inside the sentence is tagged as usual.
        assert!(found("Talks were held in Tokyo with NATO").contains(&("NATO", "ORG")));
    }

    #[test]
    fn all_caps_names_stop_at_common_words() {
        // Regression: Reuters-1987 titles gave `SHULTZ SAYS` as one name and `4TH` as an ORG.
        let text = "SHULTZ SAYS NO RESIGNATION OVER IRAN REPORT\nWASHINGTON, March 1 - Secretary of State \
                    George Shultz said he would not resign.\nSTANDARD TRUSTCO SEES BETTER 4TH QTR\n\
                    The company expects its 4th quarter to improve.";
        let spans = found(text);
        assert!(spans.contains(&("IRAN", "LOC")), "{spans:?}");
        for word in ["SAYS", "RESIGNATION", "SEES", "BETTER", "4TH", "QTR"] {
            assert!(!spans.iter().any(|(s, _)| s.contains(word)), "{word} in {spans:?}");
        }
    }

    #[test]
    fn initials_and_abbreviations_stay_one_token() {
        let text = "Goldman Sachs said the U.S. economy grew, and Gen. Igor Kirillov was killed in Moscow.";
        let spans = found(text);
        assert!(spans.contains(&("U.S.", "LOC")), "{spans:?}");
        assert!(spans.contains(&("Goldman Sachs", "ORG")), "{spans:?}");
        assert!(spans.contains(&("Igor Kirillov", "PER")), "{spans:?}");
    }

    #[test]
    fn seed_article_people_and_places() {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../shared/seed-article.txt");
        let Ok(text) = std::fs::read_to_string(path) else {
            eprintln!("skipped: {path} not found");
            return;
        };
        let spans = found(&text);
        for expected in [
            ("Vladimir Putin", "PER"),
            ("Donald Trump", "PER"),
            ("Igor Kirillov", "PER"),
            ("Bashar al-Assad", "PER"),
            ("Kursk", "LOC"),
            ("Ukraine", "LOC"),
            ("Moscow", "LOC"),
            ("Syria", "LOC"),
        ] {
            assert!(spans.contains(&expected), "{expected:?} missing in {spans:?}");
        }
    }

    #[test]
    fn spans_are_sorted_disjoint_and_on_char_boundaries_for_odd_text() {
        for text in ["", "   ", "\n\n", "’s", "Ünïcödé Çity’s ÉLAN — “Zürich”", "A.", "X-", "😀 Paris 😀", "al-"]
        {
            check_spans(text);
        }
    }

    fn check_spans(text: &str) {
        let spans = Recognizer::bundled().recognize(text);
        let mut last_end = 0;
        for s in &spans {
            assert!(s.start < s.end && s.start >= last_end, "{spans:?} in {text:?}");
            assert!(text.is_char_boundary(s.start) && text.is_char_boundary(s.end));
            last_end = s.end;
        }
    }

    proptest::proptest! {
        #[test]
        fn never_panics_and_spans_stay_well_formed(text in "\\PC{0,200}") {
            check_spans(&text);
        }

        #[test]
        fn never_panics_on_name_like_text(text in "([A-Z][a-z]{0,6}|[a-z]{1,5}|al-|’s|'s|\\.|,|\n| ){0,40}") {
            check_spans(&text);
        }
    }

    #[test]
    fn spans_never_start_or_end_with_clitics_or_punctuation() {
        let words = ["\"", "Trump", "’s", "team"];
        assert_eq!(trim_span(&words, 0..3), Some(1..2));
        assert_eq!(trim_span(&words, 2..3), None);
        assert_eq!(trim_span(&words, 1..4), Some(1..4));
    }

    #[test]
    fn shared_across_threads_with_the_same_results() {
        fn assert_send_sync<T: Send + Sync>(_: &T) {}
        let rec = Recognizer::bundled();
        assert_send_sync(rec);
        let texts: Vec<String> =
            (0..16).map(|i| format!("Report {i}: Angela Merkel met Emmanuel Macron in Paris on day {i}.")).collect();
        let sequential: Vec<Vec<EntitySpan>> = texts.iter().map(|t| rec.recognize(t)).collect();
        let parallel: Vec<Vec<EntitySpan>> = std::thread::scope(|s| {
            let handles: Vec<_> = texts.iter().map(|t| s.spawn(move || rec.recognize(t))).collect();
            handles.into_iter().map(|h| h.join().expect("no panic")).collect()
        });
        assert_eq!(sequential, parallel);
        assert!(sequential.iter().all(|spans| !spans.is_empty()));
    }

    #[test]
    fn best_allowed_respects_the_mask() {
        assert_eq!(best_allowed(&[5, 9, 7], 0b101), 2);
        assert_eq!(best_allowed(&[5, 9, 7], 0), labels::O);
    }
}
