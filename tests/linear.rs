//! Every parser's work grows linearly with its input, whatever its shape: HTML nesting, long
//! lines, long words, huge JSON arrays, deep JSON, many small feed items, thousands of
//! attributes. The sizes would take seconds if a path were quadratic; the assertions are on the
//! work done (the parsers' budget steps: tokens, nodes, events) or on the output, never on the
//! clock, so a slow or busy machine cannot make them flaky.

#![allow(clippy::unwrap_used)] // tests: a panic is the failure report

use presswatch::core::ingest::budget::{self, Spent};
use presswatch::core::ingest::{feed, html, html_bounds, json, markdown, text};
use presswatch::core::query::Matcher;

/// The steps a parse takes, unbounded.
fn steps<R>(parse: impl FnOnce() -> R) -> (R, u64) {
    let (result, Spent { steps, stopped }) = budget::within(None, None, parse);
    assert_eq!(stopped, None);
    (result, steps)
}

/// Doubling the input at most doubles the work, give or take a constant.
fn assert_linear(name: &str, small: u64, large: u64) {
    assert!(small > 0, "{name}: no work counted");
    assert!(large <= 2 * small + 1000, "{name}: {small} steps, then {large} for twice the input");
}

#[test]
fn html_nesting_is_linear() {
    let page = |depth: usize| {
        format!(
            "<html><body>{}<p>The story of the flood.</p>{}</body></html>",
            "<div>".repeat(depth),
            "</div>".repeat(depth)
        )
    };
    let (small, s) = steps(|| html_bounds::parse_document_with_stats(&page(100_000)));
    let (large, l) = steps(|| html_bounds::parse_document_with_stats(&page(200_000)));
    assert_linear("nesting", s, l);
    assert!(small.1.tokens > 0 && large.1.tokens <= 2 * small.1.tokens + 10);
    let article = html::parse_html(&page(200_000)).unwrap();
    assert!(article.body.contains("story of the flood"));
}

#[test]
fn thousands_of_attributes_are_linear() {
    let page = |n: usize| {
        let attrs: String = (0..n).map(|i| format!(" data-a{i}=\"{i}\"")).collect();
        format!("<html><body><p{attrs}>Attributes everywhere, and the text survives.</p></body></html>")
    };
    let (_, s) = steps(|| html_bounds::parse_document_with_stats(&page(50_000)));
    let (_, l) = steps(|| html_bounds::parse_document_with_stats(&page(100_000)));
    assert_linear("attributes", s, l);
    let capped = html_bounds::cap_attributes(&page(100_000)).into_owned();
    assert_eq!(capped.matches("data-a").count(), html_bounds::MAX_ATTRIBUTES);
    assert!(html::parse_html(&page(100_000)).unwrap().body.contains("the text survives"));
}

#[test]
fn many_small_feed_items_are_linear() {
    let rss = |n: usize| {
        let items: String = (0..n)
            .map(|i| format!("<item><title>Item {i}</title><description>Story {i}</description></item>"))
            .collect();
        format!("<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>F</title>{items}</channel></rss>")
    };
    let (small, s) = steps(|| feed::parse_feed(&rss(50_000)).unwrap());
    let (large, l) = steps(|| feed::parse_feed(&rss(100_000)).unwrap());
    assert_eq!((small.len(), large.len()), (50_000, 100_000));
    assert_linear("feed items", s, l);
}

#[test]
fn long_lines_and_long_words_give_their_text() {
    // One 8 MB line of words, and one 4 MB word: text, Markdown, HTML and counting.
    let line = "the minister said the talks would go on ".repeat(200_000);
    let word = "a".repeat(4 << 20);
    for body in [line.trim_end(), &word] {
        let draft = text::parse_text(&format!("Title: Long\n\n{body}\n"), "long");
        assert!(draft.text.len() >= body.len());
        let draft = markdown::parse_markdown(&format!("# Long\n\n{body}\n"), "long");
        assert!(draft.text.len() >= body.len());
        let page = html::parse_html(&format!("<html><body><p>{body}</p></body></html>")).unwrap();
        assert!(page.body.len() >= body.len());
    }
    let matcher = Matcher::parse(&["talks"]).unwrap();
    assert_eq!(matcher.count(&line), vec![200_000]);
    assert_eq!(matcher.count(&word), vec![0]);
}

#[test]
fn huge_json_arrays_read_every_record() {
    let records: Vec<String> =
        (0..200_000).map(|i| format!("{{\"title\":\"T{i}\",\"text\":\"Record {i}\"}}")).collect();
    let (drafts, _) = json::parse_json_document(&format!("[{}]", records.join(","))).unwrap();
    assert_eq!(drafts.len(), 200_000);
    assert_eq!(drafts[199_999].title, "T199999");
}

#[test]
fn deep_json_is_an_error_not_a_stack_overflow() {
    for depth in [10_000, 1_000_000] {
        let arrays = format!("{}{}", "[".repeat(depth), "]".repeat(depth));
        assert!(json::parse_json_document(&arrays).is_err());
        let objects = format!("{}1{}", "{\"text\":".repeat(depth), "}".repeat(depth));
        assert!(json::parse_json_document(&objects).is_err());
        assert!(!matches!(json::parse_record(&objects), Ok(Some(_))), "no article from a tower of objects");
    }
}
