//! The persistent store of an opened folder: what an import extracted, kept on disk so that a
//! folder reopens without reading its files, and updated file by file as the folder changes.
//!
//! The engine is tantivy (segments, memory-mapped reads, crash-safe commits, delete by term).
//! It stores every article's metadata and text, indexes the text as our own words with their
//! positions ([`words`]), and keeps entity forms as terms whose frequencies are mention counts
//! ([`schema`]); a stamp per file (length, modification time, content hash) tells what changed
//! ([`update`]). Counting stays ours: [`Snapshot`] hands out postings and the index module runs
//! the same counting rules on them as on text. No tantivy type leaves this module.
//!
//! Where: one store per folder under the platform's data directory (`PRESSWATCH_DATA_DIR`
//! overrides it), keyed by the folder's canonical path; nothing is ever written into the folder.
//! One process writes at a time (tantivy's lock file, an OS lock that dies with its process, so
//! a killed writer leaves no stale lock); others open the store read-only. A commit either
//! happens whole or not at all, so a killed process leaves the previous or the new state. A
//! store from another store format or extraction version, or one that cannot be read, is
//! rebuilt, with a notice saying why.

mod read;
pub mod schema;
mod update;
pub mod watch;
pub mod words;

use std::path::{Path, PathBuf};
use std::sync::Mutex;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use tantivy::directory::MmapDirectory;
use tantivy::{Index, IndexReader, IndexWriter, ReloadPolicy, TantivyDocument};

pub use read::{FileSummary, Snapshot, WordPostings};
pub use update::{Change, UpdateProgress, UpdateReport};
pub use watch::FolderWatch;

use crate::core::ingest::EXTRACTION_VERSION;
use schema::Fields;

/// Bumped whenever the schema or the meaning of a stored field changes: older stores are rebuilt.
pub const STORE_FORMAT: u32 = 5;

/// The writer's indexing memory (tantivy flushes a segment when it is used up) and threads.
const WRITER_MEMORY: usize = 192 << 20;
const WRITER_THREADS: usize = 2;

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("the platform names no data directory for stores (set PRESSWATCH_DATA_DIR to a folder)")]
    NoDataDir,
    #[error("cannot read the folder {}: {error}", path.display())]
    Folder { path: PathBuf, error: std::io::Error },
    #[error("the disk is full: the stored data keeps its previous state ({0})")]
    DiskFull(String),
    #[error("the store at {} cannot be used: {detail}", dir.display())]
    Engine { dir: PathBuf, detail: String },
    #[error("this store is open read-only (another Presswatch is updating this folder)")]
    ReadOnly,
}

/// Where a folder's store lives.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StoreLocation {
    /// The store's own directory.
    pub dir: PathBuf,
    /// The folder it belongs to, canonical.
    pub folder: PathBuf,
}

impl StoreLocation {
    /// The store directory for `folder` in the platform's data directory (see [`data_dir`]),
    /// whether or not it exists yet.
    pub fn for_folder(folder: &Path) -> Result<StoreLocation, StoreError> {
        StoreLocation::in_data_dir(folder, &data_dir().ok_or(StoreError::NoDataDir)?)
    }

    /// The store directory for `folder` under `data_dir`.
    pub fn in_data_dir(folder: &Path, data_dir: &Path) -> Result<StoreLocation, StoreError> {
        let canonical =
            std::fs::canonicalize(folder).map_err(|error| StoreError::Folder { path: folder.to_path_buf(), error })?;
        let key = xxhash_rust::xxh3::xxh3_64(schema::path_key(&canonical).as_slice());
        Ok(StoreLocation { dir: data_dir.join("stores").join(format!("{key:016x}")), folder: canonical })
    }

    fn index_dir(&self) -> PathBuf {
        self.dir.join("index")
    }

    pub fn exists(&self) -> bool {
        self.index_dir().join("meta.json").is_file()
    }

    /// Bytes on disk.
    pub fn size(&self) -> u64 {
        walkdir::WalkDir::new(&self.dir)
            .into_iter()
            .filter_map(Result::ok)
            .filter_map(|e| e.metadata().ok())
            .filter(std::fs::Metadata::is_file)
            .map(|m| m.len())
            .sum()
    }

    /// Deletes the store. The folder itself is never touched.
    pub fn forget(&self) -> std::io::Result<()> {
        match std::fs::remove_dir_all(&self.dir) {
            Err(e) if e.kind() != std::io::ErrorKind::NotFound => Err(e),
            _ => Ok(()),
        }
    }
}

/// Where stores live: `PRESSWATCH_DATA_DIR`, else the platform's data directory
/// (`~/.local/share/presswatch` on Linux).
pub fn data_dir() -> Option<PathBuf> {
    if let Some(dir) = std::env::var_os("PRESSWATCH_DATA_DIR").filter(|d| !d.is_empty()) {
        return Some(PathBuf::from(dir));
    }
    directories::ProjectDirs::from("", "", "presswatch").map(|d| d.data_dir().to_path_buf())
}

/// What the store records with each commit (tantivy's commit payload), so a store made by a
/// different Presswatch is recognised and rebuilt.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
struct StoreInfo {
    format: u32,
    extraction: u32,
    folder: PathBuf,
    updated: DateTime<Utc>,
}

/// An opened store: the tantivy index, a reader, and the writer when this process may write.
pub struct Store {
    index: Index,
    fields: Fields,
    reader: IndexReader,
    writer: Mutex<Option<IndexWriter<TantivyDocument>>>,
    /// The folder as the caller named it: stored paths are relative to it, ids joined to it.
    root: PathBuf,
    location: Option<StoreLocation>,
}

/// A store just opened, and what the user should be told about it.
pub struct Opened {
    pub store: Store,
    /// "rebuilt because…", "read-only because…".
    pub notice: Option<String>,
}

impl Store {
    /// Opens `folder`'s store, creating it when there is none and rebuilding it when it is from
    /// another version or damaged. Read-only when another process holds the writer.
    pub fn open(folder: &Path) -> Result<Opened, StoreError> {
        Store::open_at(folder, StoreLocation::for_folder(folder)?)
    }

    /// [`Store::open`] with the store at `location`.
    pub fn open_at(folder: &Path, location: StoreLocation) -> Result<Opened, StoreError> {
        let (index, mut notice) = open_or_rebuild(&location)?;
        let mut store = Store::from_index(index, folder, Some(location))?;
        if !store.try_take_writer()? {
            notice = Some(
                "Another Presswatch is updating this folder's stored data: this one shows it read-only.".to_string(),
            );
        }
        Ok(Opened { store, notice })
    }

    /// Opens `folder`'s store if one exists (commands that only use a store when there is one).
    pub fn open_existing(folder: &Path) -> Result<Option<Opened>, StoreError> {
        let location = StoreLocation::for_folder(folder)?;
        if !location.exists() {
            return Ok(None);
        }
        Store::open(folder).map(Some)
    }

    /// A store in memory, for one session (tests, or when no data directory is usable).
    pub fn in_memory(folder: &Path) -> Result<Store, StoreError> {
        let (schema, _) = schema::build();
        let index = Index::create_in_ram(schema);
        let mut store = Store::from_index(index, folder, None)?;
        store.try_take_writer()?;
        Ok(store)
    }

    fn from_index(index: Index, root: &Path, location: Option<StoreLocation>) -> Result<Store, StoreError> {
        let dir = location.as_ref().map_or_else(PathBuf::new, |l| l.dir.clone());
        let engine = |e: tantivy::TantivyError| StoreError::Engine { dir: dir.clone(), detail: e.to_string() };
        index.tokenizers().register(schema::WORDS_TOKENIZER, words::WordTokenizer::default());
        let fields = fields_of(&index).map_err(|detail| StoreError::Engine { dir: dir.clone(), detail })?;
        let reader = index.reader_builder().reload_policy(ReloadPolicy::Manual).try_into().map_err(engine)?;
        Ok(Store { index, fields, reader, writer: Mutex::new(None), root: root.to_path_buf(), location })
    }

    /// Takes the writer lock if no other process holds it.
    fn try_take_writer(&mut self) -> Result<bool, StoreError> {
        match self.index.writer_with_num_threads(WRITER_THREADS, WRITER_MEMORY) {
            Ok(writer) => {
                *self.writer.get_mut().unwrap_or_else(std::sync::PoisonError::into_inner) = Some(writer);
                Ok(true)
            }
            Err(tantivy::TantivyError::LockFailure(..)) => Ok(false),
            Err(e) => Err(self.engine_error(e)),
        }
    }

    /// Waits for the segment merges tantivy started after the last commit, then gives up the
    /// writer (for a command about to exit: merges it drops are lost work).
    pub fn finish_merges(&self) {
        let writer = self.writer.lock().unwrap_or_else(std::sync::PoisonError::into_inner).take();
        if let Some(writer) = writer {
            // A failed merge leaves the segments as they were: nothing to report.
            let _ = writer.wait_merging_threads();
        }
    }

    pub fn writable(&self) -> bool {
        self.writer.lock().map(|w| w.is_some()).unwrap_or(false)
    }

    /// The folder as the caller named it.
    pub fn root(&self) -> &Path {
        &self.root
    }

    /// `None` for a store in memory.
    pub fn location(&self) -> Option<&StoreLocation> {
        self.location.as_ref()
    }

    /// When the store was last updated (committed); `None` before its first commit.
    pub fn updated(&self) -> Option<DateTime<Utc>> {
        self.info().map(|i| i.updated)
    }

    fn info(&self) -> Option<StoreInfo> {
        let metas = self.index.load_metas().ok()?;
        serde_json::from_str(metas.payload.as_deref()?).ok()
    }

    /// The committed state, as of the last update (of this or another process).
    pub fn snapshot(&self) -> Result<Snapshot, StoreError> {
        self.reader.reload().map_err(|e| self.engine_error(e))?;
        Ok(Snapshot::new(self.reader.searcher(), self.fields.clone(), self.root.clone()))
    }

    fn engine_error(&self, e: tantivy::TantivyError) -> StoreError {
        engine_error(self.location.as_ref(), e)
    }
}

fn engine_error(location: Option<&StoreLocation>, e: tantivy::TantivyError) -> StoreError {
    let detail = e.to_string();
    let full = |io: &std::io::Error| io.kind() == std::io::ErrorKind::StorageFull || io.raw_os_error() == Some(28);
    let disk_full = match &e {
        tantivy::TantivyError::IoError(io) => full(io),
        _ => detail.contains("No space left on device"),
    };
    if disk_full {
        return StoreError::DiskFull(detail);
    }
    StoreError::Engine { dir: location.map_or_else(PathBuf::new, |l| l.dir.clone()), detail }
}

/// The fields of an opened index, checked against the schema this version writes.
fn fields_of(index: &Index) -> Result<Fields, String> {
    let (expected, fields) = schema::build();
    let schema = index.schema();
    let same = expected.fields().count() == schema.fields().count()
        && expected.fields().all(|(field, entry)| schema.get_field_entry(field) == entry);
    if same { Ok(fields) } else { Err("its schema is not this version's".to_string()) }
}

/// Opens the store's index, or makes a new one: when there is none, when it comes from another
/// version, or when it cannot be read. Says why it rebuilt.
fn open_or_rebuild(location: &StoreLocation) -> Result<(Index, Option<String>), StoreError> {
    let dir = location.index_dir();
    let engine = |e: tantivy::TantivyError| engine_error(Some(location), e);
    let io = |e: std::io::Error| {
        if e.kind() == std::io::ErrorKind::StorageFull {
            StoreError::DiskFull(e.to_string())
        } else {
            StoreError::Engine { dir: location.dir.clone(), detail: e.to_string() }
        }
    };
    let mut notice = None;
    if location.exists() {
        match Index::open_in_dir(&dir)
            .map_err(|e| e.to_string())
            .and_then(|index| check(&index, location).map(|_| index))
        {
            Ok(index) => return Ok((index, None)),
            Err(why) => {
                notice = Some(format!("The stored data of {} {why}; it is rebuilt.", location.folder.display()));
                std::fs::remove_dir_all(&dir).map_err(io)?;
            }
        }
    }
    std::fs::create_dir_all(&dir).map_err(io)?;
    // A human-readable note of whose store this is, for someone looking into the data directory.
    let _ = std::fs::write(location.dir.join("folder.txt"), format!("{}\n", location.folder.display()));
    let (schema, _) = schema::build();
    let directory = MmapDirectory::open(&dir).map_err(|e| engine(e.into()))?;
    match Index::open_or_create(directory, schema) {
        Ok(index) => Ok((index, notice)),
        // Created earlier but never committed to, with another schema: start again.
        Err(tantivy::TantivyError::SchemaError(_)) => {
            std::fs::remove_dir_all(&dir).map_err(io)?;
            std::fs::create_dir_all(&dir).map_err(io)?;
            let (schema, _) = schema::build();
            Ok((Index::create_in_dir(&dir, schema).map_err(engine)?, notice))
        }
        Err(e) => Err(engine(e)),
    }
}

/// Whether an existing index is one this version can use: `Err` says why not.
fn check(index: &Index, location: &StoreLocation) -> Result<(), String> {
    fields_of(index).map_err(|why| format!("was made by another version of Presswatch ({why})"))?;
    let metas = index.load_metas().map_err(|e| format!("cannot be read ({e})"))?;
    let Some(payload) = metas.payload else {
        // Made but never committed to: nothing in it yet.
        return Ok(());
    };
    let info: StoreInfo = serde_json::from_str(&payload).map_err(|e| format!("has an unreadable description ({e})"))?;
    if info.format != STORE_FORMAT || info.extraction != EXTRACTION_VERSION {
        return Err(format!(
            "was made by another version of Presswatch (store format {}, extraction {}; this one writes {}, {})",
            info.format, info.extraction, STORE_FORMAT, EXTRACTION_VERSION
        ));
    }
    if info.folder != location.folder {
        return Err(format!("belongs to another folder ({})", info.folder.display()));
    }
    // Every segment must be readable: a damaged file shows here rather than in the middle of a count.
    let reader = index.reader().map_err(|e| format!("cannot be read ({e})"))?;
    let searcher = reader.searcher();
    for segment in searcher.segment_readers() {
        let _ = segment.get_store_reader(0).map_err(|e| format!("cannot be read ({e})"))?;
    }
    Ok(())
}
