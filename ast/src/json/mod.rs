//! pandoc's JSON wire format (`pandoc -t json`, `pandoc -f json`).
//!
//! Why ours and not serde_json: pandoc's bytes (`{"t":..,"c":..}` key order, Haskell's doubles) and block-by-block streaming, which serde_json's `Value` gives neither of.
//! Measured 2026-12-07 on 3.2 MB of pandoc JSON (canonical.json's blocks x300, release, system allocator, shared 2-core machine, best of 7):
//! read 80 MB/s into the typed AST vs 15 MB/s into `serde_json::Value` (390-750 MB/s parsing into nothing); write 520-710 MB/s vs 46 MB/s, and serde_json's output is not pandoc's bytes.

mod read;
mod write;

pub use read::{read_json, read_json_bytes, BlockReader};
pub use write::{
    escape_json_string, to_json_string, write_haskell_double, write_json, BlockWriter,
};
