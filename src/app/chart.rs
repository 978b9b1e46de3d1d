//! The chart: one line per visible watch item in its colour, dates on the x axis at every zoom
//! level, a hover tooltip with the period's numbers, shaded periods dated only by file time, and
//! a click that selects an item and period.
//!
//! It draws `Session::chart` (the core's `Trends`), rebuilt by the app only when its inputs
//! change, so a frame here is a few hundred points, never a pass over articles.

use std::ops::RangeInclusive;

use chrono::{Datelike, Duration, Months, NaiveDate};
use egui::{Color32, Pos2};
use egui_plot::{GridInput, GridMark, HoverPosition, Legend, Line, Plot, PlotPoints, Points, Span};

use crate::core::timeline::{Bucket, Trends};

use super::commands::Command;
use super::settings::Settings;
use super::state::Session;

const MAX_MARKED_PERIODS: usize = 120;

/// Days from 1970-01-01: the chart's x coordinate of a day.
pub fn x_of(day: NaiveDate) -> f64 {
    (day - NaiveDate::default()).num_days() as f64
}

fn day_of(x: f64) -> Option<NaiveDate> {
    NaiveDate::default().checked_add_signed(Duration::days(x.round() as i64))
}

pub fn color(c: [u8; 3]) -> Color32 {
    Color32::from_rgb(c[0], c[1], c[2])
}

/// "Week 2024-12-16 – 2024-12-22", "December 2024", "Thu 2024-12-19".
pub fn period_name(trends: &Trends, i: usize) -> String {
    let (Some(start), Some(end)) = (trends.periods.get(i), trends.period_end(i)) else {
        return String::new();
    };
    match trends.bucket {
        Bucket::Day => start.format("%a %Y-%m-%d").to_string(),
        Bucket::Week => format!("Week {start} – {end}"),
        Bucket::Month => start.format("%B %Y").to_string(),
    }
}

/// Draws the chart; returns its screen rectangle (axes included) and the plot's transform.
pub fn show(
    ui: &mut egui::Ui,
    settings: &Settings,
    session: &Session,
    commands: &mut Vec<Command>,
) -> Option<(egui::Rect, egui_plot::PlotTransform)> {
    let Some(chart) = &session.chart else {
        ui.centered_and_justified(|ui| {
            ui.label(if session.importing() { "Importing…" } else { "Open a folder of articles to start (Ctrl+O)." })
        });
        return None;
    };
    let trends = &chart.trends;
    if trends.periods.is_empty() {
        ui.centered_and_justified(|ui| ui.label("No dated articles in this folder or date range."));
        return None;
    }
    let metric = settings.metric;
    let labels: Vec<&str> = trends.series.iter().map(|s| s.label.as_str()).collect();
    let tooltip = |pos: &HoverPosition<'_>| -> Option<String> {
        let HoverPosition::NearDataPoint { plot_name, index, .. } = pos else {
            return None;
        };
        let s = labels.iter().position(|l| l == plot_name)?;
        let point = trends.series[s].points.get(*index)?;
        let value = match metric {
            crate::core::timeline::Metric::Share => format!("{:.1} %", point.share() * 100.0),
            m => format!("{} {}", point.value(m), m.name().to_lowercase()),
        };
        let total = point.total_articles;
        let mut text = format!(
            "{}\n{plot_name}: {value}\n{total} {} in the period",
            period_name(trends, *index),
            if total == 1 { "article" } else { "articles" }
        );
        if trends.uncertain(*index) {
            text.push_str("\nDated by file time only (uncertain)");
        }
        Some(text)
    };
    let selected = session.selection.as_ref();
    // A report image shows no tooltip or crosshair from wherever the pointer happens to be.
    let exporting = session.pending_png.is_some();
    // The whole widget, axes and labels included: what "Export chart image" saves.
    let area = ui.available_rect_before_wrap();
    let response = Plot::new("trends")
        .legend(Legend::default().position(egui_plot::Corner::LeftTop).follow_insertion_order(true))
        // Compact labels ("2025", "Feb", "16") may stand closer than egui_plot's default allows,
        // so a year of weekly points shows its months.
        .custom_x_axes(vec![egui_plot::AxisHints::new_x().formatter(date_label).label_spacing(30.0..=44.0)])
        .x_grid_spacer(date_marks)
        .y_axis_label(metric.name())
        .y_axis_min_width(36.0)
        .label_formatter(tooltip)
        .show_x(!exporting)
        .show_y(!exporting)
        .include_y(0.0)
        .allow_double_click_reset(true)
        .show(ui, |plot| {
            let step = trends.bucket.next(trends.periods[0]) - trends.periods[0];
            for (i, start) in trends.periods.iter().enumerate() {
                if trends.uncertain(i) {
                    let x = x_of(*start);
                    plot.span(
                        Span::new("Dated by file time (uncertain)", x..=x + step.num_days() as f64)
                            .fill(Color32::from_gray(128).gamma_multiply(0.15)),
                    );
                }
            }
            let split = session.split.is_some();
            for (s, series) in trends.series.iter().enumerate() {
                let item = &settings.watchlist[chart.items[s]];
                let c = color(chart.colors[s]);
                let points: Vec<[f64; 2]> =
                    trends.periods.iter().zip(&series.points).map(|(d, p)| [x_of(*d), p.value(metric)]).collect();
                let is_selected = !split && selected.is_some_and(|sel| sel.key == item.key());
                plot.line(Line::new(&series.label, PlotPoints::from(points.clone())).color(c).width(if is_selected {
                    2.5
                } else {
                    1.8
                }));
                // Markers show lone non-zero periods; on long daily series they are only clutter
                // (and thousands of shapes a frame).
                if points.len() <= MAX_MARKED_PERIODS {
                    plot.points(Points::new(&series.label, PlotPoints::from(points.clone())).color(c).radius(2.5));
                }
                if let Some(sel) = selected.filter(|_| is_selected)
                    && let Some(i) = trends.periods.iter().position(|d| *d == sel.first)
                {
                    plot.points(
                        Points::new(&series.label, PlotPoints::from(vec![points[i]]))
                            .color(c)
                            .radius(6.0)
                            .filled(false),
                    );
                }
            }
        });
    let transform = response.transform;
    if response.response.clicked()
        && let Some(pos) = response.response.interact_pointer_pos()
        && let Some((s, period)) = nearest_point(trends, metric, &transform, pos)
    {
        commands.push(Command::SelectPoint { item: chart.items[s], period });
    }
    Some((area, transform))
}

/// The series and period a click at `pos` means: of the points within 16 points on screen, one
/// whose marker is under the pointer (the highest value if several, so a peak wins over a zero
/// line drawn across its foot), else the closest, a non-zero one on a tie.
pub fn nearest_point(
    trends: &Trends,
    metric: crate::core::timeline::Metric,
    transform: &egui_plot::PlotTransform,
    pos: Pos2,
) -> Option<(usize, usize)> {
    const NEAR: f32 = 16.0;
    const UNDER: f32 = 5.0;
    let mut best: Option<(bool, f32, f64, usize, usize)> = None;
    for (s, series) in trends.series.iter().enumerate() {
        for (i, (day, p)) in trends.periods.iter().zip(&series.points).enumerate() {
            let value = p.value(metric);
            let at = transform.position_from_point(&egui_plot::PlotPoint::new(x_of(*day), value));
            let d = at.distance(pos);
            if d >= NEAR {
                continue;
            }
            let under = d <= UNDER;
            let better = match best {
                None => true,
                Some((b_under, b_d, b_value, ..)) => match (under, b_under) {
                    (true, false) => true,
                    (false, true) => false,
                    (true, true) => value > b_value,
                    (false, false) => d < b_d || (d == b_d && value > b_value),
                },
            };
            if better {
                best = Some((under, d, value, s, i));
            }
        }
    }
    best.map(|(.., s, i)| (s, i))
}

/// Grid marks on calendar boundaries: years, months, Mondays and days, each only where it is
/// not too dense; the thicker the mark, the coarser its step.
fn date_marks(input: GridInput) -> Vec<GridMark> {
    let (min, max) = input.bounds;
    let (Some(first), Some(last)) = (day_of(min.floor()), day_of(max.ceil())) else {
        return Vec::new();
    };
    let dense = |step: f64| step < input.base_step_size || (max - min) / step > 400.0;
    let mut marks = Vec::new();
    let mut day = NaiveDate::from_ymd_opt(first.year(), 1, 1).unwrap_or(first);
    while day <= last {
        let step = if day.ordinal() == 1 {
            365.0
        } else if day.day() == 1 {
            30.0
        } else if day.weekday() == chrono::Weekday::Mon {
            7.0
        } else {
            1.0
        };
        // A Monday a few days from the first of a month would print its day over the month's name.
        let crowded = step == 7.0 && (day.day() <= 5 || (next_month(day) - day).num_days() <= 4);
        if !dense(step) && day >= first && !crowded {
            marks.push(GridMark { value: x_of(day), step_size: step });
        }
        // Skip straight to the next candidate at the finest level that is not too dense.
        day = if !dense(1.0) {
            day + Duration::days(1)
        } else if !dense(7.0) {
            let to_monday = 7 - i64::from(day.weekday().num_days_from_monday());
            let monday = day + Duration::days(to_monday);
            let month = next_month(day);
            monday.min(month)
        } else if !dense(30.0) {
            next_month(day)
        } else {
            NaiveDate::from_ymd_opt(day.year() + 1, 1, 1).unwrap_or(NaiveDate::MAX)
        };
    }
    marks
}

fn next_month(day: NaiveDate) -> NaiveDate {
    day.with_day(1).and_then(|d| d.checked_add_months(Months::new(1))).unwrap_or(NaiveDate::MAX)
}

/// A mark's label, as precise as its step and short enough to stand close to the next: the year
/// on the first of January, the month on the first of a month, else the day ("2025", "Feb", "16").
fn date_label(mark: GridMark, _range: &RangeInclusive<f64>) -> String {
    let Some(day) = day_of(mark.value) else {
        return String::new();
    };
    if mark.step_size >= 365.0 {
        day.format("%Y").to_string()
    } else if mark.step_size >= 30.0 {
        day.format("%b").to_string()
    } else {
        day.format("%-d").to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn marks_land_on_calendar_boundaries_at_every_zoom() {
        let weeks =
            date_marks(GridInput { bounds: (x_of(d("2024-11-20")), x_of(d("2025-01-10"))), base_step_size: 2.0 });
        let mondays: Vec<_> = weeks.iter().filter(|m| m.step_size == 7.0).collect();
        assert!(!mondays.is_empty());
        for m in &mondays {
            assert_eq!(day_of(m.value).unwrap().weekday(), chrono::Weekday::Mon);
        }
        assert!(weeks.iter().any(|m| m.step_size == 365.0 && day_of(m.value) == Some(d("2025-01-01"))));
        let years =
            date_marks(GridInput { bounds: (x_of(d("2000-01-01")), x_of(d("2025-01-01"))), base_step_size: 60.0 });
        assert!(years.iter().all(|m| m.step_size == 365.0));
        assert_eq!(date_label(years[1], &(0.0..=1.0)), "2001", "year marks are labelled with the year");
        let months =
            date_marks(GridInput { bounds: (x_of(d("2023-01-01")), x_of(d("2023-12-31"))), base_step_size: 7.0 });
        let labels: Vec<String> =
            months.iter().filter(|m| m.step_size >= 30.0).map(|m| date_label(*m, &(0.0..=1.0))).collect();
        assert_eq!(labels.len(), 12, "{labels:?}");
        assert_eq!((labels[0].as_str(), labels[1].as_str(), labels[11].as_str()), ("2023", "Feb", "Dec"));
    }

    /// A flat zero line and a peak meet at the peak's foot: a click on the peak's marker takes
    /// the peak, though the zero line's point is as near in x.
    #[test]
    fn a_click_takes_the_point_under_the_pointer() {
        use crate::core::timeline::{DayCount, DayTotal, Metric};
        let day = d("2024-01-01");
        let totals = std::collections::BTreeMap::from([(day, DayTotal { articles: 100, file_time: 0 })]);
        let count = |n| std::collections::BTreeMap::from([(day, DayCount { mentions: n, articles: 1 })]);
        let trends = Trends::build(
            Bucket::Day,
            Some(day),
            Some(day + Duration::days(1)),
            &totals,
            &[("zero".into(), count(0)), ("peak".into(), count(1))],
        );
        // A screen where a mention is 8 points high: the zero point is 8 points below the peak.
        let frame = egui::Rect::from_min_size(Pos2::ZERO, egui::vec2(200.0, 80.0));
        let bounds = egui_plot::PlotBounds::from_min_max([x_of(day) - 1.0, 0.0], [x_of(day) + 2.0, 10.0]);
        let transform = egui_plot::PlotTransform::new(frame, bounds, egui::Vec2b::FALSE);
        let peak = transform.position_from_point(&egui_plot::PlotPoint::new(x_of(day), 1.0));
        assert_eq!(nearest_point(&trends, Metric::Mentions, &transform, peak + egui::vec2(0.0, 4.5)), Some((1, 0)));
    }
}
