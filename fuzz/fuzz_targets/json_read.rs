//! Arbitrary bytes into the JSON reader of `ast`: it must return a document
//! or an error, never panic; a document it accepts must write back to JSON
//! that reads to the same document, and writing is then stable.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(doc) = ast::read_json_bytes(data) else {
        return;
    };
    let json = ast::to_json_string(&doc);
    let again = ast::read_json(&json).expect("the reader refused what the writer wrote");
    assert_eq!(again, doc, "a document changed through write and read");
    assert_eq!(ast::to_json_string(&again), json, "writing is not stable");
});
