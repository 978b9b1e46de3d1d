#![no_main]
//! The alias file, and the edits made on what it loads.
use libfuzzer_sys::fuzz_target;
use presswatch::core::entities::aliases::AliasFile;

fuzz_target!(|text: &str| {
    if let Ok(mut file) = AliasFile::from_json(text, std::path::Path::new("fuzz.json")) {
        let names: Vec<String> = file.entities.iter().flat_map(|e| e.names()).map(str::to_string).take(4).collect();
        if let [a, b, ..] = names.as_slice() {
            file.merge(a, b);
            file.rename(b, a);
        }
    }
});
