//! Bringing a store up to date with its folder: walk it, compare every file with the stamp the
//! store recorded, read only new and changed files, drop the articles of files that are gone,
//! and commit. A first import is the same update on an empty store.
//!
//! A file is unchanged when its length and modification time are the recorded ones, unless that
//! time lay within [`RACY_NS`] of when the stamp was taken: a file written in that window may
//! change again without its time changing, so its content hash decides. A file whose time
//! changed but whose content did not (a `touch`, a copy) gets a fresh stamp and is not read
//! again, unless an article of it is dated by that time. A file with a date that was passed over
//! for lying in the future is read again once that date becomes plausible.
//!
//! Long imports commit every 20 seconds ([`commit_every`]), so an import that is cancelled or killed keeps
//! the files it finished and the next update goes on from there.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::atomic::Ordering;
use std::time::{Duration, Instant};

use chrono::{DateTime, Utc};

use super::schema::{self, DocKind, StoredFile};
use super::{STORE_FORMAT, Store, StoreError, StoreInfo};
use crate::core::article::{Article, DateSource};
use crate::core::entities::canonical::ArticleEntities;
use crate::core::entities::corpus::recognize_article;
use crate::core::ingest::{self, EXTRACTION_VERSION, FileImport, FileStamp, ImportOptions, ImportProgress};

/// A stamp taken this soon after the file's modification time is not conclusive.
const RACY_NS: i64 = 2_000_000_000;

/// How often a long import commits what it has finished. `PRESSWATCH_COMMIT_SECONDS` changes
/// it, so the crash test can kill a process in the middle of commits.
fn commit_every() -> Duration {
    let seconds = std::env::var("PRESSWATCH_COMMIT_SECONDS").ok().and_then(|s| s.parse::<f64>().ok());
    seconds.filter(|s| s.is_finite() && *s > 0.0).map_or(Duration::from_secs(20), Duration::from_secs_f64)
}

/// How an update reports progress: the walk counts the folder's files, then `files_found` is
/// reset to the files that are read and `files_done` counts those.
pub type UpdateProgress = ImportProgress;

/// What an update found and did.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct UpdateReport {
    pub added_files: usize,
    pub changed_files: usize,
    pub removed_files: usize,
    pub unchanged_files: usize,
    /// Files that changed while the update looked at them (still being written): left for the
    /// next check.
    pub unsettled_files: usize,
    pub articles_added: u64,
    pub articles_removed: u64,
    /// Up to [`MAX_LISTED`] of the files added, changed and removed, for people.
    pub listed: Vec<(Change, PathBuf)>,
    pub elapsed: Duration,
    pub cancelled: bool,
}

/// Files an [`UpdateReport`] names one by one, at most.
pub const MAX_LISTED: usize = 200;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Change {
    Added,
    Changed,
    Removed,
}

impl Change {
    pub fn as_str(self) -> &'static str {
        match self {
            Change::Added => "added",
            Change::Changed => "changed",
            Change::Removed => "removed",
        }
    }
}

impl UpdateReport {
    /// Whether the update changed the store.
    pub fn changed_anything(&self) -> bool {
        self.added_files + self.changed_files + self.removed_files > 0
    }

    fn list(&mut self, change: Change, path: &Path) {
        if self.listed.len() < MAX_LISTED {
            self.listed.push((change, path.to_path_buf()));
        }
    }
}

/// What the update does with one walked file.
enum Verdict {
    Unchanged,
    /// Same content under a new time: only the stamp is replaced.
    Touched(FileStamp),
    /// New or changed: read it.
    Read,
}

/// A write that fails with less free space than this on the store's disk failed for lack of it.
const DISK_NEARLY_FULL: u64 = 64 << 20;

/// A stamp for a file that could not be read: it never matches, so the file is tried again.
const UNREADABLE: FileStamp = FileStamp { len: u64::MAX, modified_ns: 0, hash: 0 };

impl Store {
    /// Brings the store up to date with its folder. `settle`: files to be read that were
    /// modified less than this long ago are looked at twice, [`SETTLE_PROBE`] apart, and left
    /// for a later update if they changed meanwhile (a watcher's setting: such a file may still
    /// be being written; `None` reads everything now).
    pub fn update(
        &self,
        options: &ImportOptions,
        progress: &UpdateProgress,
        settle: Option<Duration>,
    ) -> Result<UpdateReport, StoreError> {
        let started = Instant::now();
        let mut guard = self.writer.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        let Some(writer) = guard.as_mut() else {
            return Err(StoreError::ReadOnly);
        };
        let engine = |e: tantivy::TantivyError| self.engine_error(e);
        let snapshot = self.snapshot()?;
        let mut stored = snapshot.stored_files();
        let (files, walk_problems) = ingest::walk_folder(&self.root, progress)
            .map_err(|ingest::IngestError::Unreadable { path, error }| StoreError::Folder { path, error })?;
        let now = options.now;
        let now_ns = now.timestamp_nanos_opt().unwrap_or(i64::MAX);

        let mut report = UpdateReport::default();

        let mut to_read: Vec<PathBuf> = Vec::new();
        // Whether a stamp was replaced without reading its file.
        let mut touched = false;
        let mut known: HashMap<Vec<u8>, StoredFile> = HashMap::new();
        for path in files {
            if progress.cancelled() {
                break;
            }
            let key = self.key_of(&path);
            let previous = stored.remove(&key);
            match verdict(&path, previous.as_ref(), now_ns, options.limits.fingerprint()) {
                Verdict::Unchanged => report.unchanged_files += 1,
                Verdict::Touched(stamp) => {
                    report.unchanged_files += 1;
                    touched = true;
                    let Some(mut file) = previous else { continue };
                    file.stamp = stamp;
                    file.checked_ns = now_ns;
                    file.skipped = snapshot.file_skips(&key);
                    writer.delete_term(self.fields.file_key_term(&key));
                    writer.add_document(self.fields.file_doc(&key, &file)).map_err(engine)?;
                }
                Verdict::Read => {
                    if let Some(file) = previous {
                        known.insert(key, file);
                    }
                    to_read.push(path);
                }
            }
        }
        if progress.cancelled() {
            report.cancelled = true;
            report.elapsed = started.elapsed();
            return Ok(report);
        }
        if let Some(window) = settle {
            let unsettled = still_written(&mut to_read, now, window);
            report.unsettled_files = unsettled.len();
            // They keep their stored state until they are read.
            for path in unsettled {
                known.remove(&self.key_of(&path));
            }
        }
        // What is left was not found by the walk: deleted, renamed or now hidden.
        let mut removed: Vec<(Vec<u8>, StoredFile)> = stored.into_iter().collect();
        removed.sort_by(|a, b| a.0.cmp(&b.0));
        for (key, file) in removed {
            writer.delete_term(self.fields.path_term(&key));
            report.removed_files += 1;
            report.articles_removed += file.articles;
            report.list(Change::Removed, &schema::join(&self.root, &key));
        }
        let mut problems: Vec<(Vec<u8>, String)> =
            walk_problems.iter().map(|p| (self.key_of(&p.path), p.reason.clone())).collect();
        problems.sort();
        let problems_changed = problems != snapshot.walk_problems();
        if problems_changed {
            writer.delete_term(self.fields.kind_term(DocKind::WalkProblem));
            for (key, reason) in &problems {
                writer.add_document(self.fields.walk_problem_doc(key, reason)).map_err(engine)?;
            }
        }

        progress.files_found.store(to_read.len(), Ordering::Relaxed);
        progress.files_done.store(0, Ordering::Relaxed);
        // Everything a file may need later is stored: file dates are kept and left out when
        // counting if the user turned them off, and no record is skipped for counting's sake.
        // The caller's limits apply: what they keep out is noted, and read once they change.
        let import_options = ImportOptions { no_file_dates: false, now, count_only: None, limits: options.limits };
        let mut last_commit = Instant::now();
        let commit_every = commit_every();
        let mut failure: Option<StoreError> = None;
        ingest::import_files(
            &to_read,
            &import_options,
            progress,
            |article: Article| {
                let entities = recognize_article(&article);
                (article, entities)
            },
            |file: FileImport<(Article, ArticleEntities)>| {
                if failure.is_some() {
                    return;
                }
                let key = self.key_of(&file.path);
                match known.remove(&key) {
                    Some(previous) => {
                        writer.delete_term(self.fields.path_term(&key));
                        report.changed_files += 1;
                        report.articles_removed += previous.articles;
                        report.list(Change::Changed, &file.path);
                    }
                    None => {
                        report.added_files += 1;
                        report.list(Change::Added, &file.path);
                    }
                }
                let mut stored = StoredFile {
                    stamp: file.stamp.unwrap_or(UNREADABLE),
                    checked_ns: now_ns,
                    format: file.format,
                    articles: file.items.len() as u64,
                    skipped: file.skipped.into_iter().map(|s| s.reason).collect(),
                    limits: file.limited.then(|| options.limits.fingerprint()),
                    ..StoredFile::default()
                };
                for (article, entities) in &file.items {
                    stored.file_time |= article.date_source == DateSource::FileTime;
                    if let Some(at) = article.date_recheck.and_then(|d| d.timestamp_nanos_opt()) {
                        stored.recheck_ns = Some(stored.recheck_ns.map_or(at, |r| r.min(at)));
                    }
                    if let Err(e) = writer.add_document(self.fields.article_doc(&key, article, entities, now_ns)) {
                        failure = Some(engine(e));
                        return;
                    }
                }
                report.articles_added += stored.articles;
                if let Err(e) = writer.add_document(self.fields.file_doc(&key, &stored)) {
                    failure = Some(engine(e));
                    return;
                }
                if last_commit.elapsed() > commit_every {
                    if let Err(e) = self.commit(writer, now) {
                        failure = Some(e);
                    }
                    last_commit = Instant::now();
                }
            },
        );
        if let Some(e) = failure {
            return Err(self.failed(writer, e));
        }
        // A cancelled update keeps the files it finished (the rest is read next time).
        report.cancelled = progress.cancelled();
        // Committing nothing new would only make other readers reload.
        if report.changed_anything() || touched || problems_changed || self.info().is_none() {
            self.commit(writer, now).map_err(|e| self.failed(writer, e))?;
        }
        report.elapsed = started.elapsed();
        Ok(report)
    }

    /// After a failed write: drops what was not committed (the store keeps its last committed
    /// state), deletes the files the attempt left, and tells a full disk apart.
    fn failed(&self, writer: &mut tantivy::IndexWriter<tantivy::TantivyDocument>, error: StoreError) -> StoreError {
        let disk_full = self
            .location
            .as_ref()
            .is_some_and(|l| fs4::available_space(&l.dir).is_ok_and(|free| free < DISK_NEARLY_FULL));
        let _ = writer.rollback();
        let _ = writer.garbage_collect_files().wait();
        match (disk_full, &self.location) {
            (true, Some(location)) => StoreError::DiskFull(format!(
                "{} has less than {} MB free",
                location.dir.display(),
                DISK_NEARLY_FULL >> 20
            )),
            _ => error,
        }
    }

    fn commit(
        &self,
        writer: &mut tantivy::IndexWriter<tantivy::TantivyDocument>,
        now: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        let info = StoreInfo {
            format: STORE_FORMAT,
            extraction: EXTRACTION_VERSION,
            folder: self.location.as_ref().map_or_else(|| self.root.clone(), |l| l.folder.clone()),
            updated: now,
        };
        let mut prepared = writer.prepare_commit().map_err(|e| self.engine_error(e))?;
        prepared.set_payload(&serde_json::to_string(&info).unwrap_or_default());
        prepared.commit().map_err(|e| self.engine_error(e))?;
        Ok(())
    }

    /// A walked path's key: relative to the folder.
    fn key_of(&self, path: &Path) -> Vec<u8> {
        schema::path_key(path.strip_prefix(&self.root).unwrap_or(path))
    }
}

/// How long apart a recently modified file is looked at twice to see whether it is still
/// being written.
pub const SETTLE_PROBE: Duration = Duration::from_millis(250);

/// Takes out of `to_read` the files modified within `window` of `now` whose length or time
/// changes over [`SETTLE_PROBE`], and returns them.
fn still_written(to_read: &mut Vec<PathBuf>, now: DateTime<Utc>, window: Duration) -> Vec<PathBuf> {
    let look = |path: &Path| std::fs::metadata(path).ok().map(|m| (m.len(), FileStamp::modified_ns(&m)));
    let window_ns = i64::try_from(window.as_nanos()).unwrap_or(i64::MAX);
    let now_ns = now.timestamp_nanos_opt().unwrap_or(i64::MAX);
    let recent: Vec<(usize, Option<(u64, i64)>)> = to_read
        .iter()
        .enumerate()
        .map(|(i, path)| (i, look(path)))
        .filter(|(_, seen)| seen.is_some_and(|(_, modified)| now_ns.saturating_sub(modified) < window_ns))
        .collect();
    if recent.is_empty() {
        return Vec::new();
    }
    std::thread::sleep(SETTLE_PROBE);
    let moving: Vec<usize> =
        recent.into_iter().filter(|(i, seen)| look(&to_read[*i]) != *seen).map(|(i, _)| i).collect();
    let mut unsettled = Vec::new();
    for i in moving.into_iter().rev() {
        unsettled.push(to_read.remove(i));
    }
    unsettled
}

/// `limits`: the fingerprint of the limits this update reads with; a file some other limits kept
/// out (wholly or in part) is read again.
fn verdict(path: &Path, previous: Option<&StoredFile>, now_ns: i64, limits: u64) -> Verdict {
    let Ok(meta) = std::fs::metadata(path) else {
        // Gone since the walk, or unreadable: the import says which.
        return Verdict::Read;
    };
    let modified = FileStamp::modified_ns(&meta);
    let Some(previous) = previous else {
        return Verdict::Read;
    };
    if previous.recheck_ns.is_some_and(|at| at <= now_ns) || previous.limits.is_some_and(|l| l != limits) {
        return Verdict::Read;
    }
    let same_time = modified == previous.stamp.modified_ns;
    let racy = previous.checked_ns.saturating_sub(previous.stamp.modified_ns) < RACY_NS;
    if meta.len() != previous.stamp.len || (previous.file_time && !same_time) {
        return Verdict::Read;
    }
    if same_time && !racy {
        return Verdict::Unchanged;
    }
    if previous.stamp.hash == FileStamp::UNREAD {
        // Skipped unread for its size, so there is no hash to compare: reading it again skips it
        // again at once, where hashing it would read it all.
        return Verdict::Read;
    }
    match ingest::hash_file(path) {
        Some(stamp) if stamp.len == previous.stamp.len && stamp.hash == previous.stamp.hash => {
            Verdict::Touched(FileStamp { modified_ns: modified, ..stamp })
        }
        _ => Verdict::Read,
    }
}
