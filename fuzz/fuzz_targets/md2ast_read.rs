//! No input may make the Markdown reader panic: any UTF-8 text either reads
//! or gives an error (only bad YAML can).
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        let _ = md2ast::read_markdown(text, &md2ast::ReadOptions::default());
    }
});
