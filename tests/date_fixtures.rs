//! The small pages and values under `tests/fixtures/dates/`: each page's expected day (at the
//! offset the page wrote, as Presswatch charts it) is in
//! `NAME.date` (`-` for a page that must yield no date), each value's expected instant in
//! `values.tsv`.

#![allow(clippy::unwrap_used)] // tests: a panic is the failure report

use std::path::{Path, PathBuf};

use presswatch::core::ingest::dates::parse_date;
use presswatch::core::ingest::html_date::find_html_date_detailed;
use scraper::Html;

const FIXTURES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/dates");

fn pages() -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> = std::fs::read_dir(FIXTURES)
        .expect("fixture folder")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "html"))
        .collect();
    out.sort();
    out
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

#[test]
fn every_fixture_page_gives_its_day() {
    let pages = pages();
    assert!(pages.len() >= 5);
    let mut wrong = Vec::new();
    for page in &pages {
        let expected = read(&page.with_extension("date")).trim().to_string();
        let doc = Html::parse_document(&read(page));
        let got = find_html_date_detailed(&doc, None)
            .map_or_else(|| "-".to_string(), |d| d.local.format("%Y-%m-%d").to_string());
        if got != expected {
            wrong.push(format!("{}: got {got}, expected {expected}", page.display()));
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

#[test]
fn every_fixture_value_parses_as_expected() {
    let table = read(&Path::new(FIXTURES).join("values.tsv"));
    let mut wrong = Vec::new();
    for line in table.lines().filter(|l| !l.trim().is_empty()) {
        let Some((value, expected)) = line.split_once('\t') else {
            continue;
        };
        let got = parse_date(value).map_or_else(|| "-".to_string(), |d| d.format("%Y-%m-%dT%H:%M:%SZ").to_string());
        if got != expected.trim() {
            wrong.push(format!("{value:?}: got {got}, expected {expected}"));
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}
