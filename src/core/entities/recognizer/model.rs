//! The trained model: a hashed weight table plus the gazetteer and word clusters, and its compact
//! binary file format.
//!
//! Weights are 16-bit integers (the averaged perceptron's floats scaled so the largest is
//! 32767): half the memory of `f32`, so more of the table stays in cache, and ties or sign flips
//! from rounding are far below what changes a decision. The file stores only non-zero weights,
//! row by row, and is gzip-compressed by whoever writes it (`train_ner`).

use std::io::Read;

use flate2::read::GzDecoder;

use super::features::{Clusters, Gazetteer, KeyMap, Resources, TABLE_BITS};
use super::labels::LABELS;

const MAGIC: &[u8; 8] = b"PWNER\x00\x00\x02";

/// Why a model file could not be read.
#[derive(Debug, thiserror::Error)]
pub enum ModelError {
    #[error("model data is not gzip or is damaged: {0}")]
    Gzip(#[from] std::io::Error),
    #[error("not a Presswatch NER model (bad magic)")]
    Magic,
    #[error(
        "model was built for a table of 2^{bits} rows × {labels} labels, this build expects 2^{} × {}",
        TABLE_BITS,
        LABELS
    )]
    Shape { bits: u32, labels: u32 },
    #[error("model data ends early or is inconsistent at byte {0}")]
    Truncated(usize),
}

/// Weights and resources. [`super::Recognizer`] wraps it with the tokenizer.
///
/// Fewer than one row in ten of the hashed table is ever non-zero (the perceptron only updates
/// features seen in mistakes), so only those rows are stored, in row order, and a bit per
/// hashed row says which: the row's place among the stored ones is the number of bits set
/// before it (a rank, from a per-word running count plus one popcount). Bits and counts take
/// 192 KiB and stay in cache, the rows about 2.5 MB, against 35 MB for the plain table — the
/// tagger's time goes mostly into these lookups.
#[derive(Clone, Debug)]
pub struct Model {
    /// Bit `r % 64` of `present[r / 64]`: hashed row `r` is stored.
    present: Vec<u64>,
    /// Number of stored rows before each word of `present`.
    rank: Vec<u32>,
    /// Row-major: stored row `k` holds `weights[k * LABELS..(k + 1) * LABELS]`.
    weights: Vec<i16>,
    pub resources: Resources,
}

impl Default for Model {
    /// A model that knows nothing and tags every token `O`.
    fn default() -> Self {
        let words = (1usize << TABLE_BITS) / 64;
        Model { present: vec![0; words], rank: vec![0; words], weights: Vec::new(), resources: Resources::default() }
    }
}

impl Model {
    /// Rounds trained floating-point weights (row-major, `LABELS << TABLE_BITS` of them) to the
    /// stored 16-bit form.
    pub fn from_float(weights: &[f32], resources: Resources) -> Model {
        let max = weights.iter().fold(0f32, |m, w| m.max(w.abs()));
        let scale = if max > 0.0 { f32::from(i16::MAX) / max } else { 0.0 };
        let mut model = Model { resources, ..Model::default() };
        let (mut q, mut last) = ([0i16; LABELS], None);
        for (r, row) in weights.chunks_exact(LABELS).enumerate().take(1 << TABLE_BITS) {
            for (q, w) in q.iter_mut().zip(row) {
                // In range by construction of `scale`; `as` saturates anyway.
                *q = (w * scale).round() as i16;
            }
            model.push_row(r, &q, &mut last);
        }
        model.finish();
        model
    }

    /// Stores row `r` unless it is all zeros. Rows must come in increasing order (returns false
    /// otherwise, storing nothing); [`Model::finish`] must follow the last one.
    /// `last` is the previous stored row, kept by the caller.
    fn push_row(&mut self, r: usize, row: &[i16; LABELS], last: &mut Option<usize>) -> bool {
        if last.is_some_and(|l| r <= l) || r >= self.present.len() * 64 {
            return false;
        }
        if row.iter().any(|&w| w != 0) {
            self.present[r / 64] |= 1 << (r % 64);
            self.weights.extend_from_slice(row);
            *last = Some(r);
        }
        true
    }

    fn finish(&mut self) {
        let mut count = 0u32;
        for (rank, &bits) in self.rank.iter_mut().zip(&self.present) {
            *rank = count;
            count += bits.count_ones();
        }
    }

    /// The weights of hashed row `r` (`None` when all are zero).
    #[inline]
    fn row(&self, r: usize) -> Option<&[i16]> {
        let (word, bit) = (r / 64, r % 64);
        let bits = *self.present.get(word)?;
        if bits >> bit & 1 == 0 {
            return None;
        }
        let k = *self.rank.get(word)? as usize + (bits & ((1u64 << bit) - 1)).count_ones() as usize;
        self.weights.get(k * LABELS..(k + 1) * LABELS)
    }

    /// Sum of the weights of `rows`, per label.
    #[inline]
    pub fn scores(&self, rows: &[u32]) -> [i32; LABELS] {
        let mut acc = [0i32; LABELS];
        for &r in rows {
            if let Some(row) = self.row(r as usize) {
                for (a, &w) in acc.iter_mut().zip(row) {
                    *a += i32::from(w);
                }
            }
        }
        acc
    }

    /// The uncompressed file bytes.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = Vec::new();
        out.extend_from_slice(MAGIC);
        out.extend_from_slice(&TABLE_BITS.to_le_bytes());
        out.extend_from_slice(&(LABELS as u32).to_le_bytes());
        let rows: Vec<(usize, &[i16])> = (0..self.present.len() * 64).filter_map(|r| Some((r, self.row(r)?))).collect();
        out.extend_from_slice(&(rows.len() as u32).to_le_bytes());
        let mut last = 0usize;
        for (r, row) in rows {
            write_varint(&mut out, (r - last) as u64);
            last = r;
            let mask = row.iter().enumerate().fold(0u32, |m, (k, &w)| if w != 0 { m | 1 << k } else { m });
            out.extend_from_slice(&mask.to_le_bytes());
            for &w in row.iter().filter(|&&w| w != 0) {
                out.extend_from_slice(&w.to_le_bytes());
            }
        }
        let clusters = &self.resources.clusters;
        let mut words: Vec<(u64, u16)> = clusters.words.iter().map(|(&k, &v)| (k, v)).collect();
        words.sort_unstable();
        out.extend_from_slice(&(words.len() as u32).to_le_bytes());
        for (k, v) in words {
            out.extend_from_slice(&k.to_le_bytes());
            out.extend_from_slice(&v.to_le_bytes());
        }
        out.extend_from_slice(&(clusters.parents.len() as u32).to_le_bytes());
        for [mid, coarse] in &clusters.parents {
            out.extend_from_slice(&mid.to_le_bytes());
            out.extend_from_slice(&coarse.to_le_bytes());
        }
        let mut case: Vec<(u64, u8)> = clusters.case_prior.iter().map(|(&k, &v)| (k, v)).collect();
        case.sort_unstable();
        out.extend_from_slice(&(case.len() as u32).to_le_bytes());
        for (k, v) in case {
            out.extend_from_slice(&k.to_le_bytes());
            out.push(v);
        }
        let gaz = &self.resources.gazetteer;
        let mut phrases: Vec<(u64, u16)> = gaz.phrases.iter().map(|(&k, &v)| (k, v)).collect();
        phrases.sort_unstable();
        out.extend_from_slice(&(gaz.max_len as u32).to_le_bytes());
        out.extend_from_slice(&(phrases.len() as u32).to_le_bytes());
        for (k, v) in phrases {
            out.extend_from_slice(&k.to_le_bytes());
            out.extend_from_slice(&v.to_le_bytes());
        }
        let mut lowercase: Vec<u64> = clusters.lowercase_words.keys().copied().collect();
        lowercase.sort_unstable();
        out.extend_from_slice(&(lowercase.len() as u32).to_le_bytes());
        for k in lowercase {
            out.extend_from_slice(&k.to_le_bytes());
        }
        out
    }

    /// Reads a gzip-compressed model file.
    pub fn from_gzip(data: &[u8]) -> Result<Model, ModelError> {
        let mut raw = Vec::new();
        GzDecoder::new(data).read_to_end(&mut raw)?;
        Model::from_bytes(&raw)
    }

    /// Reads uncompressed model bytes (as written by [`Model::to_bytes`]).
    pub fn from_bytes(data: &[u8]) -> Result<Model, ModelError> {
        let mut r = Reader { data, pos: 0 };
        if r.take(MAGIC.len())? != MAGIC {
            return Err(ModelError::Magic);
        }
        let (bits, labels) = (r.u32()?, r.u32()?);
        if bits != TABLE_BITS || labels as usize != LABELS {
            return Err(ModelError::Shape { bits, labels });
        }
        let mut model = Model::default();
        let n_rows = r.u32()?;
        let (mut row, mut last) = (0usize, None);
        for k in 0..n_rows {
            let delta = r.varint()? as usize;
            row = row.checked_add(delta).ok_or(ModelError::Truncated(r.pos))?;
            let mask = r.u32()?;
            let mut values = [0i16; LABELS];
            for (k, w) in values.iter_mut().enumerate() {
                if mask & (1 << k) != 0 {
                    *w = r.i16()?;
                }
            }
            // Rows are stored in increasing order, none of them zero.
            if (k > 0 && delta == 0) || values.iter().all(|&w| w == 0) || !model.push_row(row, &values, &mut last) {
                return Err(ModelError::Truncated(r.pos));
            }
        }
        model.finish();
        let n_words = r.u32()? as usize;
        let mut words = KeyMap::default();
        words.reserve(n_words.min(data.len()));
        for _ in 0..n_words {
            let key = r.u64()?;
            words.insert(key, r.u16()?);
        }
        let n_fine = r.u32()? as usize;
        let mut parents = Vec::with_capacity(n_fine.min(data.len()));
        for _ in 0..n_fine {
            parents.push([r.u16()?, r.u16()?]);
        }
        let n_case = r.u32()? as usize;
        let mut case_prior = KeyMap::default();
        case_prior.reserve(n_case.min(data.len()));
        for _ in 0..n_case {
            let key = r.u64()?;
            case_prior.insert(key, r.take(1)?[0]);
        }
        let max_len = r.u32()? as usize;
        let n_phrases = r.u32()? as usize;
        let mut phrases = KeyMap::default();
        phrases.reserve(n_phrases.min(data.len()));
        for _ in 0..n_phrases {
            let key = r.u64()?;
            phrases.insert(key, r.u16()?);
        }
        // Files written before the table existed end here: they load with an empty one.
        let n_lower = if r.pos == data.len() { 0 } else { r.u32()? as usize };
        let mut lowercase_words = KeyMap::default();
        lowercase_words.reserve(n_lower.min(data.len()));
        for _ in 0..n_lower {
            lowercase_words.insert(r.u64()?, ());
        }
        model.resources = Resources {
            gazetteer: Gazetteer { phrases, max_len },
            clusters: Clusters { words, parents, case_prior, lowercase_words },
        };
        Ok(model)
    }
}

fn write_varint(out: &mut Vec<u8>, mut v: u64) {
    while v >= 0x80 {
        out.push((v as u8) | 0x80);
        v >>= 7;
    }
    out.push(v as u8);
}

struct Reader<'a> {
    data: &'a [u8],
    pos: usize,
}

impl<'a> Reader<'a> {
    fn take(&mut self, n: usize) -> Result<&'a [u8], ModelError> {
        let bytes = self.data.get(self.pos..self.pos + n).ok_or(ModelError::Truncated(self.pos))?;
        self.pos += n;
        Ok(bytes)
    }
    fn array<const N: usize>(&mut self) -> Result<[u8; N], ModelError> {
        let pos = self.pos;
        self.take(N)?.try_into().map_err(|_| ModelError::Truncated(pos))
    }
    fn u16(&mut self) -> Result<u16, ModelError> {
        Ok(u16::from_le_bytes(self.array()?))
    }
    fn i16(&mut self) -> Result<i16, ModelError> {
        Ok(i16::from_le_bytes(self.array()?))
    }
    fn u32(&mut self) -> Result<u32, ModelError> {
        Ok(u32::from_le_bytes(self.array()?))
    }
    fn u64(&mut self) -> Result<u64, ModelError> {
        Ok(u64::from_le_bytes(self.array()?))
    }
    fn varint(&mut self) -> Result<u64, ModelError> {
        let mut v = 0u64;
        for shift in (0..64).step_by(7) {
            let b = self.take(1)?[0];
            v |= u64::from(b & 0x7F) << shift;
            if b & 0x80 == 0 {
                return Ok(v);
            }
        }
        Err(ModelError::Truncated(self.pos))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bytes_round_trip_and_damage_is_an_error() {
        let mut weights = vec![0f32; LABELS << TABLE_BITS];
        weights[5] = 1.5;
        weights[LABELS * 1000 + 3] = -3.0;
        let mut res = Resources::default();
        res.gazetteer.insert(&["New", "York"], 2);
        res.clusters.words.insert(42, 7);
        res.clusters.parents = vec![[1, 2]; 8];
        res.clusters.case_prior.insert(9, 4);
        res.clusters.lowercase_words.insert(11, ());
        let model = Model::from_float(&weights, res);
        let bytes = model.to_bytes();
        let back = Model::from_bytes(&bytes).expect("round trip");
        assert_eq!(back.weights, model.weights);
        assert_eq!(back.row(1000).map(|r| r[3]), Some(-i16::MAX));
        assert_eq!(back.row(0).map(|r| r[5]), Some((1.5f32 / 3.0 * 32767.0).round() as i16));
        assert_eq!(back.row(1), None);
        assert_eq!(back.resources.gazetteer.phrases, model.resources.gazetteer.phrases);
        assert_eq!(back.resources.clusters.words.get(&42), Some(&7));
        assert_eq!(back.resources.clusters.case_prior.get(&9), Some(&4));
        assert_eq!(back.resources.clusters.lowercase_words, model.resources.clusters.lowercase_words);
        let before_the_table = &bytes[..bytes.len() - 12];
        let old = Model::from_bytes(before_the_table).expect("a file without the lowercase table loads");
        assert!(old.resources.clusters.lowercase_words.is_empty());
        for cut in [0, 7, 20, bytes.len() - 1] {
            assert!(Model::from_bytes(&bytes[..cut]).is_err());
        }
        assert!(Model::from_gzip(b"not gzip").is_err());
    }
}
