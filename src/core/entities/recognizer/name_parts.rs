//! Names the tagger cuts in two, joined again:
//! - a surname led by a lowercase particle right after a name: "Hamza" + "bin Laden" (the
//!   lowercase "bin" looks like the end of the first name to a tagger trained on capitals);
//! - initials right before a name: "J.P." + "Morgan Chase", "J." + "Edgar Hoover" (the initials
//!   alone look like an abbreviation).
//!
//! Both keep the type of the longer part's name and only join parts with nothing between them.

use std::ops::Range;

use crate::core::entities::EntityKind;

/// Lowercase particles that start a surname ("bin Laden", "al-Assad", "van Gogh", "de Gaulle").
pub(crate) const SURNAME_PARTICLES: &[&str] =
    &["al", "el", "bin", "ibn", "bint", "abu", "van", "von", "de", "da", "di", "du", "del", "der"];

/// Initials written like place abbreviations, which stand on their own before a name
/// ("U.S. Treasury").
const PLACE_INITIALS: &[&str] = &["U.S.", "U.K.", "U.N.", "E.U.", "U.S.A.", "U.A.E.", "N.Z.", "S.A."];

fn starts_with_particle(word: &str) -> bool {
    let head = word.split(['-', '\'']).next().unwrap_or(word);
    SURNAME_PARTICLES.contains(&head)
}

/// One to three capital letters, each followed by a period: "J.", "J.P.", "J.R.R.".
fn is_initials(word: &str) -> bool {
    let b = word.as_bytes();
    b.len() >= 2
        && b.len() <= 6
        && b.chunks(2).all(|pair| pair.len() == 2 && pair[0].is_ascii_uppercase() && pair[1] == b'.')
        && !PLACE_INITIALS.contains(&word)
}

/// Joins the cut parts in `spans` (token ranges, sorted, non-overlapping), within a sentence.
pub fn join(
    words: &[&str],
    sentences: &[Range<usize>],
    spans: Vec<(Range<usize>, EntityKind)>,
) -> Vec<(Range<usize>, EntityKind)> {
    let sentence_of = |token: usize| sentences.partition_point(|s| s.end <= token);
    let mut out: Vec<(Range<usize>, EntityKind)> = Vec::with_capacity(spans.len());
    for (range, kind) in spans {
        if let Some((prev, prev_kind)) = out.last_mut()
            && prev.end == range.start
            && sentence_of(prev.start) == sentence_of(range.start)
        {
            // "Hamza" + "bin Laden": a person's name.
            if starts_with_particle(words[range.start]) {
                *prev = prev.start..range.end;
                *prev_kind = EntityKind::Person;
                continue;
            }
            // "J.P." (tagged on its own) + "Morgan Chase": the name's type.
            if prev.len() == 1 && is_initials(words[prev.start]) {
                *prev = prev.start..range.end;
                *prev_kind = kind;
                continue;
            }
        }
        // Untagged initials right before a name join it too.
        let start = match range.start.checked_sub(1) {
            Some(before)
                if is_initials(words[before])
                    && out.last().is_none_or(|(prev, _)| prev.end <= before)
                    && sentence_of(before) == sentence_of(range.start) =>
            {
                before
            }
            _ => range.start,
        };
        out.push((start..range.end, kind));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use EntityKind::{Location as L, Misc as M, Organization as O, Person as P};

    fn joined(text: &str, spans: Vec<(Range<usize>, EntityKind)>) -> Vec<(String, EntityKind)> {
        super::super::apply_rule(join, text, spans)
    }

    #[test]
    fn a_particle_led_surname_joins_the_name_before_it() {
        let text = "son Hamza bin Laden was killed";
        assert_eq!(joined(text, vec![(1..2, O), (2..4, L)]), [("Hamza bin Laden".to_string(), P)]);
        // Not after a gap, and not a capitalised next name.
        let text = "Hamza and bin Laden";
        assert_eq!(joined(text, vec![(0..1, P), (2..4, P)]).len(), 2);
        let text = "Moscow Kremlin";
        assert_eq!(joined(text, vec![(0..1, L), (1..2, O)]).len(), 2);
    }

    #[test]
    fn initials_join_the_name_after_them() {
        let text = "J.P. Morgan Chase beats forecasts";
        assert_eq!(joined(text, vec![(0..1, M), (1..3, P)]), [("J.P. Morgan Chase".to_string(), P)]);
        assert_eq!(joined(text, vec![(1..3, O)]), [("J.P. Morgan Chase".to_string(), O)]);
        // Place abbreviations stay apart, and initials are not words like "A.".
        let text = "the U.S. Treasury said";
        assert_eq!(joined(text, vec![(1..2, L), (2..3, O)]).len(), 2);
        assert!(is_initials("J.") && is_initials("J.R.R.") && !is_initials("A") && !is_initials("Jr."));
    }
}
