//! `presswatch alerts`: the periods in which a term, query or entity is unusually high against
//! its own trailing baseline (the rule is `core::alerts`'), as a table or a JSON array.
//!
//! Every series is built over the whole folder, so that the first periods after `--since` have
//! their baselines; `--since` only filters what is printed.

use std::io::Write;
use std::path::Path;

use anyhow::{Context, Result, bail};
use chrono::NaiveDate;

use super::trends::{compile_terms, no_such_entity};
use super::{Input, load_aliases};
use crate::core::alerts::{self, AlertSettings};
use crate::core::index::{ArticleIdx, TermHits};
use crate::core::timeline::Bucket;

pub(super) struct AlertsRequest<'a> {
    pub terms: &'a [String],
    pub queries: &'a [String],
    pub entities: &'a [String],
    pub aliases: Option<&'a Path>,
    pub bucket: Bucket,
    pub since: Option<NaiveDate>,
    pub json: bool,
    /// Count each story once (`--dedup`).
    pub dedup: bool,
    pub settings: AlertSettings,
}

/// One printed alert.
struct Row {
    series: String,
    period_start: NaiveDate,
    count: u64,
    expected: f64,
    p_value: f64,
    /// (id, title) of the top articles.
    articles: Vec<(String, String)>,
}

pub(super) fn alerts(input: &Input, req: &AlertsRequest<'_>) -> Result<()> {
    if req.terms.is_empty() && req.queries.is_empty() && req.entities.is_empty() {
        bail!("give at least one term (-t), query (-q) or entity (-e)");
    }
    let matcher = compile_terms(req.terms)?;
    let queries = req.queries.iter().map(|q| super::compile_query(q)).collect::<Result<Vec<_>>>()?;
    let aliases = load_aliases(req.aliases)?;
    let index = input.index(&aliases)?;
    let groups = req.dedup.then(|| super::duplicates::groups_of(&index));
    let keep = |a: ArticleIdx| groups.as_ref().is_none_or(|g| !g.is_copy(a));

    let term_hits = index.count(&matcher);
    let query_hits: Vec<TermHits> = queries.iter().map(|q| index.count_query(q)).collect();
    let mut series: Vec<(String, &TermHits)> =
        matcher.terms().iter().map(|t| t.label.clone()).zip(term_hits.iter()).collect();
    series.extend(queries.iter().map(|q| q.label().to_string()).zip(query_hits.iter()));
    for wanted in req.entities {
        let (row, hits) = index.entity(wanted).ok_or_else(|| no_such_entity(index.catalog(), wanted))?;
        series.push((row.name.clone(), hits));
    }
    let trends = index.trends_where(&series, req.bucket, None, None, keep);
    // An alert's articles are the period's articles of the series with the most mentions, ties
    // in import order: the ones that say most about the spike, and the same on every run.
    let order = index.articles_in_order();
    let mut rank = vec![u64::MAX; order.iter().map(|&a| a as usize + 1).max().unwrap_or(0)];
    for (i, &a) in order.iter().enumerate() {
        rank[a as usize] = i as u64;
    }
    let since = req.since.map(|d| req.bucket.start_of(d));
    let mut rows = Vec::new();
    for alert in alerts::alerts(&trends, &req.settings) {
        if since.is_some_and(|s| alert.period_start < s) {
            continue;
        }
        let (label, hits) = &series[alert.series];
        let last = req.bucket.next(alert.period_start).pred_opt().unwrap_or(alert.period_start);
        let in_period = index.hits_between(hits, alert.period_start, last).into_iter().filter(|(a, _)| keep(*a));
        let top = alerts::top_articles(
            in_period,
            |a| rank.get(a as usize).copied().unwrap_or(u64::MAX),
            req.settings.top_articles,
        );
        let articles = top.into_iter().filter_map(|a| index.meta(a)).map(|m| (m.id.to_string(), m.title)).collect();
        rows.push(Row {
            series: label.clone(),
            period_start: alert.period_start,
            count: alert.count,
            expected: alert.expected,
            p_value: alert.p_value,
            articles,
        });
    }
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    if req.json {
        let array: Vec<JsonAlert<'_>> = rows
            .iter()
            .map(|r| JsonAlert {
                series: &r.series,
                period_start: r.period_start,
                count: r.count,
                expected: (r.expected * 1000.0).round() / 1000.0,
                p_value: r.p_value,
                articles: r.articles.iter().map(|(id, _)| id.as_str()).collect(),
            })
            .collect();
        serde_json::to_writer_pretty(&mut out, &array).context("cannot write to standard output")?;
        writeln!(out)?;
    } else {
        write_table(&mut out, &rows, req.bucket).context("cannot write to standard output")?;
    }
    out.flush().context("cannot write to standard output")?;
    Ok(())
}

/// An alert as `--json` prints it (a struct, so the fields keep this order).
#[derive(serde::Serialize)]
struct JsonAlert<'a> {
    series: &'a str,
    period_start: NaiveDate,
    count: u64,
    expected: f64,
    p_value: f64,
    articles: Vec<&'a str>,
}

/// One line per alert, in columns, with its top article's title.
fn write_table(out: &mut dyn Write, rows: &[Row], bucket: Bucket) -> std::io::Result<()> {
    if rows.is_empty() {
        return writeln!(out, "no alerts");
    }
    let width = rows.iter().map(|r| r.series.chars().count()).max().unwrap_or(0).max("series".len());
    writeln!(
        out,
        "{:<10}  {:<width$}  {:>6}  {:>8}  {:>8}  top article",
        bucket.name(),
        "series",
        "count",
        "expected",
        "p-value"
    )?;
    for r in rows {
        let top = r.articles.first().map_or(String::new(), |(id, title)| {
            let title: String = title.chars().take(70).collect();
            format!("{title} ({id})")
        });
        writeln!(
            out,
            "{:<10}  {:<width$}  {:>6}  {:>8.1}  {:>8.1e}  {top}",
            r.period_start.to_string(),
            r.series,
            r.count,
            r.expected,
            r.p_value
        )?;
    }
    Ok(())
}
