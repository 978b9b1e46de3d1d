//! `presswatch trends`: mention series of terms (`-t`) and entities (`-e`) as CSV.
//!
//! With terms only, records that cannot mention a term are imported without their text (see
//! `ImportOptions::count_only`); entities need every text, for the recogniser.

use std::collections::BTreeMap;
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
use crate::core::export;
use crate::core::index::{Index, TermHits};
use crate::core::query::{Matcher, Term};
use crate::core::timeline::{Bucket, DayCount, DayTotal, Trends};

pub(super) struct TrendsRequest<'a> {
    pub terms: &'a [String],
    pub entities: &'a [String],
    pub aliases: Option<&'a Path>,
    pub bucket: Bucket,
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
    pub output: Option<&'a Path>,
}

pub(super) fn trends(input: &Input, req: &TrendsRequest<'_>) -> Result<()> {
    if req.terms.is_empty() && req.entities.is_empty() {
        bail!("give at least one term (-t) or entity (-e)");
    }
    let matcher = compile_terms(req.terms)?;
    let aliases = load_aliases(req.aliases)?;
    let trends = match input.stored_index(&aliases)? {
        Some(index) => {
            report_skipped(&index.report);
            stored_trends(&index, &matcher, req)?
        }
        None => file_trends(input, &matcher, &aliases, req)?,
    };
    match req.output {
        Some(path) => {
            export::write_atomically(path, |w| export::write_trends(w, &trends))
                .with_context(|| format!("cannot write {}", path.display()))?;
            eprintln!("presswatch: wrote {} rows to {}", trends.periods.len() * trends.series.len(), path.display());
        }
        None => export::write_trends(std::io::stdout().lock(), &trends).context("cannot write to standard output")?,
    }
    Ok(())
}

/// The series from a store: terms from its postings, entities from its entity table.
fn stored_trends(index: &Index, matcher: &Matcher, req: &TrendsRequest<'_>) -> Result<Trends> {
    let term_hits = index.count(matcher);
    let mut series: Vec<(String, &TermHits)> =
        matcher.terms().iter().map(|t| t.label.clone()).zip(term_hits.iter()).collect();
    for wanted in req.entities {
        let (row, hits) = match index.entity(wanted) {
            Some(found) => found,
            None => return Err(no_such_entity(index.catalog(), wanted)),
        };
        series.push((row.name.clone(), hits));
    }
    Ok(index.trends(&series, req.bucket, req.from, req.to))
}

/// The series from the files, read now.
fn file_trends(input: &Input, matcher: &Matcher, aliases: &AliasFile, req: &TrendsRequest<'_>) -> Result<Trends> {
    let with_entities = !req.entities.is_empty();
    let mut options = input.options();
    if !with_entities {
        options.count_only = Some(Arc::new(matcher.clone()));
    }
    // Hash maps while importing (every article updates one, on the thread that sinks them all),
    // ordered maps for the chart.
    let mut day_totals: FxHashMap<NaiveDate, DayTotal> = FxHashMap::default();
    let mut per_term: Vec<FxHashMap<NaiveDate, DayCount>> = vec![FxHashMap::default(); req.terms.len()];
    let mut days: Vec<Option<NaiveDate>> = Vec::new();
    let mut corpus = CorpusEntities::default();
    import_with_progress(
        input.path.as_path(),
        &options,
        |a| {
            let day = a.published.map(|p| p.date_naive());
            // Undated articles never reach the time axis: their terms need no counting.
            let counts = if day.is_some() { matcher.count_if_any(&a.text) } else { None };
            // Boxed: most runs chart terms only, and every article's value is held until its
            // file is done, so the value stays small.
            let found = with_entities.then(|| Box::new(recognize_article(&a)));
            (day, a.date_source == DateSource::FileTime, counts, found)
        },
        |chunk| {
            for (day, file_time, counts, found) in chunk {
                if let Some(found) = found {
                    corpus.add(&found);
                    days.push(day);
                }
                let Some(day) = day else { continue };
                let t = day_totals.entry(day).or_default();
                t.articles += 1;
                t.file_time += u64::from(file_time);
                for (term, n) in counts.into_iter().flatten().enumerate().filter(|(_, n)| *n > 0) {
                    let c = per_term[term].entry(day).or_default();
                    c.mentions += u64::from(n);
                    c.articles += 1;
                }
            }
        },
    )?;
    let day_totals: BTreeMap<NaiveDate, DayTotal> = day_totals.into_iter().collect();
    let mut series: Vec<(String, BTreeMap<NaiveDate, DayCount>)> = matcher
        .terms()
        .iter()
        .map(|t| t.label.clone())
        .zip(per_term.into_iter().map(|days| days.into_iter().collect()))
        .collect();
    if with_entities {
        corpus.resolve(aliases);
        for wanted in req.entities {
            let (name, hits) = entity_hits(&corpus, wanted)?;
            let mut per_day: BTreeMap<NaiveDate, DayCount> = BTreeMap::new();
            for &(article, n) in hits {
                if let Some(Some(day)) = days.get(article as usize) {
                    let c = per_day.entry(*day).or_default();
                    c.mentions += u64::from(n);
                    c.articles += 1;
                }
            }
            series.push((name, per_day));
        }
    }
    Ok(Trends::build(req.bucket, req.from, req.to, &day_totals, &series))
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
fn no_such_entity(catalog: &EntityCatalog, wanted: &str) -> anyhow::Error {
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

fn compile_terms(terms: &[String]) -> Result<Matcher> {
    let parsed = terms
        .iter()
        .map(|t| Term::parse(t).with_context(|| format!("invalid term {t:?}")))
        .collect::<Result<Vec<_>>>()?;
    Ok(Matcher::new(parsed)?)
}
