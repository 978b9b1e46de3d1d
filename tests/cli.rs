//! The command line as a user runs it: the real binary on the fixture folder.

#![allow(clippy::unwrap_used)] // tests: a panic is the failure report

use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/formats")
}

fn presswatch(args: &[&str]) -> std::process::Output {
    // A data directory of its own, so a store the developer made is never used.
    let data = tempfile::tempdir().unwrap();
    presswatch_with_data(args, data.path())
}

fn presswatch_with_data(args: &[&str], data: &Path) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_presswatch"))
        .env("PRESSWATCH_DATA_DIR", data)
        .args(args)
        .output()
        .expect("run presswatch")
}

fn stdout(out: &std::process::Output) -> String {
    String::from_utf8(out.stdout.clone()).expect("utf-8 stdout")
}

fn stderr(out: &std::process::Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

fn articles_json(path: &Path, extra: &[&str]) -> Vec<Value> {
    let mut args = vec!["articles", path.to_str().unwrap(), "--json"];
    args.extend_from_slice(extra);
    let out = presswatch(&args);
    assert!(out.status.success(), "{}", stderr(&out));
    stdout(&out).lines().map(|l| serde_json::from_str(l).unwrap()).collect()
}

#[test]
fn scan_json_reports_formats_dates_and_skipped_files() {
    let out = presswatch(&["scan", fixtures().to_str().unwrap(), "--json"]);
    assert!(out.status.success(), "skipped files are not a failure: {}", stderr(&out));
    let v: Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(v["articles"], 32);
    assert_eq!(v["files_seen"], 28, "hidden files and folders are ignored");
    let formats = &v["articles_by_format"];
    assert_eq!(
        (
            &formats["text"],
            &formats["markdown"],
            &formats["html"],
            &formats["json"],
            &formats["jsonl"],
            &formats["feed"]
        ),
        (&Value::from(11), &Value::from(2), &Value::from(3), &Value::from(6), &Value::from(6), &Value::from(4))
    );
    let skipped: Vec<String> =
        v["skipped"].as_array().unwrap().iter().map(|s| format!("{}: {}", s["reason"], s["path"])).collect();
    assert_eq!(skipped.len(), 6, "{skipped:#?}");
    for (file, reason) in [
        ("broken.json", "invalid JSON"),
        ("broken-feed.xml", "broken XML"),
        ("empty.txt", "empty file"),
        ("image.png", "PNG image"),
        ("not-gzip.json.gz", "not gzip"),
        ("items.jsonl", "line 4: invalid JSON"),
    ] {
        assert!(skipped.iter().any(|s| s.contains(file) && s.contains(reason)), "{file}: {skipped:#?}");
    }
    assert!(stderr(&out).contains("skipped: empty file:"), "skipped files are listed on stderr");
}

#[test]
fn articles_carry_ids_dates_and_provenance() {
    let articles = articles_json(&fixtures(), &["--with-text"]);
    let by_id = |suffix: &str| {
        articles.iter().find(|a| a["id"].as_str().unwrap().ends_with(suffix)).unwrap_or_else(|| panic!("{suffix}"))
    };
    let header = by_id("text/header.txt");
    assert_eq!(header["title"], "Kremlin weighs summit offer");
    assert_eq!(header["published"], "2024-12-20T04:30:00Z", "offsets are converted to UTC");
    assert_eq!(header["date_source"], "metadata");
    assert_eq!(header["source"], "Test Wire");
    assert_eq!(
        header["text"],
        "Kremlin weighs summit offer\nThe Kremlin said Putin was open to a summit. Putin's aides declined to comment.\n"
    );
    assert_eq!(by_id("2024-12-17-filename-date.txt")["date_source"], "filename");
    assert_eq!(by_id("text/dateline.txt")["published"], "2024-12-19T00:00:00Z");
    assert_eq!(by_id("text/dateline.txt")["date_source"], "text");
    assert_eq!(by_id("mail/usenet-message")["published"], "1993-04-26T00:13:14Z");
    assert_eq!(by_id("json/newsapi.json#0")["text"], "Trump and Putin speak\nThe two leaders spoke & agreed to meet.");
    assert_eq!(by_id("json/single.json")["title"], "Rate decision");
    assert_eq!(by_id("json/array.json#2")["published"], "2024-12-19T22:15:00Z");
    assert_eq!(by_id("jsonl/items.jsonl#4")["title"], "After blank", "record numbers count non-empty lines");
    assert_eq!(by_id("gz/2025-01.jsonl.gz#1")["title"], "Call");
    assert_eq!(by_id("feeds/rss.xml#0")["text"], "Putin & the press\nPutin held his annual press conference.");
    assert_eq!(by_id("feeds/feed.atom#0")["published"], "2024-12-09T08:00:00Z");
    let html = by_id("html/page.html");
    assert_eq!((&html["title"], &html["source"]), (&Value::from("Assad flees Damascus"), &Value::from("Test Times")));
    let text = html["text"].as_str().unwrap();
    assert!(text.contains("granted Assad and his family asylum"));
    assert!(!text.contains("cookies") && !text.contains("Share on") && !text.contains("var x"), "{text}");
    assert!(by_id("declared-windows-1252.html")["title"] == "Café talks – été");
    assert!(by_id("undeclared-windows-1251.txt")["text"].as_str().unwrap().starts_with("Путин заявил"));
    assert!(by_id("koi8-r.txt")["text"].as_str().unwrap().starts_with("Центральный банк"));
    assert_eq!(by_id("utf16-bom.txt")["title"], "UTF-16 article");
    // Not UTF-8, so decoded as the detected legacy encoding: the damaged bytes never stop it.
    assert!(by_id("invalid-utf8.txt")["text"].as_str().unwrap().contains("Fighting continued near Kursk"));
}

#[test]
fn no_file_dates_leaves_file_time_articles_undated() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("note.txt");
    std::fs::write(&file, "A note without any date.\n").unwrap();
    let when = std::time::SystemTime::UNIX_EPOCH + std::time::Duration::from_secs(1_718_000_000);
    std::fs::File::options().write(true).open(&file).unwrap().set_modified(when).unwrap();
    let with = articles_json(dir.path(), &[]);
    assert_eq!(
        (&with[0]["date_source"], &with[0]["published"]),
        (&Value::from("file_time"), &Value::from("2024-06-10T06:13:20Z"))
    );
    let without = articles_json(dir.path(), &["--no-file-dates"]);
    assert_eq!((&without[0]["date_source"], &without[0]["published"]), (&Value::from("none"), &Value::Null));
}

const EXPECTED_TRENDS: &str = "period_start,term,mentions,articles,total_articles,share
2024-12-01,Putin,5,3,15,0.200000
2025-01-01,Putin,2,2,5,0.400000
2024-12-01,Assad,6,3,15,0.200000
2025-01-01,Assad,0,0,5,0.000000
";

#[test]
fn trends_csv_counts_by_the_documented_rules() {
    let path = fixtures();
    let args = ["trends", path.to_str().unwrap(), "-t", "Putin", "-t", "Assad", "--bucket", "month"];
    let out = presswatch(&[&args[..], &["--no-file-dates", "--from", "2024-12-01", "--to", "2025-01-31"]].concat());
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(stdout(&out), EXPECTED_TRENDS);

    let dir = tempfile::tempdir().unwrap();
    let csv = dir.path().join("trends.csv");
    let out = presswatch(
        &[&args[..], &["--no-file-dates", "--from", "2024-12-01", "--to", "2025-01-31", "-o", csv.to_str().unwrap()]]
            .concat(),
    );
    assert!(out.status.success());
    assert_eq!(std::fs::read_to_string(&csv).unwrap(), EXPECTED_TRENDS, "-o writes the same CSV");
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1, "no temporary file left behind");
}

#[test]
fn trends_zero_fill_weeks_and_label_terms() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("a.txt"), "Title: A\nDate: 2024-12-02\n\nVladimir Putin met Putin.\n").unwrap();
    std::fs::write(dir.path().join("b.txt"), "Title: B\nDate: 2024-12-19\n\nNothing here.\n").unwrap();
    let out = presswatch(&[
        "trends",
        dir.path().to_str().unwrap(),
        "-t",
        "Russia's president=Putin|Vladimir Putin",
        "-t",
        "=cmd",
        "--bucket",
        "week",
    ]);
    assert_eq!(out.status.code(), Some(2), "an empty label is a usage error");
    assert!(stderr(&out).contains("invalid term"), "{}", stderr(&out));
    let out = presswatch(&[
        "trends",
        dir.path().to_str().unwrap(),
        "-t",
        "Russia's president=Putin|Vladimir Putin",
        "--term=-x",
        "--bucket",
        "week",
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(
        stdout(&out),
        "period_start,term,mentions,articles,total_articles,share
2024-12-02,Russia's president,2,1,1,1.000000
2024-12-09,Russia's president,0,0,0,0.000000
2024-12-16,Russia's president,0,0,1,0.000000
2024-12-02,'-x,0,0,1,0.000000
2024-12-09,'-x,0,0,0,0.000000
2024-12-16,'-x,0,0,1,0.000000
"
    );
}

#[test]
fn fatal_errors_exit_2_with_one_line_naming_the_path() {
    let out = presswatch(&["scan", "/no/such/folder"]);
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(err.contains("/no/such/folder") && err.contains("No such file"), "{err}");
    let out = presswatch(&["trends", "/tmp", "-t", "a | *"]);
    assert_eq!(out.status.code(), Some(2));
    let out = presswatch(&["trends", fixtures().to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2), "a missing -t is a usage error");
    let out = presswatch(&["trends", fixtures().to_str().unwrap(), "-t", "x", "-o", "/no/such/dir/out.csv"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("/no/such/dir/out.csv"));
}

#[cfg(unix)]
#[test]
fn symlink_loops_terminate_and_are_reported() {
    let dir = tempfile::tempdir().unwrap();
    let sub = dir.path().join("sub");
    std::fs::create_dir(&sub).unwrap();
    std::fs::write(sub.join("a.txt"), "Title: A\nDate: 2024-12-02\n\nText.\n").unwrap();
    std::os::unix::fs::symlink(dir.path(), sub.join("loop")).unwrap();
    let out = presswatch(&["scan", dir.path().to_str().unwrap(), "--json"]);
    assert!(out.status.success());
    let v: Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(v["articles"], 1);
    assert!(v["skipped"][0]["reason"].as_str().unwrap().contains("loop"), "{v}");
}

#[test]
fn help_documents_every_subcommand_with_an_example() {
    for sub in ["scan", "articles", "trends", "open"] {
        let out = presswatch(&[sub, "--help"]);
        assert!(out.status.success());
        assert!(stdout(&out).contains("Example: presswatch"), "{sub} --help lacks an example");
    }
}

#[test]
fn with_a_store_every_command_prints_what_it_prints_without() {
    let data = tempfile::tempdir().unwrap();
    let folder = fixtures();
    let path = folder.to_str().unwrap();
    let index = presswatch_with_data(&["index", path], data.path());
    assert!(index.status.success(), "{}", stderr(&index));
    assert!(stdout(&index).contains("files: 28 added, 0 changed, 0 removed, 0 unchanged"), "{}", stdout(&index));
    let commands: [&[&str]; 11] = [
        &["cooccur", path, "-e", "Putin", "--json"],
        &["cooccur", path, "-q", "kremlin* OR putin", "--sort", "lift", "--from", "2024-12-01"],
        &["articles", path, "--json", "--with-text"],
        &["articles", path, "-q", "putin OR kremlin*", "--json"],
        &["trends", path, "-t", "Putin", "-q", "Summit=putin NEAR/5 trump", "--by", "source", "--bucket", "week"],
        &["trends", path, "-q", "NOT putin", "-q", "source:\"Test Wire\" OR title:(kremlin OR summit)"],
        &["articles", path, "--no-file-dates"],
        &["trends", path, "-t", "Putin", "-t", "Trump|Donald Trump", "-t", "kremlin*", "-t", "the", "--bucket", "day"],
        &["trends", path, "-t", "central bank", "-e", "Putin", "--bucket", "month"],
        &["entities", path, "--json"],
        &["entities", path, "--mentions", "--json"],
    ];
    for args in commands {
        let stored = presswatch_with_data(args, data.path());
        let mut read = args.to_vec();
        read.push("--no-store");
        let files = presswatch_with_data(&read, data.path());
        assert!(stored.status.success() && files.status.success(), "{args:?}: {}", stderr(&stored));
        assert_eq!(stdout(&stored), stdout(&files), "{args:?}");
        assert_eq!(stderr(&stored), stderr(&files), "{args:?}: the same skipped files are reported");
    }
    // `scan` differs only in how long it took.
    let strip = |out: std::process::Output| {
        let mut v: Value = serde_json::from_str(&stdout(&out)).unwrap();
        v["elapsed_seconds"] = Value::Null;
        v
    };
    let stored = strip(presswatch_with_data(&["scan", path, "--json"], data.path()));
    let files = strip(presswatch_with_data(&["scan", path, "--json", "--no-store"], data.path()));
    assert_eq!(stored, files);

    // Unchanged: nothing is read again.
    let again = presswatch_with_data(&["index", path, "--json"], data.path());
    let report: Value = serde_json::from_str(&stdout(&again)).unwrap();
    assert_eq!((report["added_files"].as_u64(), report["unchanged_files"].as_u64()), (Some(0), Some(28)));
}

#[test]
fn forget_deletes_the_store_and_never_the_folder() {
    let data = tempfile::tempdir().unwrap();
    let folder = tempfile::tempdir().unwrap();
    std::fs::write(folder.path().join("a.txt"), "Title: A\nDate: 2024-12-01\n\nPutin spoke.\n").unwrap();
    let path = folder.path().to_str().unwrap();
    assert!(presswatch_with_data(&["index", path], data.path()).status.success());
    let stores = data.path().join("stores");
    assert_eq!(std::fs::read_dir(&stores).unwrap().count(), 1);
    let out = presswatch_with_data(&["index", path, "--forget"], data.path());
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stderr(&out).contains("deleted the stored data"), "{}", stderr(&out));
    assert_eq!(std::fs::read_dir(&stores).unwrap().count(), 0);
    assert!(folder.path().join("a.txt").is_file());
}
