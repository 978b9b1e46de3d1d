#![no_main]
//! Encoding detection and decoding, binary sniffing, and gzip with a small limit.
use libfuzzer_sys::fuzz_target;
use presswatch::core::ingest::decode;

fuzz_target!(|bytes: &[u8]| {
    let _ = decode::binary_kind(bytes);
    let _ = decode::declared_charset(bytes);
    let text = decode::drop_stray_controls(decode::decode_text(bytes));
    let _ = decode::looks_like_text(&text);
    if decode::is_gzip(bytes) {
        let _ = decode::gunzip(bytes, 1 << 20);
    }
});
