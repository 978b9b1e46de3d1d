#![no_main]
//! Markdown with front matter, and the markup stripping.
use libfuzzer_sys::fuzz_target;
use presswatch::core::ingest::markdown::{parse_markdown, strip_markup};

fuzz_target!(|text: &str| {
    let _ = parse_markdown(text, "fuzz");
    let _ = strip_markup(text);
});
