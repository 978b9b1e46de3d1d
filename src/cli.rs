//! The command line: clap definitions and thin runners that call the engine and print.
//!
//! Results go to stdout, progress and skipped-file notices to stderr. Runners return
//! `anyhow::Result`; `main` turns an error into one line on stderr and exit code 2.

use std::collections::BTreeMap;
use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::Ordering;
use std::time::Duration;

use anyhow::{Context, Result};
use chrono::{NaiveDate, SecondsFormat};
use clap::{Args, Parser, Subcommand};
use serde_json::json;

use crate::core::article::{Article, DateSource};
use crate::core::export;
use crate::core::ingest::{self, ImportOptions, ImportProgress, ImportReport};
use crate::core::query::Matcher;
use crate::core::timeline::{Bucket, DayCount, DayTotal, Trends};

#[derive(Parser, Debug)]
#[command(
    name = "presswatch",
    version,
    about = "Count how often keywords and named entities are mentioned in news articles, over time.",
    long_about = "Presswatch imports a folder of news articles (text, Markdown, HTML, JSON, JSON Lines, \
RSS/Atom, any of them gzipped) and counts mentions of terms over time.\n\n\
Without a subcommand it opens the dashboard window on the last folder, or on the bundled sample-data/.",
    after_help = "Examples:\n  presswatch scan sample-data\n  presswatch trends sample-data -t Putin -t 'Central bank=central bank*|Nabiullina' --bucket week -o putin.csv\n  presswatch articles sample-data --json"
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Open the dashboard window on PATH.
    ///
    /// Example: presswatch open ~/news
    Open {
        /// Folder (or single file) of articles.
        path: PathBuf,
    },
    /// Import PATH and report what was found: formats, dates and skipped files.
    ///
    /// Example: presswatch scan ~/news --json
    Scan {
        #[command(flatten)]
        input: Input,
        /// Print one JSON object instead of a report.
        #[arg(long)]
        json: bool,
    },
    /// List every article: id, path, title, source, url, published (RFC 3339, UTC), date_source.
    ///
    /// Example: presswatch articles ~/news --json --with-text
    Articles {
        #[command(flatten)]
        input: Input,
        /// Print JSON Lines (one object per article) instead of tab-separated lines.
        #[arg(long)]
        json: bool,
        /// With --json: add each article's text (the text that is counted).
        #[arg(long)]
        with_text: bool,
    },
    /// Count term mentions per period and print CSV:
    /// period_start,term,mentions,articles,total_articles,share.
    ///
    /// Example: presswatch trends ~/news -t Putin -t 'Trump=Trump|Donald Trump' --bucket week -o trends.csv
    Trends {
        #[command(flatten)]
        input: Input,
        /// A term: `[Label=]alternative | alternative …`; a trailing `*` makes the last word a prefix.
        /// Repeat for several terms, e.g. -t Putin -t 'Bank=central bank*'.
        #[arg(short = 't', long = "term", value_name = "TERM", required = true)]
        terms: Vec<String>,
        /// Period length.
        #[arg(long, value_enum, default_value_t = Bucket::Day)]
        bucket: Bucket,
        /// First day (YYYY-MM-DD) of the series; default: the first period with a dated article.
        #[arg(long, value_parser = parse_day)]
        from: Option<NaiveDate>,
        /// Last day (YYYY-MM-DD) of the series; default: the last period with a dated article.
        #[arg(long, value_parser = parse_day)]
        to: Option<NaiveDate>,
        /// Write the CSV to FILE (atomically) instead of stdout.
        #[arg(short = 'o', long = "output", value_name = "FILE")]
        output: Option<PathBuf>,
    },
}

/// Arguments every importing command shares.
#[derive(Args, Debug)]
pub struct Input {
    /// Folder (searched recursively) or single file of articles.
    pub path: PathBuf,
    /// Treat articles dated only by file modification time as undated.
    #[arg(long)]
    pub no_file_dates: bool,
}

impl Input {
    fn options(&self) -> ImportOptions {
        ImportOptions { no_file_dates: self.no_file_dates, ..ImportOptions::default() }
    }
}

fn parse_day(s: &str) -> Result<NaiveDate, String> {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").map_err(|_| format!("expected a date like 2024-12-19, got {s:?}"))
}

/// Runs a headless subcommand. `Open` is handled by `main`.
pub fn run(command: Command) -> Result<()> {
    match command {
        Command::Open { .. } => {
            anyhow::bail!("this build has no window (built without the 'gui' feature)")
        }
        Command::Scan { input, json } => scan(&input, json),
        Command::Articles { input, json, with_text } => articles(&input, json, with_text),
        Command::Trends { input, terms, bucket, from, to, output } => {
            trends(&input, &terms, bucket, from, to, output.as_deref())
        }
    }
}

/// Imports with a progress bar on stderr (when it is a terminal), then lists skipped files there.
fn import_with_progress<T: Send>(
    input: &Input,
    count_only: Option<&Matcher>,
    map: impl Fn(Article) -> T + Sync,
    sink: impl FnMut(Vec<T>),
) -> Result<ImportReport> {
    let progress = ImportProgress::default();
    let options = ImportOptions { count_only: count_only.map(|m| std::sync::Arc::new(m.clone())), ..input.options() };
    let done = std::sync::atomic::AtomicBool::new(false);
    let report = std::thread::scope(|scope| {
        let bar_thread = std::io::stderr().is_terminal().then(|| {
            scope.spawn(|| {
                let bar = indicatif::ProgressBar::new_spinner();
                bar.set_style(
                    indicatif::ProgressStyle::with_template("{spinner} {msg} [{elapsed}]")
                        .unwrap_or_else(|_| indicatif::ProgressStyle::default_spinner()),
                );
                while !done.load(Ordering::Relaxed) {
                    let files = progress.files_done.load(Ordering::Relaxed);
                    let total = progress.files_found.load(Ordering::Relaxed);
                    let articles = progress.articles.load(Ordering::Relaxed);
                    let mb = progress.bytes_read.load(Ordering::Relaxed) as f64 / 1e6;
                    bar.set_message(format!("importing: {files}/{total} files, {articles} articles, {mb:.0} MB"));
                    bar.tick();
                    std::thread::sleep(Duration::from_millis(100));
                }
                bar.finish_and_clear();
            })
        });
        let result = ingest::import_each(&input.path, &options, &progress, map, sink);
        done.store(true, Ordering::Relaxed);
        if let Some(t) = bar_thread {
            let _ = t.join();
        }
        result
    })?;
    report_skipped(&report);
    Ok(report)
}

fn report_skipped(report: &ImportReport) {
    if report.skipped.is_empty() {
        return;
    }
    let mut err = std::io::stderr().lock();
    let _ = writeln!(
        err,
        "presswatch: skipped {} (listed below, the rest was imported):",
        plural(report.skipped.len(), "problem")
    );
    for s in &report.skipped {
        let _ = writeln!(err, "  skipped: {s}");
    }
}

fn plural(n: usize, word: &str) -> String {
    if n == 1 { format!("1 {word}") } else { format!("{n} {word}s") }
}

fn rfc3339(a: &Article) -> Option<String> {
    a.published.map(|p| p.to_rfc3339_opts(SecondsFormat::Secs, true))
}

fn scan(input: &Input, as_json: bool) -> Result<()> {
    let mut sources: BTreeMap<DateSource, usize> = BTreeMap::new();
    let mut range: Option<(NaiveDate, NaiveDate)> = None;
    let report = import_with_progress(
        input,
        None,
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

fn articles(input: &Input, as_json: bool, with_text: bool) -> Result<()> {
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    let mut write_error = None;
    let line = |a: Article| -> String {
        if as_json {
            let mut v = json!({
                "id": a.id.to_string(),
                "path": a.id.path,
                "title": a.title,
                "source": a.source,
                "url": a.url,
                "published": rfc3339(&a),
                "date_source": a.date_source.as_str(),
            });
            if with_text {
                v["text"] = a.text.into();
            }
            v.to_string()
        } else {
            let cell = |s: &str| s.replace(['\t', '\n', '\r'], " ");
            [
                cell(&a.id.to_string()),
                cell(&a.id.path.display().to_string()),
                cell(&a.title),
                cell(a.source.as_deref().unwrap_or("")),
                cell(a.url.as_deref().unwrap_or("")),
                rfc3339(&a).unwrap_or_default(),
                a.date_source.as_str().to_string(),
            ]
            .join("\t")
        }
    };
    import_with_progress(input, None, line, |chunk| {
        for l in chunk {
            if write_error.is_none()
                && let Err(e) = writeln!(out, "{l}")
            {
                write_error = Some(e);
            }
        }
    })?;
    if let Some(e) = write_error {
        return Err(e).context("cannot write to standard output");
    }
    out.flush()?;
    Ok(())
}

fn trends(
    input: &Input,
    terms: &[String],
    bucket: Bucket,
    from: Option<NaiveDate>,
    to: Option<NaiveDate>,
    output: Option<&Path>,
) -> Result<()> {
    let matcher = compile_terms(terms)?;
    let labels: Vec<String> = matcher.terms().iter().map(|t| t.label.clone()).collect();
    let mut day_totals: BTreeMap<NaiveDate, DayTotal> = BTreeMap::new();
    let mut per_term: Vec<BTreeMap<NaiveDate, DayCount>> = vec![BTreeMap::new(); labels.len()];
    import_with_progress(
        input,
        Some(&matcher),
        |a| {
            let day = a.published.map(|p| p.date_naive());
            // Undated articles never reach the time axis: skip counting them at all.
            let counts = if day.is_some() { matcher.count(&a.text) } else { Vec::new() };
            (day, a.date_source == DateSource::FileTime, counts)
        },
        |chunk| {
            for (day, file_time, counts) in chunk {
                let Some(day) = day else { continue };
                let t = day_totals.entry(day).or_default();
                t.articles += 1;
                t.file_time += u64::from(file_time);
                for (term, n) in counts.into_iter().enumerate().filter(|(_, n)| *n > 0) {
                    let c = per_term[term].entry(day).or_default();
                    c.mentions += u64::from(n);
                    c.articles += 1;
                }
            }
        },
    )?;
    let series: Vec<(String, BTreeMap<NaiveDate, DayCount>)> = labels.into_iter().zip(per_term).collect();
    let trends = Trends::build(bucket, from, to, &day_totals, &series);
    match output {
        Some(path) => {
            export::write_atomically(path, |w| export::write_trends(w, &trends))
                .with_context(|| format!("cannot write {}", path.display()))?;
            eprintln!("presswatch: wrote {} rows to {}", trends.periods.len() * trends.series.len(), path.display());
        }
        None => export::write_trends(std::io::stdout().lock(), &trends).context("cannot write to standard output")?,
    }
    Ok(())
}

fn compile_terms(terms: &[String]) -> Result<Matcher> {
    let parsed = terms
        .iter()
        .map(|t| crate::core::query::Term::parse(t).with_context(|| format!("invalid term {t:?}")))
        .collect::<Result<Vec<_>>>()?;
    Ok(Matcher::new(parsed)?)
}
