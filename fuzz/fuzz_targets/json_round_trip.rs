//! Generated documents (every Block and Inline variant, metadata, tables)
//! written to JSON and read back must come back identical, and the JSON must
//! be what a second write gives.
#![no_main]

use arbitrary::Unstructured;
use libfuzzer_sys::fuzz_target;
use fuzz::{gen_pandoc, Limits};

fuzz_target!(|data: &[u8]| {
    let mut u = Unstructured::new(data);
    let Ok(doc) = gen_pandoc(&mut u, Limits::default()) else {
        return;
    };
    let json = ast::to_json_string(&doc);
    let again = ast::read_json(&json).expect("the reader refused what the writer wrote");
    assert_eq!(again, doc, "a document changed through write and read");
    assert_eq!(ast::to_json_string(&again), json, "writing is not stable");
});
