//! The command line: clap definitions here, one thin runner per subcommand beside it; they call
//! the engine and print.
//!
//! Results go to stdout, progress and skipped-file notices to stderr. Runners return
//! `anyhow::Result`; `main` turns an error into one line on stderr and exit code 2.

mod alerts;
mod articles;
mod cooccur;
mod duplicates;
mod entities;
mod index;
mod limits;
mod scan;
mod trends;

use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use anyhow::{Context, Result};
use chrono::NaiveDate;
use clap::{Args, Parser, Subcommand};

use crate::core::alerts::{AlertCount, AlertSettings};
use crate::core::article::Article;
use crate::core::cooccur::Order;
use crate::core::entities::EntityKind;
use crate::core::entities::aliases::AliasFile;
use crate::core::index::{Index, IndexOptions};
use crate::core::ingest::{self, ImportOptions, ImportProgress, ImportReport};
use crate::core::store::{Store, StoreError};
use crate::core::timeline::Bucket;

#[derive(Parser, Debug)]
#[command(
    name = "presswatch",
    version,
    about = "Count how often keywords and named entities are mentioned in news articles, over time.",
    long_about = "Presswatch imports a folder of news articles (text, Markdown, HTML, JSON, JSON Lines, \
RSS/Atom, any of them gzipped) and counts mentions of terms over time.\n\n\
Without a subcommand it opens the dashboard window on the last folder, or on the bundled sample-data/.",
    after_help = "Examples:\n  presswatch scan sample-data\n  presswatch trends sample-data -t Putin -t 'Central bank=central bank*|Nabiullina' --bucket week -o putin.csv\n  presswatch trends sample-data -q 'Summit=putin AND (trump OR biden)' -q 'kursk NEAR/10 offensive'\n  presswatch articles sample-data --json"
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
    /// Create or update PATH's store, so that later commands and the window open it at once,
    /// and print what was added, changed and removed.
    ///
    /// Example: presswatch index ~/news
    Index {
        /// Folder (searched recursively) or single file of articles.
        path: PathBuf,
        /// Print one JSON object instead of a summary.
        #[arg(long)]
        json: bool,
        /// Delete PATH's store instead (the articles are never touched).
        #[arg(long, conflicts_with = "json")]
        forget: bool,
        #[command(flatten)]
        limits: limits::LimitArgs,
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
    /// List every article: id, path, title, source (its outlet: a feed URL becomes its domain), url,
    /// published (RFC 3339, in the offset the source wrote it with), date_source; --json adds
    /// source_raw, the source as given, and date_detail, the rule that found the date.
    ///
    /// Example: presswatch articles ~/news --json --with-text
    Articles {
        #[command(flatten)]
        input: Input,
        /// Only the articles this query matches, each with its mentions (a last column; with
        /// --json a "mentions" field).
        #[arg(short = 'q', long = "query", value_name = "QUERY")]
        query: Option<String>,
        /// Print JSON Lines (one object per article) instead of tab-separated lines.
        #[arg(long)]
        json: bool,
        /// With --json: add each article's text (the text that is counted).
        #[arg(long)]
        with_text: bool,
        /// Count each story once: leave out syndicated copies (see `presswatch duplicates`) and
        /// give each original its copies (a last column with their number; with --json a
        /// "copies" field listing their ids).
        #[arg(long)]
        dedup: bool,
    },
    /// Count term and entity mentions per period and print CSV:
    /// period_start,term,mentions,articles,total_articles,share.
    ///
    /// Example: presswatch trends ~/news -t Putin -t 'Trump=Trump|Donald Trump' -e Kirillov --bucket week -o trends.csv
    Trends {
        #[command(flatten)]
        input: Input,
        #[command(flatten)]
        series: SeriesArgs,
        /// Period length.
        #[arg(long, value_enum, default_value_t = Bucket::Day)]
        bucket: Bucket,
        /// Split every series by source (the outlet: a feed URL becomes its domain), adding a
        /// `source` column: period_start,term,source,mentions,articles,total_articles,share.
        #[arg(long = "by", value_enum, value_name = "WHAT")]
        by: Option<SplitBy>,
        /// First day (YYYY-MM-DD) of the series; default: the first period with a dated article.
        #[arg(long, value_parser = parse_day)]
        from: Option<NaiveDate>,
        /// Last day (YYYY-MM-DD) of the series; default: the last period with a dated article.
        #[arg(long, value_parser = parse_day)]
        to: Option<NaiveDate>,
        /// Write the CSV to FILE (atomically) instead of stdout.
        #[arg(short = 'o', long = "output", value_name = "FILE")]
        output: Option<PathBuf>,
        /// Count each story once: syndicated copies (see `presswatch duplicates`) count
        /// neither in the series nor in total_articles (with `--by source`, in no outlet's).
        #[arg(long)]
        dedup: bool,
    },
    /// Periods in which a term, query or entity is unusually high against its own trailing
    /// baseline (14 days, 8 weeks or 6 months), by period: period, series, count, expected,
    /// p-value, top article. See the README for the method.
    ///
    /// Example: presswatch alerts ~/news -t Putin -e Kirillov --since 2024-12-01 --json
    Alerts {
        #[command(flatten)]
        input: Input,
        #[command(flatten)]
        series: SeriesArgs,
        /// Period length.
        #[arg(long, value_enum, default_value_t = Bucket::Day)]
        bucket: Bucket,
        /// Only alerts in the period holding this day (YYYY-MM-DD) or later; baselines still
        /// use the periods before it.
        #[arg(long, value_parser = parse_day)]
        since: Option<NaiveDate>,
        /// Print a JSON array of {"series", "period_start", "count", "expected", "p_value",
        /// "articles"} instead of a table.
        #[arg(long)]
        json: bool,
        /// Count each story once (see `trends --dedup`).
        #[arg(long)]
        dedup: bool,
        /// Flag a period whose probability of a count at least this high under its baseline is
        /// at most P.
        #[arg(long = "max-p", value_name = "P", default_value_t = AlertSettings::default().max_p_value)]
        max_p: f64,
        /// … and whose count is at least N.
        #[arg(long, value_name = "N", default_value_t = AlertSettings::default().min_count)]
        min_count: u64,
        /// A flagged period at most N periods after the series' previous one continues its
        /// event and raises no new alert.
        #[arg(long, value_name = "N", default_value_t = AlertSettings::default().cooldown)]
        cooldown: usize,
        /// Baseline length in periods [default: 14 days, 8 weeks, 6 months].
        #[arg(long, value_name = "N")]
        baseline: Option<usize>,
        /// What is counted per period.
        #[arg(long, value_enum, default_value_t = AlertCount::Articles)]
        count: AlertCount,
        /// Articles listed per alert (those with the most mentions, then in import order).
        #[arg(long, value_name = "N", default_value_t = AlertSettings::default().top_articles)]
        top: usize,
    },
    /// Syndicated copies: the stories published more than once (near-duplicate texts, MinHash
    /// and LSH over word shingles), each with its original (the earliest article) and copies.
    ///
    /// Example: presswatch duplicates ~/news --json
    Duplicates {
        #[command(flatten)]
        input: Input,
        /// Print a JSON array of {"original": id, "copies": [id, …]} instead of groups.
        #[arg(long)]
        json: bool,
    },
    /// The entities mentioned in the same articles as an entity, term or query, by shared articles
    /// (or lift): entity,type,articles,entity_articles,lift.
    ///
    /// Example: presswatch cooccur ~/news -e Putin --top 20 --sort lift --json
    Cooccur {
        #[command(flatten)]
        input: Input,
        /// The entity whose company to list.
        #[arg(short = 'e', long = "entity", value_name = "ENTITY", conflicts_with_all = ["term", "query"])]
        entity: Option<String>,
        /// The term whose articles to look in.
        #[arg(short = 't', long = "term", value_name = "TERM", conflicts_with = "query")]
        term: Option<String>,
        /// The query whose articles to look in.
        #[arg(short = 'q', long = "query", value_name = "QUERY")]
        query: Option<String>,
        /// Only the first N.
        #[arg(long, value_name = "N")]
        top: Option<usize>,
        /// By shared articles, or by lift (how many times more often than in all articles;
        /// entities sharing fewer than 3 articles come after those ranked by lift).
        #[arg(long, value_enum, default_value_t = Order::Articles)]
        sort: Order,
        /// Print a JSON array instead of CSV.
        #[arg(long)]
        json: bool,
        /// Only articles from this day on (YYYY-MM-DD); undated articles are then left out.
        #[arg(long, value_parser = parse_day)]
        from: Option<NaiveDate>,
        /// Only articles up to this day (YYYY-MM-DD).
        #[arg(long, value_parser = parse_day)]
        to: Option<NaiveDate>,
    },
    /// List the people, organisations and places mentioned, by mentions: entity,type,mentions,articles,aliases.
    ///
    /// Example: presswatch entities ~/news --top 20 --type per --json
    Entities {
        #[command(flatten)]
        input: Input,
        /// Only the N most mentioned entities.
        #[arg(long, value_name = "N")]
        top: Option<usize>,
        /// Only entities of this type.
        #[arg(long = "type", value_enum, value_name = "TYPE")]
        kind: Option<KindArg>,
        /// Print JSON (an array of entities; with --mentions, JSON Lines per article).
        #[arg(long)]
        json: bool,
        /// With --json: every mention per article, with character offsets into the article's text.
        #[arg(long)]
        mentions: bool,
        /// Alias file (JSON) that merges, renames, retypes and hides entities; see the README.
        #[arg(long, value_name = "FILE")]
        aliases: Option<PathBuf>,
        /// Write to FILE (atomically) instead of stdout.
        #[arg(short = 'o', long = "output", value_name = "FILE")]
        output: Option<PathBuf>,
    },
}

/// What `trends --by` splits series by.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum SplitBy {
    Source,
}

/// Entity types as the command line spells them.
#[derive(Clone, Copy, Debug, clap::ValueEnum)]
pub enum KindArg {
    Per,
    Org,
    Loc,
    Misc,
}

impl From<KindArg> for EntityKind {
    fn from(k: KindArg) -> Self {
        match k {
            KindArg::Per => EntityKind::Person,
            KindArg::Org => EntityKind::Organization,
            KindArg::Loc => EntityKind::Location,
            KindArg::Misc => EntityKind::Misc,
        }
    }
}

/// The series a command charts or watches: terms, queries and entities (`trends`, `alerts`).
#[derive(Args, Debug)]
pub struct SeriesArgs {
    /// A term: `[Label=]alternative | alternative …`; a trailing `*` makes the last word a prefix.
    /// Repeat for several terms, e.g. -t Putin -t 'Bank=central bank*'.
    #[arg(short = 't', long = "term", value_name = "TERM", required_unless_present_any = ["entities", "queries"])]
    terms: Vec<String>,
    /// A query: `[Label=]` then words, "phrases", prefix*, AND, OR, NOT, +required, -excluded,
    /// (groups), A NEAR/n B, A ONEAR/n B, title:, text:, source:"Name"; see the README.
    /// Repeat for several, e.g. -q 'Summit=putin AND (trump OR biden) NOT sport'.
    #[arg(short = 'q', long = "query", value_name = "QUERY")]
    queries: Vec<String>,
    /// An entity by canonical name or any of its alias forms, e.g. -e Putin charts "Vladimir Putin".
    /// In the CSV, terms come first, then queries, then entities.
    #[arg(short = 'e', long = "entity", value_name = "ENTITY")]
    entities: Vec<String>,
    /// Alias file (JSON) correcting the entity grouping; see the README.
    #[arg(long, value_name = "FILE")]
    aliases: Option<PathBuf>,
}

/// Arguments every importing command shares.
#[derive(Args, Debug)]
pub struct Input {
    /// Folder (searched recursively) or single file of articles.
    pub path: PathBuf,
    /// Date articles that carry no date of their own by their file's modification time (off by
    /// default: copied or downloaded files all carry the day they were copied).
    #[arg(long, overrides_with = "no_file_dates")]
    pub file_dates: bool,
    /// Leave articles without a date of their own undated (the default).
    #[arg(long, overrides_with = "file_dates")]
    pub no_file_dates: bool,
    /// Read the files even when PATH has a store (see `presswatch index`); the output is the same.
    #[arg(long)]
    pub no_store: bool,
    #[command(flatten)]
    pub limits: limits::LimitArgs,
}

impl Input {
    fn options(&self) -> ImportOptions {
        ImportOptions { no_file_dates: !self.file_dates, limits: self.limits.limits(), ..ImportOptions::default() }
    }

    /// PATH's store, brought up to date first, when it has one and `--no-store` is not given.
    /// A store that cannot be used is reported and the files are read instead.
    fn stored_index(&self, aliases: &AliasFile) -> Result<Option<Index>> {
        if self.no_store {
            return Ok(None);
        }
        let opened = match Store::open_existing(&self.path) {
            Ok(Some(opened)) => opened,
            // An unreadable folder is reported by the import that follows.
            Ok(None) | Err(StoreError::Folder { .. }) => return Ok(None),
            Err(e) => {
                eprintln!("presswatch: not using the stored data ({e}); reading the files");
                return Ok(None);
            }
        };
        if let Some(notice) = &opened.notice {
            eprintln!("presswatch: {notice}");
        }
        let store = opened.store;
        if store.writable() {
            match with_progress("updating the store", |progress| store.update(&self.options(), progress, None)) {
                Ok(update) if update.changed_anything() => {
                    eprintln!("presswatch: store updated: {}", index::summary(&update));
                }
                Ok(_) => {}
                Err(e) => {
                    // The store keeps its last state, which may be out of date: read the files.
                    eprintln!("presswatch: the stored data could not be brought up to date ({e}); reading the files");
                    return Ok(None);
                }
            }
        }
        let options = IndexOptions { no_file_dates: !self.file_dates, aliases: aliases.clone() };
        Ok(Some(Index::open(&store, &options)?))
    }

    /// PATH's index: its store when it has one (see [`Input::stored_index`]), else the files
    /// read now into a store held in memory. For commands that need every article again after
    /// the import (finding copies, listing an alert's articles). Lists skipped files.
    fn index(&self, aliases: &AliasFile) -> Result<Index> {
        let index = match self.stored_index(aliases)? {
            Some(index) => index,
            None => {
                let store = Store::in_memory(&self.path)?;
                with_progress("importing", |progress| store.update(&self.options(), progress, None))?;
                let options = IndexOptions { no_file_dates: !self.file_dates, aliases: aliases.clone() };
                Index::open(&store, &options)?
            }
        };
        report_skipped(&index.report);
        Ok(index)
    }
}

fn parse_day(s: &str) -> Result<NaiveDate, String> {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").map_err(|_| format!("expected a date like 2024-12-19, got {s:?}"))
}

/// Compiles a query from the command line; a syntax error names the column.
fn compile_query(text: &str) -> Result<crate::core::query::CompiledQuery> {
    crate::core::query::CompiledQuery::parse(text).with_context(|| format!("invalid query {text:?}"))
}

/// Runs a headless subcommand. `Open` is handled by `main`.
pub fn run(command: Command) -> Result<()> {
    match command {
        Command::Open { .. } => anyhow::bail!("this build has no window (built without the 'gui' feature)"),
        Command::Index { path, json, forget, limits } => index::index(&path, json, forget, &limits.limits()),
        Command::Cooccur { input, entity, term, query, top, sort, json, from, to } => cooccur::cooccur(
            &input,
            &cooccur::CooccurRequest {
                entity: entity.as_deref(),
                term: term.as_deref(),
                query: query.as_deref(),
                top,
                order: sort,
                json,
                from,
                to,
            },
        ),
        Command::Scan { input, json } => scan::scan(&input, json),
        Command::Articles { input, query, json, with_text, dedup } => {
            articles::articles(&input, query.as_deref(), json, with_text, dedup)
        }
        Command::Alerts {
            input,
            series: SeriesArgs { terms, queries, entities, aliases },
            bucket,
            since,
            json,
            dedup,
            max_p,
            min_count,
            cooldown,
            baseline,
            count,
            top,
        } => {
            let defaults = AlertSettings::default();
            let settings = AlertSettings {
                count,
                baseline_days: baseline.unwrap_or(defaults.baseline_days),
                baseline_weeks: baseline.unwrap_or(defaults.baseline_weeks),
                baseline_months: baseline.unwrap_or(defaults.baseline_months),
                max_p_value: max_p,
                min_count,
                cooldown,
                top_articles: top,
            };
            alerts::alerts(
                &input,
                &alerts::AlertsRequest {
                    terms: &terms,
                    queries: &queries,
                    entities: &entities,
                    aliases: aliases.as_deref(),
                    bucket,
                    since,
                    json,
                    dedup,
                    settings,
                },
            )
        }
        Command::Duplicates { input, json } => duplicates::duplicates(&input, json),
        Command::Trends {
            input,
            series: SeriesArgs { terms, queries, entities, aliases },
            bucket,
            by,
            from,
            to,
            output,
            dedup,
        } => trends::trends(
            &input,
            &trends::TrendsRequest {
                terms: &terms,
                queries: &queries,
                by_source: by == Some(SplitBy::Source),
                dedup,
                entities: &entities,
                aliases: aliases.as_deref(),
                bucket,
                from,
                to,
                output: output.as_deref(),
            },
        ),
        Command::Entities { input, top, kind, json, mentions, aliases, output } => entities::entities(
            &input,
            &entities::EntitiesRequest {
                top,
                kind: kind.map(EntityKind::from),
                json,
                mentions,
                aliases: aliases.as_deref(),
                output: output.as_deref(),
            },
        ),
    }
}

fn load_aliases(path: Option<&Path>) -> Result<AliasFile> {
    match path {
        Some(path) => Ok(AliasFile::load(path)?),
        None => Ok(AliasFile::default()),
    }
}

/// Imports with a progress bar on stderr (when it is a terminal), then lists skipped files there.
fn import_with_progress<T: Send>(
    path: &Path,
    options: &ImportOptions,
    map: impl Fn(Article) -> T + Sync,
    sink: impl FnMut(Vec<T>),
) -> Result<ImportReport> {
    let report = with_progress("importing", |progress| ingest::import_each(path, options, progress, map, sink))?;
    report_skipped(&report);
    Ok(report)
}

/// Runs `work` with a spinner on stderr (when it is a terminal) showing its progress counters.
fn with_progress<R>(what: &str, work: impl FnOnce(&ImportProgress) -> R) -> R {
    let progress = ImportProgress::default();
    let done = AtomicBool::new(false);
    std::thread::scope(|scope| {
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
                    bar.set_message(format!("{what}: {files}/{total} files, {articles} articles, {mb:.0} MB"));
                    bar.tick();
                    std::thread::sleep(Duration::from_millis(100));
                }
                bar.finish_and_clear();
            })
        });
        let result = work(&progress);
        done.store(true, Ordering::Relaxed);
        if let Some(t) = bar_thread {
            let _ = t.join();
        }
        result
    })
}

fn report_skipped(report: &ImportReport) {
    if report.skipped.is_empty() {
        return;
    }
    let mut err = std::io::stderr().lock();
    let _ = writeln!(
        err,
        "presswatch: skipped {} (listed below, the rest was imported):",
        crate::plural(report.skipped.len(), "problem")
    );
    for s in &report.skipped {
        let _ = writeln!(err, "  skipped: {s}");
    }
}
