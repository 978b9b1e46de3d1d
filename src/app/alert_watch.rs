//! Keeps the watchlist's spike alerts current: whenever counts, the bucket, the outlet filter or
//! the alert rule change, a worker runs the core's alert rule over every counted item's whole
//! series (not only the charted date range: a period's baseline lies before it) and picks each
//! alert's top articles. Alerts that an update of the open folder brings are announced.
//!
//! The rule itself is the core's ([`crate::core::alerts`]); this file only feeds it and keeps
//! track of which alerts the user has seen (see [`super::settings::Settings::seen_alerts`]).

use std::collections::{BTreeMap, HashSet};
use std::sync::Arc;

use chrono::NaiveDate;

use crate::core::alerts::{AlertSettings, alerts, top_articles};
use crate::core::index::{Index, TermHits};
use crate::core::timeline::{Bucket, DayCount, DayTotal, Trends};

use super::PresswatchApp;
use super::jobs::{self, JobEvent};
use super::settings::alert_key;
use super::state::{AlertRow, Tab};

/// One counted watch item, as the alert job reads it.
pub struct AlertItem {
    pub key: String,
    pub label: String,
    pub color: [u8; 3],
    pub daily: Arc<BTreeMap<NaiveDate, DayCount>>,
    pub hits: Arc<TermHits>,
}

/// What the alert job needs besides the items.
pub struct AlertInput {
    pub bucket: Bucket,
    pub rule: AlertSettings,
    /// The chart's totals under the outlet filter (`None`: the index's own).
    pub totals: Option<Arc<BTreeMap<NaiveDate, DayTotal>>>,
    pub filter: Option<jobs::ArticleFilter>,
}

/// Every alert of every item, newest period first, each with its top articles.
pub fn find(request: u64, index: &Index, items: &[AlertItem], input: &AlertInput) -> JobEvent {
    let totals = input.totals.as_deref().unwrap_or(&index.day_totals);
    let series: Vec<(String, BTreeMap<NaiveDate, DayCount>)> =
        items.iter().map(|i| (i.label.clone(), (*i.daily).clone())).collect();
    let trends = Trends::build(input.bucket, None, None, totals, &series);
    let keep = input.filter.as_ref().map(|f| f.keep(index));
    let mut rows: Vec<AlertRow> = alerts(&trends, &input.rule)
        .into_iter()
        .filter_map(|alert| {
            let item = items.get(alert.series)?;
            let period_end = trends.period_end(alert.period)?;
            let hits = index.hits_between(&item.hits, alert.period_start, period_end);
            let hits = hits.into_iter().filter(|(a, _)| keep.as_ref().is_none_or(|keep| keep(*a)));
            let top = top_articles(hits, u64::from, input.rule.top_articles)
                .into_iter()
                .filter_map(|a| Some((a, index.meta(a)?.title)))
                .collect();
            Some(AlertRow {
                key: item.key.clone(),
                label: item.label.clone(),
                color: item.color,
                bucket: input.bucket,
                period_start: alert.period_start,
                period_end,
                count: alert.count,
                expected: alert.expected,
                p_value: alert.p_value,
                top,
            })
        })
        .collect();
    rows.sort_by(|a, b| b.period_start.cmp(&a.period_start).then(a.p_value.total_cmp(&b.p_value)));
    JobEvent::Alerts { request, rows }
}

impl PresswatchApp {
    /// Starts the alert job when its inputs changed since the last one.
    pub(super) fn request_alerts(&mut self) {
        let Some(index) = self.session.index.clone() else {
            self.session.alerts = Default::default();
            return;
        };
        let items: Vec<AlertItem> = self
            .settings
            .watchlist
            .iter()
            .filter_map(|w| {
                let counted = self.session.counts.get(&w.key())?;
                Some(AlertItem {
                    key: w.key(),
                    label: w.label.clone(),
                    color: w.color,
                    daily: Arc::clone(&counted.daily),
                    hits: Arc::clone(&counted.hits),
                })
            })
            .collect();
        // Identity of the inputs: the shared counts are replaced, never changed in place.
        let mut inputs = vec![self.session.generation, self.settings.bucket as u64];
        inputs.extend(items.iter().map(|i| Arc::as_ptr(&i.daily) as u64));
        inputs.extend(self.session.filtered_totals.as_ref().map(|t| Arc::as_ptr(t) as u64));
        let rule = self.settings.alert_rule.clone();
        inputs.push(hash_of(&(serde_json::to_string(&rule).unwrap_or_default(), &items_labels(&items))));
        if self.session.alerts.inputs.as_ref() == Some(&inputs) {
            return;
        }
        self.session.alerts.inputs = Some(inputs);
        self.session.next_request += 1;
        let request = self.session.next_request;
        self.session.alerts.request = request;
        let input = AlertInput {
            bucket: self.settings.bucket,
            rule,
            totals: self.session.filtered_totals.clone(),
            filter: self.article_filter(),
        };
        self.spawn("alerts", move || find(request, &index, &items, &input));
    }

    /// An answer of the alert job: shown, and announced when an update of the same folder
    /// brought alerts the user has not seen.
    pub(super) fn alerts_found(&mut self, request: u64, rows: Vec<AlertRow>) {
        if request != self.session.alerts.request {
            return;
        }
        let now = (self.session.folder_generation, self.session.generation);
        let before = self.session.alerts.computed_for.replace(now);
        let updated = before.is_some_and(|(folder, generation)| folder == now.0 && generation != now.1);
        if updated && let Some(previous) = &self.session.alerts.rows {
            let known: HashSet<(&str, NaiveDate)> = previous.iter().map(|r| (r.key.as_str(), r.period_start)).collect();
            let arrived: Vec<&AlertRow> = rows
                .iter()
                .filter(|r| !known.contains(&(r.key.as_str(), r.period_start)) && !self.alert_seen(r))
                .collect();
            if let Some(first) = arrived.first() {
                let more = match arrived.len() {
                    1 => String::new(),
                    n => format!(" and {} more", n - 1),
                };
                let text = format!(
                    "New alert: {} in the period from {}: {} against {:.1} expected{more} (see the Alerts tab).",
                    first.label, first.period_start, first.count, first.expected
                );
                self.session.info(text);
            }
        }
        self.session.alerts.rows = Some(rows);
    }

    /// Whether the user has seen this alert in the open folder.
    pub(super) fn alert_seen(&self, row: &AlertRow) -> bool {
        let Some(folder) = &self.session.folder else { return true };
        self.settings.alert_seen(&folder.path, &alert_key(row.bucket, row.period_start, &row.key))
    }

    /// Remembers every listed alert as seen.
    pub(super) fn mark_alerts_seen(&mut self) {
        let (Some(folder), Some(rows)) = (&self.session.folder, &self.session.alerts.rows) else { return };
        let keys = rows.iter().map(|r| alert_key(r.bucket, r.period_start, &r.key));
        self.settings.mark_alerts_seen(&folder.path.clone(), keys.collect::<Vec<_>>());
    }

    /// Shows another tab; leaving the Alerts tab means its alerts have been seen.
    pub(super) fn set_tab(&mut self, tab: Tab) {
        if self.session.tab == Tab::Alerts && tab != Tab::Alerts {
            self.mark_alerts_seen();
        }
        self.session.tab = tab;
    }

    /// Selects an alert's item and period, as a click on its chart point does, and lists its
    /// articles.
    pub(super) fn select_alert(&mut self, alert: usize) {
        let Some(row) = self.session.alerts.rows.as_ref().and_then(|r| r.get(alert)).cloned() else { return };
        let period = match row.bucket {
            Bucket::Day => row.period_start.format("%a %Y-%m-%d").to_string(),
            Bucket::Week => format!("Week {} – {}", row.period_start, row.period_end),
            Bucket::Month => row.period_start.format("%B %Y").to_string(),
        };
        self.session.selection = Some(super::state::Selection {
            key: row.key.clone(),
            label: format!("{} · {period}", row.label),
            first: row.period_start,
            last: row.period_end,
        });
        self.session.selected_row = None;
        self.session.rows.clear();
        self.relist_rows();
        self.set_tab(Tab::Articles);
    }
}

fn items_labels(items: &[AlertItem]) -> Vec<(&str, [u8; 3])> {
    items.iter().map(|i| (i.label.as_str(), i.color)).collect()
}

fn hash_of(value: &impl std::hash::Hash) -> u64 {
    use std::hash::{BuildHasher, BuildHasherDefault, DefaultHasher};
    BuildHasherDefault::<DefaultHasher>::default().hash_one(value)
}
