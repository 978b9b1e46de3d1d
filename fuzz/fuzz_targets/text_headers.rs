#![no_main]
//! Plain text articles: the header block (news, Usenet) and the title guess.
use libfuzzer_sys::fuzz_target;
use presswatch::core::ingest::text::parse_text;

fuzz_target!(|text: &str| {
    let _ = parse_text(text, "fuzz");
});
