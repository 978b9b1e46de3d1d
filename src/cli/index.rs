//! `presswatch index`: create or update a folder's store and say what changed; `--forget`
//! deletes it.

use std::io::Write;
use std::path::Path;

use anyhow::{Context, Result, bail};
use serde_json::json;

use super::with_progress;
use crate::core::ingest::{ImportOptions, Limits};
use crate::core::store::{Store, StoreLocation, UpdateReport};
use crate::plural;

/// Files the summary names one by one, at most (`--json` lists more).
const MAX_NAMED: usize = 20;

pub(super) fn index(path: &Path, as_json: bool, forget: bool, limits: &Limits) -> Result<()> {
    if forget {
        let location = StoreLocation::for_folder(path)?;
        if !location.exists() {
            eprintln!("presswatch: {} has no stored data", path.display());
            return Ok(());
        }
        let size = location.size();
        location.forget().with_context(|| format!("cannot delete {}", location.dir.display()))?;
        eprintln!("presswatch: deleted the stored data of {} ({})", path.display(), megabytes(size));
        return Ok(());
    }
    let opened = Store::open(path)?;
    if let Some(notice) = &opened.notice {
        eprintln!("presswatch: {notice}");
    }
    let store = opened.store;
    if !store.writable() {
        bail!("another Presswatch is updating the stored data of {}; try again when it is done", path.display());
    }
    let report = with_progress("indexing", |progress| {
        store.update(&ImportOptions { limits: *limits, ..ImportOptions::default() }, progress, None)
    })?;
    // Merges that tantivy started after the commit finish here, so the store is left compact.
    store.finish_merges();
    let location = store.location().context("the store has no location")?;
    let size = location.size();
    let mut out = std::io::stdout().lock();
    if as_json {
        let listed: Vec<_> =
            report.listed.iter().map(|(change, path)| json!({"change": change.as_str(), "path": path})).collect();
        let value = json!({
            "path": path,
            "store": location.dir,
            "store_bytes": size,
            "added_files": report.added_files,
            "changed_files": report.changed_files,
            "removed_files": report.removed_files,
            "unchanged_files": report.unchanged_files,
            "articles_added": report.articles_added,
            "articles_removed": report.articles_removed,
            "files": listed,
            "elapsed_seconds": report.elapsed.as_secs_f64(),
        });
        writeln!(out, "{value}")?;
        return Ok(());
    }
    writeln!(out, "{}: {} ({:.2} s)", path.display(), summary(&report), report.elapsed.as_secs_f64())?;
    // A first import adds every file: naming them all says nothing.
    let changes = report.added_files + report.changed_files + report.removed_files;
    if changes <= MAX_NAMED {
        for (change, file) in &report.listed {
            writeln!(out, "  {:<8} {}", change.as_str(), file.display())?;
        }
    }
    writeln!(out, "stored in {} ({})", location.dir.display(), megabytes(size))?;
    Ok(())
}

/// "files: 3 added, 1 changed, 0 removed, 12 unchanged; articles: 1000 read, 10 taken out".
pub(super) fn summary(r: &UpdateReport) -> String {
    let mut text = format!(
        "files: {} added, {} changed, {} removed, {} unchanged; articles: {} read",
        r.added_files, r.changed_files, r.removed_files, r.unchanged_files, r.articles_added
    );
    if r.articles_removed > 0 {
        text.push_str(&format!(", {} taken out", r.articles_removed));
    }
    if r.unsettled_files > 0 {
        text.push_str(&format!("; {} still being written, left for later", plural(r.unsettled_files, "file")));
    }
    if r.cancelled {
        text.push_str(" (stopped early: the rest is read next time)");
    }
    text
}

fn megabytes(bytes: u64) -> String {
    format!("{:.1} MB", bytes as f64 / 1e6)
}
