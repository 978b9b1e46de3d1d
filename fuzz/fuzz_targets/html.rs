#![no_main]
//! HTML extraction and dating, and the bounded parse under both.
use libfuzzer_sys::fuzz_target;
use presswatch::core::ingest::{fragment, html, html_bounds, html_date};

fuzz_target!(|text: &str| {
    let _ = html::parse_html(text);
    if let Ok(doc) = html_bounds::parse_document(text) {
        let _ = html_date::find_html_date_and_recheck(&doc, Some("https://example.com/2023/05/17/story"));
    }
    let _ = fragment::fragment_text(text);
    let _ = html_date::date_from_url(text);
});
