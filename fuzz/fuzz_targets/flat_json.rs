#![no_main]
//! The fast reader of flat JSON Lines records: it must never panic or loop, whatever it is fed,
//! and hands back (`None`) what it does not read exactly.
use libfuzzer_sys::fuzz_target;
use presswatch::core::ingest::flat_json;

fuzz_target!(|text: &str| {
    let mut fields = 0usize;
    let _ = flat_json::read(text, |_, _| {
        fields += 1;
        Some(())
    });
    let _ = flat_json::unescape(text);
});
