//! A folder a user did not make: a gzip bomb, markup nested 40,000 deep, a NUL byte in a
//! sentence, empty and truncated files, broken encodings, links that loop or lead nowhere, an
//! unreadable file, special files and a file that vanishes while the import runs. Every good
//! article is imported, every bad file is reported with its reason, and nothing panics or hangs.

#![allow(clippy::unwrap_used)] // tests: a panic is the failure report
#![cfg(unix)]

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::Instant;

use flate2::Compression;
use flate2::write::GzEncoder;
use presswatch::core::ingest::{self, ImportOptions, ImportProgress, ImportReport};

/// A `.jsonl.gz` of about 2 MB that expands to one line of 2 GiB: gzip members concatenate, so
/// one member of a MiB of `a`s, written 2048 times, costs only a moment to make.
fn gzip_bomb(path: &Path) {
    let member = |data: &[u8]| {
        let mut gz = GzEncoder::new(Vec::new(), Compression::fast());
        gz.write_all(data).unwrap();
        gz.finish().unwrap()
    };
    let mut first = br#"{"title":"Bomb","text":""#.to_vec();
    first.extend(std::iter::repeat_n(b'a', 1 << 20));
    let rest = member(&vec![b'a'; 1 << 20]);
    let mut file = fs::File::create(path).unwrap();
    file.write_all(&member(&first)).unwrap();
    for _ in 1..2048 {
        file.write_all(&rest).unwrap();
    }
}

fn gzip(data: &[u8]) -> Vec<u8> {
    let mut gz = GzEncoder::new(Vec::new(), Compression::default());
    gz.write_all(data).unwrap();
    gz.finish().unwrap()
}

struct Folder {
    _dir: tempfile::TempDir,
    root: PathBuf,
    /// Whether this process can be kept from reading a file (not so as root).
    permissions_hold: bool,
}

fn hostile_folder() -> Folder {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().to_path_buf();
    let write = |name: &str, bytes: &[u8]| fs::write(root.join(name), bytes).unwrap();

    // The good articles.
    write("good-text.txt", b"Title: Talks resume in Geneva\nDate: 2023-05-17\n\nThe talks resumed on Wednesday.\n");
    write(
        "good-page.html",
        b"<html><head><title>Harbour reopens</title></head><body><article><h1>Harbour reopens</h1>\
          <p>The harbour reopened to ships on Monday after a week of storms closed it.</p></article></body></html>",
    );
    write(
        "good-lines.jsonl",
        b"{\"title\":\"One\",\"text\":\"First record\"}\n{\"title\":\"Two\",\"text\":\"Second record\"}\n",
    );
    write("good-notes.md", b"---\ntitle: Notes on the budget\n---\n\nThe budget was passed.\n");
    // A NUL byte in a sentence is damage in a text, not a binary file.
    write("nul-in-text.txt", b"Title: Minister speaks\n\nThe minister said\0 that the talks would go on.\n");
    // 40,000 nested divs around the text: imported, in linear time.
    let depth = 40_000;
    let mut nested = "<html><head><title>Deep</title></head><body>".to_string();
    nested.push_str(&"<div>".repeat(depth));
    nested.push_str("<p>Deep inside the markup the story of the flood is told in full.</p>");
    nested.push_str(&"</div>".repeat(depth));
    nested.push_str("</body></html>");
    write("nested-divs.html", nested.as_bytes());
    // Invalid UTF-8 (Latin-1 bytes): read as the legacy encoding it is.
    write("latin1.txt", b"Title: Caf\xe9 reopens\n\nThe caf\xe9 in the square reopened on Monday.\n");
    // UTF-16 with a BOM, an odd byte count and a lone surrogate: decoded with replacements.
    let mut utf16: Vec<u8> = vec![0xff, 0xfe];
    for unit in "Title: Bridge opens\n\nThe new bridge opened to traffic today.".encode_utf16() {
        utf16.extend(unit.to_le_bytes());
    }
    utf16.extend([0x00, 0xd8, 0x41]);
    write("broken-utf16.txt", &utf16);

    // The bad files.
    gzip_bomb(&root.join("bomb.jsonl.gz"));
    write("empty.txt", b"");
    let whole = gzip(&b"{\"title\":\"Cut\",\"text\":\"A record cut short\"}\n".repeat(200));
    write("truncated.json.gz", &whole[..whole.len() / 2]);
    write("binary.txt", &(0..4096u32).map(|i| (i * 7919 % 251) as u8).collect::<Vec<_>>());
    std::os::unix::fs::symlink(&root, root.join("loop")).unwrap();
    std::os::unix::fs::symlink(root.join("nowhere.txt"), root.join("dangling.txt")).unwrap();
    write("unreadable.txt", b"Title: Secret\n\nNobody may read this.\n");
    let unreadable = root.join("unreadable.txt");
    fs::set_permissions(&unreadable, std::os::unix::fs::PermissionsExt::from_mode(0o000)).unwrap();
    let permissions_hold = fs::File::open(&unreadable).is_err();
    let fifo = std::process::Command::new("mkfifo").arg(root.join("pipe.txt")).status();
    assert!(fifo.is_ok_and(|s| s.success()), "mkfifo");
    // Bound, then left behind as a socket file once the listener is dropped.
    drop(std::os::unix::net::UnixListener::bind(root.join("socket.txt")).unwrap());
    // Removed by the first article the import maps (see the test).
    write("zz-vanishes.txt", b"Title: Soon gone\n\nThis file is deleted while the import runs.\n");
    Folder { _dir: dir, root, permissions_hold }
}

fn reason<'a>(report: &'a ImportReport, name: &str) -> Option<&'a str> {
    report.skipped.iter().find(|s| s.path.file_name().is_some_and(|n| n == name)).map(|s| s.reason.as_str())
}

#[test]
fn a_hostile_folder_imports_its_good_articles_and_reports_each_bad_file() {
    let folder = hostile_folder();
    let root = &folder.root;
    let vanish = root.join("zz-vanishes.txt");
    let started = Instant::now();
    let imported = ingest::import(root, &ImportOptions::default(), &ImportProgress::default(), |a| {
        let _ = fs::remove_file(&vanish);
        (a.id.path.file_name().unwrap().to_string_lossy().into_owned(), a.title, a.text)
    })
    .unwrap();
    let elapsed = started.elapsed();
    let report = &imported.report;
    for s in &report.skipped {
        eprintln!("skipped: {s}");
    }
    let names: Vec<&str> = imported.items.iter().map(|(n, _, _)| n.as_str()).collect();
    eprintln!("imported {names:?} in {elapsed:?}");

    for good in [
        "good-text.txt",
        "good-page.html",
        "good-notes.md",
        "nul-in-text.txt",
        "nested-divs.html",
        "latin1.txt",
        "broken-utf16.txt",
    ] {
        assert!(names.contains(&good), "{good} was not imported: {:?}", reason(report, good));
    }
    assert_eq!(names.iter().filter(|&&n| n == "good-lines.jsonl").count(), 2);
    let text_of = |name: &str| &imported.items.iter().find(|(n, _, _)| n == name).unwrap().2;
    assert!(text_of("nul-in-text.txt").contains("The minister said that the talks"), "the NUL is dropped");
    assert!(text_of("nested-divs.html").contains("story of the flood"), "the deep text is kept");
    assert!(text_of("latin1.txt").contains("café"));

    let expect = |name: &str, words: &[&str]| {
        let reason = reason(report, name).unwrap_or_else(|| panic!("{name} is not reported"));
        for word in words {
            assert!(reason.contains(word), "{name}: {reason:?} should say {word:?}");
        }
    };
    expect("bomb.jsonl.gz", &["256 MiB file size limit", "--max-file-size"]);
    expect("empty.txt", &["empty"]);
    expect("truncated.json.gz", &["gzip"]);
    expect("binary.txt", &["binary"]);
    expect("loop", &["loop"]);
    expect("dangling.txt", &[]);
    expect("pipe.txt", &["named pipe", "not read"]);
    expect("socket.txt", &["socket", "not read"]);
    if folder.permissions_hold {
        expect("unreadable.txt", &["cannot read"]);
    }
    // Gone before it was read, or read just before it went: either way no panic, and said so.
    let vanished = names.contains(&"zz-vanishes.txt") || reason(report, "zz-vanishes.txt").is_some();
    assert!(vanished, "the vanished file is neither imported nor reported");
    assert!(!report.skipped.iter().any(|s| s.reason.contains("internal error")), "a parser panicked");
}

#[test]
fn a_file_that_vanishes_after_the_walk_is_reported() {
    let dir = tempfile::tempdir().unwrap();
    let gone = dir.path().join("gone.txt");
    let mut reasons = Vec::new();
    ingest::import_files(
        &[gone],
        &ImportOptions::default(),
        &ImportProgress::default(),
        |a| a,
        |file| {
            reasons.extend(file.skipped.into_iter().map(|s| s.reason));
        },
    );
    assert_eq!(reasons.len(), 1);
    assert!(reasons[0].contains("cannot read"), "{reasons:?}");
}
