//! Time series: per-day counts folded into day, ISO-week or month periods, zero-filled.
//!
//! Works on per-day aggregates, never on articles, so re-bucketing or changing the date range is
//! instant however large the corpus. Undated articles never reach this module.

use std::collections::BTreeMap;
use std::fmt;

use chrono::{Datelike, Duration, Months, NaiveDate};
use serde::{Deserialize, Serialize};

/// The length of one period on the time axis.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize, clap::ValueEnum)]
#[serde(rename_all = "lowercase")]
pub enum Bucket {
    Day,
    /// ISO weeks, starting on Monday.
    #[default]
    Week,
    Month,
}

impl Bucket {
    pub const ALL: [Bucket; 3] = [Bucket::Day, Bucket::Week, Bucket::Month];

    /// The first day of the period holding `day`.
    pub fn start_of(self, day: NaiveDate) -> NaiveDate {
        match self {
            Bucket::Day => day,
            Bucket::Week => day - Duration::days(i64::from(day.weekday().num_days_from_monday())),
            Bucket::Month => day.with_day(1).unwrap_or(day),
        }
    }

    /// The first day of the period after the one starting at `start`.
    pub fn next(self, start: NaiveDate) -> NaiveDate {
        match self {
            Bucket::Day => start + Duration::days(1),
            Bucket::Week => start + Duration::days(7),
            Bucket::Month => start.checked_add_months(Months::new(1)).unwrap_or(NaiveDate::MAX),
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Bucket::Day => "Day",
            Bucket::Week => "Week",
            Bucket::Month => "Month",
        }
    }
}

/// Which number a chart shows per period.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize, clap::ValueEnum)]
#[serde(rename_all = "lowercase")]
pub enum Metric {
    #[default]
    Mentions,
    Articles,
    Share,
}

impl Metric {
    pub const ALL: [Metric; 3] = [Metric::Mentions, Metric::Articles, Metric::Share];

    pub fn name(self) -> &'static str {
        match self {
            Metric::Mentions => "Mentions",
            Metric::Articles => "Articles",
            Metric::Share => "Share of articles",
        }
    }
}

impl fmt::Display for Metric {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// Dated articles on one day.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct DayTotal {
    pub articles: u64,
    /// Of those, how many are dated only by the file's modification time.
    pub file_time: u64,
}

/// A term's counts on one day.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct DayCount {
    pub mentions: u64,
    /// Articles with at least one mention.
    pub articles: u64,
}

/// One period of one series.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Point {
    pub mentions: u64,
    pub articles: u64,
    pub total_articles: u64,
}

impl Point {
    /// articles / total_articles, 0 when the period holds no dated article.
    pub fn share(&self) -> f64 {
        if self.total_articles == 0 { 0.0 } else { self.articles as f64 / self.total_articles as f64 }
    }

    pub fn value(&self, metric: Metric) -> f64 {
        match metric {
            Metric::Mentions => self.mentions as f64,
            Metric::Articles => self.articles as f64,
            Metric::Share => self.share(),
        }
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct Series {
    pub label: String,
    /// One point per period of [`Trends::periods`].
    pub points: Vec<Point>,
}

/// Series for several terms over the same periods.
#[derive(Clone, Debug, PartialEq)]
pub struct Trends {
    pub bucket: Bucket,
    /// Period start days, ascending, without gaps.
    pub periods: Vec<NaiveDate>,
    pub totals: Vec<DayTotal>,
    pub series: Vec<Series>,
}

impl Trends {
    /// Folds per-day counts into periods from the first to the last period holding a dated
    /// article, or over `from..=to` when given (days outside are left out).
    pub fn build(
        bucket: Bucket,
        from: Option<NaiveDate>,
        to: Option<NaiveDate>,
        day_totals: &BTreeMap<NaiveDate, DayTotal>,
        terms: &[(String, BTreeMap<NaiveDate, DayCount>)],
    ) -> Trends {
        let in_range = |d: &NaiveDate| from.is_none_or(|f| *d >= f) && to.is_none_or(|t| *d <= t);
        let first = from.or_else(|| day_totals.keys().find(|d| in_range(d)).copied());
        let last = to.or_else(|| day_totals.keys().rev().find(|d| in_range(d)).copied());
        let mut periods = Vec::new();
        if let (Some(first), Some(last)) = (first, last) {
            let mut p = bucket.start_of(first);
            while p <= last {
                periods.push(p);
                p = bucket.next(p);
            }
        }
        let slot = |day: &NaiveDate| periods.binary_search(&bucket.start_of(*day)).ok();
        let mut totals = vec![DayTotal::default(); periods.len()];
        for (day, t) in day_totals.iter().filter(|(d, _)| in_range(d)) {
            if let Some(i) = slot(day) {
                totals[i].articles += t.articles;
                totals[i].file_time += t.file_time;
            }
        }
        let series = terms
            .iter()
            .map(|(label, days)| {
                let mut points: Vec<Point> =
                    totals.iter().map(|t| Point { total_articles: t.articles, ..Point::default() }).collect();
                for (day, c) in days.iter().filter(|(d, _)| in_range(d)) {
                    if let Some(i) = slot(day) {
                        points[i].mentions += c.mentions;
                        points[i].articles += c.articles;
                    }
                }
                Series { label: label.clone(), points }
            })
            .collect();
        Trends { bucket, periods, totals, series }
    }

    /// True when every article of period `i` is dated only by file modification time.
    pub fn uncertain(&self, i: usize) -> bool {
        self.totals.get(i).is_some_and(|t| t.articles > 0 && t.file_time == t.articles)
    }

    /// The last day of period `i`.
    pub fn period_end(&self, i: usize) -> Option<NaiveDate> {
        let start = *self.periods.get(i)?;
        self.bucket.next(start).pred_opt()
    }
}

/// Per-day counts split by outlet (see `core::sources`), for `trends --by source` and the
/// window's chart split by outlet: filled article by article, then folded into one [`Trends`] per
/// outlet over the same periods.
#[derive(Debug, Default)]
pub struct ByOutlet {
    labels: Vec<String>,
    totals: BTreeMap<String, BTreeMap<NaiveDate, DayTotal>>,
    /// Per series, per outlet, per day.
    counts: Vec<BTreeMap<String, BTreeMap<NaiveDate, DayCount>>>,
}

impl ByOutlet {
    pub fn new(labels: Vec<String>) -> Self {
        let counts = vec![BTreeMap::new(); labels.len()];
        Self { labels, totals: BTreeMap::new(), counts }
    }

    /// A dated article of `outlet` (empty when it names no source).
    pub fn article(&mut self, outlet: &str, day: NaiveDate, file_time: bool) {
        let t = self.totals.entry(outlet.to_string()).or_default().entry(day).or_default();
        t.articles += 1;
        t.file_time += u64::from(file_time);
    }

    /// An article counted in `series` with `mentions`.
    pub fn hit(&mut self, series: usize, outlet: &str, day: NaiveDate, mentions: u64) {
        let c = self.counts[series].entry(outlet.to_string()).or_default().entry(day).or_default();
        c.mentions += mentions;
        c.articles += 1;
    }

    /// One [`Trends`] per outlet, outlets by name, all over the periods of `from..=to` (default:
    /// the first to the last period holding any dated article).
    pub fn build(self, bucket: Bucket, from: Option<NaiveDate>, to: Option<NaiveDate>) -> Vec<(String, Trends)> {
        let days = || self.totals.values().flat_map(|t| t.keys().copied());
        let in_range = |d: &NaiveDate| from.is_none_or(|f| *d >= f) && to.is_none_or(|t| *d <= t);
        let first = from.or_else(|| days().filter(in_range).min());
        let last = to.or_else(|| days().filter(in_range).max());
        let (Some(first), Some(last)) = (first, last) else { return Vec::new() };
        self.totals
            .iter()
            .map(|(outlet, totals)| {
                let series: Vec<(String, BTreeMap<NaiveDate, DayCount>)> = self
                    .labels
                    .iter()
                    .zip(&self.counts)
                    .map(|(label, per_outlet)| (label.clone(), per_outlet.get(outlet).cloned().unwrap_or_default()))
                    .collect();
                (outlet.clone(), Trends::build(bucket, Some(first), Some(last), totals, &series))
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn iso_weeks_start_monday_and_months_roll_over() {
        assert_eq!(Bucket::Week.start_of(d("2024-12-19")), d("2024-12-16"));
        assert_eq!(Bucket::Week.start_of(d("2024-12-16")), d("2024-12-16"));
        assert_eq!(Bucket::Week.start_of(d("2025-01-05")), d("2024-12-30"));
        assert_eq!(Bucket::Month.next(d("2024-12-01")), d("2025-01-01"));
    }

    #[test]
    fn zero_filled_periods_with_totals_and_share() {
        let totals: BTreeMap<_, _> = [
            (d("2024-11-30"), DayTotal { articles: 2, file_time: 0 }),
            (d("2025-02-02"), DayTotal { articles: 4, file_time: 4 }),
        ]
        .into();
        let putin: BTreeMap<_, _> = [(d("2025-02-02"), DayCount { mentions: 5, articles: 1 })].into();
        let t = Trends::build(Bucket::Month, None, None, &totals, &[("Putin".into(), putin)]);
        assert_eq!(t.periods, vec![d("2024-11-01"), d("2024-12-01"), d("2025-01-01"), d("2025-02-01")]);
        let p = &t.series[0].points;
        assert_eq!(p[0], Point { mentions: 0, articles: 0, total_articles: 2 });
        assert_eq!(p[1].share(), 0.0);
        assert_eq!(p[3], Point { mentions: 5, articles: 1, total_articles: 4 });
        assert_eq!(p[3].share(), 0.25);
        assert!(t.uncertain(3) && !t.uncertain(0) && !t.uncertain(1));
    }

    #[test]
    fn by_outlet_shares_the_periods_of_the_whole() {
        let mut by = ByOutlet::new(vec!["Putin".into()]);
        by.article("npr.org", d("2024-12-02"), false);
        by.article("npr.org", d("2024-12-03"), false);
        by.article("Capital Desk", d("2024-12-20"), false);
        by.hit(0, "npr.org", d("2024-12-03"), 2);
        let split = by.build(Bucket::Week, None, None);
        let names: Vec<&str> = split.iter().map(|(o, _)| o.as_str()).collect();
        assert_eq!(names, ["Capital Desk", "npr.org"]);
        assert_eq!(split[0].1.periods, split[1].1.periods);
        assert_eq!(split[1].1.periods.len(), 3);
        assert_eq!(split[1].1.series[0].points[0], Point { mentions: 2, articles: 1, total_articles: 2 });
        assert_eq!(split[0].1.series[0].points[2], Point { mentions: 0, articles: 0, total_articles: 1 });
    }

    #[test]
    fn explicit_range_clips_and_extends() {
        let totals: BTreeMap<_, _> = [(d("2024-12-10"), DayTotal { articles: 1, file_time: 0 })].into();
        let t = Trends::build(Bucket::Day, Some(d("2024-12-09")), Some(d("2024-12-11")), &totals, &[]);
        assert_eq!(t.periods.len(), 3);
        assert_eq!(t.totals[1].articles, 1);
        let t = Trends::build(Bucket::Day, Some(d("2024-12-11")), None, &totals, &[]);
        assert!(t.periods.is_empty());
    }
}
