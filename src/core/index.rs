//! The articles of an opened folder as the window and the command line use them: per-article
//! dates for charts, exact counts of any term from the store's postings, the entity table, and
//! single articles fetched on demand.
//!
//! An `Index` is one committed state of the folder's [`Store`]; when the store is updated, a new
//! `Index` is opened and the old one stays valid for whoever still holds it. Articles are
//! numbered by their store slot ([`ArticleIdx`]): numbers are only meaningful within one
//! `Index`. Counting reads the postings of the words a term can match and runs the same
//! longest-match scan as the text counter ([`Matcher::scan`]) over their positions, so a count
//! from the store equals a count over the text, article for article.

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

use chrono::{DateTime, FixedOffset, NaiveDate, Utc};

use crate::core::article::{Article, ArticleId, DateSource, Format};
use crate::core::entities::EntityKind;
use crate::core::entities::aliases::AliasFile;
use crate::core::entities::canonical::EntityCatalog;
use crate::core::entities::corpus::CorpusEntities;
use crate::core::ingest::{ImportOptions, ImportProgress, ImportReport};
use crate::core::query::{CompiledQuery, MatchedWord, Matcher, TestSet};
use crate::core::store::{Snapshot, Store, StoreError};
use crate::core::timeline::{Bucket, ByOutlet, DayCount, DayTotal, Trends};

/// What the index keeps of an article.
#[derive(Clone, Debug, PartialEq)]
pub struct ArticleMeta {
    pub id: ArticleId,
    pub format: Format,
    pub title: String,
    pub source: Option<String>,
    pub url: Option<String>,
    /// As the source wrote it (see [`Article::published`]).
    pub published: Option<DateTime<FixedOffset>>,
    pub date_source: DateSource,
    /// The rule or field that found the date (see [`Article::date_detail`]).
    pub date_detail: Option<Cow<'static, str>>,
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
            date_detail: a.date_detail.clone(),
        }
    }

    /// The UTC day used for bucketing, `None` when undated.
    pub fn day(&self) -> Option<NaiveDate> {
        self.published.map(|p| p.date_naive())
    }

    /// The readable name of its source (see `core::sources`).
    pub fn outlet(&self) -> Option<std::borrow::Cow<'_, str>> {
        self.source.as_deref().map(crate::core::sources::outlet)
    }
}

/// An article's number in one [`Index`] (its store slot).
pub type ArticleIdx = u32;

/// Per term, the articles that mention it and how often (articles with zero mentions left out),
/// by article number. For a query, the articles it matches, which may have zero mentions.
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

/// How to read a store.
#[derive(Clone, Debug)]
pub struct IndexOptions {
    /// Leave out of charts the articles dated only by their file's modification time (the
    /// default: file dates are opt-in).
    pub no_file_dates: bool,
    /// The user's corrections to the entity grouping.
    pub aliases: AliasFile,
}

impl Default for IndexOptions {
    fn default() -> Self {
        Self { no_file_dates: true, aliases: AliasFile::default() }
    }
}

pub struct Index {
    /// The folder as the user named it.
    pub root: PathBuf,
    snapshot: Snapshot,
    /// Per slot, the day an article is charted on: `None` for undated articles (and those dated
    /// by file time when file dates are off) and for slots that hold no article.
    days: Vec<Option<NaiveDate>>,
    /// Per slot, whether it holds a live article.
    is_article: Vec<bool>,
    /// Per slot, whether the article is dated by its file's modification time only.
    file_time: Vec<bool>,
    /// Per slot, when the article was stored (ns since 1970; 0 for other slots).
    added_ns: Vec<i64>,
    /// Per slot, the words in the article's first line (a query's `title:` field).
    title_words: Vec<u32>,
    articles: usize,
    dated: usize,
    /// Articles by where their date came from.
    date_sources: BTreeMap<DateSource, usize>,
    no_file_dates: bool,
    /// Every article's outlet, read on first use.
    outlets: OnceLock<Outlets>,
    /// The entity table, made on first use: grouping a large folder's entities takes a moment
    /// the chart need not wait for.
    entity_table: OnceLock<EntityTable>,
    aliases: AliasFile,
    /// What the folder's files gave; `elapsed` is how long opening (and any update) took.
    pub report: ImportReport,
    pub day_totals: BTreeMap<NaiveDate, DayTotal>,
    /// When the store was last updated.
    pub updated: Option<DateTime<Utc>>,
}

impl Index {
    /// Imports `root` into a store held in memory and opens it (tests, and a session without a
    /// usable data directory).
    pub fn build(root: &Path, options: &ImportOptions, progress: &ImportProgress) -> Result<Index, StoreError> {
        let started = Instant::now();
        let store = Store::in_memory(root)?;
        let update = store.update(options, progress, None)?;
        let index_options = IndexOptions { no_file_dates: options.no_file_dates, ..IndexOptions::default() };
        let mut index = Index::open(&store, &index_options)?;
        index.report.cancelled = update.cancelled;
        index.report.elapsed = started.elapsed();
        Ok(index)
    }

    /// The store's committed state.
    pub fn open(store: &Store, options: &IndexOptions) -> Result<Index, StoreError> {
        let started = Instant::now();
        let snapshot = store.snapshot()?;
        let slot_dates = snapshot.article_dates();
        let mut days = Vec::with_capacity(slot_dates.len());
        let mut is_article = Vec::with_capacity(slot_dates.len());
        let mut file_time = Vec::with_capacity(slot_dates.len());
        let mut added_ns = Vec::with_capacity(slot_dates.len());
        let mut title_words = Vec::with_capacity(slot_dates.len());
        let mut day_totals: BTreeMap<NaiveDate, DayTotal> = BTreeMap::new();
        let (mut articles, mut dated) = (0, 0);
        let mut date_sources: BTreeMap<DateSource, usize> = BTreeMap::new();
        for slot in &slot_dates {
            let counted = slot.filter(|s| !(options.no_file_dates && s.date_source == DateSource::FileTime));
            if slot.is_some() {
                *date_sources.entry(counted.map_or(DateSource::None, |s| s.date_source)).or_default() += 1;
            }
            let day = counted.and_then(|s| s.published).map(|p| p.date_naive());
            if let (Some(day), Some(s)) = (day, counted) {
                let t = day_totals.entry(day).or_default();
                t.articles += 1;
                t.file_time += u64::from(s.date_source == DateSource::FileTime);
                dated += 1;
            }
            articles += usize::from(slot.is_some());
            is_article.push(slot.is_some());
            file_time.push(counted.is_some_and(|s| s.date_source == DateSource::FileTime));
            added_ns.push(slot.and_then(|s| s.added.timestamp_nanos_opt()).unwrap_or(0));
            title_words.push(slot.map_or(0, |s| s.title_words));
            days.push(day);
        }
        let summary = snapshot.file_summary();
        let report = ImportReport {
            files_seen: summary.files_seen,
            articles_by_format: summary.articles_by_format,
            skipped: summary.skipped,
            elapsed: Duration::ZERO,
            cancelled: false,
        };
        let mut index = Index {
            root: store.root().to_path_buf(),
            snapshot,
            days,
            is_article,
            file_time,
            added_ns,
            title_words,
            articles,
            dated,
            date_sources,
            no_file_dates: options.no_file_dates,
            entity_table: OnceLock::new(),
            outlets: OnceLock::new(),
            aliases: options.aliases.clone(),
            report,
            day_totals,
            updated: store.updated(),
        };
        index.report.elapsed = started.elapsed();
        Ok(index)
    }

    /// The entities, grouped under the index's alias file: made on first use (which waits for
    /// it), then kept.
    pub fn entity_table(&self) -> &EntityTable {
        self.entity_table.get_or_init(|| EntityTable::new(self.snapshot.entity_forms(), &self.aliases))
    }

    /// The entity table if it has been made (for a window that must not wait for it).
    pub fn entity_table_if_ready(&self) -> Option<&EntityTable> {
        self.entity_table.get()
    }

    /// Every article's outlet (see `core::sources`).
    pub fn outlets(&self) -> &Outlets {
        self.outlets.get_or_init(|| {
            let (names, of_slot) = self.snapshot.outlets();
            Outlets { names, of_slot }
        })
    }

    /// Series split by outlet over the same periods (`trends --by source`, the chart's split),
    /// over the articles `keep` accepts, totals included (as [`Index::trends_where`]).
    pub fn by_outlet(
        &self,
        series: &[(String, &TermHits)],
        bucket: Bucket,
        from: Option<NaiveDate>,
        to: Option<NaiveDate>,
        keep: impl Fn(ArticleIdx) -> bool,
    ) -> Vec<(String, Trends)> {
        let outlets = self.outlets();
        let name = |slot: u32| outlets.of(slot).map_or("", |o| outlets.names[o as usize].as_str());
        let mut by = ByOutlet::new(series.iter().map(|(label, _)| label.clone()).collect());
        for (slot, day) in self.days.iter().enumerate() {
            if let Some(day) = day
                && keep(slot as ArticleIdx)
            {
                by.article(name(slot as u32), *day, self.file_time.get(slot).copied().unwrap_or(false));
            }
        }
        for (s, (_, hits)) in series.iter().enumerate() {
            for &(slot, n) in &hits.hits {
                if let Some(day) = self.day(slot)
                    && keep(slot)
                {
                    by.hit(s, name(slot), day, u64::from(n));
                }
            }
        }
        by.build(bucket, from, to)
    }

    /// The full entity catalogue (aliases, forms).
    pub fn catalog(&self) -> &EntityCatalog {
        &self.entity_table().corpus.catalog
    }

    /// The visible entity a user means by `name` (canonical name first, then any alias form),
    /// with its hits.
    pub fn entity(&self, name: &str) -> Option<(&EntityRow, &TermHits)> {
        self.entity_table().entity(name)
    }

    /// Live articles.
    pub fn article_count(&self) -> usize {
        self.articles
    }

    /// Articles on the time axis.
    pub fn dated(&self) -> usize {
        self.dated
    }

    pub fn date_range(&self) -> Option<(NaiveDate, NaiveDate)> {
        Some((*self.day_totals.keys().next()?, *self.day_totals.keys().next_back()?))
    }

    /// The day article `article` is charted on.
    pub fn day(&self, article: ArticleIdx) -> Option<NaiveDate> {
        self.days.get(article as usize).copied().flatten()
    }

    /// Articles by where their date came from.
    pub fn date_sources(&self) -> BTreeMap<DateSource, usize> {
        self.date_sources.clone()
    }

    /// Whether the article was stored after `since`.
    pub fn is_new(&self, article: ArticleIdx, since: DateTime<Utc>) -> bool {
        let since = since.timestamp_nanos_opt().unwrap_or(i64::MAX);
        self.added_ns.get(article as usize).is_some_and(|&added| added > since)
    }

    /// Articles stored after `since`.
    pub fn new_since(&self, since: DateTime<Utc>) -> usize {
        let since = since.timestamp_nanos_opt().unwrap_or(i64::MAX);
        self.added_ns.iter().zip(&self.is_article).filter(|(added, live)| **live && **added > since).count()
    }

    /// The stored article, its text included.
    pub fn article(&self, article: ArticleIdx) -> Option<Article> {
        let mut a = self.snapshot.article(article)?;
        if self.hides_date(a.date_source) {
            (a.published, a.date_source, a.date_detail) = (None, DateSource::None, None);
        }
        Some(a)
    }

    /// The stored article's metadata.
    pub fn meta(&self, article: ArticleIdx) -> Option<ArticleMeta> {
        let mut m = self.snapshot.article_meta(article)?;
        if self.hides_date(m.date_source) {
            (m.published, m.date_source, m.date_detail) = (None, DateSource::None, None);
        }
        Some(m)
    }

    /// Whether a stored date is none for an import with this index's options: the store keeps
    /// file-time dates, which are none when file dates are off.
    fn hides_date(&self, source: DateSource) -> bool {
        self.no_file_dates && source == DateSource::FileTime
    }

    /// Every live article's number, in import order (files by path, records by position).
    pub fn articles_in_order(&self) -> Vec<ArticleIdx> {
        self.snapshot.slots_in_order()
    }

    /// The article with this id, if the index holds it.
    pub fn find(&self, id: &ArticleId) -> Option<ArticleIdx> {
        // Rare (restoring the open article after an update): a scan of stored metadata is fine.
        self.articles_in_order().into_iter().find(|&a| self.meta(a).is_some_and(|m| m.id == *id))
    }

    /// Counts every term of `matcher` in every article, from the store's postings. Gives exactly
    /// what `matcher.count(text)` gives on each article's text.
    pub fn count(&self, matcher: &Matcher) -> Vec<TermHits> {
        let words = self.words_of(matcher);
        let n_terms = matcher.terms().len();
        let mut hits = vec![TermHits::default(); n_terms];
        if matcher.counts_single_words() {
            // Single-word terms: each occurrence of a word is one mention of each of its terms.
            for word in &words {
                let terms = matcher.terms_counting_word(word).unwrap_or_default();
                if terms.is_empty() {
                    continue;
                }
                self.snapshot.word_postings(word, false, |p| {
                    if self.is_live(p.slot) {
                        for &term in &terms {
                            hits[term].hits.push((p.slot, p.frequency));
                        }
                    }
                });
            }
            for term in &mut hits {
                merge_by_article(&mut term.hits);
            }
            return hits;
        }
        // Otherwise the scan of the rules over the positions of every word a pattern matches.
        let mut counts = vec![0u32; n_terms];
        self.each_article_words(matcher, &words, |slot, matched| {
            counts.fill(0);
            matcher.scan(matched, |m| counts[m.term] += 1);
            for (term, &n) in counts.iter().enumerate() {
                if n > 0 {
                    hits[term].hits.push((slot, n));
                }
            }
        });
        hits
    }

    /// The articles a query matches, each with its mentions (which may be 0: `NOT sport`
    /// matches without mentions), from the store's postings. Gives exactly what
    /// [`CompiledQuery::count_text`] gives on each article's text and source.
    pub fn count_query(&self, query: &CompiledQuery) -> TermHits {
        let matcher = query.matcher();
        let words = self.words_of(matcher);
        let sources: Vec<Vec<u32>> = query.sources().iter().map(|s| self.snapshot.slots_with_source(s)).collect();
        let flags = |slot: u32| -> Vec<bool> { sources.iter().map(|set| set.binary_search(&slot).is_ok()).collect() };
        let mut hits: Vec<(ArticleIdx, u32)> = Vec::new();
        let mut with_words: Vec<u32> = Vec::new();
        self.each_article_words(matcher, &words, |slot, matched| {
            with_words.push(slot);
            let title_words = self.title_words.get(slot as usize).copied().unwrap_or(0) as usize;
            if let Some(mentions) = query.evaluate(matched, title_words, &flags(slot)) {
                hits.push((slot, mentions.len() as u32));
            }
        });
        if query.matches_without_words() {
            // Articles holding no leaf word can match too: evaluate them with no words.
            let mut seen = with_words.iter().peekable();
            for slot in 0..self.is_article.len() as u32 {
                if seen.next_if(|&&s| s == slot).is_some() || !self.is_live(slot) {
                    continue;
                }
                let title_words = self.title_words[slot as usize] as usize;
                if query.evaluate(&[], title_words, &flags(slot)).is_some() {
                    hits.push((slot, 0));
                }
            }
            hits.sort_unstable_by_key(|&(a, _)| a);
        }
        TermHits { hits }
    }

    /// The indexed words a matcher's patterns can match: its exact words and the store's words
    /// that start with one of its prefixes.
    fn words_of(&self, matcher: &Matcher) -> Vec<String> {
        let (exact, prefixes) = matcher.pattern_words();
        let mut words: Vec<String> = exact.iter().map(|w| w.to_string()).collect();
        for prefix in prefixes {
            words.extend(self.snapshot.words_with_prefix(prefix));
        }
        words.sort_unstable();
        words.dedup();
        words
    }

    /// Calls `each(article, matched)` for every live article holding one of `words`, with its
    /// words that satisfy a pattern of `matcher` at their positions, in order.
    fn each_article_words(&self, matcher: &Matcher, words: &[String], mut each: impl FnMut(u32, &[MatchedWord])) {
        let tests: Vec<TestSet> = words.iter().map(|w| matcher.tests_for(w)).collect();
        let mut occurrences: Vec<(u32, u32, u32)> = Vec::new();
        for (i, word) in words.iter().enumerate() {
            if tests[i].is_empty() {
                continue;
            }
            self.snapshot.word_postings(word, true, |p| {
                if self.is_live(p.slot) {
                    occurrences.extend(p.positions.iter().map(|&position| (p.slot, position, i as u32)));
                }
            });
        }
        occurrences.sort_unstable();
        let mut matched: Vec<MatchedWord> = Vec::new();
        for article in occurrences.chunk_by(|a, b| a.0 == b.0) {
            matched.clear();
            matched.extend(article.iter().map(|&(_, position, word)| MatchedWord {
                position: position as usize,
                start: position as usize,
                end: position as usize + 1,
                tests: tests[word as usize],
            }));
            each(article[0].0, &matched);
        }
    }

    fn is_live(&self, slot: u32) -> bool {
        self.is_article.get(slot as usize).copied().unwrap_or(false)
    }

    /// Per-day counts of one term, for [`Trends::build`].
    pub fn daily(&self, hits: &TermHits) -> BTreeMap<NaiveDate, DayCount> {
        self.daily_where(hits, |_| true)
    }

    /// [`Index::daily`] over the articles `keep` accepts.
    pub fn daily_where(&self, hits: &TermHits, keep: impl Fn(ArticleIdx) -> bool) -> BTreeMap<NaiveDate, DayCount> {
        let mut days: BTreeMap<NaiveDate, DayCount> = BTreeMap::new();
        for (article, n) in hits.hits.iter().filter(|(a, _)| keep(*a)) {
            if let Some(day) = self.day(*article) {
                let c = days.entry(day).or_default();
                c.mentions += u64::from(*n);
                c.articles += 1;
            }
        }
        days
    }

    /// Dated articles per day among those `keep` accepts (the chart's totals under a filter).
    pub fn day_totals_where(&self, keep: impl Fn(ArticleIdx) -> bool) -> BTreeMap<NaiveDate, DayTotal> {
        let mut totals: BTreeMap<NaiveDate, DayTotal> = BTreeMap::new();
        for (slot, day) in self.days.iter().enumerate() {
            if let Some(day) = day
                && keep(slot as ArticleIdx)
            {
                let t = totals.entry(*day).or_default();
                t.articles += 1;
                t.file_time += u64::from(self.file_time[slot]);
            }
        }
        totals
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

    /// [`Index::trends`] over the articles `keep` accepts, totals included: with
    /// `|a| !groups.is_copy(a)` (see `core::duplicates`), each story counts once.
    pub fn trends_where(
        &self,
        series: &[(String, &TermHits)],
        bucket: Bucket,
        from: Option<NaiveDate>,
        to: Option<NaiveDate>,
        keep: impl Fn(ArticleIdx) -> bool + Copy,
    ) -> Trends {
        let terms: Vec<(String, BTreeMap<NaiveDate, DayCount>)> =
            series.iter().map(|(label, hits)| (label.clone(), self.daily_where(hits, keep))).collect();
        Trends::build(bucket, from, to, &self.day_totals_where(keep), &terms)
    }

    /// The articles of `hits` dated within `first..=last`, with their mention counts.
    pub fn hits_between(&self, hits: &TermHits, first: NaiveDate, last: NaiveDate) -> Vec<(ArticleIdx, u32)> {
        hits.hits.iter().copied().filter(|(a, _)| self.day(*a).is_some_and(|d| d >= first && d <= last)).collect()
    }
}

/// The outlets of an index's articles.
pub struct Outlets {
    /// Distinct outlet names, sorted.
    pub names: Vec<String>,
    /// Per slot, an index into `names`; `u32::MAX` for none.
    of_slot: Vec<u32>,
}

impl Outlets {
    /// The outlet of article `article`, as an index into `names`.
    pub fn of(&self, article: ArticleIdx) -> Option<u32> {
        self.of_slot.get(article as usize).copied().filter(|&o| o != u32::MAX)
    }
}

/// The canonical entities of an index.
pub struct EntityTable {
    /// Sorted by mentions (descending), then name, hidden ones included.
    pub rows: Vec<EntityRow>,
    /// `hits[i]` are the articles mentioning `rows[i]`.
    pub hits: Vec<TermHits>,
    corpus: CorpusEntities,
}

impl EntityTable {
    /// Every entity with its articles, as [`crate::core::cooccur::cooccurring`] takes them.
    pub fn entity_articles(&self) -> Vec<crate::core::cooccur::EntityArticles<'_>> {
        self.rows
            .iter()
            .zip(&self.hits)
            .map(|(r, h)| crate::core::cooccur::EntityArticles {
                name: &r.name,
                kind: r.kind,
                hidden: r.hidden,
                articles: &h.hits,
            })
            .collect()
    }

    fn new(mut corpus: CorpusEntities, aliases: &AliasFile) -> EntityTable {
        corpus.resolve(aliases);
        let rows = corpus
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
        let hits = corpus.hits.iter().map(|hits| TermHits { hits: hits.clone() }).collect();
        EntityTable { rows, hits, corpus }
    }

    /// The visible entity a user means by `name` (canonical name first, then any alias form),
    /// with its hits.
    pub fn entity(&self, name: &str) -> Option<(&EntityRow, &TermHits)> {
        let id = self.corpus.catalog.find(name).into_iter().find(|id| !self.rows[id.0 as usize].hidden)?;
        let i = id.0 as usize;
        Some((&self.rows[i], &self.hits[i]))
    }
}

/// Sorts `(article, n)` pairs by article and adds up the pairs of one article.
fn merge_by_article(hits: &mut Vec<(ArticleIdx, u32)>) {
    hits.sort_unstable_by_key(|&(a, _)| a);
    hits.dedup_by(|next, kept| {
        let same = next.0 == kept.0;
        if same {
            kept.1 = kept.1.saturating_add(next.1);
        }
        same
    });
}
