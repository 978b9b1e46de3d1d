#![no_main]
//! Date strings, in fields, file names and running text.
use libfuzzer_sys::fuzz_target;
use presswatch::core::ingest::dates;

fuzz_target!(|text: &str| {
    let _ = dates::parse_date(text);
    let _ = dates::parse_date_keep_offset(text);
    let _ = dates::date_from_filename(text);
    let _ = dates::date_from_text(text);
    let _ = dates::full_dates(text, 16);
});
