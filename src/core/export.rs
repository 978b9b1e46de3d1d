//! CSV export of chart data: RFC 4180 via the `csv` crate, one row per period and term, written
//! atomically so a crash never leaves half a file.
//!
//! The window's "Export chart data" and the `trends` command use this same writer, so a CSV from
//! either is byte-identical for the same data.

use std::io::Write;
use std::path::Path;

use chrono::NaiveDate;

use crate::core::timeline::{Point, Trends};

pub const TRENDS_HEADER: [&str; 6] = ["period_start", "term", "mentions", "articles", "total_articles", "share"];

#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    #[error("cannot write CSV: {0}")]
    Csv(#[from] csv::Error),
    #[error("cannot write {}: {source}", path.display())]
    Io { path: std::path::PathBuf, source: std::io::Error },
}

/// Protects spreadsheet users: a text cell starting with `=`, `+`, `-`, `@`, tab or carriage
/// return would be run as a formula, so it gets a leading `'`.
pub fn spreadsheet_safe(cell: &str) -> std::borrow::Cow<'_, str> {
    if cell.starts_with(['=', '+', '-', '@', '\t', '\r']) { format!("'{cell}").into() } else { cell.into() }
}

/// Writes the trends CSV: rows by term in the given order, then by date.
pub fn write_trends(out: impl Write, trends: &Trends) -> Result<(), ExportError> {
    let mut w = csv::Writer::from_writer(out);
    w.write_record(TRENDS_HEADER)?;
    for series in &trends.series {
        let term = spreadsheet_safe(&series.label);
        for (period, point) in trends.periods.iter().zip(&series.points) {
            write_trend_row(&mut w, *period, &[&term], point)?;
        }
    }
    w.flush().map_err(csv::Error::from)?;
    Ok(())
}

/// The header of the trends CSV split by source (`trends --by source`).
pub const TRENDS_BY_SOURCE_HEADER: [&str; 7] =
    ["period_start", "term", "source", "mentions", "articles", "total_articles", "share"];

/// Writes the trends CSV split by source, tidy long format: rows by term, then source (as
/// `outlets` gives them), then date; a row for every period in which the source has a dated
/// article, its own articles being `total_articles`.
pub fn write_trends_by_source(out: impl Write, outlets: &[(String, Trends)]) -> Result<(), ExportError> {
    let mut w = csv::Writer::from_writer(out);
    w.write_record(TRENDS_BY_SOURCE_HEADER)?;
    let series = outlets.first().map_or(0, |(_, t)| t.series.len());
    for s in 0..series {
        for (outlet, trends) in outlets {
            let term = spreadsheet_safe(&trends.series[s].label);
            let source = spreadsheet_safe(outlet);
            for (period, point) in trends.periods.iter().zip(&trends.series[s].points) {
                if point.total_articles == 0 {
                    continue;
                }
                write_trend_row(&mut w, *period, &[&term, &source], point)?;
            }
        }
    }
    w.flush().map_err(csv::Error::from)?;
    Ok(())
}

/// One row of a trends CSV: the period, the `labels` (term, and source when split), the counts.
fn write_trend_row<W: Write>(
    w: &mut csv::Writer<W>,
    period: NaiveDate,
    labels: &[&str],
    point: &Point,
) -> Result<(), csv::Error> {
    let period = period.format("%Y-%m-%d").to_string();
    let counts = [point.mentions, point.articles, point.total_articles].map(|n| n.to_string());
    let share = format!("{:.6}", point.share());
    let row = std::iter::once(period.as_str())
        .chain(labels.iter().copied())
        .chain(counts.iter().map(String::as_str))
        .chain(std::iter::once(share.as_str()));
    w.write_record(row)
}

/// Writes `path` through a temporary file in the same folder, renamed into place when complete.
pub fn write_atomically(
    path: &Path,
    write: impl FnOnce(&mut dyn Write) -> Result<(), ExportError>,
) -> Result<(), ExportError> {
    let io = |source| ExportError::Io { path: path.to_path_buf(), source };
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    let mut builder = tempfile::Builder::new();
    // tempfile creates 0600 files; an export is a report for others to read, so a new file gets
    // the usual permissions (0666 less the umask) and a replaced file keeps its own.
    #[cfg(unix)]
    let existing = {
        use std::os::unix::fs::PermissionsExt;
        builder.permissions(std::fs::Permissions::from_mode(0o666));
        std::fs::metadata(path).ok().map(|m| m.permissions())
    };
    let mut tmp = builder.tempfile_in(dir).map_err(io)?;
    #[cfg(unix)]
    if let Some(permissions) = existing {
        tmp.as_file().set_permissions(permissions).map_err(io)?;
    }
    {
        let mut buffered = std::io::BufWriter::new(tmp.as_file_mut());
        write(&mut buffered)?;
        buffered.flush().map_err(io)?;
    }
    tmp.as_file().sync_all().map_err(io)?;
    tmp.persist(path).map_err(|e| io(e.error))?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use chrono::NaiveDate;

    use super::*;
    use crate::core::timeline::{Bucket, DayCount, DayTotal};

    #[cfg(unix)]
    #[test]
    fn exports_get_ordinary_permissions_and_replacements_keep_theirs() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
        let plain = dir.path().join("plain.txt");
        std::fs::write(&plain, "x").unwrap();
        let export = dir.path().join("export.csv");
        write_atomically(&export, |w| {
            w.write_all(b"a").map_err(|e| ExportError::Io { path: export.clone(), source: e })
        })
        .unwrap();
        assert_eq!(mode(&export), mode(&plain), "like any file the user creates");
        std::fs::set_permissions(&export, std::fs::Permissions::from_mode(0o640)).unwrap();
        write_atomically(&export, |w| {
            w.write_all(b"b").map_err(|e| ExportError::Io { path: export.clone(), source: e })
        })
        .unwrap();
        assert_eq!((mode(&export), std::fs::read(&export).unwrap()), (0o640, b"b".to_vec()));
    }

    #[test]
    fn csv_rows_quote_and_defuse_formulas() {
        let day = NaiveDate::from_ymd_opt(2024, 12, 19).unwrap();
        let totals: BTreeMap<_, _> = [(day, DayTotal { articles: 3, file_time: 0 })].into();
        let counts: BTreeMap<_, _> = [(day, DayCount { mentions: 4, articles: 2 })].into();
        let trends = Trends::build(
            Bucket::Day,
            None,
            None,
            &totals,
            &[("=HYPERLINK(\"x\")".to_string(), counts), ("Putin, Vladimir".to_string(), BTreeMap::new())],
        );
        let mut out = Vec::new();
        write_trends(&mut out, &trends).unwrap();
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "period_start,term,mentions,articles,total_articles,share\n\
             2024-12-19,\"'=HYPERLINK(\"\"x\"\")\",4,2,3,0.666667\n\
             2024-12-19,\"Putin, Vladimir\",0,0,3,0.000000\n"
        );
    }

    #[test]
    fn atomic_write_replaces_whole_file_and_leaves_no_temp() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("out.csv");
        std::fs::write(&path, "old").unwrap();
        write_atomically(&path, |w| w.write_all(b"new").map_err(|source| ExportError::Io { path: "x".into(), source }))
            .unwrap();
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "new");
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
        let failed =
            write_atomically(&path, |_| Err(ExportError::Csv(csv::Error::from(std::io::Error::other("boom")))));
        assert!(failed.is_err());
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "new", "a failed export keeps the old file");
    }
}
