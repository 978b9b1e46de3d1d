//! `presswatch alerts`, `presswatch duplicates` and `--dedup` as a user runs them: the real binary
//! on the bundled sample-data and on small folders written here.

#![allow(clippy::unwrap_used)] // tests: a panic is the failure report

use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::{Value, json};

fn sample_data() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("sample-data")
}

fn presswatch(args: &[&str]) -> std::process::Output {
    // A data directory of its own, so a store the developer made is never used.
    let data = tempfile::tempdir().unwrap();
    Command::new(env!("CARGO_BIN_EXE_presswatch"))
        .env("PRESSWATCH_DATA_DIR", data.path())
        .args(args)
        .output()
        .expect("run presswatch")
}

fn ok(args: &[&str]) -> String {
    let out = presswatch(args);
    assert!(out.status.success(), "{args:?}: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).unwrap()
}

const STORY: &str = "The harbour authority approved a new container terminal on Tuesday after two years of \
    hearings, saying the expansion would double the port's capacity by the end of the decade.\n\
    Opponents had argued the dredging would damage the estuary's fisheries, and a local group said it would \
    appeal the decision in the regional court.\n\
    The operator expects construction to begin next spring and to employ about four hundred people.";

/// A JSON Lines folder: a flat background of a few "harbour" articles a day, a burst on one day,
/// and one story copied by two other outlets.
fn burst_folder() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let mut lines = Vec::new();
    for day in 1..=28u32 {
        let n = if day == 24 { 15 } else { 1 + day % 2 };
        for i in 0..n {
            lines.push(json!({
                "title": format!("Port notes {day}-{i}"),
                // Words of their own, so that no two of these are copies.
                "text": format!(
                    "Harbour log: {}.",
                    (0..12).map(|k| format!("w{}", (day * 100 + i) * 13 + k)).collect::<Vec<_>>().join(" ")
                ),
                "published": format!("2024-03-{day:02}T{:02}:00:00Z", 6 + i % 12),
                "source": format!("Outlet {}", i % 3),
            }));
        }
    }
    for (hour, source, title) in [
        (9, "Wire Desk", "Terminal approved"),
        (11, "Daily Ledger", "Port to double in size"),
        (8, "Valley Gazette", "New terminal"),
    ] {
        lines.push(json!({
            "title": title,
            "text": format!("{STORY}\nSubscribe to {source} for more."),
            "published": format!("2024-03-26T{hour:02}:00:00Z"),
            "source": source,
        }));
    }
    let text: Vec<String> = lines.iter().map(Value::to_string).collect();
    std::fs::write(dir.path().join("feed.jsonl"), text.join("\n")).unwrap();
    dir
}

#[test]
fn alerts_json_flags_the_burst_with_its_articles() {
    let dir = burst_folder();
    let out = ok(&["alerts", dir.path().to_str().unwrap(), "-t", "harbour", "--json"]);
    let alerts: Vec<Value> = serde_json::from_str(&out).unwrap();
    assert_eq!(alerts.len(), 1, "{alerts:?}");
    let a = &alerts[0];
    assert_eq!((&a["series"], &a["period_start"], &a["count"]), (&json!("harbour"), &json!("2024-03-24"), &json!(15)));
    assert!(a["expected"].as_f64().unwrap() < 2.0 && a["p_value"].as_f64().unwrap() <= 0.001, "{a}");
    let articles = a["articles"].as_array().unwrap();
    assert_eq!(articles.len(), 5, "the top five articles by default");
    assert!(articles.iter().all(|id| id.as_str().unwrap().contains("feed.jsonl#")), "{articles:?}");

    // A stricter rule flags nothing; --since after the burst hides it.
    let strict = ok(&["alerts", dir.path().to_str().unwrap(), "-t", "harbour", "--min-count", "20", "--json"]);
    assert_eq!(serde_json::from_str::<Vec<Value>>(&strict).unwrap(), Vec::<Value>::new());
    let later = ok(&["alerts", dir.path().to_str().unwrap(), "-t", "harbour", "--since", "2024-03-25", "--json"]);
    assert_eq!(serde_json::from_str::<Vec<Value>>(&later).unwrap(), Vec::<Value>::new());

    let table = ok(&["alerts", dir.path().to_str().unwrap(), "-t", "harbour"]);
    assert!(table.lines().nth(1).is_some_and(|l| l.starts_with("2024-03-24") && l.contains("harbour")), "{table}");
}

#[test]
fn alerts_on_sample_data_are_sorted_by_period() {
    let path = sample_data();
    let out = ok(&[
        "alerts",
        path.to_str().unwrap(),
        "-t",
        "Putin",
        "-q",
        "kirillov OR oreshnik",
        "--bucket",
        "week",
        "--json",
    ]);
    let alerts: Vec<Value> = serde_json::from_str(&out).unwrap();
    let starts: Vec<&str> = alerts.iter().map(|a| a["period_start"].as_str().unwrap()).collect();
    let mut sorted = starts.clone();
    sorted.sort();
    assert_eq!(starts, sorted);
    for a in &alerts {
        for key in ["series", "period_start", "count", "expected", "p_value", "articles"] {
            assert!(a.get(key).is_some(), "{key} missing from {a}");
        }
    }
}

#[test]
fn duplicates_groups_copies_under_the_earliest_article() {
    let dir = burst_folder();
    let out = ok(&["duplicates", dir.path().to_str().unwrap(), "--json"]);
    let groups: Vec<Value> = serde_json::from_str(&out).unwrap();
    let feed = dir.path().join("feed.jsonl");
    // The copies are the file's last three records, the 08:00 one (the last) first.
    let n = std::fs::read_to_string(&feed).unwrap().lines().count();
    let id = |i: usize| format!("{}#{i}", feed.display());
    assert_eq!(groups, vec![json!({"original": id(n - 1), "copies": [id(n - 3), id(n - 2)]})]);

    let plain = ok(&["duplicates", dir.path().to_str().unwrap()]);
    assert_eq!(plain.lines().count(), 3, "{plain}");
    assert!(plain.lines().nth(1).unwrap().starts_with("  copy: "), "{plain}");

    // Sample-data's groups (if any) are well formed.
    let sample: Vec<Value> =
        serde_json::from_str(&ok(&["duplicates", sample_data().to_str().unwrap(), "--json"])).unwrap();
    assert!(sample.iter().all(|g| g["original"].is_string() && !g["copies"].as_array().unwrap().is_empty()));
}

#[test]
fn dedup_counts_each_story_once() {
    let dir = burst_folder();
    let path = dir.path().to_str().unwrap();
    let row = |csv: &str| csv.lines().find(|l| l.starts_with("2024-03-26,")).map(str::to_string).unwrap();
    let all = ok(&["trends", path, "-t", "terminal", "--bucket", "day"]);
    let once = ok(&["trends", path, "-t", "terminal", "--bucket", "day", "--dedup"]);
    // period_start,term,mentions,articles,total_articles,share: three copies and one other
    // article that day, then one story and the other.
    let cells = |row: String| row.split(',').skip(3).take(2).map(str::to_string).collect::<Vec<_>>();
    assert_eq!(cells(row(&all)), ["3", "4"]);
    assert_eq!(cells(row(&once)), ["1", "2"]);
    // Days without copies are unchanged.
    assert_eq!(all.lines().nth(1), once.lines().nth(1));

    let listed = |extra: &[&str]| {
        let mut args = vec!["articles", path, "--json"];
        args.extend_from_slice(extra);
        ok(&args).lines().map(|l| serde_json::from_str::<Value>(l).unwrap()).collect::<Vec<_>>()
    };
    // Split by outlet, each story still counts once: per period, the outlets add up to the
    // deduplicated whole (period_start,term,source,mentions,articles,total_articles,share).
    let split = ok(&["trends", path, "-t", "terminal", "--bucket", "day", "--dedup", "--by", "source"]);
    let mut summed: std::collections::BTreeMap<String, [u64; 3]> = Default::default();
    for line in split.lines().skip(1) {
        let cells: Vec<&str> = line.split(',').collect();
        let sum = summed.entry(cells[0].to_string()).or_default();
        for (total, cell) in sum.iter_mut().zip(&cells[3..6]) {
            *total += cell.parse::<u64>().unwrap();
        }
    }
    for line in once.lines().skip(1) {
        let cells: Vec<&str> = line.split(',').collect();
        let whole: Vec<u64> = cells[2..5].iter().map(|c| c.parse().unwrap()).collect();
        assert_eq!(summed.get(cells[0]).map_or(&[0, 0, 0][..], |s| &s[..]), whole, "{line}\n{split}");
    }

    let (every, stories) = (listed(&[]), listed(&["--dedup"]));
    assert_eq!(every.len() - stories.len(), 2);
    let original = stories.iter().find(|a| a["copies"].as_array().is_some_and(|c| c.len() == 2));
    assert!(original.is_some_and(|a| a["source"] == "Valley Gazette"), "{stories:?}");
}
