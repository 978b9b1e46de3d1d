//! `presswatch trends`: mention series of terms (`-t`), queries (`-q`) and entities (`-e`) as CSV.
//!
//! Without entities, records that cannot mention a term or a query's word are imported without
//! their text (see `ImportOptions::count_only`), unless a query can match an article holding
//! none of its words (`NOT sport`) or filters by source; entities need every text, for the
//! recogniser.

use std::collections::BTreeMap;
use std::io::Write;
use std::path::Path;
use std::sync::Arc;

use anyhow::{Context, Result, bail};
use chrono::NaiveDate;
use rustc_hash::FxHashMap;

use super::{Input, import_with_progress, load_aliases, report_skipped};
use crate::core::article::DateSource;
use crate::core::entities::aliases::AliasFile;
use crate::core::entities::canonical::EntityCatalog;
use crate::core::entities::corpus::{CorpusEntities, recognize_article};
use crate::core::export::{self, ExportError};
use crate::core::index::{Index, TermHits};
use crate::core::query::{CompiledQuery, Matcher, Term};
use crate::core::sources::outlet;
use crate::core::timeline::{Bucket, ByOutlet, DayCount, DayTotal, Trends};

pub(super) struct TrendsRequest<'a> {
    pub terms: &'a [String],
    pub queries: &'a [String],
    /// Split every series by outlet (`--by source`).
    pub by_source: bool,
    /// Count each story once (`--dedup`).
    pub dedup: bool,
    pub entities: &'a [String],
    pub aliases: Option<&'a Path>,
    pub bucket: Bucket,
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
    pub output: Option<&'a Path>,
}

pub(super) fn trends(input: &Input, req: &TrendsRequest<'_>) -> Result<()> {
    if req.terms.is_empty() && req.queries.is_empty() && req.entities.is_empty() {
        bail!("give at least one term (-t), query (-q) or entity (-e)");
    }
    let matcher = compile_terms(req.terms)?;
    let queries = req.queries.iter().map(|q| super::compile_query(q)).collect::<Result<Vec<_>>>()?;
    let aliases = load_aliases(req.aliases)?;
    let chart = if req.dedup {
        // Copies are found in an index, stored or made now.
        stored_trends(&input.index(&aliases)?, &matcher, &queries, req)?
    } else {
        match input.stored_index(&aliases)? {
            Some(index) => {
                report_skipped(&index.report);
                stored_trends(&index, &matcher, &queries, req)?
            }
            None => file_trends(input, &matcher, &queries, &aliases, req)?,
        }
    };
    match req.output {
        Some(path) => {
            export::write_atomically(path, |w| chart.write(w))
                .with_context(|| format!("cannot write {}", path.display()))?;
            eprintln!("presswatch: wrote {} rows to {}", chart.rows(), path.display());
        }
        None => chart.write(&mut std::io::stdout().lock()).context("cannot write to standard output")?,
    }
    Ok(())
}

/// What `trends` prints: the series, or (with `--by source`) the series per outlet.
enum Chart {
    Whole(Trends),
    BySource(Vec<(String, Trends)>),
}

impl Chart {
    fn write(&self, w: &mut dyn Write) -> Result<(), ExportError> {
        match self {
            Chart::Whole(t) => export::write_trends(w, t),
            Chart::BySource(split) => export::write_trends_by_source(w, split),
        }
    }

    /// CSV rows, for the message after writing a file.
    fn rows(&self) -> usize {
        match self {
            Chart::Whole(t) => t.periods.len() * t.series.len(),
            Chart::BySource(split) => split
                .iter()
                .flat_map(|(_, t)| &t.series)
                .flat_map(|s| &s.points)
                .filter(|p| p.total_articles > 0)
                .count(),
        }
    }
}

/// The series from a store: terms and queries from its postings, entities from its entity table.
fn stored_trends(
    index: &Index,
    matcher: &Matcher,
    queries: &[CompiledQuery],
    req: &TrendsRequest<'_>,
) -> Result<Chart> {
    let term_hits = index.count(matcher);
    let query_hits: Vec<TermHits> = queries.iter().map(|q| index.count_query(q)).collect();
    let mut series: Vec<(String, &TermHits)> =
        matcher.terms().iter().map(|t| t.label.clone()).zip(term_hits.iter()).collect();
    series.extend(queries.iter().map(|q| q.label().to_string()).zip(query_hits.iter()));
    for wanted in req.entities {
        let (row, hits) = match index.entity(wanted) {
            Some(found) => found,
            None => return Err(no_such_entity(index.catalog(), wanted)),
        };
        series.push((row.name.clone(), hits));
    }
    let groups = req.dedup.then(|| super::duplicates::groups_of(index));
    let keep = |article| groups.as_ref().is_none_or(|groups| !groups.is_copy(article));
    Ok(if req.by_source {
        Chart::BySource(index.by_outlet(&series, req.bucket, req.from, req.to, keep))
    } else if req.dedup {
        Chart::Whole(index.trends_where(&series, req.bucket, req.from, req.to, keep))
    } else {
        Chart::Whole(index.trends(&series, req.bucket, req.from, req.to))
    })
}

/// Per-day totals and counts as the files are read: for the whole folder, or per outlet.
enum Tally {
    Whole { day_totals: FxHashMap<NaiveDate, DayTotal>, per_series: Vec<FxHashMap<NaiveDate, DayCount>> },
    BySource(ByOutlet),
}

impl Tally {
    fn article(&mut self, outlet: &str, day: NaiveDate, file_time: bool) {
        match self {
            Tally::Whole { day_totals, .. } => {
                let t = day_totals.entry(day).or_default();
                t.articles += 1;
                t.file_time += u64::from(file_time);
            }
            Tally::BySource(by) => by.article(outlet, day, file_time),
        }
    }

    fn hit(&mut self, series: usize, outlet: &str, day: NaiveDate, mentions: u64) {
        match self {
            Tally::Whole { per_series, .. } => {
                if per_series.len() <= series {
                    per_series.resize_with(series + 1, FxHashMap::default);
                }
                let c = per_series[series].entry(day).or_default();
                c.mentions += mentions;
                c.articles += 1;
            }
            Tally::BySource(by) => by.hit(series, outlet, day, mentions),
        }
    }

    fn chart(self, labels: Vec<String>, req: &TrendsRequest<'_>) -> Chart {
        match self {
            Tally::Whole { day_totals, mut per_series } => {
                let day_totals: BTreeMap<NaiveDate, DayTotal> = day_totals.into_iter().collect();
                per_series.resize_with(labels.len(), FxHashMap::default);
                let series: Vec<(String, BTreeMap<NaiveDate, DayCount>)> =
                    labels.into_iter().zip(per_series.into_iter().map(|days| days.into_iter().collect())).collect();
                Chart::Whole(Trends::build(req.bucket, req.from, req.to, &day_totals, &series))
            }
            Tally::BySource(by) => Chart::BySource(by.build(req.bucket, req.from, req.to)),
        }
    }
}

/// The series from the files, read now.
fn file_trends(
    input: &Input,
    matcher: &Matcher,
    queries: &[CompiledQuery],
    aliases: &AliasFile,
    req: &TrendsRequest<'_>,
) -> Result<Chart> {
    let with_entities = !req.entities.is_empty();
    let mut options = input.options();
    let word_driven = queries.iter().all(|q| !q.matches_without_words() && !q.has_sources());
    // Counting by source needs every article's source, which the count-only import drops.
    if !with_entities && word_driven && !req.by_source {
        // One matcher for every word a term or query looks for, to judge raw records by.
        let mut all = matcher.terms().to_vec();
        all.extend(queries.iter().flat_map(|q| q.matcher().terms().iter().cloned()));
        options.count_only = Some(Arc::new(Matcher::new(all)?));
    }
    let n_terms = matcher.terms().len();
    let mut labels: Vec<String> = matcher.terms().iter().map(|t| t.label.clone()).collect();
    labels.extend(queries.iter().map(|q| q.label().to_string()));
    // Hash maps while importing (every article updates one, on the thread that sinks them all),
    // ordered maps for the chart.
    let mut tally = if req.by_source {
        Tally::BySource(ByOutlet::new(labels.clone()))
    } else {
        Tally::Whole { day_totals: FxHashMap::default(), per_series: Vec::new() }
    };
    // Per article in import order, for the entities counted after the import.
    let mut articles: Vec<(Option<NaiveDate>, String)> = Vec::new();
    let mut corpus = CorpusEntities::default();
    import_with_progress(
        input.path.as_path(),
        &options,
        |a| {
            let day = a.published.map(|p| p.date_naive());
            // Undated articles never reach the time axis: their terms need no counting.
            let counts = if day.is_some() { matcher.count_if_any(&a.text) } else { None };
            // Per query, `Some(mentions)` when it matches (perhaps with 0 mentions).
            let matched = if day.is_some() && !queries.is_empty() {
                let found: Vec<Option<u32>> =
                    queries.iter().map(|q| q.count_text(&a.text, a.source.as_deref())).collect();
                found.iter().any(Option::is_some).then_some(found)
            } else {
                None
            };
            let outlet = if req.by_source { a.source.as_deref().map(|s| outlet(s).into_owned()) } else { None };
            // Boxed: most runs chart terms only, and every article's value is held until its
            // file is done, so the value stays small.
            let found = with_entities.then(|| Box::new(recognize_article(&a)));
            (day, a.date_source == DateSource::FileTime, outlet, counts, matched, found)
        },
        |chunk| {
            for (day, file_time, outlet, counts, matched, found) in chunk {
                let outlet = outlet.unwrap_or_default();
                if let Some(found) = found {
                    corpus.add(&found);
                    articles.push((day, outlet.clone()));
                }
                let Some(day) = day else { continue };
                tally.article(&outlet, day, file_time);
                // Terms count articles that mention them, queries those they match.
                let terms = counts.iter().flatten().enumerate().filter(|(_, n)| **n > 0).map(|(i, n)| (i, *n));
                let matched = matched.iter().flatten().enumerate().filter_map(|(i, n)| Some((n_terms + i, (*n)?)));
                for (series, n) in terms.chain(matched) {
                    tally.hit(series, &outlet, day, u64::from(n));
                }
            }
        },
    )?;
    if with_entities {
        corpus.resolve(aliases);
        for wanted in req.entities {
            let (name, hits) = entity_hits(&corpus, wanted)?;
            let series = labels.len();
            labels.push(name);
            for &(article, n) in hits {
                if let Some((Some(day), outlet)) = articles.get(article as usize) {
                    tally.hit(series, outlet, *day, u64::from(n));
                }
            }
        }
    }
    Ok(tally.chart(labels, req))
}

/// The entity a user means by `wanted`, by canonical name or alias form, with its hits.
fn entity_hits<'c>(corpus: &'c CorpusEntities, wanted: &str) -> Result<(String, &'c [(u32, u32)])> {
    let ids = corpus.catalog.find(wanted);
    let Some(&id) = ids.iter().find(|id| corpus.catalog.get(**id).is_some_and(|e| !e.hidden)) else {
        return Err(no_such_entity(&corpus.catalog, wanted));
    };
    let entity = corpus.catalog.get(id).context("entity id out of range")?;
    Ok((entity.name.clone(), corpus.hits.get(id.0 as usize).map_or(&[][..], Vec::as_slice)))
}

/// Why `wanted` names no visible entity, with suggestions.
pub(super) fn no_such_entity(catalog: &EntityCatalog, wanted: &str) -> anyhow::Error {
    if !catalog.find(wanted).is_empty() {
        return anyhow::anyhow!("entity {wanted:?} is hidden by the alias file");
    }
    let suggestions: Vec<&str> = catalog
        .visible()
        .filter(|e| e.name.to_lowercase().contains(&wanted.to_lowercase()))
        .take(5)
        .map(|e| e.name.as_str())
        .collect();
    if suggestions.is_empty() {
        anyhow::anyhow!("no entity named {wanted:?} in this folder (see `presswatch entities`)")
    } else {
        anyhow::anyhow!("no entity named {wanted:?} in this folder; did you mean: {}?", suggestions.join(", "))
    }
}

pub(super) fn compile_terms(terms: &[String]) -> Result<Matcher> {
    let parsed = terms
        .iter()
        .map(|t| Term::parse(t).with_context(|| format!("invalid term {t:?}")))
        .collect::<Result<Vec<_>>>()?;
    Ok(Matcher::new(parsed)?)
}
