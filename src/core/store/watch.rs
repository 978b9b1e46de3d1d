//! Watching an open folder: file-system events (the `notify` crate, debounced so a burst of
//! writes is one signal) say that something under the folder changed, and the caller then runs
//! an update, which compares stamps and finds what. Events are a hint, never the truth: they are
//! lost on network drives, WSL and very large trees, so the caller also updates on a timer, and
//! when events cannot be had at all (the inotify limit, permissions) [`FolderWatch::fallback`]
//! says why.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use notify_debouncer_mini::notify::{RecommendedWatcher, RecursiveMode};
use notify_debouncer_mini::{DebounceEventResult, Debouncer, new_debouncer};

/// How long the debouncer waits for a burst of events to end.
const DEBOUNCE: Duration = Duration::from_millis(500);

/// A running watch; dropping it stops watching.
pub struct FolderWatch {
    _debouncer: Option<Debouncer<RecommendedWatcher>>,
    changed: Arc<AtomicBool>,
    /// Why events are not available, when they are not: then only the periodic check finds
    /// changes.
    pub fallback: Option<String>,
}

impl FolderWatch {
    /// Starts watching `root` (recursively). `wake` is called, on the watcher's thread, after
    /// each burst of events that concerns a file the folder walk would see.
    pub fn start(root: &Path, wake: impl Fn() + Send + 'static) -> FolderWatch {
        let changed = Arc::new(AtomicBool::new(false));
        let flag = Arc::clone(&changed);
        let base: PathBuf = root.to_path_buf();
        let handler = move |result: DebounceEventResult| {
            let relevant = match &result {
                Ok(events) => events.iter().any(|e| !is_hidden_below(&base, &e.path)),
                // An error may mean lost events: check.
                Err(_) => true,
            };
            if relevant {
                flag.store(true, Ordering::Relaxed);
                wake();
            }
        };
        let mut debouncer = match new_debouncer(DEBOUNCE, handler) {
            Ok(d) => d,
            Err(e) => return FolderWatch::unavailable(changed, &e.to_string()),
        };
        if let Err(e) = debouncer.watcher().watch(root, RecursiveMode::Recursive) {
            return FolderWatch::unavailable(changed, &e.to_string());
        }
        FolderWatch { _debouncer: Some(debouncer), changed, fallback: None }
    }

    fn unavailable(changed: Arc<AtomicBool>, why: &str) -> FolderWatch {
        let hint = if why.contains("No space left") || why.contains("limit") {
            " (the system's limit on watched folders is reached: raise fs.inotify.max_user_watches)"
        } else {
            ""
        };
        FolderWatch {
            _debouncer: None,
            changed,
            fallback: Some(format!(
                "Cannot watch the folder for changes ({why}){hint}; it is checked every few minutes instead."
            )),
        }
    }

    /// Whether something changed since the last call.
    pub fn take_change(&self) -> bool {
        self.changed.swap(false, Ordering::Relaxed)
    }
}

/// Whether `path` lies in a hidden file or folder below `root` (the walk skips those).
fn is_hidden_below(root: &Path, path: &Path) -> bool {
    path.strip_prefix(root)
        .map(|rel| rel.components().any(|c| c.as_os_str().to_string_lossy().starts_with('.')))
        .unwrap_or(false)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hidden_paths_are_not_changes() {
        let root = Path::new("/news");
        assert!(is_hidden_below(root, Path::new("/news/.git/index")));
        assert!(is_hidden_below(root, Path::new("/news/a/.b.swp")));
        assert!(!is_hidden_below(root, Path::new("/news/a/b.json")));
    }
}
