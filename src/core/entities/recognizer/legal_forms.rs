//! Company names end in a legal form: "BP North America Inc", "First Boston Corp.", "Merrill
//! Lynch and Co". The tagger often tags that word apart from the name, or the name's parts
//! apart with other types ("BP" ORG, "North America" LOC, "Inc" PER), which then reach the
//! entity table as entities called "Inc" or "Co". A legal form right after a tagged name ends
//! that name, and the whole run is an organisation.

use std::ops::Range;

use super::tokenize;
use crate::core::entities::EntityKind;

/// Legal forms that end company names, compared without a final period and case-insensitively
/// (wire headlines are in capitals), but always written with a capital first letter.
const LEGAL_FORMS: &[&str] =
    &["inc", "corp", "co", "cos", "ltd", "plc", "llc", "llp", "ag", "gmbh", "nv", "bv", "spa", "pty"];

/// Forms that may follow "and" or "&": "Merrill Lynch and Co", "Smith & Co".
const PARTNER_FORMS: &[&str] = &["co", "cos"];

fn legal_form(word: &str) -> Option<&'static str> {
    if !word.starts_with(|c: char| c.is_ascii_uppercase()) {
        return None;
    }
    any_case_form(word)
}

/// Whether a word, in any case, is a legal form: for comparing folded names.
pub(crate) fn is_legal_form(word: &str) -> bool {
    any_case_form(word).is_some()
}

fn any_case_form(word: &str) -> Option<&'static str> {
    let bare = word.strip_suffix('.').unwrap_or(word);
    LEGAL_FORMS.iter().copied().find(|f| bare.eq_ignore_ascii_case(f))
}

/// Words that start a capitalised run without being part of the name in it.
const NOT_NAME_STARTS: &[&str] = &["the", "a", "an", "this", "that", "its", "their", "his", "her", "our", "and", "of"];

/// The start of the run of capitalised words that ends at `end`, inside `sentence` and after
/// the last tagged span, without leading articles. `None` when the run is empty, or when the
/// sentence is in capitals (a headline), where capitals say nothing about where a name starts.
fn capitalised_run(
    words: &[&str],
    sentence: &Range<usize>,
    end: usize,
    last_span: Option<&(Range<usize>, EntityKind)>,
) -> Option<usize> {
    let words_in = &words[sentence.clone()];
    if !words_in.iter().any(|w| w.chars().any(char::is_lowercase)) {
        return None;
    }
    let floor = last_span.map_or(sentence.start, |(r, _)| r.end.max(sentence.start));
    let capitalised = |w: &str| {
        w.starts_with(char::is_uppercase)
            || (w.starts_with(|c: char| c.is_ascii_digit()) && w.chars().any(char::is_uppercase))
    };
    let mut start = end;
    while start > floor && capitalised(words[start - 1]) {
        start -= 1;
    }
    while start < end && NOT_NAME_STARTS.iter().any(|s| words[start].eq_ignore_ascii_case(s)) {
        start += 1;
    }
    (start < end).then_some(start)
}

/// Joins legal forms to the names before them. `spans` are token ranges, sorted and
/// non-overlapping; the result is too. Only spans inside one sentence are joined.
pub fn attach(
    words: &[&str],
    sentences: &[Range<usize>],
    spans: Vec<(Range<usize>, EntityKind)>,
) -> Vec<(Range<usize>, EntityKind)> {
    let sentence_of = |token: usize| sentences.partition_point(|s| s.end <= token);
    let mut out: Vec<(Range<usize>, EntityKind)> = Vec::with_capacity(spans.len());
    let mut spans = spans.into_iter().peekable();
    for (i, word) in words.iter().enumerate() {
        // Move the spans that start before the legal form to the output first.
        while let Some((range, _)) = spans.peek()
            && range.start < i
        {
            out.extend(spans.next());
        }
        let Some(form) = legal_form(word) else { continue };
        if out.last().is_some_and(|(r, _)| r.end > i) {
            // Already inside a name, as in "Standard Oil Co".
            continue;
        }
        // A span of legal forms alone ("Inc" tagged PER, "Co Inc" ORG) is never a name of its
        // own: it joins one below, or goes. A longer span starting here is left as it is.
        let (lone_form, form_end) = match spans.peek() {
            Some((r, _)) if r.start == i && words[r.clone()].iter().all(|w| legal_form(w).is_some()) => (true, r.end),
            Some((r, _)) if r.start == i => continue,
            _ => (false, i + 1),
        };
        if lone_form {
            spans.next();
        }
        let sentence = sentence_of(i);
        // The name ends right before the form, or before "and"/"&" ("Merrill Lynch and Co") or
        // a possessive ("Standard and Poor's Corp").
        let name_end = match i.checked_sub(1).map(|p| words[p]) {
            Some("and" | "&" | "AND") if PARTNER_FORMS.contains(&form) => i - 1,
            Some(w) if tokenize::is_clitic(w) && w.ends_with(['s', 'S']) => i - 1,
            _ => i,
        };
        let start = if out.last().is_some_and(|(r, _)| r.end == name_end && sentence_of(r.start) == sentence) {
            // Parts tagged apart with nothing between them are one name ("BP" + "North America").
            let mut first = out.len() - 1;
            while first > 0 && out[first - 1].0.end == out[first].0.start {
                first -= 1;
            }
            let start = out[first].0.start;
            out.truncate(first);
            start
        } else if lone_form
            && let Some(range) = sentences.get(sentence)
            && let Some(start) = capitalised_run(words, range, name_end, out.last())
        {
            // The tagger saw a name in the form alone: the capitalised words before it are the
            // rest of it ("Bio-Technology General Corp").
            start
        } else {
            continue;
        };
        out.push((start..form_end, EntityKind::Organization));
    }
    out.extend(spans);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use EntityKind::{Location as L, Organization as O, Person as P};

    fn attach_words(text: &str, spans: Vec<(Range<usize>, EntityKind)>) -> Vec<(String, EntityKind)> {
        super::super::apply_rule(attach, text, spans)
    }

    #[test]
    fn a_legal_form_ends_the_name_before_it() {
        // Standard Oil Co and BP North America Inc said
        let text = "Standard Oil Co and BP North America Inc said";
        let spans = vec![(0..3, O), (4..5, O), (5..7, L), (7..8, P)];
        assert_eq!(
            attach_words(text, spans),
            [("Standard Oil Co".to_string(), O), ("BP North America Inc".to_string(), O)]
        );
        let text = "lead manager First Boston Corp. said";
        assert_eq!(attach_words(text, vec![(2..4, O)]), [("First Boston Corp.".to_string(), O)]);
    }

    #[test]
    fn partner_firms_take_and_co() {
        let text = "Woolcott and Co , managing underwriters";
        assert_eq!(attach_words(text, vec![(0..1, P), (2..3, O)]), [("Woolcott and Co".to_string(), O)]);
        let text = "Merrill Lynch and Co Inc said";
        assert_eq!(attach_words(text, vec![(0..2, O), (3..5, O)]), [("Merrill Lynch and Co Inc".to_string(), O)]);
        // "and" joins only "Co": "Smith and Inc" is two things.
        let text = "Smith and Inc";
        assert_eq!(attach_words(text, vec![(0..1, P)]), [("Smith".to_string(), P)]);
    }

    #[test]
    fn a_form_tagged_alone_takes_the_capitalised_words_before_it_or_goes() {
        let text = "said Bio-Technology General Corp - Offering of 25 mln";
        assert_eq!(attach_words(text, vec![(3..4, P)]), [("Bio-Technology General Corp".to_string(), O)]);
        let text = "said The Acme Co 's unit";
        assert_eq!(attach_words(text, vec![(3..4, P)]), [("Acme Co".to_string(), O)]);
        let text = "said Pantera 's Corp agreed";
        assert_eq!(attach_words(text, vec![(3..4, P)]), [("Pantera 's Corp".to_string(), O)]);
        // Nothing capitalised before it, or a headline in capitals: the form alone goes.
        assert_eq!(attach_words("the Corp said", vec![(1..2, P)]), []);
        assert_eq!(attach_words("INTEK DIVERSIFIED CORP 4TH QTR NET", vec![(2..3, O)]), []);
    }

    #[test]
    fn leaves_other_words_and_sentences_alone() {
        // Lower case is not a legal form, nor is a form with no name before it.
        let text = "Paris co operation and Co said";
        assert_eq!(attach_words(text, vec![(0..1, L)]), [("Paris".to_string(), L)]);
        let words = ["Paris", "Co", "said"];
        let spans = vec![(0..1, L)];
        assert_eq!(attach(&words, &[0..1, 1..3], spans.clone()), spans);
        // A form that starts a longer span is left to it.
        let spans = vec![(0..1, O), (1..3, L)];
        let whole = 0..3;
        assert_eq!(attach(&words, std::slice::from_ref(&whole), spans.clone()), spans);
        // Sentences that do not cover a lone form leave it be, without panicking.
        assert_eq!(attach(&words, &[], vec![(1..2, P)]), []);
    }
}
