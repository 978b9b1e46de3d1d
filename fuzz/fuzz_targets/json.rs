#![no_main]
//! JSON documents and JSON Lines records, read every way the importer reads them.
use libfuzzer_sys::fuzz_target;
use presswatch::core::ingest::json;

fuzz_target!(|text: &str| {
    let _ = json::parse_json_document(text);
    for line in text.lines() {
        let _ = json::parse_record(line);
        let _ = json::parse_record_text(line);
        let _ = json::parse_record_date(line);
    }
});
