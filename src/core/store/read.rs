//! Reading a committed state of the store: the facts every article's slot needs for charts
//! (date and where it came from), a word's postings with frequencies or positions, the words
//! that start with a prefix, the entity forms with their per-article mentions, single articles,
//! and what the last update recorded of each file.
//!
//! An article is known by its **slot**: its segment's first slot plus its document number in the
//! segment. Slots are stable for the life of a [`Snapshot`] only; deleted documents leave holes
//! that no reader ever reports.

use std::cmp::Reverse;
use std::collections::{BTreeMap, BinaryHeap, HashMap};
use std::path::{Path, PathBuf};

use chrono::{DateTime, FixedOffset, Utc};
use rayon::prelude::*;
use tantivy::postings::Postings;
use tantivy::schema::IndexRecordOption;
use tantivy::{DocAddress, DocSet, Searcher, SegmentReader, TERMINATED, TantivyDocument};

use super::schema::{self, DocKind, Fields, StoredFile};
use crate::core::article::{Article, DateSource, Format};
use crate::core::entities::canonical::{FormKey, FormStats};
use crate::core::entities::corpus::CorpusEntities;
use crate::core::index::ArticleMeta;
use crate::core::ingest::{FileStamp, Skipped};

/// One committed state of a store, cheap to clone and safe to share between threads.
#[derive(Clone)]
pub struct Snapshot {
    searcher: Searcher,
    fields: Fields,
    root: PathBuf,
    /// Per segment, the slot of its document 0; one more entry holds the total.
    bases: Vec<u32>,
}

/// What a count needs of one slot.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct SlotDate {
    pub published: Option<DateTime<FixedOffset>>,
    pub date_source: DateSource,
    /// When the update that stored it ran.
    pub added: DateTime<Utc>,
    /// Words in its text's first line.
    pub title_words: u32,
}

/// One word's occurrences in one article.
pub struct WordPostings<'a> {
    pub slot: u32,
    pub frequency: u32,
    /// Word positions (empty unless asked for).
    pub positions: &'a [u32],
}

/// One form as one segment knows it.
struct SegmentForm {
    key: FormKey,
    stats: FormStats,
    hits: Vec<(u32, u32)>,
}

impl SegmentForm {
    /// Adds up each article's mentions over the recognised types.
    fn finish(&mut self) {
        self.hits.sort_unstable_by_key(|&(slot, _)| slot);
        self.hits.dedup_by(|next, kept| {
            let same = next.0 == kept.0;
            if same {
                kept.1 = kept.1.saturating_add(next.1);
            }
            same
        });
        self.stats.articles = self.hits.len() as u64;
    }
}

/// The order forms take in the term dictionary: type, name length, name.
#[derive(Clone, PartialEq, Eq, PartialOrd, Ord)]
struct FormOrder(char, usize, String);

impl FormOrder {
    fn of(key: &FormKey) -> FormOrder {
        FormOrder(schema::kind_letter(key.kind), key.name.len(), key.name.clone())
    }
}

/// What the files of the folder gave, as the last update recorded it.
#[derive(Clone, Debug, Default)]
pub struct FileSummary {
    pub files_seen: usize,
    pub articles_by_format: BTreeMap<Format, usize>,
    /// Sorted by path, then reason.
    pub skipped: Vec<Skipped>,
}

impl Snapshot {
    pub(super) fn new(searcher: Searcher, fields: Fields, root: PathBuf) -> Snapshot {
        let mut bases = Vec::with_capacity(searcher.segment_readers().len() + 1);
        let mut next = 0u32;
        for segment in searcher.segment_readers() {
            bases.push(next);
            next = next.saturating_add(segment.max_doc());
        }
        bases.push(next);
        Snapshot { searcher, fields, root, bases }
    }

    /// One more than the largest slot.
    pub fn slots(&self) -> u32 {
        self.bases.last().copied().unwrap_or(0)
    }

    fn segments(&self) -> impl Iterator<Item = (u32, &SegmentReader)> {
        self.bases.iter().copied().zip(self.searcher.segment_readers())
    }

    fn address(&self, slot: u32) -> Option<DocAddress> {
        let segment = self.bases.partition_point(|&b| b <= slot).checked_sub(1)?;
        if segment + 1 >= self.bases.len() {
            return None;
        }
        Some(DocAddress::new(segment as u32, slot - self.bases[segment]))
    }

    /// The date facts of every live article, by slot (`None` for other slots).
    pub fn article_dates(&self) -> Vec<Option<SlotDate>> {
        let mut out = vec![None; self.slots() as usize];
        for (base, segment) in self.segments() {
            let fast = segment.fast_fields();
            let (Ok(kind), Ok(published), Ok(offset), Ok(source), Ok(added), Ok(title_words)) = (
                fast.u64("kind"),
                fast.i64("published"),
                fast.i64("offset"),
                fast.u64("date_source"),
                fast.i64("added"),
                fast.u64("title_words"),
            ) else {
                continue;
            };
            for doc in segment.doc_ids_alive() {
                if kind.first(doc) != Some(DocKind::Article as u64) {
                    continue;
                }
                out[(base + doc) as usize] = Some(SlotDate {
                    published: published.first(doc).map(|ns| schema::published_at(ns, offset.first(doc))),
                    date_source: schema::date_source_from(source.first(doc).unwrap_or(4)),
                    added: DateTime::<Utc>::from_timestamp_nanos(added.first(doc).unwrap_or(0)),
                    title_words: u32::try_from(title_words.first(doc).unwrap_or(0)).unwrap_or(u32::MAX),
                });
            }
        }
        out
    }

    /// Calls `each` for every live article holding `word` (lower-cased as the tokenizer does),
    /// with the word's frequency and, when `positions` is set, its positions.
    pub fn word_postings(&self, word: &str, positions: bool, mut each: impl FnMut(WordPostings<'_>)) {
        let term = tantivy::Term::from_field_text(self.fields.text, word);
        let mut buffer = Vec::new();
        for (base, segment) in self.segments() {
            let Ok(inverted) = segment.inverted_index(self.fields.text) else { continue };
            let Ok(Some(info)) = inverted.get_term_info(&term) else { continue };
            let alive = segment.alive_bitset();
            if positions {
                let Ok(mut postings) =
                    inverted.read_postings_from_terminfo(&info, IndexRecordOption::WithFreqsAndPositions)
                else {
                    continue;
                };
                let mut doc = postings.doc();
                while doc != TERMINATED {
                    if alive.is_none_or(|a| a.is_alive(doc)) {
                        postings.positions(&mut buffer);
                        each(WordPostings { slot: base + doc, frequency: postings.term_freq(), positions: &buffer });
                    }
                    doc = postings.advance();
                }
            } else {
                let Ok(mut block) = inverted.read_block_postings_from_terminfo(&info, IndexRecordOption::WithFreqs)
                else {
                    continue;
                };
                while !block.docs().is_empty() {
                    for (&doc, &frequency) in block.docs().iter().zip(block.freqs()) {
                        if alive.is_none_or(|a| a.is_alive(doc)) {
                            each(WordPostings { slot: base + doc, frequency, positions: &[] });
                        }
                    }
                    block.advance();
                }
            }
        }
    }

    /// Every live article's outlet: the distinct names, sorted, and per slot the index of its
    /// outlet in them (`u32::MAX` for an article without a source and for other slots).
    pub fn outlets(&self) -> (Vec<String>, Vec<u32>) {
        let mut of_slot = vec![u32::MAX; self.slots() as usize];
        let mut ids: HashMap<String, u32> = HashMap::new();
        let mut names: Vec<String> = Vec::new();
        for (base, segment) in self.segments() {
            let Ok(Some(column)) = segment.fast_fields().str("outlet") else { continue };
            // Ordinals are per segment: each is looked up once.
            let mut global_of_ord: HashMap<u64, u32> = HashMap::new();
            let mut name = String::new();
            for doc in segment.doc_ids_alive() {
                let Some(ord) = column.term_ords(doc).next() else { continue };
                let id = *global_of_ord.entry(ord).or_insert_with(|| {
                    name.clear();
                    let _ = column.ord_to_str(ord, &mut name);
                    *ids.entry(name.clone()).or_insert_with(|| {
                        names.push(name.clone());
                        (names.len() - 1) as u32
                    })
                });
                of_slot[(base + doc) as usize] = id;
            }
        }
        // By name, so nothing depends on segment order.
        let mut order: Vec<u32> = (0..names.len() as u32).collect();
        order.sort_by(|&a, &b| names[a as usize].cmp(&names[b as usize]));
        let mut rank = vec![0u32; names.len()];
        for (r, &id) in order.iter().enumerate() {
            rank[id as usize] = r as u32;
        }
        for id in of_slot.iter_mut().filter(|id| **id != u32::MAX) {
            *id = rank[*id as usize];
        }
        let sorted = order.iter().map(|&id| std::mem::take(&mut names[id as usize])).collect();
        (sorted, of_slot)
    }

    /// The live articles whose source is `key` (trimmed and lower-cased), by slot.
    pub fn slots_with_source(&self, key: &str) -> Vec<u32> {
        let term = tantivy::Term::from_field_text(self.fields.source_key, key);
        let mut out = Vec::new();
        for (base, segment) in self.segments() {
            let Ok(inverted) = segment.inverted_index(self.fields.source_key) else { continue };
            let Ok(Some(info)) = inverted.get_term_info(&term) else { continue };
            let Ok(mut block) = inverted.read_block_postings_from_terminfo(&info, IndexRecordOption::Basic) else {
                continue;
            };
            let alive = segment.alive_bitset();
            while !block.docs().is_empty() {
                out.extend(block.docs().iter().filter(|&&d| alive.is_none_or(|a| a.is_alive(d))).map(|&d| base + d));
                block.advance();
            }
        }
        out
    }

    /// The indexed words that start with `prefix`, sorted, each once (deleted articles' words
    /// may be among them; their postings are empty).
    pub fn words_with_prefix(&self, prefix: &str) -> Vec<String> {
        let mut out = Vec::new();
        for (_, segment) in self.segments() {
            let Ok(inverted) = segment.inverted_index(self.fields.text) else { continue };
            let Ok(mut stream) = inverted.terms().range().ge(prefix.as_bytes()).into_stream() else { continue };
            while stream.advance() {
                let key = stream.key();
                if !key.starts_with(prefix.as_bytes()) {
                    break;
                }
                if let Ok(word) = std::str::from_utf8(key) {
                    out.push(word.to_string());
                }
            }
        }
        out.sort_unstable();
        out.dedup();
        out
    }

    /// Every entity form with its totals over the live articles, sorted by type, name length and
    /// name, and per form the articles that use it: `(slot, mentions)` by slot (articles are
    /// numbered by slot). Segments are read
    /// in parallel; the terms of one form lie together in each segment's dictionary (see
    /// [`schema::EntityTerm`]), so each segment yields its forms in order and the lists are merged.
    pub fn entity_forms(&self) -> CorpusEntities {
        let segments: Vec<(u32, &SegmentReader)> = self.segments().collect();
        let per_segment: Vec<Vec<SegmentForm>> =
            segments.into_par_iter().map(|(base, segment)| self.segment_forms(base, segment)).collect();
        let mut forms: Vec<(FormKey, FormStats)> = Vec::new();
        let mut hits: Vec<Vec<(u32, u32)>> = Vec::new();
        // A k-way merge by form key: the same form from several segments becomes one.
        let mut iters: Vec<std::vec::IntoIter<SegmentForm>> = per_segment.into_iter().map(Vec::into_iter).collect();
        let mut pending: Vec<Option<SegmentForm>> = iters.iter_mut().map(Iterator::next).collect();
        let mut heads: BinaryHeap<Reverse<(FormOrder, usize)>> = pending
            .iter()
            .enumerate()
            .filter_map(|(i, head)| head.as_ref().map(|f| Reverse((FormOrder::of(&f.key), i))))
            .collect();
        while let Some(Reverse((_, i))) = heads.pop() {
            let Some(form) = pending[i].take() else { continue };
            pending[i] = iters[i].next();
            if let Some(next) = &pending[i] {
                heads.push(Reverse((FormOrder::of(&next.key), i)));
            }
            match (forms.last_mut(), hits.last_mut()) {
                (Some((key, stats)), Some(list)) if *key == form.key => {
                    stats.kinds.add_all(&form.stats.kinds);
                    for (surface, n) in form.stats.surfaces {
                        *stats.surfaces.entry(surface).or_default() += n;
                    }
                    list.extend(form.hits);
                    list.sort_unstable_by_key(|&(slot, _)| slot);
                    stats.articles = list.len() as u64;
                }
                _ => {
                    forms.push((form.key, form.stats));
                    hits.push(form.hits);
                }
            }
        }
        CorpusEntities::from_forms(forms, hits)
    }

    /// One segment's entity forms, in term order, each with its live articles.
    fn segment_forms(&self, base: u32, segment: &SegmentReader) -> Vec<SegmentForm> {
        let mut out: Vec<SegmentForm> = Vec::new();
        let Ok(inverted) = segment.inverted_index(self.fields.entities) else { return out };
        let Ok(mut stream) = inverted.terms().stream() else { return out };
        let alive = segment.alive_bitset();
        let mut postings = Vec::new();
        while stream.advance() {
            let Some(term) = schema::EntityTerm::parse(stream.key()) else { continue };
            let (kind, name) = term.form();
            let same = out.last().is_some_and(|f: &SegmentForm| f.key.kind == kind && f.key.name == name);
            if !same {
                if let Some(done) = out.last_mut() {
                    done.finish();
                }
                out.push(SegmentForm {
                    key: FormKey { name: name.to_string(), kind },
                    stats: FormStats::default(),
                    hits: Vec::new(),
                });
            }
            postings.clear();
            let Ok(mut block) =
                inverted.read_block_postings_from_terminfo(stream.value(), IndexRecordOption::WithFreqs)
            else {
                continue;
            };
            while !block.docs().is_empty() {
                for (&doc, &n) in block.docs().iter().zip(block.freqs()) {
                    if alive.is_none_or(|a| a.is_alive(doc)) {
                        postings.push((base + doc, n));
                    }
                }
                block.advance();
            }
            let Some(form) = out.last_mut() else { continue };
            let total: u64 = postings.iter().map(|&(_, n)| u64::from(n)).sum();
            match term {
                schema::EntityTerm::Kind { recognised, .. } => {
                    form.stats.kinds.add(recognised, total);
                    form.hits.extend_from_slice(&postings);
                }
                schema::EntityTerm::Surface { surface, .. } => {
                    if total > 0 {
                        *form.stats.surfaces.entry(surface.to_string()).or_default() += total;
                    }
                }
            }
        }
        if let Some(done) = out.last_mut() {
            done.finish();
        }
        // A form whose articles were all deleted is gone.
        out.retain(|f| !f.hits.is_empty());
        out
    }

    fn doc(&self, slot: u32) -> Option<TantivyDocument> {
        self.searcher.doc(self.address(slot)?).ok()
    }

    /// The stored article in `slot`, its text included.
    pub fn article(&self, slot: u32) -> Option<Article> {
        self.fields.article(&self.root, &self.doc(slot)?)
    }

    /// The stored metadata of the article in `slot`.
    pub fn article_meta(&self, slot: u32) -> Option<ArticleMeta> {
        self.fields.article_meta(&self.root, &self.doc(slot)?)
    }

    /// The live articles' slots in import order: files by path, records by position.
    pub fn slots_in_order(&self) -> Vec<u32> {
        let mut keyed: Vec<(Vec<u8>, u64, u32)> = Vec::new();
        for (base, segment) in self.segments() {
            let fast = segment.fast_fields();
            let (Ok(kind), Ok(record), Ok(Some(path))) = (fast.u64("kind"), fast.u64("record"), fast.bytes("path"))
            else {
                continue;
            };
            let mut bytes = Vec::new();
            for doc in segment.doc_ids_alive() {
                if kind.first(doc) != Some(DocKind::Article as u64) {
                    continue;
                }
                bytes.clear();
                if let Some(ord) = path.term_ords(doc).next() {
                    let _ = path.ord_to_bytes(ord, &mut bytes);
                }
                keyed.push((bytes.clone(), record.first(doc).unwrap_or(0), base + doc));
            }
        }
        // Path order is component by component, as the folder walk yields files.
        keyed.sort_by(|a, b| schema::key_path(&a.0).cmp(&schema::key_path(&b.0)).then(a.1.cmp(&b.1)));
        keyed.into_iter().map(|(_, _, slot)| slot).collect()
    }

    /// What the files gave: counts by format and every skipped reason.
    pub fn file_summary(&self) -> FileSummary {
        let mut summary = FileSummary::default();
        for stored in self.stored_files().values() {
            summary.files_seen += 1;
            if let Some(format) = stored.format {
                *summary.articles_by_format.entry(format).or_default() += stored.articles as usize;
            }
        }
        self.each_doc_with(&self.fields.has_skipped_term(), |doc| {
            summary.skipped.extend(self.fields.skipped_of(&self.root, &doc));
        });
        summary.skipped.sort_by(|a, b| (&a.path, &a.reason).cmp(&(&b.path, &b.reason)));
        summary
    }

    /// The skipped reasons recorded with the file of path key `key`.
    pub(super) fn file_skips(&self, key: &[u8]) -> Vec<String> {
        let mut reasons = Vec::new();
        self.each_doc_with(&self.fields.file_key_term(key), |doc| {
            reasons.extend(self.fields.skipped_of(Path::new(""), &doc).into_iter().map(|s| s.reason));
        });
        reasons
    }

    /// The walk problems the last update recorded: `(path key, reason)`, sorted.
    pub(super) fn walk_problems(&self) -> Vec<(Vec<u8>, String)> {
        let mut out = Vec::new();
        self.each_doc_with(&self.fields.kind_term(DocKind::WalkProblem), |doc| {
            use tantivy::schema::Value;
            let key = doc.get_first(self.fields.path).and_then(|v| v.as_bytes()).unwrap_or_default().to_vec();
            for reason in self.fields.skipped_of(Path::new(""), &doc) {
                out.push((key.clone(), reason.reason));
            }
        });
        out.sort();
        out
    }

    /// Calls `each` with every live stored document holding `term` (an indexed term of a
    /// field without positions).
    fn each_doc_with(&self, term: &tantivy::Term, mut each: impl FnMut(TantivyDocument)) {
        for (segment_ord, segment) in self.searcher.segment_readers().iter().enumerate() {
            let Ok(inverted) = segment.inverted_index(term.field()) else { continue };
            let Ok(Some(info)) = inverted.get_term_info(term) else { continue };
            let Ok(mut postings) = inverted.read_postings_from_terminfo(&info, IndexRecordOption::Basic) else {
                continue;
            };
            let alive = segment.alive_bitset();
            let mut doc = postings.doc();
            while doc != TERMINATED {
                if alive.is_none_or(|a| a.is_alive(doc))
                    && let Ok(stored) = self.searcher.doc::<TantivyDocument>(DocAddress::new(segment_ord as u32, doc))
                {
                    each(stored);
                }
                doc = postings.advance();
            }
        }
    }

    /// What the store recorded of each file, by its path key (skipped reasons left out: see
    /// [`Snapshot::file_skips`]).
    pub(super) fn stored_files(&self) -> HashMap<Vec<u8>, StoredFile> {
        let mut out = HashMap::new();
        for (_, segment) in self.segments() {
            let fast = segment.fast_fields();
            let columns = (
                fast.u64("kind"),
                fast.bytes("path"),
                fast.u64("len"),
                fast.i64("modified"),
                fast.u64("hash"),
                fast.i64("checked"),
                fast.i64("recheck"),
                fast.u64("file_time"),
                fast.u64("limits"),
                fast.u64("format"),
                fast.u64("articles"),
            );
            let (
                Ok(kind),
                Ok(Some(path)),
                Ok(len),
                Ok(modified),
                Ok(hash),
                Ok(checked),
                Ok(recheck),
                Ok(file_time),
                Ok(limits),
                Ok(format),
                Ok(articles),
            ) = columns
            else {
                continue;
            };
            for doc in segment.doc_ids_alive() {
                if kind.first(doc) != Some(DocKind::File as u64) {
                    continue;
                }
                let mut key = Vec::new();
                if let Some(ord) = path.term_ords(doc).next() {
                    let _ = path.ord_to_bytes(ord, &mut key);
                }
                let stored = StoredFile {
                    stamp: FileStamp {
                        len: len.first(doc).unwrap_or(u64::MAX),
                        modified_ns: modified.first(doc).unwrap_or(0),
                        hash: hash.first(doc).unwrap_or(0),
                    },
                    checked_ns: checked.first(doc).unwrap_or(0),
                    recheck_ns: recheck.first(doc),
                    file_time: file_time.first(doc) == Some(1),
                    limits: limits.first(doc),
                    format: format.first(doc).map(schema::format_from),
                    articles: articles.first(doc).unwrap_or(0),
                    skipped: Vec::new(),
                };
                out.insert(key, stored);
            }
        }
        out
    }
}
