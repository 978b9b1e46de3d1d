//! Imports of the real third-party corpora beside the checkout (`../shared/corpora`). They are
//! not part of the repository: each test prints a notice and passes when the corpus is absent.

#![allow(clippy::unwrap_used)] // tests: a panic is the failure report

use std::collections::HashMap;
use std::path::PathBuf;

use chrono::{DateTime, Utc};
use presswatch::core::article::DateSource;
use presswatch::core::ingest::{self, ImportOptions, ImportProgress};

fn corpus(name: &str) -> Option<PathBuf> {
    let path = PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../shared/corpora")).join(name);
    if path.is_dir() {
        Some(path)
    } else {
        eprintln!("notice: {} is absent; skipping this corpus test", path.display());
        None
    }
}

#[test]
fn all_21578_reuters_articles_import_with_their_dates() {
    let Some(root) = corpus("reuters-1987") else { return };
    // The expected dates, read independently of the importer.
    let mut expected: HashMap<String, DateTime<Utc>> = HashMap::new();
    for entry in std::fs::read_dir(&root).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "jsonl") {
            for line in std::fs::read_to_string(&path).unwrap().lines().filter(|l| !l.trim().is_empty()) {
                let v: serde_json::Value = serde_json::from_str(line).unwrap();
                let published = v["published"].as_str().unwrap();
                let at = DateTime::parse_from_rfc3339(published)
                    .map(|d| d.with_timezone(&Utc))
                    .or_else(|_| {
                        chrono::NaiveDate::parse_from_str(&published[..10], "%Y-%m-%d")
                            .map(|d| d.and_hms_opt(0, 0, 0).unwrap().and_utc())
                    })
                    .unwrap();
                expected.insert(format!("{}|{}", v["title"].as_str().unwrap_or(""), v["id"]), at);
            }
        }
    }
    let imported = ingest::import(&root, &ImportOptions::default(), &ImportProgress::default(), |a| {
        (a.title.clone(), a.published, a.date_source, a.id.path.extension().is_some_and(|e| e == "jsonl"))
    })
    .unwrap();
    let articles: Vec<_> = imported.items.iter().filter(|a| a.3).collect();
    assert_eq!(articles.len(), 21_578);
    assert!(imported.report.skipped.is_empty(), "{:?}", imported.report.skipped);
    assert!(articles.iter().all(|a| a.2 == DateSource::Metadata));
    let mut days: Vec<_> = articles.iter().map(|a| a.1.unwrap().date_naive()).collect();
    days.sort();
    assert_eq!((days[0].to_string(), days[days.len() - 1].to_string()), ("1987-02-26".into(), "1987-10-20".into()));
    // Every article carries exactly the day its record declares.
    let mut declared: Vec<_> = expected.values().map(|d| d.date_naive()).collect();
    declared.sort();
    assert_eq!(days, declared);
}

#[test]
fn newsgroup_messages_import_as_dated_text() {
    let Some(root) = corpus("newsgroups-mini") else { return };
    let imported =
        ingest::import(&root, &ImportOptions::default(), &ImportProgress::default(), |a| (a.date_source, a.published))
            .unwrap();
    let messages: Vec<_> = imported.items.iter().filter(|(s, _)| *s == DateSource::Metadata).collect();
    assert_eq!(messages.len(), 2_000);
    assert!(messages.iter().all(|(_, d)| d.unwrap().format("%Y").to_string() == "1993"));
}
