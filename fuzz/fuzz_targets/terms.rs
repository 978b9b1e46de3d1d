#![no_main]
//! The term syntax: the first line is a term, the rest a text it is counted in.
use libfuzzer_sys::fuzz_target;
use presswatch::core::query::{Matcher, Term};

fuzz_target!(|input: &str| {
    let (term, text) = input.split_once('\n').unwrap_or((input, "Ukraine and the EU met in Brussels"));
    if Term::parse(term).is_ok()
        && let Ok(matcher) = Matcher::parse(&[term])
    {
        let _ = matcher.count(text);
        let _ = matcher.count_if_any(text);
        let _ = matcher.matched_words(text);
    }
});
