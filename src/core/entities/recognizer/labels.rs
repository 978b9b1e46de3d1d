//! BILOU labels over the four CoNLL types, the transitions between them, and conversion between
//! label sequences and token spans.
//!
//! BILOU (begin, inside, last, unit) rather than BIO: the tagger learns distinct evidence for
//! the ends of names, which measurably helps on CoNLL (Ratinov & Roth 2009).

use std::ops::Range;

use crate::core::entities::EntityKind;

/// Number of labels: `O` and B/I/L/U for each of the four kinds.
pub const LABELS: usize = 17;
/// Outside any entity.
pub const O: u8 = 0;
/// The "previous label" at the start of a sentence (never predicted).
pub const START: u8 = LABELS as u8;

/// Entity kinds in label order.
pub const KINDS: [EntityKind; 4] =
    [EntityKind::Person, EntityKind::Organization, EntityKind::Location, EntityKind::Misc];

const B: u8 = 0;
const I: u8 = 1;
const L: u8 = 2;
const U: u8 = 3;

fn label(kind: usize, part: u8) -> u8 {
    1 + 4 * kind as u8 + part
}

/// The kind index (into [`KINDS`]) of an entity label, `None` for `O` and `START`.
pub fn kind_index(label: u8) -> Option<usize> {
    (1..=16).contains(&label).then(|| usize::from((label - 1) / 4))
}

fn part(label: u8) -> Option<u8> {
    (1..=16).contains(&label).then(|| (label - 1) % 4)
}

/// Bit mask of the B labels (a name's first token, not its last).
pub const BEGIN: u32 = 1 << (1 + B) | 1 << (5 + B) | 1 << (9 + B) | 1 << (13 + B);
/// Bit mask of the I labels (inside a name, neither first nor last).
pub const INSIDE: u32 = 1 << (1 + I) | 1 << (5 + I) | 1 << (9 + I) | 1 << (13 + I);

/// Bit mask of the labels that may follow `prev`; `last` when the next token ends the sentence.
pub fn allowed_after(prev: u8, last: bool) -> u32 {
    match (kind_index(prev), part(prev)) {
        (Some(kind), Some(B | I)) => {
            // `O` is allowed too and ends the span early ([`decode_spans`] closes it): a greedy
            // decoder that guessed I one token too many must not drag the span over `was a`.
            let end = 1u32 << label(kind, L) | 1 << O;
            if last { end } else { end | 1 << label(kind, I) }
        }
        _ => {
            let mut mask = 1u32 << O;
            for kind in 0..4 {
                mask |= 1 << label(kind, U);
                if !last {
                    mask |= 1 << label(kind, B);
                }
            }
            mask
        }
    }
}

/// BILOU labels for a sentence of `len` tokens with the given token spans (kind indices).
pub fn encode(len: usize, spans: &[(Range<usize>, usize)]) -> Vec<u8> {
    let mut out = vec![O; len];
    for (range, kind) in spans {
        let (start, end, kind) = (range.start, range.end.min(len), *kind);
        if start >= end || kind >= 4 {
            continue;
        }
        if end - start == 1 {
            out[start] = label(kind, U);
        } else {
            out[start] = label(kind, B);
            for l in &mut out[start + 1..end - 1] {
                *l = label(kind, I);
            }
            out[end - 1] = label(kind, L);
        }
    }
    out
}

/// Token spans (kind indices) read from labels. Tolerates inconsistent sequences: a span runs
/// from a B or U (or a stray I/L after something else) while the kind stays the same and
/// continues through I and L.
pub fn decode_spans(labels: &[u8]) -> Vec<(Range<usize>, usize)> {
    let mut out: Vec<(Range<usize>, usize)> = Vec::new();
    let mut open: Option<(usize, usize)> = None; // (start, kind)
    for (i, &l) in labels.iter().enumerate() {
        let (kind, part) = match (kind_index(l), part(l)) {
            (Some(k), Some(p)) => (k, p),
            _ => {
                if let Some((start, kind)) = open.take() {
                    out.push((start..i, kind));
                }
                continue;
            }
        };
        let continues = matches!(open, Some((_, k)) if k == kind) && matches!(part, I | L);
        if !continues {
            if let Some((start, k)) = open.take() {
                out.push((start..i, k));
            }
            open = Some((i, kind));
        }
        if matches!(part, L | U)
            && let Some((start, k)) = open.take()
        {
            out.push((start..i + 1, k));
        }
    }
    if let Some((start, kind)) = open {
        out.push((start..labels.len(), kind));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn begin_and_inside_masks_hold_their_labels() {
        assert_eq!(BEGIN, (0..4).fold(0, |m, kind| m | 1 << label(kind, B)));
        assert_eq!(INSIDE, (0..4).fold(0, |m, kind| m | 1 << label(kind, I)));
    }

    #[test]
    fn encode_then_decode_round_trips() {
        let spans = vec![(0..2, 0), (3..4, 2), (5..8, 1)];
        let labels = encode(9, &spans);
        assert_eq!(labels, vec![1, 3, 0, 12, 0, 5, 6, 7, 0]);
        assert_eq!(decode_spans(&labels), spans);
    }

    #[test]
    fn inconsistent_labels_still_give_spans() {
        // I-PER I-PER (no B, no L), then L-LOC alone.
        assert_eq!(decode_spans(&[2, 2, 0, 11]), vec![(0..2, 0), (3..4, 2)]);
        // B-PER followed by B-ORG: two spans.
        assert_eq!(decode_spans(&[1, 5, 7]), vec![(0..1, 0), (1..3, 1)]);
    }

    #[test]
    fn transitions_force_spans_to_close() {
        let after_b_per = allowed_after(label(0, B), false);
        assert_eq!(after_b_per, 1 << label(0, I) | 1 << label(0, L) | 1 << O);
        assert_eq!(allowed_after(label(0, I), true), 1 << label(0, L) | 1 << O);
        let at_end = allowed_after(O, true);
        assert_eq!(at_end & (1 << label(1, B)), 0);
        assert_ne!(at_end & (1 << label(1, U)), 0);
        assert_eq!(allowed_after(START, false), allowed_after(O, false));
    }
}
