//! `presswatch cooccur`: the entities mentioned in the same articles as an entity, term or query,
//! with shared articles and lift (see `core::cooccur`).

use std::io::Write;

use anyhow::{Context, Result, bail};
use chrono::NaiveDate;
use serde_json::json;

use super::{Input, compile_query, import_with_progress, report_skipped};
use crate::core::cooccur::{CoEntity, EntityArticles, Order, cooccurring};
use crate::core::entities::aliases::AliasFile;
use crate::core::entities::corpus::{CorpusEntities, recognize_article};
use crate::core::query::{CompiledQuery, Matcher};

pub(super) struct CooccurRequest<'a> {
    pub entity: Option<&'a str>,
    pub term: Option<&'a str>,
    pub query: Option<&'a str>,
    pub top: Option<usize>,
    pub order: Order,
    pub json: bool,
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
}

/// What the selection is.
enum Target {
    Entity(String),
    Term(Matcher),
    Query(Box<CompiledQuery>),
}

pub(super) fn cooccur(input: &Input, req: &CooccurRequest<'_>) -> Result<()> {
    let target = match (req.entity, req.term, req.query) {
        (Some(e), None, None) => Target::Entity(e.to_string()),
        (None, Some(t), None) => Target::Term(Matcher::parse(&[t]).with_context(|| format!("invalid term {t:?}"))?),
        (None, None, Some(q)) => Target::Query(Box::new(compile_query(q)?)),
        _ => bail!("give exactly one of -e ENTITY, -t TERM or -q QUERY"),
    };
    let in_period = |day: Option<NaiveDate>| {
        req.from.is_none() && req.to.is_none()
            || day.is_some_and(|d| req.from.is_none_or(|f| d >= f) && req.to.is_none_or(|t| d <= t))
    };
    let found = match input.stored_index(&AliasFile::default())? {
        Some(index) => {
            report_skipped(&index.report);
            let table = index.entity_table();
            let (selection, exclude): (Vec<u32>, Option<usize>) = match &target {
                Target::Entity(name) => {
                    let (row, hits) =
                        index.entity(name).with_context(|| format!("no entity named {name:?} in this folder"))?;
                    let i = table.rows.iter().position(|r| r == row);
                    (hits.hits.iter().map(|&(a, _)| a).collect(), i)
                }
                Target::Term(m) => (index.count(m)[0].hits.iter().map(|&(a, _)| a).collect(), None),
                Target::Query(q) => (index.count_query(q).hits.iter().map(|&(a, _)| a).collect(), None),
            };
            let entities = table.entity_articles();
            let live: Vec<u32> = index.articles_in_order();
            let in_view_count = live.iter().filter(|&&a| in_period(index.day(a))).count() as u64;
            cooccurring(&selection, &entities, |a| in_period(index.day(a)), in_view_count, exclude, req.order)
        }
        None => from_files(input, &target, &in_period, req.order)?,
    };
    let shown: Vec<&CoEntity> = found.iter().take(req.top.unwrap_or(usize::MAX)).collect();
    let mut out = std::io::stdout().lock();
    if req.json {
        let rows: Vec<serde_json::Value> = shown
            .iter()
            .map(|e| {
                json!({
                    "entity": e.name,
                    "type": e.kind.as_str(),
                    "articles": e.articles,
                    "entity_articles": e.entity_articles,
                    "lift": (e.lift * 10_000.0).round() / 10_000.0,
                })
            })
            .collect();
        writeln!(out, "{}", serde_json::Value::from(rows))?;
    } else {
        let mut w = csv::Writer::from_writer(out);
        w.write_record(["entity", "type", "articles", "entity_articles", "lift"])?;
        for e in shown {
            w.write_record([
                crate::core::export::spreadsheet_safe(&e.name).as_ref(),
                e.kind.as_str(),
                &e.articles.to_string(),
                &e.entity_articles.to_string(),
                &format!("{:.4}", e.lift),
            ])?;
        }
        w.flush()?;
    }
    Ok(())
}

/// The same from the files, read now: entities recognised, the target counted, per article.
fn from_files(
    input: &Input,
    target: &Target,
    in_period: &dyn Fn(Option<NaiveDate>) -> bool,
    order: Order,
) -> Result<Vec<CoEntity>> {
    let mut corpus = CorpusEntities::default();
    let mut days: Vec<Option<NaiveDate>> = Vec::new();
    let mut selected: Vec<u32> = Vec::new();
    import_with_progress(
        input.path.as_path(),
        &input.options(),
        |a| {
            let hit = match target {
                Target::Entity(_) => false,
                Target::Term(m) => m.count(&a.text)[0] > 0,
                Target::Query(q) => q.count_text(&a.text, a.source.as_deref()).is_some(),
            };
            (recognize_article(&a), a.published.map(|p| p.date_naive()), hit)
        },
        |chunk| {
            for (found, day, hit) in chunk {
                if hit {
                    selected.push(days.len() as u32);
                }
                corpus.add(&found);
                days.push(day);
            }
        },
    )?;
    corpus.resolve(&AliasFile::default());
    let entities: Vec<EntityArticles<'_>> = corpus
        .catalog
        .entities()
        .iter()
        .zip(&corpus.hits)
        .map(|(e, h)| EntityArticles { name: &e.name, kind: e.kind, hidden: e.hidden, articles: h })
        .collect();
    let mut exclude = None;
    if let Target::Entity(name) = target {
        let ids = corpus.catalog.find(name);
        let id = ids
            .iter()
            .find(|id| corpus.catalog.get(**id).is_some_and(|e| !e.hidden))
            .with_context(|| format!("no entity named {name:?} in this folder"))?;
        selected = corpus.hits[id.0 as usize].iter().map(|&(a, _)| a).collect();
        exclude = Some(id.0 as usize);
    }
    let in_view_count = days.iter().filter(|d| in_period(**d)).count() as u64;
    let day = |a: u32| days.get(a as usize).copied().flatten();
    Ok(cooccurring(&selected, &entities, |a| in_period(day(a)), in_view_count, exclude, order))
}
