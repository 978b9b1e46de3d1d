//! Every `Date:` header of the shared Usenet sample must parse: they are the obsolete RFC 822
//! forms (two-digit years, named zones, missing weekdays, trailing comments) that mail and news
//! archives are full of.

#![allow(clippy::unwrap_used)] // tests: a panic is the failure report

use std::path::{Path, PathBuf};

use presswatch::core::ingest::dates::{parse_date, plausible};

const CORPUS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../shared/corpora/newsgroups-mini");

fn files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let Ok(entries) = std::fs::read_dir(dir) else {
        return out;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            out.extend(files(&path));
        } else if path.file_name().is_some_and(|n| n != "SOURCE.txt") {
            out.push(path);
        }
    }
    out.sort();
    out
}

/// The `Date:` header of a message. Headers end at the first empty line; a line of only spaces
/// is a (malformed) continuation line, as one message in the sample shows.
fn date_header(message: &str) -> Option<&str> {
    message.lines().take_while(|l| !l.trim_end_matches('\r').is_empty()).find_map(|l| l.strip_prefix("Date:"))
}

#[test]
fn every_newsgroup_date_header_parses() {
    let dir = Path::new(CORPUS);
    if !dir.is_dir() {
        println!("skipped: {} is absent", dir.display());
        return;
    }
    let now = chrono::Utc::now();
    let mut failures = Vec::new();
    let paths = files(dir);
    for path in &paths {
        let bytes = std::fs::read(path).expect("readable corpus file");
        let message = String::from_utf8_lossy(&bytes);
        let Some(value) = date_header(&message) else {
            failures.push(format!("no Date: header: {}", path.display()));
            continue;
        };
        match parse_date(value) {
            Some(at) if plausible(at, now) => {}
            Some(at) => failures.push(format!("implausible {at} from {value:?}: {}", path.display())),
            None => failures.push(format!("unparsed {value:?}: {}", path.display())),
        }
    }
    assert!(paths.len() >= 2000, "expected the 2,000-message sample, found {}", paths.len());
    assert!(failures.is_empty(), "{} of {} failed:\n{}", failures.len(), paths.len(), failures.join("\n"));
}

#[test]
fn newsgroup_dates_land_in_the_right_utc_day() {
    // Spot checks written from the forms seen in the sample.
    let day = |v: &str| parse_date(v).map(|d| d.format("%Y-%m-%d %H:%M").to_string());
    assert_eq!(day("5 Apr 93 14:31:02 GMT").as_deref(), Some("1993-04-05 14:31"));
    assert_eq!(day("Sun, 18 Apr 1993 22:00:26 EDT(-0400)").as_deref(), Some("1993-04-19 02:00"));
    assert_eq!(day("18 Apr 93 21:57 PDT").as_deref(), Some("1993-04-19 04:57"));
    assert_eq!(day("Mon,  5 Apr 1993 09:15:31 -0500").as_deref(), Some("1993-04-05 14:15"));
    assert_eq!(day("14 Apr 93 09:01:52").as_deref(), Some("1993-04-14 09:01"));
    assert_eq!(day("Fri, 16 Apr 1993 15:44:11  PST").as_deref(), Some("1993-04-16 23:44"));
    assert_eq!(day("6 Apr 93 03:33 MST  ").as_deref(), Some("1993-04-06 10:33"));
    assert_eq!(day("Sun, 2 May 1993 10:03:50 IDT").as_deref(), Some("1993-05-02 07:03"));
    assert_eq!(day("3 Apr 93 04:05:19 NZST").as_deref(), Some("1993-04-02 16:05"));
    assert_eq!(day("Wed, 21 Apr 1993 09:00:00 +02").as_deref(), Some("1993-04-21 07:00"));
}
