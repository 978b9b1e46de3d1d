#![no_main]
//! The query syntax: the first line is a query, the rest a text it is evaluated on.
use libfuzzer_sys::fuzz_target;
use presswatch::core::query::{CompiledQuery, Query};

fuzz_target!(|input: &str| {
    let (query, text) = input.split_once('\n').unwrap_or((input, "Ukraine and the EU met in Brussels"));
    let _ = Query::looks_like_query(query);
    let _ = Query::parse(query);
    if let Ok(compiled) = CompiledQuery::parse(query) {
        let _ = compiled.count_text(text, Some("Reuters"));
        let _ = compiled.mentions(text, None);
    }
});
