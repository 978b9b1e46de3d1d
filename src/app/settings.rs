//! What the window remembers between runs: the watchlist and its colours, bucket, metric, date
//! range, folders, the file-time option and the import limits. Panel sizes live in egui's own memory, which eframe
//! persists beside this.
//!
//! Stored as JSON under one key of eframe's storage. `#[serde(default)]` lets an older save load
//! with new fields defaulted; a save that cannot be read at all, or one written by a newer
//! version, gives the defaults and a notice instead of a crash. Session state (the loaded index,
//! selections, running jobs) is never stored here.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use crate::core::alerts::AlertSettings;
use crate::core::ingest::Limits;
use crate::core::query::{Query, Term};
use crate::core::timeline::{Bucket, Metric};

/// The eframe storage key.
pub const STORAGE_KEY: &str = "presswatch.settings";

/// Bumped when a change cannot be handled by `#[serde(default)]` alone.
pub const SETTINGS_VERSION: u32 = 1;

const MAX_RECENT: usize = 8;
/// Folders whose last visit is remembered.
const MAX_VISITS: usize = 64;
/// Seen alerts remembered per folder; past this the oldest periods are forgotten (and would
/// show as new again only if they were still alerts, years later in a long daily chart).
const MAX_SEEN_ALERTS: usize = 4000;

/// What identifies an alert across runs: its bucket, period and watch item.
pub fn alert_key(bucket: Bucket, period_start: NaiveDate, item_key: &str) -> String {
    format!("{}:{period_start}:{item_key}", bucket.name())
}

/// Where a watched item's counts come from.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum WatchKind {
    /// A term in the core's syntax, counted with `Index::count`.
    #[default]
    Term,
    /// A canonical entity from the index's entity table, looked up by name.
    Entity,
    /// A query (Boolean, phrase, proximity, fields), counted with `Index::count_query`.
    Query,
}

/// What the watchlist's one entry field holds: a term (anything without query syntax keeps its
/// meaning as a term), a query, or neither (with where the problem is, for a query).
#[derive(Debug)]
pub enum Entry {
    Term(Term),
    Query(Query),
    Invalid { message: String, column: Option<usize> },
}

impl Entry {
    pub fn read(input: &str) -> Entry {
        if Query::looks_like_query(input) {
            match Query::parse(input) {
                Ok(q) => Entry::Query(q),
                Err(e) => Entry::Invalid { message: e.message, column: Some(e.column) },
            }
        } else {
            match Term::parse(input) {
                Ok(t) => Entry::Term(t),
                Err(e) => Entry::Invalid { message: e.to_string(), column: None },
            }
        }
    }

    /// The label the entry would get on the chart.
    pub fn label(&self) -> Option<&str> {
        match self {
            Entry::Term(t) => Some(&t.label),
            Entry::Query(q) => Some(&q.label),
            Entry::Invalid { .. } => None,
        }
    }
}

/// One line of the watchlist.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct WatchItem {
    /// What the user typed (a term) or the entity's canonical name.
    pub query: String,
    /// The name on the chart, the legend and the CSV; unique within the watchlist.
    pub label: String,
    pub kind: WatchKind,
    pub color: [u8; 3],
    pub visible: bool,
}

impl Default for WatchItem {
    fn default() -> Self {
        Self { query: String::new(), label: String::new(), kind: WatchKind::Term, color: PALETTE[0], visible: true }
    }
}

impl WatchItem {
    /// The key its counts are cached under: the same query counted twice is counted once.
    pub fn key(&self) -> String {
        match self.kind {
            WatchKind::Term => format!("term:{}", self.query),
            WatchKind::Entity => format!("entity:{}", self.query),
            WatchKind::Query => format!("query:{}", self.query),
        }
    }
}

/// Colours that stay distinct from each other on light and dark backgrounds (Tableau 10).
pub const PALETTE: [[u8; 3]; 10] = [
    [78, 121, 167],
    [242, 142, 43],
    [225, 87, 89],
    [118, 183, 178],
    [89, 161, 79],
    [237, 201, 72],
    [176, 122, 161],
    [255, 157, 167],
    [156, 117, 95],
    [186, 176, 172],
];

/// Terms shown on a first start, chosen because they spike in the bundled sample data.
pub const STARTING_TERMS: [&str; 6] =
    ["Putin", "Trump", "Kursk", "Oreshnik", "Assad", "Central bank=central bank*|Bank of Russia|Nabiullina"];

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Settings {
    pub version: u32,
    pub watchlist: Vec<WatchItem>,
    pub bucket: Bucket,
    pub metric: Metric,
    /// The chart's first and last day; `None` follows the data.
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
    pub last_folder: Option<PathBuf>,
    /// Most recent first.
    pub recent_folders: Vec<PathBuf>,
    /// Off by default, as on the command line (`--file-dates`): freshly copied files carry
    /// today's modification time and would stretch the time axis to today.
    pub use_file_dates: bool,
    /// Watch the open folder and read new and changed files as they arrive.
    pub watch_folder: bool,
    /// When each folder was last opened, most recent first: articles stored since are "new".
    pub visits: Vec<(PathBuf, DateTime<Utc>)>,
    /// The spike-alert rule (Options ▸ Alert rule).
    pub alert_rule: AlertSettings,
    /// Alerts the user has looked at, per folder ([`alert_key`]s): the others are marked new.
    pub seen_alerts: BTreeMap<PathBuf, BTreeSet<String>>,
    /// Count each story once: copies of an earlier article (syndicated, reprinted) are left out
    /// of the chart and the lists.
    pub each_story_once: bool,
    /// File size, article size and time limits of imports (Options menu).
    pub limits: Limits,
}

impl Default for Settings {
    fn default() -> Self {
        let mut s = Self {
            version: SETTINGS_VERSION,
            watchlist: Vec::new(),
            bucket: Bucket::Week,
            metric: Metric::Mentions,
            from: None,
            to: None,
            last_folder: None,
            recent_folders: Vec::new(),
            use_file_dates: false,
            watch_folder: true,
            visits: Vec::new(),
            alert_rule: AlertSettings::default(),
            seen_alerts: BTreeMap::new(),
            each_story_once: false,
            limits: Limits::default(),
        };
        for term in STARTING_TERMS {
            s.add_term(term);
        }
        s
    }
}

/// How loading the saved settings went.
#[derive(Debug, PartialEq)]
pub enum Loaded {
    Fresh(Settings),
    Restored(Settings),
    /// Unreadable or from a newer version: defaults, with a sentence for the user.
    Fallback(Settings, String),
}

impl Settings {
    /// Reads settings saved by [`Settings::to_json`], never failing.
    pub fn load(saved: Option<&str>) -> Loaded {
        let Some(text) = saved else {
            return Loaded::Fresh(Settings::default());
        };
        match serde_json::from_str::<Settings>(text) {
            Ok(s) if s.version > SETTINGS_VERSION => Loaded::Fallback(
                Settings::default(),
                format!("The saved settings come from a newer Presswatch (format {}); defaults are used.", s.version),
            ),
            Ok(mut s) => {
                s.version = SETTINGS_VERSION;
                s.watchlist.retain(|w| !w.query.trim().is_empty());
                Loaded::Restored(s)
            }
            Err(e) => Loaded::Fallback(
                Settings::default(),
                format!("The saved settings could not be read ({e}); defaults are used."),
            ),
        }
    }

    pub fn to_json(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }

    /// Adds a term or a query (see [`Entry`]) with the next free colour. The label is its own
    /// label; returns false when it is invalid or that label is already on the watchlist.
    pub fn add_term(&mut self, query: &str) -> bool {
        let (label, kind) = match Entry::read(query) {
            Entry::Term(t) => (t.label, WatchKind::Term),
            Entry::Query(q) => (q.label, WatchKind::Query),
            Entry::Invalid { .. } => return false,
        };
        self.add_item(query.trim(), label, kind)
    }

    pub fn add_item(&mut self, query: &str, label: String, kind: WatchKind) -> bool {
        if self.has_label(&label) {
            return false;
        }
        let color = self.next_color();
        self.watchlist.push(WatchItem { query: query.to_string(), label, kind, color, visible: true });
        true
    }

    pub fn has_label(&self, label: &str) -> bool {
        self.watchlist.iter().any(|w| w.label.eq_ignore_ascii_case(label))
    }

    /// The first palette colour not in use, or cycling when all are.
    fn next_color(&self) -> [u8; 3] {
        PALETTE
            .iter()
            .find(|c| !self.watchlist.iter().any(|w| w.color == **c))
            .copied()
            .unwrap_or(PALETTE[self.watchlist.len() % PALETTE.len()])
    }

    /// Records a visit to `folder` now; returns the previous one.
    pub fn visit(&mut self, folder: &Path) -> Option<DateTime<Utc>> {
        let previous = self.visits.iter().position(|(f, _)| f == folder).map(|i| self.visits.remove(i).1);
        self.visits.insert(0, (folder.to_path_buf(), Utc::now()));
        self.visits.truncate(MAX_VISITS);
        previous
    }

    /// Whether the user has looked at the alert `key` ([`alert_key`]) in `folder`.
    pub fn alert_seen(&self, folder: &Path, key: &str) -> bool {
        self.seen_alerts.get(folder).is_some_and(|seen| seen.contains(key))
    }

    /// Remembers that the user has looked at these alerts of `folder`.
    pub fn mark_alerts_seen(&mut self, folder: &Path, keys: impl IntoIterator<Item = String>) {
        let seen = self.seen_alerts.entry(folder.to_path_buf()).or_default();
        seen.extend(keys);
        // Keys sort by bucket, then period: forget the oldest periods first.
        while seen.len() > MAX_SEEN_ALERTS {
            seen.pop_first();
        }
        // Only folders still remembered as visited keep their seen alerts.
        let visited: BTreeSet<&PathBuf> = self.visits.iter().map(|(f, _)| f).collect();
        self.seen_alerts.retain(|f, _| f == folder || visited.contains(f));
    }

    /// Remembers `folder` as the last and most recent one.
    pub fn remember_folder(&mut self, folder: &Path) {
        self.last_folder = Some(folder.to_path_buf());
        self.recent_folders.retain(|f| f != folder);
        self.recent_folders.insert(0, folder.to_path_buf());
        self.recent_folders.truncate(MAX_RECENT);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip_and_missing_fields_default() {
        let mut s = Settings { bucket: Bucket::Month, ..Settings::default() };
        s.remember_folder(Path::new("/news"));
        assert_eq!(Settings::load(Some(&s.to_json())), Loaded::Restored(s));
        match Settings::load(Some(r#"{"metric":"share"}"#)) {
            Loaded::Restored(s) => {
                assert_eq!(s.metric, Metric::Share);
                assert_eq!(s.bucket, Bucket::Week);
                // A missing field takes the default's value: here the starting terms.
                assert_eq!(s.watchlist, Settings::default().watchlist);
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn corrupt_or_newer_settings_fall_back_with_a_notice() {
        assert!(matches!(Settings::load(Some("{not json")), Loaded::Fallback(_, _)));
        assert!(matches!(Settings::load(Some(r#"{"version": 99}"#)), Loaded::Fallback(_, _)));
        assert!(matches!(Settings::load(None), Loaded::Fresh(_)));
    }

    #[test]
    fn seen_alerts_are_kept_per_folder_and_bounded() {
        let mut s = Settings::default();
        let day = NaiveDate::from_ymd_opt(2024, 11, 21).unwrap();
        let key = alert_key(Bucket::Day, day, "term:putin");
        s.visit(Path::new("/news"));
        s.mark_alerts_seen(Path::new("/news"), [key.clone()]);
        assert!(s.alert_seen(Path::new("/news"), &key));
        assert!(!s.alert_seen(Path::new("/other"), &key));
        let loaded = match Settings::load(Some(&s.to_json())) {
            Loaded::Restored(s) => s,
            other => panic!("{other:?}"),
        };
        assert!(loaded.alert_seen(Path::new("/news"), &key));
        let many = (0..MAX_SEEN_ALERTS as u64 + 10).map(|d| alert_key(Bucket::Day, day + chrono::Days::new(d), "x"));
        s.mark_alerts_seen(Path::new("/news"), many);
        assert_eq!(s.seen_alerts[Path::new("/news")].len(), MAX_SEEN_ALERTS);
        assert!(!s.alert_seen(Path::new("/news"), &key), "the oldest period is forgotten first");
    }

    #[test]
    fn labels_are_unique_and_colours_distinct() {
        let s = Settings::default();
        assert!(!s.clone().add_term("putin"));
        let mut colors: Vec<_> = s.watchlist.iter().map(|w| w.color).collect();
        colors.dedup();
        assert_eq!(colors.len(), s.watchlist.len());
    }
}
