//! The folder walk: every regular file below a root, in a stable order, without hidden files and
//! folders, following symbolic links but never looping. Named pipes, sockets and devices are
//! reported and never opened: reading one may wait forever or never end.

use std::path::{Path, PathBuf};
use std::sync::atomic::Ordering;

use walkdir::WalkDir;

use super::{ImportProgress, Skipped};

/// All files below `root` (or `root` itself when it is a file), sorted by path, and the entries
/// that could not be read.
pub fn files(root: &Path, progress: &ImportProgress) -> (Vec<PathBuf>, Vec<Skipped>) {
    let mut files = Vec::new();
    let mut problems = Vec::new();
    let walker = WalkDir::new(root)
        .follow_links(true)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| e.depth() == 0 || !is_hidden(e.file_name()));
    for entry in walker {
        if progress.cancelled() {
            break;
        }
        match entry {
            Ok(e) if e.file_type().is_file() => {
                files.push(e.into_path());
                progress.files_found.fetch_add(1, Ordering::Relaxed);
            }
            Ok(e) => {
                if let Some(kind) = super::special_kind(&e.file_type()) {
                    problems
                        .push(Skipped { path: e.into_path(), reason: format!("{kind}, not a regular file: not read") });
                }
            }
            Err(e) => {
                let path = e.path().map(Path::to_path_buf).unwrap_or_else(|| root.to_path_buf());
                let reason = if e.loop_ancestor().is_some() {
                    "symbolic link loop, not followed".to_string()
                } else {
                    match e.io_error() {
                        Some(io) => format!("cannot read ({io})"),
                        None => e.to_string(),
                    }
                };
                problems.push(Skipped { path, reason });
            }
        }
    }
    (files, problems)
}

fn is_hidden(name: &std::ffi::OsStr) -> bool {
    name.to_string_lossy().starts_with('.')
}
