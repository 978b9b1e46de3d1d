#![no_main]
//! RSS and Atom feeds.
use libfuzzer_sys::fuzz_target;
use presswatch::core::ingest::feed::parse_feed;

fuzz_target!(|text: &str| {
    let _ = parse_feed(text);
});
