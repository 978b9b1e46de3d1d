//! Turning files into articles: folder walk, format recognition, decoding, one parser per
//! format, and the date fallback chain.
//!
//! A bad file never stops an import: it is recorded as [`Skipped`] with a one-line reason and the
//! import carries on. Files are parsed in parallel (rayon) and each article is handed to the
//! caller's `map` as soon as it is parsed, so the caller decides what to keep: memory grows with
//! what it keeps per article, not with the bytes read. This module never counts or indexes.

pub mod dates;
pub mod decode;
pub mod feed;
pub mod flat_json;
pub mod fragment;
pub mod html;
pub mod html_date;
pub mod json;
pub mod markdown;
pub mod raw_record;
pub mod text;
mod walk;

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::fmt;
use std::fs::File;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use chrono::{DateTime, Utc};
use rayon::prelude::*;

use crate::core::article::{Article, ArticleId, DateSource, Format};
use crate::core::query::Matcher;

/// What a format parser extracts before the importer settles the date.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct Draft {
    pub title: String,
    pub text: String,
    pub source: Option<String>,
    pub url: Option<String>,
    /// A metadata date still to be parsed (header, front matter, JSON field, feed).
    pub date_value: Option<String>,
    /// A metadata date already parsed (HTML meta tags, JSON-LD …).
    pub date: Option<DateTime<Utc>>,
}

#[derive(Clone, Debug)]
pub struct ImportOptions {
    /// Treat articles dated only by file modification time as undated.
    pub no_file_dates: bool,
    /// "Now" for the plausibility check (dates more than a day in the future are rejected).
    pub now: DateTime<Utc>,
    /// For callers that only count these terms: records that cannot mention any of them (judged
    /// on the raw record, before decoding) may arrive with only their date and its provenance,
    /// and `text_skipped` set: empty `text` and `title`, no source or URL. JSON Lines records
    /// that may mention them arrive with their text and date, without title, source or URL.
    pub count_only: Option<Arc<Matcher>>,
}

impl Default for ImportOptions {
    fn default() -> Self {
        Self { no_file_dates: false, now: Utc::now(), count_only: None }
    }
}

/// Live counters for a progress bar, and the cancel switch. Shared between the importing threads
/// and whoever displays progress.
#[derive(Debug, Default)]
pub struct ImportProgress {
    pub files_found: AtomicUsize,
    /// Set once the folder walk has finished, so `files_found` is the final total.
    pub walk_finished: AtomicBool,
    pub files_done: AtomicUsize,
    pub articles: AtomicUsize,
    pub bytes_read: AtomicU64,
    pub cancel: AtomicBool,
}

impl ImportProgress {
    pub fn cancelled(&self) -> bool {
        self.cancel.load(Ordering::Relaxed)
    }
}

/// A file (or a record inside one) that did not become an article, and why.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct Skipped {
    pub path: PathBuf,
    pub reason: String,
}

impl fmt::Display for Skipped {
    /// The reason first, the path last: `invalid JSON: EOF while parsing at line 1: data/x.json`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.reason, self.path.display())
    }
}

/// The summary of one import.
#[derive(Clone, Debug, Default)]
pub struct ImportReport {
    pub files_seen: usize,
    pub articles_by_format: BTreeMap<Format, usize>,
    /// Sorted by path, then reason.
    pub skipped: Vec<Skipped>,
    pub elapsed: Duration,
    pub cancelled: bool,
}

impl ImportReport {
    pub fn articles(&self) -> usize {
        self.articles_by_format.values().sum()
    }
}

/// Errors that stop an import before it starts. Everything after that is a [`Skipped`] entry.
#[derive(Debug, thiserror::Error)]
pub enum IngestError {
    #[error("cannot read {}: {source}", path.display())]
    Unreadable { path: PathBuf, source: std::io::Error },
}

/// What an import returns: the caller's per-article values in a deterministic order (files by
/// path, records by position), and the report.
pub struct Imported<T> {
    pub items: Vec<T>,
    pub report: ImportReport,
}

/// Imports a folder (recursively) or a single file, calling `map` on every article in parallel,
/// and returns every mapped value.
pub fn import<T, F>(
    root: &Path,
    options: &ImportOptions,
    progress: &ImportProgress,
    map: F,
) -> Result<Imported<T>, IngestError>
where
    T: Send,
    F: Fn(Article) -> T + Sync,
{
    let mut items = Vec::new();
    let report = import_each(root, options, progress, map, |chunk| items.extend(chunk))?;
    Ok(Imported { items, report })
}

/// Files are parsed in parallel this many at a time. A group's results reach `sink` in order
/// while the next group is parsed, and at most one finished group waits, so memory is bounded by
/// a few groups however large the folder.
const FILES_PER_GROUP: usize = 16;

/// Like [`import`], but hands the mapped values to `sink` file by file, in order (files by path,
/// records by position), so a caller can write them out without holding them all.
pub fn import_each<T, F>(
    root: &Path,
    options: &ImportOptions,
    progress: &ImportProgress,
    map: F,
    mut sink: impl FnMut(Vec<T>),
) -> Result<ImportReport, IngestError>
where
    T: Send,
    F: Fn(Article) -> T + Sync,
{
    let started = Instant::now();
    std::fs::metadata(root).map_err(|source| IngestError::Unreadable { path: root.to_path_buf(), source })?;
    let (files, mut skipped) = walk::files(root, progress);
    progress.walk_finished.store(true, Ordering::Relaxed);

    let mut report = ImportReport { files_seen: files.len(), ..ImportReport::default() };
    // The sink runs on this thread while a helper thread has the pool parse the next group:
    // sinking a million articles one by one at the end would leave the pool idle meanwhile.
    let (parsed, groups) = crossbeam_channel::bounded::<Vec<FileOutcome<T>>>(1);
    let (files, map) = (&files, &map);
    std::thread::scope(|scope| {
        // `move`: the sender goes with the thread, so the loop below ends when it does.
        scope.spawn(move || {
            for group in files.chunks(FILES_PER_GROUP) {
                if progress.cancelled() {
                    break;
                }
                let outcomes: Vec<FileOutcome<T>> = group
                    .par_iter()
                    .map(|path| {
                        let outcome = if progress.cancelled() {
                            FileOutcome::default()
                        } else {
                            import_file(path, options, progress, map)
                        };
                        progress.files_done.fetch_add(1, Ordering::Relaxed);
                        outcome
                    })
                    .collect();
                if parsed.send(outcomes).is_err() {
                    break;
                }
            }
        });
        for outcome in groups.iter().flatten() {
            if let Some(format) = outcome.format {
                *report.articles_by_format.entry(format).or_default() += outcome.items.len();
            }
            skipped.extend(outcome.skipped);
            sink(outcome.items);
        }
    });
    skipped.sort_by(|a, b| (&a.path, &a.reason).cmp(&(&b.path, &b.reason)));
    report.skipped = skipped;
    report.cancelled = progress.cancelled();
    report.elapsed = started.elapsed();
    Ok(report)
}

struct FileOutcome<T> {
    format: Option<Format>,
    items: Vec<T>,
    skipped: Vec<Skipped>,
}

impl<T> Default for FileOutcome<T> {
    fn default() -> Self {
        Self { format: None, items: Vec::new(), skipped: Vec::new() }
    }
}

impl<T> FileOutcome<T> {
    fn skip(path: &Path, reason: impl Into<String>) -> Self {
        Self { skipped: vec![Skipped { path: path.to_path_buf(), reason: reason.into() }], ..Self::default() }
    }
}

/// Facts about a file that every article from it shares.
struct FileFacts<'a> {
    path: &'a Path,
    /// The path the article ids of a whole-file parse share (JSON Lines tasks make their own).
    id_path: Arc<Path>,
    /// The dates [`dates::plausible`] accepts at the import's "now".
    plausible: dates::PlausibleDates,
    /// The file name without a trailing `.gz`, used for the extension and the file-name date.
    name: String,
    /// The date written in the file name, if any (computed once for all records of a file).
    name_date: Option<DateTime<Utc>>,
    modified: Option<DateTime<Utc>>,
}

impl FileFacts<'_> {
    fn stem(&self) -> &str {
        Path::new(&self.name).file_stem().and_then(|s| s.to_str()).unwrap_or(&self.name)
    }
}

fn import_file<T, F>(path: &Path, options: &ImportOptions, progress: &ImportProgress, map: &F) -> FileOutcome<T>
where
    T: Send,
    F: Fn(Article) -> T + Sync,
{
    let meta = match std::fs::metadata(path) {
        Ok(meta) => meta,
        Err(e) => return FileOutcome::skip(path, format!("cannot read file ({e})")),
    };
    if meta.len() == 0 {
        return FileOutcome::skip(path, "empty file");
    }
    let facts = file_facts(path, &meta, options);
    let gz = path.extension().is_some_and(|e| e.eq_ignore_ascii_case("gz"));
    if extension_format(&facts.name) == Some(Format::JsonLines) {
        return import_json_lines(&facts, gz, options, progress, map);
    }
    let bytes = match read_all(path, gz) {
        Ok(bytes) => bytes,
        Err(reason) => return FileOutcome::skip(path, reason),
    };
    progress.bytes_read.fetch_add(bytes.len() as u64, Ordering::Relaxed);
    match parse_bytes(&bytes, &facts, options) {
        Ok((format, articles)) => {
            progress.articles.fetch_add(articles.len(), Ordering::Relaxed);
            FileOutcome { format: Some(format), items: articles.into_iter().map(map).collect(), skipped: Vec::new() }
        }
        Err(reason) => FileOutcome::skip(path, reason),
    }
}

fn file_facts<'a>(path: &'a Path, meta: &std::fs::Metadata, options: &ImportOptions) -> FileFacts<'a> {
    let file_name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let name = match file_name.len().checked_sub(3) {
        Some(cut) if file_name.get(cut..).is_some_and(|e| e.eq_ignore_ascii_case(".gz")) => {
            file_name[..cut].to_string()
        }
        _ => file_name,
    };
    let name_date = dates::date_from_filename(&name);
    FileFacts {
        path,
        id_path: Arc::from(path),
        plausible: dates::PlausibleDates::until(options.now),
        name,
        name_date,
        modified: meta.modified().ok().map(DateTime::<Utc>::from),
    }
}

fn read_all(path: &Path, gz: bool) -> Result<Vec<u8>, String> {
    let raw = std::fs::read(path).map_err(|e| format!("cannot read file ({e})"))?;
    if gz || decode::is_gzip(&raw) {
        if !decode::is_gzip(&raw) {
            return Err("not gzip data despite the .gz name".to_string());
        }
        let inner = decode::gunzip(&raw)?;
        if inner.is_empty() {
            return Err("empty file (after decompression)".to_string());
        }
        return Ok(inner);
    }
    Ok(raw)
}

/// The format a file name promises, if its extension is one we know.
pub fn extension_format(name: &str) -> Option<Format> {
    let ext = Path::new(name).extension()?.to_str()?.to_ascii_lowercase();
    Some(match ext.as_str() {
        "txt" | "text" | "eml" => Format::Text,
        "md" | "markdown" => Format::Markdown,
        "html" | "htm" | "xhtml" | "shtml" => Format::Html,
        "json" => Format::Json,
        "jsonl" | "ndjson" => Format::JsonLines,
        "xml" | "rss" | "atom" => Format::Feed,
        _ => return None,
    })
}

/// Recognises a format from the first characters of decoded text.
fn sniff_format(text: &str) -> Option<Format> {
    let head: String = text.trim_start_matches('\u{feff}').trim_start().chars().take(1024).collect();
    let lower = head.to_ascii_lowercase();
    if lower.starts_with('{') {
        let lines = text.lines().filter(|l| !l.trim().is_empty()).take(3).collect::<Vec<_>>();
        let each_line_object =
            lines.len() > 1 && lines.iter().all(|l| l.trim_start().starts_with('{') && l.trim_end().ends_with('}'));
        return Some(if each_line_object { Format::JsonLines } else { Format::Json });
    }
    if lower.starts_with('[') {
        return Some(Format::Json);
    }
    if lower.starts_with("<!doctype html") || lower.starts_with("<html") {
        return Some(Format::Html);
    }
    if lower.starts_with('<') {
        if lower.contains("<rss") || lower.contains("<feed") || lower.contains("<rdf:rdf") {
            return Some(Format::Feed);
        }
        if lower.contains("<html") || lower.contains("<head") || lower.contains("<body") {
            return Some(Format::Html);
        }
    }
    if lower.starts_with("---\n") || lower.starts_with("---\r\n") {
        return Some(Format::Markdown);
    }
    decode::looks_like_text(text).then_some(Format::Text)
}

/// Parses a whole (decompressed) file into articles with settled dates.
fn parse_bytes(bytes: &[u8], facts: &FileFacts<'_>, options: &ImportOptions) -> Result<(Format, Vec<Article>), String> {
    if let Some(kind) = decode::binary_kind(bytes) {
        return Err(format!("not an article ({kind})"));
    }
    let text = decode::decode_text(bytes);
    if text.trim().is_empty() {
        return Err("empty file (only white space)".to_string());
    }
    let format = match extension_format(&facts.name) {
        Some(format) => format,
        None => sniff_format(&text).ok_or("not an article (unrecognised binary or non-text content)")?,
    };
    let mut single_article = false;
    let drafts = match format {
        Format::Text => vec![text::parse_text(&text, facts.stem())],
        Format::Markdown => vec![markdown::parse_markdown(&text, facts.stem())],
        Format::Html => vec![html_draft(&text, facts.stem())?],
        Format::Json => {
            let (drafts, single_object) = json::parse_json_document(&text)?;
            single_article = single_object;
            drafts
        }
        Format::JsonLines => json_lines_drafts(&text, facts.path).0,
        Format::Feed => feed::parse_feed(&text)?,
    };
    if drafts.is_empty() {
        return Err("no articles in file".to_string());
    }
    let single =
        single_article || (drafts.len() == 1 && !matches!(format, Format::Json | Format::JsonLines | Format::Feed));
    let articles = drafts
        .into_iter()
        .enumerate()
        .map(|(i, draft)| {
            let id = if single {
                ArticleId::single(facts.id_path.clone())
            } else {
                ArticleId::nth(facts.id_path.clone(), i)
            };
            settle(draft, id, format, facts, options)
        })
        .collect();
    Ok((format, articles))
}

fn html_draft(text: &str, stem: &str) -> Result<Draft, String> {
    let page = html::parse_html(text)?;
    let title = page.title.unwrap_or_else(|| stem.to_string());
    Ok(Draft {
        text: crate::core::article::title_and_body(&title, &page.body),
        title,
        source: page.source,
        url: page.url,
        date_value: None,
        date: page.published,
    })
}

/// Every record of a JSON Lines text, with the problems of the lines that failed.
fn json_lines_drafts(text: &str, path: &Path) -> (Vec<Draft>, Vec<Skipped>) {
    let mut drafts = Vec::new();
    let mut problems = Vec::new();
    for (n, line) in text.lines().enumerate().filter(|(_, l)| !l.trim().is_empty()) {
        match json::parse_record(line) {
            Ok(Some(d)) => drafts.push(d),
            Ok(None) => {}
            Err(reason) => {
                problems.push(Skipped { path: path.to_path_buf(), reason: format!("line {}: {reason}", n + 1) })
            }
        }
    }
    (drafts, problems)
}

/// JSON Lines are read in blocks of about this many bytes; the complete lines of a block are
/// parsed in parallel, so one huge file still uses every core.
const JSONL_BLOCK: usize = 4 << 20;
/// The buffers of the last JSON Lines file a thread read, reused by the next: fresh memory of
/// this size costs the kernel a page-clearing fault per page.
#[derive(Default)]
struct JsonlBuffers {
    block: Vec<u8>,
    /// Per complete line of a block: line number, record number, start and end byte.
    lines: Vec<(usize, usize, usize, usize)>,
}

thread_local! {
    static JSONL_BUFFERS: std::cell::RefCell<JsonlBuffers> = std::cell::RefCell::new(JsonlBuffers::default());
}
/// Lines per parallel task: enough to amortise the per-task work (one prefilter pass), few
/// enough to balance the cores.
const LINES_PER_TASK: usize = 256;

/// Streams a JSON Lines file (optionally gzipped) block by block, so a multi-gigabyte export is
/// never held in memory at once. Record numbers count non-empty lines, so ids survive edits to
/// blank lines.
fn import_json_lines<T, F>(
    facts: &FileFacts<'_>,
    gz: bool,
    options: &ImportOptions,
    progress: &ImportProgress,
    map: &F,
) -> FileOutcome<T>
where
    T: Send,
    F: Fn(Article) -> T + Sync,
{
    let path = facts.path;
    let file = match File::open(path) {
        Ok(f) => f,
        Err(e) => return FileOutcome::skip(path, format!("cannot read file ({e})")),
    };
    let file_len = if gz { None } else { file.metadata().ok().map(|m| m.len()) };
    let mut reader: Box<dyn Read> = if gz { Box::new(flate2::read::MultiGzDecoder::new(file)) } else { Box::new(file) };
    let mut outcome = FileOutcome { format: Some(Format::JsonLines), ..FileOutcome::default() };
    // One buffer for the whole file: complete lines are parsed, the unfinished tail is moved
    // to the front, and the buffer only grows when a single line is longer than it.
    let JsonlBuffers { mut block, mut lines } = JSONL_BUFFERS.with_borrow_mut(std::mem::take);
    block.resize(block.len().max(JSONL_BLOCK), 0);
    let mut filled = 0;
    let (mut line_no, mut record_no, mut total_read) = (0usize, 0usize, 0usize);
    loop {
        let mut at_end = false;
        while filled < block.len() {
            match reader.read(&mut block[filled..]) {
                Ok(0) => {
                    at_end = true;
                    break;
                }
                Ok(n) => filled += n,
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
                Err(e) => {
                    let what = if gz { "broken gzip data" } else { "read error" };
                    outcome.skipped.push(Skipped {
                        path: path.to_path_buf(),
                        reason: format!("{what} after line {line_no} ({e})"),
                    });
                    at_end = true;
                    break;
                }
            }
        }
        let data = &block[..filled];
        let complete = if at_end { filled } else { memchr::memrchr(b'\n', data).map_or(0, |i| i + 1) };
        if complete == 0 && !at_end {
            // A line longer than the buffer: make room and keep reading.
            block.resize(block.len() * 2, 0);
            continue;
        }
        total_read += complete;
        // Validating a whole block at once is much faster than line by line; a block with bad
        // bytes falls back to lossy decoding of its lines.
        let text: Cow<'_, str> = match simdutf8::basic::from_utf8(&data[..complete]) {
            Ok(valid) => Cow::Borrowed(valid),
            Err(_) => String::from_utf8_lossy(&data[..complete]),
        };
        lines.clear();
        let mut start = 0;
        for end in memchr::memchr_iter(b'\n', text.as_bytes()).chain([text.len()]) {
            if start >= text.len() {
                break;
            }
            line_no += 1;
            if text[start..end].bytes().any(|b| !b.is_ascii_whitespace()) {
                lines.push((line_no, record_no, start, end));
                record_no += 1;
            }
            start = end + 1;
        }
        if progress.cancelled() {
            break;
        }
        progress.bytes_read.fetch_add(complete as u64, Ordering::Relaxed);
        // One vector of values per task, in order: small allocations the allocator recycles,
        // where one vector for the block would be a large one, mapped and unmapped every block.
        let parsed: Vec<(Vec<T>, Vec<Skipped>)> = lines
            .par_chunks(LINES_PER_TASK)
            .map(|chunk| {
                // Counting callers judge the raw records first, with one prefilter pass per chunk.
                let ranges: Vec<(usize, usize)> = chunk.iter().map(|&(_, _, start, end)| (start, end)).collect();
                let may_mention = match &options.count_only {
                    Some(matcher) => raw_record::may_mention_each(matcher, &text, &ranges),
                    None => vec![true; chunk.len()],
                };
                let (mut items, mut skipped) = (Vec::with_capacity(chunk.len()), Vec::new());
                // The task's own copy of the path for its articles' ids: sharing the file's one
                // would make both threads count references on one cache line, twice a record.
                let id_path: Arc<Path> = Arc::from(path);
                for (&(line_no, record_no, start, end), may_mention) in chunk.iter().zip(may_mention) {
                    let id = || ArticleId::nth(id_path.clone(), record_no);
                    match json_line_article(&text[start..end], id, may_mention, facts, options) {
                        Ok(Some(article)) => items.push(map(article)),
                        Ok(None) => {}
                        Err(reason) => skipped
                            .push(Skipped { path: path.to_path_buf(), reason: format!("line {line_no}: {reason}") }),
                    }
                }
                // Once per task: both threads counting every article would share one cache line.
                progress.articles.fetch_add(items.len(), Ordering::Relaxed);
                (items, skipped)
            })
            .collect();
        if let Some(len) = file_len.filter(|_| total_read == complete) {
            // Size the article list once from the first block's density instead of regrowing
            // (and copying) it as the file goes on.
            let per_byte = lines.len() as f64 / complete.max(1) as f64;
            outcome.items.reserve((per_byte * len as f64 * 1.02) as usize);
        }
        for (items, skipped) in parsed {
            outcome.items.extend(items);
            outcome.skipped.extend(skipped);
        }
        if at_end {
            break;
        }
        drop(text);
        block.copy_within(complete..filled, 0);
        filled -= complete;
    }
    JSONL_BUFFERS.set(JsonlBuffers { block, lines });
    if total_read == 0 && outcome.skipped.is_empty() {
        return FileOutcome::skip(path, "empty file");
    }
    if outcome.items.is_empty() && outcome.skipped.is_empty() {
        outcome.skipped.push(Skipped { path: path.to_path_buf(), reason: "no articles in file".to_string() });
    }
    if outcome.items.is_empty() {
        outcome.format = None;
    }
    outcome
}

/// One JSON Lines record as an article. A record that cannot mention any term of
/// [`ImportOptions::count_only`] and is dated by metadata or file name is imported with its date
/// only; one that can, with its text and date.
fn json_line_article(
    line: &str,
    id: impl Fn() -> ArticleId,
    may_mention: bool,
    facts: &FileFacts<'_>,
    options: &ImportOptions,
) -> Result<Option<Article>, String> {
    if !may_mention && let Some(draft) = json::parse_record_date(line)? {
        let article = settle(draft, id(), Format::JsonLines, facts, options);
        // Without a metadata or file-name date the text must be read for a dateline.
        if matches!(article.date_source, DateSource::Metadata | DateSource::Filename) {
            return Ok(Some(Article { text_skipped: true, ..article }));
        }
    }
    let draft = if options.count_only.is_some() { json::parse_record_text(line)? } else { json::parse_record(line)? };
    Ok(draft.map(|d| settle(d, id(), Format::JsonLines, facts, options)))
}

/// Applies the date precedence: metadata → file name → text → file time → none.
fn settle(draft: Draft, id: ArticleId, format: Format, facts: &FileFacts<'_>, options: &ImportOptions) -> Article {
    let plausible = |d: &DateTime<Utc>| facts.plausible.contain(*d);
    let metadata = draft
        .date
        .filter(plausible)
        .or_else(|| draft.date_value.as_deref().and_then(dates::parse_date).filter(plausible));
    let (published, date_source) = if let Some(d) = metadata {
        (Some(d), DateSource::Metadata)
    } else if let Some(d) = facts.name_date.filter(plausible) {
        (Some(d), DateSource::Filename)
    } else if let Some(d) = dates::date_from_text(&draft.text).filter(plausible) {
        (Some(d), DateSource::Text)
    } else if let Some(d) = facts.modified.filter(|d| !options.no_file_dates && plausible(d)) {
        (Some(d), DateSource::FileTime)
    } else {
        (None, DateSource::None)
    };
    Article {
        id,
        format,
        title: draft.title.trim().to_string(),
        text: draft.text,
        source: draft.source.map(|s| s.trim().to_string()).filter(|s| !s.is_empty()),
        url: draft.url.map(|s| s.trim().to_string()).filter(|s| !s.is_empty()),
        published,
        date_source,
        text_skipped: false,
    }
}

/// Reads one article again from its file, e.g. for the article viewer. Re-parses the whole file:
/// articles are not kept in memory after import.
pub fn load_article(id: &ArticleId, options: &ImportOptions) -> Result<Article, Skipped> {
    let skip = |reason: String| Skipped { path: id.path.to_path_buf(), reason };
    let meta = std::fs::metadata(&id.path).map_err(|e| skip(format!("cannot read file ({e})")))?;
    let facts = file_facts(&id.path, &meta, options);
    let gz = id.path.extension().is_some_and(|e| e.eq_ignore_ascii_case("gz"));
    let bytes = read_all(&id.path, gz).map_err(skip)?;
    if extension_format(&facts.name) == Some(Format::JsonLines) {
        let text = decode::decode_text(&bytes);
        let wanted = id.index.unwrap_or(0) as usize;
        let line = text
            .lines()
            .filter(|l| !l.trim().is_empty())
            .nth(wanted)
            .ok_or_else(|| skip(format!("record {wanted} no longer exists")))?;
        let draft = json::parse_record(line).map_err(skip)?.ok_or_else(|| skip("record holds no article".into()))?;
        return Ok(settle(draft, id.clone(), Format::JsonLines, &facts, options));
    }
    let (_, articles) = parse_bytes(&bytes, &facts, options).map_err(skip)?;
    articles
        .into_iter()
        .find(|a| a.id == *id)
        .ok_or_else(|| skip(format!("record {} no longer exists", id.index.unwrap_or(0))))
}
