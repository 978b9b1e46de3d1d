//! `presswatch scan`: what a folder holds: formats, dates and their sources, skipped files.

use std::collections::BTreeMap;
use std::io::Write;

use anyhow::Result;
use chrono::NaiveDate;
use serde_json::json;

use super::{Input, import_with_progress, report_skipped};
use crate::core::article::DateSource;
use crate::core::entities::aliases::AliasFile;
use crate::core::ingest::ImportReport;

pub(super) fn scan(input: &Input, as_json: bool) -> Result<()> {
    let (report, sources, range) = match input.stored_index(&AliasFile::default())? {
        Some(index) => {
            report_skipped(&index.report);
            (index.report.clone(), index.date_sources(), index.date_range())
        }
        None => scan_files(input)?,
    };
    let mut out = std::io::stdout().lock();
    if as_json {
        let value = json!({
            "path": input.path,
            "files_seen": report.files_seen,
            "articles": report.articles(),
            "articles_by_format": report.articles_by_format.iter().map(|(f, n)| (f.as_str(), n)).collect::<BTreeMap<_, _>>(),
            "date_sources": DateSource::ALL.iter().map(|s| (s.as_str(), sources.get(s).copied().unwrap_or(0))).collect::<BTreeMap<_, _>>(),
            "first_date": range.map(|r| r.0.to_string()),
            "last_date": range.map(|r| r.1.to_string()),
            "skipped": report.skipped,
            "elapsed_seconds": report.elapsed.as_secs_f64(),
        });
        writeln!(out, "{value}")?;
        return Ok(());
    }
    writeln!(out, "Scanned {} in {:.2} s", input.path.display(), report.elapsed.as_secs_f64())?;
    writeln!(out, "  files seen:     {}", report.files_seen)?;
    writeln!(out, "  articles:       {}", report.articles())?;
    for (format, n) in &report.articles_by_format {
        writeln!(out, "    {:<12} {n}", format.as_str())?;
    }
    match range {
        Some((lo, hi)) => writeln!(out, "  date range:     {lo} .. {hi}")?,
        None => writeln!(out, "  date range:     no dated articles")?,
    }
    writeln!(out, "  dates from:")?;
    for source in DateSource::ALL {
        writeln!(out, "    {:<12} {}", source.as_str(), sources.get(&source).copied().unwrap_or(0))?;
    }
    writeln!(out, "  skipped:        {}", report.skipped.len())?;
    for s in &report.skipped {
        writeln!(out, "    {s}")?;
    }
    Ok(())
}

type DateFacts = (ImportReport, BTreeMap<DateSource, usize>, Option<(NaiveDate, NaiveDate)>);

fn scan_files(input: &Input) -> Result<DateFacts> {
    let mut sources: BTreeMap<DateSource, usize> = BTreeMap::new();
    let mut range: Option<(NaiveDate, NaiveDate)> = None;
    let report = import_with_progress(
        &input.path,
        &input.options(),
        |a| (a.date_source, a.published.map(|p| p.date_naive())),
        |chunk| {
            for (source, day) in chunk {
                *sources.entry(source).or_default() += 1;
                if let Some(d) = day {
                    range = Some(range.map_or((d, d), |(lo, hi)| (lo.min(d), hi.max(d))));
                }
            }
        },
    )?;
    Ok((report, sources, range))
}
