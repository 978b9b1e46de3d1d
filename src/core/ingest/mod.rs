//! Turning files into articles: folder walk, format recognition, decoding, one parser per
//! format, and the date fallback chain.
//!
//! A bad file never stops an import: it is recorded as [`Skipped`] with a one-line reason and the
//! import carries on. Files are parsed in parallel (rayon) and each article is handed to the
//! caller's `map` as soon as it is parsed, so the caller decides what to keep: memory grows with
//! what it keeps per article, not with the bytes read. This module never counts or indexes.
//!
//! Any folder can be pointed at, so no input may hold an import up or exhaust memory: files past
//! the [`Limits`] are skipped with a reason, special files are never opened, every parser's work
//! is linear in its input, and each parse runs under a time [`budget`] that abandons it (and stops
//! it when the import is cancelled). A parser that panics costs its file, not the import.

pub mod budget;
pub mod dates;
pub mod decode;
pub mod feed;
pub mod flat_json;
pub mod fragment;
pub mod html;
pub mod html_bounds;
pub mod html_date;
pub mod json;
pub mod limits;
pub mod markdown;
pub mod raw_record;
pub mod repeated;
pub mod text;
mod walk;

pub use limits::Limits;

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::fmt;
use std::fs::{File, Metadata};
use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use chrono::{DateTime, FixedOffset, Utc};
use rayon::prelude::*;

use crate::core::article::{Article, ArticleId, DateSource, Format};
use crate::core::query::Matcher;

/// The version of what an import extracts: text, title, dates, sources and entities. Bump it
/// with any change that alters an import's output (the `extraction_version` test fails until
/// then): stores made with another version are rebuilt rather than mixed with new results.
pub const EXTRACTION_VERSION: u32 = 8;

/// What a format parser extracts before the importer settles the date.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct Draft {
    pub title: String,
    pub text: String,
    pub source: Option<String>,
    pub url: Option<String>,
    /// A metadata date still to be parsed (header, front matter, JSON field, feed).
    pub date_value: Option<String>,
    /// A metadata date already parsed (HTML meta tags, JSON-LD …), in the offset it was
    /// written with.
    pub date: Option<DateTime<FixedOffset>>,
    /// The rule or field that gave the metadata date (`json publishedAt`, `meta
    /// article:published_time`), for [`Article::date_detail`].
    pub date_detail: Option<Cow<'static, str>>,
    /// When a date the parser passed over for lying in the future becomes plausible (see
    /// [`Article::date_recheck`]).
    pub date_recheck: Option<DateTime<Utc>>,
}

#[derive(Clone, Debug)]
pub struct ImportOptions {
    /// Treat articles dated only by file modification time as undated. On by default: file
    /// dates are opt-in, because copied or downloaded files all carry the day they were copied.
    pub no_file_dates: bool,
    /// "Now" for the plausibility check (dates more than a day in the future are rejected).
    pub now: DateTime<Utc>,
    /// For callers that only count these terms: records that cannot mention any of them (judged
    /// on the raw record, before decoding) may arrive with only their date and its provenance,
    /// and `text_skipped` set: empty `text` and `title`, no source or URL. JSON Lines records
    /// that may mention them arrive with their text and date, without title, source or URL.
    pub count_only: Option<Arc<Matcher>>,
    /// File size, article size and time limits.
    pub limits: Limits,
}

impl Default for ImportOptions {
    fn default() -> Self {
        Self { no_file_dates: true, now: Utc::now(), count_only: None, limits: Limits::default() }
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
    /// Shared with the parses in progress (see [`budget`]), which stop within moments.
    pub cancel: Arc<AtomicBool>,
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
    // `error`, not `source`: the message already holds the reason, and a source would repeat it
    // in the error chain.
    #[error("cannot read {}: {error}", path.display())]
    Unreadable { path: PathBuf, error: std::io::Error },
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

/// Files read at once, ahead of the one `sink` waits for: the pool keeps busy past a slow file
/// (it holds up only its own slot), while memory stays bounded by this many files' results
/// however large the folder.
const FILES_IN_FLIGHT: usize = 32;

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
    let (files, walk_problems) = walk_folder(root, progress)?;
    let mut report = ImportReport { files_seen: files.len(), skipped: walk_problems, ..ImportReport::default() };
    import_files(&files, options, progress, map, |file| {
        report.add_file(&file);
        sink(file.items);
    });
    report.finish(progress, started);
    Ok(report)
}

/// Every file below `root` (or `root` itself when it is a file), sorted by path, and the entries
/// the walk could not read. Fails only when `root` itself cannot be read.
pub fn walk_folder(root: &Path, progress: &ImportProgress) -> Result<(Vec<PathBuf>, Vec<Skipped>), IngestError> {
    std::fs::metadata(root).map_err(|error| IngestError::Unreadable { path: root.to_path_buf(), error })?;
    let walked = walk::files(root, progress);
    progress.walk_finished.store(true, Ordering::Relaxed);
    Ok(walked)
}

/// What one file gave: its articles (as the caller mapped them), what was skipped and why, and
/// the stamp of the bytes that were read.
pub struct FileImport<T> {
    pub path: PathBuf,
    /// The format of its articles; `None` when none was imported.
    pub format: Option<Format>,
    pub items: Vec<T>,
    pub skipped: Vec<Skipped>,
    /// `None` when the file could not be read at all.
    pub stamp: Option<FileStamp>,
    /// Whether a [`Limits`] limit kept the file, or records of it, out: the same file may give
    /// more under other limits.
    pub limited: bool,
}

impl<T> FileImport<T> {
    fn skip(path: &Path, reason: impl Into<String>) -> Self {
        Self {
            path: path.to_path_buf(),
            format: None,
            items: Vec::new(),
            skipped: vec![Skipped { path: path.to_path_buf(), reason: reason.into() }],
            stamp: None,
            limited: false,
        }
    }

    /// A file skipped for a limit.
    fn limit(path: &Path, reason: String, stamp: Option<FileStamp>) -> Self {
        Self { stamp, limited: true, ..Self::skip(path, reason) }
    }
}

/// Why a file's bytes were not read, and whether a limit was the reason.
struct Refused {
    reason: String,
    limit: bool,
}

impl Refused {
    fn other(reason: impl Into<String>) -> Self {
        Self { reason: reason.into(), limit: false }
    }

    fn limit(reason: String) -> Self {
        Self { reason, limit: true }
    }
}

/// What an import read of one file, so that a store can tell later whether it changed: the
/// modification time and length it had, and a hash of exactly the bytes that were parsed
/// (before decompression). A file that changes while it is read gets a stamp that matches
/// neither version, so it is read again next time.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct FileStamp {
    /// Bytes read.
    pub len: u64,
    /// Modification time before reading, in nanoseconds since 1970 (0 when unknown).
    pub modified_ns: i64,
    /// XXH3-64 of the bytes read ([`FileStamp::UNREAD`] for a file skipped unread).
    pub hash: u64,
}

impl FileStamp {
    /// A file's modification time as stamps record it.
    pub fn modified_ns(meta: &std::fs::Metadata) -> i64 {
        meta.modified().ok().and_then(|t| DateTime::<Utc>::from(t).timestamp_nanos_opt()).unwrap_or(0)
    }

    fn of(meta: &std::fs::Metadata, bytes: &[u8]) -> Self {
        Self { len: bytes.len() as u64, modified_ns: Self::modified_ns(meta), hash: xxhash_rust::xxh3::xxh3_64(bytes) }
    }

    /// The stamp of a file skipped unread for its size: its length and time, and
    /// [`FileStamp::UNREAD`] for the hash of the content no one read.
    fn unread(meta: &std::fs::Metadata) -> Self {
        Self { len: meta.len(), modified_ns: Self::modified_ns(meta), hash: Self::UNREAD }
    }

    /// The hash of a file that was not read. A check of its content by hash reads it again
    /// rather than compare (where it is skipped again at once).
    pub const UNREAD: u64 = 0;
}

impl ImportReport {
    /// Counts one file's outcome.
    pub fn add_file<T>(&mut self, file: &FileImport<T>) {
        if let Some(format) = file.format {
            *self.articles_by_format.entry(format).or_default() += file.items.len();
        }
        self.skipped.extend(file.skipped.iter().cloned());
    }

    /// Sorts the skipped entries and records the end state.
    pub fn finish(&mut self, progress: &ImportProgress, started: Instant) {
        self.skipped.sort_by(|a, b| (&a.path, &a.reason).cmp(&(&b.path, &b.reason)));
        self.cancelled = progress.cancelled();
        self.elapsed = started.elapsed();
    }
}

/// Imports `files` (paths as the walk gave them), calling `map` on every article in parallel
/// and `sink` once per file, in the order of `files`. Once cancelled, files not yet read are
/// left out.
pub fn import_files<T, F>(
    files: &[PathBuf],
    options: &ImportOptions,
    progress: &ImportProgress,
    map: F,
    mut sink: impl FnMut(FileImport<T>),
) where
    T: Send,
    F: Fn(Article) -> T + Sync,
{
    // A helper thread hands files to the pool one by one, each as a slot frees up; this thread
    // puts the results back in order and sinks them (sinking a million articles at the end
    // would leave the pool idle meanwhile). A slot frees up when its file has been sunk.
    let (finished, results) = crossbeam_channel::unbounded::<(usize, Option<FileImport<T>>)>();
    let (free_slot, slots) = crossbeam_channel::bounded::<()>(FILES_IN_FLIGHT);
    for _ in 0..FILES_IN_FLIGHT {
        let _ = free_slot.send(());
    }
    let map = &map;
    std::thread::scope(|scope| {
        // `move`: the sender goes with the thread, so the loop below ends when the last file does.
        // The waiting for slots happens on this thread (`in_place_scope`), never on a pool
        // thread, which would then not be there to read the files.
        scope.spawn(move || {
            rayon::in_place_scope(|pool| {
                for (i, path) in files.iter().enumerate() {
                    if slots.recv().is_err() || progress.cancelled() {
                        break;
                    }
                    let finished = finished.clone();
                    pool.spawn(move |_| {
                        let outcome = (!progress.cancelled()).then(|| import_file(path, options, progress, map));
                        progress.files_done.fetch_add(1, Ordering::Relaxed);
                        // A file read while the import was cancelled may be cut short.
                        let _ = finished.send((i, outcome.filter(|_| !progress.cancelled())));
                    });
                }
            });
        });
        let mut waiting: BTreeMap<usize, Option<FileImport<T>>> = BTreeMap::new();
        let mut next = 0;
        for (i, outcome) in results.iter() {
            waiting.insert(i, outcome);
            while let Some(outcome) = waiting.remove(&next) {
                next += 1;
                let _ = free_slot.try_send(());
                if let Some(file) = outcome {
                    sink(file);
                }
            }
        }
    });
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

fn import_file<T, F>(path: &Path, options: &ImportOptions, progress: &ImportProgress, map: &F) -> FileImport<T>
where
    T: Send,
    F: Fn(Article) -> T + Sync,
{
    // A panic in a parser (ours or a library's) costs this file only. The hook has printed it.
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| read_file(path, options, progress, map))).unwrap_or_else(
        |panic| {
            let what = panic
                .downcast_ref::<&str>()
                .map(|s| s.to_string())
                .or_else(|| panic.downcast_ref::<String>().cloned())
                .unwrap_or_default();
            FileImport::skip(path, format!("internal error while reading the file, please report it ({what})"))
        },
    )
}

fn read_file<T, F>(path: &Path, options: &ImportOptions, progress: &ImportProgress, map: &F) -> FileImport<T>
where
    T: Send,
    F: Fn(Article) -> T + Sync,
{
    let (file, meta) = match open_regular(path) {
        Ok(opened) => opened,
        Err(reason) => return FileImport::skip(path, reason),
    };
    if meta.len() == 0 {
        return FileImport { stamp: Some(FileStamp::of(&meta, &[])), ..FileImport::skip(path, "empty file") };
    }
    let limits = &options.limits;
    if meta.len() > limits.max_file_bytes {
        // Never read: a store keeps this stamp, so an unchanged file is not tried again.
        return FileImport::limit(path, limits.file_too_large(Some(meta.len())), Some(FileStamp::unread(&meta)));
    }
    let facts = file_facts(path, &meta, options);
    let gz = path.extension().is_some_and(|e| e.eq_ignore_ascii_case("gz"));
    if extension_format(&facts.name) == Some(Format::JsonLines) {
        return import_json_lines(&facts, file, &meta, gz, options, progress, map);
    }
    let raw = match read_up_to(file, &meta, limits) {
        Ok(raw) => raw,
        Err(refused) => return FileImport { limited: refused.limit, ..FileImport::skip(path, refused.reason) },
    };
    let stamp = Some(FileStamp::of(&meta, &raw));
    let bytes = match decompress(raw, gz, limits) {
        Ok(bytes) => bytes,
        Err(refused) => return FileImport { stamp, limited: refused.limit, ..FileImport::skip(path, refused.reason) },
    };
    progress.bytes_read.fetch_add(bytes.len() as u64, Ordering::Relaxed);
    let (parsed, spent) =
        budget::within(limits.time_limit(), Some(&progress.cancel), || parse_bytes(&bytes, &facts, options));
    if spent.stopped.is_some() {
        // Cancelled: `import_files` leaves the file out anyway.
        return FileImport::limit(path, limits.too_slow(), stamp);
    }
    match parsed {
        Ok((format, articles)) => {
            let mut skipped = Vec::new();
            let mut articles: Vec<Article> = articles
                .into_iter()
                .filter(|article| {
                    let size = article.text.len() as u64;
                    if size <= limits.max_article_bytes {
                        return true;
                    }
                    let reason = limits.article_too_large(size);
                    let reason = match article.id.index {
                        Some(n) => format!("record {n}: {reason}"),
                        None => reason,
                    };
                    skipped.push(Skipped { path: path.to_path_buf(), reason });
                    false
                })
                .collect();
            progress.articles.fetch_add(articles.len(), Ordering::Relaxed);
            if options.count_only.is_none() {
                repeated::mark(&mut articles);
            }
            FileImport {
                path: path.to_path_buf(),
                format: (!articles.is_empty()).then_some(format),
                items: articles.into_iter().map(map).collect(),
                limited: !skipped.is_empty(),
                skipped,
                stamp,
            }
        }
        Err(reason) => FileImport { stamp, ..FileImport::skip(path, reason) },
    }
}

/// Opens `path` for reading if it is a regular file. FIFOs, sockets and devices are refused
/// unopened (opening a FIFO waits for a writer; a device may never end); on Unix the open itself
/// cannot block and the file is checked again once open, so one swapped in meanwhile is refused
/// as well.
pub fn open_regular(path: &Path) -> Result<(File, Metadata), String> {
    let cannot = |e: std::io::Error| format!("cannot read file ({e})");
    let special =
        |meta: &Metadata| special_kind(&meta.file_type()).map(|kind| format!("{kind}, not a regular file: not read"));
    let meta = std::fs::metadata(path).map_err(cannot)?;
    if let Some(reason) = special(&meta) {
        return Err(reason);
    }
    let mut open = std::fs::OpenOptions::new();
    open.read(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::custom_flags(&mut open, libc::O_NONBLOCK);
    let file = open.open(path).map_err(cannot)?;
    let meta = file.metadata().map_err(cannot)?;
    match special(&meta) {
        Some(reason) => Err(reason),
        None => Ok((file, meta)),
    }
}

/// What a file is when it is not a regular file or a folder (the walk descends into those).
pub fn special_kind(file_type: &std::fs::FileType) -> Option<&'static str> {
    if file_type.is_file() || file_type.is_dir() {
        return None;
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if file_type.is_fifo() {
            return Some("named pipe (FIFO)");
        }
        if file_type.is_socket() {
            return Some("socket");
        }
        if file_type.is_char_device() || file_type.is_block_device() {
            return Some("device");
        }
    }
    Some("special file")
}

/// A whole file, unless it has grown past the file size limit since `meta` was taken.
fn read_up_to(file: File, meta: &Metadata, limits: &Limits) -> Result<Vec<u8>, Refused> {
    let max = limits.max_file_bytes;
    let mut raw = Vec::with_capacity(usize::try_from(meta.len().min(max)).unwrap_or(0));
    file.take(max.saturating_add(1))
        .read_to_end(&mut raw)
        .map_err(|e| Refused::other(format!("cannot read file ({e})")))?;
    if raw.len() as u64 > max {
        return Err(Refused::limit(limits.file_too_large(None)));
    }
    Ok(raw)
}

/// The stamp of a file's current content, as the importer would take it, read in pieces; `None`
/// when it cannot be read (or is not a regular file).
pub fn hash_file(path: &Path) -> Option<FileStamp> {
    let (file, meta) = open_regular(path).ok()?;
    let mut reader = StampingReader::new(file);
    std::io::copy(&mut reader, &mut std::io::sink()).ok()?;
    Some(FileStamp { len: reader.len, modified_ns: FileStamp::modified_ns(&meta), hash: reader.hasher.digest() })
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

fn read_all(path: &Path, gz: bool, limits: &Limits) -> Result<Vec<u8>, String> {
    let (file, meta) = open_regular(path)?;
    if meta.len() > limits.max_file_bytes {
        return Err(limits.file_too_large(Some(meta.len())));
    }
    read_up_to(file, &meta, limits).and_then(|raw| decompress(raw, gz, limits)).map_err(|refused| refused.reason)
}

/// The bytes of a file as read, gunzipped when it is gzip data (as its name must say, or its
/// first bytes do), up to the file size limit.
fn decompress(raw: Vec<u8>, gz: bool, limits: &Limits) -> Result<Vec<u8>, Refused> {
    if gz || decode::is_gzip(&raw) {
        if !decode::is_gzip(&raw) {
            return Err(Refused::other("not gzip data despite the .gz name"));
        }
        let inner = decode::gunzip(&raw, limits.max_file_bytes).map_err(|e| match e {
            decode::GunzipError::TooLarge => Refused::limit(limits.file_too_large(None)),
            decode::GunzipError::Broken(reason) => Refused::other(reason),
        })?;
        if inner.is_empty() {
            return Err(Refused::other("empty file (after decompression)"));
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
    let text = decode::drop_stray_controls(decode::decode_text(bytes));
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
        text: crate::core::article::title_and_body(&title, &page.body, page.body_opens_with_heading),
        title,
        source: page.source,
        url: page.url,
        date_value: None,
        date: page.published,
        date_detail: page.date_detail.map(Cow::Owned),
        date_recheck: page.date_recheck,
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

/// What one JSON Lines task gives: mapped items, articles held for the block's repeated
/// sentences, skipped records, and whether a limit left records out.
type TaskOutput<T> = (Vec<T>, Vec<Article>, Vec<Skipped>, bool);

/// Streams a JSON Lines file (optionally gzipped) block by block, so a multi-gigabyte export is
/// never held in memory at once. Record numbers count non-empty lines, so ids survive edits to
/// blank lines.
fn import_json_lines<T, F>(
    facts: &FileFacts<'_>,
    file: File,
    meta: &std::fs::Metadata,
    gz: bool,
    options: &ImportOptions,
    progress: &ImportProgress,
    map: &F,
) -> FileImport<T>
where
    T: Send,
    F: Fn(Article) -> T + Sync,
{
    let path = facts.path;
    let limits = &options.limits;
    let file_len = if gz { None } else { Some(meta.len()) };
    let mut reader = if gz {
        JsonlSource::Gz(flate2::read::MultiGzDecoder::new(StampingReader::new(file)))
    } else {
        JsonlSource::Plain(StampingReader::new(file))
    };
    let mut outcome = FileImport {
        path: path.to_path_buf(),
        format: Some(Format::JsonLines),
        items: Vec::new(),
        skipped: Vec::new(),
        stamp: None,
        limited: false,
    };
    // A line may be as long as an article: a longer one is dropped as it is read, never held.
    let max_line = usize::try_from(limits.max_article_bytes).unwrap_or(usize::MAX);
    // One buffer for the whole file: complete lines are parsed, the unfinished tail is moved
    // to the front, and the buffer only grows when a single line is longer than it.
    let JsonlBuffers { mut block, mut lines } = JSONL_BUFFERS.with_borrow_mut(std::mem::take);
    block.resize(block.len().max(JSONL_BLOCK), 0);
    let mut filled = 0;
    let (mut line_no, mut record_no, mut total_read) = (0usize, 0usize, 0usize);
    // Bytes the (decompressing) reader gave: past the file size limit, the file is skipped.
    let mut inflated = 0u64;
    let mut too_large = false;
    // Inside a line longer than `max_line`, whose bytes are dropped up to its end.
    let mut dropping_line = false;
    loop {
        let mut at_end = false;
        while filled < block.len() {
            match reader.read(&mut block[filled..]) {
                Ok(0) => {
                    at_end = true;
                    break;
                }
                Ok(n) => {
                    filled += n;
                    inflated += n as u64;
                }
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
        if inflated > limits.max_file_bytes {
            too_large = true;
            break;
        }
        if dropping_line {
            match memchr::memchr(b'\n', &block[..filled]) {
                Some(i) => {
                    block.copy_within(i + 1..filled, 0);
                    filled -= i + 1;
                    dropping_line = false;
                }
                None => {
                    filled = 0;
                    if at_end {
                        break;
                    }
                    continue;
                }
            }
        }
        let data = &block[..filled];
        let complete = if at_end { filled } else { memchr::memrchr(b'\n', data).map_or(0, |i| i + 1) };
        if complete == 0 && !at_end {
            if filled > max_line {
                line_no += 1;
                record_no += 1;
                outcome.limited = true;
                outcome.skipped.push(Skipped {
                    path: path.to_path_buf(),
                    reason: format!("line {line_no}: {}", limits.line_too_long()),
                });
                filled = 0;
                dropping_line = true;
            } else {
                // A line longer than the buffer: make room and keep reading.
                block.resize(block.len() * 2, 0);
            }
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
            if end - start > max_line {
                outcome.limited = true;
                outcome.skipped.push(Skipped {
                    path: path.to_path_buf(),
                    reason: format!("line {line_no}: {}", limits.line_too_long()),
                });
                record_no += 1;
            } else if text[start..end].bytes().any(|b| !b.is_ascii_whitespace()) {
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
        // Imports that recognise entities hold the block's articles until its repeated sentences
        // are known; counting imports map each article at once.
        let hold = options.count_only.is_none();
        let parsed: Vec<TaskOutput<T>> = lines
            .par_chunks(LINES_PER_TASK)
            .map(|chunk| {
                // Counting callers judge the raw records first, with one prefilter pass per chunk.
                let ranges: Vec<(usize, usize)> = chunk.iter().map(|&(_, _, start, end)| (start, end)).collect();
                let may_mention = match &options.count_only {
                    Some(matcher) => raw_record::may_mention_each(matcher, &text, &ranges),
                    None => vec![true; chunk.len()],
                };
                let (mut items, mut held, mut skipped, mut limited) = if hold {
                    (Vec::new(), Vec::with_capacity(chunk.len()), Vec::new(), false)
                } else {
                    (Vec::with_capacity(chunk.len()), Vec::new(), Vec::new(), false)
                };
                // The task's own copy of the path for its articles' ids: sharing the file's one
                // would make both threads count references on one cache line, twice a record.
                let id_path: Arc<Path> = Arc::from(path);
                let skip = |line_no: usize, reason: String| Skipped {
                    path: path.to_path_buf(),
                    reason: format!("line {line_no}: {reason}"),
                };
                // One budget per task, its clock started again for every record.
                budget::within(limits.time_limit(), Some(&progress.cancel), || {
                    for (&(line_no, record_no, start, end), may_mention) in chunk.iter().zip(may_mention) {
                        budget::restart(limits.time_limit());
                        let id = || ArticleId::nth(id_path.clone(), record_no);
                        let article = json_line_article(&text[start..end], id, may_mention, facts, options);
                        match (budget::stop(), article) {
                            (Some(budget::Stop::Cancelled), _) => break,
                            (Some(budget::Stop::TimeLimit), _) => {
                                limited = true;
                                skipped.push(skip(line_no, limits.too_slow()));
                            }
                            (None, Ok(Some(article))) if article.text.len() as u64 > limits.max_article_bytes => {
                                limited = true;
                                skipped.push(skip(line_no, limits.article_too_large(article.text.len() as u64)));
                            }
                            (None, Ok(Some(article))) if hold => held.push(article),
                            (None, Ok(Some(article))) => items.push(map(article)),
                            (None, Ok(None)) => {}
                            (None, Err(reason)) => skipped.push(skip(line_no, reason)),
                        }
                    }
                });
                // Once per task: both threads counting every article would share one cache line.
                progress.articles.fetch_add(items.len() + held.len(), Ordering::Relaxed);
                (items, held, skipped, limited)
            })
            .collect();
        if let Some(len) = file_len.filter(|_| total_read == complete) {
            // Size the article list once from the first block's density instead of regrowing
            // (and copying) it as the file goes on.
            let per_byte = lines.len() as f64 / complete.max(1) as f64;
            outcome.items.reserve((per_byte * len as f64 * 1.02) as usize);
        }
        let mut articles = Vec::with_capacity(parsed.iter().map(|(_, held, ..)| held.len()).sum());
        for (items, held, skipped, limited) in parsed {
            outcome.items.extend(items);
            articles.extend(held);
            outcome.skipped.extend(skipped);
            outcome.limited |= limited;
        }
        if hold {
            // The block's records are compared with each other before they are mapped (the map
            // recognises entities), so a footer repeated across the block is known to each.
            repeated::mark(&mut articles);
            outcome.items.extend(articles.into_par_iter().with_min_len(LINES_PER_TASK).map(map).collect::<Vec<T>>());
        }
        if at_end {
            break;
        }
        drop(text);
        block.copy_within(complete..filled, 0);
        filled -= complete;
    }
    // A buffer grown for a very long line is not kept for the next file.
    if block.len() > 4 * JSONL_BLOCK {
        block = Vec::new();
    }
    JSONL_BUFFERS.set(JsonlBuffers { block, lines });
    if progress.cancelled() {
        // Cut short: `import_files` drops what this file gave, and the rest need not be read.
        return outcome;
    }
    outcome.stamp = Some(reader.finish(meta));
    if too_large {
        return FileImport::limit(path, limits.file_too_large(None), outcome.stamp);
    }
    if total_read == 0 && outcome.skipped.is_empty() {
        return FileImport { stamp: outcome.stamp, ..FileImport::skip(path, "empty file") };
    }
    if outcome.items.is_empty() && outcome.skipped.is_empty() {
        outcome.skipped.push(Skipped { path: path.to_path_buf(), reason: "no articles in file".to_string() });
    }
    if outcome.items.is_empty() {
        outcome.format = None;
    }
    outcome
}

/// A JSON Lines file as it is streamed, plain or gzipped, hashing the raw bytes on the way.
enum JsonlSource {
    Plain(StampingReader),
    Gz(flate2::read::MultiGzDecoder<StampingReader>),
}

impl Read for JsonlSource {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        match self {
            Self::Plain(r) => r.read(buf),
            Self::Gz(r) => r.read(buf),
        }
    }
}

impl JsonlSource {
    /// The stamp of the whole file: bytes a read error or a broken gzip stream left unread are
    /// hashed too, so an unchanged broken file keeps its stamp and is not read again.
    fn finish(self, meta: &std::fs::Metadata) -> FileStamp {
        let mut raw = match self {
            Self::Plain(r) => r,
            Self::Gz(r) => r.into_inner(),
        };
        // A read error here leaves a stamp that will not match: the file is read again next time.
        let _ = std::io::copy(&mut raw, &mut std::io::sink());
        FileStamp { len: raw.len, modified_ns: FileStamp::modified_ns(meta), hash: raw.hasher.digest() }
    }
}

/// Reads a file and hashes what passes through.
struct StampingReader {
    file: File,
    /// Boxed: the hash state is large next to the rest.
    hasher: Box<xxhash_rust::xxh3::Xxh3>,
    len: u64,
}

impl StampingReader {
    fn new(file: File) -> Self {
        Self { file, hasher: Box::default(), len: 0 }
    }
}

impl Read for StampingReader {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.file.read(buf)?;
        self.hasher.update(&buf[..n]);
        self.len += n as u64;
        Ok(n)
    }
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
    // A date passed over for lying in the future may be accepted later, and then win: note when.
    let mut recheck = draft.date_recheck;
    let mut plausible = |d: DateTime<FixedOffset>| {
        let d = d.with_timezone(&Utc);
        if facts.plausible.contain(d) {
            return true;
        }
        if let Some(at) = facts.plausible.accepts_from(d) {
            recheck = Some(recheck.map_or(at, |r: DateTime<Utc>| r.min(at)));
        }
        false
    };
    let metadata = draft
        .date
        .filter(|d| plausible(*d))
        .or_else(|| draft.date_value.as_deref().and_then(dates::parse_date_keep_offset).filter(|d| plausible(*d)));
    let (published, date_source, date_detail) = if let Some(d) = metadata {
        (Some(d), DateSource::Metadata, Some(draft.date_detail.unwrap_or(Cow::Borrowed("metadata"))))
    } else if let Some(d) = facts.name_date.map(|d| d.fixed_offset()).filter(|d| plausible(*d)) {
        (Some(d), DateSource::Filename, Some(Cow::Borrowed("file name")))
    } else if let Some(d) = dates::date_from_text(&draft.text).map(|d| d.fixed_offset()).filter(|d| plausible(*d)) {
        (Some(d), DateSource::Text, Some(Cow::Borrowed("text near the top")))
    } else if let Some(d) = facts.modified.map(|d| d.fixed_offset()).filter(|d| !options.no_file_dates && plausible(*d))
    {
        (Some(d), DateSource::FileTime, Some(Cow::Borrowed("file modification time")))
    } else {
        (None, DateSource::None, None)
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
        date_detail,
        date_recheck: recheck,
        text_skipped: false,
        repeated: Vec::new(),
    }
}

/// Reads one article again from its file, e.g. for the article viewer. Re-parses the whole file:
/// articles are not kept in memory after import.
pub fn load_article(id: &ArticleId, options: &ImportOptions) -> Result<Article, Skipped> {
    let skip = |reason: String| Skipped { path: id.path.to_path_buf(), reason };
    let meta = std::fs::metadata(&id.path).map_err(|e| skip(format!("cannot read file ({e})")))?;
    let facts = file_facts(&id.path, &meta, options);
    let gz = id.path.extension().is_some_and(|e| e.eq_ignore_ascii_case("gz"));
    let bytes = read_all(&id.path, gz, &options.limits).map_err(skip)?;
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

#[cfg(test)]
mod tests {
    use super::*;

    /// A store compares a file's stamp with a one-shot hash of its bytes: the streamed JSON
    /// Lines reader must hash the same way as a whole-file read.
    #[test]
    fn every_reader_stamps_the_raw_bytes_alike() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let jsonl = "{\"title\": \"A\", \"text\": \"x\"}\n{\"title\": \"B\", \"text\": \"y\"}\n";
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
        std::io::Write::write_all(&mut gz, jsonl.as_bytes()).unwrap_or_else(|e| panic!("{e}"));
        let gz = gz.finish().unwrap_or_else(|e| panic!("{e}"));
        let files: [(&str, &[u8]); 4] = [
            ("a.jsonl", jsonl.as_bytes()),
            ("b.jsonl.gz", &gz),
            ("c.txt", b"Title: T\n\nBody"),
            ("d.json", b"{\"title\": \"broken"),
        ];
        for (name, bytes) in files {
            let path = dir.path().join(name);
            std::fs::write(&path, bytes).unwrap_or_else(|e| panic!("{e}"));
            let file = import_file(&path, &ImportOptions::default(), &ImportProgress::default(), &|a: Article| a.id);
            let stamp = file.stamp.unwrap_or_else(|| panic!("{name} has no stamp"));
            assert_eq!((stamp.len, stamp.hash), (bytes.len() as u64, xxhash_rust::xxh3::xxh3_64(bytes)), "{name}");
        }
    }
}
