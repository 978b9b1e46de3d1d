//! The store as a user relies on it: after any sequence of changes to a folder, an update gives
//! exactly what a fresh import gives (articles, counts, trends, entities, skipped files), and a
//! store that is killed, outdated, damaged or locked by another process is handled, never a
//! crash. Stores live in temporary directories, never in the user's data directory.

#![allow(clippy::unwrap_used)] // tests: a panic is the failure report

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

use presswatch::core::index::{Index, IndexOptions};
use presswatch::core::ingest::{ImportOptions, ImportProgress};
use presswatch::core::query::Matcher;
use presswatch::core::store::{Store, StoreLocation};
use presswatch::core::timeline::Bucket;
use proptest::prelude::*;

const PEOPLE: [&str; 6] =
    ["Vladimir Putin", "Donald Trump", "Elvira Nabiullina", "Igor Kirillov", "Bashar al-Assad", "Olaf Scholz"];
const PLACES: [&str; 5] = ["Moscow", "Damascus", "Kursk", "Riyadh", "Berlin"];
const TERMS: [&str; 5] = ["putin", "Trump | Donald Trump", "mosc*", "the", "central bank*"];

/// A small news article made from `seed`: a title, a dated header, and sentences naming people
/// and places, so words, phrases and entities all have something to count.
fn article(seed: u64) -> (String, String, String) {
    let pick =
        |n: u64, list: &[&'static str]| list[(seed.wrapping_mul(31).wrapping_add(n) % list.len() as u64) as usize];
    let title = format!("{} meets {} in {}", pick(1, &PEOPLE), pick(2, &PEOPLE), pick(3, &PLACES));
    let day = format!("2024-12-{:02}", 1 + seed % 28);
    let mut body = String::new();
    for i in 0..(2 + seed % 4) {
        body.push_str(&format!(
            "The talks between {} and {} in {} ended on day {}. The central bank of {} said nothing. ",
            pick(i * 3, &PEOPLE),
            pick(i * 3 + 1, &PEOPLE),
            pick(i + 5, &PLACES),
            seed % 97,
            pick(i + 7, &PLACES)
        ));
    }
    (title, day, body)
}

/// The text of a file in one of the formats a user's folder holds.
fn file_text(format: u8, seed: u64) -> (String, &'static str) {
    let (title, day, body) = article(seed);
    let json = |t: &str, d: &str, b: &str| {
        serde_json::json!({"title": t, "publishedAt": format!("{d}T10:00:00Z"), "text": b, "source": "Test Wire"})
            .to_string()
    };
    match format % 6 {
        0 => (format!("Title: {title}\nDate: {day}\nSource: Test Wire\n\n{body}\n"), "txt"),
        1 => (format!("---\ntitle: \"{title}\"\ndate: {day}\n---\n\n# {title}\n\n{body}\n"), "md"),
        2 => (
            format!(
                "<!DOCTYPE html><html><head><title>{title}</title>\
                 <meta property=\"article:published_time\" content=\"{day}T08:00:00Z\"></head>\
                 <body><article><h1>{title}</h1><p>{body}</p></article></body></html>"
            ),
            "html",
        ),
        3 => {
            let (t2, d2, b2) = article(seed + 1000);
            (format!("[{}, {}]", json(&title, &day, &body), json(&t2, &d2, &b2)), "json")
        }
        4 => {
            let mut lines = String::new();
            for k in 0..(1 + seed % 3) {
                let (t, d, b) = article(seed * 7 + k);
                lines.push_str(&json(&t, &d, &b));
                lines.push('\n');
            }
            (lines, "jsonl")
        }
        _ => (format!("{{\"title\": \"{title}\", \"text\": \"unterminated"), "json"),
    }
}

/// A change to the folder between two updates.
#[derive(Clone, Debug)]
enum Change {
    Add {
        name: u8,
        format: u8,
        seed: u64,
    },
    Rewrite {
        file: usize,
        seed: u64,
    },
    /// Same length and modification time, other content: only the hash can tell.
    SameSizeSameTime {
        file: usize,
    },
    /// A new modification time, the same content.
    Touch {
        file: usize,
    },
    Rename {
        file: usize,
        name: u8,
    },
    Delete {
        file: usize,
    },
    Truncate {
        file: usize,
        keep: u8,
    },
    AppendRecord {
        file: usize,
        seed: u64,
    },
}

fn change() -> impl Strategy<Value = Change> {
    prop_oneof![
        3 => (0u8..40, 0u8..6, 0u64..1000).prop_map(|(name, format, seed)| Change::Add { name, format, seed }),
        1 => (0usize..64, 0u64..1000).prop_map(|(file, seed)| Change::Rewrite { file, seed }),
        1 => (0usize..64).prop_map(|file| Change::SameSizeSameTime { file }),
        1 => (0usize..64).prop_map(|file| Change::Touch { file }),
        1 => (0usize..64, 40u8..80).prop_map(|(file, name)| Change::Rename { file, name }),
        1 => (0usize..64).prop_map(|file| Change::Delete { file }),
        1 => (0usize..64, 1u8..100).prop_map(|(file, keep)| Change::Truncate { file, keep }),
        1 => (0usize..64, 0u64..1000).prop_map(|(file, seed)| Change::AppendRecord { file, seed }),
    ]
}

/// The folder's files, sorted, so `file: usize` picks one whatever the folder holds.
fn files(root: &Path) -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> = walkdir::WalkDir::new(root)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| e.into_path())
        .collect();
    out.sort();
    out
}

fn apply(root: &Path, change: &Change) {
    let all = files(root);
    let nth = |i: usize| all.get(i % all.len().max(1)).cloned();
    match change {
        Change::Add { name, format, seed } => {
            let (text, ext) = file_text(*format, *seed);
            let dir = root.join(format!("d{}", name % 3));
            fs::create_dir_all(&dir).unwrap();
            fs::write(dir.join(format!("f{name}.{ext}")), text).unwrap();
        }
        Change::Rewrite { file, seed } => {
            if let Some(path) = nth(*file) {
                let format = match path.extension().and_then(|e| e.to_str()) {
                    Some("md") => 1,
                    Some("html") => 2,
                    Some("json") => 3,
                    Some("jsonl") => 4,
                    _ => 0,
                };
                fs::write(path, file_text(format, *seed).0).unwrap();
            }
        }
        Change::SameSizeSameTime { file } => {
            if let Some(path) = nth(*file) {
                let modified = fs::metadata(&path).unwrap().modified().unwrap();
                let mut bytes = fs::read(&path).unwrap();
                // Swap the case of the first letter after the first third: same length.
                let third = bytes.len() / 3;
                if let Some(b) = bytes.iter_mut().skip(third).find(|b| b.is_ascii_alphabetic()) {
                    *b ^= 0x20;
                }
                fs::write(&path, bytes).unwrap();
                // Only a stamp taken within two seconds of the file's time is in doubt (then the
                // hash decides); an older stamp with the same length and time is trusted, as by
                // make and git, so such an edit is only made undetectable-by-time when recent.
                let recent = SystemTime::now().duration_since(modified).is_ok_and(|age| age < Duration::from_secs(1));
                if recent {
                    fs::File::options().write(true).open(&path).unwrap().set_modified(modified).unwrap();
                }
            }
        }
        Change::Touch { file } => {
            if let Some(path) = nth(*file) {
                let later = SystemTime::now() + Duration::from_secs(3);
                fs::File::options().write(true).open(&path).unwrap().set_modified(later).unwrap();
            }
        }
        Change::Rename { file, name } => {
            if let Some(path) = nth(*file) {
                let ext = path.extension().and_then(|e| e.to_str()).unwrap_or("txt").to_string();
                let to = root.join(format!("r{name}.{ext}"));
                if !to.exists() {
                    fs::rename(path, to).unwrap();
                }
            }
        }
        Change::Delete { file } => {
            if let Some(path) = nth(*file) {
                fs::remove_file(path).unwrap();
            }
        }
        Change::Truncate { file, keep } => {
            if let Some(path) = nth(*file) {
                let bytes = fs::read(&path).unwrap();
                fs::write(&path, &bytes[..bytes.len() * usize::from(*keep) / 100]).unwrap();
            }
        }
        Change::AppendRecord { file, seed } => {
            if let Some(path) = nth(*file).filter(|p| p.extension().is_some_and(|e| e == "jsonl")) {
                let mut text = fs::read_to_string(&path).unwrap_or_default();
                text.push_str(&file_text(4, *seed).0);
                fs::write(path, text).unwrap();
            }
        }
    }
}

/// Everything a user can see of an index, by article id rather than store slot.
fn observable(index: &Index) -> String {
    let mut out = String::new();
    let r = &index.report;
    out.push_str(&format!("files {} formats {:?}\n", r.files_seen, r.articles_by_format));
    for s in &r.skipped {
        out.push_str(&format!("skipped {s}\n"));
    }
    for a in index.articles_in_order() {
        let article = index.article(a).unwrap();
        out.push_str(&format!("{article:?}\n"));
    }
    let matcher = Matcher::parse(&TERMS).unwrap();
    let hits = index.count(&matcher);
    for (term, hits) in TERMS.iter().zip(&hits) {
        let mut by_id: BTreeMap<String, u32> = BTreeMap::new();
        for &(a, n) in &hits.hits {
            by_id.insert(index.meta(a).unwrap().id.to_string(), n);
        }
        out.push_str(&format!("{term}: {by_id:?}\n"));
    }
    let series: Vec<(String, &_)> = TERMS.iter().map(|t| t.to_string()).zip(hits.iter()).collect();
    out.push_str(&format!("{:?}\n", index.trends(&series, Bucket::Day, None, None)));
    for (row, hits) in index.entity_table().rows.iter().zip(&index.entity_table().hits) {
        let mut ids: Vec<String> =
            hits.hits.iter().map(|&(a, n)| format!("{}×{n}", index.meta(a).unwrap().id)).collect();
        ids.sort();
        out.push_str(&format!("{row:?} {ids:?}\n"));
    }
    out
}

fn fresh(root: &Path) -> String {
    observable(&Index::build(root, &ImportOptions::default(), &ImportProgress::default()).unwrap())
}

fn open(root: &Path, data: &Path) -> Store {
    let location = StoreLocation::in_data_dir(root, data).unwrap();
    Store::open_at(root, location).unwrap().store
}

fn update(store: &Store) -> presswatch::core::store::UpdateReport {
    store.update(&ImportOptions::default(), &ImportProgress::default(), None).unwrap()
}

fn stored(store: &Store) -> String {
    observable(&Index::open(store, &IndexOptions::default()).unwrap())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]

    #[test]
    fn updates_after_any_changes_equal_a_fresh_import(
        start in proptest::collection::vec((0u8..40, 0u8..6, 0u64..1000), 1..8),
        rounds in proptest::collection::vec(proptest::collection::vec(change(), 1..4), 1..5),
    ) {
        let folder = tempfile::tempdir().unwrap();
        let data = tempfile::tempdir().unwrap();
        let root = folder.path();
        for (name, format, seed) in start {
            apply(root, &Change::Add { name, format, seed });
        }
        let store = open(root, data.path());
        update(&store);
        prop_assert_eq!(stored(&store), fresh(root));
        for round in rounds {
            for c in &round {
                apply(root, c);
            }
            update(&store);
            prop_assert_eq!(stored(&store), fresh(root), "after {:?}", round);
        }
        // Reopened from disk, it is the same again, and an update finds nothing to do.
        drop(store);
        let store = open(root, data.path());
        prop_assert!(!update(&store).changed_anything());
        prop_assert_eq!(stored(&store), fresh(root));
    }
}

#[test]
fn an_unchanged_folder_is_not_read_again_and_changes_are_reported() {
    let folder = tempfile::tempdir().unwrap();
    let data = tempfile::tempdir().unwrap();
    let root = folder.path();
    for i in 0..6 {
        apply(root, &Change::Add { name: i, format: i, seed: u64::from(i) });
    }
    let store = open(root, data.path());
    let first = update(&store);
    assert_eq!((first.added_files, first.changed_files, first.removed_files), (6, 0, 0));
    let again = update(&store);
    assert!(!again.changed_anything(), "{again:?}");
    assert_eq!(again.unchanged_files, 6);

    apply(root, &Change::Add { name: 30, format: 0, seed: 5 });
    apply(root, &Change::Delete { file: 0 });
    let report = update(&store);
    assert_eq!((report.added_files, report.removed_files), (1, 1), "{report:?}");
    assert_eq!(stored(&store), fresh(root));
}

#[test]
fn a_store_from_another_version_or_damaged_is_rebuilt_with_a_notice() {
    let folder = tempfile::tempdir().unwrap();
    let data = tempfile::tempdir().unwrap();
    let root = folder.path();
    apply(root, &Change::Add { name: 1, format: 0, seed: 1 });
    let location = StoreLocation::in_data_dir(root, data.path()).unwrap();
    update(&open(root, data.path()));

    // An older store format in the commit's description.
    let meta = location.dir.join("index/meta.json");
    let text = fs::read_to_string(&meta).unwrap();
    let current = format!(r#"\"format\":{}"#, presswatch::core::store::STORE_FORMAT);
    assert!(text.contains(&current), "{text}");
    fs::write(&meta, text.replace(&current, r#"\"format\":0"#)).unwrap();
    let opened = Store::open_at(root, location.clone()).unwrap();
    let notice = opened.notice.clone().unwrap();
    assert!(notice.contains("another version"), "{notice}");
    update(&opened.store);
    assert_eq!(stored(&opened.store), fresh(root));
    drop(opened);

    // A damaged segment file.
    for entry in fs::read_dir(location.dir.join("index")).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "idx" || e == "store") {
            fs::write(&path, b"not a segment").unwrap();
        }
    }
    let opened = Store::open_at(root, location.clone()).unwrap();
    assert!(opened.notice.as_deref().unwrap().contains("rebuilt"));
    update(&opened.store);
    assert_eq!(stored(&opened.store), fresh(root));
    drop(opened);

    // An unreadable description.
    fs::write(&meta, "{ not json").unwrap();
    let opened = Store::open_at(root, location).unwrap();
    assert!(opened.notice.is_some());
    update(&opened.store);
    assert_eq!(stored(&opened.store), fresh(root));
}

#[test]
fn a_second_opener_reads_while_the_first_writes() {
    let folder = tempfile::tempdir().unwrap();
    let data = tempfile::tempdir().unwrap();
    let root = folder.path();
    apply(root, &Change::Add { name: 1, format: 4, seed: 3 });
    let first = open(root, data.path());
    update(&first);
    assert!(first.writable());
    let location = StoreLocation::in_data_dir(root, data.path()).unwrap();
    let second = Store::open_at(root, location.clone()).unwrap();
    assert!(!second.store.writable());
    assert!(second.notice.as_deref().unwrap().contains("read-only"));
    assert_eq!(stored(&second.store), stored(&first));
    // The reader sees what the writer commits later.
    apply(root, &Change::Add { name: 2, format: 0, seed: 9 });
    update(&first);
    assert_eq!(stored(&second.store), fresh(root));
    // Once the writer is gone, the next opener writes.
    drop(first);
    drop(second);
    assert!(Store::open_at(root, location).unwrap().store.writable());
}

#[test]
fn a_new_file_in_a_watched_folder_is_noticed() {
    let folder = tempfile::tempdir().unwrap();
    let watch = presswatch::core::store::FolderWatch::start(folder.path(), || {});
    if let Some(why) = &watch.fallback {
        eprintln!("notice: file-system events are not available here ({why}); skipping");
        return;
    }
    assert!(!watch.take_change());
    apply(folder.path(), &Change::Add { name: 1, format: 0, seed: 1 });
    let started = std::time::Instant::now();
    while !watch.take_change() {
        assert!(started.elapsed() < Duration::from_secs(10), "no event for a new file");
        std::thread::sleep(Duration::from_millis(20));
    }
    // Hidden files are no change: the import never reads them.
    fs::write(folder.path().join(".hidden.txt"), "x").unwrap();
    std::thread::sleep(Duration::from_millis(1500));
    assert!(!watch.take_change());
}

/// What an import extracts from the bundled sample data, in a form that does not depend on the
/// machine (file times are left out).
fn extraction_fingerprint() -> u64 {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("sample-data");
    let options = ImportOptions { no_file_dates: true, ..ImportOptions::default() };
    let index = Index::build(&root, &options, &ImportProgress::default()).unwrap();
    let mut text = String::new();
    for a in index.articles_in_order() {
        let a = index.article(a).unwrap();
        let relative = a.id.path.strip_prefix(&root).unwrap().display().to_string();
        text.push_str(&format!(
            "{relative}#{:?}|{}|{}|{:?}|{:?}|{:?}|{}\n",
            a.id.index, a.title, a.text, a.source, a.url, a.published, a.date_source
        ));
    }
    for row in &index.entity_table().rows {
        text.push_str(&format!("{row:?}\n"));
    }
    xxhash_rust::xxh3::xxh3_64(text.as_bytes())
}

/// Stores keep what an import extracted; a store made by a version that extracts differently
/// must be rebuilt, which `EXTRACTION_VERSION` decides. This pins the two together: change what
/// an import gives and this fails until the version is bumped.
#[test]
fn extraction_version_is_bumped_when_extraction_changes() {
    let pinned = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/extraction-version.txt");
    let now = format!("{} {:016x}\n", presswatch::core::ingest::EXTRACTION_VERSION, extraction_fingerprint());
    let recorded = fs::read_to_string(&pinned).unwrap_or_default();
    if std::env::var_os("UPDATE_EXTRACTION_VERSION").is_some() {
        fs::write(&pinned, &now).unwrap();
        return;
    }
    let version = |s: &str| s.split_whitespace().next().map(str::to_string);
    assert!(
        recorded == now || version(&recorded) != version(&now),
        "What an import extracts from sample-data changed, but EXTRACTION_VERSION did not: bump it in \
         src/core/ingest/mod.rs, then run UPDATE_EXTRACTION_VERSION=1 cargo test --release --test store extraction"
    );
    assert_eq!(
        recorded, now,
        "EXTRACTION_VERSION was bumped: record it with UPDATE_EXTRACTION_VERSION=1 cargo test --release --test store extraction"
    );
}

/// SQLite's kind of crash test: `presswatch index` is killed (SIGKILL) at moments spread over a
/// first import that commits every 50 ms; each time the store must open as it was last
/// committed (no rebuild), and the next update must finish it to what a fresh import gives.
#[cfg(unix)]
#[test]
fn a_process_killed_at_any_moment_leaves_a_store_that_opens() {
    let folder = tempfile::tempdir().unwrap();
    let data = tempfile::tempdir().unwrap();
    let root = folder.path();
    for i in 0..400u64 {
        apply(root, &Change::Add { name: (i % 40) as u8, format: (i % 5) as u8, seed: i });
        let dir = root.join(format!("batch{}", i / 40));
        fs::create_dir_all(&dir).unwrap();
        fs::write(dir.join(format!("a{i}.txt")), file_text(0, i + 5000).0).unwrap();
    }
    let location = StoreLocation::in_data_dir(root, data.path()).unwrap();
    let mut killed_with_data = 0;
    for delay_ms in [30u64, 120, 250, 400, 600, 900] {
        let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_presswatch"))
            .args(["index", root.to_str().unwrap()])
            .env("PRESSWATCH_DATA_DIR", data.path())
            .env("PRESSWATCH_COMMIT_SECONDS", "0.05")
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(Duration::from_millis(delay_ms));
        child.kill().unwrap();
        child.wait().unwrap();
        if !location.exists() {
            continue;
        }
        let opened = Store::open_at(root, location.clone()).unwrap();
        assert_eq!(opened.notice, None, "killed after {delay_ms} ms, the store did not open as it was");
        let index = Index::open(&opened.store, &IndexOptions::default()).unwrap();
        killed_with_data += usize::from(index.article_count() > 0);
        // Throw away what the killed import did, for the next round to kill a first import too.
        drop(index);
        drop(opened);
        location.forget().unwrap();
    }
    eprintln!("{killed_with_data} of 6 kills came after a commit");
    assert!(killed_with_data > 0, "no kill landed after a commit: make the folder larger");
    // And once more, then an update finishes what the killed process began.
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_presswatch"))
        .args(["index", root.to_str().unwrap()])
        .env("PRESSWATCH_DATA_DIR", data.path())
        .env("PRESSWATCH_COMMIT_SECONDS", "0.05")
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    std::thread::sleep(Duration::from_millis(500));
    child.kill().unwrap();
    child.wait().unwrap();
    let store = open(root, data.path());
    update(&store);
    assert_eq!(stored(&store), fresh(root));
}
