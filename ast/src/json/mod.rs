//! pandoc's JSON wire format (`pandoc -t json`, `pandoc -f json`).

mod read;
mod write;

pub use read::{read_json, read_json_bytes, BlockReader};
pub use write::{
    escape_json_string, to_json_string, write_haskell_double, write_json, BlockWriter,
};
