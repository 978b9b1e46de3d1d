//! The store of an imported folder: every article's metadata and its words as compact token ids,
//! so adding a term, re-bucketing or drilling into a period never re-reads a file.
//!
//! Texts are not kept: each article's lower-cased words are interned (lasso) and stored as
//! variable-length integers, about two bytes a word. The article viewer re-reads one article
//! from its file when it is opened.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use chrono::{DateTime, NaiveDate, Utc};
use lasso::{Spur, ThreadedRodeo};
use rayon::prelude::*;

use crate::core::article::{Article, ArticleId, DateSource, Format};
use crate::core::entities::EntityKind;
use crate::core::entities::aliases::AliasFile;
use crate::core::entities::canonical::EntityCatalog;
use crate::core::entities::corpus::{CorpusEntities, recognize_article};
use crate::core::ingest::{self, ImportOptions, ImportProgress, ImportReport, IngestError};
use crate::core::query::{MatchedWord, Matcher, TestSet, words};
use crate::core::timeline::{Bucket, DayCount, DayTotal, Trends};

/// What the index keeps of an article.
#[derive(Clone, Debug, PartialEq)]
pub struct ArticleMeta {
    pub id: ArticleId,
    pub format: Format,
    pub title: String,
    pub source: Option<String>,
    pub url: Option<String>,
    pub published: Option<DateTime<Utc>>,
    pub date_source: DateSource,
}

impl ArticleMeta {
    pub fn from_article(a: &Article) -> Self {
        Self {
            id: a.id.clone(),
            format: a.format,
            title: a.title.clone(),
            source: a.source.clone(),
            url: a.url.clone(),
            published: a.published,
            date_source: a.date_source,
        }
    }

    /// The UTC day used for bucketing, `None` when undated.
    pub fn day(&self) -> Option<NaiveDate> {
        self.published.map(|p| p.date_naive())
    }
}

/// Position of an article in [`Index::articles`].
pub type ArticleIdx = u32;

/// Per term, the articles that mention it and how often (articles with zero mentions left out).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct TermHits {
    pub hits: Vec<(ArticleIdx, u32)>,
}

impl TermHits {
    pub fn mentions(&self) -> u64 {
        self.hits.iter().map(|(_, n)| u64::from(*n)).sum()
    }
}

/// One canonical entity in the entity table: what the entity panel lists and `-e` charts.
#[derive(Clone, Debug, PartialEq)]
pub struct EntityRow {
    pub name: String,
    pub kind: EntityKind,
    pub mentions: u64,
    pub articles: u64,
    /// Hidden by the user's alias file: kept for lookups, left out of lists, charts and exports.
    pub hidden: bool,
}

/// What an index holds beyond words and metadata.
#[derive(Clone, Debug, Default)]
pub struct IndexOptions {
    /// Recognise people, organisations and places (costs about as much again as the import).
    pub entities: bool,
    /// The user's corrections to the entity grouping.
    pub aliases: AliasFile,
}

pub struct Index {
    pub root: PathBuf,
    /// Canonical entities sorted by mentions (descending), then name, hidden ones included;
    /// empty when the index was built without entity recognition.
    pub entities: Vec<EntityRow>,
    /// `entity_hits[i]` are the articles mentioning `entities[i]`.
    pub entity_hits: Vec<TermHits>,
    /// Entity forms per article, kept so a changed alias file applies without re-reading files.
    corpus_entities: Option<CorpusEntities>,
    pub articles: Vec<ArticleMeta>,
    pub report: ImportReport,
    pub day_totals: BTreeMap<NaiveDate, DayTotal>,
    /// Lower-cased words by token id.
    vocabulary: Vec<Box<str>>,
    /// Every article's token ids as LEB128 varints, back to back.
    tokens: Vec<u8>,
    /// `tokens[offsets[i]..offsets[i + 1]]` belongs to article `i`.
    offsets: Vec<usize>,
}

impl Index {
    /// Imports `root`, indexes every article's words and recognises entities.
    pub fn build(root: &Path, options: &ImportOptions, progress: &ImportProgress) -> Result<Index, IngestError> {
        Self::build_with(root, options, progress, &IndexOptions { entities: true, ..IndexOptions::default() })
    }

    pub fn build_with(
        root: &Path,
        options: &ImportOptions,
        progress: &ImportProgress,
        index_options: &IndexOptions,
    ) -> Result<Index, IngestError> {
        let rodeo: ThreadedRodeo<Spur> = ThreadedRodeo::new();
        let mut articles = Vec::new();
        let mut offsets = vec![0];
        let mut tokens = Vec::new();
        let mut corpus_entities = index_options.entities.then(CorpusEntities::default);
        let report = ingest::import_each(
            root,
            options,
            progress,
            |article| {
                let words = encode_words(&article.text, &rodeo);
                let entities = index_options.entities.then(|| recognize_article(&article.text));
                (ArticleMeta::from_article(&article), words, entities)
            },
            |group| {
                for (meta, words, entities) in group {
                    tokens.extend_from_slice(&words);
                    offsets.push(tokens.len());
                    articles.push(meta);
                    if let (Some(corpus), Some(found)) = (corpus_entities.as_mut(), entities) {
                        corpus.add(&found);
                    }
                }
            },
        )?;
        tokens.shrink_to_fit();
        let reader = rodeo.into_reader();
        let mut vocabulary = vec![Box::<str>::from(""); reader.len()];
        for (key, word) in reader.iter() {
            vocabulary[lasso::Key::into_usize(key)] = word.into();
        }
        let mut day_totals: BTreeMap<NaiveDate, DayTotal> = BTreeMap::new();
        for a in &articles {
            if let Some(day) = a.day() {
                let t = day_totals.entry(day).or_default();
                t.articles += 1;
                t.file_time += u64::from(a.date_source == DateSource::FileTime);
            }
        }
        let mut index = Index {
            root: root.to_path_buf(),
            entities: Vec::new(),
            entity_hits: Vec::new(),
            corpus_entities,
            articles,
            report,
            day_totals,
            vocabulary,
            tokens,
            offsets,
        };
        index.apply_aliases(&index_options.aliases);
        Ok(index)
    }

    /// Regroups the entities under a (changed) alias file. Instant: works on stored counts.
    pub fn apply_aliases(&mut self, aliases: &AliasFile) {
        let Some(corpus) = self.corpus_entities.as_mut() else { return };
        corpus.resolve(aliases);
        self.entities = corpus
            .catalog
            .entities()
            .iter()
            .map(|e| EntityRow {
                name: e.name.clone(),
                kind: e.kind,
                mentions: e.mentions,
                articles: e.articles,
                hidden: e.hidden,
            })
            .collect();
        self.entity_hits = corpus.hits.iter().map(|hits| TermHits { hits: hits.clone() }).collect();
    }

    /// The full entity catalogue (aliases, forms), when entities were recognised.
    pub fn catalog(&self) -> Option<&EntityCatalog> {
        self.corpus_entities.as_ref().map(|c| &c.catalog)
    }

    /// The visible entity a user means by `name` (canonical name first, then any alias form),
    /// with its hits.
    pub fn entity(&self, name: &str) -> Option<(&EntityRow, &TermHits)> {
        let catalog = self.catalog()?;
        let id = catalog.find(name).into_iter().find(|id| !self.entities[id.0 as usize].hidden)?;
        let i = id.0 as usize;
        Some((&self.entities[i], &self.entity_hits[i]))
    }

    pub fn dated(&self) -> usize {
        self.articles.iter().filter(|a| a.published.is_some()).count()
    }

    pub fn date_range(&self) -> Option<(NaiveDate, NaiveDate)> {
        Some((*self.day_totals.keys().next()?, *self.day_totals.keys().next_back()?))
    }

    /// Bytes held by the word store, for the status bar and benchmarks.
    pub fn token_bytes(&self) -> usize {
        self.tokens.len() + self.offsets.len() * std::mem::size_of::<usize>()
    }

    /// Counts every term of `matcher` in every article, in parallel, from the stored words.
    /// Gives exactly what `matcher.count(text)` gives on each article's text.
    pub fn count(&self, matcher: &Matcher) -> Vec<TermHits> {
        let tests: Vec<TestSet> = self.vocabulary.par_iter().map(|w| matcher.tests_for(w)).collect();
        let n_terms = matcher.terms().len();
        let per_article: Vec<(ArticleIdx, Vec<u32>)> = (0..self.articles.len())
            .into_par_iter()
            .filter_map(|i| {
                let matched: Vec<MatchedWord> = decode_tokens(&self.tokens[self.offsets[i]..self.offsets[i + 1]])
                    .enumerate()
                    .filter_map(|(position, id)| {
                        let t = tests.get(id as usize).copied().unwrap_or_default();
                        (!t.is_empty()).then_some(MatchedWord {
                            position,
                            start: position,
                            end: position + 1,
                            tests: t,
                        })
                    })
                    .collect();
                if matched.is_empty() {
                    return None;
                }
                let mut counts = vec![0u32; n_terms];
                matcher.scan(&matched, |m| counts[m.term] += 1);
                counts.iter().any(|c| *c > 0).then_some((i as ArticleIdx, counts))
            })
            .collect();
        let mut hits = vec![TermHits::default(); n_terms];
        for (article, counts) in per_article {
            for (term, n) in counts.into_iter().enumerate() {
                if n > 0 {
                    hits[term].hits.push((article, n));
                }
            }
        }
        hits
    }

    /// Per-day counts of one term, for [`Trends::build`].
    pub fn daily(&self, hits: &TermHits) -> BTreeMap<NaiveDate, DayCount> {
        let mut days: BTreeMap<NaiveDate, DayCount> = BTreeMap::new();
        for (article, n) in &hits.hits {
            if let Some(day) = self.articles[*article as usize].day() {
                let c = days.entry(day).or_default();
                c.mentions += u64::from(*n);
                c.articles += 1;
            }
        }
        days
    }

    /// Series for labelled hits.
    pub fn trends(
        &self,
        series: &[(String, &TermHits)],
        bucket: Bucket,
        from: Option<NaiveDate>,
        to: Option<NaiveDate>,
    ) -> Trends {
        let terms: Vec<(String, BTreeMap<NaiveDate, DayCount>)> =
            series.iter().map(|(label, hits)| (label.clone(), self.daily(hits))).collect();
        Trends::build(bucket, from, to, &self.day_totals, &terms)
    }

    /// The articles of `hits` dated within `first..=last`, with their mention counts.
    pub fn hits_between(&self, hits: &TermHits, first: NaiveDate, last: NaiveDate) -> Vec<(ArticleIdx, u32)> {
        hits.hits
            .iter()
            .copied()
            .filter(|(a, _)| self.articles[*a as usize].day().is_some_and(|d| d >= first && d <= last))
            .collect()
    }
}

fn encode_words(text: &str, rodeo: &ThreadedRodeo<Spur>) -> Vec<u8> {
    let mut out = Vec::with_capacity(text.len() / 3);
    let mut lower = String::new();
    for (s, e) in words(text) {
        let word = &text[s..e];
        let key = if word.is_ascii() {
            lower.clear();
            lower.extend(word.bytes().map(|b| char::from(b.to_ascii_lowercase())));
            rodeo.get_or_intern(lower.as_str())
        } else {
            rodeo.get_or_intern(word.to_lowercase())
        };
        push_varint(&mut out, lasso::Key::into_usize(key) as u32);
    }
    out
}

fn push_varint(out: &mut Vec<u8>, mut v: u32) {
    while v >= 0x80 {
        out.push((v as u8) | 0x80);
        v >>= 7;
    }
    out.push(v as u8);
}

fn decode_tokens(bytes: &[u8]) -> impl Iterator<Item = u32> + '_ {
    let mut i = 0;
    std::iter::from_fn(move || {
        let mut v: u32 = 0;
        let mut shift = 0;
        loop {
            let b = *bytes.get(i)?;
            i += 1;
            v |= u32::from(b & 0x7f) << shift;
            if b < 0x80 {
                return Some(v);
            }
            shift += 7;
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn varints_round_trip() {
        let values = [0u32, 1, 127, 128, 300, 16_383, 16_384, u32::MAX];
        let mut buf = Vec::new();
        for v in values {
            push_varint(&mut buf, v);
        }
        assert_eq!(decode_tokens(&buf).collect::<Vec<_>>(), values);
    }
}
